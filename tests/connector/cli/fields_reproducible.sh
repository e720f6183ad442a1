#!/bin/sh
# Retrains the notes' field heads from the shared corpus and checks they are byte-identical to
# the committed data/model/sieve-fields.txt.
# Usage: fields_reproducible.sh <sieve binary> <shared dir> <source dir>
set -eu
sieve=$1 shared=$2 source=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$sieve" train --input "$shared/corpus/train.jsonl" --input "$shared/corpus/judged-2.jsonl" \
    --fields --out "$tmp/sieve-fields.txt"
if ! cmp "$tmp/sieve-fields.txt" "$source/data/model/sieve-fields.txt"; then
    echo "retrained field heads differ from data/model/sieve-fields.txt:" >&2
    head -2 "$tmp/sieve-fields.txt" "$source/data/model/sieve-fields.txt" >&2
    exit 1
fi
echo "fields reproducible: $(sed -n 2p "$tmp/sieve-fields.txt")"
