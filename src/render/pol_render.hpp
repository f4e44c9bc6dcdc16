// Renderers for registry.pol models: records (file order, with offsets) or the
// effective state, as text for people, JSON for programs, or LGPO.exe text.
// They only read the model and write to the stream; they never fail on odd data
// (raw bytes are shown as hex), except LGPO text, which cannot carry line breaks
// in names (util::Error).
//
// JSON shape (documented in the README, kept stable for other commands):
//   {"file": "...", "records": [{"offset": N, "key": "...", "value": "...",
//     "type": "REG_DWORD", "size": N, "data": ...}], "trailing": "hex"?}
//   {"file": "...", "effective": [{"key", "value", "type", "data"}],
//    "keys": [{"key", "secured"?}]}   (keys without values, or with **SecureKey)
// data: string (REG_SZ, REG_EXPAND_SZ, without the NUL), number (REG_DWORD,
// REG_DWORD_BIG_ENDIAN, REG_QWORD), list of strings (REG_MULTI_SZ), lower-case hex
// for everything else; "raw": true marks hex for a type that normally has a typed
// form. Names that are not valid UTF-16 also get "key_hex"/"value_hex".
#pragma once

#include "pol/effective.hpp"
#include "pol/pol_file.hpp"
#include "pol/text_forms.hpp"
#include "util/json_writer.hpp"

#include <ostream>

namespace gpokit::render {

void records_text(const pol::PolFile& file, std::ostream& out);
void records_json(const pol::PolFile& file, std::ostream& out);
void effective_text(const pol::PolFile& file, const pol::EffectiveState& state, std::ostream& out);
void effective_json(const pol::PolFile& file, const pol::EffectiveState& state, std::ostream& out);

// LGPO text of the records, each marked `Computer` or `User` by `side`.
void records_lgpo(const pol::PolFile& file, pol::Side side, std::ostream& out);

// The list of records, [{"offset", "key", "value", "type", "size", "data"}...].
void records_values_json(util::JsonWriter& json, const pol::PolFile& file);

// The list of effective values, [{"key", "value", "type", "data"}...].
void effective_values_json(util::JsonWriter& json, const pol::EffectiveState& state);

// The "data" member (and "raw": true when needed) for one value.
void json_data(util::JsonWriter& json, std::uint32_t type, util::ByteView data);

// One value's data for people: "text" with escapes, 1 (0x00000001), ["a", "b"], hex.
std::string data_for_humans(std::uint32_t type, util::ByteView data);

} // namespace gpokit::render
