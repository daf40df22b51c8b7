"""A bounded loopback load test of ``kg-builder serve``: requests/s, latency, errors and memory.

    python benchmarks/serve_load.py [--articles ../shared/seeds] [--requests 3000] [--concurrency 8]
                                    [--max-seconds 120] [--workers N] [--out benchmarks/results/serve_load.json]

The articles (by default the five samples in ../shared/seeds, else examples/articles) are built into
a TriG file, ``kg-builder serve`` is started on it (127.0.0.1, a free port, the server's default
limits unless given), and ``--concurrency`` client threads, each on its own kept-alive connection,
send the contract queries of examples/queries in turn (GET, SPARQL JSON) until ``--requests``
answers have come or ``--max-seconds`` have passed. Recorded: requests/s, latency percentiles
overall and per query, statuses and errors, and the resident memory of the server and its query
workers before the load, at its peak (sampled every 0.2 s) and after it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = ROOT.parent / "shared" / "seeds"


def rss_mb(pid: int) -> tuple[float, float]:
    """(the process's resident MB, its children's) from /proc; the workers are the server's children."""
    def one(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return round(one(pid), 1), round(sum(one(c) for c in children), 1)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default=str(DEFAULT_ARTICLES if DEFAULT_ARTICLES.is_dir() else ROOT / "examples" /
                                              "articles"))
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--workers", type=int, help="the server's --workers (default: the server's default)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "serve_load.json"))
    args = ap.parse_args()

    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "queries").glob("*.rq"))}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    with tempfile.TemporaryDirectory(prefix="kg-serve-load-") as tmp:
        graph = Path(tmp) / "kg.trig"
        subprocess.run([sys.executable, "-m", "kg_builder", "build", args.articles, "-o", str(graph), "-q"],
                       check=True, env=env)
        command = [sys.executable, "-m", "kg_builder", "serve", str(graph), "--port", "0", "-q"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        try:
            url = urlsplit(server.stdout.readline().split(" at ", 1)[1].split()[0])
            result = load(server.pid, url.hostname, url.port, queries, args)
        finally:
            server.terminate()
            server.wait(30)
    result.update({
        "command": " ".join(["python", "benchmarks/serve_load.py", *sys.argv[1:]]),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "articles": Path(args.articles).name, "requests_asked": args.requests, "concurrency": args.concurrency,
        "max_seconds": args.max_seconds, "server_workers": args.workers or "default",
        "load_average_after": [round(x, 2) for x in os.getloadavg()],  # other work on the machine skews the figures
    })
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("requests", "seconds", "requests_per_s", "latency_ms", "statuses",
                                             "errors", "rss_mb")}, indent=1))
    return 0 if not result["errors"] and set(result["statuses"]) == {"200"} else 1


def load(pid: int, host: str, port: int, queries: dict[str, str], args) -> dict:
    names = list(queries)
    paths = {n: "/sparql?" + urlencode({"query": q}) for n, q in queries.items()}
    lock = threading.Lock()
    issued = [0]
    samples: list[tuple[str, float, int]] = []  # (query, seconds, status)
    errors: Counter[str] = Counter()
    before = rss_mb(pid)
    load_before = [round(x, 2) for x in os.getloadavg()]
    peak = [before]
    done = threading.Event()
    deadline = time.monotonic() + args.max_seconds

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= args.requests:
                    break
                name = names[issued[0] % len(names)]
                issued[0] += 1
            started = time.perf_counter()
            try:
                conn.request("GET", paths[name], headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors[type(e).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                continue
            with lock:
                samples.append((name, time.perf_counter() - started, status))
        conn.close()

    def watch() -> None:
        while not done.wait(0.2):
            now = rss_mb(pid)
            if sum(now) > sum(peak[0]):
                peak[0] = now

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    clients = [threading.Thread(target=client) for _ in range(args.concurrency)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    after = rss_mb(pid)
    latencies = [s for _, s, _ in samples]

    def ms(values: list[float]) -> dict:
        return {"p50": round(percentile(values, 0.5) * 1000, 1), "p90": round(percentile(values, 0.9) * 1000, 1),
                "p99": round(percentile(values, 0.99) * 1000, 1), "max": round(max(values, default=0) * 1000, 1),
                "mean": round(statistics.fmean(values) * 1000, 1) if values else 0.0}

    per_query = {n: {"requests": len(v), **ms(v)} for n in names
                 if (v := [s for q, s, _ in samples if q == n])}
    return {
        "requests": len(samples), "seconds": round(seconds, 2), "load_average_before": load_before,
        "requests_per_s": round(len(samples) / seconds, 1) if seconds else 0.0,
        "latency_ms": ms(latencies), "per_query_latency_ms": per_query,
        "statuses": dict(sorted(Counter(str(s) for _, _, s in samples).items())), "errors": dict(errors),
        "rss_mb": {"before": {"server": before[0], "workers": before[1]},
                   "peak": {"server": peak[0][0], "workers": peak[0][1]},
                   "after": {"server": after[0], "workers": after[1]}},
    }


if __name__ == "__main__":
    sys.exit(main())
