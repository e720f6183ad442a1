#!/usr/bin/env bash
# Benchmark of the Zotero reader: builds a synthetic 100,000-item library in a temp dir, then times
# `sieve library --format jsonl` in three situations, ROUNDS times each: cold (empty snapshot dir:
# copy + quick_check + read), changed (the source's mtime moved, an older snapshot exists: new copy,
# old one deleted) and warm (the snapshot is reused). Bar: <= 3 s wall and <= 300 MB peak RSS,
# snapshot included. Report the median of the rounds, with the load average printed alongside.
# usage: bench/bench_library.sh [ITEMS] [--vacuum]
# env: BUILD (default build/release, configured with the release preset), ROUNDS (default 3),
#      LIBRARY (a zotero.sqlite made by an earlier run's bench_make_library: reused, not rebuilt)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SIEVE_SHARED:-$root/../shared}
items=${1:-100000}
vacuum=${2:-}
build=${BUILD:-$root/build/release}
rounds=${ROUNDS:-3}

if [[ -z ${BUILD:-} ]]; then (cd "$root" && cmake --preset release >/dev/null); fi
cmake --build "$build" --target sieve bench_make_library >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/sieve-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
db=${LIBRARY:-$work/Zotero/zotero.sqlite}
if [[ -z ${LIBRARY:-} ]]; then
  "$build/bench/bench_make_library" "$shared/zotero-libraries/zotero7-schema123-imaging.sqlite" \
    "$db" "$items" "$shared"/corpus/train.jsonl "$shared"/corpus/validation.jsonl
  if [[ $vacuum == --vacuum ]]; then sqlite3 "$db" VACUUM; fi
fi
touch -d '1 hour ago' "$db" # a library Zotero is not writing right now
echo "library: $(du -m "$db" | cut -f1) MB, $(sqlite3 "file:$db?immutable=1" \
  'SELECT count(*) FROM items') item rows"

run() {
  /usr/bin/time -v "$build/connector/sieve" library --db "$db" --format jsonl \
    --snapshot-dir "$work/cache" 2>"$work/time.txt" >"$work/out.jsonl"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}')
  echo "$1: wall $wall, peak RSS $((rss / 1024)) MB, $(wc -l <"$work/out.jsonl") items printed," \
    "load $(cut -d' ' -f1 /proc/loadavg)"
}
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/cache"
  sync
  run "round $r cold (copy + quick_check + read)"
  touch -d "$r minutes ago" "$db"
  run "round $r changed (new copy, old one removed)"
  run "round $r warm (snapshot reused)"
done
echo "machine: $(nproc) CPUs, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
