"""Domain packs: data files that teach kg-builder a public body, checked strictly."""

from __future__ import annotations

import pytest
from helpers import QUERIES

from kg_builder import packs, query
from kg_builder.cli import main
from kg_builder.errors import PackError

NURSING = """
[pack]
name = "nursing"

[[bodies]]
key = "nursing-organisation"
fa = "سازمان نظام پرستاری"
en = "Nursing Organisation of Iran"
forms = ["نظام پرستاری"]
hierarchy = true
province_label = "سازمان نظام پرستاری استان {province}"
"""

ARTICLE = ("کد خبر: 7788990\n۱۲ مهر ۱۴۰۲ - ۱۰:۳۰\n\nنشست پرستاران استان فارس با حضور مسئولان برگزار شد\n\n"
           "شیراز - ایرنا - رضا احمدی، رئیس نظام پرستاری استان فارس گفت: ۳۰۰ پرستار در این طرح شرکت کردند.\n")


def test_shipped_packs_merge_into_one_domain():
    domain = packs.load()
    assert domain.packs == ("general", "welfare")
    assert domain.body("welfare").hierarchy and domain.body("red-crescent").scope == "province"
    assert domain.hotline is not None and domain.hotline.number == "123"
    assert {t.slug for t in domain.titles} >= {"director-general", "head", "deputy", "governor"}


def test_how_programme_names_run_is_data(tmp_path):
    """What ends, joins and continues a programme's name comes from the packs: a pack that adds
    a phrase lets a name run over it."""
    from kg_builder.facts.programmes import find_programmes

    text = "اجرای طرح آموزش همراه با بازی در مدارس"
    assert [m.text for m in find_programmes(text, packs.load(), 6)] == ["طرح آموزش همراه"]
    pack = tmp_path / "phrases.toml"
    pack.write_text('[pack]\nname = "phrases"\n[programmes]\nphrases = ["همراه با"]\n', encoding="utf-8")
    domain = packs.load((str(pack),))
    assert domain.programme_phrases[-1] == "همراه با" and "و" in domain.programme_joiners
    assert [m.text for m in find_programmes(text, domain, 6)] == ["طرح آموزش همراه با بازی"]


def test_a_new_body_by_a_data_file_alone(tmp_path):
    pack = tmp_path / "nursing.toml"
    pack.write_text(NURSING, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nursing.txt").write_text(ARTICLE, encoding="utf-8")
    sparql = (QUERIES / "officials.rq").read_text(encoding="utf-8")

    def officials(*options: str) -> set[tuple[str, str]]:
        out = tmp_path / "kg.trig"
        assert main(["build", str(tmp_path / "in"), "-o", str(out), "-q", *options]) == 0
        return {(r["name"], r["organization"]) for r in query(out, sparql).as_dicts()}

    assert officials() == set()
    assert officials("--set", f"domain.packs={pack}") == {("رضا احمدی", "سازمان نظام پرستاری استان فارس")}


@pytest.mark.parametrize("text, message", [
    ('[pack]\nname = "x"\n[[bodies]]\nkey = "a"\nfa = "ب"\nen = "b"\nforms = ["ب"]\ncolour = "red"\n',
     "unknown key 'colour'"),
    ('[pack]\nname = "x"\n[[bodies]]\nkey = "a"\nfa = "ب"\n', "missing en, forms"),
    ('[pack]\nname = "x"\n[[bodies]]\nkey = "a"\nfa = "ب"\nen = "b"\nforms = "ب"\n', "expected a list of strings"),
    ('[pack]\nname = "x"\n[[bodies]]\nkey = "welfare"\nfa = "ب"\nen = "b"\nforms = ["ب"]\n', "body 'welfare' is defined"),
    ('[pack]\nname = "x"\n[teams]\n', "unknown section [teams]"),
    ('[pack]\nname = "x"\n[[programmes.cues]]\nfa = "ب"\nclass = "Show"\n', "cls is 'Show', one of Programme"),
    ('[pack]\nname = "x"\n[[titles]]\nfa = "ب"\nslug = "b"\nen = "b"\ncategory = "other"\nheads = "nobody"\n',
     "which no pack defines"),
    ('[pack]\nname = "x"\n[programmes]\njoiners = "و"\n', "expected a list of strings"),
    ('[pack]\nname = "x"\n[hotline]\nnumber = "1"\nnames = ["ب"]\nnumber_links = "ب"\n', "expected a list of strings"),
    ('[pack\n', "not valid TOML"),
    ('[[bodies]]\nkey = "a"\nfa = "ب"\nen = "b"\nforms = ["ب"]\n', "a pack starts with [pack]"),
])
def test_a_bad_pack_is_an_error_naming_the_file(tmp_path, text, message):
    pack = tmp_path / "bad.toml"
    pack.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        packs.load((str(pack),))
    assert message in str(caught.value) and "bad.toml" in str(caught.value)
    assert caught.value.code == "E201"


def test_a_bad_pack_stops_the_build_with_exit_3(tmp_path, capsys):
    pack = tmp_path / "bad.toml"
    pack.write_text("[pack]\nname = 1\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "kg.ttl"), "--set",
                 f"domain.packs={pack}"]) == 3
    assert "bad.toml" in capsys.readouterr().err
    assert not (tmp_path / "kg.ttl").exists()
