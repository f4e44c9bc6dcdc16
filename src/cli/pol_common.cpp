#include "cli/pol_common.hpp"

#include "pol/reg_type.hpp"
#include "render/pol_render.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

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
    const auto dir = util::utf8_to_u16(std::filesystem::absolute(path).parent_path().filename().string());
    return util::iequals(dir, u"User") ? pol::Side::user : pol::Side::machine;
}

namespace {

bool same_record(const pol::Record& a, const pol::Record& b)
{
    return a.type == b.type && util::equal(a.key, b.key) && util::equal(a.value, b.value) &&
           util::equal(a.data, b.data);
}

std::string describe(const pol::Record& r)
{
    const std::string name = r.value.empty() ? std::string("(default)") : r.value_utf8();
    return fmt::format("{} ! {} = {} {}", r.key_utf8(), name, pol::type_name(r.type),
                       render::data_for_humans(r.type, r.data));
}

} // namespace

std::size_t print_record_changes(const pol::PolFile& before, const pol::PolFile& after, std::ostream& out)
{
    const auto& a = before.records;
    const auto& b = after.records;
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && same_record(a[head], b[head]))
        ++head;
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head &&
           same_record(a[a.size() - 1 - tail], b[b.size() - 1 - tail]))
        ++tail;
    std::size_t lines = 0;
    for (std::size_t i = head; i < a.size() - tail; ++i, ++lines)
        out << fmt::format("- record {}: {}\n", i + 1, describe(a[i]));
    for (std::size_t i = head; i < b.size() - tail; ++i, ++lines)
        out << fmt::format("+ record {}: {}\n", i + 1, describe(b[i]));
    return lines;
}

} // namespace gpokit::cli
