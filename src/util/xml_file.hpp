// XML files of a GPO backup (Backup.xml, bkupInfo.xml, manifest.xml, gpreport.xml),
// read as untrusted input and edited without disturbing a byte the edit does not need.
//
// Reading: expat checks well-formedness first (a DTD is refused at its "<!DOCTYPE",
// never read or expanded); then pugixml builds the tree, keeping declaration, comments
// and CDATA and each node's byte offset. Every error is util::Error
// "file:line:column: ..." (columns in bytes for UTF-8 files, characters for UTF-16).
//
// Writing: nothing is ever re-serialised. An edit is a list of splices (byte range →
// new text) on the original bytes, so the declaration, comments, CDATA sections,
// whitespace, line endings and encoding of everything else stay as they were. Only
// UTF-8 files (with or without BOM) can be edited this way; Backup.xml always is.
//
// This header exposes pugixml types: only the readers of XML formats include it.
#pragma once

#include "util/bytes.hpp"
#include "util/error.hpp"

#include <pugixml.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::util {

// No GPO file comes near this; larger input is refused before it is read.
inline constexpr std::uint64_t k_max_xml_size = 256ull << 20;

class XmlFile {
public:
    // Throws util::Error for unreadable, DTD-bearing or malformed files (file:line:column).
    static XmlFile load(const std::filesystem::path& path, std::string origin);
    static XmlFile parse(util::Bytes bytes, std::string origin);

    XmlFile(XmlFile&&) = default;
    XmlFile& operator=(XmlFile&&) = default;

    pugi::xml_node root() const { return m_doc->document_element(); }
    const util::Bytes& bytes() const { return m_bytes; }
    const std::string& origin() const { return m_origin; }
    bool editable() const { return m_editable; }

    // Where a byte offset into bytes() is (line:column), and the error to throw there.
    Position position_at(std::size_t offset) const;
    std::string position(std::size_t offset) const;
    ParseError error(std::size_t offset, std::string_view message) const;
    // The byte offset of a node in bytes() (its name for elements, its text for text nodes).
    std::size_t offset_of(pugi::xml_node node) const;
    // The offset of the '>' that ends the start tag whose name is at `name_at` (not one
    // inside a quoted attribute value). Throws ParseError.
    std::size_t start_tag_end(std::size_t name_at) const;
    // The offset just after an element: after its "/>", or after its end tag ("</X>",
    // "</X >"). The element must not hold one of its own name. Throws ParseError.
    std::size_t end_of(pugi::xml_node element) const;

private:
    XmlFile() = default;
    util::Bytes m_bytes;
    std::string m_origin;
    std::unique_ptr<pugi::xml_document> m_doc;
    std::string m_text;       // a UTF-16 file converted to UTF-8 (what pugixml parsed then)
    std::size_t m_base = 0;   // bytes before what pugixml parsed (a UTF-8 BOM)
    bool m_editable = false;  // UTF-8: offsets map 1:1 onto bytes()
};

// One replacement of bytes [begin, end) by `text`.
struct Splice {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text;
};

// Applies non-overlapping splices (any order) to `original`.
util::Bytes apply_splices(util::ByteView original, std::vector<Splice> splices);

// The element name without its namespace prefix.
std::string_view local_name(pugi::xml_node node);
// The first child element with this local name.
pugi::xml_node child(pugi::xml_node node, std::string_view local);
// An attribute by local name (bkp:ID -> "ID").
pugi::xml_attribute attribute(pugi::xml_node node, std::string_view local);
// The text of an element: its CDATA or text children concatenated.
std::string text_of(pugi::xml_node node);

// The splice that sets an element's text, keeping its form: the content of an existing
// CDATA section or text is replaced; an empty element (<X/> or <X></X>) gets a CDATA
// section, as GPMC writes values. Throws util::Error for elements with other content.
Splice set_text(const XmlFile& file, pugi::xml_node element, std::string_view text);

// Text with & < > " as entities, for an XML (or HTML) attribute value or element text.
std::string xml_escape(std::string_view text);

} // namespace gpokit::util
