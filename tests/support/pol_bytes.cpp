#include "support/pol_bytes.hpp"

#include "util/file_io.hpp"
#include "util/tree.hpp"
#include "util/utf16.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>

namespace gpokit::test {

std::filesystem::path corpus_dir()
{
    if (const char* env = std::getenv("GPOKIT_CORPUS"); env != nullptr && *env != '\0')
        return env;
    return GPOKIT_CORPUS_DIR;
}

bool corpus_present()
{
    std::error_code ec;
    return std::filesystem::is_directory(corpus_dir(), ec);
}

std::filesystem::path fixtures_dir()
{
    return GPOKIT_FIXTURES_DIR;
}

std::vector<std::filesystem::path> corpus_pol_files()
{
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir())) {
        std::string name = e.path().filename().string();
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (e.is_regular_file() && name.size() > 4 && name.substr(name.size() - 4) == ".pol")
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

util::Bytes u16(std::string_view text)
{
    return util::utf8_to_utf16le(text);
}

util::Bytes le32(std::uint32_t v)
{
    util::Bytes out;
    util::append_u32le(out, v);
    return out;
}

util::Bytes sz_data(std::string_view text)
{
    util::Bytes out = u16(text);
    util::append_u16le(out, 0);
    return out;
}

PolBytes::PolBytes()
{
    const char header[] = {'P', 'R', 'e', 'g', 1, 0, 0, 0};
    for (char c : header)
        m_bytes.push_back(static_cast<std::byte>(c));
}

PolBytes& PolBytes::header_only_raw(util::ByteView header)
{
    m_bytes.assign(header.begin(), header.end());
    return *this;
}

PolBytes& PolBytes::raw(util::ByteView bytes)
{
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
    return *this;
}

PolBytes& PolBytes::raw_u16(char16_t unit)
{
    util::append_u16le(m_bytes, static_cast<std::uint16_t>(unit));
    return *this;
}

PolBytes& PolBytes::raw_u32(std::uint32_t v)
{
    util::append_u32le(m_bytes, v);
    return *this;
}

PolBytes& PolBytes::record(std::string_view key, std::string_view value, std::uint32_t type, util::ByteView data)
{
    raw_u16(u'[');
    raw(u16(key));
    raw_u16(0);
    raw_u16(u';');
    raw(u16(value));
    raw_u16(0);
    raw_u16(u';');
    raw_u32(type);
    raw_u16(u';');
    raw_u32(static_cast<std::uint32_t>(data.size()));
    raw_u16(u';');
    raw(data);
    raw_u16(u']');
    return *this;
}

PolBytes& PolBytes::dword(std::string_view key, std::string_view value, std::uint32_t v)
{
    return record(key, value, 4, le32(v));
}

PolBytes& PolBytes::sz(std::string_view key, std::string_view value, std::string_view text, std::uint32_t type)
{
    return record(key, value, type, sz_data(text));
}

TempDir::TempDir()
{
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
        m_path = base / ("gpokit-test-" + std::to_string(rd()));
        if (std::filesystem::create_directory(m_path))
            break;
    }
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void write_bytes(const std::filesystem::path& path, util::ByteView bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void writable_copy(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::filesystem::create_directories(to.parent_path());
    util::copy_tree(from, to);
    std::filesystem::permissions(to, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
    for (const auto& e : std::filesystem::recursive_directory_iterator(to))
        std::filesystem::permissions(e.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

} // namespace gpokit::test
