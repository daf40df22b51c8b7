"""Public bodies: detection from the packs, and one unit per body and place."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import bodies
from kg_builder.facts.bodies import CountyOffice, NationalOrganization, Organization, ProvincialDirectorate
from kg_builder.facts.places import county, province


def test_detector_reads_the_body_and_the_place_its_scope_allows():
    domain = packs.load()
    found = bodies.find_bodies("همکاری با جمعیت هلال احمر استان خوزستان و کمیته امداد تهران", domain)
    assert [(m.body.key, m.place) for m in found] == [("red-crescent", "خوزستان"), ("relief-committee", None)]


def test_the_welfare_organisation_is_not_recorded_as_a_mention():
    domain = packs.load()
    assert bodies.find_bodies("سازمان بهزیستی کشور و بهزیستی استان فارس", domain) == []


def test_units_of_a_body_with_a_hierarchy():
    welfare = packs.load().body("welfare")
    office, directorate, national = bodies.units(welfare, "county", county("fars/marvdasht"))
    assert isinstance(office, CountyOffice) and office.label == "اداره بهزیستی شهرستان مرودشت"
    assert office.parent == directorate.key == "welfare/fars"
    assert isinstance(directorate, ProvincialDirectorate) and directorate.label == "اداره کل بهزیستی استان فارس"
    assert isinstance(national, NationalOrganization) and directorate.parent == national.key == "welfare"
    assert office.en is None  # the welfare pack gives its units no English label


def test_units_of_a_body_without_a_hierarchy_are_plain_organisations():
    governorate = packs.load().body("governorate")
    (unit,) = bodies.units(governorate, "province", province("khuzestan"))
    assert type(unit) is Organization and unit.key == "governorate/khuzestan"
    assert unit.label == "استانداری خوزستان" and unit.en == "Governorate (khuzestan)"
    (whole,) = bodies.units(governorate, "national", None)
    assert whole.key == "governorate" and whole.province is None


def test_other_bodies_with_a_hierarchy_label_their_units_as_news_names_them():
    red = packs.load().body("red-crescent")
    society, national = bodies.units(red, "province", province("khuzestan"))
    assert isinstance(society, ProvincialDirectorate) and society.label == "جمعیت هلال احمر استان خوزستان"
    assert society.parent == national.key == "red-crescent" and isinstance(national, NationalOrganization)


def test_resolver_names_the_unit_and_its_place():
    res = resolved(HEAD + "همکاری بهزیستی با جمعیت هلال احمر استان خوزستان در این طرح ادامه دارد.\n", bodies)
    orgs = [e for e in res.entities.values() if isinstance(e, Organization)]
    assert [o.key for o in orgs] == ["red-crescent/khuzestan", "red-crescent"]
    assert ("province", "khuzestan") in res.entities
    assert any(e is orgs[0] for _, e in res.named)
