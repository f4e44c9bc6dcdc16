// live:// addresses: a GPO on a domain controller, named like any other target.
//   live://HOST                   the Default Domain Policy
//   live://HOST/{GUID}            the GPO with that GUID
//   live://HOST/?name=NAME        the GPO with that display name (percent-encoded)
#pragma once

#include <string>
#include <string_view>

namespace gpokit::live {

struct LiveUrl {
    std::string text; // as given
    std::string host;
    std::string guid; // "{...}", upper case; empty when `name` is used
    std::string name; // display name
    bool explicit_gpo = false; // the address names a GPO (else: the Default Domain Policy)
};

bool is_live_url(std::string_view text);

// Throws util::Error naming the address and what is wrong with it.
LiveUrl parse_live_url(std::string_view text);


} // namespace gpokit::live
