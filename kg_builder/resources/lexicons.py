"""General-knowledge lexicons of the Persian language and of Iran, shipped as package data.

Iranian places, given names, surname parts, and hazm's word list for telling ordinary
words from names. What is known of public bodies, posts and programmes lives in the
domain packs (``kg_builder/domain``, read by ``kg_builder.packs``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

_PKG = "kg_builder.resources"


def _read_text(name: str) -> str:
    """Read a data file of this package as UTF-8 text."""
    return resources.files(_PKG).joinpath(name).read_text(encoding="utf-8")


def _read_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment ('#') stripped lines of a data file, in file order."""
    return tuple(s for s in (line.strip() for line in _read_text(name).splitlines()) if s and not s.startswith("#"))


def _freeze(entry: dict[str, Any]) -> dict[str, Any]:
    """Copy a JSON record, turning its 'variants' list into a tuple."""
    out = dict(entry)
    out["variants"] = tuple(out.get("variants", ()))
    return out


@lru_cache(maxsize=1)
def _places() -> dict[str, Any]:
    """Parsed places.json (cached)."""
    return json.loads(_read_text("places.json"))


@lru_cache(maxsize=1)
def provinces() -> tuple[dict[str, Any], ...]:
    """All 31 provinces: dicts with key, fa, en, [iso], capital, variants (tuple), [ambiguous]."""
    return tuple(_freeze(p) for p in _places()["provinces"])


@lru_cache(maxsize=1)
def counties() -> tuple[dict[str, Any], ...]:
    """Counties (shahrestan): dicts with key, fa, en, province (province key), variants (tuple), [ambiguous]."""
    return tuple(_freeze(c) for c in _places()["counties"])


@lru_cache(maxsize=1)
def provinces_by_key() -> dict[str, dict[str, Any]]:
    """Provinces indexed by their ASCII key."""
    return {p["key"]: p for p in provinces()}


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common Iranian given names (Persian letters, compounds with ZWNJ or joined as usually written)."""
    return frozenset(_read_lines("given_names.txt"))


@lru_cache(maxsize=1)
def _names_lexicon() -> dict[str, frozenset[str]]:
    import gzip

    data = gzip.decompress(resources.files(_PKG).joinpath("names_lexicon.tsv.gz").read_bytes()).decode("utf-8")
    out: dict[str, set[str]] = {"G": set(), "S": set()}
    for line in data.splitlines():
        kind, _, name = line.partition("\t")
        if kind in out:
            out[kind].add(name)
    return {k: frozenset(v) for k, v in out.items()}


def weak_given_names() -> frozenset[str]:
    """Given names from a large registry-style list (names_lexicon.tsv.gz, see its licence): noisy,
    so a name is taken from it only before a surname that is known or no ordinary word."""
    return _names_lexicon()["G"]


def surnames() -> frozenset[str]:
    """Iranian family names (names_lexicon.tsv.gz), spaced parts joined by one space."""
    return _names_lexicon()["S"]


@lru_cache(maxsize=1)
def surname_parts() -> frozenset[str]:
    """Surname suffix tokens often written as a separate word after the stem (زاده، پور، نیا، ...)."""
    return frozenset(_read_lines("surname_parts.txt"))


def county(key: str) -> dict[str, Any]:
    """One county by its key ("province/county")."""
    return _counties_by_key()[key]


@lru_cache(maxsize=1)
def _counties_by_key() -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in counties()}


def province(key: str) -> dict[str, Any]:
    """One province by its key."""
    return provinces_by_key()[key]


def _hazm_data(name: str) -> str:
    """A data file of hazm's, read without importing hazm (its import pulls in nltk)."""
    from importlib.util import find_spec

    spec = find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hazm is not installed: pip install hazm")
    from pathlib import Path

    return (Path(next(iter(spec.submodule_search_locations))) / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _hazm_words() -> dict[str, tuple[int, str]]:
    out = {}
    for line in _hazm_data("words.dat").splitlines():
        word, _, rest = line.partition("\t")
        count, _, tags = rest.partition("\t")
        if tags:
            out[word] = (int(count), tags)
    return out


_FUNCTION_TAGS = frozenset({"P", "CONJ", "DET", "PRO", "POSTP", "PR", "INT", "CL", "NUM", "V", "ADV", "PS", "COMP"})


@lru_cache(maxsize=1)
def verb_stems() -> tuple[tuple[str, str], ...]:
    """hazm's verbs as (past stem, present stem) pairs (گفت، گو)."""
    out = []
    for line in _hazm_data("verbs.dat").splitlines():
        past, sep, presents = line.strip().partition("#")
        if past and sep:
            out.extend((past, present.strip()) for present in presents.split(" یا ") if present.strip())
    return tuple(out)


@lru_cache(maxsize=1)
def given_names_common_words() -> frozenset[str]:
    """Given names that are also ordinary words (امید، واحد ...): they need a name-like surname."""
    return frozenset(_read_lines("given_names_common_words.txt"))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """hazm's stopwords and the words its corpus tags only as function words (prepositions, pronouns ...)."""
    words = {w.strip() for w in _hazm_data("stopwords.dat").splitlines() if w.strip()}
    for w, (_, pos) in _hazm_words().items():
        if set(pos.split(",")) <= _FUNCTION_TAGS:
            words.add(w)
    return frozenset(words)


def nominal(word: str) -> bool:
    """Does hazm's word list tag ``word`` as a noun or adjective?"""
    entry = _hazm_words().get(word)
    return bool(entry) and bool({"N", "AJ"} & set(entry[1].split(",")))


def known_word(word: str) -> bool:
    """Is ``word`` in hazm's word list (with any count)?"""
    return any(w in _hazm_words() for w in {word, word.replace(" ", "\u200c"), word.replace("\u200c", "")})


def frequency(word: str) -> int:
    """How often ``word`` occurs in hazm's corpus counts (0 when unknown)."""
    entry = _hazm_words().get(word.replace(" ", "\u200c"))
    return entry[0] if entry else 0
