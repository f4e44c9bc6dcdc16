#!/usr/bin/env bash
# A policy that names its own client-side extension (ADMX clientExtension, as LAPS's
# AdmPwd does) must be listed in gPCMachineExtensionNames too, or clients never run
# that extension: `live push --admx` merges it beside Registry, each with the
# Administrative Templates tool. The ADMX is written here, with a made-up CSE GUID.
source "$(dirname "$0")/lib.sh"

CSE='{0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}'
mkdir -p "$TMP/admx/en-US"
cat > "$TMP/admx/test.admx" <<ADMX
<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0">
  <policyNamespaces><target prefix="test" namespace="Gpokit.Test.ClientExtension" /></policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories><category name="Test" displayName="\$(string.Test)" /></categories>
  <policies>
    <policy name="Switch" class="Machine" displayName="\$(string.Switch)" explainText="\$(string.Switch)"
            key="Software\Policies\Gpokit Test" valueName="Enabled" clientExtension="$CSE">
      <parentCategory ref="Test" />
      <enabledValue><decimal value="1" /></enabledValue>
      <disabledValue><decimal value="0" /></disabledValue>
    </policy>
  </policies>
</policyDefinitions>
ADMX
cat > "$TMP/admx/en-US/test.adml" <<'ADML'
<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources revision="1.0" schemaVersion="1.0">
  <displayName>test</displayName><description>test</description>
  <resources><stringTable>
    <string id="Test">Test</string>
    <string id="Switch">A switch with its own client-side extension</string>
  </stringTable></resources>
</policyDefinitionResources>
ADML

use_new_gpo "gpokit client extension"
check "fetch it" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/stage"
check "enable the policy in the snapshot" gk policy set "$TMP/stage" --admx "$TMP/admx" --policy test:Switch --enabled
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --admx "$TMP/admx" --yes
check "push it with the ADMX (status 0)" test $? -eq 0
check "gPCMachineExtensionNames lists Registry and the policy's extension, each with the machine tool, sorted" \
    test "$(ldap_attr "$DN" gPCMachineExtensionNames)" = \
    "[{0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"
smb_get "$GPO_DIR/Machine/Registry.pol" "$TMP/live.pol"
check "Registry.pol holds the policy's value" pol_has "$TMP/live.pol" 'Software\Policies\Gpokit Test|Enabled|4|1'

finish
