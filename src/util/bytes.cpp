#include "util/bytes.hpp"

#include "util/error.hpp"

#include <fmt/format.h>

#include <cstdint>

#include <sys/mman.h>

namespace gpokit::util {

void append_u16le(Bytes& out, std::uint16_t v)
{
    out.push_back(static_cast<std::byte>(v & 0xff));
    out.push_back(static_cast<std::byte>(v >> 8));
}

void append_u32le(Bytes& out, std::uint32_t v)
{
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<std::byte>((v >> shift) & 0xff));
}

void append_u32be(Bytes& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::byte>((v >> shift) & 0xff));
}

void append_u64le(Bytes& out, std::uint64_t v)
{
    append_u32le(out, static_cast<std::uint32_t>(v & 0xffffffffu));
    append_u32le(out, static_cast<std::uint32_t>(v >> 32));
}

std::string to_hex(ByteView bytes)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = std::to_integer<unsigned>(bytes[i]);
        out[2 * i] = k_digits[b >> 4];
        out[2 * i + 1] = k_digits[b & 0xf];
    }
    return out;
}

namespace {
int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
bool is_separator(char c)
{
    return c == ' ' || c == '\t' || c == ':' || c == ',' || c == '-';
}
} // namespace

Bytes from_hex(std::string_view text)
{
    Bytes out;
    out.reserve(text.size() / 2);
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_separator(text[i])) {
            ++i;
            continue;
        }
        const int hi = hex_value(text[i]);
        const int lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (hi < 0 || lo < 0)
            throw Error(fmt::format("bad hex data at character {}: expected two hex digits per byte", i + 1));
        out.push_back(static_cast<std::byte>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

void prefer_huge_pages(const void* data, std::size_t size)
{
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + size) & ~(huge - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advisory: failure changes nothing
}

} // namespace gpokit::util
