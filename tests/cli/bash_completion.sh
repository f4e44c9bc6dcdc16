#!/usr/bin/env bash
# The bash completion script the build writes from the command-line definitions: for sample
# command lines, the completion function is called as bash calls it (COMP_WORDS, COMP_CWORD,
# COMP_LINE, COMP_POINT) and COMPREPLY is checked against what `gpokit ... --help` lists:
# commands, options, the values of an option's fixed set, file names. Run without
# bash-completion's helpers, then with them; when bash-completion is not installed the
# second half cannot run and the test reports itself skipped (exit 77) after the first.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_BASH_COMPLETION:?GPOKIT_BASH_COMPLETION must name the built completion script}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
framework=/usr/share/bash-completion/bash_completion
cd "$GPOKIT_SOURCE" || exit 1

# complete MODE LINE: the sorted COMPREPLY for LINE (the cursor at its end), in a new bash
# with (MODE framework) or without (plain) bash-completion.
complete_line() {
    bash --norc --noprofile -c '
        [ "$1" = framework ] && . "$3"
        . "$GPOKIT_BASH_COMPLETION" || exit 1
        COMP_LINE=$2
        COMP_POINT=${#2}
        read -ra COMP_WORDS <<<"$2"
        [[ $2 == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _gpokit gpokit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' _ "$1" "$2" "$framework" | sed '/^$/d' | sort
}
help_section() {
    awk -v title="$2:" '$0 == title { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [^ ]/ { print $1 }' <<<"$1"
}
# choices COMMAND OPTION: the values --help shows for OPTION, {a,b,c}.
choices() {
    "$GPOKIT" $1 --help | grep -oE -- "^ *$2 [A-Z]+:\{[^}]*\}" | sed 's/.*{//; s/}//' | tr ',' '\n' | sort
}
# expect MODE LINE WANTED: COMPREPLY is exactly WANTED (lines, any order).
expect() {
    local got want
    got="$(complete_line "$1" "$2")"
    want="$(sort <<<"$3" | sed '/^$/d')"
    [ "$got" = "$want" ] || { echo "  '$2': got [$(echo $got)], want [$(echo $want)]"; return 1; }
}
# expect_has MODE LINE WORD: COMPREPLY holds WORD.
expect_has() {
    complete_line "$1" "$2" | grep -qxF -- "$3" || { echo "  '$2': no $3 in [$(complete_line "$1" "$2" | tr '\n' ' ')]"; return 1; }
}

run_cases() {
    local mode=$1
    check "$mode: 'gpokit ' offers every command" \
        expect "$mode" "gpokit " "$(help_section "$("$GPOKIT" --help)" Subcommands)"
    check "$mode: 'gpokit gp' completes to gpo" expect "$mode" "gpokit gp" gpo
    check "$mode: 'gpokit gpo ' offers gpo's commands" \
        expect "$mode" "gpokit gpo " "$(help_section "$("$GPOKIT" gpo --help)" Subcommands)"
    check "$mode: 'gpokit diff --format ' offers the formats" \
        expect "$mode" "gpokit diff --format " "$(choices diff --format)"
    check "$mode: 'gpokit diff --format m' completes to markdown" expect "$mode" "gpokit diff --format m" markdown
    check "$mode: 'gpokit gpo set --type ' offers the types" \
        expect "$mode" "gpokit gpo set --type " "$(choices "gpo set" --type)"
    check "$mode: 'gpokit gpo set --type ' offers dword" expect_has "$mode" "gpokit gpo set --type " dword
    check "$mode: 'gpokit pol show --side ' offers machine and user" \
        expect "$mode" "gpokit pol show --side " "$(printf 'machine\nuser')"
    check "$mode: 'gpokit pol show --format=j' completes to --format=json" \
        expect "$mode" "gpokit pol show --format=j" "--format=json"
    check "$mode: 'gpokit pol show --e' completes to --effective" expect "$mode" "gpokit pol show --e" --effective
    check "$mode: 'gpokit pol show -' offers --help and --lenient" expect_has "$mode" "gpokit pol show -" --lenient
    check "$mode: 'gpokit pol show fixtures/pol/sample-m' completes the file names" \
        expect "$mode" "gpokit pol show fixtures/pol/sample-m" \
        "$(printf 'fixtures/pol/sample-machine.pol\nfixtures/pol/sample-machine.txt')"
    check "$mode: 'gpokit pol show fixtures/po' offers the folder" expect_has "$mode" "gpokit pol show fixtures/po" fixtures/pol
    check "$mode: a value is not taken for a command ('gpokit diff --format json ')" \
        expect_has "$mode" "gpokit diff --format json fixtures/pol/realms.p" fixtures/pol/realms.pol
    check "$mode: 'gpokit gpo backup --jobs ' offers nothing (a number)" expect "$mode" "gpokit gpo backup --jobs " ""
    check "$mode: 'gpokit live fetch --output fixtures/m' offers folders" \
        expect_has "$mode" "gpokit live fetch --output fixtures/m" fixtures/malformed
}

run_cases plain
if [ ! -f "$framework" ]; then
    finish bash_completion || exit 1
    echo "SKIPPED: with bash-completion's helpers: $framework is missing (apt-get install bash-completion)"
    exit 77
fi
run_cases framework
finish bash_completion
