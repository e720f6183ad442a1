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
. bench/serve_common.sh
bench_setup bench_http_load
# No library (a database path that does not exist): classify answers from inline metadata.
start_server --db "$tmp/none/zotero.sqlite"

machine_line
echo "server: $build/connector/sieve serve --port 0 (port $port), corpus: $corpus/validation.jsonl"
"$build/bench/bench_http_load" "$port" "$tmp/state/token" "$corpus/validation.jsonl" \
  "$connections" "$rate" "$seconds"
ps -o rss=,time= -p "$server" | awk '{print "server after the run: RSS " $1 " KB, CPU time " $2}'
