// A GPO on a domain controller: its groupPolicyContainer over LDAP and its SYSVOL
// folder over SMB, found from the DC itself (rootDSE, gPCFileSysPath). `fetch` copies
// it into a snapshot folder (gpo/snapshot.hpp) that every offline command reads.
#pragma once

#include "gpo/snapshot.hpp"
#include "gpo/target.hpp"
#include "live/connect.hpp"
#include "live/directory.hpp"
#include "live/share.hpp"
#include "live/url.hpp"
#include "util/temp_folders.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace gpokit::live {

struct LiveGpo {
    std::string guid;
    std::string domain;   // DNS name
    std::string share;    // from gPCFileSysPath (SYSVOL)
    std::string gpo_path; // the GPO folder inside the share, '/'-separated
    gpo::DirectoryObject object;
};

// The LDAP attributes of a groupPolicyContainer that gpokit reads and records.
const std::vector<std::string>& container_attributes();

class Connection {
public:
    // Connects to LDAP at once (clear errors for a DC that does not answer, TLS and
    // credentials); SMB connects on first use. Throws util::Error.
    Connection(const std::string& host, const ConnectOptions& options);

    Directory& directory() { return *m_directory; }
    Share& share(const std::string& name);

    // The GPO `url` names; `fallback` (a GUID or display name, e.g. from --gpo) when the
    // address names none. Throws util::Error when no GPO or several match.
    LiveGpo find(const LiveUrl& url, const std::string& fallback = {});
    // Every GPO of the domain (every groupPolicyContainer), by GUID; a container that is
    // not a readable GPO goes to `problems`.
    std::vector<LiveGpo> list(std::vector<util::Error>& problems);
    // Reads the GPO's container again.
    gpo::DirectoryObject read_object(const LiveGpo& gpo);
    // Opens a new LDAP connection (after a long wait, the DC may have closed the old one).
    void reconnect();

private:
    LiveGpo gpo_of(const Entry& e, const std::string& asked, const std::string& guid);

    std::string m_host;
    ConnectOptions m_options;
    Credentials m_credentials;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<Share> m_share;
};

// Copies the GPO into a new snapshot folder `out` (which must not exist, or be an
// empty folder). The snapshot appears whole or not at all. Throws util::Error.
gpo::Snapshot fetch(Connection& connection, const LiveGpo& gpo, const std::filesystem::path& out);

// How the files of a snapshot of `gpo` in `snapshot` are named: by the GPO's address
// and its SYSVOL paths on the DC.
util::ShownPaths shown_paths(const std::filesystem::path& snapshot, const LiveGpo& gpo);

// Reads a live GPO into a private folder of `temps` and opens it as a live target named
// `label`. Throws util::Error.
gpo::Target read_live(Connection& connection, const LiveGpo& gpo, util::TempFolders& temps, const std::string& label);

// Opens live://HOST[/{GUID} | /?name=NAME] targets for reading (a target to edit is
// refused: a live GPO changes only through `live push`). Connects with `options`;
// `--gpo` names the GPO when the address names none.
gpo::Opener opener(const ConnectOptions& options, util::TempFolders& temps);

} // namespace gpokit::live
