#include "live/push.hpp"

#include "gpo/gpt_ini.hpp"
#include "gpo/load.hpp"
#include "gpo/extension_list.hpp"
#include "settings/security_template.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"
#include "util/signals.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <ostream>

namespace gpokit::live {

namespace fs = std::filesystem;

namespace {

std::string share_path(const LiveGpo& g, const gpo::Gpo& live, const fs::path& local)
{
    const std::string rel = local.lexically_relative(live.dir).generic_string();
    return rel.empty() || rel == "." ? g.gpo_path : g.gpo_path + "/" + rel;
}

// Writing `after` to `file` of the live GPO read into `live` (the folders it needs
// created first).
FileWrite file_write(const LiveGpo& g, const gpo::Gpo& live, pol::Side side, const fs::path& file, util::Bytes after)
{
    FileWrite w;
    w.side = side;
    w.path = share_path(g, live, file);
    std::error_code ec;
    // The GPO's folder exists, so this stops at it at the latest.
    for (fs::path dir = file.parent_path(); !fs::is_directory(dir, ec) && dir != dir.parent_path(); dir = dir.parent_path())
        w.new_folders.insert(w.new_folders.begin(), share_path(g, live, dir));
    if (fs::is_regular_file(file, ec))
        w.before = util::read_file(file, live.name_of(file));
    w.after = std::move(after);
    return w;
}

std::string host_name()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return "?";
    return name;
}

} // namespace

PushPlan plan_push(const LiveGpo& g, const gpo::Gpo& live, const std::vector<SideSource>& sides)
{
    PushPlan plan;
    plan.gpo = g;
    plan.directory_version = g.object.version_number();
    const auto gpt = util::find_child(live.dir, "GPT.INI");
    if (!gpt)
        throw util::Error(g.object.source + ": the GPO has no GPT.INI");
    plan.gpt_path = share_path(g, live, *gpt);
    const std::string gpt_name = live.name_of(*gpt);
    plan.gpt_before = util::read_file(*gpt, gpt_name);
    const gpo::GptIni ini = gpo::parse_gpt_ini(plan.gpt_before, gpt_name);
    plan.gpt_version_before = ini.version;
    const std::uint32_t ds = plan.directory_version.value_or(0);
    if (ini.version != ds)
        plan.notes.push_back({gpo::NoteKind::versions_disagree, pol::Side::machine, gpo::Layout::sysvol,
                              "GPT.INI Version and versionNumber", std::to_string(ini.version), std::to_string(ds),
                              {}, {}});

    // Each side as GPT.INI and the directory hold it; a side the push does not change
    // is left at the higher of the two, so that both agree afterwards.
    gpo::SideVersion after[2];
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const int i = side == pol::Side::machine ? 0 : 1;
        const auto half = [&](std::uint32_t v) { return static_cast<std::uint16_t>(i == 0 ? v & 0xffffu : v >> 16); };
        after[i] = gpo::aligned(gpo::SideVersion{half(ds), half(ini.version)});
    }
    gpo::Gpo model = live; // the live GPO with both halves known, for the bookkeeping
    for (const auto& src : sides) {
        const int i = src.side == pol::Side::machine ? 0 : 1;
        gpo::ExtensionPairs pairs; // what the side's new files need processing them
        if (src.registry) {
            const gpo::GpoSide& s = live.side(src.side);
            const fs::path pol = s.registry_pol ? *s.registry_pol
                                                : s.folder / std::string(gpo::new_registry_pol_name(gpo::Layout::sysvol));
            if (!pol::PolFile::parse(*src.registry, live.name_of(pol)).records.empty())
                pairs = gpo::registry_pairs(src.side, src.extensions);
            plan.writes.push_back(file_write(g, live, src.side, pol, *src.registry));
        }
        if (src.security_template) {
            if (src.side != pol::Side::machine)
                throw util::Error("internal error: a security template belongs to the machine side");
            const fs::path inf = gpo::security_template_path(live);
            const settings::InfFile pushed = settings::InfFile::parse(*src.security_template, live.name_of(inf));
            if (!settings::security_settings(pushed).empty())
                for (auto& pair : gpo::security_pairs())
                    pairs.push_back(std::move(pair));
            plan.writes.push_back(file_write(g, live, src.side, inf, *src.security_template));
        }
        const char* attr = src.side == pol::Side::machine ? "gPCMachineExtensionNames" : "gPCUserExtensionNames";
        const std::string* list = g.object.attribute(attr);
        model.side(src.side).version = gpo::SideVersion{after[i].sysvol, after[i].sysvol};
        gpo::SideBookkeeping b = gpo::plan_side(model, src.side, list ? *list : std::string(), !pairs.empty(), pairs,
                                                fmt::format("{} {}", g.object.dn, attr));
        after[i] = b.after;
        auto& before_list = src.side == pol::Side::machine ? plan.machine_extensions_before : plan.user_extensions_before;
        auto& after_list = src.side == pol::Side::machine ? plan.machine_extensions_after : plan.user_extensions_after;
        before_list = b.extensions_before;
        after_list = b.extensions_after;
        for (auto& note : b.notes)
            plan.notes.push_back(std::move(note));
    }
    plan.version_after = gpo::gpt_version(after[0], after[1]);
    plan.gpt_after = gpo::with_gpt_version(plan.gpt_before, ini, plan.version_after);
    return plan;
}

void break_lock(Connection& c, const LiveGpo& g, std::ostream& progress)
{
    Share& share = c.share(g.share);
    const std::string lock = g.gpo_path + "/" + std::string(k_push_lock);
    if (share.read_if_exists(lock)) {
        share.remove(lock);
        progress << "removed " << share.display(lock) << '\n';
    }
}

namespace {

// One gpokit push at a time: a lock file in the GPO's folder, created only if absent,
// removed when this goes away.
class PushLock {
public:
    PushLock(Share& share, const LiveGpo& g, std::ostream& warnings)
        : m_share(share), m_path(g.gpo_path + "/" + std::string(k_push_lock)), m_warnings(warnings)
    {
        const std::string holder = fmt::format("gpokit live push from {} (pid {})\r\n", host_name(), ::getpid());
        const auto bytes = util::as_bytes(holder);
        if (!share.create_new(m_path, util::Bytes(bytes.begin(), bytes.end())))
            throw ConcurrentChange(fmt::format("{}: another gpokit push to this GPO is running ({} exists); nothing "
                                               "was written. If none is (a push that crashed), run again with "
                                               "--break-lock.",
                                               g.object.source, share.display(m_path)));
    }
    ~PushLock()
    {
        try {
            m_share.remove(m_path);
        } catch (const std::exception& e) {
            m_warnings << "gpokit: warning: " << e.what() << " (the push's lock: remove it, or use --break-lock)\n";
        }
    }
    PushLock(const PushLock&) = delete;
    PushLock& operator=(const PushLock&) = delete;

private:
    Share& m_share;
    std::string m_path;
    std::ostream& m_warnings;
};

// "<what> changed since the diff was shown <detail>; nothing was written."
ConcurrentChange moved(const std::string& what, const std::string& detail = {})
{
    return ConcurrentChange(fmt::format("{} changed since the diff was shown{}; nothing was written. Run the push "
                                        "again to review the new state.",
                                        what, detail.empty() ? "" : " " + detail));
}

// Has anything moved since the plan (and the diff shown for it) was made?
void check_unchanged(Connection& c, Share& share, const PushPlan& plan)
{
    const LiveGpo& g = plan.gpo;
    const gpo::DirectoryObject now = c.read_object(g);
    if (now.version_number() != plan.directory_version) {
        const auto text = [](const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "absent"; };
        throw moved(fmt::format("{}: the live GPO", g.object.source),
                    fmt::format("(versionNumber {} -> {})", text(plan.directory_version), text(now.version_number())));
    }
    for (const char* attr : {"gPCMachineExtensionNames", "gPCUserExtensionNames"}) {
        const auto* was = g.object.attribute(attr);
        const auto* is = now.attribute(attr);
        if ((was == nullptr) != (is == nullptr) || (was && *was != *is))
            throw moved(fmt::format("{}: {}", g.object.source, attr));
    }
    if (share.read(plan.gpt_path) != plan.gpt_before)
        throw moved(fmt::format("{}: GPT.INI", share.display(plan.gpt_path)));
    for (const auto& w : plan.writes)
        if (share.read_if_exists(w.path) != w.before)
            throw moved(fmt::format("{}:", share.display(w.path)));
}

// The writes of a push, in order, each reported when done; a failure says what was
// and was not written.
class Steps {
public:
    Steps(std::vector<std::string> pending, std::ostream& progress) : m_pending(std::move(pending)), m_progress(progress)
    {
    }

    template <typename Work>
    void run(Work work)
    {
        try {
            work();
        } catch (const ModifyConflict& e) {
            fail(e.what(), true);
        } catch (const std::exception& e) {
            fail(e.what(), false);
        }
        m_done.push_back(m_pending.front());
        m_pending.erase(m_pending.begin());
        m_progress << "wrote " << m_done.back() << '\n';
    }

private:
    [[noreturn]] void fail(const std::string& what, bool conflict) const
    {
        std::string text = fmt::format("{}\npush stopped half way.\n  written:", what);
        if (m_done.empty())
            text += " nothing";
        for (const auto& d : m_done)
            text += "\n    " + d;
        text += "\n  not written:";
        for (const auto& p : m_pending)
            text += "\n    " + p;
        if (conflict)
            text += "\n  Someone else changed the GPO while it was being pushed: its files may now mix both edits. "
                    "Fetch it again, review it with `gpokit diff`, and redo the change (not --force).";
        else if (!m_done.empty())
            text += "\n  Clients see no change until GPT.INI Version and versionNumber agree on a higher value: fix "
                    "the cause and run the push again with --force.";
        throw util::Error(text);
    }

    std::vector<std::string> m_pending;
    std::vector<std::string> m_done;
    std::ostream& m_progress;
};

// versionNumber and the extension lists, old value out and new value in: the modify
// fails if someone changed either.
std::vector<Modification> container_changes(const PushPlan& plan)
{
    const LiveGpo& g = plan.gpo;
    std::vector<Modification> mods;
    if (plan.directory_version)
        mods.push_back({Modification::remove, "versionNumber",
                        {g.object.attribute("versionNumber") ? *g.object.attribute("versionNumber")
                                                             : std::to_string(*plan.directory_version)}});
    // versionNumber is a signed 32-bit INTEGER in the directory.
    mods.push_back({Modification::add, "versionNumber", {std::to_string(static_cast<std::int32_t>(plan.version_after))}});
    const auto extensions = [&](const char* attr, const std::optional<std::string>& after) {
        if (!after)
            return;
        if (const auto* before = g.object.attribute(attr))
            mods.push_back({Modification::remove, attr, {*before}});
        mods.push_back({Modification::add, attr, {*after}});
    };
    extensions("gPCMachineExtensionNames", plan.machine_extensions_after);
    extensions("gPCUserExtensionNames", plan.user_extensions_after);
    return mods;
}

void execute_plan(Connection& c, const PushPlan& plan, std::ostream& progress, std::ostream& warnings)
{
    const LiveGpo& g = plan.gpo;
    Share& share = c.share(g.share);
    const util::HoldSignals hold;
    const PushLock lock(share, g, warnings);
    check_unchanged(c, share, plan);

    std::vector<std::string> pending;
    for (const auto& w : plan.writes)
        pending.push_back(share.display(w.path));
    pending.push_back(share.display(plan.gpt_path) + " Version");
    pending.push_back(g.object.dn + " versionNumber and extension names");
    Steps steps(std::move(pending), progress);
    for (const auto& w : plan.writes)
        steps.run([&] {
            for (const auto& folder : w.new_folders)
                share.make_folder(folder);
            share.write(w.path, w.after, w.before.has_value());
        });
    steps.run([&] { share.write(plan.gpt_path, plan.gpt_after, true); });
    steps.run([&] {
        try {
            c.directory().modify(g.object.dn, container_changes(plan));
        } catch (const ModifyConflict& e) {
            throw ModifyConflict(fmt::format("{}: the container changed while the files were written", e.what()));
        }
    });

    // An editor that does not take part in the version check (anything but gpokit) may
    // have written a file after this push did: say so rather than report success.
    for (const auto& w : plan.writes)
        if (share.read_if_exists(w.path) != w.after)
            throw util::Error(fmt::format("{}: changed again right after this push wrote it (another editor): the "
                                          "versions were bumped, but the file is not what was pushed. Fetch the GPO "
                                          "and review it.",
                                          share.display(w.path)));
}

// A copy of `live` whose unreadable Registry.pol files count as absent (what --force
// replaces), each named in `warnings`.
gpo::Target readable_part(const gpo::Target& live, std::ostream& warnings)
{
    gpo::Gpo g = live.gpo();
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        try {
            (void)live.registry(side);
        } catch (const util::Error& e) {
            warnings << "gpokit: warning: " << e.what() << " (replaced by the push)\n";
            g.side(side).registry_pol.reset();
        }
    }
    return gpo::Target(gpo::SourceKind::live, live.label(), std::move(g));
}

} // namespace

PushSession::PushSession(Connection& connection, const LiveUrl& url, util::TempFolders& temps)
    : m_connection(connection), m_url(url), m_temps(temps)
{
}

void PushSession::prepare(const gpo::Target& source, const PushOptions& o, const policy::Catalogue& catalogue,
                          std::ostream& warnings)
{
    m_gpo = m_connection.find(m_url, o.gpo);
    const std::optional<gpo::Gpo> origin = source.enclosing_gpo();
    if (origin && !util::iequal_ascii(origin->guid, m_gpo.guid) && !o.other_gpo)
        throw util::Error(fmt::format("{}: holds GPO {} \"{}\", the target is {} \"{}\": the push would give it "
                                      "another GPO's settings; nothing was written (--other-gpo if that is meant)",
                                      source.label(), origin->guid, origin->display_name, m_gpo.guid,
                                      m_gpo.object.attribute("displayName") ? *m_gpo.object.attribute("displayName") : ""));
    if (o.expect_version && (*o.expect_version < INT32_MIN || *o.expect_version > UINT32_MAX))
        throw util::Error(fmt::format("--expect-version {}: not a 32-bit version number", *o.expect_version));
    if (o.expect_version && m_gpo.object.version_number() != static_cast<std::uint32_t>(*o.expect_version))
        throw util::Error(fmt::format("{}: versionNumber is {}, not {} (--expect-version): the live GPO changed since "
                                      "the change was reviewed; nothing was written",
                                      m_gpo.object.source,
                                      m_gpo.object.version_number() ? std::to_string(*m_gpo.object.version_number())
                                                                    : "absent",
                                      *o.expect_version));
    if (o.break_lock)
        break_lock(m_connection, m_gpo, warnings);

    // The live side as it is now, read into a private folder, is what the diff shows and
    // what the plan checks again before writing; the plan works from the container as
    // that read found it.
    m_live = read_live(m_connection, m_gpo, m_temps, m_url.text);
    m_gpo.object = *m_live->gpo().directory;
    m_sides_compared.machine = o.side != pol::Side::user && source.holds(pol::Side::machine);
    m_sides_compared.user = o.side != pol::Side::machine && source.holds(pol::Side::user);
    m_sides_compared.ignore_metadata = true;
    std::optional<gpo::Target> repaired;
    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        try {
            (void)m_live->registry(side);
        } catch (const util::Error& e) {
            if (!o.force)
                throw util::Error(fmt::format("{}\n(--force replaces an unreadable live Registry.pol with SOURCE's)",
                                              e.what()));
            repaired = readable_part(*m_live, warnings);
            break;
        }
    }
    m_diff = diff::compute(repaired ? *repaired : *m_live, source, catalogue, m_sides_compared);

    // The security template goes with the machine side when its bytes differ (or, with
    // --force, whenever SOURCE has one: a push that stopped half way).
    std::optional<util::Bytes> template_bytes;
    const std::optional<settings::InfFile> source_template =
        m_sides_compared.machine ? source.security_template() : std::nullopt;
    if (source_template) {
        const auto live_template = m_live->security_template();
        if (!live_template || live_template->bytes() != source_template->bytes()) {
            m_settings_differ = true;
            template_bytes = source_template->bytes();
        } else if (o.force) {
            template_bytes = source_template->bytes();
        }
        if (!settings::security_settings(*source_template).empty())
            m_needed_extensions.emplace_back(pol::Side::machine, gpo::security_pairs());
    }
    carried_only(source_template.has_value(), warnings);

    for (const auto side : {pol::Side::machine, pol::Side::user}) {
        const bool wanted = side == pol::Side::machine ? m_sides_compared.machine : m_sides_compared.user;
        if (!wanted)
            continue;
        const pol::PolFile pushed = source.registry(side);
        if (!pushed.records.empty())
            m_needed_extensions.emplace_back(side, gpo::registry_pairs(side));
        const bool changed = std::any_of(m_diff.registry.begin(), m_diff.registry.end(),
                                         [&](const diff::RegistryChange& r) { return r.side == side; });
        m_settings_differ = m_settings_differ || changed;
        // --force: after a push that stopped half way, the files may already match while
        // the versions were never bumped.
        const bool forced = o.force && (!source.is_gpo() || source.gpo().side(side).registry_pol);
        SideSource pushing{side, std::nullopt};
        if (changed || forced) {
            pushing.registry = pushed.serialize();
            // A policy with a clientExtension needs that extension to process the GPO too.
            for (const auto& r : m_diff.registry) {
                if (r.side != side || !r.policy || r.policy->after == policy::State::not_configured ||
                    !r.policy->definition)
                    continue;
                const std::string& cse = r.policy->definition->client_extension;
                if (!cse.empty() &&
                    std::find(pushing.extensions.begin(), pushing.extensions.end(), cse) == pushing.extensions.end())
                    pushing.extensions.push_back(cse);
            }
        }
        if (side == pol::Side::machine)
            pushing.security_template = template_bytes;
        if (pushing.registry || pushing.security_template)
            m_sides.push_back(std::move(pushing));
    }
    if (m_sides.empty())
        return;
    refuse_stale(source, origin);
    m_plan = plan_push(m_gpo, m_live->gpo(), m_sides);
}

// The diff keeps what the push carries (registry and security template settings); the
// rest is named in `warnings`, so that no one approves a change that is not made.
void PushSession::carried_only(bool source_has_template, std::ostream& warnings)
{
    std::vector<std::string> left;
    std::vector<diff::SettingChange> carried;
    for (auto& c : m_diff.settings) {
        const bool in_template = c.file == gpo::SettingsFile::security_template;
        if (in_template && source_has_template)
            carried.push_back(std::move(c));
        else if (in_template)
            left.push_back("the security template (SOURCE has none; a push removes no file)");
        else
            left.push_back(c.area);
    }
    m_diff.settings = std::move(carried);
    for (const auto& f : m_diff.files)
        left.push_back(f.path);
    m_diff.files.clear();
    std::sort(left.begin(), left.end());
    left.erase(std::unique(left.begin(), left.end()), left.end());
    for (const auto& what : left)
        warnings << fmt::format("gpokit: warning: {} differs from the live GPO in {}: not pushed (a push carries "
                                "registry.pol and the security template)\n",
                                m_url.text, what);
}

// A snapshot of the target records the versions it was taken at: pushing it over a
// newer live GPO would undo whatever changed in between. (With no settings difference,
// as when --force finishes a push that stopped half way, nothing can be undone.)
void PushSession::refuse_stale(const gpo::Target& source, const std::optional<gpo::Gpo>& origin) const
{
    if (!origin || !origin->directory || origin->directory->dn != m_gpo.object.dn || !m_settings_differ)
        return;
    const gpo::DirectoryObject& taken = *origin->directory;
    const auto text = [](const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "absent"; };
    if (taken.version_number() != m_gpo.object.version_number())
        throw util::Error(fmt::format("{}: the snapshot was taken at versionNumber {}, the live GPO is now at {}: "
                                      "fetch it again and redo the change (the push would undo what changed in "
                                      "between); nothing was written",
                                      source.label(), text(taken.version_number()),
                                      text(m_gpo.object.version_number())));
    const gpo::Gpo& live = m_live->gpo();
    const std::uint32_t gpt_now = gpo::gpt_version(live.machine.version, live.user.version);
    if (taken.gpt_version && *taken.gpt_version != gpt_now)
        throw util::Error(fmt::format("{}: the snapshot was taken at GPT.INI Version {}, the live GPO's is now {}: "
                                      "fetch it again and redo the change (the push would undo what changed in "
                                      "between); nothing was written",
                                      source.label(), *taken.gpt_version, gpt_now));
}

std::vector<std::string> PushSession::incomplete_bookkeeping() const
{
    std::vector<std::string> problems;
    const gpo::Gpo& live = m_live->gpo();
    const std::uint32_t gpt = gpo::gpt_version(live.machine.version, live.user.version);
    const auto ds = m_gpo.object.version_number();
    if (ds != gpt)
        problems.push_back(fmt::format("GPT.INI Version {} and versionNumber {} disagree", gpt,
                                       ds ? std::to_string(*ds) : "(absent)"));
    for (const auto& [side, pairs] : m_needed_extensions) {
        const auto list = gpo::parse_extension_list(live.side(side).extensions.value_or(""));
        for (const auto& [cse, tool] : pairs)
            if (!list || !list->has(cse, tool))
                problems.push_back(fmt::format("gPC{}ExtensionNames does not list the {} extension",
                                               side == pol::Side::machine ? "Machine" : "User",
                                               gpo::extension_name(cse)));
    }
    return problems;
}

void PushSession::execute(std::ostream& progress, std::ostream& warnings, bool reconnect)
{
    if (reconnect)
        m_connection.reconnect();
    execute_plan(m_connection, *m_plan, progress, warnings);
}

} // namespace gpokit::live
