#include "trust/verify.hpp"

#include "util/ascii.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace gpokit::trust {

namespace {

using Json = nlohmann::ordered_json;

// The file as UTF-8 text: PowerShell writes UTF-16LE with a BOM (Windows PowerShell's
// `>`), or UTF-8 with or without one.
std::string text_of(const util::Bytes& bytes, const std::string& origin)
{
    const util::ByteView all(bytes);
    if (all.size() >= 2 && all[0] == std::byte{0xff} && all[1] == std::byte{0xfe}) {
        auto text = util::utf16le_to_utf8(all.subspan(2, (all.size() - 2) & ~std::size_t{1}));
        if (!text)
            throw util::ParseError(util::Position::of_file(origin), "UTF-16 text that does not decode");
        return *text;
    }
    std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.rfind("\xEF\xBB\xBF", 0) == 0)
        text.erase(0, 3);
    return text;
}

std::string json_value_text(const Json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_integer() || v.is_number_unsigned() || v.is_boolean())
        return v.dump();
    return {};
}

std::vector<ObservedObject> from_json(const std::string& text, const std::string& origin)
{
    Json j;
    try {
        j = Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw util::ParseError(util::Position::at_offset(origin, e.byte == 0 ? 0 : e.byte - 1),
                               fmt::format("not valid JSON: {}", e.what()));
    } catch (const nlohmann::json::out_of_range& e) {
        throw util::ParseError(util::Position::of_file(origin), fmt::format("not valid JSON: {}", e.what()));
    }
    std::vector<ObservedObject> out;
    const auto add = [&](const Json& obj) {
        if (!obj.is_object())
            throw util::ParseError(util::Position::of_file(origin), "expected Get-ADObject's object (or a list of them)");
        ObservedObject o;
        o.source = util::Position::of_file(origin);
        for (const auto& [name, value] : obj.items()) {
            auto& values = o.attributes[util::to_lower_ascii(name)];
            if (value.is_array()) {
                for (const auto& v : value)
                    values.push_back(json_value_text(v));
            } else if (!value.is_null()) {
                values.push_back(json_value_text(value));
            }
        }
        out.push_back(std::move(o));
    };
    if (j.is_array())
        for (const auto& obj : j)
            add(obj);
    else
        add(j);
    return out;
}

// The list form: "Name : value" lines, objects separated by blank lines. PowerShell's
// collections print as "{a, b}".
std::vector<ObservedObject> from_list(const std::string& text, const std::string& origin)
{
    std::vector<ObservedObject> out;
    bool open = false;
    std::size_t number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos) {
            open = false;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue; // a continuation of a long value: not one gpokit checks
        std::string name = line.substr(first, colon - first);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.pop_back();
        std::string value = line.substr(colon + 1);
        value.erase(0, std::min(value.find_first_not_of(" \t"), value.size()));
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
            value.pop_back();
        if (name.empty() || name.find(' ') != std::string::npos)
            continue;
        if (!open) {
            out.emplace_back();
            out.back().source = util::Position::of_file(origin);
            open = true;
        }
        auto& o = out.back();
        const std::string lower = util::to_lower_ascii(name);
        auto& values = o.attributes[lower];
        if (value.size() >= 2 && value.front() == '{' && value.back() == '}') {
            const std::string inner = value.substr(1, value.size() - 2);
            std::size_t p = 0;
            while (p <= inner.size()) {
                auto q = inner.find(',', p);
                if (q == std::string::npos)
                    q = inner.size();
                std::string item = inner.substr(p, q - p);
                item.erase(0, std::min(item.find_first_not_of(' '), item.size()));
                while (!item.empty() && item.back() == ' ')
                    item.pop_back();
                if (!item.empty())
                    values.push_back(item);
                p = q + 1;
            }
        } else if (!value.empty()) {
            values.push_back(value);
        }
        o.where[lower] = util::Position::at_line(origin, number, first + 1);
    }
    if (out.empty())
        throw util::ParseError(util::Position::of_file(origin),
                               "no \"Name : value\" lines: expected Get-ADObject output (the list PowerShell prints, "
                               "or ConvertTo-Json)");
    return out;
}

std::optional<std::uint64_t> number_of(const std::string* text)
{
    if (text == nullptr)
        return std::nullopt;
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || p != text->data() + text->size())
        return std::nullopt;
    return v;
}

std::string direction_reason(std::uint64_t expected, std::uint64_t found, const Plan& plan)
{
    const std::string ad_to_realm = fmt::format("users of {} get tickets for services in {}", plan.domain, plan.realm);
    const std::string realm_to_ad = fmt::format("users of {} can reach resources in {}", plan.realm, plan.domain);
    const auto can = [&](std::uint64_t d, bool inbound) { return (d & (inbound ? 1u : 2u)) != 0; };
    std::vector<std::string> parts;
    if (can(expected, true) && !can(found, true))
        parts.push_back("AD users cannot get tickets for the realm's services (the plan needs that " + ad_to_realm + ")");
    if (!can(expected, true) && can(found, true))
        parts.push_back("this trust also lets " + ad_to_realm + ", which the plan does not allow");
    if (can(expected, false) && !can(found, false))
        parts.push_back("realm users cannot reach AD (the plan needs that " + realm_to_ad + ")");
    if (!can(expected, false) && can(found, false))
        parts.push_back("realm users could reach AD (" + realm_to_ad + "), which the plan does not allow");
    if (found == 0)
        parts.insert(parts.begin(), "0 means the trust is disabled");
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

const char* attribute_bit_name(std::uint32_t bit)
{
    switch (bit) {
    case 0x1: return "NON_TRANSITIVE";
    case 0x2: return "UPLEVEL_ONLY";
    case 0x4: return "QUARANTINED_DOMAIN";
    case 0x8: return "FOREST_TRANSITIVE";
    case 0x10: return "CROSS_ORGANIZATION";
    case 0x20: return "WITHIN_FOREST";
    case 0x40: return "TREAT_AS_EXTERNAL";
    case 0x80: return "USES_RC4_ENCRYPTION";
    default: return "an unknown bit";
    }
}

std::string attributes_reason(std::uint64_t expected, std::uint64_t found)
{
    std::vector<std::string> parts;
    for (std::uint32_t bit = 1; bit != 0 && bit <= 0x80000000u; bit <<= 1) {
        const bool e = (expected & bit) != 0;
        const bool f = (found & bit) != 0;
        if (e == f)
            continue;
        if (bit == k_attr_non_transitive)
            parts.push_back(e ? "the trust is transitive: trusts of the realm would extend to the domain, the plan "
                                "says non-transitive (0x1)"
                              : "the trust is non-transitive (0x1), the plan says transitive");
        else if (bit == k_attr_uses_rc4)
            parts.push_back(e ? "the plan allows RC4 and the trust does not say so (0x80)"
                              : "the trust is marked as using RC4 (0x80), which the plan does not allow");
        else
            parts.push_back(fmt::format("0x{:x} {} is {}", bit, attribute_bit_name(bit),
                                        f ? "set, which a realm trust does not use" : "missing"));
    }
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

std::string enctypes_reason(std::uint64_t expected, std::optional<std::uint64_t> found)
{
    if (!found)
        return "not set: Windows then uses RC4 for the trust, and an AES-only realm key does not match";
    std::vector<std::string> parts;
    if ((expected & k_enc_aes256) && !(*found & k_enc_aes256))
        parts.push_back("no AES256");
    if ((expected & k_enc_aes128) && !(*found & k_enc_aes128))
        parts.push_back("no AES128");
    if (!(expected & k_enc_rc4) && (*found & k_enc_rc4))
        parts.push_back("RC4 allowed, which the plan does not allow");
    if ((expected & k_enc_rc4) && !(*found & k_enc_rc4))
        parts.push_back("no RC4, which the plan allows");
    if (*found & 0x3)
        parts.push_back("DES allowed (weak, never offered by a plan)");
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "; ") + p;
    return out.empty() ? "other bits than the plan's" : out;
}

} // namespace

const std::string* ObservedObject::first(const std::string& lower_name) const
{
    const auto it = attributes.find(lower_name);
    return it == attributes.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<ObservedObject> read_get_adobject(const util::Bytes& bytes, const std::string& origin)
{
    const std::string text = text_of(bytes, origin);
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && (text[start] == '{' || text[start] == '['))
        return from_json(text, origin);
    return from_list(text, origin);
}

std::vector<Finding> check_trusted_domain(const Plan& plan, const std::vector<ObservedObject>& objects)
{
    std::vector<Finding> out;
    const ObservedObject* tdo = nullptr;
    for (const auto& o : objects) {
        const std::string* partner = o.first("trustpartner");
        if (partner && util::iequal_ascii(*partner, plan.realm))
            tdo = &o;
    }
    if (tdo == nullptr) {
        out.push_back({"trustedDomain", plan.realm, "(absent)",
                       fmt::format("no trusted-domain object has trustPartner {}: the trust has not been created "
                                   "(or was read from another domain)",
                                   plan.realm),
                       objects.empty() ? std::nullopt : std::optional(objects.front().source)});
        return out;
    }
    const auto where = [&](const std::string& lower) -> std::optional<util::Position> {
        const auto it = tdo->where.find(lower);
        return it != tdo->where.end() ? it->second : tdo->source;
    };
    const auto shown = [](const std::string* v) { return v ? *v : std::string("(absent)"); };

    if (const auto it = tdo->attributes.find("objectclass");
        it == tdo->attributes.end() ||
        std::none_of(it->second.begin(), it->second.end(), [](const auto& v) { return util::iequal_ascii(v, "trustedDomain"); }))
        out.push_back({"objectClass", "trustedDomain", shown(tdo->first("objectclass")),
                       "not a trusted-domain object", where("objectclass")});
    for (const char* name : {"trustPartner", "flatName"}) {
        const std::string lower = util::to_lower_ascii(name);
        const std::string* v = tdo->first(lower);
        if (!v || *v != plan.realm)
            out.push_back({name, plan.realm, shown(v),
                           v && util::iequal_ascii(*v, plan.realm)
                               ? "differs in case: Kerberos realm names are case-sensitive, tickets for the realm "
                                 "will not match it"
                               : "a realm trust's names are the realm itself",
                           where(lower)});
    }
    const std::string* type = tdo->first("trusttype");
    if (number_of(type) != k_trust_type_mit)
        out.push_back({"trustType", "3 (MIT)", shown(type),
                       number_of(type) == 2u ? "an AD (uplevel) trust: Windows treats the realm as an AD domain and "
                                               "its referrals will not work with an MIT KDC"
                                             : "a realm trust has type 3 (MIT)",
                       where("trusttype")});
    const std::string* direction = tdo->first("trustdirection");
    if (const auto d = number_of(direction); d != plan.trust_direction())
        out.push_back({"trustDirection", fmt::format("{} ({})", plan.trust_direction(), direction_name(plan.direction)),
                       shown(direction), d ? direction_reason(plan.trust_direction(), *d, plan) : "not a number",
                       where("trustdirection")});
    const std::string* attributes = tdo->first("trustattributes");
    if (const auto a = number_of(attributes); a != plan.trust_attributes())
        out.push_back({"trustAttributes", std::to_string(plan.trust_attributes()), shown(attributes),
                       a ? attributes_reason(plan.trust_attributes(), *a) : "not a number", where("trustattributes")});
    const std::string* enctypes = tdo->first("msds-supportedencryptiontypes");
    if (const auto e = number_of(enctypes); e != plan.encryption_types())
        out.push_back({"msDS-SupportedEncryptionTypes", std::to_string(plan.encryption_types()), shown(enctypes),
                       enctypes_reason(plan.encryption_types(), e), where("msds-supportedencryptiontypes")});
    return out;
}

std::vector<Finding> check_gpo(const Plan& plan, const kerberos::RealmSettings& settings)
{
    std::vector<Finding> out;
    const auto it = std::find_if(settings.realms.begin(), settings.realms.end(),
                                 [&](const kerberos::Realm& r) { return r.name == plan.realm; });
    const kerberos::Realm* realm = it == settings.realms.end() ? nullptr : &*it;
    if (!settings.mit_enabled)
        out.push_back({"MitRealms", "Enabled", policy::state_name(settings.mit_state),
                       "\"Define interoperable Kerberos V5 realm settings\" is not Enabled: clients do not learn the "
                       "realm's KDCs from this GPO",
                       std::nullopt});
    if (!realm || !realm->mit_value) {
        out.push_back({"MitRealms\\" + plan.realm, plan.mit_realms_value(), "(absent)",
                       "clients get no settings for the realm", std::nullopt});
    } else {
        const auto v = kerberos::parse_mit_value(*realm->mit_value);
        if (v.kdcs != plan.kdcs)
            out.push_back({"MitRealms\\" + plan.realm, plan.mit_realms_value(), *realm->mit_value,
                           plan.kdcs.empty() ? "the plan leaves KDCs to DNS SRV records; the GPO names KDCs"
                                             : "clients would ask other KDCs than the plan's",
                           std::nullopt});
    }
    if (plan.map.empty())
        return out;
    if (!settings.map_enabled)
        out.push_back({"domain_realm", "Enabled", policy::state_name(settings.map_state),
                       "\"Define host name-to-Kerberos realm mappings\" is not Enabled: clients cannot tell which "
                       "hosts belong to the realm",
                       std::nullopt});
    if (!realm || !realm->map_value) {
        out.push_back({"domain_realm\\" + plan.realm, plan.domain_realm_value(), "(absent)",
                       "clients do not map the realm's hosts to it, so they ask their own domain for its services",
                       std::nullopt});
    } else {
        auto want = plan.map;
        auto have = kerberos::parse_map_value(*realm->map_value);
        std::sort(want.begin(), want.end());
        std::sort(have.begin(), have.end());
        if (want != have)
            out.push_back({"domain_realm\\" + plan.realm, plan.domain_realm_value(), *realm->map_value,
                           "the hosts mapped to the realm differ from the plan's", std::nullopt});
    }
    return out;
}

} // namespace gpokit::trust
