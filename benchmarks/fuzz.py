"""The fuzz job: every test marked ``fuzz`` run with many cases, its figures recorded.

    python benchmarks/fuzz.py CASES [--seed S] [--out benchmarks/results/fuzz.json] [-- PYTEST-ARGS...]

Runs ``python -m pytest -m fuzz`` under the hypothesis profile ``fuzz`` (tests/conftest.py) with
``KG_FUZZ_EXAMPLES=CASES``: each property test marked ``fuzz`` — article text, file names, decoding,
HTTP requests, whoever wrote it — tries up to CASES cases. Records in the JSON file: the exact
command, the pytest command and environment it ran, the cases each test ran (hypothesis' statistics:
passing, failing, invalid per phase), each test's outcome and the first lines of a failure
(hypothesis' falsifying example and the assertion), the time taken, versions and machine. Exits
with pytest's code: non-zero when a case failed. CI runs the same tests with the default 100 cases.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hypothesis", "pytest", "pyoxigraph", "rdflib", "networkx", "spacy")

# hypothesis' --hypothesis-show-statistics: a "path::test:" header, then per phase
# "- N passing examples, M failing examples, K invalid examples"
_HEADER = re.compile(r"^(\S+::\S+):$")
_COUNTS = re.compile(r"- (\d+) passing examples?, (\d+) failing examples?, (\d+) invalid examples?")
_STOPPED = re.compile(r"- Stopped because (.+)$")


def statistics(output: str) -> dict[str, dict]:
    """Cases per test from pytest's output with ``--hypothesis-show-statistics``."""
    tests: dict[str, dict] = {}
    current = None
    for line in output.splitlines():
        line = line.strip()
        header = _HEADER.match(line)
        if header:
            current = tests.setdefault(header.group(1), {"passing": 0, "failing": 0, "invalid": 0,
                                                         "stopped_because": None})
            continue
        if current is None:
            continue
        counts = _COUNTS.search(line)
        if counts:
            for key, n in zip(("passing", "failing", "invalid"), counts.groups()):
                current[key] += int(n)
        stopped = _STOPPED.search(line)
        if stopped:
            current["stopped_because"] = stopped.group(1)
    for t in tests.values():
        t["cases"] = t["passing"] + t["failing"]
    return tests


def outcomes(junit: Path) -> dict[str, dict]:
    """Each test's outcome, time and the head of its failure, from pytest's JUnit XML."""
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        name = f"{path}::{case.get('name')}"
        problem = next((c for c in case if c.tag in ("failure", "error")), None)
        skipped = next((c for c in case if c.tag == "skipped"), None)
        outcome = problem.tag if problem is not None else "skipped" if skipped is not None else "passed"
        entry = {"outcome": outcome, "seconds": round(float(case.get("time", 0)), 2)}
        if problem is not None:
            text = problem.text or problem.get("message", "")
            lines = [ln for ln in text.splitlines() if "Falsifying" in ln or ln.startswith("E ")]
            entry["failure"] = (lines or text.splitlines() or [""])[:12]
        out[name] = entry
    return out


def versions() -> dict[str, str | None]:
    found = {}
    for pkg in PACKAGES:
        try:
            found[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            found[pkg] = None
    try:
        found["kg-builder (git)"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                                   capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found["kg-builder (git)"] = None
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", type=int, help="cases each fuzz test tries (hypothesis max_examples)")
    ap.add_argument("--seed", type=int, help="hypothesis' random seed (default: a new one each run)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "fuzz.json"))
    ap.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    args = ap.parse_args(argv)

    env = {"HYPOTHESIS_PROFILE": "fuzz", "KG_FUZZ_EXAMPLES": str(args.cases)}
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp, "junit.xml")
        pytest = [sys.executable, "-m", "pytest", "-m", "fuzz", "-p", "no:cacheprovider", "-q",
                  "--hypothesis-show-statistics", f"--junitxml={junit}", "-W", "ignore::DeprecationWarning"]
        if args.seed is not None:
            pytest.append(f"--hypothesis-seed={args.seed}")
        pytest += args.pytest_args
        started = time.monotonic()
        done = subprocess.run(pytest, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
        seconds = time.monotonic() - started
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        ran = outcomes(junit) if junit.exists() else {}
    cases = statistics(done.stdout)
    tests = {name: {**ran.get(name, {}), **cases.get(name, {})} for name in sorted(set(ran) | set(cases))}
    result = {
        "command": "python benchmarks/fuzz.py " + " ".join(argv),
        "pytest": " ".join(["python", *pytest[1:]]).replace(str(junit), "JUNIT.xml"),
        "environment": env,
        "cases_per_test": args.cases,
        "cases": sum(t.get("cases", 0) for t in tests.values()),
        "tests": tests,
        "failures": sorted(n for n, t in tests.items() if t.get("outcome") in ("failure", "error")
                           or t.get("failing")),
        "exit_code": done.returncode,
        "seconds": round(seconds, 1),
        "versions": versions(),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{result['cases']:,} cases in {len(tests)} tests, {len(result['failures'])} failing, "
          f"{seconds:.0f} s: {args.out}", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
