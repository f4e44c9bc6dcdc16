// Test helpers for opening and editing targets the way the commands do.
#pragma once

#include "gpo/edit.hpp"
#include "gpo/target.hpp"

#include <filesystem>
#include <optional>

namespace gpokit::test {

// Opens a local target (no live:// openers). Throws util::Error.
inline gpo::Target open(const std::filesystem::path& path, gpo::OpenOptions options = {})
{
    return gpo::open_target(path.string(), options, {});
}

// Opens a local target with --gpo / --backup-id.
inline gpo::Target select(const std::filesystem::path& path, const gpo::Selector& selector)
{
    gpo::OpenOptions options;
    options.selector = selector;
    return open(path, options);
}

// Plans and commits an edit of one side; returns whether it changed anything.
inline bool edit(const gpo::Target& target, pol::Side side, const gpo::PolEdit& change,
                 const std::optional<std::filesystem::path>& output = std::nullopt)
{
    const auto plan = gpo::plan_edit(target, side, change);
    gpo::commit(target, plan, output);
    return plan.changed;
}

} // namespace gpokit::test
