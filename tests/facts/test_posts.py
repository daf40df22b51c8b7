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


def test_a_surname_alone_speaks_after_the_lead_post():
    res = resolved(HEAD + "مدیرکل بهزیستی استان اردبیل گفت: پویش همدلی آغاز شد.\n"
                   "به گزارش خبرگزاری صداوسیمای مرکز اردبیل؛ کاظمی با اشاره به کمک‌های مردمی اظهار کرد: "
                   "کار ادامه دارد.\n", posts)
    assert memberships(res) == {("کاظمی", "مدیرکل", "اداره کل بهزیستی استان اردبیل")}


def test_the_lead_post_finds_its_name_after_a_dateline_tag_and_an_attribution_without_comma():
    res = resolved(HEAD + "زنجان - خبرگزاری مهر: معاون امور توانبخشی بهزیستی کشور گفت: ۱۵ درصد جامعه معلول است.\n"
                   "به گزارش ایرنا بهرام سلطانی روز دوشنبه در گفت و گو با خبرنگاران افزود: کار ادامه دارد.\n", posts)
    assert memberships(res) == {("بهرام سلطانی", "معاون امور توانبخشی", "سازمان بهزیستی کشور")}


def test_a_reporters_byline_is_no_official_but_the_surname_beside_the_post_is():
    res = resolved(HEAD + "باشگاه خبرنگاران جوان؛ زهرا رضایی - کاظمی مدیرکل بهزیستی خراسان جنوبی گفت: "
                   "مراکز روزانه فعال هستند.\nاو افزود: ۷ مرکز شبانه روزی داریم.\n", posts)
    assert memberships(res) == {("کاظمی", "مدیرکل", "اداره کل بهزیستی استان خراسان جنوبی")}


def test_a_post_governed_by_a_preposition_is_not_the_subject():
    res = resolved(HEAD + "با حضور مدیرکل بهزیستی استان فارس مراسم روز جهانی معلولان برگزار شد.\n"
                   "علی رضایی از شهروندان شیرازی گفت: این مراسم خوب بود.\n", posts)
    assert memberships(res) == set()


def test_a_meeting_is_no_verb_and_pronouns_keep_the_speaker():
    res = resolved(HEAD + "مدیرکل بهزیستی استان گیلان از افزایش تماس‌ها خبر داد.\n"
                   "وی افزود: تماس‌ها بیشتر شد.\nوی گفت: کار ادامه دارد.\nوی تاکید کرد: خط فعال است.\n"
                   "وی ادامه داد: همه کمک کنند.\nدر ادامه این نشست، کامران سلطانی گفت: ۲۰ مرکز فعال است.\n", posts)
    assert memberships(res) == {("کامران سلطانی", "مدیرکل", "اداره کل بهزیستی استان گیلان")}


def test_a_portfolio_no_pack_lists_and_an_honorific_in_the_body_name():
    res = resolved(HEAD + "قم- خبر رسید.\n\nبه گزارش خبرگزاری مهر، رضا امینی، معاون توسعه مشارکت‌های مردمی "
                   "کمیته امداد امام خمینی (ره) استان قم گفت: ۲۰ هزار خانوار تحت پوشش داریم.\n", posts)
    assert memberships(res) == {("رضا امینی", "معاون توسعه مشارکت‌های مردمی", "کمیته امداد امام خمینی استان قم")}


def test_the_head_of_the_office_in_a_county_is_the_county_office():
    res = resolved(HEAD + "علی احمدی، رئیس اداره بهزیستی شهرستان دزفول گفت: کار ادامه دارد و مراکز فعال هستند.\n"
                   "رئیس بهزیستی مرودشت هم گفت: کار ادامه دارد.\n", posts)
    assert ("علی احمدی", "رئیس", "اداره بهزیستی شهرستان دزفول") in memberships(res)
    (m,) = [r for r in posts.find_roles("رئیس بهزیستی مرودشت", packs.load())]
    from kg_builder.facts.places import county
    from kg_builder.facts.places import PlaceIndex as Index

    index = Index({(m.end - len("مرودشت"), m.end): county("fars/marvdasht")}, "fars")
    assert posts.organisation(m, index, packs.load())[0].label == "اداره بهزیستی شهرستان مرودشت"


def test_a_person_described_otherwise_does_not_take_the_lead_post():
    res = resolved(HEAD + "مدیرکل بهزیستی استان یزد از تحویل ۵۰ واحد مسکونی خبر داد.\n"
                   "به گزارش ایرنا، فاطمه احمدی، یکی از مددجویان دریافت کننده واحد گفت: خوشحالیم.\n", posts)
    assert memberships(res) == set()


def test_posts_of_more_bodies_and_titles_from_the_general_pack():
    assert roles("معاون سیاسی امنیتی استاندار فارس") == [("deputy", "province", "governorate", "فارس", "political-security")]
    assert roles("مدیرکل بنیاد شهید و امور ایثارگران استان یزد") == [
        ("director-general", "province", "martyrs-foundation", "یزد", None)]
    assert roles("نماینده ولی فقیه در استان گیلان") == [("supreme-leader-representative", "province", None, "گیلان", None)]
    res = resolved(HEAD + "حسن رضایی، شهردار شیراز گفت: ۲۰ پارک ساخته شد و کار ادامه دارد.\n", posts)
    assert memberships(res) == {("حسن رضایی", "شهردار", "شهرداری شیراز")}
