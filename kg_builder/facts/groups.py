"""Beneficiary groups (مددجویان، افراد دارای معلولیت، زنان سرپرست خانوار ...): SKOS concepts
of one scheme, named in the packs with the forms news writes them in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .. import iri, packs
from ..config import Config
from ..model import Document, Entity, Mention
from ..packs import Domain, Group
from ..text.patterns import B, E, alternation, squash
from .base import Quads, Resolution, T, en, fa, labelled, node

SCHEME = iri.mint("scheme", "beneficiary-groups")


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupMention(Mention):
    group: Group


@dataclass(frozen=True, slots=True, kw_only=True)
class BeneficiaryGroup(Entity):
    KIND = "beneficiarygroup"
    en: str
    scheme: tuple[str, str]  # the scheme's Persian and English labels


@lru_cache(maxsize=4)
def _pattern(domain: Domain):
    forms = {f: g for g in domain.groups for f in (g.fa, *g.forms)}
    if not forms:
        return None, {}
    return re.compile(rf"{B}(?P<name>{alternation(forms, True)}){E}"), {squash(k): v for k, v in forms.items()}


def find_groups(text: str, domain: Domain) -> list[GroupMention]:
    rx, groups = _pattern(domain)
    if rx is None:
        return []
    return [GroupMention(start=m.start(), end=m.end(), text=m.group(0), group=groups[squash(m.group(0))])
            for m in rx.finditer(text)]


def detect(doc: Document, config: Config) -> list[GroupMention]:
    return find_groups(doc.text, packs.load(config.domain.packs))


def resolve(res: Resolution) -> None:
    for m in res.found(GroupMention):
        g = m.group
        res.name(res.add(BeneficiaryGroup(key=g.key, label=g.fa, en=g.en, scheme=res.domain.group_scheme)), m)


def _group(e: BeneficiaryGroup, q: Quads) -> None:
    s, scheme = labelled(e, q, T.kgo.BeneficiaryGroup, e.en), node(SCHEME)
    q.add(s, T.skos.prefLabel, fa(e.label))
    q.add(s, T.skos.inScheme, scheme)
    q.add(scheme, T.rdf.type, T.skos.ConceptScheme)
    label_fa, label_en = e.scheme
    if label_fa:
        q.add(scheme, T.rdfs.label, fa(label_fa))
    if label_en:
        q.add(scheme, T.rdfs.label, en(label_en))


REQUIRES: tuple[type, ...] = ()
ASSIGNS: tuple[type, ...] = (GroupMention, BeneficiaryGroup)
QUADS: dict[type, Callable] = {BeneficiaryGroup: _group}
