#!/usr/bin/env bash
# Measure ZWNJ (half-space) repair on the UD Persian *test* files and record the result.
# usage: benchmarks/run_zwnj.sh   (from anywhere; needs the project installed or importable)
# Writes benchmarks/results/zwnj.json: for the "joined" (میکنند) and "spaced" (می کنند)
# damage variants, the share of gold ZWNJs restored and the share of other letter
# boundaries damaged (shared/eval/zwnj.py), and under "speed" the time to load the resources
# and to repair the spaced variant once with empty caches (every word unseen the first time).
# The resources are built from the dev files only (build_zwnj_lexicon.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared}"
[ -d "$SHARED/corpora" ] || SHARED=/work/shared
mkdir -p "$ROOT/benchmarks/results"
cd "$ROOT"
PY="${PYTHON:-python}"
OUT="$ROOT/benchmarks/results/zwnj.json"
"$PY" "$SHARED/eval/zwnj.py" --cmd "$PY -m kg_builder normalize --zwnj-only" \
    "$SHARED"/corpora/ud-persian/*-test.conllu > "$OUT.tmp"
"$PY" - "$OUT.tmp" "$SHARED"/corpora/ud-persian/*-test.conllu <<'PYEOF'
import json, re, sys, time
out = json.load(open(sys.argv[1], encoding="utf-8"))
lines = [l[9:].strip().replace("\u200c", " ") for f in sys.argv[2:]
         for l in open(f, encoding="utf-8") if l.startswith("# text = ")]
words = sum(len(re.findall(r"\S+", l)) for l in lines)
t0 = time.perf_counter()
from kg_builder.text import zwnj
zwnj._lexicon(), zwnj._model()
t1 = time.perf_counter()
for line in lines:
    zwnj.repair(line)
t2 = time.perf_counter()
out["speed"] = {"load_seconds": round(t1 - t0, 2), "sentences": len(lines), "words": words,
                "repair_seconds": round(t2 - t1, 2), "words_per_second": round(words / (t2 - t1))}
json.dump(out, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
PYEOF
mv "$OUT.tmp" "$OUT"
cat "$OUT"; echo
