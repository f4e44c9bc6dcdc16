// Readers for the text forms a registry.pol can be built from:
//
// * gpokit's own JSON (`pol show --format json`): {"records": [...]} or
//   {"effective": [...]}, each entry {"key", "value", "type", "data"[, "raw"]}, with
//   optional "key_hex"/"value_hex" for names that are not valid UTF-16, and
//   "trailing" (hex) for bytes kept after the last record.
// * samba-tool's JSON: a list of {"keyname", "valuename", "class", "type", "data"}.
// * LGPO.exe text (`LGPO /parse`), with gpokit's extensions for the types LGPO
//   lacks (see pol/lgpo.hpp and the README).
//
// Every reader refuses what it cannot represent exactly, with the origin and a line
// and column (text) or an entry index (JSON) in the message.
#pragma once

#include "pol/pol_file.hpp"

#include <optional>
#include <string>

namespace gpokit::pol {

enum class Side { machine, user };

struct TextInput {
    util::Bytes bytes;
    std::string origin;
};

// Detects the form (JSON object, JSON list, LGPO text) and builds a PolFile. For
// inputs that hold both sides, `side` selects one; without it such input is refused.
// Throws util::Error.
PolFile build_from_text(const TextInput& input, std::optional<Side> side);

PolFile read_json(const TextInput& input, std::optional<Side> side);
PolFile read_lgpo_text(const TextInput& input, std::optional<Side> side);

// Decodes a text file as UTF-8: UTF-16LE with BOM (as LGPO and Windows write it) is
// converted, a UTF-8 BOM dropped. Throws util::Error for invalid encodings.
std::string decode_text_file(const TextInput& input);

} // namespace gpokit::pol
