"""Programmes: names after a cue word, known names, and what is not a name."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import programmes
from kg_builder.facts.programmes import Campaign, Programme, ServiceSystem


def found(text: str):
    return [(m.text, m.cls, m.known) for m in programmes.find_programmes(text, packs.load(), 6)]


def test_a_name_runs_from_its_cue_word_to_a_stop_word():
    assert found("اجرای طرح غربالگری بینایی کودکان در مدارس") == [("طرح غربالگری بینایی کودکان", "Programme", None)]


def test_quoted_names_and_demonstratives():
    assert found("پویش «ایران مهربان» آغاز شد") == [("پویش ایران مهربان", "Campaign", None)]
    assert found("این طرح ادامه دارد") == []


def test_known_names_without_a_cue_word():
    assert found("واحدهای دهه کرامت اعلام شد") == [("دهه کرامت", "Campaign", "دهه کرامت")]
    # a known name that begins with a cue word is found both ways; resolution keeps the known one
    assert ("نهضت ملی مسکن", "Programme", "نهضت ملی مسکن") in found("واحدهای نهضت ملی مسکن تحویل شد")


def test_resolver_keeps_the_outermost_name_and_the_class():
    res = resolved(HEAD + "در قالب طرح نهضت ملی مسکن و سامانه تصمیم در استان و پویش همدلی در شهر آغاز شد.\n",
                   programmes)
    got = {(type(e), e.label) for e in res.entities.values() if isinstance(e, Programme)}
    assert got == {(Programme, "نهضت ملی مسکن"), (ServiceSystem, "سامانه تصمیم"), (Campaign, "پویش همدلی")}
