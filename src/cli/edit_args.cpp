#include "cli/edit_args.hpp"

#include "pol/pol_edit.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

// The types --type offers (in --help, the manual page and completion); it also takes
// what pol::parse_type_name takes: REG_DWORD, any case, a type number.
CLI::Validator type_names()
{
    return CLI::Validator(
        [](std::string& input) {
            return pol::parse_type_name(input) ? std::string() : "unknown type \"" + input + "\"";
        },
        "{sz,expand_sz,dword,dword_be,qword,multi_sz,binary,none}", "registry type");
}

} // namespace

void add_edit_arguments(CLI::App& sub, const std::shared_ptr<EditArgs>& a)
{
    sub.add_option("KEY", a->key, "key path without hive, e.g. Software\\Policies\\Contoso")->required();
    if (a->kind == EditKind::delete_) {
        sub.add_option("VALUE", a->value, "value name (without it: the key and every key below it)")
            ->each([a](const std::string&) { a->value_given = true; });
    } else if (a->kind != EditKind::clear_key) {
        sub.add_option("VALUE", a->value, "value name (\"\" for the key's default value)")->required();
    }
    if (a->kind == EditKind::set) {
        sub.add_option("--type", a->type, "the value's type (REG_ names and type numbers are also taken)")
            ->required()
            ->check(type_names());
        sub.add_option("--data", a->data,
                       "the data: text, a number (decimal or 0x-hex) or hex bytes; repeat for multi_sz")
            ->allow_extra_args(false);
    }
}

bool apply_edit(const EditArgs& o, pol::PolFile& file)
{
    const std::u16string key = util::utf8_to_u16(o.key);
    const std::u16string value = util::utf8_to_u16(o.value);
    switch (o.kind) {
    case EditKind::set: {
        const auto type = pol::parse_type_name(o.type);
        if (!type)
            throw util::Error(fmt::format("--type: unknown type \"{}\"", o.type));
        std::vector<std::string> data = o.data;
        if (data.empty() && (*type == pol::k_reg_none || *type == pol::k_reg_binary))
            data.emplace_back();
        if (data.empty() && *type != pol::k_reg_multi_sz)
            throw util::Error("--data is required for " + pol::type_name(*type));
        util::Bytes bytes;
        try {
            bytes = pol::encode_text(*type, data);
        } catch (const util::Error& e) {
            throw util::Error(std::string("--data: ") + e.what());
        }
        return pol::set_value(file, key, value, *type, bytes);
    }
    case EditKind::delete_:
        return o.value_given ? pol::delete_value(file, key, value) : pol::delete_key(file, key);
    case EditKind::disable:
        return pol::disable_value(file, key, value);
    case EditKind::clear_key:
        return pol::clear_key(file, key);
    }
    return false;
}

const char* edit_name(EditKind kind)
{
    switch (kind) {
    case EditKind::set: return "set";
    case EditKind::delete_: return "delete";
    case EditKind::disable: return "disable";
    case EditKind::clear_key: return "clear-key";
    }
    return "";
}

const char* edit_help(EditKind kind)
{
    switch (kind) {
    case EditKind::set: return "Set a value (replacing it in place, or adding it to its key)";
    case EditKind::delete_: return "Remove a value's records (or a whole key's) so that it is not configured";
    case EditKind::disable: return "Make clients delete a value (writes **del.VALUE in place of its records)";
    case EditKind::clear_key:
        return "Make clients delete every value of a key first (writes **delvals. at the top of the key)";
    }
    return "";
}

} // namespace gpokit::cli
