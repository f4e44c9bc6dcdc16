#include "stage/bundle.hpp"

#include "diff/diff.hpp"
#include "gpo/backup_writer.hpp"
#include "gpo/bookkeeping.hpp"
#include "gpo/lint.hpp"
#include "render/diff_render.hpp"
#include "render/trust_render.hpp"
#include "stage/archive.hpp"
#include "stage/import_script.hpp"
#include "stage/migration.hpp"
#include "stage/signature.hpp"
#include "stage/sums.hpp"
#include "trust/plan.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/json_schema.hpp"
#include "util/json_writer.hpp"
#include "util/safe_path.hpp"
#include "util/tree.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <sstream>

namespace gpokit::stage {

namespace fs = std::filesystem;

util::Bytes bundle_json(const Bundle& b)
{
    std::ostringstream out;
    util::JsonWriter w(out);
    w.begin_document("gpokit-bundle/1");
    w.member("format", b.format);
    w.member("gpokit_version", b.gpokit_version);
    w.member("created", b.created);
    w.key("gpos");
    w.begin_array();
    for (const auto& g : b.gpos) {
        w.begin_object();
        w.member("guid", g.guid);
        w.member("name", g.name);
        w.member("backup_id", g.backup_id);
        w.member("base", g.base);
        w.member("base_version", std::uint64_t{g.base_version});
        w.key("links");
        if (!g.links) {
            w.null();
        } else {
            w.begin_array();
            for (const auto& l : *g.links) {
                w.begin_object();
                w.member("container", l.container);
                w.member("enabled", l.enabled);
                w.member("enforced", l.enforced);
                w.end_object();
            }
            w.end_array();
        }
        w.member("wmi_filter", g.wmi_filter);
        w.end_object();
    }
    w.end_array();
    w.end_object();
    w.flush();
    out << '\n';
    const std::string text = out.str();
    const auto bytes = util::as_bytes(text);
    return util::Bytes(bytes.begin(), bytes.end());
}

Bundle parse_bundle(util::ByteView bytes, const std::string& origin)
{
    nlohmann::json j;
    try {
        const char* p = reinterpret_cast<const char*>(bytes.data());
        j = nlohmann::json::parse(p, p + bytes.size());
    } catch (const nlohmann::json::parse_error& e) {
        throw util::ParseError(util::Position::at_offset(origin, e.byte == 0 ? 0 : e.byte - 1),
                               fmt::format("not valid JSON: {}", e.what()));
    } catch (const nlohmann::json::out_of_range& e) {
        throw util::ParseError(util::Position::of_file(origin), fmt::format("not valid JSON: {}", e.what()));
    }
    util::check_schema(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), origin,
                       util::schema_member(j), {"gpokit-bundle/1"});
    Bundle b;
    try {
        b.format = j.at("format").get<int>();
        if (b.format != k_bundle_format)
            throw util::ParseError(util::Position::of_file(origin),
                                   fmt::format("\"format\": {} (this gpokit reads format {})", b.format, k_bundle_format));
        b.gpokit_version = j.at("gpokit_version").get<std::string>();
        b.created = j.at("created").get<std::string>();
        for (const auto& g : j.at("gpos")) {
            BundleGpo e;
            e.guid = g.at("guid").get<std::string>();
            e.name = g.at("name").get<std::string>();
            e.backup_id = g.at("backup_id").get<std::string>();
            e.base = g.at("base").get<std::string>();
            e.base_version = g.at("base_version").get<std::uint32_t>();
            if (!g.at("links").is_null()) {
                e.links.emplace();
                for (const auto& l : g.at("links"))
                    e.links->push_back({l.at("container").get<std::string>(), l.at("enabled").get<bool>(),
                                        l.at("enforced").get<bool>()});
            }
            e.wmi_filter = g.at("wmi_filter").get<std::string>();
            if (!util::is_guid(e.guid) || !util::is_guid(e.backup_id))
                throw util::ParseError(util::Position::of_file(origin),
                                       fmt::format("\"guid\" {} / \"backup_id\" {}: not {{GUID}}s", e.guid, e.backup_id));
            b.gpos.push_back(std::move(e));
        }
    } catch (const nlohmann::json::exception& e) {
        throw util::ParseError(util::Position::of_file(origin), e.what());
    }
    return b;
}

namespace {

std::string iso_time(long long epoch)
{
    const std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

void write_text(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    const auto bytes = util::as_bytes(text);
    util::write_file_atomic(path, bytes);
}

// Every regular file under `root`, relative and '/'-separated; links and other kinds
// of entry go to `odd`.
std::vector<std::string> files_under(const fs::path& root, std::vector<std::string>* odd = nullptr)
{
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const auto status = it->symlink_status();
        const std::string rel = it->path().lexically_relative(root).generic_string();
        if (fs::is_directory(status))
            continue;
        if (fs::is_regular_file(status))
            out.push_back(rel);
        else if (odd)
            odd->push_back(rel);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The migration table: the one given (read to check it), or every principal and UNC
// path of the GPOs mapped same as source.
void write_migtable(const std::vector<StagedGpo>& gpos, const CreateOptions& options, const fs::path& to)
{
    if (options.migtable) {
        const std::string name = util::display_path(*options.migtable);
        const util::Bytes bytes = util::read_file(*options.migtable, name);
        (void)parse_migtable(bytes, name);
        util::write_file_atomic(to, bytes);
        return;
    }
    std::vector<Mapping> all;
    for (const auto& g : gpos)
        for (auto& m : gpo_mappings(g.changed))
            if (std::none_of(all.begin(), all.end(),
                             [&](const Mapping& x) { return util::iequal_ascii(x.source, m.source); }))
                all.push_back(std::move(m));
    std::sort(all.begin(), all.end(), [](const Mapping& a, const Mapping& b) {
        return std::pair(a.type, util::to_lower_ascii(a.source)) < std::pair(b.type, util::to_lower_ascii(b.source));
    });
    util::write_file_atomic(to, migtable_bytes(all));
}

} // namespace

CreateResult create_bundle(const std::vector<StagedGpo>& gpos, const policy::Catalogue& catalogue, const fs::path& output,
                           const CreateOptions& options)
{
    if (fs::exists(output))
        throw util::Error(util::display_path(output) + ": already exists; the bundle needs a new folder");
    std::error_code exists_ec;
    if (options.archive && fs::exists(fs::symlink_status(*options.archive, exists_ec)))
        throw util::Error(util::display_path(*options.archive) + ": already exists; --archive needs a new file");
    if (gpos.empty())
        throw util::Error("no changed GPO to stage");
    if (options.sign_key.has_value() != options.sign_cert.has_value())
        throw util::Error("--sign-key and --sign-cert go together");
    const long long epoch =
        options.epoch ? *options.epoch
                      : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                            .count();
    Bundle bundle;
    bundle.gpokit_version = options.gpokit_version;
    bundle.created = iso_time(epoch);
    std::set<std::string> guids;
    for (const auto& [c, b, links, wmi] : gpos) {
        if (!c.is_gpo() || !b.is_gpo())
            throw util::Error((c.is_gpo() ? b : c).label() + ": not a GPO (stage a backup, snapshot or SYSVOL folder)");
        if (c.gpo().guid.empty())
            throw util::Error(c.label() + ": the GPO's GUID is unknown");
        if (!guids.insert(util::to_lower_ascii(c.gpo().guid)).second)
            throw util::Error(c.label() + ": GPO " + c.gpo().guid + " is given twice");
        if (!util::iequal_ascii(c.gpo().guid, b.gpo().guid))
            throw util::Error(fmt::format("{}: GPO {}, but its base {} is GPO {}", c.label(), c.gpo().guid, b.label(),
                                          b.gpo().guid));
    }

    CreateResult result;
    const fs::path dir = util::folder_path(output);
    const fs::path temp = util::make_sibling_temp(dir);
    try {
        fs::create_directories(temp);
        for (const auto& [c, base, links, wmi_filter] : gpos) {
            const gpo::Gpo& b = base.gpo();
            gpo::BackupOptions bo;
            bo.deterministic = options.epoch.has_value();
            bo.epoch = epoch;
            bo.comment = "gpokit staging bundle";
            const gpo::BackupResult backup = gpo::write_backup(c, temp / "backups", bo);
            for (const auto& m : backup.missing)
                result.notes.push_back(fmt::format("{}: not in the backup: {}", c.label(), m));
            BundleGpo g;
            g.guid = c.gpo().guid;
            g.name = c.gpo().display_name;
            g.backup_id = backup.id;
            g.base = base.label();
            g.links = links;
            g.wmi_filter = !wmi_filter.empty() ? wmi_filter : b.wmi_filter.value_or("");
            g.base_version = b.directory ? b.directory->version_number().value_or(0)
                                         : gpo::directory_version(b.machine.version, b.user.version);
            bundle.gpos.push_back(g);

            const diff::Diff d = diff::compute(base, c, catalogue, diff::Options{});
            for (const auto& [format, ext] : {std::pair{render::Format::text, ".txt"},
                                              std::pair{render::Format::markdown, ".md"},
                                              std::pair{render::Format::html, ".html"},
                                              std::pair{render::Format::json, ".json"}}) {
                std::ostringstream text;
                render::render_diff(d, format, text);
                write_text(temp / "review" / (g.guid + ext), text.str());
            }
        }
        util::write_file_atomic(temp / std::string(k_bundle_file), bundle_json(bundle));
        write_migtable(gpos, options, temp / std::string(k_migtable_file));
        if (options.trust_plan) {
            const std::string name = util::display_path(*options.trust_plan);
            const util::Bytes bytes = util::read_file(*options.trust_plan, name);
            const trust::Plan plan = trust::read_plan(bytes, name);
            fs::create_directories(temp / "trust");
            util::write_file_atomic(temp / "trust" / "plan.json", bytes);
            std::ostringstream runbook;
            render::trust_plan(plan, render::Format::markdown, runbook);
            write_text(temp / "trust" / "runbook.md", runbook.str());
        }
        const auto hashes = [&] {
            std::vector<SumEntry> sums;
            for (const auto& rel : files_under(temp))
                sums.push_back({sha256_hex(util::read_file(temp / rel, rel)), rel});
            std::sort(sums.begin(), sums.end(), [](const SumEntry& a, const SumEntry& b) { return a.path < b.path; });
            return sums;
        };
        write_text(temp / std::string(k_import_script), import_script(bundle, hashes()));
        const std::string text = sums_text(hashes());
        write_text(temp / std::string(k_sums_file), text);
        result.id = sha256_hex(util::as_bytes(text));
        if (options.sign_key)
            util::write_file_atomic(temp / std::string(k_signature_file),
                                    cms_sign(util::as_bytes(text), *options.sign_key, *options.sign_cert,
                                             options.epoch.has_value()));
        fs::rename(temp, dir);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(temp, ec);
        throw;
    }
    result.folder = dir;
    if (options.archive)
        write_archive(dir, *options.archive, dir.filename().string(), epoch);
    return result;
}

Verification verify_bundle(const fs::path& folder, const VerifyOptions& options)
{
    Verification v;
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw util::Error(util::display_path(folder) + ": not a bundle folder");
    const fs::path sums_path = folder / std::string(k_sums_file);
    const std::string sums_name = util::display_path(sums_path);
    const util::Bytes sums_bytes = util::read_file(sums_path, sums_name);
    v.id = sha256_hex(sums_bytes);
    const std::string sums_text_(reinterpret_cast<const char*>(sums_bytes.data()), sums_bytes.size());
    const std::vector<SumEntry> sums = parse_sums(sums_text_, sums_name);
    const auto finding = [&](std::string file, std::string what) { v.findings.push_back({std::move(file), std::move(what)}); };

    std::vector<std::string> odd;
    const std::vector<std::string> present = files_under(folder, &odd);
    for (const auto& o : odd)
        finding(o, "not a regular file (a link or device): a bundle holds files only");
    std::set<std::string> listed;
    for (const auto& s : sums) {
        listed.insert(s.path);
        const fs::path path = folder / s.path;
        if (!fs::is_regular_file(fs::symlink_status(path, ec))) {
            finding(s.path, "missing (listed in SHA256SUMS)");
            continue;
        }
        if (sha256_hex(util::read_file(path, s.path)) != s.hash)
            finding(s.path, "its SHA-256 differs from SHA256SUMS: the file was changed");
    }
    for (const auto& p : present)
        if (p != k_sums_file && p != k_signature_file && !listed.count(p))
            finding(p, "added: not listed in SHA256SUMS");

    // The signature over SHA256SUMS.
    const std::string sig_name(k_signature_file);
    if (std::find(present.begin(), present.end(), sig_name) != present.end()) {
        v.signed_ = true;
        const SignatureCheck c =
            cms_verify(util::read_file(folder / sig_name, sig_name), sums_bytes, options.cert, options.ca);
        v.signer = c.signer;
        v.signer_checked = c.valid && (options.cert || options.ca);
        if (!c.valid)
            finding(sig_name, fmt::format("the signature of SHA256SUMS does not verify{}: {}",
                                          options.cert   ? " with the certificate given"
                                          : options.ca ? " against the CA certificates given"
                                                       : "",
                                          c.problem));
    } else if (options.cert || options.ca) {
        finding(sig_name, "missing: the bundle is not signed, and a signer was asked for");
    }

    // bundle.json and the backups it names.
    const fs::path json_path = folder / std::string(k_bundle_file);
    if (!listed.count(std::string(k_bundle_file))) {
        finding(std::string(k_bundle_file), "not listed in SHA256SUMS");
        return v;
    }
    try {
        v.bundle = parse_bundle(util::read_file(json_path, std::string(k_bundle_file)), std::string(k_bundle_file));
    } catch (const util::Error& e) {
        finding(std::string(k_bundle_file), e.what());
        return v;
    }
    // The migration table: it parses, every mapping has a real destination.
    const std::string migtable(k_migtable_file);
    std::vector<Mapping> table;
    if (!listed.count(migtable)) {
        finding(migtable, "not listed in SHA256SUMS");
    } else {
        try {
            table = parse_migtable(util::read_file(folder / migtable, migtable), migtable);
            for (const auto& m : table)
                if (const std::string problem = placeholder_problem(m); !problem.empty())
                    finding(migtable, problem);
        } catch (const util::Error& e) {
            finding(migtable, e.what());
        }
    }
    if (listed.count("trust/plan.json")) {
        try {
            (void)trust::read_plan(util::read_file(folder / "trust" / "plan.json", "trust/plan.json"), "trust/plan.json");
        } catch (const util::Error& e) {
            finding("trust/plan.json", e.what());
        }
    }
    for (const auto& g : v.bundle->gpos) {
        const std::string rel = "backups/" + g.backup_id;
        try {
            const gpo::Target t = gpo::open_target((folder / rel).string(), {}, {});
            for (const auto& m : gpo_mappings(t))
                if (std::none_of(table.begin(), table.end(),
                                 [&](const Mapping& x) { return util::iequal_ascii(x.source, m.source); }))
                    finding(migtable, fmt::format("{} ({}) is named in {} but not mapped", m.source, m.type, rel));
            if (!util::iequal_ascii(t.gpo().guid, g.guid))
                finding(rel, fmt::format("holds GPO {}, bundle.json says {}", t.gpo().guid, g.guid));
            for (const auto& f : gpo::lint(t))
                if (f.code != gpo::LintCode::gpreport_stale)
                    finding(rel, fmt::format("{}: {} [{}]", f.where.text(), f.message, gpo::lint_code_name(f.code)));
        } catch (const util::Error& e) {
            finding(rel, e.what());
        }
        for (const char* ext : {".txt", ".md", ".html", ".json"})
            if (!listed.count("review/" + g.guid + ext))
                finding("review/" + g.guid + ext, "missing: bundle.json names the GPO, its review is not in the bundle");
    }
    return v;
}

} // namespace gpokit::stage
