// libFuzzer target for the GPT.INI reader and its one edit (gpo/gpt_ini.hpp).
//
// Properties, for whatever parse_gpt_ini accepts:
// - with_gpt_version(bytes, ini, ini.version) gives the bytes back, when the Version
//   value is spelled as a number is written ("7", not "007", which reads as 7 too);
// - for that and a few other versions, the result reads back with the new version and
//   every other field as before: the edit touches the number and nothing else.
// Input it refuses must be refused with util::Error.
#include "fuzz_support.hpp"

#include "gpo/gpt_ini.hpp"
#include "util/error.hpp"

#include <string>

namespace {

using namespace gpokit;

gpo::GptIni reread(const util::Bytes& bytes)
{
    try {
        return gpo::parse_gpt_ini(bytes, "GPT.INI");
    } catch (const util::Error& e) {
        fuzz::fail("GPT.INI with a new version no longer reads", e.what());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const util::Bytes input = fuzz::input_bytes(data, size);
    gpo::GptIni ini;
    try {
        ini = gpo::parse_gpt_ini(input, "GPT.INI");
    } catch (const util::Error&) {
        return 0; // refused cleanly
    }
    fuzz::require(ini.version_begin <= ini.version_end && ini.version_end <= input.size(),
                  "Version's byte range lies outside the file");
    const std::string_view spelled = fuzz::as_text(util::ByteView(input).subspan(ini.version_begin, ini.version_end - ini.version_begin));
    if (spelled == std::to_string(ini.version))
        fuzz::require(gpo::with_gpt_version(input, ini, ini.version) == input,
                      "setting the version it holds changes the file");

    for (const std::uint32_t version : {ini.version, ini.version ^ 0x00010001u, 0u, 0xffffffffu}) {
        const util::Bytes edited = gpo::with_gpt_version(input, ini, version);
        const gpo::GptIni again = reread(edited);
        const std::string digits = std::to_string(version);
        fuzz::require(again.version == version, "the new version does not read back");
        fuzz::require(again.version_begin == ini.version_begin &&
                          again.version_end == ini.version_begin + digits.size(),
                      "the Version value moved");
        fuzz::require(again.display_name == ini.display_name, "displayName changed");
        fuzz::require(again.machine_extensions == ini.machine_extensions &&
                          again.user_extensions == ini.user_extensions,
                      "an extension list changed");
        fuzz::require(again.second_version_line == ini.second_version_line, "a second Version line appeared or went");
    }
    return 0;
}
