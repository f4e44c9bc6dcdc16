#!/usr/bin/env bash
# Kerberos instead of a password: after kinit, gpokit binds to LDAP with SASL GSSAPI
# and to SMB with the same ticket; no --user, no password anywhere. Also the user
# side: a push there bumps the upper half of the version and gPCUserExtensionNames.
source "$(dirname "$0")/lib.sh"

unset GPOKIT_PASSWORD
check "kinit as the administrator" bash -c 'printf "%s\n" "$SAMBA_ADMIN_PASS" | kinit "$SAMBA_ADMIN_USER@$SAMBA_REALM"'
check "gpo show of the live DDP with the ticket" gk gpo show "$LIVE"
check "fetch with the ticket" gk live fetch "$LIVE" --output "$TMP/kerberos"
check "fetch with a password" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/password" --password-file <(printf '%s\n' "$SAMBA_ADMIN_PASS")
check "both snapshots are identical" diff -r "$TMP/kerberos" "$TMP/password"

use_new_gpo "gpokit kerberos user side"
check "fetch it" gk live fetch "$TARGET" --output "$TMP/stage"
check "stage a user-side value" gk gpo set "$TMP/stage" --side user 'Software\Policies\gpokit' Test --type sz --data kerberos
run_gk "$TMP/out" "$TMP/err" diff "$TARGET" "$TMP/stage" --ignore-metadata
check "diff live -> staged with the ticket exits 1" test $? -eq 1
check "push with the ticket" gk live push "$TMP/stage" "$TARGET" --yes
check "versionNumber is 65536 (user half +1)" test "$(ldap_attr "$DN" versionNumber)" = 65536
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI Version is 65536" grep -q '^Version=65536' "$TMP/gpt.ini"
check "gPCUserExtensionNames names Registry with the user Administrative Templates tool" \
    test "$(ldap_attr "$DN" gPCUserExtensionNames)" = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]"
check "ldapsearch reads the GPO's container" ldap_entry_exists "$DN"
check "... where gPCMachineExtensionNames is untouched (absent)" test -z "$(ldap_attr "$DN" gPCMachineExtensionNames)"
smb_get "$GPO_DIR/User/Registry.pol" "$TMP/user.pol"
check "User/Registry.pol holds the value" pol_has "$TMP/user.pol" 'Software\Policies\gpokit|Test|1|kerberos'
check "diff with the ticket now exits 0" gk diff "$TARGET" "$TMP/stage" --ignore-metadata

# A bare registry.pol is a source too: the folder it sits in (Machine/) names its side.
mkdir -p "$TMP/bare/Machine"
check "build a machine registry.pol by hand" \
    gk pol set "$TMP/bare/Machine/registry.pol" 'Software\Policies\gpokit' Bare --type dword --data 7
check "push the bare file with the ticket" gk live push "$TMP/bare/Machine/registry.pol" "$TARGET" --yes
check "versionNumber is 65537 (machine half +1, user half kept)" test "$(ldap_attr "$DN" versionNumber)" = 65537
smb_get "$GPO_DIR/Machine/Registry.pol" "$TMP/machine.pol"
check "Machine/Registry.pol on SYSVOL is byte-identical to the file pushed" cmp -s "$TMP/machine.pol" "$TMP/bare/Machine/registry.pol"
smb_get "$GPO_DIR/User/Registry.pol" "$TMP/user2.pol"
check "User/Registry.pol is untouched" cmp -s "$TMP/user.pol" "$TMP/user2.pol"
kdestroy >/dev/null 2>&1

finish
