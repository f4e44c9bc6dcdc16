// Client-side extension lists: parsing, sorting and merging the Registry CSE.
#include "gpo/extension_list.hpp"

#include <catch2/catch.hpp>

using namespace gpokit;

namespace {
constexpr const char* k_reg = "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}";
constexpr const char* k_tool_m = "{D02B1F72-3407-48AE-BA88-E8213C6761F1}";
constexpr const char* k_efs_tool = "{53D6AB1B-2488-11D1-A28C-00C04FB94F17}";
constexpr const char* k_sec = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}";
constexpr const char* k_sec_tool = "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}";

std::string merged(const std::string& text, const char* cse, const char* tool)
{
    auto list = gpo::parse_extension_list(text);
    REQUIRE(list.has_value());
    gpo::merge(*list, cse, tool);
    return gpo::to_string(*list);
}
} // namespace

TEST_CASE("blank lists are empty and merging into them adds one bracket")
{
    for (const char* blank : {"", " ", "\r\n"}) {
        const auto list = gpo::parse_extension_list(blank);
        REQUIRE(list.has_value());
        CHECK(list->entries.empty());
    }
    CHECK(merged(" ", k_reg, k_tool_m) == std::string("[") + k_reg + k_tool_m + "]");
}

TEST_CASE("the tool GUID is merged into the existing Registry bracket in sorted order")
{
    // The Default Domain Policy's list: Registry with the EFS tool, Security, EFS recovery.
    const std::string efs = std::string("[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}") + k_efs_tool + "]";
    const std::string ddp = std::string("[") + k_reg + k_efs_tool + "][" + k_sec + k_sec_tool + "]" + efs;
    CHECK(merged(ddp, k_reg, k_tool_m) ==
          std::string("[") + k_reg + k_efs_tool + k_tool_m + "][" + k_sec + k_sec_tool + "]" + efs);
    // An unsorted list comes out sorted: clients stop at the first entry out of order.
    const std::string unsorted = std::string("[") + k_reg + k_efs_tool + "]" + efs + "[" + k_sec + k_sec_tool + "]";
    CHECK(merged(unsorted, k_reg, k_tool_m) ==
          std::string("[") + k_reg + k_efs_tool + k_tool_m + "][" + k_sec + k_sec_tool + "]" + efs);
}

TEST_CASE("a new bracket goes at its sorted place and others keep their text")
{
    const std::string sec = std::string("[") + k_sec + k_sec_tool + "]";
    CHECK(merged(sec, k_reg, k_tool_m) == std::string("[") + k_reg + k_tool_m + "]" + sec);
    auto list = gpo::parse_extension_list(merged(sec, k_reg, k_tool_m));
    REQUIRE(list.has_value());
    CHECK(gpo::is_sorted(*list));
    CHECK_FALSE(gpo::merge(*list, k_reg, "{d02b1f72-3407-48ae-ba88-e8213c6761f1}")); // already there, any case
}

TEST_CASE("unsorted and malformed lists are recognised")
{
    const auto unsorted = gpo::parse_extension_list(std::string("[") + k_sec + "][" + k_reg + "]");
    REQUIRE(unsorted.has_value());
    CHECK_FALSE(gpo::is_sorted(*unsorted));
    std::string error;
    CHECK_FALSE(gpo::parse_extension_list("[{35378EAC-683F}]", &error).has_value());
    CHECK_THAT(error, Catch::Contains("character 2"));
    CHECK_FALSE(gpo::parse_extension_list(std::string("[") + k_reg, &error).has_value());
    CHECK_FALSE(gpo::parse_extension_list("[]", &error).has_value());
    CHECK(gpo::extension_name(k_reg) == "Registry");
}
