// Test helpers. Registry.pol bytes are assembled here by hand, field by field, so
// that reader tests do not depend on the writer they are meant to check.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::test {

// Set to true by the corpus test executable (one definition per executable).
extern const bool needs_corpus;

std::filesystem::path corpus_dir();
bool corpus_present();
std::filesystem::path fixtures_dir();

// Every registry.pol (any case) under the corpus, sorted.
std::vector<std::filesystem::path> corpus_pol_files();

// UTF-16LE bytes of an ASCII/UTF-8 string, without terminator.
util::Bytes u16(std::string_view text);

// Builds registry.pol bytes.
class PolBytes {
public:
    PolBytes(); // with the standard header
    PolBytes& header_only_raw(util::ByteView header); // replace the header bytes
    // A well-formed record: names get one NUL, data is taken as given.
    PolBytes& record(std::string_view key, std::string_view value, std::uint32_t type, util::ByteView data);
    PolBytes& dword(std::string_view key, std::string_view value, std::uint32_t v);
    PolBytes& sz(std::string_view key, std::string_view value, std::string_view text, std::uint32_t type = 1);
    PolBytes& raw(util::ByteView bytes);
    PolBytes& raw_u16(char16_t unit);
    PolBytes& raw_u32(std::uint32_t v);
    const util::Bytes& bytes() const { return m_bytes; }
    std::size_t size() const { return m_bytes.size(); }

private:
    util::Bytes m_bytes;
};

util::Bytes le32(std::uint32_t v);
util::Bytes sz_data(std::string_view text); // UTF-16LE + one NUL

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

void write_bytes(const std::filesystem::path& path, util::ByteView bytes);

// Copies a folder (a read-only corpus backup, say) to `to`, creating its parent, and
// makes every copied entry writable by its owner.
void writable_copy(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace gpokit::test
