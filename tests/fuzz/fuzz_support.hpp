// What the fuzz targets share: the input as util::Bytes, and how a broken property
// is reported. A failed property aborts, which libFuzzer reports as a crash (keeping
// the input) and which fails the replay test in an ordinary run.
//
// Exceptions: a target catches util::Error (and its subclasses) where refusing the
// input is allowed, and nothing else; any other exception escapes
// LLVMFuzzerTestOneInput, which libFuzzer and the replay also report.
#pragma once

#include "util/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace gpokit::fuzz {

inline util::Bytes input_bytes(const std::uint8_t* data, std::size_t size)
{
    const auto* bytes = reinterpret_cast<const std::byte*>(data);
    return util::Bytes(bytes, bytes + size);
}

// Reports a broken property: `what`, and `detail` (an error message, say) if given.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {})
{
    if (detail.empty())
        std::fprintf(stderr, "property violated: %s\n", what);
    else
        std::fprintf(stderr, "property violated: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

inline void require(bool ok, const char* what, std::string_view detail = {})
{
    if (!ok)
        fail(what, detail);
}

inline std::string_view as_text(util::ByteView bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace gpokit::fuzz
