#!/usr/bin/env bash
# What an edit says when it cannot be done, and what it leaves: a read-only folder and
# a full disk name the user's folder or file and the system's reason, never gpokit's
# temporary copy, and leave the GPO as it was; SIGTERM during an edit leaves the GPO
# old or new and no temporary behind; what a killed edit leaves is reported by lint and
# removed by `gpo clean`. The full-disk part mounts a small tmpfs (root); without it,
# that part says so and the rest still runs.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-edit-errors.XXXXXX")" || exit 1
chmod 755 "$tmp"
mounted=""
cleanup() { [ -n "$mounted" ] && umount "$mounted"; rm -rf -- "$tmp"; }
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"
id='{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}'
key='Software\Policies\gpokit'
state() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# A read-only folder, as an ordinary user (root may write anywhere).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    mkdir -p "$tmp/ro"
    cp -r "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$tmp/ro/"
    chmod -R a+rX "$tmp/ro"
    chmod a-w "$tmp/ro" "$tmp/ro/$id"
    before=$(state "$tmp/ro")
    su nobody -s /bin/bash -c "'$GPOKIT' gpo set '$tmp/ro/$id' --side machine '$key' V --type dword --data 1" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "a read-only folder: exit 2" test $rc = 2
    check "... naming the user's folder and the reason" grep -q "$tmp/ro: cannot .*Permission denied" "$tmp/err"
    check "... never a temporary path" bash -c '! grep -q "\.gpokit-" "$1"' _ "$tmp/err"
    check "... and the backup unchanged" test "$(state "$tmp/ro")" = "$before"
else
    echo "note: the read-only part needs root (to run as nobody); not run"
fi

# A full disk.
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=256k tmpfs "$tmp/full" 2>/dev/null; then
    mounted="$tmp/full"
    cp -r "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$tmp/full/"
    head -c 200000 /dev/zero > "$tmp/full/filler"
    before=$(state "$tmp/full/$id")
    big=$(head -c 60000 /dev/zero | od -An -v -tx1 | tr -d ' \n')
    "$GPOKIT" gpo set "$tmp/full/$id" --side machine "$key" Big --type binary --data "$big" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "a full disk: exit 2" test $rc = 2
    check "... naming the user's file and 'No space left on device'" \
        grep -q "$tmp/full/$id/DomainSysvol/GPO/Machine/registry.pol: cannot write: No space left on device" "$tmp/err"
    check "... never a temporary path" bash -c '! grep -q "\.gpokit-" "$1"' _ "$tmp/err"
    check "... the backup unchanged and no temporary left" \
        bash -c '[ "$(cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)" = "$2" ] && [ -z "$(ls -A "$3" | grep gpokit)" ]' \
        _ "$tmp/full/$id" "$before" "$tmp/full"
else
    echo "note: the full-disk part needs to mount a tmpfs (root); not run"
fi

# SIGTERM at moments spread over an edit: old or new, nothing left behind.
cp -r "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$tmp/seed"
start=$(date +%s%N)
for _ in 1 2 3; do
    rm -rf "$tmp/t"; mkdir -p "$tmp/t"; cp -r "$tmp/seed" "$tmp/t/$id"
    "$GPOKIT" gpo set "$tmp/t/$id" --side machine "$key" V --type dword --data 1 >/dev/null 2>&1
done
each=$(( ($(date +%s%N) - start) / 3000 )) # microseconds per edit (with the copy)
new=$(state "$tmp/t")
old=$(cd "$tmp" && mkdir -p o && cp -r seed "o/$id" && state "$tmp/o")
landed=0; stopped=0; bad=0
for i in $(seq 1 30); do
    rm -rf "$tmp/t"; mkdir -p "$tmp/t"; cp -r "$tmp/seed" "$tmp/t/$id"
    "$GPOKIT" gpo set "$tmp/t/$id" --side machine "$key" V --type dword --data 1 >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v i="$i" -v e="$each" 'BEGIN { printf "%.6f", (i / 30) * e / 1000000 }')"
    kill -TERM $pid 2>/dev/null
    wait $pid 2>/dev/null
    s=$(state "$tmp/t")
    if [ "$s" = "$new" ]; then landed=$((landed + 1)); elif [ "$s" = "$old" ]; then stopped=$((stopped + 1)); else bad=$((bad + 1)); fi
    ls -A "$tmp/t" | grep -q gpokit && bad=$((bad + 1))
done
echo "SIGTERM: $landed landed, $stopped stopped before, $bad broken or left a temporary"
check "SIGTERM during an edit leaves the GPO old or new and no temporary" test $bad = 0

# What a killed edit leaves: lint reports it, gpo clean removes it.
rm -rf "$tmp/k"; mkdir -p "$tmp/k"; cp -r "$tmp/seed" "$tmp/k/$id"
mkdir "$tmp/k/.gpokit-$id-Ab12Cd"
touch "$tmp/k/$id/DomainSysvol/GPO/Machine/.registry.pol.gpokit-1a2b-3c4d-5e6f"
"$GPOKIT" gpo lint "$tmp/k" >"$tmp/lint"
check "lint reports both leftovers" test "$(grep -c '\[leftover\]' "$tmp/lint")" = 2
check "gpo clean --dry-run lists them and removes nothing" \
    bash -c '[ "$("$1" gpo clean "$2" --dry-run | grep -c "would remove")" = 2 ] && [ -d "$2/.gpokit-$3-Ab12Cd" ]' _ "$GPOKIT" "$tmp/k" "$id"
check "gpo clean removes them" "$GPOKIT" gpo clean "$tmp/k"
check "... and lint is clean again" "$GPOKIT" gpo lint "$tmp/k"
finish "edit errors"
