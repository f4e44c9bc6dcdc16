#include "pol/lgpo.hpp"

#include "pol/directive.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

namespace gpokit::pol {

namespace {

// LGPO /parse doubles every backslash in string data (a real dump beside its
// registry.pol shows SZ:C:\\windows\\web for the data C:\windows\web); a lone
// backslash that starts no escape is read as itself, as people write paths by hand.
std::string escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        if (c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

// Unescapes one string; with `split`, "\0" separates MULTI_SZ items.
Strings unescape(std::string_view s, bool split)
{
    Strings out(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
            out.back() += '\\';
            ++i;
        } else if (split && s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '0') {
            out.emplace_back();
            ++i;
        } else {
            out.back() += s[i];
        }
    }
    return out;
}

bool has_line_break(std::string_view s)
{
    return s.find_first_of("\r\n") != std::string_view::npos;
}

std::string raw_action(const Record& r)
{
    return fmt::format("RAW:{}:{}", r.type, util::to_hex(r.data));
}

bool is_placeholder(const Record& r)
{
    return r.type == k_reg_sz && util::equal(r.data, directive_placeholder());
}

// Exact spelling check: DELETE and DELETEALLVALUES are read back as "**del." and
// "**delvals." in this spelling, so only records spelled so may use them.
bool starts_with_exact(std::u16string_view name, std::u16string_view prefix)
{
    return name.substr(0, prefix.size()) == prefix;
}

// The action for typed data, or nullopt if the typed form cannot be written on one line.
std::optional<std::string> typed_action(const Record& r)
{
    const Value v = decode(r.type, r.data);
    if (std::holds_alternative<RawData>(v)) {
        if (r.type == k_reg_binary)
            return "BINARY:" + util::to_hex(r.data);
        if (r.type == k_reg_none)
            return "NONE:" + util::to_hex(r.data);
        return std::nullopt;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        if (has_line_break(*s))
            return std::nullopt;
        return (r.type == k_reg_sz ? "SZ:" : "EXSZ:") + escape(*s);
    }
    if (const auto* n = std::get_if<std::uint64_t>(&v)) {
        const char* tag = r.type == k_reg_dword ? "DWORD" : r.type == k_reg_qword ? "QWORD" : "DWORD_BE";
        return fmt::format("{}:{}", tag, *n);
    }
    const auto& items = std::get<Strings>(v);
    std::string joined;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (has_line_break(items[i]))
            return std::nullopt;
        if (i != 0)
            joined += "\\0";
        joined += escape(items[i]);
    }
    return "MULTISZ:" + joined;
}

} // namespace

LgpoLines to_lgpo(const Record& r)
{
    const std::u16string name = r.value_u16();
    const auto key_utf8 = util::utf16le_to_utf8(r.key);
    const auto exact_name = util::utf16le_to_utf8(r.value);
    if (!key_utf8 || !exact_name)
        throw util::Error("a key or value name holds an unpaired UTF-16 surrogate, which LGPO text cannot carry; "
                          "use --format json");
    const std::string& name_utf8 = *exact_name;
    if (has_line_break(*key_utf8) || has_line_break(name_utf8))
        throw util::Error("a key or value name holds a line break, which LGPO text cannot carry; "
                          "use --format json");
    if (key_utf8->empty())
        throw util::Error("an empty key name cannot be written as LGPO text (its line would end the record); "
                          "use --format json");

    if (name == k_delvals && is_placeholder(r))
        return {"*", "DELETEALLVALUES"};
    if (name.empty() && r.type == k_reg_none && r.data.empty())
        return {"*", "CREATEKEY"};
    if (name_utf8 == "@")
        throw util::Error("a value named \"@\" cannot be told from the default value in LGPO text; "
                          "use --format json");
    if (starts_with_exact(name, u"**del.") && name.size() > 6 && name_utf8 != "**del.@" && is_placeholder(r))
        return {name_utf8.substr(6), "DELETE"};

    std::string shown = name.empty() ? "@" : name_utf8;
    if (auto action = typed_action(r))
        return {std::move(shown), std::move(*action)};
    return {std::move(shown), raw_action(r)};
}

LgpoRecord from_lgpo(std::string_view name_line, std::string_view action)
{
    LgpoRecord out;
    const std::u16string name = name_line == "@" ? std::u16string() : util::utf8_to_u16(name_line);
    out.value_name = name;

    const auto colon = action.find(':');
    const std::string_view verb = action.substr(0, colon);
    const std::string_view arg = colon == std::string_view::npos ? std::string_view() : action.substr(colon + 1);
    const bool has_arg = colon != std::string_view::npos;
    auto placeholder = [] {
        const auto p = directive_placeholder();
        return util::Bytes(p.begin(), p.end());
    };

    if (!has_arg) {
        if (verb == "DELETE") {
            out.value_name = del_name(name);
            out.type = k_reg_sz;
            out.data = placeholder();
            return out;
        }
        if (verb == "DELETEALLVALUES") {
            out.value_name = std::u16string(k_delvals);
            out.type = k_reg_sz;
            out.data = placeholder();
            return out;
        }
        if (verb == "CREATEKEY") {
            out.value_name.clear();
            out.type = k_reg_none;
            return out;
        }
        throw util::Error(fmt::format("unknown action \"{}\"", action));
    }
    if (verb == "SZ" || verb == "EXSZ") {
        out.type = verb == "SZ" ? k_reg_sz : k_reg_expand_sz;
        out.data = encode(out.type, Value{unescape(arg, false).front()});
    } else if (verb == "DWORD" || verb == "DWORD_BE" || verb == "QWORD") {
        out.type = verb == "DWORD" ? k_reg_dword : verb == "QWORD" ? k_reg_qword : k_reg_dword_big_endian;
        out.data = encode_text(out.type, {std::string(arg)});
    } else if (verb == "MULTISZ") {
        out.type = k_reg_multi_sz;
        out.data = encode(out.type, Value{arg.empty() ? Strings{} : unescape(arg, true)});
    } else if (verb == "BINARY" || verb == "NONE") {
        out.type = verb == "BINARY" ? k_reg_binary : k_reg_none;
        out.data = util::from_hex(arg);
    } else if (verb == "RAW") {
        const auto sep = arg.find(':');
        if (sep == std::string_view::npos)
            throw util::Error("RAW action needs RAW:<type number>:<hex bytes>");
        out.type = static_cast<std::uint32_t>(parse_unsigned(arg.substr(0, sep), 32));
        out.data = util::from_hex(arg.substr(sep + 1));
    } else {
        throw util::Error(fmt::format("unknown action \"{}\"", verb));
    }
    return out;
}

} // namespace gpokit::pol
