#!/usr/bin/env bash
# `live fetch --all`: every groupPolicyContainer the directory holds (counted with
# ldapsearch) lands as OUTPUT/{GUID}, each equal file for file to a single `live fetch`
# of that GPO; a GPO whose SYSVOL folder is gone on the DC fails alone, named with its
# reason, while every other lands, and the exit status is 2.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit fetch-all one"
use_new_gpo "gpokit fetch-all two"
BROKEN_GUID=$GUID
count=$(LDAPTLS_CACERT=$SAMBA_CA_FILE ldapsearch -LLL -o ldif-wrap=no -x -H "ldaps://$SAMBA_DC_HOST" \
    -D "$SAMBA_ADMIN_USER@$SAMBA_REALM" -w "$SAMBA_ADMIN_PASS" -b "$POLICIES_DN" -s one \
    '(objectClass=groupPolicyContainer)' cn | grep -c '^cn: ')
check "ldapsearch counts the domain's GPOs ($count)" test "$count" -ge 4

run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" --all --output "$TMP/all" --jobs 3 "${AUTH[@]}"
check "live fetch --all exits 0, quietly" bash -c '[ "$1" = 0 ] && [ ! -s "$2" ] && [ ! -s "$3" ]' _ $? "$TMP/out" "$TMP/err"
check "... with one snapshot per GPO" test "$(find "$TMP/all" -mindepth 1 -maxdepth 1 -type d | wc -l)" = "$count"
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
mkdir -p "$SAMBA_SYSVOL_DIR/$SAMBA_DNS_DOMAIN/Policies/$BROKEN_GUID"
samba-tool gpo del "$BROKEN_GUID" -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" >/dev/null 2>&1
finish
