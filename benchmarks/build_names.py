#!/usr/bin/env python3
"""Build kg_builder/resources/names_lexicon.tsv.gz: given names and surnames beyond the curated list.

Source: farsi-faker's name lists (MIT; registry-style lists of Iranian given names and family
names, ``data/names.pkl`` in its wheel). The given-name lists are noisy (misspellings, ordinary
words, places), so its given names are shipped as *weak* evidence: kg-builder accepts one only
before a surname it knows or a word that is no ordinary word. Its family names are cleaner;
they are the surname lexicon. Entries are folded like the text layer folds (Arabic yeh/kaf to
Persian), spaced parts joined by a single space, and dropped when they are:
  * not Persian letters, or shorter than two letters;
  * a province, county or capital (kg_builder/resources/places.json), a month or weekday;
  * a function word or stopword of hazm's (also for surnames);
  * (given names only) already curated (kg_builder/resources/given_names.txt), or a word that
    hazm's word list knows at all (or, for a name of several words, knows each of): the list
    holds many ordinary words (روز، شورا، سامانه، سرویس، شش ساله ...); what is left are names and
    rare words, and a common given name is in the curated list anyway.

Output (gzip, tab separated, UTF-8, sorted, after "#" header lines):
  G  name      a weak given name
  S  surname   a family name

usage:
  pip download --no-deps farsi-faker==1.9.0
  python benchmarks/build_names.py --faker farsi_faker-1.9.0-py3-none-any.whl
The output is the same bytes for the same wheel (gzip without a time stamp).
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kg_builder" / "resources" / "names_lexicon.tsv.gz"
PERSIAN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c ]+")


class _Names(pickle.Unpickler):
    """Unpickle only plain containers and strings: the file is data, never code."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a names file")


def _read(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as z:
        data = z.read(next(n for n in z.namelist() if n.endswith("data/names.pkl")))
    names = _Names(io.BytesIO(data)).load()
    return {k: list(v) for k, v in names.items() if k in ("male_names", "female_names", "last_names")}


def _clean(name: str) -> str:
    from kg_builder.text.letters import fold

    name = re.sub(r"[ \u200c]+", lambda m: "\u200c" if "\u200c" in m.group(0) else " ", fold(name).strip())
    return name if PERSIAN.fullmatch(name) and len(name.replace(" ", "").replace("\u200c", "")) >= 2 else ""


def build(wheel: Path) -> bytes:
    sys.path.insert(0, str(ROOT))
    from kg_builder.resources import lexicons
    from kg_builder.text.dates import MONTHS, WEEKDAYS

    def key(s: str) -> str:
        return re.sub("[ \u200c]", "", s)

    blocked = {key(w) for w in lexicons.function_words()} | {key(w) for w in (*MONTHS, *WEEKDAYS)}
    for p in (*lexicons.provinces(), *lexicons.counties()):
        blocked.update(key(f) for f in (p["fa"], *p.get("variants", ()), p.get("capital", "")) if f)
    curated = {key(g) for g in lexicons.given_names()}
    lists = _read(wheel)
    def ordinary(name: str) -> bool:  # a word, or words, of the language (شش ساله), not a name
        return lexicons.known_word(name) or all(lexicons.known_word(w) for w in re.split("[ \u200c]", name))

    given = {c for n in lists["male_names"] + lists["female_names"] if (c := _clean(n))
             and key(c) not in blocked and key(c) not in curated and not ordinary(c)}
    surnames = {c for n in lists["last_names"] if (c := _clean(n)) and key(c) not in blocked}
    lines = ["# kg-builder names lexicon, derived from farsi-faker 1.9.0's name lists (MIT); see",
             "# benchmarks/build_names.py. G: weak given name; S: surname."]
    lines += [f"G\t{g}" for g in sorted(given)] + [f"S\t{s}" for s in sorted(surnames)]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--faker", required=True, type=Path, help="farsi-faker's wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data = build(args.faker)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
