#!/usr/bin/env bash
# The HTML diff, looked at in a real browser: headless Chromium (Debian's chromium)
# loads the self-contained page, and the test checks what it rendered — the summary
# counts and the policy groups — and that the page asks for nothing outside itself;
# then the page of two backup roots (an estate diff), with the changed GPO's section.
# A screenshot is kept as a test artifact (GPOKIT_ARTIFACTS). Without Chromium the test
# reports itself as skipped (exit 77), never as passed.
set -u
: "${GPOKIT:?GPOKIT must name the gpokit binary}"
: "${GPOKIT_SOURCE:?GPOKIT_SOURCE must name the repository root}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "SKIPPED: no chromium on this machine (apt-get install chromium)"
    exit 77
fi
artifacts="${GPOKIT_ARTIFACTS:-$PWD}"
mkdir -p "$artifacts"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpokit-html.XXXXXX")" || exit 1
trap 'rm -rf -- "$tmp"' EXIT
cd "$GPOKIT_SOURCE" || exit 1

failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

gpo="{8C1F3B2A-6D4E-4F5A-9B8C-7D6E5F4A3B2C}"
"$GPOKIT" diff "fixtures/ddp/backup/$gpo" "fixtures/ddp/staged/$gpo" --format html --output "$artifacts/diff.html"
[ $? -eq 1 ] || fail "diff did not exit 1 for different GPOs"
grep -qiE '(src|href)=|@import|url\(' "$artifacts/diff.html" && fail "the page refers to something outside itself"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$artifacts/diff.html" > "$tmp/dom.html" 2>"$tmp/err"
[ -s "$tmp/dom.html" ] || fail "chromium rendered nothing: $(tail -3 "$tmp/err")"
check() { grep -qF -- "$1" "$tmp/dom.html" || fail "the rendered page lacks: $1"; }
check '<div id="added"><b>4</b>added</div>'
check '<div id="removed"><b>0</b>removed</div>'
check '<div id="metadata"><b>3</b>GPO metadata</div>' # version, list, and the pair it gains
check '(Registry) with tool {D02B1F72-3407-48AE-BA88-E8213C6761F1}'
check 'Define interoperable Kerberos V5 realm settings'
check 'Define host name-to-Kerberos realm mappings'
check 'ZSCALERBETA.NET'
check 'REG_SZ "&lt;k&gt;kerberos.zscalerbeta.net&lt;/k&gt;"'
timeout 120 "$browser" "${flags[@]}" --window-size=1280,900 --screenshot="$artifacts/diff.png" \
    "file://$artifacts/diff.html" >/dev/null 2>&1
[ -s "$artifacts/diff.png" ] || fail "no screenshot"

"$GPOKIT" diff fixtures/ddp/backup fixtures/ddp/staged --format html --output "$artifacts/estate-diff.html"
[ $? -eq 1 ] || fail "the estate diff did not exit 1 for roots that differ"
grep -qiE '(src|href)="?[^"#]|@import|url\(' "$artifacts/estate-diff.html" && fail "the estate page refers to something outside itself"
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$artifacts/estate-diff.html" > "$tmp/dom.html" 2>"$tmp/err"
[ -s "$tmp/dom.html" ] || fail "chromium rendered no estate page: $(tail -3 "$tmp/err")"
check '<div id="gpos-changed"><b>1</b>changed</div>'
check '<div id="gpos-added"><b>0</b>added</div>'
check '<a href="#gpo-31B2F340-016D-11D2-945F-00C04FB984F9">Default Domain Policy</a>'
check '<section class="gpo" id="gpo-31B2F340-016D-11D2-945F-00C04FB984F9">'
check '<div><b>4</b>added</div>' # the GPO's own summary: the realm's four values
check 'Define interoperable Kerberos V5 realm settings'
timeout 120 "$browser" "${flags[@]}" --window-size=1280,900 --screenshot="$artifacts/estate-diff.png" \
    "file://$artifacts/estate-diff.html" >/dev/null 2>&1
[ -s "$artifacts/estate-diff.png" ] || fail "no screenshot of the estate page"

if [ "$failed" = 0 ]; then
    echo "diff_html: 2 passed, 0 failed (screenshots: $artifacts/diff.png, $artifacts/estate-diff.png)"
    exit 0
fi
echo "diff_html: $failed check(s) failed"
exit 1
