// GPMC migration tables (.migtable): how Import-GPO maps the security principals and
// UNC paths a GPO names onto the target domain. A bundle carries one listing every
// principal and UNC path found in its GPOs, each mapped to itself (same as source)
// until an administrator edits it: Backup.xml's SecurityGroups, the security
// template's [Privilege Rights] and [Group Membership], preference items' principals
// and UNC paths, and script paths.
// The file is UTF-16LE with a BOM, in GPMC's namespace
// http://www.microsoft.com/GroupPolicy/GPOOperations/MigrationTable; each Mapping has a
// Type (User, Computer, LocalGroup, GlobalGroup, UniversalGroup, UNCPath, Unknown), a
// Source and a Destination.
#pragma once

#include "gpo/target.hpp"
#include "util/bytes.hpp"

#include <string>
#include <vector>

namespace gpokit::stage {

inline constexpr std::string_view k_migtable_file = "migration.migtable";

struct Mapping {
    std::string type;   // GPMC's entry type name
    std::string source; // as the GPO names it: NAME@DOMAIN, DOMAIN\NAME, a SID, \\server\share
    std::string destination;
};

// The principals and UNC paths `gpo` names that need mapping across domains (well-known
// and built-in SIDs are the same everywhere and are left out), sorted, each once.
std::vector<Mapping> gpo_mappings(const gpo::Target& gpo);

// The table's bytes (UTF-16LE with BOM, CRLF).
util::Bytes migtable_bytes(const std::vector<Mapping>& mappings);

// Reads a table. Throws util::ParseError naming the position: not XML, another root or
// namespace, a Mapping without Type or Source, an unknown Type, no destination.
std::vector<Mapping> parse_migtable(util::ByteView bytes, const std::string& origin);

// A destination that still needs an administrator's edit (empty, a placeholder word
// such as "CHANGE ME", "TODO", "TBD", or text in angle brackets such as "<domain>");
// empty when the mapping is fine.
std::string placeholder_problem(const Mapping& mapping);

} // namespace gpokit::stage
