"""The read stage: files in the encodings Persian text comes in are read, the encoding said, offsets exact;
binary files and text that is not Persian in any of them are refused by name."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest
from helpers import QUERIES

from kg_builder import build, query
from kg_builder.cli import main
from kg_builder.config import load
from kg_builder.errors import ConfigError, DecodeError
from kg_builder.model import Origin
from kg_builder.stages.read import decode, decode_text

SCHEMA = "https://schema.org/"
KGO = "https://w3id.org/kg-builder/ontology#"

# A synthetic article written as an old Persian site would (Arabic yeh: windows-1256 has no Persian yeh,
# and no Persian digits), with an official, a province, a county, a figure and the hotline.
ARTICLE = (
    "کد خبر: 4417\n"
    "گسترش خدمات مشاوره بهزيستي در شهرستان مرودشت\n\n"
    "شيراز - ايرنا - علي رضايي مديرکل بهزيستي استان فارس گفت: امسال 1200 خانواده در شهرستان مرودشت "
    "از خدمات مشاوره بهره‌مند شدند.\n"
    "وي افزود: تماس با اورژانس اجتماعي 123 براي همه مردم رايگان است.\r\n"
)
LATIN = "Le gouvernement a annoncé une réforme des aides sociales à Paris, selon le ministère.\n"


def test_utf8_is_read_as_before_and_says_nothing():
    text, origin = decode_text(ARTICLE.encode("utf-8"), "a.txt")
    assert text == ARTICLE and origin.plain and origin.how == "valid UTF-8"


@pytest.mark.parametrize("codec, name", [("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16LE"), ("utf-16-be", "UTF-16BE"),
                                         ("utf-32", "UTF-32LE"), ("utf-32-be", "UTF-32BE")])
def test_a_byte_order_mark_names_the_encoding_and_stays_character_0(codec, name):
    data = ("\ufeff" + ARTICLE).encode(codec) if codec.endswith("-be") else ARTICLE.encode(codec)
    text, origin = decode_text(data, "a.txt")
    assert text == "\ufeff" + ARTICLE
    assert (origin.encoding, origin.how) == (name, "byte-order mark")


@pytest.mark.parametrize("codec, name", [("cp1256", "windows-1256"), ("utf-16-le", "UTF-16LE"),
                                         ("utf-16-be", "UTF-16BE")])
def test_persian_without_a_byte_order_mark_is_guessed_and_said(codec, name):
    text, origin = decode_text(ARTICLE.encode(codec), "a.txt")
    assert text == ARTICLE
    assert (origin.encoding, origin.how, origin.plain) == (name, "guessed", False)
    assert origin.encoding_format == f"text/plain; charset={name}"


def test_arabic_code_pages_are_guessed_too():
    # ISO-8859-6 and cp720 have no Persian letters (پ چ ژ گ ک); Arabic text in them is still read, as in
    # mac-farsi, which has them (and no Persian yeh: its Persian is written as in windows-1256)
    mac = ARTICLE.replace("ک", "ك").replace("\u200c", " ")  # nor a Persian kaf, nor a half-space
    assert decode_text(mac.encode("mac-farsi"), "a.txt") == (mac, Origin("mac-farsi", "guessed"))
    arabic = "قال مدير الرعاية الاجتماعية في المحافظة إن الخدمات ستتوسع هذا العام في كل المدن.\n"
    for codec, name in (("iso8859-6", "ISO-8859-6"), ("cp720", "cp720"), ("mac-farsi", "mac-farsi")):
        text, origin = decode_text(arabic.encode(codec), "a.txt")
        assert (text, origin.encoding) == (arabic, name)


@pytest.mark.parametrize("data, says", [
    (b"\x00\x01\x02", "binary (NUL bytes"),
    (random.Random(7).randbytes(4000), "binary (NUL bytes"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary (NUL bytes"),
    (LATIN.encode("latin-1"), "not valid UTF-8 (byte 24: b'\\xe9')"),
    (ARTICLE.encode("utf-8")[:-30] + b"\xff" + ARTICLE.encode("utf-8")[-30:], "not valid UTF-8 (byte "),
    (ARTICLE.encode("utf-8")[:-4], "not valid UTF-8 (byte "),
    (b"\xff\xfe" + "سلام".encode("utf-16-le") + b"\x00\xdc", "starts with a UTF-16LE byte-order mark but is not"),
], ids=["nul", "random", "png", "latin-1", "damaged-utf-8", "cut-utf-8", "lying-bom"])
def test_binary_and_text_that_is_not_persian_are_refused_by_name(data, says):
    with pytest.raises(DecodeError) as e:
        decode(data, "dir/x.txt")
    assert str(e.value).startswith(f"dir/x.txt: {says}") and str(e.value).endswith("[E102]")


def test_a_damaged_utf8_file_is_refused_not_read_as_mojibake():
    data = ARTICLE.encode("utf-8")
    for damaged in (data[:-30] + b"\xff" + data[-30:], data[:-4], data[1:]):
        with pytest.raises(DecodeError, match=r"in a file otherwise UTF-8: damaged, not read \[E102\]$"):
            decode(damaged, "x.txt")


def test_the_encodings_tried_are_an_option():
    data = ARTICLE.encode("cp1256")
    with pytest.raises(DecodeError, match="nor Persian text in UTF-16LE"):
        decode_text(data, "a.txt", load({"read.encodings": "UTF-16LE"}))
    with pytest.raises(ConfigError, match="'klingon' is no encoding Python knows"):
        decode_text(data, "a.txt", load({"read.encodings": "windows-1256,klingon"}))
    with pytest.raises(DecodeError):  # every letter must be Arabic-script at 100
        decode_text(("x" + ARTICLE).encode("cp1256"), "a.txt", load({"read.min_persian_letters": "100"}))


# ---------------------------------------------------------------- whole builds: the same graph, exact offsets

TWINS = {"windows-1256": ARTICLE.encode("cp1256"), "UTF-16LE": ARTICLE.encode("utf-16-le"),
         "UTF-16 with BOM": ARTICLE.encode("utf-16"), "UTF-8": ARTICLE.encode("utf-8"),
         "UTF-8 with BOM": ARTICLE.encode("utf-8-sig")}


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """The article in each encoding, each in a folder of its own under the same file name."""
    out = {}
    for name, data in TWINS.items():
        d = tmp_path_factory.mktemp("twin")
        (d / "a.txt").write_bytes(data)
        out[name] = (d, build([str(d)]))
    return out


def _without_file_notes(result) -> set:
    """The article's statements but those about its file (its bytes' hash, its encoding)."""
    said = {KGO + "contentHash", SCHEMA + "encodingFormat"}
    return {q for q in result.quads if q.predicate.value not in said}


@pytest.mark.parametrize("name, twin, charset", [("windows-1256", "UTF-8", "windows-1256"),
                                                 ("UTF-16LE", "UTF-8", "UTF-16LE"),
                                                 ("UTF-16 with BOM", "UTF-8 with BOM", "UTF-16LE")])
def test_an_article_in_another_encoding_gives_its_utf8_twins_graph_and_says_so(twins, name, twin, charset):
    (_, result), (_, plain) = twins[name], twins[twin]
    assert not result.errors and result.report.conforms
    assert len(plain.quads) > 40
    assert _without_file_notes(result) == _without_file_notes(plain)
    formats = {q.object.value for q in result.quads if q.predicate.value == SCHEMA + "encodingFormat"}
    assert formats == {f"text/plain; charset={charset}"}
    assert not any(q.predicate.value == SCHEMA + "encodingFormat" for q in plain.quads)
    assert [(path.rsplit("/", 1)[1], o.encoding) for path, o in result.read_as] == [("a.txt", charset)]


@pytest.mark.parametrize("name", list(TWINS))
def test_span_offsets_index_the_decoded_text(twins, name):
    d, result = twins[name]
    text = decode_text((d / "a.txt").read_bytes(), "a.txt")[0]
    spans = query(result.graph, (QUERIES / "provenance.rq").read_text(encoding="utf-8")).as_dicts()
    assert len(spans) == 7  # the county twice, the official, his post, the province, a figure, the hotline
    for r in spans:
        assert text[int(r["start"]):int(r["end"])] == r["text"], r
    assert {"مرودشت", "علي رضايي", "1200 خانواده"} <= {r["text"] for r in spans}


def test_build_names_each_file_decoded_from_another_encoding(twins, tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    for name, f in (("UTF-8", "plain.txt"), ("windows-1256", "old.txt"), ("UTF-16 with BOM", "wide.txt")):
        (d / f).write_bytes(TWINS[name])
    (d / "latin.txt").write_bytes(LATIN.encode("latin-1"))
    assert main(["build", str(d), "-o", str(tmp_path / "kg.ttl"), "--summary-json", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert f"kg-builder: note: {d / 'old.txt'}: decoded from windows-1256 (guessed)" in err
    assert f"kg-builder: note: {d / 'wide.txt'}: decoded from UTF-16LE (byte-order mark)" in err
    assert not any("plain.txt" in line for line in err)
    assert any(str(d / "latin.txt") in line and line.endswith("[E102]") for line in err)
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["read_as"] == [
        {"path": str(d / "old.txt"), "encoding": "windows-1256", "how": "guessed", "media_type": "text/plain",
         "extractor": None},
        {"path": str(d / "wide.txt"), "encoding": "UTF-16LE", "how": "byte-order mark", "media_type": "text/plain",
         "extractor": None}]
    graph = ox.Store()
    graph.load(path=str(tmp_path / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    found = {(s["f"].value, s["e"].value) for s in graph.query(
        f"SELECT ?f ?e {{ ?a <{KGO}sourceFile> ?f ; <{SCHEMA}encodingFormat> ?e }}")}
    assert found == {("old.txt", "text/plain; charset=windows-1256"), ("wide.txt", "text/plain; charset=UTF-16LE")}
    assert main(["build", str(d), "-o", str(tmp_path / "kg.ttl"), "-q"]) == 2
    assert "note:" not in capsys.readouterr().err


@pytest.mark.parametrize("name", ["windows-1256", "UTF-16LE", "UTF-16 with BOM"])
def test_normalize_reads_the_encodings_build_reads(twins, name, capsys):
    assert main(["normalize", str(twins["UTF-8"][0] / "a.txt")]) == 0
    want = capsys.readouterr().out
    assert main(["normalize", str(twins[name][0] / "a.txt")]) == 0
    assert capsys.readouterr().out.lstrip("\ufeff") == want
    assert "مرودشت" in want


def test_utf8_persian_with_a_stray_c1_control_stays_utf8():
    # found by the fuzz job: the UTF-8 bytes of Persian read in windows-1256 are Arabic letters too
    text = "مدیرکل\x85\xa0\u2066رً "
    from kg_builder.model import Origin
    from kg_builder.stages.read import decode_text

    assert decode_text(text.encode("utf-8"), "x.txt") == (text, Origin())
