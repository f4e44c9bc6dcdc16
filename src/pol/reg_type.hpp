// Registry value types as Registry.pol stores them ([MS-GPREG] 2.2.1, winnt.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gpokit::pol {

enum RegType : std::uint32_t {
    k_reg_none = 0,
    k_reg_sz = 1,
    k_reg_expand_sz = 2,
    k_reg_binary = 3,
    k_reg_dword = 4,
    k_reg_dword_big_endian = 5,
    k_reg_link = 6,
    k_reg_multi_sz = 7,
    k_reg_qword = 11,
};

// "REG_DWORD" for known types, "REG_TYPE_<n>" (decimal) for any other number.
std::string type_name(std::uint32_t type);

// Accepts "REG_DWORD", "dword", "DWORD", "dword_be", "REG_TYPE_42", "42".
// Returns nullopt for anything else.
std::optional<std::uint32_t> parse_type_name(std::string_view name);

} // namespace gpokit::pol
