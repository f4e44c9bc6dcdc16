#include "util/safe_path.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <cctype>

namespace gpokit::util {

namespace fs = std::filesystem;

namespace {


} // namespace

std::optional<fs::path> find_child(const fs::path& dir, std::string_view name)
{
    std::error_code ec;
    if (fs::exists(dir / fs::path(std::string(name)), ec))
        return dir / fs::path(std::string(name));
    std::optional<fs::path> found;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (util::iequal_ascii(it->path().filename().string(), name))
            return it->path();
    return found;
}

fs::path resolve_inside(const fs::path& base, std::string_view relative)
{
    std::string text(relative);
    for (auto& c : text)
        if (c == '\\')
            c = '/';
    auto refuse = [&](std::string_view why) {
        return Error(fmt::format("path \"{}\" {}; it must stay inside {}", relative, why, base.generic_string()));
    };
    if (text.empty())
        throw refuse("is empty");
    if (text.front() == '/')
        throw refuse("is absolute");
    if (text.size() >= 2 && text[1] == ':')
        throw refuse("has a drive letter");
    fs::path current = base;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('/', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string part = text.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..")
            throw refuse("climbs out with \"..\"");
        const auto found = find_child(current, part);
        current = found ? *found : current / part;
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(current, ec)))
            throw refuse("passes through a symbolic link");
    }
    return current;
}

fs::path folder_path(const fs::path& path)
{
    fs::path out = fs::absolute(path).lexically_normal();
    if (!out.has_filename() && out.has_relative_path())
        out = out.parent_path();
    return out;
}

bool is_inside(const fs::path& base, const fs::path& path)
{
    std::error_code ec;
    const fs::path b = fs::weakly_canonical(base, ec);
    const fs::path p = fs::weakly_canonical(path, ec);
    auto bi = b.begin();
    auto pi = p.begin();
    for (; bi != b.end(); ++bi, ++pi)
        if (pi == p.end() || *bi != *pi)
            return false;
    return true;
}

} // namespace gpokit::util
