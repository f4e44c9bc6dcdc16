// Names of the SIDs every Windows machine and domain has ([MS-DTYP] 2.4.2.4), as the
// Group Policy editor shows them: "Administrators", "LOCAL SERVICE", "Domain Admins".
#pragma once

#include <string>
#include <string_view>

namespace gpokit::util {

// The name of a well-known SID, or of a domain-relative one every domain has (RID 512
// Domain Admins, ...); empty when it is not one.
std::string well_known_sid_name(std::string_view sid);

} // namespace gpokit::util
