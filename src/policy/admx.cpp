#include "policy/admx.hpp"

#include "policy/engine.hpp"
#include "util/xml_file.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace gpokit::policy {

namespace fs = std::filesystem;
using util::attribute;
using util::child;
using util::local_name;

const Element* Policy::element(std::string_view id) const
{
    for (const auto& e : elements)
        if (e.id == id)
            return &e;
    return nullptr;
}

namespace {

struct Strings {
    std::map<std::string, std::string> table;

    std::string resolve(std::string_view ref) const
    {
        constexpr std::string_view k_prefix = "$(string.";
        if (ref.substr(0, k_prefix.size()) != k_prefix || ref.back() != ')')
            return std::string(ref);
        const std::string id(ref.substr(k_prefix.size(), ref.size() - k_prefix.size() - 1));
        const auto it = table.find(id);
        return it == table.end() ? id : it->second;
    }
};

class Reader {
public:
    Reader(const util::XmlFile& file, const Strings& strings) : m_file(file), m_strings(strings) {}

    std::uint64_t number(pugi::xml_node node, const char* attr)
    {
        const std::string text = attribute(node, attr).value();
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
            fail(node, fmt::format("{}=\"{}\" is not a number", attr, text));
        return n;
    }

    [[noreturn]] void fail(pugi::xml_node node, std::string_view message)
    {
        throw m_file.error(m_file.offset_of(node), message);
    }

    // The value inside <enabledValue>, <value>, <trueValue>...: one of decimal,
    // longDecimal, string, delete.
    RegValue value(pugi::xml_node holder)
    {
        for (auto c = holder.first_child(); c; c = c.next_sibling()) {
            if (c.type() != pugi::node_element)
                continue;
            const auto name = local_name(c);
            if (name == "decimal")
                return {RegValue::Kind::decimal, number(c, "value"), {}};
            if (name == "longDecimal")
                return {RegValue::Kind::long_decimal, number(c, "value"), {}};
            if (name == "string")
                return {RegValue::Kind::string, 0, util::text_of(c)};
            if (name == "delete")
                return {RegValue::Kind::del, 0, {}};
            fail(c, fmt::format("unknown value <{}>", c.name()));
        }
        fail(holder, "a value element holds no value");
    }

    std::vector<ListItem> list(pugi::xml_node holder)
    {
        std::vector<ListItem> out;
        if (!holder)
            return out;
        const std::string default_key = attribute(holder, "defaultKey").value();
        for (auto item = holder.first_child(); item; item = item.next_sibling()) {
            if (item.type() != pugi::node_element || local_name(item) != "item")
                continue;
            std::string key = attribute(item, "key").value();
            if (key.empty())
                key = default_key;
            out.push_back({key, attribute(item, "valueName").value(), value(child(item, "value"))});
        }
        return out;
    }

    Element element(pugi::xml_node node)
    {
        Element e;
        const auto name = local_name(node);
        e.id = attribute(node, "id").value();
        e.key = attribute(node, "key").value();
        e.value_name = attribute(node, "valueName").value();
        const auto flag = [&](const char* a) { return std::string_view(attribute(node, a).value()) == "true"; };
        const auto limit = [&](const char* a) -> std::optional<std::uint64_t> {
            if (std::string_view(attribute(node, a).value()).empty())
                return std::nullopt;
            return number(node, a);
        };
        e.required = flag("required");
        e.min_value = limit("minValue");
        e.max_value = limit("maxValue");
        e.max_length = limit("maxLength");
        if (name == "boolean") {
            e.kind = Element::Kind::boolean;
            if (auto t = child(node, "trueValue"))
                e.true_value = value(t);
            if (auto f = child(node, "falseValue"))
                e.false_value = value(f);
            e.true_list = list(child(node, "trueList"));
            e.false_list = list(child(node, "falseList"));
        } else if (name == "decimal" || name == "longDecimal") {
            e.kind = name == "decimal" ? Element::Kind::decimal : Element::Kind::long_decimal;
            e.store_as_text = flag("storeAsText");
        } else if (name == "text") {
            e.kind = Element::Kind::text;
            e.expandable = flag("expandable");
        } else if (name == "multiText") {
            e.kind = Element::Kind::multi_text;
        } else if (name == "enum") {
            e.kind = Element::Kind::enum_;
            for (auto item = node.first_child(); item; item = item.next_sibling()) {
                if (item.type() != pugi::node_element || local_name(item) != "item")
                    continue;
                e.items.push_back({m_strings.resolve(attribute(item, "displayName").value()), value(child(item, "value")),
                                   list(child(item, "valueList"))});
            }
        } else if (name == "list") {
            e.kind = Element::Kind::list;
            e.value_prefix = attribute(node, "valuePrefix").value();
            e.explicit_value = flag("explicitValue");
            e.additive = flag("additive");
            e.expandable = flag("expandable");
        } else {
            fail(node, fmt::format("unknown element <{}>", node.name()));
        }
        return e;
    }

private:
    const util::XmlFile& m_file;
    const Strings& m_strings;
};

Strings read_strings(const std::string& origin, const std::string& text)
{
    Strings out;
    if (text.empty())
        return out;
    const auto file = util::XmlFile::parse(util::Bytes(reinterpret_cast<const std::byte*>(text.data()),
                                                      reinterpret_cast<const std::byte*>(text.data()) + text.size()),
                                          origin);
    const auto table = child(child(file.root(), "resources"), "stringTable");
    for (auto s = table.first_child(); s; s = s.next_sibling())
        if (s.type() == pugi::node_element && local_name(s) == "string")
            out.table[attribute(s, "id").value()] = util::text_of(s);
    return out;
}

std::string read_text(const fs::path& path)
{
    const auto bytes = util::read_file(path);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace

void Catalogue::load(const std::string& admx_origin, const std::string& admx, const std::string& adml_origin,
                     const std::string& adml)
{
    const Strings strings = read_strings(adml_origin, adml);
    const auto file = util::XmlFile::parse(util::Bytes(reinterpret_cast<const std::byte*>(admx.data()),
                                                      reinterpret_cast<const std::byte*>(admx.data()) + admx.size()),
                                          admx_origin);
    const auto root = file.root();
    Reader reader(file, strings);
    if (local_name(root) != "policyDefinitions")
        reader.fail(root, "expected <policyDefinitions> as the root element");
    const auto target = child(child(root, "policyNamespaces"), "target");
    const std::string ns = attribute(target, "namespace").value();
    const std::string prefix = attribute(target, "prefix").value();

    std::map<std::string, std::string> categories;
    for (auto c = child(root, "categories").first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && local_name(c) == "category")
            categories[attribute(c, "name").value()] = strings.resolve(attribute(c, "displayName").value());

    for (auto p = child(root, "policies").first_child(); p; p = p.next_sibling()) {
        if (p.type() != pugi::node_element || local_name(p) != "policy")
            continue;
        Policy policy;
        policy.ns = ns;
        policy.prefix = prefix;
        policy.name = attribute(p, "name").value();
        policy.display_name = strings.resolve(attribute(p, "displayName").value());
        policy.explain = strings.resolve(attribute(p, "explainText").value());
        const std::string category = attribute(child(p, "parentCategory"), "ref").value();
        const auto cat = categories.find(category);
        policy.category = cat == categories.end() ? category : cat->second;
        const std::string_view cls = attribute(p, "class").value();
        policy.cls = cls == "User" ? PolicyClass::user : cls == "Both" ? PolicyClass::both : PolicyClass::machine;
        policy.key = attribute(p, "key").value();
        policy.value_name = attribute(p, "valueName").value();
        policy.client_extension = attribute(p, "clientExtension").value();
        if (auto v = child(p, "enabledValue"))
            policy.enabled_value = reader.value(v);
        if (auto v = child(p, "disabledValue"))
            policy.disabled_value = reader.value(v);
        policy.enabled_list = reader.list(child(p, "enabledList"));
        policy.disabled_list = reader.list(child(p, "disabledList"));
        for (auto e = child(p, "elements").first_child(); e; e = e.next_sibling())
            if (e.type() == pugi::node_element)
                policy.elements.push_back(reader.element(e));
        policy.source = admx_origin;
        add(std::move(policy));
    }
    ++m_files;
}

namespace {

// What a policy writes, independent of its names: its class and every (key, value) and
// list key it owns, folded and sorted.
std::string registry_identity(const Policy& p)
{
    const auto fp = footprint(p);
    std::vector<std::string> parts;
    for (const auto& [key, value] : fp.values)
        parts.push_back(util::to_lower_ascii(key) + "!" + util::to_lower_ascii(value));
    for (const auto& key : fp.list_keys)
        parts.push_back(util::to_lower_ascii(key) + "!*");
    std::sort(parts.begin(), parts.end());
    std::string out = p.cls == PolicyClass::machine ? "M" : p.cls == PolicyClass::user ? "U" : "B";
    for (const auto& part : parts)
        out += "|" + part;
    return out;
}

} // namespace

void Catalogue::add(Policy policy)
{
    // The same policy defined twice (gpokit's own Kerberos policies and Microsoft's
    // Kerberos.admx from a central store write the same registry values) is one policy:
    // the first definition stays, and knows where else it is defined.
    const std::string identity = registry_identity(policy);
    for (auto& existing : m_policies)
        if (existing.name == policy.name && registry_identity(existing) == identity) {
            existing.also_defined_in.push_back(policy.source);
            return;
        }
    m_policies.push_back(std::move(policy));
}

void Catalogue::load_dir(const fs::path& dir, const std::string& language)
{
    if (!fs::is_directory(dir))
        throw util::Error(util::display_path(dir) + ": not a folder of ADMX files");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file() && util::iequal_ascii(e.path().extension().string(), ".admx"))
            files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    const auto lang_dir = util::find_child(dir, language);
    for (const auto& admx : files) {
        // A file that cannot be read is reported and skipped; the rest of a central store
        // still loads.
        try {
            std::string adml_text;
            std::string adml_origin;
            if (lang_dir) {
                if (auto adml = util::find_child(*lang_dir, admx.stem().string() + ".adml")) {
                    adml_origin = util::display_path(*adml);
                    adml_text = read_text(*adml);
                }
            }
            load(util::display_path(admx), read_text(admx), adml_origin, adml_text);
        } catch (const util::Error& e) {
            m_problems.push_back(e);
        }
    }
}

const Policy& Catalogue::find(std::string_view name) const
{
    std::vector<const Policy*> found;
    const auto colon = name.find(':');
    for (const auto& p : m_policies) {
        if (colon == std::string_view::npos) {
            if (p.name == name)
                found.push_back(&p);
        } else {
            const auto space = name.substr(0, colon);
            if (p.name == name.substr(colon + 1) && (p.prefix == space || p.ns == space))
                found.push_back(&p);
        }
    }
    if (found.size() == 1)
        return *found.front();
    if (found.empty())
        throw util::Error(fmt::format("no policy named \"{}\" (see `gpokit policy list`)", name));
    std::string names;
    for (const auto* p : found)
        names += fmt::format("\n  {} ({})", p->full_name(), p->source);
    throw util::Error(fmt::format("\"{}\" names {} policies; say which with PREFIX:NAME:{}", name, found.size(), names));
}

const Policy* Catalogue::find_by_display_name(std::string_view display_name) const
{
    for (const auto& p : m_policies)
        if (p.display_name == display_name)
            return &p;
    return nullptr;
}

} // namespace gpokit::policy
