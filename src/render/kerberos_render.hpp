// `kerberos show`: what clients receive from the two realm policies, with warnings.
#pragma once

#include "kerberos/realm.hpp"
#include "render/format.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace gpokit::render {

void kerberos_show(const kerberos::RealmSettings& settings, const std::vector<std::string>& warnings,
                   const policy::Catalogue& catalogue, Format format, std::ostream& out);

} // namespace gpokit::render
