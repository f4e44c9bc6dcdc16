#include "gpo/snapshot.hpp"

#include "gpo/load.hpp"
#include "gpo/gpt_ini.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/file_io.hpp"
#include "util/json_schema.hpp"
#include "util/json_writer.hpp"
#include "util/safe_path.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace gpokit::gpo {

namespace fs = std::filesystem;

const std::string* DirectoryObject::attribute(std::string_view name) const
{
    for (const auto& [n, v] : attributes)
        if (util::iequal_ascii(n, name))
            return &v;
    return nullptr;
}

std::optional<std::uint32_t> DirectoryObject::version_number() const
{
    const std::string* text = attribute("versionNumber");
    if (!text)
        return std::nullopt;
    // AD stores a signed 32-bit INTEGER; GPO versions are read as unsigned.
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size() || v < INT32_MIN || v > UINT32_MAX)
        return std::nullopt;
    return static_cast<std::uint32_t>(v);
}

void Snapshot::set_edited(const std::string& attribute, const std::string& value)
{
    for (auto& [name, v] : edited)
        if (util::iequal_ascii(name, attribute)) {
            v = value;
            return;
        }
    edited.emplace_back(attribute, value);
}

util::Bytes snapshot_json(const Snapshot& s)
{
    std::ostringstream out;
    {
        util::JsonWriter w(out);
        w.begin_document("gpokit-snapshot/1");
        w.member("format", "gpokit-live-snapshot");
        w.member("format_version", 1);
        w.member("source", s.object.source);
        w.member("host", s.object.host);
        w.member("domain", s.domain);
        w.member("guid", s.guid);
        w.member("gpo_path", s.gpo_path);
        if (s.object.gpt_version)
            w.member("gpt_ini_version", std::uint64_t{*s.object.gpt_version});
        w.key("group_policy_container");
        w.begin_object();
        w.member("dn", s.object.dn);
        w.key("attributes");
        w.begin_object();
        for (const auto& [name, value] : s.object.attributes)
            w.member(name, value);
        w.end_object();
        w.end_object();
        if (!s.edited.empty()) {
            w.key("edited_attributes");
            w.begin_object();
            for (const auto& [name, value] : s.edited)
                w.member(name, value);
            w.end_object();
        }
        w.key("files");
        w.begin_array();
        for (const auto& f : s.files) {
            w.begin_object();
            w.member("path", f.path);
            w.member("size", f.size);
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    std::string text = out.str();
    if (text.empty() || text.back() != '\n')
        text += '\n';
    const auto bytes = util::as_bytes(text);
    return util::Bytes(bytes.begin(), bytes.end());
}

Snapshot parse_snapshot(const util::Bytes& bytes, const std::string& origin)
{
    nlohmann::ordered_json j;
    try {
        const auto* p = reinterpret_cast<const char*>(bytes.data());
        j = nlohmann::ordered_json::parse(p, p + bytes.size());
    } catch (const nlohmann::json::parse_error& e) {
        throw util::ParseError(util::Position::at_offset(origin, e.byte == 0 ? 0 : e.byte - 1), fmt::format("not valid JSON: {}", e.what()));
    } catch (const nlohmann::json::out_of_range& e) { // a number no double holds ("1e309") is not a parse_error
        throw util::ParseError(util::Position::of_file(origin), fmt::format("not valid JSON: {}", e.what()));
    }
    const auto text = [&](const nlohmann::ordered_json& obj, const char* name) -> std::string {
        if (!obj.is_object() || !obj.contains(name) || !obj[name].is_string())
            throw util::Error(fmt::format("{}: \"{}\" is missing or not a string", origin, name));
        return obj[name].get<std::string>();
    };
    util::check_schema(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), origin,
                       util::schema_member(j), {"gpokit-snapshot/1"});
    // Compared as a JSON value: value("format", std::string()) throws nlohmann's type_error for a non-string.
    if (!j.is_object() || !j.contains("format") || j["format"] != "gpokit-live-snapshot")
        throw util::Error(origin + ": not a gpokit snapshot (\"format\" is not \"gpokit-live-snapshot\")");
    if (!j.contains("format_version") || j["format_version"] != 1)
        throw util::Error(origin + ": unsupported \"format_version\" (this gpokit reads version 1)");
    Snapshot s;
    s.object.source = text(j, "source");
    s.object.host = text(j, "host");
    s.domain = text(j, "domain");
    s.guid = text(j, "guid");
    s.gpo_path = text(j, "gpo_path");
    if (j.contains("gpt_ini_version")) {
        if (!j["gpt_ini_version"].is_number_unsigned() || j["gpt_ini_version"].get<std::uint64_t>() > 0xffffffffu)
            throw util::Error(origin + ": \"gpt_ini_version\" is not a number from 0 to 4294967295");
        s.object.gpt_version = j["gpt_ini_version"].get<std::uint32_t>();
    }
    const auto& gpc = j.contains("group_policy_container") ? j["group_policy_container"] : nlohmann::ordered_json();
    s.object.dn = text(gpc, "dn");
    if (!gpc.contains("attributes") || !gpc["attributes"].is_object())
        throw util::Error(origin + ": \"group_policy_container.attributes\" is missing or not an object");
    for (const auto& [name, value] : gpc["attributes"].items()) {
        if (!value.is_string())
            throw util::Error(fmt::format("{}: attribute \"{}\" is not a string", origin, name));
        s.object.attributes.emplace_back(name, value.get<std::string>());
    }
    if (j.contains("edited_attributes")) {
        if (!j["edited_attributes"].is_object())
            throw util::Error(origin + ": \"edited_attributes\" is not an object");
        for (const auto& [name, value] : j["edited_attributes"].items()) {
            if (!value.is_string())
                throw util::Error(fmt::format("{}: edited attribute \"{}\" is not a string", origin, name));
            s.edited.emplace_back(name, value.get<std::string>());
        }
    }
    if (j.contains("files") && j["files"].is_array()) {
        for (const auto& f : j["files"]) {
            SnapshotFile file;
            file.path = text(f, "path");
            if (f.contains("size") && !f["size"].is_number_unsigned()) // value() would throw nlohmann's type_error
                throw util::Error(fmt::format("{}: \"size\" of \"{}\" is not a number", origin, file.path));
            file.size = f.value("size", std::uint64_t{0});
            s.files.push_back(std::move(file));
        }
    }
    return s;
}

Gpo load_snapshot(const fs::path& dir, util::ShownPaths shown)
{
    const fs::path meta = dir / k_snapshot_file;
    const std::string origin = shown(meta);
    const Snapshot s = parse_snapshot(util::read_file(meta, origin), origin);
    // gpo_path comes from a file: it must name a folder inside the snapshot.
    fs::path folder;
    try {
        folder = util::resolve_inside(dir, s.gpo_path);
    } catch (const util::Error& e) {
        throw util::ParseError(util::Position::of_file(origin), fmt::format("\"gpo_path\": {}", e.what()));
    }
    Gpo g = load_sysvol(folder, std::move(shown));
    g.guid = s.guid;
    g.domain = s.domain;
    if (const auto* name = s.object.attribute("displayName"))
        g.display_name = *name;
    // A domain GPO's extension lists live in the directory; an absent attribute is an
    // empty list.
    const auto current = [&](const char* name) -> const std::string* {
        for (const auto& [n, v] : s.edited)
            if (util::iequal_ascii(n, name))
                return &v;
        return s.object.attribute(name);
    };
    const auto* machine = current("gPCMachineExtensionNames");
    const auto* user = current("gPCUserExtensionNames");
    g.machine.extensions = machine ? *machine : std::string();
    g.user.extensions = user ? *user : std::string();
    g.machine.extensions_home = g.user.extensions_home = ExtensionsHome::directory;
    // versionNumber is the directory half of both sides' versions.
    if (const auto v = s.object.version_number()) {
        g.machine.version.directory = static_cast<std::uint16_t>(*v & 0xffffu);
        g.user.version.directory = static_cast<std::uint16_t>(*v >> 16);
    }
    if (const auto* flags = s.object.attribute("flags")) { // the same bits as Backup.xml Options
        std::uint32_t v = 0;
        const auto [end, ec] = std::from_chars(flags->data(), flags->data() + flags->size(), v);
        if (ec != std::errc{} || end != flags->data() + flags->size())
            throw util::ParseError(util::Position::of_file(origin), fmt::format("flags \"{}\" is not a number", *flags));
        g.options = v;
    }
    if (const auto* sd = s.object.attribute("nTSecurityDescriptor")) {
        try {
            g.security_descriptor = util::from_hex(*sd);
        } catch (const util::Error& e) {
            throw util::ParseError(util::Position::of_file(origin),
                                   fmt::format("nTSecurityDescriptor is not hex bytes: {}", e.what()));
        }
    }
    if (const auto* wmi = s.object.attribute("gPCWQLFilter"))
        g.wmi_filter = *wmi;
    else
        g.wmi_filter = std::string();
    g.directory = s.object;
    return g;
}

std::vector<fs::path> snapshot_folders(const fs::path& dir)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory(ec) && !e.is_symlink(ec) && util::find_child(e.path(), k_snapshot_file))
            out.push_back(e.path());
    if (ec)
        throw util::Error(fmt::format("{}: cannot list the folder: {}", util::display_path(dir), ec.message()));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace gpokit::gpo
