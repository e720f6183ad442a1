#!/usr/bin/env bash
# Benchmark of the Zotero reader: builds a synthetic 100,000-item library in a temp dir, then times
# `sieve library --format jsonl` twice: cold (snapshot copy + quick_check + read) and warm (the
# snapshot is reused). Bar: <= 3 s wall and <= 300 MB peak RSS, snapshot included.
# usage: bench/bench_library.sh [ITEMS] [--vacuum]   (release build in build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SIEVE_SHARED:-$root/../shared}
items=${1:-100000}
vacuum=${2:-}
build=$root/build/release

(cd "$root" && cmake --preset release >/dev/null &&
  cmake --build build/release --target sieve bench_make_library >/dev/null)

work=$(mktemp -d "${TMPDIR:-/tmp}/sieve-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/Zotero/zotero.sqlite
"$build/bench/bench_make_library" "$shared/zotero-libraries/zotero7-schema123-imaging.sqlite" \
  "$db" "$items" "$shared"/corpus/train.jsonl "$shared"/corpus/validation.jsonl
if [[ $vacuum == --vacuum ]]; then sqlite3 "$db" VACUUM; fi
touch -d '1 hour ago' "$db" # a library Zotero is not writing right now
echo "library: $(du -m "$db" | cut -f1) MB, $(sqlite3 "file:$db?immutable=1" \
  'SELECT count(*) FROM items') item rows"

run() {
  /usr/bin/time -v "$build/connector/sieve" library --db "$db" --format jsonl \
    --snapshot-dir "$work/cache" 2>"$work/time.txt" >"$work/out.jsonl"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}')
  echo "$1: wall $wall, peak RSS $((rss / 1024)) MB, $(wc -l <"$work/out.jsonl") items printed"
}
sync
run "cold (copy + quick_check + read)"
run "warm (snapshot reused)"
echo "machine: $(nproc) CPUs, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
