// GPT.INI, the SYSVOL half of a GPO's bookkeeping ([MS-GPOL] 2.2.4): [General]
// Version= (user version << 16 | machine version), displayName=, and on local GPOs
// the extension lists. Read as Windows reads it: spaces around '=' are allowed, names
// compare case-insensitively, the first Version line counts.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace gpokit::gpo {

struct GptIni {
    std::uint32_t version = 0;
    std::string display_name;
    std::optional<std::string> machine_extensions; // gPCMachineExtensionNames (local GPOs)
    std::optional<std::string> user_extensions;
    // Byte ranges of the values, for editing in place.
    std::size_t version_begin = 0, version_end = 0;
    std::optional<std::pair<std::size_t, std::size_t>> machine_extensions_range, user_extensions_range;
    // Line numbers of a second Version line in [General] (Windows ignores it; lint says so).
    std::optional<std::size_t> second_version_line;
};

// Parses GPT.INI. Throws util::ParseError "origin:line:column: ..." (no [General], no
// Version, a Version that is not a number from 0 to 4294967295, a malformed line).
GptIni parse_gpt_ini(const util::Bytes& bytes, const std::string& origin);

// The file with Version set to `version` (one splice; every other byte kept).
util::Bytes with_gpt_version(const util::Bytes& bytes, const GptIni& ini, std::uint32_t version);

} // namespace gpokit::gpo
