#include "live/url.hpp"

#include "gpo/gpo.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#include <cctype>

namespace gpokit::live {

namespace {

constexpr std::string_view k_scheme = "live://";

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = util::lower_ascii(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

std::string percent_decode(std::string_view text, std::string_view whole)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
            const int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
            if (lo < 0)
                throw util::Error(fmt::format("{}: bad percent escape at character {}", whole,
                                              whole.size() - text.size() + i + 1));
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace

bool is_live_url(std::string_view text)
{
    return util::iequal_ascii(text.substr(0, k_scheme.size()), k_scheme);
}

LiveUrl parse_live_url(std::string_view text)
{
    if (!is_live_url(text))
        throw util::Error(fmt::format("{}: not a live:// address", text));
    LiveUrl u;
    u.text = std::string(text);
    std::string_view rest = text.substr(k_scheme.size());
    const std::size_t end_host = rest.find_first_of("/?");
    const std::string_view host = rest.substr(0, end_host);
    rest = end_host == std::string_view::npos ? std::string_view() : rest.substr(end_host);
    if (host.empty())
        throw util::Error(fmt::format("{}: no domain controller named (live://HOST)", text));
    for (const char c : host) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
            throw util::Error(fmt::format("{}: \"{}\" is not a host name or IPv4 address", text, host));
    }
    u.host = std::string(host);
    if (!rest.empty() && rest.front() == '/')
        rest.remove_prefix(1);
    if (rest.empty()) {
        u.guid = std::string(gpo::k_default_domain_policy);
        return u;
    }
    if (rest.front() == '?') {
        const std::string_view query = rest.substr(1);
        if (query.rfind("name=", 0) != 0 || query.find('&') != std::string_view::npos)
            throw util::Error(fmt::format("{}: the only query is ?name=DISPLAY-NAME", text));
        u.name = percent_decode(query.substr(5), text);
        u.explicit_gpo = true;
        if (u.name.empty())
            throw util::Error(fmt::format("{}: ?name= is empty", text));
        return u;
    }
    std::string guid(rest);
    if (!guid.empty() && guid.back() == '/')
        guid.pop_back();
    if (!guid.empty() && guid.front() != '{')
        guid = "{" + guid + "}";
    if (!util::is_guid(guid))
        throw util::Error(fmt::format("{}: \"{}\" is not a GPO GUID ({{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}})", text, rest));
    for (auto& c : guid)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    u.guid = guid;
    u.explicit_gpo = true;
    return u;
}

} // namespace gpokit::live
