// A GPO's settings other than its registry values (gpo/gpo_settings.hpp: the security
// template, the advanced audit policy, preferences) listed by area, as `gpo show` and
// `policy show` print them.
#pragma once

#include "gpo/gpo_settings.hpp"
#include "util/json_writer.hpp"

#include <cstddef>
#include <ostream>
#include <vector>

namespace gpokit::render {

// Each area once ("Kerberos Policy"), `indent` spaces in, then its settings two spaces
// further ("Maximum lifetime for user ticket: 10 hours"), in the list's order; with
// `titles`, "Security Settings" or "Preferences" above their areas, which move two
// spaces in.
void settings_text(const std::vector<gpo::GpoSetting>& settings, std::size_t indent, bool titles, std::ostream& out);

// A JSON array: {"scope", "area", "name", "value", "file", "line"} per setting
// ("scope" "security" or "preferences", as in diff's JSON).
void settings_json(util::JsonWriter& json, const std::vector<gpo::GpoSetting>& settings);

} // namespace gpokit::render
