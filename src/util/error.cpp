#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::util {

std::string Position::text() const
{
    if (offset)
        return offset_position(file, *offset);
    if (line != 0)
        return line_position(file, line, column);
    return file;
}

Error::Error(const std::string& message) : std::runtime_error(message), m_message(message) {}

Error::Error(Position where, std::string_view message)
    : std::runtime_error(where.file.empty() ? std::string(message) : where.text() + ": " + std::string(message)),
      m_where(std::move(where)), m_message(message)
{
}

IoError io_error(std::error_code code, const std::string& shown, std::string_view doing)
{
    // "No space left on device", "Read-only file system", "Permission denied": the
    // system's words say what to fix.
    const std::string reason = code.message();
    return IoError(Position::of_file(shown), doing.empty() ? reason : fmt::format("cannot {}: {}", doing, reason),
                   code);
}

IoError io_error(const std::filesystem::filesystem_error& e, const std::string& shown, std::string_view doing)
{
    return io_error(e.code(), shown, doing);
}

std::string offset_position(std::string_view origin, std::uint64_t offset)
{
    return fmt::format("{}:{:#x}", origin, offset);
}

std::string line_position(std::string_view origin, std::size_t line, std::size_t column)
{
    return fmt::format("{}:{}:{}", origin, line, column);
}

std::string at_offset(std::string_view origin, std::uint64_t offset, std::string_view message)
{
    return offset_position(origin, offset) + ": " + std::string(message);
}

std::string at_line(std::string_view origin, std::size_t line, std::size_t column, std::string_view message)
{
    return line_position(origin, line, column) + ": " + std::string(message);
}

} // namespace gpokit::util
