#include "policy/engine.hpp"

#include "pol/directive.hpp"
#include "pol/pol_edit.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gpokit::policy {

namespace {

std::u16string u16(std::string_view s)
{
    return util::utf8_to_u16(s);
}

const std::string& key_or(const std::string& key, const std::string& fallback)
{
    return key.empty() ? fallback : key;
}

// The registry type and bytes an ADMX value writes (not for <delete/>).
std::pair<std::uint32_t, util::Bytes> encoded(const RegValue& v)
{
    switch (v.kind) {
    case RegValue::Kind::decimal:
        return {pol::k_reg_dword, pol::encode(pol::k_reg_dword, pol::Value{v.number})};
    case RegValue::Kind::long_decimal:
        return {pol::k_reg_qword, pol::encode(pol::k_reg_qword, pol::Value{v.number})};
    case RegValue::Kind::string:
        return {pol::k_reg_sz, pol::encode(pol::k_reg_sz, pol::Value{v.text})};
    case RegValue::Kind::del:
        break;
    }
    return {pol::k_reg_none, {}};
}

bool matches(const RegValue& want, const RegistryView& view, const std::string& key, const std::string& name)
{
    if (want.kind == RegValue::Kind::del)
        return view.value(key, name) == nullptr && view.deleted(key, name);
    const auto* v = view.value(key, name);
    if (v == nullptr)
        return false;
    const auto [type, bytes] = encoded(want);
    if (want.kind == RegValue::Kind::string)
        return (v->type == pol::k_reg_sz || v->type == pol::k_reg_expand_sz) && util::equal(v->data, bytes);
    return v->type == type && util::equal(v->data, bytes);
}

bool all_match(const std::vector<ListItem>& items, const RegistryView& view, const std::string& default_key)
{
    return !items.empty() && std::all_of(items.begin(), items.end(), [&](const ListItem& i) {
        return matches(i.value, view, key_or(i.key, default_key), i.value_name);
    });
}

// Writes one ADMX value (or its deletion). Returns whether the file changed.
bool put(pol::PolFile& file, const std::string& key, const std::string& name, const RegValue& v)
{
    if (v.kind == RegValue::Kind::del)
        return pol::disable_value(file, u16(key), u16(name));
    const auto [type, bytes] = encoded(v);
    return pol::set_value(file, u16(key), u16(name), type, bytes);
}

bool put_list(pol::PolFile& file, const std::vector<ListItem>& items, const std::string& default_key)
{
    bool changed = false;
    for (const auto& i : items)
        changed |= put(file, key_or(i.key, default_key), i.value_name, i.value);
    return changed;
}

// The list element's entries as the file holds them now.
ListEntries list_entries(const std::string& key, const RegistryView& view)
{
    ListEntries out;
    if (const auto* k = view.key(key))
        for (const auto& v : k->values) {
            const auto decoded = pol::decode(v.type, v.data);
            const std::string data = std::holds_alternative<std::string>(decoded) ? std::get<std::string>(decoded)
                                                                                   : util::to_hex(v.data);
            out.emplace_back(util::u16_to_utf8_lossy(v.name), data);
        }
    return out;
}

std::optional<ElementValue> read_element(const Element& e, const Policy& p, const RegistryView& view)
{
    const std::string& key = key_or(e.key, p.key);
    if (e.kind == Element::Kind::list) {
        ListEntries entries = list_entries(key, view);
        if (entries.empty())
            return std::nullopt;
        if (e.explicit_value)
            return entries;
        std::vector<std::string> items; // in the file's value order (prefix1, prefix2, ...)
        for (auto& [name, data] : entries)
            items.push_back(std::move(data));
        return items;
    }
    if (e.kind == Element::Kind::boolean) {
        const RegValue yes = e.true_value.value_or(RegValue{RegValue::Kind::decimal, 1, {}});
        const RegValue no = e.false_value.value_or(RegValue{RegValue::Kind::del, 0, {}});
        if (matches(yes, view, key, e.value_name))
            return true;
        if (matches(no, view, key, e.value_name))
            return false;
        return std::nullopt;
    }
    if (e.kind == Element::Kind::enum_) {
        for (const auto& item : e.items)
            if (matches(item.value, view, key, e.value_name))
                return item.display_name;
        return std::nullopt;
    }
    const auto* v = view.value(key, e.value_name);
    if (v == nullptr)
        return std::nullopt;
    const auto decoded = pol::decode(v->type, v->data);
    if (const auto* n = std::get_if<std::uint64_t>(&decoded))
        return *n;
    if (const auto* s = std::get_if<std::string>(&decoded)) {
        if (e.kind == Element::Kind::decimal || e.kind == Element::Kind::long_decimal) {
            try {
                return pol::parse_unsigned(*s, 64);
            } catch (const util::Error&) {
                return *s;
            }
        }
        return *s;
    }
    if (const auto* list = std::get_if<pol::Strings>(&decoded))
        return *list;
    return util::to_hex(v->data);
}

bool write_element(pol::PolFile& file, const Policy& p, const Element& e, const ElementValue& value)
{
    const std::string& key = key_or(e.key, p.key);
    const std::u16string k = u16(key);
    const std::u16string name = u16(e.value_name);
    auto wrong = [&](std::string_view want) {
        return util::Error(fmt::format("element \"{}\" of {} takes {}", e.id, p.full_name(), want));
    };
    switch (e.kind) {
    case Element::Kind::boolean: {
        const bool* b = std::get_if<bool>(&value);
        if (b == nullptr)
            throw wrong("true or false");
        // As the Group Policy editor: checked without trueValue writes DWORD 1; unchecked
        // without falseValue deletes the value.
        const RegValue v = *b ? e.true_value.value_or(RegValue{RegValue::Kind::decimal, 1, {}})
                              : e.false_value.value_or(RegValue{RegValue::Kind::del, 0, {}});
        bool changed = put(file, key, e.value_name, v);
        changed |= put_list(file, *b ? e.true_list : e.false_list, key);
        return changed;
    }
    case Element::Kind::decimal:
    case Element::Kind::long_decimal: {
        const auto* n = std::get_if<std::uint64_t>(&value);
        if (n == nullptr)
            throw wrong("a number");
        if (e.store_as_text)
            return pol::set_value(file, k, name, pol::k_reg_sz, pol::encode(pol::k_reg_sz, pol::Value{std::to_string(*n)}));
        const std::uint32_t type = e.kind == Element::Kind::decimal ? pol::k_reg_dword : pol::k_reg_qword;
        return pol::set_value(file, k, name, type, pol::encode(type, pol::Value{*n}));
    }
    case Element::Kind::text: {
        const auto* s = std::get_if<std::string>(&value);
        if (s == nullptr)
            throw wrong("text");
        const std::uint32_t type = e.expandable ? pol::k_reg_expand_sz : pol::k_reg_sz;
        return pol::set_value(file, k, name, type, pol::encode(type, pol::Value{*s}));
    }
    case Element::Kind::multi_text: {
        const auto* list = std::get_if<std::vector<std::string>>(&value);
        if (list == nullptr)
            throw wrong("one or more lines of text");
        return pol::set_value(file, k, name, pol::k_reg_multi_sz, pol::encode(pol::k_reg_multi_sz, pol::Value{*list}));
    }
    case Element::Kind::enum_: {
        const auto* s = std::get_if<std::string>(&value);
        const auto it = s == nullptr ? e.items.end()
                                     : std::find_if(e.items.begin(), e.items.end(),
                                                    [&](const EnumItem& i) { return i.display_name == *s; });
        if (it == e.items.end())
            throw wrong("one of its items");
        bool changed = put(file, key, e.value_name, it->value);
        changed |= put_list(file, it->value_list, key);
        return changed;
    }
    case Element::Kind::list: {
        ListEntries entries;
        if (const auto* explicit_entries = std::get_if<ListEntries>(&value)) {
            entries = *explicit_entries;
        } else if (const auto* items = std::get_if<std::vector<std::string>>(&value)) {
            for (std::size_t i = 0; i < items->size(); ++i) {
                const std::string n = e.value_prefix.empty() ? (*items)[i] : e.value_prefix + std::to_string(i + 1);
                entries.emplace_back(n, (*items)[i]);
            }
        } else {
            throw wrong("a list");
        }
        if (e.explicit_value && std::any_of(entries.begin(), entries.end(), [](const auto& x) { return x.first.empty(); }))
            throw wrong("NAME=VALUE entries");
        bool changed = false;
        const std::uint32_t type = e.expandable ? pol::k_reg_expand_sz : pol::k_reg_sz;
        if (!e.additive) {
            // **delvals. then exactly these entries: the key's records are rewritten (only
            // if they are not already that).
            pol::PolFile wanted = file;
            pol::delete_key(wanted, k, false);
            pol::clear_key(wanted, k);
            for (const auto& [n, data] : entries)
                pol::set_value(wanted, k, u16(n), type, pol::encode(type, pol::Value{data}));
            if (wanted.serialize() == file.serialize())
                return false;
            file = std::move(wanted);
            return true;
        } else {
            // An additive list leaves other GPOs' entries alone on clients, but in this
            // file the list is exactly what is asked for: entries not asked for go.
            const RegistryView view(file);
            for (const auto& old : list_entries(key, view)) {
                const std::string& old_name = old.first;
                const bool kept = std::any_of(entries.begin(), entries.end(), [&](const auto& x) {
                    return util::iequals(u16(x.first), u16(old_name));
                });
                if (!kept)
                    changed |= pol::delete_value(file, k, u16(old_name));
            }
        }
        for (const auto& [n, data] : entries)
            changed |= pol::set_value(file, k, u16(n), type, pol::encode(type, pol::Value{data}));
        return changed;
    }
    }
    return false;
}

} // namespace

const char* state_name(State s)
{
    switch (s) {
    case State::enabled: return "Enabled";
    case State::disabled: return "Disabled";
    case State::not_configured: return "Not configured";
    }
    return "";
}

RegistryView::RegistryView(const pol::PolFile& file) : m_file(&file), m_state(pol::apply(file))
{
    // Consecutive records about one key (the usual layout) fold and find it once.
    std::u16string key;
    std::map<std::u16string, Mark>* marks = nullptr;
    util::ByteView last_key;
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const auto& r = file.records[i];
        const pol::Directive d = pol::classify(r);
        const bool names_value = d.kind == pol::DirectiveKind::none || d.kind == pol::DirectiveKind::soft ||
                                 d.kind == pol::DirectiveKind::del;
        if (!names_value && d.kind != pol::DirectiveKind::delvals)
            continue;
        if (marks == nullptr || !std::equal(r.key.begin(), r.key.end(), last_key.begin(), last_key.end())) {
            key = util::fold(r.key_u16());
            marks = &m_deleted[key];
            last_key = r.key;
        }
        if (d.kind == pol::DirectiveKind::delvals) {
            m_cleared[key] = r.key_u16();
            for (auto& [name, mark] : *marks)
                mark.deleted = true;
        } else {
            (*marks)[util::fold(d.kind == pol::DirectiveKind::none ? r.value_u16() : d.target)] =
                Mark{d.kind == pol::DirectiveKind::del, i};
        }
    }
}

const pol::EffectiveValue* RegistryView::value(std::string_view key, std::string_view name) const
{
    return m_state.find(u16(key), u16(name));
}

bool RegistryView::deleted(std::string_view key, std::string_view name) const
{
    const auto k = m_deleted.find(util::fold(u16(key)));
    if (k != m_deleted.end())
        if (const auto it = k->second.find(util::fold(u16(name))); it != k->second.end())
            return it->second.deleted;
    return cleared(key);
}

bool RegistryView::cleared(std::string_view key) const
{
    return m_cleared.count(util::fold(u16(key))) != 0;
}

std::vector<RegistryView::Deletion> RegistryView::deletions() const
{
    std::vector<Deletion> out;
    for (const auto& [folded, spelling] : m_cleared)
        out.push_back({spelling, {}});
    for (const auto& [key, names] : m_deleted)
        for (const auto& [name, mark] : names) {
            if (!mark.deleted)
                continue;
            const auto& r = m_file->records[mark.record];
            const pol::Directive d = pol::classify(r);
            Deletion del{r.key_u16(), d.kind == pol::DirectiveKind::none ? r.value_u16() : d.target};
            if (m_state.find(del.key, del.value) == nullptr)
                out.push_back(std::move(del));
        }
    return out;
}

const pol::EffectiveKey* RegistryView::key(std::string_view key) const
{
    return m_state.find_key(u16(key));
}

Reading read(const Policy& p, const RegistryView& view)
{
    Reading out;
    if (!p.value_name.empty()) {
        const RegValue on = p.enabled_value.value_or(RegValue{RegValue::Kind::decimal, 1, {}});
        const RegValue off = p.disabled_value.value_or(RegValue{RegValue::Kind::del, 0, {}});
        if (matches(on, view, p.key, p.value_name))
            out.state = State::enabled;
        else if (matches(off, view, p.key, p.value_name))
            out.state = State::disabled;
    } else if (all_match(p.enabled_list, view, p.key)) {
        out.state = State::enabled;
    } else if (all_match(p.disabled_list, view, p.key)) {
        out.state = State::disabled;
    } else {
        bool any_value = false;
        bool any_deleted = false;
        for (const auto& e : p.elements) {
            const std::string& key = key_or(e.key, p.key);
            if (e.kind == Element::Kind::list) {
                const auto* k = view.key(key);
                any_value |= k != nullptr && !k->values.empty();
                any_deleted |= view.cleared(key);
            } else {
                any_value |= view.value(key, e.value_name) != nullptr;
                any_deleted |= view.deleted(key, e.value_name);
            }
        }
        out.state = any_value ? State::enabled : any_deleted ? State::disabled : State::not_configured;
    }
    if (out.state == State::enabled)
        for (const auto& e : p.elements)
            if (auto v = read_element(e, p, view))
                out.elements.emplace(e.id, std::move(*v));
    return out;
}

bool write(pol::PolFile& file, const Policy& p, State state, const std::map<std::string, ElementValue>& elements)
{
    for (const auto& [id, value] : elements) {
        const Element* e = p.element(id);
        if (e == nullptr)
            throw util::Error(fmt::format("{} has no element \"{}\"", p.full_name(), id));
        // The limits the ADMX sets, as the Group Policy editor enforces them.
        if (const auto* n = std::get_if<std::uint64_t>(&value)) {
            if ((e->min_value && *n < *e->min_value) || (e->max_value && *n > *e->max_value))
                throw util::Error(fmt::format("element \"{}\" of {} takes a number from {} to {}, not {}", id,
                                              p.full_name(), e->min_value.value_or(0),
                                              e->max_value.value_or(e->kind == Element::Kind::decimal ? 0xffffffffu
                                                                                                      : ~std::uint64_t{0}),
                                              *n));
        }
        if (const auto* t = std::get_if<std::string>(&value); t && e->kind == Element::Kind::text && e->max_length &&
                                                            t->size() > *e->max_length)
            throw util::Error(fmt::format("element \"{}\" of {} takes at most {} characters", id, p.full_name(),
                                          *e->max_length));
    }
    if (state == State::enabled && p.value_name.empty() && p.enabled_list.empty() && !p.elements.empty() &&
        elements.empty()) {
        std::string ids;
        for (const auto& e : p.elements)
            ids += (ids.empty() ? "" : ", ") + e.id;
        throw util::Error(fmt::format("{} is enabled through its elements: give them with --element ID=VALUE ({})",
                                      p.full_name(), ids));
    }
    if (state == State::enabled)
        for (const auto& e : p.elements)
            if (e.required && elements.find(e.id) == elements.end())
                throw util::Error(fmt::format("{} needs element \"{}\" when enabled (--element {}=VALUE)",
                                              p.full_name(), e.id, e.id));
    bool changed = false;
    const Footprint fp = footprint(p);
    switch (state) {
    case State::not_configured:
        for (const auto& [key, name] : fp.values)
            changed |= pol::delete_value(file, u16(key), u16(name));
        for (const auto& key : fp.list_keys)
            changed |= pol::delete_key(file, u16(key), false);
        return changed;
    case State::enabled:
        if (!p.value_name.empty())
            changed |= put(file, p.key, p.value_name, p.enabled_value.value_or(RegValue{RegValue::Kind::decimal, 1, {}}));
        changed |= put_list(file, p.enabled_list, p.key);
        for (const auto& e : p.elements) {
            const auto it = elements.find(e.id);
            if (it == elements.end())
                continue;
            changed |= write_element(file, p, e, it->second);
        }
        return changed;
    case State::disabled:
        if (!p.value_name.empty())
            changed |= put(file, p.key, p.value_name, p.disabled_value.value_or(RegValue{RegValue::Kind::del, 0, {}}));
        changed |= put_list(file, p.disabled_list, p.key);
        for (const auto& e : p.elements) {
            const std::string& key = key_or(e.key, p.key);
            if (e.kind == Element::Kind::list) {
                // The list's entries go (this key only), and clients clear theirs.
                pol::PolFile wanted = file;
                pol::delete_key(wanted, u16(key), false);
                pol::clear_key(wanted, u16(key));
                if (wanted.serialize() != file.serialize()) {
                    file = std::move(wanted);
                    changed = true;
                }
            } else if (e.kind == Element::Kind::boolean && e.false_value) {
                changed |= put(file, key, e.value_name, *e.false_value); // as the editor does
            } else {
                changed |= pol::disable_value(file, u16(key), u16(e.value_name));
            }
        }
        return changed;
    }
    return changed;
}

Footprint footprint(const Policy& p)
{
    Footprint out;
    if (!p.value_name.empty())
        out.values.emplace_back(p.key, p.value_name);
    for (const auto* list : {&p.enabled_list, &p.disabled_list})
        for (const auto& i : *list)
            out.values.emplace_back(key_or(i.key, p.key), i.value_name);
    for (const auto& e : p.elements) {
        const std::string& key = key_or(e.key, p.key);
        if (e.kind == Element::Kind::list) {
            out.list_keys.push_back(key);
            continue;
        }
        out.values.emplace_back(key, e.value_name);
        for (const auto* list : {&e.true_list, &e.false_list})
            for (const auto& i : *list)
                out.values.emplace_back(key_or(i.key, key), i.value_name);
        for (const auto& item : e.items)
            for (const auto& i : item.value_list)
                out.values.emplace_back(key_or(i.key, key), i.value_name);
    }
    return out;
}

ElementValue parse_element_value(const Element& e, const std::string& text)
{
    switch (e.kind) {
    case Element::Kind::boolean:
        if (text == "true" || text == "1" || text == "on")
            return true;
        if (text == "false" || text == "0" || text == "off")
            return false;
        throw util::Error(fmt::format("element \"{}\" takes true or false, not \"{}\"", e.id, text));
    case Element::Kind::decimal:
        return pol::parse_unsigned(text, 32);
    case Element::Kind::long_decimal:
        return pol::parse_unsigned(text, 64);
    case Element::Kind::enum_: {
        for (const auto& item : e.items)
            if (item.display_name == text)
                return item.display_name;
        std::uint64_t index = 0;
        try {
            index = pol::parse_unsigned(text, 32);
        } catch (const util::Error&) {
            index = 0;
        }
        if (index >= 1 && index <= e.items.size())
            return e.items[index - 1].display_name;
        std::string names;
        for (std::size_t i = 0; i < e.items.size(); ++i)
            names += fmt::format("\n  {} {}", i + 1, e.items[i].display_name);
        throw util::Error(fmt::format("element \"{}\" takes one of its items, by name or number:{}", e.id, names));
    }
    case Element::Kind::multi_text:
        return std::vector<std::string>{text};
    case Element::Kind::list:
    case Element::Kind::text:
        return text;
    }
    return text;
}

} // namespace gpokit::policy
