"""The one letter-folding table: its tiers, one character for one, and that every module uses it."""

import importlib.util
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kg_builder import evaluate
from kg_builder.text import dates, letters, normalise, numbers, zwnj
from kg_builder.text.letters import COMPARE, DIGITS, LETTERS, LOOKUP, MARKS, TEXT, fold, table

PACKAGE = Path(letters.__file__).resolve().parent.parent
TIERS = {"DIGITS": DIGITS, "LOOKUP": LOOKUP, "LETTERS": LETTERS, "TEXT": TEXT, "COMPARE": COMPARE}


def test_every_tier_maps_one_character_to_one():
    for name, tier in TIERS.items():
        assert tier, name
        assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in tier.items()), name


def test_tiers_fold_to_their_fixed_point():
    # what a tier produces it leaves alone: folding twice is folding once
    for name, tier in TIERS.items():
        assert not set(tier.values()) & set(tier), name


def test_tiers_nest():
    assert DIGITS.items() <= TEXT.items() and LETTERS.items() <= TEXT.items()
    assert TEXT.items() <= COMPARE.items() and LOOKUP.items() <= COMPARE.items()


def test_the_tiers_are_what_the_modules_had():
    # pinned: the normalised text, and so every offset, depends on TEXT; the shipped ZWNJ
    # resources were built with LOOKUP (benchmarks/build_zwnj_lexicon.py uses zwnj.canon)
    assert DIGITS == {**{a: str(i) for i, a in enumerate("۰۱۲۳۴۵۶۷۸۹")},
                      **{a: str(i) for i, a in enumerate("٠١٢٣٤٥٦٧٨٩")}}
    assert TEXT == {**dict(zip("يىكةۀۃ", "ییکههه")), **DIGITS}
    assert LOOKUP == {"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ھ": "ه"}
    assert COMPARE == {**TEXT, "ە": "ه", "ھ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی"}
    assert MARKS == "".join(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, 0x0640])


def test_modules_take_their_folding_from_the_table():
    assert {k: v for k, v in normalise._TABLE.items() if v != " "} == table(TEXT)
    assert zwnj._CANON == table(LOOKUP) and zwnj._DROP == frozenset(MARKS)
    assert numbers._DIGITS == table(DIGITS) and numbers._LETTER_FIX == LETTERS
    assert dates.fold is fold
    assert evaluate._LETTERS == table(COMPARE)


def test_no_other_module_defines_a_translation_table():
    # every str.maketrans of the package lives in text/letters.py
    found = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
             if "maketrans(" in p.read_text(encoding="utf-8")]
    assert found == ["text/letters.py"]


def test_zwnj_loads_on_its_own_as_the_resource_build_script_loads_it():
    # benchmarks/build_zwnj_lexicon.py executes text/zwnj.py outside the package for canon
    spec = importlib.util.spec_from_file_location("_zwnj_alone", Path(zwnj.__file__))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.canon("كتابي\u064eھ") == zwnj.canon("كتابي\u064eھ") == "کتابیه"


@given(st.text(alphabet=st.sampled_from("يىكةۀۃەھأإٱؤئیکها ۰۱۹٠٩0a\u064e\u0640\u200c"), max_size=30))
def test_fold_keeps_length_and_is_idempotent(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
    assert text.translate(table(COMPARE)).translate(table(COMPARE)) == text.translate(table(COMPARE))


def test_fold_digits_and_letters():
    assert fold("كد ۱۴۰۲/٠٣ ۀ ة") == "کد 1402/03 ه ه"
    assert re.fullmatch(f"[{MARKS}]+", "\u064b\u0652\u0670\u0640")
