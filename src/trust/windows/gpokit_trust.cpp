// gpokit-trust.exe: the trust step of a plan (`gpokit trust plan --format json`), run on a
// Windows domain controller by an administrator, through advapi32's LSA functions:
//   gpokit-trust create PLAN.json [--trust-password-file FILE]
//   gpokit-trust verify PLAN.json
//   gpokit-trust delete PLAN.json
// create: LsaCreateTrustedDomainEx with no SID (as netdom does for a non-Windows realm; Windows
// encrypts the password itself), then LsaSetTrustedDomainInfoByName for the encryption types.
// verify: LsaQueryTrustedDomainInfoByName, compared with the plan's trusted-domain object.
// delete: LsaOpenTrustedDomainByName + LsaDelete.
// The password comes from GPOKIT_TRUST_PASSWORD, --trust-password-file, or two prompts that do
// not echo; never from the command line. Exit status: 0 ok (verify: as planned), 1 verify
// found differences, 2 error.
// Built with Debian's g++-mingw-w64-x86-64 and header-only nlohmann-json; it has not been run on
// Windows by this project (Wine's LSA is a stub, so no Wine run counts).
#ifndef UNICODE
#define UNICODE
#endif
#define WIN32_LEAN_AND_MEAN
#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <ntsecapi.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" NTSTATUS NTAPI LsaDelete(LSA_HANDLE ObjectHandle); // exported by advapi32, declared in no header

namespace {

// [MS-LSAD] 2.2.1.1.5; mingw-w64's headers lack them.
constexpr ACCESS_MASK k_trusted_query_domain_name = 0x00000001;
constexpr ACCESS_MASK k_trusted_set_posix = 0x00000010;
constexpr ACCESS_MASK k_trusted_set_auth = 0x00000020;
constexpr ACCESS_MASK k_trusted_query_auth = 0x00000040;
constexpr ACCESS_MASK k_trusted_query_posix = 0x00000008;
constexpr ACCESS_MASK k_trusted_all = STANDARD_RIGHTS_REQUIRED | k_trusted_query_domain_name | k_trusted_query_posix |
                                      k_trusted_set_posix | k_trusted_set_auth | k_trusted_query_auth | 0x4;
constexpr ACCESS_MASK k_policy_access = POLICY_VIEW_LOCAL_INFORMATION | POLICY_TRUST_ADMIN | POLICY_CREATE_SECRET;

struct Failure {
    std::string message;
};

std::string narrow(const std::wstring& w)
{
    if (w.empty())
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), out.data(), n, nullptr, nullptr);
    return out;
}

std::wstring wide(const std::string& s)
{
    if (s.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
    return out;
}

LSA_UNICODE_STRING lsa_string(std::wstring& s)
{
    LSA_UNICODE_STRING u;
    u.Buffer = s.data();
    u.Length = static_cast<USHORT>(s.size() * sizeof(wchar_t));
    u.MaximumLength = u.Length;
    return u;
}

// "what: the system's message (0xNNNNNNNN)" for an NTSTATUS.
Failure lsa_failure(const char* what, NTSTATUS status)
{
    const ULONG code = LsaNtStatusToWinError(status);
    wchar_t* text = nullptr;
    FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                   code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
    std::string message = text ? narrow(text) : std::string("unknown error");
    if (text)
        LocalFree(text);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
        message.pop_back();
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(status));
    std::string advice;
    if (status == static_cast<NTSTATUS>(0xC0000022L))
        advice = "; run it as a Domain Admin, elevated, on a domain controller";
    if (status == static_cast<NTSTATUS>(0xC0000035L))
        advice = "; a trust or account of that name exists: check it with `gpokit-trust verify`, or delete it first";
    return Failure{std::string(what) + ": " + message + " (" + hex + ")" + advice};
}

struct Plan {
    std::string realm;
    ULONG direction = 0, attributes = 0, enctypes = 0, type = 0;
};

Plan read_plan(const std::wstring& path)
{
    std::ifstream in(path.c_str(), std::ios::binary);
    if (!in)
        throw Failure{narrow(path) + ": cannot open"};
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
        if (j.value("format", std::string()) != "gpokit-trust-plan" || j.value("format_version", 0) != 1)
            throw Failure{narrow(path) + ": not a gpokit trust plan (version 1)"};
        if (j.contains("schema") && j["schema"] != "gpokit-trust-plan/1") // absent in plans written before it
            throw Failure{narrow(path) + ": \"schema\" is " + j["schema"].dump() +
                          ", this program reads gpokit-trust-plan/1"};
        const auto& tdo = j.at("trusted_domain_object");
        Plan p;
        p.realm = j.at("realm").get<std::string>();
        p.type = tdo.at("trustType").get<ULONG>();
        p.direction = tdo.at("trustDirection").get<ULONG>();
        p.attributes = tdo.at("trustAttributes").get<ULONG>();
        p.enctypes = tdo.at("msDS-SupportedEncryptionTypes").get<ULONG>();
        if (p.realm.empty() || p.type != TRUST_TYPE_MIT || p.direction < 1 || p.direction > 3)
            throw Failure{narrow(path) + ": the plan's realm, type or direction is not a realm trust's"};
        return p;
    } catch (const nlohmann::json::exception& e) {
        throw Failure{narrow(path) + ": " + e.what()};
    }
}

std::wstring read_line_no_echo(const wchar_t* prompt)
{
    HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0;
    if (!GetConsoleMode(input, &mode))
        throw Failure{"no trust password: set GPOKIT_TRUST_PASSWORD, use --trust-password-file FILE, or run from a "
                      "console"};
    SetConsoleMode(input, mode & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
    std::fwprintf(stderr, L"%ls: ", prompt);
    std::wstring line;
    wchar_t c = 0;
    DWORD got = 0;
    while (ReadConsoleW(input, &c, 1, &got, nullptr) && got == 1 && c != L'\r' && c != L'\n')
        line += c;
    SetConsoleMode(input, mode);
    std::fwprintf(stderr, L"\n");
    return line;
}

std::wstring trust_password(const std::wstring& file)
{
    if (!file.empty()) {
        std::ifstream in(file.c_str(), std::ios::binary);
        std::string line;
        if (!in || !std::getline(in, line))
            throw Failure{narrow(file) + ": cannot read the password's line"};
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            throw Failure{narrow(file) + ":1: the password file's first line is empty"};
        return wide(line);
    }
    if (const wchar_t* env = _wgetenv(L"GPOKIT_TRUST_PASSWORD"); env && *env)
        return env;
    const std::wstring first = read_line_no_echo(L"Trust password");
    if (first != read_line_no_echo(L"Trust password again"))
        throw Failure{"the two passwords differ"};
    if (first.empty())
        throw Failure{"the trust password is empty"};
    return first;
}

class Policy {
public:
    Policy()
    {
        LSA_OBJECT_ATTRIBUTES attributes{};
        if (const NTSTATUS s = LsaOpenPolicy(nullptr, &attributes, k_policy_access, &m_handle); s != STATUS_SUCCESS)
            throw lsa_failure("LsaOpenPolicy", s);
    }
    ~Policy() { LsaClose(m_handle); }
    Policy(const Policy&) = delete;
    Policy& operator=(const Policy&) = delete;
    LSA_HANDLE get() const { return m_handle; }

private:
    LSA_HANDLE m_handle = nullptr;
};

int create(const Plan& plan, const std::wstring& password_file)
{
    std::wstring password = trust_password(password_file);
    Policy policy;
    std::wstring name = wide(plan.realm);
    std::wstring flat = name;
    TRUSTED_DOMAIN_INFORMATION_EX info{};
    info.Name = lsa_string(name);
    info.FlatName = lsa_string(flat);
    info.Sid = nullptr; // a non-Windows realm has none
    info.TrustDirection = plan.direction;
    info.TrustType = TRUST_TYPE_MIT;
    info.TrustAttributes = plan.attributes;
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    LSA_AUTH_INFORMATION auth{};
    auth.LastUpdateTime.LowPart = now.dwLowDateTime;
    auth.LastUpdateTime.HighPart = static_cast<LONG>(now.dwHighDateTime);
    auth.AuthType = TRUST_AUTH_TYPE_CLEAR;
    auth.AuthInfoLength = static_cast<ULONG>(password.size() * sizeof(wchar_t));
    auth.AuthInfo = reinterpret_cast<PUCHAR>(password.data());
    TRUSTED_DOMAIN_AUTH_INFORMATION auth_info{};
    if (plan.direction & TRUST_DIRECTION_INBOUND) {
        auth_info.IncomingAuthInfos = 1;
        auth_info.IncomingAuthenticationInformation = &auth;
    }
    if (plan.direction & TRUST_DIRECTION_OUTBOUND) {
        auth_info.OutgoingAuthInfos = 1;
        auth_info.OutgoingAuthenticationInformation = &auth;
    }
    LSA_HANDLE trust = nullptr;
    const NTSTATUS s = LsaCreateTrustedDomainEx(policy.get(), &info, &auth_info, k_trusted_all, &trust);
    SecureZeroMemory(password.data(), password.size() * sizeof(wchar_t));
    if (s != STATUS_SUCCESS)
        throw lsa_failure("LsaCreateTrustedDomainEx", s);
    LsaClose(trust);
    TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES enctypes{plan.enctypes};
    LSA_UNICODE_STRING lsa_name = lsa_string(name);
    if (const NTSTATUS e = LsaSetTrustedDomainInfoByName(policy.get(), &lsa_name, TrustedDomainSupportedEncryptionTypes,
                                                         &enctypes);
        e != STATUS_SUCCESS)
        throw lsa_failure("LsaSetTrustedDomainInfoByName (encryption types; the trust was created)", e);
    return 0;
}

int verify(const Plan& plan)
{
    Policy policy;
    std::wstring name = wide(plan.realm);
    LSA_UNICODE_STRING lsa_name = lsa_string(name);
    void* buffer = nullptr;
    if (const NTSTATUS s = LsaQueryTrustedDomainInfoByName(policy.get(), &lsa_name, TrustedDomainInformationEx, &buffer);
        s != STATUS_SUCCESS) {
        if (s == static_cast<NTSTATUS>(0xC0000034L)) { // STATUS_OBJECT_NAME_NOT_FOUND
            std::printf("trustedDomain: (absent), the plan says %s: the trust has not been created\n", plan.realm.c_str());
            return 1;
        }
        throw lsa_failure("LsaQueryTrustedDomainInfoByName", s);
    }
    const auto* info = static_cast<TRUSTED_DOMAIN_INFORMATION_EX*>(buffer);
    int differences = 0;
    const auto expect = [&](const char* what, ULONG found, ULONG wanted) {
        if (found != wanted) {
            std::printf("%s: %lu, the plan says %lu\n", what, static_cast<unsigned long>(found),
                        static_cast<unsigned long>(wanted));
            ++differences;
        }
    };
    expect("trustType", info->TrustType, plan.type);
    expect("trustDirection", info->TrustDirection, plan.direction);
    expect("trustAttributes", info->TrustAttributes, plan.attributes);
    LsaFreeMemory(buffer);
    buffer = nullptr;
    if (const NTSTATUS s = LsaQueryTrustedDomainInfoByName(policy.get(), &lsa_name, TrustedDomainSupportedEncryptionTypes,
                                                           &buffer);
        s == STATUS_SUCCESS) {
        expect("msDS-SupportedEncryptionTypes",
               static_cast<TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES*>(buffer)->SupportedEncryptionTypes, plan.enctypes);
        LsaFreeMemory(buffer);
    } else {
        std::printf("msDS-SupportedEncryptionTypes: (unreadable), the plan says %lu\n",
                    static_cast<unsigned long>(plan.enctypes));
        ++differences;
    }
    if (differences == 0)
        std::printf("%s: as planned\n", plan.realm.c_str());
    return differences == 0 ? 0 : 1;
}

int remove(const Plan& plan)
{
    Policy policy;
    std::wstring name = wide(plan.realm);
    LSA_UNICODE_STRING lsa_name = lsa_string(name);
    LSA_HANDLE trust = nullptr;
    if (const NTSTATUS s = LsaOpenTrustedDomainByName(policy.get(), &lsa_name, DELETE, &trust); s != STATUS_SUCCESS)
        throw lsa_failure("LsaOpenTrustedDomainByName", s);
    if (const NTSTATUS s = LsaDelete(trust); s != STATUS_SUCCESS) {
        LsaClose(trust);
        throw lsa_failure("LsaDelete", s);
    }
    return 0;
}

const char* k_usage = "usage: gpokit-trust create|verify|delete PLAN.json [--trust-password-file FILE]\n"
                      "  PLAN.json: from `gpokit trust plan ... --format json`. Run on a domain controller, elevated.\n";

} // namespace

int wmain(int argc, wchar_t** argv)
{
    if (argc < 3) {
        std::fputs(k_usage, stderr);
        return 2;
    }
    const std::wstring command = argv[1];
    std::wstring password_file;
    for (int i = 3; i < argc; ++i) {
        if (std::wstring(argv[i]) == L"--trust-password-file" && i + 1 < argc) {
            password_file = argv[++i];
        } else {
            std::fputs(k_usage, stderr);
            return 2;
        }
    }
    try {
        const Plan plan = read_plan(argv[2]);
        if (command == L"create")
            return create(plan, password_file);
        if (command == L"verify")
            return verify(plan);
        if (command == L"delete")
            return remove(plan);
        std::fputs(k_usage, stderr);
        return 2;
    } catch (const Failure& f) {
        std::fprintf(stderr, "gpokit-trust: error: %s\n", f.message.c_str());
        return 2;
    }
}
