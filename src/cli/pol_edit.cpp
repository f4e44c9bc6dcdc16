// `gpokit pol set|delete|disable|clear-key FILE KEY ...`: edits on the record layer
// (see pol/pol_edit.hpp for the conventions kept). FILE is created when missing.
// Quiet on success; --dry-run prints the record changes without writing; --output
// writes the result elsewhere; otherwise FILE is replaced atomically. An edit that
// changes nothing writes nothing.
#include "cli/command.hpp"
#include "cli/pol_common.hpp"
#include "pol/pol_edit.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

enum class EditKind { set, delete_, disable, clear_key };

struct EditOptions {
    EditKind kind = EditKind::set;
    std::string file;
    std::string key;
    std::string value;
    bool value_given = false;
    std::string type;
    std::vector<std::string> data;
    bool dry_run = false;
    bool lenient = false;
    std::string output;
};

bool apply_edit(const EditOptions& o, pol::PolFile& file)
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

int run_edit(const EditOptions& o, Context& ctx)
{
    const pol::PolFile before = load_or_empty(o.file, o.lenient);
    pol::PolFile after = before;
    const bool changed = apply_edit(o, after);
    const std::string target = o.output.empty() ? o.file : o.output;
    if (o.dry_run) {
        if (changed)
            print_record_changes(before, after, ctx.out);
        else
            ctx.out << "no change\n";
        ctx.out << fmt::format("dry run: {} not written\n", target);
        return k_exit_ok;
    }
    if (changed || !o.output.empty())
        util::write_file_atomic(target, after.serialize());
    return k_exit_ok;
}

CLI::App* add_edit(CLI::App& pol, Command& command, EditKind kind, const char* name, const char* help,
                   const char* examples)
{
    auto o = std::make_shared<EditOptions>();
    o->kind = kind;
    CLI::App* sub = pol.add_subcommand(name, help);
    sub->add_option("FILE", o->file, "registry.pol to edit (created when missing)")->required();
    sub->add_option("KEY", o->key, "key path without hive, e.g. Software\\Policies\\Contoso")->required();
    if (kind == EditKind::delete_) {
        sub->add_option("VALUE", o->value, "value name (without it: the key and every key below it)")
            ->each([o](const std::string&) { o->value_given = true; });
    } else if (kind != EditKind::clear_key) {
        sub->add_option("VALUE", o->value, "value name (\"\" for the key's default value)")->required();
    }
    if (kind == EditKind::set) {
        sub->add_option("--type", o->type, "sz, expand_sz, dword, dword_be, qword, multi_sz, binary or none")
            ->required();
        sub->add_option("--data", o->data,
                        "the data: text, a number (decimal or 0x-hex) or hex bytes; repeat for multi_sz")
            ->allow_extra_args(false);
    }
    sub->add_flag("--dry-run", o->dry_run, "Print the record changes; write nothing");
    sub->add_option("--output", o->output, "Write the result to this file instead of FILE");
    sub->add_flag("--lenient", o->lenient, "Accept bytes after the last record (kept as they are)");
    sub->footer(examples);
    on_run(sub, command, o, run_edit);
    return sub;
}

} // namespace

void setup_pol_edit(CLI::App& pol, Command& command)
{
    add_edit(pol, command, EditKind::set, "set", "Set a value (replacing it in place, or adding it to its key)",
             R"(Examples:
  gpokit pol set Machine/registry.pol 'Software\Policies\Contoso' Enabled --type dword --data 1
  gpokit pol set registry.pol 'Software\Policies\Contoso' Servers --type multi_sz --data a.example --data b.example
  gpokit pol set registry.pol 'Software\Policies\Contoso' Blob --type binary --data '01 02 ff' --dry-run)");
    add_edit(pol, command, EditKind::delete_, "delete",
             "Remove a value's records (or a whole key's) so that it is not configured",
             R"(Examples:
  gpokit pol delete Machine/registry.pol 'Software\Policies\Contoso' Enabled
  gpokit pol delete Machine/registry.pol 'Software\Policies\Contoso')");
    add_edit(pol, command, EditKind::disable, "disable",
             "Make clients delete a value (writes **del.VALUE in place of its records)",
             R"(Example:
  gpokit pol disable Machine/registry.pol 'Software\Policies\Contoso' Enabled)");
    add_edit(pol, command, EditKind::clear_key, "clear-key",
             "Make clients delete every value of a key first (writes **delvals. at the top of the key)",
             R"(Example:
  gpokit pol clear-key Machine/registry.pol 'Software\Policies\Contoso\Servers')");
}

} // namespace gpokit::cli
