#!/usr/bin/env bash
# `trust create` and `trust delete` against a real Samba AD DC: the vendor's plan made
# through LSA (type 3, incoming, non-transitive, AES; Samba needs a synthetic SID), then
# checked by readers that are not gpokit: samba-tool's view of the trust, the trustAuth
# blobs in the DC's own sam.ldb (decoded with Samba's NDR parser) holding the password,
# and `trust verify`. A second create is refused; delete removes it. The password is
# in no argument list and no output.
source "$(dirname "$0")/lib.sh"

REALM=ZSCALERBETA.NET
DOMAIN=${SAMBA_REALM^^}
PW='Secret123!'
export GPOKIT_TRUST_PASSWORD=$PW
SAM_LDB="$(dirname "$SAMBA_CA_FILE")/../sam.ldb"
gk trust plan --domain "$DOMAIN" --realm "$REALM" --direction incoming --kdc kerberos.zscalerbeta.net \
    --format json --output "$TMP/plan.json"
gk trust delete "$LIVE" --realm "$REALM" "${AUTH[@]}" >/dev/null 2>&1

run_gk "$TMP/dry" "$TMP/dry.err" trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3 --dry-run
check "create --dry-run says what it would make" grep -q 'would create on .*trustDirection 1, trustAttributes 1, msDS-SupportedEncryptionTypes 24' "$TMP/dry"
run_gk "$TMP/create" "$TMP/create.err" trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3 "${AUTH[@]}"
check "trust create exits 0, quietly" bash -c '[ "$1" = 0 ] && [ ! -s "$2" ]' _ $? "$TMP/create"
trap 'gk trust delete "$LIVE" --realm "$REALM" "${AUTH[@]}" >/dev/null 2>&1; rm -rf "$TMP"' EXIT

samba-tool domain trust show "$REALM" --local-dc-ipaddress="$SAMBA_DC_IP" --local-dc-username="$SAMBA_ADMIN_USER" \
    --local-dc-password="$SAMBA_ADMIN_PASS" >"$TMP/show" 2>&1
check "samba-tool shows an MIT trust" grep -q 'Type: *0x3 (MIT)' "$TMP/show"
check "... inbound" grep -qi 'Direction: *0x1 (INBOUND)' "$TMP/show"
check "... with AES enctypes (0x18)" grep -q 'kerb_EncTypes: *0x18' "$TMP/show"
check "the DC's sam.ldb holds the password in trustAuthIncoming" /usr/bin/python3 - "$SAM_LDB" "$REALM" "$PW" "$(dirname "$SAMBA_CLIENT_CONF")/smb.conf" <<'PY'
import sys
from samba import param
from samba.auth import system_session
from samba.samdb import SamDB
from samba.ndr import ndr_unpack
from samba.dcerpc import drsblobs
lp = param.LoadParm(); lp.load(sys.argv[4])
db = SamDB(url=sys.argv[1], session_info=system_session(), lp=lp)
res = db.search(base=db.get_default_basedn(), expression='(trustPartner=%s)' % sys.argv[2],
                attrs=['trustAuthIncoming', 'trustAuthOutgoing'])
assert len(res) == 1, res
blob = ndr_unpack(drsblobs.trustAuthInOutBlob, res[0]['trustAuthIncoming'][0])
entry = blob.current.array[0]
assert entry.AuthType == 2, entry.AuthType
assert bytes(entry.AuthInfo.password).decode('utf-16-le') == sys.argv[3]
if 'trustAuthOutgoing' in res[0]:  # an incoming trust has no outgoing password
    assert ndr_unpack(drsblobs.trustAuthInOutBlob, res[0]['trustAuthOutgoing'][0]).count == 0
PY
check "trust verify of the created trust exits 0" gk trust verify "$LIVE" --plan "$TMP/plan.json" "${AUTH[@]}"
run_gk "$TMP/again" "$TMP/again.err" trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3 "${AUTH[@]}"
check "a second create is refused (exit 2), the trust left alone" \
    bash -c '[ "$1" = 2 ] && grep -q "exists and was left alone" "$2"' _ $? "$TMP/again.err"
gk trust plan --domain "$DOMAIN" --realm OTHER.EXAMPLE.ORG --direction outgoing --format json --output "$TMP/other.json"
run_gk "$TMP/nosid" "$TMP/nosid.err" trust create "$LIVE" --plan "$TMP/other.json" "${AUTH[@]}"
check "without a SID Samba refuses, and the error says to give --sid" \
    bash -c '[ "$1" = 2 ] && grep -q "INVALID_SID" "$2" && grep -q -- "--sid" "$2"' _ $? "$TMP/nosid.err"
check "--replace makes the trust again" \
    gk trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3 --replace "${AUTH[@]}"
check "trust delete removes it" gk trust delete "$LIVE" --realm "$REALM" "${AUTH[@]}"
run_gk "$TMP/gone" "$TMP/gone.err" trust verify "$LIVE" --plan "$TMP/plan.json" "${AUTH[@]}"
check "... and verify then finds no trust (exit 1)" bash -c '[ "$1" = 1 ] && grep -q "has not been created" "$2"' _ $? "$TMP/gone"
run_gk "$TMP/del2" "$TMP/del2.err" trust delete "$LIVE" --realm "$REALM" "${AUTH[@]}"
check "deleting it again: exit 2, no such trust" bash -c '[ "$1" = 2 ] && grep -q "no trust named" "$2"' _ $? "$TMP/del2.err"
# With a Kerberos ticket instead of --user: create, then delete.
check "kinit as the administrator" bash -c 'printf "%s\n" "$SAMBA_ADMIN_PASS" | kinit "$SAMBA_ADMIN_USER@$SAMBA_REALM" >/dev/null'
check "trust create with the ticket (no --user)" gk trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3
check "... verified over LDAP with the ticket" gk trust verify "$LIVE" --plan "$TMP/plan.json"
check "trust delete with the ticket" gk trust delete "$LIVE" --realm "$REALM"
kdestroy >/dev/null 2>&1
check "the trust password is in no output" bash -c '! grep -rqF -- "$1" "$2"' _ "$PW" "$TMP"
finish
