"""Evaluation against gold annotations: per-category precision, recall and F1.

Gold files are ``NAME.gold.json`` (the format of the project's shared gold set) for
the article ``NAME.txt``. The graph is read through the contract queries in
``examples/queries`` (shipped copies live in the package), so what is scored is what
users get. Names are compared after removing titles, spaces and half-spaces; money is
compared in rials (1 toman = 10 rials); a repeated figure is one fact.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GraphLoadError
from .text import letters

CATEGORIES = ("officials", "statistics", "provinces", "programs", "hotline_123")
_SPACING = re.compile(r"[\u200c\u200d\u200e\u200f\s\u00a0_\-]+")
_TITLES = ("دکتر", "مهندس", "حجت‌الاسلام", "حجت الاسلام", "سید")
_LETTERS = letters.table(letters.COMPARE)  # letter variants, hamza seats and digits, for comparing


def norm(text: object) -> str:
    """Comparison form of a name: no titles, spacing, half-spaces or letter variants."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_LETTERS)
    for t in _TITLES:
        s = s.replace(t + " ", "")
    s = _SPACING.sub("", s).strip()
    prefixes = tuple(_SPACING.sub("", t) for t in _TITLES)
    while s.startswith(prefixes):
        s = s[len(next(p for p in prefixes if s.startswith(p))):]
    return s


def role_class(role: object) -> str:
    """The coarse kind of a post, as the shared reference scorer reads it (a deputy before a director:
    معاون مدیرکل is a deputy)."""
    r = norm(role)
    for needles, cls in ((("سرپرست",), "acting-head"), (("معاون", "قائممقام", "قایممقام"), "deputy"),
                         (("مدیر",), "director-general"), (("رییس", "ریس", "رئیس"), "head"),
                         (("استاندار",), "governor"), (("فرماندار",), "county-governor"),
                         (("فرمانده",), "commander"), (("کارشناس",), "expert"), (("نماینده",), "representative")):
        if any(n in r for n in needles):
            return cls
    return r


def place(name: object) -> str:
    return norm(name).replace("استان", "").replace("شهرستان", "")


def stat_key(value: object, unit: object) -> tuple[str, float] | None:
    try:
        v = float(str(value).replace(",", ""))
    except ValueError:
        return None
    u = norm(unit)
    if "ریال" in u or "rial" in u.lower():
        return ("money", round(v))
    if "تومان" in u or "toman" in u.lower():
        return ("money", round(v * 10))
    if "درصد" in u or "percent" in u.lower() or u == "%":
        return ("percent", round(v, 3))
    return ("count", round(v, 3))


Fields = dict[str, object]  # a fact as written in the gold file or the graph: {"name": ..., "role": ...}


def _unique(pairs: Iterable[tuple[Hashable, Fields]]) -> list[tuple[Hashable, Fields]]:
    """One (key, fields) pair per comparison key, the first as written (a repeated fact is one fact)."""
    out: dict[Hashable, Fields] = {}
    for key, fields in pairs:
        out.setdefault(key, fields)
    return list(out.items())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: dict[str, dict[str, list[Fields]]] = field(default_factory=dict)

    def add(self, source: str, gold: Iterable[tuple[Hashable, Fields]], pred: Iterable[tuple[Hashable, Fields]]) -> None:
        """Count one article's facts, each a (comparison key, fields as written) pair: the keys are
        compared, a miss is kept as the gold file or the graph writes it (the first form of its key)."""
        written: dict[tuple[str, Hashable], Fields] = {}
        counts = {"gold": Counter(), "pred": Counter()}
        for side, pairs in (("gold", gold), ("pred", pred)):
            for key, fields in pairs:
                counts[side][key] += 1
                written.setdefault((side, key), fields)
        g, p = counts["gold"], counts["pred"]
        tp = sum((g & p).values())
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + sum(p.values()) - tp, self.fn + sum(g.values()) - tp
        order = lambda fields: [str(v) for v in fields.values()]
        missed = sorted((written["gold", k] for k in (g - p).elements()), key=order)
        extra = sorted((written["pred", k] for k in (p - g).elements()), key=order)
        if missed or extra:
            self.misses[source] = {"gold_only": missed, "pred_only": extra}

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3), "misses": self.misses}


def _programme_close(a: str, b: str) -> bool:
    """One name inside the other, and not a mere fragment of it (so a bare 'طرح' matches nothing)."""
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) >= 0.5 * len(long_)


def _gold(gold_dir: str | Path) -> dict[str, dict]:
    """NAME -> the annotations of NAME.gold.json, for every gold file of ``gold_dir``."""
    d = Path(gold_dir)
    if not d.is_dir():
        raise GraphLoadError("no such gold directory", str(d))
    gold_files = sorted(d.glob("*.gold.json"))
    if not gold_files:
        raise GraphLoadError("no *.gold.json files", str(d))
    golds = {}
    for p in gold_files:
        try:
            gold = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise GraphLoadError(f"cannot read gold file: {getattr(e, 'strerror', None) or e}", str(p)) from None
        missing = [k for k in GOLD_KEYS if not isinstance(gold, dict) or not isinstance(gold.get(k), list)]
        if missing:
            raise GraphLoadError(f"not a gold file: needs the lists {', '.join(GOLD_KEYS)} (missing or not a list: "
                                 f"{', '.join(missing)})", str(p))
        golds[p.name.removesuffix(".gold.json")] = gold
    return golds


GOLD_KEYS = ("officials", "statistics", "provinces", "programs")  # counties, hotline_123, article: optional


def _no_match(golds: dict, sources: list[str], gold_dir) -> GraphLoadError:
    """The error for gold files none of which names an article of the graph: zeros would read as a score."""
    gold = f"{len(golds)} gold file{'s' if len(golds) != 1 else ''} (e.g. {next(iter(golds))}.gold.json)"
    graph = (f"the graph's {len(sources)} article{'s' if len(sources) != 1 else ''} (e.g. {sources[0]})" if sources
             else "the graph, which has no article")
    return GraphLoadError(f"no gold file matches an article: {gold}, none of them named after one of {graph}; "
                          "NAME.gold.json scores the article read from NAME.txt", str(gold_dir))


def evaluate(graph, gold_dir: str | Path, queries_dir: str | Path | None = None) -> dict:
    """Score ``graph`` (an rdflib Graph, a file path or a pyoxigraph Store) against a gold directory.

    Raises GraphLoadError when the gold files cannot be read or none of them matches an article of
    the graph. The misses keep the facts as the gold file and the graph write them (``Fields``)."""
    from .outputs.query import query, store_of

    golds = _gold(gold_dir)
    store = store_of(graph)

    from . import resources_path

    def rows(name: str) -> dict[str, list[dict]]:
        path = Path(queries_dir) / f"{name}.rq" if queries_dir else resources_path("queries", f"{name}.rq")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise GraphLoadError(f"cannot read the contract query: {getattr(e, 'strerror', None) or e}",
                                 str(path)) from None
        out = defaultdict(list)
        for r in query(store, text).as_dicts():
            out[Path(str(r.get("source") or "")).name.removesuffix(".txt")].append(r)
        return out

    officials, names, stats, approx, provinces, counties, programs, hotline = (Score() for _ in range(8))
    meta_ok = meta_total = 0
    o_rows, s_rows, p_rows, c_rows = rows("officials"), rows("statistics"), rows("provinces"), rows("counties")
    g_rows, h_rows, a_rows = rows("programs"), rows("hotline"), rows("articles")
    sources = sorted(str(r["source"]) for k, rs in a_rows.items() if k for r in rs[:1])
    if not set(golds) & set(a_rows):
        raise _no_match(golds, sources, gold_dir)

    def person(o: dict) -> tuple[tuple, Fields]:
        return ((norm(o["name"]), role_class(o["role"]), place(o.get("province"))),
                {"name": o["name"], "role": o["role"], "province": o.get("province")})

    def figure(x: dict) -> Fields:
        return {"value": x["value"], "unit": x["unit"]}

    for src, gd in golds.items():
        gold, pred = [person(o) for o in gd["officials"]], _unique(person(r) for r in o_rows[src])
        officials.add(src, gold, pred)
        names.add(src, _unique((k[0], {"name": f["name"]}) for k, f in gold),
                  _unique((k[0], {"name": f["name"]}) for k, f in pred))
        stats.add(src, _unique((k, figure(x)) for x in gd["statistics"] if (k := stat_key(x["value"], x["unit"]))),
                  _unique((k, figure(r)) for r in s_rows[src] if (k := stat_key(r["value"], r["unit"]))))
        approx.add(src, _unique((stat_key(x["value"], x["unit"]), figure(x)) for x in gd["statistics"] if x.get("approx")),
                   _unique((stat_key(r["value"], r["unit"]), figure(r)) for r in s_rows[src]
                           if str(r["approximate"]).lower() in ("true", "1")))
        provinces.add(src, _unique((place(x), {"name": x}) for x in gd["provinces"]),
                      _unique((place(r["name"]), {"name": r["name"]}) for r in p_rows[src]))
        counties.add(src, _unique((place(x), {"name": x}) for x in gd.get("counties", [])),
                     _unique((place(r["name"]), {"name": r["name"]}) for r in c_rows[src]))
        g_prog = dict(_unique((norm(x), {"name": x}) for x in gd["programs"]))
        p_prog = dict(_unique((norm(r["name"]), {"name": r["name"]}) for r in g_rows[src]))
        hit = lambda x, ys: any(_programme_close(x, y) for y in ys)  # noqa: E731
        programs.add(src, list(g_prog.items()),
                     [(x, f) for x, f in g_prog.items() if hit(x, p_prog)]
                     + [(y, f) for y, f in p_prog.items() if not hit(y, g_prog)])
        says = [(src, {"hotline_123": True})]
        hotline.add(src, says if gd.get("hotline_123") else [], says if src in h_rows else [])
        art = gd.get("article") or {}
        row = (a_rows.get(src) or [{}])[0]
        for key, var in (("published", "published"), ("news_code", "newsCode")):
            if art.get(key):
                meta_total += 1
                meta_ok += norm(art[key]) in norm(row.get(var))
    scores = {"officials": officials, "official_names": names, "statistics": stats, "approximate_flags": approx,
              "provinces": provinces, "counties": counties, "programs": programs, "hotline_123": hotline}
    out = {k: v.as_dict() for k, v in scores.items()}
    out["article_metadata"] = {"correct": meta_ok, "total": meta_total,
                               "accuracy": round(meta_ok / meta_total, 3) if meta_total else 1.0}
    out["macro_f1"] = round(sum(scores[k].f1 for k in CATEGORIES) / len(CATEGORIES), 3)
    # gold files naming no article of the graph score as wholly missed: said, so a typo is not a low score
    out["gold_without_article"] = sorted(f"{name}.gold.json" for name in golds if name not in a_rows)
    return out


def table(result: dict) -> str:
    """A plain table of the scores followed by the misses per article."""
    lines = [f"{'category':18} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for k, v in result.items():
        if isinstance(v, dict) and "f1" in v:
            lines.append(f"{k:18} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f}  {v['tp']:3d} {v['fp']:3d} {v['fn']:3d}")
    m = result["article_metadata"]
    lines.append(f"{'article_metadata':18} {m['correct']}/{m['total']} correct")
    lines.append(f"{'macro_f1':18} {result['macro_f1']:.3f}")
    misses = [(k, s, d) for k, v in result.items() if isinstance(v, dict) for s, d in v.get("misses", {}).items()]
    if misses:
        lines.append("\nmisses (gold only: in the gold file, not in the graph; graph only: the other way round):")
        for k, s, d in misses:
            lines.append(f"  {k} · {s}")
            lines += [f"    gold only:  {shown(f)}" for f in d["gold_only"]]
            lines += [f"    graph only: {shown(f)}" for f in d["pred_only"]]
    return "\n".join(lines)


def shown(fields: Fields) -> str:
    """A fact as written, its fields named and set apart: ``name: رضا احمدی | role: مدیرکل | province: فارس``."""
    return " | ".join(f"{k}: {v}" for k, v in fields.items() if v not in (None, ""))
