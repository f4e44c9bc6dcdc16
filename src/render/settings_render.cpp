#include "render/settings_render.hpp"

#include "render/escape.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

namespace gpokit::render {

void settings_text(const std::vector<gpo::GpoSetting>& settings, std::size_t indent, bool titles, std::ostream& out)
{
    const std::string outer(indent, ' ');
    const std::string in(indent + (titles ? 2 : 0), ' ');
    std::optional<gpo::SettingsFile> title;
    const std::string* area = nullptr;
    for (const auto& s : settings) {
        if (titles && (!title || gpo::settings_title(*title) != std::string_view(gpo::settings_title(s.file)))) {
            out << outer << gpo::settings_title(s.file) << '\n';
            area = nullptr;
        }
        title = s.file;
        if (!area || *area != s.area)
            out << in << terminal_text(s.area) << '\n';
        area = &s.area;
        out << fmt::format("{}  {}: {}\n", in, terminal_text(s.name), terminal_text(s.value));
    }
}

void settings_json(util::JsonWriter& json, const std::vector<gpo::GpoSetting>& settings)
{
    json.begin_array();
    for (const auto& s : settings) {
        json.begin_object();
        json.member("scope", s.file == gpo::SettingsFile::preferences ? "preferences" : "security");
        json.member("area", s.area);
        json.member("name", s.name);
        json.member("value", s.value);
        json.member("file", s.origin);
        json.member("line", static_cast<std::uint64_t>(s.line));
        json.end_object();
    }
    json.end_array();
}

} // namespace gpokit::render
