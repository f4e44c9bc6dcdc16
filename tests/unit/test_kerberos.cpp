// The Kerberos realm policies: the records written (checked byte for byte against
// records assembled by hand from kerberos-realm.md), replacement, removal,
// idempotence, validation and warnings.
#include "kerberos/realm.hpp"
#include "policy/engine.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;
using test::PolBytes;

namespace {

const std::string k_key = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos";

const policy::Catalogue& catalogue()
{
    static const policy::Catalogue c = policy::Catalogue::builtin();
    return c;
}

kerberos::AddRealm vendor()
{
    return {"ZSCALERBETA.NET", {"kerberos.zscalerbeta.net"}, {".zscalerbeta.net", ".gateway.zscalerbeta.net"}, {}};
}

} // namespace

TEST_CASE("the vendor's realm becomes exactly the four records the reference specifies")
{
    pol::PolFile f;
    CHECK(kerberos::add_realm(f, catalogue(), vendor()));
    PolBytes expected;
    expected.dword(k_key, "MitRealms_Enabled", 1)
        .dword(k_key, "domain_realm_Enabled", 1)
        .sz(k_key + "\\domain_realm", "ZSCALERBETA.NET", ".zscalerbeta.net; .gateway.zscalerbeta.net")
        .sz(k_key + "\\MitRealms", "ZSCALERBETA.NET", "<k>kerberos.zscalerbeta.net</k>");
    CHECK(f.serialize() == expected.bytes());
    // The MitRealms data: "<k>kerberos.zscalerbeta.net</k>" + NUL, UTF-16LE: 32 units, 64 bytes.
    CHECK(f.records[3].data.size() == 64);
    CHECK(f.records[3].type == 1);
}

TEST_CASE("running add-realm twice changes nothing the second time")
{
    pol::PolFile f;
    kerberos::add_realm(f, catalogue(), vendor());
    const auto once = f.serialize();
    CHECK_FALSE(kerberos::add_realm(f, catalogue(), vendor()));
    CHECK(f.serialize() == once);
}

TEST_CASE("new values replace the realm's values and leave other realms alone")
{
    pol::PolFile f;
    kerberos::add_realm(f, catalogue(), {"TEST.COM", {"kdc1.test.com", "kdc2.test.com"}, {".test.com"}, 0x4});
    kerberos::add_realm(f, catalogue(), vendor());
    auto changed = vendor();
    changed.kdcs = {"kdc-a.zscalerbeta.net", "kdc-b.zscalerbeta.net"};
    changed.flags = 0x2 | 0x4 | 0x8;
    CHECK(kerberos::add_realm(f, catalogue(), changed));
    const auto s = kerberos::read_settings(f, catalogue());
    REQUIRE(s.realms.size() == 2);
    CHECK(s.realms[0].name == "TEST.COM");
    CHECK(*s.realms[0].mit_value == "<f>0x00000004</f><k>kdc1.test.com; kdc2.test.com</k>");
    CHECK(*s.realms[1].mit_value == "<f>0x0000000E</f><k>kdc-a.zscalerbeta.net; kdc-b.zscalerbeta.net</k>");
    CHECK(*s.realms[1].map_value == ".zscalerbeta.net; .gateway.zscalerbeta.net");
}

TEST_CASE("remove-realm takes a realm out of both lists; the last one out leaves the policies not configured")
{
    PolBytes other;
    other.dword("Software\\Policies\\Other", "Keep", 7);
    auto f = pol::PolFile::parse(other.bytes(), "t.pol");
    kerberos::add_realm(f, catalogue(), {"TEST.COM", {"kdc1.test.com"}, {".test.com"}, {}});
    kerberos::add_realm(f, catalogue(), vendor());
    CHECK(kerberos::remove_realm(f, catalogue(), "TEST.COM"));
    auto s = kerberos::read_settings(f, catalogue());
    REQUIRE(s.realms.size() == 1);
    CHECK(s.realms[0].name == "ZSCALERBETA.NET");
    CHECK(kerberos::remove_realm(f, catalogue(), "ZSCALERBETA.NET"));
    CHECK(f.serialize() == other.bytes());
    CHECK_FALSE(kerberos::remove_realm(f, catalogue(), "ZSCALERBETA.NET"));
}

TEST_CASE("bad input is refused before anything is written")
{
    pol::PolFile f;
    auto refuse = [&](kerberos::AddRealm r, const char* what) {
        CHECK_THROWS_WITH(kerberos::add_realm(f, catalogue(), r), Catch::Contains(what));
        CHECK(f.records.empty());
    };
    refuse({"zscalerbeta.net", {}, {}, {}}, "upper case");
    refuse({"ZSCALER_BETA.NET", {}, {}, {}}, "not a valid realm name");
    refuse({"", {}, {}, {}}, "empty");
    refuse({"A.NET", {"kdc.a.net:88"}, {}, {}}, "port");
    refuse({"A.NET", {"[::1]:88"}, {}, {}}, "port");
    refuse({"A.NET", {"[2001:db8::1]"}, {}, {}}, "without brackets");
    refuse({"A.NET", {"b\xc3\xbc" "cher.de"}, {}, {}}, "xn--");
    refuse({"A.NET", {"kdc..a.net"}, {}, {}}, "empty label");
    refuse({"A.NET", {"kdc a.net"}, {}, {}}, "not allowed");
    refuse({"A.NET", {}, {""}, {}}, "empty entry");
    refuse({"A.NET", {}, {"."}, {}}, "empty entry");
    refuse({"A.NET", {}, {".a.net."}, {}}, "ends with a dot");
    CHECK_NOTHROW(kerberos::validate_kdc("192.0.2.10"));
    CHECK_NOTHROW(kerberos::validate_kdc("2001:db8::10"));
    CHECK_THROWS_WITH(kerberos::parse_flag_names("tcpsupported,fast"), Catch::Contains("unknown realm flag \"fast\""));
    CHECK(kerberos::parse_flag_names("sendaddress,tcpsupported,delegate,ncsupported,rc4") == 0x8f);
}

TEST_CASE("warnings a reviewer should see")
{
    kerberos::RealmSettings s;
    s.realms.push_back({"A.NET", std::string("<k>kdc.a.net</k>"), std::string(".shared.net; a.net")});
    s.realms.push_back({"B.NET", std::string("<f>0x2</f><x>y</x>"), std::string(".Shared.net")});
    s.realms.push_back({"C.NET", std::string(""), std::nullopt});
    s.realms.push_back({"CORP.EXAMPLE.COM", std::nullopt, std::string(".corp.example.com")});
    const auto w = kerberos::warnings(s, "corp.example.com");
    auto has = [&](const char* text) {
        return std::any_of(w.begin(), w.end(), [&](const std::string& x) { return x.find(text) != std::string::npos; });
    };
    CHECK(has("\".shared.net\" is mapped to 2 realms"));
    CHECK(has("unknown tag <x>"));
    CHECK(has("C.NET has neither KDCs nor flags"));
    CHECK(has("C.NET has interoperable realm settings but no host name mapping"));
    CHECK(has("CORP.EXAMPLE.COM has host name mappings but no interoperable realm settings"));
    CHECK(has("GPO's own Active Directory domain"));
    CHECK(has("upper-case letters"));
    CHECK(has("maps that one host only; write .a.net"));
}

TEST_CASE("the realm value grammar both ways")
{
    CHECK(kerberos::format_mit_value(0x4u, {"kdc1.test.com", "kdc2.test.com"}) ==
          "<f>0x00000004</f><k>kdc1.test.com; kdc2.test.com</k>");
    CHECK(kerberos::format_mit_value(std::nullopt, {}).empty());
    const auto v = kerberos::parse_mit_value("<f>0x0000000E</f><k>a.example; b.example;</k>");
    CHECK(v.flags == 0xeu);
    CHECK(v.kdcs == std::vector<std::string>{"a.example", "b.example"});
    CHECK(kerberos::flag_names(0xe) == "TcpSupported, Delegate, NcSupported");
    CHECK(kerberos::parse_mit_value("garbage").malformed);
    CHECK(kerberos::parse_map_value(".a.net;host.a.net; ") == std::vector<std::string>{".a.net", "host.a.net"});
}

TEST_CASE("realms already in the list are kept when the policy's enable value is missing")
{
    PolBytes b;
    b.sz(k_key + "\\MitRealms", "OTHER.COM", "<k>kdc.other.com</k>");
    auto f = pol::PolFile::parse(b.bytes(), "t.pol");
    CHECK(kerberos::add_realm(f, catalogue(), {"NEW.COM", {"kdc.new.com"}, {}, {}}));
    const auto s = kerberos::read_settings(f, catalogue());
    REQUIRE(s.realms.size() == 2);
    CHECK(s.realms[1].name == "OTHER.COM");
    CHECK(s.mit_enabled);
}

TEST_CASE("removing a realm that is not there changes nothing, even in disabled policies")
{
    pol::PolFile f;
    policy::write(f, catalogue().find(kerberos::k_mit_realms_policy), policy::State::disabled, {});
    const auto before = f.serialize();
    CHECK_FALSE(kerberos::remove_realm(f, catalogue(), "NOPE.COM"));
    CHECK(f.serialize() == before);
    CHECK(kerberos::read_settings(f, catalogue()).mit_state == policy::State::disabled);
}

TEST_CASE("a realm spelled in lower case in the file is replaced by its upper-case name")
{
    PolBytes b;
    b.dword(k_key, "MitRealms_Enabled", 1).sz(k_key + "\\MitRealms", "lower.com", "<k>kdc.lower.com</k>");
    auto f = pol::PolFile::parse(b.bytes(), "t.pol");
    CHECK(kerberos::add_realm(f, catalogue(), {"LOWER.COM", {"kdc.lower.com"}, {}, {}}));
    const auto s = kerberos::read_settings(f, catalogue());
    REQUIRE(s.realms.size() == 1);
    CHECK(s.realms[0].name == "LOWER.COM");
}

TEST_CASE("existing values are checked as new ones are")
{
    kerberos::RealmSettings s;
    s.mit_enabled = s.map_enabled = true;
    s.mit_state = s.map_state = policy::State::enabled;
    s.realms.push_back({"lower.com", std::string("<k>kdc.x.com.; kdc2.x.com:88; KDC3.x.com</k>"),
                        std::string(".x.com.; bad host")});
    const auto w = kerberos::warnings(s, "");
    auto has = [&](const char* text) {
        return std::any_of(w.begin(), w.end(), [&](const std::string& x) { return x.find(text) != std::string::npos; });
    };
    CHECK(has("lower.com: realm name: Kerberos realm names are upper case"));
    CHECK(has("KDC: \"kdc.x.com.\" is not a valid host name or address: it ends with a dot"));
    CHECK(has("has a port"));
    CHECK(has("KDC \"KDC3.x.com\" has upper-case letters"));
    CHECK(has("mapping: \".x.com.\""));
    CHECK(has("mapping: \"bad host\""));
}
