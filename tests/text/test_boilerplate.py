"""Article body versus site chrome (invented pages in the style of Iranian news sites)."""

from hypothesis import given
from hypothesis import strategies as st

from kg_builder.text.boilerplate import body_ranges

HEADLINE = "افتتاح دو مرکز جدید توانبخشی در شهرستان نمونه"
LEAD = "فرماندار شهرستان نمونه گفت: دو مرکز توانبخشی با ظرفیت ۱۲۰ نفر امروز به بهره برداری رسید."
P1 = "به گزارش خبرنگار ما، این مراکز با اعتبار ۵۰ میلیارد ریال ساخته شده اند."
P2 = "وی افزود: ساخت مرکز سوم نیز از ماه آینده آغاز می شود."


def body_text(text: str) -> list[str]:
    return [text[s:e] for s, e in body_ranges(text)]


def kept_lines(text: str) -> list[str]:
    return [ln for chunk in body_text(text) for ln in chunk.split("\n") if ln.strip()]


PAGE = "\n".join([
    "صفحه اصلی | اجتماعی | استان ها",
    "آخرین اخبار",
    "مدیرکل بهزیستی",
    "یکشنبه ۵ آذر ۱۴۰۲ - ۱۰:۱۲",
    "کد خبر: ۴۴۵۵۶۶",
    "کد خبرنگار: ۱۲",
    "A A",
    "۱۲ نفر",
    HEADLINE,
    "",
    LEAD,
    "اشتراک گذاری",
    P1,
    "",
    P2,
    "۱۷",
    "برچسب‌ها",
    "توانبخشی",
    "اخبار مرتبط",
    "افتتاح یک مرکز دیگر در شهرستان همسایه با حضور مسئولان",
    "نظر شما",
    "شما در حال پاسخ به نظر «» هستید.",
    "captcha",
])


def test_body_of_a_typical_page():
    assert kept_lines(PAGE) == [HEADLINE, LEAD, P1, P2]


def test_ranges_cover_whole_lines_and_merge_over_blank_lines():
    ranges = body_ranges(PAGE)
    assert PAGE[ranges[0][0]:ranges[0][1]] == HEADLINE + "\n\n" + LEAD
    assert PAGE[ranges[1][0]:ranges[1][1]] == P1 + "\n\n" + P2
    assert len(ranges) == 2


def test_footer_marker_ends_the_body():
    text = "\n".join([HEADLINE, LEAD, "انتهای پیام/", P1])
    assert kept_lines(text) == [HEADLINE, LEAD]


def test_end_of_message_inside_the_last_paragraph():
    text = "\n".join([HEADLINE, LEAD + " انتهای پیام/", P1])
    assert kept_lines(text) == [HEADLINE, LEAD + " انتهای پیام/"]


def test_tags_above_the_article_do_not_end_it():
    text = "\n".join(["برچسب ها", "آموزش", HEADLINE, "اخبار مرتبط", LEAD, P1, "پربیننده ها", P2])
    assert kept_lines(text) == [HEADLINE, LEAD, P1]


def test_repeated_headline_is_dropped():
    text = "\n".join([HEADLINE, LEAD, HEADLINE.replace("دو", "دو "), P1])
    assert kept_lines(text) == [HEADLINE, LEAD, P1]


def test_short_line_with_sentence_punctuation_is_body():
    text = "\n".join([HEADLINE, LEAD, "وی گفت: بله.", "عکس", P1])
    assert kept_lines(text) == [HEADLINE, LEAD, "وی گفت: بله.", P1]


def test_ads_and_comment_forms():
    text = "\n".join([HEADLINE, LEAD, "قیمت بک لینک و رپورتاژ", P1])
    assert kept_lines(text) == [HEADLINE, LEAD]
    text = "\n".join([HEADLINE, LEAD, "اولین فردی باشید که در مورد این مطلب نظر می دهید", P1])
    assert kept_lines(text) == [HEADLINE, LEAD]


def test_crlf_line_ends_are_not_in_ranges():
    text = HEADLINE + "\r\n" + LEAD + "\r\n"
    ranges = body_ranges(text)
    assert ranges == [(0, len(HEADLINE) + 2 + len(LEAD))]
    assert not text[ranges[0][0]:ranges[0][1]].endswith("\r")


def test_no_article():
    assert body_ranges("") == []
    assert body_ranges("نظر شما\ncaptcha\n۰ نفر") == []


@given(st.lists(st.sampled_from([HEADLINE, LEAD, P1, P2, "", "کد خبر: 1", "نظر شما", "۱۲", "T T"]),
                max_size=12))
def test_ranges_are_ordered_disjoint_line_aligned(lines):
    text = "\n".join(lines)
    ranges = body_ranges(text)
    last = -1
    for s, e in ranges:
        assert last < s < e <= len(text)
        assert s == 0 or text[s - 1] == "\n"
        assert e == len(text) or text[e] == "\n"
        last = e


def test_long_metadata_line_is_not_the_headline():
    text = "\n".join(["کد خبر: ۱۲۳ تاریخ انتشار: پنجشنبه ۳ آبان ۱۴۰۳ - ۰۸:۴۷", HEADLINE, LEAD])
    assert kept_lines(text) == [HEADLINE, LEAD]
