// Group Policy Preferences ([MS-GPPREF] 2.2.1): the XML files under
// {Machine,User}/Preferences/<Kind>/<Kind>.xml — Registry/Registry.xml, Groups/Groups.xml,
// ScheduledTasks/ScheduledTasks.xml, Services/Services.xml, Drives/Drives.xml,
// Files/Files.xml, Shortcuts/Shortcuts.xml, EnvironmentVariables/..., and the rest.
//
// Every kind has the same shape: a root element (<RegistrySettings>, <Groups>, ...)
// holding items, each an element named after its kind (<Registry>, <User>, <Group>,
// <TaskV2>, <NTService>, <Drive>, ...) with its identity in attributes (clsid, name,
// uid, changed, disabled, ...), one <Properties> element whose attributes are the
// setting (action="C|R|U|D" for Create, Replace, Update, Delete) and whose children
// hold lists (<Members>, <Values>, a task's definition), and an optional <Filters>
// element: item-level targeting. Registry.xml groups items in <Collection> elements,
// nested to any depth; they are flattened here, each item keeping the names of the
// collections it sits in (and their targeting; a disabled collection disables its items).
//
// MS14-025: a "cpassword" attribute (Groups, Services, ScheduledTasks, Drives,
// DataSources) holds a password encrypted with an AES key Microsoft published, so
// anyone who can read SYSVOL can read it. Every one that holds a value is listed with
// its position; an empty cpassword="" (the editor writes one when no password is set)
// holds nothing and is not.
//
// The file is read with util::XmlFile (expat checks it first; no DTD is ever read) and
// kept as its bytes: nothing is ever re-serialised, bytes() is what was read.
#pragma once

#include "util/bytes.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpokit::settings {

// The registry value of a Registry.xml item, from its <Properties>.
struct RegistryPreference {
    std::string hive;                // "HKEY_LOCAL_MACHINE"
    std::string key;                 // "Software\Policies\..."
    std::string value_name;          // Properties@name ("" for the key itself or its default value)
    bool is_default = false;         // Properties@default="1": the key's (Default) value
    std::string type;                // "REG_SZ", "REG_DWORD", ... ("" for a key-only item)
    std::string data;                // Properties@value as written: DWORDs in hex ("00023C00"), binary in hex
    std::vector<std::string> values; // REG_MULTI_SZ: the <Values><Value> texts
};

struct PreferenceItem {
    std::string kind;      // the element's name: "Registry", "User", "Group", "TaskV2", "NTService", ...
    std::string name;      // the item's name attribute
    std::string uid;       // the item's uid attribute ("{...}")
    std::string clsid;     // the item's clsid attribute
    std::string action;    // "Create", "Replace", "Update", "Delete"; "" when Properties has no action
    bool disabled = false; // the item's disabled="1": the editor keeps it, clients skip it
    // Every attribute of the item element and of <Properties>, in document order.
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<std::pair<std::string, std::string>> properties;
    // The children of <Properties> (<Members>, <Values>, a task definition) as compact
    // text, or "": `Members [Member name="X" action="ADD" sid=""]`.
    std::string details;
    // Item-level targeting: the children of <Filters> as compact text, or "":
    // `FilterGroup bool="AND" not="0" name="D\G" sid="S-1-..."; FilterOs bool="OR" ...`.
    std::string targeting;
    std::vector<std::string> collection; // names of the enclosing <Collection>s, outermost first
    // The enclosing collections' own targeting, outermost first, or "":
    // `Collection name="Outer" [FilterOs ...]; Collection name="Inner" [...]`.
    std::string collection_targeting;
    std::size_t line = 0;                       // 1-based line of the item's start tag ('<')
    std::size_t column = 0;                     // and its column
    bool has_cpassword = false;                 // a non-empty cpassword attribute anywhere in the item
    std::optional<RegistryPreference> registry; // Registry items only
};

class PreferencesFile {
public:
    // Parses a preferences file. Throws util::ParseError (file:line:column): malformed
    // XML or a DTD, an element at item level that is neither an item (it has no
    // <Properties>) nor a <Collection>, an action that is not C, R, U or D.
    static PreferencesFile parse(util::ByteView bytes, std::string origin);
    // Reads and parses a file. Throws util::Error, util::ParseError.
    static PreferencesFile load(const std::filesystem::path& path, std::string origin);

    const std::string& origin() const { return m_origin; }
    // The root element's name ("RegistrySettings", "Groups", ...) and clsid.
    const std::string& root() const { return m_root; }
    const std::string& root_clsid() const { return m_root_clsid; }
    // The file's bytes: for a file read, exactly those read.
    const util::Bytes& bytes() const { return m_bytes; }
    // The items in document order, collections flattened.
    const std::vector<PreferenceItem>& items() const { return m_items; }
    // Where each non-empty cpassword attribute is (its name's line:column), in document order.
    const std::vector<util::Position>& cpassword_positions() const { return m_cpasswords; }
    // Where an item is, for messages.
    util::Position position(const PreferenceItem& item) const
    {
        return util::Position::at_line(m_origin, item.line, item.column);
    }

private:
    std::string m_origin;
    std::string m_root;
    std::string m_root_clsid;
    util::Bytes m_bytes;
    std::vector<PreferenceItem> m_items;
    std::vector<util::Position> m_cpasswords;
};

// The file's items in document order (as items()).
std::vector<PreferenceItem> preference_items(const PreferencesFile& file);

// Every non-empty cpassword attribute in the file (any case: cpassword, cPassword, ...),
// with its line:column, for a lint check to report each (MS14-025).
std::vector<util::Position> cpasswords(const PreferencesFile& file);

// "Create" for "C", ..., "Delete" for "D" (either case); nullopt for anything else.
std::optional<std::string_view> preference_action_name(std::string_view letter);

// Whether a path relative to a GPO's SYSVOL folder is a preferences file:
// Machine/Preferences/<Kind>/<File>.xml or User/Preferences/..., any case, '/' or '\'.
bool is_preferences_path(std::string_view relative);

} // namespace gpokit::settings
