// libFuzzer target for the snapshot metadata reader (gpo/snapshot.hpp,
// gpokit-snapshot.json).
//
// Property: whatever parse_snapshot accepts, snapshot_json writes in a form that
// reads back equal field by field, parse(snapshot_json(parse(x))) == parse(x), and
// writing that again gives the same bytes. Input it refuses must be refused with
// util::Error (not one of nlohmann-json's own exceptions).
#include "fuzz_support.hpp"

#include "gpo/snapshot.hpp"
#include "util/error.hpp"

namespace {

using namespace gpokit;

bool same(const gpo::Snapshot& a, const gpo::Snapshot& b)
{
    if (a.object.source != b.object.source || a.object.host != b.object.host || a.object.dn != b.object.dn ||
        a.object.attributes != b.object.attributes || a.object.gpt_version != b.object.gpt_version)
        return false;
    if (a.domain != b.domain || a.guid != b.guid || a.gpo_path != b.gpo_path || a.files.size() != b.files.size() ||
        a.edited != b.edited)
        return false;
    for (std::size_t i = 0; i < a.files.size(); ++i)
        if (a.files[i].path != b.files[i].path || a.files[i].size != b.files[i].size)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const util::Bytes input = fuzz::input_bytes(data, size);
    gpo::Snapshot first;
    try {
        first = gpo::parse_snapshot(input, "gpokit-snapshot.json");
    } catch (const util::Error&) {
        return 0; // refused cleanly
    }
    (void)first.object.version_number();

    const util::Bytes written = gpo::snapshot_json(first);
    gpo::Snapshot second;
    try {
        second = gpo::parse_snapshot(written, "written");
    } catch (const util::Error& e) {
        fuzz::fail("snapshot_json wrote what parse_snapshot refuses", e.what());
    }
    fuzz::require(same(first, second), "the snapshot read back differs");
    fuzz::require(gpo::snapshot_json(second) == written, "writing the snapshot read back gives other bytes");
    return 0;
}
