// Byte buffers and the small conversions every format needs: hex both ways and
// little/big-endian integers assembled byte by byte (never by casting pointers,
// so unaligned input such as a record at an odd offset is safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::util {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;

inline std::uint16_t load_u16le(const std::byte* p)
{
    return static_cast<std::uint16_t>(std::to_integer<unsigned>(p[0]) |
                                      (std::to_integer<unsigned>(p[1]) << 8));
}

inline std::uint32_t load_u32le(const std::byte* p)
{
    return std::to_integer<std::uint32_t>(p[0]) | (std::to_integer<std::uint32_t>(p[1]) << 8) |
           (std::to_integer<std::uint32_t>(p[2]) << 16) | (std::to_integer<std::uint32_t>(p[3]) << 24);
}

inline std::uint32_t load_u32be(const std::byte* p)
{
    return (std::to_integer<std::uint32_t>(p[0]) << 24) | (std::to_integer<std::uint32_t>(p[1]) << 16) |
           (std::to_integer<std::uint32_t>(p[2]) << 8) | std::to_integer<std::uint32_t>(p[3]);
}

inline std::uint64_t load_u64le(const std::byte* p)
{
    return std::uint64_t{load_u32le(p)} | (std::uint64_t{load_u32le(p + 4)} << 32);
}

void append_u16le(Bytes& out, std::uint16_t v);
void append_u32le(Bytes& out, std::uint32_t v);
void append_u32be(Bytes& out, std::uint32_t v);
void append_u64le(Bytes& out, std::uint64_t v);

// Lower-case hex, two digits a byte, no separators.
std::string to_hex(ByteView bytes);

// Parses hex digits; spaces, tabs, ':' , ',' and '-' between byte pairs are allowed.
// Throws util::Error naming the first bad character.
Bytes from_hex(std::string_view text);

inline ByteView as_bytes(std::string_view s)
{
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

inline bool equal(ByteView a, ByteView b)
{
    return a.size() == b.size() && (a.empty() || std::equal(a.begin(), a.end(), b.begin()));
}

// Asks the kernel to back the whole 2 MiB pages inside [data, data + size) with
// transparent huge pages: filling a large new buffer then takes one page fault per
// 2 MiB instead of one per 4 KiB, which on some machines is most of the cost of reading
// a big file. Advisory only; small ranges are left alone.
void prefer_huge_pages(const void* data, std::size_t size);

} // namespace gpokit::util
