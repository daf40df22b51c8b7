"""Resolve stage on invented articles: officials in several word orders, places, statistics in context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg_builder.config import load
from kg_builder.facts.hotline import Hotline
from kg_builder.facts.people import Person
from kg_builder.facts.places import County, Province
from kg_builder.facts.posts import Membership
from kg_builder.facts.statistics import Statistic
from kg_builder.model import Named
from kg_builder.pipeline import process


@pytest.fixture
def article(tmp_path):
    def make(text: str, name: str = "t.txt"):
        p = Path(tmp_path) / name
        p.write_text(text, encoding="utf-8")
        return process(p, load())
    return make


HEAD = "کد خبر: 4455667\n۱۲ مهر ۱۴۰۲ - ۱۰:۳۰\n\n"


def officials(doc):
    return {(f.person.label, f.role.label, f.organization.label if f.organization else None)
            for f in doc.facts if isinstance(f, Membership)}


def labels(doc, cls) -> set[str]:
    return {e.label for e in doc.entities if isinstance(e, cls)}


def test_name_then_role_apposition(article):
    doc = article(HEAD + "تیتر خبر درباره برنامه‌های بهزیستی در استان یزد منتشر شد\n\n"
                  "یزد - ایسنا - سیده مریم شفیعی، معاون پیشگیری بهزیستی استان یزد گفت: ۲۰۰ مرکز فعال است.\n")
    assert officials(doc) == {("مریم شفیعی", "معاون پیشگیری", "اداره کل بهزیستی استان یزد")}
    person = next(e for e in doc.entities if isinstance(e, Person))
    assert person.titles == ("سیده",)


def test_role_in_lead_name_in_next_paragraph(article):
    doc = article(HEAD + "مدیرکل بهزیستی استان گیلان از افزایش پوشش خبر داد\n\n"
                  "رشت - ایرنا - مدیرکل بهزیستی استان گیلان گفت: ۱۲ هزار خانوار تحت پوشش هستند.\n\n"
                  "کامران سلطانی افزود: ۴۰ درصد این خانوارها در روستاها زندگی می‌کنند.\n")
    assert officials(doc) == {("کامران سلطانی", "مدیرکل", "اداره کل بهزیستی استان گیلان")}


def test_county_office_and_governor(article):
    doc = article(HEAD + "بازدید از مراکز بهزیستی در شهرستان مرودشت انجام شد و گزارش آن منتشر شد\n\n"
                  "رئیس اداره بهزیستی شهرستان مرودشت، علی رضایی گفت: ۵۰ نفر اشتغال یافتند.\n"
                  "همچنین حسن مرادی، فرماندار ویژه شهرستان مرودشت گفت: ۳۰ واحد مسکونی تحویل شد.\n")
    got = officials(doc)
    assert ("علی رضایی", "رئیس", "اداره بهزیستی شهرستان مرودشت") in got
    assert ("حسن مرادی", "فرماندار", "فرمانداری مرودشت") in got
    assert labels(doc, County) == {"مرودشت"}
    assert labels(doc, Province) >= {"فارس"}


def test_role_without_a_name_is_no_official(article):
    doc = article(HEAD + "نشست شورای مشارکت‌ها با حضور استاندار فارس و رئیس سازمان بهزیستی کشور برگزار شد\n\n"
                  "در این نشست ۳۵ طرح اشتغال‌زایی بررسی و ۱۲ مورد تصویب شد.\n")
    assert officials(doc) == set()


def test_statistic_context(article):
    doc = article(HEAD + "گزارش عملکرد بهزیستی استان کرمان در حوزه مسکن منتشر شد\n\n"
                  "کرمان - ایرنا - مهدی کریمی، مدیرکل بهزیستی استان کرمان گفت: در سال ۱۴۰۱ بیش از ۳۲۰ واحد مسکونی "
                  "در قالب نهضت ملی مسکن به مددجویان تحویل شد.\n\n"
                  "وی افزود: در سال گذشته ۱۸۰ خانوار زنان سرپرست خانوار از ودیعه مسکن بهره‌مند شدند.\n")
    stats = {f.value: f for f in doc.facts if isinstance(f, Statistic)}
    s320, s180 = stats[320], stats[180]
    assert s320.approximate is True
    assert s320.period == (dt.date(2022, 3, 21), dt.date(2023, 3, 20))
    assert ("programme", "نهضتملیمسکن") in {e.identity for e in s320.about}
    assert s320.group.key == "clients"
    # the pronoun وی carries the speaker on; سال گذشته is the year before the article's (1402)
    assert s180.speaker.key == s320.speaker.key == "مهدیکریمی"
    assert s180.period == (dt.date(2022, 3, 21), dt.date(2023, 3, 20))
    assert s180.group.key == "female-headed-households"


def test_repeated_figure_is_one_fact_with_two_spans(article):
    doc = article(HEAD + "بیش از ۴۰۰ کودک در طرح غربالگری شرکت کردند و نتایج اعلام شد\n\n"
                  "مدیرکل بهزیستی استان قم گفت: بیش از ۴۰۰ کودک در طرح غربالگری شرکت کردند.\n")
    facts = [f for f in doc.facts if isinstance(f, Statistic) and f.value == 400]
    assert len(facts) == 1 and len(facts[0].spans) == 2
    assert all(doc.raw[s.start:s.end] == s.text for s in facts[0].spans)


def test_province_named_like_a_county_elsewhere(article):
    doc = article(HEAD + "سامانه تصمیم در همه شهرستان‌های قزوین به جز آوج و البرز راه‌اندازی شد و کار می‌کند\n")
    assert labels(doc, County) == {"آوج", "البرز"}
    assert labels(doc, Province) == {"قزوین"}


def test_hotline_is_one_individual_with_the_articles_name(article):
    doc = article(HEAD + "تماس با اورژانس اجتماعی ۱۲۳ در استان ایلام ۲۰ درصد بیشتر شد و این روند ادامه دارد\n\n"
                  "شهروندان می‌توانند با خط ۱۲۳ به صورت شبانه‌روزی تماس بگیرند.\n")
    mentions = [f for f in doc.facts if isinstance(f, Named) and isinstance(f.entity, Hotline)]
    assert len(mentions) == 2
    assert [f.name_form for f in mentions if f.name_form] == ["اورژانس اجتماعی 123"]
    assert not any(isinstance(f, Statistic) and f.value == 123 for f in doc.facts)
