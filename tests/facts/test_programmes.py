"""Programmes: names after a cue word, known names, and what is not a name."""

import pytest
from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import programmes
from kg_builder.facts.programmes import Campaign, Programme, ServiceSystem
from kg_builder.model import Named


def found(text: str):
    return [(m.text, m.cls, m.known) for m in programmes.find_programmes(text, packs.load(), 6)]


def test_a_name_runs_from_its_cue_word_to_a_stop_word():
    assert found("اجرای طرح غربالگری بینایی کودکان در مدارس") == [("طرح غربالگری بینایی کودکان", "Programme", None)]


def test_quoted_names_and_demonstratives():
    assert found("پویش «ایران مهربان» آغاز شد") == [("پویش ایران مهربان", "Campaign", None)]
    assert found("این طرح ادامه دارد") == []


def test_known_names_without_a_cue_word():
    assert found("مشاوران صدای مشاور پاسخ دادند") == [("صدای مشاور", "ServiceSystem", "صدای مشاور")]
    # a known name that begins with a cue word is found both ways; resolution keeps the known one
    assert ("نهضت ملی مسکن", "Programme", "نهضت ملی مسکن") in found("واحدهای نهضت ملی مسکن تحویل شد")


def test_resolver_keeps_the_outermost_name_and_the_class():
    res = resolved(HEAD + "در قالب طرح نهضت ملی مسکن و سامانه تصمیم در استان و پویش همدلی در شهر آغاز شد.\n",
                   programmes)
    got = {(type(e), e.label) for e in res.entities.values() if isinstance(e, Programme)}
    assert got == {(Programme, "نهضت ملی مسکن"), (ServiceSystem, "سامانه تصمیم"), (Campaign, "پویش همدلی")}


def names(text: str) -> list[str]:
    return [m.text for m in programmes.find_programmes(text, packs.load(), 6) if not m.known]


def test_a_number_before_the_cue_word_counts_projects():
    assert names("با این اعتبار ۴۵ طرح اشتغال خانگی و سه طرح گروهی افتتاح شد") == []
    assert names("در سال ۱۴۰۱ طرح ملی غربالگری کودکان اجرا شد") == ["طرح ملی غربالگری کودکان"]


def test_a_light_verb_takes_its_first_half_from_the_name():
    assert names("مدیرکل از آغاز پویش نان مهربانی خبر داد") == ["پویش نان مهربانی"]
    assert names("سامانه پایش خانوار فعال شد") == ["سامانه پایش خانوار"]
    assert names("مددجویان در سامانه ثبت‌نام کرده‌اند") == []
    assert names("شهرستان پایلوت برنامه ملی ارتقای سلامت روان می‌شود") == ["برنامه ملی ارتقای سلامت روان"]
    assert names("این استان‌ها پایلوت برنامه ملی آموزش والدین انتخاب‌شده‌اند") == ["برنامه ملی آموزش والدین"]


def test_verbs_and_adverbs_end_a_name():
    assert names("ثبت نام در طرح ترنم امید بوده که ادامه دارد") == ["طرح ترنم امید"]
    assert names("پویش گرمای زمستان همزمان با دهه فجر") == ["پویش گرمای زمستان"]


def test_a_known_name_inside_ends_the_name():
    assert found("ثبت نام در طرح نهضت ملی مسکن بوده")[0] == ("طرح نهضت ملی مسکن", "Programme", None)


def test_two_words_joined_by_and():
    assert names("طرح ملی ایمنی و آرامش روستاییان جمعیت هلال احمر آغاز شد") == ["طرح ملی ایمنی و آرامش روستاییان"]
    assert names("کمک‌ها در قالب طرح نیکوکاران و یتیمان استان جمع شد") == ["طرح نیکوکاران و یتیمان"]
    # not after two words, nor before a stop word or another programme
    assert names("طرح غربالگری شنوایی و ۲۰ مرکز") == ["طرح غربالگری شنوایی"]
    assert names("طرح همیاری و پویش همدلی") == ["طرح همیاری", "پویش همدلی"]


def test_a_body_name_ends_a_name_and_may_name_a_system():
    assert names("طرح زمستان گرم کمیته امداد در استان") == ["طرح زمستان گرم"]
    assert names("اطلاعات آنها در سامانه بهزیستی ثبت شد") == ["سامانه بهزیستی"]
    assert names("در طرح بهزیستی استان") == []


def test_slogans_run_over_their_link_word():
    assert names("همچنین پویش هر محله یک کتابخانه کوچک هم در حال اجراست") == ["پویش هر محله یک کتابخانه کوچک"]
    assert names("این پویش هر سال برگزار می‌شود و پس از طرح هر بخش") == []


def test_phrases_the_name_goes_on_after():
    assert names("طرح ملی پیشگیری از سوانح خانگی که از مهر آغاز شد") == ["طرح ملی پیشگیری از سوانح خانگی"]
    assert names("برنامه ملی آموزش پیش از ازدواج انتخاب شد") == ["برنامه ملی آموزش پیش از ازدواج"]
    assert names("طرح غربالگری پیش از این اجرا شد") == ["طرح غربالگری"]


@pytest.mark.parametrize("text", [
    "آغاز «پویش هر کوچه یک نهال» در استان", "آغاز »پویش هر کوچه یک نهال« در استان",
    "آغاز “پویش هر کوچه یک نهال” در استان", "آغاز پویش «هر کوچه یک نهال» در استان",
    "آغاز پویش “هر کوچه یک نهال” در استان", "آغاز پویش »هر کوچه یک نهال« در استان",
])
def test_quoted_names_with_any_quote_marks(text):
    assert names(text) == ["پویش هر کوچه یک نهال"]


def test_quoted_speech_is_not_a_name():
    assert names("وی گفت: «طرح غربالگری در همه مدارس اجرا شد.»") == ["طرح غربالگری"]
    assert names("«طرح غربالگری در همه مدارس اجرا می‌شود»") == ["طرح غربالگری"]
    assert names("«طرح آوای مهر، خانه امید» در استان") == ["طرح آوای مهر، خانه امید"]


def test_one_programme_named_by_its_fullest_form():
    res = resolved(HEAD + "آغاز طرح گرمابخش زمستانه در استان\n\n"
                   "مدیرکل گفت: طرح ملی گرمابخش زمستانه از امروز در استان آغاز شد و طرح گرمابخش ادامه دارد.\n",
                   programmes)
    progs = [e for e in res.entities.values() if isinstance(e, Programme)]
    assert [e.label for e in progs] == ["طرح ملی گرمابخش زمستانه"]
    forms = {f.name_form for f in res.facts if isinstance(f, Named) and isinstance(f.entity, Programme)}
    assert forms == {"طرح ملی گرمابخش زمستانه", None}


def test_a_cue_word_with_its_ezafe_written():
    assert names("ثبت در سامانه‌ی جامع پرونده‌ها انجام شد") == ["سامانه جامع پرونده‌ها"]
    assert names("ثبت در سامانه یکپارچه پرونده‌ها انجام شد") == ["سامانه یکپارچه پرونده‌ها"]


def test_an_occasion_is_a_programme_only_after_a_cue_word():
    """Weeks, days and decades are occasions, not programmes (the annotation conventions);
    a campaign named after one is a programme, and the occasion's name ends it."""
    assert found("همزمان با دهه کرامت مراسمی برگزار شد") == []
    assert found("خیران در پویش دهه کرامت مدیرکل را همراهی کردند") == [("پویش دهه کرامت", "Campaign", None)]


def test_a_word_or_two_then_the_quoted_name():
    assert names("آغاز پویش مردمی «نان و مهربانی» در استان") == ["پویش مردمی نان و مهربانی"]
    assert names("طرح غربالگری “آوای نوزاد” در زایشگاه‌ها") == ["طرح غربالگری آوای نوزاد"]


def test_the_line_is_not_a_programme_but_a_programme_may_hold_its_name():
    res = resolved(HEAD + "گزارش‌ها از طریق سامانه اورژانس اجتماعی ثبت شد و طرح توسعه اورژانس اجتماعی در شهرها آغاز شد.\n",
                   programmes)
    assert [e.label for e in res.entities.values() if isinstance(e, Programme)] == ["طرح توسعه اورژانس اجتماعی"]
