// Renderers for a diff and a comparison. One traversal (walk) visits a diff in one
// order — registry changes by side and policy, other settings by scope and area, GPO
// metadata, files, records, template lines — and hands each part to a sink; each output format is a
// sink (text: +/-/~ lines, coloured when asked; JSON: docs/diff-schema.md; Markdown
// for a pull request or change ticket; one self-contained HTML page; CSV one row per
// change). So the formats cannot disagree on what they show or in which order, and all
// escaping goes through render/escape.hpp.
#pragma once

#include "diff/diff.hpp"
#include "diff/estate.hpp"
#include "render/format.hpp"

#include <ostream>
#include <vector>

namespace gpokit::render {

struct DiffCounts {
    std::size_t added = 0, removed = 0, modified = 0; // registry values
    std::size_t settings = 0, metadata = 0, files = 0, records = 0;
    std::size_t lines = 0; // template lines (--records); summaries count them with the records
};
DiffCounts count(const diff::Diff& d);

// What a format does with each part of a diff, in the order walk() hands them over.
class DiffSink {
public:
    virtual ~DiffSink() = default;
    virtual void begin(const diff::Diff& d, const DiffCounts& counts) = 0;
    // Registry changes: a side begins, then its groups (a policy, or values of no known
    // policy when `policy` is null), each with its changes.
    virtual void side(pol::Side side) = 0;
    virtual void group(pol::Side side, const diff::PolicyRef* policy) = 0;
    virtual void registry(const diff::RegistryChange& c) = 0;
    virtual void end_group() = 0;
    // Settings of other scopes: an area begins, then its settings.
    virtual void area(diff::Scope scope, pol::Side side, const std::string& area) = 0;
    virtual void setting(const diff::SettingChange& c) = 0;
    virtual void end_area() = 0;
    virtual void metadata(const std::vector<diff::MetadataChange>& changes) = 0;
    virtual void files(const std::vector<diff::FileChange>& changes) = 0;
    virtual void records(const std::vector<diff::RecordChange>& changes) = 0;
    virtual void lines(const std::vector<diff::LineChange>& changes) = 0;
    virtual void end() = 0;
};

// The one traversal of a diff.
void walk(const diff::Diff& d, DiffSink& sink);

struct DiffStyle {
    bool color = false;   // ANSI colours (text on a terminal)
    bool header = true;   // text: the ---/+++ lines naming both sides
};

// The formats a diff renders to.
const std::vector<Format>& diff_formats();
// Renders `d` as `format`. Throws util::Error for a format a diff does not take.
void render_diff(const diff::Diff& d, Format format, std::ostream& out, const DiffStyle& style = {});

struct EstateStyle {
    bool color = false;        // text: ANSI colours
    bool only_changed = false; // leave unchanged GPOs out of the list
};
// Renders an estate diff as `format` (one of diff_formats()): the GPOs added, removed,
// changed (and unchanged), the problems that make it incomplete, then each changed
// GPO's diff as render_diff() shows it. Throws util::Error for a format it does not take.
void render_estate_diff(const diff::EstateDiff& d, Format format, std::ostream& out, const EstateStyle& style = {});

// The formats a comparison renders to, and the renderer.
const std::vector<Format>& compare_formats();
void render_comparison(const diff::Comparison& c, Format format, std::ostream& out);

// One value's data for people: "REG_DWORD 1 (0x00000001)", "(deleted on clients)".
std::string data_text(const std::optional<diff::TypedData>& d);

} // namespace gpokit::render
