// Checks the realm injection on one backup folder: the four records land with the
// bookkeeping, a second run changes nothing, removing the realm gives back the
// original registry.pol byte for byte. Shared by the fixture and corpus tests.
#pragma once

#include "gpo/extension_list.hpp"
#include "support/targets.hpp"
#include "gpo/load.hpp"
#include "kerberos/realm.hpp"
#include "support/pol_bytes.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

namespace gpokit::test {


inline const std::string k_key = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos";

inline kerberos::AddRealm vendor()
{
    return {"ZSCALERBETA.NET", {"kerberos.zscalerbeta.net"}, {".zscalerbeta.net", ".gateway.zscalerbeta.net"}, {}};
}

// The data of key!name in a file, if one record sets it.
inline std::optional<util::Bytes> data_of(const pol::PolFile& f, const std::string& key, const std::string& name,
                                   std::uint32_t type)
{
    std::optional<util::Bytes> out;
    for (const auto& r : f.records)
        if (r.key_utf8() == key && r.value_utf8() == name && r.type == type)
            out = util::Bytes(r.data.begin(), r.data.end());
    return out;
}

inline void check_injection(const std::filesystem::path& dir, const policy::Catalogue& catalogue)
{
    INFO(dir.string());
    const gpo::Gpo before = gpo::load_backup(dir);
    const util::Bytes original =
        before.machine.registry_pol ? util::read_file(*before.machine.registry_pol) : PolBytes().bytes();

    auto add = [&] {
        return edit(open(dir), pol::Side::machine,
                    [&](pol::PolFile& f) { return kerberos::add_realm(f, catalogue, vendor()); });
    };
    REQUIRE(add());
    const gpo::Gpo after = gpo::load_backup(dir);
    const auto file = pol::PolFile::load(*after.machine.registry_pol);
    CHECK(data_of(file, k_key, "MitRealms_Enabled", 4) == le32(1));
    CHECK(data_of(file, k_key, "domain_realm_Enabled", 4) == le32(1));
    CHECK(data_of(file, k_key + "\\MitRealms", "ZSCALERBETA.NET", 1) == sz_data("<k>kerberos.zscalerbeta.net</k>"));
    CHECK(data_of(file, k_key + "\\domain_realm", "ZSCALERBETA.NET", 1) ==
          sz_data(".zscalerbeta.net; .gateway.zscalerbeta.net"));
    CHECK(file.records.size() == pol::PolFile::parse(original, "o").records.size() + 4);
    CHECK(after.machine.version.sysvol == before.machine.version.sysvol + 1);
    CHECK(after.machine.version.directory == *before.machine.version.directory + 1);
    const auto list = gpo::parse_extension_list(*after.machine.extensions);
    REQUIRE(list.has_value());
    CHECK(list->has(gpo::k_registry_cse, gpo::k_registry_tool_machine));

    CHECK_FALSE(add()); // twice: no change
    CHECK(gpo::load_backup(dir).machine.version == after.machine.version);

    REQUIRE(edit(open(dir), pol::Side::machine,
                 [&](pol::PolFile& f) { return kerberos::remove_realm(f, catalogue, "ZSCALERBETA.NET"); }));
    CHECK(util::read_file(*gpo::load_backup(dir).machine.registry_pol) == original);
}


} // namespace gpokit::test
