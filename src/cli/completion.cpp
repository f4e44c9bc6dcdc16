// The bash completion script, written from the CLI11 command tree that --help prints.
//
// The script is static (nothing runs gpokit while completing): three generated lookup
// functions — the subcommands of a command path, its options, and what an option takes
// (a fixed set of values from its IsMember check, a number, or a path) — and one
// completion function that walks the words typed so far to find the command path,
// skipping options and their values. Without bash-completion's helpers
// (_init_completion, _filedir) it falls back to COMP_WORDS and compgen.
#include "cli/manual.hpp"

#include "util/error.hpp"

#include <ostream>

namespace gpokit::cli {

namespace {

struct Node {
    std::string path; // "" for gpokit itself, "pol show"
    const CLI::App* app;
};

void collect(const CLI::App& app, const std::string& path, std::vector<Node>& out)
{
    out.push_back({path, &app});
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
        collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

// Every word goes into the script between single quotes.
const std::string& word(const std::string& w)
{
    if (w.find_first_of("'\\\n") != std::string::npos)
        throw util::Error("completion: cannot quote \"" + w + "\"");
    return w;
}

std::string join(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : " ") + word(w);
    return out;
}

std::vector<std::string> names_of(const CLI::Option& o)
{
    std::vector<std::string> out;
    for (const auto& s : o.get_snames())
        out.push_back("-" + s);
    for (const auto& l : o.get_lnames())
        out.push_back("--" + l);
    return out;
}

// What an option's value is: "choices a b c", "number", or "path"; "" for a flag.
std::string value_kind(const CLI::Option& o)
{
    if (o.get_expected_max() == 0) // a flag
        return {};
    const std::string type = o.get_type_name();
    const std::size_t open = type.find(":{");
    if (open != std::string::npos) {
        const std::size_t close = type.find('}', open);
        std::string values = type.substr(open + 2, close - open - 2);
        for (char& c : values)
            if (c == ',')
                c = ' ';
        return "choices " + values;
    }
    const std::string base = type.substr(0, type.find(':'));
    if (base == "INT" || base == "UINT" || base == "FLOAT" || base == "NUMBER")
        return "number";
    return "path";
}

} // namespace

void write_bash_completion(const CLI::App& app, std::ostream& out)
{
    std::vector<Node> nodes;
    collect(app, "", nodes);

    out << R"(# bash completion for gpokit(1). Written by gpokit_docs from gpokit's command-line
# definitions (the ones --help prints); do not edit.

# _gpokit_subcommands PATH: sets REPLY to the subcommands of the command PATH ("pol").
_gpokit_subcommands()
{
    case $1 in
)";
    for (const auto& n : nodes) {
        std::vector<std::string> subs;
        for (const CLI::App* sub : n.app->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
            subs.push_back(sub->get_name());
        if (!subs.empty())
            out << "    '" << word(n.path) << "') REPLY='" << join(subs) << "' ;;\n";
    }
    out << R"(    *) REPLY='' ;;
    esac
}

# _gpokit_options PATH: sets REPLY to the options of the command PATH.
_gpokit_options()
{
    case $1 in
)";
    for (const auto& n : nodes) {
        std::vector<std::string> names;
        for (const CLI::Option* o : n.app->get_options([](const CLI::Option* o) { return !o->get_group().empty(); }))
            if (!o->get_positional()) {
                const auto more = names_of(*o);
                names.insert(names.end(), more.begin(), more.end());
            }
        out << "    '" << word(n.path) << "') REPLY='" << join(names) << "' ;;\n";
    }
    out << R"(    *) REPLY='' ;;
    esac
}

# _gpokit_value PATH OPTION: sets REPLY to what OPTION of the command PATH takes:
# "choices VALUE...", "number" or "path"; empty for a flag or an unknown option.
_gpokit_value()
{
    case "$1 $2" in
)";
    for (const auto& n : nodes) {
        for (const CLI::Option* o : n.app->get_options([](const CLI::Option* o) { return !o->get_group().empty(); })) {
            if (o->get_positional())
                continue;
            const std::string kind = value_kind(*o);
            if (kind.empty())
                continue;
            std::string patterns;
            for (const auto& name : names_of(*o))
                patterns += (patterns.empty() ? "'" : "|'") + word(n.path + " " + name) + "'";
            out << "    " << patterns << ") REPLY='" << word(kind) << "' ;;\n";
        }
    }
    out << R"(    *) REPLY='' ;;
    esac
}

# _gpokit_paths PREFIX WORD: completes WORD as a file or folder name (after PREFIX,
# "--output=" when the value was typed with its option).
_gpokit_paths()
{
    if [[ -z $1 ]] && declare -F _filedir >/dev/null; then
        cur=$2 _filedir
        return
    fi
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$2"))
    COMPREPLY=("${COMPREPLY[@]/#/$1}")
}

_gpokit()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n =: || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${words[cword]}
    fi

    # The command path: the subcommands among the words before the cursor.
    local path='' i word REPLY
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        case $word in
        -*=*) ;;
        -*)
            _gpokit_value "$path" "$word"
            [[ -n $REPLY ]] && ((i++))
            ;;
        *)
            _gpokit_subcommands "$path"
            [[ " $REPLY " == *" $word "* ]] && path=${path:+$path }$word
            ;;
        esac
    done

    # An option's value: after the option, or after --option=.
    local option='' prefix='' value=$cur
    if [[ $cur == -*=* ]]; then
        option=${cur%%=*}
        prefix=$option=
        value=${cur#*=}
    elif ((cword > 1)) && [[ ${words[cword - 1]} == -* ]]; then
        option=${words[cword - 1]}
    fi
    if [[ -n $option ]]; then
        _gpokit_value "$path" "$option"
        case $REPLY in
        choices\ *)
            COMPREPLY=($(compgen -W "${REPLY#choices }" -- "$value"))
            COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
            return
            ;;
        number) COMPREPLY=(); return ;;
        path) _gpokit_paths "$prefix" "$value"; return ;;
        esac
    fi

    if [[ $cur == -* ]]; then
        _gpokit_options "$path"
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
        return
    fi
    _gpokit_subcommands "$path"
    if [[ -n $REPLY ]]; then
        COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
        return
    fi
    _gpokit_paths '' "$cur"
}

complete -F _gpokit gpokit
)";
}

} // namespace gpokit::cli
