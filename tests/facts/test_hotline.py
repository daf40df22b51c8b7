"""The hotline: its written forms, one individual, and the name the article uses."""

import pytest
from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import hotline
from kg_builder.facts.hotline import Hotline
from kg_builder.model import Named


def forms(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.name) for m in hotline.find_hotline(text, packs.load())]


def test_forms_of_the_line():
    assert forms("با اورژانس اجتماعی 123 یا خط 123 یا سامانه 123 تماس بگیرید؛ اورژانس اجتماعی فعال است") == [
        ("اورژانس اجتماعی 123", "اورژانس اجتماعی 123"), ("خط 123", None),
        ("سامانه 123", "سامانه 123"), ("اورژانس اجتماعی", "اورژانس اجتماعی")]


def test_the_service_named_alone_is_the_line():
    """The 123 service under any of its names is the line: «اورژانس اجتماعی» alone too."""
    res = resolved(HEAD + "کارشناسان اورژانس اجتماعی در محل حاضر شدند و کار ادامه دارد.\n", hotline)
    named = [f for f in res.facts if isinstance(f, Named) and isinstance(f.entity, Hotline)]
    assert [f.name_form for f in named] == ["اورژانس اجتماعی"]


@pytest.mark.parametrize("text, name", [
    ("گروه هدف اورژانس اجتماعی (123) خانواده‌ها هستند", "اورژانس اجتماعی 123"),
    ("گروه هدف اورژانس اجتماعی «123» خانواده‌ها هستند", "اورژانس اجتماعی 123"),
    ("مردم با اورژانس اجتماعی با شماره 123 تماس گرفتند", "اورژانس اجتماعی 123"),
    ("اورژانس اجتماعی به شماره تلفن 123 پاسخگوست", "اورژانس اجتماعی 123"),
    ("اورژانس اجتماعی (شماره 123) پاسخگوست", "اورژانس اجتماعی 123"),
])
def test_the_number_in_brackets_or_after_link_words_names_the_line(text, name):
    (found,) = forms(text)
    assert found[1] == name and found[0].count("(") == found[0].count(")")


def test_a_count_after_the_name_is_not_the_number():
    assert forms("اورژانس اجتماعی 123 هزار تماس را پاسخ داد") == [("اورژانس اجتماعی", "اورژانس اجتماعی")]


def test_the_number_among_words():
    assert [f[0] for f in forms("شهروندان با 123 تماس بگیرند")] == ["با 123 تماس"]
    assert forms("به 123 نفر کمک شد و با 123 نفر تماس گرفتند") == []


def test_one_individual_with_the_fullest_name_the_article_uses():
    res = resolved(HEAD + "تماس با اورژانس اجتماعی ۱۲۳ در استان ایلام ۲۰ درصد بیشتر شد و این روند ادامه دارد\n\n"
                   "شهروندان می‌توانند با خط ۱۲۳ به صورت شبانه‌روزی تماس بگیرند.\n", hotline)
    named = [f for f in res.facts if isinstance(f, Named) and isinstance(f.entity, Hotline)]
    assert len(named) == 2 and [f.name_form for f in named if f.name_form] == ["اورژانس اجتماعی 123"]
    assert named[0].entity.label == "اورژانس اجتماعی ۱۲۳"  # the ontology's label
