#include "util/json_writer.hpp"

#include <ios>

#include "util/json_schema.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <iterator>

namespace gpokit::util {

namespace {
constexpr std::size_t k_chunk = 64 * 1024;
}

JsonWriter::JsonWriter(std::ostream& out, int indent) : m_out(out), m_indent(indent)
{
    m_buf.reserve(k_chunk + 4096);
}

JsonWriter::~JsonWriter()
{
    // A destructor must not throw: a stream that throws on a failed write keeps its
    // badbit set, and the caller reports it (cli/app.cpp checks the stream at the end).
    try {
        flush();
    } catch (const std::ios_base::failure&) {
    }
}

void JsonWriter::flush()
{
    m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
    m_buf.clear();
}

void JsonWriter::newline()
{
    if (m_buf.size() >= k_chunk)
        flush();
    if (m_indent == 0)
        return;
    m_buf += '\n';
    m_buf.append(m_levels.size() * static_cast<std::size_t>(m_indent), ' ');
}

void JsonWriter::before_value()
{
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (m_levels.empty())
        return;
    auto& level = m_levels.back();
    if (!level.empty)
        m_buf += ',';
    level.empty = false;
    newline();
}

void JsonWriter::begin_object()
{
    before_value();
    m_buf += '{';
    m_levels.push_back({true, true});
}

void JsonWriter::begin_document(std::string_view schema)
{
    begin_object();
    member(k_schema_member, schema);
}

void JsonWriter::begin_array()
{
    before_value();
    m_buf += '[';
    m_levels.push_back({false, true});
}

void JsonWriter::close(char bracket)
{
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty)
        newline();
    m_buf += bracket;
    if (m_levels.empty()) {
        if (m_indent != 0)
            m_buf += '\n';
        flush();
    }
}

void JsonWriter::end_object()
{
    close('}');
}

void JsonWriter::end_array()
{
    close(']');
}

void JsonWriter::key(std::string_view name)
{
    before_value();
    write_string(name);
    m_buf += m_indent == 0 ? ":" : ": ";
    m_after_key = true;
}

void JsonWriter::value(std::string_view text)
{
    before_value();
    write_string(text);
}

void JsonWriter::value(std::uint64_t number)
{
    before_value();
    fmt::format_to(std::back_inserter(m_buf), "{}", number);
}

void JsonWriter::value(std::int64_t number)
{
    before_value();
    fmt::format_to(std::back_inserter(m_buf), "{}", number);
}

void JsonWriter::value(bool flag)
{
    before_value();
    m_buf += flag ? "true" : "false";
}

void JsonWriter::null()
{
    before_value();
    m_buf += "null";
}

void JsonWriter::write_string(std::string_view raw)
{
    // Invalid UTF-8 (a file name's bytes) becomes U+FFFD: the output is always valid JSON.
    const std::string checked = util::printable(raw);
    const std::string_view text(checked);
    m_buf += '"';
    std::size_t run = 0; // start of the pending run of characters that need no escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const char* esc = nullptr;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc == nullptr && c >= 0x20)
            continue;
        m_buf.append(text.data() + run, i - run);
        if (esc != nullptr)
            m_buf += esc;
        else
            fmt::format_to(std::back_inserter(m_buf), "\\u{:04x}", c);
        run = i + 1;
    }
    m_buf.append(text.data() + run, text.size() - run);
    m_buf += '"';
}

} // namespace gpokit::util
