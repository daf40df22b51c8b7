"""Posts: who holds which post in which body, as an article observes it.

A post phrase is a role title, maybe a deputy's portfolio or a unit, and the body with
its level and place (مدیرکل بهزیستی استان فارس، رئیس اداره بهزیستی شهرستان مرودشت،
معاون توانبخشی سازمان بهزیستی کشور); a title that needs a place (استاندار فارس); or a
title before a body no pack knows (مدیر مرکز ...). A person is bound to a post by
apposition ("X، مدیرکل ..." / "مدیرکل ... X") or, in the news-lead pattern, by position:
a post that opens a sentence ("مدیرکل بهزیستی استان Y گفت") and a name that opens a nearby
one ("X افزود") are one person. Who speaks in each sentence is worked out for the
statistics (``Speakers``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .. import iri, packs
from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Fact, Mention, Span
from ..packs import Body, DeputyDomain, Domain, Title
from ..text.clauses import verb_before
from ..text.patterns import WORD, B, E, alternation, flexible, keyed, lookup, squash
from . import bodies, people, places
from .base import Quads, Resolution, T, entity_node, fa, labelled, node, plain, typed
from .bodies import Organization
from .people import People, Person
from .places import County, PlaceIndex, province_of


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleMention(Mention):
    """A post as written. ``body`` is the pack body it belongs to; ``generic`` the name of a
    body no pack knows; neither for a title named by its place (استاندار فارس)."""

    title: Title
    level: str  # national, province, county, or body (a generic body)
    domain: DeputyDomain | None = None
    portfolio: str | None = None  # a portfolio no pack lists (توسعه مشارکت‌های مردمی)
    unit: str | None = None  # a unit inside the body (گروه اورژانس اجتماعی)
    orgword: str | None = None  # the word before the body's name (اداره، اداره کل، سازمان)
    body: Body | None = None
    generic: str | None = None
    place: str | None = None  # the place name the phrase ends with, as written


@dataclass(frozen=True, slots=True, kw_only=True)
class PronounMention(Mention):
    """A word that stands for the speaker named before (وی، او، این مقام مسئول)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Role(Entity):
    """A kind of post (a SKOS concept): a title, maybe with a portfolio or unit."""

    KIND = "role"
    category: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Membership(Fact):
    """An article observes that ``person`` holds ``role`` in ``organization``."""

    person: Person
    role: Role
    organization: Organization | None


@dataclass(frozen=True, eq=False)
class Speakers:
    """Who speaks in each body sentence (a person key or None), and which people hold a post."""

    by_sentence: tuple[str | None, ...]
    officials: frozenset[str]


# ---------------------------------------------------------------- detection

_NOT_PORTFOLIO = "در|با|از|به|که|را|برای|تا|این|آن|هم|نیز"


@lru_cache(maxsize=4)
def _patterns(domain: Domain):
    titles = {t.fa: t for t in domain.titles}
    domains = {d.fa: d for d in domain.deputy_domains}
    body_forms = {f: b for b in domain.bodies for f in (b.fa, *b.forms, *b.post_forms)}
    place = alternation(places.forms())
    plain_titles = [t for t, d in titles.items() if not d.needs_place]
    placed = [t for t, d in titles.items() if d.needs_place]
    verbs = alternation(domain.speech_verbs)
    levels = alternation((*domain.national_words, *domain.province_words, *domain.county_words))
    org_words = "|".join(flexible(w) for w in sorted(domain.org_words, key=lambda w: (-len(w), w)))
    bodies_rx = alternation(body_forms, True)
    honorific = rf"(?:\s*(?:{'|'.join(re.escape(h) for h in domain.honorifics)}))?" if domain.honorifics else ""
    # a unit inside the body may stand between title and body: رئیس گروه اورژانس اجتماعی بهزیستی
    unit = (rf"(?:(?P<unit>(?:{alternation(domain.unit_words)})(?:\s+(?!{bodies_rx}|{org_words}){WORD}){{1,3}})"
            rf"\s+)?")
    in_body = (rf"{unit}(?P<orgword>{org_words})?\s*(?P<body>{bodies_rx}){honorific}"
               rf"(?:\s+(?P<scope>{levels}))?(?:\s+(?P<place>{place}){E})?")
    # a deputy's portfolio no pack lists: a few words before the body (معاون توسعه مشارکت‌های مردمی کمیته امداد)
    free_word = rf"(?!(?:{bodies_rx}|{org_words}|{levels}|{_NOT_PORTFOLIO}){E}){WORD}"
    portfolio = rf"(?P<portfolio>{free_word}(?:\s+{free_word}){{0,3}}?)"
    after_generic = alternation((*domain.speech_verbs, "نیز", "در", "با", "به", "از", "که", "و"))
    generic = (rf"(?P<gtitle>{alternation(domain.generic_titles)})\s+(?P<gorg>(?:{alternation(domain.generic_words)}){E}"
               rf"(?:\s+(?!{after_generic}){WORD}){{1,5}})")
    province_levels = alternation((*domain.province_words, *domain.county_words))
    rx = re.compile(
        rf"{B}(?:{generic}(?=\s*(?:[،,.:؛]|نیز|{verbs}|در\s))"
        rf"|(?P<title>{alternation(plain_titles, True)})(?:\s+(?:(?P<domain>{alternation(domains, True)})|{portfolio}))?"
        rf"\s+{in_body}"
        rf"|(?P<ptitle>{alternation(placed, True)})\s+(?:ویژه\s+)?(?:در\s+)?(?:(?:{province_levels})\s+)?(?P<pplace>{place}){E})"
    )
    level_of = {**{w: "national" for w in domain.national_words}, **{w: "province" for w in domain.province_words},
                **{w: "county" for w in domain.county_words}}
    return rx, keyed(titles), keyed(domains), {bodies.form_key(k): v for k, v in body_forms.items()}, level_of


@lru_cache(maxsize=16)
def _squashed(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(squash(w) for w in words)


def _is_one_of(surface: str | None, words: tuple[str, ...]) -> bool:
    """Whether ``surface`` is one of the pack's ``words`` (spacing aside)."""
    return bool(surface) and squash(surface) in _squashed(words)


def find_roles(text: str, domain: Domain) -> list[RoleMention]:
    rx, titles, domains, body_table, level_of = _patterns(domain)
    out = []
    for m in rx.finditer(text):
        surface = text[m.start():m.end()].rstrip()  # the post as written, trimmed of trailing space
        at = {"start": m.start(), "end": m.start() + len(surface), "text": surface}
        if m.group("gtitle"):
            out.append(RoleMention(**at, title=lookup(m.group("gtitle"), titles), level="body",
                                   generic=re.sub(r"\s+", " ", m.group("gorg"))))
        elif m.group("title"):
            scope = level_of.get(m.group("scope") or "", "")
            national = scope == "national" or (_is_one_of(m.group("orgword"), domain.national_org_words)
                                               and not m.group("place") and scope != "province")
            out.append(RoleMention(**at, title=lookup(m.group("title"), titles),
                                   level="national" if national else "county" if scope == "county" else "province",
                                   domain=lookup(m.group("domain"), domains), unit=m.group("unit"),
                                   portfolio=m.group("portfolio"), orgword=m.group("orgword"),
                                   body=body_table[bodies.form_key(m.group("body"))], place=m.group("place")))
        else:
            title = lookup(m.group("ptitle"), titles)
            out.append(RoleMention(**at, title=title, place=m.group("pplace"),
                                   level="county" if title.category == "county-governor" else "province"))
    return out


@lru_cache(maxsize=4)
def _pronouns(domain: Domain) -> re.Pattern[str]:
    return re.compile(rf"{B}(?:{alternation(domain.pronouns)}){E}")


def find_pronouns(text: str, domain: Domain) -> list[PronounMention]:
    return [PronounMention(start=m.start(), end=m.end(), text=m.group(0)) for m in _pronouns(domain).finditer(text)]


def detect(doc: Document, config: Config) -> list[Mention]:
    domain = packs.load(config.domain.packs)
    return [*find_roles(doc.text, domain), *find_pronouns(doc.text, domain)]


# ---------------------------------------------------------------- roles and their bodies

def role_entity(m: RoleMention, domain: Domain) -> Role:
    slug = m.title.slug
    label = domain.canonical_title(slug)  # رئیس / رییس, مدیرکل / مدیر کل: one spelling per role
    if m.domain:
        slug, label = f"{slug}-{m.domain.slug}", f"{label} {m.domain.fa}"
    if m.portfolio:  # معاون توسعه مشارکت‌های مردمی: a portfolio of its own
        portfolio = re.sub(r"\s+", " ", m.portfolio)
        slug, label = f"{slug}-{iri.slug(fold(portfolio))}", f"{label} {portfolio}"
    if m.unit:  # رئیس گروه اورژانس اجتماعی: a post of its own
        unit = re.sub(r"\s+", " ", m.unit)
        slug, label = f"{slug}-{iri.slug(fold(unit))}", f"{label} {unit}"
    return Role(key=slug, label=label, category=m.title.category)


def organisation(m: RoleMention, index: PlaceIndex, domain: Domain) -> list[Organization]:
    """The unit the post belongs to and the units above it ([] when the text does not say)."""
    if m.generic is not None:  # مدیر مرکز شبه خانواده ...: a body no pack knows
        inside = index.inside(m)
        return [bodies.unnamed_body(m.generic, province_of(inside[0]) if inside else index.main)]
    # the place the post names, as the article's places read it, else the one place the name is
    # (شهردار شیراز in an article that names no province)
    place = index.trailing(m, m.place) or (places.named(m.place) if m.place else None)
    if m.body is not None:
        if place is None and m.level != "national":
            if not index.main:
                return []
            place = places.province(index.main)
        level = m.level
        if level == "province" and isinstance(place, County) and m.body.hierarchy and (
                m.title.category == "head" or _is_one_of(m.orgword, domain.county_org_words)):
            level = "county"  # رئیس (اداره) بهزیستی دزفول: the county office, not the directorate
        return bodies.units(m.body, level, place)
    if place is None:
        return []
    if m.title.heads:  # استاندار فارس: the governorate of فارس
        return bodies.units(domain.body(m.title.heads), "county" if isinstance(place, County) else "province", place)
    return [bodies.post_unit(m.title, place)]


# ---------------------------------------------------------------- binding people to posts

_APPOSITION_GAP = re.compile(r"[\s،,:«»\"]*")
# Words after which a name or post is not a subject: prepositions and the nouns of «با حضور ...».
_GOVERNORS = frozenset({"با", "از", "به", "برای", "توسط", "همراه", "نزد", "سوی", "جانب", "طرف", "حضور", "دیدار",
                        "بر", "در", "پیش", "میان", "بین", "علیه", "درباره", "مانند", "چون", "همچون", "و", "یا",
                        "تا", "ویژه", "جمع", "پیام", "حکم", "سفر", "بازدید", "نشست", "جلسه", "گفت‌وگو"})
_LAST_WORDS = re.compile(rf"(?:({WORD})\s+)?({WORD})[\s\u200c]*$")
_BYLINE_AFTER = re.compile(r"\s*[-–]\s")
_APPOSITION_COMMA = re.compile(r"[»\"]?\s*[،,]\s*")


def _governed(text: str, start: int, at: int) -> bool:
    """Is the mention at ``at`` the object of a preposition («با حضور مدیرکل ...»)? «به گفته X»
    makes X a speaker."""
    m = _LAST_WORDS.search(text, start, at)
    if not m or m.end() != at:
        return False
    return m.group(2) in _GOVERNORS and not (m.group(2) == "گفته" and m.group(1) == "به")


def _subjects(text: str, sents: list[tuple[int, int]], people_: People, roles: list[RoleMention],
              pronouns: list[PronounMention]) -> list:
    """The subject of each sentence (position, sentence, kind, item): the first person, post or
    pronoun before the sentence's first verb that no preposition governs, past tags and
    attributions («زنجان - ایرنا -»، «به گزارش ...،»). A reporter's byline («X - ...») is none."""
    posts_at = {r.start for r in roles}

    def kind_of(m: Mention) -> str:
        """A name followed by a description that is no post («X، یکی از مددجویان») is someone else."""
        after = _APPOSITION_COMMA.match(text, m.end)
        return "described" if after and after.end() not in posts_at else "person"

    found = sorted([(m.start, kind_of(m), key, m) for m, key in people_.refs if not _BYLINE_AFTER.match(text, m.end)]
                   + [(r.start, "role", r, r) for r in roles if r.generic is None]
                   + [(p.start, "pronoun", None, p) for p in pronouns], key=lambda c: c[0])
    events, j = [], 0
    for i, (a, b) in enumerate(sents):
        while j < len(found) and found[j][0] < a:
            j += 1
        k = j
        while k < len(found) and found[k][0] < b:
            start, kind, item, _ = found[k]
            k += 1
            if verb_before(text, a, start):
                break
            if not _governed(text, a, start):
                events.append((start, i, kind, item))
                break
    return events


def _bind(text: str, sents: list[tuple[int, int]], people_: People, roles: list[RoleMention],
          pronouns: list[PronounMention], window: int, identity) -> tuple[dict[str, list[RoleMention]], list]:
    """Attach posts to people: apposition first, then the lead pattern by sentence subjects.

    Returns each person's posts and the subject events (position, sentence, kind, item)."""
    held: dict[str, list[RoleMention]] = {k: [] for k in people_.by_key}
    bound: set[int] = set()
    for role in roles:
        for m, key in people_.refs:
            gap = text[m.end:role.start] if m.end <= role.start else text[role.end:m.start] if role.end <= m.start else None
            if gap is not None and len(gap) <= 3 and _APPOSITION_GAP.fullmatch(gap):
                held[key].append(role)
                bound.add(id(role))
                break
    events = _subjects(text, sents, people_, roles, pronouns)
    _bind_events(held, events, bound, window, identity)
    return held, events


def _bind_events(held: dict[str, list[RoleMention]], events: list, bound: set[int], window: int, identity) -> None:
    """The news-lead pattern: a post that is a sentence's subject and a name that is the subject
    of a sentence nearby (before or after; «وی افزود» in between keeps it near) are one person."""
    pending_role: tuple[int, RoleMention] | None = None
    pending_person: tuple[int, str] | None = None
    last: object = None  # the last subject named: a person key or a post
    for _, i, kind, item in events:
        if kind == "pronoun":  # the same speaker goes on: what waits for it stays near
            if pending_person and last == pending_person[1]:
                pending_person = (i, last)
            if pending_role and last is pending_role[1]:
                pending_role = (i, pending_role[1])
            continue
        if kind == "role":
            role = item
            owner = next((k for k, rs in held.items() if any(r is role for r in rs)), None)
            if owner is None:
                same = [k for k, rs in held.items() if any(identity(r) == identity(role) for r in rs)]
                if same:
                    owner = same[0]
                    held[owner].append(role)
                elif pending_person and i - pending_person[0] <= window and not held[pending_person[1]]:
                    owner = pending_person[1]
                    held[owner].append(role)
                    pending_person = None
                else:
                    pending_role = (i, role)
            last = owner if owner is not None else role
            continue
        if kind == "described":  # someone the article describes otherwise speaks: no post waits for them
            last = item
            continue
        if pending_role and i - pending_role[0] <= window and not held[item]:
            held[item].append(pending_role[1])
            pending_role = None
        elif not held[item]:
            pending_person = (i, item)
        last = item


def _speakers(held: dict[str, list[RoleMention]], sentences: int, events: list) -> list[str | None]:
    """Who speaks in each sentence: its subject if it names an official (by name or by a bound
    title), otherwise the previous speaker (وی، او، این مقام مسئول, or a quote going on)."""
    by_sentence: dict[int, str] = {}
    for _, i, kind, item in events:
        if i in by_sentence or kind == "pronoun":
            continue
        if kind in ("person", "described") and held[item]:
            by_sentence[i] = item
        elif kind == "role":
            owner = next((k for k, rs in held.items() if any(r is item for r in rs)), None)
            if owner:
                by_sentence[i] = owner
    out, current = [], None
    for i in range(sentences):
        current = by_sentence.get(i, current)
        out.append(current)
    return out


def resolve(res: Resolution) -> None:
    doc, domain, index = res.doc, res.domain, res.need(PlaceIndex)
    known = res.need(People)
    roles = res.found(RoleMention)

    def identity(role: RoleMention) -> tuple:
        """A post: the role and the organisation it resolves to (not how the text spells the place)."""
        units = organisation(role, index, domain)
        return role_entity(role, domain).key, units[0].key if units else None

    sents = res.sentences()
    held, events = _bind(doc.text, sents, known, roles, res.found(PronounMention), res.config.resolve.bind_window,
                         identity)
    for key, posts in held.items():
        if not posts:
            continue
        p = known.by_key[key]
        person = res.add(people.person(p))
        seen: dict[tuple, tuple[Role, Organization | None, list[Span]]] = {}
        for r in posts:
            units = organisation(r, index, domain)
            role = res.add(role_entity(r, domain))
            for unit in units:
                res.add(unit)
            if units:
                bodies.add_places(res, units[0])
            org = res.entities[units[0].identity] if units else None
            k = (role.key, org.key if org else None)
            seen.setdefault(k, (role, org, []))[2].append(doc.span(r.start, r.end))
        name_spans = [doc.span(m.start, m.end) for m in p.mentions]
        for role, org, spans in seen.values():
            res.facts.append(Membership(spans=tuple(dict.fromkeys(name_spans[:1] + spans)), person=person, role=role,
                                        organization=org))
    officials = frozenset(k for k, rs in held.items() if rs)
    res.provide(Speakers(tuple(_speakers(held, len(sents), events)), officials))


# ---------------------------------------------------------------- RDF

def _role(e: Role, q: Quads) -> None:
    s = labelled(e, q, T.kgo.Role)
    q.add(s, T.skos.prefLabel, fa(e.label))
    q.add(s, T.kgo.roleCategory, plain(e.category))


def _membership(f: Membership, q: Quads) -> None:
    s = node(iri.within(q.article.value, "membership", iri.hashed(
        f.person.key, f.role.key, f.organization.key if f.organization else None)))
    person = entity_node(f.person)
    q.add(s, T.rdf.type, T.kgo.Membership)
    q.add(s, T.org.member, person)
    q.add(s, T.org.role, entity_node(f.role))
    if f.organization:
        q.add(s, T.org.organization, entity_node(f.organization))
    if q.doc.metadata.published:
        q.add(s, T.kgo.observedOn, typed(q.doc.metadata.published.isoformat(), T.xsd.date))
    q.add(q.article, T.schema.mentions, person)
    q.evidence(s, f.spans)


REQUIRES: tuple[type, ...] = (People, PlaceIndex)
ASSIGNS: tuple[type, ...] = (RoleMention, PronounMention, Role, Membership, Speakers, Person)
QUADS: dict[type, Callable] = {Role: _role, Membership: _membership}
