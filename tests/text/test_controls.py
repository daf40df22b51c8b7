"""Control characters and non-characters are replaced one for one before anything reads the text."""

import re

from hypothesis import given
from hypothesis import strategies as st

from kg_builder.text.controls import CONTROLS, REPLACEMENT, XML_UNSAFE, neutralise, xml_safe

XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def test_separators_become_spaces_and_other_controls_the_replacement_character():
    assert neutralise("a\x0cb\x0bc\x85d") == "a b c d"
    assert neutralise("a\x1bb\x00c\x7fd\x9be\ufffef\uffff") == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffd"
    text = "سلام\tدنیا\r\n\u200c\u202e"
    assert neutralise(text) == text  # text, line ends and bidi marks stay


@given(st.text())
def test_same_length_and_nothing_an_output_cannot_hold(text):
    out = neutralise(text)
    assert len(out) == len(text)
    assert not CONTROLS.search(out) and XML_CHAR.fullmatch(xml_safe(text))
    assert all(a == b or b in (" ", REPLACEMENT) for a, b in zip(text, out))
    assert neutralise(out) == out and xml_safe(out) == out
    assert not XML_UNSAFE.search(out)


def test_the_clean_stage_quotes_the_neutralised_file_text_at_the_same_offsets():
    from kg_builder.config import Config
    from kg_builder.model import Document
    from kg_builder.stages import clean

    raw = "استان\x1bزنجان\x0cبهزیستی\ufeff"
    doc = clean.run(Document(path="x.txt", source="x.txt", raw=raw), Config())
    assert doc.raw == "استان\ufffdزنجان بهزیستی\ufeff"
    assert doc.text == "استان زنجان بهزیستی"
    start = doc.text.index("زنجان")
    assert doc.span(start, start + 5).text == "زنجان" == raw[doc.span(start, start + 5).start:][:5]
