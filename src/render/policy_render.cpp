#include "render/policy_render.hpp"

#include "gpo/gpo.hpp"
#include "pol/reg_type.hpp"
#include "render/escape.hpp"
#include "render/pol_render.hpp"
#include "render/settings_render.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

namespace gpokit::render {

namespace {

const char* class_name(policy::PolicyClass c)
{
    return c == policy::PolicyClass::machine ? "machine" : c == policy::PolicyClass::user ? "user" : "both";
}

} // namespace

void policy_list(const policy::Catalogue& c, Format format, std::ostream& out)
{
    if (format == Format::json) {
        util::JsonWriter json(out);
        json.begin_document("gpokit-policy-list/1");
        json.key("policies");
        json.begin_array();
        for (const auto& p : c.policies()) {
            json.begin_object();
            json.member("name", p.full_name());
            json.member("namespace", p.ns);
            json.member("display_name", p.display_name);
            json.member("class", class_name(p.cls));
            json.member("category", p.category);
            json.member("key", p.key);
            json.member("source", p.source);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        return;
    }
    for (const auto& p : c.policies())
        out << fmt::format("{}  [{}]  {}\n", terminal_text(p.full_name()), class_name(p.cls),
                           terminal_text(p.display_name));
    out << fmt::format("{} policies from {} file{}\n", c.policies().size(), c.file_count(),
                       c.file_count() == 1 ? "" : "s");
}

void policy_show(const std::vector<policy::SideReport>& reports, Format format, std::ostream& out)
{
    if (format == Format::json) {
        util::JsonWriter json(out);
        json.begin_document("gpokit-policy-show/1");
        for (const auto& r : reports) {
            json.key(gpo::side_name(r.side));
            json.begin_object();
            json.key("policies");
            json.begin_array();
            for (const auto& [p, reading] : r.configured) {
                json.begin_object();
                json.member("name", p->full_name());
                json.member("display_name", p->display_name);
                json.member("category", p->category);
                json.member("state", policy::state_name(reading.state));
                json.key("elements");
                json.begin_object();
                for (const auto& [id, v] : reading.elements)
                    json.member(id, policy::element_text(v));
                json.end_object();
                json.end_object();
            }
            json.end_array();
            json.key("registry");
            json.begin_array();
            for (const auto& v : r.unmapped) {
                json.begin_object();
                json.member("key", v.key);
                json.member("value", v.value);
                json.member("type", pol::type_name(v.type));
                json_data(json, v.type, v.data);
                json.end_object();
            }
            json.end_array();
            json.key("settings");
            settings_json(json, r.settings);
            json.end_object();
        }
        json.end_object();
        return;
    }
    for (const auto& r : reports) {
        out << (r.side == pol::Side::machine ? "Computer Configuration" : "User Configuration") << '\n';
        for (const auto& [p, reading] : r.configured) {
            out << fmt::format("  {}: {}   ({})\n", terminal_text(p->display_name), policy::state_name(reading.state),
                               terminal_text(p->full_name()));
            for (const auto& [id, v] : reading.elements)
                out << fmt::format("      {} = {}\n", terminal_text(id), terminal_text(policy::element_text(v)));
        }
        if (!r.unmapped.empty()) {
            out << "  registry values no known policy writes:\n";
            for (const auto& v : r.unmapped)
                out << fmt::format("    {} ! {} = {} {}\n", terminal_text(v.key),
                                   v.value.empty() ? std::string("(default)") : terminal_text(v.value),
                                   pol::type_name(v.type), data_for_humans(v.type, v.data));
        }
        settings_text(r.settings, 2, true, out);
        if (r.configured.empty() && r.unmapped.empty() && r.settings.empty())
            out << "  (nothing configured)\n";
    }
}

} // namespace gpokit::render
