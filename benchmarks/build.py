"""Throughput and memory of a build, per stage.

    python benchmarks/build.py [--copies 40] [--out benchmarks/results/build.json]

The sample articles are copied ``--copies`` times (under distinct file names) and
built; the time of each stage, articles per second, peak memory (max RSS) and the
time to write Turtle with pyoxigraph and with rdflib are written as JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "build.json"))
    args = ap.parse_args()

    from kg_builder.config import load
    from kg_builder.outputs.serialize import dumps
    from kg_builder.pipeline import STAGES
    from kg_builder.stages import rdf, read, validate
    from kg_builder.terms import to_graph

    config = load()
    t0 = time.perf_counter()
    from kg_builder.pipeline import process

    process(next((ROOT / "examples" / "articles").glob("*.txt")), config)  # lexicons, regexes
    warmup = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.copies):
            for f in sorted((ROOT / "examples" / "articles").glob("*.txt")):
                dst = Path(tmp) / f"{i:04d}_{f.name}"
                shutil.copy(f, dst)
                files.append(dst)
        times: dict[str, float] = defaultdict(float)
        docs = []
        for f in files:
            t = time.perf_counter()
            doc = read.run(f, config)
            times["read"] += time.perf_counter() - t
            for stage in STAGES:
                t = time.perf_counter()
                doc = stage(doc, config)
                times[stage.__module__.rsplit(".", 1)[-1]] += time.perf_counter() - t
            docs.append(doc)
        t = time.perf_counter()
        quads = rdf.run(docs)
        times["rdf"] = time.perf_counter() - t
        t = time.perf_counter()
        quads, _, report = validate.gate(quads)
        times["validate"] = time.perf_counter() - t
        t = time.perf_counter()
        data = dumps(quads)
        times["write_turtle_pyoxigraph"] = time.perf_counter() - t
        graph = to_graph(quads)
        t = time.perf_counter()
        graph.serialize(format="turtle")
        times["write_turtle_rdflib"] = time.perf_counter() - t

    per_doc = sum(times[k] for k in ("read", "clean", "mentions", "resolve"))
    result = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": __import__("os").cpu_count()},
        "articles": len(files),
        "triples": len(graph),
        "turtle_bytes": len(data),
        "conforms": report.conforms,
        "warmup_seconds": round(warmup, 3),
        "stage_seconds": {k: round(v, 3) for k, v in times.items()},
        "articles_per_second_extraction": round(len(files) / per_doc, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
