# Shared by scripts/demo, scripts/test and scripts/bench: install what a fresh
# Debian 12 machine lacks (as root, or through sudo), and build gpokit.
# Source it; it defines functions only.

GPOKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian packages, by what needs them.
GPOKIT_BUILD_PACKAGES=(cmake ninja-build g++ pkg-config libpugixml-dev libboost-filesystem-dev
                       libcli11-dev libfmt-dev catch2 nlohmann-json3-dev libexpat1-dev
                       libsmbclient-dev libldap-dev libsasl2-dev libkrb5-dev samba-dev libgnutls28-dev libssl-dev
                       libarchive-dev)
# Kerberos binds to a DC (SASL GSSAPI) need the GSSAPI plugin at run time.
GPOKIT_RUN_PACKAGES=(libsasl2-modules-gssapi-mit)
# The live tests' domain controller (scripts/samba-dc) and the independent clients
# that check gpokit's work: smbclient, ldapsearch, Samba's Python bindings, kinit, and
# an MIT KDC for the realm side of a trust (krb5-kdc, krb5-admin-server).
GPOKIT_DC_PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind
                    python3-samba smbclient ldb-tools krb5-user ldap-utils iproute2 util-linux procps
                    krb5-kdc krb5-admin-server)
# The manual pages are checked with groff and man, the completion script with bash-completion.
GPOKIT_TEST_PACKAGES=(clang libclang-rt-14-dev python3 python3-jsonschema openssl chromium g++-mingw-w64-x86-64
                      groff-base man-db bash-completion
                      "${GPOKIT_RUN_PACKAGES[@]}" "${GPOKIT_DC_PACKAGES[@]}")
# The Debian package (scripts/package, scripts/test-package): debian/control's Build-Depends
# beyond GPOKIT_BUILD_PACKAGES (the Windows companion's cross compiler), and the tools.
GPOKIT_PACKAGE_PACKAGES=(debhelper dpkg-dev lintian g++-mingw-w64-x86-64)
GPOKIT_BENCH_PACKAGES=(python3 python3-samba time)

say() { printf '==> %s\n' "$*" >&2; }

# install_packages PKG...: installs the packages that are not installed yet.
install_packages() {
    local missing=()
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: missing packages (${missing[*]}) and no sudo to install them; run as root" >&2
            return 2
        fi
        sudo=(sudo)
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build_preset NAME [TARGET]: configures (once) and builds a CMake preset from
# CMakePresets.json (all targets, or TARGET).
build_preset() {
    local preset=$1
    local target=()
    [ $# -ge 2 ] && target=(--target "$2")
    local dir="$GPOKIT_ROOT/build/$preset"
    if [ ! -f "$dir/build.ninja" ]; then
        say "configuring $preset"
        cmake --preset "$preset" -S "$GPOKIT_ROOT" >/dev/null
    fi
    say "building $preset"
    cmake --build "$dir" "${target[@]}" -- -j"$(nproc)" >/dev/null || cmake --build "$dir" "${target[@]}" -- -j1
}
