#include "util/shown_paths.hpp"

#include "util/file_io.hpp"

#include <algorithm>

namespace gpokit::util {

namespace fs = std::filesystem;

void ShownPaths::add(fs::path local, std::string shown)
{
    m_map.emplace_back(local.lexically_normal(), std::move(shown));
    std::stable_sort(m_map.begin(), m_map.end(), [](const auto& a, const auto& b) {
        return a.first.native().size() > b.first.native().size();
    });
}

std::string ShownPaths::operator()(const fs::path& path) const
{
    const fs::path p = path.lexically_normal();
    for (const auto& [local, shown] : m_map) {
        auto l = local.begin();
        auto q = p.begin();
        while (l != local.end() && q != p.end() && *l == *q) {
            ++l;
            ++q;
        }
        // A trailing separator makes an empty last component.
        if (l != local.end() && !l->empty())
            continue;
        std::string out = shown;
        for (; q != p.end(); ++q)
            if (!q->empty() && *q != ".")
                out += "/" + q->generic_string();
        return out;
    }
    return display_path(path);
}

} // namespace gpokit::util
