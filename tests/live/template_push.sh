#!/usr/bin/env bash
# live push carries a security template change: a Kerberos policy set offline with
# `gpo set-security` lands on SYSVOL byte for byte (read back with smbclient and
# Samba's own template reader, the one samba-gpupdate applies Kerberos policy with),
# with the folders it needs, the Security extension in gPCMachineExtensionNames and
# the machine version bumped (read with ldapsearch). The same safety checks as for
# Registry.pol: --dry-run writes nothing, a template changed on the DC after the diff
# was shown stops the push. What a push does not carry is named, not shown as pushed.
# Works on a GPO of its own, created with samba-tool.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit template push"
INF="$GPO_DIR/Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf"
SECURITY='[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]'

# samba_inf FILE SECTION KEY: the value Samba's template reader finds
samba_inf() {
    /usr/bin/python3 - "$@" <<'PY'
import sys
from samba.gp.gpclass import gp_inf_ext
conf = gp_inf_ext.read(None, sys.argv[1])  # reads no state of the extension
print(conf[sys.argv[2]][sys.argv[3]])
PY
}
# stage DIR ARGS...: a fresh snapshot of the GPO with `gpo set-security ARGS` applied
stage() {
    local dir=$1
    shift
    rm -rf "$dir"
    gk live fetch "$TARGET" "${AUTH[@]}" --output "$dir" >/dev/null &&
        gk gpo set-security "$dir" "$@"
}

check "samba-tool's new GPO has no security template" smb_missing "$INF"
check "stage MaxTicketAge = 8 in a snapshot (a new template)" \
    stage "$TMP/stage" --section "Kerberos Policy" --key MaxTicketAge --value 8
staged=$(find "$TMP/stage" -ipath '*/machine/microsoft/windows nt/secedit/gpttmpl.inf')
check "... the snapshot has the template" test -f "$staged"

run_gk "$TMP/diff.json" "$TMP/err" diff "$TARGET" "$TMP/stage" "${AUTH[@]}" --format json
check "diff live -> staged exits 1" test $? -eq 1
check "... the difference is the Kerberos policy setting, added, in hours" /usr/bin/python3 - "$TMP/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = [(c["scope"], c["area"], c["name"], c["change"], c.get("after")) for c in d["changes"] if c["scope"] == "security"]
assert got == [("security", "Kerberos Policy", "Maximum lifetime for user ticket", "added", "8 hours")], got
PY

run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --dry-run
check "push --dry-run: status 1" test $? -eq 1
check "... shows the template among the writes" grep -q "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf (" "$TMP/out"
check "... and the Security extension joining the list" grep -qF "gPCMachineExtensionNames \"\" -> \"$SECURITY\"" "$TMP/out"
check "... and the setting, by its name" grep -q "Maximum lifetime for user ticket" "$TMP/out"
check "... writing nothing: no template" smb_missing "$INF"
check "... versionNumber still 0" test "$(ldap_attr "$DN" versionNumber)" = 0

run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes
rc=$?
check "push --yes exits 0 (got $rc: $(tail -1 "$TMP/err"))" test $rc -eq 0
check "the template is on SYSVOL (its folders created)" smb_get "$INF" "$TMP/live.inf"
check "... byte-identical to the staged one" cmp -s "$TMP/live.inf" "$staged"
check "... UTF-16LE with a byte order mark, as Windows writes it" \
    test "$(head -c 2 "$TMP/live.inf" | od -An -tx1 | tr -d ' ')" = fffe
check "Samba's template reader finds MaxTicketAge = 8" test "$(samba_inf "$TMP/live.inf" 'Kerberos Policy' MaxTicketAge)" = 8
check "versionNumber went from 0 to 1 (machine half +1)" test "$(ldap_attr "$DN" versionNumber)" = 1
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI Version=1" grep -q "^Version=1" "$TMP/gpt.ini"
check "gPCMachineExtensionNames is the Security extension with its tool" \
    test "$(ldap_attr "$DN" gPCMachineExtensionNames)" = "$SECURITY"
check "no Registry.pol was written (only the template changed)" smb_missing "$GPO_DIR/Machine/Registry.pol"
check "diff live -> staged now exits 0" gk diff "$TARGET" "$TMP/stage" "${AUTH[@]}" --ignore-metadata
check "pushing the same snapshot again: nothing to push" \
    bash -c '"$GPOKIT" live push "$@" --yes | grep -q "already has these settings: nothing to push"' _ \
    "$TMP/stage" "$TARGET" "${AUTH[@]}"

# A change to an existing template, the Kerberos policy the administrator reviews.
check "stage MaxTicketAge 8 -> 10 and MaxClockSkew = 5 on a new snapshot" \
    bash -c 'set -e; "$GPOKIT" live fetch "$1" "${@:3}" --output "$2" >/dev/null
             "$GPOKIT" gpo set-security "$2" --section "Kerberos Policy" --key MaxTicketAge --value 10
             "$GPOKIT" gpo set-security "$2" --section "Kerberos Policy" --key MaxClockSkew --value 5' \
    _ "$TARGET" "$TMP/stage2" "${AUTH[@]}"
run_gk "$TMP/diff.txt" "$TMP/err" diff "$TARGET" "$TMP/stage2" "${AUTH[@]}"
check "the text diff reads as the editor shows it" \
    grep -q "Maximum lifetime for user ticket: 8 hours -> 10 hours" "$TMP/diff.txt"
check "... with the new clock skew setting" grep -q "Maximum tolerance for computer clock synchronization" "$TMP/diff.txt"

# The template changes on the DC while the question is on screen: nothing is written.
printf '\xff\xfe' > "$TMP/other.inf"
printf '[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 7\r\n' | iconv -f UTF-8 -t UTF-16LE >> "$TMP/other.inf"
rm -f "$TMP/answer"
mkfifo "$TMP/answer"
"$GPOKIT" live push "$TMP/stage2" "$TARGET" "${AUTH[@]}" <"$TMP/answer" >"$TMP/out" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/answer"
for _ in $(seq 100); do grep -q "Push to" "$TMP/out" 2>/dev/null && break; sleep 0.1; done
check "the push is waiting for its answer" grep -q "Push to" "$TMP/out"
check "meanwhile the template is replaced behind the versions' back" \
    smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" -c "put \"$TMP/other.inf\" \"$INF\""
echo y >&3
exec 3>&-
wait $pid
check "the push then stops with status 2" test $? -eq 2
check "... because the template changed" grep -q "GptTmpl.inf: changed since the diff was shown; nothing was written" "$TMP/err"
check "... leaving versionNumber at 1" test "$(ldap_attr "$DN" versionNumber)" = 1
smb_get "$INF" "$TMP/live.inf"
check "... and the other editor's template as it was put" cmp -s "$TMP/live.inf" "$TMP/other.inf"

# Differences a push does not carry are named and kept out of the preview.
check "a fresh snapshot with the change again" \
    stage "$TMP/stage3" --section "Kerberos Policy" --key MaxTicketAge --value 9
gpo_folder=$(dirname "$(find "$TMP/stage3" -name GPT.INI)")
mkdir -p "$gpo_folder/Machine/Preferences/Registry"
cat > "$gpo_folder/Machine/Preferences/Registry/Registry.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}"><Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="X" status="X" image="7" changed="2026-12-01 10:00:00" uid="{1D0F0C5C-6A43-4B4A-9C56-2A7E6F0B8C11}"><Properties action="U" displayDecimal="0" default="0" hive="HKEY_LOCAL_MACHINE" key="SOFTWARE\Contoso" name="X" type="REG_SZ" value="1"/></Registry></RegistrySettings>
XML
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage3" "$TARGET" "${AUTH[@]}" --dry-run
check "push --dry-run of a snapshot with a preference added: status 1" test $? -eq 1
check "... warns the preference is not pushed" grep -q "Preferences.*not pushed" "$TMP/err"
check "... the preview shows the template setting" grep -q "Maximum lifetime for user ticket" "$TMP/out"
check "... and no preference item" bash -c '! grep -q "Preferences" "$1"' _ "$TMP/out"
finish
