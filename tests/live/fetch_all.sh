#!/usr/bin/env bash
# `live fetch --all`: every groupPolicyContainer the directory holds (counted with
# ldapsearch) lands as OUTPUT/{GUID}, each equal file for file to a single `live fetch`
# of that GPO; a GPO whose SYSVOL folder is gone on the DC fails alone, named with its
# reason, while every other lands, and the exit status is 2.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit fetch-all one"
LINKED_GUID=$GUID
LINKED_DN=$DN
use_new_gpo "gpokit fetch-all two"
BROKEN_GUID=$GUID
count=$(LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
    -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$POLICIES_DN" -s one \
    '(objectClass=groupPolicyContainer)' cn | grep -c '^cn: ')
check "ldapsearch counts the domain's GPOs ($count)" test "$count" -ge 4

# Where GPOs apply, set with Samba's own tools: "one" linked to the domain (enforced) and to
# an OU (link disabled), and given a WMI filter (an msWMI-Som object, added with ldapadd).
sam() { samba-tool "$@" -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" >/dev/null 2>&1; }
OU="OU=gpokit-fetch-all,$BASE_DN"
check "samba-tool links it to the domain, enforced" sam gpo setlink "$BASE_DN" "$LINKED_GUID" --enforce
check "samba-tool makes an OU" sam ou add "$OU"
check "... and links it there, disabled" sam gpo setlink "$OU" "$LINKED_GUID" --disable
FILTER='{0A1B2C3D-1111-4222-8333-444455556666}'
ldap() { LDAPTLS_CACERT=$SAMBA_CA_FILE "$@" -x -H "ldaps://$SAMBA_DC_HOST" -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS"; }
check "ldapadd makes a WMI filter" ldap ldapadd <<EOT
dn: CN=$FILTER,CN=SOM,CN=WMIPolicy,CN=System,$BASE_DN
objectClass: msWMI-Som
msWMI-ID: $FILTER
msWMI-Name: Windows 10 only
msWMI-Parm2: 1;3;10;59;WQL;root\CIMv2;SELECT * FROM Win32_OperatingSystem WHERE Version LIKE "10.%";
EOT
check "ldapmodify points the GPO at it" ldap ldapmodify <<EOT
dn: $LINKED_DN
changetype: modify
replace: gPCWQLFilter
gPCWQLFilter: [$SAMBA_DNS_DOMAIN;$FILTER;0]
EOT

run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" --all --output "$TMP/all" --jobs 3 "${AUTH[@]}"
check "live fetch --all exits 0, quietly" bash -c '[ "$1" = 0 ] && [ ! -s "$2" ] && [ ! -s "$3" ]' _ $? "$TMP/out" "$TMP/err"
check "... with one snapshot per GPO" test "$(find "$TMP/all" -mindepth 1 -maxdepth 1 -type d | wc -l)" = "$count"
check "... and gpokit-estate.json holding the links and the WMI filter" /usr/bin/python3 -c '
import json, sys
estate = json.load(open(sys.argv[1] + "/gpokit-estate.json"))
gpos = {g["guid"].upper(): g for g in estate["gpos"]}
assert len(gpos) == int(sys.argv[5]), len(gpos)
links = {l["container"].lower(): l for l in gpos[sys.argv[2].upper()]["links"]}
dom = links[sys.argv[3].lower()]; ou = links[sys.argv[4].lower()]
assert dom["enabled"] and dom["enforced"], dom
assert not ou["enabled"] and not ou["enforced"], ou
w = gpos[sys.argv[2].upper()]["wmi_filter"]
assert w["name"] == "Windows 10 only" and "Win32_OperatingSystem" in w["query"], w
ddp = [g for g in estate["gpos"] if g["display_name"] == "Default Domain Policy"][0]
assert any(l["container"].lower() == sys.argv[3].lower() for l in ddp["links"]), ddp
' "$TMP/all" "$LINKED_GUID" "$BASE_DN" "$OU" "$count"
check_schemas "gpokit-estate.json and every snapshot's metadata validate against their schemas" \
    "$TMP/all/gpokit-estate.json" "$TMP"/all/*/gpokit-snapshot.json
check "... the Default Domain Policy's equal to a single fetch of it" bash -c '
    "$1" live fetch "$2" --output "$3/one" "${@:5}" && diff -r "$3/one" "$3/all/$4"' _ \
    "$GPOKIT" "$LIVE" "$TMP" "$SAMBA_DDP_GUID" "${AUTH[@]}"

# One GPO's folder removed behind the directory's back.
rm -rf "$SAMBA_SYSVOL_DIR/$SAMBA_DNS_DOMAIN/Policies/$BROKEN_GUID"
run_gk "$TMP/out2" "$TMP/err2" live fetch "$LIVE" --all --output "$TMP/all2" "${AUTH[@]}"
check "with one GPO's folder gone: exit 2" test $? -eq 2
check "... naming that GPO and why" bash -c 'grep -q "$1 (gpokit fetch-all two)" "$2"' _ "$BROKEN_GUID" "$TMP/err2"
check "... and every other GPO fetched" test "$(find "$TMP/all2" -mindepth 1 -maxdepth 1 -type d | wc -l)" = "$((count - 1))"
check "... the broken one not half there" test ! -e "$TMP/all2/$BROKEN_GUID"
sam gpo dellink "$BASE_DN" "$LINKED_GUID"
sam ou delete "$OU" --force-subtree-delete
mkdir -p "$SAMBA_SYSVOL_DIR/$SAMBA_DNS_DOMAIN/Policies/$BROKEN_GUID"
samba-tool gpo del "$BROKEN_GUID" -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" >/dev/null 2>&1
finish
