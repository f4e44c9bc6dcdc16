# Shared by the command-line test scripts: `check WHAT COMMAND...` counts a pass when the
# command succeeds; `finish NAME` prints the count and fails the script if anything did.
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
passed=0
failed=0
check() {
    local what=$1
    shift
    if "$@"; then
        echo "ok   $what"
        passed=$((passed + 1))
    else
        echo "FAIL $what"
        failed=$((failed + 1))
    fi
}
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
