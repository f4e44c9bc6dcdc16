#include "gpo/xml_text.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

namespace gpokit::gpo {

namespace {

std::pair<std::size_t, std::size_t> line_column(util::ByteView bytes, std::size_t offset)
{
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
        if (bytes[i] == std::byte{'\n'}) {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

bool starts_with(util::ByteView bytes, std::initializer_list<unsigned> prefix)
{
    if (bytes.size() < prefix.size())
        return false;
    std::size_t i = 0;
    for (unsigned b : prefix)
        if (std::to_integer<unsigned>(bytes[i++]) != b)
            return false;
    return true;
}

// Finds "<!DOCTYPE" or "<!ENTITY" in UTF-8 or UTF-16LE text.
std::optional<std::size_t> find_declaration(util::ByteView bytes)
{
    for (const char* needle : {"<!DOCTYPE", "<!ENTITY"}) {
        const std::size_t n = std::strlen(needle);
        for (std::size_t i = 0; i + n <= bytes.size(); ++i)
            if (std::memcmp(bytes.data() + i, needle, n) == 0)
                return i;
        // UTF-16LE: the same characters each followed by a zero byte
        for (std::size_t i = 0; i + 2 * n <= bytes.size(); ++i) {
            bool match = true;
            for (std::size_t k = 0; k < n && match; ++k)
                match = bytes[i + 2 * k] == static_cast<std::byte>(needle[k]) && bytes[i + 2 * k + 1] == std::byte{0};
            if (match)
                return i;
        }
    }
    return std::nullopt;
}

} // namespace

XmlFile XmlFile::load(const std::filesystem::path& path, std::string origin)
{
    return parse(util::read_file(path), std::move(origin));
}

XmlFile XmlFile::parse(util::Bytes bytes, std::string origin)
{
    XmlFile file;
    file.m_bytes = std::move(bytes);
    file.m_origin = std::move(origin);
    file.m_doc = std::make_unique<pugi::xml_document>();
    const util::ByteView all(file.m_bytes);

    if (auto at = find_declaration(all)) {
        throw util::Error(file.at(*at, "document type or entity declarations are not accepted "
                                          "(a GPO file never has them; they are refused, not expanded)"));
    }

    pugi::xml_encoding encoding = pugi::encoding_auto;
    if (starts_with(all, {0xef, 0xbb, 0xbf})) {
        file.m_base = 3;
        encoding = pugi::encoding_utf8;
        file.m_editable = true;
    } else if (starts_with(all, {0xff, 0xfe}) || starts_with(all, {0xfe, 0xff})) {
        file.m_editable = false;
    } else {
        encoding = pugi::encoding_utf8;
        file.m_editable = true;
    }
    const unsigned options = pugi::parse_default | pugi::parse_declaration | pugi::parse_comments;
    const auto result = file.m_doc->load_buffer(all.data() + file.m_base, all.size() - file.m_base, options,
                                                encoding);
    if (!result) {
        const std::size_t offset = file.m_editable ? file.m_base + static_cast<std::size_t>(result.offset) : 0;
        throw util::Error(file.at(offset, fmt::format("malformed XML: {}", result.description())));
    }
    if (!file.m_doc->document_element())
        throw util::Error(file.at(0, "malformed XML: no root element"));
    return file;
}

std::string XmlFile::position(std::size_t offset) const
{
    if (!m_editable && offset != 0)
        return util::offset_position(m_origin, offset);
    const auto [line, column] = line_column(m_bytes, offset);
    return util::line_position(m_origin, line, column);
}

std::string XmlFile::at(std::size_t offset, std::string_view message) const
{
    return position(offset) + ": " + std::string(message);
}

std::size_t XmlFile::offset_of(pugi::xml_node node) const
{
    const auto off = node.offset_debug();
    return off < 0 ? 0 : m_base + static_cast<std::size_t>(off);
}

util::Bytes apply_splices(util::ByteView original, std::vector<Splice> splices)
{
    std::sort(splices.begin(), splices.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
    util::Bytes out;
    out.reserve(original.size() + 256);
    std::size_t pos = 0;
    for (const auto& s : splices) {
        if (s.begin < pos || s.end < s.begin || s.end > original.size())
            throw util::Error("internal error: overlapping XML edits");
        out.insert(out.end(), original.begin() + static_cast<std::ptrdiff_t>(pos),
                   original.begin() + static_cast<std::ptrdiff_t>(s.begin));
        const auto text = util::as_bytes(s.text);
        out.insert(out.end(), text.begin(), text.end());
        pos = s.end;
    }
    out.insert(out.end(), original.begin() + static_cast<std::ptrdiff_t>(pos), original.end());
    return out;
}

std::string_view local_name(pugi::xml_node node)
{
    std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view local)
{
    for (auto c = node.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && local_name(c) == local)
            return c;
    return {};
}

pugi::xml_attribute attribute(pugi::xml_node node, std::string_view local)
{
    for (auto a = node.first_attribute(); a; a = a.next_attribute()) {
        std::string_view name = a.name();
        const auto colon = name.find(':');
        if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local)
            return a;
    }
    return {};
}

std::string text_of(pugi::xml_node node)
{
    std::string out;
    for (auto c = node.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_cdata || c.type() == pugi::node_pcdata)
            out += c.value();
    return out;
}

Splice set_text(const XmlFile& file, pugi::xml_node element, std::string_view text)
{
    if (!file.editable())
        throw util::Error(file.at(0, "only UTF-8 XML files can be edited in place"));
    if (text.find("]]>") != std::string_view::npos)
        throw util::Error("internal error: value holds ]]>");
    const util::ByteView bytes(file.bytes());
    auto find_byte = [&](std::size_t from, char c) {
        for (std::size_t i = from; i < bytes.size(); ++i)
            if (bytes[i] == static_cast<std::byte>(c))
                return i;
        throw util::Error(file.at(from, "malformed XML: element not closed"));
    };

    std::vector<pugi::xml_node> content;
    for (auto c = element.first_child(); c; c = c.next_sibling())
        content.push_back(c);
    const std::size_t name_at = file.offset_of(element);
    const std::string_view name = element.name();

    if (content.empty()) {
        const std::size_t open = name_at - 1; // the '<'
        const std::size_t gt = find_byte(name_at, '>');
        if (bytes[gt - 1] == std::byte{'/'}) // <X/> or <X />
            return {open, gt + 1, fmt::format("<{0}><![CDATA[{1}]]></{0}>", name, text)};
        return {gt + 1, gt + 1, fmt::format("<![CDATA[{}]]>", text)}; // <X></X>
    }
    if (content.size() == 1 && content[0].type() == pugi::node_cdata) {
        const std::size_t begin = file.offset_of(content[0]);
        return {begin, begin + std::strlen(content[0].value()), std::string(text)};
    }
    if (content.size() == 1 && content[0].type() == pugi::node_pcdata) {
        const std::size_t begin = file.offset_of(content[0]);
        const std::size_t end = find_byte(begin, '<');
        return {begin, end, std::string(text)}; // GUIDs, numbers and brackets need no escaping
    }
    throw util::Error(file.at(name_at, fmt::format("<{}> holds more than one text or CDATA section", name)));
}

} // namespace gpokit::gpo
