// Pushing settings to a live GPO the way the Group Policy editor does:
//   1. each changed side's Registry.pol, and the security template
//      (Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf) when it changed, over SMB;
//   2. GPT.INI Version, over SMB;
//   3. versionNumber (the same value) and the side's gPC*ExtensionNames (the Registry
//      extension, or the Security extension for a template, merged in, brackets and
//      tools sorted), in one LDAP modify.
// Nothing else in a GPO is pushed: other differences (preferences, scripts, audit.csv)
// are named as not carried, and the preview shows only what is.
// The bookkeeping (versions, extension lists, notes) is gpo/bookkeeping.hpp's, the same
// as for offline edits: a pushed side's version is one more than the higher of
// GPT.INI's and the directory's for that side.
//
// A push is a session in three steps, so that the command line can show and ask in
// between: prepare() reads the live GPO into a private folder, diffs it against the
// source and plans the writes (refusing a stale or foreign source); the caller renders
// the plan; execute() takes the GPO's lock and reads the container, GPT.INI and the
// files it writes again: if any moved since the plan was made (the diff the
// administrator approved), nothing is written. The LDAP modify removes the old
// versionNumber value and adds the new one, so a change that slips in between makes it
// fail rather than overwrite.
#pragma once

#include "diff/diff.hpp"
#include "gpo/bookkeeping.hpp"
#include "gpo/target.hpp"
#include "live/live_gpo.hpp"
#include "pol/pol_file.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace gpokit::live {

// One file a push writes.
struct FileWrite {
    pol::Side side = pol::Side::machine;
    std::vector<std::string> new_folders; // folders to create first, outermost first
    std::string path;                     // the file in the share ('/'-separated)
    std::optional<util::Bytes> before;    // the live file when the plan was made
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
    std::vector<FileWrite> writes;
    // The side's extension list before and after, for the sides whose list changes.
    std::optional<std::string> machine_extensions_before, machine_extensions_after;
    std::optional<std::string> user_extensions_before, user_extensions_after;
    std::vector<gpo::Note> notes; // what the bookkeeping does, for people
};

// One side to push: its new registry.pol, its new security template (the machine
// side's), or both.
struct SideSource {
    pol::Side side;
    std::optional<util::Bytes> registry;
    // Client-side extensions besides Registry that must process the side (an ADMX
    // policy's clientExtension).
    std::vector<std::string> extensions = {};
    std::optional<util::Bytes> security_template = {};
};

// Plans writing `sides` over the live GPO whose snapshot `live` was read from `gpo`.
// Throws util::Error (a version at its limit, a malformed extension list, GPT.INI,
// registry.pol or template).
PushPlan plan_push(const LiveGpo& gpo, const gpo::Gpo& live, const std::vector<SideSource>& sides);

// Thrown when the live GPO moved since the plan was made; nothing was written.
class ConcurrentChange : public util::ConflictError {
public:
    using util::ConflictError::ConflictError;
};

struct PushOptions {
    std::string gpo;               // the GPO's GUID or display name, when the address names none
    std::optional<pol::Side> side; // push this side only
    bool force = false;           // write and bump even where the settings already match
    bool other_gpo = false;       // the source may be a copy of another GPO
    bool break_lock = false;      // remove a crashed push's lock first
    std::optional<std::int64_t> expect_version;
};

class PushSession {
public:
    PushSession(Connection& connection, const LiveUrl& url, util::TempFolders& temps);

    // Reads the live GPO and plans the push of `source`. Problems that do not stop it
    // (a live Registry.pol --force replaces, differences the push does not carry) go to
    // `warnings`. Throws util::Error: a
    // source of another GPO, a stale snapshot, --expect-version, an unreadable live GPO.
    void prepare(const gpo::Target& source, const PushOptions& options, const policy::Catalogue& catalogue,
                 std::ostream& warnings);

    // After prepare(): the live GPO already has the source's settings.
    bool nothing_to_push() const { return m_sides.empty(); }
    // What is incomplete in the live GPO's bookkeeping when there is nothing to push (a
    // push that stopped half way leaves exactly this); empty when all is in order.
    std::vector<std::string> incomplete_bookkeeping() const;
    // The differences from the live GPO to the source that the push carries: registry
    // settings and security template settings.
    const diff::Diff& diff() const { return m_diff; }
    const PushPlan& plan() const { return *m_plan; }
    // The live GPO's versionNumber as prepare() read it.
    std::optional<std::uint32_t> live_version() const { return m_gpo.object.version_number(); }
    const std::string& target() const { return m_url.text; }

    // Carries out the plan, printing each step to `progress` and problems that do not
    // stop it to `warnings`. SIGINT, SIGTERM and SIGHUP wait until it is done (the push
    // is short and bounded by the timeouts; stopping half way would leave the lock and
    // the versions behind). Reconnects to LDAP first when `reconnect` (the question may
    // have outlasted the DC's idle timeout). Throws ConcurrentChange (nothing written)
    // or util::Error saying what was and was not written.
    void execute(std::ostream& progress, std::ostream& warnings, bool reconnect);

private:
    void refuse_stale(const gpo::Target& source, const std::optional<gpo::Gpo>& origin) const;
    void carried_only(bool source_has_template, std::ostream& warnings);

    Connection& m_connection;
    LiveUrl m_url;
    util::TempFolders& m_temps;
    LiveGpo m_gpo;
    std::optional<gpo::Target> m_live;
    diff::Options m_sides_compared;
    diff::Diff m_diff;
    std::vector<SideSource> m_sides;
    bool m_settings_differ = false; // a registry.pol's settings or the template's bytes
    // The extensions the source's settings need, side by side (what a push that
    // stopped half way may not have listed yet).
    std::vector<std::pair<pol::Side, gpo::ExtensionPairs>> m_needed_extensions;
    std::optional<PushPlan> m_plan;
};

// Removes the lock file a crashed push left in the GPO's folder.
void break_lock(Connection& connection, const LiveGpo& gpo, std::ostream& progress);

} // namespace gpokit::live
