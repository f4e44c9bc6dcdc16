#!/usr/bin/env bash
# `gpo set-security` on a Windows-written backup and on a SYSVOL folder, checked byte by
# byte against templates built here with Python (not gpokit): a new Kerberos Policy
# setting lands as its own section before [Version], a changed value rewrites one line,
# removing it gives back the original bytes; the bookkeeping (version, Security extension
# pair, a new template in a SYSVOL folder) is done; the Default Domain Policy fixture's
# Kerberos policy changes in its one line; bad values are refused with nothing written; a
# backup without a template gains one, listed in Backup.xml as GPMC lists it.
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_FIXTURES:?GPOKIT_FIXTURES must name the fixtures folder}"
: "${GPOKIT_CORPUS:?GPOKIT_CORPUS must name the corpus}"
backup="$GPOKIT_CORPUS/Windows-Secure-Host-Baseline/Windows/Group Policy Objects/Computer/{A2A38432-E322-437F-9975-B7CC7F16F4AA}"
if [ ! -d "$backup" ]; then
    echo "SKIPPED: the corpus is not at $GPOKIT_CORPUS"
    exit 77
fi
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-security.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
cp -r "$backup" "$tmp/b" && chmod -R u+w "$tmp/b"
cp -r "$tmp/b" "$tmp/orig"
template() { find "$1" -iname gpttmpl.inf; }

# inserted FILE OUT TEXT: FILE (UTF-16LE, BOM) with TEXT (CRLF lines) inserted before [Version]
inserted() {
    /usr/bin/python3 - "$@" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
assert raw[:2] == b"\xff\xfe"
text = raw[2:].decode("utf-16-le")
at = text.index("[Version]")
out = text[:at] + sys.argv[3] + text[at:]
open(sys.argv[2], "wb").write(b"\xff\xfe" + out.encode("utf-16-le"))
PY
}

"$GPOKIT" gpo set-security "$tmp/b" --section "Kerberos Policy" --key MaxTicketAge --value 8 2>"$tmp/err"
check "a Kerberos Policy setting is added (exit 0)" test $? -eq 0
inserted "$(template "$tmp/orig")" "$tmp/expected.inf" $'[Kerberos Policy]\r\nMaxTicketAge = 8\r\n'
check "... the template is the original with the section inserted before [Version], byte for byte" \
    cmp "$(template "$tmp/b")" "$tmp/expected.inf"
check "... Backup.xml's machine version is bumped from 7 to 8 (sysvol and directory halves)" \
    grep -q '<MachineVersionNumber><!\[CDATA\[524296\]\]></MachineVersionNumber>' "$tmp/b/Backup.xml"
check "... and the Security pair stays listed once" bash -c \
    '[ "$(grep -o "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}" "$1" | wc -l)" = 1 ]' \
    _ "$tmp/b/Backup.xml"
check "... no file but the template and Backup.xml changed" bash -c \
    '[ "$(diff -rq "$1" "$2" | wc -l)" = 2 ]' _ "$tmp/orig" "$tmp/b"
"$GPOKIT" diff "$tmp/orig" "$tmp/b" >"$tmp/diff"
check "diff shows the setting by the editor's name and unit" \
    grep -qF '+ Maximum lifetime for user ticket = 8 hours' "$tmp/diff"

"$GPOKIT" gpo set-security "$tmp/b" --section "System Access" --key MinimumPasswordLength --value 12
/usr/bin/python3 - "$(template "$tmp/b")" "$tmp/expected.inf" <<'PY'
import sys
raw = open(sys.argv[2], "rb").read()
text = raw[2:].decode("utf-16-le").replace("MinimumPasswordLength = 14\r\n", "MinimumPasswordLength = 12\r\n", 1)
open(sys.argv[2] + ".2", "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
PY
check "a changed value rewrites its line alone" cmp "$(template "$tmp/b")" "$tmp/expected.inf.2"
"$GPOKIT" gpo set-security "$tmp/b" --section "System Access" --key MinimumPasswordLength --value 14
"$GPOKIT" gpo set-security "$tmp/b" --section "Kerberos Policy" --key MaxTicketAge --remove
check "setting it back and removing the new one gives the original template, byte for byte" \
    cmp "$(template "$tmp/b")" "$(template "$tmp/orig")"

cp -r "$tmp/b" "$tmp/before-bad"
"$GPOKIT" gpo set-security "$tmp/b" --section "Kerberos Policy" --key MaxTicketAge --value ten 2>"$tmp/err"
check "a value that is not a number is refused (exit 2) naming the setting" \
    bash -c '[ "$1" = 2 ] && grep -q "Maximum lifetime for user ticket" "$2"' _ $? "$tmp/err"
"$GPOKIT" gpo set-security "$tmp/b" --section "System Access" --key PasswordComplexity --value 2 2>"$tmp/err"
check "an enabled/disabled setting takes 1 or 0 only (exit 2)" test $? -eq 2
"$GPOKIT" gpo set-security "$tmp/b" --section "Kerberos[Policy" --key X --value 1 2>"$tmp/err"
check "a section name with a bracket is refused (exit 2)" test $? -eq 2
check "... and nothing was written" diff -r "$tmp/before-bad" "$tmp/b"

# A SYSVOL folder without a template: one is made as Windows starts it.
cp -r "$GPOKIT_FIXTURES/gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}" "$tmp/s" && chmod -R u+w "$tmp/s"
"$GPOKIT" gpo set-security "$tmp/s" --section "Kerberos Policy" --key MaxClockSkew --value 5 2>"$tmp/err"
check "a SYSVOL folder gains a template (exit 0)" test $? -eq 0
/usr/bin/python3 -c '
import sys
text = "[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxClockSkew = 5\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
open(sys.argv[1], "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))' "$tmp/new.inf"
check "... at Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf, UTF-16LE with [Unicode] and [Version]" \
    cmp "$tmp/s/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf" "$tmp/new.inf"
check "... and GPT.INI's machine version goes from 2 to 3" grep -q '^Version=65539' "$tmp/s/GPT.INI"

# The Default Domain Policy fixture: its Kerberos policy's user ticket lifetime, 10 -> 8 hours.
ddp="$GPOKIT_FIXTURES/ddp/backup/{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}"
cp -r "$ddp" "$tmp/d" && chmod -R u+w "$tmp/d"
"$GPOKIT" gpo set-security "$tmp/d" --section "Kerberos Policy" --key MaxTicketAge --value 8 2>"$tmp/err"
/usr/bin/python3 - "$(template "$ddp")" "$tmp/ddp.inf" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
text = raw[2:].decode("utf-16-le")
assert text.count("MaxTicketAge = 10\r\n") == 1
open(sys.argv[2], "wb").write(raw[:2] + text.replace("MaxTicketAge = 10\r\n", "MaxTicketAge = 8\r\n").encode("utf-16-le"))
PY
check "the DDP's MaxTicketAge 10 -> 8: the template differs in that line alone, byte for byte" \
    cmp "$(template "$tmp/d")" "$tmp/ddp.inf"
check "... Backup.xml's machine version 3 -> 4" \
    grep -q '<MachineVersionNumber><!\[CDATA\[262148\]\]></MachineVersionNumber>' "$tmp/d/Backup.xml"
"$GPOKIT" diff "$ddp" "$tmp/d" >"$tmp/diff"
check "... diff: Kerberos Policy: Maximum lifetime for user ticket: 10 hours -> 8 hours" \
    grep -qF '~ Maximum lifetime for user ticket: 10 hours -> 8 hours' "$tmp/diff"

# A backup without a template gains one where GPMC puts it, listed in Backup.xml as GPMC
# lists it (checked with Python's XML parser against the backup's own entries).
bare="$GPOKIT_CORPUS/Windows-Secure-Host-Baseline/ActivClient/Group Policy Objects/Computer/{4700F508-14C1-4369-8518-0E47507A58A8}"
mkdir "$tmp/n" && cp -r "$bare" "$tmp/n/" && chmod -R u+w "$tmp/n"
n="$tmp/n/{4700F508-14C1-4369-8518-0E47507A58A8}"
"$GPOKIT" gpo set-security "$n" --section "Kerberos Policy" --key MaxTicketAge --value 8 2>"$tmp/err"
check "a backup without a template gains one (exit 0)" test $? -eq 0
/usr/bin/python3 -c '
import sys
text = "[Unicode]\r\nUnicode=yes\r\n[Kerberos Policy]\r\nMaxTicketAge = 8\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
open(sys.argv[1], "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))' "$tmp/new8.inf"
check "... at DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf, as Windows starts one" \
    cmp "$n/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf" "$tmp/new8.inf"
check "... Backup.xml lists it under Security and its folders under the file extension, as GPMC does" \
    /usr/bin/python3 - "$bare/Backup.xml" "$n/Backup.xml" "$n" <<'PY'
import os, sys
import xml.etree.ElementTree as ET
NS = "{http://www.microsoft.com/GroupPolicy/GPOOperations}"
def load(path):
    obj = ET.parse(path).getroot().find(NS + "GroupPolicyObject")
    return obj, {e.get(NS + "ID"): e for e in obj.findall(NS + "GroupPolicyExtension")}
old, old_ext = load(sys.argv[1])
new, new_ext = load(sys.argv[2])
SEC, FILES, REG = ("{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "{F15C46CD-82A0-4C2D-A210-5D0D3182A418}",
                   "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}")
assert set(new_ext) == set(old_ext) | {SEC}, new_ext.keys()
assert new_ext[SEC].get(NS + "DescName") == "Security"
# the prefix the backup's own entries use
prefix = old_ext[REG].find(NS + "FSObjectFile").get(NS + "SourceExpandedPath").rsplit("\\Machine\\", 1)[0]
rel = "microsoft\\windows nt\\SecEdit\\GptTmpl.inf"
[f] = list(new_ext[SEC])
assert f.tag == NS + "FSObjectFile"
assert f.get(NS + "Path") == "%GPO_MACH_FSPATH%\\" + rel
assert f.get(NS + "SourceExpandedPath") == prefix + "\\Machine\\" + rel
assert f.get(NS + "Location") == "DomainSysvol\\GPO\\Machine\\" + rel
assert f.get(NS + "ReEvaluateFunction") == "SecurityValidateSettings"
before = [(e.tag, e.get(NS + "Path")) for e in old_ext[FILES]]
after = [(e.tag, e.get(NS + "Path")) for e in new_ext[FILES]]
dirs = [(NS + "FSObjectDir", "%GPO_MACH_FSPATH%\\" + d) for d in
        ("microsoft", "microsoft\\windows nt", "microsoft\\windows nt\\SecEdit")]
assert after == before + dirs, after
for e in new.iter():
    loc = e.get(NS + "Location")
    if loc:
        assert os.path.exists(os.path.join(sys.argv[3], loc.replace("\\", "/"))), loc
core = new.find(NS + "GroupPolicyCoreSettings")
assert core.find(NS + "MachineVersionNumber").text == str(6 << 16 | 6)
assert core.find(NS + "MachineExtensionGuids").text == (
    "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"
    "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]")
PY
"$GPOKIT" gpo lint "$n" >"$tmp/lint"
check "... gpo lint finds nothing but the stale gpreport.xml" \
    bash -c '[ "$(grep -c . "$1")" = 1 ] && grep -q "gpreport-stale" "$1"' _ "$tmp/lint"
"$GPOKIT" gpo set-security "$n" --section "Kerberos Policy" --key MaxTicketAge --remove
check "... removing the setting again adds no second entry" \
    test "$(grep -o 'bkp:Path="%GPO_MACH_FSPATH%\\microsoft\\windows nt\\SecEdit\\GptTmpl.inf"' "$n/Backup.xml" | wc -l)" = 1
finish set_security
