#include "pol/text_forms.hpp"

#include "pol/effective.hpp"
#include "pol/lgpo.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/error.hpp"
#include "util/json_schema.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gpokit::pol {

using nlohmann::json;

std::string decode_text_file(const TextInput& input)
{
    const util::ByteView b(input.bytes);
    if (b.size() >= 2 && b[0] == std::byte{0xff} && b[1] == std::byte{0xfe}) {
        auto text = util::utf16le_to_utf8(b.subspan(2, (b.size() - 2) & ~std::size_t{1}));
        if (!text || b.size() % 2 != 0)
            throw util::Error(input.origin + ": not valid UTF-16LE text");
        return *text;
    }
    std::string text(reinterpret_cast<const char*>(b.data()), b.size());
    if (text.rfind("\xef\xbb\xbf", 0) == 0)
        text.erase(0, 3);
    if (const std::string checked = util::printable(text); checked != text) {
        std::size_t at = 0;
        while (at < text.size() && text[at] == checked[at])
            ++at;
        std::size_t line = 1;
        std::size_t column = 1;
        for (std::size_t i = 0; i < at; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw util::ParseError(util::Position::at_line(input.origin, line, column), "invalid UTF-8");
    }
    return text;
}

namespace {

// ---- JSON ------------------------------------------------------------------------

std::string where(const std::string& origin, std::string_view list, std::size_t index)
{
    return fmt::format("{}: {}[{}] (record {})", origin, list, index, index + 1);
}

const json& member(const json& obj, const char* name, const std::string& at)
{
    const auto it = obj.find(name);
    if (it == obj.end())
        throw util::Error(fmt::format("{}: missing \"{}\"", at, name));
    return *it;
}

std::u16string name_field(const json& obj, const char* text_name, const char* hex_name, const std::string& at)
{
    if (const auto hex = obj.find(hex_name); hex != obj.end()) {
        if (!hex->is_string())
            throw util::Error(fmt::format("{}: \"{}\" must be a hex string", at, hex_name));
        const util::Bytes bytes = util::from_hex(hex->get<std::string>());
        if (bytes.size() % 2 != 0)
            throw util::Error(fmt::format("{}: \"{}\" must hold whole UTF-16 code units", at, hex_name));
        return util::utf16le_to_u16(bytes);
    }
    const json& v = member(obj, text_name, at);
    if (!v.is_string())
        throw util::Error(fmt::format("{}: \"{}\" must be a string", at, text_name));
    return util::utf8_to_u16(v.get<std::string>());
}

std::uint32_t type_field(const json& v, const std::string& at)
{
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= 0xffffffffu)
        return v.get<std::uint32_t>();
    if (v.is_string())
        if (auto t = parse_type_name(v.get<std::string>()))
            return *t;
    throw util::Error(fmt::format("{}: unknown type {}", at, v.dump()));
}

Value typed_data(std::uint32_t type, const json& data, const std::string& at)
{
    auto bad = [&](std::string_view want) {
        return util::Error(fmt::format("{}: {} data must be {}, got {}", at, type_name(type), want, data.dump()));
    };
    switch (type) {
    case k_reg_sz:
    case k_reg_expand_sz:
        if (!data.is_string())
            throw bad("a string");
        return data.get<std::string>();
    case k_reg_dword:
    case k_reg_dword_big_endian:
    case k_reg_qword:
        if (!data.is_number_unsigned())
            throw bad("a non-negative integer");
        return data.get<std::uint64_t>();
    case k_reg_multi_sz: {
        if (data.is_string())
            return Strings{data.get<std::string>()};
        if (!data.is_array())
            throw bad("a list of strings");
        Strings items;
        for (const auto& item : data) {
            if (!item.is_string())
                throw bad("a list of strings");
            items.push_back(item.get<std::string>());
        }
        return items;
    }
    default:
        if (data.is_string())
            return RawData{util::from_hex(data.get<std::string>())};
        if (data.is_array()) { // samba-tool writes bytes as a list of numbers
            RawData raw;
            for (const auto& item : data) {
                if (!item.is_number_unsigned() || item.get<std::uint64_t>() > 255)
                    throw bad("hex or a list of bytes");
                raw.bytes.push_back(static_cast<std::byte>(item.get<unsigned>()));
            }
            return raw;
        }
        if (data.is_null())
            return RawData{};
        throw bad("hex or a list of bytes");
    }
}

util::Bytes data_field(const json& obj, std::uint32_t type, const char* name, const std::string& at)
{
    const auto it = obj.find(name);
    const json data = it == obj.end() ? json(nullptr) : *it;
    const auto raw_member = obj.find("raw"); // not value("raw", false): it throws nlohmann's type_error for a non-boolean
    if (raw_member != obj.end() && !raw_member->is_boolean())
        throw util::Error(fmt::format("{}: \"raw\" must be true or false", at));
    const bool raw = raw_member != obj.end() && raw_member->get<bool>();
    try {
        if (raw) {
            if (!data.is_string())
                throw util::Error("raw data must be a hex string");
            return util::from_hex(data.get<std::string>());
        }
        if (data.is_null() && has_typed_form(type))
            throw util::Error(fmt::format("missing \"{}\"", name));
        return encode(type, typed_data(type, data, at));
    } catch (const util::Error& e) {
        const std::string msg = e.what();
        if (msg.rfind(at, 0) == 0)
            throw;
        throw util::Error(fmt::format("{}: {}", at, msg));
    }
}

bool side_matches(const json& entry, std::optional<Side> side, const std::string& at, bool& saw_machine,
                  bool& saw_user)
{
    const auto it = entry.find("class");
    if (it == entry.end())
        return true;
    const std::string cls = it->is_string() ? it->get<std::string>() : std::string();
    const bool machine = cls == "MACHINE" || cls == "BOTH";
    const bool user = cls == "USER" || cls == "BOTH";
    if (!machine && !user)
        throw util::Error(fmt::format("{}: \"class\" must be MACHINE, USER or BOTH", at));
    saw_machine |= machine;
    saw_user |= user;
    if (!side)
        return true;
    return *side == Side::machine ? machine : user;
}

PolFile read_gpokit_json(const json& doc, const std::string& origin)
{
    PolFile file;
    file.set_origin(origin);
    const char* list = doc.contains("records") ? "records" : "effective";
    const auto it = doc.find(list);
    if (it == doc.end() || !it->is_array())
        throw util::Error(origin + ": expected a \"records\" or \"effective\" list");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& e = (*it)[i];
        const std::string at = where(origin, list, i);
        if (!e.is_object())
            throw util::Error(at + ": expected an object");
        const std::u16string key = name_field(e, "key", "key_hex", at);
        const std::u16string value = name_field(e, "value", "value_hex", at);
        const std::uint32_t type = type_field(member(e, "type", at), at);
        const util::Bytes data = data_field(e, type, "data", at);
        file.records.push_back(file.make_record(key, value, type, data));
    }
    if (std::string_view(list) == "effective") {
        // Keys listed without values (created) or with their ACL set, then normalise the
        // whole as `show --effective` does, so both text forms build the same file.
        if (const auto keys = doc.find("keys"); keys != doc.end() && keys->is_array()) {
            for (std::size_t i = 0; i < keys->size(); ++i) {
                const json& e = (*keys)[i];
                const std::string at = where(origin, "keys", i);
                const std::u16string key = name_field(e, "key", "key_hex", at);
                if (const auto secured = e.find("secured"); secured != e.end() && secured->is_boolean()) {
                    util::Bytes flag;
                    util::append_u32le(flag, secured->get<bool>() ? 1 : 0);
                    file.records.push_back(file.make_record(key, u"**SecureKey", k_reg_dword, flag));
                } else {
                    file.records.push_back(file.make_record(key, u"", k_reg_none, {}));
                }
            }
        }
        return to_pol(apply(file), origin);
    }
    if (const auto t = doc.find("trailing"); t != doc.end()) {
        if (!t->is_string())
            throw util::Error(origin + ": \"trailing\" must be a hex string");
        file.set_trailing(util::from_hex(t->get<std::string>()));
    }
    return file;
}

PolFile read_samba_json(const json& doc, const std::string& origin, std::optional<Side> side)
{
    PolFile file;
    file.set_origin(origin);
    bool saw_machine = false;
    bool saw_user = false;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const json& e = doc[i];
        const std::string at = where(origin, "", i);
        if (!e.is_object())
            throw util::Error(at + ": expected an object");
        if (!side_matches(e, side, at, saw_machine, saw_user))
            continue;
        const std::u16string key = name_field(e, "keyname", "keyname_hex", at);
        const std::u16string value = name_field(e, "valuename", "valuename_hex", at);
        const std::uint32_t type = type_field(member(e, "type", at), at);
        const util::Bytes data = data_field(e, type, "data", at);
        file.records.push_back(file.make_record(key, value, type, data));
    }
    if (!side && saw_machine && saw_user)
        throw util::Error(origin + ": the list holds MACHINE and USER entries; choose one with --side");
    return file;
}

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset)
{
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// ---- LGPO text ---------------------------------------------------------------------

std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

PolFile parse_json(const std::string& text, const std::string& origin, std::optional<Side> side)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string msg = e.what();
        if (const auto p = msg.find("parse error"); p != std::string::npos)
            msg = msg.substr(p);
        throw util::ParseError(util::Position::at_line(origin, line, column), "invalid JSON: " + msg);
    } catch (const json::out_of_range& e) { // a number no double holds ("1e309") is not a parse_error
        throw util::ParseError(util::Position::of_file(origin), std::string("invalid JSON: ") + e.what());
    }
    if (doc.is_array())
        return read_samba_json(doc, origin, side);
    if (doc.is_object()) {
        util::check_schema(text, origin, util::schema_member(doc), {"gpokit-pol-records/1", "gpokit-pol-effective/1"});
        return read_gpokit_json(doc, origin);
    }
    throw util::Error(origin + ": expected a JSON object (gpokit) or list (samba-tool)");
}

PolFile parse_lgpo(const std::string& text, const std::string& origin, std::optional<Side> side)
{
    const auto lines = split_lines(text);
    PolFile file;
    file.set_origin(origin);
    bool saw_machine = false;
    bool saw_user = false;
    std::size_t i = 0;
    while (i < lines.size()) {
        const std::string_view first = lines[i];
        if (first.empty() || first.front() == ';') {
            ++i;
            continue;
        }
        const std::size_t line_no = i + 1;
        auto fail = [&](std::size_t line, std::string_view msg) {
            return util::ParseError(util::Position::at_line(origin, line, 1), msg);
        };
        bool machine = false;
        if (first == "Computer" || first == "computer" || first == "COMPUTER")
            machine = true;
        else if (first != "User" && first != "user" && first != "USER")
            throw fail(line_no, fmt::format("expected \"Computer\" or \"User\" to start a record, found \"{}\"", first));
        if (i + 3 >= lines.size())
            throw fail(line_no, "record is cut short: expected 4 lines (side, key, value name, action)");
        const std::string_view key = lines[i + 1];
        const std::string_view name = lines[i + 2];
        const std::string_view action = lines[i + 3];
        if (key.empty() || action.empty())
            throw fail(line_no, "record is cut short: expected 4 lines (side, key, value name, action)");
        i += 4;
        (machine ? saw_machine : saw_user) = true;
        if (side && (*side == Side::machine) != machine)
            continue;
        try {
            LgpoRecord r = from_lgpo(name, action);
            file.records.push_back(file.make_record(util::utf8_to_u16(key), r.value_name, r.type, r.data));
        } catch (const util::Error& e) {
            throw fail(line_no + 3, e.what());
        }
    }
    if (!side && saw_machine && saw_user)
        throw util::Error(origin + ": the text holds Computer and User records; choose one with --side");
    return file;
}

} // namespace

PolFile read_json(const TextInput& input, std::optional<Side> side)
{
    return parse_json(decode_text_file(input), input.origin, side);
}

PolFile read_lgpo_text(const TextInput& input, std::optional<Side> side)
{
    return parse_lgpo(decode_text_file(input), input.origin, side);
}

PolFile build_from_text(const TextInput& input, std::optional<Side> side)
{
    const std::string text = decode_text_file(input);
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '{' || text[first] == '['))
        return parse_json(text, input.origin, side);
    return parse_lgpo(text, input.origin, side);
}

} // namespace gpokit::pol
