#!/usr/bin/env bash
# The air-gapped loop against a real DC: fetch the base, stage the vendor's realm and a
# Kerberos policy change, create a signed bundle, verify it (gpokit and openssl), apply
# it; the live GPO then diffs clean against the bundle and the receipt says what
# happened. A second apply changes nothing. A change made on the DC after the base
# (through Samba's own bindings) makes apply refuse with nothing written.
# Works on GPOs of its own, created with samba-tool.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit stage apply"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 30 \
    -subj "/CN=gpokit staging" 2>/dev/null

check "fetch the base" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/base"
cp -r "$TMP/base" "$TMP/stage"
check "stage the vendor's realm" gk kerberos add-realm "$TMP/stage" --realm ZSCALERBETA.NET \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net
check "stage MaxTicketAge = 8" gk gpo set-security "$TMP/stage" --section "Kerberos Policy" --key MaxTicketAge --value 8
check "stage create, signed" gk stage create "$TMP/stage" --base "$TMP/base" -o "$TMP/bundle" \
    --sign-key "$TMP/key.pem" --sign-cert "$TMP/cert.pem" --archive "$TMP/bundle.tar"
check "stage verify --cert the archive" gk stage verify "$TMP/bundle.tar" --cert "$TMP/cert.pem"
check "openssl cms -verify accepts the signature" openssl cms -verify -binary -inform DER \
    -in "$TMP/bundle/SHA256SUMS.p7s" -content "$TMP/bundle/SHA256SUMS" -CAfile "$TMP/cert.pem" -purpose any -out /dev/null

run_gk "$TMP/out" "$TMP/err" stage apply "$TMP/bundle.tar" "$LIVE" "${AUTH[@]}" --cert "$TMP/cert.pem" --dry-run
check "apply --dry-run: exit 1, nothing written" bash -c '[ "$1" = 1 ] && [ "$2" = 0 ]' _ $? "$(ldap_attr "$DN" versionNumber)"
check "... showing the realm and the Kerberos policy" \
    bash -c 'grep -q ZSCALERBETA.NET "$1" && grep -q "Maximum lifetime for user ticket" "$1"' _ "$TMP/out"

run_gk "$TMP/out" "$TMP/err" stage apply "$TMP/bundle.tar" "$LIVE" "${AUTH[@]}" --cert "$TMP/cert.pem" --yes \
    --receipt "$TMP/receipt.json" --sign-key "$TMP/key.pem" --sign-cert "$TMP/cert.pem"
rc=$?
check "apply --yes: exit 0 (got $rc: $(tail -2 "$TMP/err"))" test $rc -eq 0
check "versionNumber went from 0 to 1" test "$(ldap_attr "$DN" versionNumber)" = 1
check "Samba's parser reads the realm from the live Registry.pol" \
    bash -c 'source "$1"; smb_get "$2/Machine/Registry.pol" "$3" && pol_entries "$3" | grep -q "MitRealms|ZSCALERBETA.NET"' \
    _ "$(dirname "$0")/lib.sh" "$GPO_DIR" "$TMP/live.pol"
backup=$(ls -d "$TMP/bundle/backups/{"*)
check "the live GPO diffs clean against the bundle's backup" gk diff "$TARGET" "$backup" "${AUTH[@]}" --ignore-metadata
check "the receipt names the bundle and the versions before and after" /usr/bin/python3 - "$TMP/receipt.json" \
    "$(sha256sum <"$TMP/bundle/SHA256SUMS" | cut -d' ' -f1)" "$GUID" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["bundle_id"] == sys.argv[2], r
[g] = r["gpos"]
assert g["guid"].upper() == sys.argv[3].upper() and g["applied"] is True, g
assert (g["version_before"], g["version_after"]) == (0, 1), g
PY
if /usr/bin/python3 -c 'from jsonschema import Draft202012Validator' 2>/dev/null; then
    check "... and validates against docs/schema" /usr/bin/python3 "$(dirname "$0")/../cli/json_schemas.py" \
        "$(dirname "$0")/../../docs/schema" --require gpokit-stage-receipt/1 "$TMP/receipt.json"
fi
check "... and is signed" openssl cms -verify -binary -inform DER -in "$TMP/receipt.json.p7s" \
    -content "$TMP/receipt.json" -CAfile "$TMP/cert.pem" -purpose any -out /dev/null

run_gk "$TMP/out" "$TMP/err" stage apply "$TMP/bundle.tar" "$LIVE" "${AUTH[@]}" --yes --receipt "$TMP/receipt2.json"
check "a second apply: exit 0, saying it was already applied" \
    bash -c '[ "$1" = 0 ] && grep -q "already applied" "$2"' _ $? "$TMP/out"
check "... and writing nothing (versionNumber still 1)" test "$(ldap_attr "$DN" versionNumber)" = 1

# A base fetched with --all records links: bundle.json carries them for the script.
check "link the GPO to the domain (samba-tool)" samba-tool gpo setlink "$BASE_DN" "$GUID" -H "ldap://$SAMBA_DC_HOST" \
    -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS"
check "fetch the whole domain as a base" gk live fetch "$LIVE" --all "${AUTH[@]}" --output "$TMP/all"
check "stage create against it" gk stage create "$(find "$TMP/all" -maxdepth 1 -iname "$GUID")" --base "$TMP/all" \
    -o "$TMP/bundle3"
check "bundle.json records the GPO's link to the domain" /usr/bin/python3 - "$TMP/bundle3/bundle.json" "$BASE_DN" <<'PY'
import json, sys
[g] = json.load(open(sys.argv[1]))["gpos"]
# the DN as the directory spells it (case aside)
assert [dict(l, container=l["container"].lower()) for l in g["links"]] == \
    [{"container": sys.argv[2].lower(), "enabled": True, "enforced": False}], g
PY
check "... and Import-Bundle.ps1 offers it behind -Links" grep -qiF "Links = @(@{ Target = '$BASE_DN'; Enabled = \$true; Enforced = \$false })" \
    "$TMP/bundle3/Import-Bundle.ps1"

# A second GPO: the base is fetched, then someone changes the GPO on the DC.
use_new_gpo "gpokit stage apply moved"
check "fetch the base of the second GPO" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/base2"
cp -r "$TMP/base2" "$TMP/stage2"
check "stage the realm" gk kerberos add-realm "$TMP/stage2" --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net
check "stage create" gk stage create "$TMP/stage2" --base "$TMP/base2" -o "$TMP/bundle2"
check "meanwhile another editor changes the GPO on the DC" oracle_set "$GUID" 'Software\Policies\Other' Editor "was here"
run_gk "$TMP/out" "$TMP/err" stage apply "$TMP/bundle2" "$LIVE" "${AUTH[@]}" --yes
check "apply refuses: exit 1" test $? -eq 1
check "... saying the GPO is at version 1, not the base 0" grep -q "is at version 1, the bundle was prepared against version 0" "$TMP/out"
check "... showing what differs (the other editor's value)" grep -q 'Software\\Policies\\Other' "$TMP/out"
check "... writing nothing (versionNumber still 1)" test "$(ldap_attr "$DN" versionNumber)" = 1
finish
