// A TARGET for the commands that work on policies: a GPO (anything `gpo` accepts) or a
// bare registry.pol file. Reading gives the side's registry.pol; editing does the
// GPO's bookkeeping (gpo/gpo_edit.hpp) or replaces the bare file atomically.
#pragma once

#include "cli/context.hpp"
#include "cli/gpo_common.hpp"
#include "gpo/gpo_edit.hpp"

#include <functional>
#include <optional>
#include <string>

namespace gpokit::cli {

class Target {
public:
    enum class Use { read, edit };
    // Throws util::Error when the path is neither a GPO nor a registry.pol file, or
    // names a live GPO to edit (a live GPO changes only through `live push`).
    // `lenient` reads a bare registry.pol with bytes after its last record (kept).
    Target(const std::string& path, const GpoSelection& selection, Use use, bool lenient = false);

    bool is_gpo() const { return m_gpo.has_value(); }
    const gpo::Gpo& gpo() const { return *m_gpo; }
    // The AD domain of a GPO ("" for a bare file).
    std::string domain() const { return m_gpo ? m_gpo->domain : std::string(); }

    // The side's registry.pol (empty if it has none).
    pol::PolFile read(pol::Side side) const;

    struct EditOptions {
        bool dry_run = false;
        bool verbose = false;
        std::string output;
    };
    // Applies `edit` to the side's registry.pol with all bookkeeping, printing what
    // --dry-run and --verbose ask for. Returns whether anything changed.
    // `extra_extensions` as for gpo::plan_edit.
    bool edit(pol::Side side, const gpo::PolEdit& edit, const EditOptions& options, Context& ctx,
              const std::vector<std::string>& extra_extensions = {}) const;

private:
    std::string m_path;
    std::optional<gpo::Gpo> m_gpo;
    bool m_lenient = false;
    bool m_live = false; // a live:// target, read from a temporary snapshot
};

} // namespace gpokit::cli
