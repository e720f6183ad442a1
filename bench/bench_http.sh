#!/usr/bin/env bash
# HTTP server latency under load: `sieve serve` (release build) on loopback, 200 keep-alive
# connections sending POST /v1/classify (one inline corpus paper per request) at 1,000 requests/s
# in aggregate for 30 s (bench/http_load.cpp). Bar: p50 <= 2 ms, p99 <= 10 ms, 0 errors, all 200
# connections held. Results: docs/benchmarks.md, "HTTP server".
# usage: bench/bench_http.sh [connections=200] [rate=1000] [seconds=30]
#   SIEVE_BENCH_BUILD: build directory (default build/release, configured by the `release` preset)
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-200}
rate=${2:-1000}
seconds=${3:-30}
corpus=${SIEVE_SHARED:-../shared}/corpus
build=${SIEVE_BENCH_BUILD:-build/release}
if [ "$build" = build/release ]; then
  cmake --preset release >/dev/null
fi
cmake --build "$build" --target sieve bench_http_load >/dev/null
tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# No library (a database path that does not exist): classify answers from inline metadata.
"$build/connector/sieve" serve --port 0 --state-dir "$tmp/state" --db "$tmp/none/zotero.sqlite" \
  > "$tmp/serve.log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's|^listening: http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "sieve serve did not start:" >&2
  cat "$tmp/serve.log" >&2
  exit 1
fi

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); uptime: $(uptime)"
echo "server: $build/connector/sieve serve --port 0 (port $port), corpus: $corpus/validation.jsonl"
"$build/bench/bench_http_load" "$port" "$tmp/state/token" "$corpus/validation.jsonl" \
  "$connections" "$rate" "$seconds"
ps -o rss=,time= -p "$server" | awk '{print "server after the run: RSS " $1 " KB, CPU time " $2}'
