"""Posts: role phrases as written, the body unit they belong to, and binding people to them."""

from fact_texts import HEAD, resolved

from kg_builder import packs
from kg_builder.facts import posts
from kg_builder.facts.posts import Membership, Speakers


def roles(text: str):
    return [(m.title.slug, m.level, m.body.key if m.body else None, m.place, m.domain.slug if m.domain else None)
            for m in posts.find_roles(text, packs.load())]


def test_post_phrases_with_level_place_and_portfolio():
    assert roles("مدیرکل بهزیستی استان فارس") == [("director-general", "province", "welfare", "فارس", None)]
    assert roles("رئیس سازمان بهزیستی کشور") == [("head", "national", "welfare", None, None)]
    assert roles("رئیس اداره بهزیستی شهرستان مرودشت") == [("head", "county", "welfare", "مرودشت", None)]
    assert roles("معاون توانبخشی بهزیستی استان یزد") == [("deputy", "province", "welfare", "یزد", "rehabilitation")]


def test_posts_in_other_bodies_come_from_the_packs():
    assert roles("مدیرعامل جمعیت هلال احمر استان خوزستان") == [
        ("managing-director", "province", "red-crescent", "خوزستان", None)]
    assert roles("رئیس سازمان تامین اجتماعی") == [("head", "national", "social-security", None, None)]


def test_a_title_that_needs_a_place():
    assert roles("استاندار فارس") == [("governor", "province", None, "فارس", None)]
    assert roles("استاندار گفت") == []


def memberships(res):
    return {(f.person.label, f.role.label, f.organization.label if f.organization else None)
            for f in res.facts if isinstance(f, Membership)}


def test_apposition_binds_a_person_to_the_post_and_its_unit():
    res = resolved(HEAD + "تیتر خبر درباره بهزیستی استان یزد منتشر شد\n\n"
                   "یزد - ایسنا - مریم شفیعی، معاون پیشگیری بهزیستی استان یزد گفت: ۲۰۰ مرکز فعال است.\n", posts)
    assert memberships(res) == {("مریم شفیعی", "معاون پیشگیری", "اداره کل بهزیستی استان یزد")}


def test_the_lead_post_goes_to_the_next_named_speaker_who_then_speaks():
    res = resolved(HEAD + "مدیرکل بهزیستی استان گیلان از افزایش پوشش خبر داد\n\n"
                   "مدیرکل بهزیستی استان گیلان گفت: ۱۲ هزار خانوار تحت پوشش هستند.\n\n"
                   "کامران سلطانی افزود: ۴۰ درصد این خانوارها در روستاها زندگی می‌کنند.\n\n"
                   "وی گفت: کار ادامه دارد.\n", posts)
    assert memberships(res) == {("کامران سلطانی", "مدیرکل", "اداره کل بهزیستی استان گیلان")}
    speakers = res.need(Speakers)
    assert speakers.officials == {"کامرانسلطانی"} and speakers.by_sentence[-1] == "کامرانسلطانی"


def test_an_unnamed_post_is_no_official():
    res = resolved(HEAD + "نشست با حضور استاندار فارس و رئیس سازمان بهزیستی کشور برگزار شد و نتایج اعلام شد\n", posts)
    assert memberships(res) == set()
