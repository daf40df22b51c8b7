"""Property tests of reading (the fuzz job runs them with many more cases): Persian text in any encoding read
decodes back exactly and gives the facts its UTF-8 twin gives at the same offsets; Persian text in an HTML
page comes out of the extractor without markup, or the page is refused by name, never a crash."""

from __future__ import annotations

import html as escape

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg_builder.config import Config
from kg_builder.errors import DecodeError, HtmlError
from kg_builder.model import Origin
from kg_builder.pipeline import process
from kg_builder.stages.read import _persian, decode, decode_text

# words windows-1256 can write (Arabic yeh, as old sites wrote it), and phrases that make facts
WORDS = ("خدمات مشاوره بهزيستي خانواده امسال سال آينده برنامه طرح اجراي همکاري دستگاه اجرايي روستا پوشش مرکز "
         "جديد افتتاح نفر کودکان زنان سرپرست معلولان توانبخشي درمان پزشکي اعتبار ميليارد ريال تومان درصد افزايش "
         "کاهش گزارش خبرنگار گفت افزود کرد شد است بود و در از به با براي که اين آن").split()
PHRASES = ["مديرکل بهزيستي استان فارس", "شهرستان مرودشت", "علي رضايي", "1200 خانواده", "اورژانس اجتماعي 123",
           "استان گيلان", "شهرستان رشت", "گفت:", "بهره\u200cمند", "مي\u200cشود", "پژوهش", "چگونه", "گذشته"]
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهيئءآ"
gap = st.sampled_from([" ", " ", " ", "  ", "\n", "\r\n", "، ", ". ", "؛ ", "\u200c"])


@st.composite
def persian(draw, least: int = 6, word=st.sampled_from(WORDS) | st.sampled_from(PHRASES)) -> str:
    """Persian text made of words: real ones by default, any letters with ``word=letters``."""
    words = draw(st.lists(word, min_size=least, max_size=25))
    gaps = draw(st.lists(gap, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps)).lstrip("\u200c") + "\n"


letters = st.text(alphabet=LETTERS, min_size=1, max_size=8)
# Arabic words, in the letters ISO-8859-6 and cp720 have (no Persian پ چ ژ گ ک, no half-space)
ARABIC = ("قال مدير الرعاية الاجتماعية في المحافظة إن الخدمات ستتوسع هذا العام كل المدن والقرى وأضاف أن عدد "
          "الأسر المستفيدة بلغ ألف أسرة من البرنامج الجديد").split()


ENCODINGS = [("cp1256", "windows-1256", ""), ("utf-16-le", "UTF-16LE", ""), ("utf-16-be", "UTF-16BE", ""),
             ("utf-16", "UTF-16LE", "\ufeff"), ("utf-8-sig", "UTF-8", "\ufeff"), ("utf-32", "UTF-32LE", "\ufeff")]
CONFIG = Config()


def _facts(doc) -> list:
    return sorted((type(f).__name__, s.start, s.end, s.text) for f in doc.facts for s in f.spans)


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=persian(), encoding=st.sampled_from(ENCODINGS))
def test_persian_in_any_encoding_read_decodes_back_with_its_twins_facts_at_exact_offsets(text, encoding):
    codec, name, bom = encoding
    data = text.encode(codec)
    decoded, origin = decode_text(data, "f.txt")
    assert decoded == bom + text
    assert origin.encoding == name
    doc, twin = process("f.txt", CONFIG, data), process("f.txt", CONFIG, (bom + text).encode("utf-8"))
    assert _facts(doc) == _facts(twin)
    for _, start, end, quoted in _facts(doc):
        assert decoded[start:end] == quoted


@pytest.mark.fuzz
@given(text=persian(1, letters), encoding=st.sampled_from(ENCODINGS))
def test_any_letters_are_read_as_persian_or_refused_never_as_anything_else(text, encoding):
    """Any letters, however unlike Persian (a line of hamzas): a reading may give up, and a one-letter text may
    read as another letter of another code page, but what is read is Arabic-script text, never symbols,
    Latin letters or control characters."""
    codec, name, bom = encoding
    try:
        decoded, origin = decode_text(text.encode(codec), "f.txt")
    except DecodeError as e:
        assert not bom and str(e).startswith("f.txt: ") and str(e).endswith("[E102]")
        return
    if bom or origin.encoding == name:
        assert decoded == bom + text
    if origin.how == "guessed":
        assert _persian(decoded) >= CONFIG.read.min_persian_letters


@pytest.mark.fuzz
@given(words=st.lists(st.sampled_from(ARABIC), min_size=6, max_size=25, unique=True),
       encoding=st.sampled_from([("iso8859-6", "ISO-8859-6"), ("cp720", "cp720")]))
def test_arabic_in_the_arabic_code_pages_is_read_back(words, encoding):
    """Arabic text as it is written: with «في». A text without ي, ق and the other letters where ISO-8859-6 and
    windows-1256 differ reads as Arabic letters in both (a permutation of them): then no detector tells them
    apart (charset-normalizer ranks windows-1256 first), and the build's note says the encoding was guessed."""
    codec, name = encoding
    text = " ".join(["في", *words]) + ".\n"
    assert decode_text(text.encode(codec), "f.txt") == (text, Origin(name, "guessed"))


TEMPLATE = """<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<script>var SCRIPTMARK = "{script}";</script><style>.SCRIPTMARK {{ color: red; }}</style></head>
<body><nav><a href="/">NAVMARK</a></nav><article><h1>{title}</h1>{paragraphs}</article>
<aside class="related"><a href="/n/1">RELATEDMARK</a></aside></body></html>"""


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(title=persian(2), paragraphs=st.lists(persian(), min_size=1, max_size=4), script=persian(1))
def test_persian_in_an_html_page_comes_out_without_markup_or_is_refused(title, paragraphs, script):
    title = " ".join(title.split())
    assume(title)
    page = TEMPLATE.format(title=escape.escape(title), script=" ".join(script.split()),
                           paragraphs="".join(f"<p>{escape.escape(p)}</p>" for p in paragraphs))
    try:
        doc = decode(page.encode("utf-8"), "page.html")
    except HtmlError as e:
        assert str(e).startswith("page.html: ") and str(e).endswith("[E109]")
        return
    written = set(title + "".join(paragraphs)) | set(" \n")
    assert set(doc.raw) <= written  # no markup, no script, no menu, no stand-in for a half-space
    assert "<" not in doc.raw and "MARK" not in doc.raw
    assert doc.origin.media_type == "text/html" and doc.origin.extractor.startswith("trafilatura ")
