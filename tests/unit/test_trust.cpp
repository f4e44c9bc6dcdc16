// The realm trust plan and the realm side's keys. Expected values come from outside
// gpokit: the vendor's guide and Microsoft's page (trustDirection, trustAttributes,
// msDS-SupportedEncryptionTypes, the GPO values) and the worked key example in the
// project's Kerberos reference (computed with MIT's tools). RFC 3962's own vectors use
// 1 to 1200 iterations, which libkrb5 refuses as weak: they cannot be run through it.
#include "support/trust_plans.hpp"
#include "trust/create.hpp"
#include "trust/keys.hpp"
#include "trust/plan.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdio>

using namespace gpokit;

namespace {

using test::bytes_of;
using test::vendor_plan;

std::string hex(const std::vector<unsigned char>& key)
{
    std::string s;
    for (const unsigned char b : key)
        s += fmt::format("{:02x}", b);
    return s;
}

} // namespace

TEST_CASE("the vendor's trust: incoming, non-transitive, AES, krbtgt/REALM@DOMAIN, its GPO values")
{
    const trust::Plan p = vendor_plan();
    REQUIRE_NOTHROW(trust::validate(p));
    CHECK(p.trust_direction() == 1);
    CHECK(p.trust_attributes() == 1);
    CHECK(p.encryption_types() == 24);
    const auto c = p.cross_realm();
    REQUIRE(c.size() == 1);
    CHECK(c[0].principal == "krbtgt/ZSCALERBETA.NET@CORP.EXAMPLE.COM");
    CHECK(c[0].salt == "CORP.EXAMPLE.COMkrbtgtZSCALERBETA.NET");
    CHECK(p.mit_realms_value() == "<k>kerberos.zscalerbeta.net</k>");
    CHECK(p.domain_realm_value() == ".zscalerbeta.net; .gateway.zscalerbeta.net");
}

TEST_CASE("Microsoft's trust is outgoing (2), both directions need both principals, RC4 and transitivity set their bits")
{
    trust::Plan p = vendor_plan();
    p.direction = trust::Direction::outgoing;
    CHECK(p.trust_direction() == 2);
    REQUIRE(p.cross_realm().size() == 1);
    CHECK(p.cross_realm()[0].principal == "krbtgt/CORP.EXAMPLE.COM@ZSCALERBETA.NET");
    CHECK(p.cross_realm()[0].salt == "ZSCALERBETA.NETkrbtgtCORP.EXAMPLE.COM");
    p.direction = trust::Direction::both;
    CHECK(p.trust_direction() == 3);
    CHECK(p.cross_realm().size() == 2);
    p.rc4 = true;
    CHECK(p.trust_attributes() == 0x81);
    CHECK(p.encryption_types() == 28);
    p.transitive = true;
    CHECK(p.trust_attributes() == 0x80);
}

TEST_CASE("plans are checked: names, the realm not the domain itself, enctypes")
{
    trust::Plan p = vendor_plan();
    p.realm = "zscalerbeta.net";
    CHECK_THROWS_WITH(trust::validate(p), Catch::Contains("--realm"));
    p = vendor_plan();
    p.realm = p.domain;
    CHECK_THROWS_WITH(trust::validate(p), Catch::Contains("is the AD domain itself"));
    p = vendor_plan();
    p.map = {"zscalerbeta.net."};
    CHECK_THROWS(trust::validate(p));
    CHECK_THROWS_WITH(trust::parse_enctypes("rc4"), Catch::Contains("not aes or aes,rc4"));
    CHECK(trust::parse_enctypes("AES,RC4"));
}

TEST_CASE("the JSON plan reads back, a hand-edited derived value is refused, naming the field")
{
    trust::Plan p = vendor_plan();
    p.rc4 = true;
    const std::string json = trust::plan_json(p);
    CHECK_THAT(json, Catch::Contains("\"trustAttributes\": 129") && Catch::Contains("\"trustType\": 3") &&
                         Catch::Contains("\"msDS-SupportedEncryptionTypes\": 28"));
    const trust::Plan back = trust::read_plan(bytes_of(json), "plan.json");
    CHECK(back.domain == p.domain);
    CHECK(back.realm == p.realm);
    CHECK(back.direction == p.direction);
    CHECK(back.rc4);
    CHECK(back.kdcs == p.kdcs);
    CHECK(back.map == p.map);
    std::string edited = json;
    edited.replace(edited.find("\"trustAttributes\": 129"), 22, "\"trustAttributes\": 1");
    CHECK_THROWS_WITH(trust::read_plan(bytes_of(edited), "plan.json"),
                      Catch::Contains("plan.json") && Catch::Contains("trustAttributes"));
    CHECK_THROWS_WITH(trust::read_plan(bytes_of("{\"format\": \"other\"}"), "x.json"), Catch::Contains("not a gpokit trust plan"));
    CHECK_THROWS_WITH(trust::read_plan(bytes_of("{\"format\": "), "x.json"), Catch::Contains("x.json:0x"));
}

TEST_CASE("keys: the reference's worked example (MIT's tools), AES and RC4")
{
    const auto keys = trust::derive_keys("krbtgt/ZSCALERBETA.NET@CORP.EXAMPLE.COM",
                                         "CORP.EXAMPLE.COMkrbtgtZSCALERBETA.NET", "Secret123!", true);
    REQUIRE(keys.size() == 3);
    CHECK(keys[0].enctype == 18);
    CHECK(hex(keys[0].key) == "3d93cee3bd859b56854ed43107b9a8b3cfacc3e018b6dd50455d935c3b0ac546");
    CHECK(keys[1].enctype == 17);
    CHECK(hex(keys[1].key) == "9a47b76e3e3ff0f26ad2df791db54053");
    CHECK(keys[2].enctype == 23);
    CHECK(hex(keys[2].key) == "59c33a2751c7dad20de6fc7e03891bdb");
    // Fingerprints: equal for equal keys, different for different ones, never the key.
    const auto again = trust::derive_keys("x", "CORP.EXAMPLE.COMkrbtgtZSCALERBETA.NET", "Secret123!", false);
    CHECK(again[0].fingerprint == keys[0].fingerprint);
    const auto other = trust::derive_keys("x", "CORP.EXAMPLE.COMkrbtgtZSCALERBETA.NET", "Secret124!", false);
    CHECK(other[0].fingerprint != keys[0].fingerprint);
    CHECK(keys[0].fingerprint.size() == 16);
    CHECK(hex(keys[0].key).find(keys[0].fingerprint) == std::string::npos);
}

TEST_CASE("the trust password blob is byte for byte what Samba's own NDR encoder makes")
{
    // Samba's Python bindings (python3-samba, installed with the test DC's packages)
    // pack drsblobs.trustDomainPasswords with the same confounder, time and password.
    const std::string script = R"(/usr/bin/python3 -c '
import sys
from samba.ndr import ndr_pack
from samba.dcerpc import drsblobs, lsa
def blob(used):
    b = drsblobs.trustAuthInOutBlob()
    if not used:
        b.count = 0
        return b
    pw = "Secret123!".encode("utf-16-le")
    clear = drsblobs.AuthInfoClear(); clear.size = len(pw); clear.password = list(pw)
    info = drsblobs.AuthenticationInformation()
    info.LastUpdateTime = 0x01DB123456789ABC
    info.AuthType = lsa.TRUST_AUTH_TYPE_CLEAR; info.AuthInfo = clear
    arr = drsblobs.AuthenticationInformationArray(); arr.count = 1; arr.array = [info]
    b.count = 1; b.current = arr
    return b
for d in (1, 2, 3):
    p = drsblobs.trustDomainPasswords()
    p.confounder = [i % 251 for i in range(512)]
    p.outgoing = blob(d & 2); p.incoming = blob(d & 1)
    print(ndr_pack(p).hex())
')";
    FILE* pipe = ::popen(script.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        out.append(buf, n);
    REQUIRE(::pclose(pipe) == 0);
    util::Bytes confounder(512);
    for (std::size_t i = 0; i < confounder.size(); ++i)
        confounder[i] = static_cast<std::byte>(i % 251);
    std::string mine;
    for (const auto d : {trust::Direction::incoming, trust::Direction::outgoing, trust::Direction::both}) {
        std::vector<unsigned char> bytes;
        for (const auto b : trust::trust_passwords_blob("Secret123!", d, 0x01DB123456789ABCull, confounder))
            bytes.push_back(static_cast<unsigned char>(b));
        mine += hex(bytes) + "\n";
    }
    CHECK(mine == out);
}
