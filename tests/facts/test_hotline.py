"""The hotline: its written forms, one individual, and the name the article uses."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import hotline
from kg_builder.facts.hotline import Hotline
from kg_builder.model import Named


def test_forms_of_the_line():
    domain = packs.load()
    forms = [(m.text, m.name, m.bare) for m in hotline.find_hotline(
        "با اورژانس اجتماعی 123 یا خط 123 یا سامانه 123 تماس بگیرید؛ اورژانس اجتماعی فعال است", domain)]
    assert forms == [("اورژانس اجتماعی 123", "اورژانس اجتماعی 123", False), ("خط 123", None, False),
                     ("سامانه 123", "سامانه 123", False), ("اورژانس اجتماعی", "اورژانس اجتماعی", True)]


def test_the_service_named_alone_is_not_the_line():
    res = resolved(HEAD + "کارشناسان اورژانس اجتماعی در محل حاضر شدند و کار ادامه دارد.\n", hotline)
    assert not any(isinstance(e, Hotline) for e in res.entities.values())


def test_one_individual_with_the_fullest_name_the_article_uses():
    res = resolved(HEAD + "تماس با اورژانس اجتماعی ۱۲۳ در استان ایلام ۲۰ درصد بیشتر شد و این روند ادامه دارد\n\n"
                   "شهروندان می‌توانند با خط ۱۲۳ به صورت شبانه‌روزی تماس بگیرند.\n", hotline)
    named = [f for f in res.facts if isinstance(f, Named) and isinstance(f.entity, Hotline)]
    assert len(named) == 2 and [f.name_form for f in named if f.name_form] == ["اورژانس اجتماعی 123"]
    assert named[0].entity.label == "اورژانس اجتماعی ۱۲۳"  # the ontology's label
