#include "cli/target.hpp"

#include "cli/pol_common.hpp"
#include "live/url.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace gpokit::cli {

namespace fs = std::filesystem;

Target::Target(const std::string& path, const GpoSelection& selection, Use use, bool lenient)
    : m_path(path), m_lenient(lenient), m_live(live::is_live_url(path))
{
    if (m_live && use == Use::edit)
        throw util::Error(path + ": live:// targets are read here, not edited: `gpokit live fetch` a snapshot, edit "
                                 "it, review it with `gpokit diff`, then `gpokit live push` it");
    if (m_live)
        m_path = selection.local(path);
    std::error_code ec;
    if (fs::is_directory(m_path, ec))
        m_gpo = gpo::open_gpo(m_path, selection.selector());
    else if (!selection.gpo.empty() || !selection.backup_id.empty())
        throw util::Error(path + ": --gpo and --backup-id select within a folder, not a registry.pol file");
}

pol::PolFile Target::read(pol::Side side) const
{
    if (!m_gpo)
        return load_or_empty(m_path, m_lenient);
    const auto& s = m_gpo->side(side);
    if (s.registry_pol)
        return pol::PolFile::load(*s.registry_pol);
    pol::PolFile empty;
    empty.set_origin(util::display_path(s.folder / "registry.pol"));
    return empty;
}

bool Target::edit(pol::Side side, const gpo::PolEdit& edit, const EditOptions& o, Context& ctx,
                  const std::vector<std::string>& extra_extensions) const
{
    if (m_live)
        throw util::Error("internal error: a live target opened for reading was edited");
    const std::string where = o.output.empty() ? m_path : o.output;
    if (!m_gpo) {
        const pol::PolFile before = load_or_empty(m_path, m_lenient);
        pol::PolFile after = before;
        const bool changed = edit(after);
        if (o.dry_run) {
            if (changed)
                print_record_changes(before, after, ctx.out);
            else
                ctx.out << "no change\n";
            ctx.out << fmt::format("dry run: {} not written\n", where);
        } else if (changed || !o.output.empty()) {
            util::write_file_atomic(where, after.serialize());
        }
        return changed;
    }
    gpo::GpoChange change = gpo::plan_edit(*m_gpo, side, edit, extra_extensions);
    if (o.dry_run) {
        if (!change.changed) {
            ctx.out << "no change\n";
        } else {
            print_record_changes(change.before, change.after, ctx.out);
            for (const auto& note : change.notes)
                ctx.out << "  " << note << '\n';
        }
        ctx.out << fmt::format("dry run: {} not written\n", where);
        return change.changed;
    }
    const bool changed = change.changed;
    if (!changed && o.output.empty())
        return false;
    std::optional<fs::path> output;
    if (!o.output.empty())
        output = o.output;
    change.changed = true; // with --output, an unchanged GPO is still copied
    if (auto warning = gpo::commit(*m_gpo, change, output))
        ctx.err << "gpokit: warning: " << *warning << '\n';
    for (const auto& note : change.notes) {
        const bool attention = note.find("stale") != std::string::npos || note.find("is in AD") != std::string::npos ||
                               note.find("is disabled") != std::string::npos;
        if (o.verbose)
            ctx.out << note << '\n';
        else if (attention)
            ctx.err << "gpokit: note: " << note << '\n';
    }
    return changed;
}

} // namespace gpokit::cli
