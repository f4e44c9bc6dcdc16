#include "stage/sums.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <set>

namespace gpokit::stage {

std::string sha256_hex(util::ByteView bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw util::Error("SHA-256 failed (libcrypto)");
    std::string out;
    for (unsigned int i = 0; i < length; ++i)
        out += fmt::format("{:02x}", digest[i]);
    return out;
}

std::string sums_text(std::vector<SumEntry> entries)
{
    std::sort(entries.begin(), entries.end(), [](const SumEntry& a, const SumEntry& b) { return a.path < b.path; });
    std::string out;
    for (const auto& e : entries)
        out += e.hash + "  " + e.path + "\n";
    return out;
}

bool safe_relative_path(std::string_view path)
{
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos ||
        path.find(':') != std::string_view::npos || path.find('\0') != std::string_view::npos)
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..")
            return false;
        start = end + 1;
    }
    return true;
}

std::vector<SumEntry> parse_sums(std::string_view text, const std::string& origin)
{
    std::vector<SumEntry> out;
    std::set<std::string> seen;
    std::size_t line = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++line;
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view l = text.substr(start, end - start);
        start = end + 1;
        if (end == text.size())
            throw util::ParseError(util::Position::at_line(origin, line, l.size() + 1), "the last line has no line end");
        const auto bad = [&](std::size_t column, const std::string& what) {
            return util::ParseError(util::Position::at_line(origin, line, column), what);
        };
        if (l.size() < 67 || l.substr(64, 2) != "  ")
            throw bad(1, "not \"<64 hex digits>  <path>\"");
        for (std::size_t i = 0; i < 64; ++i)
            if (!((l[i] >= '0' && l[i] <= '9') || (l[i] >= 'a' && l[i] <= 'f')))
                throw bad(i + 1, "not a lower-case hexadecimal SHA-256");
        SumEntry e{std::string(l.substr(0, 64)), std::string(l.substr(66))};
        if (!safe_relative_path(e.path))
            throw bad(67, fmt::format("\"{}\" is not a relative path inside the bundle", e.path));
        if (!seen.insert(e.path).second)
            throw bad(67, fmt::format("\"{}\" is listed twice", e.path));
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace gpokit::stage
