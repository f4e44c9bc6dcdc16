#!/usr/bin/env bash
# live push writes nothing unless the administrator agreed to exactly what it shows:
# declining, --dry-run, --expect-version, a snapshot older than the live GPO and a
# change that lands while the question is on screen all leave the live GPO as it
# was. Two pushes at once: one wins, whole.
# Works on a GPO of its own, created with samba-tool.
source "$(dirname "$0")/lib.sh"

use_new_gpo "gpokit push safety"
version() { ldap_attr "$DN" versionNumber; }
live_pol() { smb_get "$GPO_DIR/Machine/Registry.pol" "$1"; }

stage() { # stage DIR REALM: a fresh snapshot with REALM added
    rm -rf "$1"
    gk live fetch "$TARGET" "${AUTH[@]}" --output "$1" >/dev/null &&
        gk kerberos add-realm "$1" --realm "$2" --kdc "kdc.${2,,}" >/dev/null 2>&1
}
check "stage a realm in a snapshot of the new GPO" stage "$TMP/stage" ONE.EXAMPLE.NET

run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" </dev/null
check "no answer (end of input): status 1" test $? -eq 1
check "... says nothing was written" grep -q "not pushed: nothing was written" "$TMP/out"
echo n | run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}"
check "answering n: status 1" test $? -eq 1
check "... after showing the diff and the question" grep -q "Push to $TARGET? \[y/N\] n" "$TMP/out"
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --dry-run
check "--dry-run: status 1" test $? -eq 1
check "... shows what it would write" grep -q "versionNumber 0 -> 1" "$TMP/out"
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes --expect-version 7
check "--expect-version that does not match: status 2" test $? -eq 2
check "... names both versions" grep -q "versionNumber is 0, not 7" "$TMP/err"
check "after all that, versionNumber is still 0" test "$(version)" = 0
check "... and there is no Registry.pol" smb_missing "$GPO_DIR/Machine/Registry.pol"

# push_racing NAME COMMAND...: starts a push of $TMP/stage, runs COMMAND while the
# question is on screen, then answers y; the push's status is in $TMP/rc
push_racing() {
    local what=$1
    shift
    rm -f "$TMP/answer"
    mkfifo "$TMP/answer"
    "$GPOKIT" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" <"$TMP/answer" >"$TMP/out" 2>"$TMP/err" &
    local pid=$!
    exec 3>"$TMP/answer"
    for _ in $(seq 100); do grep -q "Push to" "$TMP/out" 2>/dev/null && break; sleep 0.1; done
    check "the push is waiting for its answer" grep -q "Push to" "$TMP/out"
    check "meanwhile $what" "$@"
    echo y >&3
    exec 3>&-
    wait $pid
    echo $? > "$TMP/rc"
}

# Registry.pol replaced behind the versions' back (as samba-tool gpo manage does).
printf 'PReg\001\000\000\000' > "$TMP/empty.pol"
put_pol() { smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" \
    -c "put \"$TMP/empty.pol\" \"$GPO_DIR/Machine/Registry.pol\"" >/dev/null 2>&1; }
push_racing "a Registry.pol appears without a version change" put_pol
check "the push then stops with status 2" test "$(cat "$TMP/rc")" = 2
check "... because Registry.pol changed" grep -q "Machine/Registry.pol: changed since the diff was shown; nothing was written" "$TMP/err"
check "... leaving versionNumber at 0" test "$(version)" = 0
smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "... and GPT.INI at Version=0" grep -q "^Version=0" "$TMP/gpt.ini"
live_pol "$TMP/live.pol"
check "... and the other Registry.pol as it was put" cmp -s "$TMP/live.pol" "$TMP/empty.pol"

# A change lands while the question is on screen: another editor (Samba's Python
# bindings, as the Windows editor would) sets a value and bumps the version.
push_racing "another editor changes the GPO" oracle_set "$GUID" 'Software\Policies\Other' Editor "was here"
check "the push then stops with status 2" test "$(cat "$TMP/rc")" = 2
check "... because the live GPO changed since the diff was shown" \
    grep -q "changed since the diff was shown (versionNumber 0 -> 1); nothing was written" "$TMP/err"
live_pol "$TMP/live.pol"
check "... and the other editor's Registry.pol is intact (one value, not ours)" \
    test "$(pol_entries "$TMP/live.pol")" = 'Software\Policies\Other|Editor|1|was here'
check "... and versionNumber is the other editor's 1" test "$(version)" = 1

run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes
check "pushing the snapshot taken at version 0 over version 1: status 2" test $? -eq 2
check "... fetch again, it says" grep -q "snapshot was taken at versionNumber 0, the live GPO is now at 1: fetch it again" "$TMP/err"

check "... and so is the snapshot's GPO folder itself, named from inside the snapshot" \
    bash -c 'cd "$1" && "$GPOKIT" live push "$2" "${@:3}" 2>&1 | grep -q "snapshot was taken at versionNumber 0"' \
    _ "$TMP/stage" "$SAMBA_DNS_DOMAIN/Policies/$GUID" "$TARGET" "${AUTH[@]}" --yes
check "... and a registry.pol inside it" \
    bash -c '"$GPOKIT" live push "$(find "$1" -ipath "*/machine/registry.pol")" "${@:2}" 2>&1 | grep -q "snapshot was taken at versionNumber 0"' \
    _ "$TMP/stage" "$TARGET" "${AUTH[@]}" --yes
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage" "$LIVE" "${AUTH[@]}" --yes
check "a snapshot of this GPO pushed to the Default Domain Policy: status 2" test $? -eq 2
check "... naming both GPOs" grep -q "holds GPO $GUID \"gpokit push safety\", the target is $SAMBA_DDP_GUID" "$TMP/err"

check "fetch again and stage the realm" stage "$TMP/stage2" ONE.EXAMPLE.NET
# Another editor bumps only GPT.INI (not versionNumber) after the fetch.
sed -i 's/^Version=1/Version=2/' "$SAMBA_SYSVOL_DIR/$GPO_DIR/GPT.INI"
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage2" "$TARGET" "${AUTH[@]}" --yes
check "a snapshot older than the live GPT.INI: status 2" test $? -eq 2
check "... GPT.INI Version moved, it says" grep -q "snapshot was taken at GPT.INI Version 1, the live GPO's is now 2" "$TMP/err"
sed -i 's/^Version=2/Version=1/' "$SAMBA_SYSVOL_DIR/$GPO_DIR/GPT.INI"
check "push it" gk live push "$TMP/stage2" "$TARGET" "${AUTH[@]}" --yes
check "versionNumber is now 2" test "$(version)" = 2
live_pol "$TMP/live.pol"
K='Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos'
check "Registry.pol holds the other editor's value and the realm's two (no --map: MitRealms only)" \
    test "$(pol_entries "$TMP/live.pol" | sort)" = "$(printf '%s\n' "$K|MitRealms_Enabled|4|1" \
        "$K\\MitRealms|ONE.EXAMPLE.NET|1|<k>kdc.one.example.net</k>" 'Software\Policies\Other|Editor|1|was here' | sort)"
check "the new GPO's extension list names Registry with the Administrative Templates tool" \
    test "$(ldap_attr "$DN" gPCMachineExtensionNames)" = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"

# A push that crashed left its lock: pushes stop (and say how to go on), --break-lock removes it.
check "stage a change" stage "$TMP/stage4" LOCK.EXAMPLE.NET
printf 'gpokit live push from elsewhere (pid 1)\r\n' > "$TMP/lock"
smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" \
    -c "put \"$TMP/lock\" \"$GPO_DIR/gpokit-push.lock\"" >/dev/null 2>&1
run_gk "$TMP/out" "$TMP/err" live push "$TMP/stage4" "$TARGET" "${AUTH[@]}" --yes
check "a push while the lock is there: status 2" test $? -eq 2
check "... naming the lock and --break-lock" grep -q "gpokit-push.lock exists.*--break-lock" "$TMP/err"
check "--break-lock removes it and pushes" gk live push "$TMP/stage4" "$TARGET" "${AUTH[@]}" --yes --break-lock
check "... leaving no lock behind" smb_missing "$GPO_DIR/gpokit-push.lock"

# Two administrators push different changes to the same GPO at the same moment:
# exactly one wins, whole; the other stops with status 2, having written nothing.
for round in 1 2 3; do
    rm -rf "$TMP/ra" "$TMP/rb"
    gk live fetch "$TARGET" "${AUTH[@]}" --output "$TMP/ra" && cp -a "$TMP/ra" "$TMP/rb"
    gk gpo set "$TMP/ra" --side machine 'Software\Policies\Race' Who --type sz --data "A$round" >/dev/null 2>&1
    gk gpo set "$TMP/rb" --side machine 'Software\Policies\Race' Who --type sz --data "B$round" >/dev/null 2>&1
    before=$(version)
    "$GPOKIT" live push "$TMP/ra" "$TARGET" "${AUTH[@]}" --yes >"$TMP/oa" 2>"$TMP/ea" &
    a=$!
    "$GPOKIT" live push "$TMP/rb" "$TARGET" "${AUTH[@]}" --yes >"$TMP/ob" 2>"$TMP/eb" &
    b=$!
    wait $a; ra=$?
    wait $b; rb=$?
    if [ $ra -eq 0 ]; then winner=a; else winner=b; fi
    check "race $round: one push wins, the other stops with status 2 (got $ra and $rb)" \
        test "$(printf '%s\n' $ra $rb | sort | tr '\n' ' ')" = "0 2 "
    live_pol "$TMP/live.pol"
    check "race $round: the live Registry.pol is the winner's, byte for byte" \
        cmp -s "$TMP/live.pol" "$(find "$TMP/r$winner" -ipath '*/machine/registry.pol')"
    check "race $round: versionNumber went up once" test "$(version)" = $((before + 1))
done

finish
