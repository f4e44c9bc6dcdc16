#!/usr/bin/env bash
# Malformed GPO backups, backup roots and SYSVOL folders: every command must fail
# cleanly, naming the broken file at the line and column recorded in
# fixtures/malformed-gpo/MANIFEST.tsv (written by scripts/make-malformed-gpo-fixtures),
# and must never touch the GPO.
#
# For each case, on a fresh copy of its folder:
#   gpo show / gpo set / gpo set --dry-run TARGET: exit 2, stderr starting with
#     "gpokit: error: " and holding "COPY/FILE:LINE:COLUMN:";
#   gpo lint TARGET: exit 1 or 2, its output holding the same position;
#   gpo list FOLDER (for a backup, the folder holding it): no crash, and it names the
#     same position;
#   a backup root (TARGET holds neither Backup.xml nor GPT.INI; its broken file is
#     manifest.xml beside a healthy backup): `gpo list` and `gpo lint` must report the
#     position (lint exit 1 or 2, list exit 0-2); show and set --dry-run may use the
#     healthy backup (exit 0) or fail naming the position (exit 2); a real `set` is
#     not run, since editing the healthy backup would be right;
#   after every command: no crash (exit < 128), no timeout, and the copied tree is
#     exactly as before (same entries, same sha256 of every file; no .gpokit-* left).
# Then each case's valid twin (the generator's --valid) must be accepted: show exit 0
# and lint exit 0 (list exits 0 for a root). The controls are required: a case whose
# twin is not checked (no python3, no generator, a case missing from the generator's
# manifest) fails.
#
# Environment: GPOKIT (the binary), GPOKIT_FIXTURES (the fixtures folder),
# GPOKIT_SOURCE (the repository root; for the generator, and for the fixtures when
# GPOKIT_FIXTURES is unset).
# Output: one `ok NAME` / `FAIL NAME: reason` line per case, then a summary.
# Exit status: 0 when every case passed, 1 otherwise.
set -u

if [[ -z "${GPOKIT:-}" || ! -x "${GPOKIT:-}" ]]; then
    echo "malformed_gpo: GPOKIT is not set to an executable gpokit binary" >&2
    exit 1
fi
source_dir="${GPOKIT_SOURCE:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)}"
fixtures="${GPOKIT_FIXTURES:-$source_dir/fixtures}"
cases_dir="$fixtures/malformed-gpo"
manifest="$cases_dir/MANIFEST.tsv"
if [[ ! -f "$manifest" ]]; then
    echo "malformed_gpo: no manifest at $manifest (run scripts/make-malformed-gpo-fixtures)" >&2
    exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-malformed-gpo.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

# Guard against hangs when coreutils' timeout is there.
runner=()
if command -v timeout >/dev/null 2>&1; then
    runner=(timeout --kill-after=5 60)
fi

passed=0
failed=0
entries=0
cases=() # every case in the manifest: each needs its valid twin checked
key='Software\Policies\X'

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

# is_gpo DIR: DIR holds Backup.xml or GPT.INI (any case), so gpokit opens it as one GPO.
is_gpo() {
    [[ -n "$(find "$1" -mindepth 1 -maxdepth 1 -type f \( -iname Backup.xml -o -iname GPT.INI \) -print -quit)" ]]
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

# expect_mention LABEL WHERE: WHERE in stdout or stderr.
expect_mention() {
    local label="$1" where="$2"
    if ! cat -- "$tmp/out" "$tmp/err" | grep -qF -- "$where"; then
        reason="$label: output lacks '$where' (exit $rc): $(excerpt "$tmp/err") $(excerpt "$tmp/out")"
        return 1
    fi
}

# check_case CASE TARGET FILE LINE COLUMN: sets $reason on the first failure.
check_case() {
    local name="$1" target="$2" file="$3" line="$4" column="$5"
    local copy="$tmp/cases/$name"
    local where="$copy/$file:$line:$column:"
    local path="$copy/$target"

    rm -rf -- "$tmp/cases"
    mkdir -p -- "$tmp/cases" || { reason="cannot create $tmp/cases"; return; }
    cp -R -- "$cases_dir/$name" "$copy" || { reason="cannot copy the case folder"; return; }
    [[ -e "$copy/$file" ]] || { reason="manifest names '$file', which the case does not have"; return; }
    before="$(snapshot "$tmp/cases")"

    if is_gpo "$path"; then
        run gpo show "$path"
        after show && expect_error show "$where" || return
        run gpo set "$path" --side machine "$key" V --type dword --data 1
        after set && expect_error set "$where" || return
        run gpo set "$path" --side machine "$key" V --type dword --data 1 --dry-run
        after set-dry-run && expect_error set-dry-run "$where" || return
        run gpo lint "$path"
        after lint || return
        if ((rc != 1 && rc != 2)); then
            reason="lint: exit $rc, expected 1 or 2: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
            return
        fi
        expect_mention lint "$where" || return
        if [[ -n "$(find "$path" -mindepth 1 -maxdepth 1 -type f -iname Backup.xml -print -quit)" ]]; then
            run gpo list "$(dirname -- "$path")"
            after list || return
            if ((rc > 2)); then
                reason="list: exit $rc: $(excerpt "$tmp/err")"
                return
            fi
            expect_mention list "$where" || return
        fi
    else
        # A backup root: its manifest is broken, its backup is not.
        run gpo list "$path"
        after list || return
        if ((rc > 2)); then
            reason="list: exit $rc: $(excerpt "$tmp/err")"
            return
        fi
        expect_mention list "$where" || return
        run gpo lint "$path"
        after lint || return
        if ((rc != 1 && rc != 2)); then
            reason="lint: exit $rc, expected 1 or 2: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
            return
        fi
        expect_mention lint "$where" || return
        local label
        for label in show set-dry-run; do
            if [[ "$label" == show ]]; then
                run gpo show "$path"
            else
                run gpo set "$path" --side machine "$key" V --type dword --data 1 --dry-run
            fi
            after "$label" || return
            if ((rc == 2)); then
                expect_error "$label" "$where" || return
            elif ((rc != 0)); then
                reason="$label: exit $rc, expected 0 (the backup is healthy) or 2: $(excerpt "$tmp/err")"
                return
            fi
        done
    fi
}

line_no=0
while IFS=$'\t' read -r name target file line column description || [[ -n "${name:-}" ]]; do
    line_no=$((line_no + 1))
    description="${description%$'\r'}"
    if ((line_no == 1)) && [[ "$name" == case ]]; then
        continue # header
    fi
    [[ -z "$name" || "$name" == \#* ]] && continue
    entries=$((entries + 1))
    cases+=("$name")

    reason=""
    if [[ ! "$line" =~ ^[1-9][0-9]*$ || ! "$column" =~ ^[1-9][0-9]*$ ]]; then
        reason="manifest line $line_no: bad line/column '$line' '$column'"
    elif [[ "$name" == */* || "$name" == .* || ! -d "$cases_dir/$name" ]]; then
        reason="manifest line $line_no: no case folder '$name'"
    elif [[ -z "$target" || -z "$file" || "/$target/" == */../* || "/$file/" == */../* ]]; then
        reason="manifest line $line_no: bad target '$target' or file '$file'"
    else
        check_case "$name" "$target" "$file" "$line" "$column"
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
generator="$source_dir/scripts/make-malformed-gpo-fixtures"
declare -A controlled=()
if ! command -v python3 >/dev/null 2>&1 || [[ ! -f "$generator" ]]; then
    echo "FAIL controls: cannot build the valid twins (no python3 or no $generator)"
    failed=$((failed + 1))
elif ! python3 "$generator" --valid "$tmp/valid" >/dev/null 2>"$tmp/gen-err"; then
    echo "FAIL controls: the generator failed: $(excerpt "$tmp/gen-err")"
    failed=$((failed + 1))
else
    while IFS=$'\t' read -r name target _; do
        [[ "$name" == case || -z "$name" ]] && continue
        controlled[$name]=1
        reason=""
        path="$tmp/valid/$name/$target"
        if is_gpo "$path"; then
            run gpo show "$path"
            if ((rc != 0)); then
                reason="show: exit $rc: $(excerpt "$tmp/err")"
            else
                run gpo lint "$path"
                ((rc == 0)) || reason="lint: exit $rc: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
            fi
        else
            run gpo list "$path"
            if ((rc != 0)); then
                reason="list: exit $rc: $(excerpt "$tmp/out") $(excerpt "$tmp/err")"
            else
                run gpo lint "$path"
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
    done <"$tmp/valid/MANIFEST.tsv"
fi
for name in "${cases[@]}"; do
    if [[ -z "${controlled[$name]:-}" ]]; then
        echo "FAIL control $name: its valid twin was not checked"
        failed=$((failed + 1))
    fi
done

echo "malformed_gpo: $passed passed, $failed failed"
((failed == 0))
