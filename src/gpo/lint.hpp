// `gpo lint`: what makes a GPO or a backup set silently not do what it says, each
// finding with the file and the position in it.
//   registry-pol        a registry.pol that does not parse, or pol check findings in it
//   extension-missing   registry settings on a side whose extension list lacks the
//                       Registry CSE (clients ignore them; the tool GUID beside it only
//                       names the editor, and other editors than Administrative
//                       Templates write registry.pol too)
//   extension-unused    the Registry extension listed for a side without registry.pol
//   extension-list      a malformed or unsorted extension list
//   version-zero        a side with settings at version 0
//   identity            Backup.xml, bkupInfo.xml and manifest.xml disagree (GUID, name, ID)
//   manifest-stale      a manifest entry without its backup folder
//   location            a bkp:Location outside the backup, or naming a missing file
//   gpreport-stale      gpreport.xml reports other versions than Backup.xml holds
//   gpreport-registry   gpreport.xml lists a registry setting that registry.pol does not set
#pragma once

#include "gpo/load.hpp"

#include <string>
#include <vector>

namespace gpokit::gpo {

struct LintFinding {
    std::string where; // "file:line:column", "file:0xOFFSET" or "file"
    std::string code;
    std::string message;
};

std::vector<LintFinding> lint(const Gpo& gpo);

// Lints a folder: one GPO, or every backup under a root plus its manifests.
std::vector<LintFinding> lint_path(const std::filesystem::path& path, const Selector& selector);

} // namespace gpokit::gpo
