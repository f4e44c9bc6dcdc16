// ASCII case folding for the names Windows compares case-insensitively: file and
// folder names, INI keys, LDAP attribute names, GUIDs.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace gpokit::util {

inline char lower_ascii(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

inline std::string to_lower_ascii(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
    return out;
}

// A '/'-separated relative path with Windows' separators.
inline std::string backslashed(std::string_view path)
{
    std::string out(path);
    std::replace(out.begin(), out.end(), '/', '\\');
    return out;
}

inline bool iequal_ascii(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" with hexadecimal digits (any case).
inline bool is_guid(std::string_view s)
{
    if (s.size() != 38 || s.front() != '{' || s.back() != '}')
        return false;
    for (std::size_t i = 1; i < 37; ++i) {
        const bool dash = i == 9 || i == 14 || i == 19 || i == 24;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
            return false;
    }
    return true;
}

} // namespace gpokit::util
