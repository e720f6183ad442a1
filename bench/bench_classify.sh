#!/usr/bin/env bash
# Classifier speed and memory (issue "Explainable judgments"): throughput of `sieve classify`
# on 100,000 papers (JSON in and out), one-paper latency, model + criteria load time, peak RSS.
# usage: bench/bench_classify.sh   (release build in build/release; data from ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${SIEVE_SHARED:-../shared}/corpus
cmake --preset release >/dev/null
cmake --build --preset release --target sieve bench_judge >/dev/null
bin=build/release/connector/sieve
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 100,000 papers: the corpus repeated (never committed).
: > "$tmp/big.jsonl"
while [ "$(wc -l < "$tmp/big.jsonl")" -lt 100000 ]; do
  cat "$corpus/train.jsonl" "$corpus/validation.jsonl" >> "$tmp/big.jsonl"
done
head -n 100000 "$tmp/big.jsonl" > "$tmp/100k.jsonl"

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
  /usr/bin/time -f "classify 100,000 papers: %e s wall, %U s user, peak RSS %M KB" \
    "$bin" classify --input "$tmp/100k.jsonl" > "$tmp/out.jsonl"
done
echo "output lines: $(wc -l < "$tmp/out.jsonl")"
: > "$tmp/empty.jsonl"
/usr/bin/time -f "process start + model/criteria load, no input: %e s wall, peak RSS %M KB" \
  "$bin" classify --input "$tmp/empty.jsonl"
build/release/bench/bench_judge "$corpus/validation.jsonl"
