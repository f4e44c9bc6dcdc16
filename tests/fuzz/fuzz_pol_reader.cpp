// libFuzzer target for the registry.pol reader.
//
// Property: whatever the reader accepts, it accepts again after writing, and the
// second reading equals the first: read(write(read(x))) == read(x), record by
// record (key, value, type, data) and byte for byte. Input it refuses must be
// refused with util::Error, never a crash. Lenient reading is checked too (the
// first byte of the input picks the mode, so one corpus covers both).
#include "pol/effective.hpp"
#include "pol/pol_check.hpp"
#include "pol/pol_file.hpp"
#include "util/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace {

// A failed property is a crash for the fuzzer and a failed test for the replay.
void require(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "property violated: %s\n", what);
        std::abort();
    }
}

bool same_records(const gpokit::pol::PolFile& a, const gpokit::pol::PolFile& b)
{
    if (a.records.size() != b.records.size())
        return false;
    for (std::size_t i = 0; i < a.records.size(); ++i) {
        const auto& x = a.records[i];
        const auto& y = b.records[i];
        if (x.type != y.type || !gpokit::util::equal(x.key, y.key) || !gpokit::util::equal(x.value, y.value) ||
            !gpokit::util::equal(x.data, y.data) || x.offset != y.offset)
            return false;
    }
    return gpokit::util::equal(a.trailing(), b.trailing());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace gpokit;
    const bool lenient = size > 0 && (data[0] & 1) != 0;
    const auto* bytes = reinterpret_cast<const std::byte*>(data);
    util::Bytes input(bytes, bytes + size);
    try {
        const auto first = pol::PolFile::parse(input, "fuzz", pol::ReadOptions{lenient});
        const util::Bytes written = first.serialize();
        require(util::equal(written, input), "untouched file written back differs");
        const auto second = pol::PolFile::parse(written, "fuzz", pol::ReadOptions{lenient});
        require(same_records(first, second), "second reading differs");
        // The layers above the reader must take anything the reader accepts.
        (void)pol::apply(first);
        (void)pol::check(first);
    } catch (const util::Error&) {
        // refused cleanly
    }
    return 0;
}
