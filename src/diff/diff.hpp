// What changes between two targets (registry.pol files, GPO backups, SYSVOL folders,
// snapshots, live GPOs, in any mix), as typed changes with a scope:
//   registry   the effective registry state a client ends up with, grouped by policy
//              where the catalogue knows one, and on request (--records) the
//              record-level differences the effective view hides;
//   metadata   the GPO's identity, versions, extension lists, options, a stale
//              gpreport.xml;
//   file       the GPO's other files, by content;
//   security, preferences   settings read from files by readers that register for
//              them (the security template, Group Policy Preferences).
// diff asks its settings readers which files they understand; every file no reader
// claims is compared as a file, so nothing in a GPO goes unseen. Renderers walk the
// result (render/diff_render.hpp).
#pragma once

#include "gpo/edit.hpp"
#include "gpo/gpo_settings.hpp"
#include "gpo/target.hpp"
#include "pol/pol_file.hpp"
#include "policy/admx.hpp"
#include "policy/engine.hpp"
#include "policy/owners.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::diff {

enum class Scope { registry, security, preferences, metadata, file };
const char* scope_name(Scope scope);

enum class Change { added, removed, modified };
const char* change_name(Change c);

struct TypedData {
    std::uint32_t type = 0;
    util::Bytes data;
    bool deletion = false; // the file tells clients to delete the value (**del.) or clear the key (**delvals.)
};

struct PolicyRef {
    std::string name;         // prefix:Name
    std::string display_name;
    policy::State before = policy::State::not_configured;
    policy::State after = policy::State::not_configured;
    const policy::Policy* definition = nullptr; // in the catalogue the diff was computed with
};

struct RegistryChange {
    pol::Side side = pol::Side::machine;
    std::string key;
    std::string value;
    Change change = Change::modified;
    std::optional<TypedData> before, after;
    std::optional<PolicyRef> policy;
};

// A setting read by a settings reader other than the registry's (security template,
// preferences): an area ("Kerberos Policy"), a name, and its value as shown.
struct SettingChange {
    Scope scope = Scope::security;
    gpo::SettingsFile file = gpo::SettingsFile::security_template; // the file it is read from
    pol::Side side = pol::Side::machine;
    std::string area;
    std::string name;
    Change change = Change::modified;
    std::optional<std::string> before, after;
};

struct MetadataChange {
    std::string field; // "machine version", "machine extensions", "display name", ...
    std::string before, after;
};

struct FileChange {
    std::string path; // relative to the GPO folder
    Change change = Change::modified;
};

struct RecordChange {
    pol::Side side = pol::Side::machine;
    Change change = Change::added; // added (numbered in B) or removed (numbered in A)
    std::size_t index = 0;         // 1-based
    std::string key;
    std::string value;
    TypedData data;
};

// A line of a settings file written as text (the security template) that differs, with
// --records: what the setting-by-setting view hides (comments, spacing, order, a key
// written twice).
struct LineChange {
    std::string path; // the file, relative to the GPO's SYSVOL folder as Windows names it
    pol::Side side = pol::Side::machine;
    std::string section;           // the [section] the line is in ("" before the first)
    Change change = Change::added; // added (numbered in B) or removed (numbered in A)
    std::size_t line = 0;          // 1-based
    std::string text;              // the line as written, without its line end
};

struct Options {
    bool machine = true;
    bool user = true;
    bool records = false; // also RecordChange and LineChange lists
    bool ignore_metadata = false;
};

struct Diff {
    std::string a, b;
    std::vector<RegistryChange> registry;
    std::vector<SettingChange> settings;
    std::vector<MetadataChange> metadata;
    std::vector<FileChange> files;
    std::vector<RecordChange> records;
    std::vector<LineChange> lines;
    bool empty() const
    {
        return registry.empty() && settings.empty() && metadata.empty() && files.empty() && records.empty() &&
               lines.empty();
    }
};

// What a comparison needs besides the two targets.
struct Context {
    const policy::Catalogue& catalogue;
    const policy::OwnerIndex& owners;
    const Options& options;
};

// A reader of one kind of settings inside a GPO.
class SettingsReader {
public:
    virtual ~SettingsReader() = default;
    // True for a file (its path under the GPO folder, lower case, '/'-separated, e.g.
    // "machine/registry.pol") that this reader compares as settings.
    virtual bool claims(std::string_view relative) const = 0;
    // Adds what changes from a to b.
    virtual void compare(const gpo::Target& a, const gpo::Target& b, const Context& ctx, Diff& out) const = 0;
};

// The readers diff asks, in the order their changes are reported: registry.pol, the
// security template (GptTmpl.inf, setting by setting), the advanced audit policy
// (audit.csv), Group Policy Preferences (item by item), then the GPO's metadata
// (Backup.xml, bkupInfo.xml, gpreport.xml, GPT.INI, the snapshot's metadata).
std::vector<std::unique_ptr<SettingsReader>> standard_readers();

// Compares two targets. Throws util::Error (unreadable files; two bare registry.pol
// files of different sides).
Diff compute(const gpo::Target& a, const gpo::Target& b, const policy::Catalogue& catalogue, const Options& options);
// The same with the owner index made once, for many comparisons.
Diff compute(const gpo::Target& a, const gpo::Target& b, const Context& ctx);

// The registry changes a planned edit makes, with its record-level changes (by record
// identity, in time linear in the file's size): what --dry-run shows.
Diff of_edit(const gpo::Target& target, const gpo::EditPlan& plan, const policy::Catalogue& catalogue);

// Policy Analyzer's view: one row per setting set by any of N targets, with each
// target's value — a registry value (scope registry), or a setting of the security
// template, the audit policy or preferences (gpo/gpo_settings.hpp) by area and name; a
// conflict is two targets giving different values, an absence a target not setting it
// at all (a bare registry.pol sets no template, audit or preference setting).
struct CompareRow {
    Scope scope = Scope::registry;
    pol::Side side = pol::Side::machine;
    std::string key;    // registry rows
    std::string value;
    std::string area;   // other rows: "Kerberos Policy"
    std::string name;   // "Maximum lifetime for user ticket"
    std::string policy; // display name of the policy writing it, if known
    std::vector<std::optional<TypedData>> cells;  // registry rows: one per target
    std::vector<std::optional<std::string>> texts; // other rows: one per target, the value as shown
    bool conflict = false;
    bool absent = false;
};

struct Comparison {
    std::vector<std::string> labels;
    std::vector<CompareRow> rows; // registry rows (machine, then user), then the other settings
    std::size_t conflicts() const;
};

// Throws util::Error, util::ParseError (a file that does not parse).
Comparison compare(const std::vector<gpo::Target>& targets, const policy::Catalogue& catalogue);

} // namespace gpokit::diff
