#include "gpo/gpt_ini.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/ini.hpp"

#include <fmt/format.h>

#include <charconv>

namespace gpokit::gpo {

GptIni parse_gpt_ini(const util::Bytes& bytes, const std::string& origin)
{
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    GptIni ini;
    std::optional<std::size_t> general_line;
    bool saw_version = false;
    for (const auto& line : util::tokenize_ini(text, origin)) {
        const bool general = util::iequal_ascii(line.section, "General");
        if (line.kind == util::IniLine::Kind::section && general && !general_line)
            general_line = line.number;
        if (line.kind != util::IniLine::Kind::entry || !general)
            continue;
        const auto range = std::pair{line.value_begin, line.value_end};
        if (util::iequal_ascii(line.name, "Version")) {
            if (saw_version) { // Windows uses the first Version line
                if (!ini.second_version_line)
                    ini.second_version_line = line.number;
                continue;
            }
            const auto [p, ec] = std::from_chars(line.value.data(), line.value.data() + line.value.size(), ini.version);
            if (line.value.empty() || ec != std::errc{} || p != line.value.data() + line.value.size()) {
                const bool digits = !line.value.empty() && line.value.find_first_not_of("0123456789") == std::string_view::npos;
                throw util::ParseError(util::Position::at_line(origin, line.number, line.value_column),
                                       digits ? fmt::format("Version {} is out of range (0 to 4294967295)", line.value)
                                              : fmt::format("Version \"{}\" is not a number from 0 to 4294967295",
                                                            line.value));
            }
            ini.version_begin = range.first;
            ini.version_end = range.second;
            saw_version = true;
        } else if (util::iequal_ascii(line.name, "displayName")) {
            ini.display_name = std::string(line.value);
        } else if (util::iequal_ascii(line.name, "gPCMachineExtensionNames")) {
            ini.machine_extensions = std::string(line.value);
            ini.machine_extensions_range = range;
        } else if (util::iequal_ascii(line.name, "gPCUserExtensionNames")) {
            ini.user_extensions = std::string(line.value);
            ini.user_extensions_range = range;
        }
    }
    if (!general_line)
        throw util::ParseError(util::Position::at_line(origin, 1, 1), "no [General] section");
    if (!saw_version)
        throw util::ParseError(util::Position::at_line(origin, *general_line, 1), "[General] has no Version=");
    return ini;
}

util::Bytes with_gpt_version(const util::Bytes& bytes, const GptIni& ini, std::uint32_t version)
{
    util::Bytes out(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(ini.version_begin));
    const std::string number = std::to_string(version);
    const auto digits = util::as_bytes(number);
    out.insert(out.end(), digits.begin(), digits.end());
    out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(ini.version_end), bytes.end());
    return out;
}

} // namespace gpokit::gpo
