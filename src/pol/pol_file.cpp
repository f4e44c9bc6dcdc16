#include "pol/pol_file.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <optional>

namespace gpokit::pol {

using util::ByteView;
using util::Bytes;

std::u16string Record::key_u16() const { return util::utf16le_to_u16(key); }
std::u16string Record::value_u16() const { return util::utf16le_to_u16(value); }
std::string Record::key_utf8() const { return util::utf16le_to_utf8_lossy(key); }
std::string Record::value_utf8() const { return util::utf16le_to_utf8_lossy(value); }

namespace {

constexpr std::byte k_signature[4] = {std::byte{'P'}, std::byte{'R'}, std::byte{'e'}, std::byte{'g'}};

// A failed parse at a position; turned into util::Error (strict) or trailing bytes (lenient).
struct ParseFailure {
    std::uint64_t offset;
    std::string message;
};

class RecordParser {
public:
    RecordParser(ByteView bytes, std::size_t pos, std::size_t number)
        : m_bytes(bytes), m_pos(pos), m_number(number)
    {
    }

    Record parse()
    {
        Record r;
        r.offset = m_pos;
        expect(u'[', "'[' to open a record");
        r.key = name("key name");
        expect(u';', "';' after the key name");
        r.value = name("value name");
        expect(u';', "';' after the value name");
        r.type = u32("type");
        expect(u';', "';' after the type");
        const std::uint32_t size = u32("data size");
        expect(u';', "';' after the data size");
        if (std::uint64_t{size} > left())
            fail(m_pos - 6, fmt::format("data size {} runs past end of file ({:#x})", size, m_bytes.size()));
        r.data = m_bytes.subspan(m_pos, size);
        m_pos += size;
        expect(u']', "']' after the data", size);
        return r;
    }

    std::size_t pos() const { return m_pos; }

private:
    std::uint64_t left() const { return m_bytes.size() - m_pos; }

    [[noreturn]] void fail(std::uint64_t at, std::string what) const
    {
        throw ParseFailure{at, fmt::format("record {}: {}", m_number, what)};
    }

    // `data_size`, when given, is named in the message (the message is only built on failure).
    void expect(char16_t unit, std::string_view what, std::optional<std::uint32_t> data_size = std::nullopt)
    {
        if (left() >= 2 && util::load_u16le(m_bytes.data() + m_pos) == unit) {
            m_pos += 2;
            return;
        }
        const std::string size_note = data_size ? fmt::format(" ({} bytes)", *data_size) : std::string();
        if (left() < 2)
            fail(m_pos, fmt::format("file ends where {}{} was expected", what, size_note));
        fail(m_pos, fmt::format("expected {}{}, found {:#06x}", what, size_note, util::load_u16le(m_bytes.data() + m_pos)));
    }

    ByteView name(std::string_view what)
    {
        const std::size_t start = m_pos;
        const std::size_t end = m_bytes.size();
        const std::byte* p = m_bytes.data();
        std::size_t i = start;
        while (i + 1 < end && (p[i] != std::byte{0} || p[i + 1] != std::byte{0}))
            i += 2;
        if (i + 1 >= end)
            fail(start, fmt::format("{} has no terminating NUL before end of file", what));
        m_pos = i + 2;
        return m_bytes.subspan(start, i - start);
    }

    std::uint32_t u32(std::string_view what)
    {
        if (left() < 4)
            fail(m_pos, fmt::format("file ends inside the {}", what));
        const auto v = util::load_u32le(m_bytes.data() + m_pos);
        m_pos += 4;
        return v;
    }

    ByteView m_bytes;
    std::size_t m_pos;
    std::size_t m_number;
};

} // namespace

PolFile PolFile::parse(Bytes bytes, std::string origin, const ReadOptions& options)
{
    PolFile file;
    file.m_origin = std::move(origin);
    auto storage = std::make_shared<const Bytes>(std::move(bytes));
    file.m_storage.push_back(storage);
    const ByteView all(*storage);

    auto error = [&](std::uint64_t at, std::string_view message) {
        return util::ParseError(util::Position::at_offset(file.m_origin, at), message);
    };
    if (all.empty())
        throw error(0, "empty file (0 bytes): a registry.pol holds at least the 8-byte header "
                       "\"PReg\" + version 1; Windows stops registry policy processing on such a file");
    if (all.size() < k_header_size)
        throw error(0, fmt::format("file is {} byte{}, shorter than the 8-byte header", all.size(),
                                   all.size() == 1 ? "" : "s"));
    if (!std::equal(all.begin(), all.begin() + 4, std::begin(k_signature)))
        throw error(0, fmt::format("not a registry.pol file: signature is {}, expected 50526567 (\"PReg\")",
                                   util::to_hex(all.first(4))));
    if (const auto version = util::load_u32le(all.data() + 4); version != 1)
        throw error(4, fmt::format("unsupported registry.pol version {} (expected 1)", version));

    // A record takes at least 26 bytes in the file and real ones average about 100:
    // reserving for one per 64 bytes avoids most regrowth, and pages never filled cost
    // nothing. Huge pages make filling the table cheap (see prefer_huge_pages).
    file.records.reserve(all.size() / 64);
    util::prefer_huge_pages(file.records.data(), file.records.capacity() * sizeof(Record));
    std::size_t pos = k_header_size;
    while (pos < all.size()) {
        RecordParser parser(all, pos, file.records.size() + 1);
        try {
            file.records.push_back(parser.parse());
            pos = parser.pos();
        } catch (const ParseFailure& f) {
            if (!options.lenient) {
                if (all.size() - pos == 1)
                    throw error(pos, fmt::format("record {}: 1 stray byte after the {}", file.records.size() + 1,
                                                 file.records.empty() ? "header" : "last record"));
                throw error(f.offset, f.message);
            }
            file.m_trailing = all.subspan(pos);
            file.m_trailing_offset = pos;
            break;
        }
    }
    return file;
}

PolFile PolFile::load(const std::filesystem::path& path, const ReadOptions& options, const std::string& shown)
{
    const std::string origin = shown.empty() ? util::display_path(path) : shown;
    auto bytes = util::read_file(path, origin);
    return parse(std::move(bytes), origin, options);
}

Record PolFile::make_record(std::u16string_view key, std::u16string_view value, std::uint32_t type,
                            ByteView data)
{
    if (data.size() > 0xffffffffu)
        throw util::Error("value data is larger than a registry.pol record can hold (4 GiB)");
    if (key.find(u'\0') != key.npos || value.find(u'\0') != value.npos) // a NUL ends a name in the file
        throw util::Error("a key or value name cannot contain a NUL character");
    auto buf = std::make_shared<Bytes>(util::u16_to_utf16le(key));
    const Bytes value_bytes = util::u16_to_utf16le(value);
    buf->insert(buf->end(), value_bytes.begin(), value_bytes.end());
    buf->insert(buf->end(), data.begin(), data.end());
    m_storage.push_back(buf);

    const ByteView all(*buf);
    Record r;
    r.key = all.subspan(0, 2 * key.size());
    r.value = all.subspan(2 * key.size(), 2 * value.size());
    r.type = type;
    r.data = all.subspan(2 * (key.size() + value.size()));
    return r;
}

void PolFile::set_trailing(Bytes bytes)
{
    auto buf = std::make_shared<const Bytes>(std::move(bytes));
    m_trailing = ByteView(*buf);
    m_storage.push_back(std::move(buf));
}

Bytes PolFile::serialize() const
{
    std::size_t total = k_header_size + m_trailing.size();
    for (const auto& r : records)
        total += r.encoded_size();
    Bytes out;
    out.reserve(total);
    out.insert(out.end(), std::begin(k_signature), std::end(k_signature));
    util::append_u32le(out, 1);
    auto unit = [&](char16_t c) { util::append_u16le(out, static_cast<std::uint16_t>(c)); };
    for (const auto& r : records) {
        unit(u'[');
        out.insert(out.end(), r.key.begin(), r.key.end());
        unit(u'\0');
        unit(u';');
        out.insert(out.end(), r.value.begin(), r.value.end());
        unit(u'\0');
        unit(u';');
        util::append_u32le(out, r.type);
        unit(u';');
        util::append_u32le(out, static_cast<std::uint32_t>(r.data.size()));
        unit(u';');
        out.insert(out.end(), r.data.begin(), r.data.end());
        unit(u']');
    }
    out.insert(out.end(), m_trailing.begin(), m_trailing.end());
    return out;
}

} // namespace gpokit::pol
