// Every advanced audit policy (audit.csv) and every Group Policy Preferences file
// (Preferences/**/*.xml) in the corpus, written by Windows: read and given back byte
// for byte. Then Windows as the oracle: each backup's gpreport.xml (GPMC's own report,
// UTF-16) lists the advanced audit settings (<AuditSetting>: SubcategoryName,
// SubcategoryGuid, SettingValue) and the registry preference items (<Registry> with
// <Properties>) it found; every one of them must be found by gpokit in the backup's
// files with the same values, and gpokit must find nothing the report leaves out.
#include "settings/audit.hpp"
#include "settings/preferences.hpp"
#include "support/pol_bytes.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/xml_file.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>

using namespace gpokit;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_files(const std::function<bool(const fs::path&)>& wanted, const fs::path& under)
{
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(under))
        if (e.is_regular_file() && wanted(e.path()))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

bool is_audit_csv(const fs::path& p)
{
    return util::iequal_ascii(p.filename().string(), "audit.csv");
}

// Any .xml below a folder named Preferences (any case).
bool is_preferences_xml(const fs::path& p)
{
    if (!util::iequal_ascii(p.extension().string(), ".xml"))
        return false;
    for (auto dir = p.parent_path(); dir.has_relative_path() && dir != dir.parent_path(); dir = dir.parent_path())
        if (util::iequal_ascii(dir.filename().string(), "Preferences"))
            return true;
    return false;
}

// "Machine" or "User": the folder right above Preferences (or above "microsoft/windows nt/Audit").
std::string side_of(const fs::path& p)
{
    for (auto dir = p.parent_path(); dir.has_relative_path() && dir != dir.parent_path(); dir = dir.parent_path()) {
        const auto name = dir.filename().string();
        if (util::iequal_ascii(name, "Machine") || util::iequal_ascii(name, "User"))
            return util::iequal_ascii(name, "User") ? "User" : "Machine";
    }
    return "";
}

// The report's Filters in the same compact form gpokit gives targeting, written
// again here from the report's elements (names without their q1: prefix).
std::string compact_filters(pugi::xml_node parent)
{
    std::string out;
    for (auto c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element)
            continue;
        if (!out.empty())
            out += "; ";
        out += util::local_name(c);
        for (auto a = c.first_attribute(); a; a = a.next_attribute())
            if (!std::string_view(a.name()).starts_with("xmlns"))
                out += fmt::format(" {}=\"{}\"", a.name(), util::xml_escape(a.value()));
        const std::string inner = compact_filters(c);
        if (!inner.empty())
            out += " [" + inner + "]";
    }
    return out;
}

struct ReportedAudit {
    std::string target, name, guid, value;
};

struct ReportedRegistry {
    std::string side;
    pugi::xml_node item;
};

void walk(pugi::xml_node node, std::string side, std::vector<ReportedAudit>& audits,
          std::vector<ReportedRegistry>& registry)
{
    for (auto c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element)
            continue;
        const auto local = util::local_name(c);
        std::string inner_side = side;
        if (util::local_name(node) == "GPO" && (local == "Computer" || local == "User"))
            inner_side = local == "User" ? "User" : "Machine";
        if (local == "AuditSetting") {
            audits.push_back(
                {util::text_of(util::child(c, "PolicyTarget")), util::text_of(util::child(c, "SubcategoryName")),
                 util::text_of(util::child(c, "SubcategoryGuid")), util::text_of(util::child(c, "SettingValue"))});
            continue;
        }
        if (local == "Registry" && util::child(c, "Properties")) {
            registry.push_back({side, c});
            continue;
        }
        walk(c, inner_side, audits, registry);
    }
}

fs::path corpus()
{
    return test::corpus_dir();
}

} // namespace

TEST_CASE("the corpus holds 5 audit.csv files and 1 preferences file")
{
    // Counted with `find ../shared/corpus -iname audit.csv` and
    // `find ../shared/corpus -ipath '*/preferences/*' -iname '*.xml'`.
    CHECK(corpus_files(is_audit_csv, corpus()).size() == 5);
    CHECK(corpus_files(is_preferences_xml, corpus()).size() == 1);
}

TEST_CASE("every corpus audit.csv round-trips byte for byte and reads as its rows")
{
    std::size_t settings_seen = 0;
    for (const auto& f : corpus_files(is_audit_csv, corpus())) {
        INFO(f.string());
        const util::Bytes bytes = util::read_file(f);
        const auto file = settings::AuditFile::parse(bytes, f.string());
        CHECK(file.bytes() == bytes);
        CHECK(file.encoding() == settings::AuditEncoding::utf8);
        // One setting per non-empty line after the header, by a plain split.
        const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        std::size_t rows = 0;
        std::size_t begin = 0;
        for (std::size_t nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', begin)) {
            rows += nl > begin + (text[nl - 1] == '\r' ? 1 : 0);
            begin = nl + 1;
        }
        rows += begin < text.size();
        const auto found = settings::audit_settings(file);
        CHECK(found.size() == rows - 1);
        for (const auto& s : found) {
            CHECK(s.kind == settings::AuditSetting::Kind::subcategory);
            CHECK(s.policy_target == "System");
            CHECK(s.value >= 1);
            CHECK(s.value <= 3);
        }
        settings_seen += found.size();
    }
    CHECK(settings_seen == 86); // 21 + 16 + 26 + 0 + 23, counted by Python's csv module
}

TEST_CASE("every corpus preferences file round-trips byte for byte")
{
    std::size_t items = 0;
    for (const auto& f : corpus_files(is_preferences_xml, corpus())) {
        INFO(f.string());
        const util::Bytes bytes = util::read_file(f);
        const auto file = settings::PreferencesFile::parse(bytes, f.string());
        CHECK(file.bytes() == bytes);
        CHECK(settings::cpasswords(file).empty());
        for (const auto& item : settings::preference_items(file)) {
            CHECK_FALSE(item.uid.empty());
            CHECK_FALSE(item.action.empty());
            ++items;
        }
    }
    CHECK(items == 1);
}

TEST_CASE("gpreport.xml oracle: every audit setting and registry preference Windows reports, gpokit finds alike")
{
    const auto reports = corpus_files(
        [](const fs::path& p) { return util::iequal_ascii(p.filename().string(), "gpreport.xml"); }, corpus());
    CHECK(reports.size() == 71);

    std::size_t audit_reported = 0, audit_agree = 0, audit_read = 0;
    std::size_t registry_reported = 0, registry_agree = 0, registry_read = 0;
    for (const auto& report_path : reports) {
        const fs::path backup = report_path.parent_path();
        INFO(report_path.string());
        const auto report = util::XmlFile::load(report_path, report_path.string());
        std::vector<ReportedAudit> audits;
        std::vector<ReportedRegistry> registry;
        walk(report.root(), "", audits, registry);

        // What gpokit reads from the backup's own files.
        std::vector<settings::AuditSetting> ours_audit;
        for (const auto& f : corpus_files(is_audit_csv, backup)) {
            CHECK(side_of(f) == "Machine");
            const auto file = settings::AuditFile::load(f, f.string());
            const auto s = settings::audit_settings(file);
            ours_audit.insert(ours_audit.end(), s.begin(), s.end());
        }
        std::vector<std::pair<std::string, settings::PreferenceItem>> ours_registry;
        for (const auto& f : corpus_files(is_preferences_xml, backup)) {
            const auto file = settings::PreferencesFile::load(f, f.string());
            for (const auto& item : settings::preference_items(file))
                if (item.registry)
                    ours_registry.emplace_back(side_of(f), item);
        }
        audit_read += ours_audit.size();
        registry_read += ours_registry.size();

        for (const auto& r : audits) {
            ++audit_reported;
            INFO(r.name << " " << r.guid);
            const auto it = std::find_if(ours_audit.begin(), ours_audit.end(), [&](const auto& s) {
                return util::iequal_ascii(s.guid, r.guid) && util::iequal_ascii(s.policy_target, r.target);
            });
            REQUIRE(it != ours_audit.end());
            CHECK(it->subcategory == r.name);
            CHECK(std::to_string(it->value) == r.value);
            audit_agree += it->subcategory == r.name && std::to_string(it->value) == r.value;
        }
        // Nothing gpokit reads goes unreported.
        CHECK(ours_audit.size() == audits.size());

        for (const auto& r : registry) {
            ++registry_reported;
            const std::string uid = r.item.attribute("uid").value();
            INFO("registry item " << uid);
            const auto it = std::find_if(ours_registry.begin(), ours_registry.end(),
                                         [&](const auto& o) { return o.second.uid == uid; });
            REQUIRE(it != ours_registry.end());
            const auto& item = it->second;
            bool same = it->first == r.side;
            CHECK(it->first == r.side);
            // Every attribute the report gives the item and its Properties, gpokit has alike.
            for (auto a = r.item.first_attribute(); a; a = a.next_attribute()) {
                const auto o = std::find_if(item.attributes.begin(), item.attributes.end(),
                                            [&](const auto& kv) { return kv.first == a.name(); });
                INFO(a.name());
                CHECK((o != item.attributes.end() && o->second == a.value()));
                same = same && o != item.attributes.end() && o->second == a.value();
            }
            const auto props = util::child(r.item, "Properties");
            std::size_t compared = 0;
            for (auto a = props.first_attribute(); a; a = a.next_attribute(), ++compared) {
                const auto o = std::find_if(item.properties.begin(), item.properties.end(),
                                            [&](const auto& kv) { return kv.first == a.name(); });
                INFO(a.name());
                CHECK((o != item.properties.end() && o->second == a.value()));
                same = same && o != item.properties.end() && o->second == a.value();
            }
            CHECK(compared == item.properties.size());
            // The typed view agrees with the report's attributes.
            const auto attr = [&](const char* n) { return std::string(props.attribute(n).value()); };
            CHECK(item.registry->hive == attr("hive"));
            CHECK(item.registry->key == attr("key"));
            CHECK(item.registry->value_name == attr("name"));
            CHECK(item.registry->type == attr("type"));
            CHECK(item.registry->data == attr("value"));
            CHECK(settings::preference_action_name(attr("action")) == std::optional<std::string_view>(item.action));
            same = same && item.registry->hive == attr("hive") && item.registry->key == attr("key") &&
                   item.registry->value_name == attr("name") && item.registry->type == attr("type") &&
                   item.registry->data == attr("value");
            // REG_MULTI_SZ strings, and item-level targeting.
            std::vector<std::string> values;
            if (const auto v = util::child(props, "Values"))
                for (auto c = v.first_child(); c; c = c.next_sibling())
                    if (c.type() == pugi::node_element)
                        values.push_back(util::text_of(c));
            CHECK(item.registry->values == values);
            const std::string filters = compact_filters(util::child(r.item, "Filters"));
            CHECK(item.targeting == filters);
            same = same && item.registry->values == values && item.targeting == filters;
            registry_agree += same;
        }
        CHECK(ours_registry.size() == registry.size());
    }

    // Counted from the reports by Python (ElementTree, local names): no exceptions.
    CHECK(audit_reported == 86);
    CHECK(registry_reported == 1);
    CHECK(audit_agree == audit_reported);
    CHECK(registry_agree == registry_reported);
    CHECK(audit_read == audit_reported);
    CHECK(registry_read == registry_reported);
    std::cout << fmt::format("gpreport.xml oracle over {} backups: advanced audit settings {}/{} agree "
                             "(gpokit reads {}); registry preference items {}/{} agree (gpokit reads {})\n",
                             reports.size(), audit_agree, audit_reported, audit_read, registry_agree, registry_reported,
                             registry_read);
}
