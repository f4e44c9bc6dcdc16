// What changes between two readable targets (registry.pol files, GPO backups, SYSVOL
// GPO folders, in any mix): the effective registry state a client ends up with,
// grouped by policy where the catalogue knows one; the GPO's metadata (versions,
// extension lists, name, options, a stale gpreport.xml); the GPO's other files; and,
// on request, the record-level differences the effective view hides.
#pragma once

#include "gpo/gpo.hpp"
#include "gpo/load.hpp"
#include "pol/pol_file.hpp"
#include "policy/admx.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gpokit::diff {

// One side of a comparison.
struct Source {
    std::string label;             // as the user named it
    std::optional<gpo::Gpo> gpo;   // for GPO targets
    std::optional<pol::Side> only; // a bare registry.pol holds one side
    pol::PolFile machine;
    pol::PolFile user;
    const pol::PolFile& side(pol::Side s) const { return s == pol::Side::machine ? machine : user; }
};

// Opens a path as a diff source. Throws util::Error.
Source open_source(const std::string& path, const gpo::Selector& selector);

struct TypedData {
    std::uint32_t type = 0;
    util::Bytes data;
    bool deletion = false; // the file tells clients to delete the value (**del.) or clear the key (**delvals.)
};

struct PolicyRef {
    std::string name;         // prefix:Name
    std::string display_name;
    std::string state_before; // "Enabled", "Disabled", "Not configured"
    std::string state_after;
};

enum class Change { added, removed, modified };
const char* change_name(Change c);

struct RegistryChange {
    pol::Side side = pol::Side::machine;
    std::string key;
    std::string value;
    Change change = Change::modified;
    std::optional<TypedData> before, after;
    std::optional<PolicyRef> policy;
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
    char sign = '+';   // '-' or '+'
    std::size_t index = 0; // 1-based, in A for '-', in B for '+'
    std::string key;
    std::string value;
    TypedData data;
};

struct Options {
    bool machine = true;
    bool user = true;
    bool records = false;
    bool ignore_metadata = false;
};

struct Diff {
    std::string a, b;
    std::vector<RegistryChange> registry;
    std::vector<MetadataChange> metadata;
    std::vector<FileChange> files;
    std::vector<RecordChange> records;
    bool empty() const { return registry.empty() && metadata.empty() && files.empty() && records.empty(); }
};

Diff compute(const Source& a, const Source& b, const policy::Catalogue& catalogue, const Options& options);

// Policy Analyzer's view: one row per registry value set by any of N sources, with
// each source's data; a conflict is two sources giving different data, an absence a
// source not setting the value at all.
struct CompareRow {
    pol::Side side = pol::Side::machine;
    std::string key;
    std::string value;
    std::string policy; // display name of the policy writing it, if known
    std::vector<std::optional<TypedData>> cells; // one per source
    bool conflict = false;
    bool absent = false;
};

struct Comparison {
    std::vector<std::string> labels;
    std::vector<CompareRow> rows;
    std::size_t conflicts() const;
};

Comparison compare(const std::vector<Source>& sources, const policy::Catalogue& catalogue);

} // namespace gpokit::diff
