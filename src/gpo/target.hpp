// A TARGET, what every command that reads or edits policy takes: a GPO from anywhere —
// a GPMC backup, a SYSVOL GPO folder, a `live fetch` snapshot, a live GPO on a domain
// controller — or a bare registry.pol file. open_target() is the one way in, so every
// command reads every kind of source the same way; the live kind is registered by
// live/ through an Opener (gpo/ knows nothing of LDAP or SMB).
//
// A target knows how the user named it (its label), how to name its files in messages
// (a live GPO's files are named by their SYSVOL paths on the DC, never by the private
// folder they were read into), and which sides it holds. Edits of a target are planned
// and committed by gpo/edit.hpp.
#pragma once

#include "gpo/gpo.hpp"
#include "gpo/load.hpp"
#include "pol/pol_file.hpp"
#include "settings/inf_file.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::gpo {

enum class SourceKind { backup, sysvol, snapshot, live, registry_pol };
const char* source_kind_name(SourceKind kind); // "backup", "sysvol", "snapshot", "live", "registry.pol"

// What --gpo and --backup-id select in a folder holding several GPOs.
struct Selector {
    std::string gpo;       // display name (any case), GPO GUID (with or without braces) or backup ID
    std::string backup_id; // exact backup ID
    bool empty() const { return gpo.empty() && backup_id.empty(); }
};

struct OpenOptions {
    Selector selector;
    // A bare registry.pol: the side it holds. Without it, its folder says (User/ is the
    // user side, anything else the machine side).
    std::optional<pol::Side> side;
    // A bare registry.pol with bytes after its last record is read (they are kept).
    bool lenient = false;
    // The target will be edited: refuse what only `live push` may change.
    bool for_edit = false;
};

class Target {
public:
    // A GPO read by a reader of its kind; `root` is the folder an edit swaps when it is
    // not the GPO's own (a snapshot's, holding gpokit-snapshot.json).
    Target(SourceKind kind, std::string label, Gpo gpo, std::filesystem::path root = {});
    // A bare registry.pol holding one side (the file need not exist yet).
    Target(std::string label, std::filesystem::path file, pol::Side side, bool lenient);

    SourceKind kind() const { return m_kind; }
    // How the user named it.
    const std::string& label() const { return m_label; }
    bool is_gpo() const { return m_gpo.has_value(); }
    const Gpo& gpo() const { return *m_gpo; }
    // The sides it holds: both for a GPO; one for a registry.pol.
    bool holds(pol::Side side) const { return !m_only || *m_only == side; }
    std::optional<pol::Side> only() const { return m_only; }
    // A bare registry.pol's path.
    const std::filesystem::path& file() const { return m_file; }
    // The folder an edit of a GPO replaces as a whole: the GPO folder, or a snapshot's.
    const std::filesystem::path& root() const { return m_root; }
    // The AD domain of a GPO ("" for a bare file).
    std::string domain() const { return m_gpo ? m_gpo->domain : std::string(); }
    // The name to show for one of its files.
    std::string name_of(const std::filesystem::path& path) const;

    // The side's registry.pol as it is now; an empty one, named where it would go, if
    // there is none. Throws util::Error (malformed file).
    pol::PolFile registry(pol::Side side) const;

    // The GPO's security template (Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf, any
    // case), where it is or would go, and the template itself if it has one. Throws
    // util::Error (malformed template).
    std::filesystem::path security_template_path() const;
    std::optional<settings::InfFile> security_template() const;

    // The GPO a bare registry.pol belongs to, when it sits in a GPO's Machine/ or User/
    // folder (what `live push` checks a copy against).
    std::optional<Gpo> enclosing_gpo() const;

private:
    SourceKind m_kind;
    std::string m_label;
    std::optional<Gpo> m_gpo;
    std::optional<pol::Side> m_only;
    std::filesystem::path m_file;
    std::filesystem::path m_root;
    bool m_lenient = false;
};

// Opens an address gpo/ does not read itself (live://...). Throws util::Error.
using Opener = std::function<Target(const std::string& address, const OpenOptions& options)>;

// The openers of this run, by address prefix.
class Openers {
public:
    void add(std::string prefix, Opener opener);
    // The opener for `address`, or null when it is a local path.
    const Opener* find(std::string_view address) const;

private:
    std::vector<std::pair<std::string, Opener>> m_openers;
};

// Opens what `spec` names: a backup folder, a backup root (with the selector; several
// backups of one GPO: the newest), a SYSVOL GPO folder, a snapshot or the GPO folder
// inside one, a registry.pol file, or an address an opener takes. Throws util::Error
// (nothing there, no GPO, none or several matching, a live target to edit).
Target open_target(const std::string& spec, const OpenOptions& options, const Openers& openers);

// What a path names for commands that take many GPOs (lint): the one GPO a folder,
// address or selector names, or every backup under a backup root with the root's
// manifests and the backups it could not read.
struct TargetSet {
    std::vector<Target> targets;
    std::vector<ManifestEntry> manifest;
    std::vector<util::Error> problems;
};
TargetSet open_targets(const std::string& spec, const OpenOptions& options, const Openers& openers);

// The side a registry.pol holds by its folder: User/ (any case) is the user side,
// anything else the machine side.
pol::Side folder_side(const std::filesystem::path& file);

// Where a GPO's security template is or would go: Microsoft/Windows NT/SecEdit/GptTmpl.inf
// under its machine folder, in the case found on disk.
std::filesystem::path security_template_path(const Gpo& gpo);

// True for a GPO selected by --gpo/--backup-id: display name case-insensitively, GUID
// with or without braces, backup ID.
bool matches(const Gpo& gpo, const Selector& selector);

} // namespace gpokit::gpo
