#!/usr/bin/env bash
# Every JSON document gpokit writes, checked against its schema in docs/schema/ by an
# independent validator (python3-jsonschema's Draft202012Validator, tests/cli/json_schemas.py):
# each schema against the 2020-12 metaschema; the output of every --format json command
# on the fixtures (pol show and --effective, pol check, gpo list/show/lint, policy
# list/show, kerberos show, diff of two GPOs, two registry.pol files and two sets of
# GPOs, with and without --records, compare, trust plan/keys/verify); the JSON golden
# outputs of tests/cli/golden/; and, when the corpus is present, gpo show, gpo lint,
# pol show and diff --records over every backup and registry.pol in it. Snapshot and
# estate files need a domain controller: tests/live/fetch.sh and fetch_all.sh check
# the ones they write. Skipped (77) without the validator.
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_FIXTURES:?GPOKIT_FIXTURES must name the fixtures folder}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
schemas="$GPOKIT_SOURCE/docs/schema"
validate="$GPOKIT_SOURCE/tests/cli/json_schemas.py"

# Debian's python3-jsonschema is for /usr/bin/python3; another python3 first on PATH may
# have its own.
python=
for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'from jsonschema import Draft202012Validator' 2>/dev/null; then
        python=$candidate
        break
    fi
done
if [ -z "$python" ]; then
    echo "SKIPPED: python3-jsonschema (Draft202012Validator) is not installed"
    exit 77
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-schemas.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
n=0
# out EXPECTED_STATUSES ARGS...: runs gpokit, keeps its stdout as a document to validate.
out() {
    local statuses=$1
    shift
    n=$((n + 1))
    "$GPOKIT" "$@" >"$tmp/$n.json" 2>"$tmp/$n.err" </dev/null
    local rc=$?
    case " $statuses " in
    *" $rc "*) ;;
    *)
        echo "FAIL gpokit $* exited $rc: $(head -c 300 "$tmp/$n.err")"
        failed=$((failed + 1))
        rm -f "$tmp/$n.json"
        ;;
    esac
}

f=$GPOKIT_FIXTURES
ddp="$f/ddp/backup"
for pol in "$f"/pol/*.pol; do
    out 0 pol show "$pol" --format json
    out 0 pol show "$pol" --format json --effective
done
pol_doc="$tmp/$((n - 1)).json" # sample-machine.pol's records, for the refusals below
out 0 pol show "$f/malformed/14-record-plus-stray-byte.pol" --format json --lenient
out "0 1" pol check "$f"/pol/*.pol --format json
out 1 pol check "$f"/malformed/*.pol --format json
out 0 gpo list "$f/gpo/backups" --format json
out 0 gpo list "$f/ddp/backup" --format json
for target in "$f/gpo/backups" "$f"/gpo/sysvol/* "$ddp" "$f/ddp/staged" "$f/ddp/kerberos"; do
    out 0 gpo show "$target" --format json
    out "0 1" gpo lint "$target" --format json
    out 0 policy show "$target" --format json
    out 0 kerberos show "$target" --format json
done
out 0 policy show "$f/pol/realms.pol" --format json --side machine
out 0 kerberos show "$f/pol/realms.pol" --format json
out 0 policy show "$ddp" --format json --side user
out 0 policy list --format json
out 1 diff "$ddp" "$f/ddp/staged" --format json
out 1 diff "$ddp" "$f/ddp/staged" --format json --records
out 1 diff "$ddp"/* "$f/ddp/kerberos"/* --format json --records
diff_doc="$tmp/$n.json" # for the refusals below
out "0 1" diff "$ddp"/* "$f/ddp/staged"/* --format json --side user
out 1 diff "$f/pol/sample-machine.pol" "$f/pol/realms.pol" --format json --records
out 0 diff "$ddp"/* "$ddp"/* --format json
out 1 diff "$f/gpo/backups" "$ddp" --format json
out 1 diff "$ddp" "$f/ddp/kerberos" --format json --only-changed
out "0 1" compare "$ddp" "$f/ddp/staged" "$f/ddp/kerberos" --format json
out "0 1" compare "$f/pol/sample-machine.pol" "$f/pol/realms.pol" --format json
out 0 trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction incoming \
    --kdc kerberos.zscalerbeta.net --map .zscalerbeta.net --map .gateway.zscalerbeta.net --format json
cp "$tmp/$n.json" "$tmp/plan"
out 0 trust plan --domain CORP.EXAMPLE.COM --realm ZSCALERBETA.NET --direction both --transitive --enctypes aes,rc4 --format json
printf '%s\n' 'Secret123!' >"$tmp/pw"
out 0 trust keys --plan "$tmp/plan" --trust-password-file "$tmp/pw" --format json
out 0 trust keys --plan "$tmp/plan" --trust-password-file "$tmp/pw" --format json --show-keys
printf '%s\r\n' '' 'CN                            : ZSCALERBETA.NET' \
    'flatName                      : ZSCALERBETA.NET' 'msDS-SupportedEncryptionTypes : 28' \
    'Name                          : ZSCALERBETA.NET' 'ObjectClass                   : trustedDomain' \
    'trustAttributes               : 1' 'trustDirection                : 1' \
    'trustPartner                  : ZSCALERBETA.NET' 'trustType                     : 3' '' >"$tmp/tdo.txt"
out "0 1" trust verify "$tmp/tdo.txt" --plan "$tmp/plan" --format json

out 0 stage create "$ddp"/* --base "$ddp" -o "$tmp/bundle"
cp "$tmp/bundle/bundle.json" "$tmp/bundle-manifest.json"
out 0 stage verify "$tmp/bundle" --format json
out 0 stage show "$tmp/bundle" --format json
rm -f "$tmp/$((n - 2)).json" # stage create prints the bundle's path, not JSON

goldens=()
for args in "$GPOKIT_SOURCE"/tests/cli/golden/*.args; do
    grep -qx json "$args" && goldens+=("${args%.args}.stdout")
done

corpus=()
# The corpus sweep checks output formats, which the sanitizers do not change: it runs in
# the unsanitized builds only, to keep the sanitized run short.
if [ "${GPOKIT_SANITIZED:-0}" = 1 ]; then
    echo "note: a sanitized build: fixtures only (the corpus sweep runs in the unsanitized build)"
elif [ -d "${GPOKIT_CORPUS:-}" ]; then
    mapfile -d '' backups < <(find "$GPOKIT_CORPUS" -iname Backup.xml -printf '%h\0' | sort -z)
    previous=
    for b in "${backups[@]}"; do
        out 0 gpo show "$b" --format json
        out "0 1" gpo lint "$b" --format json
        [ -n "$previous" ] && out "0 1" diff "$previous" "$b" --format json --records
        previous=$b
    done
    mapfile -d '' pols < <(find "$GPOKIT_CORPUS" -iname registry.pol -print0 | sort -z)
    for p in "${pols[@]}"; do
        out 0 pol show "$p" --format json --lenient
        out 0 pol show "$p" --format json --effective --lenient
    done
    echo "corpus: ${#backups[@]} backups, ${#pols[@]} registry.pol files"
else
    echo "note: the corpus is not at ${GPOKIT_CORPUS:-(unset)}: fixtures only"
fi

documents=("$tmp"/*.json)
"$python" "$validate" "$schemas" \
    --require gpokit-pol-records/1 --require gpokit-pol-effective/1 --require gpokit-pol-check/1 \
    --require gpokit-gpo-list/1 --require gpokit-gpo-show/1 --require gpokit-gpo-lint/1 \
    --require gpokit-policy-list/1 --require gpokit-policy-show/1 --require gpokit-kerberos-show/1 \
    --require gpokit-diff/1 --require gpokit-estate-diff/1 --require gpokit-compare/1 \
    --require gpokit-trust-plan/1 --require gpokit-trust-keys/1 --require gpokit-trust-verify/1 \
    --require gpokit-bundle/1 --require gpokit-stage-verify/1 --require gpokit-stage-show/1 \
    "${documents[@]}" "${goldens[@]}"
check "every document validates against its schema (${#documents[@]} outputs, ${#goldens[@]} golden files)" test $? = 0

# The schemas catch regressions: a change kind, a member or a data type gpokit does not
# write is refused.
"$python" - "$diff_doc" "$pol_doc" "$tmp/bad" <<'PY'
import json, os, sys
diff, pol, out = sys.argv[1:4]
os.mkdir(out)
def bad(name, source, edit):
    doc = json.load(open(source))
    edit(doc)
    json.dump(doc, open(os.path.join(out, name + ".json"), "w"))
bad("change-kind", diff, lambda d: d["changes"][0].update(change="changed"))
bad("extra-member", diff, lambda d: d["changes"][0].update(extra=1))
bad("missing-lines", diff, lambda d: d.pop("lines"))
bad("dword-as-text", pol, lambda d: d["records"][0].update(type="REG_DWORD", data="1"))
bad("major-version", pol, lambda d: d.update(schema="gpokit-pol-records/2"))
PY
check "five broken documents made" test "$(ls "$tmp/bad" | wc -l)" = 5
for doc in "$tmp"/bad/*.json; do
    check "refused: $(basename "$doc" .json)" bash -c '! "$1" "$2" "$3" "$4" >/dev/null' _ "$python" "$validate" "$schemas" "$doc"
done
finish "json schemas"
