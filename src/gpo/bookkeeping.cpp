#include "gpo/bookkeeping.hpp"

#include "gpo/extension_list.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gpokit::gpo {

bool needs_attention(NoteKind kind)
{
    switch (kind) {
    case NoteKind::side_disabled:
    case NoteKind::report_stale:
    case NoteKind::extensions_elsewhere:
    case NoteKind::not_atomic:
    case NoteKind::versions_disagree:
        return true;
    case NoteKind::created_file:
    case NoteKind::version:
    case NoteKind::extensions:
    case NoteKind::file_entry:
        return false;
    }
    return false;
}

SideVersion bumped(const SideVersion& v, pol::Side side, const std::string& where)
{
    const std::uint16_t high = v.highest();
    if (high >= 0xffffu)
        throw util::Error(fmt::format("{}: the {} version is {}, at its limit (the largest a GPO can hold)", where,
                                      side == pol::Side::machine ? "computer" : "user", high));
    const auto next = static_cast<std::uint16_t>(high + 1);
    return SideVersion{v.directory ? std::optional<std::uint16_t>(next) : std::nullopt, next};
}

SideVersion aligned(const SideVersion& v)
{
    return SideVersion{v.directory ? std::optional<std::uint16_t>(v.highest()) : std::nullopt, v.highest()};
}

std::uint32_t gpt_version(const SideVersion& machine, const SideVersion& user)
{
    return (std::uint32_t{user.sysvol} << 16) | machine.sysvol;
}

std::uint32_t directory_version(const SideVersion& machine, const SideVersion& user)
{
    return (std::uint32_t{user.directory.value_or(0)} << 16) | machine.directory.value_or(0);
}

std::string_view registry_tool(pol::Side side)
{
    return side == pol::Side::machine ? k_registry_tool_machine : k_registry_tool_user;
}

ExtensionPairs registry_pairs(pol::Side side, const std::vector<std::string>& extra)
{
    ExtensionPairs pairs{{std::string(k_registry_cse), std::string(registry_tool(side))}};
    for (const auto& cse : extra)
        pairs.emplace_back(cse, std::string(registry_tool(side)));
    return pairs;
}

ExtensionPairs security_pairs()
{
    return {{std::string(k_security_cse), std::string(k_security_tool)}};
}

std::optional<std::string> merged_extensions(const std::string& text, const ExtensionPairs& pairs,
                                             const std::string& where)
{
    std::string error;
    auto list = parse_extension_list(text, &error);
    if (!list)
        throw util::Error(fmt::format("{}: malformed extension list \"{}\": {}; fix it before editing", where, text,
                                      error));
    bool changed = false;
    for (const auto& [cse, tool] : pairs)
        changed |= merge(*list, cse, tool);
    if (!changed)
        return std::nullopt;
    return to_string(*list);
}

std::string_view new_registry_pol_name(Layout layout)
{
    return layout == Layout::backup ? "registry.pol" : "Registry.pol";
}

SideBookkeeping plan_side(const Gpo& gpo, pol::Side side, const std::optional<std::string>& extensions,
                          bool has_settings, const ExtensionPairs& pairs, const std::string& where)
{
    const GpoSide& s = gpo.side(side);
    SideBookkeeping b;
    b.side = side;
    b.before = s.version;
    b.after = bumped(s.version, side, where);
    b.extensions_before = extensions;
    if (has_settings && extensions)
        b.extensions_after = merged_extensions(*extensions, pairs, where);
    if (gpo.side_disabled(side))
        b.notes.push_back({NoteKind::side_disabled, side, gpo.layout, gpo.directory ? "flags" : "Options",
                           std::to_string(*gpo.options), {}, {}, {}});
    return b;
}

} // namespace gpokit::gpo
