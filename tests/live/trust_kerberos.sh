#!/usr/bin/env bash
# The cross-realm ticket, end to end: an AD user of the test DC gets a ticket for a
# service in ZSCALERBETA.NET, served by a real MIT KDC on 127.0.0.2, through a trust
# gpokit created and with the client configuration gpokit rendered from a GPO.
#   - Samba's KDC ignores MIT (type 3) trusts, so the trust here is a type-2 stand-in
#     made by the same code (`trust create --trust-type 2`);
#   - MIT's tools cannot load keys from a keytab into the KDC's database, so the realm
#     administrator's side is done as the runbook says (kadmin addprinc with the trust
#     password), and gpokit's keytab (`trust keys`) is checked equal to the keys MIT's
#     database then holds (exported with kadmin ktadd -norandkey);
#   - the client's krb5.conf is `kerberos krb5conf` of a GPO holding the vendor-style
#     realm settings (KDC and .zscalerbeta.net mapping).
# Negative control: with the realm's key made from another password, kvno fails.
source "$(dirname "$0")/lib.sh"

if ! command -v krb5kdc >/dev/null || ! command -v kdb5_util >/dev/null; then
    echo "SKIP: the MIT KDC (krb5-kdc, krb5-admin-server) is not installed"
    exit 77
fi
REALM=ZSCALERBETA.NET
DOMAIN=${SAMBA_REALM^^}
MITIP=127.0.0.2
PW='Secret123!'
export GPOKIT_TRUST_PASSWORD=$PW
M=$TMP/mit
mkdir -p "$M"
cat >"$M/kdc.conf" <<EOT
[kdcdefaults]
    kdc_listen = $MITIP:88
    kdc_tcp_listen = $MITIP:88
[realms]
    $REALM = {
        database_name = $M/principal
        key_stash_file = $M/stash
        acl_file = $M/kadm5.acl
        supported_enctypes = aes256-cts:normal aes128-cts:normal
    }
[logging]
    kdc = FILE:$M/kdc.log
EOT
cat >"$M/krb5.conf" <<EOT
[libdefaults]
    default_realm = $REALM
[realms]
    $REALM = {
        kdc = $MITIP:88
    }
EOT
: >"$M/kadm5.acl"
mit() { KRB5_CONFIG=$M/krb5.conf KRB5_KDC_PROFILE=$M/kdc.conf "$@"; }
check "an MIT KDC database for $REALM" mit kdb5_util create -r "$REALM" -s -P MasterPassw0rd.1
check "... with a service, HTTP/gw.zscalerbeta.net" mit kadmin.local -r "$REALM" -q "addprinc -randkey HTTP/gw.zscalerbeta.net@$REALM"
mit krb5kdc -n -r "$REALM" -P "$M/krb5kdc.pid" >"$M/krb5kdc.out" 2>&1 &
kdc_pid=$!
trap 'kill $kdc_pid 2>/dev/null; gk trust delete "$LIVE" --realm "$REALM" "${AUTH[@]}" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do bash -c "exec 3<>/dev/tcp/$MITIP/88" 2>/dev/null && break; sleep 0.1; done

# The plan, the keys, and the realm administrator's step from the runbook.
gk trust plan --domain "$DOMAIN" --realm "$REALM" --direction incoming --kdc "$MITIP" --map .zscalerbeta.net \
    --format json --output "$TMP/plan.json"
check "trust keys writes the realm side's keytab" gk trust keys --plan "$TMP/plan.json" --keytab "$TMP/gpokit.keytab"
principal=$(sed -n 's/.*"principal": "\(krbtgt[^"]*\)".*/\1/p' "$TMP/plan.json" | head -1)
check "the runbook's principal is krbtgt/$REALM@$DOMAIN" test "$principal" = "krbtgt/$REALM@$DOMAIN"
check "kadmin adds it with the trust password" mit kadmin.local -r "$REALM" \
    -q "addprinc -e \"aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\" -pw $PW $principal"
check "kadmin exports the database's keys" mit kadmin.local -r "$REALM" -q "ktadd -norandkey -k $TMP/mit.keytab $principal"
keys() { klist -kKe "$1" | sed -n 's/^ *[0-9]* \(krbtgt.*\)$/\1/p' | sort; }
gpokit_keys=$(keys "$TMP/gpokit.keytab")
mit_keys=$(keys "$TMP/mit.keytab")
check "gpokit's keytab holds exactly the keys in the MIT database (AES256 and AES128)" \
    bash -c '[ "$(printf "%s\n" "$1" | grep -c aes)" = 2 ] && [ "$1" = "$2" ]' _ "$gpokit_keys" "$mit_keys"

# The AD side: the trust, as a type-2 stand-in, made by gpokit.
check "trust create --trust-type 2 on the DC" \
    gk trust create "$LIVE" --plan "$TMP/plan.json" --sid S-1-5-21-1-2-3 --trust-type 2 --replace "${AUTH[@]}"

# The client: krb5.conf from a GPO holding the vendor-style realm settings.
mkdir -p "$TMP/gpo/Machine"
check "a GPO with the realm settings (kerberos add-realm)" \
    gk kerberos add-realm "$TMP/gpo/Machine/registry.pol" --realm "$REALM" --kdc "$MITIP" --map .zscalerbeta.net
gk kerberos krb5conf "$TMP/gpo/Machine/registry.pol" --default-realm "$DOMAIN" >"$TMP/realms.conf"
check "kerberos krb5conf renders the realm and its mapping" \
    grep -q "^    .zscalerbeta.net = $REALM\$" "$TMP/realms.conf"
client_conf="$TMP/realms.conf:${KRB5_CONFIG:-/etc/krb5.conf}"
# The two sides must agree on the key's version too: ask the DC which one its referral
# uses (kvno prints it) and give the realm's principal the same.
trust_kvno=$(KRB5_CONFIG=$client_conf KRB5CCNAME=FILE:$TMP/ccache bash -c \
    'echo "$1" | kinit "$2@$3" >/dev/null && kvno "krbtgt/$4@$3"' _ \
    "$SAMBA_ADMIN_PASS" "$SAMBA_ADMIN_USER" "$DOMAIN" "$REALM" | sed -n 's/.*kvno = \([0-9]*\).*/\1/p')
check "the DC issues referrals to the realm (key version ${trust_kvno:-none})" test -n "$trust_kvno"
check "kadmin gives the realm's principal that key version" mit kadmin.local -r "$REALM" \
    -q "modprinc -kvno ${trust_kvno:-1} $principal"
rm -f "$TMP/ccache"
kvno_as_admin() {
    KRB5_CONFIG=$client_conf KRB5CCNAME=FILE:$TMP/ccache bash -c \
        'echo "$1" | kinit "$2@$3" >/dev/null && kvno "HTTP/gw.zscalerbeta.net@$4"' _ \
        "$SAMBA_ADMIN_PASS" "$SAMBA_ADMIN_USER" "$DOMAIN" "$REALM"
}
check "an AD user gets a ticket for the realm's service (kinit, then kvno)" kvno_as_admin
check "... through the referral from the DC" bash -c \
    'KRB5CCNAME=FILE:$1/ccache klist | grep -q "krbtgt/$2@$3"' _ "$TMP" "$REALM" "$DOMAIN"

# Negative control: the realm's key from another password.
check "kadmin changes the realm's key to another password's" mit kadmin.local -r "$REALM" \
    -q "cpw -e \"aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\" -pw Wrong123! $principal"
rm -f "$TMP/ccache"
if kvno_as_admin >"$TMP/refused" 2>&1; then
    not_ok "... and the ticket is refused"
else
    check "... and the ticket is refused (kvno fails on the realm's side)" grep -qi 'kvno: ' "$TMP/refused"
fi
check "the trust password is in no output" bash -c '! grep -rqF -- "$1" "$2" --exclude=principal* --exclude=stash' _ "$PW" "$TMP"
finish
