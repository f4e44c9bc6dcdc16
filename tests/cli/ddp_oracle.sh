#!/usr/bin/env bash
# The Default Domain Policy fixtures (fixtures/ddp/backup and staged) were written by
# gpokit itself (scripts/make-ddp-fixture), and the golden diff cases compare gpokit's
# output on them. This test checks them without gpokit: Samba's own registry.pol parser
# (python3-samba) reads both files and Python's XML reader both Backup.xml files, and
# they are compared with what the fixture's LGPO text (fixtures/ddp/registry.txt) and
# the vendor's guide say, written out here by hand. Without python3-samba the test
# reports itself as skipped (exit 77).
set -u
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
py=/usr/bin/python3
if ! "$py" -c 'import samba.gp_parse.gp_pol' 2>/dev/null; then
    echo "SKIPPED: Samba's Python bindings are not installed (apt-get install python3-samba)"
    exit 77
fi
exec "$py" - "$GPOKIT_SOURCE/fixtures/ddp" <<'PY'
import sys, xml.etree.ElementTree as ET
from samba.gp_parse.gp_pol import GPPolParser

ddp = sys.argv[1]
backup_id = "{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}"
failures = 0

def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1

def entries(which):
    p = GPPolParser()
    with open(f"{ddp}/{which}/{backup_id}/DomainSysvol/GPO/Machine/registry.pol", "rb") as f:
        p.parse(f.read())
    return [(e.keyname, e.valuename, e.type, e.data) for e in p.pol_file.entries]

# registry.txt, read as LGPO text by hand: blocks of Computer / key / value / action.
expected = []
lines = [l for l in open(f"{ddp}/registry.txt", encoding="utf-8").read().splitlines() if not l.startswith(";")]
blocks = "\n".join(lines).strip().split("\n\n")
for block in blocks:
    side, key, value, action = block.strip().split("\n")
    assert side == "Computer"
    if action == "CREATEKEY":
        expected.append((key, "", 0, None))
    else:
        kind, data = action.split(":", 1)
        assert kind == "BINARY"
        expected.append((key, value, 3, bytes.fromhex(data)))

backup = entries("backup")
check(backup == expected, f"backup: Samba reads the {len(expected)} records registry.txt describes")

# The vendor's realm, as the cloud proxy vendor's guide gives it.
kerberos = "Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos"
realm = [
    (kerberos, "MitRealms_Enabled", 4, 1),
    (kerberos, "domain_realm_Enabled", 4, 1),
    (kerberos + "\\domain_realm", "ZSCALERBETA.NET", 1, ".zscalerbeta.net; .gateway.zscalerbeta.net"),
    (kerberos + "\\MitRealms", "ZSCALERBETA.NET", 1, "<k>kerberos.zscalerbeta.net</k>"),
]
staged = entries("staged")
check(staged == realm + expected, "staged: the four realm records, sorted before the untouched EFS records")

def core(which):
    ns = {"b": "http://www.microsoft.com/GroupPolicy/GPOOperations"}
    root = ET.parse(f"{ddp}/{which}/{backup_id}/Backup.xml").getroot()
    settings = root.find("b:GroupPolicyObject/b:GroupPolicyCoreSettings", ns)
    return {child.tag.split("}")[1]: (child.text or "") for child in settings}, root

before, broot = core("backup")
after, aroot = core("staged")
check(before["MachineVersionNumber"] == "196611" and after["MachineVersionNumber"] == "262148",
      "Backup.xml: MachineVersionNumber 3/3 -> 4/4 (sysvol/directory)")
efs_tool = "{53D6AB1B-2488-11D1-A28C-00C04FB94F17}"
admx_tool = "{D02B1F72-3407-48AE-BA88-E8213C6761F1}"
check(after["MachineExtensionGuids"] ==
      before["MachineExtensionGuids"].replace(efs_tool + "]", efs_tool + admx_tool + "]", 1),
      "Backup.xml: the Administrative Templates tool merged into the Registry bracket, after the EFS tool")
same = {k: v for k, v in before.items() if k not in ("MachineVersionNumber", "MachineExtensionGuids")}
check(all(after[k] == v for k, v in same.items()) and set(after) == set(before),
      "Backup.xml: every other core setting unchanged")
check(ET.tostring(broot.find(".//{http://www.microsoft.com/GroupPolicy/GPOOperations}GroupPolicyExtension")) ==
      ET.tostring(aroot.find(".//{http://www.microsoft.com/GroupPolicy/GPOOperations}GroupPolicyExtension")),
      "Backup.xml: the Registry extension's FSObjectFile entry unchanged (registry.pol existed)")
print(f"ddp oracle: {failures} failed")
sys.exit(1 if failures else 0)
PY
