#!/usr/bin/env bash
# Malformed registry.pol files: every reading command must fail cleanly at the
# offset recorded in fixtures/malformed/MANIFEST.tsv (written by
# scripts/make-malformed-fixtures), and must never touch the file.
#
# Environment: GPOKIT (the binary), GPOKIT_FIXTURES (the fixtures folder),
# GPOKIT_SOURCE (the repository root; used when GPOKIT_FIXTURES is unset).
# Output: one `ok NAME` / `FAIL NAME: reason` line per case, then a summary.
# Exit status: 0 when every case passed, 1 otherwise.
set -u

if [[ -z "${GPOKIT:-}" || ! -x "${GPOKIT:-}" ]]; then
    echo "malformed: GPOKIT is not set to an executable gpokit binary" >&2
    exit 1
fi
fixtures="${GPOKIT_FIXTURES:-${GPOKIT_SOURCE:-.}/fixtures}"
manifest="$fixtures/malformed/MANIFEST.tsv"
if [[ ! -f "$manifest" ]]; then
    echo "malformed: no manifest at $manifest (run scripts/make-malformed-fixtures)" >&2
    exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-malformed.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

# Guard against hangs when coreutils' timeout is there.
runner=()
if command -v timeout >/dev/null 2>&1; then
    runner=(timeout 60)
fi

passed=0
failed=0
entries=0

# run LABEL ARGS...: runs gpokit, leaves stdout/stderr in $tmp/out, $tmp/err; sets $rc.
run() {
    "${runner[@]}" "$GPOKIT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
}

# check_case NAME OFFSET: prints nothing, sets $reason on the first failure.
check_case() {
    local name="$1" offset="$2"
    local work="$tmp/work"
    local copy="$work/$name"
    local where="$copy:$offset:"
    local before after listing label

    rm -rf -- "$work"
    mkdir -p -- "$work" || { reason="cannot create $work"; return; }
    cp -- "$fixtures/malformed/$name" "$copy" || { reason="cannot copy fixture"; return; }
    before="$(sha256sum <"$copy" | cut -d' ' -f1)"

    local -a commands=(show set show-json check)
    for label in "${commands[@]}"; do
        case "$label" in
            show) run pol show "$copy" ;;
            set) run pol set "$copy" 'Software\Policies\Test' V --type dword --data 1 ;;
            show-json) run pol show "$copy" --format json ;;
            check) run pol check "$copy" ;;
        esac

        if ((rc >= 128)); then
            reason="$label: crashed (exit $rc): $(head -c 300 "$tmp/err")"
            return
        fi
        if [[ "$label" == check ]]; then
            if ((rc != 1)); then
                reason="$label: exit $rc, expected 1"
                return
            fi
            if ! cat "$tmp/out" "$tmp/err" | grep -qF -- "$where"; then
                reason="$label: output lacks '$where': $(head -c 300 "$tmp/out")"
                return
            fi
        else
            if ((rc != 2)); then
                reason="$label: exit $rc, expected 2"
                return
            fi
            if [[ "$(head -c 15 "$tmp/err")" != "gpokit: error: " ]]; then
                reason="$label: stderr does not start with 'gpokit: error: ': $(head -c 300 "$tmp/err")"
                return
            fi
            if ! grep -qF -- "$where" "$tmp/err"; then
                reason="$label: stderr lacks '$where': $(head -c 300 "$tmp/err")"
                return
            fi
        fi

        after="$(sha256sum <"$copy" | cut -d' ' -f1)"
        if [[ "$after" != "$before" ]]; then
            reason="$label: file changed (sha256 $before -> $after)"
            return
        fi
        listing="$(cd -- "$work" && LC_ALL=C ls -A)"
        if [[ "$listing" != "$name" ]]; then
            reason="$label: temp dir holds other files: $(printf '%s' "$listing" | tr '\n' ' ')"
            return
        fi
    done
}

line_no=0
while IFS=$'\t' read -r name offset description || [[ -n "${name:-}" ]]; do
    line_no=$((line_no + 1))
    name="${name%$'\r'}"
    offset="${offset%$'\r'}"
    if ((line_no == 1)) && [[ "$name" == file ]]; then
        continue # header
    fi
    [[ -z "$name" || "$name" == \#* ]] && continue
    entries=$((entries + 1))

    reason=""
    if [[ ! "$offset" =~ ^0x[0-9a-f]+$ ]]; then
        reason="manifest line $line_no: bad offset '$offset'"
    elif [[ "$name" == */* || ! -f "$fixtures/malformed/$name" ]]; then
        reason="manifest line $line_no: no fixture '$name'"
    else
        check_case "$name" "$offset"
    fi

    if [[ -z "$reason" ]]; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name: $reason"
        failed=$((failed + 1))
    fi
done <"$manifest"

if ((entries < 30)); then
    echo "FAIL manifest: only $entries entries, expected at least 30"
    failed=$((failed + 1))
fi

echo "malformed: $passed passed, $failed failed"
((failed == 0))
