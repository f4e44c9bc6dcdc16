// `gpo lint`: what makes a GPO or a backup set silently not do what it says, each
// finding with the file and the position in it.
//   registry-pol        a registry.pol that does not parse, or pol check findings in it
//   extension-missing   registry settings on a side whose extension list lacks the
//                       Registry CSE (clients ignore them; the tool GUID beside it only
//                       names the editor, and other editors than Administrative
//                       Templates write registry.pol too)
//   extension-unused    the Registry extension listed for a side without registry.pol
//   extension-list      a malformed or unsorted extension list
//   fsobject-missing    a backup's registry.pol without its Backup.xml FSObjectFile entry
//   fsobject-duplicate  two FSObjectFile entries for one file (the same bkp:Path or bkp:Location)
//   link-outside        a symbolic link inside the GPO that leads out of it
//   side-disabled       registry settings on a side the GPO's options disable
//   version-zero        a side with settings at version 0
//   gpt-ini             GPT.INI with a second Version line (Windows reads the first)
//   identity            Backup.xml, bkupInfo.xml and manifest.xml disagree (GUID, name, ID)
//   manifest-stale      a manifest entry without its backup folder
//   location            a bkp:Location outside the backup, or naming a missing file
//   gpreport            a gpreport.xml that cannot be read
//   gpreport-stale      gpreport.xml reports other versions than Backup.xml holds
//   gpreport-registry   gpreport.xml lists a registry setting that registry.pol does not set
//   unreadable          a backup of the set that cannot be read at all
//   leftover            a temporary file or folder a killed gpokit left (`gpo clean` removes it)
//   settings            a security template, audit.csv or preferences file that does not parse
//   cpassword           a Group Policy Preferences password (cpassword: MS14-025, the key
//                       that decrypts it is public)
//   kerberos            (from kerberos/) the realm policies' warnings
// Other modules add checks of a side's registry settings through SideCheck.
#pragma once

#include "gpo/target.hpp"
#include "pol/pol_file.hpp"
#include "util/error.hpp"

#include <functional>
#include <string>
#include <vector>

namespace gpokit::gpo {

enum class LintCode {
    registry_pol,
    extension_missing,
    extension_unused,
    extension_list,
    fsobject_missing,
    fsobject_duplicate,
    link_outside,
    side_disabled,
    version_zero,
    gpt_ini,
    identity,
    manifest_stale,
    location,
    gpreport,
    gpreport_stale,
    gpreport_registry,
    unreadable,
    leftover,
    settings,
    cpassword,
    kerberos,
};
const char* lint_code_name(LintCode code); // "registry-pol", ...

struct LintFinding {
    util::Position where; // the file, and the position in it where there is one
    LintCode code = LintCode::registry_pol;
    std::string message;
};

// A check of one side's registry settings (the file has parsed).
using SideCheck = std::function<void(const Target& target, pol::Side side, const pol::PolFile& file,
                                     std::vector<LintFinding>& out)>;

// Lints one GPO target (a bare registry.pol gets the registry checks only).
std::vector<LintFinding> lint(const Target& target, const std::vector<SideCheck>& checks = {});

// Lints what a path named: each target, the backups that could not be read, and a
// backup root's manifests against its backups.
std::vector<LintFinding> lint(const TargetSet& set, const std::vector<SideCheck>& checks = {});

} // namespace gpokit::gpo
