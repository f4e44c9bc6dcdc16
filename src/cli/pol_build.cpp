// `gpokit pol build OUT --from IN`: writes a registry.pol from gpokit's JSON,
// samba-tool's JSON list or LGPO text ('-' reads standard input). The form is
// detected from the first character. Records keep the input's order exactly, so
// `pol show X --format json | pol build Y --from -` gives Y byte-identical to X.
#include "cli/command.hpp"
#include "cli/target.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace gpokit::cli {

namespace {

struct BuildOptions {
    std::string output;
    std::string from;
    std::string side;
    bool dry_run = false;
};

int run_build(const BuildOptions& o, Context& ctx)
{
    pol::TextInput input;
    if (o.from == "-") {
        const std::string text((std::istreambuf_iterator<char>(ctx.in)), std::istreambuf_iterator<char>());
        const auto bytes = util::as_bytes(text);
        input.bytes.assign(bytes.begin(), bytes.end());
        input.origin = "<stdin>";
    } else {
        input.bytes = util::read_input(o.from);
        input.origin = o.from;
    }
    if (std::all_of(input.bytes.begin(), input.bytes.end(), [](std::byte b) {
            return b == std::byte{' '} || b == std::byte{'\t'} || b == std::byte{'\r'} || b == std::byte{'\n'};
        }))
        throw util::Error(fmt::format("{}: empty input; nothing written (an empty policy is `gpokit pol build OUT "
                                      "--from` a file holding {{\"records\": []}})",
                                      input.origin));
    std::optional<pol::Side> side;
    if (!o.side.empty())
        side = parse_side(o.side);
    const pol::PolFile file = pol::build_from_text(input, side);
    const util::Bytes bytes = file.serialize();
    if (o.dry_run) {
        ctx.out << fmt::format("{} records, {} bytes\ndry run: {} not written\n", file.records.size(), bytes.size(),
                               o.output);
        return k_exit_ok;
    }
    util::write_file_atomic(o.output, bytes);
    return k_exit_ok;
}

} // namespace

void setup_pol_build(CLI::App& pol, Command& command)
{
    auto o = std::make_shared<BuildOptions>();
    CLI::App* sub = pol.add_subcommand("build", "Write a registry.pol from JSON or LGPO text");
    sub->add_option("OUT", o->output, "registry.pol to write (replaced atomically)")->required();
    sub->add_option("--from", o->from, "gpokit JSON, samba-tool JSON, or LGPO text; - for standard input")
        ->required();
    sub->add_option("--side", o->side, "machine or user: the records to take from input that holds both")
        ->check(CLI::IsMember({"machine", "user"}));
    sub->add_flag("--dry-run", o->dry_run, "Check the input and print what would be written");
    sub->footer(R"(Examples:
  gpokit pol show old.pol --format json | gpokit pol build copy.pol --from -
  gpokit pol build Machine/registry.pol --from machine.txt          # LGPO /parse output
  gpokit pol build Machine/registry.pol --from samba.json --side machine)");
    on_run(sub, command, o, run_build);
}

} // namespace gpokit::cli
