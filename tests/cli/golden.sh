#!/usr/bin/env bash
# Golden command-line cases: runs the real binary from the repository root on the
# arguments in tests/cli/golden/NAME.args (one argument per line) and compares
# stdout, stderr and the exit status with NAME.stdout, NAME.stderr, NAME.status.
# The expected files are reviewed by hand; regenerate them only with
# scripts/update-golden, so that every change shows in review.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
cd "$GPOKIT_SOURCE" || exit 1
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-golden.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT

passed=0
failed=0
for args_file in tests/cli/golden/*.args; do
    name="$(basename "$args_file" .args)"
    mapfile -t args < "$args_file"
    "$GPOKIT" "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
    echo "$?" >"$tmp/status"
    ok=1
    for stream in stdout stderr status; do
        if ! cmp -s "$tmp/$stream" "tests/cli/golden/$name.$stream"; then
            echo "FAIL $name: $stream differs"
            diff -u "tests/cli/golden/$name.$stream" "$tmp/$stream" | head -20
            ok=0
        fi
    done
    if [ "$ok" = 1 ]; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
