// `gpokit pol check FILE...`: validation and lint. A file that cannot be parsed is
// reported as a finding ("malformed") like any other, so one run covers a whole
// folder; a file that cannot be read at all is an error (exit 2).
#include "cli/command.hpp"
#include "pol/pol_check.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

namespace gpokit::cli {

namespace {

struct CheckOptions {
    std::vector<std::string> files;
    std::string format = "text";
    bool lenient = false;
};

struct FileReport {
    std::string file;
    std::vector<pol::Finding> findings;
    std::string malformed; // the parse error, if the file could not be parsed
};

int run_check(const CheckOptions& o, Context& ctx)
{
    std::vector<FileReport> reports;
    for (const auto& path : o.files) {
        FileReport report{path, {}, {}};
        util::Bytes bytes = util::read_file(path); // unreadable: error, exit 2
        try {
            const auto file = pol::PolFile::parse(std::move(bytes), path, pol::ReadOptions{o.lenient});
            report.findings = pol::check(file);
        } catch (const util::Error& e) {
            report.malformed = e.what();
        }
        reports.push_back(std::move(report));
    }

    std::size_t total = 0;
    for (const auto& r : reports)
        total += r.findings.size() + (r.malformed.empty() ? 0 : 1);

    if (o.format == "json") {
        util::JsonWriter json(ctx.out);
        json.begin_document("gpokit-pol-check/1");
        json.key("files");
        json.begin_array();
        for (const auto& r : reports) {
            json.begin_object();
            json.member("file", r.file);
            json.key("findings");
            json.begin_array();
            if (!r.malformed.empty()) {
                json.begin_object();
                json.member("code", "malformed");
                json.member("message", r.malformed);
                json.end_object();
            }
            for (const auto& f : r.findings) {
                json.begin_object();
                json.member("offset", f.offset);
                if (f.record != 0) {
                    json.member("record", static_cast<std::uint64_t>(f.record));
                }
                json.member("code", f.code);
                json.member("message", f.message);
                json.end_object();
            }
            json.end_array();
            json.end_object();
        }
        json.end_array();
        json.member("findings", static_cast<std::uint64_t>(total));
        json.end_object();
    } else {
        for (const auto& r : reports) {
            if (!r.malformed.empty())
                ctx.out << fmt::format("{} [malformed]\n", r.malformed);
            for (const auto& f : r.findings) {
                const std::string record = f.record ? fmt::format("record {}: ", f.record) : std::string();
                ctx.out << util::at_offset(r.file, f.offset, fmt::format("{}{} [{}]", record, f.message, f.code))
                        << '\n';
            }
        }
    }
    return total == 0 ? k_exit_ok : k_exit_findings;
}

} // namespace

void setup_pol_check(CLI::App& pol, Command& command)
{
    auto o = std::make_shared<CheckOptions>();
    CLI::App* sub = pol.add_subcommand("check", "Validate and lint registry.pol files (exit 1 on findings)");
    sub->add_option("FILE", o->files, "registry.pol files")->required();
    sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    sub->add_flag("--lenient", o->lenient, "Read bytes after the last record as a finding, not a parse failure");
    sub->footer(R"(Checks: malformed file, hive prefix in a key, DWORD/QWORD of the wrong size, string without
its NUL or with extra NULs, bad REG_MULTI_SZ, a value set twice, data over 65535 bytes,
unknown ** directive, bytes after the last record.

Examples:
  gpokit pol check Machine/registry.pol User/registry.pol
  gpokit pol check --format json Machine/registry.pol)");
    on_run(sub, command, o, run_check);
}

} // namespace gpokit::cli
