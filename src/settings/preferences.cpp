#include "settings/preferences.hpp"

#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/utf16.hpp"
#include "util/xml_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace gpokit::settings {

namespace {

bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The text pugixml parsed, in which XmlFile::offset_of() and position_at() count: the
// file's bytes for UTF-8, the UTF-8 conversion XmlFile makes (the same calls) for UTF-16.
std::string_view parsed_text(const util::XmlFile& xml, std::string& storage)
{
    const util::ByteView all(xml.bytes());
    if (xml.editable())
        return {reinterpret_cast<const char*>(all.data()), all.size()};
    const util::ByteView body = all.subspan(2, (all.size() - 2) & ~std::size_t{1});
    storage = util::printable(util::utf16le_to_utf8_lossy(body));
    return storage;
}

// The attributes of the start tag whose name begins at `name_at`, each with the offset
// of its name. The file is well-formed (expat checked it); the scan stays in bounds
// anyway.
std::vector<std::pair<std::string_view, std::size_t>> attribute_offsets(std::string_view text, std::size_t name_at)
{
    std::vector<std::pair<std::string_view, std::size_t>> out;
    std::size_t i = name_at;
    while (i < text.size() && !blank(text[i]) && text[i] != '>' && text[i] != '/')
        ++i;
    for (;;) {
        while (i < text.size() && blank(text[i]))
            ++i;
        if (i >= text.size() || text[i] == '>' || text[i] == '/')
            return out;
        const std::size_t begin = i;
        while (i < text.size() && !blank(text[i]) && text[i] != '=')
            ++i;
        out.emplace_back(text.substr(begin, i - begin), begin);
        while (i < text.size() && (blank(text[i]) || text[i] == '='))
            ++i;
        if (i >= text.size())
            return out;
        const char quote = text[i];
        const std::size_t close = text.find(quote, i + 1);
        if (close == std::string_view::npos)
            return out;
        i = close + 1;
    }
}

bool is_namespace_declaration(std::string_view name)
{
    return name == "xmlns" || name.starts_with("xmlns:");
}

void append_compact(std::string& out, pugi::xml_node element);

// The child elements of `parent` as compact text, "; " between them.
std::string compact_children(pugi::xml_node parent)
{
    std::string out;
    for (auto c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element)
            continue;
        if (!out.empty())
            out += "; ";
        append_compact(out, c);
    }
    return out;
}

// `Name a="1" b="x" "text" [Child ...; Child ...]`: names without a namespace prefix,
// values escaped as in XML.
void append_compact(std::string& out, pugi::xml_node element)
{
    out += util::local_name(element);
    for (auto a = element.first_attribute(); a; a = a.next_attribute()) {
        if (is_namespace_declaration(a.name()))
            continue;
        out += fmt::format(" {}=\"{}\"", a.name(), util::xml_escape(a.value()));
    }
    const std::string text = util::text_of(element);
    if (!std::all_of(text.begin(), text.end(), blank))
        out += fmt::format(" \"{}\"", util::xml_escape(text));
    const std::string inner = compact_children(element);
    if (!inner.empty())
        out += fmt::format(" [{}]", inner);
}

std::vector<std::pair<std::string, std::string>> attributes_of(pugi::xml_node element)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (auto a = element.first_attribute(); a; a = a.next_attribute())
        out.emplace_back(a.name(), a.value());
    return out;
}

// Deeper than any preferences file (Registry.xml collections follow key paths, a few
// levels); the readers below recurse, so deeper input is refused first.
constexpr int k_max_depth = 256;

struct DepthCheck : pugi::xml_tree_walker {
    pugi::xml_node too_deep;
    bool for_each(pugi::xml_node& node) override
    {
        if (depth() < k_max_depth || node.type() != pugi::node_element)
            return true;
        too_deep = node;
        return false;
    }
};

class Reader {
public:
    Reader(const util::XmlFile& xml, std::vector<PreferenceItem>& items, std::vector<util::Position>& cpasswords)
        : m_xml(xml), m_text(parsed_text(xml, m_storage)), m_items(items), m_cpasswords(cpasswords)
    {
    }

    void read()
    {
        pugi::xml_node root = m_xml.root();
        DepthCheck depth;
        root.traverse(depth);
        if (depth.too_deep)
            throw m_xml.error(start_of(depth.too_deep),
                              fmt::format("elements nested more than {} deep; not a preferences file", k_max_depth));
        Scope top;
        // A collection copied out of the editor is a file of its own, rooted at it.
        if (util::local_name(root) == "Collection")
            enter(top, root);
        read_children(root, top);
        find_cpasswords(root);
    }

private:
    // What the enclosing collections give their items.
    struct Scope {
        std::vector<std::string> names;
        bool disabled = false;
        std::string targeting;
    };

    static void enter(Scope& scope, pugi::xml_node collection)
    {
        scope.names.emplace_back(collection.attribute("name").value());
        scope.disabled = scope.disabled || std::string_view(collection.attribute("disabled").value()) == "1";
        if (const auto filters = util::child(collection, "Filters"); filters && filters.first_child()) {
            if (!scope.targeting.empty())
                scope.targeting += "; ";
            scope.targeting += fmt::format("Collection name=\"{}\" [{}]", util::xml_escape(scope.names.back()),
                                           compact_children(filters));
        }
    }

    void read_children(pugi::xml_node parent, const Scope& scope)
    {
        for (auto c = parent.first_child(); c; c = c.next_sibling()) {
            if (c.type() != pugi::node_element)
                continue;
            if (util::child(c, "Properties")) {
                read_item(c, scope);
            } else if (util::local_name(c) == "Collection") {
                Scope inner = scope;
                enter(inner, c);
                read_children(c, inner);
            } else if (util::local_name(c) == "Filters" && util::local_name(parent) == "Collection") {
                continue; // the collection's targeting: in its scope
            } else {
                throw m_xml.error(start_of(c),
                                  fmt::format("<{}> is neither a preference item (it has no <Properties>) nor a "
                                              "<Collection>",
                                              c.name()));
            }
        }
    }

    // The offset of an element's '<'.
    std::size_t start_of(pugi::xml_node element) const
    {
        const std::size_t at = m_xml.offset_of(element);
        return at > 0 ? at - 1 : at;
    }

    // The offset of attribute `attribute` of `element` (its name), or the element's.
    std::size_t attribute_offset(pugi::xml_node element, pugi::xml_attribute attribute) const
    {
        const std::size_t at = m_xml.offset_of(element);
        std::size_t index = 0;
        for (auto a = element.first_attribute(); a && a != attribute; a = a.next_attribute())
            ++index;
        const auto offsets = attribute_offsets(m_text, at);
        if (index < offsets.size() && offsets[index].first == attribute.name())
            return offsets[index].second;
        return at;
    }

    void read_item(pugi::xml_node element, const Scope& scope)
    {
        PreferenceItem item;
        item.kind = util::local_name(element);
        item.name = element.attribute("name").value();
        item.uid = element.attribute("uid").value();
        item.clsid = element.attribute("clsid").value();
        item.disabled = scope.disabled || std::string_view(element.attribute("disabled").value()) == "1";
        item.attributes = attributes_of(element);
        item.collection = scope.names;
        item.collection_targeting = scope.targeting;
        const auto where = m_xml.position_at(start_of(element));
        item.line = where.line;
        item.column = where.column;

        const pugi::xml_node properties = util::child(element, "Properties");
        item.properties = attributes_of(properties);
        if (const auto action = properties.attribute("action")) {
            const auto name = preference_action_name(action.value());
            if (!name)
                throw m_xml.error(
                    attribute_offset(properties, action),
                    fmt::format("<{}> action \"{}\" is not C, R, U or D (Create, Replace, Update, Delete)", item.kind,
                                action.value()));
            item.action = *name;
        }
        item.details = compact_children(properties);
        if (const auto filters = util::child(element, "Filters"))
            item.targeting = compact_children(filters);
        item.has_cpassword = holds_cpassword(element);

        if (item.kind == "Registry") {
            RegistryPreference reg;
            reg.hive = properties.attribute("hive").value();
            reg.key = properties.attribute("key").value();
            reg.value_name = properties.attribute("name").value();
            reg.is_default = std::string_view(properties.attribute("default").value()) == "1";
            reg.type = properties.attribute("type").value();
            reg.data = properties.attribute("value").value();
            if (const auto values = util::child(properties, "Values"))
                for (auto v = values.first_child(); v; v = v.next_sibling())
                    if (v.type() == pugi::node_element && util::local_name(v) == "Value")
                        reg.values.push_back(util::text_of(v));
            item.registry = std::move(reg);
        }
        m_items.push_back(std::move(item));
    }

    static bool is_cpassword(pugi::xml_attribute a)
    {
        return util::iequal_ascii(a.name(), "cpassword") && *a.value() != '\0';
    }

    static bool holds_cpassword(pugi::xml_node element)
    {
        for (auto a = element.first_attribute(); a; a = a.next_attribute())
            if (is_cpassword(a))
                return true;
        for (auto c = element.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element && holds_cpassword(c))
                return true;
        return false;
    }

    void find_cpasswords(pugi::xml_node element)
    {
        for (auto a = element.first_attribute(); a; a = a.next_attribute())
            if (is_cpassword(a))
                m_cpasswords.push_back(m_xml.position_at(attribute_offset(element, a)));
        for (auto c = element.first_child(); c; c = c.next_sibling())
            if (c.type() == pugi::node_element)
                find_cpasswords(c);
    }

    const util::XmlFile& m_xml;
    std::string m_storage;
    std::string_view m_text;
    std::vector<PreferenceItem>& m_items;
    std::vector<util::Position>& m_cpasswords;
};

} // namespace

std::optional<std::string_view> preference_action_name(std::string_view letter)
{
    static constexpr std::array<std::pair<char, std::string_view>, 4> k_actions{
        {{'C', "Create"}, {'R', "Replace"}, {'U', "Update"}, {'D', "Delete"}}};
    if (letter.size() != 1)
        return std::nullopt;
    for (const auto& [c, name] : k_actions)
        if (util::lower_ascii(letter[0]) == util::lower_ascii(c))
            return name;
    return std::nullopt;
}

PreferencesFile PreferencesFile::parse(util::ByteView bytes, std::string origin)
{
    PreferencesFile f;
    f.m_origin = origin;
    const auto xml = util::XmlFile::parse(util::Bytes(bytes.begin(), bytes.end()), std::move(origin));
    f.m_bytes = xml.bytes();
    const pugi::xml_node root = xml.root();
    f.m_root = util::local_name(root);
    f.m_root_clsid = root.attribute("clsid").value();
    if (util::child(root, "Properties"))
        throw xml.error(xml.offset_of(root),
                        fmt::format("<{}> is a preference item, not a preferences file's root", root.name()));
    Reader(xml, f.m_items, f.m_cpasswords).read();
    return f;
}

PreferencesFile PreferencesFile::load(const std::filesystem::path& path, std::string origin)
{
    auto bytes = util::read_file(path, origin, util::k_max_xml_size);
    return parse(bytes, std::move(origin));
}

std::vector<PreferenceItem> preference_items(const PreferencesFile& file)
{
    return file.items();
}

std::vector<util::Position> cpasswords(const PreferencesFile& file)
{
    return file.cpassword_positions();
}

bool is_preferences_path(std::string_view relative)
{
    // Side/Preferences/Kind/File.xml
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= relative.size(); ++i) {
        if (i == relative.size() || relative[i] == '/' || relative[i] == '\\') {
            if (i > begin)
                parts.push_back(relative.substr(begin, i - begin));
            begin = i + 1;
        }
    }
    if (parts.size() != 4)
        return false;
    const bool side = util::iequal_ascii(parts[0], "Machine") || util::iequal_ascii(parts[0], "User");
    const std::string_view file = parts[3];
    return side && util::iequal_ascii(parts[1], "Preferences") && file.size() > 4 &&
           util::iequal_ascii(file.substr(file.size() - 4), ".xml");
}

} // namespace gpokit::settings
