// Manual pages in man(7) roff, written from the CLI11 command tree that --help prints.
//
// gpokit(1) lists the command groups; gpokit-GROUP(1) documents a group's commands. For
// each command: a synopsis built from its positionals and required options, its
// description and footer, and every positional and option with its description, the
// values CLI11 accepts (IsMember sets, ranges), whether it is required or repeatable.
// Footers are plain text: paragraphs separated by blank lines, indented lines shown as
// they are. A footer paragraph that starts with "Example" goes to EXAMPLES, an
// "Exit status: ..." sentence (or an "(exit ...)" in a description) to EXIT STATUS.
// The rest of a page (a longer description, ENVIRONMENT, FILES) is the group's
// ManualText. Nothing here reads the clock: the date is given, or left out.
#include "cli/manual.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <set>
#include <sstream>

namespace gpokit::cli {

namespace {

// ---- the command tree -------------------------------------------------------------

std::vector<const CLI::App*> subcommands_of(const CLI::App& app)
{
    // Subcommands in an empty group are hidden from --help; so they are here.
    return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

// The options and positionals --help lists, without --help itself.
std::vector<const CLI::Option*> options_of(const CLI::App& app)
{
    const CLI::Option* help = app.get_help_ptr();
    return app.get_options([help](const CLI::Option* o) { return o != help && !o->get_group().empty(); });
}

bool is_flag(const CLI::Option& o)
{
    return o.get_expected_max() == 0;
}

std::string base_type(const CLI::Option& o)
{
    const std::string type = o.get_type_name();
    return type.substr(0, type.find(':'));
}

bool is_number(const CLI::Option& o)
{
    const std::string base = base_type(o);
    return base == "INT" || base == "UINT" || base == "FLOAT" || base == "NUMBER";
}

// The validators' descriptions CLI11 appends to the type name: "{text,json}" for
// IsMember, "INT in [1 - 32]" for Range.
std::vector<std::string> checks_of(const CLI::Option& o)
{
    const std::string type = o.get_type_name();
    std::vector<std::string> out;
    std::size_t start = type.find(':');
    while (start != std::string::npos) {
        const std::size_t end = type.find(':', start + 1);
        out.push_back(type.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1));
        start = end;
    }
    return out;
}

std::string placeholder(const CLI::Option& o)
{
    if (o.get_positional())
        return o.get_name(true);
    if (is_number(o))
        return "N";
    std::string name = o.get_lnames().empty() ? o.get_snames().front() : o.get_lnames().front();
    for (char& c : name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

bool repeatable(const CLI::Option& o)
{
    return o.get_expected_max() > 1;
}

struct Leaf {
    std::string path; // "pol show"
    const CLI::App* app;
};

void collect_leaves(const CLI::App& app, const std::string& path, std::vector<Leaf>& out)
{
    const auto subs = subcommands_of(app);
    if (subs.empty() && !path.empty())
        out.push_back({path, &app});
    for (const CLI::App* sub : subs)
        collect_leaves(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

const CLI::App& top_level(const CLI::App& app, const std::string& name)
{
    for (const CLI::App* sub : subcommands_of(app))
        if (sub->get_name() == name)
            return *sub;
    throw util::Error("manual: gpokit has no command " + name);
}

// ---- text ---------------------------------------------------------------------------

// Escapes text for roff: backslashes, hyphens (\- stays an ASCII hyphen-minus, which
// options and commands need to be copied), and anything outside ASCII.
std::string esc(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            // UTF-8 to \[uXXXX]; a malformed sequence is shown as U+FFFD.
            const int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            std::uint32_t code = length == 1 ? 0xFFFDu : c & (0x7Fu >> length);
            for (int k = 1; k < length; ++k) {
                if (i + 1 >= text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80) {
                    code = 0xFFFDu;
                    break;
                }
                code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
            }
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(code));
            out += buf;
        }
    }
    return out;
}

// Escapes filled text: a word too long for a line ({GUID}{GUID}, a long path) may break
// after a brace, bracket, slash, backslash, comma or semicolon.
std::string esc_filled(std::string_view text)
{
    constexpr std::size_t k_long_word = 30;
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view w = text.substr(start, end - start);
        if (w.size() < k_long_word) {
            out += esc(w);
        } else {
            std::size_t piece = 0;
            for (std::size_t i = 0; i < w.size(); ++i)
                if (std::string_view("}]/\\,;").find(w[i]) != std::string_view::npos && i + 1 < w.size()) {
                    out += esc(w.substr(piece, i + 1 - piece)) + "\\:";
                    piece = i + 1;
                }
            out += esc(w.substr(piece));
        }
        if (end < text.size())
            out += ' ';
        start = end + 1;
    }
    return out;
}

// One line of filled roff text: a leading dot or quote would make it a request.
std::string line(std::string_view text)
{
    std::string out = esc_filled(text);
    if (!out.empty() && (out.front() == '.' || out.front() == '\''))
        out.insert(0, "\\&");
    return out;
}

// One line of text shown as it is (.nf).
std::string literal_line(std::string_view text)
{
    std::string out = esc(text);
    if (!out.empty() && (out.front() == '.' || out.front() == '\''))
        out.insert(0, "\\&");
    return out;
}

std::string bold(std::string_view text)
{
    return "\\fB" + esc(text) + "\\fR";
}

std::string italic(std::string_view text)
{
    return "\\fI" + esc(text) + "\\fR";
}

std::vector<std::string> split_lines(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

bool blank(std::string_view s)
{
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

bool indented(std::string_view s)
{
    return !s.empty() && (s.front() == ' ' || s.front() == '\t');
}

std::string trim(std::string_view s)
{
    const std::size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    const std::size_t e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// Paragraphs of a text: lines between blank lines.
std::vector<std::vector<std::string>> paragraphs(std::string_view text)
{
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> current;
    for (auto& l : split_lines(text)) {
        if (blank(l)) {
            if (!current.empty())
                out.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(std::move(l));
        }
    }
    if (!current.empty())
        out.push_back(std::move(current));
    return out;
}

// Writes a paragraph's lines: prose filled, indented lines as they are.
void write_lines(const std::vector<std::string>& lines, std::ostream& out)
{
    bool literal = false;
    for (const auto& l : lines) {
        if (indented(l) != literal) {
            literal = indented(l);
            out << (literal ? ".RS 4\n.nf\n" : ".fi\n.RE\n");
        }
        if (literal)
            out << literal_line(l.substr(std::min<std::size_t>(2, l.find_first_not_of(" \t")))) << '\n';
        else
            out << line(trim(l)) << '\n';
    }
    if (literal)
        out << ".fi\n.RE\n";
}

void write_text(std::string_view text, std::ostream& out)
{
    for (const auto& p : paragraphs(text)) {
        out << ".PP\n";
        write_lines(p, out);
    }
}

bool is_example(const std::vector<std::string>& paragraph)
{
    return paragraph.front().rfind("Example", 0) == 0;
}

// "Run `gpokit pol COMMAND --help` ..." points --help readers to the commands; the
// manual page has them all.
bool is_help_pointer(const std::vector<std::string>& paragraph)
{
    return paragraph.front().rfind("Run `gpokit", 0) == 0;
}

// The sentence after "Exit status: " in a footer, or the "exit ..." of a description's
// parenthesis; empty if neither says anything.
std::string exit_status_of(const CLI::App& app)
{
    std::string footer = app.get_footer();
    std::replace(footer.begin(), footer.end(), '\n', ' ');
    const std::string marker = "Exit status: ";
    if (const std::size_t at = footer.find(marker); at != std::string::npos) {
        int depth = 0;
        for (std::size_t i = at + marker.size(); i < footer.size(); ++i) {
            const char c = footer[i];
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == '.' && depth == 0 && (i + 1 == footer.size() || footer[i + 1] == ' '))
                return footer.substr(at + marker.size(), i + 1 - at - marker.size());
        }
        return footer.substr(at + marker.size());
    }
    const std::string description = app.get_description();
    if (const std::size_t at = description.find("(exit "); at != std::string::npos) {
        const std::size_t end = description.find(')', at);
        if (end != std::string::npos)
            return "Exit " + description.substr(at + 6, end - at - 6) + "; otherwise 0, or 2 on an error.";
    }
    return {};
}

// ---- sections -----------------------------------------------------------------------

std::string synopsis(const Leaf& leaf)
{
    std::string out = bold("gpokit " + leaf.path);
    for (const CLI::Option* o : options_of(*leaf.app)) {
        if (o->get_positional() || !o->get_required())
            continue;
        out += " " + bold(o->get_lnames().empty() ? "-" + o->get_snames().front() : "--" + o->get_lnames().front());
        if (!is_flag(*o))
            out += " " + italic(placeholder(*o));
    }
    out += " [" + italic("options") + "]";
    for (const CLI::Option* o : options_of(*leaf.app)) {
        if (!o->get_positional())
            continue;
        std::string name = italic(o->get_name(true)) + (repeatable(*o) ? "\\&..." : "");
        out += " " + (o->get_required() ? name : "[" + name + "]");
    }
    return out;
}

void write_option(const CLI::Option& o, std::ostream& out)
{
    out << ".TP\n";
    if (o.get_positional()) {
        out << italic(o.get_name(true)) << (repeatable(o) ? "\\&..." : "") << '\n';
    } else {
        std::string names;
        for (const auto& s : o.get_snames())
            names += (names.empty() ? "" : ", ") + bold("-" + s);
        for (const auto& l : o.get_lnames())
            names += (names.empty() ? "" : ", ") + bold("--" + l);
        if (!is_flag(o))
            names += " " + italic(placeholder(o));
        out << names << '\n';
    }
    std::string text = o.get_description();
    if (!text.empty() && text.back() != '.')
        text += '.';
    for (const auto& check : checks_of(o)) {
        if (check.size() >= 2 && check.front() == '{' && check.back() == '}') {
            std::string values = check.substr(1, check.size() - 2);
            std::string listed;
            for (std::size_t i = 0; i < values.size(); ++i)
                listed += values[i] == ',' ? std::string(", ") : std::string(1, values[i]);
            text += " One of: " + listed + ".";
        } else {
            text += " Accepted: " + check + ".";
        }
    }
    if (!o.get_default_str().empty())
        text += " Default: " + o.get_default_str() + ".";
    if (o.get_required())
        text += " Required.";
    if (repeatable(o) && !o.get_positional())
        text += " May be given more than once.";
    if (!o.get_envname().empty())
        text += " Environment: " + o.get_envname() + ".";
    out << line(text) << '\n';
}

void write_leaf(const Leaf& leaf, std::ostream& out)
{
    out << ".SS \"" << esc("gpokit " + leaf.path) << "\"\n";
    out << line(leaf.app->get_description()) << '\n';
    for (const auto& p : paragraphs(leaf.app->get_footer())) {
        if (is_example(p) || is_help_pointer(p))
            continue;
        out << ".PP\n";
        write_lines(p, out);
    }
    // Positionals and the options of no group first, then each group's under its name.
    auto options = options_of(*leaf.app);
    std::stable_partition(options.begin(), options.end(),
                          [](const CLI::Option* o) { return o->get_positional() || o->get_group() == "Options"; });
    std::vector<std::string> order;
    for (const CLI::Option* o : options)
        if (std::find(order.begin(), order.end(), o->get_group()) == order.end())
            order.push_back(o->get_group());
    std::stable_sort(options.begin(), options.end(), [&](const CLI::Option* a, const CLI::Option* b) {
        const auto rank = [&](const CLI::Option* o) {
            return o->get_positional() ? 0 : std::find(order.begin(), order.end(), o->get_group()) - order.begin() + 1;
        };
        return rank(a) < rank(b);
    });
    std::string group = "Options";
    for (const CLI::Option* o : options) {
        if (!o->get_positional() && o->get_group() != group) {
            group = o->get_group();
            out << ".PP\n" << italic(group + ":") << '\n';
        }
        write_option(*o, out);
    }
}

// The example paragraphs of a footer: its heading's parenthesis, if any, then the lines.
void write_examples(const CLI::App& app, std::ostream& out)
{
    for (const auto& p : paragraphs(app.get_footer())) {
        if (!is_example(p))
            continue;
        const std::string& heading = p.front();
        const std::size_t open = heading.find('(');
        const std::size_t close = heading.rfind(')');
        out << ".PP\n";
        if (open != std::string::npos && close != std::string::npos && close > open) {
            std::string note = heading.substr(open + 1, close - open - 1);
            note[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(note[0])));
            out << line(note + ":") << '\n';
        }
        std::vector<std::string> rest(p.begin() + 1, p.end());
        // "Example: gpokit ..." on one line.
        if (const std::size_t colon = heading.find(": "); colon != std::string::npos && heading.back() != ':')
            rest.insert(rest.begin(), "  " + heading.substr(colon + 2));
        write_lines(rest, out);
    }
}

void write_header(const std::string& name, std::string_view summary, std::string_view version,
                  std::string_view date, std::ostream& out)
{
    std::string upper = name;
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out << ".\\\" Written by gpokit_docs from gpokit's command-line definitions; do not edit.\n";
    out << ".TH \"" << esc(upper) << "\" 1 \"" << esc(date) << "\" \"gpokit " << esc(version)
        << "\" \"gpokit manual\"\n";
    // Left-adjusted and never hyphenated: options and paths must read as they are typed.
    out << ".nh\n.ad l\n";
    out << ".SH NAME\n" << esc(name) << " \\- " << esc(summary) << '\n';
}

void write_entries(const char* section, const std::vector<ManualEntry>& entries, bool files, std::ostream& out)
{
    if (entries.empty())
        return;
    out << ".SH " << section << '\n';
    for (const auto& e : entries)
        out << ".TP\n" << (files ? italic(e.term) : bold(e.term)) << '\n' << line(e.text) << '\n';
}

void write_see_also(const ManualPage& page, const std::vector<ManualPage>& all, std::ostream& out)
{
    std::vector<std::string> refs;
    for (const auto& p : all)
        if (p.name != page.name)
            refs.push_back(p.name + "(1)");
    for (const auto& s : page.text.see_also)
        refs.emplace_back(s);
    out << ".SH \"SEE ALSO\"\n";
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const std::size_t paren = refs[i].find('(');
        out << ".BR " << esc(refs[i].substr(0, paren)) << " " << esc(refs[i].substr(paren))
            << (i + 1 < refs.size() ? "," : "") << '\n';
    }
}

std::string summary_of(const ManualText& text, const std::string& fallback)
{
    std::string s(text.summary.empty() ? std::string_view(fallback) : text.summary);
    if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && std::islower(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

void write_overview(const CLI::App& app, const ManualPage& page, const std::vector<ManualPage>& all,
                    std::string_view version, std::string_view date, std::ostream& out)
{
    write_header(page.name, summary_of(page.text, app.get_description()), version, date, out);
    out << ".SH SYNOPSIS\n.nf\n"
        << bold("gpokit") << " " << italic("command") << " [" << italic("subcommand") << "] [" << italic("options")
        << "] [" << italic("arguments") << "]\n"
        << bold("gpokit --help") << "\n" << bold("gpokit --version") << "\n.fi\n";
    out << ".SH DESCRIPTION\n";
    write_text(app.get_description(), out);
    write_text(page.text.description, out);

    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : subcommands_of(app)) {
        std::string where;
        for (const auto& p : all)
            if (std::find(p.commands.begin(), p.commands.end(), sub->get_name()) != p.commands.end())
                where = p.name;
        out << ".TP\n" << bold(sub->get_name());
        const auto children = subcommands_of(*sub);
        if (!children.empty())
            out << " " << italic("command");
        out << '\n' << line(sub->get_description() + ".") << '\n';
        if (!children.empty()) {
            std::string names;
            for (const CLI::App* c : children)
                names += (names.empty() ? "" : ", ") + c->get_name();
            out << line("Commands: " + names + ".") << '\n';
        }
        out << "See\n.BR " << esc(where) << " (1).\n";
    }

    out << ".SH OPTIONS\n";
    out << ".TP\n" << bold("-h") << ", " << bold("--help") << '\n'
        << line("Print help: of gpokit, or of the command named before it, with its options and examples.") << '\n';
    for (const CLI::Option* o : options_of(app))
        write_option(*o, out);

    out << ".SH \"EXIT STATUS\"\n" << line(exit_status_of(app)) << '\n';
    out << ".SH EXAMPLES\n";
    write_examples(app, out);

    // Every variable any command reads.
    std::vector<ManualEntry> environment = page.text.environment;
    for (const auto& p : all)
        for (const auto& e : p.text.environment)
            if (std::none_of(environment.begin(), environment.end(), [&](const ManualEntry& x) { return x.term == e.term; }))
                environment.push_back(e);
    write_entries("ENVIRONMENT", environment, false, out);
    write_entries("FILES", page.text.files, true, out);
    write_see_also(page, all, out);
}

} // namespace

std::vector<ManualPage> manual_pages(const CLI::App& app)
{
    std::vector<ManualPage> pages{
        {"gpokit", {}, manual_gpokit()},
        {"gpokit-pol", {"pol"}, manual_pol()},
        {"gpokit-gpo", {"gpo"}, manual_gpo()},
        {"gpokit-kerberos", {"kerberos"}, manual_kerberos()},
        {"gpokit-policy", {"policy"}, manual_policy()},
        {"gpokit-diff", {"diff", "compare"}, manual_diff()},
        {"gpokit-live", {"live"}, manual_live()},
        {"gpokit-trust", {"trust"}, manual_trust()},
        {"gpokit-stage", {"stage"}, manual_stage()},
    };
    std::set<std::string> documented;
    for (const auto& p : pages)
        for (const auto& c : p.commands) {
            top_level(app, c); // throws for a command gpokit does not have
            documented.insert(c);
        }
    for (const CLI::App* sub : subcommands_of(app))
        if (documented.count(sub->get_name()) == 0)
            throw util::Error("manual: the command " + sub->get_name() +
                              " has no manual page (add it to manual_pages in cli/manual.cpp)");
    return pages;
}

void write_manual_page(const CLI::App& app, const ManualPage& page, const std::vector<ManualPage>& all,
                       std::string_view version, std::string_view date, std::ostream& out)
{
    if (page.commands.empty()) {
        write_overview(app, page, all, version, date, out);
        return;
    }
    std::vector<Leaf> leaves;
    std::vector<const CLI::App*> groups;
    for (const auto& name : page.commands) {
        const CLI::App& group = top_level(app, name);
        groups.push_back(&group);
        collect_leaves(group, name, leaves);
    }
    const CLI::App& first = *groups.front();
    write_header(page.name, summary_of(page.text, first.get_description()), version, date, out);

    out << ".SH SYNOPSIS\n.nf\n";
    for (const auto& leaf : leaves)
        out << synopsis(leaf) << '\n';
    out << ".fi\n";

    out << ".SH DESCRIPTION\n";
    for (const CLI::App* group : groups) {
        if (subcommands_of(*group).empty())
            continue; // a single command: its section says it
        write_text(group->get_description() + ".", out);
        for (const auto& p : paragraphs(group->get_footer()))
            if (!is_help_pointer(p) && !is_example(p)) {
                out << ".PP\n";
                write_lines(p, out);
            }
    }
    write_text(page.text.description, out);

    out << ".SH OPTIONS\n";
    out << ".PP\nEvery command also takes " << bold("-h") << ", " << bold("--help")
        << ": it prints the command's options and examples.\n";
    for (const auto& leaf : leaves)
        write_leaf(leaf, out);

    out << ".SH \"EXIT STATUS\"\n" << line(exit_status_of(app)) << '\n';
    for (const auto& leaf : leaves)
        if (const std::string status = exit_status_of(*leaf.app); !status.empty())
            out << ".TP\n" << bold("gpokit " + leaf.path) << '\n' << line(status) << '\n';

    out << ".SH EXAMPLES\n";
    for (const CLI::App* group : groups)
        if (!subcommands_of(*group).empty()) // a single command is one of the leaves
            write_examples(*group, out);
    for (const auto& leaf : leaves)
        write_examples(*leaf.app, out);

    write_entries("ENVIRONMENT", page.text.environment, false, out);
    write_entries("FILES", page.text.files, true, out);
    write_see_also(page, all, out);
}

} // namespace gpokit::cli
