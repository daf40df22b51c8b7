"""Sanity checks for the shipped general-knowledge lexicons."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from kg_builder.resources import lexicons

ZWNJ = "\u200c"
# Persian letters only: Arabic block letters ء..غ and ف..ه, و, plus پ چ ژ ک گ ی; hamza forms آ أ ؤ ئ included.
PERSIAN_LETTER = "\u0621-\u063a\u0641-\u0648\u067e\u0686\u0698\u06a9\u06af\u06cc"
PERSIAN_TEXT = re.compile(rf"[{PERSIAN_LETTER}]+(?:[ {ZWNJ}][{PERSIAN_LETTER}]+)*")
ARABIC_YEH_KAF = re.compile("[\u064a\u0643\u0649]")  # ي ك ى
ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TITLES = {"دکتر", "سید", "سیده", "مهندس", "حاج", "حاجی", "آقای", "خانم", "استاد", "شیخ", "مولوی", "حجت‌الاسلام"}


def _persian_ok(s: str) -> bool:
    return bool(PERSIAN_TEXT.fullmatch(s)) and not ARABIC_YEH_KAF.search(s)


def _all_place_strings():
    for rec in (*lexicons.provinces(), *lexicons.counties()):
        yield rec["key"], rec["fa"]
        for v in rec["variants"]:
            yield rec["key"], v
    for p in lexicons.provinces():
        yield p["key"], p["capital"]


def test_exactly_31_provinces_with_unique_ascii_keys():
    provs = lexicons.provinces()
    assert len(provs) == 31
    keys = [p["key"] for p in provs]
    assert len(set(keys)) == 31
    assert all(ASCII_SLUG.fullmatch(k) for k in keys), keys
    for expected in ("tehran", "qazvin", "khorasan-razavi", "kohgiluyeh-boyer-ahmad", "sistan-baluchestan",
                     "chaharmahal-bakhtiari", "east-azerbaijan", "west-azerbaijan", "markazi", "alborz"):
        assert expected in keys
    assert len({p["fa"] for p in provs}) == 31


def test_province_iso_codes_are_well_formed_and_unique():
    codes = [p["iso"] for p in lexicons.provinces() if "iso" in p]
    assert all(re.fullmatch(r"IR-\d\d", c) for c in codes), codes
    assert len(codes) == len(set(codes))
    by_key = lexicons.provinces_by_key()
    assert by_key["tehran"]["iso"] == "IR-23"
    assert by_key["qazvin"]["iso"] == "IR-26"


def test_counties_reference_existing_provinces_with_well_formed_keys():
    prov_keys = set(lexicons.provinces_by_key())
    cs = lexicons.counties()
    assert len(cs) >= 400
    keys = [c["key"] for c in cs]
    assert len(keys) == len(set(keys))
    for c in cs:
        assert c["province"] in prov_keys, c
        pkey, _, slug = c["key"].partition("/")
        assert pkey == c["province"], c
        assert ASCII_SLUG.fullmatch(slug), c
        assert c["en"].isascii() and c["en"], c
    # every province has at least one county
    assert set(Counter(c["province"] for c in cs)) == prov_keys


def test_no_duplicate_fa_province_pairs_or_variant_clashes():
    pairs = Counter((c["fa"], c["province"]) for c in lexicons.counties())
    assert [p for p, n in pairs.items() if n > 1] == []
    # within one province, no written form may point to two different counties
    owner: dict[tuple[str, str], str] = {}
    for c in lexicons.counties():
        for form in (c["fa"], *c["variants"]):
            prev = owner.setdefault((form, c["province"]), c["key"])
            assert prev == c["key"], (form, prev, c["key"])
    # province surface forms are unique across provinces
    pform: dict[str, str] = {}
    for p in lexicons.provinces():
        for form in (p["fa"], *p["variants"]):
            assert pform.setdefault(form, p["key"]) == p["key"], form


def test_place_names_and_variants_are_persian_script_only():
    bad = [(k, s) for k, s in _all_place_strings() if not _persian_ok(s)]
    assert bad == []


def test_province_variants_cover_common_forms_but_not_bare_fragments():
    by_key = lexicons.provinces_by_key()
    forms = {k: {p["fa"], *p["variants"]} for k, p in by_key.items()}
    assert "چهارمحال وبختیاری" in forms["chaharmahal-bakhtiari"]
    assert "چهار محال و بختیاری" in forms["chaharmahal-bakhtiari"]
    assert "کهگیلویه و بویر احمد" in forms["kohgiluyeh-boyer-ahmad"]
    assert {"آذربایجان شرقی", "آذربایجان\u200cشرقی", "آذربایجانشرقی"} <= forms["east-azerbaijan"]
    assert "خراسان رضوی" in forms["khorasan-razavi"]
    every = set().union(*forms.values())
    for fragment in ("خراسان", "آذربایجان", "کهگیلویه", "سیستان", "چهارمحال", "رضوی", "شرقی"):
        assert fragment not in every


def test_known_county_placements():
    index = {(c["fa"], c["province"]) for c in lexicons.counties()}
    assert ("آوج", "qazvin") in index
    assert ("قزوین", "qazvin") in index
    assert ("البرز", "qazvin") in index  # county name colliding with another province's name
    assert ("کرج", "alborz") in index
    assert ("مشهد", "khorasan-razavi") in index


def test_given_names():
    names = lexicons.given_names()
    assert isinstance(names, frozenset)
    assert len(names) >= 600
    assert not names & TITLES
    assert not any(n.startswith(("سید", "دکتر", "مهندس")) for n in names)
    assert {"علیرضا", "محمدرضا", "روح‌الله", "عبدالله", "فاطمه", "زهرا"} <= names
    assert [n for n in names if not _persian_ok(n)] == []
    assert all(" " not in n for n in names)


def test_surname_parts():
    parts = lexicons.surname_parts()
    assert {"زاده", "پور", "نیا", "لو", "نژاد"} <= parts
    assert not any(p.startswith("#") for p in parts)
    assert [p for p in parts if not _persian_ok(p) or " " in p] == []
    assert not parts & lexicons.given_names()


def test_loaders_are_cached():
    assert lexicons.counties() is lexicons.counties()
    assert lexicons.given_names() is lexicons.given_names()


@pytest.mark.parametrize("rec", [*lexicons.provinces()[:1], *lexicons.counties()[:1]])
def test_variants_are_tuples(rec):
    assert isinstance(rec["variants"], tuple)
