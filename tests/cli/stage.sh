#!/usr/bin/env bash
# `stage create` and `stage verify` on the Default Domain Policy fixtures (the staged
# Kerberos policy change against its base): the bundle's hashes are checked with
# coreutils' sha256sum and its bundle.json with Python, independently of gpokit; a
# flipped byte, a removed file, an added file and a link each make verify fail naming
# the file; two runs with SOURCE_DATE_EPOCH give identical bundles; refusals write nothing.
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_FIXTURES:?GPOKIT_FIXTURES must name the fixtures folder}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-stage.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
base="$GPOKIT_FIXTURES/ddp/backup"
changed="$GPOKIT_FIXTURES/ddp/kerberos/{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}"
export SOURCE_DATE_EPOCH=1764000000

"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/b" >"$tmp/out" 2>"$tmp/err"
check "stage create exits 0" test $? -eq 0
check "... prints the bundle and its ID, the SHA-256 of SHA256SUMS" \
    grep -qF "(bundle $(sha256sum <"$tmp/b/SHA256SUMS" | cut -d' ' -f1))" "$tmp/out"
check "sha256sum -c accepts every line of SHA256SUMS" bash -c 'cd "$1" && sha256sum --quiet --strict -c SHA256SUMS' _ "$tmp/b"
check "... which lists every file but itself" bash -c \
    'cd "$1" && diff <(find . -type f ! -name SHA256SUMS | sed "s|^\./||" | LC_ALL=C sort) <(cut -c67- SHA256SUMS)' _ "$tmp/b"
check "bundle.json names the DDP, its backup and the base version (machine 3, user 0)" \
    /usr/bin/python3 - "$tmp/b" <<'PY'
import json, os, sys
b = json.load(open(os.path.join(sys.argv[1], "bundle.json")))
assert b["format"] == 1 and b["created"] == "2025-11-24T16:00:00Z", b
[g] = b["gpos"]
assert g["guid"] == "{31B2F340-016D-11D2-945F-00C04FB984F9}" and g["name"] == "Default Domain Policy", g
assert g["base_version"] == 3, g
assert g["links"] is None and g["wmi_filter"] == "", g  # a backup records neither
assert os.path.isfile(os.path.join(sys.argv[1], "backups", g["backup_id"], "Backup.xml")), g
PY
check "the backups folder is a GPMC backup root gpokit lints clean" \
    bash -c '"$GPOKIT" gpo lint "$1/backups" | grep -v gpreport-stale | grep -q . && exit 1 || exit 0' _ "$tmp/b"
check "the review shows the Kerberos policy change" \
    grep -qF "Maximum lifetime for user ticket" "$tmp/b/review/{31B2F340-016D-11D2-945F-00C04FB984F9}.md"
check "stage verify: exit 0, quiet" bash -c '"$GPOKIT" stage verify "$1" >"$2" && [ ! -s "$2" ]' _ "$tmp/b" "$tmp/out"

# Import-Bundle.ps1 cannot run here (no PowerShell): what can be checked without it.
check "Import-Bundle.ps1: UTF-8 with a BOM, CRLF line ends only" /usr/bin/python3 - "$tmp/b/Import-Bundle.ps1" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf")
assert raw.count(b"\n") == raw.count(b"\r\n") > 100
raw.decode("utf-8")
PY
check "... the hashes it embeds are the files' own, every file of the bundle but SHA256SUMS and itself" \
    /usr/bin/python3 - "$tmp/b" <<'PY'
import hashlib, os, re, sys, json
root = sys.argv[1]
text = open(os.path.join(root, "Import-Bundle.ps1"), encoding="utf-8-sig", newline="").read()
block = text[text.index("$Expected = [ordered]@{"):]
block = block[:block.index("\r\n}")]
embedded = dict(re.findall(r"^    '([^']+)' = '([0-9a-f]{64})'\r?$", block, re.M))
files = {}
for d, _, names in os.walk(root):
    for n in names:
        rel = os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/")
        if rel not in ("SHA256SUMS", "Import-Bundle.ps1", "SHA256SUMS.p7s"):
            files[rel] = hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
assert embedded == files, set(embedded.items()) ^ set(files.items())
b = json.load(open(os.path.join(root, "bundle.json")))
for g in b["gpos"]:
    line = "Guid = '%s'; Name = '%s'; BackupId = '%s'; BaseVersion = %d; Links = @() }" % (g["guid"], g["name"], g["backup_id"], g["base_version"])
    assert line in text, line
for named in re.findall(r"Join-Path \$Bundle '([^']+)'", text):
    if named != "SHA256SUMS.p7s":
        assert os.path.exists(os.path.join(root, named)), named
PY
check "... holds no password and asks for none" bash -c '! grep -qiE "password|ConvertTo-SecureString|Get-Credential" "$1"' _ "$tmp/b/Import-Bundle.ps1"
check "... checks versions, backs up, imports with the migration table, supports -WhatIf" bash -c \
    'grep -q "SupportsShouldProcess = \$true" "$1" && grep -q "Backup-GPO" "$1" && grep -q "Import-GPO @import" "$1" &&
     grep -q "MigrationTable = \$migtable" "$1" && grep -q "Get-FileHash" "$1" && grep -q "SignedCms" "$1"' _ "$tmp/b/Import-Bundle.ps1"

"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/b2" >/dev/null
check "a second run with SOURCE_DATE_EPOCH gives an identical bundle" diff -r "$tmp/b" "$tmp/b2"

# verify_fails NAME FILE: verify exits 1 naming FILE (relative to the bundle)
verify_fails() {
    "$GPOKIT" stage verify "$tmp/t" >"$tmp/out" 2>&1
    local rc=$?
    check "$1: verify exits 1 (got $rc)" test $rc -eq 1
    check "... naming $2" grep -qF "$tmp/t/$2:" "$tmp/out"
}
fresh() { rm -rf "$tmp/t" && cp -r "$tmp/b" "$tmp/t"; }
tmpl="backups/$(ls "$tmp/b/backups" | grep '^{')/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf"

fresh
printf '\x39' | dd of="$tmp/t/$tmpl" bs=1 seek=100 conv=notrunc status=none
verify_fails "a flipped byte in the template" "$tmpl"
fresh
rm "$tmp/t/review/{31B2F340-016D-11D2-945F-00C04FB984F9}.html"
verify_fails "a removed file" "review/{31B2F340-016D-11D2-945F-00C04FB984F9}.html"
fresh
echo 'Write-Host pwned' > "$tmp/t/backups/extra.ps1"
verify_fails "an added file" "backups/extra.ps1"
fresh
ln -s /etc/passwd "$tmp/t/review/link"
verify_fails "an added link" "review/link"
fresh
printf 'not json\n' > "$tmp/t/bundle.json"
verify_fails "a bundle.json replaced (its hash no longer matches)" "bundle.json"
fresh
sed -i '1s/^./0/' "$tmp/t/SHA256SUMS"
"$GPOKIT" stage verify "$tmp/t" >"$tmp/out" 2>&1
check "an edited SHA256SUMS: verify exits 1 (the file it names no longer matches)" test $? -eq 1
fresh
lines=$(wc -l <"$tmp/t/SHA256SUMS")
printf 'zz\n' >> "$tmp/t/SHA256SUMS"
"$GPOKIT" stage verify "$tmp/t" >"$tmp/out" 2>"$tmp/err"
check "a malformed SHA256SUMS: exit 2 naming its line and column" \
    bash -c '[ "$1" = 2 ] && grep -qF "SHA256SUMS:$3:1:" "$2"' _ $? "$tmp/err" $((lines + 1))
fresh
printf '%064d  ../outside\n' 0 >> "$tmp/t/SHA256SUMS"
"$GPOKIT" stage verify "$tmp/t" >"$tmp/out" 2>"$tmp/err"
check "a SHA256SUMS naming ../outside: exit 2, the path refused" \
    bash -c '[ "$1" = 2 ] && grep -q "not a relative path inside the bundle" "$2"' _ $? "$tmp/err"

"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/b" 2>"$tmp/err"
check "create over an existing folder: exit 2" test $? -eq 2
check "... and the bundle there is untouched" diff -r "$tmp/b" "$tmp/b2"
"$GPOKIT" stage create "$changed" --base "$GPOKIT_FIXTURES/gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}" \
    -o "$tmp/sysvol-base" >/dev/null 2>"$tmp/err"
check "a base of the same GPO in another form (a SYSVOL folder) is taken" test $? -eq 0
mkdir "$tmp/other-root" && cp -r "$GPOKIT_FIXTURES/gpo/backups/{0E6C2A0B-1B1D-4B8E-9C5A-6F0D7A2C3B4D}" "$tmp/other-root/"
sed -i 's/{31B2F340-016D-11D2-945F-00C04FB984F9}/{AAAAAAAA-016D-11D2-945F-00C04FB984F9}/g' \
    "$tmp/other-root/{0E6C2A0B-1B1D-4B8E-9C5A-6F0D7A2C3B4D}/Backup.xml" \
    "$tmp/other-root/{0E6C2A0B-1B1D-4B8E-9C5A-6F0D7A2C3B4D}/bkupInfo.xml"
"$GPOKIT" stage create "$changed" --base "$tmp/other-root/{0E6C2A0B-1B1D-4B8E-9C5A-6F0D7A2C3B4D}" -o "$tmp/other" \
    >/dev/null 2>"$tmp/err"
check "a base that is another GPO: exit 2, nothing written" bash -c '[ "$1" = 2 ] && [ ! -e "$2" ]' _ $? "$tmp/other"
# The migration table lists the principals and UNC paths planted in a GPO (a copy of the
# staged backup): a domain SID and a DOMAIN\name in [Privilege Rights], a Groups.xml member, a
# mapped drive's share and a startup script's share; a well-known SID is left out.
mkdir "$tmp/planted" && cp -r "$changed" "$tmp/planted/" && chmod -R u+w "$tmp/planted"
sv="$tmp/planted/$(basename "$changed")"
"$GPOKIT" gpo set-security "$sv" --section "Privilege Rights" --key SeBackupPrivilege \
    --value '*S-1-5-21-1004336348-1177238915-682003330-1105,*S-1-5-32-544,CORP\Backup Admins' 2>/dev/null
machine="$sv/DomainSysvol/GPO/Machine"
mkdir -p "$machine/Preferences/Groups" "$machine/Preferences/Drives" "$machine/Scripts"
cat > "$machine/Preferences/Groups/Groups.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Groups clsid="{3125E937-EB16-4b4c-9934-544FC6D24D26}"><Group clsid="{6D4A79E4-529C-4481-ABD0-F5BD7EA93BA7}" name="Administrators (built-in)" uid="{0B0E2F0E-1C3A-4C55-9A0B-6B7E0C1D2E3F}"><Properties action="U" groupSid="S-1-5-32-544" groupName="Administrators (built-in)"><Members><Member name="CORP\Helpdesk" action="ADD" sid="S-1-5-21-1004336348-1177238915-682003330-1107"/></Members></Properties></Group></Groups>
XML
cat > "$machine/Preferences/Drives/Drives.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Drives clsid="{8FDDCC1A-0C3C-43cd-A6B4-71A6DF20DA8C}"><Drive clsid="{935D1B74-9CB8-4e3c-9914-7DD559B7A417}" name="H:" uid="{5E1A0B2C-3D4E-4F50-8172-93A4B5C6D7E8}"><Properties action="U" thisDrive="NOCHANGE" allDrives="NOCHANGE" path="\\fs1.corp.example.com\home" letter="H"/></Drive></Drives>
XML
printf '\xff\xfe' > "$machine/Scripts/scripts.ini"
printf '\r\n[Startup]\r\n0CmdLine=\\\\fs2\\netlogon\\start.cmd\r\n0Parameters=\r\n' | iconv -f UTF-8 -t UTF-16LE >> "$machine/Scripts/scripts.ini"
"$GPOKIT" stage create "$sv" --base "$base" -o "$tmp/m" >/dev/null 2>"$tmp/err"
check "a bundle of the GPO with planted principals: exit 0" test $? -eq 0
check "migration.migtable is GPMC's format and maps each planted principal and share, same as source" \
    /usr/bin/python3 - "$tmp/m/migration.migtable" <<'PY'
import sys
import xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
assert raw[:2] == b"\xff\xfe", "not UTF-16LE with a BOM"
root = ET.fromstring(raw.decode("utf-16"))
NS = "{http://www.microsoft.com/GroupPolicy/GPOOperations/MigrationTable}"
assert root.tag == NS + "MigrationTable", root.tag
got = {(m.find(NS + "Type").text, m.find(NS + "Source").text, m.find(NS + "Destination").text)
       for m in root.findall(NS + "Mapping")}
want = {(t, s, s) for t, s in [
    ("Unknown", "S-1-5-21-1004336348-1177238915-682003330-1105"),
    ("Unknown", "CORP\\Backup Admins"),
    ("Unknown", "CORP\\Helpdesk"),
    ("Unknown", "S-1-5-21-1004336348-1177238915-682003330-1107"),
    ("UNCPath", "\\\\fs1.corp.example.com\\home"),
    ("UNCPath", "\\\\fs2\\netlogon"),
]}
assert got == want, sorted(got ^ want)
PY
"$GPOKIT" stage verify "$tmp/m" >"$tmp/out" 2>&1
rc=$?
check "... and the bundle verifies (exit $rc: $(head -c 300 "$tmp/out"))" test $rc -eq 0

# An edited table: a placeholder left in it, or a principal left out, is a finding.
iconv -f UTF-16 -t UTF-8 "$tmp/m/migration.migtable" | tail -c +1 >"$tmp/edited.xml"
/usr/bin/python3 - "$tmp/edited.xml" "$tmp/placeholder.migtable" "$tmp/short.migtable" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8", newline="").read().lstrip("\ufeff")
placeholder = text.replace("<Destination>CORP\\Helpdesk</Destination>", "<Destination>CHANGE ME</Destination>")
assert placeholder != text
start = text.index("  <Mapping>\r\n    <Type>UNCPath</Type>")
short = text[:start] + text[text.index("</Mapping>\r\n", start) + len("</Mapping>\r\n"):]
for path, t in ((sys.argv[2], placeholder), (sys.argv[3], short)):
    open(path, "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))
PY
"$GPOKIT" stage create "$sv" --base "$base" -o "$tmp/mp" --migtable "$tmp/placeholder.migtable" >/dev/null 2>&1
"$GPOKIT" stage verify "$tmp/mp" >"$tmp/out" 2>&1
check "a table with a placeholder destination: verify exits 1 naming it" \
    bash -c '[ "$1" = 1 ] && grep -q "migration.migtable: .*Helpdesk.* placeholder" "$2"' _ $? "$tmp/out"
"$GPOKIT" stage create "$sv" --base "$base" -o "$tmp/ms" --migtable "$tmp/short.migtable" >/dev/null 2>&1
"$GPOKIT" stage verify "$tmp/ms" >"$tmp/out" 2>&1
check "a table missing a share the GPO names: verify exits 1 naming it" \
    bash -c '[ "$1" = 1 ] && grep -q "migration.migtable: .*fs1.corp.example.com.* not mapped" "$2"' _ $? "$tmp/out"
printf 'not xml' > "$tmp/bad.migtable"
"$GPOKIT" stage create "$sv" --base "$base" -o "$tmp/mb" --migtable "$tmp/bad.migtable" >/dev/null 2>"$tmp/err"
check "--migtable that does not parse: exit 2 naming the file, nothing written" \
    bash -c '[ "$1" = 2 ] && grep -qF "$3" "$2" && [ ! -e "$4" ]' _ $? "$tmp/err" "$tmp/bad.migtable" "$tmp/mb"

# The bundle as one tar: the same bytes twice, verified from the archive; a hostile
# archive's "../", absolute and link entries are refused and named, never written.
mkdir "$tmp/x1" "$tmp/x2"
"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/x1/a1" --archive "$tmp/a1.tar" >/dev/null
"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/x2/a1" --archive "$tmp/a2.tar" >/dev/null
check "two runs with SOURCE_DATE_EPOCH give byte-identical archives" cmp "$tmp/a1.tar" "$tmp/a2.tar"
check "... entries sorted, under one folder, owned by 0:0, mode 0644, at the epoch" /usr/bin/python3 - "$tmp/a1.tar" <<'PY'
import sys, tarfile
t = tarfile.open(sys.argv[1])
names = t.getnames()
assert names == sorted(names) and all(n.startswith("a1/") for n in names), names
assert "a1/SHA256SUMS" in names and "a1/Import-Bundle.ps1" in names
for m in t.getmembers():
    assert m.isfile() and m.uid == 0 and m.gid == 0 and m.mode == 0o644 and m.mtime == 1764000000, m
PY
check "stage verify reads the archive: exit 0" "$GPOKIT" stage verify "$tmp/a1.tar"
mkdir "$tmp/hostile" && cd "$tmp/hostile" || exit 1
/usr/bin/python3 - "$tmp/a1.tar" "$tmp/hostile/h.tar" <<'PY'
import io, sys, tarfile
src = tarfile.open(sys.argv[1])
out = tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT)
for m in src.getmembers():
    out.addfile(m, src.extractfile(m))
def add(name, data=b"x", **kw):
    info = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(info, k, v)
    info.size = len(data) if info.type == tarfile.REGTYPE else 0
    out.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
add("a1/../../escaped.txt")
add("/tmp/absolute-from-bundle.txt")
add("a1/review/passwd", type=tarfile.SYMTYPE, linkname="/etc/passwd")
add("a1/review/hard", type=tarfile.LNKTYPE, linkname="a1/bundle.json")
out.close()
PY
cd - >/dev/null || exit 1
"$GPOKIT" stage verify "$tmp/hostile/h.tar" >"$tmp/out" 2>&1
check "a hostile archive: verify exits 1" test $? -eq 1
for entry in "a1/../../escaped.txt" "/tmp/absolute-from-bundle.txt" "a1/review/passwd" "a1/review/hard"; do
    check "... naming $entry" grep -qF "$entry: " "$tmp/out"
done
check "... and writing none of them" bash -c \
    '[ ! -e "$1/escaped.txt" ] && [ ! -e "$1/../escaped.txt" ] && [ ! -e /tmp/absolute-from-bundle.txt ]' _ "$tmp/hostile"
printf 'not a tar' > "$tmp/junk.tar"
"$GPOKIT" stage verify "$tmp/junk.tar" >/dev/null 2>"$tmp/err"
check "a file that is no tar: exit 2 naming it" bash -c '[ "$1" = 2 ] && grep -qF "junk.tar" "$2"' _ $? "$tmp/err"

# Signed bundles: a detached CMS signature of SHA256SUMS, checked with openssl too.
if command -v openssl >/dev/null 2>&1; then
    for who in signer other; do
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$who.key" -out "$tmp/$who.pem" -days 30 \
            -subj "/CN=gpokit $who" 2>/dev/null
    done
    "$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/s" --sign-key "$tmp/signer.key" \
        --sign-cert "$tmp/signer.pem" >/dev/null
    check "a signed bundle: exit 0, SHA256SUMS.p7s beside SHA256SUMS" test -f "$tmp/s/SHA256SUMS.p7s"
    check "openssl cms -verify accepts the signature of SHA256SUMS" \
        openssl cms -verify -binary -inform DER -in "$tmp/s/SHA256SUMS.p7s" -content "$tmp/s/SHA256SUMS" \
        -CAfile "$tmp/signer.pem" -purpose any -out /dev/null 2>/dev/null
    check "verify --cert with the signer's certificate: exit 0" "$GPOKIT" stage verify "$tmp/s" --cert "$tmp/signer.pem"
    check "verify --ca with it as the CA: exit 0" "$GPOKIT" stage verify "$tmp/s" --ca "$tmp/signer.pem"
    "$GPOKIT" stage verify "$tmp/s" --format json >"$tmp/out"
    check "verify without a certificate: exit 0, reports the signer as not checked" \
        grep -q '"signer": "/CN=gpokit signer"' "$tmp/out"
    rm -rf "$tmp/t" && cp -r "$tmp/s" "$tmp/t"
    verify_with() { "$GPOKIT" stage verify "$tmp/t" "$@" >"$tmp/out" 2>&1; }
    verify_with --cert "$tmp/other.pem"
    check "a wrong certificate: verify exits 1 naming SHA256SUMS.p7s" \
        bash -c '[ "$1" = 1 ] && grep -qF "$2/SHA256SUMS.p7s:" "$3"' _ $? "$tmp/t" "$tmp/out"
    verify_with --ca "$tmp/other.pem"
    check "a CA that did not sign it: verify exits 1" test $? -eq 1
    # Someone rewrites a file and SHA256SUMS to match: the signature no longer does.
    echo '# changed' >> "$tmp/t/review/{31B2F340-016D-11D2-945F-00C04FB984F9}.md"
    (cd "$tmp/t" && find . -type f ! -name 'SHA256SUMS*' | sed 's|^\./||' | LC_ALL=C sort |
        while read -r f; do sha256sum "$f"; done > SHA256SUMS)
    verify_with --cert "$tmp/signer.pem"
    check "a file and SHA256SUMS rewritten together: the signature fails (exit 1)" \
        bash -c '[ "$1" = 1 ] && grep -qF "SHA256SUMS.p7s:" "$2"' _ $? "$tmp/out"
    "$GPOKIT" stage verify "$tmp/b" --cert "$tmp/signer.pem" >"$tmp/out" 2>&1
    check "an unsigned bundle with --cert: exit 1, the signature missing" \
        bash -c '[ "$1" = 1 ] && grep -q "SHA256SUMS.p7s: missing" "$2"' _ $? "$tmp/out"
    "$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/s2" --sign-key "$tmp/signer.key" \
        --sign-cert "$tmp/signer.pem" >/dev/null
    check "with SOURCE_DATE_EPOCH the signed bundle is the same bytes again, signature included" diff -r "$tmp/s" "$tmp/s2"
    "$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/s3" --sign-key "$tmp/other.key" \
        --sign-cert "$tmp/signer.pem" >/dev/null 2>"$tmp/err"
    check "a key that is not the certificate's: exit 2, nothing written" \
        bash -c '[ "$1" = 2 ] && [ ! -e "$2" ]' _ $? "$tmp/s3"
else
    echo "skip signatures: openssl is not installed"
fi
# A trust plan travels with its runbook; a plan that does not read is refused.
"$GPOKIT" trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --format json --output "$tmp/plan.json"
"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/tp" --trust-plan "$tmp/plan.json" >/dev/null
check "--trust-plan: the plan byte for byte in trust/plan.json" cmp "$tmp/plan.json" "$tmp/tp/trust/plan.json"
check "... its runbook in trust/runbook.md" grep -q "ZSCALERBETA.NET" "$tmp/tp/trust/runbook.md"
check "... and the bundle verifies" "$GPOKIT" stage verify "$tmp/tp"
sed 's/"incoming"/"sideways"/' "$tmp/plan.json" > "$tmp/bad-plan.json"
"$GPOKIT" stage create "$changed" --base "$base" -o "$tmp/tp2" --trust-plan "$tmp/bad-plan.json" >/dev/null 2>"$tmp/err"
check "a plan that does not read: exit 2, nothing written" bash -c '[ "$1" = 2 ] && [ ! -e "$2" ]' _ $? "$tmp/tp2"
"$GPOKIT" stage show "$tmp/tp" >"$tmp/out"
check "stage show: the GPO, its base version and the review in text" bash -c \
    'grep -q "Default Domain Policy {31B2F340-016D-11D2-945F-00C04FB984F9}" "$1" && grep -q "applies over version 3" "$1" &&
     grep -qF "Maximum lifetime for user ticket: 10 hours -> 8 hours" "$1"' _ "$tmp/out"

check "no temporary folder is left beside the bundles" bash -c '[ "$(ls -A "$1" | grep -c "^\.")" = 0 ]' _ "$tmp"
finish stage
