#!/usr/bin/env bash
# Soak: `sieve serve` (release build) under bench_http_load's load (200 keep-alive connections,
# POST /v1/classify, one inline corpus paper per request, 1,000 requests/s) for SECONDS (default
# 600). The server's RSS is sampled every 10 s. Bar: RSS growth < 10 % from the first sample after
# the warm-up minute to the end, and 0 errors. Results: docs/benchmarks.md, "Soak".
# usage: bench/bench_soak.sh [seconds=600] [rate=1000] [connections=200]
#   SIEVE_BENCH_BUILD: build directory (default build/release, configured by the `release` preset)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
rate=${2:-1000}
connections=${3:-200}
corpus=${SIEVE_SHARED:-../shared}/corpus
. bench/serve_common.sh
bench_setup bench_http_load
start_server --db "$tmp/none/zotero.sqlite"

machine_line
"$build/bench/bench_http_load" "$port" "$tmp/state/token" "$corpus/validation.jsonl" \
  "$connections" "$rate" "$seconds" > "$tmp/load.txt" 2>&1 &
load=$!
rss() { ps -o rss= -p "$server" | tr -d ' '; }
start=$(date +%s)
samples=()
while kill -0 "$load" 2>/dev/null; do
  sleep 10
  now=$(( $(date +%s) - start ))
  r=$(rss)
  samples+=("$now:$r")
  echo "t=${now}s RSS ${r} KB"
done
wait "$load" || true
cat "$tmp/load.txt"
base=
for s in "${samples[@]}"; do
  t=${s%%:*}; r=${s##*:}
  if [ -z "$base" ] && [ "$t" -ge 60 ]; then base=$r; fi
done
last=${samples[-1]##*:}
[ -n "$base" ] || base=${samples[0]##*:}
awk -v b="$base" -v l="$last" 'BEGIN { printf "RSS after warm-up %d KB, at the end %d KB: growth %.2f %%\n", b, l, (l - b) * 100 / b }'
ps -o rss=,time= -p "$server" | awk '{print "server after the run: RSS " $1 " KB, CPU time " $2}'
