#!/usr/bin/env bash
# make bench-serve: saiasat serve against nginx serving the same bytes as
# static files, with wrk, in one run on this machine; then the resident
# memory of the server with 100 generated editions loaded. Prints a
# Markdown table for docs/benchmarks.md. DUR, CONN and ONLY (a regular
# expression naming the rows to run, e.g. ONLY='text') change the run.
# Then saiasat's text by hash and the reference server's alternate in
# ROUNDS rounds of RDUR each (ROUNDS=0 skips them): on a shared 2-core
# machine one run of each swings by a tenth either way, so the ratio the
# serve issue asks for is the median of paired rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/saiasat}
DUR=${DUR:-10s}
CONN=${CONN:-32}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

"$BIN" publish -o "$work/site" >/dev/null
"$BIN" serve --addr 127.0.0.1:18081 --policies policies --db "$work/consents.db" >/dev/null 2>&1 &
spid=$!
# nginx with the configuration publish writes for the folder (docs/api.md):
# the same routes, headers and ETags as serve.
user=""; [ "$(id -u)" -eq 0 ] && user="user root;"
cat > "$work/nginx.conf" <<CONF
$user
worker_processes 2;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log $work/access.log;
  client_body_temp_path $work/body;
  keepalive_requests 1000000;
  include $work/site/.nginx/http.conf;
  server {
    listen 127.0.0.1:18082;
    root $work/site;
    include $work/site/.nginx/server.conf;
  }
}
CONF
nginx -e "$work/error.log" -c "$work/nginx.conf" -p "$work"
# The floor of net/http on this machine, and the same server with what the
# serve issue requires of saiasat (timeouts, headers, a log line each).
go build -o "$work/nethttp" ./bench/nethttp
"$work/nethttp" --addr 127.0.0.1:18084 "$work/site/api/v1/policies/privacy/current.ru.json" 2>/dev/null &
bare=$!
"$work/nethttp" --addr 127.0.0.1:18085 --timeouts --headers --log "$work/site/api/v1/policies/privacy/current.ru.json" 2>/dev/null &
req=$!
# The same text saiasat is asked for below: the Russian one in force.
hash=$(sed -n 's/.*"text_sha256": "\(sha256:[0-9a-f]*\)".*/\1/p' "$work/site/api/v1/policies/privacy/current.ru.json")
text="$work/site/api/v1/texts/$hash.md"
"$work/nethttp" --addr 127.0.0.1:18086 "$text" 2>/dev/null &
bare_text=$!
"$work/nethttp" --addr 127.0.0.1:18087 --timeouts --headers --vary --log "$text" 2>/dev/null &
req_text=$!
sleep 1
npids=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')

size=$(curl -s "http://127.0.0.1:18081/v1/texts/$hash" | wc -c)
etag_s=$(curl -sI "http://127.0.0.1:18081/v1/texts/$hash" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
etag_n=$(curl -sI "http://127.0.0.1:18082/api/v1/texts/$hash.md" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')

ticks() { # the CPU time of the pids, in clock ticks
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
hz=$(getconf CLK_TCK)
run() { # name "pids" url [header]; ONLY=regex runs only the rows it matches
  local out before after n
  if [ -n "${ONLY:-}" ] && ! printf '%s' "$1" | grep -Eq "$ONLY"; then return; fi
  before=$(ticks $2)
  if [ -n "${4:-}" ]; then out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency -H "$4" "$3"); else out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency "$3"); fi
  after=$(ticks $2)
  local rps p99
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1=="99%" {print $2}')
  n=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p99" "$(( (after - before) * 1000000 / hz / n ))"
}
echo "| request | requests/s | p99 | server CPU µs per request |"
echo "|---|---|---|---|"
run "saiasat: GET current (JSON)" "$spid" "http://127.0.0.1:18081/v1/policies/privacy/current?lang=ru"
run "nginx: GET current.ru.json" "$npids" "http://127.0.0.1:18082/api/v1/policies/privacy/current.ru.json"
run "net/http alone: the same bytes" "$bare" "http://127.0.0.1:18084/v1/policies/privacy/current?lang=ru"
run "net/http + timeouts, headers, log line" "$req" "http://127.0.0.1:18085/v1/policies/privacy/current?lang=ru"
run "saiasat: GET text by hash ($size bytes)" "$spid" "http://127.0.0.1:18081/v1/texts/$hash"
run "nginx: GET the same text as a file" "$npids" "http://127.0.0.1:18082/api/v1/texts/$hash.md"
run "net/http alone: a text of $(wc -c <"$text") bytes" "$bare_text" "http://127.0.0.1:18086/v1/texts/$hash"
run "net/http + timeouts, headers, log line: that text" "$req_text" "http://127.0.0.1:18087/v1/texts/$hash"
run "saiasat: 304 on If-None-Match" "$spid" "http://127.0.0.1:18081/v1/texts/$hash" "If-None-Match: $etag_s"
run "nginx: 304 on If-None-Match" "$npids" "http://127.0.0.1:18082/api/v1/texts/$hash.md" "If-None-Match: $etag_n"

ROUNDS=${ROUNDS:-9}
RDUR=${RDUR:-3s}
if [ -n "${ONLY:-}" ] && ! printf 'text' | grep -Eq "$ONLY"; then ROUNDS=0; fi
if [ "$ROUNDS" -gt 0 ]; then
  echo
  echo "| round | saiasat: text by hash, requests/s | CPU µs/request | net/http + timeouts, headers, log line: that text, requests/s | CPU µs/request | ratio of requests/s |"
  echo "|---|---|---|---|---|---|"
  ratios=()
  for r in $(seq 1 "$ROUNDS"); do
    # ABBA: each goes first in every other round.
    if [ $((r % 2)) -eq 1 ]; then
      a=$(DUR=$RDUR ONLY= run x "$spid" "http://127.0.0.1:18081/v1/texts/$hash")
      b=$(DUR=$RDUR ONLY= run x "$req_text" "http://127.0.0.1:18087/v1/texts/$hash")
    else
      b=$(DUR=$RDUR ONLY= run x "$req_text" "http://127.0.0.1:18087/v1/texts/$hash")
      a=$(DUR=$RDUR ONLY= run x "$spid" "http://127.0.0.1:18081/v1/texts/$hash")
    fi
    ra=$(printf '%s' "$a" | awk -F' [|] ' '{print $2}'); ca=$(printf '%s' "$a" | awk -F' [|] ' '{print $4}' | tr -d ' |')
    rb=$(printf '%s' "$b" | awk -F' [|] ' '{print $2}'); cb=$(printf '%s' "$b" | awk -F' [|] ' '{print $4}' | tr -d ' |')
    q=$(awk -v a="$ra" -v b="$rb" 'BEGIN {printf "%.3f", a / b}')
    ratios+=("$q")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$r" "$ra" "$ca" "$rb" "$cb" "$q"
  done
  echo
  echo "median ratio of requests/s over $ROUNDS rounds: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')"
fi

kill "$spid" "$bare" "$req" "$bare_text" "$req_text" 2>/dev/null || true
[ -n "${ONLY:-}" ] && exit 0
go run ./internal/genpolicy -o "$work/gen" -editions 100 >/dev/null
"$BIN" serve --addr 127.0.0.1:18083 --policies "$work/gen" --db "$work/consents2.db" >/dev/null 2>&1 &
pid=$!
# Loading builds every page and PDF of 100 editions: about 25 s here.
for _ in $(seq 1 600); do curl -sf http://127.0.0.1:18083/readyz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:18083/readyz >/dev/null || { echo "serve with 100 editions was not ready after 2 min" >&2; exit 1; }
curl -s 'http://127.0.0.1:18083/v1/policies/generated/current?lang=kk' >/dev/null
echo
echo "resident memory with 100 generated editions (2 languages, 60 clauses each, every page, PDF and API document in memory): $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
