#!/bin/sh
# make screenshots: publish the bundled policy (with its draft) and take
# each page type at 390 px (a phone) and 1280 px (a desktop), in both
# languages, with Debian's headless Chromium, into screenshots/ (ignored).
# The pages only a second approved edition has (what changed, an edition
# to come, the current page announcing it) come from a copy of policies/
# whose draft is released and approved (a sample decision) for 30 days on.
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
# A copy whose draft becomes edition 2, approved, in force 30 days on.
cp -r policies "$tmp/policies2"
sed -i "s/^effective: .*/effective: $(date -d '+30 days' +%F)/" "$tmp/policies2/privacy/policy.yaml"
# (release --effective must agree with policy.yaml's effective: hence sed.)
version=$("$BIN" release --policies "$tmp/policies2" | awk '$1 == "version" {print $2}')
[ -n "$version" ] || { echo "screenshots: release of the draft as edition 2 failed" >&2; exit 1; }
"$BIN" approve --policies "$tmp/policies2" --edition 2 --hash "$version" --date "$(date +%F)" \
	--decision 'kk=Үлгі шешім (скриншоттар үшін)' --decision 'ru=Образец решения (для снимков экрана)' >/dev/null
"$BIN" publish -o "$tmp/site2" --policies "$tmp/policies2" >/dev/null
for lang in kk ru; do
	for page in "changes:$lang/privacy/changes/2/index.html" "upcoming:$lang/privacy/editions/2/index.html" \
		"current-with-upcoming:$lang/privacy/index.html"; do
		name=${page%%:*} path=${page#*:}
		shot "$lang-$name" "file://$tmp/site2/$path" 390 844
		shot "$lang-$name" "file://$tmp/site2/$path" 1280 900
	done
done
shot root-index "file://$tmp/site/index.html" 390 844
echo "screenshots: $(ls "$OUT" | wc -l) pictures in $OUT/"
