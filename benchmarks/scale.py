#!/usr/bin/env python3
"""Throughput and memory of whole builds at 1k, 10k and 100k articles, with the floors of the same corpus.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--jobs-compare 1000] [--out benchmarks/results/scale.json]

The corpus is real articles (../shared/real-dev when present, else the project's own articles)
copied under distinct names up to each size. In the same run, on the same corpus and cores:
  * floors: reading the files, spaCy's blank("fa") tokenisation, hazm's Normalizer (one core each);
  * `kg-builder build DIR -o OUT.nq` end to end as a separate process with -j 2 at every size,
    and -j 1 against -j 2 at --jobs-compare articles: wall time, articles per second, and the peak
    memory (max RSS) of the largest single process.
Results go to --out as JSON (and are printed). Timings are never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sources() -> list[Path]:
    real = ROOT.parent / "shared" / "real-dev"
    found = sorted(real.glob("*.txt")) if real.is_dir() else []
    return found or sorted((ROOT / "tests" / "articles").glob("*.txt")) + sorted((ROOT / "examples" / "articles").glob("*.txt"))


def corpus(folder: Path, size: int, originals: list[Path]) -> None:
    """``size`` articles in ``folder``, the originals copied round robin under distinct names."""
    folder.mkdir(parents=True, exist_ok=True)
    have = len(list(folder.glob("*.txt")))
    for i in range(have, size):
        src = originals[i % len(originals)]
        shutil.copyfile(src, folder / f"{i:06d}_{src.name}")


def floors(folder: Path) -> dict:
    files = sorted(folder.glob("*.txt"))
    t = time.perf_counter()
    texts = [f.read_text(encoding="utf-8") for f in files]
    read = time.perf_counter() - t
    import spacy

    nlp = spacy.blank("fa")
    t = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    tokenise = time.perf_counter() - t
    from hazm import Normalizer

    normalizer = Normalizer()
    t = time.perf_counter()
    for text in texts:
        normalizer.normalize(text)
    hazm = time.perf_counter() - t
    n = len(files)
    return {"articles": n, "read_articles_per_second": round(n / read),
            "spacy_blank_fa_tokenise_articles_per_second": round(n / tokenise),
            "hazm_normalizer_articles_per_second": round(n / hazm)}


def build(folder: Path, out: Path, jobs: int) -> dict:
    """One whole build in a child process: wall seconds and the peak RSS of its largest process."""
    cmd = [sys.executable, "-m", "kg_builder", "build", str(folder), "-o", str(out), "-q", "-j", str(jobs)]
    # a wrapper process whose only descendants are this build's, so that its children's peak RSS
    # (the largest single process, Linux's ru_maxrss) is this build's alone
    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r)")
    env = {**os.environ, "CI": "1"}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak = int(proc.stderr.strip().splitlines()[-1])
    n = len(list(folder.glob("*.txt")))
    return {"articles": n, "jobs": jobs, "wall_seconds": round(wall, 2), "articles_per_second": round(n / wall, 1),
            "peak_rss_mb": round(peak / 1024, 1), "output_bytes": out.stat().st_size}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--jobs-compare", type=int, default=1000, help="size at which -j 1 and -j 2 are compared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale.json")
    ap.add_argument("--work", type=Path, help="folder for the corpus and outputs (default: a temporary one)")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    originals = sources()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()},
              "corpus": {"originals": len(originals), "from": str(originals[0].parent.name),
                         "mean_bytes": round(sum(f.stat().st_size for f in originals) / len(originals))},
              "floors": {}, "builds": []}
    try:
        for size in sizes:  # each size its own folder: a build walks a whole folder
            folder = work / f"articles-{size}"
            corpus(folder, size, originals)
            if size == sizes[0]:
                result["floors"] = floors(folder)
            jobs = (1, 2) if size == args.jobs_compare else (2,)
            for j in jobs:
                run = build(folder, work / f"out-{size}-{j}.nq", j)
                result["builds"].append(run)
                print(json.dumps(run), flush=True)
            (work / f"out-{size}-2.nq").unlink(missing_ok=True)
        pair = {b["jobs"]: b["articles_per_second"] for b in result["builds"] if b["articles"] == args.jobs_compare}
        if 1 in pair and 2 in pair:
            result["speedup_j2_over_j1"] = round(pair[2] / pair[1], 2)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
