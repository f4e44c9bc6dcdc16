#include "util/error.hpp"

#include <fmt/format.h>

namespace gpokit::util {

std::string at_offset(std::string_view origin, std::uint64_t offset, std::string_view message)
{
    return fmt::format("{}:{:#x}: {}", origin, offset, message);
}

std::string at_line(std::string_view origin, std::size_t line, std::size_t column,
                    std::string_view message)
{
    return fmt::format("{}:{}:{}: {}", origin, line, column, message);
}

} // namespace gpokit::util
