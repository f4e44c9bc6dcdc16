#include "pol/effective.hpp"

#include "pol/directive.hpp"
#include "pol/reg_type.hpp"
#include "util/utf16.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace gpokit::pol {

namespace {

// A key's values by folded name. Most keys hold a handful: they are searched in a vector,
// and only a key that grows large gets a hash index (one allocation per value, not a
// hash table per key).
class ValueTable {
public:
    bool empty() const { return m_items.empty(); }
    std::size_t size() const { return m_items.size(); }

    // The value named `folded`, made empty if absent; `inserted` says which.
    EffectiveValue& get(std::u16string folded, bool& inserted)
    {
        if (const auto at = find(folded)) {
            inserted = false;
            return m_items[*at].second;
        }
        inserted = true;
        if (!m_index.empty() || m_items.size() == k_indexed)
            index_add(folded, m_items.size());
        m_items.emplace_back(std::move(folded), EffectiveValue{});
        return m_items.back().second;
    }

    void erase(const std::u16string& folded)
    {
        const auto at = find(folded);
        if (!at)
            return;
        if (!m_index.empty()) {
            m_index.erase(folded);
            if (*at + 1 != m_items.size())
                m_index[m_items.back().first] = *at;
        }
        if (*at + 1 != m_items.size())
            m_items[*at] = std::move(m_items.back());
        m_items.pop_back();
    }

    void clear()
    {
        m_items.clear();
        m_index.clear();
    }

    // The values sorted by folded name, moved out.
    std::vector<EffectiveValue> take_sorted()
    {
        std::sort(m_items.begin(), m_items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<EffectiveValue> out;
        out.reserve(m_items.size());
        for (auto& item : m_items)
            out.push_back(std::move(item.second));
        return out;
    }

private:
    static constexpr std::size_t k_indexed = 16;

    std::optional<std::size_t> find(const std::u16string& folded) const
    {
        if (!m_index.empty()) {
            const auto it = m_index.find(folded);
            return it == m_index.end() ? std::nullopt : std::optional<std::size_t>(it->second);
        }
        for (std::size_t i = 0; i < m_items.size(); ++i)
            if (m_items[i].first == folded)
                return i;
        return std::nullopt;
    }

    void index_add(const std::u16string& folded, std::size_t at)
    {
        if (m_index.empty()) // the first time past k_indexed: index what is there
            for (std::size_t i = 0; i < m_items.size(); ++i)
                m_index.emplace(m_items[i].first, i);
        m_index.emplace(folded, at);
    }

    std::vector<std::pair<std::u16string, EffectiveValue>> m_items;
    std::unordered_map<std::u16string, std::size_t> m_index;
};

struct KeyState {
    std::u16string name;
    ValueTable values;
    std::optional<bool> secured;
    bool created = false; // an explicit create-key record
};

// Splits "a;b; c" into trimmed, non-empty names.
std::vector<std::u16string> split_list(util::ByteView data)
{
    std::u16string text = util::utf16le_to_u16(data.first(data.size() - data.size() % 2));
    std::vector<std::u16string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != u';' && text[i] != u'\0')
            continue;
        std::u16string_view item(text.data() + start, i - start);
        while (!item.empty() && item.front() == u' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == u' ')
            item.remove_suffix(1);
        if (!item.empty())
            out.emplace_back(item);
        start = i + 1;
    }
    return out;
}

} // namespace

EffectiveState apply(const PolFile& file)
{
    std::unordered_map<std::u16string, KeyState> keys; // folded key path -> state
    // The folded key paths in order, made at the first **DeleteKeys (which erases a key
    // and every key below it: a range here) and kept from then on.
    std::optional<std::set<std::u16string>> ordered;
    // Files are grouped by key: a record of the same key (the same bytes) as the one
    // before it reuses its state without converting or looking the key up again.
    util::ByteView last_key;
    std::u16string folded_key;
    KeyState* current = nullptr;

    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const Record& r = file.records[i];
        if (current == nullptr || !util::equal(r.key, last_key)) {
            const std::u16string key = r.key_u16();
            folded_key = util::fold(key);
            const auto [it, inserted] = keys.try_emplace(folded_key);
            if (inserted && ordered)
                ordered->insert(folded_key);
            current = &it->second;
            current->name = key;
            last_key = r.key;
        }
        KeyState& state = *current;

        const Directive d = classify(r);
        switch (d.kind) {
        case DirectiveKind::none: {
            const std::u16string name = r.value_u16();
            bool inserted = false;
            state.values.get(util::fold(name), inserted) = EffectiveValue{name, r.type, r.data, i};
            break;
        }
        case DirectiveKind::soft: {
            bool inserted = false;
            auto& value = state.values.get(util::fold(d.target), inserted);
            if (inserted)
                value = EffectiveValue{d.target, r.type, r.data, i};
            break;
        }
        case DirectiveKind::del:
            state.values.erase(util::fold(d.target));
            break;
        case DirectiveKind::delvals:
            state.values.clear();
            break;
        case DirectiveKind::delete_values:
            for (const auto& name : split_list(r.data))
                state.values.erase(util::fold(name));
            break;
        case DirectiveKind::delete_keys:
            for (const auto& sub : split_list(r.data)) {
                // The subkey and every key below it: a range of the ordered map.
                const std::u16string prefix = folded_key + u"\\" + util::fold(sub);
                if (!ordered) {
                    ordered.emplace();
                    for (const auto& kv : keys)
                        ordered->insert(kv.first);
                }
                auto it = ordered->lower_bound(prefix);
                while (it != ordered->end() && it->compare(0, prefix.size(), prefix) == 0) {
                    if (it->size() == prefix.size() || (*it)[prefix.size()] == u'\\') {
                        keys.erase(*it);
                        it = ordered->erase(it);
                    } else {
                        ++it;
                    }
                }
                current = nullptr; // it may have been erased
            }
            break;
        case DirectiveKind::secure_key:
            if (r.data.size() == 4)
                state.secured = util::load_u32le(r.data.data()) != 0;
            else
                state.secured = util::iequals(r.value_u16(), u"**SecureKey=1");
            break;
        case DirectiveKind::create_key:
            state.created = true;
            break;
        case DirectiveKind::unknown:
            break;
        }
    }

    // Keys sorted by path, component by component (compare_key_paths), each converted to
    // its sort key once, not at every comparison. Values sorted by folded name likewise.
    std::vector<std::pair<std::u16string, KeyState*>> order;
    order.reserve(keys.size());
    for (auto& [folded, state] : keys) {
        // A key only deleted from (or only named by an unknown directive) is not listed.
        if (state.values.empty() && !state.created && !state.secured)
            continue;
        order.emplace_back(util::key_path_sort_key(folded), &state);
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    EffectiveState out;
    out.keys.reserve(order.size());
    for (auto& [sort_key, state] : order) {
        out.keys.push_back(EffectiveKey{std::move(state->name), state->values.take_sorted(), state->secured});
    }
    return out;
}

PolFile to_pol(const EffectiveState& state, std::string origin)
{
    PolFile file;
    file.set_origin(std::move(origin));
    for (const auto& k : state.keys) {
        if (k.secured) {
            util::Bytes flag;
            util::append_u32le(flag, *k.secured ? 1 : 0);
            file.records.push_back(file.make_record(k.name, u"**SecureKey", k_reg_dword, flag));
        }
        if (k.values.empty() && !k.secured)
            file.records.push_back(file.make_record(k.name, u"", k_reg_none, {}));
        for (const auto& v : k.values)
            file.records.push_back(file.make_record(k.name, v.name, v.type, v.data));
    }
    return file;
}

const EffectiveKey* EffectiveState::find_key(std::u16string_view key) const
{
    // Keys are sorted by compare_key_paths, which is 0 exactly for names equal but for case.
    const auto it = std::lower_bound(keys.begin(), keys.end(), key, [](const EffectiveKey& k, std::u16string_view name) {
        return util::compare_key_paths(k.name, name) < 0;
    });
    return it != keys.end() && util::compare_key_paths(it->name, key) == 0 ? &*it : nullptr;
}

const EffectiveValue* EffectiveState::find(std::u16string_view key, std::u16string_view value) const
{
    const EffectiveKey* k = find_key(key);
    if (k == nullptr)
        return nullptr;
    // Values are sorted by their folded names.
    const std::u16string folded = util::fold(value);
    const auto it = std::lower_bound(k->values.begin(), k->values.end(), folded,
                                     [](const EffectiveValue& v, const std::u16string& f) { return util::fold(v.name) < f; });
    return it != k->values.end() && util::fold(it->name) == folded ? &*it : nullptr;
}

std::size_t EffectiveState::value_count() const
{
    std::size_t n = 0;
    for (const auto& k : keys)
        n += k.values.size();
    return n;
}

} // namespace gpokit::pol
