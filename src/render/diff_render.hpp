// Renderers for a diff: text (+/-/~ lines grouped by side and policy, coloured when
// asked), JSON (schema in docs/diff-schema.md), Markdown for a pull request or change
// ticket, and one self-contained HTML page (no external scripts, styles or fonts).
#pragma once

#include "diff/diff.hpp"

#include <ostream>

namespace gpokit::render {

void diff_text(const diff::Diff& d, std::ostream& out, bool color);
void diff_json(const diff::Diff& d, std::ostream& out);
void diff_markdown(const diff::Diff& d, std::ostream& out);
void diff_html(const diff::Diff& d, std::ostream& out);

// `compare`: one row per setting across the sources; conflicts and absences marked.
void compare_text(const diff::Comparison& c, std::ostream& out);
void compare_csv(const diff::Comparison& c, std::ostream& out);
void compare_json(const diff::Comparison& c, std::ostream& out);
void compare_html(const diff::Comparison& c, std::ostream& out);

} // namespace gpokit::render
