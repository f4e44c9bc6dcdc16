#!/usr/bin/env bash
# Files that are not files, and output that does not arrive. A FIFO where gpokit
# expects registry.pol, Backup.xml, bkupInfo.xml, gpreport.xml or GPT.INI ends every
# command that reads it with exit 2 and "not a regular file" naming it, and never hangs
# (each run is bounded by timeout(1)); a FIFO elsewhere in a GPO stops an edit and a
# diff, never dropped from the copy. A write to standard output that fails (/dev/full)
# is exit 2 with the reason, in every command and format.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-untrusted.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
id='{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}'

# expect_fifo_error NAME ARGS...: exit 2 within 10 s, "not a regular file" naming NAME.
expect_fifo_error() {
    local name=$1
    shift
    timeout 10 "$GPOKIT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$?
    [ $rc = 2 ] && grep -q "$name.*not a regular file" "$tmp/err" || { echo "   rc=$rc: $(cat "$tmp/err")"; false; }
}

fresh() {
    rm -rf "$tmp/b"
    mkdir -p "$tmp/b"
    cp -r "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$tmp/b/"
}

for file in DomainSysvol/GPO/Machine/registry.pol Backup.xml bkupInfo.xml; do
    fresh
    rm "$tmp/b/$id/$file"
    mkfifo "$tmp/b/$id/$file"
    check "a FIFO as $file: gpo show exits 2 naming it" expect_fifo_error "$(basename "$file")" gpo show "$tmp/b/$id"
    check "... gpo set too, and the FIFO is still there" \
        bash -c 'expect_fifo_error() { :; }; timeout 10 "$1" gpo set "$2" --side machine "Software\\X" V --type dword --data 1 >/dev/null 2>&1; [ $? = 2 ] && [ -p "$3" ]' _ "$GPOKIT" "$tmp/b/$id" "$tmp/b/$id/$file"
done
fresh
mkfifo "$tmp/b/$id/gpreport.xml"
check "a FIFO as gpreport.xml: lint reports it and does not hang" \
    bash -c 'timeout 10 "$1" gpo lint "$2" > "$3"; [ $? = 1 ] && grep -q "gpreport.xml.*not a regular file" "$3"' _ "$GPOKIT" "$tmp/b/$id" "$tmp/lint"
fresh
mkdir -p "$tmp/sysvol/{X}"
printf '[General]\r\nVersion=1\r\n' > "$tmp/gpt.ini"
mkfifo "$tmp/sysvol/{X}/GPT.INI"
check "a FIFO as GPT.INI: gpo show exits 2 naming it" expect_fifo_error GPT.INI gpo show "$tmp/sysvol/{X}"
mkfifo "$tmp/alone.pol"
check "a FIFO as a bare registry.pol: pol show exits 2" expect_fifo_error alone.pol pol show "$tmp/alone.pol"
check "... pol check too" expect_fifo_error alone.pol pol check "$tmp/alone.pol"
fresh
mkfifo "$tmp/b/$id/DomainSysvol/GPO/Machine/pipe"
check "a FIFO elsewhere in a GPO stops an edit (not dropped from the copy)" \
    expect_fifo_error pipe gpo set "$tmp/b/$id" --side machine 'Software\X' V --type dword --data 1
check "... and the GPO is unchanged" cmp -s "$tmp/b/$id/Backup.xml" "$GPOKIT_SOURCE/fixtures/ddp/backup/$id/Backup.xml"
check "... and a diff" expect_fifo_error pipe diff "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$tmp/b/$id"

# Output that cannot be written.
cd "$GPOKIT_SOURCE" || exit 1
while IFS= read -r line; do
    read -ra args <<<"$line"
    "$GPOKIT" "${args[@]}" >/dev/full 2>"$tmp/err" </dev/null
    rc=$?
    check "> /dev/full: gpokit $line exits 2 with the reason" \
        bash -c '[ "$1" = 2 ] && grep -q "cannot write standard output: No space left on device" "$2"' _ "$rc" "$tmp/err"
done <<'EOT'
pol show fixtures/pol/sample-machine.pol
pol show fixtures/pol/sample-machine.pol --format json
pol show fixtures/pol/sample-machine.pol --format lgpo
pol show fixtures/pol/sample-machine.pol --effective
gpo show fixtures/ddp/backup
gpo show fixtures/ddp/backup --format json
gpo list fixtures/gpo/backups --format json
diff fixtures/ddp/backup fixtures/ddp/staged
diff fixtures/ddp/backup fixtures/ddp/staged --format json
diff fixtures/ddp/backup fixtures/ddp/staged --format markdown
diff fixtures/ddp/backup fixtures/ddp/staged --format html
diff fixtures/ddp/backup fixtures/ddp/staged --format csv
compare fixtures/ddp/backup fixtures/ddp/staged
compare fixtures/ddp/backup fixtures/ddp/staged --format json
policy list
policy show fixtures/ddp/staged --format json
kerberos show fixtures/ddp/staged
kerberos show fixtures/ddp/staged --format json
gpo lint fixtures/gpo/backups fixtures/malformed-gpo --format json
EOT
"$GPOKIT" --help >/dev/full 2>"$tmp/err"
check "> /dev/full: gpokit --help exits 2" bash -c '[ "$1" = 2 ] && grep -q "cannot write standard output" "$2"' _ $? "$tmp/err"
finish "untrusted files"
