#include "render/notes.hpp"

#include "gpo/extension_list.hpp"
#include "render/escape.hpp"

#include <fmt/format.h>

namespace gpokit::render {

namespace {

const char* computer_or_user(pol::Side side)
{
    return side == pol::Side::machine ? "computer" : "user";
}

std::string half(const std::optional<std::uint16_t>& v)
{
    return v ? std::to_string(*v) : std::string("?");
}

} // namespace

std::string note_text(const gpo::Note& n)
{
    switch (n.kind) {
    case gpo::NoteKind::created_file:
        return fmt::format("created {}", terminal_text(n.subject));
    case gpo::NoteKind::version:
        if (n.layout == gpo::Layout::backup)
            return fmt::format("{} {} -> {} (sysvol {} -> {}, directory {} -> {})", n.subject, n.before, n.after,
                               n.version_before.sysvol, n.version_after.sysvol, half(n.version_before.directory),
                               half(n.version_after.directory));
        return fmt::format("{} {} -> {} ({} {} -> {})", n.subject, n.before, n.after, gpo::side_name(n.side),
                           n.version_before.sysvol, n.version_after.sysvol);
    case gpo::NoteKind::extensions: {
        std::string text = fmt::format("{} \"{}\" -> \"{}\"", n.subject, terminal_text(n.before), terminal_text(n.after));
        for (const auto& added : gpo::pair_changes(n.before, n.after).added)
            text += "; adds " + added;
        return text;
    }
    case gpo::NoteKind::file_entry:
        return fmt::format("added the FSObjectFile entry for {} to Backup.xml", n.subject);
    case gpo::NoteKind::side_disabled:
        return fmt::format("the {} side of this GPO is disabled ({}={}): clients ignore its settings until it is "
                           "enabled",
                           computer_or_user(n.side), n.subject, n.before);
    case gpo::NoteKind::report_stale:
        return "gpreport.xml is Windows' report of the old settings: it is now stale (left as is; GPMC writes a new "
               "one at the next backup)";
    case gpo::NoteKind::extensions_elsewhere:
        return fmt::format("the {} extension list of a domain GPO is in AD ({}): it must list {}",
                           gpo::side_name(n.side), n.subject, n.after);
    case gpo::NoteKind::not_atomic:
        return "this filesystem cannot swap folders atomically: the files were replaced one at a time";
    case gpo::NoteKind::versions_disagree:
        return fmt::format("GPT.INI Version {} and versionNumber {} disagree: the new version counts from the higher "
                           "of each half",
                           n.before, n.after);
    }
    return {};
}

} // namespace gpokit::render
