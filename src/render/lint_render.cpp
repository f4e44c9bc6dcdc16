#include "render/lint_render.hpp"

#include "render/escape.hpp"
#include "util/json_writer.hpp"

namespace gpokit::render {

void lint_findings(const std::vector<gpo::LintFinding>& findings, Format format, std::ostream& out)
{
    if (format == Format::json) {
        util::JsonWriter json(out);
        json.begin_document("gpokit-gpo-lint/1");
        json.key("findings");
        json.begin_array();
        for (const auto& f : findings) {
            json.begin_object();
            json.member("where", f.where.text());
            json.member("code", gpo::lint_code_name(f.code));
            json.member("message", f.message);
            json.end_object();
        }
        json.end_array();
        json.end_object();
        return;
    }
    for (const auto& f : findings) {
        const std::string where = f.where.text();
        out << (where.empty() ? std::string() : terminal_text(where) + ": ") << terminal_text(f.message) << " ["
            << gpo::lint_code_name(f.code) << "]\n";
    }
}

} // namespace gpokit::render
