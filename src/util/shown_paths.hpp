// How the files of a source are named in messages. A GPO read from a domain
// controller lives in a private temporary folder while gpokit works on it, but the
// user must read `//dc1/sysvol/corp.example.com/Policies/{GUID}/GPT.INI:3:1`, not a
// temporary path: the source records which local folders stand for which names, and
// every reader names a file through it.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gpokit::util {

class ShownPaths {
public:
    // Files below `local` are shown as `shown` followed by their relative path ('/').
    void add(std::filesystem::path local, std::string shown);
    // The name to show for `path`: through the longest matching folder, else the path
    // itself (display_path).
    std::string operator()(const std::filesystem::path& path) const;
    bool empty() const { return m_map.empty(); }

private:
    std::vector<std::pair<std::filesystem::path, std::string>> m_map; // longest first
};

} // namespace gpokit::util
