#include "kerberos/realm.hpp"

#include "pol/pol_edit.hpp"
#include "policy/engine.hpp"
#include "pol/reg_value.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <map>

namespace gpokit::kerberos {

namespace {

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

bool is_address(std::string_view s)
{
    const std::string text(s);
    unsigned char buf[16];
    return ::inet_pton(AF_INET, text.c_str(), buf) == 1 || ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// A DNS name: labels of letters, digits and hyphens, 1..63 long, not starting or
// ending with a hyphen, 253 characters at most. Returns the problem, or empty.
std::string dns_problem(std::string_view name)
{
    if (name.empty())
        return "it is empty";
    if (name.size() > 253)
        return "it is longer than 253 characters";
    if (name.back() == '.')
        return "it ends with a dot";
    if (name.front() == '.')
        return "it starts with a dot (a leading dot marks a DNS suffix in a host mapping, not a name)";
    // All-numeric labels make an IPv4 address, which is_address() already refused.
    if (name.find_first_not_of("0123456789.") == std::string_view::npos)
        return "it looks like an IPv4 address but is not one (each part 0 to 255, four parts)";
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('.', start);
        if (end == std::string_view::npos)
            end = name.size();
        const std::string_view label = name.substr(start, end - start);
        if (label.empty())
            return "it has an empty label (..)";
        if (label.size() > 63)
            return "a label is longer than 63 characters";
        if (label.front() == '-' || label.back() == '-')
            return fmt::format("the label \"{}\" starts or ends with a hyphen", label);
        for (const char c : label) {
            if (static_cast<unsigned char>(c) >= 0x80)
                return "it has non-ASCII characters (write an internationalised name in its xn-- form)";
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return fmt::format("'{}' is not allowed in a DNS name", c);
        }
        start = end + 1;
    }
    return {};
}

std::vector<std::string> split_semicolons(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(';', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string item = trim(text.substr(start, end - start));
        if (!item.empty())
            out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? "; " : "") + items[i];
    return out;
}

const policy::Element& list_element(const policy::Policy& p)
{
    for (const auto& e : p.elements)
        if (e.kind == policy::Element::Kind::list)
            return e;
    throw util::Error(p.full_name() + " has no list element in the catalogue");
}

// The realm list as the file holds it, whatever the policy's state (a list left behind
// without its _Enabled value still belongs to the realms).
policy::ListEntries current_entries(const pol::PolFile& file, const policy::Policy& p)
{
    policy::ListEntries out;
    const policy::RegistryView view(file);
    if (const auto* k = view.key(list_element(p).key.empty() ? p.key : list_element(p).key))
        for (const auto& v : k->values) {
            const auto decoded = pol::decode(v.type, v.data);
            out.emplace_back(util::u16_to_utf8_lossy(v.name), std::holds_alternative<std::string>(decoded)
                                                                  ? std::get<std::string>(decoded)
                                                                  : std::string());
        }
    return out;
}

// Puts `realm` = `value` (or removes it when nullopt) in a realm list policy; other
// realms keep their values. Nothing changes when there is nothing to change.
bool set_entry(pol::PolFile& file, const policy::Policy& p, const std::string& realm,
               const std::optional<std::string>& value)
{
    policy::ListEntries entries = current_entries(file, p);
    const auto same = [&](const auto& e) { return util::iequals(util::utf8_to_u16(e.first), util::utf8_to_u16(realm)); };
    const bool present = std::any_of(entries.begin(), entries.end(), same);
    if (!value && !present)
        return false; // nothing to remove; the policy's state is left as it is
    bool changed = false;
    // A realm spelled otherwise (lower.com for LOWER.COM) is replaced, not kept.
    for (const auto& e : entries)
        if (same(e) && value && e.first != realm)
            changed |= pol::delete_value(file, util::utf8_to_u16(list_element(p).key), util::utf8_to_u16(e.first));
    entries.erase(std::remove_if(entries.begin(), entries.end(), same), entries.end());
    if (value)
        entries.emplace_back(realm, *value);
    std::sort(entries.begin(), entries.end());
    if (entries.empty())
        return policy::write(file, p, policy::State::not_configured, {}) || changed;
    return policy::write(file, p, policy::State::enabled, {{list_element(p).id, entries}}) || changed;
}

} // namespace

const std::vector<RealmFlag>& realm_flags()
{
    static const std::vector<RealmFlag> k_flags{
        {"sendaddress", 0x1}, {"tcpsupported", 0x2}, {"delegate", 0x4}, {"ncsupported", 0x8}, {"rc4", 0x80}};
    return k_flags;
}

void validate_flags(std::uint32_t flags)
{
    std::uint32_t known = 0;
    for (const auto& f : realm_flags())
        known |= f.bit;
    if ((flags & ~known) != 0)
        throw util::Error(fmt::format("--flags-hex: {:#x} has bits no realm flag has ({:#x}); the flags are {}",
                                      flags, flags & ~known, flag_names(known)));
}

std::uint32_t parse_flag_names(std::string_view names)
{
    std::uint32_t flags = 0;
    std::size_t start = 0;
    while (start <= names.size()) {
        auto end = names.find(',', start);
        if (end == std::string_view::npos)
            end = names.size();
        const std::string name = util::to_lower_ascii(trim(names.substr(start, end - start)));
        start = end + 1;
        if (name.empty())
            continue;
        const auto& all = realm_flags();
        const auto it = std::find_if(all.begin(), all.end(), [&](const RealmFlag& f) { return f.name == name; });
        if (it == all.end())
            throw util::Error(fmt::format("--flags: unknown realm flag \"{}\" (known: sendaddress, tcpsupported, "
                                          "delegate, ncsupported, rc4)",
                                          name));
        flags |= it->bit;
    }
    return flags;
}

std::string flag_names(std::uint32_t flags)
{
    static constexpr std::pair<std::uint32_t, std::string_view> k_display[] = {
        {0x1, "SendAddress"}, {0x2, "TcpSupported"}, {0x4, "Delegate"}, {0x8, "NcSupported"}, {0x80, "RC4"}};
    std::string out;
    std::uint32_t rest = flags;
    for (const auto& [bit, name] : k_display) {
        if ((flags & bit) == 0)
            continue;
        out += (out.empty() ? "" : ", ") + std::string(name);
        rest &= ~bit;
    }
    if (rest != 0)
        out += (out.empty() ? "" : ", ") + fmt::format("{:#x}", rest);
    return out.empty() ? std::string("none") : out;
}

MitRealmValue parse_mit_value(std::string_view text)
{
    MitRealmValue out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == '\t') {
            ++i;
            continue;
        }
        if (text[i] != '<') {
            out.malformed = true;
            break;
        }
        const auto close = text.find('>', i);
        if (close == std::string_view::npos) {
            out.malformed = true;
            break;
        }
        const std::string tag(text.substr(i + 1, close - i - 1));
        const std::string end_tag = "</" + tag + ">";
        const auto end = text.find(end_tag, close + 1);
        if (end == std::string_view::npos) {
            out.malformed = true;
            break;
        }
        const std::string_view body = text.substr(close + 1, end - close - 1);
        if (tag == "f") {
            try {
                out.flags = static_cast<std::uint32_t>(pol::parse_unsigned(trim(body), 32));
            } catch (const util::Error&) {
                out.malformed = true;
            }
        } else if (tag == "k") {
            for (auto& kdc : split_semicolons(body))
                out.kdcs.push_back(std::move(kdc));
        } else {
            out.unknown_tags.push_back(tag);
        }
        i = end + end_tag.size();
    }
    return out;
}

std::string format_mit_value(std::optional<std::uint32_t> flags, const std::vector<std::string>& kdcs)
{
    std::string out;
    if (flags)
        out += fmt::format("<f>0x{:08X}</f>", *flags);
    if (!kdcs.empty())
        out += "<k>" + join(kdcs) + "</k>";
    return out;
}

std::vector<std::string> parse_map_value(std::string_view text)
{
    return split_semicolons(text);
}

std::string format_map_value(const std::vector<std::string>& entries)
{
    return join(entries);
}

void validate_realm(std::string_view realm)
{
    if (realm.empty())
        throw util::Error("--realm: the realm name is empty");
    // What is not a name at all is said first: upper-casing "<k>kdc</k>" is no advice.
    if (const std::string problem = dns_problem(util::to_lower_ascii(realm));
        !problem.empty() && realm.find_first_of("<>;= \t\"") != std::string_view::npos)
        throw util::Error(fmt::format("--realm: \"{}\" is not a valid realm name: {}", realm, problem));
    const std::string upper = [&] {
        std::string u(realm);
        for (auto& c : u)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return u;
    }();
    if (upper != realm)
        throw util::Error(fmt::format("--realm: Kerberos realm names are upper case, and Windows expects them so: "
                                      "use {}, not {}",
                                      upper, realm));
    if (const std::string problem = dns_problem(util::to_lower_ascii(realm)); !problem.empty())
        throw util::Error(fmt::format("--realm: \"{}\" is not a valid realm name: {}", realm, problem));
}

void validate_kdc(std::string_view kdc)
{
    if (kdc.empty())
        throw util::Error("--kdc: empty KDC name");
    if (is_address(kdc))
        return;
    if (kdc.front() == '[' && kdc.back() == ']' && is_address(kdc.substr(1, kdc.size() - 2)))
        throw util::Error(fmt::format("--kdc: write the address {} without brackets", kdc.substr(1, kdc.size() - 2)));
    const auto colon = kdc.rfind(':');
    if (colon != std::string_view::npos || (kdc.front() == '[' && kdc.find(']') != std::string_view::npos))
        throw util::Error(fmt::format("--kdc: \"{}\" has a port; Windows takes the KDC's host name or address only "
                                      "(the port comes from DNS SRV records or is 88)",
                                      kdc));
    if (const std::string problem = dns_problem(kdc); !problem.empty())
        throw util::Error(fmt::format("--kdc: \"{}\" is not a valid host name or address: {}", kdc, problem));
}

void validate_map_entry(std::string_view entry)
{
    if (entry.empty() || entry == ".")
        throw util::Error("--map: empty entry (a DNS suffix such as .example.com, or a host name)");
    const std::string_view name = entry.front() == '.' ? entry.substr(1) : entry;
    if (is_address(name))
        return;
    if (name.find(':') != std::string_view::npos)
        throw util::Error(fmt::format("--map: \"{}\" has a port; map host names and DNS suffixes only", entry));
    if (const std::string problem = dns_problem(name); !problem.empty())
        throw util::Error(fmt::format("--map: \"{}\" is not a valid DNS suffix or host name: {}", entry, problem));
}

RealmSettings read_settings(const pol::PolFile& file, const policy::Catalogue& catalogue)
{
    const policy::RegistryView view(file);
    const auto& mit = catalogue.find(k_mit_realms_policy);
    const auto& map = catalogue.find(k_host_to_realm_policy);
    const policy::Reading mit_reading = policy::read(mit, view);
    const policy::Reading map_reading = policy::read(map, view);
    RealmSettings out;
    out.mit_enabled = mit_reading.state == policy::State::enabled;
    out.map_enabled = map_reading.state == policy::State::enabled;
    std::map<std::string, Realm> realms;
    out.mit_state = mit_reading.state;
    out.map_state = map_reading.state;
    for (const auto& [name, value] : current_entries(file, mit))
        realms[name].mit_value = value;
    for (const auto& [name, value] : current_entries(file, map))
        realms[name].map_value = value;
    for (auto& [name, realm] : realms) {
        realm.name = name;
        out.realms.push_back(std::move(realm));
    }
    return out;
}

std::vector<std::string> warnings(const RealmSettings& s, std::string_view ad_domain)
{
    std::vector<std::string> out;
    std::map<std::string, std::vector<std::string>> owners; // map entry -> realms
    if (!s.realms.empty() && !s.mit_enabled && s.mit_state != policy::State::not_configured)
        out.push_back(fmt::format("{} is {}: clients ignore its realm values", "Define interoperable Kerberos V5 realm settings",
                                  policy::state_name(s.mit_state)));
    for (const auto& r : s.realms) {
        auto check = [&](auto validate, const std::string& what) {
            try {
                validate();
            } catch (const util::Error& e) {
                std::string msg = e.what();
                if (const auto colon = msg.find(": "); colon != std::string::npos && msg[0] == '-')
                    msg = msg.substr(colon + 2);
                out.push_back(fmt::format("{}: {}: {}", r.name, what, msg));
            }
        };
        check([&] { validate_realm(r.name); }, "realm name");
        if (r.mit_value)
            for (const auto& kdc : parse_mit_value(*r.mit_value).kdcs) {
                check([&] { validate_kdc(kdc); }, "KDC");
                if (kdc != util::to_lower_ascii(kdc))
                    out.push_back(fmt::format("{}: KDC \"{}\" has upper-case letters", r.name, kdc));
            }
        if (r.map_value)
            for (const auto& entry : parse_map_value(*r.map_value))
                check([&] { validate_map_entry(entry); }, "mapping");
        if (r.mit_value && !r.map_value)
            out.push_back(fmt::format("{} has interoperable realm settings but no host name mapping: clients will "
                                      "not know which hosts belong to it",
                                      r.name));
        if (r.map_value && !r.mit_value)
            out.push_back(fmt::format("{} has host name mappings but no interoperable realm settings", r.name));
        if (!ad_domain.empty() && util::to_lower_ascii(r.name) == util::to_lower_ascii(ad_domain))
            out.push_back(fmt::format("{} is the GPO's own Active Directory domain, not an external realm", r.name));
        if (r.mit_value) {
            const MitRealmValue v = parse_mit_value(*r.mit_value);
            if (v.malformed)
                out.push_back(fmt::format("{}: the value \"{}\" is not [<f>0xFLAGS</f>][<k>KDC; ...</k>]", r.name,
                                          *r.mit_value));
            for (const auto& tag : v.unknown_tags)
                out.push_back(fmt::format("{}: unknown tag <{}> in \"{}\" (only <f> and <k> are defined)", r.name, tag,
                                          *r.mit_value));
            if (!v.flags && v.kdcs.empty() && !v.malformed)
                out.push_back(fmt::format("{} has neither KDCs nor flags: clients find its KDCs through DNS SRV "
                                          "records (_kerberos._udp/_tcp.{})",
                                          r.name, util::to_lower_ascii(r.name)));
        }
        if (r.map_value) {
            for (const auto& entry : parse_map_value(*r.map_value)) {
                owners[util::to_lower_ascii(entry)].push_back(r.name);
                if (entry != util::to_lower_ascii(entry))
                    out.push_back(fmt::format("{}: \"{}\" has upper-case letters; write host names in lower case",
                                              r.name, entry));
                if (entry.front() != '.' && util::to_lower_ascii(entry) == util::to_lower_ascii(r.name))
                    out.push_back(fmt::format("{}: \"{}\" maps that one host only; write .{} for every host under it",
                                              r.name, entry, util::to_lower_ascii(entry)));
            }
        }
    }
    for (const auto& [entry, realms] : owners)
        if (realms.size() > 1)
            out.push_back(fmt::format("\"{}\" is mapped to {} realms ({})", entry, realms.size(), join(realms)));
    return out;
}

namespace {

// One list entry of MitRealms (`mit`) or domain_realm, as add-realm checks its parts.
void check_entry(const std::string& realm, const std::string& value, bool mit, std::vector<std::string>& warnings)
{
    validate_realm(realm);
    if (!mit) {
        for (const auto& entry : parse_map_value(value))
            validate_map_entry(entry);
        return;
    }
    const MitRealmValue v = parse_mit_value(value);
    if (v.malformed)
        throw util::Error(fmt::format("\"{}\" is not [<f>FLAGS</f>][<k>kdc; ...</k>] (text outside the tags, an "
                                      "unclosed tag or a bad number)",
                                      value));
    for (const auto& kdc : v.kdcs)
        validate_kdc(kdc);
    for (const auto& tag : v.unknown_tags)
        warnings.push_back(fmt::format("{}: <{}> is not a tag Windows reads (only <f> and <k>); clients ignore it",
                                       realm, tag));
}

} // namespace

std::vector<std::string> check_policy_write(const policy::Policy& p,
                                            const std::map<std::string, policy::ElementValue>& values)
{
    const std::string mit_key = util::to_lower_ascii(std::string(k_realm_key) + "\\MitRealms");
    const std::string map_key = util::to_lower_ascii(std::string(k_realm_key) + "\\domain_realm");
    std::vector<std::string> out;
    for (const auto& element : p.elements) {
        if (element.kind != policy::Element::Kind::list)
            continue;
        const std::string key = util::to_lower_ascii(element.key);
        const bool mit = key == mit_key;
        if (!mit && key != map_key)
            continue;
        const auto it = values.find(element.id);
        if (it == values.end())
            continue;
        const auto* entries = std::get_if<policy::ListEntries>(&it->second);
        if (entries == nullptr)
            continue;
        for (const auto& [realm, value] : *entries) {
            try {
                check_entry(realm, value, mit, out);
            } catch (const util::Error& e) {
                throw util::Error(fmt::format("{} --list {}: {}", p.full_name(), realm, e.what()));
            }
        }
    }
    return out;
}

gpo::SideCheck lint_check(const policy::Catalogue& catalogue)
{
    return [&catalogue](const gpo::Target& target, pol::Side side, const pol::PolFile& file,
                        std::vector<gpo::LintFinding>& out) {
        if (side != pol::Side::machine)
            return;
        const auto found = warnings(read_settings(file, catalogue), target.domain());
        if (found.empty())
            return;
        // Placed at the policies' first record.
        util::Position where = util::Position::of_file(file.origin());
        for (const auto& r : file.records)
            if (r.offset != pol::k_no_offset && r.key_utf8().size() >= k_realm_key.size() &&
                util::iequal_ascii(std::string_view(r.key_utf8()).substr(0, k_realm_key.size()), k_realm_key)) {
                where = util::Position::at_offset(file.origin(), r.offset);
                break;
            }
        for (const auto& w : found)
            out.push_back({where, gpo::LintCode::kerberos, w});
    };
}

bool add_realm(pol::PolFile& file, const policy::Catalogue& catalogue, const AddRealm& r)
{
    validate_realm(r.realm);
    if (r.flags)
        validate_flags(*r.flags);
    for (const auto& kdc : r.kdcs)
        validate_kdc(kdc);
    for (const auto& entry : r.map)
        validate_map_entry(entry);
    bool changed = set_entry(file, catalogue.find(k_mit_realms_policy), r.realm, format_mit_value(r.flags, r.kdcs));
    if (!r.map.empty())
        changed |= set_entry(file, catalogue.find(k_host_to_realm_policy), r.realm, format_map_value(r.map));
    return changed;
}

bool remove_realm(pol::PolFile& file, const policy::Catalogue& catalogue, std::string_view realm)
{
    validate_realm(realm);
    bool changed = set_entry(file, catalogue.find(k_mit_realms_policy), std::string(realm), std::nullopt);
    changed |= set_entry(file, catalogue.find(k_host_to_realm_policy), std::string(realm), std::nullopt);
    return changed;
}

} // namespace gpokit::kerberos
