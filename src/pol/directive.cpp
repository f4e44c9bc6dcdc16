#include "pol/directive.hpp"

#include "pol/reg_type.hpp"
#include "util/utf16.hpp"

namespace gpokit::pol {

Directive classify(std::u16string_view name, std::uint32_t type, std::size_t data_size)
{
    if (name.empty())
        return {type == k_reg_none && data_size == 0 ? DirectiveKind::create_key : DirectiveKind::none, {}};
    if (name.size() < 2 || name[0] != u'*' || name[1] != u'*')
        return {};
    using util::iequals;
    using util::istarts_with;
    if (iequals(name, k_delvals))
        return {DirectiveKind::delvals, {}};
    if (istarts_with(name, u"**del."))
        return {DirectiveKind::del, std::u16string(name.substr(6))};
    if (istarts_with(name, u"**soft."))
        return {DirectiveKind::soft, std::u16string(name.substr(7))};
    if (iequals(name, u"**DeleteValues"))
        return {DirectiveKind::delete_values, {}};
    if (iequals(name, u"**DeleteKeys"))
        return {DirectiveKind::delete_keys, {}};
    if (iequals(name, u"**SecureKey") || iequals(name, u"**SecureKey=0") || iequals(name, u"**SecureKey=1"))
        return {DirectiveKind::secure_key, {}};
    return {DirectiveKind::unknown, {}};
}

Directive classify(const Record& record)
{
    // Fast path: most records are ordinary values, recognisable from the first unit.
    if (record.value.size() >= 2 && util::unit_at(record.value, 0) != u'*')
        return {};
    return classify(record.value_u16(), record.type, record.data.size());
}

std::u16string del_name(std::u16string_view value_name)
{
    return std::u16string(u"**del.") + std::u16string(value_name);
}

util::ByteView directive_placeholder()
{
    static constexpr std::byte k_space_nul[4] = {std::byte{0x20}, std::byte{0}, std::byte{0}, std::byte{0}};
    return k_space_nul;
}

} // namespace gpokit::pol
