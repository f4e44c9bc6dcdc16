// The plans the trust tests start from: the cloud proxy vendor's (its guide's values).
#pragma once

#include "trust/plan.hpp"
#include "util/bytes.hpp"

#include <string>

namespace gpokit::test {

// CORP.EXAMPLE.COM trusting ZSCALERBETA.NET one way, incoming, non-transitive, AES,
// with the guide's KDC and host-name mappings.
inline trust::Plan vendor_plan()
{
    trust::Plan p;
    p.domain = "CORP.EXAMPLE.COM";
    p.realm = "ZSCALERBETA.NET";
    p.direction = trust::Direction::incoming;
    p.kdcs = {"kerberos.zscalerbeta.net"};
    p.map = {".zscalerbeta.net", ".gateway.zscalerbeta.net"};
    return p;
}

inline util::Bytes bytes_of(const std::string& s)
{
    const auto b = util::as_bytes(s);
    return util::Bytes(b.begin(), b.end());
}

} // namespace gpokit::test
