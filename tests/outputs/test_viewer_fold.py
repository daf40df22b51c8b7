"""The viewer's search folds names with the Python table (text/letters.py), never a copy of its own."""

import json
import shutil
import subprocess

import pytest

from kg_builder.outputs import visualise as viz
from kg_builder.text import letters

SAMPLES = ["قزوين", "كودكان", "سازمان بهزیستی", "۱۲۳ ٤٥", "مسؤول‌ها", "أحمد إ ٱ ئ ۀ ة ۃ ە ھ", "Hello_World ",
           "بِسْمِ‌ـ", "\u200fx\u200ey"]


def _script() -> str:
    return (viz._ASSETS / "viewer.js").read_text(encoding="utf-8")


def test_python_search_key_uses_the_comparison_tier():
    assert viz._FOLD == letters.table(letters.COMPARE)
    assert viz._fold("كودكان ۱۲۳") == viz._fold("کودکان123") == "کودکان123"


def test_the_page_data_carries_the_table_and_the_script_holds_none():
    import networkx as nx

    data = viz.page_data(nx.MultiDiGraph())
    assert data["fold"]["map"] == letters.COMPARE
    assert set(letters.MARKS) <= set(data["fold"]["ignored"])
    script = _script()
    assert not set(letters.COMPARE) & set(script), "viewer.js must take its fold table from the page data"


def test_the_script_folds_as_python_does():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed (the page search is also checked in headless Chromium)")
    script = _script()
    start, end = script.index("  const FOLD ="), script.index("  nodes.forEach")
    data = {"fold": {"map": letters.COMPARE, "ignored": viz._IGNORED}}
    program = (f"const DATA = {json.dumps(data)};\n{script[start:end]}\n"
               f"console.log(JSON.stringify({json.dumps(SAMPLES)}.map(fold)));")
    run = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(run.stdout) == [viz._fold(s) for s in SAMPLES]
