#include "trust/plan.hpp"

#include "kerberos/realm.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/json_schema.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gpokit::trust {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* k_format = "gpokit-trust-plan";

CrossRealm cross_realm(const std::string& issuer, const std::string& target, std::string purpose)
{
    // krbtgt/TARGET@ISSUER: the issuer's KDC refers its clients to TARGET with this key.
    // The normal salt is the principal's realm followed by its components.
    return CrossRealm{fmt::format("krbtgt/{}@{}", target, issuer), issuer + "krbtgt" + target, issuer, target,
                      std::move(purpose)};
}

} // namespace

const char* direction_name(Direction d)
{
    switch (d) {
    case Direction::incoming: return "incoming";
    case Direction::outgoing: return "outgoing";
    case Direction::both: return "both";
    }
    return "";
}

Direction parse_direction(std::string_view text)
{
    if (text == "incoming")
        return Direction::incoming;
    if (text == "outgoing")
        return Direction::outgoing;
    if (text == "both")
        return Direction::both;
    throw util::Error(fmt::format("direction \"{}\" is not incoming, outgoing or both", text));
}

bool parse_enctypes(std::string_view text)
{
    const std::string lower = util::to_lower_ascii(text);
    if (lower == "aes")
        return false;
    if (lower == "aes,rc4" || lower == "rc4,aes")
        return true;
    throw util::Error(fmt::format("encryption types \"{}\" are not aes or aes,rc4 (DES is never offered; RC4 alone "
                                  "is not: Windows realm trusts use AES)",
                                  text));
}

std::uint32_t Plan::trust_attributes() const
{
    return (transitive ? 0u : k_attr_non_transitive) | (rc4 ? k_attr_uses_rc4 : 0u);
}

std::uint32_t Plan::encryption_types() const
{
    return k_enc_aes128 | k_enc_aes256 | (rc4 ? k_enc_rc4 : 0u);
}

std::vector<CrossRealm> Plan::cross_realm() const
{
    std::vector<CrossRealm> out;
    if (direction == Direction::incoming || direction == Direction::both)
        out.push_back(trust::cross_realm(domain, realm,
                                         fmt::format("users of {} get tickets for services in {}", domain, realm)));
    if (direction == Direction::outgoing || direction == Direction::both)
        out.push_back(trust::cross_realm(realm, domain,
                                         fmt::format("users of {} get tickets for services in {}", realm, domain)));
    return out;
}

std::string Plan::mit_realms_value() const
{
    return kerberos::format_mit_value(std::nullopt, kdcs);
}

std::string Plan::domain_realm_value() const
{
    return kerberos::format_map_value(map);
}

void validate_realm_name(const std::string& realm)
{
    kerberos::validate_realm(realm);
}

void validate(const Plan& plan)
{
    const auto realm_named = [](const std::string& what, const std::string& name) {
        try {
            kerberos::validate_realm(name);
        } catch (const util::Error& e) {
            throw util::Error(fmt::format("{} {}", what, e.what()));
        }
    };
    realm_named("--domain:", plan.domain);
    realm_named("--realm:", plan.realm);
    if (util::iequal_ascii(plan.domain, plan.realm))
        throw util::Error(fmt::format("the realm {} is the AD domain itself: a realm trust joins two different realms",
                                      plan.realm));
    for (const auto& k : plan.kdcs)
        kerberos::validate_kdc(k);
    for (const auto& m : plan.map)
        kerberos::validate_map_entry(m);
}

std::string plan_json(const Plan& plan)
{
    Json j;
    j["schema"] = "gpokit-trust-plan/1";
    j["format"] = k_format;
    j["format_version"] = 1;
    j["domain"] = plan.domain;
    j["realm"] = plan.realm;
    j["direction"] = direction_name(plan.direction);
    j["transitive"] = plan.transitive;
    j["enctypes"] = plan.rc4 ? "aes,rc4" : "aes";
    Json tdo;
    tdo["objectClass"] = "trustedDomain";
    tdo["name"] = plan.realm;
    tdo["trustPartner"] = plan.realm;
    tdo["flatName"] = plan.realm;
    tdo["trustType"] = k_trust_type_mit;
    tdo["trustDirection"] = plan.trust_direction();
    tdo["trustAttributes"] = plan.trust_attributes();
    tdo["msDS-SupportedEncryptionTypes"] = plan.encryption_types();
    j["trusted_domain_object"] = tdo;
    Json principals = Json::array();
    for (const auto& c : plan.cross_realm())
        principals.push_back(
            Json{{"principal", c.principal}, {"salt", c.salt}, {"issued_by", c.issuer}, {"purpose", c.purpose}});
    j["cross_realm_principals"] = principals;
    Json gpo;
    gpo["kdcs"] = plan.kdcs;
    gpo["map"] = plan.map;
    gpo["MitRealms"] = Json{{plan.realm, plan.mit_realms_value()}};
    gpo["domain_realm"] = plan.map.empty() ? Json::object() : Json{{plan.realm, plan.domain_realm_value()}};
    j["gpo"] = gpo;
    return j.dump(2) + "\n";
}

Plan read_plan(const util::Bytes& bytes, const std::string& origin)
{
    Json j;
    try {
        const auto* p = reinterpret_cast<const char*>(bytes.data());
        j = Json::parse(p, p + bytes.size());
    } catch (const nlohmann::json::parse_error& e) {
        throw util::ParseError(util::Position::at_offset(origin, e.byte == 0 ? 0 : e.byte - 1),
                               fmt::format("not valid JSON: {}", e.what()));
    } catch (const nlohmann::json::out_of_range& e) {
        throw util::ParseError(util::Position::of_file(origin), fmt::format("not valid JSON: {}", e.what()));
    }
    const auto field = [&](const Json& obj, const char* name, Json::value_t type, const char* what) -> const Json& {
        if (!obj.is_object() || !obj.contains(name) || obj[name].type() != type)
            throw util::Error(fmt::format("{}: \"{}\" is missing or not {}", origin, name, what));
        return obj[name];
    };
    util::check_schema(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), origin,
                       util::schema_member(j), {"gpokit-trust-plan/1"});
    if (!j.is_object() || !j.contains("format") || j["format"] != k_format)
        throw util::Error(fmt::format("{}: not a gpokit trust plan (\"format\" is not \"{}\"; make one with "
                                      "`gpokit trust plan ... --format json`)",
                                      origin, k_format));
    if (!j.contains("format_version") || j["format_version"] != 1)
        throw util::Error(origin + ": unsupported \"format_version\" (this gpokit reads version 1)");
    Plan plan;
    plan.domain = field(j, "domain", Json::value_t::string, "a string").get<std::string>();
    plan.realm = field(j, "realm", Json::value_t::string, "a string").get<std::string>();
    plan.transitive = field(j, "transitive", Json::value_t::boolean, "true or false").get<bool>();
    try {
        plan.direction = parse_direction(field(j, "direction", Json::value_t::string, "a string").get<std::string>());
        plan.rc4 = parse_enctypes(field(j, "enctypes", Json::value_t::string, "a string").get<std::string>());
    } catch (const util::Error& e) {
        throw util::Error(fmt::format("{}: {}", origin, e.what()));
    }
    const Json& gpo = field(j, "gpo", Json::value_t::object, "an object");
    for (const char* list : {"kdcs", "map"}) {
        const Json& items = field(gpo, list, Json::value_t::array, "a list");
        for (const auto& item : items) {
            if (!item.is_string())
                throw util::Error(fmt::format("{}: \"gpo\".\"{}\" holds something other than strings", origin, list));
            (std::string_view(list) == "kdcs" ? plan.kdcs : plan.map).push_back(item.get<std::string>());
        }
    }
    try {
        validate(plan);
    } catch (const util::Error& e) {
        throw util::Error(fmt::format("{}: {}", origin, e.what()));
    }
    // The derived values, if present, must be what the plan's choices give: an edit of
    // one without the other is a plan that says two things.
    if (j.contains("trusted_domain_object")) {
        const Json& tdo = j["trusted_domain_object"];
        const auto expect = [&](const char* name, std::uint64_t value) {
            if (!tdo.is_object() || !tdo.contains(name) || !tdo[name].is_number_unsigned() ||
                tdo[name].get<std::uint64_t>() != value)
                throw util::Error(fmt::format("{}: \"trusted_domain_object\".\"{}\" is not {}, which the plan's "
                                              "direction, transitive and enctypes give; make the plan again with "
                                              "`gpokit trust plan`",
                                              origin, name, value));
        };
        expect("trustType", k_trust_type_mit);
        expect("trustDirection", plan.trust_direction());
        expect("trustAttributes", plan.trust_attributes());
        expect("msDS-SupportedEncryptionTypes", plan.encryption_types());
    }
    return plan;
}

} // namespace gpokit::trust
