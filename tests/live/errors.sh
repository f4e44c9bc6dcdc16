#!/usr/bin/env bash
# Every way reaching the live GPO can fail gives exit status 2 and a message that
# says which part failed: credentials, an unreachable or unknown DC, TLS, a GPO that
# does not exist. Passwords never come from the command line; live targets are
# never edited in place.
source "$(dirname "$0")/lib.sh"

# expect_error WHAT PATTERN ARGS...: gpokit exits 2 and stderr matches PATTERN
expect_error() {
    local what=$1 pattern=$2
    shift 2
    run_gk "$TMP/out" "$TMP/err" "$@"
    local rc=$?
    if [ $rc -eq 2 ] && grep -qE "$pattern" "$TMP/err"; then
        ok "$what"
    else
        not_ok "$what (status $rc: $(head -c 400 "$TMP/err"))"
    fi
}

GPOKIT_PASSWORD=wrong expect_error "a wrong password is named as such" \
    'ldaps://.*: bind as Administrator@corp.example.com: Invalid credentials.*user name or password is wrong' \
    gpo show "$LIVE" "${AUTH[@]}"
expect_error "an unknown user is refused the same way" 'Invalid credentials' \
    gpo show "$LIVE" --user nosuchuser --ca-file "$SAMBA_CA_FILE"
# 127.0.0.2 is on the namespace's loopback, where nothing listens
expect_error "a DC that does not answer" 'ldaps://127.0.0.2:636: .*does not answer' \
    gpo show live://127.0.0.2 "${AUTH[@]}"
# A DC that accepts connections and then says nothing (a half-open firewall, a hung
# server): --timeout bounds the wait, for LDAPS (libldap's own timeouts do not cover
# the TLS handshake) and for SMB.
/usr/bin/python3 "$(dirname "$0")/stalled_dc.py" 127.0.0.3 --ldaps-too & stalled_ldaps=$!
/usr/bin/python3 "$(dirname "$0")/stalled_dc.py" 127.0.0.4 & stalled_smb=$!
sleep 0.5
expect_error "a DC that accepts LDAPS but never answers: bounded by --timeout" \
    'ldaps://127.0.0.3:636: reading the rootDSE: the domain controller accepted the connection but did not answer within 2 s' \
    gpo show live://127.0.0.3 --user "$SAMBA_ADMIN_USER" --insecure-tls --timeout 2
expect_error "a DC whose SMB never answers: bounded by --timeout" \
    '//127.0.0.4/sysvol/.*Connection timed out: the domain controller does not answer on SMB' \
    gpo show live://127.0.0.4 --user "$SAMBA_ADMIN_USER" --insecure-tls --timeout 2
kill "$stalled_ldaps" "$stalled_smb"

expect_error "a DC name that does not resolve" 'nosuchdc.corp.example.com: cannot find the domain controller' \
    gpo show live://nosuchdc.corp.example.com "${AUTH[@]}"
expect_error "a certificate signed by an unknown CA fails the TLS check" \
    'TLS handshake failed: .*not trusted or does not name dc1.corp.example.com .*--ca-file' \
    gpo show "$LIVE" --user "$SAMBA_ADMIN_USER"
expect_error "a certificate that does not name the host fails the TLS check" \
    'TLS handshake failed: .*does not name 127.0.0.1' \
    gpo show live://127.0.0.1 "${AUTH[@]}"
check "--insecure-tls skips the check when asked" gk gpo show live://127.0.0.1 --user "$SAMBA_ADMIN_USER" --insecure-tls
expect_error "a GPO GUID that does not exist" \
    'no GPO \{11111111-2222-3333-4444-555555555555\} on dc1.corp.example.com \(searched CN=Policies,CN=System,DC=corp,DC=example,DC=com\)' \
    gpo show "$LIVE/{11111111-2222-3333-4444-555555555555}" "${AUTH[@]}"
expect_error "a display name that does not exist" 'no GPO named "No Such Policy"' \
    policy show "$LIVE/?name=No%20Such%20Policy" "${AUTH[@]}"
check "a GPO found by its display name" gk kerberos show "$LIVE/?name=Default%20Domain%20Controllers%20Policy" "${AUTH[@]}"
expect_error "a malformed address" 'not a GPO GUID' gpo show "$LIVE/not-a-guid" "${AUTH[@]}"
expect_error "no password option on the command line" 'password' \
    gpo show "$LIVE" --user "$SAMBA_ADMIN_USER" --password "$SAMBA_ADMIN_PASS"
# setsid: no controlling terminal to prompt on
( unset GPOKIT_PASSWORD; setsid "$GPOKIT" gpo show "$LIVE" "${AUTH[@]}" >"$TMP/out" 2>"$TMP/err" </dev/null )
rc=$?
check "no password and no terminal: status 2" test $rc -eq 2
check "... with the three ways to give one" grep -q 'set GPOKIT_PASSWORD, use --password-file FILE, or run from a terminal' "$TMP/err"
# On a terminal (script(1) gives gpokit one), the password is asked for without echo.
(sleep 1; printf '%s\n' "$SAMBA_ADMIN_PASS") | env -u GPOKIT_PASSWORD script -qec \
    "'$GPOKIT' kerberos show '$LIVE' --user '$SAMBA_ADMIN_USER' --ca-file '$SAMBA_CA_FILE'" /dev/null > "$TMP/tty" 2>&1
rc=$?
check "a password typed at the prompt is accepted (status $rc)" test $rc -eq 0
check "... the prompt names the user" grep -q "Password for $SAMBA_ADMIN_USER: " "$TMP/tty"
check "... the password is not echoed" bash -c '! grep -qF "$1" "$2"' _ "$SAMBA_ADMIN_PASS" "$TMP/tty"
check "... and the command's output follows" grep -q "Define interoperable Kerberos V5 realm settings" "$TMP/tty"
(sleep 1; printf '\n') | env -u GPOKIT_PASSWORD script -qec \
    "'$GPOKIT' gpo show '$LIVE' --user '$SAMBA_ADMIN_USER' --ca-file '$SAMBA_CA_FILE'" /dev/null > "$TMP/tty" 2>&1
check "an empty password at the prompt is refused (an LDAP bind without one is anonymous)" \
    grep -q "no password given for $SAMBA_ADMIN_USER" "$TMP/tty"
printf '%s\n' "$SAMBA_ADMIN_PASS" > "$TMP/password"
check "--password-file gives the password" \
    env -u GPOKIT_PASSWORD "$GPOKIT" gpo show "$LIVE" "${AUTH[@]}" --password-file "$TMP/password"
: > "$TMP/empty"
expect_error "an empty password file" 'empty:1: the password file.s first line is empty' \
    gpo show "$LIVE" "${AUTH[@]}" --password-file "$TMP/empty"
( kdestroy >/dev/null 2>&1; unset GPOKIT_PASSWORD; run_gk "$TMP/out" "$TMP/err" gpo show "$LIVE"; echo $? > "$TMP/rc" )
check "Kerberos without a ticket: status 2, told to kinit" \
    bash -c '[ "$(cat "$1")" = 2 ] && grep -q "run kinit first" "$2"' _ "$TMP/rc" "$TMP/err"

before=$(ldap_attr "CN=$SAMBA_DDP_GUID,$POLICIES_DN" versionNumber)
expect_error "a live target is not edited in place" 'live:// targets are read here, not edited' \
    kerberos add-realm "$LIVE" --realm EXAMPLE.NET --kdc kdc.example.net
check "... and the live GPO is unchanged" test "$(ldap_attr "CN=$SAMBA_DDP_GUID,$POLICIES_DN" versionNumber)" = "$before"
# The target does not answer: an error about it would mean the DC was contacted first.
expect_error "push from a source that does not exist fails on the source, before contacting the DC" \
    "^gpokit: error: $TMP/nosuch" live push "$TMP/nosuch" live://127.0.0.2 "${AUTH[@]}" --yes

finish
