#include "util/temp_folders.hpp"

#include "util/error.hpp"
#include "util/file_io.hpp"

#include <cerrno>
#include <stdlib.h>
#include <string>

namespace gpokit::util {

namespace fs = std::filesystem;

TempFolders::TempFolders(fs::path base) : m_base(fs::absolute(base.empty() ? fs::path("/tmp") : base).lexically_normal())
{
}

TempFolders::~TempFolders()
{
    clear();
}

fs::path TempFolders::make(std::string_view prefix)
{
    std::string model = (m_base / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(model.data()) == nullptr)
        throw io_error(std::error_code(errno, std::generic_category()), display_path(m_base),
                       "create a temporary folder in it");
    m_folders.emplace_back(model);
    return m_folders.back();
}

void TempFolders::clear()
{
    for (const auto& f : m_folders) {
        std::error_code ec;
        fs::remove_all(f, ec);
    }
    m_folders.clear();
}

} // namespace gpokit::util
