#include "render/push_render.hpp"

#include "render/diff_render.hpp"
#include "render/escape.hpp"
#include "render/notes.hpp"

#include <fmt/format.h>

namespace gpokit::render {

void push_preview(const live::PushSession& session, std::ostream& out)
{
    render_diff(session.diff(), Format::text, out);
    const live::PushPlan& plan = session.plan();
    out << "\nThe push will write:\n";
    for (const auto& w : plan.writes)
        out << fmt::format("  //{}/{}/{} ({} bytes)\n", plan.gpo.object.host, plan.gpo.share, terminal_text(w.path),
                           w.after.size());
    out << fmt::format("  GPT.INI Version {} -> {}\n", plan.gpt_version_before, plan.version_after);
    out << fmt::format("  versionNumber {} -> {}\n",
                       plan.directory_version ? std::to_string(*plan.directory_version) : "(absent)",
                       plan.version_after);
    if (plan.machine_extensions_after)
        out << fmt::format("  gPCMachineExtensionNames \"{}\" -> \"{}\"\n",
                           terminal_text(plan.machine_extensions_before.value_or("")),
                           terminal_text(*plan.machine_extensions_after));
    if (plan.user_extensions_after)
        out << fmt::format("  gPCUserExtensionNames \"{}\" -> \"{}\"\n",
                           terminal_text(plan.user_extensions_before.value_or("")),
                           terminal_text(*plan.user_extensions_after));
    for (const auto& note : plan.notes)
        out << "  note: " << note_text(note) << '\n';
}

} // namespace gpokit::render
