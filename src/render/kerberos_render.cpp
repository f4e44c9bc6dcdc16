#include "render/kerberos_render.hpp"

#include "util/error.hpp"

#include "render/escape.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

namespace gpokit::render {

namespace {

void show_json(const kerberos::RealmSettings& settings, const std::vector<std::string>& warnings, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-kerberos-show/1");
    json.member("mit_realms_enabled", settings.mit_enabled);
    json.member("host_to_realm_enabled", settings.map_enabled);
    json.member("mit_realms_state", policy::state_name(settings.mit_state));
    json.member("host_to_realm_state", policy::state_name(settings.map_state));
    json.key("realms");
    json.begin_array();
    for (const auto& r : settings.realms) {
        json.begin_object();
        json.member("realm", r.name);
        json.key("mit_realms");
        if (r.mit_value) {
            const auto v = kerberos::parse_mit_value(*r.mit_value);
            json.begin_object();
            json.member("value", *r.mit_value);
            json.key("flags");
            if (v.flags)
                json.value(std::uint64_t{*v.flags});
            else
                json.null();
            json.member("flag_names", v.flags ? kerberos::flag_names(*v.flags) : std::string("none"));
            json.key("kdcs");
            json.begin_array();
            for (const auto& k : v.kdcs)
                json.value(k);
            json.end_array();
            json.end_object();
        } else {
            json.null();
        }
        json.key("domain_realm");
        if (r.map_value) {
            json.begin_object();
            json.member("value", *r.map_value);
            json.key("entries");
            json.begin_array();
            for (const auto& e : kerberos::parse_map_value(*r.map_value))
                json.value(e);
            json.end_array();
            json.end_object();
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array();
    json.key("warnings");
    json.begin_array();
    for (const auto& w : warnings)
        json.value(w);
    json.end_array();
    json.end_object();
}

} // namespace

void kerberos_show(const kerberos::RealmSettings& settings, const std::vector<std::string>& warnings,
                   const policy::Catalogue& catalogue, Format format, std::ostream& out)
{
    if (format == Format::json)
        return show_json(settings, warnings, out);
    const auto& mit = catalogue.find(kerberos::k_mit_realms_policy);
    const auto& map = catalogue.find(kerberos::k_host_to_realm_policy);
    out << fmt::format("{}: {}\n", mit.display_name, policy::state_name(settings.mit_state));
    for (const auto& r : settings.realms) {
        if (!r.mit_value)
            continue;
        const auto v = kerberos::parse_mit_value(*r.mit_value);
        std::string kdcs;
        for (const auto& k : v.kdcs)
            kdcs += (kdcs.empty() ? "" : ", ") + k;
        out << fmt::format("  {} = {}\n    KDCs: {}\n    flags: {}\n", terminal_text(r.name),
                           terminal_text(*r.mit_value),
                           kdcs.empty() ? "none (found through DNS SRV records)" : terminal_text(kdcs),
                           v.flags ? fmt::format("0x{:08X} ({})", *v.flags, kerberos::flag_names(*v.flags))
                                   : std::string("none"));
    }
    out << fmt::format("{}: {}\n", map.display_name, policy::state_name(settings.map_state));
    for (const auto& r : settings.realms)
        if (r.map_value)
            out << fmt::format("  {} = {}\n", terminal_text(r.name), terminal_text(*r.map_value));
    for (const auto& w : warnings)
        out << "warning: " << terminal_text(w) << '\n';
}

void krb5_conf(const kerberos::RealmSettings& settings, const std::string& default_realm, const std::string& source,
               std::ostream& out)
{
    const auto checked = [](const char* what, const std::string& name, auto validate) {
        try {
            validate(name);
        } catch (const util::Error& e) {
            throw util::Error(fmt::format("{} \"{}\" cannot go into krb5.conf: {}", what, terminal_text(name), e.what()));
        }
    };
    std::string text = fmt::format("# The Kerberos realm settings of {}, for MIT Kerberos clients (gpokit kerberos krb5conf).\n",
                                   terminal_text(source));
    if (!default_realm.empty()) {
        checked("--default-realm", default_realm, kerberos::validate_realm);
        text += fmt::format("\n[libdefaults]\n    default_realm = {}\n", default_realm);
    }
    text += "\n[realms]\n";
    for (const auto& r : settings.realms) {
        if (!settings.mit_enabled || !r.mit_value)
            continue;
        checked("realm", r.name, kerberos::validate_realm);
        const auto v = kerberos::parse_mit_value(*r.mit_value);
        if (v.malformed)
            throw util::Error(fmt::format("the MitRealms value of {} is malformed (\"{}\"); see gpokit kerberos show",
                                          r.name, terminal_text(*r.mit_value)));
        if (v.kdcs.empty()) {
            text += fmt::format("    # {}: no KDC in the GPO; clients find them through DNS SRV records\n", r.name);
            continue;
        }
        text += fmt::format("    {} = {{\n", r.name);
        for (const auto& k : v.kdcs) {
            checked("KDC", k, kerberos::validate_kdc);
            text += fmt::format("        kdc = {}\n", k);
        }
        text += "    }\n";
    }
    text += "\n[domain_realm]\n";
    for (const auto& r : settings.realms) {
        if (!settings.map_enabled || !r.map_value)
            continue;
        checked("realm", r.name, kerberos::validate_realm);
        for (const auto& entry : kerberos::parse_map_value(*r.map_value)) {
            checked("host-name mapping", entry, kerberos::validate_map_entry);
            text += fmt::format("    {} = {}\n", entry, r.name);
        }
    }
    out << text;
}

} // namespace gpokit::render
