// A GPO on a domain controller: its groupPolicyContainer over LDAP and its SYSVOL
// folder over SMB, found from the DC itself (rootDSE, gPCFileSysPath). `fetch` copies
// it into a snapshot folder (gpo/snapshot.hpp) that every offline command reads.
#pragma once

#include "gpo/snapshot.hpp"
#include "live/connect.hpp"
#include "live/directory.hpp"
#include "live/share.hpp"
#include "live/url.hpp"

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
    // Reads the GPO's container again.
    gpo::DirectoryObject read_object(const LiveGpo& gpo);
    // Opens a new LDAP connection (after a long wait, the DC may have closed the old one).
    void reconnect();

private:
    std::string m_host;
    ConnectOptions m_options;
    Credentials m_credentials;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<Share> m_share;
};

// Copies the GPO into a new snapshot folder `out` (which must not exist, or be an
// empty folder). The snapshot appears whole or not at all. Throws util::Error.
gpo::Snapshot fetch(Connection& connection, const LiveGpo& gpo, const std::filesystem::path& out);

// A new private folder under $TMPDIR, removed when the program ends.
std::filesystem::path private_folder(const std::string& prefix);

// Messages about files of a temporary snapshot name the live GPO instead:
// name_temporary() records a snapshot folder, readable() rewrites a message.
void name_temporary(const std::filesystem::path& snapshot, const LiveGpo& gpo);
std::string readable(std::string message);

// Fetches the GPO an address names into a private temporary folder (removed when the
// program ends) and returns the snapshot folder, for commands that read a live target.
std::filesystem::path fetch_temporary(const std::string& address, const std::string& fallback,
                                      const ConnectOptions& options);

} // namespace gpokit::live
