#!/usr/bin/env bash
# Benchmark of `sieve report` on a large library (docs/benchmarks.md, "Report"): a bulk job of
# `sieve serve` judges the library into a state store (as the extension's "Retag library" does),
# the server stops, then `sieve report --db LIBRARY --state-dir STATE --out FILE` is timed ROUNDS
# times with /usr/bin/time: warm (the snapshot of the library reused) and cold (a new snapshot
# directory: copy + quick_check first); then once without the state store (every item judged
# for the report). Prints wall time, CPU time, peak RSS and the page's size.
# Bar (issue 16): 100,000 items -> report in <= 3 s, a file <= 5 MB.
# usage: LIBRARY=<zotero.sqlite> bench/bench_report.sh   (e.g. <build>/report/big/zotero.sqlite,
#        made by the ctest report.page_100k; without LIBRARY a 100,000-item library is generated
#        with bench_make_library, about 6 minutes)
# env: ROUNDS (default 3), SIEVE_BENCH_BUILD (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SIEVE_SHARED:-../shared}
rounds=${ROUNDS:-3}
. bench/serve_common.sh
bench_setup bench_make_library
db=${LIBRARY:-$tmp/Zotero/zotero.sqlite}
if [ -z "${LIBRARY:-}" ]; then
  "$build/bench/bench_make_library" "$shared/zotero-libraries/zotero7-schema123-imaging.sqlite" \
    "$db" 100000 "$shared/corpus/train.jsonl" "$shared/corpus/validation.jsonl"
fi
export XDG_CACHE_HOME=$tmp/cache
call() { curl -sf -H "Authorization: Bearer $token" "$@"; }

machine_line
start_server --db "$db"
token=$(cat "$tmp/state/token")
id=$(call -X POST -d '{"scope":"library"}' "http://127.0.0.1:$port/v1/jobs" |
  sed 's/^{"id":"\([0-9]*\)".*/\1/')
t0=$(date +%s)
until call "http://127.0.0.1:$port/v1/jobs/$id" | grep -q '"state":"done"'; do sleep 1; done
echo "bulk job: $(($(date +%s) - t0)) s"
kill "$server"; wait "$server" || true; server=

run() { # label, extra arguments
  local label=$1; shift
  /usr/bin/time -v "$build/connector/sieve" report --db "$db" --out "$tmp/report.html" "$@" \
    >"$tmp/out.txt" 2>"$tmp/time.txt"
  local wall user sys rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
  echo "$label: wall $wall, CPU ${user}+${sys} s, peak RSS $((rss / 1024)) MB," \
    "page $(stat -c %s "$tmp/report.html") bytes, load $(cut -d' ' -f1 /proc/loadavg); $(cat "$tmp/out.txt")"
}
run "first (snapshot copied)" --state-dir "$tmp/state"
for ((r = 1; r <= rounds; r++)); do
  run "round $r warm (snapshot reused)" --state-dir "$tmp/state"
done
for ((r = 1; r <= rounds; r++)); do
  run "round $r cold (new snapshot)" --state-dir "$tmp/state" --snapshot-dir "$tmp/snap$r"
  rm -rf "$tmp/snap$r"
done
run "no state store (every item judged now)" --state-dir "$tmp/none"
machine_line
