#!/usr/bin/env bash
# live fetch: a snapshot of the live Default Domain Policy holds exactly what the DC
# serves (checked with smbclient and ldapsearch), and fetching twice gives the same bytes.
source "$(dirname "$0")/lib.sh"

DDP="$SAMBA_DDP_GUID"
DDP_DN="CN=$DDP,$POLICIES_DN"
GPO_DIR="$SAMBA_DNS_DOMAIN/Policies/$DDP"

check "fetch over LDAPS with a password" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/a"
check "the snapshot has its metadata file" test -f "$TMP/a/gpokit-snapshot.json"
check "the snapshot has GPT.INI in SYSVOL layout" test -f "$TMP/a/$GPO_DIR/GPT.INI"

smb_get "$GPO_DIR/GPT.INI" "$TMP/gpt.ini"
check "GPT.INI is byte-identical to smbclient's copy" cmp -s "$TMP/gpt.ini" "$TMP/a/$GPO_DIR/GPT.INI"

meta() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["group_policy_container"]["attributes"].get(sys.argv[2], ""))' "$TMP/a/gpokit-snapshot.json" "$1"; }
for attr in versionNumber gPCMachineExtensionNames gPCUserExtensionNames displayName gPCFileSysPath; do
    want=$(ldap_attr "$DDP_DN" "$attr")
    got=$(meta "$attr")
    check "snapshot $attr equals ldapsearch's ('$want')" test "$got" = "$want"
done

# Every file under the GPO folder, downloaded by smbclient.
mkdir -p "$TMP/smb"
smbclient "//$SAMBA_DC_HOST/sysvol" -U "$SAMBA_ADMIN_USER%$SAMBA_ADMIN_PASS" \
    -c "recurse ON; prompt OFF; cd $GPO_DIR; lcd $TMP/smb; mget *" >/dev/null 2>&1
check "the snapshot's GPO folder equals smbclient's download, file for file" diff -r "$TMP/smb" "$TMP/a/$GPO_DIR"
check "... which is not empty" test -n "$(find "$TMP/smb" -type f)"

check "a second fetch succeeds" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/b"
check "two fetches of an unchanged GPO are identical" diff -r "$TMP/a" "$TMP/b"

gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/c" --format json > "$TMP/c.json"
check "--format json prints the snapshot's metadata" cmp -s "$TMP/c.json" "$TMP/c/gpokit-snapshot.json"
check_schemas "the snapshot's metadata validates against gpokit-snapshot/1" "$TMP/a/gpokit-snapshot.json" "$TMP/c.json"

mkdir -p "$TMP/full" && echo keep > "$TMP/full/file"
run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/full"
check "fetch into a non-empty folder fails with status 2" test $? -eq 2
check "... says why" grep -q "not an empty folder" "$TMP/err"
check "... and leaves the folder alone" test "$(ls "$TMP/full")" = file

run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" "${AUTH[@]}" --output ""
check "fetch --output \"\" is refused" grep -q "\-\-output is empty" "$TMP/err"
mkdir -p "$TMP/here" && (cd "$TMP/here" && "$GPOKIT" live fetch "$LIVE" "${AUTH[@]}" --output . 2>"$TMP/err")
check "fetch into the current folder is refused, the folder stays" \
    bash -c 'grep -q "is the current folder" "$1" && [ -d "$2" ]' _ "$TMP/err" "$TMP/here"
ln -s "$TMP/here" "$TMP/link"
run_gk "$TMP/out" "$TMP/err" live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/link"
check "fetch into a symbolic link is refused" grep -q "is a symbolic link" "$TMP/err"
mkdir -m 0751 "$TMP/empty"
check "fetch into an existing empty folder" gk live fetch "$LIVE" "${AUTH[@]}" --output "$TMP/empty/"
check "... which keeps its mode" test "$(stat -c %a "$TMP/empty")" = 751

check "a snapshot diffs clean against the live GPO" gk diff "$TMP/a" "$LIVE" "${AUTH[@]}"
gk gpo show "$LIVE" "${AUTH[@]}" --format json > "$TMP/show.json"
check "gpo show of a live GPO names it by its address" \
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kind"]=="live" and d["path"]==sys.argv[2] and d["display_name"]=="Default Domain Policy", d' "$TMP/show.json" "$LIVE"
gk gpo show "$TMP/a" --format json > "$TMP/snap.json"
check_schemas "gpo show of a live GPO and of a snapshot validate against gpokit-gpo-show/1" "$TMP/show.json" "$TMP/snap.json"
check "gpo show of a snapshot carries the directory's versionNumber" \
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kind"]=="snapshot" and d["directory"]["attributes"]["versionNumber"]==sys.argv[2], d' "$TMP/snap.json" "$(ldap_attr "$DDP_DN" versionNumber)"

# A fresh Samba DDP lists the Registry extension (with the EFS tool) but has no
# Registry.pol: lint says so, naming the container attribute, not a local file.
run_gk "$TMP/lint" "$TMP/err" gpo lint "$LIVE" "${AUTH[@]}"
check "gpo lint reads the live GPO (exit 1: findings)" test $? -eq 1
check "... and names the directory attribute a finding is about" \
    grep -qiF "$DDP_DN gPCUserExtensionNames: the user extension list names the Registry extension" "$TMP/lint"
check "... never the temporary snapshot" bash -c '! grep -q "gpokit-live-" "$1"' _ "$TMP/lint"

finish
