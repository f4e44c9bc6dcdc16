// The "schema" member of the JSON documents gpokit writes (docs/schema/README.md):
// every document's top-level object opens with "schema": "gpokit-NAME/MAJOR", and
// docs/schema/gpokit-NAME-MAJOR.json describes it. Additive changes keep MAJOR; a
// reader refuses a major version it does not know, and accepts a document without
// the member (written before the member existed).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace gpokit::util {

// The member's name in every document.
inline constexpr std::string_view k_schema_member = "schema";

// Checks the "schema" member of a document read from `origin` (`text` its bytes,
// to name the member's line and column). `found` is the member's value (a string,
// or the JSON text of another value), std::nullopt when absent, which is accepted.
// `accepted` lists the "NAME/MAJOR" tags the reader knows. Throws ParseError when
// the member names another document or another major version.
void check_schema(std::string_view text, const std::string& origin, const std::optional<std::string>& found,
                  std::initializer_list<std::string_view> accepted);

// The "schema" member of a parsed document (nlohmann::json or ordered_json) as
// check_schema() takes it: its string, the JSON text of another value, or
// std::nullopt when `doc` is not an object or has no such member.
template <typename Json>
std::optional<std::string> schema_member(const Json& doc)
{
    if (!doc.is_object())
        return std::nullopt;
    const auto it = doc.find(k_schema_member);
    if (it == doc.end())
        return std::nullopt;
    return it->is_string() ? it->template get<std::string>() : it->dump();
}

// The byte offset of the value of the top-level member `name` of the JSON object in
// `text`, which must be valid JSON; std::nullopt when there is none.
std::optional<std::size_t> top_level_member_offset(std::string_view text, std::string_view name);

} // namespace gpokit::util
