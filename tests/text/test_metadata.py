"""News codes and reporting outlets (invented bylines and footers)."""

import pytest

from kg_builder.text.metadata import agencies, agency, news_code


@pytest.mark.parametrize(
    "text, code",
    [
        ("کد خبر: ۴۴۵۵۶۶", "445566"),
        ("کد خبر 70123", "70123"),
        ("کدخبر:8123", "8123"),
        ("شناسه خبر : ۹۸۷۶", "9876"),
        ("کد مطلب: 3345", "3345"),
        ("کد خبر:\n۵۵۵۱", "5551"),
        ("کد خبرنگار: 31\nکد خبر: 4001", "4001"),
    ],
)
def test_news_code(text, code):
    found = news_code(text)
    assert found is not None
    value, start, end = found
    assert value == code
    assert text[start:end].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) == code


@pytest.mark.parametrize("text", ["کد خبرنگار: 2785", "کد پستی ۱۲۳۴۵", "خبر ۱۲۳"])
def test_no_news_code(text):
    assert news_code(text) is None


@pytest.mark.parametrize(
    "text, name, quoted",
    [
        ("به گزارش ایسنا، وزیر نیرو گفت", "ایسنا", "ایسنا"),
        ("به گزارش «ایلنا»، کارگران", "ایلنا", "ایلنا"),
        ("به گزارش خبرنگار اجتماعی خبرگزاری مهر، رئیس", "خبرگزاری مهر", "خبرگزاری مهر"),
        ("به گزارش خبرنگار خبرگزاری تسنیم اردبیل، استاندار", "خبرگزاری تسنیم", "خبرگزاری تسنیم"),
        ("به گزارش فارس از تبریز، شهردار", "خبرگزاری فارس", "فارس"),
        ("به گزارش خبرگزاری خبرآنلاین استان یزد، مدیرکل", "خبرآنلاین", "خبرآنلاین"),
        ("به گزارش خبرگزاری جمهوری اسلامی از کرمان، فرماندار", "ایرنا", "خبرگزاری جمهوری اسلامی"),
        ("به گزارش گروه استان های باشگاه خبرنگاران جوان از شیراز، ", "باشگاه خبرنگاران جوان",
         "باشگاه خبرنگاران جوان"),
        ("به گزارش خبرگزاری صداوسیما مرکز کرمان، ", "صدا و سیما", "صداوسیما"),
        ("اراک - ایرنا - مدیرکل آموزش و پرورش گفت", "ایرنا", "ایرنا"),
        ("رشت- ایسنا- رئیس دانشگاه گفت", "ایسنا", "ایسنا"),
        ("اصفهان (ایمنا) - شهردار گفت", "ایمنا", "ایمنا"),
        # unknown agency: the name stops before the bureau's place
        ("به گزارش خبرگزاری نمونه استان یزد، ", "خبرگزاری نمونه", "خبرگزاری نمونه"),
        ("به گزارش خبرگزاری نمونه از یزد، ", "خبرگزاری نمونه", "خبرگزاری نمونه"),
        # public-relations offices keep their whole name, province included
        ("به گزارش روابط عمومی اداره کل منابع طبیعی استان گیلان، مدیرکل",
         "روابط عمومی اداره کل منابع طبیعی استان گیلان", "روابط عمومی اداره کل منابع طبیعی استان گیلان"),
        ("به گزارش روابط عمومی شهرداری کرج در نشستی با حضور اعضا برگزار شد",
         "روابط عمومی شهرداری کرج", "روابط عمومی شهرداری کرج"),
        ("متن خبر در اینجا است.\nمنبع: خبرگزاری تسنیم", "خبرگزاری تسنیم", "خبرگزاری تسنیم"),
    ],
)
def test_agency(text, name, quoted):
    found = agency(text)
    assert found is not None
    got, start, end = found
    assert got == name
    assert text[start:end] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "به گزارش خبرنگار ما، مدیرکل گفت",
        "استاندار فارس امروز از پروژه ها بازدید کرد",
        "او با مهر و محبت از مردم تشکر کرد",
        "به گزارش مرکز آمار، نرخ تورم کاهش یافت",
    ],
)
def test_no_agency(text):
    assert agency(text) is None


def test_earliest_byline_wins():
    text = "تبریز - ایرنا - استاندار گفت: به گزارش ایسنا این طرح اجرا شد."
    assert agency(text)[0] == "ایرنا"


def test_arabic_letter_variants_are_folded():
    assert agency("به گزارش خبرگزاري ايسنا، ")[0] == "ایسنا"


def test_agency_list_is_well_formed():
    names = [a.name for a in agencies()]
    assert len(names) == len(set(names))
    for a in agencies():
        assert a.en and a.variants
        assert "ي" not in a.name + "".join(a.variants) and "ك" not in a.name + "".join(a.variants)
