"""Reading real articles in other encodings and as HTML pages: how often the encoding is read right, and
what the HTML extractor keeps and drops.

    python benchmarks/reading.py [--articles ../shared/real-dev] [--out benchmarks/results/reading.json]

Encodings: each article (read at run time, never copied) is written in each encoding of ``read.encodings``
as its writers would (windows-1256, ISO-8859-6, cp720 and mac-farsi have no Persian «ی», mac-farsi, cp720
and ISO-8859-6 no «ک»: the Arabic letters instead; a letter the code page lacks becomes «?»), whole and cut
to its first 300 and 60 characters, and decoded by ``stages.read.decode_text``. Each is counted as read
right (the same text, the encoding named), read right under another name (a text whose bytes read the same
in both), misread, or refused; with the median time of a decode.

HTML: each article is put in a news page (its first line the title and h1, its other lines paragraphs, a
script, a menu, a related-news box holding the next article's first line, a footer) and read by
``stages.read.decode``: how many of its body lines come out whole, whether any chrome does, the median time
of a page.
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg_builder.config import Config  # noqa: E402
from kg_builder.errors import InputError  # noqa: E402
from kg_builder.stages.read import decode, decode_text  # noqa: E402

# what each code page's writers put for the Persian letters it lacks
WRITTEN = {"windows-1256": {"ی": "ي"}, "ISO-8859-6": {"ی": "ي", "ک": "ك"}, "cp720": {"ی": "ي", "ک": "ك"},
           "mac-farsi": {"ی": "ي", "ک": "ك"}, "UTF-16LE": {}, "UTF-16BE": {}}
PAGE = """<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<script>var CHROMEMARK = "{related}";</script><style>.CHROMEMARK {{ color: red }}</style></head><body>
<nav><a href="/">CHROMEMARK</a></nav><article><h1>{title}</h1>{body}</article>
<aside class="related"><h3>CHROMEMARK</h3><a href="/n/2">{related}</a></aside><footer>CHROMEMARK</footer>
</body></html>"""


def encodings(texts: list[str]) -> dict:
    out = {}
    for name in Config().read.encodings:
        counts = {"right": 0, "right_text_other_name": 0, "misread": 0, "refused": 0}
        by_length: dict[str, dict[str, int]] = {}
        times = []
        for text in texts:
            for cut in (60, 300, None):
                written = "".join(WRITTEN[name].get(c, c) for c in (text[:cut] if cut else text))
                data = written.encode(name, errors="replace")
                truth = data.decode(name)
                started = time.perf_counter()
                try:
                    got, origin = decode_text(data, "a.txt")
                    outcome = ("right" if origin.encoding == name else "right_text_other_name") if got == truth \
                        else "misread"
                except InputError:
                    outcome = "refused"
                times.append(time.perf_counter() - started)
                counts[outcome] += 1
                length = by_length.setdefault(str(cut or "whole"), dict.fromkeys(counts, 0))
                length[outcome] += 1
        out[name] = {"files": len(times), **counts, "by_length": by_length,
                     "median_ms": round(1000 * statistics.median(times), 2)}
    return out


def pages(texts: list[str]) -> dict:
    kept = lines = leaked = refused = 0
    times = []
    for i, text in enumerate(texts):
        rows = [line.strip() for line in text.splitlines() if line.strip()]
        title, body = rows[0], rows[1:]
        related = texts[(i + 1) % len(texts)].strip().splitlines()[0]
        page = PAGE.format(title=html.escape(title), related=html.escape(related),
                           body="".join(f"<p>{html.escape(line)}</p>" for line in body))
        started = time.perf_counter()
        try:
            doc = decode(page.encode("utf-8"), "page.html")
        except InputError:
            refused += 1
            continue
        finally:
            times.append(time.perf_counter() - started)
        lines += len(body)
        kept += sum(1 for line in body if line in doc.raw)
        leaked += "CHROMEMARK" in doc.raw or (related != title and related in doc.raw)
    return {"pages": len(texts), "refused": refused, "body_lines": lines, "body_lines_kept_whole": kept,
            "pages_with_chrome_in_text": leaked, "median_ms": round(1000 * statistics.median(times), 2),
            "extractor": f"trafilatura {version('trafilatura')}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(ROOT.parent / "shared" / "real-dev"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "reading.json"))
    args = ap.parse_args()
    texts = [f.read_text(encoding="utf-8") for f in sorted(Path(args.articles).glob("*.txt"))]
    decode_text(b"\xc8", "warm.txt")  # the detector's first import is no decode's cost
    result = {"command": "python benchmarks/reading.py", "articles": len(texts), "encodings": encodings(texts),
              "html": pages(texts),
              "machine": {"python": platform.python_version(), "processor": platform.machine(),
                          "charset_normalizer": version("charset-normalizer")}}
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
