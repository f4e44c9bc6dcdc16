#include "util/json_writer.hpp"

#include <fmt/format.h>

namespace gpokit::util {

JsonWriter::JsonWriter(std::ostream& out, int indent) : m_out(out), m_indent(indent) {}

void JsonWriter::newline()
{
    if (m_indent == 0)
        return;
    m_out.put('\n');
    for (std::size_t i = 0; i < m_levels.size() * static_cast<std::size_t>(m_indent); ++i)
        m_out.put(' ');
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
        m_out.put(',');
    level.empty = false;
    newline();
}

void JsonWriter::begin_object()
{
    before_value();
    m_out.put('{');
    m_levels.push_back({true, true});
}

void JsonWriter::begin_array()
{
    before_value();
    m_out.put('[');
    m_levels.push_back({false, true});
}

void JsonWriter::end_object()
{
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty)
        newline();
    m_out.put('}');
    if (m_levels.empty() && m_indent != 0)
        m_out.put('\n');
}

void JsonWriter::end_array()
{
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty)
        newline();
    m_out.put(']');
    if (m_levels.empty() && m_indent != 0)
        m_out.put('\n');
}

void JsonWriter::key(std::string_view name)
{
    before_value();
    write_string(name);
    m_out << (m_indent == 0 ? ":" : ": ");
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
    m_out << number;
}

void JsonWriter::value(std::int64_t number)
{
    before_value();
    m_out << number;
}

void JsonWriter::value(bool flag)
{
    before_value();
    m_out << (flag ? "true" : "false");
}

void JsonWriter::null()
{
    before_value();
    m_out << "null";
}

void JsonWriter::write_string(std::string_view text)
{
    m_out.put('"');
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
        m_out.write(text.data() + run, static_cast<std::streamsize>(i - run));
        if (esc != nullptr)
            m_out << esc;
        else
            m_out << fmt::format("\\u{:04x}", c);
        run = i + 1;
    }
    m_out.write(text.data() + run, static_cast<std::streamsize>(text.size() - run));
    m_out.put('"');
}

} // namespace gpokit::util
