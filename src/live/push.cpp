#include "live/push.hpp"

#include "gpo/gpo_edit.hpp"
#include "gpo/load.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

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
    plan.gpt_before = util::read_file(*gpt);
    const gpo::GptIni ini = gpo::parse_gpt_ini(plan.gpt_before, "//" + g.object.host + "/" + g.share + "/" + plan.gpt_path);
    plan.gpt_version_before = ini.version;
    const std::uint32_t ds = plan.directory_version.value_or(0);

    std::uint32_t machine = std::max(ini.version & 0xffffu, ds & 0xffffu);
    std::uint32_t user = std::max(ini.version >> 16, ds >> 16);
    if ((ini.version & 0xffffu) != (ds & 0xffffu) || (ini.version >> 16) != (ds >> 16))
        plan.notes.push_back(fmt::format("GPT.INI Version {} and versionNumber {} disagree: the new version counts "
                                         "from the higher of each half",
                                         ini.version, ds));
    for (const auto& src : sides) {
        const gpo::GpoSide& s = live.side(src.side);
        SideWrite w;
        w.side = src.side;
        w.folder = share_path(g, live, s.folder);
        std::error_code ec;
        w.folder_exists = fs::is_directory(s.folder, ec);
        const fs::path pol = s.registry_pol ? *s.registry_pol : s.folder / "Registry.pol";
        w.path = share_path(g, live, pol);
        if (s.registry_pol)
            w.before = util::read_file(*s.registry_pol);
        w.after = src.bytes;
        if (live.side_disabled(src.side))
            plan.notes.push_back(fmt::format("the {} side of this GPO is disabled (flags={}): clients ignore its "
                                             "settings until it is enabled",
                                             src.side == pol::Side::machine ? "computer" : "user", live.options));
        std::uint32_t& half = src.side == pol::Side::machine ? machine : user;
        if (half >= 0xffffu)
            throw util::Error(fmt::format("{}: the {} version is {}, the largest a GPO can hold", g.object.source,
                                          src.side == pol::Side::machine ? "computer" : "user", half));
        ++half;
        const pol::PolFile after = pol::PolFile::parse(src.bytes, w.path);
        if (!after.records.empty()) {
            auto& before = src.side == pol::Side::machine ? plan.machine_extensions_before : plan.user_extensions_before;
            auto& now = src.side == pol::Side::machine ? plan.machine_extensions_after : plan.user_extensions_after;
            const char* attr = src.side == pol::Side::machine ? "gPCMachineExtensionNames" : "gPCUserExtensionNames";
            if (const auto* text = g.object.attribute(attr))
                before = *text;
            now = gpo::merged_extensions(before.value_or(""), src.side, fmt::format("{} {}", g.object.dn, attr),
                                         src.extensions);
        }
        plan.writes.push_back(std::move(w));
    }
    plan.version_after = (user << 16) | machine;
    util::Bytes gpt_after(plan.gpt_before.begin(), plan.gpt_before.begin() + static_cast<long>(ini.version_begin));
    const std::string number = std::to_string(plan.version_after);
    const auto digits = util::as_bytes(number);
    gpt_after.insert(gpt_after.end(), digits.begin(), digits.end());
    gpt_after.insert(gpt_after.end(), plan.gpt_before.begin() + static_cast<long>(ini.version_end),
                     plan.gpt_before.end());
    plan.gpt_after = std::move(gpt_after);
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

void execute_push(Connection& c, const PushPlan& plan, std::ostream& progress, std::ostream& warnings)
{
    const LiveGpo& g = plan.gpo;
    Share& share = c.share(g.share);

    struct HoldSignals {
        sigset_t old{};
        HoldSignals()
        {
            sigset_t held;
            sigemptyset(&held);
            sigaddset(&held, SIGINT);
            sigaddset(&held, SIGTERM);
            sigaddset(&held, SIGHUP);
            ::pthread_sigmask(SIG_BLOCK, &held, &old);
        }
        ~HoldSignals() { ::pthread_sigmask(SIG_SETMASK, &old, nullptr); }
    } hold;

    // One gpokit push at a time: a lock file in the GPO's folder, created only if absent.
    const std::string lock = g.gpo_path + "/" + std::string(k_push_lock);
    const std::string holder = fmt::format("gpokit live push from {} (pid {})\r\n", host_name(), ::getpid());
    const auto holder_bytes = util::as_bytes(holder);
    if (!share.create_new(lock, util::Bytes(holder_bytes.begin(), holder_bytes.end())))
        throw ConcurrentChange(fmt::format("{}: another gpokit push to this GPO is running ({} exists); nothing was "
                                           "written. If none is (a push that crashed), run again with --break-lock.",
                                           g.object.source, share.display(lock)));
    struct Unlock {
        Share& share;
        const std::string& path;
        std::ostream& warnings;
        ~Unlock()
        {
            try {
                share.remove(path);
            } catch (const std::exception& e) {
                warnings << "gpokit: warning: " << e.what() << " (the push's lock: remove it, or use --break-lock)\n";
            }
        }
    } unlock{share, lock, warnings};

    // Has anything moved since the plan (and the diff shown for it) was made?
    const gpo::DirectoryObject now = c.read_object(g);
    if (now.version_number() != plan.directory_version)
        throw ConcurrentChange(fmt::format(
            "{}: the live GPO changed since the diff was shown (versionNumber {} -> {}); nothing was written. "
            "Run the push again to review the new state.",
            g.object.source, plan.directory_version ? std::to_string(*plan.directory_version) : "absent",
            now.version_number() ? std::to_string(*now.version_number()) : "absent"));
    for (const char* attr : {"gPCMachineExtensionNames", "gPCUserExtensionNames"}) {
        const auto* was = g.object.attribute(attr);
        const auto* is = now.attribute(attr);
        if ((was == nullptr) != (is == nullptr) || (was && *was != *is))
            throw ConcurrentChange(fmt::format("{}: {} changed since the diff was shown; nothing was written. "
                                               "Run the push again to review the new state.",
                                               g.object.source, attr));
    }
    if (share.read(plan.gpt_path) != plan.gpt_before)
        throw ConcurrentChange(fmt::format("{}: GPT.INI changed since the diff was shown; nothing was written. "
                                           "Run the push again to review the new state.",
                                           share.display(plan.gpt_path)));
    for (const auto& w : plan.writes)
        if (share.read_if_exists(w.path) != w.before)
            throw ConcurrentChange(fmt::format("{}: changed since the diff was shown; nothing was written. "
                                               "Run the push again to review the new state.",
                                               share.display(w.path)));

    std::vector<std::string> done;
    std::vector<std::string> pending;
    for (const auto& w : plan.writes)
        pending.push_back(share.display(w.path));
    pending.push_back(share.display(plan.gpt_path) + " Version");
    pending.push_back(g.object.dn + " versionNumber and extension names");
    const auto step = [&](const std::function<void()>& work) {
        bool conflict = false;
        std::string what;
        try {
            work();
        } catch (const ModifyConflict& e) {
            conflict = true;
            what = e.what();
        } catch (const std::exception& e) {
            what = e.what();
        }
        if (!what.empty()) {
            std::string text = fmt::format("{}\npush stopped half way.", what);
            text += "\n  written:";
            if (done.empty())
                text += " nothing";
            for (const auto& d : done)
                text += "\n    " + d;
            text += "\n  not written:";
            for (const auto& p : pending)
                text += "\n    " + p;
            if (conflict)
                text += "\n  Someone else changed the GPO while it was being pushed: its files may now mix both "
                        "edits. Fetch it again, review it with `gpokit diff`, and redo the change (not --force).";
            else if (!done.empty())
                text += "\n  Clients see no change until GPT.INI Version and versionNumber agree on a higher value: "
                        "fix the cause and run the push again with --force.";
            throw util::Error(text);
        }
        done.push_back(pending.front());
        pending.erase(pending.begin());
        progress << "wrote " << done.back() << '\n';
    };

    for (const auto& w : plan.writes) {
        step([&] {
            if (!w.folder_exists)
                share.make_folder(w.folder);
            share.write(w.path, w.after, w.before.has_value());
        });
    }
    step([&] { share.write(plan.gpt_path, plan.gpt_after, true); });
    step([&] {
        std::vector<Modification> mods;
        if (plan.directory_version)
            mods.push_back({Modification::remove, "versionNumber",
                            {g.object.attribute("versionNumber") ? *g.object.attribute("versionNumber")
                                                                 : std::to_string(*plan.directory_version)}});
        // versionNumber is a signed 32-bit INTEGER in the directory.
        mods.push_back({Modification::add, "versionNumber",
                        {std::to_string(static_cast<std::int32_t>(plan.version_after))}});
        // Old value out, new value in: the modify fails if someone changed either.
        const auto extensions = [&](const char* attr, const std::optional<std::string>& after) {
            if (!after)
                return;
            if (const auto* before = g.object.attribute(attr))
                mods.push_back({Modification::remove, attr, {*before}});
            mods.push_back({Modification::add, attr, {*after}});
        };
        extensions("gPCMachineExtensionNames", plan.machine_extensions_after);
        extensions("gPCUserExtensionNames", plan.user_extensions_after);
        try {
            c.directory().modify(g.object.dn, mods);
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

} // namespace gpokit::live
