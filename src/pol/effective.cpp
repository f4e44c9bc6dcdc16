#include "pol/effective.hpp"

#include "pol/directive.hpp"
#include "pol/reg_type.hpp"
#include "util/utf16.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace gpokit::pol {

namespace {

struct KeyState {
    std::u16string name;
    // folded value name -> value
    std::unordered_map<std::u16string, EffectiveValue> values;
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

    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const Record& r = file.records[i];
        const std::u16string key = r.key_u16();
        const std::u16string folded_key = util::fold(key);
        KeyState& state = keys[folded_key];
        state.name = key;

        const Directive d = classify(r);
        switch (d.kind) {
        case DirectiveKind::none: {
            const std::u16string name = r.value_u16();
            state.values[util::fold(name)] = EffectiveValue{name, r.type, r.data, i};
            break;
        }
        case DirectiveKind::soft: {
            auto [it, inserted] = state.values.try_emplace(util::fold(d.target));
            if (inserted)
                it->second = EffectiveValue{d.target, r.type, r.data, i};
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
                const std::u16string prefix = folded_key + u"\\" + util::fold(sub);
                std::erase_if(keys, [&](const auto& kv) {
                    return kv.first == prefix ||
                           (kv.first.size() > prefix.size() && kv.first.compare(0, prefix.size(), prefix) == 0 &&
                            kv.first[prefix.size()] == u'\\');
                });
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

    EffectiveState out;
    out.keys.reserve(keys.size());
    for (auto& [folded, state] : keys) {
        // A key only deleted from (or only named by an unknown directive) is not listed.
        if (state.values.empty() && !state.created && !state.secured)
            continue;
        EffectiveKey k{std::move(state.name), {}, state.secured};
        k.values.reserve(state.values.size());
        for (auto& [fname, v] : state.values)
            k.values.push_back(std::move(v));
        std::sort(k.values.begin(), k.values.end(), [](const auto& a, const auto& b) {
            return util::fold(a.name) < util::fold(b.name);
        });
        out.keys.push_back(std::move(k));
    }
    std::sort(out.keys.begin(), out.keys.end(),
              [](const auto& a, const auto& b) { return util::compare_key_paths(a.name, b.name) < 0; });
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

const EffectiveValue* EffectiveState::find(std::u16string_view key, std::u16string_view value) const
{
    for (const auto& k : keys) {
        if (!util::iequals(k.name, key))
            continue;
        for (const auto& v : k.values)
            if (util::iequals(v.name, value))
                return &v;
    }
    return nullptr;
}

std::size_t EffectiveState::value_count() const
{
    std::size_t n = 0;
    for (const auto& k : keys)
        n += k.values.size();
    return n;
}

} // namespace gpokit::pol
