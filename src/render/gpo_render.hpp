// Renderers for GPOs: the list of backups under a root, and one GPO in full
// (identity, versions, extension lists decoded, registry settings of each side,
// the other files present), as text or JSON.
#pragma once

#include "gpo/load.hpp"

#include <ostream>

namespace gpokit::render {

void gpo_list_text(const gpo::Catalogue& catalogue, std::ostream& out);
void gpo_list_json(const gpo::Catalogue& catalogue, std::ostream& out);

void gpo_show_text(const gpo::Gpo& gpo, std::ostream& out);
void gpo_show_json(const gpo::Gpo& gpo, std::ostream& out);

// "5 (sysvol 5, directory 5)" for a backup's version number; "5" for SYSVOL halves.
std::string version_text(const gpo::Gpo& gpo, std::uint32_t version);

} // namespace gpokit::render
