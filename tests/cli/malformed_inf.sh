#!/usr/bin/env bash
# Malformed security templates: every command that reads a GPO's GptTmpl.inf must fail
# cleanly, naming the template at the line and column recorded in
# fixtures/malformed-inf/MANIFEST.tsv (written by scripts/make-malformed-inf-fixtures),
# and must never touch the GPO.
#
# Each fixture is planted as the security template of two GPOs: a copy of the Default
# Domain Policy backup (fixtures/ddp/backup, replacing its template) and a copy of the
# SYSVOL folder fixtures/gpo/sysvol (as MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf).
# On the backup (the SYSVOL folder: show, diff, set-security and lint only):
#   gpo show, gpo show --format json, diff BROKEN HEALTHY, diff HEALTHY BROKEN,
#   diff --format json, gpo set-security (Kerberos Policy MaxTicketAge 8; for real, with
#   --dry-run and with --output): exit 2, stderr starting "gpokit: error: " and holding
#   "TEMPLATE:LINE:COLUMN:" (HEALTHY: an untouched copy of the same GPO);
#   gpo lint: a finding (exit 1; or 2) naming the same position, since lint reports a
#     settings file that does not parse as a finding rather than stopping;
#   after every command: no crash (exit < 128), no timeout, and the tree of copies is
#     exactly as before (same entries, same sha256 of every file; no --output folder,
#     no .gpokit-* left).
# Left out, as they do not read the template: gpo set / delete / ... (registry.pol edits,
# whose bookkeeping leaves GptTmpl.inf alone), gpo list, gpo backup (copies its bytes),
# compare (registry settings only).
# Then each case's valid twin (the generator's --valid) must be accepted in the backup:
# gpo show and gpo lint exit 0. The controls are required: a case whose twin is not
# checked fails.
#
# Environment: GPOKIT (the binary), GPOKIT_FIXTURES (the fixtures folder),
# GPOKIT_SOURCE (the repository root; for the generator, and for the fixtures when
# GPOKIT_FIXTURES is unset).
# Output: one `ok NAME` / `FAIL NAME: reason` line per case, then a summary.
# Exit status: 0 when every case passed, 1 otherwise.
set -u

if [[ -z "${GPOKIT:-}" || ! -x "${GPOKIT:-}" ]]; then
    echo "malformed_inf: GPOKIT is not set to an executable gpokit binary" >&2
    exit 1
fi
source_dir="${GPOKIT_SOURCE:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)}"
fixtures="${GPOKIT_FIXTURES:-$source_dir/fixtures}"
cases_dir="$fixtures/malformed-inf"
manifest="$cases_dir/MANIFEST.tsv"
if [[ ! -f "$manifest" ]]; then
    echo "malformed_inf: no manifest at $manifest (run scripts/make-malformed-inf-fixtures)" >&2
    exit 1
fi
ddp="$(find "$fixtures/ddp/backup" -mindepth 1 -maxdepth 1 -type d -print -quit)"
sysvol="$(find "$fixtures/gpo/sysvol" -mindepth 1 -maxdepth 1 -type d -print -quit)"
if [[ -z "$ddp" || -z "$sysvol" ]]; then
    echo "malformed_inf: no GPO to plant the templates in ($fixtures/ddp/backup, $fixtures/gpo/sysvol)" >&2
    exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-malformed-inf.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

# Guard against hangs when coreutils' timeout is there.
runner=()
if command -v timeout >/dev/null 2>&1; then
    runner=(timeout --kill-after=5 60)
fi

# Untouched copies of the two GPOs, the other side of each diff.
mkdir -p -- "$tmp/healthy" && cp -R -- "$ddp" "$tmp/healthy/backup" && cp -R -- "$sysvol" "$tmp/healthy/sysvol" || exit 1

passed=0
failed=0
entries=0
cases=() # every case in the manifest: each needs its valid twin checked

# run ARGS...: runs gpokit; leaves stdout/stderr in $tmp/out, $tmp/err; sets $rc.
run() {
    "${runner[@]}" "$GPOKIT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
}

# snapshot DIR: every entry with its type, then the sha256 of every file, sorted.
snapshot() {
    (
        cd -- "$1" || exit 1
        find . -mindepth 1 -printf '%y %p\n' | LC_ALL=C sort
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    )
}

excerpt() {
    head -c 300 -- "$1" | tr '\n' ' '
}

# template_of GPO: the security template's path inside the GPO folder GPO (any case).
template_of() {
    find "$1" -type f -ipath '*/machine/microsoft/windows nt/secedit/gpttmpl.inf' -print -quit
}

# after LABEL: the checks that follow every command; sets $reason on failure.
after() {
    local label="$1" now
    if ((rc >= 128)); then
        reason="$label: crashed (exit $rc): $(excerpt "$tmp/err")"
        return 1
    fi
    if ((${#runner[@]} > 0 && rc == 124)); then
        reason="$label: timed out"
        return 1
    fi
    now="$(snapshot "$tmp/cases")"
    if [[ "$now" != "$before" ]]; then
        reason="$label: the tree changed: $(diff <(printf '%s\n' "$before") <(printf '%s\n' "$now") |
            grep '^[<>]' | head -n 6 | tr '\n' ' ')"
        return 1
    fi
}

# expect_error LABEL WHERE: exit 2, "gpokit: error: " first, WHERE in stderr.
expect_error() {
    local label="$1" where="$2"
    if ((rc != 2)); then
        reason="$label: exit $rc, expected 2; stderr: $(excerpt "$tmp/err")"
        return 1
    fi
    if [[ "$(head -c 15 -- "$tmp/err")" != "gpokit: error: " ]]; then
        reason="$label: stderr does not start with 'gpokit: error: ': $(excerpt "$tmp/err")"
        return 1
    fi
    if ! grep -qF -- "$where" "$tmp/err"; then
        reason="$label: stderr lacks '$where': $(excerpt "$tmp/err")"
        return 1
    fi
}

# check_gpo LABEL GPO HEALTHY WHERE: every reading command on the GPO folder GPO, whose
# template is broken at WHERE ("PATH:LINE:COLUMN:"); HEALTHY is an untouched copy.
check_gpo() {
    local host="$1" gpo="$2" healthy="$3" where="$4"
    local set=(gpo set-security "$gpo" --section "Kerberos Policy" --key MaxTicketAge --value 8)

    run gpo show "$gpo"
    after "$host show" && expect_error "$host show" "$where" || return
    run diff "$gpo" "$healthy"
    after "$host diff" && expect_error "$host diff" "$where" || return
    if [[ "$host" == backup ]]; then
        run gpo show "$gpo" --format json
        after "$host show-json" && expect_error "$host show-json" "$where" || return
        run diff "$healthy" "$gpo"
        after "$host diff-reversed" && expect_error "$host diff-reversed" "$where" || return
        run diff "$gpo" "$healthy" --format json
        after "$host diff-json" && expect_error "$host diff-json" "$where" || return
        run "${set[@]}" --dry-run
        after "$host set-security-dry-run" && expect_error "$host set-security-dry-run" "$where" || return
        run "${set[@]}" --output "$tmp/cases/edited"
        after "$host set-security-output" && expect_error "$host set-security-output" "$where" || return
    fi
    run "${set[@]}"
    after "$host set-security" && expect_error "$host set-security" "$where" || return
    run gpo lint "$gpo"
    after "$host lint" || return
    if ((rc != 1 && rc != 2)); then
        reason="$host lint: exit $rc, expected 1 or 2: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
        return
    fi
    if ! cat -- "$tmp/out" "$tmp/err" | grep -qF -- "$where"; then
        reason="$host lint: output lacks '$where': $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
        return
    fi
}

# check_case NAME LINE COLUMN: sets $reason on the first failure.
check_case() {
    local name="$1" line="$2" column="$3"
    local backup="$tmp/cases/backup/$(basename -- "$ddp")"
    local folder="$tmp/cases/sysvol/$(basename -- "$sysvol")"
    local template

    rm -rf -- "$tmp/cases"
    mkdir -p -- "$tmp/cases/backup" "$tmp/cases/sysvol" || { reason="cannot create $tmp/cases"; return; }
    cp -R -- "$ddp" "$tmp/cases/backup/" && cp -R -- "$sysvol" "$tmp/cases/sysvol/" ||
        { reason="cannot copy the GPOs"; return; }
    template="$(template_of "$backup")"
    [[ -n "$template" ]] || { reason="the backup has no GptTmpl.inf to replace"; return; }
    cp -- "$cases_dir/$name" "$template" || { reason="cannot plant the template"; return; }
    [[ -z "$(template_of "$folder")" ]] || { reason="the SYSVOL folder already has a template"; return; }
    local machine
    machine="$(find "$folder" -mindepth 1 -maxdepth 1 -type d -iname machine -print -quit)"
    [[ -n "$machine" ]] || { reason="the SYSVOL folder has no Machine folder"; return; }
    mkdir -p -- "$machine/Microsoft/Windows NT/SecEdit" &&
        cp -- "$cases_dir/$name" "$machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf" ||
        { reason="cannot plant the template in the SYSVOL folder"; return; }
    before="$(snapshot "$tmp/cases")"

    check_gpo backup "$backup" "$tmp/healthy/backup" "$template:$line:$column:" || return
    [[ -z "$reason" ]] || return
    check_gpo sysvol "$folder" "$tmp/healthy/sysvol" \
        "$machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf:$line:$column:"
}

line_no=0
while IFS=$'\t' read -r name position description || [[ -n "${name:-}" ]]; do
    line_no=$((line_no + 1))
    position="${position%$'\r'}"
    if ((line_no == 1)) && [[ "$name" == file ]]; then
        continue # header
    fi
    [[ -z "$name" || "$name" == \#* ]] && continue
    entries=$((entries + 1))
    cases+=("$name")

    reason=""
    if [[ ! "$position" =~ ^([1-9][0-9]*):([1-9][0-9]*)$ ]]; then
        reason="manifest line $line_no: bad line:column '$position'"
    elif [[ "$name" == */* || "$name" == .* || ! -f "$cases_dir/$name" ]]; then
        reason="manifest line $line_no: no fixture '$name'"
    else
        check_case "$name" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    fi

    if [[ -z "$reason" ]]; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name: $reason"
        failed=$((failed + 1))
    fi
done <"$manifest"

if ((entries < 15)); then
    echo "FAIL manifest: only $entries entries, expected at least 15"
    failed=$((failed + 1))
fi

# The valid twins: only the planted defect may be wrong in a case.
generator="$source_dir/scripts/make-malformed-inf-fixtures"
declare -A controlled=()
if ! command -v python3 >/dev/null 2>&1 || [[ ! -f "$generator" ]]; then
    echo "FAIL controls: cannot build the valid twins (no python3 or no $generator)"
    failed=$((failed + 1))
elif ! python3 "$generator" --valid "$tmp/valid" >/dev/null 2>"$tmp/gen-err"; then
    echo "FAIL controls: the generator failed: $(excerpt "$tmp/gen-err")"
    failed=$((failed + 1))
else
    for path in "$tmp/valid"/*.inf; do
        name="$(basename -- "$path")"
        controlled[$name]=1
        reason=""
        rm -rf -- "$tmp/control" && mkdir -p -- "$tmp/control" && cp -R -- "$ddp" "$tmp/control/" &&
            cp -- "$path" "$(template_of "$tmp/control")" || reason="cannot plant the valid template"
        if [[ -z "$reason" ]]; then
            run gpo show "$tmp/control/$(basename -- "$ddp")"
            if ((rc != 0)); then
                reason="show: exit $rc: $(excerpt "$tmp/err")"
            else
                run gpo lint "$tmp/control/$(basename -- "$ddp")"
                ((rc == 0)) || reason="lint: exit $rc: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
            fi
        fi
        if [[ -z "$reason" ]]; then
            echo "ok control $name"
            passed=$((passed + 1))
        else
            echo "FAIL control $name: $reason"
            failed=$((failed + 1))
        fi
    done
fi
for name in "${cases[@]}"; do
    if [[ -z "${controlled[$name]:-}" ]]; then
        echo "FAIL control $name: its valid twin was not checked"
        failed=$((failed + 1))
    fi
done

echo "malformed_inf: $passed passed, $failed failed"
((failed == 0))
