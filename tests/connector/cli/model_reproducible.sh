#!/bin/sh
# Retrains the model from the shared corpus and checks it is byte-identical to the committed one.
# Usage: model_reproducible.sh <sieve binary> <shared dir> <source dir>
set -eu
sieve=$1 shared=$2 source=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$sieve" train --input "$shared/corpus/train.jsonl" --input "$shared/corpus/judged.jsonl" \
    --input "$shared/corpus/judged-2.jsonl" --out "$tmp/sieve-model.txt"
if ! cmp "$tmp/sieve-model.txt" "$source/data/model/sieve-model.txt"; then
    echo "retrained model differs from data/model/sieve-model.txt:" >&2
    head -2 "$tmp/sieve-model.txt" "$source/data/model/sieve-model.txt" >&2
    exit 1
fi
echo "model reproducible: $(sed -n 2p "$tmp/sieve-model.txt")"
