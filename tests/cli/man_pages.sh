#!/usr/bin/env bash
# The manual pages the build writes from the command-line definitions (cmake/GpokitDocs.cmake):
# a page for every command group `gpokit --help` lists, each formatted by groff and by man
# without a single warning, with the sections a manual page has; every option and
# positional a command's --help lists appears in that command's section of its page; and
# gpokit_docs writes the same bytes again (no date from the clock). Without groff or man
# the test reports itself skipped (exit 77), never passed.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_MAN_DIR:?GPOKIT_MAN_DIR must name the folder of the built manual pages}"
: "${GPOKIT_DOCS:?GPOKIT_DOCS must name the gpokit_docs binary}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for tool in groff man; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIPPED: no $tool on this machine (apt-get install groff man-db)"
        exit 77
    fi
done
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-man.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT

# help_section HELP TITLE: the first words of the lines under "TITLE:" in --help output.
help_section() {
    awk -v title="$2:" '$0 == title { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [^ ]/ { print $1 }' <<<"$1"
}
# help_options HELP: every option name --help lists (-h, --help, --format ...).
help_options() {
    grep -oE '^  -[^ ]+' <<<"$1" | tr ',' '\n' | sed 's/^ *//' | grep -E '^-'
}
# section PAGE COMMAND: the roff of COMMAND's section (.SS "gpokit pol show"), hyphens unescaped.
section() {
    sed 's/\\-/-/g' "$1" | awk -v head=".SS \"gpokit $2\"" '$0 == head { on = 1; next } /^\.S[SH] / { on = 0 } on'
}

# A page is clean when neither formatter says a word about it.
lint_clean() {
    local out
    out="$(groff -man -ww -z "$1" 2>&1)" && [ -z "$out" ] || { echo "$out"; return 1; }
    out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$1" 2>&1 >/dev/null)" && [ -z "$out" ] \
        || { echo "$out"; return 1; }
}
has_sections() {
    local s
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS '"EXIT STATUS"' EXAMPLES '"SEE ALSO"'; do
        grep -qxF ".SH $s" "$1" || { echo "$1: no $s section"; return 1; }
    done
}

pages=()
for page in "$GPOKIT_MAN_DIR"/*.1; do
    pages+=("$(basename "$page" .1)")
    check "$(basename "$page") formats without warnings (groff -ww, man --warnings)" lint_clean "$page"
    check "$(basename "$page") has NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLES, SEE ALSO" \
        has_sections "$page"
done
check "gpokit.1 is there" test -f "$GPOKIT_MAN_DIR/gpokit.1"

# every_option PAGE COMMAND: each option and positional of `gpokit COMMAND --help` is in its section.
every_option() {
    local help text name missing=0
    help="$("$GPOKIT" $2 --help)"
    text="$(section "$1" "$2")"
    [ -n "$text" ] || { echo "$1: no section for gpokit $2"; return 1; }
    for name in $(help_options "$help"); do
        [ "$name" = -h ] || [ "$name" = --help ] && continue # said once, before the commands
        grep -qF "\\fB$name\\fR" <<<"$text" || { echo "gpokit $2: $name is not in $(basename "$1")"; missing=1; }
    done
    for name in $(help_section "$help" Positionals); do
        grep -qF "\\fI$name\\fR" <<<"$text" || { echo "gpokit $2: $name is not in $(basename "$1")"; missing=1; }
    done
    return $missing
}
# page_of COMMAND: the page that has a section for `gpokit COMMAND ...`.
page_of() {
    grep -lE "^\.SS \"gpokit $1( |\")" "$GPOKIT_MAN_DIR"/*.1 | head -n 1
}

top="$("$GPOKIT" --help)"
for group in $(help_section "$top" Subcommands); do
    page="$(page_of "$group")"
    check "gpokit $group is documented in a page" test -n "$page"
    [ -n "$page" ] || continue
    check "gpokit.1 lists gpokit $group" grep -qF "\\fB$group\\fR" "$GPOKIT_MAN_DIR/gpokit.1"
    commands="$(help_section "$("$GPOKIT" "$group" --help)" Subcommands)"
    if [ -z "$commands" ]; then
        check "every option of gpokit $group is in $(basename "$page")" every_option "$page" "$group"
        continue
    fi
    check "gpokit $group has its own page, gpokit-$group.1" test "$page" = "$GPOKIT_MAN_DIR/gpokit-$group.1"
    for command in $commands; do
        check "every option of gpokit $group $command is in $(basename "$page")" \
            every_option "$page" "$group $command"
    done
done

# The fixed values of an option are listed (they come from the same IsMember check).
check "gpokit-pol.1 lists the --type values" grep -qF 'One of: sz, expand_sz, dword, dword_be' \
    "$GPOKIT_MAN_DIR/gpokit-pol.1"

# Reproducible: written again, with the date the build gave, the pages are the same bytes.
date="$(sed -n 's/^\.TH "GPOKIT" 1 "\([^"]*\)".*/\1/p' "$GPOKIT_MAN_DIR/gpokit.1")"
date_args=()
[ -n "$date" ] && date_args=(--date "$date")
"$GPOKIT_DOCS" man "$tmp" "${date_args[@]}" "${pages[@]}"
same_bytes() { cmp -s "$GPOKIT_MAN_DIR/$1.1" "$tmp/$1.1"; }
for page in "${pages[@]}"; do
    check "$page.1 is written again byte for byte" same_bytes "$page"
done
refused() { ! "$GPOKIT_DOCS" man "$tmp" gpokit >/dev/null 2>&1; }
check "gpokit_docs refuses a page list that leaves a command group out" refused

finish man_pages
