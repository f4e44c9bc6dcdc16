// What `live push` shows before it asks: the differences from the live GPO to the source
// that it carries (registry and security template settings), then every write the push
// will make, with the bookkeeping's notes.
#pragma once

#include "live/push.hpp"

#include <ostream>

namespace gpokit::render {

void push_preview(const live::PushSession& session, std::ostream& out);

} // namespace gpokit::render
