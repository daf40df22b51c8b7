#!/usr/bin/env python3
"""Build kg_builder/resources/zwnj_lexicon.tsv, the word lists behind ZWNJ repair.

Sources
  * hazm's data files (words.dat with frequencies, verbs.dat with past#present stems);
  * the *dev* parts of the UD Persian treebanks (PerDT, Seraji; CC BY-SA 4.0): counts of
    words written with a ZWNJ and of words written joined. Test files are never read.

Output lines (tab separated, UTF-8, sorted):
  Z  <form with ZWNJ>  <weight>   a word whose standard spelling has half-spaces
  W  <joined word>     <weight>   a word that is right without a half-space
  V  <past stem>       <present stem>
Weights are small integers: 1 = listed in hazm only, higher = attested (see _weight).

usage: python benchmarks/build_zwnj_lexicon.py [--ud DIR] [--out FILE] [--no-ud]
"""
from __future__ import annotations

import argparse
import collections
import glob
import math
import os
import re
import sys
from pathlib import Path

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
    for i, c in enumerate(w):
        if c == ZWNJ and (not out or out[-1] in NON_JOINING):
            continue
        out.append(c)
    return "".join(out)


def _ud_sentences(files: list[str], part: str) -> list[str]:
    out = []
    for f in files:
        assert "-test" not in os.path.basename(f), "never build from test files"
        i = 0
        for line in open(f, encoding="utf-8"):
            if line.startswith("# text = "):
                if part == "all" or (i % 2 == 0) == (part == "even"):
                    out.append(line[9:].strip())
                i += 1
    return out


_TOKEN = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0670\u0640\u200c]+")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ud", default="/work/shared/corpora/ud-persian")
    ap.add_argument("--no-ud", action="store_true", help="hazm data only")
    ap.add_argument("--ud-part", default="all", choices=["all", "even", "odd"],
                    help="use every dev sentence, or only even/odd ones (to measure on the rest)")
    ap.add_argument("--out", default=str(ROOT / "kg_builder/resources/zwnj_lexicon.tsv"))
    a = ap.parse_args()

    # form -> [hazm strength, dev count]; hazm strength 2 = frequency > 0 or POS tagged,
    # 1 = only in hazm's raw list (which also holds misspellings such as joined plurals).
    zw: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    # word -> [hazm strength, dev count, 10 * log10 of hazm's frequency, "A" if adjective]
    words: dict[str, list] = collections.defaultdict(lambda: [0, 0, 0, ""])
    # piece -> [after a ZWNJ, after a space, before a ZWNJ, before a space] in the dev text
    pos: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    spaced: collections.Counter = collections.Counter()

    for line in open(hazm_data() / "words.dat", encoding="utf-8"):
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
    for line in open(hazm_data() / "verbs.dat", encoding="utf-8"):
        line = line.strip()
        if "#" in line and not line.startswith("#"):
            past, pres = line.split("#", 1)
            verbs.add((canon(past), canon(pres)))

    if not a.no_ud:
        files = sorted(glob.glob(os.path.join(a.ud, "*-dev.conllu")))
        for sent in _ud_sentences(files, a.ud_part):
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
                    pos[y][1] += 1
                    pos[x][3] += 1
            for t in toks:
                pieces = t.split(ZWNJ)
                for x, y in zip(pieces, pieces[1:]):
                    # only compounds: the prefix می and suffixes have their own rules
                    if x.endswith(_Z._MI) or y in _Z._SUFFIX_TOKENS or y in _Z._AFTER_H_TOKENS:
                        continue
                    pos[y][0] += 1
                    pos[x][2] += 1

    out = [f"Z\t{w}\t{h}\t{d}" for w, (h, d) in zw.items()]
    out += [f"W\t{w}\t{h}\t{d}\t{f}\t{t}" for w, (h, d, f, t) in words.items()]
    # where a piece stands next to a ZWNJ or a space: only pieces seen twice next to a ZWNJ
    out += [f"P\t{w}\t{a}\t{b}\t{c}\t{d}" for w, (a, b, c, d) in pos.items() if a >= 2 or c >= 2]
    # spaced pairs matter only where the pair is also known written as one word
    zforms = set(zw)
    out += [f"S\t{p}\t{n}\t0" for p, n in spaced.items() if p.replace(" ", ZWNJ) in zforms]
    out += [f"V\t{p}\t{q}\t0" for p, q in verbs]
    out.sort()
    Path(a.out).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{a.out}: {len(zw)} ZWNJ forms, {len(words)} words, {len(verbs)} verb stems", file=sys.stderr)


if __name__ == "__main__":
    main()
