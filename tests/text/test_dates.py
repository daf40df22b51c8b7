"""Jalali dates: forms, spans, conversion and the publication date (invented examples)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg_builder.text.dates import JalaliDate, find_dates, publication_date

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def one(text: str) -> JalaliDate:
    found = find_dates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, ymd, greg, has_time",
    [
        ("3 آبان 1403", (1403, 8, 3), datetime.date(2024, 10, 24), False),
        ("23 تیر 1398 - 13:01", (1398, 4, 23), datetime.date(2019, 7, 14), True),
        ("3 آبان 1403، 8:47", (1403, 8, 3), datetime.date(2024, 10, 24), True),
        ("1403/08/03", (1403, 8, 3), datetime.date(2024, 10, 24), False),
        ("1403-08-03", (1403, 8, 3), datetime.date(2024, 10, 24), False),
        ("1403/8/3", (1403, 8, 3), datetime.date(2024, 10, 24), False),
        ("03/08/1403", (1403, 8, 3), datetime.date(2024, 10, 24), False),
        ("23 تیر ماه 98", (1398, 4, 23), datetime.date(2019, 7, 14), False),
        ("23 تیرماه سال 98", (1398, 4, 23), datetime.date(2019, 7, 14), False),
        ("12 خرداد 02", (1402, 3, 12), datetime.date(2023, 6, 2), False),
        ("1 فروردین 1400", (1400, 1, 1), datetime.date(2021, 3, 21), False),
        ("30 اسفند 1403", (1403, 12, 30), datetime.date(2025, 3, 20), False),
        ("5 دی 1401 ساعت 09:15", (1401, 10, 5), datetime.date(2022, 12, 26), True),
        ("10 اردیبهشت 1402 هجری شمسی", (1402, 2, 10), datetime.date(2023, 4, 30), False),
        ("13:05 - 1402/07/02", (1402, 7, 2), datetime.date(2023, 9, 24), True),
    ],
)
def test_forms(text, ymd, greg, has_time):
    d = one(text)
    assert (d.year, d.month, d.day) == ymd
    assert d.gregorian == greg
    assert d.has_time is has_time
    assert (d.start, d.end) == (0, len(text))


def test_persian_digits_and_arabic_letters_keep_offsets():
    text = "امروز ۲۳ تير ۱۳۹۸ بود"  # Arabic yeh in the month name
    d = one(text)
    assert text[d.start:d.end] == "۲۳ تير ۱۳۹۸"
    assert d.gregorian == datetime.date(2019, 7, 14)


def test_weekday_is_part_of_the_span():
    text = "پنجشنبه ۳ آبان ۱۴۰۳ - ۰۸:۴۷"
    d = one(text)
    assert d.weekday == "پنجشنبه"
    assert (d.start, d.end) == (0, len(text))
    d = one("سه شنبه، 12 اسفند 1399")
    assert d.weekday == "سه‌شنبه"
    assert d.gregorian == datetime.date(2021, 3, 2)


def test_date_without_year():
    d = one("عصر دیروز (۲۲ تیر) در سالن اجتماعات")
    assert (d.year, d.month, d.day, d.gregorian) == (None, 4, 22, None)


def test_month_and_year_without_day():
    d = one("این طرح از خرداد ۱۴۰۲ آغاز شد")
    assert (d.year, d.month, d.day, d.gregorian) == (1402, 3, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "به گزارش مهر ۱۴۰۲ نفر",  # the agency, not the month
        "۲ دیدار برگزار شد",
        "۳ تیرانداز",
        "۱۲۳ مهر",
        "از سال 1400 تا 1402",
        "1403/13/01",
        "۳۲ آذر ۱۴۰۲",
        "۳۰ اسفند ۱۴۰۲",  # 1402 is not a leap year
        "در دی ۱۴۰۲",  # دی needs ماه without a day
    ],
)
def test_not_dates(text):
    assert find_dates(text) == []


def test_two_digit_count_is_not_a_year():
    d = one("تا ۲۲ تیر 20 نفر ثبت نام کردند")
    assert d.year is None


def test_several_dates_in_order():
    text = "از ۱ مهر ۱۴۰۲ تا ۱۴۰۳/۰۶/۳۱ ادامه داشت"
    found = find_dates(text)
    assert [(d.year, d.month, d.day) for d in found] == [(1402, 7, 1), (1403, 6, 31)]


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
       st.booleans())
def test_numeric_round_trip_and_digit_independence(greg, persian):
    import jdatetime

    j = jdatetime.date.fromgregorian(date=greg)
    text = f"تاریخ: {j.year}/{j.month:02d}/{j.day:02d}"
    if persian:
        text = text.translate(FA_DIGITS)
    d = one(text)
    assert d.gregorian == greg
    assert text[d.start:d.end].startswith(text[7:11])


# ----------------------------------------------------------------------------- publication

PAGE = """صفحه اصلی
سرپرست آموزش و پرورش از افتتاح سه مدرسه جدید در شهرستان خبر داد
تاریخ انتشار: ۱۴۰۲/۰۵/۱۰
به گزارش خبرنگار ما، این مدارس در ۲۳ تیر ۱۴۰۲ با حضور مسئولان استانی افتتاح شد.
نظر شما"""


def test_label_beats_a_body_mention():
    body = [(PAGE.index("سرپرست"), PAGE.index("\nنظر"))]
    d = publication_date(PAGE, body)
    assert d is not None and (d.year, d.month, d.day) == (1402, 5, 10)


def test_mention_in_a_sentence_is_not_the_publication_date():
    text = "به گزارش خبرنگار ما، این همایش در ۲۳ تیر ۱۴۰۲ در سالن اجتماعات استانداری برگزار شد."
    assert publication_date(text, [(0, len(text))]) is None


def test_sentence_with_a_time_is_still_a_mention():
    text = "این مراسم ۵ مهر ۱۴۰۲ ساعت ۱۰:۳۰ در سالن همایش های شهرداری برگزار می شود."
    assert publication_date(text) is None


def test_date_with_time_wins():
    text = "عنوان خبر در چند کلمه برای آزمون\nدوشنبه ۷ اسفند ۱۴۰۲ - ۱۱:۲۰\nمتن خبر در ۳ بهمن ۱۴۰۲ منتشر شد."
    d = publication_date(text, [(0, 31)])
    assert d is not None and d.gregorian == datetime.date(2024, 2, 26) and d.has_time


def test_standalone_line_outside_body():
    text = "شهردار از آغاز عملیات اجرایی پل جدید خبر داد\n۱۲ آذر ۱۴۰۱\nپایان پیام"
    d = publication_date(text, [(0, text.index("\n"))])
    assert d is not None and d.gregorian == datetime.date(2022, 12, 3)


def test_standalone_line_inside_body_does_not_qualify():
    text = "۱۲ آذر ۱۴۰۱"
    assert publication_date(text, [(0, len(text))]) is None


def test_label_on_the_neighbouring_line():
    text = "کد خبر: ۱۲۳۴۵\n۱۴۰۱/۰۹/۱۲\nمتن"
    d = publication_date(text, [(len(text) - 3, len(text))])
    assert d is not None and (d.year, d.month, d.day) == (1401, 9, 12)


def test_site_today_is_not_the_publication_date():
    text = "امروز: شنبه ۱۰ آذر ۱۴۰۳\nعنوان خبر آزمایشی در چند کلمه ساده"
    assert publication_date(text, [(text.index("عنوان"), len(text))]) is None


def test_no_year_no_publication_date():
    assert publication_date("خبر\n۲۲ تیر - ۱۰:۳۰\n") is None  # a time but no year


@pytest.mark.parametrize("opening", [" date 2024-03-05 ", "date: 2024-03-05\n", "2024/03/05\n", "تاریخ: 2024-03-05\n"])
def test_leading_gregorian_date_is_the_publication_date(opening):
    text = opening + "مدیرکل بهزیستی استان یزد گفت: این طرح در ۳ شهرستان اجرا می شود.\n۱۲ آذر ۱۴۰۱\n"
    d = publication_date(text, [(len(opening), text.index("\n۱۲"))])
    assert d is not None and d.gregorian == datetime.date(2024, 3, 5)
    assert (d.year, d.month, d.day) == (1402, 12, 15)  # the Jalali date is its conversion
    assert text[d.start:d.end].replace("/", "-") == "2024-03-05"


@pytest.mark.parametrize("text", [
    "متن خبر با تاریخ 2024-03-05 در میان جمله آمده است.",  # not at the start
    " date 2024-13-05 متن",  # no such month
    "1402-12-15 متن",  # a Jalali year: the ordinary rules apply
])
def test_gregorian_date_only_when_it_opens_the_text(text):
    d = publication_date(text, [(0, len(text))])
    assert d is None or d.gregorian != datetime.date(2024, 3, 5)
