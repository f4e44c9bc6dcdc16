// Rules for registry key paths inside registry.pol. A key never starts with a hive
// (HKLM\, HKEY_LOCAL_MACHINE\, HKLM:\ ...): the folder (Machine/ or User/) decides the
// hive, and a prefixed key breaks client processing. Empty components (a leading,
// trailing or doubled backslash) never match a real key either.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gpokit::pol {

// The hive prefix a key starts with ("HKLM\", "HKEY_CURRENT_USER:\" ...), if any.
std::optional<std::u16string> hive_prefix(std::u16string_view key);

// What is wrong with `key` as a registry.pol key, or nullopt. `code` is "hive-prefix"
// or "key-path" (empty key, empty component, leading or trailing backslash).
struct KeyProblem {
    std::string code;
    std::string message;
};
std::optional<KeyProblem> key_problem(std::u16string_view key);

// True if `key` is `ancestor` or lies below it (case-insensitive).
bool is_same_or_below(std::u16string_view key, std::u16string_view ancestor);

} // namespace gpokit::pol
