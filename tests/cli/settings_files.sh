#!/usr/bin/env bash
# The GPO's settings files beyond registry.pol through the commands: a preferences file
# with a password is a lint finding at its line and column (MS14-025), an empty one is
# not; a malformed template, audit.csv or preferences file is a lint finding with its
# position; diff reports preference items, audit subcategories and template settings by
# name instead of "file changed".
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_FIXTURES:?GPOKIT_FIXTURES must name the fixtures folder}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-settings.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
cp -r "$GPOKIT_FIXTURES/gpo/sysvol/{31B2F340-016D-11D2-945F-00C04FB984F9}" "$tmp/a" && chmod -R u+w "$tmp/a"
cp -r "$tmp/a" "$tmp/b"
mkdir -p "$tmp/b/MACHINE/Preferences/Groups" "$tmp/b/MACHINE/Microsoft/Windows NT/Audit"
cp "$GPOKIT_FIXTURES/preferences/Groups.xml" "$tmp/b/MACHINE/Preferences/Groups/Groups.xml"
cp "$GPOKIT_FIXTURES/preferences/audit.csv" "$tmp/b/MACHINE/Microsoft/Windows NT/Audit/audit.csv"

"$GPOKIT" gpo lint "$tmp/b" >"$tmp/lint" 2>&1
check "lint: a preference password is a finding (exit 1)" test $? -eq 1
check "... at its line and column, once (the empty cpassword=\"\" is not one)" bash -c \
    '[ "$(grep -c "\[cpassword\]" "$1")" = 1 ] && grep -q "Groups.xml:4:[0-9]*: .*MS14-025" "$1"' _ "$tmp/lint"

"$GPOKIT" diff "$tmp/a" "$tmp/b" --format json >"$tmp/diff.json"
check "diff exits 1 and names preference items and audit subcategories, not files" /usr/bin/python3 - "$tmp/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
prefs = [c for c in d["changes"] if c["scope"] == "preferences"]
audit = [c for c in d["changes"] if c.get("area") == "Advanced Audit Policy"]
assert {c["name"] for c in prefs} == {"LocalSupport", "Guest", "Administrators (built-in)"}, prefs
assert all(c["change"] == "added" and c["area"] == "Preferences: Groups" for c in prefs), prefs
admins = [c for c in prefs if c["name"] == "Administrators (built-in)"][0]
assert "Workstation Admins" in admins["after"] and "targeting" in admins["after"], admins
assert audit and all(c["change"] == "added" for c in audit), audit
assert not [f for f in d["files"] if "groups.xml" in f["path"] or "audit.csv" in f["path"]], d["files"]
PY
"$GPOKIT" diff "$tmp/a" "$tmp/b" >/dev/null
check "... (exit status 1)" test $? -eq 1

# Malformed settings files are lint findings with their positions.
cp "$GPOKIT_FIXTURES/preferences/malformed-action.xml" "$tmp/b/MACHINE/Preferences/Groups/Groups.xml"
cp "$GPOKIT_FIXTURES/preferences/audit-number.csv" "$tmp/b/MACHINE/Microsoft/Windows NT/Audit/audit.csv"
mkdir -p "$tmp/b/MACHINE/Microsoft/Windows NT/SecEdit"
printf '\xff\xfe[\x00S\x00y\x00s\x00\r\x00\n\x00' >"$tmp/b/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf"
"$GPOKIT" gpo lint "$tmp/b" >"$tmp/lint2" 2>&1
check "lint: a malformed preferences file, audit.csv and template are findings at their positions" bash -c \
    'grep -q "Groups.xml:4:15: .*\[settings\]" "$1" && grep -q "audit.csv:2:69: .*\[settings\]" "$1" &&
     grep -q "GptTmpl.inf:1:1: .*\[settings\]" "$1"' _ "$tmp/lint2"
"$GPOKIT" diff "$tmp/a" "$tmp/b" 2>"$tmp/err" >/dev/null
check "diff of a GPO with a malformed template: exit 2, naming the file and position" bash -c \
    '[ "$1" = 2 ] && grep -q "GptTmpl.inf:1:1" "$2"' _ $? "$tmp/err"
finish settings_files
