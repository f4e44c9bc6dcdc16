// Checking a realm trust against its plan: the trusted-domain object as a domain
// controller holds it (read over LDAP, or brought out of an air-gapped domain as
// `Get-ADObject -Filter {trustPartner -eq "REALM"} -Properties *` output, as JSON from
// ConvertTo-Json or as the list PowerShell prints), and the GPO side (both Kerberos
// policies holding the plan's values). Each difference carries a plain-language reason.
#pragma once

#include "kerberos/realm.hpp"
#include "trust/plan.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::trust {

// A trusted-domain object as read: attribute names folded to lower case, each with its
// values as text, and where it was read (a file line when the source has lines).
struct ObservedObject {
    std::map<std::string, std::vector<std::string>> attributes;
    std::map<std::string, util::Position> where;
    util::Position source;
    const std::string* first(const std::string& lower_name) const;
};

// The objects in Get-ADObject output (JSON or list form; UTF-8 or UTF-16 with a BOM).
// Throws util::ParseError naming the file and position.
std::vector<ObservedObject> read_get_adobject(const util::Bytes& bytes, const std::string& origin);

struct Finding {
    std::string subject;  // "trustDirection", "MitRealms", ...
    std::string expected; // as the plan gives it
    std::string found;    // as read ("(absent)" when missing)
    std::string reason;   // what it means for users
    std::optional<util::Position> where;
};

// The object whose trustPartner is the plan's realm among `objects` (none: one finding).
std::vector<Finding> check_trusted_domain(const Plan& plan, const std::vector<ObservedObject>& objects);

// Both realm policies of a GPO against the plan's realm, KDCs and mappings.
std::vector<Finding> check_gpo(const Plan& plan, const kerberos::RealmSettings& settings);

} // namespace gpokit::trust
