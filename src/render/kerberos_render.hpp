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

// The [libdefaults], [realms] and [domain_realm] sections an MIT Kerberos client needs
// to act as the GPO makes Windows clients act: each realm of MitRealms with its KDCs,
// each domain_realm entry as ".suffix = REALM" or "host = REALM". Only enabled policies
// count. Every name is checked as `kerberos add-realm` checks it first (a value from a
// file cannot add lines to krb5.conf): throws util::Error naming the first bad one.
void krb5_conf(const kerberos::RealmSettings& settings, const std::string& default_realm, const std::string& source,
               std::ostream& out);

} // namespace gpokit::render
