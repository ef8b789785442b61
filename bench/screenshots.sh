#!/bin/sh
# make screenshots: publish the bundled policy (with its draft) and take
# each page type at 390 px (a phone) and 1280 px (a desktop), in both
# languages, with Debian's headless Chromium, into screenshots/ (ignored).
set -eu
BIN=${BIN:-bin/saiasat}
OUT=${OUT:-screenshots}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid"; rm -rf "$tmp"' EXIT
"$BIN" publish -o "$tmp/site" --draft --policies policies >/dev/null
# The 404 pages link from the site's root, so they are taken as a browser
# meets them: from saiasat serve, which answers a browser's unknown path
# with them.
port=$((20000 + $$ % 20000))
"$BIN" serve --addr "127.0.0.1:$port" --policies policies >"$tmp/serve.log" 2>&1 &
pid=$!
mkdir -p "$OUT"
shot() { # name URL width height
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$tmp/profile" --window-size="$3,$4" \
		--screenshot="$OUT/$1-$3.png" "$2" >/dev/null 2>&1
}
for lang in kk ru; do
	for page in "current:$lang/privacy/index.html" "edition:$lang/privacy/editions/1/index.html" \
		"editions:$lang/privacy/editions/index.html" "draft:$lang/privacy/draft/index.html" \
		"index:$lang/index.html"; do
		name=${page%%:*} path=${page#*:}
		shot "$lang-$name" "file://$tmp/site/$path" 390 844
		shot "$lang-$name" "file://$tmp/site/$path" 1280 900
	done
	shot "$lang-404" "http://127.0.0.1:$port/$lang/no-such-page/" 390 844
	shot "$lang-404" "http://127.0.0.1:$port/$lang/no-such-page/" 1280 900
done
shot root-index "file://$tmp/site/index.html" 390 844
echo "screenshots: $(ls "$OUT" | wc -l) pictures in $OUT/"
