// `kerberos krb5conf`: the GPO's realm settings as krb5.conf sections, read back by
// libkrb5 itself (the host-to-realm mapping an MIT client then uses), and refused when
// a value from the file could add lines of its own.
#include "kerberos/realm.hpp"
#include "render/kerberos_render.hpp"
#include "support/pol_bytes.hpp"
#include "support/targets.hpp"

#include <catch2/catch.hpp>

#include <krb5/krb5.h>

#include <cstdlib>
#include <sstream>

using namespace gpokit;

namespace {

std::string conf_of(const pol::PolFile& file, const std::string& default_realm = {})
{
    std::ostringstream out;
    render::krb5_conf(kerberos::read_settings(file, policy::Catalogue::builtin()), default_realm, "test.pol", out);
    return out.str();
}

// The realm libkrb5 gives `host` with `conf` as its only configuration.
std::string host_realm(const std::string& conf, const char* host)
{
    test::TempDir dir;
    const auto path = dir.path() / "krb5.conf";
    test::write_bytes(path, util::as_bytes(conf));
    ::setenv("KRB5_CONFIG", path.c_str(), 1);
    krb5_context ctx = nullptr;
    REQUIRE(krb5_init_context(&ctx) == 0);
    char** realms = nullptr;
    std::string out;
    if (krb5_get_host_realm(ctx, host, &realms) == 0 && realms && realms[0])
        out = realms[0];
    if (realms)
        krb5_free_host_realm(ctx, realms);
    krb5_free_context(ctx);
    ::unsetenv("KRB5_CONFIG");
    return out;
}

} // namespace

TEST_CASE("the vendor's realm as krb5.conf, and libkrb5 maps hosts under the suffixes to it")
{
    pol::PolFile file;
    REQUIRE(kerberos::add_realm(file, policy::Catalogue::builtin(),
                                {"ZSCALERBETA.NET", {"kerberos.zscalerbeta.net"}, {".zscalerbeta.net", ".gateway.zscalerbeta.net"}, {}}));
    REQUIRE(kerberos::add_realm(file, policy::Catalogue::builtin(), {"TEST.COM", {}, {"one.test.com"}, {}}));
    const std::string conf = conf_of(file, "CORP.EXAMPLE.COM");
    CHECK_THAT(conf, Catch::Contains("[libdefaults]\n    default_realm = CORP.EXAMPLE.COM\n"));
    CHECK_THAT(conf, Catch::Contains("[realms]\n    # TEST.COM: no KDC in the GPO; clients find them through DNS SRV "
                                     "records\n    ZSCALERBETA.NET = {\n        kdc = kerberos.zscalerbeta.net\n    }\n"));
    CHECK_THAT(conf, Catch::Contains("[domain_realm]\n    one.test.com = TEST.COM\n    .zscalerbeta.net = ZSCALERBETA.NET\n"
                                     "    .gateway.zscalerbeta.net = ZSCALERBETA.NET\n"));
    CHECK(host_realm(conf, "gw.zscalerbeta.net") == "ZSCALERBETA.NET");
    CHECK(host_realm(conf, "a.b.gateway.zscalerbeta.net") == "ZSCALERBETA.NET");
    CHECK(host_realm(conf, "one.test.com") == "TEST.COM");
}

TEST_CASE("krb5conf: a policy not Enabled gives nothing; a value that could add lines is refused")
{
    CHECK_THAT(conf_of(pol::PolFile()), Catch::Contains("[realms]\n\n[domain_realm]\n"));
    const std::string kerberos = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos";
    test::PolBytes bytes;
    bytes.dword(kerberos, "MitRealms_Enabled", 1)
        .sz(kerberos + "\\MitRealms", "EVIL.NET", "<k>kdc.evil.net\n}\n[libdefaults]\ndefault_realm = EVIL.NET</k>");
    const auto file = pol::PolFile::parse(bytes.bytes(), "evil.pol");
    CHECK_THROWS_WITH(conf_of(file), Catch::Contains("cannot go into krb5.conf"));
}
