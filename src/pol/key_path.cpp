#include "pol/key_path.hpp"

#include "util/utf16.hpp"

#include <array>

namespace gpokit::pol {

std::optional<std::u16string> hive_prefix(std::u16string_view key)
{
    static constexpr std::array<std::u16string_view, 12> k_hives{
        u"Registry::HKEY_LOCAL_MACHINE", u"Registry::HKEY_CURRENT_USER", u"HKEY_LOCAL_MACHINE",
        u"HKEY_CURRENT_USER", u"HKEY_USERS", u"HKEY_CLASSES_ROOT", u"HKEY_CURRENT_CONFIG",
        u"HKLM", u"HKCU", u"HKU", u"HKCR", u"HKCC"};
    for (const auto hive : k_hives) {
        if (!util::istarts_with(key, hive))
            continue;
        std::u16string_view rest = key.substr(hive.size());
        std::size_t len = hive.size();
        if (!rest.empty() && rest.front() == u':') {
            rest.remove_prefix(1);
            ++len;
        }
        if (rest.empty())
            return std::u16string(key.substr(0, len));
        if (rest.front() == u'\\')
            return std::u16string(key.substr(0, len + 1));
    }
    return std::nullopt;
}

std::optional<KeyProblem> key_problem(std::u16string_view key)
{
    if (key.empty())
        return KeyProblem{"key-path", "the key path is empty"};
    if (auto hive = hive_prefix(key))
        return KeyProblem{"hive-prefix", "the key starts with the hive \"" + util::u16_to_utf8_lossy(*hive) +
                                             "\"; registry.pol keys are relative to the hive (Machine/ or User/ "
                                             "decides it)"};
    if (key.front() == u'\\')
        return KeyProblem{"key-path", "the key path starts with a backslash"};
    if (key.back() == u'\\')
        return KeyProblem{"key-path", "the key path ends with a backslash"};
    if (key.find(u"\\\\") != std::u16string_view::npos)
        return KeyProblem{"key-path", "the key path has an empty component (\\\\)"};
    return std::nullopt;
}

bool is_same_or_below(std::u16string_view key, std::u16string_view ancestor)
{
    if (!util::istarts_with(key, ancestor))
        return false;
    return key.size() == ancestor.size() || key[ancestor.size()] == u'\\';
}

} // namespace gpokit::pol
