// `trust verify`: the trusted-domain object from Get-ADObject output (JSON and the list
// form, written here as PowerShell prints them) and a GPO's realm policies, against
// the vendor's plan.
#include "kerberos/realm.hpp"
#include "support/trust_plans.hpp"
#include "trust/verify.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;

namespace {

using test::bytes_of;
using test::vendor_plan;

// What `Get-ADObject -Filter {trustPartner -eq "ZSCALERBETA.NET"} -Properties *` prints
// after the vendor's procedure (the attributes its guide lists; others left out).
const std::string k_list = "\r\n"
                           "CanonicalName                 : corp.example.com/System/ZSCALERBETA.NET\r\n"
                           "CN                            : ZSCALERBETA.NET\r\n"
                           "DistinguishedName             : CN=ZSCALERBETA.NET,CN=System,DC=corp,DC=example,DC=com\r\n"
                           "flatName                      : ZSCALERBETA.NET\r\n"
                           "msDS-SupportedEncryptionTypes : 24\r\n"
                           "Name                          : ZSCALERBETA.NET\r\n"
                           "ObjectClass                   : trustedDomain\r\n"
                           "trustAttributes               : 1\r\n"
                           "trustDirection                : 1\r\n"
                           "trustPartner                  : ZSCALERBETA.NET\r\n"
                           "trustType                     : 3\r\n"
                           "\r\n";

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    text.replace(text.find(from), from.size(), to);
    return text;
}

} // namespace

TEST_CASE("Get-ADObject's list form of the vendor's trust is as planned")
{
    const auto objects = trust::read_get_adobject(bytes_of(k_list), "tdo.txt");
    REQUIRE(objects.size() == 1);
    CHECK(trust::check_trusted_domain(vendor_plan(), objects).empty());
}

TEST_CASE("direction 2 where 1 is planned: said in plain words, at its line")
{
    const auto objects =
        trust::read_get_adobject(bytes_of(replaced(k_list, "trustDirection                : 1", "trustDirection                : 2")),
                                 "tdo.txt");
    const auto findings = trust::check_trusted_domain(vendor_plan(), objects);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].subject == "trustDirection");
    CHECK(findings[0].found == "2");
    CHECK_THAT(findings[0].reason, Catch::Contains("AD users cannot get tickets for the realm's services") &&
                                       Catch::Contains("realm users could reach AD"));
    REQUIRE(findings[0].where);
    CHECK(findings[0].where->text() == "tdo.txt:10:1");
}

TEST_CASE("ConvertTo-Json output, UTF-16 with a BOM as Windows PowerShell writes it; wrong enctypes and type")
{
    const std::string json = R"({
    "flatName":  "ZSCALERBETA.NET",
    "msDS-SupportedEncryptionTypes":  28,
    "Name":  "ZSCALERBETA.NET",
    "ObjectClass":  "trustedDomain",
    "trustAttributes":  1,
    "trustDirection":  1,
    "trustPartner":  "ZSCALERBETA.NET",
    "trustType":  2
})";
    std::string utf16 = "\xff\xfe";
    for (const char c : json) {
        utf16 += c;
        utf16 += '\0';
    }
    const auto findings = trust::check_trusted_domain(vendor_plan(), trust::read_get_adobject(bytes_of(utf16), "tdo.json"));
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].subject == "trustType");
    CHECK_THAT(findings[0].reason, Catch::Contains("AD (uplevel) trust"));
    CHECK(findings[1].subject == "msDS-SupportedEncryptionTypes");
    CHECK_THAT(findings[1].reason, Catch::Contains("RC4 allowed"));
}

TEST_CASE("no object for the realm, and output that is not Get-ADObject's, are said so")
{
    const auto other = trust::read_get_adobject(bytes_of(replaced(k_list, "trustPartner                  : ZSCALERBETA.NET",
                                                               "trustPartner                  : OTHER.NET")),
                                                "tdo.txt");
    const auto findings = trust::check_trusted_domain(vendor_plan(), other);
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].reason, Catch::Contains("has not been created"));
    CHECK_THROWS_WITH(trust::read_get_adobject(bytes_of("hello\nworld\n"), "x.txt"), Catch::Contains("x.txt"));
    CHECK_THROWS_WITH(trust::read_get_adobject(bytes_of("{\"a\": "), "x.json"), Catch::Contains("x.json:0x"));
}

TEST_CASE("the GPO side: both policies with the plan's values, or what is missing")
{
    const auto& catalogue = policy::Catalogue::builtin();
    pol::PolFile file;
    CHECK(trust::check_gpo(vendor_plan(), kerberos::read_settings(file, catalogue)).size() == 4);
    REQUIRE(kerberos::add_realm(file, catalogue, {"ZSCALERBETA.NET", {"kerberos.zscalerbeta.net"}, {".zscalerbeta.net"}, {}}));
    const auto findings = trust::check_gpo(vendor_plan(), kerberos::read_settings(file, catalogue));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].subject == "domain_realm\\ZSCALERBETA.NET");
    REQUIRE(kerberos::add_realm(file, catalogue, {"ZSCALERBETA.NET", {"kerberos.zscalerbeta.net"},
                                                  {".gateway.zscalerbeta.net", ".zscalerbeta.net"}, {}}));
    CHECK(trust::check_gpo(vendor_plan(), kerberos::read_settings(file, catalogue)).empty());
}
