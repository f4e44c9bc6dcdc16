#!/usr/bin/env bash
# The administrator's whole loop on the live Default Domain Policy: fetch, stage the
# realm with `kerberos add-realm`, diff against live (the realm's four values),
# push, diff again (nothing). The result is read back with smbclient, ldapsearch and
# Samba's own registry.pol parser.
source "$(dirname "$0")/lib.sh"

DDP="$SAMBA_DDP_GUID"
DDP_DN="CN=$DDP,$POLICIES_DN"
GPO_DIR="$SAMBA_DNS_DOMAIN/Policies/$DDP"
KERBEROS='Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos'

version_before=$(ldap_attr "$DDP_DN" versionNumber)
extensions_before=$(ldap_attr "$DDP_DN" gPCMachineExtensionNames)
check "the fresh DDP is at versionNumber 0" test "$version_before" = 0

check "fetch the live DDP" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/stage"
check "stage the realm in the snapshot" gk kerberos add-realm "$TMP/stage" --realm ZSCALERBETA.NET \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net

run_gk "$TMP/diff.json" "$TMP/err" diff "$LIVE" "$TMP/stage" "${AUTH[@]}" --format json
check "diff live -> staged exits 1" test $? -eq 1
check "the diff is exactly the realm's four values, all added" /usr/bin/python3 - "$TMP/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((c["side"], c["key"], c["value"], c["change"], c["after"]["type"], str(c["after"]["data"]))
             for c in d["changes"])
K = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos'
want = sorted([
    ("machine", K, "MitRealms_Enabled", "added", "REG_DWORD", "1"),
    ("machine", K, "domain_realm_Enabled", "added", "REG_DWORD", "1"),
    ("machine", K + "\\MitRealms", "ZSCALERBETA.NET", "added", "REG_SZ", "<k>kerberos.zscalerbeta.net</k>"),
    ("machine", K + "\\domain_realm", "ZSCALERBETA.NET", "added", "REG_SZ", ".zscalerbeta.net"),
])
assert got == want, got
PY

run_gk "$TMP/push.out" "$TMP/push.err" live push "$TMP/stage" "$LIVE" "${AUTH[@]}" --yes
rc=$?
check "live push --yes exits 0 (got $rc: $(tail -1 "$TMP/push.err"))" test $rc -eq 0

version_after=$(ldap_attr "$DDP_DN" versionNumber)
check "versionNumber went from 0 to 1 (machine half +1)" test "$version_after" = 1
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI is now exactly [General]CRLF Version=1, nothing else touched" \
    cmp -s "$TMP/gpt.ini" <(printf '[General]\r\nVersion=1')
extensions_after=$(ldap_attr "$DDP_DN" gPCMachineExtensionNames)
# A fresh domain's DDP lists Registry with the EFS tool, Security, and EFS Recovery.
check "the fresh DDP's extension list is the one provisioning writes" test "$extensions_before" = \
"[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]\
[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\
[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
check "gPCMachineExtensionNames gained the Administrative Templates tool inside the Registry bracket, sorted" \
    test "$extensions_after" = \
"[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]\
[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\
[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"

staged_pol=$(find "$TMP/stage" -ipath '*/machine/registry.pol')
check "Registry.pol is on SYSVOL" smb_get "$GPO_DIR/MACHINE/Registry.pol" "$TMP/live.pol"
check "... byte-identical to the staged file" cmp -s "$TMP/live.pol" "$staged_pol"
pol_entries "$TMP/live.pol" | sort > "$TMP/entries"
sort > "$TMP/want" <<EOT
$KERBEROS|MitRealms_Enabled|4|1
$KERBEROS|domain_realm_Enabled|4|1
$KERBEROS\\MitRealms|ZSCALERBETA.NET|1|<k>kerberos.zscalerbeta.net</k>
$KERBEROS\\domain_realm|ZSCALERBETA.NET|1|.zscalerbeta.net
EOT
check "Samba's parser reads the four values from the live Registry.pol" cmp -s "$TMP/entries" "$TMP/want"

check "diff live -> staged registry settings now exits 0" gk diff "$LIVE" "$TMP/stage" "${AUTH[@]}" --ignore-metadata
check "diff staged -> live exits 0 with metadata too (the staged snapshot recorded the extension list it pushed)" \
    gk diff "$TMP/stage" "$LIVE" "${AUTH[@]}"
check "... the staged snapshot records the new machine extension list for the push" \
    grep -q '"edited_attributes"' "$TMP/stage/gpokit-snapshot.json"
check "a new fetch diffs clean against live, metadata included" \
    bash -c 'gk() { "$GPOKIT" "$@"; }; gk live fetch "$1" "${@:3}" --output "$2" && gk diff "$2" "$1" "${@:3}"' _ "$LIVE" "$TMP/after" "${AUTH[@]}"
gk kerberos show "$LIVE" "${AUTH[@]}" > "$TMP/show"
check "kerberos show on the live GPO lists the realm" grep -q 'ZSCALERBETA.NET = <k>kerberos.zscalerbeta.net</k>' "$TMP/show"

gk policy show "$LIVE" "${AUTH[@]}" > "$TMP/policy"
check "policy show on the live GPO: MitRealms enabled with the realm" \
    grep -qF 'MitRealms = [ZSCALERBETA.NET = "<k>kerberos.zscalerbeta.net</k>"]' "$TMP/policy"
run_gk "$TMP/compare.csv" "$TMP/err" compare "$LIVE" "$TMP/stage" "${AUTH[@]}" --format csv
check "compare live and staged: no conflict (exit 0)" test $? -eq 0
tr -d '\r' < "$TMP/compare.csv" > "$TMP/compare.txt" # CSV lines end in CRLF
check "... the live GPO named by its address" \
    test "$(head -1 "$TMP/compare.txt")" = "scope,side,where,name,policy,status,$LIVE,$TMP/stage"
check "... one registry row per realm value, the same on both" \
    test "$(grep -c '^registry,.*,same,' "$TMP/compare.txt")" = 4
run_gk "$TMP/again.out" "$TMP/again.err" live push "$TMP/after" "$LIVE" "${AUTH[@]}" --yes
check "pushing the same settings again changes nothing (exit 0)" test $? -eq 0
check "... and says so" grep -q "nothing to push" "$TMP/again.out"
check "... and leaves versionNumber at 1" test "$(ldap_attr "$DDP_DN" versionNumber)" = 1

finish
