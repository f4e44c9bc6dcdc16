#include "render/diff_render.hpp"

#include "pol/reg_type.hpp"
#include "render/escape.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <cctype>

namespace gpokit::render {

namespace {

const char* side_title(pol::Side s)
{
    return s == pol::Side::machine ? "Computer Configuration" : "User Configuration";
}

const char* side_word(pol::Side s)
{
    return gpo::side_name(s);
}

const char* scope_title(diff::Scope s)
{
    switch (s) {
    case diff::Scope::security: return "Security Settings";
    case diff::Scope::preferences: return "Preferences";
    case diff::Scope::registry: return "Registry";
    case diff::Scope::metadata: return "GPO";
    case diff::Scope::file: return "Files";
    }
    return "";
}

char sign_of(diff::Change c)
{
    return c == diff::Change::added ? '+' : c == diff::Change::removed ? '-' : '~';
}

std::string value_name(const std::string& value)
{
    return value.empty() ? std::string("(default)") : terminal_text(value);
}

// "key ! value = data" (added, removed) or "key ! value: before -> after" (modified).
std::string change_text(const diff::RegistryChange& c)
{
    const std::string name = value_name(c.value);
    switch (c.change) {
    case diff::Change::added:
        return fmt::format("{} ! {} = {}", terminal_text(c.key), name, data_text(c.after));
    case diff::Change::removed:
        return fmt::format("{} ! {} = {}", terminal_text(c.key), name, data_text(c.before));
    case diff::Change::modified:
        return fmt::format("{} ! {}: {} -> {}", terminal_text(c.key), name, data_text(c.before), data_text(c.after));
    }
    return {};
}

std::string setting_text(const diff::SettingChange& c)
{
    const std::string none = "Not defined";
    switch (c.change) {
    case diff::Change::added:
        return fmt::format("{} = {}", terminal_text(c.name), terminal_text(c.after.value_or(none)));
    case diff::Change::removed:
        return fmt::format("{} = {}", terminal_text(c.name), terminal_text(c.before.value_or(none)));
    case diff::Change::modified:
        return fmt::format("{}: {} -> {}", terminal_text(c.name), terminal_text(c.before.value_or(none)),
                           terminal_text(c.after.value_or(none)));
    }
    return {};
}

std::string record_text(const diff::RecordChange& r)
{
    return fmt::format("record {}: {} ! {} = {}", r.index, terminal_text(r.key), value_name(r.value),
                       data_text(r.data));
}

// "line 18 [Kerberos Policy]: MaxTicketAge = 10".
std::string line_text(const diff::LineChange& l)
{
    return fmt::format("line {}{}: {}", l.line, l.section.empty() ? "" : " [" + terminal_text(l.section) + "]",
                       terminal_text(l.text));
}

// Calls `each_file(path)` before the first line of each file.
template <class EachFile, class EachLine>
void by_file(const std::vector<diff::LineChange>& changes, EachFile each_file, EachLine each_line)
{
    const std::string* path = nullptr;
    for (const auto& l : changes) {
        if (!path || *path != l.path)
            each_file(l.path);
        path = &l.path;
        each_line(l);
    }
}

const char* state(policy::State s)
{
    return policy::state_name(s);
}

void typed_json(util::JsonWriter& json, const std::optional<diff::TypedData>& d)
{
    if (!d) {
        json.null();
        return;
    }
    json.begin_object();
    if (d->deletion) {
        json.member("delete", true);
    } else {
        json.member("type", pol::type_name(d->type));
        json_data(json, d->type, d->data);
    }
    json.end_object();
}

// --- text -------------------------------------------------------------------------

class TextSink : public DiffSink {
public:
    TextSink(std::ostream& out, const DiffStyle& style) : m_out(out), m_style(style) {}

    void begin(const diff::Diff& d, const DiffCounts&) override
    {
        if (m_style.header)
            m_out << "--- " << terminal_text(d.a) << "\n+++ " << terminal_text(d.b) << '\n';
    }
    void side(pol::Side side) override { m_out << side_title(side) << '\n'; }
    void group(pol::Side, const diff::PolicyRef* p) override
    {
        if (p)
            m_out << fmt::format("  {} ({}): {} -> {}\n", terminal_text(p->display_name), terminal_text(p->name),
                                 state(p->before), state(p->after));
        else
            m_out << "  registry values of no known policy\n";
    }
    void registry(const diff::RegistryChange& c) override { line("    ", sign_of(c.change), change_text(c)); }
    void end_group() override {}
    void area(diff::Scope scope, pol::Side side, const std::string& area) override
    {
        if (m_scope != std::pair(scope, side))
            m_out << fmt::format("{} ({})\n", scope_title(scope), side_word(side));
        m_scope = std::pair(scope, side);
        m_out << fmt::format("  {}\n", terminal_text(area));
    }
    void setting(const diff::SettingChange& c) override { line("    ", sign_of(c.change), setting_text(c)); }
    void end_area() override {}
    void metadata(const std::vector<diff::MetadataChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << "GPO\n";
        for (const auto& m : changes)
            line("  ", '~', fmt::format("{}: {} -> {}", terminal_text(m.field), terminal_text(m.before),
                                        terminal_text(m.after)));
    }
    void files(const std::vector<diff::FileChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << "Files\n";
        for (const auto& f : changes)
            line("  ", sign_of(f.change), terminal_text(f.path));
    }
    void records(const std::vector<diff::RecordChange>& changes) override
    {
        std::optional<pol::Side> side;
        for (const auto& r : changes) {
            if (side != r.side) {
                m_out << fmt::format("Records ({})\n", side_word(r.side));
                side = r.side;
            }
            line("  ", sign_of(r.change), record_text(r));
        }
    }
    void lines(const std::vector<diff::LineChange>& changes) override
    {
        by_file(
            changes, [&](const std::string& path) { m_out << fmt::format("Lines ({})\n", terminal_text(path)); },
            [&](const diff::LineChange& l) { line("  ", sign_of(l.change), line_text(l)); });
    }
    void end() override {}

private:
    void line(const char* indent, char sign, const std::string& text)
    {
        std::string l = std::string(1, sign) + " " + text;
        if (m_style.color) {
            const char* code = sign == '+' ? "\x1b[32m" : sign == '-' ? "\x1b[31m" : "\x1b[33m";
            l = std::string(code) + l + "\x1b[0m";
        }
        m_out << indent << l << '\n';
    }

    std::ostream& m_out;
    DiffStyle m_style;
    std::optional<std::pair<diff::Scope, pol::Side>> m_scope; // the heading last written
};

// --- JSON (docs/diff-schema.md) ----------------------------------------------------

class JsonSink : public DiffSink {
public:
    explicit JsonSink(std::ostream& out) : m_own(std::in_place, out), m_json(*m_own) {}
    // A diff inside a larger document (an estate diff's GPO), written where `json` is.
    explicit JsonSink(util::JsonWriter& json) : m_json(json) {}

    void begin(const diff::Diff& d, const DiffCounts&) override
    {
        if (m_own)
            m_json.begin_document("gpokit-diff/1");
        else
            m_json.begin_object(); // inside gpokit-estate-diff, which names the schema
        m_json.key("a");
        m_json.begin_object();
        m_json.member("path", d.a);
        m_json.end_object();
        m_json.key("b");
        m_json.begin_object();
        m_json.member("path", d.b);
        m_json.end_object();
        m_json.key("changes");
        m_json.begin_array();
    }
    void side(pol::Side) override {}
    void group(pol::Side, const diff::PolicyRef*) override {}
    void registry(const diff::RegistryChange& c) override
    {
        m_json.begin_object();
        m_json.member("scope", diff::scope_name(diff::Scope::registry));
        m_json.member("side", side_word(c.side));
        m_json.member("key", c.key);
        m_json.member("value", c.value);
        m_json.member("change", diff::change_name(c.change));
        m_json.key("before");
        typed_json(m_json, c.before);
        m_json.key("after");
        typed_json(m_json, c.after);
        m_json.key("policy");
        if (c.policy) {
            m_json.begin_object();
            m_json.member("name", c.policy->name);
            m_json.member("display_name", c.policy->display_name);
            m_json.member("state", state(c.policy->after));
            m_json.member("state_before", state(c.policy->before));
            m_json.end_object();
        } else {
            m_json.null();
        }
        m_json.end_object();
    }
    void end_group() override {}
    void area(diff::Scope, pol::Side, const std::string&) override {}
    void setting(const diff::SettingChange& c) override
    {
        m_json.begin_object();
        m_json.member("scope", diff::scope_name(c.scope));
        m_json.member("side", side_word(c.side));
        m_json.member("area", c.area);
        m_json.member("name", c.name);
        m_json.member("change", diff::change_name(c.change));
        const auto text = [&](const char* key, const std::optional<std::string>& v) {
            m_json.key(key);
            if (v)
                m_json.value(*v);
            else
                m_json.null();
        };
        text("before", c.before);
        text("after", c.after);
        m_json.end_object();
    }
    void end_area() override {}
    void metadata(const std::vector<diff::MetadataChange>& changes) override
    {
        m_json.end_array(); // changes
        m_json.key("metadata");
        m_json.begin_array();
        for (const auto& m : changes) {
            m_json.begin_object();
            m_json.member("field", m.field);
            m_json.member("before", m.before);
            m_json.member("after", m.after);
            m_json.end_object();
        }
        m_json.end_array();
    }
    void files(const std::vector<diff::FileChange>& changes) override
    {
        m_json.key("files");
        m_json.begin_array();
        for (const auto& f : changes) {
            m_json.begin_object();
            m_json.member("path", f.path);
            m_json.member("change", diff::change_name(f.change));
            m_json.end_object();
        }
        m_json.end_array();
    }
    void records(const std::vector<diff::RecordChange>& changes) override
    {
        m_json.key("records");
        m_json.begin_array();
        for (const auto& r : changes) {
            m_json.begin_object();
            m_json.member("side", side_word(r.side));
            m_json.member("change", diff::change_name(r.change));
            m_json.member("index", static_cast<std::uint64_t>(r.index));
            m_json.member("key", r.key);
            m_json.member("value", r.value);
            m_json.member("type", pol::type_name(r.data.type));
            json_data(m_json, r.data.type, r.data.data);
            m_json.end_object();
        }
        m_json.end_array();
    }
    void lines(const std::vector<diff::LineChange>& changes) override
    {
        m_json.key("lines");
        m_json.begin_array();
        for (const auto& l : changes) {
            m_json.begin_object();
            m_json.member("path", l.path);
            m_json.member("side", side_word(l.side));
            m_json.member("section", l.section);
            m_json.member("change", diff::change_name(l.change));
            m_json.member("line", static_cast<std::uint64_t>(l.line));
            m_json.member("text", l.text);
            m_json.end_object();
        }
        m_json.end_array();
    }
    void end() override { m_json.end_object(); }

private:
    std::optional<util::JsonWriter> m_own;
    util::JsonWriter& m_json;
};

// --- Markdown ----------------------------------------------------------------------

class MarkdownSink : public DiffSink {
public:
    // `nested`: one GPO's part of an estate report, under a heading of its own.
    explicit MarkdownSink(std::ostream& out, bool nested = false)
        : m_out(out), m_nested(nested), m_h3(nested ? "####" : "###")
    {
    }

    void begin(const diff::Diff& d, const DiffCounts& n) override
    {
        if (!m_nested)
            m_out << "## gpokit diff\n\n";
        m_out << fmt::format("{} → {}\n\n", markdown_text(d.a), markdown_text(d.b));
        m_out << fmt::format("| registry values added | removed | modified | other settings | GPO metadata | files | "
                             "records |\n|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} |\n\n",
                             n.added, n.removed, n.modified, n.settings, n.metadata, n.files, n.records + n.lines);
        if (d.empty())
            m_out << "No differences.\n";
    }
    void side(pol::Side side) override { m_out << m_h3 << ' ' << side_title(side) << "\n\n"; }
    void group(pol::Side, const diff::PolicyRef* p) override
    {
        if (p)
            m_out << fmt::format("**{}** ({}): {} → **{}**\n\n", markdown_text(p->display_name),
                                 markdown_text(p->name), state(p->before), state(p->after));
        else
            m_out << "**Registry values of no known policy**\n\n";
    }
    void registry(const diff::RegistryChange& c) override
    {
        m_out << fmt::format("- {} {}\n", diff::change_name(c.change), markdown_text(change_text(c)));
    }
    void end_group() override { m_out << '\n'; }
    void area(diff::Scope scope, pol::Side side, const std::string& area) override
    {
        m_out << fmt::format("{} {} ({}): {}\n\n", m_h3, scope_title(scope), side_word(side), markdown_text(area));
    }
    void setting(const diff::SettingChange& c) override
    {
        m_out << fmt::format("- {} {}\n", diff::change_name(c.change), markdown_text(setting_text(c)));
    }
    void end_area() override { m_out << '\n'; }
    void metadata(const std::vector<diff::MetadataChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << m_h3 << " GPO\n\n| field | before | after |\n|---|---|---|\n";
        for (const auto& m : changes)
            m_out << fmt::format("| {} | {} | {} |\n", markdown_text(m.field), markdown_text(m.before),
                                 markdown_text(m.after));
        m_out << '\n';
    }
    void files(const std::vector<diff::FileChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << m_h3 << " Files\n\n";
        for (const auto& f : changes)
            m_out << fmt::format("- {} {}\n", diff::change_name(f.change), markdown_text(f.path));
        m_out << '\n';
    }
    void records(const std::vector<diff::RecordChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << m_h3 << " Records\n\n";
        for (const auto& r : changes)
            m_out << fmt::format("- {} record {} ({}): {} ! {} = {}\n", diff::change_name(r.change), r.index,
                                 side_word(r.side), markdown_text(r.key), markdown_text(r.value),
                                 markdown_text(data_text(r.data)));
        m_out << '\n';
    }
    void lines(const std::vector<diff::LineChange>& changes) override
    {
        by_file(
            changes,
            [&](const std::string& path) {
                m_out << fmt::format("{} Lines of {}\n\n", m_h3, markdown_text(path));
            },
            [&](const diff::LineChange& l) {
                m_out << fmt::format("- {} {}\n", diff::change_name(l.change), markdown_text(line_text(l)));
            });
        if (!changes.empty())
            m_out << '\n';
    }
    void end() override {}

private:
    std::ostream& m_out;
    bool m_nested;
    const char* m_h3;
};

// --- HTML --------------------------------------------------------------------------

// The page's head, style and title, for a diff's page and an estate diff's.
void page_head(std::ostream& out, const char* title, const char* more_style = "")
{
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << title << R"(</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#1d2330}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em;margin:1.2em 0 .4em}
.summary{display:flex;gap:1em;margin:1em 0}.summary div{border:1px solid #c9cfdb;border-radius:6px;padding:.6em 1em}
.summary b{display:block;font-size:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #d5dae3;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#eef1f6}td.k{font-family:monospace;word-break:break-all}
tr.added td.after{background:#e3f7e6}tr.removed td.before{background:#fbe4e4}tr.modified td.before,tr.modified td.after{background:#fff5d6}
.state{color:#555}
)" << more_style << "</style></head><body>\n<h1>" << title << "</h1>\n";
}

class HtmlSink : public DiffSink {
public:
    // `nested`: one GPO's part of an estate page, in a section of its own.
    explicit HtmlSink(std::ostream& out, bool nested = false)
        : m_out(out), m_nested(nested), m_h2(nested ? "h3" : "h2"), m_h3(nested ? "h4" : "h3")
    {
    }

    void begin(const diff::Diff& d, const DiffCounts& n) override
    {
        if (!m_nested)
            page_head(m_out, "gpokit diff");
        m_out << fmt::format("<p><code>{}</code> &rarr; <code>{}</code></p>\n", html_text(d.a), html_text(d.b));
        // The summary's ids name the page's one diff; an estate page has many.
        const auto box = [&](const char* id, std::size_t number, const char* what) {
            return m_nested ? fmt::format("<div><b>{}</b>{}</div>", number, what)
                            : fmt::format("<div id=\"{}\"><b>{}</b>{}</div>", id, number, what);
        };
        m_out << "<div class=\"summary\">" << box("added", n.added, "added") << box("removed", n.removed, "removed")
              << box("modified", n.modified, "modified") << box("settings", n.settings, "other settings")
              << box("metadata", n.metadata, "GPO metadata") << box("files", n.files, "files")
              << box("records", n.records + n.lines, "records") << "</div>\n";
        if (d.empty())
            m_out << (m_nested ? "<p>No differences.</p>\n" : "<p id=\"none\">No differences.</p>\n");
    }
    void side(pol::Side side) override { m_out << fmt::format("<{0}>{1}</{0}>\n", m_h2, side_title(side)); }
    void group(pol::Side, const diff::PolicyRef* p) override
    {
        if (p)
            m_out << fmt::format("<{0}>{1} <span class=\"state\">({2}: {3} &rarr; {4})</span></{0}>\n", m_h3,
                                 html_text(p->display_name), html_text(p->name), state(p->before), state(p->after));
        else
            m_out << fmt::format("<{0}>Registry values of no known policy</{0}>\n", m_h3);
        m_out << "<table><tr><th>change</th><th>key</th><th>value</th><th>before</th><th>after</th></tr>\n";
    }
    void registry(const diff::RegistryChange& c) override
    {
        m_out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td class=\"k\">{1}</td><td class=\"k\">{2}</td>"
                             "<td class=\"before\">{3}</td><td class=\"after\">{4}</td></tr>\n",
                             diff::change_name(c.change), html_text(c.key), html_text(c.value),
                             html_text(c.before ? data_text(c.before) : std::string()),
                             html_text(c.after ? data_text(c.after) : std::string()));
    }
    void end_group() override { m_out << "</table>\n"; }
    void area(diff::Scope scope, pol::Side side, const std::string& area) override
    {
        if (m_scope != std::pair(scope, side))
            m_out << fmt::format("<{0}>{1} ({2})</{0}>\n", m_h2, scope_title(scope), side_word(side));
        m_scope = std::pair(scope, side);
        m_out << fmt::format("<{0}>{1}</{0}>\n", m_h3, html_text(area));
        m_out << "<table><tr><th>change</th><th>setting</th><th>before</th><th>after</th></tr>\n";
    }
    void setting(const diff::SettingChange& c) override
    {
        m_out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td>{1}</td><td class=\"before\">{2}</td>"
                             "<td class=\"after\">{3}</td></tr>\n",
                             diff::change_name(c.change), html_text(c.name), html_text(c.before.value_or("")),
                             html_text(c.after.value_or("")));
    }
    void end_area() override { m_out << "</table>\n"; }
    void metadata(const std::vector<diff::MetadataChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << fmt::format("<{0}>GPO</{0}>\n<table><tr><th>field</th><th>before</th><th>after</th></tr>\n", m_h2);
        for (const auto& m : changes)
            m_out << fmt::format(
                "<tr class=\"modified\"><td>{}</td><td class=\"before\">{}</td><td class=\"after\">{}</td></tr>\n",
                html_text(m.field), html_text(m.before), html_text(m.after));
        m_out << "</table>\n";
    }
    void files(const std::vector<diff::FileChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << fmt::format("<{0}>Files</{0}>\n<table><tr><th>change</th><th>file</th></tr>\n", m_h2);
        for (const auto& f : changes)
            m_out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td class=\"k\">{1}</td></tr>\n",
                                 diff::change_name(f.change), html_text(f.path));
        m_out << "</table>\n";
    }
    void records(const std::vector<diff::RecordChange>& changes) override
    {
        if (changes.empty())
            return;
        m_out << fmt::format("<{0}>Records</{0}>\n<table><tr><th>change</th><th>side</th><th>record</th><th>key</th>"
                             "<th>value</th><th>data</th></tr>\n",
                             m_h2);
        for (const auto& r : changes)
            m_out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td>{1}</td><td>{2}</td><td class=\"k\">{3}</td>"
                                 "<td class=\"k\">{4}</td><td class=\"{5}\">{6}</td></tr>\n",
                                 diff::change_name(r.change), side_word(r.side), r.index, html_text(r.key),
                                 html_text(r.value), r.change == diff::Change::added ? "after" : "before",
                                 html_text(data_text(r.data)));
        m_out << "</table>\n";
    }
    void lines(const std::vector<diff::LineChange>& changes) override
    {
        bool open = false;
        by_file(
            changes,
            [&](const std::string& path) {
                if (open)
                    m_out << "</table>\n";
                open = true;
                m_out << fmt::format("<{0}>Lines of <code>{1}</code></{0}>\n<table><tr><th>change</th><th>line</th>"
                                     "<th>section</th><th>text</th></tr>\n",
                                     m_h2, html_text(path));
            },
            [&](const diff::LineChange& l) {
                m_out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td>{1}</td><td>{2}</td><td class=\"k {3}\">{4}"
                                     "</td></tr>\n",
                                     diff::change_name(l.change), l.line, html_text(l.section),
                                     l.change == diff::Change::added ? "after" : "before", html_text(l.text));
            });
        if (open)
            m_out << "</table>\n";
    }
    void end() override
    {
        if (!m_nested)
            m_out << "</body></html>\n";
    }

private:
    std::ostream& m_out;
    bool m_nested;
    const char* m_h2;
    const char* m_h3;
    std::optional<std::pair<diff::Scope, pol::Side>> m_scope; // the heading last written
};

// --- CSV: one row per change --------------------------------------------------------

class CsvSink : public DiffSink {
public:
    explicit CsvSink(std::ostream& out) : m_out(out) {}
    // One GPO's rows in an estate diff's table: `prefix` leads each row, the header is the estate's.
    CsvSink(std::ostream& out, std::vector<std::string> prefix) : m_out(out), m_prefix(std::move(prefix)) {}

    static constexpr const char* k_header = "scope,side,change,where,name,policy,before,after";

    void begin(const diff::Diff&, const DiffCounts&) override
    {
        if (m_prefix.empty())
            m_out << k_header << "\r\n";
    }
    void side(pol::Side) override {}
    void group(pol::Side, const diff::PolicyRef*) override {}
    void registry(const diff::RegistryChange& c) override
    {
        row({diff::scope_name(diff::Scope::registry), side_word(c.side), diff::change_name(c.change), c.key, c.value,
             c.policy ? c.policy->display_name : std::string(), c.before ? data_text(c.before) : std::string(),
             c.after ? data_text(c.after) : std::string()});
    }
    void end_group() override {}
    void area(diff::Scope, pol::Side, const std::string&) override {}
    void setting(const diff::SettingChange& c) override
    {
        row({diff::scope_name(c.scope), side_word(c.side), diff::change_name(c.change), c.area, c.name, "",
             c.before.value_or(""), c.after.value_or("")});
    }
    void end_area() override {}
    void metadata(const std::vector<diff::MetadataChange>& changes) override
    {
        for (const auto& m : changes)
            row({diff::scope_name(diff::Scope::metadata), "", "modified", "GPO", m.field, "", m.before, m.after});
    }
    void files(const std::vector<diff::FileChange>& changes) override
    {
        for (const auto& f : changes)
            row({diff::scope_name(diff::Scope::file), "", diff::change_name(f.change), f.path, "", "", "", ""});
    }
    void records(const std::vector<diff::RecordChange>& changes) override
    {
        for (const auto& r : changes)
            row({"record", side_word(r.side), diff::change_name(r.change), r.key, r.value, "",
                 r.change == diff::Change::removed ? data_text(r.data) : std::string(),
                 r.change == diff::Change::added ? data_text(r.data) : std::string()});
    }
    void lines(const std::vector<diff::LineChange>& changes) override
    {
        for (const auto& l : changes)
            row({"line", side_word(l.side), diff::change_name(l.change), fmt::format("{}:{}", l.path, l.line),
                 l.section, "", l.change == diff::Change::removed ? l.text : std::string(),
                 l.change == diff::Change::added ? l.text : std::string()});
    }
    void end() override {}

private:
    void row(const std::vector<std::string>& cells)
    {
        for (const auto& p : m_prefix)
            m_out << csv_field(p) << ',';
        for (std::size_t i = 0; i < cells.size(); ++i)
            m_out << (i ? "," : "") << csv_field(cells[i]);
        m_out << "\r\n";
    }
    std::ostream& m_out;
    std::vector<std::string> m_prefix;
};

} // namespace

std::string data_text(const std::optional<diff::TypedData>& d)
{
    if (!d)
        return "(none)";
    if (d->deletion)
        return "(deleted on clients)";
    return pol::type_name(d->type) + " " + data_for_humans(d->type, d->data);
}

DiffCounts count(const diff::Diff& d)
{
    DiffCounts n;
    for (const auto& r : d.registry)
        (r.change == diff::Change::added ? n.added : r.change == diff::Change::removed ? n.removed : n.modified)++;
    n.settings = d.settings.size();
    n.metadata = d.metadata.size();
    n.files = d.files.size();
    n.records = d.records.size();
    n.lines = d.lines.size();
    return n;
}

void walk(const diff::Diff& d, DiffSink& sink)
{
    sink.begin(d, count(d));
    std::optional<pol::Side> side;
    std::optional<std::string> group; // the policy's name; "" for values of no known policy
    for (const auto& c : d.registry) {
        const std::string name = c.policy ? c.policy->name : std::string();
        if (side != c.side || group != name) {
            if (group)
                sink.end_group();
            if (side != c.side)
                sink.side(c.side);
            sink.group(c.side, c.policy ? &*c.policy : nullptr);
            side = c.side;
            group = name;
        }
        sink.registry(c);
    }
    if (group)
        sink.end_group();
    std::optional<std::tuple<diff::Scope, pol::Side, std::string>> area;
    for (const auto& s : d.settings) {
        const auto here = std::tuple{s.scope, s.side, s.area};
        if (area != here) {
            if (area)
                sink.end_area();
            sink.area(s.scope, s.side, s.area);
            area = here;
        }
        sink.setting(s);
    }
    if (area)
        sink.end_area();
    sink.metadata(d.metadata);
    sink.files(d.files);
    sink.records(d.records);
    sink.lines(d.lines);
    sink.end();
}

const std::vector<Format>& diff_formats()
{
    static const std::vector<Format> formats{Format::text, Format::json, Format::markdown, Format::html, Format::csv};
    return formats;
}

void render_diff(const diff::Diff& d, Format format, std::ostream& out, const DiffStyle& style)
{
    switch (format) {
    case Format::text: {
        TextSink sink(out, style);
        walk(d, sink);
        return;
    }
    case Format::json: {
        JsonSink sink(out);
        walk(d, sink);
        return;
    }
    case Format::markdown: {
        MarkdownSink sink(out);
        walk(d, sink);
        return;
    }
    case Format::html: {
        HtmlSink sink(out);
        walk(d, sink);
        return;
    }
    case Format::csv: {
        CsvSink sink(out);
        walk(d, sink);
        return;
    }
    case Format::lgpo:
        break;
    }
    throw util::Error(fmt::format("a diff has no {} form", format_name(format)));
}

} // namespace gpokit::render

// --- estate diffs ------------------------------------------------------------------
// A list of the GPOs (added, removed, changed, and unless --only-changed unchanged),
// the problems that make it incomplete, then each changed GPO's diff through the sinks
// above, nested under a heading of its own.

namespace gpokit::render {

namespace {

std::vector<const diff::GpoPair*> listed(const diff::EstateDiff& d, const EstateStyle& style)
{
    std::vector<const diff::GpoPair*> out;
    for (const auto& p : d.gpos)
        if (!style.only_changed || p.status != diff::GpoStatus::unchanged)
            out.push_back(&p);
    return out;
}

char status_sign(diff::GpoStatus s)
{
    switch (s) {
    case diff::GpoStatus::added: return '+';
    case diff::GpoStatus::removed: return '-';
    case diff::GpoStatus::changed: return '~';
    case diff::GpoStatus::unchanged: return '=';
    }
    return ' ';
}

std::string by_name_note(const diff::GpoPair& p)
{
    return p.a_guid.empty() ? std::string() : fmt::format("matched by display name; in A its GUID is {}", p.a_guid);
}

std::string summary_text(const diff::EstateDiff& d)
{
    return fmt::format("{} added, {} removed, {} changed, {} unchanged", d.count(diff::GpoStatus::added),
                       d.count(diff::GpoStatus::removed), d.count(diff::GpoStatus::changed),
                       d.count(diff::GpoStatus::unchanged));
}

void estate_text(const diff::EstateDiff& d, std::ostream& out, const EstateStyle& style)
{
    out << "--- " << terminal_text(d.a) << "\n+++ " << terminal_text(d.b) << '\n';
    out << "GPOs: " << summary_text(d) << '\n';
    for (const auto* p : listed(d, style)) {
        std::string line = fmt::format("{} {} {}", status_sign(p->status), terminal_text(p->name), p->guid);
        if (!p->a_guid.empty())
            line += " (" + by_name_note(*p) + ")";
        if (style.color && p->status != diff::GpoStatus::unchanged) {
            const char* code = p->status == diff::GpoStatus::added     ? "\x1b[32m"
                               : p->status == diff::GpoStatus::removed ? "\x1b[31m"
                                                                        : "\x1b[33m";
            line = code + line + "\x1b[0m";
        }
        out << "  " << line << '\n';
    }
    if (!d.problems.empty()) {
        out << "Problems (the comparison is incomplete)\n";
        for (const auto& p : d.problems)
            out << "  ! " << terminal_text(p) << '\n';
    }
    for (const auto& p : d.gpos) {
        if (p.status != diff::GpoStatus::changed)
            continue;
        out << fmt::format("\n=== {} {}\n", terminal_text(p.name), p.guid);
        TextSink sink(out, {style.color, true});
        walk(p.diff, sink);
    }
}

void estate_json(const diff::EstateDiff& d, std::ostream& out, const EstateStyle& style)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-estate-diff/1");
    json.member("kind", "estate");
    const auto path = [&](const char* key, const std::string& label) {
        json.key(key);
        if (label.empty()) {
            json.null();
            return;
        }
        json.begin_object();
        json.member("path", label);
        json.end_object();
    };
    path("a", d.a);
    path("b", d.b);
    json.key("summary");
    json.begin_object();
    for (const auto s : {diff::GpoStatus::added, diff::GpoStatus::removed, diff::GpoStatus::changed,
                         diff::GpoStatus::unchanged})
        json.member(diff::status_name(s), static_cast<std::uint64_t>(d.count(s)));
    json.end_object();
    json.key("gpos");
    json.begin_array();
    for (const auto* p : listed(d, style)) {
        json.begin_object();
        json.member("status", diff::status_name(p->status));
        json.member("guid", p->guid);
        json.member("name", p->name);
        json.member("matched_by", p->a_guid.empty() ? "guid" : "name");
        if (!p->a_guid.empty())
            json.member("a_guid", p->a_guid);
        path("a", p->a);
        path("b", p->b);
        json.key("diff");
        if (p->status == diff::GpoStatus::changed) {
            JsonSink sink(json);
            walk(p->diff, sink);
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array();
    const auto list = [&](const char* key, const std::vector<std::string>& items) {
        json.key(key);
        json.begin_array();
        for (const auto& i : items)
            json.value(i);
        json.end_array();
    };
    list("problems", d.problems);
    list("notes", d.notes);
    json.end_object();
}

void estate_markdown(const diff::EstateDiff& d, std::ostream& out, const EstateStyle& style)
{
    out << fmt::format("## gpokit diff: GPOs\n\n{} → {}\n\n", markdown_text(d.a), markdown_text(d.b));
    out << fmt::format("| GPOs added | removed | changed | unchanged |\n|---|---|---|---|\n| {} | {} | {} | {} |\n\n",
                       d.count(diff::GpoStatus::added), d.count(diff::GpoStatus::removed),
                       d.count(diff::GpoStatus::changed), d.count(diff::GpoStatus::unchanged));
    const auto gpos = listed(d, style);
    if (!gpos.empty()) {
        out << "| change | GPO | GUID |\n|---|---|---|\n";
        for (const auto* p : gpos)
            out << fmt::format("| {} | {} | {}{} |\n", diff::status_name(p->status), markdown_text(p->name), markdown_text(p->guid),
                               p->a_guid.empty() ? "" : " (" + by_name_note(*p) + ")");
        out << '\n';
    }
    if (!d.problems.empty()) {
        out << "**Problems (the comparison is incomplete)**\n\n";
        for (const auto& p : d.problems)
            out << "- " << markdown_text(p) << '\n';
        out << '\n';
    }
    for (const auto& p : d.gpos) {
        if (p.status != diff::GpoStatus::changed)
            continue;
        out << fmt::format("### {} ({})\n\n", markdown_text(p.name), p.guid);
        MarkdownSink sink(out, true);
        walk(p.diff, sink);
    }
}

std::string html_anchor(const std::string& guid)
{
    std::string id = "gpo-";
    for (const char c : guid)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-')
            id += c;
    return id;
}

void estate_html(const diff::EstateDiff& d, std::ostream& out, const EstateStyle& style)
{
    page_head(out, "gpokit diff: GPOs", "section.gpo{border-top:2px solid #c9cfdb;margin-top:2em}\n");
    out << fmt::format("<p><code>{}</code> &rarr; <code>{}</code></p>\n", html_text(d.a), html_text(d.b));
    out << "<div class=\"summary\">";
    for (const auto s : {diff::GpoStatus::added, diff::GpoStatus::removed, diff::GpoStatus::changed,
                         diff::GpoStatus::unchanged})
        out << fmt::format("<div id=\"gpos-{0}\"><b>{1}</b>{0}</div>", diff::status_name(s), d.count(s));
    out << "</div>\n";
    const auto gpos = listed(d, style);
    if (!gpos.empty()) {
        out << "<table id=\"gpos\"><tr><th>change</th><th>GPO</th><th>GUID</th></tr>\n";
        for (const auto* p : gpos) {
            const std::string name = p->status == diff::GpoStatus::changed
                                         ? fmt::format("<a href=\"#{}\">{}</a>", html_anchor(p->guid), html_text(p->name))
                                         : html_text(p->name);
            const char* row = p->status == diff::GpoStatus::changed ? "modified" : diff::status_name(p->status);
            out << fmt::format("<tr class=\"{}\"><td>{}</td><td class=\"{}\">{}</td><td class=\"k\">{}{}</td></tr>\n", row,
                               diff::status_name(p->status), p->status == diff::GpoStatus::removed ? "before" : "after",
                               name, p->guid, p->a_guid.empty() ? "" : "<br>" + html_text(by_name_note(*p)));
        }
        out << "</table>\n";
    }
    if (!d.problems.empty()) {
        out << "<h2>Problems (the comparison is incomplete)</h2>\n<ul id=\"problems\">\n";
        for (const auto& p : d.problems)
            out << "<li>" << html_text(p) << "</li>\n";
        out << "</ul>\n";
    }
    for (const auto& p : d.gpos) {
        if (p.status != diff::GpoStatus::changed)
            continue;
        out << fmt::format("<section class=\"gpo\" id=\"{}\"><h2>{} <span class=\"state\">{}</span></h2>\n",
                           html_anchor(p.guid), html_text(p.name), p.guid);
        HtmlSink sink(out, true);
        walk(p.diff, sink);
        out << "</section>\n";
    }
    out << "</body></html>\n";
}

void estate_csv(const diff::EstateDiff& d, std::ostream& out, const EstateStyle& style)
{
    out << "gpo,gpo_name,gpo_change," << CsvSink::k_header << "\r\n";
    for (const auto* p : listed(d, style)) {
        std::vector<std::string> prefix{p->guid, p->name, diff::status_name(p->status)};
        CsvSink sink(out, prefix);
        if (p->status == diff::GpoStatus::changed) {
            walk(p->diff, sink);
            continue;
        }
        // The GPO as a whole: where it is (or was).
        for (const auto& cell : prefix)
            out << csv_field(cell) << ',';
        out << "gpo,," << diff::status_name(p->status) << ',' << csv_field(p->b.empty() ? p->a : p->b)
            << ",,,,\r\n";
    }
}

} // namespace

void render_estate_diff(const diff::EstateDiff& d, Format format, std::ostream& out, const EstateStyle& style)
{
    switch (format) {
    case Format::text: return estate_text(d, out, style);
    case Format::json: return estate_json(d, out, style);
    case Format::markdown: return estate_markdown(d, out, style);
    case Format::html: return estate_html(d, out, style);
    case Format::csv: return estate_csv(d, out, style);
    case Format::lgpo: break;
    }
    throw util::Error(fmt::format("a diff has no {} form", format_name(format)));
}

} // namespace gpokit::render

namespace gpokit::render {

namespace {

const char* mark(const diff::CompareRow& r)
{
    return r.conflict ? "conflict" : r.absent ? "absent" : "same";
}

bool is_registry(const diff::CompareRow& r)
{
    return r.scope == diff::Scope::registry;
}

// Where a row's setting is and its name: a registry value's key and value name; another
// setting's area and name.
const std::string& row_where(const diff::CompareRow& r)
{
    return is_registry(r) ? r.key : r.area;
}

const std::string& row_name(const diff::CompareRow& r)
{
    return is_registry(r) ? r.value : r.name;
}

// Target i's value as shown, or nullopt where it does not set the setting.
std::optional<std::string> cell(const diff::CompareRow& r, std::size_t i)
{
    if (is_registry(r))
        return r.cells[i] ? std::optional<std::string>(data_text(r.cells[i])) : std::nullopt;
    return r.texts[i];
}

std::size_t cell_count(const diff::CompareRow& r)
{
    return is_registry(r) ? r.cells.size() : r.texts.size();
}

void compare_text(const diff::Comparison& c, std::ostream& out)
{
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        out << fmt::format("[{}] {}\n", i + 1, terminal_text(c.labels[i]));
    for (const auto& r : c.rows) {
        const char* sign = r.conflict ? "!" : r.absent ? "?" : " ";
        if (is_registry(r))
            out << fmt::format("{} {} {} ! {}{}\n", sign, side_word(r.side), terminal_text(r.key), value_name(r.value),
                               r.policy.empty() ? "" : "   (" + terminal_text(r.policy) + ")");
        else
            out << fmt::format("{} {} {}: {}\n", sign, side_word(r.side), terminal_text(r.area), terminal_text(r.name));
        for (std::size_t i = 0; i < cell_count(r); ++i)
            out << fmt::format("    [{}] {}\n", i + 1, terminal_text(cell(r, i).value_or("(not set)")));
    }
    out << fmt::format("{} settings, {} in conflict\n", c.rows.size(), c.conflicts());
}

void compare_csv(const diff::Comparison& c, std::ostream& out)
{
    out << "scope,side,where,name,policy,status";
    for (const auto& l : c.labels)
        out << ',' << csv_field(l);
    out << "\r\n";
    for (const auto& r : c.rows) {
        out << diff::scope_name(r.scope) << ',' << side_word(r.side) << ',' << csv_field(row_where(r)) << ','
            << csv_field(row_name(r)) << ',' << csv_field(r.policy) << ',' << mark(r);
        for (std::size_t i = 0; i < cell_count(r); ++i)
            out << ',' << csv_field(cell(r, i).value_or(""));
        out << "\r\n";
    }
}

void compare_json(const diff::Comparison& c, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-compare/1");
    json.key("sources");
    json.begin_array();
    for (const auto& l : c.labels)
        json.value(l);
    json.end_array();
    json.key("settings");
    json.begin_array();
    for (const auto& r : c.rows) {
        json.begin_object();
        json.member("scope", diff::scope_name(r.scope));
        json.member("side", side_word(r.side));
        if (is_registry(r)) {
            json.member("key", r.key);
            json.member("value", r.value);
        } else {
            json.member("area", r.area);
            json.member("name", r.name);
        }
        json.key("policy");
        if (r.policy.empty())
            json.null();
        else
            json.value(r.policy);
        json.member("status", mark(r));
        json.key("values");
        json.begin_array();
        if (is_registry(r)) {
            for (const auto& d : r.cells)
                typed_json(json, d);
        } else {
            for (const auto& t : r.texts)
                if (t)
                    json.value(*t);
                else
                    json.null();
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.member("conflicts", static_cast<std::uint64_t>(c.conflicts()));
    json.end_object();
}

void compare_markdown(const diff::Comparison& c, std::ostream& out)
{
    out << fmt::format("## gpokit compare\n\n{} settings, {} in conflict\n\n", c.rows.size(), c.conflicts());
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        out << fmt::format("{}. {}\n", i + 1, markdown_text(c.labels[i]));
    out << "\n| status | scope | side | where | name | policy |";
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        out << fmt::format(" [{}] |", i + 1);
    out << "\n|---|---|---|---|---|---|";
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        out << "---|";
    out << '\n';
    for (const auto& r : c.rows) {
        out << fmt::format("| {} | {} | {} | {} | {} | {} |", mark(r), diff::scope_name(r.scope), side_word(r.side),
                           markdown_text(row_where(r)), markdown_text(row_name(r)), markdown_text(r.policy));
        for (std::size_t i = 0; i < cell_count(r); ++i)
            out << ' ' << markdown_text(cell(r, i).value_or("(not set)")) << " |";
        out << '\n';
    }
}

void compare_html(const diff::Comparison& c, std::ostream& out)
{
    out << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gpokit compare</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#1d2330}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #d5dae3;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#eef1f6}td.k{font-family:monospace;word-break:break-all}
tr.conflict td.v{background:#fff1b8}td.v.absent{background:#e7e9ee}
</style></head><body>
<h1>gpokit compare</h1>
)";
    out << fmt::format(R"(<p id="summary">{} settings, {} in conflict</p>
<table><tr><th>scope</th><th>side</th><th>where</th><th>name</th><th>policy</th>)",
                       c.rows.size(), c.conflicts());
    for (const auto& l : c.labels)
        out << "<th>" << html_text(l) << "</th>";
    out << "</tr>\n";
    for (const auto& r : c.rows) {
        const char* code = is_registry(r) ? " class=\"k\"" : "";
        out << fmt::format(R"(<tr class="{}"><td>{}</td><td>{}</td><td{}>{}</td><td{}>{}</td><td>{}</td>)", mark(r),
                           diff::scope_name(r.scope), side_word(r.side), code, html_text(row_where(r)), code,
                           html_text(row_name(r)), html_text(r.policy));
        for (std::size_t i = 0; i < cell_count(r); ++i) {
            const auto v = cell(r, i);
            out << fmt::format(R"(<td class="v{}">{}</td>)", v ? "" : " absent", html_text(v.value_or("")));
        }
        out << "</tr>\n";
    }
    out << "</table>\n</body></html>\n";
}

} // namespace

const std::vector<Format>& compare_formats()
{
    static const std::vector<Format> formats{Format::text, Format::csv, Format::json, Format::markdown, Format::html};
    return formats;
}

void render_comparison(const diff::Comparison& c, Format format, std::ostream& out)
{
    switch (format) {
    case Format::text: return compare_text(c, out);
    case Format::csv: return compare_csv(c, out);
    case Format::json: return compare_json(c, out);
    case Format::markdown: return compare_markdown(c, out);
    case Format::html: return compare_html(c, out);
    case Format::lgpo: break;
    }
    throw util::Error(fmt::format("a comparison has no {} form", format_name(format)));
}

} // namespace gpokit::render
