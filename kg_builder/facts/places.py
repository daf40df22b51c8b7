"""Places: Iran's provinces and counties as articles name them.

A name that is both a province and a county is read as the county when the article
says "شهرستان", or lists it beside another county, or when that county lies in the
article's main province; a place that names an outlet or its bureau ("خبرگزاری فارس",
"شیراز - ایرنا -") is not a place the article is about.

A county is also named by a county-level office: "اداره X Y" (not "اداره کل") or
"فرمانداری Y". "شهرستان‌های X و Y" lists counties, while "شهرستان‌های X" alone means the
counties of province X. A province name cut off by the end of the text ("استان سیستان و",
"بهزیستی آذربایجان غ") still names the province when what is left fits only one and is more
than its first word, or follows "استان".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..config import Config
from ..model import Document, Entity, Mention
from ..resources import lexicons
from ..text.patterns import SEP, B, E, alternation, squash
from . import people
from .base import Quads, Resolution, T, entity_node, labelled, plain


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceMention(Mention):
    """A name of a province or county; ``scope`` is the word before it (استان، شهرستان، شهر)."""

    candidates: tuple[tuple[str, str], ...]  # ("province" | "county", key)
    scope: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Province(Entity):
    KIND = "province"
    en: str | None = None
    iso: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class County(Entity):
    KIND = "county"
    province: str
    en: str | None = None


Place = Province | County


@dataclass(frozen=True, eq=False)
class PlaceIndex:
    """The places one article names, by the span of their name, and its main province."""

    at: dict[tuple[int, int], Place]
    main: str | None

    def trailing(self, m: Mention, place_text: str | None) -> Place | None:
        """The place a phrase ends with (مدیرکل بهزیستی استان فارس), if it was resolved."""
        if not place_text:
            return None
        return self.at.get((m.end - len(place_text), m.end))

    def inside(self, m: Mention) -> list[Place]:
        return [p for (a, b), p in self.at.items() if m.start <= a and b <= m.end]


def province_of(place: Place) -> str:
    return place.key if isinstance(place, Province) else place.province


def province(key: str) -> Province:
    p = lexicons.province(key)
    return Province(key=key, label=p["fa"], en=p.get("en"), iso=p.get("iso"))


def county(key: str) -> County:
    c = lexicons.county(key)
    return County(key=key, label=c["fa"], en=c.get("en"), province=c["province"])


# ---------------------------------------------------------------- detection

@lru_cache(maxsize=1)
def forms() -> tuple[str, ...]:
    """Every written form of every province and county."""
    return tuple(f for p in (*lexicons.provinces(), *lexicons.counties()) for f in (p["fa"], *p.get("variants", ())))


@lru_cache(maxsize=1)
def _patterns():
    names: dict[str, list[tuple[str, str]]] = {}  # surface form -> [(kind, key)]
    for p in lexicons.provinces():
        for form in (p["fa"], *p.get("variants", ())):
            names.setdefault(form, []).append(("province", p["key"]))
    for c in lexicons.counties():
        for form in (c["fa"], *c.get("variants", ())):
            names.setdefault(form, []).append(("county", c["key"]))
    rx = re.compile(rf"{B}(?P<scope>(?:استان|شهرستان|شهر){SEP}(?:های{SEP})?\s?)?(?P<name>{alternation(names)}){E}")
    folded = {squash(k): v for k, v in names.items()}
    return rx, folded


def named(text: str) -> Place | None:
    """The one province or county a name is, or None when it names none or several."""
    found = _patterns()[1].get(squash(text), [])
    if len(found) != 1:
        return None
    kind, key = found[0]
    return province(key) if kind == "province" else county(key)


@lru_cache(maxsize=1)
def _cut_provinces() -> tuple[re.Pattern[str], dict[str, str]]:
    """Proper prefixes of multi-word province names that keep at least the first word whole,
    each fitting one province only: what an excerpt cut off in a province name may end with."""
    owners: dict[str, set[str]] = {}
    for p in lexicons.provinces():
        for form in (p["fa"], *p.get("variants", ())):
            words = form.split()
            for n in range(len(words[0]) + 1, len(form)):
                owners.setdefault(squash(form[:n]), set()).add(p["key"])
    full = {squash(f) for f in forms()}
    table = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1 and k not in full}
    names = sorted({f[:n] for p in lexicons.provinces() for f in (p["fa"], *p.get("variants", ()))
                    for n in range(len(f.split()[0]) + 1, len(f)) if squash(f[:n]) in table}, key=lambda x: (-len(x), x))
    rx = re.compile(rf"(?P<scope>{B}استان{SEP}\s?)?{B}(?P<name>{'|'.join(re.escape(n) for n in names)})\s*\Z")
    return rx, table


def find_places(text: str) -> list[PlaceMention]:
    """Province and county candidates; ambiguity (a county named like a province) stays for resolve."""
    rx, folded = _patterns()
    found = [PlaceMention(start=m.start("name"), end=m.end("name"), text=m.group("name"),
                          candidates=tuple(folded.get(squash(m.group("name")), [])), scope=(m.group("scope") or "").strip())
             for m in rx.finditer(text)]
    cut_rx, cut = _cut_provinces()
    m = cut_rx.search(text, max(0, len(text) - 60))
    name = m.group("name").rstrip() if m else ""
    # after "استان", or with more than the first word left ("سیستان و", "آذربایجان غ")
    if m and (m.group("scope") or " " in name) and not any(f.start <= m.start("name") < f.end for f in found):
        found.append(PlaceMention(start=m.start("name"), end=m.start("name") + len(name), text=name,
                                  candidates=(("province", cut[squash(name)]),), scope="استان"))
    return found


def detect(doc: Document, config: Config) -> list[PlaceMention]:
    return find_places(doc.text)


# ---------------------------------------------------------------- resolution

def _scope(m: PlaceMention) -> str:
    """"استان", "شهرستان" or "شهر" (plural or not) when the name follows one, else ""."""
    return re.sub(r"[\u200c ]*(?:ها|های)?$", "", m.scope).strip()


def _plural(m: PlaceMention) -> bool:
    return m.scope.rstrip().endswith(("ها", "های"))


# "اداره" + the office's words (no preposition, no place word, no plural: "اداره مراکز ..." is managing them)
_COUNTY_OFFICE_BEFORE = re.compile(
    r"(?:(?<![\w\u200c])اداره(?![ \u200c]*کل)(?:[ \u200c]+"
    r"(?!(?:از|به|با|در|که|را|برای|استان|شهر|شهرستان|مراکز|مدارس|موسسات|مؤسسات)(?![\w\u200c]))"
    r"(?![^\s،,.:;؛()«»\d]*(?:ها|های|هایی)(?![\w\u200c]))[^\s،,.:;؛()«»\d]+){1,5}"
    r"|(?<![\w\u200c])فرمانداری)[ \u200c]+$"
)


def _county_office(text: str, m: PlaceMention) -> bool:
    """The name ends a county-level office: "اداره بهزیستی X", "فرمانداری X" (not "اداره کل ...")."""
    return not m.scope and _COUNTY_OFFICE_BEFORE.search(text, max(0, m.start - 80), m.start) is not None


def _coordinated(text: str, a: Mention, b: Mention) -> bool:
    """``a`` and ``b`` stand in one list: "آوج و البرز", "آوج، البرز"."""
    return a.end <= b.start and re.fullmatch(r"\s*(?:و|،|,)\s*", text[a.end:b.start]) is not None


def _main_province(mentions: list[PlaceMention]) -> str | None:
    """The province the article is about: named most often (ties: first named)."""
    counties = {c["key"]: c for c in lexicons.counties()}
    tally: Counter[str] = Counter()
    first: dict[str, int] = {}
    doubtful = []
    for m in mentions:
        provs = [k for kind, k in m.candidates if kind == "province"]
        elsewhere = [k for kind, k in m.candidates if kind == "county" and provs and counties[k]["province"] != provs[0]]
        if provs and (_scope(m) == "استان" or not elsewhere):
            tally[provs[0]] += 1
            first.setdefault(provs[0], m.start)
        elif provs:
            doubtful.append((m, provs[0], {counties[k]["province"] for k in elsewhere}))
    for m, prov, other in doubtful:  # البرز: the province, unless the article is about the county's
        if not other & set(tally):
            tally[prov] += 1
            first.setdefault(prov, m.start)
    return min(tally, key=lambda k: (-tally[k], first[k])) if tally else None


def _decide(text: str, mentions: list[PlaceMention]) -> tuple[list[tuple[PlaceMention, str, str]], str | None]:
    """[(mention, "Province" | "County", key)] and the article's main province key."""
    counties = {c["key"]: c for c in lexicons.counties()}
    main = _main_province(mentions)
    decided: dict[int, tuple[str, str]] = {}
    doubtful: dict[int, str] = {}
    # A county counts where the article names it as one (شهرستان X) or lists it beside one;
    # a bare name elsewhere in the article then refers to that county too.
    office = [_county_office(text, m) for m in mentions]
    named_as_county = {k for i, m in enumerate(mentions) if _scope(m) == "شهرستان" or office[i]
                       for kind, k in m.candidates if kind == "county"}
    for i, m in enumerate(mentions):
        scope = "شهرستان" if office[i] else _scope(m)
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        listing = nxt is not None and _coordinated(text, m, nxt) and any(k == "county" for k, _ in nxt.candidates)
        provs = [k for kind, k in m.candidates if kind == "province"]
        local = [k for kind, k in m.candidates if kind == "county" and counties[k]["province"] == main]
        anywhere = [k for kind, k in m.candidates if kind == "county"]
        named = [k for k in anywhere if k in named_as_county]
        if scope == "شهر":
            continue  # a city, not the county of the same name
        if scope == "شهرستان" and provs and _plural(m) and not (anywhere and listing):
            decided[i] = ("Province", provs[0])  # "همه شهرستان‌های قزوین": the province
        elif scope == "شهرستان" and anywhere:
            decided[i] = ("County", (local or anywhere)[0])
        elif provs and (scope == "استان" or not local or provs[0] == main):
            decided[i] = ("Province", provs[0])
        elif named and not provs:
            decided[i] = ("County", named[0])
        elif local:
            doubtful[i] = local[0]  # a county only when listed beside another county
        elif provs:
            decided[i] = ("Province", provs[0])
    listed = {i for i, m in enumerate(mentions)
              if (_scope(m) == "شهرستان" or office[i]) and decided.get(i, ("",))[0] == "County"}
    for i, m in enumerate(mentions):  # "شهرستان‌های بم، سیرجان و کهنوج": the scope covers the list
        if i - 1 not in listed or _scope(m) in ("استان", "شهر") or not _coordinated(text, mentions[i - 1], m):
            continue
        prov = counties[decided[i - 1][1]]["province"]
        same = [k for kind, k in m.candidates if kind == "county" and counties[k]["province"] == prov]
        if same:
            decided[i] = ("County", same[0])
            doubtful.pop(i, None)
            listed.add(i)
    for i, key in doubtful.items():
        m = mentions[i]
        near = [j for j, (kind, _) in decided.items() if kind == "County" and (
            _coordinated(text, mentions[j], m) or _coordinated(text, m, mentions[j]))]
        near += [j for j in doubtful if j != i and (  # two county names of the province listed together
            _coordinated(text, mentions[j], m) or _coordinated(text, m, mentions[j]))]
        if near:
            decided[i] = ("County", key)
        elif any(k == "province" for k, _ in m.candidates):
            decided[i] = ("Province", next(k for kind, k in m.candidates if kind == "province"))
    return [(mentions[i], *decided[i]) for i in sorted(decided)], main


_AGENCY_NAME_BEFORE = re.compile(r"(?:خبرگزاری|خبرنگار|روزنامه|شبکه|رادیو)\s+$")
_DASH_AFTER = re.compile(r"\s*[-–]\s")
_BUREAU_BEFORE = re.compile(r"(?:خبرگزاری|خبرنگاران?|گزارش|دفتر)(?:\s+[^\s،,.:؛]+){0,3}\s+(?:از\s+|در\s+)?$")


def _outlet_place(text: str, m: Mention, kind: str) -> bool:
    """A place that names an outlet ("خبرگزاری فارس") or, for a city, its bureau
    ("خبرنگار باشگاه خبرنگاران جوان زاهدان", "به گزارش ایسنا از رشت"): not what the article is about."""
    before = text[max(0, m.start - 60):m.start]
    if _AGENCY_NAME_BEFORE.search(before):
        return True
    if kind != "County":
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    dateline = not text[line_start:m.start].strip() and _DASH_AFTER.match(text, m.end)  # "شیراز - ایرنا -"
    return bool(dateline) or _BUREAU_BEFORE.search(before) is not None


def resolve(res: Resolution) -> None:
    names = [(m.start, m.end) for m in res.found(people.PersonMention)]
    mentions = [m for m in res.found(PlaceMention) if not any(a <= m.start < b for a, b in names)]
    decided, main = _decide(res.doc.text, mentions)
    at: dict[tuple[int, int], Place] = {}
    for m, kind, key in decided:
        if _outlet_place(res.doc.text, m, kind):
            continue
        place = res.add(province(key) if kind == "Province" else county(key))
        at[(m.start, m.end)] = place
        res.name(place, m, re.sub(r"\s+", " ", m.text))  # the name as written: قاین for the county قائنات
        if isinstance(place, County):
            res.add(province(place.province))
    res.provide(PlaceIndex(at, main))


# ---------------------------------------------------------------- RDF

def _province(e: Province, q: Quads) -> None:
    s = labelled(e, q, T.kgo.Province, e.en)
    if e.iso:
        q.add(s, T.kgo.isoCode, plain(e.iso))


def _county(e: County, q: Quads) -> None:
    s = labelled(e, q, T.kgo.County, e.en)
    q.add(s, T.schema.containedInPlace, entity_node(province(e.province)))


REQUIRES: tuple[type, ...] = (people.PersonMention,)
ASSIGNS: tuple[type, ...] = (PlaceMention, Province, County, PlaceIndex)
QUADS: dict[type, Callable] = {Province: _province, County: _county}
