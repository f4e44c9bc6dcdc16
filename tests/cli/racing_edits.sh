#!/usr/bin/env bash
# Two edits of the same GPO at once never lose one silently: pairs of `gpo set` start
# together on one backup (GPOKIT_RACE_PAIRS, default 20), each setting its own value.
# Each edit either lands (exit 0) or is refused with exit 2 because the GPO changed
# after it read it; a value whose edit exited 0 is always in the final registry.pol,
# read by Samba's parser (python3-samba) when it is installed, else by gpokit's JSON.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
pairs=${GPOKIT_RACE_PAIRS:-20}
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-race.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
id='{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}'
key='Software\Policies\gpokit\Race'

# The names of the values in a registry.pol, one a line.
values() {
    if /usr/bin/python3 -c 'import samba.gp_parse.gp_pol' 2>/dev/null; then
        /usr/bin/python3 - "$1" <<'PY'
import sys
from samba.gp_parse.gp_pol import GPPolParser
p = GPPolParser()
p.parse(open(sys.argv[1], "rb").read())
for e in p.pol_file.entries:
    print(e.valuename)
PY
    else
        "$GPOKIT" pol show "$1" --format json | grep -o '"value": "[^"]*"' | cut -d'"' -f4
    fi
}

lost=0; refused=0; both=0; bad=0
for ((i = 0; i < pairs; i++)); do
    dir="$tmp/r$i"
    mkdir -p "$dir"
    cp -r "$GPOKIT_SOURCE/fixtures/ddp/backup/$id" "$dir/"
    "$GPOKIT" gpo set "$dir/$id" --side machine "$key" A --type dword --data 1 >"$dir/a.out" 2>"$dir/a.err" &
    pa=$!
    "$GPOKIT" gpo set "$dir/$id" --side machine "$key" B --type dword --data 2 >"$dir/b.out" 2>"$dir/b.err" &
    pb=$!
    wait $pa; ra=$?
    wait $pb; rb=$?
    names="$(values "$dir/$id/DomainSysvol/GPO/Machine/registry.pol")"
    for who in a b; do
        rc=$([ $who = a ] && echo $ra || echo $rb)
        name=$(echo $who | tr ab AB)
        if [ "$rc" = 0 ]; then
            if ! grep -qx "$name" <<<"$names"; then
                echo "FAIL pair $i: edit $name exited 0 but its value is not in registry.pol"
                lost=$((lost + 1))
            fi
        elif [ "$rc" = 2 ] && grep -q "changed since gpokit read it" "$dir/$who.err"; then
            refused=$((refused + 1))
        else
            echo "FAIL pair $i: edit $name exited $rc: $(cat "$dir/$who.err")"
            bad=$((bad + 1))
        fi
    done
    [ "$ra" = 0 ] && [ "$rb" = 0 ] && both=$((both + 1))
    # Whatever happened, the backup still loads.
    "$GPOKIT" gpo show "$dir/$id" >/dev/null || { echo "FAIL pair $i: the backup no longer loads"; bad=$((bad + 1)); }
done
echo "racing edits: $pairs pairs, $both with both edits landed one after the other, $refused edits refused (exit 2), $lost lost, $bad other failures"
[ $lost = 0 ] && [ $bad = 0 ]
