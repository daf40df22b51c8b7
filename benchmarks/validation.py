"""SHACL validation per article: pySHACL, pyrudof, SHACL compiled to SPARQL on pyoxigraph, our engine.

    python benchmarks/validation.py [--runs 5] [--slow-runs 3] [--out benchmarks/results/validation.json]

The inputs are what a build worker validates: each article of examples/articles, tests/articles,
tests/heldout and tests/blind on its own — the quads of its named graph and the default-graph
quads of the shared entities it references (``validate.per_article``; 370–860 quads here) — and
the test article whose two facts fail the consistency checks. Every alternative must give
pySHACL's report; the script checks each one's results against pySHACL's on every article and
records how many agree (a fast engine that reports something else is no alternative).

    pyshacl          pyshacl.validate as the build called it: the article's rdflib graph, the
                     parsed shapes and ontology graphs (ShapesGraph rebuilt each call)
    pyshacl_tuned    pySHACL with its ShapesGraph built once and inplace=True (no clone)
    pyshacl_oxigraph pySHACL 0.40 over a pyoxigraph Store holding the article
    pyrudof          pyrudof (Rust SHACL), shapes read once, data + ontology read per article
                     (skipped when not installed: pip install pyrudof)
    sparql           the shapes compiled (here, from the engine's shape model) to one SPARQL
                     query per shape, run on a pyoxigraph in-memory Store per article
    engine           kg_builder.stages.shacl through validate.check: results and the Report

Times are per article (median over --runs runs of each article), with the quad→rdflib or
quad→Store conversion each needs included; "fixed" and "per triple" come from a least-squares
line of time against quads over the articles, and "empty" is one call on an empty graph.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg_builder import build
from kg_builder.stages import shacl, validate
from kg_builder.terms import to_graph

SETS = ["examples/articles", "tests/articles", "tests/heldout", "tests/blind"]
INCONSISTENT = (ROOT / "tests" / "fixtures" / "inconsistent_article.txt").read_text(encoding="utf-8")


def articles() -> list[list[ox.Quad]]:
    out = []
    for name in SETS:
        out.extend(validate.per_article(build([ROOT / name], validate_graph=False).quads).values())
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "case.txt").write_text(INCONSISTENT, encoding="utf-8")
        out.extend(validate.per_article(build([d], validate_graph=False).quads).values())
    return out


def key(rows) -> list[tuple]:
    """(focus, path, value, message) of each result, as text, sorted: what every engine can give."""
    return sorted((str(f), p, "" if v is None else str(v), m) for f, p, v, m, *_ in rows)


# ------------------------------------------------------------------ the alternatives


def pyshacl_plain(quads):
    _, report_graph = validate.pyshacl_validate(to_graph(quads))
    return key(validate.pyshacl_results(report_graph))


class PyshaclTuned:
    def __init__(self) -> None:
        from pyshacl.shapes_graph import ShapesGraph

        self.sg = ShapesGraph(validate.shapes_graph())
        self.options = {"inference": "none", "advanced": True, "allow_warnings": True, "inplace": True}

    def __call__(self, quads):
        from pyshacl import Validator
        from pyshacl.graph_abstraction import DataGraph

        v = Validator(DataGraph.from_rdflib(to_graph(quads)), shacl_graph=validate.shapes_graph(),
                      ont_graph=validate.ontology_graph(), options=dict(self.options))
        v.shacl_graph = self.sg
        _, report_graph, _ = v.run()
        return key(validate.pyshacl_results(report_graph))


def pyshacl_oxigraph(quads):
    import pyshacl

    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    _, report_graph, _ = pyshacl.validate(store, shacl_graph=validate.shapes_graph(),
                                          ont_graph=validate.ontology_graph(), inference="none", advanced=True,
                                          allow_warnings=True)
    return key(validate.pyshacl_results(report_graph))


class Rudof:
    def __init__(self) -> None:
        import pyrudof

        self.pyrudof = pyrudof
        self.rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        self.rudof.read_shacl((ROOT / "shapes" / "kg.shacl.ttl").read_text(encoding="utf-8"))
        # the ontology as pySHACL mixes it in, as N-Triples (quicker to read than the Turtle file)
        self.ontology = ox.serialize(validate.engine().onto.triples, format=ox.RdfFormat.N_TRIPLES).decode()

    def __call__(self, quads):
        nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                          format=ox.RdfFormat.N_TRIPLES).decode()
        self.rudof.reset_data()
        if nt:
            self.rudof.read_data(nt, format=self.pyrudof.RDFFormat.NTriples)
        self.rudof.read_data(self.ontology, format=self.pyrudof.RDFFormat.NTriples, merge=True)
        report = self.rudof.validate_shacl()
        rows = []
        for e in report.violations:
            path = "(node)" if not e.path else shacl.short(ox.NamedNode(e.path)) if "://" in e.path else e.path
            rows.append((e.focus_node, path, e.value, str(e.message).strip('"')))
        return key(rows)


class Sparql:
    """SHACL compiled to SPARQL: one query per targeted shape, a UNION of one branch per constraint
    (its focus pattern, then the failing focus/value pairs), run by pyoxigraph on an in-memory
    Store holding the article and the ontology's inoculated triples. Classes are matched through
    a VALUES list of the class and its subclasses, taken from the ontology. Compiled from the
    engine's shape model and the shapes graph, for the constructs shapes/kg.shacl.ttl uses."""

    def __init__(self) -> None:
        e = validate.engine()
        self.sg = e.sg
        self.onto = [ox.Quad(t.subject, t.predicate, t.object) for t in e.onto.triples]
        self.hier = e.onto
        self.prefixes = {"kgo": "https://w3id.org/kg-builder/ontology#", "prov": "http://www.w3.org/ns/prov#",
                         "oa": "http://www.w3.org/ns/oa#"}
        self.queries = []
        for shape in e.targeted:
            focus = self.focus(shape)
            branches, meta = [], []
            for s in [shape, *shape.properties]:
                for b, m in self.branches(s, focus):
                    meta.append(m)
                    branches.append(f"{{ {b} BIND({len(meta) - 1} AS ?k) }}")
            head = "".join(f"PREFIX {p}: <{n}>\n" for p, n in self.prefixes.items())
            self.queries.append((head + "SELECT ?k ?this ?v WHERE { " + " UNION ".join(branches) + " }", meta))

    def classes(self, c) -> str:
        return " ".join(str(x) for x in [c, *self.hier.subclasses(c)])

    def focus(self, shape) -> str:
        sg, node, parts = self.sg, shape.node, []
        for c in sg.objects(node, shacl._sh("targetClass")):
            parts.append(f"{{ VALUES ?tc {{ {self.classes(c)} }} ?this a ?tc }}")
        for t in sg.objects(node, shacl._sh("target")):
            text = sg.one(t, shacl._sh("select")).value
            for line in text[:text.index("SELECT")].splitlines():
                if "PREFIX" in line:
                    _, prefix, ns = line.split()
                    self.prefixes[prefix.rstrip(":")] = ns.strip("<>")
            body = text[text.index("SELECT"):].replace("SELECT ?this", "SELECT DISTINCT ?this")
            parts.append(f"{{ {body} }}")
        return "{ " + " UNION ".join(parts) + " }"

    def path(self, p) -> str:
        if isinstance(p, ox.NamedNode):
            return str(p)
        kind, arg = p
        if kind == "^":
            return "^" + self.path(arg)
        return "(" + kind.join(self.path(x) for x in arg) + ")"

    @staticmethod
    def well_formed(dt: str) -> str:
        if dt in (shacl.XSD + "integer", shacl.XSD + "nonNegativeInteger"):
            return 'REGEX(STR(?v), "^[0-9]+$")'
        if dt == shacl.XSD + "decimal":
            return 'REGEX(STR(?v), "^-?[0-9]+([.][0-9]+)?$")'
        if dt == shacl.XSD + "boolean":
            return 'STR(?v) IN ("true", "false", "1", "0")'
        if dt == shacl.XSD + "date":
            return f'COALESCE(STR(<{dt}>(STR(?v))) != "", false)'
        return "true"

    def branches(self, s, focus: str):
        sg, node = self.sg, s.node
        path = self.path(s.path) if s.path is not None else None
        vals = f"{focus} ?this {path} ?v ." if path else f"{focus} BIND(?this AS ?v)"
        meta = (shacl.path_text(s.path), s.message)

        def one(name):
            return sg.one(node, shacl._sh(name))
        if one("minCount") is not None and int(one("minCount").value) > 0:
            yield (f"{{ SELECT ?this (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {path} ?x }} }} "
                   f"GROUP BY ?this }} FILTER(?n < {one('minCount').value})"), meta + (0,)
        if one("maxCount") is not None:
            yield (f"{{ SELECT ?this (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {focus} ?this {path} ?x }} GROUP BY ?this }} "
                   f"FILTER(?n > {one('maxCount').value})"), meta + (0,)
        if one("nodeKind") is not None:
            yield f"{vals} FILTER(!isIRI(?v))", meta + (1,)
        if one("datatype") is not None:
            dt = one("datatype").value
            if dt == shacl.RDF + "langString":
                test = 'lang(?v) != ""'
            elif dt == shacl.XSD + "string":
                test = f"datatype(?v) = <{dt}>"
            elif dt == shacl.XSD + "nonNegativeInteger":
                # an oxigraph Store keeps xsd:nonNegativeInteger as xsd:integer: both must pass, so this
                # alternative cannot tell a plain integer where the shapes ask for a non-negative one
                test = f"datatype(?v) IN (<{dt}>, <{shacl.XSD}integer>) && {self.well_formed(dt)}"
            else:
                test = f"datatype(?v) = <{dt}> && {self.well_formed(dt)}"
            yield f"{vals} FILTER(!(isLiteral(?v) && {test}))", meta + (1,)
        for c in sg.objects(node, shacl._sh("class")):
            yield (f"{vals} FILTER(isLiteral(?v) || NOT EXISTS {{ VALUES ?vc {{ {self.classes(c)} }} ?v a ?vc }})",
                   meta + (1,))
        if one("pattern") is not None:
            pattern = one("pattern").value.replace("\\", "\\\\").replace('"', '\\"')
            yield f'{vals} FILTER(isBlank(?v) || !REGEX(STR(?v), "{pattern}"))', meta + (1,)
        if one("minLength") is not None:
            yield f"{vals} FILTER(isBlank(?v) || STRLEN(STR(?v)) < {one('minLength').value})", meta + (1,)
        if one("languageIn") is not None:
            langs = " || ".join(f'langMatches(lang(?v), "{x.value}")' for x in sg.items(one("languageIn")))
            yield f"{vals} FILTER(!(isLiteral(?v) && ({langs})))", meta + (1,)
        if one("uniqueLang") is not None:
            yield ((f"{{ SELECT ?this ?l WHERE {{ {focus} ?this {path} ?x "
                    f'FILTER(lang(?x) != "") }} GROUP BY ?this (LCASE(lang(?x)) AS ?l) HAVING (COUNT(?x) > 1) }}'),
                   meta + (0,))
        if one("in") is not None:
            allowed = ", ".join(f'"{x.value}"' for x in sg.items(one("in")))
            yield f"{vals} FILTER(?v NOT IN ({allowed}))", meta + (1,)
        for name, op in (("minInclusive", ">="), ("maxInclusive", "<=")):
            if one(name) is not None:
                yield f"{vals} FILTER(COALESCE(!(?v {op} {one(name).value}), true))", meta + (1,)
        if one("equals") is not None:
            other = str(one("equals"))
            yield (f"{{ {vals} FILTER NOT EXISTS {{ ?this {other} ?v }} }} UNION "
                   f"{{ {focus} ?this {other} ?v FILTER NOT EXISTS {{ ?this {path} ?v }} }}"), meta + (1,)
        for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            if one(name) is not None:
                yield f"{vals} ?this {one(name)} ?o FILTER(COALESCE(!(?v {op} ?o), true))", meta + (1,)
        if one("qualifiedValueShape") is not None:
            inner = one("qualifiedValueShape")
            langs = " || ".join(f'langMatches(lang(?x), "{x.value}")'
                                for x in sg.items(sg.one(inner, shacl._sh("languageIn"))))
            yield (f"{focus} FILTER NOT EXISTS {{ ?this {path} ?x FILTER(isLiteral(?x) && ({langs})) }}",
                   meta + (0,))

    def __call__(self, quads):
        store = ox.Store()
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        store.extend(self.onto)
        rows = []
        for query, meta in self.queries:
            for sol in store.query(query):
                path, message, with_value = meta[int(sol["k"].value)]
                rows.append((shacl.rdflib_term(sol["this"]), path,
                             shacl.rdflib_term(sol["v"]) if with_value else None, message))
        return key(rows)


def engine_check(quads):
    report = validate.check(quads)
    return key((v.focus, v.path, v.value or None, v.message) for v in report.violations)


def engine_results(quads):
    return validate.engine().validate(quads)


NOTES = {
    "pyshacl": "pyshacl.validate as the build called it (shapes and ontology parsed once, rdflib graph per article)",
    "pyshacl_tuned": "pySHACL with its ShapesGraph built once and inplace=True",
    "pyshacl_oxigraph": "pySHACL over a pyoxigraph Store: false violations on every offset, since an oxigraph Store "
                        "keeps xsd:nonNegativeInteger literals as xsd:integer",
    "pyrudof": "ignores the SHACL-AF SPARQL targets without a word (misses both violations of the inconsistent "
               "article) and words sh:qualifiedValueShape results its own way; data and ontology read per article",
    "sparql": "one query per targeted shape on a pyoxigraph Store per article; cannot tell xsd:integer from "
              "xsd:nonNegativeInteger (the Store keeps one for the other), classes as VALUES lists from the ontology",
    "engine": "kg_builder.stages.shacl via validate.check: the results and the Report (labels, quotes)",
    "engine_results_only": "kg_builder.stages.shacl: Engine.validate, the raw results",
}


# ------------------------------------------------------------------ measuring


def timed(fn, arts, runs: int) -> tuple[list[float], list]:
    per = [[] for _ in arts]
    out = [None] * len(arts)
    for _ in range(runs):
        for i, quads in enumerate(arts):
            t = time.perf_counter()
            out[i] = fn(quads)
            per[i].append(time.perf_counter() - t)
    return [statistics.median(x) * 1000 for x in per], out


def fit(sizes: list[int], ms: list[float]) -> tuple[float, float]:
    mx, my = statistics.mean(sizes), statistics.mean(ms)
    sxx = sum((x - mx) ** 2 for x in sizes)
    slope = sum((x - mx) * (y - my) for x, y in zip(sizes, ms)) / sxx
    return my - slope * mx, slope * 1000  # ms fixed, µs per quad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of the fast alternatives (median per article)")
    ap.add_argument("--slow-runs", type=int, default=3, help="runs of the pySHACL and pyrudof alternatives")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "validation.json"))
    args = ap.parse_args(argv)

    load_before = os.getloadavg()
    arts = articles()
    sizes = [len(a) for a in arts]
    print(f"{len(arts)} articles, {min(sizes)}-{max(sizes)} quads (median {statistics.median(sizes)})", flush=True)

    setup = {}
    t = time.perf_counter()
    validate.engine()
    setup["engine_ms"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    sparql = Sparql()
    setup["sparql_compile_ms"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    tuned = PyshaclTuned()
    setup["pyshacl_shapesgraph_ms"] = (time.perf_counter() - t) * 1000
    alternatives = {"pyshacl": (pyshacl_plain, args.slow_runs), "pyshacl_tuned": (tuned, args.slow_runs),
                    "pyshacl_oxigraph": (pyshacl_oxigraph, args.slow_runs)}
    try:
        t = time.perf_counter()
        alternatives["pyrudof"] = (Rudof(), args.slow_runs)
        setup["pyrudof_shapes_ms"] = (time.perf_counter() - t) * 1000
    except ImportError:
        print("pyrudof not installed: skipped (pip install pyrudof)")
    alternatives.update({"sparql": (sparql, args.runs), "engine": (engine_check, args.runs),
                         "engine_results_only": (engine_results, args.runs)})

    reference = None
    results = {}
    for name, (fn, runs) in alternatives.items():
        fn(arts[0])  # warm
        ms, out = timed(fn, arts, runs)
        fixed, per_quad = fit(sizes, ms)
        t = time.perf_counter()
        for _ in range(runs):
            fn([])
        empty = (time.perf_counter() - t) / runs * 1000
        entry = {"ms_per_article_median": round(statistics.median(ms), 3),
                 "ms_per_article_mean": round(statistics.mean(ms), 3),
                 "ms_fixed_fit": round(fixed, 3), "us_per_quad_fit": round(per_quad, 3),
                 "ms_empty_graph": round(empty, 3), "runs": runs, "note": NOTES[name]}
        if name == "pyshacl":
            reference = out
        elif reference is not None and name != "engine_results_only":
            same = [a == b for a, b in zip(out, reference)]
            entry["same_report_as_pyshacl"] = f"{sum(same)} of {len(same)}"
            entry["violations_pyshacl_total"] = sum(len(r) for r in reference)
            entry["violations_found_total"] = sum(len(r) for r in out)
        results[name] = entry
        print(f"{name:20s} {entry['ms_per_article_median']:9.3f} ms/article  fixed {entry['ms_fixed_fit']:8.3f} ms  "
              f"{entry['us_per_quad_fit']:7.3f} µs/quad  empty {entry['ms_empty_graph']:8.3f} ms  "
              f"{entry.get('same_report_as_pyshacl', '')}", flush=True)

    import importlib.metadata as md

    versions = {}
    for pkg in ("pyshacl", "rdflib", "pyoxigraph", "pyrudof"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    doc = {
        "command": "python benchmarks/validation.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)]},
        "versions": versions,
        "articles": len(arts), "quads_per_article": {"min": min(sizes), "median": statistics.median(sizes),
                                                     "max": max(sizes)},
        "setup_once_per_process": {k: round(v, 1) for k, v in setup.items()},
        "alternatives": results,
    }
    Path(args.out).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
