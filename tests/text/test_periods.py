import datetime as dt

from hypothesis import given, strategies as st

from kg_builder.text.periods import find_periods, jalali_year, year_interval

TODAY = dt.date(2024, 10, 24)  # 3 Aban 1403


def one(text, today=TODAY):
    found = find_periods(text, today)
    assert len(found) == 1, found
    return found[0]


def test_a_jalali_year_is_its_whole_interval():
    p = one("در سال ۱۴۰۲ بیش از ۵۰۰ خانوار".replace("۱۴۰۲", "1402"))
    assert (p.first, p.last) == (dt.date(2023, 3, 21), dt.date(2024, 3, 19))
    assert p.phrase == "سال 1402"


def test_range_of_years():
    p = one("از سال 1400 تا پایان 1402 تماس گرفتند")
    assert (p.first, p.last) == (dt.date(2021, 3, 21), dt.date(2024, 3, 19))


def test_two_digit_years():
    assert jalali_year(89) == 1389 and jalali_year(2) == 1402
    p = one("سال‌های 86 تا 88")
    assert p.first == dt.date(2007, 3, 21) and p.last == dt.date(2010, 3, 20)


def test_relative_periods_need_the_article_date():
    assert find_periods("در سال گذشته ۲ هزار نفر", None) == []
    assert one("در سال گذشته 2 هزار نفر").first == dt.date(2023, 3, 21)
    assert one("امسال 300 نفر").first == dt.date(2024, 3, 20)
    since = one("از ابتدای سال جاری 300 نفر")
    assert (since.first, since.last) == (dt.date(2024, 3, 20), TODAY)
    recent = one("در سه سال اخیر 50 هزار واحد")
    assert (recent.first, recent.last) == (dt.date(2021, 10, 24), TODAY)


def test_since_a_year_is_open_without_a_date():
    p = one("سهمیه مسکن از سال 89، 3 هزار واحد", None)
    assert p.first == dt.date(2010, 3, 21) and p.last is None


def test_each_figure_keeps_its_own_year():
    found = find_periods("از 870 میلیارد ریال در سال 1400 به 2080 میلیارد ریال در سال 1402", TODAY)
    assert [p.phrase for p in found] == ["سال 1400", "سال 1402"]


@given(st.integers(min_value=1300, max_value=1499))
def test_year_intervals_tile_the_calendar(year):
    first, last = year_interval(year)
    next_first, _ = year_interval(year + 1)
    assert (next_first - last).days == 1
    assert 365 <= (last - first).days + 1 <= 366
