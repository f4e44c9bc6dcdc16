#include "gpo/extension_list.hpp"

#include "util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace gpokit::gpo {

namespace {

std::string upper(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool guid_less(const std::string& a, const std::string& b)
{
    return upper(a) < upper(b);
}


} // namespace

bool guid_equal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && upper(a) == upper(b);
}

bool ExtensionList::has_cse(std::string_view cse) const
{
    return std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return guid_equal(e.cse, cse); });
}

bool ExtensionList::has(std::string_view cse, std::string_view tool) const
{
    for (const auto& e : entries)
        if (guid_equal(e.cse, cse))
            for (const auto& t : e.tools)
                if (guid_equal(t, tool))
                    return true;
    return false;
}

std::optional<ExtensionList> parse_extension_list(std::string_view text, std::string* error)
{
    auto fail = [&](std::size_t at, std::string_view what) -> std::optional<ExtensionList> {
        if (error != nullptr)
            *error = fmt::format("character {}: {}", at + 1, what);
        return std::nullopt;
    };
    ExtensionList list;
    std::size_t i = 0;
    auto skip_blank = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            ++i;
    };
    skip_blank();
    while (i < text.size()) {
        if (text[i] != '[')
            return fail(i, "expected '[' to open an extension entry");
        ++i;
        ExtensionEntry entry;
        bool first = true;
        while (i < text.size() && text[i] == '{') {
            const std::string_view guid = text.substr(i, 38);
            if (!util::is_guid(guid))
                return fail(i, "expected a GUID {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}");
            (first ? entry.cse : entry.tools.emplace_back()) = std::string(guid);
            first = false;
            i += 38;
        }
        if (first)
            return fail(i, "an extension entry needs at least its extension GUID");
        if (i >= text.size() || text[i] != ']')
            return fail(i, "expected ']' to close the extension entry");
        ++i;
        list.entries.push_back(std::move(entry));
        skip_blank();
    }
    return list;
}

std::string to_string(const ExtensionList& list)
{
    std::string out;
    for (const auto& e : list.entries) {
        out += '[';
        out += e.cse;
        for (const auto& t : e.tools)
            out += t;
        out += ']';
    }
    return out;
}

bool is_sorted(const ExtensionList& list)
{
    for (std::size_t i = 1; i < list.entries.size(); ++i)
        if (!guid_less(list.entries[i - 1].cse, list.entries[i].cse))
            return false;
    for (const auto& e : list.entries)
        if (!std::is_sorted(e.tools.begin(), e.tools.end(), guid_less))
            return false;
    return true;
}

bool merge(ExtensionList& list, std::string_view cse, std::string_view tool)
{
    const bool was_sorted_entries = std::is_sorted(list.entries.begin(), list.entries.end(),
                                                   [](const auto& a, const auto& b) { return guid_less(a.cse, b.cse); });
    for (auto& e : list.entries) {
        if (!guid_equal(e.cse, cse))
            continue;
        if (std::any_of(e.tools.begin(), e.tools.end(), [&](const auto& t) { return guid_equal(t, tool); })) {
            if (was_sorted_entries)
                return false;
            break; // present, but the brackets need sorting
        }
        e.tools.emplace_back(tool);
        std::sort(e.tools.begin(), e.tools.end(), guid_less);
        std::stable_sort(list.entries.begin(), list.entries.end(),
                         [](const auto& a, const auto& b) { return guid_less(a.cse, b.cse); });
        return true;
    }
    if (!list.has_cse(cse))
        list.entries.push_back({std::string(cse), {std::string(tool)}});
    std::stable_sort(list.entries.begin(), list.entries.end(),
                     [](const auto& a, const auto& b) { return guid_less(a.cse, b.cse); });
    return true;
}

std::string extension_name(std::string_view guid)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> k_names{{
        {"{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "Registry"},
        {"{D02B1F72-3407-48AE-BA88-E8213C6761F1}", "Administrative Templates (machine tool)"},
        {"{D02B1F73-3407-48AE-BA88-E8213C6761F1}", "Administrative Templates (user tool)"},
        {"{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "Security"},
        {"{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}", "Security (tool)"},
        {"{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}", "EFS Recovery"},
        {"{53D6AB1B-2488-11D1-A28C-00C04FB94F17}", "EFS (tool)"},
        {"{42B5FAAE-6536-11D2-AE5A-0000F87571E3}", "Scripts"},
        {"{40B6664F-4972-11D1-A7CA-0000F87571E3}", "Scripts (startup/shutdown tool)"},
        {"{40B66650-4972-11D1-A7CA-0000F87571E3}", "Scripts (logon/logoff tool)"},
        {"{C6DC5466-785A-11D2-84D0-00C04FB169F7}", "Software Installation"},
        {"{942A8E4F-A261-11D1-A760-00C04FB9603F}", "Software Installation (tool)"},
        {"{F3CCC681-B74C-4060-9F26-CD84525DCA2A}", "Audit Policy Configuration"},
        {"{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}", "Audit Policy Configuration (tool)"},
        {"{D76B9641-3288-4F75-942D-087DE603E3EA}", "AdmPwd"},
        {"{F312195E-3D9D-447A-A3F5-08DFFA24735E}", "Device Guard / Virtualization-based security"},
        {"{E437BC1C-AA7D-11D2-A382-00C04F991E27}", "IP Security"},
        {"{0ACDD40C-75AC-47AB-BAA0-BF6DE7E7FE63}", "Wireless Group Policy"},
        {"{CAB54552-DEEA-4691-817E-ED4A4D1AFC72}", "Preferences: Scheduled Tasks (tool)"},
        {"{AADCED64-746C-4633-A97C-D61349046527}", "Preferences: Scheduled Tasks"},
        {"{4CFB60C1-FAA6-47F1-89AA-0B18730C9FD3}", "Internet Explorer Zonemapping"},
        {"{7B849A69-220F-451E-B3FE-2CB811AF94AE}", "Internet Explorer User Accelerators"},
    }};
    for (const auto& [g, name] : k_names)
        if (guid_equal(g, guid))
            return std::string(name);
    return {};
}

} // namespace gpokit::gpo

namespace gpokit::gpo {

std::string named_guid(std::string_view guid)
{
    const std::string name = extension_name(guid);
    return name.empty() ? std::string(guid) : std::string(guid) + " (" + name + ")";
}

std::string pair_text(std::string_view cse, std::string_view tool)
{
    return named_guid(cse) + " with tool " + named_guid(tool);
}

PairChanges pair_changes(std::string_view before, std::string_view after)
{
    PairChanges out;
    const auto a = parse_extension_list(before);
    const auto b = parse_extension_list(after);
    if (!a || !b)
        return out;
    const auto walk = [](const ExtensionList& from, const ExtensionList& other, std::vector<std::string>& into) {
        for (const auto& e : from.entries) {
            if (e.tools.empty() && !other.has_cse(e.cse))
                into.push_back(named_guid(e.cse));
            for (const auto& t : e.tools)
                if (!other.has(e.cse, t))
                    into.push_back(pair_text(e.cse, t));
        }
    };
    walk(*b, *a, out.added);
    walk(*a, *b, out.removed);
    return out;
}

} // namespace gpokit::gpo
