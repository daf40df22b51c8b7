"""rdflib against pyoxigraph on the contract queries, over a graph of about a million triples.

    python benchmarks/query_engines.py [--triples 1000000] [--query-timeout 600] [--all] [--seed KG.ttl]
                                       [--out benchmarks/results/query_engines.json]

The sample articles are built once (or ``--seed`` names a graph built from them); their graph is replicated with renamed IRIs (every
``.../kg-builder/id/...`` IRI gets a copy prefix, every source file name too), so each copy is a
disjoint graph in the same vocabulary and every contract query answers per copy. The copies are
written as one N-Triples file; each engine loads that file (rdflib ``Graph.parse``, pyoxigraph
``Store.bulk_load`` in memory) and runs each query, all result rows drawn. A query still running
after ``--query-timeout`` seconds is stopped and recorded as a time-out (rdflib runs each query in
a forked child so it can be stopped). Row counts of the two engines are compared.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ["officials", "statistics", "provinces", "counties", "programs", "hotline", "articles", "provenance"]
ID = "https://w3id.org/kg-builder/id/"
SOURCE = "https://w3id.org/kg-builder/ontology#sourceFile> \""


def replicate(seed_lines: list[str], copies: int, path: Path) -> int:
    """Write ``copies`` renamed copies of the seed N-Triples lines to ``path``; returns triples written."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(copies):
            tag = f"c{i:04d}"
            chunk = "".join(line.replace(ID, f"{ID}{tag}/").replace(SOURCE, f"{SOURCE}{tag}_") for line in seed_lines)
            out.write(chunk)
            n += len(seed_lines)
    return n


def _rdflib_child(graph, text: str, conn) -> None:
    t = time.perf_counter()
    rows = sum(1 for _ in graph.query(text))
    conn.send((time.perf_counter() - t, rows))


def run_rdflib(path: Path, queries: dict[str, str], limit: float) -> dict:
    from rdflib import Graph

    t = time.perf_counter()
    graph = Graph()
    graph.parse(str(path), format="nt")
    load = time.perf_counter() - t
    print(f"rdflib: loaded {len(graph)} triples in {load:.1f} s", flush=True)
    ctx = multiprocessing.get_context("fork")  # the child shares the loaded graph
    out = {"load_s": round(load, 3), "queries": {}}
    for name, text in queries.items():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_child, args=(graph, text, child))
        proc.start()
        child.close()
        if parent.poll(limit):
            seconds, rows = parent.recv()
            out["queries"][name] = {"seconds": round(seconds, 4), "rows": rows}
        else:
            out["queries"][name] = {"seconds": None, "rows": None, "timeout_s": limit}
        proc.kill()
        proc.join()
        print(f"rdflib: {name}: {out['queries'][name]}", flush=True)
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    del graph
    gc.collect()
    return out


def _oxigraph_child(path: str, queries: dict[str, str], conn) -> None:
    import pyoxigraph as ox

    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
    out = {"load_s": round(time.perf_counter() - t, 3), "triples": len(store), "queries": {}}
    conn.send(("load", out["load_s"], out["triples"]))
    for name, text in queries.items():
        t = time.perf_counter()
        res = store.query(text, use_default_graph_as_union=True)
        rows = sum(1 for s in res for _ in [tuple(s)])  # every solution drawn and its terms read
        conn.send(("query", name, round(time.perf_counter() - t, 4), rows))
    conn.send(("done", round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)))


def run_pyoxigraph(path: Path, queries: dict[str, str], limit: float) -> dict:
    """In a child process (its own memory figure; a query over the limit is stopped)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_oxigraph_child, args=(str(path), queries, child))
    proc.start()
    child.close()
    out = {"queries": {}}
    pending = list(queries)
    try:
        while True:
            if not parent.poll(limit):
                for name in pending:
                    out["queries"][name] = {"seconds": None, "rows": None, "timeout_s": limit}
                break
            msg = parent.recv()
            if msg[0] == "load":
                out["load_s"], out["triples"] = msg[1], msg[2]
                print(f"pyoxigraph: loaded {msg[2]} triples in {msg[1]:.1f} s", flush=True)
            elif msg[0] == "query":
                out["queries"][msg[1]] = {"seconds": msg[2], "rows": msg[3]}
                pending.remove(msg[1])
                print(f"pyoxigraph: {msg[1]}: {out['queries'][msg[1]]}", flush=True)
            else:
                out["max_rss_mb"] = msg[1]
                break
    finally:
        proc.kill()
        proc.join()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about this many triples (default: %(default)s)")
    ap.add_argument("--query-timeout", type=float, default=600, metavar="SECONDS")
    ap.add_argument("--all", action="store_true", help="every query in examples/queries, not only the contract ones")
    ap.add_argument("--seed", metavar="KG", help="a graph file built from the sample articles (default: build it)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "query_engines.json"))
    args = ap.parse_args()

    import pyoxigraph as ox

    from kg_builder import build
    from kg_builder.outputs.serialize import to_ox

    names = sorted(p.stem for p in (ROOT / "examples" / "queries").glob("*.rq")) if args.all else CONTRACT
    queries = {n: (ROOT / "examples" / "queries" / f"{n}.rq").read_text(encoding="utf-8") for n in names}
    if args.seed:
        from kg_builder.outputs.serialize import FORMATS, SUFFIXES

        fmt = FORMATS[SUFFIXES.get(Path(args.seed).suffix.lower(), "turtle")]
        seed_triples = sorted({q.triple for q in ox.parse(path=args.seed, format=fmt)}, key=str)
    else:
        seed_triples = [ox.Triple(*map(to_ox, t)) for t in build([str(ROOT / "examples" / "articles")]).graph]
    if not seed_triples:
        raise SystemExit("the seed graph is empty")
    seed_nt = ox.serialize(seed_triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    seed_lines = seed_nt.splitlines(keepends=True)
    assert not any("_:" in line.split(" ", 1)[0] for line in seed_lines), "blank nodes would need renaming too"
    copies = max(1, round(args.triples / len(seed_lines)))

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        path = Path(tmp) / "replicated.nt"
        t = time.perf_counter()
        n = replicate(seed_lines, copies, path)
        print(f"{copies} copies of the seeds' {len(seed_lines)} triples: {n} triples, "
              f"{path.stat().st_size / 1e6:.0f} MB N-Triples, written in {time.perf_counter() - t:.1f} s", flush=True)
        oxi = run_pyoxigraph(path, queries, args.query_timeout)
        rdf = run_rdflib(path, queries, args.query_timeout)
        size = path.stat().st_size

    table = {}
    for name in queries:
        r, o = rdf["queries"].get(name, {}), oxi["queries"].get(name, {})
        rs, os_ = r.get("seconds"), o.get("seconds")
        table[name] = {
            "rows": o.get("rows"), "rows_agree": r.get("rows") == o.get("rows") if None not in (
                r.get("rows"), o.get("rows")) else None,
            "rdflib_s": rs, "pyoxigraph_s": os_,
            "speedup": round(rs / max(os_, 1e-4), 1) if rs is not None and os_ is not None else None,
        }
    result = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": {"rdflib": __import__("rdflib").__version__, "pyoxigraph": ox.__version__},
        "seed": "a graph file built from examples/articles" if args.seed else "built from examples/articles",
        "seed_triples": len(seed_lines), "copies": copies, "triples": n, "distinct_triples": oxi.get("triples"),
        "ntriples_bytes": size,
        "query_timeout_s": args.query_timeout,
        "load_s": {"rdflib": rdf["load_s"], "pyoxigraph": oxi.get("load_s")},
        "max_rss_mb": {"rdflib": rdf.get("max_rss_mb"), "pyoxigraph": oxi.get("max_rss_mb")},
        "queries": table,
        "total_s": {
            "rdflib_load_plus_queries": round(rdf["load_s"] + sum(v["rdflib_s"] or 0 for v in table.values()), 2),
            "pyoxigraph_load_plus_queries": round((oxi.get("load_s") or 0) +
                                                  sum(v["pyoxigraph_s"] or 0 for v in table.values()), 2),
            "note": "a query over query_timeout_s counts 0 s here, so a total with time-outs is a lower bound",
        },
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

    def fmt(v) -> str:
        return "time-out" if v is None else f"{v:.4f}" if v < 1 else f"{v:.2f}"

    print(f"\n{n} triples ({copies} copies of the seeds); times in seconds")
    print(f"{'':<12} {'rows':>8} {'rdflib':>10} {'pyoxigraph':>11} {'speed-up':>9}")
    print(f"{'load':<12} {'':>8} {fmt(rdf['load_s']):>10} {fmt(oxi.get('load_s')):>11} "
          f"{rdf['load_s'] / oxi['load_s'] if oxi.get('load_s') else 0:>8.1f}x")
    for name, v in table.items():
        agree = "" if v["rows_agree"] in (True, None) else " (rows differ!)"
        speed = f"{v['speedup']:>8.1f}x" if v["speedup"] else f"{'-':>9}"
        print(f"{name:<12} {v['rows'] if v['rows'] is not None else '-':>8} {fmt(v['rdflib_s']):>10} "
              f"{fmt(v['pyoxigraph_s']):>11} {speed}{agree}")
    tot = result["total_s"]
    print(f"{'total':<12} {'':>8} {tot['rdflib_load_plus_queries']:>10.2f} {tot['pyoxigraph_load_plus_queries']:>11.2f}")
    print(f"peak memory (MB): rdflib {result['max_rss_mb']['rdflib']}, pyoxigraph {result['max_rss_mb']['pyoxigraph']}")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
