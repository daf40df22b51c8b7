#!/usr/bin/env python3
"""Kill store writes at random points and check the store is always a complete old or new state.

    python benchmarks/interrupts.py [--articles 200] [--trials 40] [--seed 1] [--out benchmarks/results/interrupts.json]

A store is built from ``--articles`` real articles (../shared/real-dev copied under distinct names,
else the project's own articles). The inputs are then changed (some files deleted, some edited,
some added) and ``kg-builder build DIR --store S`` is started on a copy of the store and sent
SIGKILL (three times in four) or SIGINT at a random moment of its run (half of them in the last
fifth of an uninterrupted run's time, where the store is written); ``kg-builder remove`` is
treated the same way. After each, the store must equal either the state before (old) or a clean
build of the new inputs (new), and the next build must bring it to the new state and leave no
working copy behind. Results go to --out as JSON (and are printed).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from helpers import interrupted_run, snapshot  # noqa: E402
from scale import corpus, sources  # noqa: E402


def kg_builder(*argv: str) -> int:
    return subprocess.run([sys.executable, "-m", "kg_builder", *argv, "-q"], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def leftovers(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if ".kg-builder-" in p.name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--trials", type=int, default=40, help="interrupted builds (and a quarter as many removes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "interrupts.json"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kg-interrupts-"))
    try:
        inputs = work / "in"
        corpus(inputs, args.articles, sources())
        start, clean, removed = work / "start", work / "clean", work / "removed"
        assert kg_builder("build", str(inputs), "--store", str(start)) == 0
        old = snapshot(start)
        files = sorted(inputs.glob("*.txt"))
        for f in files[: len(files) // 10]:
            f.unlink()
        for a, b in zip(files[len(files) // 10: len(files) // 5], files[-len(files) // 10:]):
            a.write_bytes(b.read_bytes())
        corpus(inputs, args.articles + args.articles // 4, sources())
        assert kg_builder("build", str(inputs), "--store", str(clean)) == 0
        new = snapshot(clean)
        gone = [f.name for f in files[len(files) // 5: len(files) // 5 + 20]]
        assert kg_builder("remove", *gone, "--store", str(shutil.copytree(start, removed))) == 0
        after_remove = snapshot(removed)
        store = work / "store"
        # the shortest of three uninterrupted runs of each: the span the interrupts are spread over
        build_seconds = remove_seconds = float("inf")
        for _ in range(3):
            t0 = time.monotonic()
            assert interrupted_run(store, ["build", str(inputs)], start, 3600, signal.SIGKILL) == (new, 0)
            build_seconds = min(build_seconds, time.monotonic() - t0)
            t0 = time.monotonic()
            assert interrupted_run(store, ["remove", *gone], start, 3600, signal.SIGKILL) == (after_remove, 0)
            remove_seconds = min(remove_seconds, time.monotonic() - t0)
        results = {kind: {"old": 0, "new": 0, "other": 0, "interrupted": 0} for kind in ("build", "remove")}
        codes: dict[str, int] = {}
        recovered = failures = 0
        for i in range(args.trials + args.trials // 4):
            kind = "build" if i < args.trials else "remove"
            argv = ["build", str(inputs)] if kind == "build" else ["remove", *gone]
            seconds = build_seconds if kind == "build" else remove_seconds
            sig = signal.SIGINT if rng.random() < 0.25 else signal.SIGKILL
            # half the interrupts anywhere in the run, half in its last fifth, where the store is written
            delay = rng.uniform(0.05, seconds) if rng.random() < 0.5 else rng.uniform(0.8 * seconds, seconds)
            state, code = interrupted_run(store, argv, start, delay, sig)
            expected_new = new if kind == "build" else after_remove
            verdict = "old" if state == old else "new" if state == expected_new else "other"
            results[kind][verdict] += 1
            results[kind]["interrupted"] += code != 0  # the signal came before the command was done
            name = f"{signal.Signals(sig).name}->{code}"
            codes[name] = codes.get(name, 0) + 1
            if kind == "build":  # the next build finishes the job from whatever it finds
                ok = kg_builder("build", str(inputs), "--store", str(store)) == 0 and snapshot(store) == new \
                    and not leftovers(store)
                recovered += ok
                failures += not ok
            print(f"{kind:6} {signal.Signals(sig).name:7} after {delay:5.2f} s: {verdict} (exit {code})", flush=True)
        report = {
            "command": "python benchmarks/interrupts.py " + " ".join(sys.argv[1:]),
            "articles": args.articles, "seed": args.seed,
            "uninterrupted_build_seconds": round(build_seconds, 2),
            "uninterrupted_remove_seconds": round(remove_seconds, 2),
            "results": results, "exit_codes": codes,
            "interrupted_builds_recovered_by_next_build": recovered, "recovery_failures": failures,
            "states_neither_old_nor_new": results["build"]["other"] + results["remove"]["other"],
            "python": platform.python_version(), "machine": platform.machine(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
