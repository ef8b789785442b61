#!/bin/sh
# make screenshots: publish the bundled policy (with its draft) and take
# each page type at 390 px (a phone) and 1280 px (a desktop), in both
# languages, with Debian's headless Chromium, into screenshots/ (ignored).
set -eu
BIN=${BIN:-bin/saiasat}
OUT=${OUT:-screenshots}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" publish -o "$tmp/site" --draft --policies policies >/dev/null
mkdir -p "$OUT"
shot() { # name path width height
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$tmp/profile" --window-size="$3,$4" \
		--screenshot="$OUT/$1-$3.png" "file://$tmp/site/$2" >/dev/null 2>&1
}
for lang in kk ru; do
	for page in "current:$lang/privacy/index.html" "edition:$lang/privacy/editions/1/index.html" \
		"editions:$lang/privacy/editions/index.html" "draft:$lang/privacy/draft/index.html" \
		"index:$lang/index.html" "404:$lang/404.html"; do
		name=${page%%:*} path=${page#*:}
		shot "$lang-$name" "$path" 390 844
		shot "$lang-$name" "$path" 1280 900
	done
done
shot root-index index.html 390 844
echo "screenshots: $(ls "$OUT" | wc -l) pictures in $OUT/"
