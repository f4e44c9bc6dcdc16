#include "util/xml_file.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"

#include <expat.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <optional>

namespace gpokit::util {

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

// Checks well-formedness with expat, which (unlike pugixml) refuses everything XML 1.0
// and namespaces forbid: text or a second element after the root, undeclared entities,
// duplicate attributes, bytes that are not in the document's encoding, unbound
// prefixes. A DTD stops it at its "<!DOCTYPE": nothing declared in one is ever read.
// Returns nullopt, or (line, column, message) of the first problem.
struct ExpatCheck {
    XML_Parser parser = nullptr;
    bool doctype = false;
    long byte_index = 0; // where expat was when it reported the DOCTYPE (after its name)
};

void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int)
{
    auto* check = static_cast<ExpatCheck*>(data);
    check->doctype = true;
    check->byte_index = XML_GetCurrentByteIndex(check->parser);
    XML_StopParser(check->parser, XML_FALSE);
}

// Line and column of byte `end` in UTF-8 or UTF-16LE (BOM) bytes; columns in bytes
// for UTF-8, in characters for UTF-16.
std::pair<std::size_t, std::size_t> text_position(util::ByteView bytes, std::size_t end)
{
    const bool utf16 = bytes.size() >= 2 && bytes[0] == std::byte{0xff} && bytes[1] == std::byte{0xfe};
    const std::size_t unit = utf16 ? 2 : 1;
    std::size_t line = 1;
    std::size_t line_start = utf16 ? 2 : 0;
    for (std::size_t i = line_start; i + unit <= end; i += unit)
        if (bytes[i] == std::byte{'\n'} && (unit == 1 || bytes[i + 1] == std::byte{0})) {
            ++line;
            line_start = i + unit;
        }
    return {line, (end - line_start) / unit + 1};
}

// The "<!DOCTYPE" that ends at or before `from`, searched backwards (UTF-8 or UTF-16LE).
std::size_t doctype_start(util::ByteView bytes, std::size_t from)
{
    static constexpr std::string_view k_doctype = "<!DOCTYPE";
    for (std::size_t i = std::min(from, bytes.size()); i-- > 0;) {
        bool ascii = i + k_doctype.size() <= bytes.size();
        bool wide = i + 2 * k_doctype.size() <= bytes.size();
        for (std::size_t k = 0; k < k_doctype.size() && (ascii || wide); ++k) {
            const auto c = static_cast<std::byte>(k_doctype[k]);
            ascii = ascii && bytes[i + k] == c;
            wide = wide && bytes[i + 2 * k] == c && bytes[i + 2 * k + 1] == std::byte{0};
        }
        if (ascii || wide)
            return i;
    }
    return 0;
}

struct WellFormedness {
    std::size_t line;
    std::size_t column;
    std::string message;
};

std::optional<WellFormedness> check_well_formed(util::ByteView bytes)
{
    ExpatCheck check;
    // Windows reads a file that starts with a byte order mark in the mark's encoding,
    // whatever its declaration says (Microsoft's own Search.admx is UTF-16 and declares
    // encoding='unicode', a name expat does not know): so does gpokit.
    const char* encoding = starts_with(bytes, {0xff, 0xfe}) ? "UTF-16LE"
                           : starts_with(bytes, {0xef, 0xbb, 0xbf}) ? "UTF-8"
                                                                    : nullptr;
    check.parser = XML_ParserCreateNS(encoding, '\x01');
    if (check.parser == nullptr)
        throw std::bad_alloc();
    XML_SetUserData(check.parser, &check);
    XML_SetStartDoctypeDeclHandler(check.parser, on_doctype);
    XML_SetParamEntityParsing(check.parser, XML_PARAM_ENTITY_PARSING_NEVER);
    const auto status = XML_Parse(check.parser, reinterpret_cast<const char*>(bytes.data()),
                                  static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)), XML_TRUE);
    std::optional<WellFormedness> out;
    if (check.doctype) {
        const auto [line, column] =
            text_position(bytes, doctype_start(bytes, static_cast<std::size_t>(std::max(0L, check.byte_index))));
        out = WellFormedness{line, column,
                             "document type or entity declarations are not accepted (a GPO file never has them; "
                             "they are refused, not expanded)"};
    } else if (status != XML_STATUS_OK) {
        out = WellFormedness{XML_GetCurrentLineNumber(check.parser), XML_GetCurrentColumnNumber(check.parser) + 1,
                             fmt::format("malformed XML: {}", XML_ErrorString(XML_GetErrorCode(check.parser)))};
    }
    XML_ParserFree(check.parser);
    return out;
}

} // namespace

XmlFile XmlFile::load(const std::filesystem::path& path, std::string origin)
{
    auto bytes = read_file(path, origin, k_max_xml_size);
    return parse(std::move(bytes), std::move(origin));
}

XmlFile XmlFile::parse(util::Bytes bytes, std::string origin)
{
    XmlFile file;
    file.m_bytes = std::move(bytes);
    file.m_origin = std::move(origin);
    file.m_doc = std::make_unique<pugi::xml_document>();
    const util::ByteView all(file.m_bytes);

    if (all.size() > k_max_xml_size)
        throw ParseError(Position::of_file(file.m_origin), "larger than 256 MiB; not a GPO file");
    if (auto problem = check_well_formed(all))
        throw util::ParseError(util::Position::at_line(file.m_origin, problem->line, problem->column), problem->message);

    // pugixml builds the tree from UTF-8: the file's own bytes when it is UTF-8 (so node
    // offsets are file offsets and the file can be edited by splices), a converted copy
    // when it is UTF-16 (read only; positions are then lines and characters).
    if (starts_with(all, {0xff, 0xfe})) {
        const util::ByteView body = all.subspan(2, (all.size() - 2) & ~std::size_t{1});
        file.m_text = util::printable(util::utf16le_to_utf8_lossy(body));
    } else if (starts_with(all, {0xfe, 0xff})) {
        throw util::ParseError(util::Position::at_line(file.m_origin, 1, 1), "UTF-16 big-endian XML is not supported");
    } else {
        file.m_base = starts_with(all, {0xef, 0xbb, 0xbf}) ? 3 : 0;
        file.m_editable = true;
    }
    const char* text = file.m_editable ? reinterpret_cast<const char*>(all.data()) + file.m_base : file.m_text.data();
    const std::size_t size = file.m_editable ? all.size() - file.m_base : file.m_text.size();
    const unsigned options = pugi::parse_default | pugi::parse_declaration | pugi::parse_comments;
    const auto result = file.m_doc->load_buffer(text, size, options, pugi::encoding_utf8);
    if (!result)
        throw file.error(file.m_base + static_cast<std::size_t>(result.offset),
                                  fmt::format("malformed XML: {}", result.description()));
    if (!file.m_doc->document_element())
        throw file.error(0, "malformed XML: no root element");
    return file;
}

Position XmlFile::position_at(std::size_t offset) const
{
    const auto [line, column] =
        m_editable ? line_column(m_bytes, offset) : line_column(util::as_bytes(m_text), offset);
    return Position::at_line(m_origin, line, column);
}

std::string XmlFile::position(std::size_t offset) const
{
    return position_at(offset).text();
}

ParseError XmlFile::error(std::size_t offset, std::string_view message) const
{
    return ParseError(position_at(offset), message);
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

std::size_t XmlFile::start_tag_end(std::size_t from) const
{
    std::byte quote{0};
    for (std::size_t i = from; i < m_bytes.size(); ++i) {
        if (quote != std::byte{0})
            quote = m_bytes[i] == quote ? std::byte{0} : quote;
        else if (m_bytes[i] == std::byte{'"'} || m_bytes[i] == std::byte{'\''})
            quote = m_bytes[i];
        else if (m_bytes[i] == std::byte{'>'})
            return i;
    }
    throw error(from, "malformed XML: element not closed");
}

std::size_t XmlFile::end_of(pugi::xml_node element) const
{
    const std::size_t gt = start_tag_end(offset_of(element));
    if (m_bytes[gt - 1] == std::byte{'/'})
        return gt + 1;
    const std::string_view all(reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size());
    const std::string closing = fmt::format("</{}", element.name());
    for (std::size_t at = all.find(closing, gt); at != std::string_view::npos; at = all.find(closing, at + 1)) {
        std::size_t end = at + closing.size();
        while (end < all.size() && (all[end] == ' ' || all[end] == '\t' || all[end] == '\r' || all[end] == '\n'))
            ++end;
        if (end < all.size() && all[end] == '>')
            return end + 1;
    }
    throw error(gt, fmt::format("malformed XML: <{}> is not closed", element.name()));
}

Splice set_text(const XmlFile& file, pugi::xml_node element, std::string_view text)
{
    if (!file.editable())
        throw file.error(0, "only UTF-8 XML files can be edited in place");
    if (text.find("]]>") != std::string_view::npos)
        throw util::Error("internal error: value holds ]]>");
    const util::ByteView bytes(file.bytes());
    auto find_byte = [&](std::size_t from, char c) {
        for (std::size_t i = from; i < bytes.size(); ++i)
            if (bytes[i] == static_cast<std::byte>(c))
                return i;
        throw file.error(from, "malformed XML: element not closed");
    };
    const auto start_tag_end = [&](std::size_t from) { return file.start_tag_end(from); };

    std::vector<pugi::xml_node> content;
    for (auto c = element.first_child(); c; c = c.next_sibling())
        content.push_back(c);
    const std::size_t name_at = file.offset_of(element);
    const std::string_view name = element.name();

    if (content.empty()) {
        const std::size_t gt = start_tag_end(name_at);
        if (bytes[gt - 1] == std::byte{'/'}) // <X/> or <X a="1" />: only the "/>" is replaced, attributes stay
            return {gt - 1, gt + 1, fmt::format("><![CDATA[{}]]></{}>", text, name)};
        // <X></X>, or <X> </X> (GPMC's blank list): the inside becomes the CDATA section.
        // No child nodes: after blanks comes its end tag (</X> or </X >) or a processing instruction.
        std::size_t end = gt + 1;
        while (end < bytes.size() && (bytes[end] == std::byte{' '} || bytes[end] == std::byte{'\t'} ||
                                      bytes[end] == std::byte{'\r'} || bytes[end] == std::byte{'\n'}))
            ++end;
        if (end + 1 >= bytes.size() || bytes[end] != std::byte{'<'} || bytes[end + 1] != std::byte{'/'})
            throw file.error(end, fmt::format("<{}> holds a processing instruction, not text", name));
        return {gt + 1, end, fmt::format("<![CDATA[{}]]>", text)};
    }
    if (content.size() == 1 && content[0].type() == pugi::node_cdata) {
        const std::size_t begin = file.offset_of(content[0]);
        const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const std::size_t end = all.find("]]>", begin); // not strlen(value()): pugixml turned CRLF in it into LF
        if (end == std::string_view::npos)
            throw file.error(begin, "malformed XML: CDATA section not closed");
        return {begin, end, std::string(text)};
    }
    if (content.size() == 1 && content[0].type() == pugi::node_pcdata) {
        const std::size_t begin = file.offset_of(content[0]);
        const std::size_t end = find_byte(begin, '<');
        return {begin, end, std::string(text)}; // GUIDs, numbers and brackets need no escaping
    }
    throw file.error(name_at, fmt::format("<{}> holds more than one text or CDATA section", name));
}

std::string xml_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace gpokit::util
