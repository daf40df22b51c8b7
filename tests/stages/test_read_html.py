"""HTML pages are read through the main-text extractor: only the article's body makes facts (never a script,
a menu or a related-news box), the page's title, date and site become the article's metadata, spans index
the extracted text, and the graph says which extractor made it. A page that gives no text is refused."""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox
import pytest
from helpers import QUERIES

from kg_builder import build, query
from kg_builder.cli import main
from kg_builder.errors import HtmlError
from kg_builder.stages.read import decode

KGO = "https://w3id.org/kg-builder/ontology#"
SCHEMA = "https://schema.org/"

# A synthetic news page: the body names an official (with his province) and a county; the script, the menu,
# the related-news box and the footer name other officials and places that must make no fact.
PAGE = """<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="{charset}">
<title>گسترش خدمات مشاوره در شهرستان مرودشت - پایگاه خبری آزمون</title>
<meta property="og:title" content="گسترش خدمات مشاوره در شهرستان مرودشت">
<meta property="og:site_name" content="پایگاه خبری آزمون">
<meta property="article:published_time" content="2024-05-12T08:30:00+03:30">
<script>var banner = "حسن کریمی مدیرکل بهزیستی استان تهران گفت: شهرستان ورامین";</script>
<style>.lead {{ font-family: Vazir; }}</style>
</head>
<body>
<nav><ul><li><a href="/">صفحه اصلی</a></li><li><a href="/p">استان اصفهان</a></li></ul></nav>
<article>
<h1>گسترش خدمات مشاوره در شهرستان مرودشت</h1>
<p class="lead">علی رضایی مدیرکل بهزیستی استان فارس گفت: خدمات مشاوره تلفنی در شهرستان مرودشت گسترش می&zwnj;یابد.</p>
<p>وی افزود: امسال 1200 خانواده از این خدمات بهره‌مند شدند و این برنامه در سال آینده نیز ادامه خواهد داشت.</p>
<p>رضایی همچنین از همکاری دستگاه‌های اجرایی در اجرای این طرح قدردانی کرد و گفت که پوشش آن به روستاها هم می‌رسد.</p>
</article>
<aside class="related"><h3>اخبار مرتبط</h3><ul>
<li><a href="/n/2">محمود احمدی معاون بهزیستی استان خراسان رضوی از افتتاح مرکز جدید در شهرستان نیشابور خبر داد</a></li>
<li><a href="/n/3">آغاز طرح غربالگری در شهرستان کاشان</a></li></ul></aside>
<footer>پایگاه خبری آزمون - تهران</footer>
<script>document.write("رئیس بهزیستی شهرستان بوشهر");</script>
</body></html>
"""


def page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset)


@pytest.fixture(scope="module")
def built_page(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    (d / "news.html").write_text(page(), encoding="utf-8")
    return d, build([str(d / "news.html")])


def _labels(result, cls: str) -> set[str]:
    return {r["l"] for r in query(result.graph, f"""
        SELECT ?l {{ ?x a <{KGO}{cls}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = "fa") }}
        """).as_dicts()}


def test_only_the_article_body_makes_facts(built_page):
    _, result = built_page
    assert not result.errors and result.report.conforms
    assert _labels(result, "Person") == {"علی رضایی"}
    assert _labels(result, "Province") == {"فارس"}
    assert _labels(result, "County") == {"مرودشت"}
    officials = query(result.graph, (QUERIES / "officials.rq").read_text(encoding="utf-8")).as_dicts()
    assert [(o["name"], o["role"], o["province"]) for o in officials] == [("علی رضایی", "مدیرکل", "فارس")]
    said = " ".join(r["text"] for r in query(result.graph, (QUERIES / "provenance.rq").read_text(
        encoding="utf-8")).as_dicts())
    for elsewhere in ("کریمی", "تهران", "ورامین", "اصفهان", "احمدی", "نیشابور", "کاشان", "بوشهر", "<", "var "):
        assert elsewhere not in said


def test_the_pages_title_date_and_site_are_the_articles(built_page):
    _, result = built_page
    row = query(result.graph, f"""
        SELECT ?h ?d ?j ?p ?e ?x {{ ?a a <{KGO}NewsArticle> ; <{SCHEMA}headline> ?h ; <{SCHEMA}datePublished> ?d ;
            <{KGO}publishedJalali> ?j ; <{SCHEMA}encodingFormat> ?e ; <{KGO}textExtractedBy> ?x ;
            <{SCHEMA}publisher>/<http://www.w3.org/2000/01/rdf-schema#label> ?p }}""").as_dicts()
    assert row == [{"h": "گسترش خدمات مشاوره در شهرستان مرودشت", "d": "2024-05-12", "j": "1403-02-23",
                    "p": "پایگاه خبری آزمون", "e": "text/html; charset=UTF-8", "x": row[0]["x"]}]
    assert row[0]["x"].startswith("trafilatura 2.")


def test_spans_index_the_extracted_text_which_keeps_half_spaces(built_page):
    d, result = built_page
    doc = decode((d / "news.html").read_bytes(), d / "news.html")
    assert doc.raw.startswith("گسترش خدمات مشاوره در شهرستان مرودشت\n")
    assert "گسترش می\u200cیابد" in doc.raw and "بهره\u200cمند" in doc.raw  # &zwnj; and the character
    assert "<" not in doc.raw and "banner" not in doc.raw and "اخبار مرتبط" not in doc.raw
    spans = query(result.graph, (QUERIES / "provenance.rq").read_text(encoding="utf-8")).as_dicts()
    assert len(spans) >= 5
    for r in spans:
        assert doc.raw[int(r["start"]):int(r["end"])] == r["text"], r


def test_a_text_file_holding_an_html_document_is_read_as_one(built_page, tmp_path):
    _, from_html = built_page
    (tmp_path / "news.html").write_text("\n\n" + page(), encoding="utf-8")  # blank lines before the doctype
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "news.html.txt").write_text(page(), encoding="utf-8")
    result = build([str(tmp_path / "saved")])
    assert _labels(result, "Person") == {"علی رضایی"}
    headline = query(result.graph, f"SELECT ?h {{ ?a <{SCHEMA}headline> ?h }}").as_dicts()
    assert headline == [{"h": "گسترش خدمات مشاوره در شهرستان مرودشت"}]
    assert [o.extractor is not None for _, o in result.read_as] == [True]


def test_a_page_in_windows_1256_is_read_in_the_charset_it_declares(tmp_path):
    text = page("windows-1256").replace("ی", "ي")  # windows-1256 has the Arabic yeh only
    (tmp_path / "old.htm").write_bytes(text.encode("cp1256"))
    result = build([str(tmp_path / "old.htm")])
    assert [(o.encoding, o.how, o.media_type) for _, o in result.read_as] == [
        ("windows-1256", "declared by the page", "text/html")]
    assert _labels(result, "Person") == {"علی رضایی"}
    assert _labels(result, "County") == {"مرودشت"}


def test_build_says_which_files_were_pages(built_page, tmp_path, capsys):
    d, _ = built_page
    out = tmp_path / "s.json"
    assert main(["build", str(d / "news.html"), "-o", str(tmp_path / "kg.ttl"), "--summary-json", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note: 1 HTML page: the article text was extracted by trafilatura 2." in err
    assert json.loads(out.read_text(encoding="utf-8"))["read_as"] == [
        {"path": str(d / "news.html"), "encoding": "UTF-8", "how": "valid UTF-8", "media_type": "text/html",
         "extractor": err.split("extracted by ")[1].split(",")[0]}]
    assert main(["build", str(d / "news.html"), "-o", str(tmp_path / "kg.ttl"), "-v"]) == 0
    assert "HTML page, article text extracted by trafilatura 2." in capsys.readouterr().err


@pytest.mark.parametrize("markup", [
    "<html><head><title>x</title><script>var a = 'مدیرکل بهزیستی استان فارس';</script></head><body></body></html>",
    "<!doctype html><html><body><nav><a href='/'>صفحه اصلی</a></nav></body></html>",
])
def test_a_page_without_article_text_is_refused_never_read_as_markup(tmp_path, markup):
    (tmp_path / "empty.html").write_text(markup, encoding="utf-8")
    with pytest.raises(HtmlError) as e:
        decode((tmp_path / "empty.html").read_bytes(), tmp_path / "empty.html")
    assert str(e.value).endswith("finds no article text; not read [E109]")
    assert str(e.value).startswith(str(tmp_path / "empty.html"))


def test_without_the_extractor_a_page_is_refused_by_name_and_the_batch_goes_on(tmp_path, capsys, monkeypatch):
    (tmp_path / "news.html").write_text(page(), encoding="utf-8")
    (tmp_path / "plain.txt").write_text("علی رضایی مدیرکل بهزیستی استان فارس گفت: خدمات گسترش می‌یابد.\n",
                                        encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # what an install without the html extra sees
    rc = main(["build", str(tmp_path / "news.html"), str(tmp_path / "plain.txt"), "-o", str(tmp_path / "kg.ttl"),
               "-j", "1"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert err.splitlines() == [f"kg-builder: skipped {tmp_path / 'news.html'}: an HTML page, and the HTML text "
                                "extractor (trafilatura) is not installed: pip install 'kg-builder[html]' [E109]"]
    assert "articles:  1 built, 1 skipped" in out
    graph = ox.Store()
    graph.load(path=str(tmp_path / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    assert {t.object.value for t in graph.quads_for_pattern(None, ox.NamedNode(KGO + "sourceFile"), None)} == {
        "plain.txt"}


def test_normalize_prints_a_pages_article_text_not_its_markup(tmp_path, capsys):
    from kg_builder.cli import main

    (tmp_path / "news.html").write_text(page(), encoding="utf-8")
    assert main(["normalize", str(tmp_path / "news.html")]) == 0
    out = capsys.readouterr().out
    assert "مدیرکل بهزیستی استان فارس" in out
    assert "<" not in out and "حسن کریمی" not in out and "بوشهر" not in out  # no markup, no script text


def test_normalize_quotes_control_characters_as_build_does(capsys, monkeypatch):
    import io
    import sys

    from kg_builder.cli import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("مدیر\x1b[2Jکل\x0cبهزیستی\n".encode())))
    assert main(["normalize"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x0c" not in out and out.endswith("بهزیستی\n")
