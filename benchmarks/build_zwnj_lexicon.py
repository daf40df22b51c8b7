#!/usr/bin/env python3
"""Build kg_builder/resources/zwnj_lexicon.tsv, the word lists behind ZWNJ repair.

Sources
  * hazm's data files (MIT): words.dat (words with frequencies and POS tags, many spelled
    with ZWNJ) and verbs.dat (past#present stems);
  * the *dev* parts of the UD Persian treebanks PerDT and Seraji (CC BY-SA 4.0): how often
    each word is written with a ZWNJ or joined, which pairs stand apart, and with how many
    different words a part is joined by a ZWNJ. Test files are never read.

Output (tab separated, UTF-8, sorted, after a few "#" header lines):
  Z  form-with-ZWNJ  hazm  dev          hazm: 2 counted or tagged, 1 raw list only, 0 absent
  W  joined-word     hazm  dev  10*log10(freq)  A (adjective) or empty
  S  "x y"           times written apart in the dev text (only pairs also known as x‌y)
  P  piece  after-ZWNJ  after-space  before-ZWNJ  before-space   (numbers of partners)
  H / T  part  number of listed ZWNJ forms that start / end with it (at least 5)
  V  past-stem  present-stem

usage: python benchmarks/build_zwnj_lexicon.py [--ud DIR] [--ud-part all|even|odd] [--no-ud] [--out FILE]
("even"/"odd" keep half of the dev sentences, to measure on the other half.)
"""
from __future__ import annotations

import argparse
import collections
import glob
import itertools
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


def main() -> None:
    ap = argparse.ArgumentParser()
    default_ud = ROOT.parent / "shared/corpora/ud-persian"
    if not default_ud.is_dir():
        default_ud = Path("/work/shared/corpora/ud-persian")
    ap.add_argument("--ud", default=str(default_ud))
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
    out.sort()
    header = [
        "# ZWNJ repair lexicon for kg_builder.text.zwnj; built by benchmarks/build_zwnj_lexicon.py",
        "# from hazm's word lists (MIT) and the UD Persian PerDT/Seraji dev files (CC BY-SA 4.0):",
        "# see LICENSE-zwnj-lexicon.txt. Lines: Z form hazm dev | W word hazm dev 10*log10(freq) A?",
        ("# | S 'x y' apart | P piece after-zwnj after-space before-zwnj before-space | H/T part count"
        " | V past present"),
    ]
    Path(a.out).write_text("\n".join(header + out) + "\n", encoding="utf-8")
    kept = sum(1 for h, d, _, _ in words.values() if h >= 2 or d)
    print(f"{a.out}: {len(zw)} ZWNJ forms, {kept} words, {len(verbs)} verb stems, {len(out)} lines",
          file=sys.stderr)


if __name__ == "__main__":
    main()
