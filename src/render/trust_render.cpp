#include "render/trust_render.hpp"

#include "render/escape.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace gpokit::render {

namespace {

// The runbook is written once as steps of prose and command lines; text and Markdown
// differ only in how headings and commands are set. Plan values are validated realm
// and host names (no markup characters).
struct Step {
    std::string title;
    std::vector<std::string> lines; // prose; a line starting with "$ " is a command
};

std::string wizard_direction(trust::Direction d)
{
    switch (d) {
    case trust::Direction::incoming: return "One-way: incoming";
    case trust::Direction::outgoing: return "One-way: outgoing";
    case trust::Direction::both: return "Two-way";
    }
    return "";
}

std::string what_it_allows(const trust::Plan& p)
{
    switch (p.direction) {
    case trust::Direction::incoming:
        return fmt::format("users of {} can get Kerberos tickets for services in {} (the realm trusts the domain; "
                           "realm users get nothing in the domain)",
                           p.domain, p.realm);
    case trust::Direction::outgoing:
        return fmt::format("users of {} can reach resources in {} (the domain trusts the realm; domain users get "
                           "nothing in the realm)",
                           p.realm, p.domain);
    case trust::Direction::both: return fmt::format("users of each of {} and {} can reach the other's services", p.domain, p.realm);
    }
    return "";
}

std::string netdom_line(const trust::Plan& p)
{
    // netdom trust <trusting> /Domain:<trusted>: in an incoming trust the realm trusts the domain.
    const bool realm_trusts = p.direction != trust::Direction::outgoing;
    return fmt::format("$ netdom trust {} /Domain:{} /Add /Realm /PasswordT:*{}{}", realm_trusts ? p.realm : p.domain,
                       realm_trusts ? p.domain : p.realm, p.direction == trust::Direction::both ? " /Twoway" : "",
                       p.transitive ? " /Transitive:yes" : "");
}

std::vector<Step> runbook(const trust::Plan& p)
{
    std::vector<Step> steps;
    const auto principals = p.cross_realm();
    steps.push_back({"What this trust is",
                     {fmt::format("A realm trust between the AD domain {} and the Kerberos realm {}, {}: {}.", p.domain,
                                  p.realm,
                                  p.direction == trust::Direction::both
                                      ? std::string("two-way")
                                      : std::string("one-way ") + trust::direction_name(p.direction),
                                  what_it_allows(p)),
                      fmt::format("{}; encryption: AES256 and AES128{}.", p.transitive ? "Transitive" : "Non-transitive",
                                  p.rc4 ? " and RC4" : ""),
                      "Agree on the trust password with the realm's administrator out of band. It is typed at the "
                      "prompts below and never written into this runbook or onto a command line."}});
    steps.push_back(
        {"1. Create the trust on a domain controller (New Trust Wizard)",
         {"Active Directory Domains and Trusts > right-click " + p.domain + " > Properties > Trusts > New Trust, then:",
          "- Trust Name: " + p.realm,
          "- Trust Type: Realm trust",
          std::string("- Transitivity of Trust: ") + (p.transitive ? "Transitive" : "Nontransitive"),
          "- Direction of Trust: " + wizard_direction(p.direction),
          "- Trust Password: the agreed password, twice",
          "- Finish.",
          "Or from an elevated prompt (netdom asks for the password; the order of the two names is not yet "
          "confirmed on Windows: check that the wizard's view of the trust matches the values in step 3):",
          netdom_line(p)}});
    steps.push_back({"2. Set the trust's encryption types",
                     {fmt::format("$ ksetup /setenctypeattr {} AES128-CTS-HMAC-SHA1-96 AES256-CTS-HMAC-SHA1-96{}", p.realm,
                                  p.rc4 ? " RC4-HMAC-MD5" : "")}});
    steps.push_back(
        {"3. Check the trusted-domain object",
         {fmt::format("$ Get-ADObject -Filter {{trustPartner -eq \"{}\"}} -Properties *", p.realm),
          fmt::format("Expect: objectClass trustedDomain, Name = trustPartner = flatName = {}, trustType 3 (MIT), "
                      "trustDirection {} ({}), trustAttributes {}, msDS-SupportedEncryptionTypes {}.",
                      p.realm, p.trust_direction(), trust::direction_name(p.direction), p.trust_attributes(),
                      p.encryption_types()),
          "$ nltest /domain_trusts",
          fmt::format("Expect {} in the list.", p.realm)}});
    Step realm{"4. The realm's administrator: the same key on the MIT side", {}};
    std::string enc = "aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal";
    if (p.rc4)
        enc += " arcfour-hmac:normal";
    for (const auto& c : principals) {
        realm.lines.push_back(fmt::format("{} (salt {}): {}.", c.principal, c.salt, c.purpose));
        realm.lines.push_back(fmt::format("$ kadmin.local -q 'addprinc -e \"{}\" {}'", enc, c.principal));
    }
    realm.lines.push_back("kadmin asks for the password. Or make a keytab from this plan for the realm's KDC: "
                          "gpokit trust keys --plan PLAN.json --keytab realm.keytab (it asks too), and compare "
                          "its fingerprints with `gpokit trust keys --plan PLAN.json` run where the password was typed.");
    steps.push_back(realm);
    Step gpo{"5. Push the realm settings to every client (Default Domain Policy)", {}};
    std::string add = fmt::format("$ gpokit kerberos add-realm \"GPO Backups\" --gpo \"Default Domain Policy\" --realm {}",
                                  p.realm);
    for (const auto& k : p.kdcs)
        add += " --kdc " + k;
    for (const auto& m : p.map)
        add += " --map " + m;
    gpo.lines.push_back(add);
    gpo.lines.push_back(fmt::format("Clients then receive MitRealms\\{} = \"{}\"{}.", p.realm, p.mit_realms_value(),
                                    p.map.empty() ? std::string(" and no host-name mapping")
                                                  : fmt::format(" and domain_realm\\{} = \"{}\"", p.realm,
                                                                p.domain_realm_value())));
    if (p.kdcs.empty())
        gpo.lines.push_back("No KDC is named: clients find the realm's KDCs through DNS SRV records.");
    steps.push_back(gpo);
    return steps;
}

void runbook_text(const trust::Plan& p, std::ostream& out)
{
    out << fmt::format("Realm trust runbook: {} and {}\n", p.domain, p.realm);
    for (const auto& step : runbook(p)) {
        out << '\n' << step.title << '\n' << std::string(step.title.size(), '-') << '\n';
        for (const auto& line : step.lines)
            out << (line.rfind("$ ", 0) == 0 ? "    " + line.substr(2) : line) << '\n';
    }
}

void runbook_markdown(const trust::Plan& p, std::ostream& out)
{
    out << fmt::format("# Realm trust runbook: {} and {}\n", p.domain, p.realm);
    for (const auto& step : runbook(p)) {
        out << "\n## " << step.title << "\n\n";
        bool in_list = false;
        for (const auto& line : step.lines) {
            const bool item = line.rfind("- ", 0) == 0;
            if (in_list && !item)
                out << '\n';
            in_list = item;
            if (line.rfind("$ ", 0) == 0)
                out << "```\n" << line.substr(2) << "\n```\n\n";
            else
                out << line << (item ? "\n" : "\n\n");
        }
    }
}

} // namespace

void trust_plan(const trust::Plan& plan, Format format, std::ostream& out)
{
    switch (format) {
    case Format::json: out << trust::plan_json(plan); return;
    case Format::markdown: runbook_markdown(plan, out); return;
    case Format::text: runbook_text(plan, out); return;
    default: throw util::Error("trust plan prints text, markdown or json");
    }
}

void trust_keys(const std::vector<trust::DerivedKey>& keys, bool show_keys, Format format, std::ostream& out)
{
    const auto hex = [](const std::vector<unsigned char>& key) {
        std::string s;
        for (const unsigned char b : key)
            s += fmt::format("{:02x}", b);
        return s;
    };
    if (format == Format::json) {
        util::JsonWriter json(out);
        json.begin_document("gpokit-trust-keys/1");
        json.key("keys");
        json.begin_array();
        for (const auto& k : keys) {
            json.begin_object();
            json.member("principal", k.principal);
            json.member("salt", k.salt);
            json.member("enctype", k.enctype_name);
            json.member("enctype_number", static_cast<std::int64_t>(k.enctype));
            json.member("fingerprint", k.fingerprint);
            if (show_keys)
                json.member("key", hex(k.key));
            json.end_object();
        }
        json.end_array();
        json.end_object();
        json.flush();
        out << '\n';
        return;
    }
    std::string last;
    for (const auto& k : keys) {
        if (k.principal != last)
            out << k.principal << "  (salt " << k.salt << ")\n";
        last = k.principal;
        out << fmt::format("  {:<24} fingerprint {}{}\n", k.enctype_name, k.fingerprint,
                           show_keys ? "  key " + hex(k.key) : std::string());
    }
}

void trust_verify(const trust::Plan& plan, const std::vector<TrustCheck>& checks, Format format, std::ostream& out)
{
    if (format == Format::json) {
        util::JsonWriter json(out);
        json.begin_document("gpokit-trust-verify/1");
        json.member("realm", plan.realm);
        json.member("domain", plan.domain);
        json.key("checks");
        json.begin_array();
        for (const auto& c : checks) {
            json.begin_object();
            json.member("what", c.what);
            json.member("as_planned", c.findings.empty());
            json.key("differences");
            json.begin_array();
            for (const auto& f : c.findings) {
                json.begin_object();
                json.member("subject", f.subject);
                json.member("expected", f.expected);
                json.member("found", f.found);
                json.member("reason", f.reason);
                json.member("where", f.where ? f.where->text() : std::string());
                json.end_object();
            }
            json.end_array();
            json.end_object();
        }
        json.end_array();
        json.end_object();
        json.flush();
        out << '\n';
        return;
    }
    for (const auto& c : checks) {
        out << terminal_text(c.what) << ": " << (c.findings.empty() ? "as planned" : fmt::format("{} difference{}", c.findings.size(), c.findings.size() == 1 ? "" : "s")) << '\n';
        for (const auto& f : c.findings)
            out << fmt::format("  {}{}: {}, the plan says {}: {}\n", f.where ? terminal_text(f.where->text()) + ": " : std::string(),
                               terminal_text(f.subject), terminal_text(f.found), terminal_text(f.expected),
                               terminal_text(f.reason));
    }
}

} // namespace gpokit::render
