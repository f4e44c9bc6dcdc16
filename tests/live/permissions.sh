#!/usr/bin/env bash
# A GPO's permissions are part of what diff compares: a snapshot records the
# container's security descriptor (equal to what ldapsearch reads with the SD flags
# control), and an access entry added on the DC with Samba's own tool (samba-tool dsacl)
# makes `diff snapshot live://` exit 1 naming the trustee and the rights.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit permissions test"
check "fetch the new GPO" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/snap"
sd_hex() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["group_policy_container"]["attributes"]["nTSecurityDescriptor"])' "$1"; }
want=$(LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
    -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$DN" -s base \
    -E '1.2.840.113556.1.4.801=::MAMCAQc=' nTSecurityDescriptor |
    sed -n 's/^nTSecurityDescriptor:: //p' | base64 -d | od -An -v -tx1 | tr -d ' \n')
check "ldapsearch read the descriptor" test -n "$want"
check "the snapshot's nTSecurityDescriptor equals ldapsearch's (owner, group, DACL)" test "$(sd_hex "$TMP/snap/gpokit-snapshot.json")" = "$want"
check "the snapshot diffs clean against the live GPO" gk diff "$TMP/snap" "$TARGET" "${AUTH[@]}"

# Read for the local Users group, added by Samba's own tool.
check "samba-tool dsacl adds an access entry" samba-tool dsacl set --objectdn="$DN" --sddl='(A;;RPLCLORC;;;BU)' \
    -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS"
run_gk "$TMP/diff" "$TMP/err" diff "$TMP/snap" "$TARGET" "${AUTH[@]}"
check "diff snapshot -> live exits 1" test $? -eq 1
check "... naming the new entry's trustee and rights" \
    grep -q 'permission Allow Users (S-1-5-32-545), this object: (none) -> Read' "$TMP/diff"
run_gk "$TMP/diff.json" "$TMP/err" diff "$TMP/snap" "$TARGET" "${AUTH[@]}" --format json
check "... in JSON too, as metadata" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(m["field"].startswith("permission Allow Users") and m["after"] == "Read" for m in d["metadata"]), d["metadata"]' "$TMP/diff.json"
check "--ignore-metadata leaves permissions out (exit 0)" gk diff "$TMP/snap" "$TARGET" "${AUTH[@]}" --ignore-metadata
finish
