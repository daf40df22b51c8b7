"""Beneficiary groups: written forms to one concept each."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import groups
from kg_builder.facts.groups import BeneficiaryGroup


def test_forms_name_their_group():
    found = groups.find_groups("خدمات به معلولان و زنان سرپرست خانوار و سالمندان", packs.load())
    assert [m.group.key for m in found] == ["people-with-disabilities", "female-headed-households", "elderly"]


def test_resolver_makes_one_concept_per_group_in_the_packs_scheme():
    res = resolved(HEAD + "مددجویان و مددجو و زنان سرپرست خانوار از خدمات بهزیستی بهره‌مند شدند.\n", groups)
    found = {e.key: e for e in res.entities.values() if isinstance(e, BeneficiaryGroup)}
    assert set(found) == {"clients", "female-headed-households"}
    assert found["clients"].scheme == packs.load().group_scheme
