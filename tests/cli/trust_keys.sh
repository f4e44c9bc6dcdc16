#!/usr/bin/env bash
# `trust plan` and `trust keys` as a user runs them: the vendor's plan as JSON, keys
# from the password in GPOKIT_TRUST_PASSWORD or a file, a keytab that MIT's own reader
# (klist -kKe) shows with the keys of the project's worked example, mode 0600, never
# written over; the password in no output, file or argument list.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-trust-keys.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
if ! command -v klist >/dev/null; then
    echo "SKIP: klist (MIT krb5-user) is not installed; it is the independent keytab reader"
    exit 77
fi
pw='Secret123!'
"$GPOKIT" trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --map .gateway.zscalerbeta.net \
    --format json --output "$tmp/plan.json" >"$tmp/plan.out" 2>&1
check "plan --output writes the plan, quietly" test -s "$tmp/plan.json" -a ! -s "$tmp/plan.out"
"$GPOKIT" trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --format markdown >"$tmp/runbook.md"
check "the runbook names the wizard's choices and the check values" \
    grep -q 'One-way: incoming' "$tmp/runbook.md"
check "... and the expected trusted-domain object" \
    grep -q 'trustDirection 1 (incoming), trustAttributes 1, msDS-SupportedEncryptionTypes 24' "$tmp/runbook.md"

GPOKIT_TRUST_PASSWORD="$pw" "$GPOKIT" trust keys --plan "$tmp/plan.json" --keytab "$tmp/realm.keytab" \
    >"$tmp/keys.out" 2>&1
check "keys writes the keytab" test -s "$tmp/realm.keytab"
check "... mode 0600" test "$(stat -c %a "$tmp/realm.keytab")" = 600
klist -kKe "$tmp/realm.keytab" >"$tmp/klist" 2>&1
check "MIT's klist reads the worked example's AES256 key" \
    grep -q 'krbtgt/ZSCALERBETA.NET@CORP.EXAMPLE.COM (aes256-cts-hmac-sha1-96)  (0x3d93cee3bd859b56854ed43107b9a8b3cfacc3e018b6dd50455d935c3b0ac546)' "$tmp/klist"
check "... and its AES128 key" \
    grep -q '(aes128-cts-hmac-sha1-96)  (0x9a47b76e3e3ff0f26ad2df791db54053)' "$tmp/klist"
check "printed: fingerprints, not keys" \
    bash -c '! grep -q 3d93cee3 "$1" && grep -q fingerprint "$1"' _ "$tmp/keys.out"
GPOKIT_TRUST_PASSWORD="$pw" "$GPOKIT" trust keys --plan "$tmp/plan.json" --keytab "$tmp/realm.keytab" \
    >"$tmp/again.out" 2>&1
rc=$?
check "an existing keytab is never written over (exit 2, says so)" \
    bash -c '[ "$1" = 2 ] && grep -q "already exists" "$2"' _ "$rc" "$tmp/again.out"
printf '%s\n' 'Secret124!' >"$tmp/wrong"
"$GPOKIT" trust keys --plan "$tmp/plan.json" --trust-password-file "$tmp/wrong" >"$tmp/wrong.out"
check "another password gives other fingerprints" \
    bash -c '! cmp -s <(grep fingerprint "$1") <(grep fingerprint "$2")' _ "$tmp/keys.out" "$tmp/wrong.out"
"$GPOKIT" trust keys --plan "$tmp/plan.json" </dev/null >"$tmp/nopw.out" 2>&1
rc=$?
check "no password and no terminal: exit 2 naming the ways to give one" \
    bash -c '[ "$1" = 2 ] && grep -q GPOKIT_TRUST_PASSWORD "$2"' _ "$rc" "$tmp/nopw.out"
# The process list while gpokit runs: it waits on a FIFO for the password file, and ps
# (every process's arguments and, for gpokit, its environment) shows no password.
mkfifo "$tmp/pw.fifo"
"$GPOKIT" trust keys --plan "$tmp/plan.json" --trust-password-file "$tmp/pw.fifo" >"$tmp/fifo.out" 2>&1 &
keys_pid=$!
for _ in $(seq 50); do [ -d "/proc/$keys_pid" ] && break; sleep 0.05; done
sleep 0.2
ps -eo args >"$tmp/ps.txt"
tr '\0' '\n' <"/proc/$keys_pid/cmdline" >>"$tmp/ps.txt" 2>/dev/null
check "gpokit is running, waiting for the password" kill -0 "$keys_pid"
check "... and no process's arguments hold the password" bash -c '! grep -qF -- "$1" "$2"' _ "$pw" "$tmp/ps.txt"
printf '%s\n' "$pw" >"$tmp/pw.fifo"
wait "$keys_pid"
check "... then it derives the same keys as before" \
    bash -c 'cmp -s <(grep fingerprint "$1") <(grep fingerprint "$2")' _ "$tmp/keys.out" "$tmp/fifo.out"
rm -f "$tmp/ps.txt" "$tmp/pw.fifo"
check "the password is in no output or file" \
    bash -c '! grep -rqF -- "$1" "$2"' _ "$pw" "$tmp"
finish "trust keys"
