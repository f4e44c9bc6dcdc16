// Renderers for GPOs: the list of backups under a root, and one GPO in full
// (identity, versions, extension lists decoded, registry settings of each side, the
// security template's, audit policy's and preferences' settings by area, the other
// files present), as text or JSON.
#pragma once

#include "gpo/load.hpp"
#include "gpo/target.hpp"

#include <ostream>

namespace gpokit::render {

void gpo_list_text(const gpo::Catalogue& catalogue, std::ostream& out);
void gpo_list_json(const gpo::Catalogue& catalogue, std::ostream& out);

// One GPO target. Throws util::Error for a registry.pol that does not parse.
void gpo_show_text(const gpo::Target& target, std::ostream& out);
void gpo_show_json(const gpo::Target& target, std::ostream& out);

// "327685 (sysvol 5, directory 5)" for a backup's side; "5" for a SYSVOL folder's.
std::string version_text(const gpo::Gpo& gpo, const gpo::SideVersion& version);

} // namespace gpokit::render
