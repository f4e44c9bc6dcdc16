#include "render/kerberos_render.hpp"

#include "render/escape.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

namespace gpokit::render {

namespace {

void show_json(const kerberos::RealmSettings& settings, const std::vector<std::string>& warnings, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_object();
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

} // namespace gpokit::render
