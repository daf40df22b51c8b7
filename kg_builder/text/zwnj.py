"""Restore missing half-spaces (ZWNJ, U+200C) in Persian text.

Persian writes many words in parts joined by a zero-width non-joiner: the verb prefix
(می‌کنند), plural and other suffixes (فعالیت‌های، پرونده‌ای، مهم‌ترین) and compounds
(ظرفیت‌سازی، سه‌شنبه). Text from the web often has a plain space instead (می کنند) or
nothing at all (میکنند). :func:`edits` proposes the fix as offset edits, which never touch
any other character: a ZWNJ inserted (``(i, i, ZWNJ)``) or one space replaced by a ZWNJ
(``(i, i + 1, ZWNJ)``).

Two layers decide.

1. Rules (the first part of this file). Every analysis of a word has a cost, and keeping it
   whole is one of them. Costs come from ``resources/zwnj_lexicon.tsv.gz`` (built by
   ``benchmarks/build_zwnj_lexicon.py`` from hazm's word lists and the dev parts of the UD
   Persian treebanks; mnk-persian-words' 100k ZWNJ spellings are model features): listed
   ZWNJ spellings (سه‌شنبه), words that are right joined (بیشتر، میز), treebank counts of
   both; from verb stems (می/نمی + verb, کرده‌اند); and from affix rules (plural ها،
   comparative تر، ی/ای/ام... after a silent ه, compounds with a productive part such as
   سازی, surnames such as علی‌زاده). Across a space, a ZWNJ replaces it before a suffix
   (گروه های), after می before a verb, and for pairs the lexicon or the treebanks write joined.
2. Boundary models (``resources/zwnj_model.tsv.gz``, logistic regressions, same build
   script): each boundary inside a word and each space between two words gets a score from
   the rules' answer, letter n-grams, lexicon facts and the neighbouring words. A boundary
   takes a ZWNJ when its score passes a threshold; the thresholds follow the text's own habit
   (see :func:`_pass`): a text that writes morphemes apart has its joined words checked more
   cautiously, and the other way round.

Measured with shared/eval/zwnj.py on the UD test files (benchmarks/run_zwnj.sh), see
benchmarks/results/zwnj.json; benchmarks/build_zwnj_lexicon.py --eval-halves measures on
halves of the dev files.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import itertools
import math
import re
from collections.abc import Iterable

# absolute: benchmarks/build_zwnj_lexicon.py loads this file on its own, outside the package
from kg_builder.text import letters

__all__ = ["NON_JOINING", "ZWNJ", "canon", "edits", "repair"]

ZWNJ = "\u200c"
Edit = tuple[int, int, str]

# Letters that never join the following letter: a ZWNJ after them changes nothing visible,
# and the treebanks (like most careful writers) leave it out.
NON_JOINING = frozenset("اآأإٱدذرزژوؤۀةءى")

# Lookups use a canonical form: Arabic variants to Persian letters (the shared table's LOOKUP
# tier, which the shipped resources were built with), diacritics and tatweel dropped. The
# text itself is never changed.
_CANON = letters.table(letters.LOOKUP)
_DROP = frozenset(letters.MARKS)
_LETTER_RANGES = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
# A word: letters, possibly with diacritics, tatweel and (existing) ZWNJs inside.
_WORD = re.compile(f"[{_LETTER_RANGES}][{_LETTER_RANGES}{letters.MARKS}\u200c]*")
_SPECIAL = re.compile(f"[\u200c{letters.MARKS}]")  # ZWNJ, diacritics, tatweel


def canon(s: str) -> str:
    """Return the lookup form of ``s`` (Persian letter variants, no diacritics or tatweel)."""
    s = s.translate(_CANON)
    if any(c in _DROP for c in s):
        s = "".join(c for c in s if c not in _DROP)
    return s


# --- resources --------------------------------------------------------------------------


class _Lexicon:
    """Word lists loaded from the shipped TSV (see benchmarks/build_zwnj_lexicon.py)."""

    def __init__(self, lines: Iterable[str]) -> None:
        # joined word -> (hazm strength: 2 counted or tagged, 1 raw list only; count in the
        # treebanks; log10 of hazm's frequency; is an adjective)
        self.words: dict[str, tuple[int, int, float, bool]] = {}
        # piece -> number of different words it follows after a ZWNJ, after a space, and
        # precedes before a ZWNJ, before a space (compounds only, in the treebanks)
        self.position: dict[str, tuple[int, int, int, int]] = {}
        # joined key -> (split points, hazm strength, treebank count) of its best ZWNJ form
        self.zw: dict[str, tuple[tuple[int, ...], int, int]] = {}
        self.zw_forms: dict[str, tuple[int, int]] = {}  # ZWNJ form -> (hazm strength, count)
        self.spaced: dict[str, int] = {}  # "x y" -> times written apart in the treebanks
        # productive compound parts -> number of listed ZWNJ forms they start / end
        self.heads: dict[str, int] = {}
        self.tails: dict[str, int] = {}
        # joined key -> (1 if the big word list also has it joined else 0, split points of each
        # ZWNJ spelling it lists)
        self.listed: dict[str, tuple[int, tuple[tuple[int, ...], ...]]] = {}
        past: set[str] = set()
        pres: set[str] = set()
        listed = self.listed
        for line in lines:
            if line[:2] == "M\t":  # most lines: kept lean
                _, a, b, _ = line.split("\t", 3)
                key, pts = _split_points(a)
                old = listed.get(key)
                listed[key] = (int(b), (pts,)) if old is None else (max(old[0], int(b)), old[1] + (pts,))
                continue
            if line.startswith("#") or not line.strip():
                continue
            kind, a, b, c, *rest = line.rstrip("\n").split("\t") + [""]
            if kind == "W":
                self.words[a] = (int(b), int(c), int(rest[0]) / 10, rest[1] == "A")
            elif kind == "P":
                self.position[a] = (int(b), int(c), int(rest[0]), int(rest[1]))
            elif kind == "Z":
                h, d = int(b), int(c)
                self.zw_forms[a] = (h, d)
                key, pts = _split_points(a)
                old = self.zw.get(key)
                if old is None or (d, h) > (old[2], old[1]):
                    self.zw[key] = (pts, h, d)
            elif kind == "S":
                self.spaced[a] = int(b)
            elif kind == "H":
                self.heads[a] = int(b)
            elif kind == "T":
                self.tails[a] = int(b)
            elif kind == "V":
                past.add(a)
                pres.add(b)
        # Verb forms after the prefix می/نمی (one token): present and past stems with
        # person endings, and the participle (می‌کرده).
        forms: set[str] = {"توان", "باید", "بایست", "بایستی", "شاید"}
        for p in pres:
            forms.update(p + e for e in ("م", "ی", "د", "یم", "ید", "ند"))
            if p.endswith(("ا", "و", "آ")):
                forms.update(p + e for e in ("یم", "ید", "یند", "ی"))
        for p in past:
            forms.update(p + e for e in ("م", "ی", "", "یم", "ید", "ند"))
            forms.add(p + "ه")
        self.verb_rest = frozenset(f for f in forms if len(f) >= 2)
        # Verb forms written as one word without ZWNJ (کرد، نکرده، بگیرند، گریاند).
        joined: set[str] = set()
        for p in past:
            for neg in ("", "ن"):
                joined.update(neg + p + e for e in ("م", "ی", "", "یم", "ید", "ند", "ه", "ن"))
        # past forms and participles: a second word that rarely ends a compound (کشته شده)
        self.verb_past = frozenset(joined)
        for p in pres:
            for pre in ("", "ب", "ن"):
                joined.update(pre + p + e for e in ("م", "ی", "د", "یم", "ید", "ند"))
            joined.update(("ب" + p, "ن" + p))
        self.verb_joined = frozenset(joined)
        # Past participles that take ام/ای/ایم/اید/اند with a ZWNJ (کرده‌اند، نکرده‌ام).
        parts = {p + "ه" for p in past}
        self.participles = frozenset(parts | {"ن" + p for p in parts})


def _split_points(form: str) -> tuple[str, tuple[int, ...]]:
    """``form`` without its ZWNJs, and the letter offsets where they stood."""
    if ZWNJ not in form:
        return form, ()
    pieces = form.split(ZWNJ)
    key = "".join(pieces)
    pts: list[int] = []
    n = 0
    for piece in pieces[:-1]:
        n += len(piece)
        if 0 < n < len(key) and (not pts or pts[-1] != n):
            pts.append(n)
    return key, tuple(pts)


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """The shipped lexicon, loaded on first use."""
    ref = importlib.resources.files("kg_builder.resources").joinpath("zwnj_lexicon.tsv.gz")
    with ref.open("rb") as fh:
        return _Lexicon(gzip.decompress(fh.read()).decode("utf-8").splitlines())


# --- word analysis ----------------------------------------------------------------------

# Costs: an analysis of a word is chosen when it costs less than keeping the word whole.
_UNKNOWN = 2.0  # cost of keeping a word no list knows
_WEAK = 1.6  # cost of keeping a word found only in hazm's raw list
_WEAK_STEM = 0.8  # ... and of using such a word as the stem of a suffixed form
_WEAK_COMPOUND = 1.0  # words that cost at least this much may be split as compounds
_COMPOUND_MIN = 8  # a compound part must start or end this many listed compounds
# The ZWNJ (standard) spelling of a word wins unless the treebanks write it joined this many
# times as often (آن‌ها: 21 against 53 joined in the dev files, so it is split).
_DEV_RATIO = 3
# Joining across a space by the treebank statistics of one part: it must have been joined by
# a ZWNJ to at least _POS_MIN different words, and _POS_RATIO times as many as it stood apart from.
_POS_MIN = 2
_POS_RATIO = 2.0

# Inflectional suffixes written after a ZWNJ.
_PLURAL = ("ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "هاست",
           "هایند", "هاشان", "هامان")
_COMPARATIVE = ("تر", "ترین", "تری", "ترها", "ترهای")
# after a silent final ه (خانه‌ی، خانه‌ای، کرده‌اند)
_AFTER_H = ("ی", "ای", "ام", "ات", "اش", "ایم", "اید", "اند", "مان", "تان", "شان")
# after a final ی (زندگی‌اش، ایرانی‌ام)
_AFTER_Y = ("ام", "ات", "اش", "ای", "ایم", "اید", "اند", "شان", "مان", "تان")
_PERSON = ("ام", "ای", "ایم", "اید", "اند")
# Suffixes written joined: a known word plus one of these is a known word too.
_JOINED_AFTER_VOWEL = ("ی", "یی", "یم", "یت", "یش", "یمان", "یتان", "یشان", "یان")
_JOINED_AFTER_CONS = ("ی", "ین", "م", "ت", "ش", "مان", "تان", "شان", "ان", "ات", "یم", "ید", "ند", "یت")
# Second parts of compounds that are usually written after a ZWNJ.
_COMPOUND_TAIL = frozenset({
    "سازی", "ساز", "سازان", "گذاری", "گذار", "گذاران", "گیری", "کننده", "کنندگان",
    "کنندگی", "شناس", "شناسی", "شناسان", "آمیز", "آوری", "برداری", "بردار", "پردازی", "پرداز",
    "بندی", "ریزی", "زایی", "رسانی", "پذیر", "پذیری", "ناپذیر", "انگیز", "گرایی", "گرا", "نامه",
    "مندی", "مند", "مندان", "نشین", "نشینی", "یابی", "سنجی",
    "نگاری", "نویسی", "پروری", "گزاری", "آفرین", "آفرینی", "زدایی", "افزایی", "گستری",
})
_PREFIXES = frozenset(("بی", "هم", "کم", "نیم", "پیش", "پس", "غیر", "نیمه", "فوق", "چند"))
_KNOWN_PART = 16  # weight of the hand-listed parts, as if 16 listed compounds had them
_MI = ("می", "نمی")
_VERB_PRE = ("بر", "در", "فرا", "باز", "وا", "فرو")
# Words ending in ه that take ی, ام... joined, never after a ZWNJ: a pronounced ه (کوه، فقیه;
# all words in اه such as راه are caught by rule) and short function words (که، چه).
_H_CONSONANT = frozenset((
    "کوه", "گروه", "انبوه", "شکوه", "ستوه", "اندوه", "پژوه", "فقه", "ده", "به", "که", "مه", "نه",
    "فقیه", "شبیه", "توجیه", "تنبیه", "تشبیه", "تنزیه", "نزیه", "وجیه", "کریه", "سفیه", "اله", "تنبه",
    "رفه", "مرفه", "منزه", "متوجه", "موجه", "مشتبه", "متنبه", "ابله", "شه", "ره", "گره", "زه",
    "بهبه", "سه", "چه", "آگه", "گه", "مه", "پگه", "بنگه", "کوته", "تبه", "سیه", "فربه", "نگه", "دگه",
    "توجه", "تشابه", "مشابه", "متشابه", "تفقه", "تنزه", "تأله", "وجه", "شبه", "کنه", "تنبه", "الله",
))


# Second parts of surnames, written after a ZWNJ (علی‌زاده، محبی‌نیا، عباسی‌فرد); they join
# a given name or a stem in ی. Parts that are also everyday words (دوست، فرد) are left out.
_SURNAME_TAILS = frozenset(("زاده", "زادگان", "پور", "نیا", "فر", "راد", "وند", "نژاد", "کیا", "منش", "نسب", "فام"))


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """The given names of the person rules, in lookup form."""
    from kg_builder.resources.lexicons import given_names

    return frozenset(canon(x) for x in given_names())


def _surname(stem: str, tail: str) -> bool:
    """Is ``stem tail`` a surname of the kind written with a ZWNJ (علی‌زاده، محبی‌نیا)?"""
    if tail not in _SURNAME_TAILS or len(stem) < 2 or stem in _FUNCTION:
        return False
    return stem in _given_names() or (len(stem) >= 3 and stem.endswith("ی"))


def _h_silent(stem: str) -> bool:
    """Does ``stem`` end in a silent ه, which takes ی/ای/ام... after a ZWNJ (خانه‌ای)?"""
    if not stem.endswith("ه"):
        return False
    if stem.endswith("اه"):
        return False
    return not (stem in _H_CONSONANT or stem[-3:] in _H_CONSONANT or stem[-4:] in _H_CONSONANT)


def _lexical(w: str, lex: _Lexicon) -> tuple[float, tuple[int, ...]]:
    """Cost and split of ``w`` as a listed word (kept whole, or in its listed ZWNJ form)."""
    wd = lex.words.get(w)
    z = lex.zw.get(w)
    dj = wd[1] if wd else 0
    dz = z[2] if z else 0
    if dz and dz * _DEV_RATIO >= dj:  # the treebanks write it with the ZWNJ often enough
        return 0.0, z[0]
    hj = wd[0] if wd else 0
    if hj >= 2 or dj >= 3 or _is_verb(w, lex):
        return 0.0, ()
    hz = z[1] if z else 0
    if hz:
        return (0.05 if hz >= 2 else 0.3), z[0]
    if dj:  # seen joined once or twice: a productive split may still win
        return 0.6, ()
    if hj:
        return _WEAK, ()
    return _UNKNOWN, ()


def _plural_split(w: str, pts: tuple[int, ...], lex: _Lexicon) -> tuple[int, ...]:
    """Add the ZWNJ before a plural suffix that a listed compound was written without."""
    for suf in _PLURAL:
        k = len(w) - len(suf)
        if w.endswith(suf) and k > pts[-1] + 1 and w[k - 1] not in NON_JOINING:
            if _lexical(w[:k], lex)[0] <= 0.05:
                return pts + (k,)
            break
    return pts


def _listed_part(y: str, lex: _Lexicon) -> bool:
    """Is ``y`` a listed word, possibly with a plural suffix (a safe second compound part)?"""
    if y not in lex.words and y not in lex.zw and _is_verb(y, lex):
        return False  # a bare verb form: بی+نبخشی is not a compound
    if _lexical(y, lex)[0] <= 0.05:
        return True
    for suf in _PLURAL:
        if y.endswith(suf) and len(y) - len(suf) >= 2 and _lexical(y[: -len(suf)], lex)[0] <= 0.05:
            return True
    return False


def _is_verb(w: str, lex: _Lexicon) -> bool:
    """Is ``w`` a verb form written as one word, possibly with a prefix (برشمرد، درگذشت)?"""
    if w in lex.verb_joined:
        return True
    for pre in _VERB_PRE:
        if w.startswith(pre) and w[len(pre):] in lex.verb_past:
            return True
    return False


def _stem_cost(s: str) -> tuple[float, tuple[int, ...]]:
    """Cost of ``s`` as the stem of a suffixed form; frequent words are cheaper."""
    lex = _lexicon()
    c, p, _ = _analyze(s)
    wd = lex.words.get(s)
    if wd is None:
        return (c + 0.5 if c < _WEAK else c), p
    if c >= _WEAK:
        return _WEAK_STEM, p
    if wd[0] < 2 and s in lex.verb_joined:
        return 1.0, p  # a verb form, not a noun
    f = wd[2] if wd[0] >= 2 else 5.0
    return c + max(0.0, 1.0 - 0.1 * f), p


@functools.lru_cache(maxsize=65536)
def _analyze(w: str) -> tuple[float, tuple[int, ...], str]:
    """Best split of the canonical letter string ``w``: (cost, ZWNJ positions, rule name)."""
    lex = _lexicon()
    best_cost, best = _lexical(w, lex)
    n = len(w)
    if n < 3 or best_cost <= 0.05:
        if best:
            best = _plural_split(w, best, lex)
        return best_cost, best, "lexicon"

    tag = "lexicon"

    def consider(cost: float, pts: tuple[int, ...], why: str) -> None:
        nonlocal best_cost, best, tag
        if cost < best_cost - 1e-9:
            best_cost, best, tag = cost, pts, why

    # joined derivations of a known word (بیشتر+ین، تنها+یی، ایران+ی)
    for sufs, vowel in ((_JOINED_AFTER_VOWEL, True), (_JOINED_AFTER_CONS, False)):
        for suf in sufs:
            if w.endswith(suf) and n - len(suf) >= 2:
                s = w[: -len(suf)]
                last = s[-1]
                if vowel != (last in "اوآ"):
                    continue
                if last == "ه" and _h_silent(s) or last == "ی" and suf[0] in "اآی":
                    continue
                sc, sp = _lexical(s, lex)
                if sc <= 0.3:
                    consider(sc + 0.2, sp, "joined-derivation")

    # verb prefix: (بر|در...)?(ن)?می + verb form
    for pre in _VERB_PRE + ("",):
        if not w.startswith(pre):
            continue
        for mi in _MI:
            k = len(pre) + len(mi)
            if w.startswith(mi, len(pre)) and n - k >= 2:
                rest = w[k:]
                if rest in lex.verb_rest:
                    consider(0.3, (k,), "mi-verb")
                else:
                    for e in _PERSON:
                        if rest.endswith(e) and rest[: -len(e)] in lex.participles:
                            consider(0.35, (k, n - len(e)), "mi-perfect")
    # perfect: participle + person ending (کرده‌اند)
    for e in _PERSON:
        if w.endswith(e) and w[: -len(e)] in lex.participles:
            consider(0.9 if e == "ای" else 0.3, (n - len(e),), "perfect")
    # a surname (محبی‌نیا), when the whole is no listed word
    if best_cost >= _WEAK:
        for tail in _SURNAME_TAILS:
            if w.endswith(tail) and _surname(w[: -len(tail)], tail):
                consider(0.8, (n - len(tail),), "surname")
    # an unknown word that looks like می + verb (میدمد): the verb list is not complete
    if best_cost >= _UNKNOWN and w.startswith(_MI) and w.endswith(("ند", "د", "ید", "یم", "م")):
        k = 3 if w.startswith("نمی") else 2
        if n - k >= 3:
            consider(0.8, (k,), "mi-unknown")

    # inflectional suffixes
    for suf in _PLURAL:
        if w.endswith(suf) and n - len(suf) >= 2:
            s = w[: -len(suf)]
            sc, sp = _stem_cost(s)
            if sc >= _UNKNOWN:
                if len(s) < 3:
                    continue
                sc = 1.0
            if s[-1] in NON_JOINING:
                consider(sc + 0.45, sp, "plural-nj")
            else:
                consider(sc + 0.5, sp + (len(s),), "plural")
    for suf in _COMPARATIVE:
        if w.endswith(suf) and n - len(suf) >= 2:
            s = w[: -len(suf)]
            wd = lex.words.get(s)
            if wd and (wd[3] or wd[1]):
                sc, sp = _stem_cost(s)
                consider(sc + 0.5, sp if s[-1] in NON_JOINING else sp + (len(s),), "comparative")
    for suf in _AFTER_H:
        if w.endswith(suf) and n - len(suf) >= 3:
            s = w[: -len(suf)]
            if _h_silent(s):
                sc, sp = _stem_cost(s)
                if sc < _UNKNOWN:
                    consider(sc + 0.45, sp + (len(s),), "after-h")
    for suf in _AFTER_Y:
        if w.endswith(suf) and n - len(suf) >= 3 and w[-len(suf) - 1] == "ی" and not w.endswith("های" + suf):
            s = w[: -len(suf)]
            sc, sp = _stem_cost(s)
            if sc < 1.0:
                consider(sc + 0.6, sp + (len(s),), "after-y")
    # compounds of two known words, one of them a productive compound part (ظرفیت+سازی)
    if best_cost >= _WEAK_COMPOUND:
        for i in range(2, n - 1):
            x, y = w[:i], w[i:]
            if x[-1] in NON_JOINING or (len(y) < 3 and lex.tails.get(y, 0) < 20) or (
                len(x) < 3 and lex.heads.get(x, 0) < 20 and x not in _PREFIXES
            ):
                continue
            k = max(lex.heads.get(x, 0), lex.tails.get(y, 0),
                    _KNOWN_PART if (y in _COMPOUND_TAIL or x in _PREFIXES) else 0)
            if k < _COMPOUND_MIN:
                continue
            cy, py, _ = _analyze(y)
            if cy > 0.3 or not _listed_part(y, lex):
                continue
            cx, px = _lexical(x, lex)
            wx = lex.words.get(x)
            if cx > 0.05 or not (px or (wx and (wx[1] >= 2 or (wx[0] >= 2 and wx[2] >= 3)))):
                continue
            consider(cx + cy + 1.3 - 0.1 * math.log2(k), px + (i,) + tuple(p + i for p in py), "compound")
    if best:
        best = _plural_split(w, best, lex)
    return best_cost, best, tag


# --- joining across a space -------------------------------------------------------------

_SUFFIX_TOKENS = frozenset(_PLURAL + _COMPARATIVE)
_AFTER_H_TOKENS = frozenset(("ی", "ای", "ام", "ات", "اش", "ایم", "اید", "اند"))
_AFTER_Y_TOKENS = frozenset(("ام", "ات", "اش", "ایم", "اید", "اند"))
# Function words that start many listed compounds (این‌که، به‌طور) but mostly stand apart.
_FUNCTION = frozenset((
    "به", "در", "از", "با", "بر", "که", "این", "آن", "یک", "یکی", "هر", "همه", "هیچ", "همان", "همین",
    "چه", "تا", "را", "و", "یا", "نه", "هم", "اگر", "چند", "دو", "سه", "چون", "وقتی", "پس",
    "نیز", "است", "بود", "شد", "شده", "کرد", "کرده", "باید", "هست", "نیست", "اما", "ولی", "من", "تو",
    "او", "ما", "شما", "آنها", "وی", "خود", "بسیار", "خیلی", "همچنین", "سپس", "پیش", "بعد", "قبل",
))


@functools.lru_cache(maxsize=1 << 17)
def _join_space(left: str, right: str) -> str:
    """Should ``left right`` (last morph, first morph; canonical) be written with a ZWNJ?"""
    lex = _lexicon()
    if right in _SUFFIX_TOKENS:
        return "suffix"
    if _surname(left, right):
        return "surname"
    if right in _AFTER_H_TOKENS:
        if right == "ی":
            return "ezafe" if len(left) >= 2 else ""
        if left.endswith("ه") and _h_silent(left):
            return "after-h"
        if left.endswith("ی") and right in _AFTER_Y_TOKENS:
            return "after-y"
    if left in _MI or (left.endswith(_MI) and left[:-2].removesuffix("ن") in _VERB_PRE):
        if right in lex.verb_rest:
            return "mi-verb"
        for e in _PERSON:
            if right.endswith(e) and right[: -len(e)] in lex.participles:
                return "mi-perfect"
        # a verb missing from the list, unless the next word is a known non-verb (ماه می سال)
        return "mi-unknown" if len(right) >= 2 and _lexical(right, lex)[0] >= _WEAK else ""
    # a part that the treebanks join by a ZWNJ to many different words, and seldom put apart
    pr = lex.position.get(right)
    if pr and pr[0] >= _POS_MIN and pr[0] >= _POS_RATIO * pr[1] and left not in _FUNCTION:
        return "position-right"
    pl = lex.position.get(left)
    if (pl and pl[2] >= _POS_MIN and pl[2] >= _POS_RATIO * pl[3] and right not in _FUNCTION
            and not right.startswith(_MI) and right not in lex.verb_joined):
        return "position-left"
    z = lex.zw_forms.get(left + ZWNJ + right)
    if z is not None:
        apart = lex.spaced.get(left + " " + right, 0)
        if z[1] or apart:
            return "treebank-pair" if z[1] * 2 > apart else ""
        if left in _FUNCTION or right in _FUNCTION or left == right or right in lex.verb_past:
            return ""
        return "hazm-pair"
    return ""


# --- the boundary model -------------------------------------------------------------------
#
# The rules above give one answer for a word or a pair; the model weighs that answer against
# the letters around the boundary, lexicon facts and the neighbouring words, and gives a score
# (log-odds that the boundary takes a ZWNJ). Three logistic regressions, all in
# resources/zwnj_model.tsv.gz and trained by benchmarks/build_zwnj_lexicon.py:
#   A  a boundary inside a word, from its letters alone (trained on the word lists of hazm and
#      shekar, which spell compounds with ZWNJ); a feature of T and S;
#   T  a boundary inside a word (two letters with nothing between them);
#   S  a space between two words.
# T and S are trained on the UD dev sentences, each scored with a lexicon built from the other
# sentences, so that they learn how far to trust the rules and the lists on unseen words.

# Neighbouring words that are features as themselves; any other word is "?", none is "P".
_CONTEXT = frozenset("از که را و به با در برای تا این آن هم نیز یا است بود شد می ای هر چه یک".split())


def _ctx(word: str) -> str:
    """The class of a neighbouring word: itself if listed, "?" for another word, "P" for none
    (a class is its own class)."""
    return word if word in _CONTEXT or word == "P" else ("?" if word else "P")


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n <= 3 else "4" if n <= 9 else "X"


class _Model:
    """Feature weights of the three models and the decision thresholds (``K`` lines)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.letters: dict[str, float] = {}
        self.token: dict[str, float] = {}
        self.space: dict[str, float] = {}
        self.settings: dict[str, float] = {}
        tables = {"A": self.letters, "T": self.token, "S": self.space, "K": self.settings}
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            kind, key, value = line.rstrip("\n").split("\t")
            tables[kind][key] = float(value)


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    """The shipped model, loaded on first use."""
    ref = importlib.resources.files("kg_builder.resources").joinpath("zwnj_model.tsv.gz")
    with ref.open("rb") as fh:
        return _Model(gzip.decompress(fh.read()).decode("utf-8").splitlines())


def _use(lexicon: _Lexicon | None = None, model: _Model | None = None) -> None:
    """Swap in another lexicon or model (for building and measuring them) and drop caches."""
    global _lexicon, _model
    if lexicon is not None:
        _lexicon = lambda: lexicon  # noqa: E731
    if model is not None:
        _model = lambda: model  # noqa: E731
    for f in (_given_names, _analyze, _join_space, _rule_cuts, _left_sum, _right_sum, _letter_score, _token_scores,
              _space_score, _parse, _token_plan, _rule_feature_max, _token_base):
        f.cache_clear()


def _weigh(weights: dict[str, float], features: list[str]) -> float:
    get = weights.get
    return sum(get(f, 0.0) for f in features)


def letter_features(w: str, i: int) -> list[str]:
    """Features of model A for a ZWNJ before ``w[i]``: letters on either side."""
    left, right = w[:i], w[i:]
    f = ["b", "a1" + left[-1:], "a2" + left[-2:], "a3" + left[-3:], "a4" + left[-4:], "a5" + left[-5:],
         "c1" + right[:1], "c2" + right[:2], "c3" + right[:3], "c4" + right[:4], "c5" + right[:5],
         "x1" + left[-1] + right[0], "x2" + left[-2:] + "|" + right[:2], "x3" + left[-3:] + "|" + right[:3],
         "nl" + str(min(len(left), 6)), "nr" + str(min(len(right), 6))]
    if len(left) <= 7:
        f.append("L" + left)
    if len(right) <= 7:
        f.append("R" + right)
    return f


@functools.lru_cache(maxsize=1 << 16)
def _left_sum(left: str) -> float:
    """The part of model A's score that depends on the letters left of the boundary only."""
    get = _model().letters.get
    f = ["a1" + left[-1:], "a2" + left[-2:], "a3" + left[-3:], "a4" + left[-4:], "a5" + left[-5:],
         "nl" + str(min(len(left), 6))]
    if len(left) <= 7:
        f.append("L" + left)
    return sum(get(x, 0.0) for x in f)


@functools.lru_cache(maxsize=1 << 16)
def _right_sum(right: str) -> float:
    """The part of model A's score that depends on the letters right of the boundary only."""
    get = _model().letters.get
    f = ["c1" + right[:1], "c2" + right[:2], "c3" + right[:3], "c4" + right[:4], "c5" + right[:5],
         "nr" + str(min(len(right), 6))]
    if len(right) <= 7:
        f.append("R" + right)
    return sum(get(x, 0.0) for x in f)


def _letter_at(left: str, right: str) -> float:
    """Model A's score for a ZWNJ between ``left`` and ``right`` (= letter_features summed)."""
    get = _model().letters.get
    cross = (get("b", 0.0) + get("x1" + left[-1] + right[0], 0.0)
             + get("x2" + left[-2:] + "|" + right[:2], 0.0) + get("x3" + left[-3:] + "|" + right[:3], 0.0))
    return cross + _left_sum(left) + _right_sum(right)


@functools.lru_cache(maxsize=1 << 16)
def _letter_score(w: str) -> tuple[float, ...]:
    """Model A's score for every boundary of ``w`` (index i - 1 for a ZWNJ before ``w[i]``)."""
    weights = _model().letters
    return tuple(_weigh(weights, letter_features(w, i)) for i in range(1, len(w)))


def _clip(score: float) -> str:
    return str(max(-4, min(4, round(score))))


@functools.lru_cache(maxsize=1 << 16)
def _rule_cuts(w: str) -> dict[int, str]:
    """Where the rules put ZWNJs in ``w`` (offset -> rule), the pieces analysed again."""
    cuts: dict[int, str] = {}
    todo = [(0, len(w))]
    while todo:
        a, b = todo.pop()
        if b - a < 3:
            continue
        _, pts, tag = _analyze(w[a:b])
        for p in pts:
            cuts[a + p] = tag
        if pts:
            todo.extend(itertools.pairwise([a, *(a + p for p in pts), b]))
    return cuts


def token_features(w: str, before: str, after: str) -> list[list[str]]:
    """Features of model T for each boundary of the word ``w`` (canonical letters, no ZWNJ);
    ``before`` and ``after`` are the neighbouring words ("" if none) or their _ctx classes."""
    b, a = _ctx(before), _ctx(after)
    out = _word_features(w)
    for i in range(max(1, len(w) - 4), len(w)):
        out[i - 1] += _context_features(w[i:], b, a)
    return out


def _context_features(right: str, b: str, a: str) -> list[str]:
    """The features of model T that depend on the neighbouring words (short right parts only)."""
    return ["nx" + right + "|" + a, "pv" + right + "|" + b]


def _word_features(w: str) -> list[list[str]]:
    """The features of model T that depend on the word alone."""
    lex = _lexicon()
    rules = _rule_cuts(w)
    whole = lex.words.get(w)
    listed = lex.zw.get(w)
    letters = _letter_score(w)
    big = lex.listed.get(w)
    out = []
    for i in range(1, len(w)):
        left, right = w[:i], w[i:]
        f = ["b", "a1" + left[-1:], "a2" + left[-2:], "a3" + left[-3:], "a4" + left[-4:],
             "c1" + right[:1], "c2" + right[:2], "c3" + right[:3], "c4" + right[:4],
             "x1" + left[-1] + right[0], "x2" + left[-2:] + "|" + right[:2]]
        if len(left) <= 6:
            f.append("L" + left)
        if len(right) <= 6:
            f.append("R" + right)
        rule = rules.get(i)
        if rule:
            f += ["r:" + rule, "rt" + rule + "|" + right[:2]]
        else:
            f.append("r-" if rules else "r0")
        if whole:
            yn = "Y" if rule else "N"
            f += ["kwh" + str(whole[0]) + yn, "kwd" + _bucket(whole[1]) + yn]
        if listed:
            if i in listed[0]:
                f += ["kzh" + str(listed[1]), "kzd" + _bucket(listed[2])]
            else:
                f.append("kz-")
        kl = lex.words.get(left)
        if kl:
            f += ["klh" + str(kl[0]), "kld" + _bucket(kl[1])]
        elif left in lex.zw:
            f.append("klz")
        kr = lex.words.get(right)
        if kr:
            f += ["krh" + str(kr[0]), "krd" + _bucket(kr[1])]
        elif right in lex.zw:
            f.append("krz")
        f.append("A" + _clip(letters[i - 1]))
        if big:
            f.append(("mz" if any(i in p for p in big[1]) else "mn") + str(big[0]))
        out.append(f)
    return out


def space_features(x: str, y: str, before: str, after: str, left: str, right: str,
                   rules: bool = True) -> list[str]:
    """Features of model S for the space in ``left right`` (whole words, canonical letters,
    no ZWNJ), whose pieces next to the space are ``x`` and ``y``; ``before`` and ``after``
    are the words around the pair (or their _ctx classes). ``rules=False`` leaves out the
    costly last feature (see _space_score)."""
    lex = _lexicon()
    rule = _join_space(x, y)
    f = ["b", "J:" + (rule or "-"), "sx" + x, "sy" + y, "sxy" + x + "|" + y, "sx3" + x[-3:],
         "sy3" + y[:3], "sye" + y[-3:]]
    z = lex.zw_forms.get(x + ZWNJ + y)
    if z:
        f += ["zh" + str(z[0]), "zd" + _bucket(z[1])]
    f.append("sp" + _bucket(lex.spaced.get(x + " " + y, 0)))
    kj = lex.words.get(x + y)
    if kj:
        f += ["jh" + str(kj[0]), "jd" + _bucket(kj[1])]
    pr, pl = lex.position.get(y), lex.position.get(x)
    if pr:
        f.append("pr" + _bucket(pr[0]) + _bucket(pr[1]))
    if pl:
        f.append("pl" + _bucket(pl[2]) + _bucket(pl[3]))
    if x in _FUNCTION:
        f.append("fx")
    if y in _FUNCTION:
        f.append("fy")
    if y in lex.verb_past:
        f.append("vp")
    f += _listed_feature("sm", x, y, lex)
    if (left, right) != (x, y):
        f += _listed_feature("sw", left, right, lex)
    f.append("sA" + _clip(_letter_at(left, right)))
    kx, ky = lex.words.get(x), lex.words.get(y)
    f.append("kx" + (str(kx[0]) + _bucket(kx[1]) if kx else "-"))
    f.append("ky" + (str(ky[0]) + _bucket(ky[1]) if ky else "-"))
    b, a = _ctx(before), _ctx(after)
    f += ["sa" + a, "sb" + b, "sya" + y + "|" + a, "sxb" + x + "|" + b]
    if rules:
        f.append(_rule_feature(left, right))
    return f


def _listed_feature(tag: str, a: str, b: str, lex: _Lexicon) -> list[str]:
    """Does the big word list spell ``a + b`` with a ZWNJ between them ("z"), only otherwise
    ("n"), and does it also list it joined (1/0)? Empty when it does not list it."""
    big = lex.listed.get(a + b)
    if not big:
        return []
    return [tag + ("z" if any(len(a) in p for p in big[1]) else "n") + str(big[0])]


@functools.lru_cache(maxsize=1 << 16)
def _token_base(w: str) -> tuple[float, ...]:
    weights = _model().token
    return tuple(_weigh(weights, f) for f in _word_features(w))


@functools.lru_cache(maxsize=1 << 17)
def _token_scores(w: str, before: str, after: str) -> tuple[float, ...]:
    """Model T's score for every boundary of ``w``; ``before``/``after`` are _ctx classes."""
    weights = _model().token
    out = list(_token_base(w))
    for i in range(max(1, len(w) - 4), len(w)):
        out[i - 1] += _weigh(weights, _context_features(w[i:], before, after))
    return tuple(out)


def _rule_feature(left: str, right: str) -> str:
    """Would the rules put a ZWNJ between ``left`` and ``right`` written as one word?"""
    return "src" + _rule_cuts(left + right).get(len(left), "-")


@functools.lru_cache(maxsize=1)
def _rule_feature_max() -> float:
    space = _model().space
    return max((v for k, v in space.items() if k.startswith("src")), default=0.0)


@functools.lru_cache(maxsize=1 << 17)
def _space_score(x: str, y: str, before: str, after: str, left: str, right: str) -> float:
    """Model S's score for a space (arguments as space_features, ``before``/``after`` classes).

    The last feature (the rules on the pair written as one word) is the costly one: when the
    score stays below every threshold whatever it is, that bound is returned instead.
    """
    weights = _model().space
    f = space_features(x, y, before, after, left, right, rules=False)
    score = _weigh(weights, f)
    bound = score + _rule_feature_max()
    if bound <= min(_model().settings["space"], _model().settings["space_evidence"]):
        return bound
    return score + weights.get(_rule_feature(left, right), 0.0)


# --- driver -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _parse(tok: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """A word's canonical letters, their offsets in ``tok``, and the letter offsets that a
    ZWNJ already precedes."""
    if not _SPECIAL.search(tok):  # the common case: letters only
        return tok.translate(_CANON), tuple(range(len(tok))), ()
    letters, offsets, zw = [], [], []
    for i, ch in enumerate(tok):
        if ch == ZWNJ:
            if letters and (not zw or zw[-1] != len(letters)):
                zw.append(len(letters))
        elif ch not in _DROP:
            letters.append(ch)
            offsets.append(i)
    return "".join(letters).translate(_CANON), tuple(offsets), tuple(z for z in zw if z < len(letters))


@functools.lru_cache(maxsize=1 << 17)
def _token_plan(w: str, before: str, after: str) -> tuple[tuple[float, ...], float]:
    """Model T's scores for ``w`` in this context, and the highest of them."""
    sc = _token_scores(w, before, after)
    return sc, max(sc, default=-math.inf)


def _pass(text: str) -> list[Edit]:
    """One round of edits.

    Every boundary inside a word without ZWNJ and every single space between two words gets
    a score. The text's own habit then sets the thresholds: a text that writes some morphemes
    apart (a space confidently meant as a ZWNJ, or ZWNJs already there) has its joined words
    checked with a higher threshold unless one of them is confidently missing a ZWNJ; a text
    with no space confidently meant as a ZWNJ has its spaces checked with a higher threshold.
    """
    m = _model().settings
    t_normal = m["token"]
    found = [(x.start(), x.end(), *_parse(x.group())) for x in _WORD.finditer(text)]
    n = len(found)
    # a neighbour counts when only one space separates the two words
    apart = [found[k][1] + 1 == found[k + 1][0] and text[found[k][1]] == " " for k in range(n - 1)]
    cls = [_ctx(f[2]) for f in found]
    plans: list[tuple[tuple[float, ...], float]] = []
    pieces: list[tuple[str, str]] = []  # first and last piece of each word
    joined = False
    for k, (_, _, w, _, zw) in enumerate(found):
        if zw or len(w) < 2:
            plan: tuple[tuple[float, ...], float] = ((), -math.inf)
            cuts = zw
        else:
            plan = _token_plan(w, cls[k - 1] if k and apart[k - 1] else "P",
                               cls[k + 1] if k + 1 < n and apart[k] else "P")
            cuts = tuple(i + 1 for i, s in enumerate(plan[0]) if s > t_normal) if plan[1] > t_normal else ()
            joined = joined or plan[1] > m["token_evidence"]
        plans.append(plan)
        pieces.append((w[: cuts[0]], w[cuts[-1]:]) if cuts else (w, w))
    spaces = [
        _space_score(pieces[k][1], pieces[k + 1][0], cls[k - 1] if k and apart[k - 1] else "P",
                     cls[k + 2] if k + 2 < n and apart[k + 1] else "P", found[k][2], found[k + 1][2])
        if apart[k] else -math.inf
        for k in range(n - 1)
    ]
    spaced = max(spaces, default=-math.inf) > m["space_evidence"]
    cautious = (spaced or ZWNJ in text) and not joined
    t_token = m["token_cautious"] if cautious else t_normal
    t_space = m["space"] if spaced else m["space_cautious"]
    out: list[Edit] = []
    for k, (start, _, _, offsets, _) in enumerate(found):
        if k and spaces[k - 1] > t_space:
            out.append((found[k - 1][1], start, ZWNJ))
        sc, best = plans[k]
        if best > t_token:
            for i, s in enumerate(sc):
                if s > t_token:
                    at = start + offsets[i + 1]
                    out.append((at, at, ZWNJ))
    return out


def edits(text: str) -> list[Edit]:
    """Edits ``(start, end, replacement)`` that restore missing ZWNJs in ``text``.

    Each edit either inserts a ZWNJ (``start == end``) or replaces one space by a ZWNJ;
    edits are sorted and never overlap. Rounds of :func:`_pass` are applied until one
    changes nothing, so that repairing repaired text changes nothing.
    """
    cur = text
    origin: list[int] = list(range(len(text)))  # offset in ``text`` of each char, -1 if inserted
    for _ in range(10):
        eds = _pass(cur)
        if not eds:
            break
        parts, org, pos = [], [], 0
        for start, end, repl in eds:
            parts.append(cur[pos:start])
            org.extend(origin[pos:start])
            parts.append(repl)
            org.append(origin[start] if end > start else -1)
            pos = end
        parts.append(cur[pos:])
        org.extend(origin[pos:])
        cur, origin = "".join(parts), org
    if cur is text:
        return []
    out: list[Edit] = []
    nxt = len(text)  # offset in ``text`` of the next original char
    for ch, o in zip(reversed(cur), reversed(origin)):
        if o == -1:
            out.append((nxt, nxt, ZWNJ))
        else:
            if ch != text[o]:  # a space that became a ZWNJ
                out.append((o, o + 1, ZWNJ))
            nxt = o
    out.reverse()
    return out


def repair(text: str) -> str:
    """Return ``text`` with the edits of :func:`edits` applied."""
    parts: list[str] = []
    pos = 0
    for start, end, repl in edits(text):
        parts.append(text[pos:start])
        parts.append(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
