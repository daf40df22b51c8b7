"""Public bodies and their units: the welfare organisation, the relief committee, governorates ...

Which bodies exist, how news writes their names and how their units are labelled is
data (``kg_builder/domain/*.toml``). A body named with a place (هلال احمر خوزستان،
فرمانداری بم) is its unit there: one node per body and place across articles. A body
with a ``hierarchy`` has a national organisation, a directorate per province and an
office per county, linked by ``org:subOrganizationOf``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .. import packs
from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Mention
from ..packs import Body, Domain
from ..text.patterns import B, E, alternation
from . import places
from .base import Quads, Resolution, T, entity_node, labelled
from .places import County, Place, PlaceIndex, province_of


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyMention(Mention):
    """A public body named in the text, with the place written after it when its scope allows one."""

    body: Body
    place: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization(Entity):
    """A public body or one of its units; ``province`` / ``county`` is where it has jurisdiction."""

    KIND = "organization"
    en: str | None = None
    province: str | None = None
    county: str | None = None
    parent: str | None = None  # the key of the unit above it (org:subOrganizationOf)


@dataclass(frozen=True, slots=True, kw_only=True)
class NationalOrganization(Organization):
    """The country-wide organisation of a body with a hierarchy (سازمان بهزیستی کشور)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvincialDirectorate(Organization):
    """A hierarchical body's directorate in one province (اداره کل بهزیستی استان ...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CountyOffice(Organization):
    """A hierarchical body's office in one county (اداره بهزیستی شهرستان ...)."""


def units(body: Body, level: str, place: Place | None) -> list[Organization]:
    """The unit of ``body`` at ``level`` ("national", "province", "county") and ``place``, then the
    units above it. Without a place, or at the national level, the unit is the body itself."""
    if level == "national" or place is None:
        return [(NationalOrganization if body.hierarchy else Organization)(key=body.key, label=body.fa, en=body.en)]
    if level == "county" and isinstance(place, County):
        above = units(body, "province", place) if body.hierarchy else []
        unit = (CountyOffice if body.hierarchy else Organization)(
            key=f"{body.key}/{place.key}", label=body.label("county", place.label),
            en=body.county_label_en.format(en=body.en, key=place.key) or None,
            province=place.province, county=place.key, parent=above[0].key if above else None)
        return [unit, *above]
    prov = places.province(province_of(place))
    above = units(body, "national", None) if body.hierarchy else []
    unit = (ProvincialDirectorate if body.hierarchy else Organization)(
        key=f"{body.key}/{prov.key}", label=body.label("province", prov.label),
        en=body.province_label_en.format(en=body.en, key=prov.key) or None,
        province=prov.key, parent=above[0].key if above else None)
    return [unit, *above]


def unnamed_body(name: str, province: str | None) -> Organization:
    """A body no pack knows, named by the words after a title (مدیر مرکز شبه خانواده ...)."""
    return Organization(key=f"other/{fold(name)}", label=name, province=province)


def post_unit(title: packs.Title, place: Place) -> Organization:
    """The office of a post named by a title and a place (شهردار شیراز) when no body is known for it."""
    prov = province_of(place)
    return Organization(key=f"{title.slug}/{place.key}", label=f"{title.fa} {place.label}", province=prov,
                        county=place.key if isinstance(place, County) else None)


# ---------------------------------------------------------------- detection

@lru_cache(maxsize=4)
def _patterns(domain: Domain):
    forms = {f: b for b in domain.bodies if b.mentions for f in (b.fa, *b.forms)}
    level_words = alternation((*domain.province_words, *domain.county_words))
    rx = re.compile(rf"{B}(?P<name>{alternation(forms, True)}){E}"
                    rf"(?:\s+(?:(?:{level_words})\s+)?(?P<place>{alternation(places.forms())}){E})?")
    return rx, {form_key(k): v for k, v in forms.items()}


def form_key(form: str) -> str:
    """Lookup key of a body's name as written: spacing and commas aside (the patterns allow them)."""
    return re.sub(r"[ \u200c،,]", "", form)


def find_bodies(text: str, domain: Domain) -> list[BodyMention]:
    rx, table = _patterns(domain)
    out = []
    for m in rx.finditer(text):
        body = table[form_key(m.group("name"))]
        place = m.group("place") if body.scope else None
        end = m.end("place") if place else m.end("name")
        out.append(BodyMention(start=m.start(), end=end, text=text[m.start():end], body=body, place=place))
    return out


def detect(doc: Document, config: Config) -> list[BodyMention]:
    return find_bodies(doc.text, packs.load(config.domain.packs))


# ---------------------------------------------------------------- resolution

def resolve(res: Resolution) -> None:
    index = res.need(PlaceIndex)
    for m in res.found(BodyMention):
        place = index.trailing(m, m.place)
        level = "national" if place is None else "county" if isinstance(place, County) else "province"
        found = units(m.body, level, place)
        res.name(res.add(found[0]), m)
        for unit in found[1:]:
            res.add(unit)
        add_places(res, found[0])


def add_places(res: Resolution, org: Organization) -> None:
    """The province and county an organisation has jurisdiction over are entities too."""
    if org.province:
        res.add(places.province(org.province))
    if org.county:
        res.add(places.county(org.county))


# ---------------------------------------------------------------- RDF

def _organisation(cls) -> Callable[[Organization, Quads], None]:
    def add(e: Organization, q: Quads) -> None:
        s = labelled(e, q, cls, e.en)
        if e.parent:
            q.add(s, T.org.subOrganizationOf, node_of(e.parent))
        if e.county:
            q.add(s, T.kgo.jurisdiction, entity_node(places.county(e.county)))
        elif e.province:
            q.add(s, T.kgo.jurisdiction, entity_node(places.province(e.province)))
    return add


def node_of(key: str):
    return entity_node(Organization(key=key, label=""))


REQUIRES: tuple[type, ...] = (PlaceIndex,)
ASSIGNS: tuple[type, ...] = (BodyMention, Organization)
QUADS: dict[type, Callable] = {
    Organization: _organisation(T.kgo.Organization), NationalOrganization: _organisation(T.kgo.NationalOrganization),
    ProvincialDirectorate: _organisation(T.kgo.ProvincialDirectorate), CountyOffice: _organisation(T.kgo.CountyOffice),
}
