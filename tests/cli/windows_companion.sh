#!/usr/bin/env bash
# The Windows companion builds: scripts/build-windows-companion cross-compiles
# src/trust/windows/gpokit_trust.cpp with Debian's mingw-w64 (warnings are errors), and the
# result is a 64-bit Windows program whose imports from advapi32 are the LSA functions it
# is meant to call. It is not run: Wine's LsaCreateTrustedDomainEx is a stub that returns
# success, so no run here could prove anything.
source "$(dirname "$0")/lib.sh"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-windows.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
if ! command -v x86_64-w64-mingw32-g++ >/dev/null && [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: g++-mingw-w64-x86-64 is not installed and this user cannot install it"
    exit 77
fi
check "scripts/build-windows-companion builds gpokit-trust.exe" \
    "$GPOKIT_SOURCE/scripts/build-windows-companion" "$tmp/gpokit-trust.exe"
check "... a PE32+ (x86-64) program" bash -c \
    '[ "$(head -c 2 "$1")" = MZ ] && x86_64-w64-mingw32-objdump -f "$1" | grep -q "file format pei-x86-64"' _ "$tmp/gpokit-trust.exe"
x86_64-w64-mingw32-objdump -p "$tmp/gpokit-trust.exe" >"$tmp/imports" 2>&1
check "... that imports from ADVAPI32.dll" grep -q 'DLL Name: ADVAPI32.dll' "$tmp/imports"
for f in LsaOpenPolicy LsaCreateTrustedDomainEx LsaSetTrustedDomainInfoByName LsaQueryTrustedDomainInfoByName \
    LsaOpenTrustedDomainByName LsaDelete; do
    check "... $f" grep -qw "$f" "$tmp/imports"
done
check "... and no password option on its command line" bash -c '! grep -q -- "--password " "$1"' _ \
    "$GPOKIT_SOURCE/src/trust/windows/gpokit_trust.cpp"
finish "windows companion"
