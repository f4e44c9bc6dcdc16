// Administrative templates (ADMX with their ADML string tables) as a plain model:
// what registry values a policy writes when it is enabled or disabled, and its
// elements (boolean, decimal, longDecimal, text, multiText, enum, list). One loader
// reads gpokit's own catalogue (policy_templates/, built into the binary) and any
// PolicyDefinitions folder an administrator points at (--admx DIR).
#pragma once

#include "util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::policy {

// A value an ADMX writes: <decimal value=""/>, <longDecimal value=""/>, <string>..</string>, <delete/>.
struct RegValue {
    enum class Kind { decimal, long_decimal, string, del };
    Kind kind = Kind::decimal;
    std::uint64_t number = 0;
    std::string text;
};

struct ListItem { // an item of enabledList, disabledList, trueList, falseList, an enum's valueList
    std::string key; // empty: the policy's (or element's) key
    std::string value_name;
    RegValue value;
};

struct EnumItem {
    std::string display_name;
    RegValue value;
    std::vector<ListItem> value_list;
};

struct Element {
    enum class Kind { boolean, decimal, long_decimal, text, multi_text, enum_, list };
    Kind kind = Kind::text;
    std::string id;
    std::string key; // empty: the policy's key
    std::string value_name;
    // boolean
    std::optional<RegValue> true_value, false_value;
    std::vector<ListItem> true_list, false_list;
    // decimal / longDecimal
    bool store_as_text = false;
    // text / list
    bool expandable = false;
    // enum
    std::vector<EnumItem> items;
    // decimal / longDecimal / text limits, and whether the element must be given
    std::optional<std::uint64_t> min_value, max_value, max_length;
    bool required = false;
    // list
    std::string value_prefix;
    bool explicit_value = false;
    bool additive = false;
};

enum class PolicyClass { machine, user, both };

struct Policy {
    std::string ns;     // target namespace, e.g. Microsoft.Policies.Kerberos
    std::string prefix; // its prefix in the ADMX file, e.g. kerberos
    std::string name;
    std::string display_name; // resolved from the ADML (the id when there is none)
    std::string explain;
    std::string category;     // the category's display name
    PolicyClass cls = PolicyClass::machine;
    std::string key;
    std::string value_name;
    std::string client_extension; // clientExtension: a CSE besides Registry that must process the GPO
    std::optional<RegValue> enabled_value, disabled_value;
    std::vector<ListItem> enabled_list, disabled_list;
    std::vector<Element> elements;
    std::string source; // the ADMX file it came from
    std::vector<std::string> also_defined_in; // other ADMX files defining the same policy

    std::string full_name() const { return prefix + ":" + name; }
    bool applies_to_machine() const { return cls != PolicyClass::user; }
    bool applies_to_user() const { return cls != PolicyClass::machine; }
    const Element* element(std::string_view id) const;
};

class Catalogue {
public:
    // gpokit's built-in catalogue (policy_templates/, compiled in).
    static Catalogue builtin();

    // Adds every *.admx of `dir` with its `language`/*.adml (en-US by default; the id
    // stands in for a missing string). A file that cannot be read is skipped and kept in
    // problems() (file:line:column). Throws util::Error when `dir` is not a folder.
    void load_dir(const std::filesystem::path& dir, const std::string& language = "en-US");

    // Adds one ADMX text with its ADML text (either may come from memory).
    void load(const std::string& admx_origin, const std::string& admx, const std::string& adml_origin,
              const std::string& adml);

    // "prefix:Name", "Namespace:Name" or a unique "Name". Throws util::Error listing
    // the candidates when ambiguous, or when nothing matches.
    const Policy& find(std::string_view name) const;
    const Policy* find_by_display_name(std::string_view display_name) const;

    const std::vector<Policy>& policies() const { return m_policies; }
    std::size_t file_count() const { return m_files; }
    // The ADMX/ADML files load_dir() skipped, and why.
    const std::vector<util::Error>& problems() const { return m_problems; }

private:
    // Adds a policy; one writing the same registry values under the same name as one
    // already there is the same policy (see also_defined_in).
    void add(Policy policy);

    std::vector<Policy> m_policies;
    std::size_t m_files = 0;
    std::vector<util::Error> m_problems;
};

} // namespace gpokit::policy
