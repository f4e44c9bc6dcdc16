#include "render/diff_render.hpp"

#include "pol/reg_type.hpp"
#include "render/pol_render.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <map>

namespace gpokit::render {

namespace {

const char* side_title(pol::Side s)
{
    return s == pol::Side::machine ? "Computer Configuration" : "User Configuration";
}

const char* side_word(pol::Side s)
{
    return s == pol::Side::machine ? "machine" : "user";
}

char sign_of(diff::Change c)
{
    return c == diff::Change::added ? '+' : c == diff::Change::removed ? '-' : '~';
}

std::string data_text(const std::optional<diff::TypedData>& d)
{
    if (!d)
        return "(none)";
    if (d->deletion)
        return "(deleted on clients)";
    return pol::type_name(d->type) + " " + data_for_humans(d->type, d->data);
}

// A name for a terminal or a document: control characters (an escape sequence could
// rewrite what a reviewer sees) become visible \xNN.
std::string name_text(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    return out;
}

std::string change_text(const diff::RegistryChange& c)
{
    const std::string name = c.value.empty() ? std::string("(default)") : name_text(c.value);
    switch (c.change) {
    case diff::Change::added:
        return fmt::format("{} ! {} = {}", name_text(c.key), name, data_text(c.after));
    case diff::Change::removed:
        return fmt::format("{} ! {} = {}", name_text(c.key), name, data_text(c.before));
    case diff::Change::modified:
        return fmt::format("{} ! {}: {} -> {}", name_text(c.key), name, data_text(c.before), data_text(c.after));
    }
    return {};
}

struct Group {
    pol::Side side;
    const diff::PolicyRef* policy; // null: registry values of no known policy
    std::vector<const diff::RegistryChange*> changes;
};

// Changes grouped by side, then policy (in the diff's order).
std::vector<Group> groups(const diff::Diff& d)
{
    std::vector<Group> out;
    for (const auto& c : d.registry) {
        const std::string name = c.policy ? c.policy->name : std::string();
        if (out.empty() || out.back().side != c.side ||
            (out.back().policy ? out.back().policy->name : std::string()) != name)
            out.push_back({c.side, c.policy ? &*c.policy : nullptr, {}});
        out.back().changes.push_back(&c);
    }
    return out;
}

std::string html_escape(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Markdown text: the characters that could start markup inside a line are
// backslash-escaped (backslash included); control characters are shown as \xNN.
std::string md_escape(std::string_view s)
{
    std::string out;
    for (const char c : name_text(s)) {
        if (std::string_view("\\`*_{}[]<>#|!&~").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

std::size_t count(const diff::Diff& d, diff::Change c)
{
    std::size_t n = 0;
    for (const auto& r : d.registry)
        n += r.change == c ? 1 : 0;
    return n;
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

} // namespace

void diff_text(const diff::Diff& d, std::ostream& out, bool color)
{
    auto paint = [&](char sign, const std::string& line) {
        if (!color)
            return line;
        const char* code = sign == '+' ? "\x1b[32m" : sign == '-' ? "\x1b[31m" : "\x1b[33m";
        return std::string(code) + line + "\x1b[0m";
    };
    out << "--- " << name_text(d.a) << "\n+++ " << name_text(d.b) << '\n';
    std::optional<pol::Side> side;
    for (const auto& g : groups(d)) {
        if (side != g.side) {
            out << side_title(g.side) << '\n';
            side = g.side;
        }
        if (g.policy)
            out << fmt::format("  {} ({}): {} -> {}\n", g.policy->display_name, g.policy->name, g.policy->state_before,
                               g.policy->state_after);
        else
            out << "  registry values of no known policy\n";
        for (const auto* c : g.changes) {
            const char s = sign_of(c->change);
            out << "    " << paint(s, std::string(1, s) + " " + change_text(*c)) << '\n';
        }
    }
    if (!d.metadata.empty()) {
        out << "GPO\n";
        for (const auto& m : d.metadata)
            out << "  " << paint('~', fmt::format("~ {}: {} -> {}", m.field, m.before, m.after)) << '\n';
    }
    if (!d.files.empty()) {
        out << "Files\n";
        for (const auto& f : d.files) {
            const char s = sign_of(f.change);
            out << "  " << paint(s, fmt::format("{} {}", s, f.path)) << '\n';
        }
    }
    std::optional<pol::Side> record_side;
    for (const auto& r : d.records) {
        if (record_side != r.side) {
            out << fmt::format("Records ({})\n", side_word(r.side));
            record_side = r.side;
        }
        out << "  " << paint(r.sign, fmt::format("{} record {}: {} ! {} = {}", r.sign, r.index, name_text(r.key),
                                                 r.value.empty() ? std::string("(default)") : name_text(r.value),
                                                 data_text(r.data)))
            << '\n';
    }
}

void diff_json(const diff::Diff& d, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_object();
    json.key("a");
    json.begin_object();
    json.member("path", d.a);
    json.end_object();
    json.key("b");
    json.begin_object();
    json.member("path", d.b);
    json.end_object();
    json.key("changes");
    json.begin_array();
    for (const auto& c : d.registry) {
        json.begin_object();
        json.member("scope", "registry");
        json.member("side", side_word(c.side));
        json.member("key", c.key);
        json.member("value", c.value);
        json.member("change", diff::change_name(c.change));
        json.key("before");
        typed_json(json, c.before);
        json.key("after");
        typed_json(json, c.after);
        json.key("policy");
        if (c.policy) {
            json.begin_object();
            json.member("name", c.policy->name);
            json.member("display_name", c.policy->display_name);
            json.member("state", c.policy->state_after);
            json.member("state_before", c.policy->state_before);
            json.end_object();
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array();
    json.key("metadata");
    json.begin_array();
    for (const auto& m : d.metadata) {
        json.begin_object();
        json.member("field", m.field);
        json.member("before", m.before);
        json.member("after", m.after);
        json.end_object();
    }
    json.end_array();
    json.key("files");
    json.begin_array();
    for (const auto& f : d.files) {
        json.begin_object();
        json.member("path", f.path);
        json.member("change", diff::change_name(f.change));
        json.end_object();
    }
    json.end_array();
    json.key("records");
    json.begin_array();
    for (const auto& r : d.records) {
        json.begin_object();
        json.member("side", side_word(r.side));
        json.member("change", r.sign == '+' ? "added" : "removed");
        json.member("index", static_cast<std::uint64_t>(r.index));
        json.member("key", r.key);
        json.member("value", r.value);
        json.member("type", pol::type_name(r.data.type));
        json_data(json, r.data.type, r.data.data);
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

void diff_markdown(const diff::Diff& d, std::ostream& out)
{
    out << fmt::format("## gpokit diff\n\n{} → {}\n\n", md_escape(d.a), md_escape(d.b));
    out << fmt::format("| registry values added | removed | modified | GPO metadata | files | records |\n"
                       "|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} |\n\n",
                       count(d, diff::Change::added), count(d, diff::Change::removed),
                       count(d, diff::Change::modified), d.metadata.size(), d.files.size(), d.records.size());
    if (d.empty()) {
        out << "No differences.\n";
        return;
    }
    std::optional<pol::Side> side;
    for (const auto& g : groups(d)) {
        if (side != g.side) {
            out << "### " << side_title(g.side) << "\n\n";
            side = g.side;
        }
        if (g.policy)
            out << fmt::format("**{}** ({}): {} → **{}**\n\n", md_escape(g.policy->display_name),
                               md_escape(g.policy->name), g.policy->state_before, g.policy->state_after);
        else
            out << "**Registry values of no known policy**\n\n";
        for (const auto* c : g.changes)
            out << fmt::format("- {} {}\n", diff::change_name(c->change), md_escape(change_text(*c)));
        out << '\n';
    }
    if (!d.metadata.empty()) {
        out << "### GPO\n\n| field | before | after |\n|---|---|---|\n";
        for (const auto& m : d.metadata)
            out << fmt::format("| {} | {} | {} |\n", md_escape(m.field), md_escape(m.before), md_escape(m.after));
        out << '\n';
    }
    if (!d.files.empty()) {
        out << "### Files\n\n";
        for (const auto& f : d.files)
            out << fmt::format("- {} {}\n", diff::change_name(f.change), md_escape(f.path));
        out << '\n';
    }
    if (!d.records.empty()) {
        out << "### Records\n\n";
        for (const auto& r : d.records)
            out << fmt::format("- {} record {} ({}): {} ! {} = {}\n", r.sign == '+' ? "added" : "removed", r.index,
                               side_word(r.side), md_escape(r.key), md_escape(r.value), md_escape(data_text(r.data)));
        out << '\n';
    }
}

void diff_html(const diff::Diff& d, std::ostream& out)
{
    out << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gpokit diff</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#1d2330}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em;margin:1.2em 0 .4em}
.summary{display:flex;gap:1em;margin:1em 0}.summary div{border:1px solid #c9cfdb;border-radius:6px;padding:.6em 1em}
.summary b{display:block;font-size:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #d5dae3;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#eef1f6}td.k{font-family:monospace;word-break:break-all}
tr.added td.after{background:#e3f7e6}tr.removed td.before{background:#fbe4e4}tr.modified td.before,tr.modified td.after{background:#fff5d6}
.state{color:#555}
</style></head><body>
<h1>gpokit diff</h1>
)";
    out << fmt::format("<p><code>{}</code> &rarr; <code>{}</code></p>\n", html_escape(d.a), html_escape(d.b));
    out << fmt::format(R"(<div class="summary"><div id="added"><b>{}</b>added</div><div id="removed"><b>{}</b>removed</div><div id="modified"><b>{}</b>modified</div><div id="metadata"><b>{}</b>GPO metadata</div><div id="files"><b>{}</b>files</div><div id="records"><b>{}</b>records</div></div>
)",
                       count(d, diff::Change::added), count(d, diff::Change::removed),
                       count(d, diff::Change::modified), d.metadata.size(), d.files.size(), d.records.size());
    if (d.empty())
        out << "<p id=\"none\">No differences.</p>\n";
    std::optional<pol::Side> side;
    for (const auto& g : groups(d)) {
        if (side != g.side) {
            out << "<h2>" << side_title(g.side) << "</h2>\n";
            side = g.side;
        }
        if (g.policy)
            out << fmt::format("<h3>{} <span class=\"state\">({}: {} &rarr; {})</span></h3>\n",
                               html_escape(g.policy->display_name), html_escape(g.policy->name),
                               g.policy->state_before, g.policy->state_after);
        else
            out << "<h3>Registry values of no known policy</h3>\n";
        out << "<table><tr><th>change</th><th>key</th><th>value</th><th>before</th><th>after</th></tr>\n";
        for (const auto* c : g.changes)
            out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td class=\"k\">{1}</td><td class=\"k\">{2}</td>"
                               "<td class=\"before\">{3}</td><td class=\"after\">{4}</td></tr>\n",
                               diff::change_name(c->change), html_escape(c->key), html_escape(c->value),
                               html_escape(c->before ? data_text(c->before) : std::string()),
                               html_escape(c->after ? data_text(c->after) : std::string()));
        out << "</table>\n";
    }
    if (!d.metadata.empty()) {
        out << "<h2>GPO</h2>\n<table><tr><th>field</th><th>before</th><th>after</th></tr>\n";
        for (const auto& m : d.metadata)
            out << fmt::format("<tr class=\"modified\"><td>{}</td><td class=\"before\">{}</td><td class=\"after\">{}</td></tr>\n",
                               html_escape(m.field), html_escape(m.before), html_escape(m.after));
        out << "</table>\n";
    }
    if (!d.records.empty()) {
        out << "<h2>Records</h2>\n<table><tr><th>change</th><th>side</th><th>record</th><th>key</th><th>value</th>"
               "<th>data</th></tr>\n";
        for (const auto& r : d.records)
            out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td>{1}</td><td>{2}</td><td class=\"k\">{3}</td>"
                               "<td class=\"k\">{4}</td><td class=\"{5}\">{6}</td></tr>\n",
                               r.sign == '+' ? "added" : "removed", side_word(r.side), r.index, html_escape(r.key),
                               html_escape(r.value), r.sign == '+' ? "after" : "before",
                               html_escape(data_text(r.data)));
        out << "</table>\n";
    }
    if (!d.files.empty()) {
        out << "<h2>Files</h2>\n<table><tr><th>change</th><th>file</th></tr>\n";
        for (const auto& f : d.files)
            out << fmt::format("<tr class=\"{0}\"><td>{0}</td><td class=\"k\">{1}</td></tr>\n",
                               diff::change_name(f.change), html_escape(f.path));
        out << "</table>\n";
    }
    out << "</body></html>\n";
}

namespace {

std::string cell_text(const std::optional<diff::TypedData>& d)
{
    return d ? data_for_humans(d->type, d->data) : std::string();
}

const char* mark(const diff::CompareRow& r)
{
    return r.conflict ? "conflict" : r.absent ? "absent" : "same";
}

// A CSV field; one a spreadsheet would read as a formula (=, +, -, @) is prefixed with '.
std::string csv_field(std::string_view raw)
{
    std::string guarded = (!raw.empty() && std::string_view("=+-@").find(raw.front()) != std::string_view::npos)
                              ? "'" + std::string(raw)
                              : std::string(raw);
    const std::string_view s(guarded);
    if (s.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(s);
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

void compare_text(const diff::Comparison& c, std::ostream& out)
{
    for (std::size_t i = 0; i < c.labels.size(); ++i)
        out << fmt::format("[{}] {}\n", i + 1, c.labels[i]);
    for (const auto& r : c.rows) {
        out << fmt::format("{} {} {} ! {}{}\n", r.conflict ? "!" : r.absent ? "?" : " ", side_word(r.side), r.key,
                           r.value.empty() ? "(default)" : r.value, r.policy.empty() ? "" : "   (" + r.policy + ")");
        for (std::size_t i = 0; i < r.cells.size(); ++i)
            out << fmt::format("    [{}] {}\n", i + 1, r.cells[i] ? data_text(r.cells[i]) : "(not set)");
    }
    out << fmt::format("{} settings, {} in conflict\n", c.rows.size(), c.conflicts());
}

void compare_csv(const diff::Comparison& c, std::ostream& out)
{
    out << "side,key,value,policy,status";
    for (const auto& l : c.labels)
        out << ',' << csv_field(l);
    out << "\r\n";
    for (const auto& r : c.rows) {
        out << side_word(r.side) << ',' << csv_field(r.key) << ',' << csv_field(r.value) << ',' << csv_field(r.policy)
            << ',' << mark(r);
        for (const auto& cell : r.cells)
            out << ',' << csv_field(cell ? data_text(cell) : std::string());
        out << "\r\n";
    }
}

void compare_json(const diff::Comparison& c, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_object();
    json.key("sources");
    json.begin_array();
    for (const auto& l : c.labels)
        json.value(l);
    json.end_array();
    json.key("settings");
    json.begin_array();
    for (const auto& r : c.rows) {
        json.begin_object();
        json.member("side", side_word(r.side));
        json.member("key", r.key);
        json.member("value", r.value);
        json.key("policy");
        if (r.policy.empty())
            json.null();
        else
            json.value(r.policy);
        json.member("status", mark(r));
        json.key("values");
        json.begin_array();
        for (const auto& cell : r.cells)
            typed_json(json, cell);
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.member("conflicts", static_cast<std::uint64_t>(c.conflicts()));
    json.end_object();
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
<table><tr><th>side</th><th>key</th><th>value</th><th>policy</th>)",
                       c.rows.size(), c.conflicts());
    for (const auto& l : c.labels)
        out << "<th>" << html_escape(l) << "</th>";
    out << "</tr>\n";
    for (const auto& r : c.rows) {
        out << fmt::format(R"(<tr class="{}"><td>{}</td><td class="k">{}</td><td class="k">{}</td><td>{}</td>)", mark(r),
                           side_word(r.side), html_escape(r.key), html_escape(r.value), html_escape(r.policy));
        for (const auto& cell : r.cells)
            out << fmt::format(R"(<td class="v{}">{}</td>)", cell ? "" : " absent", html_escape(cell_text(cell)));
        out << "</tr>\n";
    }
    out << "</table>\n</body></html>\n";
}

} // namespace gpokit::render
