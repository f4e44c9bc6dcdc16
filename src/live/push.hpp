// Pushing registry settings to a live GPO the way the Group Policy editor does:
//   1. each changed side's Registry.pol, over SMB;
//   2. GPT.INI Version, over SMB;
//   3. versionNumber (the same value) and the side's gPC*ExtensionNames (the Registry
//      extension merged in, brackets and tools sorted), in one LDAP modify.
// The version a side gets is one more than the higher of GPT.INI's and the
// directory's for that side. Before anything is written, the container, GPT.INI and
// the Registry.pol files are read again: if any moved since the plan was made (the
// diff the administrator approved), nothing is written. The LDAP modify removes the
// old versionNumber value and adds the new one, so a change that slips in between
// makes it fail rather than overwrite.
#pragma once

#include "gpo/gpo.hpp"
#include "live/live_gpo.hpp"
#include "pol/pol_file.hpp"
#include "util/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gpokit::live {

struct SideWrite {
    pol::Side side = pol::Side::machine;
    std::string folder;          // the side's folder in the share ('/'-separated)
    bool folder_exists = true;
    std::string path;            // the Registry.pol in the share
    std::optional<util::Bytes> before; // the live file when the plan was made
    util::Bytes after;
};

struct PushPlan {
    LiveGpo gpo;
    std::optional<std::uint32_t> directory_version; // versionNumber when the plan was made
    std::string gpt_path;
    util::Bytes gpt_before;
    util::Bytes gpt_after;
    std::uint32_t gpt_version_before = 0;
    std::uint32_t version_after = 0;
    std::vector<SideWrite> writes;
    // New extension lists, for the sides whose list changes.
    std::optional<std::string> machine_extensions_before, machine_extensions_after;
    std::optional<std::string> user_extensions_before, user_extensions_after;
    std::vector<std::string> notes; // what the bookkeeping does, for people
};

// One side to push: its new registry.pol.
struct SideSource {
    pol::Side side;
    util::Bytes bytes;
    // Client-side extensions besides Registry that must process the side (an ADMX
    // policy's clientExtension).
    std::vector<std::string> extensions = {};
};
// Plans writing `sides` over the live GPO whose snapshot `live` was read from `gpo`.
// Throws util::Error (a version at its limit, a malformed extension list or GPT.INI).
PushPlan plan_push(const LiveGpo& gpo, const gpo::Gpo& live, const std::vector<SideSource>& sides);

// Thrown when the live GPO moved since the plan was made; nothing was written.
class ConcurrentChange : public util::Error {
public:
    using util::Error::Error;
};

// Carries out a plan, printing each step to `progress` and problems that do not stop
// it to `warnings`. SIGINT, SIGTERM and SIGHUP wait until it is done (the push is
// short and bounded by the timeouts; stopping half way would leave the lock and the
// versions behind). Throws ConcurrentChange (nothing written) or util::Error saying
// what was and was not written.
void execute_push(Connection& connection, const PushPlan& plan, std::ostream& progress, std::ostream& warnings);

// Removes the lock file a crashed push left in the GPO's folder.
void break_lock(Connection& connection, const LiveGpo& gpo, std::ostream& progress);

} // namespace gpokit::live
