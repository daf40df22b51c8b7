"""Places: detection of province and county names, and which of the two a name is."""

from fact_texts import HEAD, document, resolved

from kg_builder.facts import places
from kg_builder.facts.places import County, PlaceIndex, PlaceMention, Province


def test_detector_finds_names_with_their_scope_word():
    found = places.find_places("در شهرستان مرودشت و استان فارس")
    assert [(m.text, m.scope) for m in found] == [("مرودشت", "شهرستان"), ("فارس", "استان")]
    assert ("county", "fars/marvdasht") in found[0].candidates


def test_a_name_that_is_province_and_county_is_the_province_by_default():
    res = resolved(HEAD + "گزارش بهزیستی از قزوین منتشر شد و همه در قزوین از آن خبر دارند.\n", places)
    index = res.need(PlaceIndex)
    assert {type(p) for p in index.at.values()} == {Province}
    assert index.main == "qazvin"


def test_named_as_a_county_it_is_the_county_and_its_province_comes_along():
    res = resolved(HEAD + "خدمات بهزیستی در شهرستان مرودشت گسترش یافت و مردم راضی هستند.\n", places)
    assert {e.label for e in res.entities.values() if isinstance(e, County)} == {"مرودشت"}
    assert {e.label for e in res.entities.values() if isinstance(e, Province)} == {"فارس"}


def test_a_listed_county_of_the_main_province_counts_beside_another():
    res = resolved(HEAD + "سامانه تصمیم در همه شهرستان‌های قزوین به جز آوج و البرز راه‌اندازی شد و کار می‌کند\n",
                   places)
    assert {e.label for e in res.entities.values() if isinstance(e, County)} == {"آوج", "البرز"}


def test_an_outlet_named_after_a_province_is_no_place():
    res = resolved(HEAD + "به گزارش خبرگزاری فارس، برنامه‌های بهزیستی در استان یزد ادامه دارد.\n", places)
    assert {e.label for e in res.entities.values() if isinstance(e, Province)} == {"یزد"}


def test_names_inside_a_person_name_are_not_places():
    doc = document(HEAD + "علی کرمانی، مدیرکل بهزیستی استان یزد گفت: کار ادامه دارد.\n")
    assert any(isinstance(m, PlaceMention) for m in doc.mentions)
    res = resolved(doc.raw, places)
    assert {e.label for e in res.entities.values()} == {"یزد"}


def _labels(res, cls):
    return {e.label for e in res.entities.values() if isinstance(e, cls)}


def test_plural_county_word_before_a_list_names_counties():
    res = resolved(HEAD + "بیشترین کمک ها از شهرستانهای قزوین و آبیک جمع آوری شد و مردم همراهی کردند.\n", places)
    assert _labels(res, County) == {"قزوین", "آبیک"}


def test_a_county_office_names_its_county():
    res = resolved(HEAD + "رییس اداره بهزیستی نیشابور گفت: خدمات مشاوره در استان خراسان رضوی گسترش یافت.\n", places)
    assert _labels(res, County) == {"نیشابور"}
    res = resolved(HEAD + "دیدار با کارکنان فرمانداری مرودشت در استان فارس برگزار شد و گزارش ارائه شد.\n", places)
    assert _labels(res, County) == {"مرودشت"}


def test_a_directorate_general_or_a_place_after_a_preposition_is_no_county_office():
    res = resolved(HEAD + "مدیرکل اداره کل بهزیستی زنجان گفت: اداره بهزیستی به زنجان کمک کرد و کار ادامه دارد.\n",
                   places)
    assert _labels(res, County) == set() and _labels(res, Province) == {"زنجان"}


def test_a_province_name_cut_by_the_end_of_the_text():
    res = resolved(HEAD + "این شهر در جنوب مرکز استان سیستان و \n", places)
    assert _labels(res, Province) == {"سیستان و بلوچستان"}
    res = resolved(HEAD + "این شهر در جنوب مرکز استان خراسان\n", places)  # three provinces begin so
    assert _labels(res, Province) == set()
    res = resolved(HEAD + "استان سیستان و مردم آن در این گزارش آمده اند.\n", places)  # not at the end
    assert _labels(res, Province) == set()
    res = resolved(HEAD + "این گزارش را مدیرکل بهزیستی آذربایجان غ\n", places)  # more than the first word
    assert _labels(res, Province) == {"آذربایجان غربی"}
    res = resolved(HEAD + "این گزارش را مدیرکل بهزیستی آذربایجان\n", places)
    assert _labels(res, Province) == set()


def test_the_county_named_after_its_seat():
    found = places.find_places("در شهرستان قاین")
    assert ("county", "south-khorasan/qaenat") in found[0].candidates


def test_managing_institutions_is_no_county_office():
    res = resolved(HEAD + "نحوه اداره مراکز بهزیستی مرودشت و مهدهای کودک در استان فارس بررسی شد و گزارش ارائه شد.\n",
                   places)
    assert _labels(res, County) == set()
