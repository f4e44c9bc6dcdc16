#!/usr/bin/env bash
# A push that fails half way says what it wrote and what it did not, and --force
# finishes it. The failure is real: the DC cannot replace GPT.INI because the file
# is made immutable (chattr +i) on the DC's own disk after Registry.pol is staged.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit half way"
GPT_ON_DISK="$SAMBA_SYSVOL_DIR/$GPO_DIR/GPT.INI"
version() { ldap_attr "$DN" versionNumber; }

if ! chattr +i "$GPT_ON_DISK" 2>"$TMP/chattr.err"; then
    echo "SKIPPED: cannot make a file immutable here to inject the failure: $(cat "$TMP/chattr.err")" >&2
    exit 77
fi
chattr -i "$GPT_ON_DISK"

check "fetch" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/stage"
check "stage a realm" gk kerberos add-realm "$TMP/stage" --realm TWO.EXAMPLE.NET --kdc kdc.two.example.net
chattr +i "$GPT_ON_DISK"
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes
rc=$?
chattr -i "$GPT_ON_DISK"
check "a push that fails half way: status 2" test $rc -eq 2
check "... reports Registry.pol as written" \
    bash -c 'sed -n "/  written:/,/not written:/p" "$1" | grep -q "Machine/Registry.pol"' _ "$TMP/err"
check "... and GPT.INI and versionNumber as not written" \
    bash -c 'sed -n "/not written:/,\$p" "$1" | grep -q "GPT.INI Version" && sed -n "/not written:/,\$p" "$1" | grep -q "versionNumber"' _ "$TMP/err"
check "... and tells how to finish" grep -q "run the push again with --force" "$TMP/err"
check "versionNumber is still 0" test "$(version)" = 0
smb_get "$GPO_DIR/Machine/Registry.pol" "$TMP/live.pol"
check "the new Registry.pol is on SYSVOL" cmp -s "$TMP/live.pol" "$(find "$TMP/stage" -ipath '*/machine/registry.pol')"
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI is as it was" grep -q "^Version=0" "$TMP/gpt.ini"

run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes
check "a plain push again: status 1, not a silent success" test $? -eq 1
check "... the settings match but the bookkeeping is not done: finish with --force" \
    grep -q "already has these settings, but its bookkeeping is incomplete (gPCMachineExtensionNames does not list the Registry extension).*--force" "$TMP/out"
check "--force finishes the push" gk live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes --force
check "versionNumber is now 1" test "$(version)" = 1
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI Version is 1 too" grep -q "^Version=1" "$TMP/gpt.ini"
check "the extension list names Registry" \
    test "$(ldap_attr "$DN" gPCMachineExtensionNames)" = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"

# A live Registry.pol that no longer parses (here: bytes appended on the DC's disk)
# is repaired by pushing a good one with --force.
printf 'JUNK' >> "$SAMBA_SYSVOL_DIR/$GPO_DIR/Machine/Registry.pol"
check "fetch a good copy to push (the broken file is copied as it is)" gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/fix"
fixed=$(find "$TMP/fix" -ipath '*/machine/registry.pol')
check "cut the junk from the copy" truncate -s -4 "$fixed"
run_gk "$TMP/out" "$TMP/err" live push "$TMP/fix" "$TARGET" "${AUTH[@]}" --yes
check "a push over an unreadable live Registry.pol: status 2" test $? -eq 2
check "... naming the DC's file and offset, not a temporary copy" \
    grep -q "^gpokit: error: //$SAMBA_DC_HOST/sysvol/$GPO_DIR/Machine/Registry.pol:0x" "$TMP/err"
check "... and how to replace it" grep -q "\-\-force replaces an unreadable live Registry.pol" "$TMP/err"
check "--force replaces it" gk live push "$TMP/fix" "$TARGET" "${AUTH[@]}" --yes --force
smb_get "$GPO_DIR/Machine/Registry.pol" "$TMP/live.pol"
check "... with the good bytes" cmp -s "$TMP/live.pol" "$fixed"
check "... and versionNumber 2" test "$(version)" = 2

finish
