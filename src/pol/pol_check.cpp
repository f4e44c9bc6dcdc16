#include "pol/pol_check.hpp"

#include "pol/directive.hpp"
#include "pol/key_path.hpp"
#include "pol/reg_type.hpp"
#include "pol/reg_value.hpp"
#include "util/utf16.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace gpokit::pol {

namespace {

std::optional<std::string> string_problem(const Record& r)
{
    const auto size = r.data.size();
    if (size % 2 != 0)
        return fmt::format("{} data has an odd size ({} bytes)", type_name(r.type), size);
    if (size < 2 || util::unit_at(r.data, size / 2 - 1) != 0)
        return fmt::format("{} data has no terminating NUL", type_name(r.type));
    for (std::size_t i = 0; i + 1 < size / 2; ++i)
        if (util::unit_at(r.data, i) == 0)
            return fmt::format("{} data has a NUL before its end (extra NULs)", type_name(r.type));
    if (!util::utf16le_to_utf8(r.data))
        return fmt::format("{} data holds an unpaired UTF-16 surrogate", type_name(r.type));
    return std::nullopt;
}

std::optional<std::string> multi_sz_problem(const Record& r)
{
    const auto size = r.data.size();
    if (size % 2 != 0)
        return fmt::format("REG_MULTI_SZ data has an odd size ({} bytes)", size);
    if (size < 2 || util::unit_at(r.data, size / 2 - 1) != 0 ||
        (size >= 4 && util::unit_at(r.data, size / 2 - 2) != 0))
        return std::string("REG_MULTI_SZ data does not end with two NULs");
    if (std::holds_alternative<RawData>(decode(r.type, r.data)))
        return std::string("REG_MULTI_SZ data holds an empty string or an unpaired surrogate");
    return std::nullopt;
}

} // namespace

std::vector<Finding> check(const PolFile& file)
{
    std::vector<Finding> out;
    // folded key -> folded value -> record number: a **delvals. forgets one key's values at once.
    std::unordered_map<std::u16string, std::unordered_map<std::u16string, std::size_t>> seen;

    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const Record& r = file.records[i];
        const std::size_t number = i + 1;
        auto add = [&](std::string code, std::string message) {
            out.push_back({r.offset, number, std::move(code), std::move(message)});
        };
        const std::u16string key = r.key_u16();
        if (auto problem = key_problem(key))
            add(problem->code, problem->message);

        const Directive d = classify(r);
        if (d.kind == DirectiveKind::unknown)
            add("unknown-directive",
                fmt::format("unknown directive \"{}\": kept as is, but clients do not know it", r.value_utf8()));
        if (r.data.size() > 65535)
            add("too-large", fmt::format("data is {} bytes, over the 65535 that [MS-GPREG] allows", r.data.size()));

        if (d.kind == DirectiveKind::none) {
            switch (r.type) {
            case k_reg_dword:
            case k_reg_dword_big_endian:
            case k_reg_qword: {
                const std::size_t want = r.type == k_reg_qword ? 8 : 4;
                if (r.data.size() != want)
                    add("type-size", fmt::format("{} data is {} bytes, expected {}", type_name(r.type),
                                                 r.data.size(), want));
                break;
            }
            case k_reg_sz:
            case k_reg_expand_sz:
                if (auto problem = string_problem(r))
                    add("string-nul", *problem);
                break;
            case k_reg_multi_sz:
                if (auto problem = multi_sz_problem(r))
                    add("multi-sz", *problem);
                break;
            default:
                break;
            }
            auto [it, inserted] = seen[util::fold(key)].try_emplace(util::fold(r.value_u16()), number);
            if (!inserted) {
                add("duplicate", fmt::format("value \"{}\" of this key was already set by record {}; "
                                             "clients keep the last one",
                                             r.value_utf8(), it->second));
                it->second = number;
            }
        } else if (d.kind == DirectiveKind::del || d.kind == DirectiveKind::delvals) {
            // A deletion resets what an earlier record set: a later set is no duplicate.
            const auto values = seen.find(util::fold(key));
            if (values == seen.end())
                continue;
            if (d.kind == DirectiveKind::del)
                values->second.erase(util::fold(d.target));
            else
                values->second.clear();
        }
    }
    if (!file.trailing().empty())
        out.push_back({file.trailing_offset(), 0, "trailing-bytes",
                       fmt::format("{} bytes after the last record do not form a record (kept as is)",
                                   file.trailing().size())});
    return out;
}

} // namespace gpokit::pol
