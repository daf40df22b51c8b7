#!/usr/bin/env python3
"""Build the resources of ZWNJ repair: kg_builder/resources/zwnj_lexicon.tsv.gz (word lists) and
kg_builder/resources/zwnj_model.tsv.gz (the boundary models), and measure them on dev halves.

Sources
  * hazm's data files (MIT): words.dat (words with frequencies and POS tags, many spelled
    with ZWNJ) and verbs.dat (past#present stems);
  * the *dev* parts of the UD Persian treebanks PerDT and Seraji (CC BY-SA 4.0): how often
    each word is written with a ZWNJ or joined, which pairs stand apart, and with how many
    different words a part is joined by a ZWNJ. Test files are never read.
  * shekar's word lists (MIT): vocab.csv and compound_words.csv, many compounds spelled with
    ZWNJ (for the letters-only model A). shekar need not be installed: --shekar takes its
    wheel (pip download --no-deps shekar==1.7.0) or its data/files directory.
  * mnk-persian-words' word list (MIT): 515k words, 100k of them spelled with ZWNJ, many in
    both spellings; which of its spellings a word has are features of models T and S.
    --mnk takes its wheel (pip download --no-deps mnk-persian-words==1.5.0) or words.db.

Output (gzip, tab separated, UTF-8, sorted, after a few "#" header lines):
  Z  form-with-ZWNJ  hazm  dev          hazm: 2 counted or tagged, 1 raw list only, 0 absent
  W  joined-word     hazm  dev  10*log10(freq)  A (adjective) or empty
  S  "x y"           times written apart in the dev text (only pairs also known as x‌y)
  P  piece  after-ZWNJ  after-space  before-ZWNJ  before-space   (numbers of partners)
  H / T  part  number of listed ZWNJ forms that start / end with it (at least 5)
  V  past-stem  present-stem
  M  form-with-ZWNJ  1 if mnk also lists it joined   (every ZWNJ spelling mnk lists)

The model file (gzip, tab separated): "K name value" thresholds, then "A|T|S feature weight"
for the three logistic regressions described in kg_builder/text/zwnj.py.

usage:
  python benchmarks/build_zwnj_lexicon.py [--shekar WHEEL|DIR] [--mnk WHEEL|DB]   # both
      resources from all of dev
  python benchmarks/build_zwnj_lexicon.py --eval-halves            # build from one half of
      dev, measure on the other with shared/eval/zwnj.py's measure, both ways round
  (--ud-part even|odd --out F --model-out F build from half of dev; --no-model: lexicon only)
"""
from __future__ import annotations

import argparse
import collections
import functools
import glob
import itertools
import math
import os
import gzip
import io
import re
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

ZWNJ = "\u200c"
ROOT = Path(__file__).resolve().parent.parent


def _load_zwnj_module():
    # Load kg_builder/text/zwnj.py alone (not the whole package) for its canonical form.
    import importlib.util

    spec = importlib.util.spec_from_file_location("_zwnj", ROOT / "kg_builder/text/zwnj.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_Z = _load_zwnj_module()
canon, NON_JOINING = _Z.canon, _Z.NON_JOINING


def hazm_data() -> Path:
    import hazm

    return Path(hazm.__file__).resolve().parent / "data"


def _letters_only(w: str) -> bool:
    return bool(w) and all(("\u0621" <= c <= "\u064a") or ("\u0671" <= c <= "\u06d3") or c == ZWNJ for c in w)


def clean_zwnj(w: str) -> str:
    """Drop ZWNJs that cannot matter (after a non-joining letter, doubled, at the edges)."""
    w = re.sub(ZWNJ + "+", ZWNJ, w).strip(ZWNJ)
    out = []
    for c in w:
        if c == ZWNJ and (not out or out[-1] in NON_JOINING):
            continue
        out.append(c)
    return "".join(out)


def _ud_sentences(files: list[str], part: str) -> list[str]:
    out = []
    for f in files:
        assert "-test" not in os.path.basename(f), "never build from test files"
        i = 0
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                if part == "all" or (i % 2 == 0) == (part == "even"):
                    out.append(line[9:].strip())
                i += 1
    return out


_TOKEN = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0670\u0640\u200c]+")


def lexicon_lines(sentences: list[str], listed: tuple[str, ...]) -> list[str]:
    """The lexicon lines (sorted, without header) from hazm, the given treebank sentences and
    the M lines ``listed`` (mnk_lines)."""
    # form -> [hazm strength, dev count]; hazm strength 2 = frequency > 0 or POS tagged,
    # 1 = only in hazm's raw list (which also holds misspellings such as joined plurals).
    zw: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    # word -> [hazm strength, dev count, 10 * log10 of hazm's frequency, "A" if adjective]
    words: dict[str, list] = collections.defaultdict(lambda: [0, 0, 0, ""])
    # piece -> [words it follows after a ZWNJ, after a space, words it precedes before a ZWNJ,
    # before a space] in the dev text: sets of distinct partners, so that one frequent
    # compound does not make its parts look productive
    pos: dict[str, list[set]] = collections.defaultdict(lambda: [set(), set(), set(), set()])
    spaced: collections.Counter = collections.Counter()

    for line in (hazm_data() / "words.dat").read_text(encoding="utf-8").splitlines():
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 3:
            continue
        w, freq, tags = canon(parts[0]), int(parts[1]), parts[2]
        if not _letters_only(w):
            continue
        strong = 2 if (freq > 0 or tags != "0") else 1
        if ZWNJ in w:
            w = clean_zwnj(w)
        if ZWNJ in w:
            zw[w][0] = max(zw[w][0], strong)
        else:
            e = words[w]
            e[0] = max(e[0], strong)
            e[2] = max(e[2], int(10 * math.log10(freq + 1)))
            if "AJ" in tags.split(","):
                e[3] = "A"

    verbs = set()
    for line in (hazm_data() / "verbs.dat").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if "#" in line and not line.startswith("#"):
            past, pres = line.split("#", 1)
            verbs.add((canon(past), canon(pres)))

    for sent in sentences:
        toks = [clean_zwnj(canon(t)) for t in _TOKEN.findall(sent)]
        for t in toks:
            if t:
                if ZWNJ in t:
                    zw[t][1] += 1
                else:
                    words[t][1] += 1
        # pairs written apart: evidence against joining them across a space
        for x, y in zip(sent.split(" "), sent.split(" ")[1:]):
            x, y = canon(x), canon(y)
            if _letters_only(x) and _letters_only(y):
                x, y = x.split(ZWNJ)[-1], y.split(ZWNJ)[0]
                spaced[x + " " + y] += 1
                pos[y][1].add(x)
                pos[x][3].add(y)
        for t in toks:
            pieces = t.split(ZWNJ)
            for x, y in itertools.pairwise(pieces):
                # only compounds: the prefix می and suffixes have their own rules
                if x.endswith(_Z._MI) or y in _Z._SUFFIX_TOKENS or y in _Z._AFTER_H_TOKENS:
                    continue
                pos[y][0].add(x)
                pos[x][2].add(y)

    out = [f"Z\t{w}\t{h}\t{d}" for w, (h, d) in zw.items()]
    # Words only in hazm's raw list (no frequency, no tag, not in the treebanks) are left out:
    # measured on half of the dev sentences they changed nothing, and they are most of the file.
    out += [f"W\t{w}\t{h}\t{d}\t{f}\t{t}" for w, (h, d, f, t) in words.items() if h >= 2 or d]
    # where a piece stands next to a ZWNJ or a space: only pieces with two partners over a ZWNJ
    out += [f"P\t{w}\t{len(a)}\t{len(b)}\t{len(c)}\t{len(d)}" for w, (a, b, c, d) in pos.items()
            if len(a) >= 2 or len(c) >= 2]
    # spaced pairs matter only where the pair is also known written as one word
    zforms = set(zw)
    out += [f"S\t{p}\t{n}\t0" for p, n in spaced.items() if p.replace(" ", ZWNJ) in zforms]
    out += [f"V\t{p}\t{q}\t0" for p, q in verbs]
    # productive compound parts: how many listed ZWNJ forms start (H) or end (T) with a part
    heads: collections.Counter = collections.Counter()
    tails: collections.Counter = collections.Counter()
    for w in zw:
        pieces = w.split(ZWNJ)
        for x, y in itertools.pairwise(pieces):
            if x.endswith(_Z._MI) or y in _Z._SUFFIX_TOKENS or y in _Z._AFTER_H_TOKENS:
                continue
            heads[x] += 1
            tails[y] += 1
    out += [f"H\t{x}\t{n}\t0" for x, n in heads.items() if n >= 5]
    out += [f"T\t{x}\t{n}\t0" for x, n in tails.items() if n >= 5]
    out += listed
    out.sort()
    return out



# --- the boundary models ----------------------------------------------------------------

# Decision thresholds (log-odds), chosen on the dev halves (--eval-halves); see zwnj._pass.
SETTINGS = {"token": -0.9, "space": -1.5, "token_evidence": 2.0, "space_evidence": 2.0,
            "token_cautious": 1.0, "space_cautious": 1.0}
FOLDS = 2  # cross-fitting: each fold of the training sentences is scored with a lexicon of the rest
MIN_WEIGHT = {"A": 0.1, "T": 0.01, "S": 0.01}  # smaller weights are left out of the file


def _installed(package: str, dist: str, wheel: str, inner: str) -> str:
    """The path of ``inner`` in the installed ``package``, or exit saying how to get its wheel."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{package}'s word lists are needed: pip download --no-deps {dist}, then pass {wheel}")
    return str(Path(list(spec.submodule_search_locations)[0]) / inner)


def shekar_files(where: str | None) -> dict[str, str]:
    """vocab.csv and compound_words.csv of shekar, from a wheel, a directory or the install."""
    names = ("vocab.csv", "compound_words.csv")
    if where is None:
        where = _installed("shekar", "shekar==1.7.0", "--shekar shekar-1.7.0-py3-none-any.whl", "data/files")
    if where.endswith(".whl"):
        with zipfile.ZipFile(where) as z:
            return {n: z.read(f"shekar/data/files/{n}").decode("utf-8") for n in names}
    base = Path(where)
    if (base / "shekar/data/files").is_dir():
        base = base / "shekar/data/files"
    return {n: (base / n).read_text(encoding="utf-8") for n in names}


@functools.lru_cache(maxsize=1)
def mnk_lines(where: str | None) -> tuple[str, ...]:
    """M lines from mnk-persian-words' list (MIT): every ZWNJ spelling it lists, with 1 if it
    also lists the word joined. ``where``: its wheel, its words.db, or None for the install."""
    import sqlite3
    import tempfile

    if where is None:
        where = _installed("mnk_persian_words", "mnk-persian-words==1.5.0",
                           "--mnk mnk_persian_words-1.5.0-py3-none-any.whl", "data/words.db.zip")
    with tempfile.TemporaryDirectory() as tmp:
        db = where
        if where.endswith((".whl", ".zip")):
            archive = Path(where).read_bytes()
            with zipfile.ZipFile(io.BytesIO(archive)) as z:  # a wheel holds words.db.zip
                inner = next((n for n in z.namelist() if n.endswith("words.db.zip")), None)
                if inner is not None:
                    archive = z.read(inner)
            with zipfile.ZipFile(io.BytesIO(archive)) as z:
                z.extract("words.db", tmp)
            db = str(Path(tmp) / "words.db")
        con = sqlite3.connect(db)
        words = [w for (w,) in con.execute("SELECT word FROM canonical_words WHERE is_clean = 1")]
        con.close()
    forms = {clean_zwnj(canon(w)) for w in words}
    forms = {w for w in forms if _letters_only(w)}
    joined = {w for w in forms if ZWNJ not in w}
    return tuple(sorted(f"M\t{w}\t{int(w.replace(ZWNJ, '') in joined)}\t0" for w in forms if ZWNJ in w))


def word_list_forms(shekar: dict[str, str]) -> set[str]:
    """Canonical spellings (with their ZWNJs) of hazm's counted or tagged words and shekar's."""
    forms = set()
    for line in (hazm_data() / "words.dat").read_text(encoding="utf-8").splitlines():
        p = line.split("\t")
        if len(p) >= 3 and (int(p[1]) > 0 or p[2] != "0"):
            forms.add(p[0])
    forms.update(line.split(",")[0] for line in shekar["vocab.csv"].splitlines())
    forms.update(line.strip() for line in shekar["compound_words.csv"].splitlines())
    out = set()
    for f in forms:
        f = clean_zwnj(canon(f))
        if _letters_only(f):
            out.add(f)
    return out


def train_logistic(rows: list[list[str]], labels: list[bool], l2: float = 1.0, steps: int = 300,
                   rate: float = 0.1) -> dict[str, float]:
    """Logistic regression on binary features, full-batch Adam with a light L2 penalty."""
    index: dict[str, int] = {}
    cols = np.fromiter((index.setdefault(f, len(index)) for r in rows for f in r), dtype=np.int64)
    lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    row_of = np.repeat(np.arange(len(rows)), lens)
    y = np.asarray(labels, dtype=float)
    w = np.zeros(len(index))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        z = np.add.reduceat(w[cols], starts)
        p = 1 / (1 + np.exp(-z))
        g = np.bincount(cols, weights=(p - y)[row_of], minlength=len(w)) / len(y) + l2 / len(y) * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= rate * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return {f: float(w[i]) for f, i in index.items()}


def train_letters(forms: set[str]) -> dict[str, float]:
    """Model A: every boundary of every listed spelling, a ZWNJ or not."""
    rows, labels = [], []
    for form in forms:
        w, pts = _Z._split_points(form)
        for i in range(1, len(w)):
            rows.append(_Z.letter_features(w, i))
            labels.append(i in pts)
    weights = train_logistic(rows, labels)
    return {f: x for f, x in weights.items() if abs(x) >= MIN_WEIGHT["A"]}


def _variant(sent: str, variant: str) -> tuple[str, set[int]]:
    """The damaged sentence (ZWNJs dropped or made spaces) and the offsets where they stood."""
    out: list[str] = []
    gold = set()
    for ch in sent:
        if ch == ZWNJ:
            gold.add(len(out))
            if variant == "spaced":
                out.append(" ")
        else:
            out.append(ch)
    return "".join(out), gold


def _words(text: str):
    """Words of ``text`` as zwnj._pass sees them (start, end, letters, offsets), with their
    neighbours ("" if none)."""
    words = [(m.start(), m.end(), *_Z._parse(m.group())[:2]) for m in _Z._WORD.finditer(text)]
    n = len(words)
    apart = [words[k][1] + 1 == words[k + 1][0] and text[words[k][1]] == " " for k in range(n - 1)]
    before = [words[k - 1][2] if k and apart[k - 1] else "" for k in range(n)]
    after = [words[k + 1][2] if k + 1 < n and apart[k] else "" for k in range(n)]
    return words, apart, before, after


def ud_examples(sentences: list[str]):
    """Boundaries of the sentences, scored with the lexicon in use: inside words (ZWNJs
    dropped) for model T and at spaces (ZWNJs made spaces) for model S."""
    tok_rows, tok_y, sp_rows, sp_y = [], [], [], []
    for sent in sentences:
        text, gold = _variant(sent, "joined")
        words, apart, before, after = _words(text)
        for k, (start, _, w, offsets) in enumerate(words):
            if len(w) < 2:
                continue
            feats = _Z.token_features(w, before[k], after[k])
            for c in range(1, len(w)):
                lo, hi = start + offsets[c - 1] + 1, start + offsets[c]
                tok_rows.append(feats[c - 1])
                tok_y.append(any(j in gold for j in range(lo, hi + 1)))
        text, gold = _variant(sent, "spaced")
        words, apart, before, after = _words(text)
        for k in range(len(words) - 1):
            if apart[k]:
                x, y = words[k][2], words[k + 1][2]
                sp_rows.append(_Z.space_features(x, y, before[k], after[k + 1], x, y))
                sp_y.append(words[k][1] in gold)
    return tok_rows, tok_y, sp_rows, sp_y


def train_models(sentences: list[str], letters: dict[str, float], listed: tuple[str, ...]) -> _Z._Model:
    """Models T and S from the treebank sentences, each fold scored with a lexicon of the rest."""
    model = _Z._Model([])
    model.letters = letters
    model.settings = dict(SETTINGS)
    data: list[list] = [[], [], [], []]
    for k in range(FOLDS):
        rest = [s for i, s in enumerate(sentences) if i % FOLDS != k]
        _Z._use(lexicon=_Z._Lexicon(lexicon_lines(rest, listed)), model=model)
        for acc, part in zip(data, ud_examples(sentences[k::FOLDS])):
            acc.extend(part)
    model.token = {f: x for f, x in train_logistic(data[0], data[1]).items() if abs(x) >= MIN_WEIGHT["T"]}
    model.space = {f: x for f, x in train_logistic(data[2], data[3]).items() if abs(x) >= MIN_WEIGHT["S"]}
    return model


def model_lines(model) -> list[str]:
    out = [f"K\t{k}\t{v:g}" for k, v in sorted(model.settings.items())]
    for kind, table in (("A", model.letters), ("T", model.token), ("S", model.space)):
        out += [f"{kind}\t{f}\t{x:.4f}" for f, x in sorted(table.items())]
    return out


@functools.lru_cache(maxsize=1)
def _shared_metric():
    """letters_and_bounds and is_letter of shared/eval/zwnj.py (the project's measure)."""
    import importlib.util

    for base in (ROOT.parent / "shared", Path("/work/shared")):
        path = base / "eval/zwnj.py"
        if path.exists():
            spec = importlib.util.spec_from_file_location("_zwnj_eval", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    sys.exit("shared/eval/zwnj.py not found")


def measure(gold: list[str], variant: str) -> tuple[float, float]:
    """Share of gold ZWNJs restored and of other letter boundaries damaged, as shared/eval/zwnj.py."""
    ev = _shared_metric()
    zt = zr = nt = nd = 0
    for g in gold:
        text, _ = _variant(g, variant)
        gl, gb = ev.letters_and_bounds(g)
        ol, ob = ev.letters_and_bounds(_Z.repair(text))
        assert gl == ol
        for i, (x, y) in enumerate(zip(gb, ob)):
            if ev.is_letter(gl[i]) and ev.is_letter(gl[i + 1]):
                if x == "zwnj":
                    zt += 1
                    zr += y == "zwnj"
                else:
                    nt += 1
                    nd += y != x
    return zr / zt, nd / nt


def eval_halves(files: list[str], letters: dict[str, float], listed: tuple[str, ...], curve: list[dict]) -> None:
    """Build from one half of the dev sentences, measure on the other, both ways round."""
    results = collections.defaultdict(list)
    for train, test in (("even", "odd"), ("odd", "even")):
        model = train_models(_ud_sentences(files, train), letters, listed)
        lex = _Z._Lexicon(lexicon_lines(_ud_sentences(files, train), listed))
        gold = _ud_sentences(files, test)
        for i, extra in enumerate(curve):
            model.settings = dict(SETTINGS, **extra)
            _Z._use(lexicon=lex, model=model)
            for variant in ("joined", "spaced"):
                results[(i, variant)].append(measure(gold, variant))
    for i, extra in enumerate(curve):
        line = []
        for variant in ("joined", "spaced"):
            r = results[(i, variant)]
            line.append(f"{variant} {100 * sum(x for x, _ in r) / 2:.2f}% restored "
                        f"{100 * sum(y for _, y in r) / 2:.3f}% damaged")
        print(extra or "shipped thresholds", "  ".join(line), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    default_ud = ROOT.parent / "shared/corpora/ud-persian"
    if not default_ud.is_dir():
        default_ud = Path("/work/shared/corpora/ud-persian")
    ap.add_argument("--ud", default=str(default_ud))
    ap.add_argument("--no-ud", action="store_true", help="hazm data only (lexicon)")
    ap.add_argument("--ud-part", default="all", choices=["all", "even", "odd"],
                    help="use every dev sentence, or only even/odd ones (to measure on the rest)")
    ap.add_argument("--out", default=str(ROOT / "kg_builder/resources/zwnj_lexicon.tsv.gz"))
    ap.add_argument("--model-out", default=str(ROOT / "kg_builder/resources/zwnj_model.tsv.gz"))
    ap.add_argument("--no-model", action="store_true", help="build the lexicon only")
    ap.add_argument("--shekar", help="shekar wheel or data directory (default: the installed package)")
    ap.add_argument("--mnk", help="mnk-persian-words wheel or words.db (default: the installed package)")
    ap.add_argument("--eval-halves", action="store_true",
                    help="measure on dev halves (and a few other thresholds); writes nothing")
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.ud, "*-dev.conllu")))
    listed = mnk_lines(a.mnk)

    if a.eval_halves:
        t0 = time.time()
        letters = train_letters(word_list_forms(shekar_files(a.shekar)))
        print(f"model A: {len(letters)} weights ({time.time() - t0:.0f} s)", file=sys.stderr)
        curve = [{}, *({"token": t, "space": t - 1, "token_cautious": t + 2} for t in (-2.0, -1.5, -0.5, 0.0)),
                 {"space": -2.0}, {"space": -1.0}, {"token": -1.25}, {"token": -0.75}]
        eval_halves(files, letters, listed, curve)
        return

    sentences = [] if a.no_ud else _ud_sentences(files, a.ud_part)
    out = lexicon_lines(sentences, listed)
    header = [
        "# ZWNJ repair lexicon for kg_builder.text.zwnj; built by benchmarks/build_zwnj_lexicon.py",
        "# from hazm's word lists (MIT) and the UD Persian PerDT/Seraji dev files (CC BY-SA 4.0):",
        "# see LICENSE-zwnj-lexicon.txt. Lines: Z form hazm dev | W word hazm dev 10*log10(freq) A?",
        ("# | S 'x y' apart | P piece after-zwnj after-space before-zwnj before-space | H/T part count"
        " | V past present"),
    ]
    text = "\n".join(header + out) + "\n"
    Path(a.out).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    kinds = collections.Counter(line.split("\t", 1)[0] for line in out)
    print(f"{a.out}: {kinds['Z']} ZWNJ forms, {kinds['W']} words, {kinds['V']} verb stems, "
          f"{kinds['M']} listed spellings, "
          f"{len(out)} lines", file=sys.stderr)
    if a.no_model or a.no_ud:
        return
    letters = train_letters(word_list_forms(shekar_files(a.shekar)))
    model = train_models(sentences, letters, listed)
    header = [
        "# ZWNJ repair boundary models for kg_builder.text.zwnj; built by",
        "# benchmarks/build_zwnj_lexicon.py from hazm's and shekar's word lists (MIT) and the UD",
        "# Persian PerDT/Seraji dev files (CC BY-SA 4.0): see LICENSE-zwnj-lexicon.txt.",
        "# Lines: K threshold value | A/T/S feature weight (letters / inside a word / at a space)",
    ]
    data = "\n".join(header + model_lines(model)) + "\n"
    # fixed mtime so that the same weights give the same bytes
    Path(a.model_out).write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))
    print(f"{a.model_out}: {len(model.letters)} + {len(model.token)} + {len(model.space)} weights",
          file=sys.stderr)


if __name__ == "__main__":
    main()
