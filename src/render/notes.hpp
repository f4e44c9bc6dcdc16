// The bookkeeping notes of an edit or a push (gpo/bookkeeping.hpp) as lines for people.
#pragma once

#include "gpo/bookkeeping.hpp"

#include <string>

namespace gpokit::render {

// One line, e.g. "MachineVersionNumber 5 -> 6 (sysvol 5 -> 6, directory 5 -> 6)".
std::string note_text(const gpo::Note& note);

} // namespace gpokit::render
