"""Quantities (statistics) in cleaned Persian text.

``find_quantities(text)`` returns every figure a careful reader would take as a
statistic: a number followed by a percent sign or word, a currency, or a counted noun.
``parse_number(s)`` turns one numeric expression (digits, words or a mix) into a value.

How it works: one regex pass splits the text into tokens (digit groups, letter runs,
punctuation, newlines); a scanner then reads number expressions off the token list and
looks at the words just before and just after each one. Offsets are never changed:
Persian/Arabic-Indic digits and Arabic letter variants (ي ك ...) are translated one
character for one, with the tables of ``letters``.

Numbers
  * digits, with thousands separators ``,`` or ``٬`` (groups of exactly three) and a
    decimal separator ``.``, ``٫`` or ``/`` (``12/5`` is 12.5, but a slash after a
    year 1300-1499 and anything with two separators, ``1403/08/03``, is a date);
    digit groups with ``:`` are times; a leading zero (``021``) marks a code;
  * words یک..نهصد with common variants (شیش، پونزده، هیجده، یکصد، پونصد ...), صفر,
    نیم after «و» (دو و نیم = 2.5, یک میلیون و نیم = 1500000), decimals in words with a
    one-word numerator (دو و پنج دهم = 2.5);
  * multipliers هزار، میلیون، میلیارد، بیلیون/تریلیون (10^12), also stacked
    (هزار میلیارد); mixed forms (۲ میلیارد و ۵۰۰ میلیون، 2هزار و 80 میلیارد);
    ZWNJ or no space between parts (یک‌هزار، یکهزار، سی‌وپنج), «و» joined to the word
    before it (یک هزارو ۳۰ میلیارد).
  Evaluation keeps ``result`` and ``current``: a small number adds to ``current``; a
  multiplier m sets ``current = 1`` if the expression starts with it, then
  ``result = (result + current) * m`` if ``result < m`` else ``result += current * m``.
  Parts must also fit together, otherwise the expression ends before the misfit:
  after «و» a word number only fills a free place (بیست و پنج, not ۲۰ و ۳۰), a number
  after a multiplier is smaller than it, stacked multipliers grow.

What is a quantity (the number is followed by)
  * percent: درصد، درصدی، در صد، ٪، %;
  * money: ریال، تومان (and ...ی forms), value in that currency's units;
  * count: a counted noun. ``unit_text`` is its head word as written, ``noun`` the phrase
    of up to three words (it stops at a function word, verb, verbal noun, the first half
    of a compound verb (بررسی شد), punctuation or a number); after the classifier نفر
    the phrase is نفر alone. Measures and foreign currencies (متر، هکتار، دلار) are
    counts too: their ``unit_text`` says what they are.
  ``start`` is the approximation word if any, ``end`` the end of the unit word (percent,
  money) or of the noun phrase (count).
  * two figures joined by تا / الی / و / یا share the unit after the second: «از ۱۵۰ تا
    ۴۰۰ هزار تومان» is 150000 and 400000 toman (the first takes the second's multiplier
    when it has none and stays below the second), «حافظ ۶ و ۱۲ جز» two counts;
  * an amount of a million or more with no currency, next to a noun of money (۵.۵ میلیارد
    مشارکت کردند، کمک پنج و نیم میلیاردی), is money in the one currency the article
    writes, and is dropped when it writes none or both (``resources/numbers.json``).

Approximation (``approximate=True``): the figure is given as not exact, i.e. a hedge or
a bound right before the number: حدود، در حدود، حدوداً، تقریباً، نزدیک (به)، قریب (به)،
بیش از، بیشتر از، کمی/اندکی بیش از، افزون بر، بالغ بر، متجاوز از، فراتر از، بالای،
کمتر از، کمی کمتر از، حداقل، حداکثر، از مرز (... گذشت). Bounds count because the stated
figure is not the value itself; but a bound right after a plural noun with ezafe is a
threshold that qualifies the noun (شهرهای بالای ۵۰ هزار نفر جمعیت), not a hedge.

Not quantities
  * dates and years: a plain number after سال/سال‌های/دهه/قرن/متولد or a month name
    (تیر ۹۸), before a month name (۲۳ تیر) or an era (۴۰۰ هجری), a plain 4-digit
    1300-1499 (unless a percent, currency or common counted noun such as نفر follows),
    date-like digit groups (1403/08/03، 1403-08-03);
  * times and durations: ۱۳:۰۱، ساعت ۸، a number before سال، ماه، روز، هفته، ساعت،
    دقیقه، ساله، روزه، ساعته، ساله‌اش ... or a weekday/time of day (پنج شنبه، ۱۰ صبح);
  * the other end of a range whose first number is one of the above or a code
    (۱۴۰۰ تا ۱۴۰۲، سال‌های ۸۶ تا ۸۸، ساعت ۸ تا ۱۴);
  * distances and sizes (۳۳۵ کیلومتری، واحد ۷۵ متری);
  * ordinals and ranks: word ordinals are not number words (ششم، بیست و هشتمین), a head
    that is an ordinal (سه چهارم), digits followed by ام/امین, a number after
    رتبه/مقام/..., and «N X برتر/نخست/اول»;
  * phone numbers, short codes and identifiers: a plain number right after کد، شماره،
    سامانه، خط، تلفن، تماس، اورژانس، ماده، بند، ساعت ... or two words after کد/شماره/
    اورژانس/خط/تماس (کد خبر: ، اورژانس اجتماعی، تماس با); a leading zero (021);
    plain numbers of 8 or more digits unless a unit or common counted noun follows;
    a public short number (۱۱۰، ۱۲۳، ۱۴۸۰ ... in ``resources/numbers.json``) after a word of
    calling in its sentence, unless a common counted noun follows;
    a digit group right after another one (۰۲۱ ۸۸۶۶), after «/» or «-» and digits
    (۴۱ / ۵، 3-2), or glued to Latin letters (dsm4، 4G);
  * a number with nothing counted after it (punctuation, end, a verb, a function word
    or preposition); ratios between two plain numbers (یک به سه، ۳ بر ۱; but
    «از ۱۱۰ به ۱۲۰ نفر» is a change, and counts); repetitions and structure (۳ بار،
    ۲ بخش، ۵ مرحله، ۲۰ نفره; a multiple, «۳ و نیم برابر شد», is a figure with the unit برابر); a number after هر/این/آن (هر سه نفر), except an
    amount or percentage after a possessive آن/این (مبلغ آن ۴ میلیون تومان); vague
    amounts (چند هزار، ده‌ها هزار، میلیون‌ها); zero;
  * the bare indefinite یک without a multiplier (یک نفر) except before a unit; the
    ambiguous words نه (not), ده (village), سی, صد, نیم and a lone multiplier (هزار)
    only count before a unit or a common counted noun (نفر، خانوار، واحد ...).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from importlib import resources

from . import letters

__all__ = ["Quantity", "find_quantities", "parse_number"]


@dataclass(frozen=True)
class Quantity:
    """One figure stated in the text, with its unit and what it counts."""

    start: int
    end: int
    value: int | float
    unit: str  # percent | rial | toman | count
    unit_text: str
    noun: str
    approximate: bool
    number_start: int
    number_end: int


# ---------------------------------------------------------------- tables

_ONES = {
    "صفر": 0, "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6, "هفت": 7,
    "هشت": 8, "نه": 9,
}
_TEENS = {
    "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15, "پونزده": 15,
    "شانزده": 16, "شونزده": 16, "هفده": 17, "هیفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19,
}
_TENS = {
    "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90,
}
_HUNDREDS = {
    "صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500, "پونصد": 500,
    "پنجصد": 500, "ششصد": 600, "شیشصد": 600, "هفتصد": 700, "هشتصد": 800, "نهصد": 900,
}
SMALL = {**_ONES, **_TEENS, **_TENS, **_HUNDREDS}
MULT = {
    "هزار": 10**3, "میلیون": 10**6, "ملیون": 10**6, "میلیارد": 10**9, "ملیارد": 10**9,
    "بیلیون": 10**12, "تریلیون": 10**12,
}
HALF = "نیم"
FRACTION_DENOMS = {"دهم": 10, "صدم": 100, "هزارم": 1000}
AMBIGUOUS = {"نه", "ده", "سی", "صد", HALF}  # also: not / village / ... outside numbers

APPROX = [  # longest first
    ("کمی", "بیش", "از"), ("کمی", "بیشتر", "از"), ("کمی", "کمتر", "از"), ("اندکی", "بیش", "از"),
    ("در", "حدود"), ("بیش", "از"), ("بیشتر", "از"), ("نزدیک", "به"), ("قریب", "به"),
    ("افزون", "بر"), ("بالغ", "بر"), ("کمتر", "از"), ("متجاوز", "از"), ("فراتر", "از"), ("بالاتر", "از"),
    ("از", "مرز"), ("به", "مرز"),  # «از مرز ۴۰۰ هزار نفر گذشت»: past (or at) the mark
    ("بیشاز",), ("حدود",), ("حدودا",), ("تقریبا",), ("حداقل",), ("حداکثر",), ("بالای",),
    ("قریب",), ("نزدیک",),
]

PERCENT_WORDS = {"درصد", "درصدی", "درصدِ"}
PERCENT_SIGNS = {"%", "٪"}
MONEY_WORDS = {"ریال": "rial", "ریالی": "rial", "تومان": "toman", "تومانی": "toman"}

MONTHS = {
    "فروردین", "اردیبهشت", "خرداد", "تیر", "تیرماه", "مرداد", "امرداد", "شهریور", "مهر", "مهرماه",
    "آبان", "آذر", "دی", "دیماه", "بهمن", "اسفند", "فروردینماه", "اردیبهشتماه", "خردادماه",
    "مردادماه", "شهریورماه", "آبانماه", "آذرماه", "بهمنماه", "اسفندماه",
    "ژانویه", "فوریه", "مارس", "آوریل", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر",
    "دسامبر", "محرم", "صفر", "ربیعالاول", "ربیعالثانی", "ربیع", "جمادیالاول", "جمادیالثانی",
    "جمادی", "رجب", "شعبان", "رمضان", "شوال", "ذیقعده", "ذیالقعده", "ذیحجه", "ذیالحجه",
}
DURATIONS = {
    "سال", "ساله", "سالی", "سالگی", "سالها", "سالهای", "ماه", "ماهه", "ماهی", "ماهها", "روز",
    "روزه", "روزی", "روزها", "هفته", "هفتهای", "ساعت", "ساعته", "ساعتی", "دقیقه", "دقیقهای",
    "ثانیه", "دهه", "قرن", "سده", "شبانهروز", "شبانه", "سالانه", "ماهانه", "روزانه",
    # times of day and weekdays (پنج شنبه، ۱۰ صبح)
    "صبح", "ظهر", "عصر", "شب", "بامداد", "شنبه", "یکشنبه",
}
ERAS = {"هجری", "شمسی", "قمری", "میلادی", "خورشیدی", "ق", "ش", "م", "ه"}
YEAR_BEFORE = {"سال", "سالهای", "سالها", "سالِ", "دهه", "دهههای", "قرن", "سده", "متولد", "متولدین"}
CODE_BEFORE = {
    "کد", "شماره", "سامانه", "سامانههای", "خط", "تلفن", "تلفنی", "اورژانس", "پلاک", "ساعت", "رتبه",
    "مقام", "ماده", "بند", "تبصره", "اصل", "صفحه", "نسخه", "پیامک", "پیامکی", "کدپستی", "شعبه",
    "منطقه", "ناحیه", "کوچه", "خیابان", "فاز", "مرحله", "دوره", "ردیف", "جدول", "نمودار", "شکل",
    "تماس", "مصوبه", "قانون", "بخشنامه", "سند", "کلاس", "پایه", "دقیقه", "شبکه", "کانال",
    "مواد", "بندهای", "تبصرههای", "اصول",  # «مواد ۱۲ و ۱۳ قانون»
}
CODE_BEFORE_2 = {"کد", "شماره", "سامانه", "خط", "تلفن", "اورژانس", "تماس", "پیامک"}
CODE_QUALIFIERS = {
    "خبر", "خبرنگار", "تماس", "تلفن", "تلفنی", "اجتماعی", "پیامکی", "پیامک", "ملی", "گویا",
    "ارتباطی", "اضطراری", "مستقیم", "رایگان", "با", "پستی", "ملّی", "شبانهروزی",
}
DETERMINERS = {"هر", "این", "آن", "همین", "همان", "هردو"}
VAGUE_BEFORE = {"چند", "چندین", "دهها", "صدها", "هزاران", "میلیونها", "میلیاردها"}
RANGE_WORDS = {"تا", "الی", "و", "-", "–", "—", "ـ"}
RANK_AFTER = {"برتر", "نخست", "اول", "آخر", "پایانی", "پیشرو", "ممتاز"}
# nouns that do not count things: multiples, parts and steps of a text or process
NON_COUNT = {
    "بار", "دفعه", "مرتبه", "بخش", "قسمت", "محور", "بند", "ماده", "تبصره", "اصل", "فصل",
    "مرحله", "گام", "فاز", "نوبت", "رتبه", "مقام", "درجه", "سطح", "ردیف", "جانبه", "طرفه", "گانه",
    "نفره", "نفری", "تایی", "ام", "امین", "مین", "م", "ُم", "رقمی", "بعدی", "هزاری", "میلیونی",
    "میلیاردی", "درصدها",
}
# distances and sizes: «در ۳۳۵ کیلومتری»، «واحد ۷۵ متری» (an area, «۷۰۰ کیلومتر مربع», counts)
DISTANCES = {"کیلومتر", "کیلومتری", "متری"}
_DURATION_SUFFIXES = ("", "ه", "ی", "ها", "های", "هایی", "ش", "اش", "شان", "هاش", "ای", "گی")
# verbal nouns of light-verb constructions (ایجاد شد، تحویل داد): never a counted head
VERBAL_NOUNS = {
    "ایجاد", "تحویل", "احداث", "پرداخت", "دریافت", "اجرا", "ارائه", "تامین", "تأمین", "توزیع",
    "برگزار", "انجام", "افزایش", "کاهش", "ثبت", "اعزام", "جذب", "اعلام", "اختصاص", "رسید",
    "شرکت", "تشکیل", "راهاندازی", "افتتاح", "بهرهبرداری", "واگذار", "اعطا", "پیدا", "خبر", "عقد",
    "صادر", "آغاز", "شروع", "منتشر", "اضافه", "کسب", "دست",
}
STOP = {
    "از", "به", "در", "با", "تا", "برای", "بر", "و", "یا", "که", "را", "رو", "هم", "نیز", "این", "آن",
    "اینکه", "آنکه", "همین", "همان", "هر", "ای", "می", "نمی", "بی", "الی", "طی", "پس", "پیش",
    "قبل", "بعد", "بین", "میان", "روی", "زیر", "تحت", "جز", "بجز", "مانند", "مثل", "چون", "اگر",
    "اما", "ولی", "چه", "چرا", "نه", "شامل", "معادل", "حدود", "بیش", "بیشتر", "کمتر", "کمی",
    "حداقل", "حداکثر", "نزدیک", "تقریبا", "تاکنون", "امسال", "پارسال", "هنوز", "فقط",
    "تنها", "حتی", "دیگر", "سایر", "همه", "کل", "ها", "های", "هایی", "اند", "ایم", "اید",
    "وی", "او", "ما", "شما", "آنها", "ایشان", "خود", "چنین", "چنان", "جمعا", "مجموعا", "بالغ",
    "افزون", "متجاوز", "قریب", "نسبت", "سوی", "طرف", "جهت", "درباره", "علاوه", "هنگام",
    "زمان", "توسط", "بدون", "وجود", "بهصورت", "بصورت", "بهعنوان", "بعنوان", "بهمنظور", "بمنظور",
    "بهویژه", "بخصوص", "یعنی", "همچنین", "همچون", "نظیر",
}
# common verbs, generated: past stems + personal endings, present stems with می/نمی/ب/ن
_PAST = ("بود", "شد", "کرد", "داشت", "رسید", "گرفت", "داد", "یافت", "آمد", "گفت", "رفت", "ماند",
         "افزود", "انجامید", "گردید", "خواست", "دانست", "نمود", "ساخت", "گذاشت", "زد", "برد")
_PRESENT = ("شو", "کن", "رس", "باش", "گیر", "ده", "یاب", "آی", "گرد", "بر", "دار", "گو", "رو",
            "مان", "نما", "خواه", "دان", "ساز", "گذار", "زن")
_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")


def _conjugate(past: tuple[str, ...], present: tuple[str, ...]) -> set[str]:
    return (
        {v + e for v in past for e in ("", "م", "ی", "یم", "ید", "ند")}
        | {pre + v for v in past for pre in ("ن", "می", "نمی")}
        | {pre + v + e for v in past for pre in ("ن", "می", "نمی") for e in ("م", "ی", "یم", "ید", "ند")}
        | {v + "ه" + e for v in past for e in ("", "اند", "است", "ایم", "ام")}
        | {pre + v + e for v in present for pre in ("می", "نمی", "ب", "ن") for e in _ENDINGS}
    )


VERBS = _conjugate(_PAST, _PRESENT) | (
    {"دار" + e for e in _ENDINGS} | {"خواه" + e for e in _ENDINGS} | {"آید", "آیند"}
    | {"است", "هست", "هستند", "هستیم", "نیست", "نیستند", "باید", "بایست"}
)
# light verbs: the word before one is the first half of a compound verb (بررسی شد، ساخته شد)
LIGHT_VERBS = _conjugate(("شد", "کرد", "نمود", "گردید", "داد", "یافت", "گرفت"),
                         ("شو", "کن", "نما", "گرد", "ده", "یاب", "گیر"))
# counted nouns common enough to vouch for an ambiguous number word or a year-like figure
COUNT_HEADS = {
    "نفر", "تن", "خانوار", "خانواده", "واحد", "مرکز", "پرونده", "مددجو", "مددجوی", "مددجویان",
    "توانخواه", "معلول", "کودک", "زن", "مرد", "دانشآموز", "دانشجو", "فرصت", "شغل", "طرح", "پروژه",
    "روستا", "شهرستان", "استان", "نقطه", "محله", "مهد", "دستگاه", "سالمند", "بیمار", "فقره", "عدد",
    "قلم", "بسته", "سبد", "دختر", "پسر", "فرزند", "نوزاد", "کارگاه", "مدرسه", "کلاس", "تخت",
    "مستمری", "متقاضی", "داوطلب", "خیر", "نیرو", "کارمند", "پزشک", "مشاور", "تماس", "مورد", "زوج",
    "تیم", "گروه", "موسسه", "انجمن", "جلسه", "دوره", "پایگاه", "هکتار", "متر",
}
NOUN_SUFFIXES = {"ها", "های", "هایی", "هائی", "ی", "ای", "ایی"}
# words that are function words elsewhere but nouns right after a number: جز for جزء (۵ جز قرآن)
HEAD_NOUNS = {"جز"}
# the second of two figures sharing one unit: «از ۱۵۰ تا ۴۰۰ هزار تومان»، «۶ و ۱۲ جزء»
RANGE_LINKS = {"تا", "الی", "و", "یا"}
# a multiplier made an adjective: «کمک پنج و نیم میلیاردی»
ADJ_MULT = {"هزاری": 10**3, "میلیونی": 10**6, "ملیونی": 10**6, "میلیاردی": 10**9, "ملیاردی": 10**9}
# hedges that are bounds: after a plural noun with ezafe (شهرهای بالای ...) they set a threshold
BOUNDS = {"بالای", "بیش", "بیشتر", "کمتر", "متجاوز", "فراتر", "بالاتر", "بیشاز"}
IMPLICIT_MONEY = "implicit-money"  # a unit decided once the article's currency is known
CURRENCY_NAMES = {"rial": "ریال", "toman": "تومان"}


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """Word lists of ``resources/numbers.json`` as sets."""
    raw = json.loads(resources.files("kg_builder.resources").joinpath("numbers.json").read_text("utf-8"))
    return {"service": frozenset(raw["service_numbers"]["numbers"]),
            "phone": frozenset(raw["phone_words"]["words"]),
            "money": frozenset(raw["money_context"]["words"])}

# the shared table: digits (in number tokens) and Arabic letter variants, one character for one
_DIGITS = letters.table(letters.DIGITS)
_LETTER_FIX = letters.LETTERS
_NEEDS_TRANS = re.compile(f"[{''.join(_LETTER_FIX)}]")
_MARKS = re.compile(f"[{letters.MARKS}]")
_LETTERS = "\u0621-\u063a\u0640-\u065f\u0670-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
_ZWNJ_RUN = re.compile("\u200c+")
_SPACE = " \t\r\f\v\u00a0\u200c-\u200f\u202a-\u202e\u2028\u2029\ufeff"
_TOKEN = re.compile(
    r"(?P<d>[0-9۰-۹٠-٩]+(?:[.,٫٬/:][0-9۰-۹٠-٩]+)*)"
    rf"|(?P<w>[{_LETTERS}]+)"
    r"|(?P<l>[A-Za-z]+)"
    r"|(?P<n>\n)"
    rf"|(?P<p>[^{_SPACE}\n])"
)
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:[,٬][0-9]{3})+(?:[.٫/][0-9]+)?")
_DECIMAL = re.compile(r"([0-9]+)(?:[.٫/]([0-9]+))?")


# ---------------------------------------------------------------- tokens


class _Tokens:
    """Parallel lists describing the tokens of one text (kept plain for speed).

    kind: d digits (a number), x digits that are no number (time, date, list), w Persian
    letters, l Latin letters, n newline, p other. ``key`` is the token with digits made
    ASCII, ي ك made Persian and diacritics dropped. Words joined by ZWNJ (سال‌های) are
    merged lazily, only around numbers.
    """

    __slots__ = ("end", "key", "kind", "start", "text", "value", "wfirst", "wkey", "wlast")

    def __init__(self, text: str):
        self.text = text
        # one character for one: offsets into the translated text are offsets into text
        t = _NEEDS_TRANS.sub(lambda m: _LETTER_FIX[m.group()], text)
        ms = list(_TOKEN.finditer(t))
        self.kind = kind = [m.lastgroup for m in ms]
        self.start = start = [m.start() for m in ms]
        self.end = [m.end() for m in ms]
        self.key = key = [m.group() for m in ms]
        self.value: list[Fraction | None] = [None] * len(ms)
        marks = _MARKS.search(t) is not None
        for k, g in enumerate(kind):
            if g == "d":
                tok = key[k].translate(_DIGITS)
                key[k] = tok
                v = _digit_value(tok)
                if v is None:
                    kind[k] = "x"  # a time, date, code or list that is not one number
                self.value[k] = v
            elif marks and g == "w":
                key[k] = _MARKS.sub("", key[k])
        # words made of letter runs joined by ZWNJ (سال‌های -> سالهای)
        n = len(kind)
        wkey, wfirst, wlast = list(key), list(range(n)), list(range(n))
        self.wkey, self.wfirst, self.wlast = wkey, wfirst, wlast
        end = self.end
        for m in _ZWNJ_RUN.finditer(t):
            k = bisect_left(start, m.end())  # the token right after the ZWNJ
            if 0 < k < n and kind[k] == "w" and kind[k - 1] == "w" and end[k - 1] == m.start() \
                    and start[k] == m.end():
                first, last = wfirst[k - 1], wlast[k]
                merged = "".join(key[first : last + 1])
                for q in range(first, last + 1):
                    wkey[q], wfirst[q], wlast[q] = merged, first, last

    def __len__(self) -> int:
        return len(self.kind)

    def joined(self, k: int) -> bool:
        """Token k follows token k-1 with nothing or only ZWNJ between (یک‌هزار، 2هزار)."""
        if k <= 0:
            return False
        s, e = self.end[k - 1], self.start[k]
        return s == e or not self.text[s:e].strip("\u200c")

    def word(self, k: int) -> str:
        """The ZWNJ-merged key of the word at token k, '' if k is not a word."""
        return self.wkey[k] if 0 <= k < len(self.kind) and self.kind[k] == "w" else ""


# a longer digit group is a code or noise, never a figure (and int() refuses over 4,300 digits)
_LONGEST_DIGITS = 40


def _digit_value(tok: str) -> Fraction | None:
    """Value of one digit group, None when it is a time, date, code or list."""
    if ":" in tok or len(tok) > _LONGEST_DIGITS:
        return None
    if _THOUSANDS.fullmatch(tok):
        return _decimal(tok.replace(",", "").replace("٬", ""))
    m = _DECIMAL.fullmatch(tok)
    if not m:
        return None
    whole, frac = m.group(1), m.group(2)
    if frac is not None and "/" in tok and len(whole) == 4 and 1300 <= int(whole) <= 1499:
        return None  # 1403/08: year and month
    return _decimal(tok)


def _decimal(tok: str) -> Fraction | None:
    m = _DECIMAL.fullmatch(tok)
    if not m:
        return None
    whole, frac = m.group(1), m.group(2)
    if frac is None:
        return Fraction(int(whole))
    return Fraction(int(whole + frac), 10 ** len(frac))


# ---------------------------------------------------------------- expressions


@lru_cache(maxsize=8192)
def _word_atoms(key: str) -> tuple[tuple[str, Fraction], ...] | None:
    """Atoms of one number word: ('s', v) small, ('m', v) multiplier, ('h', 1/2), ('&', 0)."""
    if key in SMALL:
        return (("s", Fraction(SMALL[key])),)
    if key in MULT:
        return (("m", Fraction(MULT[key])),)
    if key == HALF:
        return (("h", Fraction(1, 2)),)
    if key == "و":
        return (("&", Fraction(0)),)
    if len(key) > 1 and key[0] == "و" and key[1:] in SMALL:  # سی‌وپنج
        return (("&", Fraction(0)), ("s", Fraction(SMALL[key[1:]])))
    if len(key) > 2 and key[-1] == "و" and (key[:-1] in MULT or key[:-1] in _TENS or key[:-1] in _HUNDREDS):
        # هزارو ۳۰، بیستو پنج (not a unit or teen: سهو is a word)
        return (*_word_atoms(key[:-1]), ("&", Fraction(0)))
    for name, m in MULT.items():  # یکهزار، دوهزار، سیصدهزار
        if key.endswith(name) and key[: -len(name)] in SMALL and key[: -len(name)] != "صفر":
            return (("s", Fraction(SMALL[key[: -len(name)]])), ("m", Fraction(m)))
    return None


def _atoms(tk: _Tokens, k: int) -> tuple[tuple[str, Fraction], ...] | None:
    kind = tk.kind[k]
    if kind == "d":
        return (("s", tk.value[k]),)
    if kind != "w":
        return None
    atoms = _word_atoms(tk.key[k])
    if atoms is None:
        return None
    # a number word fused by ZWNJ with a non-number (ده‌ها، سی‌دی، میلیون‌ها) is no number
    for q in range(tk.wfirst[k], tk.wlast[k] + 1):
        if q != k and _word_atoms(tk.key[q]) is None and tk.key[q] not in MONEY_WORDS \
                and tk.key[q] not in PERCENT_WORDS:
            return None
    return atoms


def _place(v: Fraction) -> int:
    """Largest power of ten dividing a positive integer (20 -> 10, 300 -> 100)."""
    if v.denominator != 1 or v <= 0:
        return 0
    p, n = 1, int(v)
    while n % 10 == 0:
        p, n = p * 10, n // 10
    return p


class _Expr:
    """State of a number expression being read, and what it was made of."""

    __slots__ = (
        "after_and",
        "cur_words",
        "current",
        "digits",
        "first",
        "head_mult",
        "last",
        "last_mult",
        "mults",
        "prev",
        "result",
        "words",
    )

    def __init__(self) -> None:
        self.result = self.current = self.last_mult = Fraction(0)
        self.head_mult = Fraction(0)  # the multiplier of the leading part (۴۰۰ هزار: 1000; هزار میلیارد: 10^12)
        self.prev = ""  # kind of the last accepted atom: s (small), m (multiplier), h (half)
        self.cur_words = False  # current was written in words only: place filling allowed
        self.after_and = False
        self.first = self.last = -1
        self.words = self.digits = self.mults = 0

    def copy(self) -> _Expr:
        c = _Expr.__new__(_Expr)
        for name in _Expr.__slots__:
            setattr(c, name, getattr(self, name))
        return c

    @property
    def value(self) -> Fraction:
        return self.result + self.current


def _feed(tk: _Tokens, k: int, atoms: tuple[tuple[str, Fraction], ...], st: _Expr) -> int:
    """Add the atoms of token k to st; return tokens used (0: they do not fit)."""
    used = 1
    is_word = tk.kind[k] == "w"
    for idx, (a, v) in enumerate(atoms):
        if a == "&":
            if not st.prev or st.after_and:
                return 0
            st.after_and = True
            continue
        if a == "s":
            den = FRACTION_DENOMS.get(tk.word(k + 1)) if is_word else None
            if v == 0 and st.prev:
                return 0
            if den and st.after_and and st.prev == "s" and 0 < v < den and st.current.denominator == 1:
                st.current += v / den  # دو و پنج دهم
                used = 2
            elif not st.prev:
                st.current, st.cur_words = v, is_word
            elif st.prev == "s":
                if not (st.after_and and st.cur_words and is_word and 0 < v < _place(st.current)):
                    return 0
                st.current += v
            elif st.prev == "m":
                if st.after_and:
                    ok = v < st.last_mult
                else:  # ۲ میلیون ۵۰۰ هزار: only when a smaller multiplier follows
                    nxt = _atoms(tk, k + 1) if k + 1 < len(tk) and idx == len(atoms) - 1 else None
                    ok = bool(nxt) and nxt[0][0] == "m" and nxt[0][1] < st.last_mult
                if not ok or v == 0:
                    return 0
                st.current, st.cur_words = v, is_word
            else:
                return 0
            st.prev = "s"
        elif a == "h":
            if st.prev == "s" and st.after_and and st.current.denominator == 1 and st.current > 0:
                st.current += v  # دو و نیم
            elif st.prev == "m" and st.after_and:
                st.result += v * st.last_mult  # یک میلیون و نیم
            elif not st.prev:
                st.current = v
            else:
                return 0
            st.prev = "h"
        else:  # multiplier
            if st.after_and:
                if st.prev != "m" or v >= st.last_mult:
                    return 0
                st.result += v  # یک میلیون و هزار
            elif st.prev == "m":  # stacked: هزار میلیارد
                if v <= st.last_mult:
                    return 0
                st.result *= v
                if st.mults == 1:
                    st.head_mult *= v
            else:
                if not st.prev:
                    st.current = Fraction(1)
                if st.result < v:  # the whole so far is multiplied (2 هزار و 80 میلیارد)
                    st.result = (st.result + st.current) * v
                    st.head_mult = st.head_mult * v if st.mults else v
                elif v < st.last_mult:
                    st.result += st.current * v
                else:
                    return 0
                st.current = Fraction(0)
            st.last_mult = v
            st.prev = "m"
            st.mults += 1
        st.after_and = False
    if st.after_and and len(atoms) > 1 and atoms[-1][0] != "&":
        return 0  # a fused «و» must be followed by its number inside the token
    if any(a != "&" for a, _v in atoms):  # the token holds a number (هزارو: then «و»)
        if st.first < 0:
            st.first = k
        st.last = k + used - 1
        if is_word:
            st.words += 1
        else:
            st.digits += 1
    return used


def _scan(tk: _Tokens, i: int) -> _Expr | None:
    """Read the longest well-formed number expression starting at token i."""
    st = _Expr()
    k, n = i, len(tk)
    while k < n:
        atoms = _atoms(tk, k)
        if atoms is None:
            break
        trial = st.copy()
        used = _feed(tk, k, atoms, trial)
        if not used:
            break
        st, k = trial, k + used
    return st if st.first >= 0 else None


def _number(f: Fraction) -> int | float:
    return int(f) if f.denominator == 1 else float(f)


def parse_number(s: str) -> int | float | None:
    """Value of a whole numeric expression ("سه هزار و ۳۵" -> 3035), None if it is not one."""
    tk = _Tokens(s)
    if not len(tk):
        return None
    ex = _scan(tk, 0)
    if ex is None or ex.last != len(tk) - 1 or tk.kind[0] == "x":
        return None
    # a trailing fraction denominator (دهم) is consumed inside _scan
    return _number(ex.value)


# ---------------------------------------------------------------- quantities


def _prev_words(tk: _Tokens, i: int, count: int, skip: str = "") -> list[str]:
    """Keys of up to ``count`` words before token i ('' where there is none); ``skip`` punctuation."""
    out: list[str] = []
    k = i - 1
    while len(out) < count:
        while k >= 0 and tk.kind[k] == "p" and tk.key[k] in skip:
            k -= 1
        if k < 0 or tk.kind[k] != "w":
            break
        out.append(tk.wkey[k])
        k = tk.wfirst[k] - 1
    return out + [""] * (count - len(out))


CALL_VERBS = ("بگیر", "گرفت", "حاصل", "بگیرید", "بگیرند")


def _unit_after(tk: _Tokens, k: int) -> tuple[str, int, int] | None:
    """(unit, first token, last token) of a percent or currency word starting at token k."""
    if k >= len(tk):
        return None
    key = tk.key[k]
    if tk.kind[k] == "p" and key in PERCENT_SIGNS:
        return "percent", k, k
    if tk.kind[k] != "w":
        return None
    if key in PERCENT_WORDS or key.startswith("درصد"):
        return "percent", k, tk.wlast[k]
    if key in MONEY_WORDS:
        return MONEY_WORDS[key], k, tk.wlast[k]
    if key == "در" and k + 1 < len(tk) and tk.word(k + 1) in {"صد", "صدی"}:
        return "percent", k, k + 1
    return None


_DURATION_FORMS = {d + suf for d in DURATIONS for suf in _DURATION_SUFFIXES}


def _is_duration(key: str) -> bool:
    """سال، ساله، ساله‌اش، سال‌های، ماهه ...: a span of time, not a counted thing."""
    return key in _DURATION_FORMS


def _is_ordinal(key: str) -> bool:
    """ششم، چهارمین، سوم، بیستم: an ordinal or fraction denominator (سه چهارم)."""
    if key in ("اول", "نخست", "یکم", "دوم", "سوم", "سومین", "اولین", "نخستین", "آخرین"):
        return True
    if key.endswith("مین"):
        key = key[:-2]
    if key.endswith("ام") and key[:-2] in SMALL:  # سی‌ام
        return True
    # سهم (share) and سیم (wire) are nouns; the ordinals are سوم and سی‌ام
    return key.endswith("م") and key[:-1] not in ("سه", "سی") and (key[:-1] in SMALL or key[:-1] in MULT)


def _is_phrase_stop(key: str) -> bool:
    return (key in STOP or key in VERBS or key in VERBAL_NOUNS or key in MONTHS or _is_duration(key)
            or key in SMALL or key in MULT or key in MONEY_WORDS or key.startswith("درصد")
            or key in RANK_AFTER or key in NON_COUNT or key in ERAS or _is_ordinal(key))


def _word_stops(tk: _Tokens, k: int, head: bool = False) -> bool:
    """True when the word at token k cannot be (part of) a counted noun phrase
    (``head``: it is the word right after the number)."""
    if head and tk.wkey[k] in HEAD_NOUNS:
        return False
    first = tk.wfirst[k]
    return _is_phrase_stop(tk.wkey[k]) or tk.key[first] in ("می", "نمی") or len(tk.wkey[k]) < 2


def _phrase(tk: _Tokens, k: int, max_words: int, head: bool = True) -> list[tuple[int, int]]:
    """Token ranges of the words of a noun phrase starting at token k (possibly empty).

    With ``head`` the first word is the counted noun, kept even before a light verb.
    """
    words: list[tuple[int, int]] = []
    n = len(tk)
    while k < n and tk.kind[k] == "w":
        first, last, key = max(k, tk.wfirst[k]), tk.wlast[k], tk.wkey[k]
        if words and key in NOUN_SUFFIXES:  # فعالیت های
            words[-1] = (words[-1][0], last)
        elif len(words) >= max_words or _word_stops(tk, k, head=head and not words):
            break
        elif (words or not head) and last + 1 < n and tk.kind[last + 1] == "w" \
                and tk.wkey[last + 1] in LIGHT_VERBS:
            break  # first half of a compound verb: بررسی شد
        else:
            words.append((first, last))
        k = last + 1
    return words


_APPROX_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _phrase_words in APPROX:
    _APPROX_BY_LAST.setdefault(_phrase_words[-1], []).append(_phrase_words)


def _approx_before(tk: _Tokens, i: int) -> int | None:
    """Token index where an approximation phrase ending right before token i starts."""
    if i < 1 or tk.kind[i - 1] != "w":
        return None
    for phrase in _APPROX_BY_LAST.get(tk.key[i - 1], ()):
        s = i - len(phrase)
        if s < 0:
            continue
        if all(tk.kind[s + q] == "w" and tk.key[s + q] == w for q, w in enumerate(phrase)):
            return s
    return None


def _hedge(tk: _Tokens, i: int, money: bool = False) -> int | None:
    """Start of the hedge before token i, unless it is a threshold: a bound after a plural
    noun with ezafe qualifies that noun (شهرهای بالای ۵۰ هزار نفر جمعیت), it hedges no figure.
    Not for money: «کمک‌های بیش از ۵ میلیارد تومانی» hedges the sum given."""
    a = _approx_before(tk, i)
    if a is None or money or tk.key[a] not in BOUNDS:
        return a
    before = _prev_words(tk, a, 1)[0]
    return None if len(before) > 3 and before.endswith("های") else a


def _money_word(key: str) -> bool:
    """A noun of money (کمک، اعتبار، مشارکت ...), also with a plural or ezafe ending."""
    money = _lexicon()["money"]
    return key in money or any(key.endswith(suf) and key[: -len(suf)] in money for suf in ("های", "ها", "ی"))


def _dialling(tk: _Tokens, i: int) -> bool:
    """A word of calling (تماس، شماره، خط ...) earlier in the sentence of token i."""
    phone = _lexicon()["phone"]
    for k in range(i - 1, max(-1, i - 16), -1):
        if tk.kind[k] == "n" or (tk.kind[k] == "p" and tk.key[k] in ".!?؟"):
            return False
        if tk.kind[k] == "w" and (tk.wkey[k] in phone or tk.key[k] in phone):  # also تماس‌گیرنده
            return True
    return False


def _implicit_money(tk: _Tokens, ex: _Expr, nxt: int) -> Quantity | None:
    """A large amount whose currency is left unwritten, next to a noun of money.

    The figure has a multiplier of a million or more (۵.۵ میلیارد، پنج و نیم میلیاردی) and
    either is followed by a noun of money (۵.۵ میلیارد مشارکت کردند) or follows one with
    nothing counted after it (کمک ۵ میلیاردی خیرین، اعتبار ۱۰ میلیارد برای ...). Its unit is
    settled by ``find_quantities`` from the currency the article writes.
    """
    i, j = ex.first, ex.last
    value, end = ex.value, tk.end[j]
    adj = tk.word(nxt) in ADJ_MULT and tk.joined(nxt) is False
    if adj:
        if ex.mults:
            return None
        value, end, nxt = value * ADJ_MULT[tk.word(nxt)], tk.end[tk.wlast[nxt]], tk.wlast[nxt] + 1
    elif not ex.mults:
        return None
    if value < 10**6:
        return None
    a = _hedge(tk, i, money=True)
    # «کمک های»: a plural ending written apart belongs to the noun before it
    b1, b2 = ([w for w in _prev_words(tk, a if a is not None else i, 4) if w not in NOUN_SUFFIXES] + ["", ""])[:2]
    # the noun of money right before, or before one adjective (کمک‌های مردمی ۵ میلیاردی)
    before = _money_word(b1) or (bool(b1) and not _is_phrase_stop(b1) and _money_word(b2))
    after = tk.word(nxt)
    if adj:
        money = before
    else:
        money = (bool(after) and _money_word(after)) or (before and (not after or _word_stops(tk, nxt)))
    if not money:
        return None
    return Quantity(start=tk.start[a] if a is not None else tk.start[i], end=end, value=_number(value),
                    unit=IMPLICIT_MONEY, unit_text="", noun="", approximate=a is not None,
                    number_start=tk.start[i], number_end=tk.end[j])


def _is_number_token(tk: _Tokens, k: int) -> bool:
    return 0 <= k < len(tk) and (tk.kind[k] in ("d", "x") or (tk.kind[k] == "w" and tk.key[k] in SMALL))


def _fragment(tk: _Tokens, i: int, j: int) -> bool:
    """A digit group that is part of something else: ۴۱ / ۵، 3-2، dsm4، 4G."""
    if i >= 2 and tk.kind[i - 1] == "p" and tk.key[i - 1] in "/-–" and tk.kind[i - 2] in ("d", "x"):
        return True
    if tk.joined(i) and i >= 1 and tk.kind[i - 1] == "l":
        return True
    return j + 1 < len(tk) and tk.joined(j + 1) and tk.kind[j + 1] == "l"


def _next_words(tk: _Tokens, k: int, count: int) -> list[str]:
    """Keys of up to ``count`` words starting at token k, stopping at anything else."""
    out: list[str] = []
    while len(out) < count and k < len(tk) and tk.kind[k] == "w":
        out.append(tk.wkey[k])
        k = tk.wlast[k] + 1
    return out


def _after_year(tk: _Tokens, i: int, skipped: set[int]) -> bool:
    """Token i follows a year read as such (سال ۹۶ ۳ و نیم برابر، آذر ۱۴۰۲ ۵۰۰ نفر): a new figure."""
    y = i - 1
    if y not in skipped or tk.kind[y] != "d" or len(tk.key[y]) not in (2, 4) or not tk.key[y].isdigit():
        return False
    before = _prev_words(tk, y, 1)[0]
    return before in YEAR_BEFORE or before in MONTHS


def _classify(tk: _Tokens, ex: _Expr, skipped: set[int],
              opened: dict[int, tuple[_Expr, int | None]]) -> Quantity | None:
    """The Quantity an expression states, or None (see the module docstring for the rules).

    ``skipped`` collects token indices of numbers read as years, times or codes, so that
    the other end of a range (سال‌های ۸۶ تا ۸۸) is skipped too. ``opened`` collects, by the
    index of the linking word, figures with nothing counted after them that open a range or
    list (از ۱۵۰ تا ...): they take the unit of the figure after the link.
    """
    i, j = ex.first, ex.last
    value = ex.value
    if value <= 0:
        return None
    plain = ex.digits == 1 and ex.words == 0  # one digit group, e.g. 1402 or 123
    single = ex.words == 1 and ex.digits == 0  # one word: سه، ده، هزار، نیم
    raw = tk.key[i] if plain else ""
    integral_raw = plain and raw.isdigit()
    unit = _unit_after(tk, j + 1)

    if integral_raw and len(raw) > 1 and raw[0] == "0":
        return None  # 021..., 09...: phone numbers and codes
    if plain and unit is None and _next_words(tk, j + 1, 2)[:1] == ["تماس"] \
            and any(w.startswith(CALL_VERBS) for w in _next_words(tk, j + 1, 2)[1:]):
        return None  # "با صدای مشاور ۱۴۸۰ تماس بگیرند": a line to call, not a count of calls
    if i >= 1 and tk.kind[i - 1] in ("d", "x") and not _after_year(tk, i, skipped):
        return None  # a run of digit groups: ۰۲۱ ۸۸۶۶ ...
    if plain and _fragment(tk, i, j):
        return None
    p1 = _prev_words(tk, i, 1)[0]
    # «مبلغ آن ۴ میلیون تومان»، «حداقل آن ۱۸ میلیون ریال»: a possessive, not a determiner
    possessive = p1 in ("آن", "این") and unit is not None
    if (p1 in DETERMINERS and not possessive) or p1 in VAGUE_BEFORE:
        return None
    if plain or single:
        if p1 in YEAR_BEFORE or (plain and p1 in MONTHS):
            skipped.add(i)
            return None
        c1, c2 = _prev_words(tk, i, 2, skip=":-#")
        if c1 in CODE_BEFORE or (c2 in CODE_BEFORE_2 and c1 in CODE_QUALIFIERS):
            skipped.add(i)  # not a year, but its range partner is no quantity either
            return None
        # the other end of a range of years, times or codes: سال‌های ۸۶ تا ۸۸، ساعت ۸ تا ۱۴
        if i >= 2 and tk.key[i - 1] in RANGE_WORDS and (i - 2) in skipped:
            skipped.add(i)
            return None
        # ratios between two plain numbers (یک به سه، ۳ بر ۱), not a change (از ۱۱۰ به ۱۲۰ نفر)
        if p1 in ("به", "بر") and _is_number_token(tk, i - 2) and (i - 2) not in skipped \
                and _prev_words(tk, i - 2, 1)[0] != "از":
            return None
    nxt = j + 1

    if unit is not None:
        kind, u0, u1 = unit
        head = tk.word(u0)
        words = _phrase(tk, u1 + 1, 3, head=False)
        unit_text = tk.text[tk.start[u0] : tk.end[u1]]
        end = tk.end[u1]
    else:
        kind = "count"
        implicit = _implicit_money(tk, ex, nxt)
        if implicit is not None:
            return implicit
        if nxt >= len(tk) or tk.kind[nxt] != "w":
            return None  # nothing counted: punctuation, end of text, another number
        head = tk.wkey[nxt]
        if head in ERAS and plain:
            skipped.add(i)
            return None
        if tk.key[nxt] in RANGE_LINKS and _is_number_token(tk, nxt + 1) and (
                tk.key[nxt] in ("تا", "الی") or not (single and (
                    value == 1 or tk.key[i] in AMBIGUOUS or tk.key[i] in MULT))):
            opened[nxt] = (ex, _hedge(tk, i))  # the first figure of a range or list
            return None
        if _word_stops(tk, nxt, head=True):
            return None
        if head in DISTANCES and not tk.word(tk.wlast[nxt] + 1).startswith("مربع"):
            return None
        if integral_raw and raw in _lexicon()["service"] and head not in COUNT_HEADS and _dialling(tk, i):
            return None  # «تماس ... با ۱۲۳ محرمانه است»: a number to dial
        if single and value == 1 and ex.mults == 0:
            return None  # the indefinite یک: یک نفر
        if single and (tk.key[i] in AMBIGUOUS or tk.key[i] in MULT) and head not in COUNT_HEADS:
            return None  # نه تنها، ده بالا، هزار راه: only with a common counted noun
        words = _phrase(tk, nxt, 1 if head == "نفر" else 3)
        if not words:
            return None
        if any(key in RANK_AFTER for key in _next_words(tk, words[0][1] + 1, 2)):
            return None  # ranks: ۱۰ استان برتر
        unit_text = tk.text[tk.start[words[0][0]] : tk.end[words[0][1]]]
        end = tk.end[words[-1][1]]
    if integral_raw and len(raw) == 4 and 1300 <= int(raw) <= 1499 and unit is None \
            and head not in COUNT_HEADS:
        skipped.add(i)
        return None
    if integral_raw and len(raw) >= 8 and unit is None and head not in COUNT_HEADS:
        return None  # long identifiers
    noun = tk.text[tk.start[words[0][0]] : tk.end[words[-1][1]]] if words else ""
    a = _hedge(tk, i, money=kind in CURRENCY_NAMES)
    number_start, number_end = tk.start[i], tk.end[j]
    return Quantity(
        start=tk.start[a] if a is not None else number_start,
        end=end,
        value=_number(value),
        unit=kind,
        unit_text=unit_text,
        noun=noun,
        approximate=a is not None,
        number_start=number_start,
        number_end=number_end,
    )


def _range_head(tk: _Tokens, head: _Expr, a: int | None, partner: _Expr, q: Quantity) -> Quantity | None:
    """The first figure of «از ۱۵۰ تا ۴۰۰ هزار تومان» / «۶ و ۱۲ جزء», with the unit of the
    second; it takes the second's multiplier too when it has none and stays below it."""
    value = head.value
    if not head.mults and partner.head_mult and value * partner.head_mult <= partner.value:
        value *= partner.head_mult
    raw = tk.key[head.first]
    if head.digits == 1 and not head.words and raw.isdigit() and len(raw) == 4 and 1300 <= int(raw) <= 1499 \
            and q.unit == "count" and tk.word(partner.last + 1) not in COUNT_HEADS:
        return None  # a year, as in «۱۴۰۰ تا ۱۴۰۲ مورد»
    if value <= 0:
        return None
    return replace(q, start=tk.start[a] if a is not None else tk.start[head.first], value=_number(value),
                   approximate=a is not None, number_start=tk.start[head.first], number_end=tk.end[head.last])


def find_quantities(text: str) -> list[Quantity]:
    """Every figure stated in ``text`` with a percent, currency or counted-noun unit, in order.

    Two figures joined by تا / الی / و / یا share the unit written after the second (the
    first takes the second's multiplier when it has none and stays below it, and a hedge
    before a range covers both ends). A large amount with no currency beside a noun of money
    takes the currency the article writes, when it writes exactly one; otherwise it is dropped.
    """
    tk = _Tokens(text)
    out: list[Quantity] = []
    skipped: set[int] = set()
    opened: dict[int, tuple[_Expr, int | None]] = {}
    k, n = 0, len(tk)
    while k < n:
        atoms = _atoms(tk, k) if tk.kind[k] in ("d", "w") else None
        if atoms is None or atoms[0][0] == "&":
            k += 1
            continue
        ex = _scan(tk, k)
        if ex is None:
            k += 1
            continue
        q = _classify(tk, ex, skipped, opened)
        if q is not None:
            link = ex.first - 1
            if link in opened:
                head, a = opened.pop(link)
                first = _range_head(tk, head, a, ex, q)
                if first is not None:
                    out.append(first)
                    if a is not None and tk.key[link] in ("تا", "الی") and not q.approximate:
                        q = replace(q, approximate=True)
            out.append(q)
        k = ex.last + 1
    currencies = {q.unit for q in out if q.unit in CURRENCY_NAMES}
    if any(q.unit == IMPLICIT_MONEY for q in out):
        only = currencies.pop() if len(currencies) == 1 else None
        out = [replace(q, unit=only, unit_text=CURRENCY_NAMES[only]) if q.unit == IMPLICIT_MONEY else q
               for q in out if q.unit != IMPLICIT_MONEY or only]
    return out
