// The policy engine on a test ADMX written here with every element kind: the records
// policy set writes are compared with records assembled by hand, and read back.
#include "policy/engine.hpp"
#include "support/pol_bytes.hpp"
#include "util/error.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;
using test::PolBytes;

namespace {

const std::string k_admx = R"admx(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="t" namespace="Test.Policies" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="Cat" displayName="$(string.Cat)" /></categories>
  <policies>
    <policy name="Simple" class="Machine" displayName="$(string.Simple)" key="Software\Policies\T" valueName="On">
      <parentCategory ref="Cat" />
      <enabledValue><decimal value="5" /></enabledValue>
      <disabledValue><decimal value="0" /></disabledValue>
    </policy>
    <policy name="Lists" class="Machine" displayName="Lists" key="Software\Policies\T">
      <enabledList><item valueName="A"><value><string>yes</string></value></item><item key="Software\Policies\T\Sub" valueName="B"><value><decimal value="1" /></value></item></enabledList>
      <disabledList><item valueName="A"><value><delete /></value></item></disabledList>
    </policy>
    <policy name="Elements" class="Both" displayName="Elements" key="Software\Policies\E" valueName="Enabled">
      <elements>
        <boolean id="Bool" valueName="Flag"><trueValue><decimal value="1" /></trueValue><falseValue><decimal value="0" /></falseValue></boolean>
        <decimal id="Num" valueName="Count" />
        <decimal id="NumText" valueName="CountText" storeAsText="true" />
        <longDecimal id="Big" valueName="Big" />
        <text id="Path" valueName="Path" expandable="true" />
        <multiText id="Lines" valueName="Lines" />
        <enum id="Level" valueName="Level">
          <item displayName="$(string.Low)"><value><decimal value="1" /></value></item>
          <item displayName="$(string.High)"><value><string>high</string></value></item>
        </enum>
      </elements>
    </policy>
    <policy name="ExplicitList" class="Machine" displayName="ExplicitList" key="Software\Policies\L" valueName="ListOn">
      <elements><list id="Map" key="Software\Policies\L\Map" explicitValue="true" additive="true" /></elements>
    </policy>
    <policy name="PrefixList" class="User" displayName="PrefixList" key="Software\Policies\P">
      <elements><list id="Items" key="Software\Policies\P\Items" valuePrefix="Item" /></elements>
    </policy>
  </policies>
</policyDefinitions>)admx";

const std::string k_adml = R"adml(<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources revision="1.0" schemaVersion="1.0"><resources><stringTable>
  <string id="Cat">Test category</string><string id="Simple">A simple policy</string>
  <string id="Low">Low</string><string id="High">High</string>
</stringTable></resources></policyDefinitionResources>)adml";

policy::Catalogue test_catalogue()
{
    policy::Catalogue c;
    c.load("test.admx", k_admx, "test.adml", k_adml);
    return c;
}

util::Bytes multi(std::vector<std::string> items)
{
    util::Bytes out;
    for (const auto& s : items) {
        const auto b = test::sz_data(s);
        out.insert(out.end(), b.begin(), b.end());
    }
    out.push_back(std::byte{0});
    out.push_back(std::byte{0});
    return out;
}

util::Bytes le64(std::uint64_t v)
{
    util::Bytes out;
    util::append_u64le(out, v);
    return out;
}

} // namespace

TEST_CASE("the loader resolves names, classes and categories")
{
    const auto c = test_catalogue();
    CHECK(c.policies().size() == 5);
    const auto& simple = c.find("t:Simple");
    CHECK(simple.display_name == "A simple policy");
    CHECK(simple.category == "Test category");
    CHECK(&c.find("Test.Policies:Simple") == &simple);
    CHECK(c.find("Elements").cls == policy::PolicyClass::both);
    CHECK(c.find("Elements").element("Level")->items[1].display_name == "High");
    CHECK_THROWS_WITH(c.find("Nope"), Catch::Contains("no policy"));
    const auto builtin = policy::Catalogue::builtin();
    CHECK(builtin.find("kerberos:MitRealms").display_name == "Define interoperable Kerberos V5 realm settings");
    CHECK(builtin.find("kerberos:HostToRealm").display_name == "Define host name-to-Kerberos realm mappings");
}

TEST_CASE("enabledValue, disabledValue and not configured")
{
    const auto c = test_catalogue();
    const auto& p = c.find("Simple");
    pol::PolFile f;
    CHECK(policy::write(f, p, policy::State::enabled, {}));
    CHECK(f.serialize() == PolBytes().dword("Software\\Policies\\T", "On", 5).bytes());
    CHECK(policy::read(p, policy::RegistryView(f)).state == policy::State::enabled);
    CHECK(policy::write(f, p, policy::State::disabled, {}));
    CHECK(f.serialize() == PolBytes().dword("Software\\Policies\\T", "On", 0).bytes());
    CHECK(policy::read(p, policy::RegistryView(f)).state == policy::State::disabled);
    CHECK(policy::write(f, p, policy::State::not_configured, {}));
    CHECK(f.records.empty());
}

TEST_CASE("enabledList and disabledList")
{
    const auto c = test_catalogue();
    const auto& p = c.find("Lists");
    pol::PolFile f;
    policy::write(f, p, policy::State::enabled, {});
    CHECK(f.serialize() ==
          PolBytes().sz("Software\\Policies\\T", "A", "yes").dword("Software\\Policies\\T\\Sub", "B", 1).bytes());
    CHECK(policy::read(p, policy::RegistryView(f)).state == policy::State::enabled);
    policy::write(f, p, policy::State::disabled, {});
    CHECK(policy::read(p, policy::RegistryView(f)).state == policy::State::disabled);
    CHECK(f.records[0].value_utf8() == "**del.A");
}

TEST_CASE("every element kind writes what the Group Policy editor writes")
{
    const auto c = test_catalogue();
    const auto& p = c.find("Elements");
    pol::PolFile f;
    const std::map<std::string, policy::ElementValue> values{
        {"Bool", true},
        {"Num", std::uint64_t{42}},
        {"NumText", std::uint64_t{7}},
        {"Big", std::uint64_t{1} << 40},
        {"Path", std::string("%SystemRoot%\\x")},
        {"Lines", std::vector<std::string>{"one", "two"}},
        {"Level", std::string("High")},
    };
    CHECK(policy::write(f, p, policy::State::enabled, values));
    const std::string k = "Software\\Policies\\E";
    PolBytes expected;
    expected.dword(k, "Enabled", 1)
        .dword(k, "Flag", 1)
        .dword(k, "Count", 42)
        .sz(k, "CountText", "7")
        .record(k, "Big", 11, le64(std::uint64_t{1} << 40))
        .sz(k, "Path", "%SystemRoot%\\x", 2)
        .record(k, "Lines", 7, multi({"one", "two"}))
        .sz(k, "Level", "high");
    CHECK(f.serialize() == expected.bytes());

    const auto reading = policy::read(p, policy::RegistryView(f));
    CHECK(reading.state == policy::State::enabled);
    CHECK(std::get<bool>(reading.elements.at("Bool")));
    CHECK(std::get<std::uint64_t>(reading.elements.at("Num")) == 42);
    CHECK(std::get<std::uint64_t>(reading.elements.at("NumText")) == 7);
    CHECK(std::get<std::string>(reading.elements.at("Level")) == "High");
    CHECK(std::get<std::vector<std::string>>(reading.elements.at("Lines")).size() == 2);

    CHECK_FALSE(policy::write(f, p, policy::State::enabled, values)); // no change
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {{"Num", std::string("x")}}),
                      Catch::Contains("takes a number"));
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {{"Nope", true}}), Catch::Contains("no element"));

    // Disabled: the enable value and every element are deleted (**del.), except a
    // checkbox with a falseValue, which the editor writes (Flag = 0).
    policy::write(f, p, policy::State::disabled, {});
    CHECK(policy::read(p, policy::RegistryView(f)).state == policy::State::disabled);
    for (const auto& r : f.records) {
        if (r.value_utf8() == "Flag")
            CHECK(util::load_u32le(r.data.data()) == 0);
        else
            CHECK(r.value_utf8().rfind("**del.", 0) == 0);
    }
}

TEST_CASE("list elements: explicit additive, and valuePrefix with **delvals. first")
{
    const auto c = test_catalogue();
    pol::PolFile f;
    policy::write(f, c.find("ExplicitList"), policy::State::enabled,
                  {{"Map", policy::ListEntries{{"x", "1"}, {"y", "2"}}}});
    CHECK(f.serialize() == PolBytes()
                               .dword("Software\\Policies\\L", "ListOn", 1)
                               .sz("Software\\Policies\\L\\Map", "x", "1")
                               .sz("Software\\Policies\\L\\Map", "y", "2")
                               .bytes());
    // The list is replaced: y goes, z comes.
    policy::write(f, c.find("ExplicitList"), policy::State::enabled,
                  {{"Map", policy::ListEntries{{"x", "1"}, {"z", "3"}}}});
    CHECK(f.serialize() == PolBytes()
                               .dword("Software\\Policies\\L", "ListOn", 1)
                               .sz("Software\\Policies\\L\\Map", "x", "1")
                               .sz("Software\\Policies\\L\\Map", "z", "3")
                               .bytes());

    pol::PolFile g;
    policy::write(g, c.find("PrefixList"), policy::State::enabled,
                  {{"Items", std::vector<std::string>{"a", "b"}}});
    CHECK(g.serialize() == PolBytes()
                               .record("Software\\Policies\\P\\Items", "**delvals.", 1, test::sz_data(" "))
                               .sz("Software\\Policies\\P\\Items", "Item1", "a")
                               .sz("Software\\Policies\\P\\Items", "Item2", "b")
                               .bytes());
    const auto reading = policy::read(c.find("PrefixList"), policy::RegistryView(g));
    CHECK(reading.state == policy::State::enabled);
    CHECK(std::get<std::vector<std::string>>(reading.elements.at("Items")) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("element values from the command line")
{
    const auto c = test_catalogue();
    const auto& p = c.find("Elements");
    CHECK(std::get<bool>(policy::parse_element_value(*p.element("Bool"), "true")));
    CHECK(std::get<std::string>(policy::parse_element_value(*p.element("Level"), "2")) == "High");
    CHECK(std::get<std::string>(policy::parse_element_value(*p.element("Level"), "Low")) == "Low");
    CHECK_THROWS_WITH(policy::parse_element_value(*p.element("Level"), "Medium"), Catch::Contains("1 Low"));
    CHECK_THROWS(policy::parse_element_value(*p.element("Num"), "-3"));
}

TEST_CASE("lists shrink: a non-additive list is rewritten and an additive implicit list drops old entries")
{
    const auto c = test_catalogue();
    pol::PolFile g;
    const auto& prefix = c.find("PrefixList");
    policy::write(g, prefix, policy::State::enabled, {{"Items", std::vector<std::string>{"x", "y"}}});
    policy::write(g, prefix, policy::State::enabled, {{"Items", std::vector<std::string>{"z"}}});
    CHECK(g.serialize() == PolBytes()
                               .record("Software\\Policies\\P\\Items", "**delvals.", 1, test::sz_data(" "))
                               .sz("Software\\Policies\\P\\Items", "Item1", "z")
                               .bytes());
    CHECK_FALSE(policy::write(g, prefix, policy::State::enabled, {{"Items", std::vector<std::string>{"z"}}}));
    // Disabled: the list key is cleared, nothing below it or beside it is touched.
    g.records.push_back(g.make_record(u"Software\\Policies\\P\\Items\\Sub", u"Keep", 4, test::le32(1)));
    policy::write(g, prefix, policy::State::disabled, {});
    CHECK(g.serialize() == PolBytes()
                               .record("Software\\Policies\\P\\Items", "**delvals.", 1, test::sz_data(" "))
                               .dword("Software\\Policies\\P\\Items\\Sub", "Keep", 1)
                               .bytes());
}

TEST_CASE("limits, required elements and clientExtension come from the ADMX")
{
    policy::Catalogue c;
    c.load("limits.admx", R"admx(<policyDefinitions revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="l" namespace="Limits" /></policyNamespaces>
  <policies>
    <policy name="P" class="Machine" displayName="P" key="Software\Policies\L" clientExtension="{D76B9641-3288-4F75-942D-087DE603E3EA}">
      <elements>
        <decimal id="Len" valueName="Len" minValue="8" maxValue="64" required="true" />
        <text id="Name" valueName="Name" maxLength="5" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>)admx", "", "");
    const auto& p = c.find("l:P");
    CHECK(p.client_extension == "{D76B9641-3288-4F75-942D-087DE603E3EA}");
    pol::PolFile f;
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {}), Catch::Contains("enabled through its elements"));
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {{"Name", std::string("abc")}}),
                      Catch::Contains("needs element \"Len\""));
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {{"Len", std::uint64_t{3}}}),
                      Catch::Contains("from 8 to 64"));
    CHECK_THROWS_WITH(policy::write(f, p, policy::State::enabled, {{"Len", std::uint64_t{8}}, {"Name", std::string("toolong")}}),
                      Catch::Contains("at most 5"));
    CHECK(f.records.empty());
    CHECK(policy::write(f, p, policy::State::enabled, {{"Len", std::uint64_t{8}}}));
}
