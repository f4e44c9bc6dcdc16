#!/usr/bin/env bash
# `gpo backup` of a live GPO: a GPO made with samba-tool and given registry settings by a
# push, backed up from live:// into a GPMC backup (the directory's versions, extension
# lists and security descriptor in it, as ldapsearch reads them), then pushed with
# `live push --other-gpo` into a second GPO, which then holds the same registry settings.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit backup source"
SOURCE_GUID=$GUID
SOURCE=$TARGET
mkdir -p "$TMP/staged/Machine"
gk kerberos add-realm "$TMP/staged/Machine/registry.pol" --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net \
    --map .zscalerbeta.net
check "a push gives the source GPO registry settings" gk live push "$TMP/staged/Machine/registry.pol" "$SOURCE" --yes "${AUTH[@]}"

run_gk "$TMP/out" "$TMP/err" gpo backup "$SOURCE" --output "$TMP/backups" "${AUTH[@]}"
check "gpo backup live://... exits 0" test $? -eq 0
folder=$(cat "$TMP/out")
check "... and writes a backup gpokit reads" gk gpo show "$folder"
want_version=$(ldap_attr "CN=$SOURCE_GUID,$POLICIES_DN" versionNumber)
check "... whose machine version is the directory's ($want_version)" /usr/bin/python3 -c '
import sys, xml.etree.ElementTree as ET
ns = "{http://www.microsoft.com/GroupPolicy/GPOOperations}"
core = ET.parse(sys.argv[1] + "/Backup.xml").getroot().find(ns + "GroupPolicyObject").find(ns + "GroupPolicyCoreSettings")
v = int(core.find(ns + "MachineVersionNumber").text)
assert v & 0xffff == int(sys.argv[2]) & 0xffff, (v, sys.argv[2])
assert "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}" in core.find(ns + "MachineExtensionGuids").text
assert core.find(ns + "SecurityDescriptor") is not None
' "$folder" "$want_version"
check "... with nothing the source could not give but the domain GUID" \
    bash -c '! grep -v "domain.s GUID" "$1" | grep -q "not in the backup"' _ "$TMP/err"

use_new_gpo "gpokit backup target"
check "live push --other-gpo of the backup into a second GPO" \
    gk live push "$folder" "$TARGET" --other-gpo --yes "${AUTH[@]}"
check "... which then holds the same registry settings (diff, settings only, exits 0)" \
    gk diff "$SOURCE" "$TARGET" --ignore-metadata "${AUTH[@]}"
# The whole domain: one backup per groupPolicyContainer, listed in one manifest.
count=$(LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
    -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$POLICIES_DN" -s one \
    '(objectClass=groupPolicyContainer)' cn | grep -c '^cn: ')
run_gk "$TMP/all.out" "$TMP/all.err" gpo backup "$LIVE" --all --output "$TMP/domain" --jobs 2 "${AUTH[@]}"
check "gpo backup --all exits 0" test $? -eq 0
check "... one backup per GPO ($count), each printed" test "$(wc -l <"$TMP/all.out")" = "$count"
check "... all in the manifest, found by gpo list" bash -c '"$1" gpo list "$2" | grep -q "^$3 backups"' _ \
    "$GPOKIT" "$TMP/domain" "$count"
gk gpo lint "$LIVE" "${AUTH[@]}" 2>&1 | grep -o '\[[a-z-]*\]$' | sort >"$TMP/lint.live"
gk gpo lint "$TMP/domain" --gpo "$SAMBA_DDP_GUID" 2>&1 | grep -o '\[[a-z-]*\]$' | sort >"$TMP/lint.backup"
check "... the Default Domain Policy's among them: lint finds what it finds in the live GPO, no more" \
    bash -c '[ -z "$(comm -13 "$1" "$2")" ]' _ "$TMP/lint.live" "$TMP/lint.backup"
finish
