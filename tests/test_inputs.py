"""One way to open a command's data: a graph file in any RDF format or a store directory is accepted by
every command, with the same message when it cannot be used; validate and viz see what queries see."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from helpers import GOLDEN, ROOT, SEEDS

from kg_builder.cli import main
from kg_builder.outputs.data import read_quads

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed articles as a TriG file and a store, built together."""
    d = tmp_path_factory.mktemp("built")
    assert main(["build", str(SEEDS), "-o", str(d / "kg.trig"), "--store", str(d / "store"), "-q"]) == 0
    return d


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """An article with two facts in quarantine, as Turtle (quarantine beside), TriG and a store."""
    d = tmp_path_factory.mktemp("held")
    (d / "in").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "inconsistent_article.txt", d / "in" / "case.txt")
    assert main(["build", str(d / "in"), "-o", str(d / "kg.ttl"), "-q"]) == 0
    assert main(["build", str(d / "in"), "-o", str(d / "kg.trig"), "--store", str(d / "store"), "-q"]) == 0
    return d


def commands(data: str, tmp_path) -> dict[str, list[str]]:
    return {"query": ["query", data, "-e", "ASK { ?s ?p ?o }"], "validate": ["validate", data],
            "viz": ["viz", data, "-o", str(tmp_path / "x.html")],
            "evaluate": ["evaluate", data, "--gold", str(GOLDEN / "seeds")],
            "serve": ["serve", data, "--port", "0"],
            "push": ["push", data, "--endpoint", "http://127.0.0.1:9/store", "--retries", "0"]}


@pytest.mark.parametrize("case, message", [
    ("missing.ttl", "no such graph file or store directory"),
    ("folder", "a directory but not an Oxigraph store (kg-builder build --store DIR makes one)"),
    ("broken.ttl", "cannot parse as RDF (Turtle): "),
    ("broken.nt", "cannot parse as RDF (N-Triples): "),
])
def test_every_command_gives_the_same_message_for_data_it_cannot_use(tmp_path, capsys, case, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_text("not a store", encoding="utf-8")
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    (tmp_path / "broken.nt").write_text("<urn:x:a> <urn:x:b> .\n", encoding="utf-8")
    data = str(tmp_path / case)
    lines = {}
    for name, argv in commands(data, tmp_path).items():
        assert main(argv) == 2, name
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1, (name, err)
        lines[name] = err
    assert set(lines.values()) == {lines["query"]}, lines
    assert lines["query"].startswith(f"kg-builder: {data}: {message}") and lines["query"].endswith("[E300]\n")
    assert not (tmp_path / "x.html").exists()


def test_a_store_is_accepted_wherever_a_graph_file_is(built, tmp_path, capsys):
    store = str(built / "store")
    for name in ("query", "validate", "viz", "evaluate"):
        assert main(commands(store, tmp_path)[name] + ["-q"]) == 0, (name, capsys.readouterr().err)
    assert capsys.readouterr().err == ""
    assert (tmp_path / "x.html").stat().st_size > 1000


def test_validate_of_a_store_says_what_validate_of_its_file_says(built, capsys):
    assert main(["validate", str(built / "kg.trig")]) == 0
    of_file = capsys.readouterr().out
    assert main(["validate", str(built / "store")]) == 0
    assert capsys.readouterr().out == of_file == "conforms: yes\n"


def test_a_store_gives_its_offsets_back_as_written(built):
    """Oxigraph keeps xsd:nonNegativeInteger as xsd:integer; read from a store, the offsets get their type back."""
    raw = {q.object.datatype.value for q in ox.Store.read_only(str(built / "store"))
           if q.predicate.value == "http://www.w3.org/ns/oa#start"}
    assert raw == {XSD + "integer"}  # what Oxigraph holds; if this changes, data._as_written can go
    read = {q.object.datatype.value for q in read_quads(built / "store") if q.predicate.value.endswith("#start")}
    assert read == {XSD + "nonNegativeInteger"}


@pytest.mark.parametrize("data, where", [("kg.ttl", "kg.quarantine.ttl"), ("kg.trig", "the quarantine graphs of"),
                                         ("store", "the quarantine graphs of")])
def test_validate_lists_the_quarantine_of_a_file_a_dataset_and_a_store(held, capsys, data, where):
    path = str(held / data)
    assert main(["validate", path]) == 0  # the quarantined facts are not validated: queries do not see them
    out = capsys.readouterr().out
    assert out.startswith("conforms: yes\nquarantined: 2 facts held back in ")
    assert where in out.splitlines()[1]
    assert "[مشهد]" in out and "[۱۵۰۰ درصد]" in out
    assert "a percentage over 1000 is not a plausible figure" in out


def _drawing(path) -> tuple[list[str], list[str]]:
    d = json.loads(path.read_text(encoding="utf-8"))
    key = lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False)
    return sorted(map(key, d["nodes"])), sorted(map(key, d["links"]))


def test_viz_of_a_store_draws_what_viz_of_its_file_draws(built, held, tmp_path, capsys):
    for data in (built, held):
        assert main(["viz", str(data / "kg.trig"), "-o", str(tmp_path / "file.json"), "-q"]) == 0
        assert main(["viz", str(data / "store"), "-o", str(tmp_path / "store.json"), "-q"]) == 0
        nodes, links = _drawing(tmp_path / "store.json")
        assert nodes and links and (nodes, links) == _drawing(tmp_path / "file.json")
    # the quarantined statistic (1500 percent) is not drawn, the two others are
    values = sorted(json.loads(n).get("value") for n in nodes if json.loads(n)["type"] == "Statistic")
    assert values == [30, 200]


def test_evaluate_of_a_store_scores_what_evaluate_of_its_file_scores(built, capsys):
    assert main(["evaluate", str(built / "kg.trig"), "--gold", str(GOLDEN / "seeds"), "--json"]) == 0
    of_file = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(built / "store"), "--gold", str(GOLDEN / "seeds"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == of_file
    assert of_file["macro_f1"] > 0.9
