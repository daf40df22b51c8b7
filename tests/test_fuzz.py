"""The fuzz job's property tests (issue 15): any article text and any file name goes through the
builder without an internal error, and every output parses back.

Marked ``fuzz``: the normal suite runs each with the default profile's 100 cases;
``python benchmarks/fuzz.py N`` runs every test marked ``fuzz`` with N cases each
(``HYPOTHESIS_PROFILE=fuzz KG_FUZZ_EXAMPLES=N python -m pytest -m fuzz``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg_builder.config import Config
from kg_builder.errors import InputError
from kg_builder.outputs import results
from kg_builder.outputs.serialize import FORMATS, dumps
from kg_builder.pipeline import Given, Job, extract
from kg_builder.text.controls import neutralise

pytestmark = pytest.mark.fuzz

# words that make facts (an official, a province, the hotline, figures) and words that make none
WORDS = ["مدیرکل", "بهزیستی", "استان", "زنجان", "قزوین", "شهرستان", "ابهر", "گفت", "افزود", "وی", "حمید",
         "کاظمی", "سازمان", "اورژانس", "اجتماعی", "۱۲۳", "درصد", "نفر", "میلیارد", "تومان", "ریال", "هزار",
         "حدود", "بیش", "از", "مددجویان", "زنان", "سرپرست", "خانوار", "طرح", "پویش", "آبان", "۱۴۰۳",
         "می‌شود", "بهره‌مند", "شدند", "خبرگزاری", "به", "گزارش", "معاون", "توسعه", "سه", "دو", "نیم", "و"]
DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
# control characters, non-characters, bidi controls and marks, odd spaces, ZWNJ/ZWJ, the BOM
ODD = ("\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9b\ufffe\uffff\ufffd\u200b\u200c\u200d\u200e\u200f\u061c"
       "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00a0\u2028\u2029\ufeff\u0640\u064b\u0651")
SEPARATORS = [" ", " ", " ", "\n", "\r\n", "\t", "\u200c", "، ", ". ", ": ", "؛ ", "\n\n", *ODD]

number = st.builds("".join, st.lists(st.sampled_from(DIGITS + "٬,٫./"), min_size=1, max_size=12))
token = st.one_of(
    st.sampled_from(WORDS),
    number,
    st.text(st.sampled_from("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإؤئ" + ODD), min_size=1, max_size=8),
    st.builds(lambda c, n: c * n, st.sampled_from("ا۱ب-x"), st.integers(100, 3000)),  # very long tokens
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="<"), max_size=6),  # anything else
)
article_text = st.builds(
    lambda parts: "".join(w + s for w, s in parts),
    st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=60),
)

_JOB = Job(Config(), validate=True, keep_going=False, formats=())
OA = "http://www.w3.org/ns/oa#"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def spans(quads) -> list[tuple[int, int, str]]:
    """(start, end, exact) of every text quote selector in ``quads``."""
    sel: dict = {}
    for q in quads:
        if q.predicate.value.startswith(OA) and q.predicate.value[len(OA):] in ("start", "end", "exact"):
            sel.setdefault(q.subject, {})[q.predicate.value[len(OA):]] = q.object.value
    return [(int(s["start"]), int(s["end"]), s["exact"]) for s in sel.values()]


def reparsed(quads, fmt: str) -> set:
    """The triples of ``quads`` written in ``fmt`` and read back by a strict parser."""
    data = dumps(quads, fmt)
    if fmt == "xml":
        assert not _NOT_XML.search(data.decode("utf-8"))
        ET.fromstring(data)  # well-formed XML 1.0
    if fmt == "jsonld":
        json.loads(data)
    triples = {q.triple for q in ox.parse(data, format=FORMATS[fmt])}
    if fmt == "xml":  # and rdflib's own RDF/XML parser (expat) agrees
        assert len(rdflib.Graph().parse(data=data, format="xml")) == len(triples)
    return triples


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(article_text, st.integers(0, 3))
def test_any_text_builds_with_exact_spans_and_outputs_that_parse_back(text, exports):
    # a leading BOM is the encoding's, not the text's: where offsets start then is the read stage's business
    assume(not text.startswith("\ufeff"))
    article = extract(Given("fuzz.txt", text.encode("utf-8")), _JOB)  # a bug raises: keep_going is off
    if article.error is not None:
        assert isinstance(article.error, InputError) and article.error.code in ("E102", "E103"), article.error
        assert "\x00" in text or not text.strip("\ufeff \t\r\n\u200c\u200f\u200e")
        return
    quads = article.quads() + article.held_quads() + article.version_quads()
    quoted = neutralise(text)
    for start, end, exact in spans(quads):
        assert quoted[start:end] == exact and 0 <= start < end <= len(text)
    expected = {q.triple for q in quads}
    for fmt in ("turtle", "nt", "nq", "trig", "xml", "jsonld"):
        if fmt == "jsonld" and len(quads) > 400:
            continue  # rdflib's JSON-LD writer is slow; the smaller graphs cover it
        assert reparsed(quads, fmt) == expected, fmt
    rows = [(q.subject, q.predicate, q.object) for q in quads]
    names = ("s", "p", "o")
    assert len(json.loads(results.json(names, rows))["results"]["bindings"]) == len(rows)
    xml_text = results.xml(names, rows)
    assert not _NOT_XML.search(xml_text)
    assert len(ET.fromstring(xml_text.encode("utf-8"))[1]) == len(rows)
    assert len(list(csv.reader(io.StringIO(results.csv(names, rows), newline="")))) == len(rows) + 1
    assert len(results.tsv(names, rows).split("\n")) == len(rows) + 2
    if exports == 0:  # one case in four: the viz exports cost ten times the rest
        exported(quads)


def exported(quads) -> None:
    """The viz projection of ``quads`` in every export format, each read back."""
    from kg_builder.outputs.visualise import dumps as viz
    from kg_builder.outputs.visualise import to_networkx
    from kg_builder.terms import to_graph

    G = to_networkx(to_graph(quads), provenance=True)
    for fmt in ("graphml", "gexf"):
        data = viz(G, fmt).decode("utf-8")
        assert not _NOT_XML.search(data)
        assert sum(e.tag.endswith("}node") for e in ET.fromstring(data).iter()) == G.number_of_nodes()
    assert len(json.loads(viz(G, "json"))["nodes"]) == G.number_of_nodes()
    page = viz(G, "html").decode("utf-8")
    payload = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert len(json.loads(payload)["nodes"]) == G.number_of_nodes()


# ------------------------------------------------------------------------------------- file names

NAME_CHARS = ("ابپتجچخدرزژسشصطعفقکگلمنوهی" "abcXYZ" "0123۰۱۲٠١٢" " .-_,;'\"()[]{}!&$#%+=~`@^*?"
              "\n\t\r\x01\x0b\x0c\x1b\x7f\x85\x9b\u200c\u200d\u200e\u200f\u202e\u2066\u2069\ufeff\ufffe"
              "\U0001f600")
_PREFIXES = st.sampled_from(["", "", "", "-", "--", ".", " ", "\n", "-o ", "~", "@"])
text_name = st.builds(lambda p, s, n: p + s * n, _PREFIXES, st.text(st.sampled_from(NAME_CHARS), max_size=40),
                      st.sampled_from([1, 1, 1, 8]))  # up to 320 characters: often too long
# any bytes but "/" and NUL: what is not UTF-8 comes as lone surrogates, as os.listdir gives such a name
bytes_name = st.binary(min_size=1, max_size=20).map(
    lambda b: os.fsdecode(b.replace(b"/", b"x").replace(b"\0", b"y")))
file_name = st.one_of(text_name, text_name, text_name, bytes_name).map(lambda n: n + ".txt")
TINY = "مدیرکل بهزیستی استان زنجان گفت: ۳۰ درصد مددجویان از خدمات بهره‌مند شدند.\n"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(file_name, min_size=1, max_size=4, unique=True), st.booleans())
def test_any_file_name_is_built_or_refused_by_name(names, named_directly):
    from kg_builder.cli import main
    from kg_builder.text.controls import shown  # how a name is shown: controls and surrogates escaped

    assume("control.txt" not in names)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "in")
        folder.mkdir()
        files = [folder / "control.txt"]  # a good file, built whatever the others are
        files[0].write_text(TINY, encoding="utf-8")
        for name in names:
            try:
                (folder / name).write_text(TINY, encoding="utf-8")
            except OSError:  # too long for this file system
                continue
            files.append(folder / name)
        out = Path(tmp, "kg.trig")
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            inputs = [str(f) for f in files] if named_directly else [str(folder)]
            code = main(["build", *inputs, "-o", str(out), "-q", "-j", "1"])
        lines = stderr.getvalue().splitlines()
        assert code in (0, 2), lines
        assert all(re.fullmatch(r"kg-builder: .*\[E1\d\d\]", line) for line in lines), lines
        sources = [(q.subject.value, q.object.value) for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.TRIG)
                   if q.predicate.value.endswith("#sourceFile")]
        built = {name for _, name in sources}
        # names that differ in any way (spacing, half-spaces, case) are articles of their own
        assert len({article for article, _ in sources}) == len(built) == len(sources)
        refused = [f for f in files if any(shown(str(f)) in line for line in lines)]
        assert "control.txt" in built
        assert len(lines) == len(refused) == (code == 2) * len(lines)
        for f in files:  # each file either built or refused by name, never both
            assert (f.name in built) != (f in refused), (f, lines)
