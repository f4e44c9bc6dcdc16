#include "pol/reg_type.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace gpokit::pol {

namespace {

struct Named {
    std::uint32_t type;
    std::string_view name;
};

constexpr std::array<Named, 9> k_names{{
    {k_reg_none, "REG_NONE"},
    {k_reg_sz, "REG_SZ"},
    {k_reg_expand_sz, "REG_EXPAND_SZ"},
    {k_reg_binary, "REG_BINARY"},
    {k_reg_dword, "REG_DWORD"},
    {k_reg_dword_big_endian, "REG_DWORD_BIG_ENDIAN"},
    {k_reg_link, "REG_LINK"},
    {k_reg_multi_sz, "REG_MULTI_SZ"},
    {k_reg_qword, "REG_QWORD"},
}};

// Short names as `pol set --type` takes them.
constexpr std::array<Named, 10> k_short{{
    {k_reg_none, "none"},
    {k_reg_sz, "sz"},
    {k_reg_expand_sz, "expand_sz"},
    {k_reg_binary, "binary"},
    {k_reg_dword, "dword"},
    {k_reg_dword_big_endian, "dword_be"},
    {k_reg_dword_big_endian, "dword_big_endian"},
    {k_reg_link, "link"},
    {k_reg_multi_sz, "multi_sz"},
    {k_reg_qword, "qword"},
}};

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
    return out;
}

std::optional<std::uint32_t> parse_number(std::string_view s)
{
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
        return std::nullopt;
    return n;
}

} // namespace

std::string type_name(std::uint32_t type)
{
    for (const auto& n : k_names)
        if (n.type == type)
            return std::string(n.name);
    return "REG_TYPE_" + std::to_string(type);
}

std::optional<std::uint32_t> parse_type_name(std::string_view name)
{
    const std::string up = upper(name);
    for (const auto& n : k_names)
        if (up == n.name)
            return n.type;
    for (const auto& n : k_short)
        if (up == upper(n.name))
            return n.type;
    if (up.rfind("REG_TYPE_", 0) == 0)
        return parse_number(std::string_view(up).substr(9));
    return parse_number(up);
}

} // namespace gpokit::pol
