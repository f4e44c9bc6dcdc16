#!/usr/bin/env bash
# The estate diff: a `live fetch --all` folder against the live domain after changes made
# with Samba's own tools (a GPO created, one deleted, one given a registry value and a
# link): exactly those GPOs are added, removed and changed, the rest unchanged; --gpo
# narrows to one GPO; a GPO missing from the folder is a problem (exit 2), not "added";
# a fresh fetch, a backup root of the domain and the domain itself agree. Most diffs
# compare a second `live fetch --all` folder (checked to diff as the domain does), so the
# test reads the whole domain only a few times.
source "$(dirname "$0")/lib.sh"

sam() { samba-tool "$@" -H "ldap://$SAMBA_DC_HOST" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" >/dev/null 2>&1; }
use_new_gpo "gpokit estate kept"
KEPT=$GUID
use_new_gpo "gpokit estate gone"
GONE=$GUID

run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" --all --output "$TMP/before" "${AUTH[@]}"
check "live fetch --all exits 0" test $? -eq 0

# The changes, made without gpokit.
NEW=$(new_gpo "gpokit estate new")
check "samba-tool creates a GPO ($NEW)" test -n "$NEW"
check "samba-tool deletes one" sam gpo del "$GONE"
check "samba-tool links one to the domain" sam gpo setlink "$BASE_DN" "$KEPT"
check "Samba's bindings set a registry value in it" \
    oracle_set "$KEPT" 'Software\Policies\gpokit\estate' Colour blue

run_gk "$TMP/diff.json" "$TMP/err" diff "$TMP/before" "$LIVE" --format json "${AUTH[@]}"
check "diff snapshot folder -> live domain exits 1" test $? -eq 1
check "... exactly: the new GPO added, the deleted one removed, the edited one changed, the rest unchanged" \
    /usr/bin/python3 - "$TMP/diff.json" "$NEW" "$GONE" "$KEPT" "$BASE_DN" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
new, gone, kept, base = (a.upper() for a in sys.argv[2:6])
assert d["kind"] == "estate", d.keys()
by = {g["guid"].upper(): g for g in d["gpos"]}
assert by[new]["status"] == "added" and by[new]["a"] is None and by[new]["name"] == "gpokit estate new", by[new]
assert by[gone]["status"] == "removed" and by[gone]["b"] is None, by[gone]
k = by[kept]
assert k["status"] == "changed" and k["matched_by"] == "guid", k
values = [(c["key"], c["value"], c["change"], c["after"]["data"]) for c in k["diff"]["changes"]]
assert values == [("Software\\Policies\\gpokit\\estate", "Colour", "added", "blue")], values
links = [m for m in k["diff"]["metadata"] if m["field"].startswith("link ")]
assert len(links) == 1 and links[0]["field"].upper() == "LINK " + base, links
assert links[0]["before"] == "(not linked)" and links[0]["after"] == "enabled", links
others = [g for g in d["gpos"] if g["guid"].upper() not in (new, gone, kept)]
assert others and all(g["status"] == "unchanged" and g["diff"] is None for g in others), others
s = d["summary"]
assert (s["added"], s["removed"], s["changed"], s["unchanged"]) == (1, 1, 1, len(others)), s
assert d["problems"] == [], d["problems"]
PY
# The rest compares folders: the domain fetched once more, now.
run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" --all --output "$TMP/now" "${AUTH[@]}"
check "the folder fetched now diffs as the domain did (same JSON but for the paths)" bash -c '
    "$1" diff "$2/before" "$2/now" --format json | sed "s|$2/now|LIVE|g" > "$2/offline.json"
    sed "s|$3|LIVE|g" "$2/diff.json" | cmp - "$2/offline.json"' _ "$GPOKIT" "$TMP" "$LIVE"
run_gk "$TMP/only.json" "$TMP/err" diff "$TMP/before" "$TMP/now" --format json --only-changed
check "--only-changed lists the three GPOs alone" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(g["status"] for g in d["gpos"]) == ["added", "changed", "removed"], d["gpos"]' "$TMP/only.json"
run_gk "$TMP/diff.txt" "$TMP/err" diff "$TMP/before" "$TMP/now" --only-changed
check "the text names them with + - ~" bash -c 'grep -qF "+ gpokit estate new $2" "$1" && grep -qF "~ gpokit estate kept $3" "$1" &&
    grep -qF -- "- gpokit estate gone $4" "$1" && grep -qF "Colour = REG_SZ \"blue\"" "$1"' _ "$TMP/diff.txt" "$NEW" "$KEPT" "$GONE"
for format in markdown html csv; do
    run_gk "$TMP/diff.$format" "$TMP/err" diff "$TMP/before" "$TMP/now" --format "$format"
    check "--format $format exits 1 and names the changed GPO" bash -c '[ "$1" = 1 ] && grep -qi "$3" "$2"' _ $? \
        "$TMP/diff.$format" "$KEPT"
done

run_gk "$TMP/one.json" "$TMP/err" diff "$TMP/before" "$LIVE" --gpo "gpokit estate kept" --format json "${AUTH[@]}"
check "--gpo narrows both sides to that GPO (one GPO's diff, exit 1)" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "kind" not in d and [c["value"] for c in d["changes"]] == ["Colour"], d' "$TMP/one.json"

# A snapshot missing from the folder: not known to be added.
cp -a "$TMP/before" "$TMP/partial"
rm -rf "$TMP/partial/$SAMBA_DDP_GUID"
run_gk "$TMP/p.json" "$TMP/err" diff "$TMP/partial" "$TMP/now" --format json
check "a snapshot missing from the folder: exit 2" test $? -eq 2
check "... named as a problem, not as an added GPO" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); ddp = sys.argv[2].upper()
assert any(ddp in p.upper() for p in d["problems"]), d["problems"]
assert all(g["guid"].upper() != ddp for g in d["gpos"]), d["gpos"]' "$TMP/p.json" "$SAMBA_DDP_GUID"
check "... and on standard error" grep -qi "$SAMBA_DDP_GUID" "$TMP/err"

run_gk "$TMP/same" "$TMP/err" diff "$LIVE" "$TMP/now" "${AUTH[@]}"
check "the domain against the folder fetched now: exit 0, quietly" bash -c '[ "$1" = 0 ] && [ ! -s "$2" ]' _ $? "$TMP/same"
check "the domain against itself (--all): exit 0" gk diff "$LIVE" "$LIVE" --all "${AUTH[@]}" --jobs 2
run_gk "$TMP/out" "$TMP/err" gpo backup "$LIVE" --all --output "$TMP/backups" "${AUTH[@]}"
check "a backup root of the domain against the folder fetched now, settings only: exit 0" \
    gk diff "$TMP/backups" "$TMP/now" --ignore-metadata

sam gpo dellink "$BASE_DN" "$KEPT"
sam gpo del "$KEPT"
sam gpo del "$NEW"
finish
