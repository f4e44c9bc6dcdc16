#include "cli/pol_common.hpp"

#include "pol/reg_type.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <unordered_set>

namespace gpokit::cli {

pol::PolFile load_or_empty(const std::filesystem::path& path, bool lenient)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) {
        pol::PolFile file;
        file.set_origin(util::display_path(path));
        return file;
    }
    return pol::PolFile::load(path, pol::ReadOptions{lenient});
}

pol::Side parse_side(const std::string& name)
{
    if (name == "machine" || name == "computer")
        return pol::Side::machine;
    if (name == "user")
        return pol::Side::user;
    throw util::Error(fmt::format("--side must be machine or user, not \"{}\"", name));
}

pol::Side side_of_path(const std::filesystem::path& path)
{
    const std::string dir = std::filesystem::absolute(path).parent_path().filename().string();
    const bool user = dir.size() == 4 && (dir[0] == 'u' || dir[0] == 'U') && (dir[1] == 's' || dir[1] == 'S') &&
                      (dir[2] == 'e' || dir[2] == 'E') && (dir[3] == 'r' || dir[3] == 'R');
    return user ? pol::Side::user : pol::Side::machine;
}

namespace {

std::string describe(const pol::Record& r)
{
    const std::string name = r.value.empty() ? std::string("(default)") : r.value_utf8();
    return fmt::format("{} ! {} = {} {}", r.key_utf8(), name, pol::type_name(r.type),
                       render::data_for_humans(r.type, r.data));
}

} // namespace

std::size_t print_record_changes(const pol::PolFile& before, const pol::PolFile& after, std::ostream& out)
{
    // Records an edit leaves alone keep the offset they were read at; records it makes
    // have none. So "removed" is what no longer appears by offset, "added" is what is new.
    std::unordered_set<std::uint64_t> kept;
    for (const auto& r : after.records)
        if (r.offset != pol::k_no_offset)
            kept.insert(r.offset);
    std::size_t lines = 0;
    for (std::size_t i = 0; i < before.records.size(); ++i) {
        if (kept.count(before.records[i].offset) != 0)
            continue;
        out << fmt::format("- record {}: {}\n", i + 1, describe(before.records[i]));
        ++lines;
    }
    for (std::size_t i = 0; i < after.records.size(); ++i) {
        if (after.records[i].offset != pol::k_no_offset)
            continue;
        out << fmt::format("+ record {}: {}\n", i + 1, describe(after.records[i]));
        ++lines;
    }
    return lines;
}

} // namespace gpokit::cli
