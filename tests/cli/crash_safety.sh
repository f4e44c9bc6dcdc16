#!/usr/bin/env bash
# Crash safety of a GPO edit: `gpo set` on a backup copy is killed with SIGKILL at a
# random moment, again and again (GPOKIT_CRASH_RUNS, default 120). After every run the
# backup must still load and be exactly the old backup or exactly the new one (every
# file compared by hash with the two reference states), with no stray temporary folder
# other than gpokit's own .gpokit-* (which every reader skips). Reports how many runs
# were killed before, during or after the change landed, and fails unless at least one
# kill came while the edit was writing (a .gpokit-* folder left beside the backup): a
# run that never interrupts a write proves nothing about crash safety. The kill delays
# are spread evenly over 1.5 times the measured duration of one edit (one random delay
# in each of GPOKIT_CRASH_RUNS equal slices, in random order), so every phase of the
# edit gets its share of kills.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
runs=${GPOKIT_CRASH_RUNS:-120}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-crash.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT

# The project's small backup fixture (fixtures/gpo/backups).
seed="$tmp/seed"
id='{0E6C2A0B-1B1D-4B8E-9C5A-6F0D7A2C3B4D}'
mkdir -p "$seed"
cp -r "$GPOKIT_SOURCE/fixtures/gpo/backups/$id" "$seed/"

key='Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\MitRealms'
# `exec`, so that the PID the loop kills is gpokit's own, not a subshell's.
edit() { exec "$GPOKIT" gpo set "$1" --side machine "$key" ZSCALERBETA.NET --type sz --data '<k>kerberos.zscalerbeta.net</k>'; }

# state DIR: one line per file, "hash  path", sorted; .gpokit-* temporaries excluded.
state() { (cd "$1" && find . -path './.gpokit-*' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum); }

# The two reference states, and how long an uninterrupted edit takes (the median of
# three, started the way the loop starts them).
timings=()
for attempt in 1 2 3; do
    rm -rf -- "$tmp/new"
    cp -r "$seed" "$tmp/new"
    start=$(date +%s%N)
    edit "$tmp/new/$id" >/dev/null 2>&1 &
    wait $! || { echo "crash_safety: the reference edit failed"; exit 1; }
    timings+=($(( ($(date +%s%N) - start) / 1000 )))
done
elapsed_us=$(printf '%s\n' "${timings[@]}" | sort -n | sed -n 2p)
old_state="$(state "$seed")"
new_state="$(state "$tmp/new")"
[ "$old_state" != "$new_state" ] || { echo "crash_safety: the edit changed nothing"; exit 1; }
window_us=$(( elapsed_us + elapsed_us / 2 + 1 ))
slice_us=$(( window_us / runs + 1 ))

passed=0; failed=0; before=0; landed=0; midway=0
i=0
for slice in $(seq 0 $((runs - 1)) | shuf); do
    i=$((i + 1))
    work="$tmp/run"
    rm -rf -- "$work"
    cp -r "$seed" "$work"
    delay_us=$(( slice * slice_us + (RANDOM * 32768 + RANDOM) % slice_us ))
    edit "$work/$id" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    now="$(state "$work")"
    # A .gpokit-* folder left behind: the kill came while the edit was writing or swapping.
    if compgen -G "$work/.gpokit-*" >/dev/null; then midway=$((midway + 1)); fi
    if ! "$GPOKIT" gpo show "$work/$id" >/dev/null 2>"$tmp/err"; then
        echo "FAIL run $i (killed after ${delay_us}us): the backup no longer loads: $(cat "$tmp/err")"
        failed=$((failed + 1))
    elif [ "$now" = "$old_state" ]; then
        before=$((before + 1)); passed=$((passed + 1))
    elif [ "$now" = "$new_state" ]; then
        landed=$((landed + 1)); passed=$((passed + 1))
    else
        echo "FAIL run $i (killed after ${delay_us}us): the backup is neither the old nor the new one"
        diff <(echo "$old_state") <(echo "$now") | head -10
        failed=$((failed + 1))
    fi
done
echo "crash_safety: $runs runs killed at random within ${window_us}us (an edit takes ~${elapsed_us}us):" \
     "$before left the old backup, $landed the new one; $midway were killed in the middle of writing"
if [ "$midway" -eq 0 ]; then
    echo "FAIL no kill landed while the edit was writing (no .gpokit-* folder was ever left):" \
         "the runs did not test crash safety; is the edit still done through a temporary folder?"
    failed=$((failed + 1))
fi
echo "crash_safety: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -ge 100 ]
