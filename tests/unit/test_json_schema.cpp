#include "gpo/snapshot.hpp"
#include "pol/text_forms.hpp"
#include "support/trust_plans.hpp"
#include "trust/plan.hpp"
#include "util/error.hpp"
#include "util/json_schema.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace gpokit;
using test::bytes_of;

namespace {

const std::string k_snapshot = "{\"format\": \"gpokit-live-snapshot\", \"format_version\": 1, \"source\": \"\", "
                               "\"host\": \"\", \"domain\": \"\", \"guid\": \"\", \"gpo_path\": \".\", "
                               "\"group_policy_container\": {\"dn\": \"\", \"attributes\": {}}}";

std::string with_schema(const std::string& doc, const std::string& tag)
{
    return "{\n  \"schema\": \"" + tag + "\",\n  " + doc.substr(1);
}

} // namespace

TEST_CASE("the schema member: absent or known is accepted, another name or major version refused at its line",
          "[json_schema]")
{
    const std::string text = "{\n  \"a\": {\"schema\": \"x\"},\n  \"schema\": \"gpokit-snapshot/2\"\n}";
    CHECK(util::top_level_member_offset(text, "schema") == text.find("\"gpokit-snapshot/2\""));
    CHECK_FALSE(util::top_level_member_offset("{\"a\": {\"schema\": 1}}", "schema"));
    CHECK_NOTHROW(util::check_schema(text, "f.json", std::nullopt, {"gpokit-snapshot/1"}));
    CHECK_NOTHROW(util::check_schema(text, "f.json", std::string("gpokit-snapshot/1"), {"gpokit-snapshot/1"}));
    CHECK_THROWS_WITH(util::check_schema(text, "f.json", std::string("gpokit-snapshot/2"), {"gpokit-snapshot/1"}),
                      Catch::StartsWith("f.json:3:13: \"schema\" is \"gpokit-snapshot/2\": this gpokit reads "
                                        "gpokit-snapshot/1, not this major version"));
    CHECK_THROWS_WITH(util::check_schema(text, "f.json", std::string("gpokit-trust-plan/1"), {"gpokit-snapshot/1"}),
                      Catch::Contains("not a gpokit-snapshot document"));
}

TEST_CASE("readers of gpokit's files take files without the schema member and refuse another major version",
          "[json_schema]")
{
    CHECK_NOTHROW(gpo::parse_snapshot(bytes_of(k_snapshot), "m.json"));
    CHECK_NOTHROW(gpo::parse_snapshot(bytes_of(with_schema(k_snapshot, "gpokit-snapshot/1")), "m.json"));
    CHECK_THROWS_WITH(gpo::parse_snapshot(bytes_of(with_schema(k_snapshot, "gpokit-snapshot/2")), "m.json"),
                      Catch::StartsWith("m.json:2:13: \"schema\" is \"gpokit-snapshot/2\""));
    CHECK(gpo::parse_snapshot(gpo::snapshot_json(gpo::parse_snapshot(bytes_of(k_snapshot), "m.json")), "m.json")
              .gpo_path == ".");

    const std::string plan = trust::plan_json(test::vendor_plan());
    REQUIRE(plan.rfind("{\n  \"schema\": \"gpokit-trust-plan/1\",\n", 0) == 0);
    const std::string old_plan = "{\n" + plan.substr(plan.find('\n', 2) + 1);
    CHECK(trust::read_plan(bytes_of(old_plan), "plan.json").realm == "ZSCALERBETA.NET");
    std::string newer = plan;
    newer.replace(newer.find("/1\""), 3, "/2\"");
    CHECK_THROWS_WITH(trust::read_plan(bytes_of(newer), "plan.json"), Catch::StartsWith("plan.json:2:13:"));

    const auto pol_json = [](const std::string& tag) {
        return pol::TextInput{bytes_of("{\"schema\": \"" + tag + "\", \"records\": []}"), "in.json"};
    };
    CHECK_NOTHROW(pol::build_from_text(pol_json("gpokit-pol-records/1"), std::nullopt));
    CHECK_NOTHROW(pol::build_from_text(pol_json("gpokit-pol-effective/1"), std::nullopt));
    CHECK_THROWS_WITH(pol::build_from_text(pol_json("gpokit-pol-records/3"), std::nullopt),
                      Catch::StartsWith("in.json:1:12: \"schema\" is \"gpokit-pol-records/3\""));
    CHECK_THROWS_WITH(pol::build_from_text(pol_json("gpokit-diff/1"), std::nullopt),
                      Catch::Contains("not a gpokit-pol-records document"));
}
