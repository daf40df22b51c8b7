"""Domain packs: what kg-builder knows of public bodies, posts, programmes and groups, as data.

A pack is a TOML file (``kg_builder/domain/*.toml`` ship with the package; the option
``domain.packs`` adds more). Packs merge into one ``Domain``: lists are joined in pack
order, and a body, title, programme or group is defined once. Every key of a pack is
checked: an unknown key, a wrong type or a duplicate is a ``PackError`` naming the file.
The fact modules compile their patterns from the ``Domain``; no Persian word of the
domain lives in code.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from .errors import PackError

PROGRAMME_CLASSES = ("Programme", "Campaign", "ServiceSystem")  # kgo classes a programme may have
SCOPES = ("province", "county")


@dataclass(frozen=True)
class Title:
    """A role title (مدیرکل، معاون ...); ``needs_place`` titles are posts only before a place."""

    fa: str
    slug: str
    en: str
    category: str
    needs_place: bool = False
    heads: str | None = None  # the body whose unit at the place the holder runs (استاندار → استانداری)


@dataclass(frozen=True)
class DeputyDomain:
    """A deputy's portfolio (معاون توانبخشی): makes a role of its own."""

    fa: str
    slug: str
    en: str


@dataclass(frozen=True)
class Body:
    """A public body, how news writes its name, and how its units at a place are labelled."""

    key: str
    fa: str
    en: str
    forms: tuple[str, ...]
    post_forms: tuple[str, ...] = ()  # names it has only inside a post: معاون «استاندار» فارس
    scope: str | None = None  # "province" / "county": a place may follow the name
    hierarchy: bool = False  # national organisation → provincial directorates → county offices
    mentions: bool = True  # record where articles name it
    province_label: str = "{name} {province}"
    county_label: str = "{name} {county}"
    province_label_en: str = "{en} ({key})"  # "" for none; {key} is the place's key
    county_label_en: str = "{en} ({key})"

    def label(self, level: str, place: str | None = None) -> str:
        """The Persian label of the body's unit at ``level`` (``place`` is its Persian name)."""
        if level == "province":
            return self.province_label.format(name=self.fa, province=place)
        if level == "county":
            return self.county_label.format(name=self.fa, county=place)
        return self.fa


@dataclass(frozen=True)
class ProgrammeCue:
    """A word that opens a programme's name (طرح، پویش، سامانه) and the class it gives."""

    fa: str
    cls: str


@dataclass(frozen=True)
class KnownProgramme:
    """A programme news names without a cue word (نهضت ملی مسکن); ``alone`` false: a name that
    is a programme's only after a cue word (پویش دهه کرامت), alone an occasion like a week or a day."""

    fa: str
    cls: str
    en: str
    alone: bool = True


@dataclass(frozen=True)
class Hotline:
    """How articles write the social-emergency line."""

    number: str
    names: tuple[str, ...]
    qualifiers: tuple[str, ...] = ()
    line_words: tuple[str, ...] = ()
    line_names: tuple[str, ...] = ()
    line_qualifiers: tuple[str, ...] = ()
    system_words: tuple[str, ...] = ()
    call_words: tuple[str, ...] = ()
    number_links: tuple[str, ...] = ()  # between a name and its number: به شماره
    number_phrases: tuple[str, ...] = ()  # the number inside words, at {number}: با {number} تماس


@dataclass(frozen=True)
class Group:
    """A beneficiary group (a SKOS concept) and the forms that name it."""

    key: str
    fa: str
    en: str
    forms: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # one object per set of packs: identity is equality, cheap to hash
class Domain:
    """All packs merged."""

    packs: tuple[str, ...]
    titles: tuple[Title, ...]
    deputy_domains: tuple[DeputyDomain, ...]
    titles_of_address: tuple[str, ...]
    speech_verbs: tuple[str, ...]
    pronouns: tuple[str, ...]
    not_surnames: tuple[str, ...]
    org_words: tuple[str, ...]
    county_org_words: tuple[str, ...]
    honorifics: tuple[str, ...]
    national_org_words: tuple[str, ...]
    unit_words: tuple[str, ...]
    national_words: tuple[str, ...]
    province_words: tuple[str, ...]
    county_words: tuple[str, ...]
    generic_titles: tuple[str, ...]
    generic_words: tuple[str, ...]
    bodies: tuple[Body, ...]
    programme_cues: tuple[ProgrammeCue, ...]
    known_programmes: tuple[KnownProgramme, ...]
    programme_stop: tuple[str, ...]
    programme_qualifiers: tuple[str, ...]
    programme_joiners: tuple[str, ...]
    programme_slogan_openers: tuple[str, ...]
    programme_slogan_links: tuple[str, ...]
    programme_preverbs: tuple[str, ...]
    programme_phrases: tuple[str, ...]
    hotline: Hotline | None
    groups: tuple[Group, ...]
    group_scheme: tuple[str, str]  # Persian and English label of the groups' concept scheme

    def body(self, key: str) -> Body:
        for b in self.bodies:
            if b.key == key:
                return b
        raise KeyError(key)

    def canonical_title(self, slug: str) -> str:
        """The spelling used as a role's label: the first title listed with ``slug``."""
        return next(t.fa for t in self.titles if t.slug == slug)


# ---------------------------------------------------------------- reading packs

# section -> (key -> record type for tables, or the Python type of a plain value)
_TABLES: dict[str, type] = {"titles": Title, "deputy_domains": DeputyDomain, "bodies": Body}
_SECTIONS: dict[str, dict[str, Any]] = {
    "pack": {"name": str, "description": str},
    "people": {"titles_of_address": list, "speech_verbs": list, "pronouns": list, "not_surnames": list},
    "organisations": {"org_words": list, "county_org_words": list, "honorifics": list, "national_org_words": list, "unit_words": list, "national_words": list, "province_words": list,
                      "county_words": list, "generic_titles": list, "generic_words": list},
    "programmes": {"stop": list, "qualifiers": list, "joiners": list, "slogan_openers": list, "slogan_links": list,
                   "preverbs": list, "phrases": list, "cues": ProgrammeCue, "known": KnownProgramme},
    "hotline": Hotline,
    "groups": {"scheme_fa": str, "scheme_en": str, "members": Group},
}
_RENAMED = {"class": "cls"}  # TOML keys that are Python keywords


def _record(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a table")
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    values = {}
    for key, value in data.items():
        name = _RENAMED.get(key, key)
        if name not in names:
            raise PackError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(names))})")
        values[name] = _typed(value, hints[name], f"{where}.{key}")
    missing = {f.name for f in fields(cls) if f.name not in values and _required(f)}
    if missing:
        raise PackError(f"{where}: missing {', '.join(sorted(missing))}")
    for name, allowed in _CHOICES.get(cls.__name__, {}).items():
        if name in values and values[name] not in allowed:
            raise PackError(f"{where}: {name} is {values[name]!r}, one of {', '.join(allowed)} expected")
    return cls(**values)


_CHOICES = {"ProgrammeCue": {"cls": PROGRAMME_CLASSES}, "KnownProgramme": {"cls": PROGRAMME_CLASSES},
            "Body": {"scope": SCOPES}}


def _required(f) -> bool:
    return f.default is MISSING and f.default_factory is MISSING


def _typed(value: Any, hint: Any, where: str) -> Any:
    text = str(hint)
    if "tuple" in text:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(f"{where}: expected a list of strings")
        return tuple(value)
    if hint is bool or text == "bool":
        if not isinstance(value, bool):
            raise PackError(f"{where}: expected true or false")
        return value
    if not isinstance(value, str):
        raise PackError(f"{where}: expected a string")
    return value


def _read(path: Path, text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PackError(f"not valid TOML: {e}") from None
    out: dict[str, Any] = {key: [] for key in _TABLES}
    for section, value in data.items():
        where = f"[{section}]"
        if section in _TABLES:
            if not isinstance(value, list):
                raise PackError(f"{where}: expected [[{section}]] tables")
            out[section] = [_record(_TABLES[section], v, f"{where}[{i}]") for i, v in enumerate(value)]
        elif section in _SECTIONS:
            spec = _SECTIONS[section]
            if isinstance(spec, type):
                out[section] = _record(spec, value, where)
                continue
            if not isinstance(value, dict):
                raise PackError(f"{where}: expected a table")
            part = {}
            for key, item in value.items():
                if key not in spec:
                    raise PackError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(spec))})")
                kind = spec[key]
                if kind is list:
                    part[key] = _typed(item, tuple[str, ...], f"{where}.{key}")
                elif kind is str:
                    part[key] = _typed(item, str, f"{where}.{key}")
                else:
                    if not isinstance(item, list):
                        raise PackError(f"{where}.{key}: expected [[{section}.{key}]] tables")
                    part[key] = [_record(kind, v, f"{where}.{key}[{i}]") for i, v in enumerate(item)]
            out[section] = part
        else:
            known = ", ".join(sorted((*_TABLES, *_SECTIONS)))
            raise PackError(f"unknown section [{section}] (known: {known})")
    if "pack" not in out or "name" not in out["pack"]:
        raise PackError("a pack starts with [pack] name = \"...\"")
    return out


@lru_cache(maxsize=1)
def builtin_packs() -> tuple[Path, ...]:
    """The packs shipped in ``kg_builder/domain``, in name order."""
    folder = resources.files("kg_builder").joinpath("domain")
    return tuple(sorted((Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name))


def load(extra: tuple[str, ...] = ()) -> Domain:
    """The shipped packs merged with the pack files ``extra`` (in that order)."""
    return _load(tuple(str(p) for p in builtin_packs()) + tuple(extra))


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> Domain:
    parts = []
    for p in map(Path, paths):
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise PackError(f"cannot read domain pack: {e.strerror or e}", str(p)) from None
        except UnicodeDecodeError:
            raise PackError("domain pack is not UTF-8 text", str(p)) from None
        try:
            parts.append((p, _read(p, text)))
        except PackError as e:
            raise PackError(e.message, e.path or str(p)) from None
    return _merge(parts)


def _merge(parts: list[tuple[Path, dict[str, Any]]]) -> Domain:
    def joined(section: str, key: str) -> tuple:
        return tuple(x for _, d in parts for x in d.get(section, {}).get(key, ()))

    def unique(items: list, key, what: str) -> tuple:
        seen: dict = {}
        for path, item in items:
            k = key(item)
            if k in seen:
                raise PackError(f"{what} {k!r} is defined in {seen[k].name} and again", str(path))
            seen[k] = path
        return tuple(item for _, item in items)

    def records(section: str, key=None) -> list:
        if key is None:
            return [(p, x) for p, d in parts for x in d[section]]
        return [(p, x) for p, d in parts for x in d.get(section, {}).get(key, ())]

    hotlines = [(p, d["hotline"]) for p, d in parts if "hotline" in d]
    if len(hotlines) > 1:
        raise PackError(f"the hotline is defined in {hotlines[0][0].name} and again", str(hotlines[1][0]))
    schemes = [d["groups"] for _, d in parts if "scheme_fa" in d.get("groups", {})]
    body_keys = {b.key for p, b in records("bodies")}
    for path, title in records("titles"):
        if title.heads and title.heads not in body_keys:
            raise PackError(f"title {title.fa!r} heads {title.heads!r}, which no pack defines", str(path))
    return Domain(
        packs=tuple(d["pack"]["name"] for _, d in parts),
        titles=unique(records("titles"), lambda t: t.fa, "role title"),
        deputy_domains=unique(records("deputy_domains"), lambda d: d.fa, "deputy domain"),
        titles_of_address=joined("people", "titles_of_address"),
        speech_verbs=joined("people", "speech_verbs"),
        pronouns=joined("people", "pronouns"),
        not_surnames=joined("people", "not_surnames"),
        org_words=joined("organisations", "org_words"),
        county_org_words=joined("organisations", "county_org_words"),
        honorifics=joined("organisations", "honorifics"),
        national_org_words=joined("organisations", "national_org_words"),
        unit_words=joined("organisations", "unit_words"),
        national_words=joined("organisations", "national_words"),
        province_words=joined("organisations", "province_words"),
        county_words=joined("organisations", "county_words"),
        generic_titles=joined("organisations", "generic_titles"),
        generic_words=joined("organisations", "generic_words"),
        bodies=unique(records("bodies"), lambda b: b.key, "body"),
        programme_cues=unique(records("programmes", "cues"), lambda c: c.fa, "programme cue"),
        known_programmes=unique(records("programmes", "known"), lambda k: k.fa, "programme"),
        programme_stop=joined("programmes", "stop"),
        programme_qualifiers=joined("programmes", "qualifiers"),
        programme_joiners=joined("programmes", "joiners"),
        programme_slogan_openers=joined("programmes", "slogan_openers"),
        programme_slogan_links=joined("programmes", "slogan_links"),
        programme_preverbs=joined("programmes", "preverbs"),
        programme_phrases=joined("programmes", "phrases"),
        hotline=hotlines[0][1] if hotlines else None,
        groups=unique(records("groups", "members"), lambda g: g.key, "group"),
        group_scheme=(schemes[0]["scheme_fa"], schemes[0].get("scheme_en", "")) if schemes else ("", ""),
    )
