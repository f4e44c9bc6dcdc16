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

# gpo show and policy show list the audit policy and preference items by area.
"$GPOKIT" gpo show "$tmp/b" >"$tmp/show"
check "gpo show lists the audit subcategories and preference items by area" bash -c \
    'grep -q "^machine advanced audit policy (.*audit.csv), 5 settings:\$" "$1" &&
     grep -q "^    Audit Credential Validation: Success and Failure\$" "$1" &&
     grep -q "^    Audit Logon (S-1-5-21-1000-2000-3000-1105): Success\$" "$1" &&
     grep -q "^machine preferences, 3 items:\$" "$1" && grep -q "^  Preferences: Groups\$" "$1" &&
     grep -q "^    LocalSupport: " "$1" && grep -q "^user preferences: none\$" "$1"' _ "$tmp/show"
"$GPOKIT" gpo show "$tmp/a" >"$tmp/show-a"
check "... and says none for a GPO without them" bash -c \
    'grep -q "^machine advanced audit policy: none\$" "$1" && grep -q "^machine preferences: none\$" "$1"' _ "$tmp/show-a"
"$GPOKIT" gpo show "$tmp/b" --format json >"$tmp/show.json"
check "gpo show JSON: audit and preferences by side, with file and line" /usr/bin/python3 - "$tmp/show.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
audit = {s["name"]: s for s in d["audit"]}
assert audit["Audit Credential Validation"]["value"] == "Success and Failure", audit
assert audit["Audit Credential Validation"]["line"] == 2 and audit["Audit Credential Validation"]["file"].endswith("audit.csv")
prefs = d["preferences"]
assert {s["name"] for s in prefs["machine"]} == {"LocalSupport", "Guest", "Administrators (built-in)"}, prefs
assert all(s["scope"] == "preferences" and s["area"] == "Preferences: Groups" for s in prefs["machine"])
assert prefs["user"] == []
PY
"$GPOKIT" policy show "$tmp/b" >"$tmp/policy"
check "policy show lists them under Security Settings and Preferences" bash -c \
    'grep -q "^  Security Settings\$" "$1" && grep -q "^    Advanced Audit Policy\$" "$1" &&
     grep -q "^      Audit Credential Validation: Success and Failure\$" "$1" &&
     grep -q "^  Preferences\$" "$1" && grep -q "^    Preferences: Groups\$" "$1" &&
     grep -q "^      Guest: " "$1"' _ "$tmp/policy"
"$GPOKIT" policy show "$tmp/b" --side user >"$tmp/policy-user"
check "... the machine's settings only on the machine side" bash -c \
    '! grep -q "Audit\|Preferences" "$1"' _ "$tmp/policy-user"

# compare: one row per audit subcategory and preference item, absent where a GPO lacks it.
cp -r "$tmp/b" "$tmp/c"
sed -i 's/^,System,Audit Credential Validation,\(.*\),Success and Failure,,3/,System,Audit Credential Validation,\1,Success,,1/' \
    "$tmp/c/MACHINE/Microsoft/Windows NT/Audit/audit.csv"
"$GPOKIT" compare "$tmp/a" "$tmp/b" "$tmp/c" --format json >"$tmp/compare.json"
check "compare: a changed audit setting is a conflict (exit 1)" test $? -eq 1
check "... rows for audit and preference settings, absent in the GPO without them" /usr/bin/python3 - "$tmp/compare.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {(s["scope"], s.get("area"), s.get("name")): s for s in d["settings"] if s["scope"] != "registry"}
cred = rows[("security", "Advanced Audit Policy", "Audit Credential Validation")]
assert cred["status"] == "conflict" and cred["values"] == [None, "Success and Failure", "Success"], cred
guest = rows[("preferences", "Preferences: Groups", "Guest")]
assert guest["status"] == "absent" and guest["values"][0] is None and guest["values"][1] == guest["values"][2], guest
assert d["conflicts"] == 1, d["conflicts"]
assert len(rows) == 5 + 3, sorted(rows)
PY

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
