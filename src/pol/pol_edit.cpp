#include "pol/pol_edit.hpp"

#include "pol/directive.hpp"
#include "pol/effective.hpp"
#include "pol/key_path.hpp"
#include "pol/reg_type.hpp"
#include "util/error.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gpokit::pol {

namespace {

bool same_key(const Record& r, std::u16string_view key)
{
    return util::iequals(r.key_u16(), key);
}

// Index one past the last record of the key, or nullopt when the key has none.
std::optional<std::size_t> group_end(const PolFile& file, std::u16string_view key)
{
    for (std::size_t i = file.records.size(); i-- > 0;)
        if (same_key(file.records[i], key))
            return i + 1;
    return std::nullopt;
}

std::optional<std::size_t> group_begin(const PolFile& file, std::u16string_view key)
{
    for (std::size_t i = 0; i < file.records.size(); ++i)
        if (same_key(file.records[i], key))
            return i;
    return std::nullopt;
}

// Where a key that has no record yet goes: before the first key that sorts after it.
std::size_t sorted_position(const PolFile& file, std::u16string_view key)
{
    for (std::size_t i = 0; i < file.records.size(); ++i)
        if (util::compare_key_paths(file.records[i].key_u16(), key) > 0)
            return i;
    return file.records.size();
}

// Inserts a record made for `key` at the start or end of the key's group (its sorted
// place for a new key). A key the file already has keeps the file's spelling.
void insert_in_group(PolFile& file, std::u16string_view key, std::u16string_view name, std::uint32_t type,
                     util::ByteView data, bool at_front)
{
    const auto pos = at_front ? group_begin(file, key) : group_end(file, key);
    const std::size_t at = pos ? *pos : sorted_position(file, key);
    const std::u16string spelling = pos ? file.records[at_front ? *pos : *pos - 1].key_u16() : std::u16string(key);
    Record record = file.make_record(spelling, name, type, data);
    file.records.insert(file.records.begin() + static_cast<std::ptrdiff_t>(at), std::move(record));
}

// The kind of the first record of the key's group that is not a create-key or
// **SecureKey record, if any.
std::optional<DirectiveKind> first_list_record(const PolFile& file, std::u16string_view key)
{
    for (const auto& r : file.records) {
        if (!same_key(r, key))
            continue;
        const auto kind = classify(r).kind;
        if (kind != DirectiveKind::create_key && kind != DirectiveKind::secure_key)
            return kind;
    }
    return std::nullopt;
}

void validate_value_name(std::u16string_view name)
{
    if (name.size() >= 2 && name[0] == u'*' && name[1] == u'*')
        throw util::Error("value names starting with \"**\" are directives; use `disable` (**del.) or "
                          "`clear-key` (**delvals.) instead of writing them by hand");
}

bool is_value_record(const Record& r, std::u16string_view name)
{
    const Directive d = classify(r);
    return d.kind == DirectiveKind::none && util::iequals(r.value_u16(), name);
}

bool names_target(const Record& r, std::u16string_view name, DirectiveKind kind)
{
    const Directive d = classify(r);
    return d.kind == kind && util::iequals(d.target, name);
}

template <typename Pred>
bool erase_records(PolFile& file, Pred pred)
{
    const auto removed = std::erase_if(file.records, pred);
    return removed != 0;
}

} // namespace

void validate_key(std::u16string_view key)
{
    if (auto problem = key_problem(key))
        throw util::Error("refusing key \"" + util::u16_to_utf8_lossy(key) + "\": " + problem->message);
}

bool set_value(PolFile& file, std::u16string_view key, std::u16string_view name, std::uint32_t type,
               util::ByteView data)
{
    validate_key(key);
    validate_value_name(name);
    // What `pol check` rejects is not written either ([MS-GPREG] 2.2.1 caps a value's data).
    if (data.size() > 65535)
        throw util::Error(fmt::format("refusing {} bytes of data for \"{}\": a registry.pol value holds at most 65535 "
                                      "([MS-GPREG] 2.2.1)",
                                      data.size(), util::u16_to_utf8_lossy(name)));
    if (classify(name, type, data.size()).kind == DirectiveKind::create_key) {
        // An empty name with REG_NONE and no data is the "create the key" record, not a value.
        for (const auto& r : file.records)
            if (same_key(r, key) && classify(r).kind == DirectiveKind::create_key)
                return false;
        insert_in_group(file, key, name, type, data, true);
        return true;
    }
    {
        // Already what clients receive, from an ordinary record (a **soft. one would not
        // override a value the client has): nothing to do.
        const EffectiveState before = apply(file);
        if (const auto* v = before.find(key, name); v && v->type == type && util::equal(v->data, data) &&
                                                    classify(file.records[v->record]).kind == DirectiveKind::none)
            return false;
    }

    erase_records(file, [&](const Record& r) {
        return same_key(r, key) && names_target(r, name, DirectiveKind::del);
    });

    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < file.records.size(); ++i)
        if (same_key(file.records[i], key) && is_value_record(file.records[i], name))
            last = i;
    if (last) {
        // Replace in place, keeping the spelling the file already uses.
        const Record& old = file.records[*last];
        file.records[*last] = file.make_record(old.key_u16(), old.value_u16(), type, data);
    } else {
        insert_in_group(file, key, name, type, data, false);
    }

    // A hand-made file can delete the value again after its group (a later **delvals.,
    // **DeleteValues or **DeleteKeys); then the new value has to come last.
    const EffectiveState after = apply(file);
    if (const auto* v = after.find(key, name); !v || v->type != type || !util::equal(v->data, data))
        file.records.push_back(file.make_record(key, name, type, data));
    return true;
}

bool delete_value(PolFile& file, std::u16string_view key, std::u16string_view name)
{
    validate_key(key);
    return erase_records(file, [&](const Record& r) {
        return same_key(r, key) && (is_value_record(r, name) || names_target(r, name, DirectiveKind::del) ||
                                    names_target(r, name, DirectiveKind::soft));
    });
}

bool delete_key(PolFile& file, std::u16string_view key, bool subkeys)
{
    validate_key(key);
    return erase_records(file, [&](const Record& r) {
        return subkeys ? is_same_or_below(r.key_u16(), key) : same_key(r, key);
    });
}

bool disable_value(PolFile& file, std::u16string_view key, std::u16string_view name)
{
    validate_key(key);
    validate_value_name(name);
    std::vector<std::size_t> setters;
    std::vector<std::size_t> dels;
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const Record& r = file.records[i];
        if (!same_key(r, key))
            continue;
        if (is_value_record(r, name) || names_target(r, name, DirectiveKind::soft))
            setters.push_back(i);
        else if (names_target(r, name, DirectiveKind::del))
            dels.push_back(i);
    }
    if (setters.empty() && !dels.empty() && !apply(file).find(key, name))
        return false; // already disabled

    const auto placeholder = directive_placeholder();
    if (!setters.empty()) {
        // The **del. takes the place of the last record that set the value.
        const std::size_t at = setters.back();
        file.records[at] = file.make_record(file.records[at].key_u16(), del_name(name), k_reg_sz, placeholder);
        setters.pop_back();
        std::vector<std::size_t> drop = setters;
        drop.insert(drop.end(), dels.begin(), dels.end());
        std::sort(drop.rbegin(), drop.rend());
        for (std::size_t i : drop)
            file.records.erase(file.records.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (dels.empty()) {
        insert_in_group(file, key, del_name(name), k_reg_sz, placeholder, false);
    }
    if (apply(file).find(key, name)) // a later hand-made record sets it again
        file.records.push_back(file.make_record(key, del_name(name), k_reg_sz, placeholder));
    return true;
}

bool clear_key(PolFile& file, std::u16string_view key)
{
    validate_key(key);
    if (first_list_record(file, key) == DirectiveKind::delvals)
        return false;
    insert_in_group(file, key, k_delvals, k_reg_sz, directive_placeholder(), true);
    return true;
}

} // namespace gpokit::pol
