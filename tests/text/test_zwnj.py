"""ZWNJ (half-space) repair: examples, words that must stay whole, and edit invariants."""

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg_builder.text import zwnj
from kg_builder.text.zwnj import ZWNJ, edits, repair

Z = ZWNJ


@pytest.mark.parametrize(
    "damaged, expected",
    [
        # written joined
        ("ظرفیتسازی", f"ظرفیت{Z}سازی"),
        ("میکنند", f"می{Z}کنند"),
        ("فعالیتهای", f"فعالیت{Z}های"),
        ("کمبرخوردار", f"کم{Z}برخوردار"),
        ("پروندههای", f"پرونده{Z}های"),
        ("نمیتوان", f"نمی{Z}توان"),
        ("کردهاند", f"کرده{Z}اند"),
        ("خانهای", f"خانه{Z}ای"),
        ("مهمترین", f"مهم{Z}ترین"),
        # two ZWNJs in one word (in a sentence: a word alone lacks the context the model uses)
        ("سرمایهگذاریهای بزرگ در این کشور", f"سرمایه{Z}گذاری{Z}های بزرگ در این کشور"),
        ("این کتابهای خوب را میخوانند", f"این کتاب{Z}های خوب را می{Z}خوانند"),
        # written spaced
        ("می کنند", f"می{Z}کنند"),
        ("گروه های", f"گروه{Z}های"),
        ("ظرفیت سازی", f"ظرفیت{Z}سازی"),
        ("نمی شود", f"نمی{Z}شود"),
        ("رفته اند", f"رفته{Z}اند"),
        ("مهم ترین", f"مهم{Z}ترین"),
    ],
)
def test_restores_half_space(damaged, expected):
    assert repair(damaged) == expected


@pytest.mark.parametrize(
    "word",
    ["توانخواهان", "بهزیستی", "مددجویان", "همه", "نمایش", "میز", "هایی", "میان", "میلیون", "بیشتر",
     "بهتر", "دختر", "تنها", "گاهی", "راهی", "کشورهای", "دانشگاه", "نهایی", "همکاری", "میدان"],
)
def test_keeps_words_that_are_right(word):
    assert edits(word) == []


@pytest.mark.parametrize(
    "text",
    [
        "ماه می سال گذشته",  # می as the month, not the verb prefix
        "این کتاب را به او داد",
        "در این باره گفت",
        f"می{Z}کنند و کتاب{Z}ها",  # already right
    ],
)
def test_leaves_correct_text_alone(text):
    assert repair(text) == text


def test_keeps_everything_but_zwnj_in_a_sentence():
    text = "۱۲ نفر از مددجویان بهزیستی در برنامه های توانمندسازی شرکت میکنند."
    out = repair(text)
    assert f"برنامه{Z}های" in out and f"می{Z}کنند" in out
    assert out.replace(Z, " ").replace("  ", " ") == text.replace("میکنند", "می کنند")


def test_robust_to_arabic_letters_and_diacritics():
    # Arabic yeh/kaf and a diacritic are looked up canonically but never changed
    assert repair("ميكنند") == f"مي{Z}كنند"
    assert repair("میکُنند") == f"می{Z}کُنند"


def test_offsets_and_empty_input():
    assert edits("") == []
    assert edits("   ") == []
    assert edits("abc 123") == []
    assert edits(" می کنند") == [(3, 4, Z)]


# --- invariants ------------------------------------------------------------------------

_PIECES = ["می", "نمی", "کن", "ند", "ها", "های", "ی", "ای", "اند", "تر", "ترین", "خانه", "کتاب", "سازی",
           "ظرفیت", "گروه", "پرونده", "ه", "ب", "ا", "ر", "و", "1", "۲", "،", ".", "a", Z]
_SEPS = ["", "", " ", "  ", "\n", Z, "ـ", "\u064e"]
persianish = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPS)), max_size=12).map(
    lambda xs: "".join(p + s for p, s in xs)
)
persian_chars = st.text(alphabet="آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀئء \u200c\u064b\u0650۰۱9.،\n", max_size=40)


def _check_edits(text: str) -> None:
    eds = edits(text)
    pos = 0
    for start, end, repl in eds:
        assert repl == Z
        assert start >= pos, "edits must be sorted and must not overlap"
        assert end == start or (end == start + 1 and text[start] == " ")
        pos = end
    # undoing the edits gives the input back, character for character
    out = repair(text)
    rebuilt, i = [], 0
    for start, end, _ in eds:
        rebuilt.append(text[i:start])
        rebuilt.append(text[start:end])
        i = end
    rebuilt.append(text[i:])
    assert "".join(rebuilt) == text
    assert len(out) == len(text) + sum(1 for s, e, _ in eds if s == e)


@given(persianish)
def test_edits_only_insert_zwnj_or_swap_a_space(text):
    _check_edits(text)


@given(persian_chars)
def test_edits_on_random_letters(text):
    _check_edits(text)


@given(persianish)
def test_idempotent(text):
    once = repair(text)
    assert repair(once) == once


@pytest.mark.parametrize("text", ["میکنند", "گروه های", "ظرفیت سازی ها", "سرمایه گذاری های", "خانه ای"])
def test_idempotent_examples(text):
    once = repair(text)
    assert repair(once) == once


def test_cli_keeps_lines():
    src = "میکنند\n\nگروه های\nabc\n"
    p = subprocess.run([sys.executable, "-m", "kg_builder", "normalize", "--zwnj-only"], input=src, capture_output=True,
                       text=True, check=True)
    assert p.stdout.split("\n") == [f"می{Z}کنند", "", f"گروه{Z}های", "abc", ""]


def test_lexicon_loads_lazily_and_once():
    lex = zwnj._lexicon()
    assert lex is zwnj._lexicon()
    assert len(lex.words) > 10000 and len(lex.zw) > 1000 and lex.verb_rest


def test_model_loads_with_thresholds():
    model = zwnj._model()
    assert model is zwnj._model()
    assert model.letters and model.token and model.space
    assert set(model.settings) == {"token", "space", "token_evidence", "space_evidence", "token_cautious",
                                   "space_cautious"}
    # a cautious threshold is never below the normal one (so that a second round adds nothing)
    assert model.settings["token_cautious"] >= model.settings["token"]
    assert model.settings["space_cautious"] >= model.settings["space"]


def test_letter_score_parts_add_up():
    # model A's score at a space is computed from cached halves: it must equal the plain sum
    for left, right in [("ظرفیت", "سازی"), ("می", "کنند"), ("ب", "ا"), ("کتاب", "ها")]:
        w = left + right
        full = zwnj._weigh(zwnj._model().letters, zwnj.letter_features(w, len(left)))
        assert zwnj._letter_at(left, right) == pytest.approx(full)
        assert zwnj._letter_score(w)[len(left) - 1] == pytest.approx(full)


def test_text_with_zwnj_is_left_mostly_alone():
    # a text that already uses ZWNJs: its joined words are checked with the cautious threshold
    text = f"آن{Z}ها در این کتاب{Z}ها چیزی نمی{Z}بینند و آنها را دیدند"
    assert repair(text) == text


def test_edits_offsets_match_repair_with_two_rounds():
    # a space joined in one round can make another boundary certain in the next: the edits
    # are still relative to the input text
    text = "نتایج ارزیابی ها و برنامه ریزی های آینده را می بینیم"
    _check_edits(text)
    out = repair(text)
    assert f"ارزیابی{Z}ها" in out and f"می{Z}بینیم" in out
    assert repair(out) == out


def test_surname_parts():
    # written joined, a surname part after a given name or a stem in ی takes a ZWNJ
    assert repair("علی محبینیا گفت") == f"علی محبی{Z}نیا گفت"
    # written apart, in a text that writes its half-spaces as spaces (می کند)
    out = repair("محمد حسین پور معاون سازمان اعلام می کند")
    assert f"حسین{Z}پور" in out and f"می{Z}کند" in out
    # everyday words that end like a surname part stay whole, and so do listed compounds
    for word in ("خداوند", "دنیا", "پیوند", "افراد", "شاهزاده", "سفر"):
        assert edits(word) == [], word
    assert not zwnj._surname("هر", "فرد") and not zwnj._surname("به", "پور")


def test_listed_spellings_are_loaded():
    # the big word list's ZWNJ spellings: joined key -> (also listed joined?, split points)
    lex = zwnj._lexicon()
    assert len(lex.listed) > 50000
    also_joined, splits = lex.listed["ظرفیتسازی"]
    assert (5,) in splits and also_joined in (0, 1)


@pytest.mark.parametrize(
    "form, key, points",
    [
        (f"آن{Z}ها", "آنها", (2,)),
        (f"سرمایه{Z}گذاری{Z}ها", "سرمایهگذاریها", (6, 11)),
        (f"{Z}ab{Z}{Z}cd{Z}", "abcd", (2,)),  # doubled and edge ZWNJs count once or not at all
        ("abc", "abc", ()),
    ],
)
def test_split_points(form, key, points):
    assert zwnj._split_points(form) == (key, points)
