// Who may read, apply and edit a GPO: its security descriptor ([MS-DTYP] 2.4.6, the
// self-relative form), as Backup.xml keeps it (<SecurityDescriptor>, hex) and as the
// directory holds it (nTSecurityDescriptor), and the security groups a backup names.
// The reader is bounds-checked like every binary reader in gpokit: every offset and
// size is checked against the bytes there before use, and an error names the offset.
// diff compares the access entries, not the bytes: two descriptors that grant the same
// rights to the same trustees are the same, whatever their order.
#pragma once

#include "util/bytes.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

struct Ace {
    std::uint8_t type = 0;  // 0 allow, 1 deny, 5 allow object, 6 deny object, ...
    std::uint8_t flags = 0; // inheritance: 0x01 object, 0x02 container, 0x04 no propagate, 0x08 inherit only, 0x10 inherited
    std::uint32_t mask = 0;
    std::string sid;                   // S-1-5-11
    std::string object_type;           // object ACEs: a right or property GUID, lower case, or empty
    std::string inherited_object_type; // object ACEs: the object class it is inherited by, or empty
};

struct SecurityDescriptor {
    std::uint16_t control = 0;
    std::string owner; // a SID, or empty
    std::string group;
    bool has_dacl = false;
    std::vector<Ace> dacl;
};

// Parses a self-relative security descriptor. Throws util::ParseError naming `origin`
// and the offset.
SecurityDescriptor parse_security_descriptor(util::ByteView bytes, const std::string& origin);

// A SID's text form from its binary form. Throws util::ParseError.
std::string sid_text(util::ByteView bytes, const std::string& origin, std::uint64_t offset);

// A group Backup.xml names in <SecurityGroups>.
struct SecurityGroup {
    std::string sid;
    std::string name;   // SamAccountName
    std::string domain; // NetBIOSDomainName
};

// "Authenticated Users", "CORP\Domain Admins": a trustee's name from the well-known
// SIDs and `known` (a backup's security groups, SID -> name); empty when unknown.
std::string trustee_name(const std::string& sid, const std::map<std::string, std::string>& known);

// "Allow", "Deny", "Allow (object)", ...
std::string ace_type_name(std::uint8_t type);
// The rights of a mask on a GPO, as the Group Policy editor names them where it can
// ("Read", "Apply Group Policy", "Edit settings, delete, modify security", "Full
// control"), the individual rights otherwise.
std::string rights_text(const Ace& ace);
// An object ACE's right or class by name where known ("Apply Group Policy"), else the GUID.
std::string object_type_name(const std::string& guid);
// "this object", "this object and children", "inherited", ...
std::string inheritance_text(std::uint8_t flags);

} // namespace gpokit::gpo
