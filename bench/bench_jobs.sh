#!/usr/bin/env bash
# Bulk job over a large library: `sieve serve` (release build) on a synthetic library of ITEMS
# items (bench_make_library, from the real Zotero 7 library and the corpus), then
# POST /v1/jobs {"scope":"library"} and page the plan (limit 1000) as the extension does, from a
# fresh state store (nothing cached) and again with the judgments cached. Bar (100,000 items):
# first plan page <= 1 s, whole plan <= 10 s. The client reads full pages back to back and, once it
# has caught up with the job, asks again after PAUSE seconds (default 0.3). Results:
# docs/benchmarks.md, "Bulk jobs".
# usage: bench/bench_jobs.sh [ITEMS=100000]
#   LIBRARY: a zotero.sqlite made by an earlier bench_make_library run (reused, not rebuilt)
#   SIEVE_BENCH_BUILD: build directory (default build/release, configured by the `release` preset)
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-100000}
shared=${SIEVE_SHARED:-../shared}
. bench/serve_common.sh
bench_setup bench_make_library
db=${LIBRARY:-$tmp/Zotero/zotero.sqlite}
if [ -z "${LIBRARY:-}" ]; then
  "$build/bench/bench_make_library" "$shared/zotero-libraries/zotero7-schema123-imaging.sqlite" \
    "$db" "$items" "$shared/corpus/train.jsonl" "$shared/corpus/validation.jsonl"
fi
call() { curl -sf -H "Authorization: Bearer $token" "$@"; }

# Microseconds since the epoch (bash builtin: the client spawns as little as it can, to leave the
# two cores to the server).
now_us() { echo "${EPOCHREALTIME/./}"; }
secs() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); }

run_job() {
  local t0 first= cursor=0 pages=0 entries=0 end next n
  t0=$(now_us)
  call -o "$tmp/start.json" -X POST -d '{"scope":"library"}' "http://127.0.0.1:$port/v1/jobs"
  [[ $(<"$tmp/start.json") =~ ^\{\"id\":\"([0-9]+)\" ]] && id=${BASH_REMATCH[1]}
  while :; do # next_cursor and complete close each page: read its tail only
    call -o "$tmp/page.json" "http://127.0.0.1:$port/v1/jobs/$id/plan?cursor=$cursor&limit=1000"
    pages=$((pages + 1))
    end=$(tail -c 120 "$tmp/page.json")
    [[ $end =~ \"next_cursor\":\"([0-9]+)\" ]] && next=${BASH_REMATCH[1]}
    n=$((next - cursor))
    entries=$((entries + n))
    cursor=$next
    if [ -z "$first" ] && [ "$n" -gt 0 ]; then first=$(($(now_us) - t0)); fi
    [[ $end == *'"complete":true'* ]] && break
    [ "$n" -eq 1000 ] || sleep "${PAUSE:-0.3}" # caught up with the job: ask again shortly
  done
  echo "$1: first page $(secs "$first") s, whole plan $(secs $(($(now_us) - t0))) s," \
    "$entries entries in $pages requests"
  call "http://127.0.0.1:$port/v1/jobs/$id" | sed 's/"scope":{[^}]*},//; s/"topics":{[^}]*},//'
  echo
}

machine_line
t0=$(now_us)
start_server --db "$db"
token=$(cat "$tmp/state/token")
echo "server up in $(secs $(($(now_us) - t0))) s: $(grep '^library:' "$tmp/serve.log")"
run_job "fresh state store"
run_job "judgments cached"
grep "^job " "$tmp/serve.log" || true
ps -o rss=,time= -p "$server" | awk '{print "server after the runs: RSS " $1 " KB, CPU time " $2}'
