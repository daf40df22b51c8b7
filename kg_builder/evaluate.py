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


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: dict[str, dict[str, list]] = field(default_factory=dict)

    def add(self, source: str, gold, pred) -> None:
        g, p = Counter(gold), Counter(pred)
        tp = sum((g & p).values())
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + sum(p.values()) - tp, self.fn + sum(g.values()) - tp
        missed, extra = sorted(map(str, (g - p).elements())), sorted(map(str, (p - g).elements()))
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


def evaluate(graph, gold_dir: str | Path, queries_dir: str | Path | None = None) -> dict:
    """Score ``graph`` (an rdflib Graph, a file path or a pyoxigraph Store) against a gold directory."""
    from .outputs.query import query, store_of

    gold_files = sorted(Path(gold_dir).glob("*.gold.json"))
    if not gold_files:
        raise GraphLoadError("no *.gold.json files", str(gold_dir))
    golds = {p.name[: -len(".gold.json")]: json.loads(p.read_text(encoding="utf-8")) for p in gold_files}
    import pyoxigraph

    store = graph if isinstance(graph, pyoxigraph.Store) else store_of(graph)

    from . import resources_path

    def rows(name: str) -> dict[str, list[dict]]:
        path = Path(queries_dir) / f"{name}.rq" if queries_dir else resources_path("queries", f"{name}.rq")
        out = defaultdict(list)
        for r in query(store, path.read_text(encoding="utf-8")).as_dicts():
            out[Path(str(r.get("source") or "")).name.removesuffix(".txt")].append(r)
        return out

    officials, names, stats, approx, provinces, counties, programs, hotline = (Score() for _ in range(8))
    meta_ok = meta_total = 0
    o_rows, s_rows, p_rows, c_rows = rows("officials"), rows("statistics"), rows("provinces"), rows("counties")
    g_rows, h_rows, a_rows = rows("programs"), rows("hotline"), rows("articles")
    for src, gd in golds.items():
        gold = [(norm(o["name"]), role_class(o["role"]), place(o.get("province"))) for o in gd["officials"]]
        pred = list({(norm(r["name"]), role_class(r["role"]), place(r.get("province"))) for r in o_rows[src]})
        officials.add(src, gold, pred)
        names.add(src, {x[0] for x in gold}, {x[0] for x in pred})
        g_stats = {k for k in (stat_key(x["value"], x["unit"]) for x in gd["statistics"]) if k}
        p_stats = {k for k in (stat_key(r["value"], r["unit"]) for r in s_rows[src]) if k}
        stats.add(src, g_stats, p_stats)
        approx.add(src, {stat_key(x["value"], x["unit"]) for x in gd["statistics"] if x.get("approx")},
                   {stat_key(r["value"], r["unit"]) for r in s_rows[src] if str(r["approximate"]).lower() in ("true", "1")})
        provinces.add(src, {place(x) for x in gd["provinces"]}, {place(r["name"]) for r in p_rows[src]})
        counties.add(src, {place(x) for x in gd.get("counties", [])}, {place(r["name"]) for r in c_rows[src]})
        g_prog = {norm(x) for x in gd["programs"]}
        p_prog = {norm(r["name"]) for r in g_rows[src]}
        hit = lambda x, ys: any(_programme_close(x, y) for y in ys)  # noqa: E731
        programs.add(src, [x for x in g_prog if hit(x, p_prog)] + [x for x in g_prog if not hit(x, p_prog)],
                     [x for x in g_prog if hit(x, p_prog)] + [y for y in p_prog if not hit(y, g_prog)])
        hotline.add(src, [src] if gd.get("hotline_123") else [], [src] if src in h_rows else [])
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
        lines.append("\nmisses:")
        for k, s, d in misses:
            lines.append(f"  {k} {s}: missed {d['gold_only']} extra {d['pred_only']}")
    return "\n".join(lines)
