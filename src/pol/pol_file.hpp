// The lossless record layer of Registry.pol ([MS-GPREG] 2.2.1).
//
// A file is an 8-byte header ("PReg", version 1 LE) followed by records
//   [ key NUL ; value-name NUL ; type(u32 LE) ; size(u32 LE) ; data[size] ]
// where each delimiter and each name character is one UTF-16LE code unit. There is
// no count, padding or footer, and records start at odd offsets when a REG_BINARY
// before them has an odd size.
//
// PolFile keeps every record exactly as read: names and data are views into the
// file's own bytes (no copy, so parsing runs at memory speed), type and size are
// kept even when they disagree, and order and duplicates are kept. serialize() of an
// untouched PolFile gives back the input byte for byte. Records created by edits own
// their bytes through the same storage, so views stay valid when a PolFile is copied.
//
// Names are scanned for their NUL code unit, never for ';' (names may contain it);
// data is taken by its size, never by searching for ']' (data may contain 5D 00).
// Every size is checked against the bytes left, in 64-bit arithmetic, before use.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::pol {

inline constexpr std::uint64_t k_no_offset = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::size_t k_header_size = 8;

struct Record {
    util::ByteView key;   // UTF-16LE code units, without the terminating NUL
    util::ByteView value; // UTF-16LE code units, without the terminating NUL
    std::uint32_t type = 0;
    util::ByteView data;
    std::uint64_t offset = k_no_offset; // offset of '[' in the file read; k_no_offset if made by an edit

    std::u16string key_u16() const;
    std::u16string value_u16() const;
    // For display: U+FFFD stands for what cannot be decoded.
    std::string key_utf8() const;
    std::string value_utf8() const;
    // Bytes this record takes in a file.
    std::size_t encoded_size() const { return 2 + key.size() + 4 + value.size() + 4 + 4 + 2 + 4 + 2 + data.size() + 2; }
};

struct ReadOptions {
    // Keep bytes that do not form a record at the end of the file (reported as
    // trailing) instead of refusing the file.
    bool lenient = false;
};

class PolFile {
public:
    // An empty policy file: the header and no record.
    PolFile() = default;

    // Parses a whole file's bytes, taking ownership of them. `origin` names the file
    // in error messages. Throws util::Error "origin:0xOFFSET: record N: ..." for
    // malformed input.
    static PolFile parse(util::Bytes bytes, std::string origin, const ReadOptions& options = {});

    // Reads and parses a file; messages name it `shown` (the path itself when empty).
    // Throws util::Error.
    static PolFile load(const std::filesystem::path& path, const ReadOptions& options = {},
                        const std::string& shown = {});

    // A record whose names and data are copied into this file's storage. Throws
    // util::Error for a name holding a NUL or data over 4 GiB.
    Record make_record(std::u16string_view key, std::u16string_view value, std::uint32_t type,
                       util::ByteView data);

    // The file's bytes: header, records in order, trailing bytes.
    util::Bytes serialize() const;

    const std::string& origin() const { return m_origin; }
    void set_origin(std::string origin) { m_origin = std::move(origin); }

    // Bytes after the last record (only with ReadOptions::lenient), and where they began.
    util::ByteView trailing() const { return m_trailing; }
    std::uint64_t trailing_offset() const { return m_trailing_offset; }
    // Replaces the trailing bytes (a text form that carried them, or an explicit
    // user choice to drop them).
    void set_trailing(util::Bytes bytes);

    std::vector<Record> records;

private:
    std::vector<std::shared_ptr<const util::Bytes>> m_storage;
    std::string m_origin;
    util::ByteView m_trailing;
    std::uint64_t m_trailing_offset = 0;
};

} // namespace gpokit::pol
