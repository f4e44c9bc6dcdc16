// The errors gpokit throws. Libraries throw; only cli/ catches, prints
// `gpokit: error: <what()>` and exits with status 2. A message always names the
// file it is about and, where there is one, the position in it:
//   Machine/registry.pol:0x1a4: record 12: size 70000 runs past end of file (0x1c0)
//   Backup.xml:14:3: unexpected end of element
//
// One hierarchy, so that callers can tell what went wrong without reading messages:
//   Error           anything gpokit reports (the message names its subject)
//   ├ ParseError    the input is malformed; where() is the file and the position
//   ├ IoError       the system refused a read or a write (errno kept)
//   └ ConflictError someone else changed what gpokit was about to write
// std::filesystem errors never leave a library: io_error() turns them into IoError
// naming the user's path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace gpokit::util {

// Where in a file something is: a byte offset (binary input) or a line and column
// (text input, 1-based), or just the file.
struct Position {
    std::string file;
    std::optional<std::uint64_t> offset;
    std::size_t line = 0; // 0: no line
    std::size_t column = 0;

    static Position of_file(std::string file) { return {std::move(file), std::nullopt, 0, 0}; }
    static Position at_offset(std::string file, std::uint64_t offset) { return {std::move(file), offset, 0, 0}; }
    static Position at_line(std::string file, std::size_t line, std::size_t column)
    {
        return {std::move(file), std::nullopt, line, column};
    }
    // "file", "file:0x1a4" or "file:14:3".
    std::string text() const;
};

class Error : public std::runtime_error {
public:
    // A message that names its subject itself.
    explicit Error(const std::string& message);
    // "where: message".
    Error(Position where, std::string_view message);

    const std::optional<Position>& where() const { return m_where; }
    // The message without the position.
    const std::string& message() const { return m_message; }

private:
    std::optional<Position> m_where;
    std::string m_message;
};

// Malformed input, with its position.
class ParseError : public Error {
public:
    ParseError(Position where, std::string_view message) : Error(std::move(where), message) {}
};

// The system refused a read or a write.
class IoError : public Error {
public:
    IoError(Position where, std::string_view message, std::error_code code)
        : Error(std::move(where), message), m_code(code)
    {
    }
    std::error_code code() const { return m_code; }

private:
    std::error_code m_code;
};

// Someone else changed what gpokit was about to change; nothing was written.
class ConflictError : public Error {
public:
    using Error::Error;
};

// A filesystem error as gpokit reports it: `shown` (the user's name for the path),
// what was being done, and the system's reason.
IoError io_error(const std::filesystem::filesystem_error& e, const std::string& shown, std::string_view doing = {});
IoError io_error(std::error_code code, const std::string& shown, std::string_view doing);

// "path:0xOFFSET" and "path:LINE:COLUMN": where something is, without a message.
std::string offset_position(std::string_view origin, std::uint64_t offset);
std::string line_position(std::string_view origin, std::size_t line, std::size_t column);

// "path:0xOFFSET: message" for binary input.
std::string at_offset(std::string_view origin, std::uint64_t offset, std::string_view message);

// "path:LINE:COLUMN: message" for text input (1-based line and column).
std::string at_line(std::string_view origin, std::size_t line, std::size_t column, std::string_view message);

} // namespace gpokit::util
