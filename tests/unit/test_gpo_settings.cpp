// A GPO's settings beyond registry.pol as one list (gpo/gpo_settings.hpp), and what
// diff, compare and the renderers make of it: the template's areas in the editor's
// order, principals as sets, template lines with --records, compare rows for template,
// audit and preference settings. SYSVOL folders are written here by hand.
#include "diff/diff.hpp"
#include "gpo/gpo_settings.hpp"
#include "policy/admx.hpp"
#include "render/diff_render.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// A SYSVOL GPO folder with a security template (UTF-8, CRLF), and optionally audit.csv
// and a preferences file.
fs::path gpo_folder(const fs::path& dir, const std::string& inf, const std::string& audit = {},
                    const std::string& groups = {})
{
    write_text(dir / "GPT.INI", "[General]\r\nVersion=0\r\n");
    fs::create_directories(dir / "Machine");
    fs::create_directories(dir / "User");
    if (!inf.empty())
        write_text(dir / "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf", inf);
    if (!audit.empty())
        write_text(dir / "Machine/Microsoft/Windows NT/Audit/audit.csv", audit);
    if (!groups.empty())
        write_text(dir / "Machine/Preferences/Groups/Groups.xml", groups);
    return dir;
}

std::string crlf(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines)
        out += l + "\r\n";
    return out;
}

const std::string k_audit_header =
    "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n";

std::string audit_row(const std::string& inclusion, int value)
{
    return ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030}," + inclusion + ",," + std::to_string(value) +
           "\r\n";
}

const std::string k_groups =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<Groups clsid=\"{3125E937-EB16-4b4c-9934-544FC6D24D26}\">"
    "<Group clsid=\"{6D4A79E4-529C-4481-ABD0-F5BD7EA93BA7}\" name=\"Administrators (built-in)\" "
    "uid=\"{11111111-2222-3333-4444-555555555555}\"><Properties action=\"U\" groupName=\"Administrators (built-in)\"/>"
    "</Group></Groups>\r\n";

diff::Diff diff_of(const fs::path& a, const fs::path& b, bool records)
{
    diff::Options o;
    o.records = records;
    o.ignore_metadata = true; // the folders' names are their GUIDs: a, b, c
    return diff::compute(test::open(a), test::open(b), policy::Catalogue::builtin(), o);
}

const diff::CompareRow* row(const diff::Comparison& c, const std::string& area, const std::string& name)
{
    for (const auto& r : c.rows)
        if (r.area == area && r.name == name)
            return &r;
    return nullptr;
}

} // namespace

TEST_CASE("a GPO's settings: the template's areas in the editor's order, then audit, then preferences")
{
    test::TempDir tmp;
    const auto dir = gpo_folder(tmp.path() / "g",
                                crlf({"[Unicode]", "Unicode=yes", "[Kerberos Policy]", "MaxTicketAge = 10",
                                      "[System Access]", "MinimumPasswordAge = 1", "LockoutBadCount = 5",
                                      "[Version]", "signature=\"$CHICAGO$\"", "Revision=1"}),
                                k_audit_header + audit_row("Success", 1), k_groups);
    const auto all = gpo::gpo_settings(test::open(dir));
    std::vector<std::string> areas;
    for (const auto& s : all)
        areas.push_back(s.area + ": " + s.name + " = " + s.value);
    CHECK(areas == std::vector<std::string>{
                       "Password Policy: Minimum password age = 1 days",
                       "Account Lockout Policy: Account lockout threshold = 5 invalid logon attempts",
                       "Kerberos Policy: Maximum lifetime for user ticket = 10 hours",
                       "Advanced Audit Policy: Audit Logon = Success",
                       "Preferences: Groups: Administrators (built-in) = Update groupName=\"Administrators (built-in)\"",
                   });
    CHECK(all[2].line == 4);
    CHECK(all[3].line == 2);
    CHECK(all[4].side == pol::Side::machine);
    CHECK(gpo::gpo_settings(test::open(dir), false, true).empty()); // the user side has none
    // A bare registry.pol has none.
    write_text(tmp.path() / "r/Machine/registry.pol", std::string("PReg\x01\0\0\0", 8));
    CHECK(gpo::gpo_settings(test::open(tmp.path() / "r/Machine/registry.pol")).empty());
}

TEST_CASE("template lines with --records: the lines that differ, by section and line number")
{
    test::TempDir tmp;
    const auto head = std::vector<std::string>{"[Unicode]", "Unicode=yes", "; a comment", "[Kerberos Policy]"};
    auto a_lines = head;
    a_lines.insert(a_lines.end(), {"MaxTicketAge = 10", "MaxClockSkew = 5", "[Version]", "Revision=1"});
    auto b_lines = head;
    b_lines[2] = "; another comment";
    b_lines.insert(b_lines.end(), {"MaxTicketAge = 8", "MaxClockSkew = 5", "[Version]", "Revision=1"});
    const auto a = gpo_folder(tmp.path() / "a", crlf(a_lines));
    const auto b = gpo_folder(tmp.path() / "b", crlf(b_lines));

    const auto plain = diff_of(a, b, false);
    REQUIRE(plain.settings.size() == 1);
    CHECK(plain.settings[0].name == "Maximum lifetime for user ticket");
    CHECK(plain.settings[0].before == "10 hours");
    CHECK(plain.settings[0].after == "8 hours");
    CHECK(plain.lines.empty());

    const auto d = diff_of(a, b, true);
    CHECK(d.settings.size() == 1);
    REQUIRE(d.lines.size() == 4);
    const auto is = [](const diff::LineChange& l, diff::Change change, std::size_t line, const std::string& section,
                       const std::string& text) {
        return l.change == change && l.line == line && l.section == section && l.text == text &&
               l.path == "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf" && l.side == pol::Side::machine;
    };
    CHECK(is(d.lines[0], diff::Change::removed, 3, "Unicode", "; a comment"));
    CHECK(is(d.lines[1], diff::Change::added, 3, "Unicode", "; another comment"));
    CHECK(is(d.lines[2], diff::Change::removed, 5, "Kerberos Policy", "MaxTicketAge = 10"));
    CHECK(is(d.lines[3], diff::Change::added, 5, "Kerberos Policy", "MaxTicketAge = 8"));

    // A comment alone is no setting change, but a line change the record view shows.
    auto c_lines = a_lines;
    c_lines[2] = "; changed";
    const auto c = gpo_folder(tmp.path() / "c", crlf(c_lines));
    CHECK(diff_of(a, c, false).empty());
    const auto only_comment = diff_of(a, c, true);
    CHECK(only_comment.settings.empty());
    CHECK(only_comment.lines.size() == 2);
    CHECK_FALSE(only_comment.empty());

    // A template only one side has: all its lines.
    const auto none = gpo_folder(tmp.path() / "none", "");
    CHECK(diff_of(none, a, true).lines.size() == a_lines.size());

    // The text form: a heading per file, one line per change.
    std::ostringstream text;
    render::render_diff(d, render::Format::text, text, {false, false});
    CHECK(text.str() == "Security Settings (machine)\n"
                        "  Kerberos Policy\n"
                        "    ~ Maximum lifetime for user ticket: 10 hours -> 8 hours\n"
                        "Lines (Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf)\n"
                        "  - line 3 [Unicode]: ; a comment\n"
                        "  + line 3 [Unicode]: ; another comment\n"
                        "  - line 5 [Kerberos Policy]: MaxTicketAge = 10\n"
                        "  + line 5 [Kerberos Policy]: MaxTicketAge = 8\n");
}

TEST_CASE("compare: template, audit and preference rows, conflicts and absences")
{
    test::TempDir tmp;
    const auto inf = [](const std::string& ticket, const std::string& right) {
        return crlf({"[Unicode]", "Unicode=yes", "[Kerberos Policy]", "MaxTicketAge = " + ticket,
                     "[Privilege Rights]", "SeBackupPrivilege = " + right, "[Version]", "Revision=1"});
    };
    const auto a = gpo_folder(tmp.path() / "a", inf("10", "*S-1-5-32-544,*S-1-5-32-551"),
                              k_audit_header + audit_row("Success", 1), k_groups);
    // The same principals in another order and case: the same assignment.
    const auto b = gpo_folder(tmp.path() / "b", inf("8", "*s-1-5-32-551,*S-1-5-32-544"),
                              k_audit_header + audit_row("Success", 1));
    const auto c = gpo_folder(tmp.path() / "c", "");
    const auto cmp =
        diff::compare({test::open(a), test::open(b), test::open(c)}, policy::Catalogue::builtin());

    const auto* ticket = row(cmp, "Kerberos Policy", "Maximum lifetime for user ticket");
    REQUIRE(ticket != nullptr);
    CHECK(ticket->scope == diff::Scope::security);
    CHECK(ticket->conflict);
    CHECK(ticket->absent);
    CHECK(ticket->texts == std::vector<std::optional<std::string>>{"10 hours", "8 hours", std::nullopt});

    const auto* backup = row(cmp, "User Rights Assignment", "Back up files and directories (SeBackupPrivilege)");
    REQUIRE(backup != nullptr);
    CHECK_FALSE(backup->conflict);
    CHECK(backup->absent);

    const auto* logon = row(cmp, "Advanced Audit Policy", "Audit Logon");
    REQUIRE(logon != nullptr);
    CHECK_FALSE(logon->conflict);
    CHECK(logon->texts[0] == "Success");

    const auto* group = row(cmp, "Preferences: Groups", "Administrators (built-in)");
    REQUIRE(group != nullptr);
    CHECK(group->scope == diff::Scope::preferences);
    CHECK(group->absent);
    CHECK_FALSE(group->conflict);

    CHECK(cmp.conflicts() == 1);
    // Rows by area in the editor's order: Kerberos Policy, User Rights, audit, preferences.
    std::vector<std::string> order;
    for (const auto& r : cmp.rows)
        order.push_back(r.area);
    CHECK(order == std::vector<std::string>{"Kerberos Policy", "User Rights Assignment", "Advanced Audit Policy",
                                            "Preferences: Groups"});
}
