// Client-side extension lists ([MS-GPOL] 2.2.4): gPCMachineExtensionNames /
// gPCUserExtensionNames in AD, MachineExtensionGuids / UserExtensionGuids in a GPMC
// backup's Backup.xml. Form: [{CSE}{TOOL}...][{CSE2}{TOOL2}...], brackets sorted by
// CSE GUID (case-insensitively: clients stop at the first out-of-order entry), tool
// GUIDs sorted inside a bracket. GPMC writes a single space for an emptied side.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

inline constexpr std::string_view k_registry_cse = "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}";
inline constexpr std::string_view k_registry_tool_machine = "{D02B1F72-3407-48AE-BA88-E8213C6761F1}";
inline constexpr std::string_view k_registry_tool_user = "{D02B1F73-3407-48AE-BA88-E8213C6761F1}";
inline constexpr std::string_view k_security_cse = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}";
inline constexpr std::string_view k_security_tool = "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}";

struct ExtensionEntry {
    std::string cse;                // "{GUID}" as written
    std::vector<std::string> tools; // "{GUID}" as written
};

struct ExtensionList {
    std::vector<ExtensionEntry> entries;

    bool has(std::string_view cse, std::string_view tool) const;
    bool has_cse(std::string_view cse) const;
};

// Parses an extension list; a blank string is an empty list. Returns nullopt with
// `error` set (and the character position) for malformed text.
std::optional<ExtensionList> parse_extension_list(std::string_view text, std::string* error = nullptr);

// The list's text: "[{CSE}{TOOL}...]..." (empty string for an empty list).
std::string to_string(const ExtensionList& list);

// True if brackets are sorted by CSE and tools within each bracket, case-insensitively.
bool is_sorted(const ExtensionList& list);

// Adds `tool` under `cse`, merging into an existing bracket for that CSE; brackets stay
// or become sorted by CSE, tools inside the changed bracket sorted. Other brackets keep
// their text. Returns false if the pair was already there.
bool merge(ExtensionList& list, std::string_view cse, std::string_view tool);

// A readable name for well-known client-side extension and tool GUIDs ("Registry",
// "Security", "EFS Recovery", ...), or an empty string.
std::string extension_name(std::string_view guid);

// "{GUID} (Name)", or the GUID alone when it has no known name.
std::string named_guid(std::string_view guid);

// One (extension, tool) pair a list names, as text: "{CSE} (Registry) with tool {TOOL}
// (Administrative Templates (machine tool))".
std::string pair_text(std::string_view cse, std::string_view tool);

// The (extension, tool) pairs one list names and the other does not: `added` in
// `after` only, `removed` in `before` only, each as pair_text(). Malformed lists give
// nothing (their text is compared as a whole).
struct PairChanges {
    std::vector<std::string> added, removed;
};
PairChanges pair_changes(std::string_view before, std::string_view after);

// Case-insensitive GUID comparison.
bool guid_equal(std::string_view a, std::string_view b);

} // namespace gpokit::gpo
