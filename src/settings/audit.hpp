// Advanced audit policy ([MS-GPAC] 2.2): Machine/Microsoft/Windows NT/Audit/audit.csv,
// the file the Group Policy editor writes under "Advanced Audit Policy Configuration".
// A comma-separated file: the header
//   Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value
// then one row per setting, of three forms:
//   ,System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success and Failure,,3   a subcategory
//   ,,Option:CrashOnAuditFail,,Enabled,,1                                                an audit option
//   ,,FileGlobalSacl,,,,S:(AU;SA;FA;;;WD)                                                a global SACL
// The subcategory name and the setting texts are for people; Windows applies the GUID
// and the number (for "System": 0 unchanged, 1 success, 2 failure, 3 both, 4 none; for
// a per-user row, whose target is a SID, a bit mask).
//
// [MS-GPAC] says UTF-8; GPMC writes it without a byte-order mark, with CRLF (git has
// turned some corpus copies into LF), and `auditpol /backup` files are UTF-16LE with a
// mark: all three are read. Fields may be quoted ("a,b", with "" for a quote); a quoted
// field never spans lines. Blank lines are allowed and skipped. The file is kept as its
// bytes: bytes() gives back exactly what was read.
#pragma once

#include "util/bytes.hpp"
#include "util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::settings {

enum class AuditEncoding { utf8, utf8_bom, utf16le };

struct AuditSetting {
    enum class Kind { subcategory, option, global_sacl };
    Kind kind = Kind::subcategory;
    std::string machine_name;  // for people only; usually ""
    std::string policy_target; // "System" or a user's SID ("" for options and SACLs)
    std::string subcategory;   // "Audit Logon", "Option:CrashOnAuditFail", "FileGlobalSacl"
    std::string guid;          // "{0cce9215-69ae-11d9-bed3-505054503030}" as written ("" unless a subcategory)
    std::string inclusion;     // "Success and Failure", "No Auditing", "Enabled", ...
    std::string exclusion;     // per-user rows only
    std::string value_text;    // Setting Value as written (a global SACL's SDDL)
    std::uint32_t value = 0;   // Setting Value as a number (0 for a global SACL)
    std::size_t line = 0;      // 1-based line in the file
};

class AuditFile {
public:
    AuditFile() = default;
    // Parses an audit.csv. Throws util::ParseError (file:line:column): bytes that are not
    // text in the file's encoding, a header that is not audit.csv's, a row without 7
    // columns, an unclosed quote, a subcategory without a GUID, a Setting Value that is
    // not a number.
    static AuditFile parse(util::ByteView bytes, std::string origin);
    // Reads and parses a file. Throws util::Error, util::ParseError.
    static AuditFile load(const std::filesystem::path& path, std::string origin);

    const std::string& origin() const { return m_origin; }
    AuditEncoding encoding() const { return m_encoding; }
    // The file's bytes: for a file read, exactly those read.
    const util::Bytes& bytes() const { return m_bytes; }
    const std::vector<AuditSetting>& settings() const { return m_settings; }
    // Where a setting is, for messages.
    util::Position position(const AuditSetting& setting, std::size_t column = 1) const
    {
        return util::Position::at_line(m_origin, setting.line, column);
    }

private:
    std::string m_origin;
    AuditEncoding m_encoding = AuditEncoding::utf8;
    util::Bytes m_bytes;
    std::vector<AuditSetting> m_settings;
};

// Every setting of the file, in file order.
std::vector<AuditSetting> audit_settings(const AuditFile& file);

// Where a GPO keeps its advanced audit policy, relative to its SYSVOL folder (readers
// match it case-insensitively: backups hold "microsoft/windows nt/Audit").
inline constexpr std::string_view k_audit_path = "Machine/Microsoft/Windows NT/Audit/audit.csv";

} // namespace gpokit::settings
