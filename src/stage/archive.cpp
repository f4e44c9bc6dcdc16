#include "stage/archive.hpp"

#include "stage/sums.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>

namespace gpokit::stage {

namespace fs = std::filesystem;

namespace {

struct WriteDeleter {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct ReadDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

std::string archive_problem(archive* a)
{
    const char* text = archive_error_string(a);
    return text ? text : "unknown error";
}

} // namespace

void write_archive(const fs::path& folder, const fs::path& tar, const std::string& top, long long mtime)
{
    std::error_code ec;
    if (fs::exists(fs::symlink_status(tar, ec)))
        throw util::Error(util::display_path(tar) + ": already exists; --archive needs a new file");
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it)
        if (it->is_regular_file() && !it->is_symlink())
            files.push_back(it->path().lexically_relative(folder).generic_string());
    std::sort(files.begin(), files.end());

    const std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
    const std::string name = util::display_path(tar);
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_open_filename(a.get(), tar.c_str()) != ARCHIVE_OK)
        throw util::Error(fmt::format("{}: {}", name, archive_problem(a.get())));
    try {
        for (const auto& rel : files) {
            const util::Bytes bytes = util::read_file(folder / rel, rel);
            const std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
            archive_entry_set_pathname(e.get(), (top + "/" + rel).c_str());
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_set_perm(e.get(), 0644);
            archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
            archive_entry_set_mtime(e.get(), static_cast<time_t>(mtime), 0);
            archive_entry_set_uid(e.get(), 0);
            archive_entry_set_gid(e.get(), 0);
            if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
                archive_write_data(a.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size()))
                throw util::Error(fmt::format("{}: {}: {}", name, rel, archive_problem(a.get())));
        }
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            throw util::Error(fmt::format("{}: {}", name, archive_problem(a.get())));
    } catch (...) {
        fs::remove(tar, ec);
        throw;
    }
}

Extracted extract_archive(const fs::path& tar, const fs::path& into)
{
    const std::string name = util::display_path(tar);
    const std::unique_ptr<archive, ReadDeleter> a(archive_read_new());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_filename(a.get(), tar.c_str(), 1 << 16) != ARCHIVE_OK)
        throw util::Error(fmt::format("{}: not a readable tar archive: {}", name, archive_problem(a.get())));
    Extracted out;
    std::string top;
    std::set<std::string> seen;
    archive_entry* e = nullptr;
    for (;;) {
        const int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            throw util::Error(fmt::format("{}: {}", name, archive_problem(a.get())));
        const char* raw = archive_entry_pathname(e);
        const std::string path = raw ? raw : "";
        const auto refuse = [&](const std::string& why) { out.refused.push_back(fmt::format("{}: {}", path, why)); };
        const auto type = archive_entry_filetype(e);
        std::string clean = path;
        while (clean.size() > 1 && clean.back() == '/')
            clean.pop_back();
        if (!safe_relative_path(clean)) {
            refuse("not a relative name inside the archive (absolute, \"..\" or a drive); not extracted");
            continue;
        }
        const std::size_t slash = clean.find('/');
        const std::string first = clean.substr(0, slash);
        if (top.empty())
            top = first;
        if (first != top) {
            refuse(fmt::format("outside the bundle's folder \"{}\"; not extracted", top));
            continue;
        }
        if (type == AE_IFDIR)
            continue;
        if (type != AE_IFREG || archive_entry_hardlink(e) != nullptr) {
            refuse("not a regular file (a link or device); not extracted");
            continue;
        }
        if (slash == std::string::npos) {
            refuse("a file beside the bundle's folder; not extracted");
            continue;
        }
        if (!seen.insert(clean).second) {
            refuse("in the archive twice; the second not extracted");
            continue;
        }
        const fs::path target = into / clean;
        fs::create_directories(target.parent_path());
        std::ofstream file(target, std::ios::binary | std::ios::trunc);
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        for (int d; (d = archive_read_data_block(a.get(), &block, &size, &offset)) != ARCHIVE_EOF;) {
            if (d != ARCHIVE_OK)
                throw util::Error(fmt::format("{}: {}: {}", name, clean, archive_problem(a.get())));
            file.seekp(offset);
            file.write(static_cast<const char*>(block), static_cast<std::streamsize>(size));
        }
        if (!file)
            throw util::Error(fmt::format("{}: cannot write {}", name, util::display_path(target)));
    }
    if (top.empty())
        throw util::Error(name + ": an empty archive");
    out.folder = into / top;
    return out;
}

} // namespace gpokit::stage
