"""People: names found by the given-name lexicon and surname rules; surname-only references."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import people
from kg_builder.facts.people import People


def names(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(m.given, m.surname, m.titles) for m in people.find_people(text, packs.load())]


def test_given_name_surname_and_titles():
    assert names("دکتر سید مهدی کریمی گفت") == [("مهدی", "کریمی", ("دکتر", "سید"))]


def test_compound_given_name_and_surname_in_two_parts():
    assert names("حمید رضا حسین زاده افزود") == [("حمید رضا", "حسین زاده", ())]


def test_an_ordinary_word_after_a_given_name_is_no_surname():
    assert names("علی گفت که کار ادامه دارد") == []


def test_resolver_groups_mentions_and_finds_surname_references():
    res = resolved(HEAD + "مهدی کریمی، مدیرکل بهزیستی استان کرمان گفت: کار ادامه دارد.\n\n"
                   "کریمی افزود: ۲۰ مرکز فعال است.\n", people)
    known = res.need(People)
    assert list(known.by_key) == ["مهدیکریمی"]
    assert [m.text for m, _ in known.refs] == ["مهدی کریمی", "کریمی"]


def test_a_name_from_the_large_list_needs_a_known_or_rare_surname():
    assert names("سامیه جهانشاهی گفت") == [("سامیه", "جهانشاهی", ())]
    assert names("فریدالدین کاشانی افزود") == [("فریدالدین", "کاشانی", ())]


def test_a_surname_built_on_a_title_of_address():
    assert names("فریدالدین حجت‌الاسلامی گفت") == [("فریدالدین", "حجت‌الاسلامی", ())]


def test_speakers_named_by_surname_alone():
    from fact_texts import document

    from kg_builder.facts.people import speaker_surnames

    doc = document(HEAD + "مدیرکل بهزیستی استان اردبیل گفت: کار ادامه دارد.\n"
                   "به گزارش خبرگزاری صداوسیما؛ کاظمی با اشاره به کمک‌ها اظهار کرد: کار ادامه دارد.\n"
                   "به گفته نوبخت، ۲۰ مرکز فعال است.\nشهروندان گفتند: خوب است.\n")
    assert [m.surname for m in speaker_surnames(doc, packs.load(), {})] == ["کاظمی", "نوبخت"]
