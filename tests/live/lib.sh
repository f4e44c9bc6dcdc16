# Shared by the live tests. They run inside the namespace of a Samba AD DC that
# scripts/samba-dc started (SAMBA_* variables), with GPOKIT naming the binary under
# test. Checks use independent clients: smbclient, ldapsearch, and Samba's own
# registry.pol parser (python3-samba).
set -u

passed=0
failed=0
ok() { echo "ok   - $1"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $1"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: passes when the command succeeds (its output is
# shown only when it fails)
check() {
    local what=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then
        ok "$what"
    else
        not_ok "$what"
        tail -5 "$TMP/check.out" | sed 's/^/       /'
    fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${SAMBA_DC_HOST:?run through scripts/samba-dc exec}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gpokit-live-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

LIVE="live://$SAMBA_DC_HOST"
BASE_DN="DC=${SAMBA_REALM//./,DC=}"
POLICIES_DN="CN=Policies,CN=System,$BASE_DN"
SYSVOL_GPOS="${SAMBA_DNS_DOMAIN}/Policies"
export GPOKIT_PASSWORD=$SAMBA_ADMIN_PASS
# gpokit with a password over LDAPS, the DC's certificate checked against its CA
AUTH=(--user "$SAMBA_ADMIN_USER" --ca-file "$SAMBA_CA_FILE")
gk() { "$GPOKIT" "$@"; }

# run_gk OUT ERR ARGS...: runs gpokit, keeps stdout and stderr, returns its status
run_gk() {
    local out=$1 err=$2
    shift 2
    "$GPOKIT" "$@" >"$out" 2>"$err"
}

# check_schemas WHAT FILE...: the JSON files validate against docs/schema/ (by their
# "schema" member, with tests/cli/json_schemas.py); noted, not failed, without
# Debian's python3-jsonschema
check_schemas() {
    local what=$1
    shift
    local source
    source=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    if ! /usr/bin/python3 -c 'from jsonschema import Draft202012Validator' 2>/dev/null; then
        echo "note - $what: not checked, python3-jsonschema is not installed"
        return
    fi
    check "$what" /usr/bin/python3 "$source/tests/cli/json_schemas.py" "$source/docs/schema" "$@"
}

# ldap_attr DN ATTR: the attribute's value, read with OpenLDAP's ldapsearch
ldap_attr() {
    LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
        -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$1" -s base "$2" |
        sed -n "s/^$2: //p"
}

# ldap_entry_exists DN: ldapsearch finds the entry
ldap_entry_exists() {
    LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
        -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$1" -s base dn | grep -q '^dn: '
}

# smb_missing PATH: smbclient connects and says the file (or a folder on its way) does not exist
smb_missing() {
    smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" -c "ls \"$1\"" 2>&1 |
        grep -q 'NT_STATUS_NO_SUCH_FILE\|NT_STATUS_OBJECT_NAME_NOT_FOUND\|NT_STATUS_OBJECT_PATH_NOT_FOUND'
}

# smb_get PATH OUT: fetches a file from SYSVOL with smbclient (PATH relative to the share)
smb_get() {
    rm -f "$2"
    smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" \
        -c "get \"$1\" \"$2\"" >/dev/null 2>&1 && [ -f "$2" ]
}

# new_gpo NAME: creates a GPO with samba-tool, prints its {GUID}
new_gpo() {
    samba-tool gpo create "$1" -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" 2>/dev/null |
        sed -n 's/.* created as \({[0-9A-Fa-f-]*}\).*/\1/p'
}

# use_new_gpo NAME: creates a GPO with samba-tool for the test to work on and sets
# GUID, TARGET (its live:// address), DN and GPO_DIR (its folder in the share)
use_new_gpo() {
    GUID=$(new_gpo "$1")
    check "samba-tool created a GPO to work on ($GUID)" test -n "$GUID"
    TARGET="$LIVE/$GUID"
    DN="CN=$GUID,$POLICIES_DN"
    GPO_DIR="$SAMBA_DNS_DOMAIN/Policies/$GUID"
}

# pol_entries FILE: one line per record, "key|value|type|data", decoded by Samba's
# own NDR parser for registry.pol
pol_entries() {
    /usr/bin/python3 - "$1" <<'PY'
import sys
from samba.ndr import ndr_unpack
from samba.dcerpc import preg
pol = ndr_unpack(preg.file, open(sys.argv[1], 'rb').read())
for e in pol.entries:
    data = e.data
    if e.type in (1, 2):
        data = bytes(data).decode('utf-16-le').rstrip('\x00') if isinstance(data, (bytes, list)) else data
    print('%s|%s|%d|%s' % (e.keyname, e.valuename, e.type, data))
PY
}

# pol_has FILE LINE: the file has a record that pol_entries prints as LINE
pol_has() { pol_entries "$1" | grep -qxF "$2"; }

# oracle_set GUID KEY VALUE DATA: sets a REG_SZ machine value the way the Windows
# editor does, with Samba's Python bindings (lab script semantics): Registry.pol,
# GPT.INI Version, versionNumber and the extension list. Independent of gpokit.
oracle_set() {
    /usr/bin/python3 - "$SAMBA_DC_HOST" "$1" "$2" "$3" "$4" "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" <<'PY'
import sys, re, ldb
from samba import param
from samba.credentials import Credentials
from samba.auth import system_session
from samba.samdb import SamDB
from samba.ndr import ndr_pack, ndr_unpack
from samba.dcerpc import preg
from samba.netcmd.gpo import smb_connection
host, guid, key, vname, data, up = sys.argv[1:7]
lp = param.LoadParm(); lp.load_default()
creds = Credentials(); creds.guess(lp); u, p = up.split('%', 1); creds.set_username(u); creds.set_password(p)
gdir = '\\'.join([lp.get('realm').lower(), 'Policies', guid])
conn = smb_connection(host, 'sysvol', lp=lp, creds=creds)
folder = 'MACHINE' if guid == '{31B2F340-016D-11D2-945F-00C04FB984F9}' else 'Machine'
path = gdir + '\\' + folder + '\\Registry.pol'
try: pol = ndr_unpack(preg.file, conn.loadfile(path))
except Exception: pol = preg.file()
e = preg.entry(); e.keyname = key; e.valuename = vname; e.type = 1; e.data = data
ents = [x for x in pol.entries if not (x.keyname.lower() == key.lower() and x.valuename.lower() == vname.lower())] + [e]
pol.entries = ents; pol.num_entries = len(ents)
conn.savefile(path, ndr_pack(pol))
ini = conn.loadfile(gdir + '\\GPT.INI').decode()
m = re.search(r'(?im)^\s*Version\s*=\s*(\d+)', ini); old = int(m.group(1))
new = (old & 0xFFFF0000) | ((old + 1) & 0xFFFF)
conn.savefile(gdir + '\\GPT.INI', (ini[:m.start(1)] + str(new) + ini[m.end(1):]).encode())
sam = SamDB(url='ldap://' + host, session_info=system_session(), credentials=creds, lp=lp)
dn = ldb.Dn(sam, 'CN=%s,CN=Policies,CN=System,%s' % (guid, sam.get_default_basedn()))
msg = ldb.Message(dn)
msg['versionNumber'] = ldb.MessageElement(str(new), ldb.FLAG_MOD_REPLACE, 'versionNumber')
sam.modify(msg)
PY
}
