import re

from hypothesis import given, strategies as st

from kg_builder.text.normalise import characters, normalise_text
from kg_builder.text.offsets import Rewrite

persianish = st.text(alphabet="ابپتثجچحخدذرزسشصضطظعغفقکگلمنوهیيكةۀ۰۱۲۳٤٥0123456789 \u200c\u200f\u064b\u0640\t\n،.:", max_size=80)


def test_identity_maps_every_character_to_itself():
    rw = Rewrite.identity("سلام دنیا")
    assert rw.to_raw(0, 4) == (0, 4)
    assert rw.to_raw(5, 9) == (5, 9)


def test_replacement_of_other_length_maps_to_the_whole_replaced_span():
    rw = Rewrite.identity("ab  cd").sub(re.compile(r" +"), " ")
    assert rw.text == "ab cd"
    assert rw.to_raw(3, 5) == (4, 6)
    assert rw.raw[slice(*rw.to_raw(0, 5))] == "ab  cd"


def test_insertion_maps_to_an_empty_raw_span_and_keeps_neighbours_exact():
    rw = Rewrite.identity("میکنند").apply([(2, 2, "\u200c")])
    assert rw.text == "می\u200cکنند"
    assert rw.to_raw(3, 7) == (2, 6)
    assert rw.to_raw(0, 2) == (0, 2)


def test_composition_of_passes():
    rw = Rewrite.identity("\u200fكتاب  ۱۲").sub("\u200f", "")
    rw = rw.translate({ord("ك"): "ک", ord("۱"): "1", ord("۲"): "2"}).sub(" +", " ")
    assert rw.text == "کتاب 12"
    assert rw.raw[slice(*rw.to_raw(5, 7))] == "۱۲"
    assert rw.raw[slice(*rw.to_raw(0, 4))] == "كتاب"


@given(persianish)
def test_characters_keep_every_span_inside_raw(text):
    rw = characters(Rewrite.identity(text))
    assert len(rw.starts) == len(rw.text) == len(rw.ends)
    for i in range(len(rw.text)):
        a, b = rw.to_raw(i, i + 1)
        assert 0 <= a <= b <= len(text)
    # monotone: later characters never map before earlier ones
    assert list(rw.starts) == sorted(rw.starts)


@given(persianish)
def test_normalising_twice_changes_nothing(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(persianish)
def test_digits_map_one_to_one(text):
    rw = characters(Rewrite.identity(text))
    for m in re.finditer(r"\d", rw.text):
        raw = rw.raw[slice(*rw.to_raw(m.start(), m.end()))]
        assert len(raw) == 1 and raw.translate({ord(c): str(i % 10) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")}) == m.group(0)
