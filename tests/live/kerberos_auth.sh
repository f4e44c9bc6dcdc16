#!/usr/bin/env bash
# Kerberos instead of a password: after kinit, gpokit binds to LDAP with SASL GSSAPI
# and to SMB with the same ticket; no --user, no password anywhere. Also the user
# side: a push there bumps the upper half of the version and gPCUserExtensionNames.
# Every check looks at what was read back (a ticket in the cache, an attribute's
# value, a file's bytes), so a client that fails or prints nothing fails the check.
source "$(dirname "$0")/lib.sh"

DDP_DIR="$SAMBA_DNS_DOMAIN/Policies/$SAMBA_DDP_GUID"

# ldap_entry DN OUT: the entry's attributes, read with ldapsearch, in OUT; fails unless
# ldapsearch succeeded and returned the entry
ldap_entry() {
    LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
        -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$1" -s base '*' >"$2" &&
        grep -qixF "dn: $1" "$2"
}

# snapshot_matches DIR GPO_FOLDER DN: a fetched snapshot holds GPT.INI byte-identical
# to smbclient's copy and the versionNumber ldapsearch reads
snapshot_matches() {
    local dir=$1 folder=$2 dn=$3 want got
    smb_get "$folder/GPT.INI" "$TMP/smb-gpt.ini" || { echo "smbclient could not fetch $folder/GPT.INI"; return 1; }
    cmp "$TMP/smb-gpt.ini" "$dir/$folder/GPT.INI" || return 1
    want=$(ldap_attr "$dn" versionNumber)
    [ -n "$want" ] || { echo "ldapsearch read no versionNumber of $dn"; return 1; }
    got=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["group_policy_container"]["attributes"]["versionNumber"])' \
        "$dir/gpokit-snapshot.json") || return 1
    [ "$got" = "$want" ] || { echo "snapshot versionNumber '$got', ldapsearch '$want'"; return 1; }
}

unset GPOKIT_PASSWORD
kdestroy >/dev/null 2>&1
check "kinit as the administrator" bash -c 'printf "%s\n" "$SAMBA_ADMIN_PASS" | kinit "$SAMBA_ADMIN_USER@$SAMBA_REALM"'
klist >"$TMP/klist" 2>&1
check "klist shows the administrator's ticket-granting ticket" bash -c \
    'grep -qiF "principal: $1@$2" "$3" && grep -qiF "krbtgt/$2@$2" "$3"' _ "$SAMBA_ADMIN_USER" "$SAMBA_REALM" "$TMP/klist"

run_gk "$TMP/show.json" "$TMP/err" gpo show "$LIVE" --format json
check "gpo show of the live DDP with the ticket names it" /usr/bin/python3 -c \
    'import json,sys; d=json.load(open(sys.argv[1])); assert d["kind"]=="live" and d["path"]==sys.argv[2] and d["display_name"]=="Default Domain Policy", d' \
    "$TMP/show.json" "$LIVE"
check "fetch with the ticket" gk live fetch "$LIVE" --output "$TMP/kerberos"
check "... holds GPT.INI as smbclient reads it and versionNumber as ldapsearch reads it" \
    snapshot_matches "$TMP/kerberos" "$DDP_DIR" "CN=$SAMBA_DDP_GUID,$POLICIES_DN"
check "fetch with a password" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/password" --password-file <(printf '%s\n' "$SAMBA_ADMIN_PASS")
check "both snapshots are identical" diff -r "$TMP/kerberos" "$TMP/password"
check "... and hold the snapshot metadata and GPT.INI" \
    test -s "$TMP/password/gpokit-snapshot.json" -a -s "$TMP/password/$DDP_DIR/GPT.INI"

use_new_gpo "gpokit kerberos user side"
check "fetch it" gk live fetch "$TARGET" --output "$TMP/stage"
check "... holds its GPT.INI and versionNumber as the DC serves them" snapshot_matches "$TMP/stage" "$GPO_DIR" "$DN"
check "stage a user-side value" gk gpo set "$TMP/stage" --side user 'Software\Policies\gpokit' Test --type sz --data kerberos
run_gk "$TMP/diff.json" "$TMP/err" diff "$TARGET" "$TMP/stage" --ignore-metadata --format json
check "diff live -> staged with the ticket exits 1" test $? -eq 1
check "... and lists exactly the staged value, added" /usr/bin/python3 - "$TMP/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = [(c["side"], c["key"], c["value"], c["change"], c["before"], c["after"]) for c in d["changes"]]
want = [("user", "Software\\Policies\\gpokit", "Test", "added", None, {"type": "REG_SZ", "data": "kerberos"})]
assert got == want, got
assert d["files"] == [] and d["records"] == [], d
PY
check "push with the ticket" gk live push "$TMP/stage" "$TARGET" --yes
check "versionNumber is 65536 (user half +1)" test "$(ldap_attr "$DN" versionNumber)" = 65536
check "smbclient fetches GPT.INI" smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI Version is 65536" grep -q '^Version=65536' "$TMP/gpt.ini"
check "gPCUserExtensionNames names Registry with the user Administrative Templates tool" \
    test "$(ldap_attr "$DN" gPCUserExtensionNames)" = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]"
check "ldapsearch reads the GPO's container" ldap_entry "$DN" "$TMP/entry.ldif"
check "... where gPCMachineExtensionNames is untouched (absent) beside gPCUserExtensionNames" bash -c \
    'grep -q "^gPCUserExtensionNames: \[" "$1" && grep -q "^versionNumber: 65536$" "$1" && ! grep -qi "^gPCMachineExtensionNames:" "$1"' \
    _ "$TMP/entry.ldif"
check "smbclient fetches User/Registry.pol" smb_get "$GPO_DIR/User/Registry.pol" "$TMP/user.pol"
check "User/Registry.pol holds the value" pol_has "$TMP/user.pol" 'Software\Policies\gpokit|Test|1|kerberos'
run_gk "$TMP/diff.json" "$TMP/err" diff "$TARGET" "$TMP/stage" --ignore-metadata --format json
check "diff with the ticket now exits 0" test $? -eq 0
check "... and its JSON lists no change" /usr/bin/python3 -c \
    'import json,sys; d=json.load(open(sys.argv[1])); assert d["changes"]==[] and d["files"]==[] and d["records"]==[] and d["b"]["path"], d' \
    "$TMP/diff.json"

# A bare registry.pol is a source too: the folder it sits in (Machine/) names its side.
mkdir -p "$TMP/bare/Machine"
check "build a machine registry.pol by hand" \
    gk pol set "$TMP/bare/Machine/registry.pol" 'Software\Policies\gpokit' Bare --type dword --data 7
check "push the bare file with the ticket" gk live push "$TMP/bare/Machine/registry.pol" "$TARGET" --yes
check "versionNumber is 65537 (machine half +1, user half kept)" test "$(ldap_attr "$DN" versionNumber)" = 65537
check "smbclient fetches Machine/Registry.pol" smb_get "$GPO_DIR/Machine/Registry.pol" "$TMP/machine.pol"
check "Machine/Registry.pol on SYSVOL is byte-identical to the file pushed" cmp -s "$TMP/machine.pol" "$TMP/bare/Machine/registry.pol"
check "... which holds the value" pol_has "$TMP/machine.pol" 'Software\Policies\gpokit|Bare|4|7'
check "smbclient fetches User/Registry.pol again" smb_get "$GPO_DIR/User/Registry.pol" "$TMP/user2.pol"
check "User/Registry.pol is untouched" cmp -s "$TMP/user.pol" "$TMP/user2.pol"
kdestroy >/dev/null 2>&1

finish
