#!/usr/bin/env bash
# Without the corpus, the corpus tests must still be listed (so ctest registers them)
# and each must end as skipped (exit 77) naming the missing folder - never pass, never
# vanish. Runs the corpus test executable given as $1 against a folder that does not exist.
set -u
tests="${1:?the corpus test executable}"
missing="$(mktemp -d)/no-corpus"
trap 'rm -rf -- "$(dirname "$missing")"' EXIT
# (Catch2 exits with the number of tests listed.)
names="$(GPOKIT_CORPUS="$missing" "$tests" --list-test-names-only)"
count=$(printf '%s\n' "$names" | grep -c .)
[ "$count" -gt 0 ] || { echo "FAIL: no corpus test listed without the corpus"; exit 1; }
first="$(printf '%s\n' "$names" | head -n 1)"
err="$(GPOKIT_CORPUS="$missing" "$tests" "$first" 2>&1 >/dev/null)"
rc=$?
[ "$rc" -eq 77 ] || { echo "FAIL: '$first' ended with $rc without the corpus, not 77 (skipped)"; exit 1; }
case "$err" in
    *SKIPPED*"$missing"*) ;;
    *) echo "FAIL: the skip does not name the missing folder: $err"; exit 1 ;;
esac
echo "ok: $count corpus tests listed without the corpus; each reports itself skipped (exit 77) naming it"
