#include "render/pol_render.hpp"

#include "pol/directive.hpp"
#include "pol/lgpo.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "render/escape.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <iterator>

namespace gpokit::render {

using pol::Record;

namespace {

constexpr std::size_t k_hex_shown = 64; // bytes of raw data shown in text output

std::string quote_text(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
            else
                out += c;
        }
    }
    return terminal_text(out + "\""); // DEL and C1 controls too
}

void name_members(util::JsonWriter& json, const char* name, const char* hex_name, util::ByteView bytes)
{
    if (auto text = util::utf16le_to_utf8(bytes)) {
        json.member(name, *text);
        return;
    }
    json.member(name, util::utf16le_to_utf8_lossy(bytes));
    json.member(hex_name, util::to_hex(bytes));
}

std::string value_label(std::u16string_view name)
{
    return name.empty() ? std::string("(default)") : terminal_text(util::u16_to_utf8_lossy(name));
}

// "delete value X" and friends, for text output.
std::string directive_note(const Record& r)
{
    const pol::Directive d = pol::classify(r);
    switch (d.kind) {
    case pol::DirectiveKind::del:
        return fmt::format("delete value {}", quote_text(util::u16_to_utf8_lossy(d.target)));
    case pol::DirectiveKind::delvals:
        return "delete all values of the key";
    case pol::DirectiveKind::delete_values:
        return "delete the values named in data";
    case pol::DirectiveKind::delete_keys:
        return "delete the subkeys named in data";
    case pol::DirectiveKind::secure_key:
        return "set the key's ACL";
    case pol::DirectiveKind::soft:
        return fmt::format("set {} only if absent", quote_text(util::u16_to_utf8_lossy(d.target)));
    case pol::DirectiveKind::create_key:
        return "create the key";
    case pol::DirectiveKind::unknown:
        return "unknown directive";
    case pol::DirectiveKind::none:
        break;
    }
    return {};
}

} // namespace

std::string data_for_humans(std::uint32_t type, util::ByteView data)
{
    const pol::Value v = pol::decode(type, data);
    if (const auto* s = std::get_if<std::string>(&v))
        return quote_text(*s);
    if (const auto* n = std::get_if<std::uint64_t>(&v))
        return type == pol::k_reg_qword ? fmt::format("{} ({:#018x})", *n, *n) : fmt::format("{} ({:#010x})", *n, *n);
    if (const auto* list = std::get_if<pol::Strings>(&v)) {
        std::string out = "[";
        for (std::size_t i = 0; i < list->size(); ++i)
            out += (i ? ", " : "") + quote_text((*list)[i]);
        return out + "]";
    }
    std::string out = data.empty() ? std::string("(no data)") : "hex:" + util::to_hex(data.first(std::min(data.size(), k_hex_shown)));
    if (data.size() > k_hex_shown)
        out += fmt::format("... ({} bytes)", data.size());
    if (pol::has_typed_form(type))
        out += fmt::format(" (malformed {}, {} bytes)", pol::type_name(type), data.size());
    return out;
}

void json_data(util::JsonWriter& json, std::uint32_t type, util::ByteView data)
{
    const pol::Value v = pol::decode(type, data);
    json.key("data");
    if (const auto* s = std::get_if<std::string>(&v)) {
        json.value(*s);
    } else if (const auto* n = std::get_if<std::uint64_t>(&v)) {
        json.value(*n);
    } else if (const auto* list = std::get_if<pol::Strings>(&v)) {
        json.begin_array();
        for (const auto& item : *list)
            json.value(item);
        json.end_array();
    } else {
        json.value(util::to_hex(data));
        if (pol::has_typed_form(type)) {
            json.member("raw", true);
        }
    }
}

void records_text(const pol::PolFile& file, std::ostream& out)
{
    out << fmt::format("{}: {} record{}\n", terminal_text(file.origin()), file.records.size(),
                       file.records.size() == 1 ? "" : "s");
    std::u16string previous_key;
    bool first = true;
    for (const auto& r : file.records) {
        const std::u16string key = r.key_u16();
        if (first || key != previous_key)
            out << terminal_text(util::u16_to_utf8_lossy(key)) << '\n';
        first = false;
        previous_key = key;
        const std::string offset = r.offset == pol::k_no_offset ? std::string("new") : fmt::format("{:#x}", r.offset);
        const std::string note = directive_note(r);
        out << fmt::format("  {:>8}  {} = {} {}", offset, value_label(r.value_u16()), pol::type_name(r.type),
                           data_for_humans(r.type, r.data));
        if (!note.empty())
            out << "   ; " << note;
        out << '\n';
    }
    if (!file.trailing().empty())
        out << fmt::format("  {:#8x}  {} trailing bytes after the last record (kept as is)\n", file.trailing_offset(),
                           file.trailing().size());
}

void records_json(const pol::PolFile& file, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-pol-records/1");
    json.member("file", file.origin());
    json.key("records");
    records_values_json(json, file);
    if (!file.trailing().empty()) {
        json.member("trailing_offset", file.trailing_offset());
        json.member("trailing", util::to_hex(file.trailing()));
    }
    json.end_object();
}

void records_values_json(util::JsonWriter& json, const pol::PolFile& file)
{
    json.begin_array();
    for (const auto& r : file.records) {
        json.begin_object();
        if (r.offset != pol::k_no_offset) {
            json.member("offset", static_cast<std::uint64_t>(r.offset));
        }
        name_members(json, "key", "key_hex", r.key);
        name_members(json, "value", "value_hex", r.value);
        json.member("type", pol::type_name(r.type));
        json.member("size", static_cast<std::uint64_t>(r.data.size()));
        json_data(json, r.type, r.data);
        json.end_object();
    }
    json.end_array();
}

void effective_text(const pol::PolFile& file, const pol::EffectiveState& state, std::ostream& out)
{
    const std::size_t n = state.value_count();
    out << fmt::format("{}: {} effective value{} in {} key{}\n", terminal_text(file.origin()), n, n == 1 ? "" : "s",
                       state.keys.size(), state.keys.size() == 1 ? "" : "s");
    for (const auto& k : state.keys) {
        out << terminal_text(util::u16_to_utf8_lossy(k.name));
        if (k.secured)
            out << (*k.secured ? "   ; ACL secured" : "   ; ACL reset");
        out << '\n';
        for (const auto& v : k.values)
            out << fmt::format("  {} = {} {}\n", value_label(v.name), pol::type_name(v.type),
                               data_for_humans(v.type, v.data));
    }
}

void effective_values_json(util::JsonWriter& json, const pol::EffectiveState& state)
{
    json.begin_array();
    for (const auto& k : state.keys) {
        const util::Bytes key_bytes = util::u16_to_utf16le(k.name);
        for (const auto& v : k.values) {
            json.begin_object();
            name_members(json, "key", "key_hex", key_bytes);
            name_members(json, "value", "value_hex", util::u16_to_utf16le(v.name));
            json.member("type", pol::type_name(v.type));
            json_data(json, v.type, v.data);
            json.end_object();
        }
    }
    json.end_array();
}

void effective_json(const pol::PolFile& file, const pol::EffectiveState& state, std::ostream& out)
{
    util::JsonWriter json(out);
    json.begin_document("gpokit-pol-effective/1");
    json.member("file", file.origin());
    json.key("effective");
    effective_values_json(json, state);
    // Keys that hold no value, or whose ACL a record set: what to_pol() needs besides values.
    json.key("keys");
    json.begin_array();
    for (const auto& k : state.keys) {
        if (!k.values.empty() && !k.secured)
            continue;
        json.begin_object();
        name_members(json, "key", "key_hex", util::u16_to_utf16le(k.name));
        if (k.secured) {
            json.member("secured", *k.secured);
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

void records_lgpo(const pol::PolFile& file, pol::Side side, std::ostream& out)
{
    // Everything is converted before anything is printed: a file LGPO text cannot carry
    // is refused whole, never cut off half-way in a pipe.
    if (!file.trailing().empty())
        throw util::Error(util::at_offset(file.origin(), file.trailing_offset(),
                                          fmt::format("{} bytes after the last record cannot be written as LGPO text; "
                                                      "use --format json",
                                                      file.trailing().size())));
    std::vector<pol::LgpoLines> lines;
    lines.reserve(file.records.size());
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const Record& r = file.records[i];
        try {
            lines.push_back(pol::to_lgpo(r));
        } catch (const util::Error& e) {
            throw util::Error(util::at_offset(file.origin(), r.offset == pol::k_no_offset ? 0 : r.offset,
                                              fmt::format("record {}: {}", i + 1, e.what())));
        }
    }
    const char* side_name = side == pol::Side::machine ? "Computer" : "User";
    std::vector<std::string> keys;
    keys.reserve(file.records.size());
    std::size_t size = 256 + file.origin().size();
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        keys.push_back(*util::utf16le_to_utf8(file.records[i].key));
        size += 16 + keys.back().size() + lines[i].value_name.size() + lines[i].action.size();
    }
    std::string text;
    text.reserve(size); // sized once: a large file's text is not copied as it grows
    util::prefer_huge_pages(text.data(), text.capacity());
    text += "; ----------------------------------------------------------------------\n";
    text += "; gpokit: " + util::printable(file.origin()) + "\n\n";
    for (std::size_t i = 0; i < file.records.size(); ++i)
        fmt::format_to(std::back_inserter(text), "{}\n{}\n{}\n{}\n\n", side_name, keys[i], lines[i].value_name,
                       lines[i].action);
    text += "; ----------------------------------------------------------------------\n";
    out << text;
}

} // namespace gpokit::render
