#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::util {

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

std::string at_line(std::string_view origin, std::size_t line, std::size_t column,
                    std::string_view message)
{
    return line_position(origin, line, column) + ": " + std::string(message);
}

} // namespace gpokit::util
