#!/usr/bin/env bash
# `trust verify` against a real trusted-domain object: one made on the DC by Samba's own
# LSA client (python3-samba's CreateTrustedDomainRelax, independent of gpokit) as the
# vendor's procedure makes it (type 3, incoming, non-transitive, AES). The vendor's plan
# verifies (exit 0); a plan for the other direction exits 1 with the reason; the same
# object printed by ldapsearch in Get-ADObject's list form verifies offline too.
source "$(dirname "$0")/lib.sh"

REALM=ZSCALERBETA.NET
DOMAIN=${SAMBA_REALM^^}
make_tdo() {
    /usr/bin/python3 - "$SAMBA_DC_HOST" "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" "$REALM" <<'PY'
import sys, time
import samba
from samba import param
from samba.credentials import Credentials
from samba.dcerpc import lsa, drsblobs, security
from samba.trust_utils import CreateTrustedDomainRelax
host, userpass, realm = sys.argv[1:4]
lp = param.LoadParm(); lp.load_default()
creds = Credentials(); creds.guess(lp)
u, p = userpass.split('%', 1); creds.set_username(u); creds.set_password(p)
def blob(secret):
    pw = secret.encode('utf-16-le')
    clear = drsblobs.AuthInfoClear(); clear.size = len(pw); clear.password = list(pw)
    info = drsblobs.AuthenticationInformation()
    info.LastUpdateTime = samba.unix2nttime(int(time.time()))
    info.AuthType = lsa.TRUST_AUTH_TYPE_CLEAR; info.AuthInfo = clear
    arr = drsblobs.AuthenticationInformationArray(); arr.count = 1; arr.array = [info]
    b = drsblobs.trustAuthInOutBlob(); b.count = 1; b.current = arr
    return b
conn = lsa.lsarpc('ncacn_np:%s' % host, lp, creds)
pol = conn.OpenPolicy2('', lsa.ObjectAttribute(), security.SEC_FLAG_MAXIMUM_ALLOWED)
info = lsa.TrustDomainInfoInfoEx()
info.domain_name = lsa.StringLarge(); info.domain_name.string = realm
info.netbios_name = lsa.StringLarge(); info.netbios_name.string = realm
info.sid = security.dom_sid('S-1-5-21-1-2-3')  # Samba 4.17 insists on a SID
info.trust_direction = lsa.LSA_TRUST_DIRECTION_INBOUND
info.trust_type = 3
info.trust_attributes = 1
h = CreateTrustedDomainRelax(conn, pol, info, lsa.LSA_TRUSTED_DOMAIN_ALL_ACCESS, blob('Secret123!'), blob('Secret123!'))
enc = lsa.TrustDomainInfoSupportedEncTypes(); enc.enc_types = 24
conn.SetInformationTrustedDomain(h, lsa.LSA_TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES, enc)
PY
}
delete_tdo() {
    LDAPTLS_CACERT=$SAMBA_CA_FILE ldapdelete -x -H "ldaps://$SAMBA_DC_HOST" -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" \
        -w "$SAMBA_ADMIN_PASS" "CN=$REALM,CN=System,$BASE_DN" >/dev/null 2>&1
    LDAPTLS_CACERT=$SAMBA_CA_FILE ldapdelete -x -H "ldaps://$SAMBA_DC_HOST" -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" \
        -w "$SAMBA_ADMIN_PASS" "CN=$REALM\$,CN=Users,$BASE_DN" >/dev/null 2>&1
    true
}
delete_tdo
check "Samba's LSA client creates the vendor's trust" make_tdo
trap 'delete_tdo; rm -rf "$TMP"' EXIT

gk trust plan --domain "$DOMAIN" --realm "$REALM" --direction incoming --kdc kerberos.zscalerbeta.net \
    --format json --output "$TMP/plan.json"
gk trust plan --domain "$DOMAIN" --realm "$REALM" --direction outgoing --format json --output "$TMP/outgoing.json"
run_gk "$TMP/out" "$TMP/err" trust verify "$LIVE" --plan "$TMP/plan.json" "${AUTH[@]}"
check "trust verify live:// with the vendor's plan exits 0" test $? -eq 0
check "... and says so" grep -q 'as planned' "$TMP/out"
run_gk "$TMP/out2" "$TMP/err2" trust verify "$LIVE" --plan "$TMP/outgoing.json" "${AUTH[@]}" --format json
check "a plan for the other direction exits 1" test $? -eq 1
check "... with the reason for trustDirection" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["subject"]: x for x in d["checks"][0]["differences"]}
assert f["trustDirection"]["found"] == "1", f
assert "realm users cannot reach AD" in f["trustDirection"]["reason"], f' "$TMP/out2"

# The list form Get-ADObject prints, made from what ldapsearch (not gpokit) reads.
LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
    -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "CN=System,$BASE_DN" -s one \
    "(trustPartner=$REALM)" objectClass flatName trustPartner trustType trustDirection trustAttributes \
    msDS-SupportedEncryptionTypes | sed -n 's/^\([A-Za-z-]*\): \(.*\)$/\1 : \2/p' | grep -v '^objectClass : top$' >"$TMP/tdo.txt"
check "ldapsearch reads enctypes 24 from the DC" grep -q '^msDS-SupportedEncryptionTypes : 24$' "$TMP/tdo.txt"
check "trust verify of that output, offline, exits 0" gk trust verify "$TMP/tdo.txt" --plan "$TMP/plan.json"
finish
