// Edits of a target with the bookkeeping Windows needs (gpo/bookkeeping.hpp): a GPO's
// side gets its new settings file — registry.pol, or the machine side's security
// template (GptTmpl.inf) — its version, its extension list (the pairs that settings
// need) and, in a backup, its Backup.xml FSObjectFile entry; gpreport.xml is reported
// stale (never rewritten); a bare registry.pol is replaced on its own. Everything else stays
// byte-identical (Backup.xml and GPT.INI are edited by splices, never re-serialised).
// No change, no write. The whole edit lands at once or not at all (util/tree.hpp).
#pragma once

#include "gpo/bookkeeping.hpp"
#include "gpo/target.hpp"
#include "pol/pol_file.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gpokit::gpo {

// The edit to a side's registry.pol; returns whether it changed anything.
using PolEdit = std::function<bool(pol::PolFile&)>;
// The edit to a GPO's security template (a new one as Windows starts it, when the GPO
// has none); returns whether it changed anything.
using TemplateEdit = std::function<bool(settings::InfFile&)>;

struct FileWrite {
    std::filesystem::path relative; // under the target's root (the GPO folder, or a snapshot's)
    util::Bytes bytes;
    std::optional<util::Bytes> original; // what the plan was made from (nullopt: the file did not exist)
};

struct EditPlan {
    pol::Side side = pol::Side::machine;
    bool changed = false;
    pol::PolFile before; // the side's registry.pol as it was (empty if it did not exist)
    pol::PolFile after;
    std::optional<SideBookkeeping> bookkeeping; // GPO targets
    std::vector<FileWrite> writes;              // GPO targets: the files the edit replaces or adds
    std::vector<Note> notes;                    // what the bookkeeping does, for people
    std::optional<util::Bytes> original;        // a bare registry.pol as read (nullopt: it did not exist)
    // A template edit (plan_template_edit): the template before (nullopt: none) and after;
    // `before` and `after` above are then unused.
    std::optional<settings::InfFile> template_before, template_after;
};

// Works out every file the edit changes. `extensions`: client-side extensions besides
// Registry that must process the side (an ADMX policy's clientExtension). Throws
// util::Error (malformed Backup.xml, extension list or GPT.INI, a version at its
// limit, a side the target does not hold, a live target).
EditPlan plan_edit(const Target& target, pol::Side side, const PolEdit& edit,
                   const std::vector<std::string>& extensions = {});

// Works out every file an edit of the GPO's security template changes (the machine
// side). Throws util::Error as plan_edit does, and for a backup without a template (its
// Backup.xml would need the template's folder entries: add the template to a SYSVOL
// folder or snapshot, or on Windows).
EditPlan plan_template_edit(const Target& target, const TemplateEdit& edit);

// Applies a plan: in place (a GPO folder swapped atomically, a registry.pol replaced
// atomically) or, with `output`, into a new folder or file holding an edited copy
// (written even when nothing changed). Every file keeps its extended attributes,
// owner, permissions and, unless rewritten, its times (util/metadata.hpp). Editors
// of the same folder take turns (a lock on the folder around it); a file the plan read
// that changed since is a util::ConflictError and nothing is written, so two edits at
// once never lose one silently. Returns notes that need attention (a filesystem that
// could not swap atomically). Throws util::Error; on failure the original is unchanged.
std::vector<Note> commit(const Target& target, const EditPlan& plan,
                         const std::optional<std::filesystem::path>& output = std::nullopt);

} // namespace gpokit::gpo
