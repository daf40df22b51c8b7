#!/usr/bin/env bash
# Measure ZWNJ (half-space) repair on the UD Persian *test* files and record the result.
# usage: benchmarks/run_zwnj.sh   (from anywhere; needs the project installed or importable)
# Writes benchmarks/results/zwnj.json: for the "joined" (میکنند) and "spaced" (می کنند)
# damage variants, the share of gold ZWNJs restored and the share of other letter
# boundaries damaged. The lexicon is built from the dev files only (build_zwnj_lexicon.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
[ -d "$SHARED/corpora" ] || SHARED=/work/shared
mkdir -p "$ROOT/benchmarks/results"
cd "$ROOT"
PY="${PYTHON:-python}"
"$PY" "$SHARED/eval/zwnj.py" --cmd "$PY -m kg_builder.text.zwnj" \
    "$SHARED"/corpora/ud-persian/*-test.conllu | tee "$ROOT/benchmarks/results/zwnj.json"
