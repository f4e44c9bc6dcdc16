#!/usr/bin/env bash
# `gpo backup` from the sources an administrator has: a SYSVOL folder (notes say what it
# cannot give), a backup (into a root whose manifest.xml gains it), with a fixed ID (a
# second backup under that ID is refused), deterministic bytes with SOURCE_DATE_EPOCH;
# the result is read by Python's XML parser (not gpokit's), listed by `gpo list`, and
# edited like any backup.
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_FIXTURES:?GPOKIT_FIXTURES must name the fixtures folder}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-backup.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
sysvol="$GPOKIT_FIXTURES/gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}"
ddp="$GPOKIT_FIXTURES/ddp/backup/{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}"

"$GPOKIT" gpo backup "$sysvol" --output "$tmp/root" >"$tmp/out" 2>"$tmp/err"
check "a SYSVOL folder backs up (exit 0), printing the new folder" \
    bash -c '[ "$1" = 0 ] && [ -f "$(cat "$2")/Backup.xml" ]' _ $? "$tmp/out"
check "... with notes on what a SYSVOL folder cannot give" \
    bash -c 'grep -q "not in the backup: the security descriptor" "$1" && grep -q "extension list" "$1"' _ "$tmp/err"
check "... and a Backup.xml, bkupInfo.xml and manifest.xml Python's XML parser reads" /usr/bin/python3 -c '
import sys, glob, xml.etree.ElementTree as ET
ns = "{http://www.microsoft.com/GroupPolicy/GPOOperations}"
root = sys.argv[1]
(b,) = glob.glob(root + "/{*}/Backup.xml")
core = ET.parse(b).getroot().find(ns + "GroupPolicyObject").find(ns + "GroupPolicyCoreSettings")
assert core.find(ns + "ID").text == "{31B2F340-016D-11D2-945F-00C04FB984F9}", core.find(ns + "ID").text
m = ET.parse(root + "/manifest.xml").getroot()
assert len(list(m)) == 1, list(m)
' "$tmp/root"

"$GPOKIT" gpo backup "$ddp" --output "$tmp/root" --id '{11111111-2222-4333-8444-555555555555}' --comment "staged" \
    >"$tmp/out2" 2>"$tmp/err2"
check "a backup backs up into the same root, under the ID given, with nothing missing" \
    bash -c '[ -f "$1/{11111111-2222-4333-8444-555555555555}/Backup.xml" ] && [ ! -s "$2" ]' _ "$tmp/root" "$tmp/err2"
check "... the manifest lists both" bash -c '[ "$(grep -o "<BackupInst" "$1/manifest.xml" | wc -l)" = 2 ]' _ "$tmp/root"
check "... gpo list finds both" bash -c '"$1" gpo list "$2" | grep -q "^2 backups"' _ "$GPOKIT" "$tmp/root"
check "... with the comment in bkupInfo.xml" grep -q 'staged' "$tmp/root/{11111111-2222-4333-8444-555555555555}/bkupInfo.xml"
"$GPOKIT" gpo backup "$ddp" --output "$tmp/root" --id '{11111111-2222-4333-8444-555555555555}' >/dev/null 2>"$tmp/err3"
check "a second backup under that ID is refused (exit 2), the first left alone" \
    bash -c '[ $1 = 2 ] && grep -q "exists" "$2" && grep -q staged "$3"' _ $? "$tmp/err3" \
    "$tmp/root/{11111111-2222-4333-8444-555555555555}/bkupInfo.xml"
check "gpo lint finds nothing in the backup made from a backup" \
    "$GPOKIT" gpo lint "$tmp/root/{11111111-2222-4333-8444-555555555555}"
check "kerberos add-realm edits it like any backup" "$GPOKIT" kerberos add-realm \
    "$tmp/root/{11111111-2222-4333-8444-555555555555}" --realm ZSCALERBETA.NET --kdc kerberos.zscalerbeta.net

SOURCE_DATE_EPOCH=1700000000 "$GPOKIT" gpo backup "$ddp" --output "$tmp/a" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1700000000 "$GPOKIT" gpo backup "$ddp" --output "$tmp/b" >/dev/null 2>&1
check "SOURCE_DATE_EPOCH: the same source gives the same bytes" diff -r "$tmp/a" "$tmp/b"
check "... and a time GPMC's format writes (2023-11-14T22:13:20)" grep -rq '2023-11-14T22:13:20' "$tmp/a"
finish "gpo backup"
