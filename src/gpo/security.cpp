#include "gpo/security.hpp"

#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/sid_names.hpp"

#include <fmt/format.h>

#include <array>

namespace gpokit::gpo {

namespace {

// Bounds-checked reads at offsets of one buffer.
class Reader {
public:
    Reader(util::ByteView bytes, const std::string& origin) : m_bytes(bytes), m_origin(origin) {}

    void need(std::uint64_t offset, std::uint64_t size, std::string_view what) const
    {
        if (offset > m_bytes.size() || size > m_bytes.size() - offset)
            throw util::ParseError(util::Position::at_offset(m_origin, offset),
                                   fmt::format("{} ({} bytes) runs past the end of the security descriptor ({} bytes)",
                                               what, size, m_bytes.size()));
    }
    std::uint8_t u8(std::uint64_t at, std::string_view what) const
    {
        need(at, 1, what);
        return std::to_integer<std::uint8_t>(m_bytes[at]);
    }
    std::uint16_t u16(std::uint64_t at, std::string_view what) const
    {
        need(at, 2, what);
        return util::load_u16le(m_bytes.data() + at);
    }
    std::uint32_t u32(std::uint64_t at, std::string_view what) const
    {
        need(at, 4, what);
        return util::load_u32le(m_bytes.data() + at);
    }
    util::ByteView view(std::uint64_t at, std::uint64_t size, std::string_view what) const
    {
        need(at, size, what);
        return m_bytes.subspan(at, size);
    }
    std::size_t size() const { return m_bytes.size(); }
    const std::string& origin() const { return m_origin; }

private:
    util::ByteView m_bytes;
    const std::string& m_origin;
};

std::string sid_at(const Reader& r, std::uint64_t at)
{
    const std::uint8_t count = r.u8(at + 1, "SID sub-authority count");
    return sid_text(r.view(at, 8 + 4ull * count, "SID"), r.origin(), at);
}

// A GUID's text from its 16 bytes ([MS-DTYP] 2.3.4.2: the first three fields little-endian).
std::string guid_text(util::ByteView b)
{
    return fmt::format("{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}", util::load_u32le(b.data()),
                       util::load_u16le(b.data() + 4), util::load_u16le(b.data() + 6), std::to_integer<int>(b[8]),
                       std::to_integer<int>(b[9]), std::to_integer<int>(b[10]), std::to_integer<int>(b[11]),
                       std::to_integer<int>(b[12]), std::to_integer<int>(b[13]), std::to_integer<int>(b[14]),
                       std::to_integer<int>(b[15]));
}

constexpr std::string_view k_apply_group_policy = "edacfd8f-ffb3-11d1-b41d-00a0c968f939";

} // namespace

std::string sid_text(util::ByteView b, const std::string& origin, std::uint64_t offset)
{
    if (b.size() < 8 || std::to_integer<int>(b[0]) != 1)
        throw util::ParseError(util::Position::at_offset(origin, offset), "not a SID (revision 1)");
    const std::size_t count = std::to_integer<std::size_t>(b[1]);
    if (b.size() < 8 + 4 * count)
        throw util::ParseError(util::Position::at_offset(origin, offset), "SID shorter than its sub-authorities");
    std::uint64_t authority = 0;
    for (int i = 2; i < 8; ++i)
        authority = (authority << 8) | std::to_integer<std::uint64_t>(b[static_cast<std::size_t>(i)]);
    std::string out = fmt::format("S-1-{}", authority);
    for (std::size_t i = 0; i < count; ++i)
        out += fmt::format("-{}", util::load_u32le(b.data() + 8 + 4 * i));
    return out;
}

SecurityDescriptor parse_security_descriptor(util::ByteView bytes, const std::string& origin)
{
    const Reader r(bytes, origin);
    SecurityDescriptor sd;
    if (r.u8(0, "revision") != 1)
        throw util::ParseError(util::Position::at_offset(origin, 0), "not a security descriptor (revision 1)");
    sd.control = r.u16(2, "control");
    if ((sd.control & 0x8000u) == 0)
        throw util::ParseError(util::Position::at_offset(origin, 2), "not a self-relative security descriptor");
    const std::uint32_t owner = r.u32(4, "owner offset");
    const std::uint32_t group = r.u32(8, "group offset");
    const std::uint32_t dacl = r.u32(16, "DACL offset");
    if (owner != 0)
        sd.owner = sid_at(r, owner);
    if (group != 0)
        sd.group = sid_at(r, group);
    if ((sd.control & 0x0004u) != 0 && dacl != 0) { // SE_DACL_PRESENT
        sd.has_dacl = true;
        const std::uint16_t acl_size = r.u16(dacl + 2, "DACL size");
        const std::uint16_t count = r.u16(dacl + 4, "ACE count");
        r.need(dacl, acl_size, "DACL");
        std::uint64_t at = dacl + 8;
        for (std::uint16_t i = 0; i < count; ++i) {
            Ace ace;
            ace.type = r.u8(at, "ACE type");
            ace.flags = r.u8(at + 1, "ACE flags");
            const std::uint16_t size = r.u16(at + 2, "ACE size");
            if (size < 8 || at + size > dacl + acl_size)
                throw util::ParseError(util::Position::at_offset(origin, at),
                                       fmt::format("ACE {} of {} bytes does not fit its DACL", i + 1, size));
            ace.mask = r.u32(at + 4, "ACE mask");
            std::uint64_t sid_at_offset = at + 8;
            if (ace.type == 5 || ace.type == 6 || ace.type == 7 || ace.type == 8) { // object ACEs
                const std::uint32_t object_flags = r.u32(at + 8, "object ACE flags");
                sid_at_offset = at + 12;
                if (object_flags & 1u) {
                    ace.object_type = guid_text(r.view(sid_at_offset, 16, "object type"));
                    sid_at_offset += 16;
                }
                if (object_flags & 2u) {
                    ace.inherited_object_type = guid_text(r.view(sid_at_offset, 16, "inherited object type"));
                    sid_at_offset += 16;
                }
            }
            if (sid_at_offset >= at + size)
                throw util::ParseError(util::Position::at_offset(origin, at),
                                       fmt::format("ACE {} has no room for its SID", i + 1));
            ace.sid = sid_at(r, sid_at_offset);
            sd.dacl.push_back(std::move(ace));
            at += size;
        }
    }
    return sd;
}

std::string trustee_name(const std::string& sid, const std::map<std::string, std::string>& known)
{
    // A domain's own SIDs by the backup's names for them (its domain's), where it has them.
    const auto it = known.find(sid);
    if (sid.rfind("S-1-5-21-", 0) == 0 && it != known.end())
        return it->second;
    std::string name = util::well_known_sid_name(sid);
    if (name.empty() && it != known.end())
        name = it->second;
    return name;
}

std::string ace_type_name(std::uint8_t type)
{
    switch (type) {
    case 0: return "Allow";
    case 1: return "Deny";
    case 2: return "Audit";
    case 5: return "Allow (object)";
    case 6: return "Deny (object)";
    case 7: return "Audit (object)";
    default: return fmt::format("ACE type {}", type);
    }
}

std::string rights_text(const Ace& ace)
{
    if (!ace.object_type.empty() && util::iequal_ascii(ace.object_type, k_apply_group_policy) &&
        (ace.mask & 0x100u) != 0 && (ace.mask & ~0x100u) == 0)
        return "Apply Group Policy";
    static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 5> k_named{{
        {0x000F01FFu, "Full control"},
        {0x000F00FFu, "Edit settings, delete, modify security"},
        {0x000E00FFu, "Edit settings, modify security"},
        {0x00020094u, "Read"},
        {0x00020084u, "List and read permissions"},
    }};
    for (const auto& [mask, name] : k_named)
        if (ace.mask == mask)
            return std::string(name) + (ace.object_type.empty() ? "" : " on " + object_type_name(ace.object_type));
    static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 17> k_bits{{
        {0x1u, "create child"},       {0x2u, "delete child"},     {0x4u, "list children"},
        {0x8u, "validated write"},    {0x10u, "read property"},   {0x20u, "write property"},
        {0x40u, "delete tree"},       {0x80u, "list object"},     {0x100u, "control access"},
        {0x10000u, "delete"},         {0x20000u, "read permissions"}, {0x40000u, "modify permissions"},
        {0x80000u, "modify owner"},   {0x10000000u, "generic all"}, {0x20000000u, "generic execute"},
        {0x40000000u, "generic write"}, {0x80000000u, "generic read"},
    }};
    std::string out;
    std::uint32_t rest = ace.mask;
    for (const auto& [bit, name] : k_bits)
        if (ace.mask & bit) {
            out += (out.empty() ? "" : ", ") + std::string(name);
            rest &= ~bit;
        }
    if (rest != 0)
        out += (out.empty() ? "" : ", ") + fmt::format("{:#x}", rest);
    if (!ace.object_type.empty())
        out += " on " + object_type_name(ace.object_type);
    return out.empty() ? std::string("no rights") : out;
}

std::string object_type_name(const std::string& guid)
{
    return util::iequal_ascii(guid, k_apply_group_policy) ? std::string("Apply Group Policy") : guid;
}

std::string inheritance_text(std::uint8_t flags)
{
    std::string out = (flags & 0x10u) ? "inherited, " : "";
    if (flags & 0x08u)
        out += "children only";
    else if (flags & 0x03u)
        out += "this object and children";
    else
        out += "this object";
    return out;
}

} // namespace gpokit::gpo
