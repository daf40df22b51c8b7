"""``kg-builder evaluate``: gold files that match no article are an error, and misses read as written."""

from __future__ import annotations

import json
import shutil

from helpers import GOLDEN

from kg_builder.cli import main

ARTICLE = "002_bdb917ed9dbf5771"
# facts the graph does not hold, written with a half-space, spaces and Persian digits as a gold file may be
OFFICIAL = {"name": "زهرا نیک‌نام", "role": "معاون توسعه پیشگیری", "org": "اداره کل بهزیستی استان سمنان",
            "province": "سمنان"}
FIGURE = {"value": 4321, "unit": "نفر", "about": "آزمون", "approx": False}


def test_gold_files_that_match_no_article_are_an_error(seeds_ttl, tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("other_one", "other_two"):
        shutil.copy(GOLDEN / "seeds" / f"{ARTICLE}.gold.json", gold / f"{name}.gold.json")
    assert main(["evaluate", str(seeds_ttl), "--gold", str(gold)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no table of zeros
    err = captured.err
    assert len(err.splitlines()) == 1 and "no gold file matches an article" in err
    assert "2 gold files (e.g. other_one.gold.json)" in err
    assert "the graph's 5 articles (e.g. 000_bda2323a92f9eb93.txt)" in err


def test_an_unreadable_gold_file_is_an_input_error(seeds_ttl, tmp_path, capsys):
    (tmp_path / f"{ARTICLE}.gold.json").write_text("{ not json", encoding="utf-8")
    assert main(["evaluate", str(seeds_ttl), "--gold", str(tmp_path)]) == 2
    assert "cannot read gold file" in capsys.readouterr().err
    assert main(["evaluate", str(seeds_ttl), "--gold", str(tmp_path / "none")]) == 2
    assert "no such gold directory" in capsys.readouterr().err


def test_misses_read_as_the_gold_file_writes_them(seeds_ttl, tmp_path, capsys):
    gold = json.loads((GOLDEN / "seeds" / f"{ARTICLE}.gold.json").read_text(encoding="utf-8"))
    gold["officials"].append(OFFICIAL)
    gold["statistics"].append(FIGURE)
    (tmp_path / f"{ARTICLE}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert main(["evaluate", str(seeds_ttl), "--gold", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"  officials · {ARTICLE}\n    gold only:  name: زهرا نیک‌نام | role: معاون توسعه پیشگیری | province: سمنان\n" \
        in out
    assert f"  statistics · {ARTICLE}\n    gold only:  value: 4321 | unit: نفر\n" in out
    assert "('" not in out and "زهرانیک" not in out  # neither Python tuples nor names with their spaces taken out

    assert main(["evaluate", str(seeds_ttl), "--gold", str(tmp_path), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["officials"]["misses"][ARTICLE]["gold_only"] == [
        {"name": OFFICIAL["name"], "role": OFFICIAL["role"], "province": OFFICIAL["province"]}]
    assert {"value": 4321, "unit": "نفر"} in scores["statistics"]["misses"][ARTICLE]["gold_only"]


def test_a_gold_file_naming_no_article_is_said(tmp_path, capsys):
    from helpers import SEEDS

    from kg_builder.cli import main

    gold = tmp_path / "gold"
    gold.mkdir()
    first = min(SEEDS.glob("*.txt")).stem
    empty = '{"officials": [], "statistics": [], "provinces": [], "programs": []}'
    (gold / f"{first}.gold.json").write_text(empty)
    (gold / "no_such_article.gold.json").write_text(empty)
    kg = tmp_path / "kg.ttl"
    assert main(["build", str(SEEDS), "-o", str(kg), "-q"]) == 0
    assert main(["evaluate", str(kg), "--gold", str(gold), "--json"]) == 0
    captured = capsys.readouterr()
    assert "no_such_article.gold.json" in captured.err and "wholly missed" in captured.err
    assert "no_such_article.gold.json" in json.loads(captured.out)["gold_without_article"]
    (gold / "no_such_article.gold.json").write_text('{"officials": []}')
    assert main(["evaluate", str(kg), "--gold", str(gold)]) == 2
    assert "needs the lists" in capsys.readouterr().err
