// Every writer of the Kerberos realm policies follows add-realm's rules; a central
// store's own Kerberos.admx is the same policy as gpokit's; a real central store loads
// (UTF-16 files declaring encoding='unicode'), and a file that cannot be read is
// skipped with a warning, or refused with --strict.
#include "cli/app.hpp"
#include "kerberos/realm.hpp"
#include "support/cli_run.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"
#include "util/file_io.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

const char* k_backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}";

using test::run;

void write_utf16(const fs::path& p, const std::string& ascii)
{
    std::string bytes = "\xff\xfe";
    for (const char c : ascii) {
        bytes += c;
        bytes += '\0';
    }
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// The two policies as Microsoft's Kerberos.admx defines them (its own namespace, the
// same prefix, names and registry values as gpokit's catalogue).
const std::string k_ms_kerberos = R"ADMX(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces><target prefix="kerberos" namespace="Microsoft.Policies.Kerberos" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <policies>
    <policy name="MitRealms" class="Machine" displayName="$(string.MitRealms)" explainText="$(string.MitRealms)" key="Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos" valueName="MitRealms_Enabled">
      <elements><list id="MitRealms" key="Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\MitRealms" explicitValue="true" additive="true" /></elements>
    </policy>
    <policy name="HostToRealm" class="Machine" displayName="$(string.HostToRealm)" explainText="$(string.HostToRealm)" key="Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos" valueName="domain_realm_Enabled">
      <elements><list id="HostToRealm" key="Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\domain_realm" explicitValue="true" additive="true" /></elements>
    </policy>
  </policies>
</policyDefinitions>
)ADMX";

} // namespace

TEST_CASE("policy set on the realm policies follows add-realm's rules and names the entries a list loses")
{
    test::TempDir tmp;
    const fs::path dir = tmp.path() / k_backup_id;
    test::writable_copy(test::fixtures_dir() / "ddp/staged" / k_backup_id, dir);
    const auto pol = dir / "DomainSysvol/GPO/Machine/registry.pol";
    const auto before = util::read_file(pol);
    const auto lower = run({"policy", "set", dir.string(), "--policy", "kerberos:MitRealms", "--enabled", "--list",
                            "zs.net=<k>kdc.zs.net</k>"});
    CHECK(lower.status == 2);
    CHECK_THAT(lower.err, Catch::Contains("upper case") && Catch::Contains("ZS.NET"));
    const auto port = run({"policy", "set", dir.string(), "--policy", "kerberos:MitRealms", "--enabled", "--list",
                           "ZS.NET=<k>kdc.zs.net:88</k>"});
    CHECK(port.status == 2);
    CHECK_THAT(port.err, Catch::Contains("has a port"));
    const auto map = run({"policy", "set", dir.string(), "--policy", "kerberos:HostToRealm", "--enabled", "--list",
                          "ZS.NET=.zs.net; bad host"});
    CHECK(map.status == 2);
    CHECK(util::read_file(pol) == before);

    const auto tag = run({"policy", "set", dir.string(), "--policy", "kerberos:MitRealms", "--enabled", "--list",
                          "ZS.NET=<k>kdc.zs.net</k><x>1</x>", "--dry-run"});
    CHECK(tag.status == 0);
    CHECK_THAT(tag.err, Catch::Contains("<x> is not a tag Windows reads"));
    CHECK_THAT(tag.err, Catch::Contains("the list loses entries it holds now: ZSCALERBETA.NET"));
    CHECK_THAT(tag.out, Catch::Contains("- Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos"
                                        "\\MitRealms ! ZSCALERBETA.NET"));
    CHECK(util::read_file(pol) == before);
}

TEST_CASE("Microsoft's Kerberos.admx beside gpokit's catalogue is one policy each, and kerberos:MitRealms is not ambiguous")
{
    test::TempDir tmp;
    const fs::path store = tmp.path() / "PolicyDefinitions";
    fs::create_directories(store / "en-US");
    std::ofstream(store / "Kerberos.admx", std::ios::binary) << k_ms_kerberos;
    std::ofstream(store / "en-US" / "Kerberos.adml", std::ios::binary)
        << R"(<?xml version="1.0" encoding="utf-8"?><policyDefinitionResources revision="1.0" schemaVersion="1.0"><resources><stringTable><string id="MitRealms">Define interoperable Kerberos V5 realm settings</string><string id="HostToRealm">Define host name-to-Kerberos realm mappings</string></stringTable></resources></policyDefinitionResources>)";
    auto catalogue = policy::Catalogue::builtin();
    catalogue.load_dir(store);
    CHECK(catalogue.problems().empty());
    CHECK(catalogue.policies().size() == 2);
    const auto& mit = catalogue.find("kerberos:MitRealms");
    REQUIRE(mit.also_defined_in.size() == 1);
    CHECK_THAT(mit.also_defined_in.front(), Catch::EndsWith("Kerberos.admx"));
    const auto listed = run({"policy", "list", "--admx", store.string()});
    CHECK(listed.status == 0);
    CHECK(std::count(listed.out.begin(), listed.out.end(), '\n') == 3); // two policies and the count
}

TEST_CASE("a central store: UTF-16 files declaring encoding='unicode' load; an unreadable one is skipped or refused")
{
    test::TempDir tmp;
    const fs::path store = tmp.path() / "PolicyDefinitions";
    write_utf16(store / "Search.admx",
                "<?xml version='1.0' encoding='unicode'?>\r\n<policyDefinitions revision=\"1.0\" schemaVersion=\"1.0\" "
                "xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\"><policyNamespaces>"
                "<target prefix=\"search\" namespace=\"Microsoft.Policies.Search\" /></policyNamespaces><resources "
                "minRequiredRevision=\"1.0\" /><policies><policy name=\"DisableWebSearch\" class=\"Machine\" "
                "displayName=\"$(string.DisableWebSearch)\" explainText=\"$(string.DisableWebSearch)\" "
                "key=\"Software\\Policies\\Microsoft\\Windows\\Windows Search\" valueName=\"DisableWebSearch\" />"
                "</policies></policyDefinitions>\r\n");
    write_utf16(store / "en-US" / "Search.adml",
                "<?xml version='1.0' encoding='unicode'?><policyDefinitionResources revision=\"1.0\" "
                "schemaVersion=\"1.0\"><resources><stringTable><string id=\"DisableWebSearch\">Do not allow web "
                "search</string></stringTable></resources></policyDefinitionResources>");
    auto catalogue = policy::Catalogue::builtin();
    catalogue.load_dir(store);
    CHECK(catalogue.problems().empty());
    CHECK(catalogue.find("search:DisableWebSearch").display_name == "Do not allow web search");

    std::ofstream(store / "Broken.admx", std::ios::binary) << "<policyDefinitions>\n  <policies><policy name=\"x\"";
    const auto warned = run({"policy", "list", "--admx", store.string()});
    CHECK(warned.status == 1);
    CHECK_THAT(warned.err, Catch::Contains("Broken.admx:2:") && Catch::Contains("(skipped)"));
    CHECK_THAT(warned.out, Catch::Contains("search:DisableWebSearch"));
    const auto strict = run({"policy", "list", "--admx", store.string(), "--strict"});
    CHECK(strict.status == 2);
    CHECK_THAT(strict.err, Catch::Contains("Broken.admx:2:"));
}
