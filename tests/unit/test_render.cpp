// The renderers with hostile input: names, data, labels and metadata built here by
// hand with control characters (ESC sequences, CR, LF, BEL, DEL, the 8-bit CSI
// U+009B), a line break followed by a forged "+" diff line, HTML, Markdown markup,
// CSV formula prefixes, quotes and commas. For every format: no raw control character
// but the format's own line breaks, no markup of the input's own in HTML or Markdown,
// Markdown table rows with their column count, CSV fields that a spreadsheet would not
// run as formulas and that parse back to what was meant, JSON that parses and gives
// back the original strings exactly; and the five diff formats list the same changes
// in the same order.
#include "diff/diff.hpp"
#include "gpo/lint.hpp"
#include "kerberos/realm.hpp"
#include "pol/effective.hpp"
#include "pol/pol_file.hpp"
#include "pol/reg_type.hpp"
#include "policy/admx.hpp"
#include "policy/report.hpp"
#include "render/diff_render.hpp"
#include "render/escape.hpp"
#include "render/kerberos_render.hpp"
#include "render/lint_render.hpp"
#include "render/pol_render.hpp"
#include "render/policy_render.hpp"
#include "support/pol_bytes.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace gpokit;
using nlohmann::json;

namespace {

// --- hostile text -------------------------------------------------------------------

const std::string k_escape = "\x1b[31mRED\x1b[0m\x1b]0;title\x07";
const std::string k_forged_line = "\n+ Software\\Evil ! Forged = REG_SZ \"pwned\"\n";
const std::string k_controls = "\rCR\x07"
                               "BEL\x7f"
                               "DEL\x01\t";
const std::string k_c1 = "\xc2\x9b"
                         "2J\xc2\x85"; // U+009B (CSI) and U+0085 (NEL), UTF-8
const std::string k_html = "<script>alert(\"x\" & 'y')</script><b>";
const std::string k_markdown = "| * _ [link](http://x) ` # ~ ** |";
const std::string k_csv = ",\"quoted\",";

// `first`, then every kind of hostile text.
std::string hostile(const std::string& first)
{
    return first + k_escape + k_forged_line + k_controls + k_c1 + k_html + k_markdown + k_csv + "end";
}

// A token that names one change, found in the output in the order changes are listed.
std::string token(int n)
{
    return fmt::format("QQ{:02}QQ", n);
}

std::vector<int> tokens_in(const std::string& out)
{
    std::vector<int> found;
    const std::regex re("QQ([0-9][0-9])QQ");
    for (std::sregex_iterator it(out.begin(), out.end(), re), end; it != end; ++it)
        found.push_back(std::stoi((*it)[1].str()));
    return found;
}

util::Bytes sz(const std::string& text)
{
    return test::sz_data(text);
}

util::Bytes multi_sz(const std::vector<std::string>& items)
{
    util::Bytes out;
    for (const auto& s : items) {
        const auto b = test::sz_data(s);
        out.insert(out.end(), b.begin(), b.end());
    }
    out.push_back(std::byte{0});
    out.push_back(std::byte{0});
    return out;
}

diff::TypedData typed(std::uint32_t type, util::Bytes data)
{
    return diff::TypedData{type, std::move(data), false};
}

// --- checks -------------------------------------------------------------------------

// The first raw control character (C0, DEL, or C1 as UTF-8) in `out` other than those
// `allowed`, described with its offset; "" when there is none.
std::string raw_control(const std::string& out, const std::string& allowed, bool check_del_c1 = true)
{
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto u = static_cast<unsigned char>(out[i]);
        const bool c0 = u < 0x20 && allowed.find(out[i]) == std::string::npos;
        const bool del = check_del_c1 && u == 0x7f;
        const bool c1 = check_del_c1 && u == 0xc2 && i + 1 < out.size() &&
                        static_cast<unsigned char>(out[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(out[i + 1]) <= 0x9f;
        if (c0 || del || c1)
            return fmt::format("byte {:#04x} at offset {} in: ...{}...", u, i, out.substr(i < 40 ? 0 : i - 40, 80));
    }
    return {};
}

std::vector<std::string> lines_of(const std::string& out)
{
    std::vector<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Text: nothing but the renderer's own line breaks and (in colour) its own SGR codes.
void check_text(const std::string& out)
{
    INFO(out);
    CHECK(raw_control(out, "\n") == "");
    CHECK(out.find("\n+ Software\\Evil") == std::string::npos);
    for (const auto& line : lines_of(out))
        CHECK(line.find("+ Software\\Evil") != 0);
}

// HTML: every tag is one the renderer writes; & only starts an entity; no " or >
// outside a tag.
void check_html(const std::string& out)
{
    INFO(out);
    CHECK(raw_control(out, "\n") == "");
    std::string lower = out;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    CHECK(lower.find("<script") == std::string::npos);
    static const std::set<std::string> tags{"!DOCTYPE", "html",  "head", "meta", "title", "style", "body",
                                            "h1",       "h2",    "h3",   "p",    "code",  "div",   "b",
                                            "span",     "table", "tr",   "th",   "td"};
    bool in_style = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (c == '<') {
            const std::size_t end = out.find('>', i);
            REQUIRE(end != std::string::npos);
            std::string tag = out.substr(i + 1, end - i - 1);
            const bool closing = !tag.empty() && tag[0] == '/';
            tag = tag.substr(closing ? 1 : 0, tag.find_first_of(" >", closing ? 1 : 0) - (closing ? 1 : 0));
            INFO("tag <" << out.substr(i + 1, end - i - 1) << ">");
            CHECK(tags.count(tag) == 1);
            if (tag == "style")
                in_style = !closing;
            i = end;
        } else if (c == '&') {
            const bool entity = out.compare(i, 5, "&amp;") == 0 || out.compare(i, 4, "&lt;") == 0 ||
                                out.compare(i, 4, "&gt;") == 0 || out.compare(i, 6, "&quot;") == 0 ||
                                out.compare(i, 6, "&rarr;") == 0;
            INFO("at " << out.substr(i, 20));
            CHECK(entity);
        } else if (!in_style && (c == '"' || c == '>')) {
            INFO("raw " << c << " at " << out.substr(i < 20 ? 0 : i - 20, 40));
            CHECK(false);
        }
    }
}

// Pipes in a Markdown line that end a cell: those not escaped by a backslash.
std::size_t unescaped_pipes(const std::string& line)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\') {
            ++i; // the escaped character
            continue;
        }
        if (line[i] == '|')
            ++n;
    }
    return n;
}

// Markdown: table rows keep the header's column count; the input's markup characters
// are escaped; no line starts a list, quote, heading or block the renderer did not
// mean. `items` are the list items the renderer writes ("- added ...").
void check_markdown(const std::string& out, std::size_t expected_items)
{
    INFO(out);
    CHECK(raw_control(out, "\n") == "");
    std::optional<std::size_t> columns;
    std::size_t items = 0;
    for (const auto& line : lines_of(out)) {
        INFO("line: " << line);
        if (!line.empty() && line[0] == '|') {
            if (!columns)
                columns = unescaped_pipes(line);
            CHECK(unescaped_pipes(line) == *columns);
        } else {
            columns.reset();
        }
        if (line.rfind("- ", 0) == 0) {
            CHECK((line.rfind("- added ", 0) == 0 || line.rfind("- removed ", 0) == 0 ||
                   line.rfind("- modified ", 0) == 0));
            ++items;
        }
        if (!line.empty() && line[0] == '#')
            CHECK((line.rfind("## gpokit ", 0) == 0 || line.rfind("### ", 0) == 0));
        if (line.rfind("| status |", 0) == 0)
            continue; // a comparison's header: its own [1], [2], ...
        CHECK(line.rfind("+ ", 0) != 0);
        CHECK(line.rfind("* ", 0) != 0);
        CHECK(line.rfind(">", 0) != 0);
        CHECK(line.rfind("    ", 0) != 0);
        CHECK(line.rfind("=", 0) != 0);
        // Characters that are markup anywhere in a line, which the renderer itself
        // never writes: each must come escaped.
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '\\') {
                ++i;
                continue;
            }
            if (std::string_view("<>[]`_~&").find(line[i]) != std::string_view::npos) {
                INFO("unescaped " << line[i] << " at " << i);
                CHECK(false);
            }
        }
    }
    CHECK(items == expected_items);
}

// RFC 4180 rows: fields separated by commas, rows ending in CRLF, quoted fields with
// doubled quotes. Fails the test on anything else (a bare CR or LF, a quote inside an
// unquoted field, a row without its CRLF).
std::vector<std::vector<std::string>> parse_csv(const std::string& out)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    std::size_t i = 0;
    while (i < out.size()) {
        if (out[i] == '"') {
            ++i;
            for (;;) {
                REQUIRE(i < out.size());
                if (out[i] == '"') {
                    if (i + 1 < out.size() && out[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += out[i++];
            }
        } else {
            while (i < out.size() && out[i] != ',' && out[i] != '\r' && out[i] != '\n') {
                INFO("a quote inside an unquoted field: " << out.substr(i < 30 ? 0 : i - 30, 60));
                REQUIRE(out[i] != '"');
                field += out[i++];
            }
        }
        REQUIRE(i < out.size());
        if (out[i] == ',') {
            row.push_back(field);
            field.clear();
            ++i;
        } else {
            INFO("a row must end in CRLF: " << out.substr(i < 30 ? 0 : i - 30, 60));
            REQUIRE(out.compare(i, 2, "\r\n") == 0);
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
            i += 2;
        }
    }
    return rows;
}

// CSV: parses, every row as wide as the header, no field a spreadsheet reads as a
// formula, no raw control character (CRLF ends rows only; parse_csv checks that).
std::vector<std::vector<std::string>> check_csv(const std::string& out)
{
    INFO(out);
    CHECK(raw_control(out, "\r\n") == "");
    const auto rows = parse_csv(out);
    REQUIRE(!rows.empty());
    for (const auto& row : rows) {
        CHECK(row.size() == rows[0].size());
        for (const auto& f : row) {
            INFO("field: " << f);
            CHECK((f.empty() || std::string_view("=+-@").find(f[0]) == std::string_view::npos));
        }
    }
    return rows;
}

// What csv_field should make of a name that starts with a formula character.
std::string defused(const std::string& raw)
{
    return "'" + render::terminal_text(raw);
}

// JSON: parses, and the control characters JSON forbids raw in a string (C0) come
// escaped. DEL and the C1 controls are valid JSON characters, and util::JsonWriter
// writes them as they are: they are not checked here.
json check_json(const std::string& out)
{
    INFO(out);
    CHECK(raw_control(out, "\n", false) == "");
    json j;
    REQUIRE_NOTHROW(j = json::parse(out));
    return j;
}

// --- a hostile diff -----------------------------------------------------------------

// Thirteen changes, token(1) to token(13) in walk order: registry changes in two
// policy groups and one of no known policy on two sides, settings in two areas,
// metadata, files and records.
diff::Diff hostile_diff()
{
    diff::Diff d;
    d.a = hostile("+ a");
    d.b = hostile("- b");
    diff::PolicyRef p;
    p.name = "t:" + hostile("=Pol");
    p.display_name = hostile("# Policy *display*");
    p.before = policy::State::not_configured;
    p.after = policy::State::enabled;
    diff::PolicyRef q = p;
    q.name = "t:" + hostile("@Other");
    q.display_name = hostile("| Other |");

    auto reg = [&](pol::Side side, std::string key, std::string value, diff::Change change,
                   std::optional<diff::TypedData> before, std::optional<diff::TypedData> after,
                   std::optional<diff::PolicyRef> policy) {
        diff::RegistryChange c;
        c.side = side;
        c.key = std::move(key);
        c.value = std::move(value);
        c.change = change;
        c.before = std::move(before);
        c.after = std::move(after);
        c.policy = std::move(policy);
        d.registry.push_back(std::move(c));
    };
    reg(pol::Side::machine, hostile("=Software" + token(1)), hostile("+Value"), diff::Change::added, std::nullopt,
        typed(pol::k_reg_sz, sz(hostile("=data"))), p);
    reg(pol::Side::machine, hostile("-Software" + token(2)), hostile("@Value"), diff::Change::modified,
        typed(pol::k_reg_dword, test::le32(1)), typed(pol::k_reg_multi_sz, multi_sz({hostile("-a"), hostile("@b")})),
        p);
    reg(pol::Side::machine, hostile("@Software" + token(3)), "", diff::Change::removed,
        typed(pol::k_reg_expand_sz, sz(hostile("%x%"))), std::nullopt, q);
    reg(pol::Side::user, hostile("+Software" + token(4)), hostile("=Value"), diff::Change::added, std::nullopt,
        diff::TypedData{pol::k_reg_sz, {}, true}, std::nullopt);
    reg(pol::Side::user, hostile("=Software" + token(5)), hostile("-Value"), diff::Change::modified,
        typed(pol::k_reg_binary, util::Bytes{std::byte{0x1b}, std::byte{0x07}}),
        typed(pol::k_reg_sz, sz(hostile("=new"))), std::nullopt);

    auto setting = [&](diff::Scope scope, std::string area, std::string name, diff::Change change,
                       std::optional<std::string> before, std::optional<std::string> after) {
        diff::SettingChange s;
        s.scope = scope;
        s.side = pol::Side::machine;
        s.area = std::move(area);
        s.name = std::move(name);
        s.change = change;
        s.before = std::move(before);
        s.after = std::move(after);
        d.settings.push_back(std::move(s));
    };
    setting(diff::Scope::security, hostile("@Area"), hostile("=Setting" + token(6)), diff::Change::added, std::nullopt,
            hostile("+after"));
    setting(diff::Scope::security, hostile("@Area"), hostile("-Setting" + token(7)), diff::Change::modified,
            hostile("=before"), hostile("-after"));
    setting(diff::Scope::preferences, hostile("| Prefs"), hostile("@Setting" + token(8)), diff::Change::removed,
            hostile("@before"), std::nullopt);

    d.metadata.push_back({hostile("=field" + token(9)), hostile("-before"), hostile("+after")});
    d.metadata.push_back({"display name" + token(10), hostile("@before"), hostile("=after")});

    d.files.push_back({hostile("=machine/file" + token(11)), diff::Change::added});

    diff::RecordChange r;
    r.side = pol::Side::machine;
    r.change = diff::Change::removed;
    r.index = 2;
    r.key = hostile("-Record" + token(12));
    r.value = hostile("=value");
    r.data = typed(pol::k_reg_sz, sz(hostile("@data")));
    d.records.push_back(r);
    r.side = pol::Side::user;
    r.change = diff::Change::added;
    r.index = 7;
    r.key = hostile("+Record" + token(13));
    r.value = "";
    r.data = typed(pol::k_reg_qword, util::Bytes(8, std::byte{0xff}));
    d.records.push_back(r);

    d.lines.push_back({"Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf", pol::Side::machine, hostile("]Section"),
                       diff::Change::removed, 9, hostile("-MaxTicketAge = 10" + token(14))});
    d.lines.push_back({"Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf", pol::Side::machine, hostile("]Section"),
                       diff::Change::added, 9, hostile("+MaxTicketAge = 8" + token(15))});
    return d;
}

constexpr int k_changes = 15;

std::vector<int> all_changes()
{
    std::vector<int> v;
    for (int i = 1; i <= k_changes; ++i)
        v.push_back(i);
    return v;
}

std::string rendered(const diff::Diff& d, render::Format f, const render::DiffStyle& style = {})
{
    std::ostringstream out;
    render::render_diff(d, f, out, style);
    return out.str();
}

std::string rendered(const diff::Comparison& c, render::Format f)
{
    std::ostringstream out;
    render::render_comparison(c, f, out);
    return out.str();
}

} // namespace

TEST_CASE("escape: each format's escaping of hostile text, character by character")
{
    using namespace render;
    CHECK(terminal_text("a\x1b[31mb\r\n\x07\x7f\t") == "a\\x1b[31mb\\x0d\\x0a\\x07\\x7f\\x09");
    CHECK(terminal_text("\xc2\x9b"
                        "2J \xc2\x85 \xc2\xa0") == "\\u009b2J \\u0085 \xc2\xa0"); // C1 controls; NBSP stays
    CHECK(terminal_text("caf\xc3\xa9 \xe2\x86\x92") == "caf\xc3\xa9 \xe2\x86\x92");
    CHECK(markdown_text("| * _ [a](b) ` # ~ < & !") == "\\| \\* \\_ \\[a\\](b) \\` \\# \\~ \\< \\& \\!");
    CHECK(markdown_text("a\\b") == "a\\\\b");
    CHECK(markdown_text("- item") == "\\- item"); // would start a list at the start of a line
    CHECK(markdown_text("+ item") == "\\+ item");
    CHECK(markdown_text("1. item") == "1\\. item");
    CHECK(markdown_text("12) item") == "12\\) item");
    CHECK(markdown_text("a - b + c 1. d") == "a - b + c 1. d");
    CHECK(html_text("<script>\"x\" & 'y'\x1b") == "&lt;script&gt;&quot;x&quot; &amp; 'y'\\x1b");
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("=1+1") == "'=1+1");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-1") == "'-1");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK(csv_field("\r\n=1") == "\\x0d\\x0a=1");
    CHECK(csv_field("") == "");
}

TEST_CASE("diff as text: hostile names, data and metadata stay on their own line, escaped")
{
    const auto d = hostile_diff();
    const std::string out = rendered(d, render::Format::text);
    check_text(out);
    CHECK(tokens_in(out) == all_changes());
    // One sign line per change, nothing else starts with a sign.
    std::size_t signs = 0;
    for (const auto& line : lines_of(out)) {
        const auto first = line.find_first_not_of(' ');
        if (first != std::string::npos && line.compare(first, 2, "+ ") == 0 && line.rfind("+++ ", 0) != 0)
            ++signs;
        else if (first != std::string::npos && (line.compare(first, 2, "- ") == 0 || line.compare(first, 2, "~ ") == 0))
            ++signs;
    }
    CHECK(signs == k_changes);
    CHECK(lines_of(out).size() == 2 + k_changes + 2 /*sides*/ + 3 /*groups*/ + 2 * 2 /*areas*/ + 1 + 1 + 2 + 1);

    SECTION("in colour, the only escape sequences are the renderer's own")
    {
        render::DiffStyle style;
        style.color = true;
        const std::string coloured = rendered(d, render::Format::text, style);
        std::string stripped = coloured;
        for (const char* code : {"\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"})
            for (std::size_t at; (at = stripped.find(code)) != std::string::npos;)
                stripped.erase(at, std::string_view(code).size());
        CHECK(stripped == out);
    }
}

TEST_CASE("diff as HTML: no markup but the renderer's own")
{
    const auto d = hostile_diff();
    const std::string out = rendered(d, render::Format::html);
    check_html(out);
    CHECK(tokens_in(out) == all_changes());
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = out.find("<tr class=", at)) != std::string::npos; ++at)
        ++rows;
    CHECK(rows == k_changes);
    CHECK(out.find(render::html_text(k_html)) != std::string::npos);
}

TEST_CASE("diff as Markdown: escaped markup, tables keep their columns")
{
    const auto d = hostile_diff();
    const std::string out = rendered(d, render::Format::markdown);
    // List items: registry changes, settings, files, records; metadata is a table.
    check_markdown(out, k_changes - d.metadata.size());
    CHECK(tokens_in(out) == all_changes());
    // The line naming both sides starts with the escaped "+".
    const auto lines = lines_of(out);
    REQUIRE(lines.size() > 2);
    CHECK(lines[2].rfind("\\+ a\\\\x1b", 0) == 0);
}

TEST_CASE("diff as CSV: one row per change, formulas defused, fields parse back")
{
    const auto d = hostile_diff();
    const std::string out = rendered(d, render::Format::csv);
    const auto rows = check_csv(out);
    CHECK(tokens_in(out) == all_changes());
    REQUIRE(rows.size() == 1 + k_changes);
    CHECK(rows[0] == std::vector<std::string>{"scope", "side", "change", "where", "name", "policy", "before", "after"});
    // scope,side,change,where,name,policy,before,after
    CHECK(rows[1][3] == defused(d.registry[0].key));
    CHECK(rows[1][4] == defused(d.registry[0].value));
    CHECK(rows[1][5] == defused(d.registry[0].policy->display_name).substr(1)); // "#..." needs no quote mark
    CHECK(rows[1][7] == render::terminal_text(render::data_text(d.registry[0].after)));
    CHECK(rows[3][4] == "");
    CHECK(rows[6][3] == defused(d.settings[0].area));
    CHECK(rows[6][4] == defused(d.settings[0].name));
    CHECK(rows[6][7] == defused(*d.settings[0].after));
    CHECK(rows[9][4] == defused(d.metadata[0].field));
    CHECK(rows[9][6] == defused(d.metadata[0].before));
    CHECK(rows[10][7] == defused(d.metadata[1].after));
    CHECK(rows[11][3] == defused(d.files[0].path));
    CHECK(rows[12][3] == defused(d.records[0].key));
    CHECK(rows[12][6] == render::terminal_text(render::data_text(d.records[0].data)));
    CHECK(rows[14][0] == "line");
    CHECK(rows[14][3] == d.lines[0].path + ":9");
    CHECK(rows[14][4] == render::terminal_text(d.lines[0].section));
    CHECK(rows[14][6] == defused(d.lines[0].text));
    CHECK(rows[15][7] == defused(d.lines[1].text));
}

TEST_CASE("diff as JSON: parses and gives back every string exactly")
{
    const auto d = hostile_diff();
    const std::string out = rendered(d, render::Format::json);
    const json j = check_json(out);
    CHECK(tokens_in(out) == all_changes());
    CHECK(j["a"]["path"] == d.a);
    CHECK(j["b"]["path"] == d.b);
    const auto& changes = j["changes"];
    REQUIRE(changes.size() == d.registry.size() + d.settings.size());
    for (std::size_t i = 0; i < d.registry.size(); ++i) {
        const auto& c = d.registry[i];
        INFO("registry change " << i);
        CHECK(changes[i]["key"] == c.key);
        CHECK(changes[i]["value"] == c.value);
        if (c.policy) {
            CHECK(changes[i]["policy"]["name"] == c.policy->name);
            CHECK(changes[i]["policy"]["display_name"] == c.policy->display_name);
        } else {
            CHECK(changes[i]["policy"].is_null());
        }
    }
    CHECK(changes[0]["after"]["data"] == hostile("=data"));
    CHECK(changes[1]["after"]["data"] == json::array({hostile("-a"), hostile("@b")}));
    CHECK(changes[2]["before"]["data"] == hostile("%x%"));
    CHECK(changes[3]["after"]["delete"] == true);
    CHECK(changes[4]["before"]["data"] == "1b07");
    CHECK(changes[4]["after"]["data"] == hostile("=new"));
    for (std::size_t i = 0; i < d.settings.size(); ++i) {
        const auto& s = d.settings[i];
        const auto& c = changes[d.registry.size() + i];
        INFO("setting " << i);
        CHECK(c["area"] == s.area);
        CHECK(c["name"] == s.name);
        CHECK((s.before ? c["before"] == *s.before : c["before"].is_null()));
        CHECK((s.after ? c["after"] == *s.after : c["after"].is_null()));
    }
    REQUIRE(j["metadata"].size() == d.metadata.size());
    for (std::size_t i = 0; i < d.metadata.size(); ++i) {
        CHECK(j["metadata"][i]["field"] == d.metadata[i].field);
        CHECK(j["metadata"][i]["before"] == d.metadata[i].before);
        CHECK(j["metadata"][i]["after"] == d.metadata[i].after);
    }
    REQUIRE(j["files"].size() == 1);
    CHECK(j["files"][0]["path"] == d.files[0].path);
    REQUIRE(j["records"].size() == 2);
    CHECK(j["records"][0]["key"] == d.records[0].key);
    CHECK(j["records"][0]["value"] == d.records[0].value);
    CHECK(j["records"][0]["data"] == hostile("@data"));
    CHECK(j["records"][1]["key"] == d.records[1].key);
    CHECK(j["records"][1]["data"] == 0xffffffffffffffffULL);
    REQUIRE(j["lines"].size() == 2);
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
        CHECK(j["lines"][i]["path"] == d.lines[i].path);
        CHECK(j["lines"][i]["section"] == d.lines[i].section);
        CHECK(j["lines"][i]["line"] == 9);
        CHECK(j["lines"][i]["text"] == d.lines[i].text);
        CHECK(j["lines"][i]["change"] == diff::change_name(d.lines[i].change));
    }
}

TEST_CASE("the five diff formats list the same changes in the same order, section by section")
{
    const auto d = hostile_diff();
    const auto expected = all_changes();
    for (const auto f : render::diff_formats()) {
        INFO(render::format_name(f));
        CHECK(tokens_in(rendered(d, f)) == expected);
    }
    // Sections counted in each format: the registry changes per side, the settings,
    // the metadata, the files, the records.
    const std::string text = rendered(d, render::Format::text);
    const std::string md = rendered(d, render::Format::markdown);
    const std::string html = rendered(d, render::Format::html);
    const auto csv = parse_csv(rendered(d, render::Format::csv));
    const json j = json::parse(rendered(d, render::Format::json));
    auto section_of = [&](int n) {
        return n <= 3    ? "registry machine"
               : n <= 5  ? "registry user"
               : n <= 8  ? "settings"
               : n <= 10 ? "metadata"
               : n <= 11 ? "files"
               : n <= 13 ? "records"
                         : "lines";
    };
    std::map<std::string, int> want;
    for (const int n : expected)
        ++want[section_of(n)];
    std::map<std::string, int> from_csv, from_json;
    for (std::size_t i = 1; i < csv.size(); ++i) {
        const auto& scope = csv[i][0];
        from_csv[scope == "registry"                             ? "registry " + csv[i][1]
                 : scope == "security" || scope == "preferences" ? "settings"
                 : scope == "metadata"                           ? "metadata"
                 : scope == "file"                               ? "files"
                 : scope == "line"                               ? "lines"
                                                                 : "records"]++;
    }
    for (const auto& c : j["changes"])
        from_json[c["scope"] == "registry" ? "registry " + c["side"].get<std::string>() : "settings"]++;
    from_json["metadata"] = static_cast<int>(j["metadata"].size());
    from_json["files"] = static_cast<int>(j["files"].size());
    from_json["records"] = static_cast<int>(j["records"].size());
    from_json["lines"] = static_cast<int>(j["lines"].size());
    CHECK(from_csv == want);
    CHECK(from_json == want);
    // Text, Markdown and HTML: the tokens between one section heading and the next.
    auto sections = [&](const std::string& out, const std::vector<std::pair<std::string, std::string>>& headings) {
        std::map<std::string, int> got;
        for (std::size_t h = 0; h < headings.size(); ++h) {
            const auto begin = out.find(headings[h].first);
            REQUIRE(begin != std::string::npos);
            const auto end = h + 1 < headings.size() ? out.find(headings[h + 1].first) : std::string::npos;
            got[headings[h].second] += static_cast<int>(tokens_in(out.substr(begin, end - begin)).size());
        }
        return got;
    };
    CHECK(sections(text, {{"\nComputer Configuration\n", "registry machine"},
                          {"\nUser Configuration\n", "registry user"},
                          {"\nSecurity Settings (machine)\n", "settings"},
                          {"\nGPO\n", "metadata"},
                          {"\nFiles\n", "files"},
                          {"\nRecords (machine)\n", "records"},
                          {"\nLines (Machine/", "lines"}}) == want);
    CHECK(sections(md, {{"### Computer Configuration", "registry machine"},
                        {"### User Configuration", "registry user"},
                        {"### Security Settings", "settings"},
                        {"### GPO", "metadata"},
                        {"### Files", "files"},
                        {"### Records", "records"},
                        {"### Lines of", "lines"}}) == want);
    CHECK(sections(html, {{"<h2>Computer Configuration", "registry machine"},
                          {"<h2>User Configuration", "registry user"},
                          {"<h2>Security Settings", "settings"},
                          {"<h2>GPO", "metadata"},
                          {"<h2>Files", "files"},
                          {"<h2>Records", "records"},
                          {"<h2>Lines of", "lines"}}) == want);
}

// --- comparison ---------------------------------------------------------------------

namespace {

diff::Comparison hostile_comparison()
{
    diff::Comparison c;
    c.labels = {hostile("=first,label"), hostile("+second \"label\""), hostile("| third |")};
    auto row = [&](pol::Side side, std::string key, std::string value, std::string policy,
                   std::vector<std::optional<diff::TypedData>> cells, bool conflict, bool absent) {
        diff::CompareRow r;
        r.side = side;
        r.key = std::move(key);
        r.value = std::move(value);
        r.policy = std::move(policy);
        r.cells = std::move(cells);
        r.conflict = conflict;
        r.absent = absent;
        c.rows.push_back(std::move(r));
    };
    row(pol::Side::machine, hostile("=Key" + token(1)), hostile("-Value"), hostile("@Policy"),
        {typed(pol::k_reg_sz, sz(hostile("=a"))), typed(pol::k_reg_sz, sz(hostile("+b"))), std::nullopt}, true, true);
    row(pol::Side::machine, hostile("@Key" + token(2)), "", "",
        {typed(pol::k_reg_dword, test::le32(7)), typed(pol::k_reg_dword, test::le32(7)),
         typed(pol::k_reg_dword, test::le32(7))},
        false, false);
    row(pol::Side::user, hostile("+Key" + token(3)), hostile("=Value"), hostile("| Policy |"),
        {std::nullopt, typed(pol::k_reg_multi_sz, multi_sz({hostile("-x"), "y"})), std::nullopt}, false, true);
    diff::CompareRow s;
    s.scope = diff::Scope::security;
    s.area = hostile("=Kerberos Policy");
    s.name = hostile("@Maximum lifetime" + token(4));
    s.texts = {hostile("-10 hours"), hostile("+8 hours"), std::nullopt};
    s.conflict = true;
    s.absent = true;
    c.rows.push_back(std::move(s));
    return c;
}

} // namespace

TEST_CASE("comparison: every format with hostile labels, names, policies and data")
{
    const auto c = hostile_comparison();
    const std::vector<int> rows{1, 2, 3, 4};

    SECTION("text")
    {
        const auto out = rendered(c, render::Format::text);
        check_text(out);
        CHECK(tokens_in(out) == rows);
        CHECK(lines_of(out).size() == c.labels.size() + c.rows.size() * (1 + c.labels.size()) + 1);
    }
    SECTION("CSV")
    {
        const auto out = rendered(c, render::Format::csv);
        const auto parsed = check_csv(out);
        CHECK(tokens_in(out) == rows);
        REQUIRE(parsed.size() == 1 + c.rows.size());
        REQUIRE(parsed[0].size() == 6 + c.labels.size());
        for (std::size_t i = 0; i < c.labels.size(); ++i)
            CHECK(parsed[0][6 + i] == defused(c.labels[i]).substr(c.labels[i][0] == '|' ? 1 : 0));
        CHECK(parsed[1][0] == "registry");
        CHECK(parsed[1][2] == defused(c.rows[0].key));
        CHECK(parsed[1][3] == defused(c.rows[0].value));
        CHECK(parsed[1][4] == defused(c.rows[0].policy));
        CHECK(parsed[1][5] == "conflict");
        CHECK(parsed[1][6] == render::terminal_text(render::data_text(c.rows[0].cells[0])));
        CHECK(parsed[1][8] == "");
        CHECK(parsed[4][0] == "security");
        CHECK(parsed[4][2] == defused(c.rows[3].area));
        CHECK(parsed[4][3] == defused(c.rows[3].name));
        CHECK(parsed[4][6] == defused(*c.rows[3].texts[0]));
        CHECK(parsed[4][7] == defused(*c.rows[3].texts[1]));
        CHECK(parsed[4][8] == "");
    }
    SECTION("JSON")
    {
        const auto out = rendered(c, render::Format::json);
        const json j = check_json(out);
        CHECK(tokens_in(out) == rows);
        CHECK(j["sources"] == json(c.labels));
        REQUIRE(j["settings"].size() == c.rows.size());
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(j["settings"][i]["scope"] == "registry");
            CHECK(j["settings"][i]["key"] == c.rows[i].key);
            CHECK(j["settings"][i]["value"] == c.rows[i].value);
            CHECK((c.rows[i].policy.empty() ? j["settings"][i]["policy"].is_null()
                                            : j["settings"][i]["policy"] == c.rows[i].policy));
            CHECK(j["settings"][i]["values"].size() == c.labels.size());
        }
        CHECK(j["settings"][0]["values"][0]["data"] == hostile("=a"));
        CHECK(j["settings"][0]["values"][2].is_null());
        CHECK(j["settings"][2]["values"][1]["data"] == json::array({hostile("-x"), "y"}));
        CHECK(j["settings"][3]["scope"] == "security");
        CHECK(j["settings"][3]["area"] == c.rows[3].area);
        CHECK(j["settings"][3]["name"] == c.rows[3].name);
        CHECK(j["settings"][3]["status"] == "conflict");
        CHECK(j["settings"][3]["values"] == json::array({*c.rows[3].texts[0], *c.rows[3].texts[1], nullptr}));
    }
    SECTION("Markdown")
    {
        const auto out = rendered(c, render::Format::markdown);
        check_markdown(out, 0);
        CHECK(tokens_in(out) == rows);
        // The table: header, separator, one row per setting, each with 6 + 3 cells.
        std::size_t table_rows = 0;
        for (const auto& line : lines_of(out))
            if (line.rfind("| ", 0) == 0 || line.rfind("|---", 0) == 0) {
                CHECK(unescaped_pipes(line) == 6 + c.labels.size() + 1);
                ++table_rows;
            }
        CHECK(table_rows == 2 + c.rows.size());
    }
    SECTION("HTML")
    {
        const auto out = rendered(c, render::Format::html);
        check_html(out);
        CHECK(tokens_in(out) == rows);
    }
}

// --- lint, policy, kerberos, pol ----------------------------------------------------

TEST_CASE("lint findings: one line each as text, exact strings as JSON")
{
    std::vector<gpo::LintFinding> findings;
    findings.push_back({util::Position::at_line(hostile("GPO/Backup.xml"), 3, 9), gpo::LintCode::identity,
                        hostile("the GUID differs")});
    findings.push_back({util::Position::at_offset(hostile("registry.pol"), 0x1a), gpo::LintCode::registry_pol,
                        hostile("=cmd|' /C calc'!A0")});
    findings.push_back({util::Position::of_file(""), gpo::LintCode::manifest_stale, hostile("")});

    std::ostringstream text;
    render::lint_findings(findings, render::Format::text, text);
    check_text(text.str());
    CHECK(lines_of(text.str()).size() == findings.size());

    std::ostringstream js;
    render::lint_findings(findings, render::Format::json, js);
    const json j = check_json(js.str());
    REQUIRE(j["findings"].size() == findings.size());
    for (std::size_t i = 0; i < findings.size(); ++i) {
        CHECK(j["findings"][i]["where"] == findings[i].where.text());
        CHECK(j["findings"][i]["message"] == findings[i].message);
    }
}

TEST_CASE("policy show: hostile policy names, elements and unmapped values")
{
    policy::Policy p;
    p.prefix = "t";
    p.name = hostile("Name");
    p.display_name = hostile("+ Display");
    p.category = hostile("Category");
    policy::Reading reading;
    reading.state = policy::State::enabled;
    reading.elements[hostile("id")] = std::string(hostile("=text"));
    reading.elements[hostile("list")] = policy::ListEntries{{hostile("name"), hostile("data")}};
    reading.elements["multi"] = std::vector<std::string>{hostile("-one"), "two"};
    policy::SideReport report;
    report.side = pol::Side::user;
    report.configured.push_back({&p, reading});
    report.unmapped.push_back({hostile("Software\\Key"), hostile("Value"), pol::k_reg_sz, sz(hostile("data"))});
    report.unmapped.push_back({hostile("Software\\Key"), "", pol::k_reg_multi_sz, multi_sz({hostile("a"), "b"})});

    std::ostringstream text;
    render::policy_show({report}, render::Format::text, text);
    check_text(text.str());
    // The side, the policy, its three elements, the heading of the raw values and two values.
    CHECK(lines_of(text.str()).size() == 1 + 1 + 3 + 1 + 2);

    std::ostringstream js;
    render::policy_show({report}, render::Format::json, js);
    const json j = check_json(js.str());
    const auto& pj = j["user"]["policies"][0];
    CHECK(pj["name"] == p.full_name());
    CHECK(pj["display_name"] == p.display_name);
    CHECK(pj["category"] == p.category);
    CHECK(pj["elements"].size() == 3);
    CHECK(pj["elements"].contains(hostile("id")));
    CHECK(j["user"]["registry"][0]["key"] == hostile("Software\\Key"));
    CHECK(j["user"]["registry"][0]["value"] == hostile("Value"));
    CHECK(j["user"]["registry"][0]["data"] == hostile("data"));
    CHECK(j["user"]["registry"][1]["data"] == json::array({hostile("a"), "b"}));
}

TEST_CASE("policy list: display names from an ADML with line breaks and markup")
{
    // XML allows no ESC or BEL, not even as a reference; CR, LF and TAB it does.
    const std::string admx = R"admx(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="t" namespace="Test.Hostile" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="Cat" displayName="$(string.Cat)" /></categories>
  <policies>
    <policy name="One" class="Machine" displayName="$(string.One)" key="Software\Policies\T" valueName="One">
      <parentCategory ref="Cat" />
    </policy>
    <policy name="Two" class="User" displayName="$(string.Two)" key="Software\Policies\T" valueName="Two">
      <parentCategory ref="Cat" />
    </policy>
  </policies>
</policyDefinitions>)admx";
    const std::string adml = R"adml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources revision="1.0" schemaVersion="1.0"><resources><stringTable>
  <string id="Cat">&lt;script&gt;cat&lt;/script&gt;</string>
  <string id="One">One&#13;&#10;t:Forged  [machine]  Forged policy&#9;"quoted" &amp; &lt;b&gt;</string>
  <string id="Two">=Two&#10;+ forged</string>
</stringTable></resources></policyDefinitionResources>)adml";
    policy::Catalogue catalogue;
    catalogue.load("hostile.admx", admx, "hostile.adml", adml);
    REQUIRE(catalogue.policies().size() == 2);
    REQUIRE(catalogue.policies()[0].display_name.find("\r\n") != std::string::npos);

    std::ostringstream text;
    render::policy_list(catalogue, render::Format::text, text);
    check_text(text.str());
    CHECK(lines_of(text.str()).size() == catalogue.policies().size() + 1);

    std::ostringstream js;
    render::policy_list(catalogue, render::Format::json, js);
    const json j = check_json(js.str());
    REQUIRE(j["policies"].size() == 2);
    CHECK(j["policies"][0]["display_name"] == catalogue.policies()[0].display_name);
    CHECK(j["policies"][1]["display_name"] == catalogue.policies()[1].display_name);
    CHECK(j["policies"][0]["category"] == catalogue.policies()[0].category);
}

TEST_CASE("kerberos show: hostile realm names, values and warnings")
{
    kerberos::RealmSettings settings;
    settings.mit_enabled = settings.map_enabled = true;
    settings.mit_state = settings.map_state = policy::State::enabled;
    settings.realms.push_back(
        {hostile("EVIL.REALM"), hostile("<k>kdc.evil</k><k>") + "second</k><f>1</f>", hostile(".evil.example")});
    settings.realms.push_back({hostile("MAP.ONLY"), std::nullopt, hostile("host")});
    const std::vector<std::string> warnings{hostile("warning one"), hostile("=two")};
    const auto catalogue = policy::Catalogue::builtin();

    std::ostringstream text;
    render::kerberos_show(settings, warnings, catalogue, render::Format::text, text);
    check_text(text.str());
    // Two policy lines, three for the MIT realm, two map entries, two warnings.
    CHECK(lines_of(text.str()).size() == 2 + 3 + 2 + 2);

    std::ostringstream js;
    render::kerberos_show(settings, warnings, catalogue, render::Format::json, js);
    const json j = check_json(js.str());
    REQUIRE(j["realms"].size() == 2);
    CHECK(j["realms"][0]["realm"] == settings.realms[0].name);
    CHECK(j["realms"][0]["mit_realms"]["value"] == *settings.realms[0].mit_value);
    CHECK(j["realms"][0]["domain_realm"]["value"] == *settings.realms[0].map_value);
    CHECK(j["realms"][1]["mit_realms"].is_null());
    CHECK(j["warnings"] == json(warnings));
}

TEST_CASE("registry.pol records and effective state: hostile key and value names, data and origin")
{
    const std::string key = hostile("Software\\Key");
    const std::string value = hostile("Value");
    auto file = pol::PolFile::parse(
        test::PolBytes()
            .sz(key, value, hostile("data"))
            .record(key, "**del." + hostile("Gone"), pol::k_reg_sz, sz(" "))
            .record(hostile("Software\\Other"), "", pol::k_reg_multi_sz, multi_sz({hostile("-a"), "b"}))
            .bytes(),
        hostile("origin.pol"));
    REQUIRE(file.records.size() == 3);
    const auto state = pol::apply(file);

    SECTION("records as text")
    {
        std::ostringstream out;
        render::records_text(file, out);
        check_text(out.str());
        CHECK(lines_of(out.str()).size() == 1 + 2 /*keys*/ + 3);
    }
    SECTION("the effective state as text")
    {
        std::ostringstream out;
        render::effective_text(file, state, out);
        check_text(out.str());
    }
    SECTION("records as JSON")
    {
        std::ostringstream out;
        render::records_json(file, out);
        const json j = check_json(out.str());
        CHECK(j["file"] == file.origin());
        REQUIRE(j["records"].size() == 3);
        CHECK(j["records"][0]["key"] == key);
        CHECK(j["records"][0]["value"] == value);
        CHECK(j["records"][0]["data"] == hostile("data"));
        CHECK(j["records"][1]["value"] == "**del." + hostile("Gone"));
        CHECK(j["records"][2]["data"] == json::array({hostile("-a"), "b"}));
    }
    SECTION("the effective state as JSON")
    {
        std::ostringstream out;
        render::effective_json(file, state, out);
        const json j = check_json(out.str());
        bool found = false;
        for (const auto& v : j["effective"])
            if (v["key"] == key && v["value"] == value && v["data"] == hostile("data"))
                found = true;
        CHECK(found);
    }
}
