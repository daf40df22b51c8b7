"""stdin and stdout as rdfpipe and riot have them, formats that agree with suffixes, outputs checked
before any work, and a summary for programs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import SEEDS

from kg_builder.cli import main

ARTICLE = min(SEEDS.glob("*.txt"))


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg_builder", *args], check=False, input=stdin, capture_output=True,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def seeds_nt(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("nt") / "kg.nt"
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == 0
    return out.read_bytes()


def test_graph_to_stdout_is_the_file_and_the_summary_goes_to_stderr(seeds_nt):
    proc = run_cli("build", str(SEEDS), "-o", "-", "-f", "nt")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == seeds_nt
    assert b"articles:  5 built" in proc.stderr and b"written:   stdout" in proc.stderr


def test_turtle_is_the_format_of_stdout_when_none_is_given(seeds_nt):
    proc = run_cli("build", str(SEEDS), "-o", "-", "-q")
    assert proc.returncode == 0 and proc.stderr == b""
    assert set(ox.parse(proc.stdout, format=ox.RdfFormat.TURTLE)) == set(ox.parse(seeds_nt, format=ox.RdfFormat.N_TRIPLES))


def test_dev_stdout_is_written_through_and_never_replaced(seeds_nt, tmp_path):
    link = tmp_path / "stdout-link"
    link.symlink_to("/dev/stdout")  # the user's /dev/stdout, without risking the real one
    before = os.lstat("/dev/stdout")
    proc = run_cli("build", str(SEEDS), "-o", str(link), "-f", "nt", "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == seeds_nt
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    proc = run_cli("build", str(SEEDS), "-o", "/dev/stdout", "-f", "nt", "-q")
    assert proc.returncode == 0 and proc.stdout == seeds_nt
    after = os.lstat("/dev/stdout")
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert [p.name for p in tmp_path.iterdir()] == ["stdout-link"]  # no temporary file beside it


def test_a_fifo_is_streamed_to(seeds_nt, tmp_path):
    fifo = tmp_path / "kg.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["build", str(SEEDS), "-o", str(fifo), "-f", "nt", "-q"]) == 0
    reader.join(60)
    assert got == [seeds_nt]
    assert fifo.is_fifo()


def test_an_article_from_stdin_is_the_file_of_that_name(tmp_path):
    named = tmp_path / "in" / "خبر_یک.txt"
    named.parent.mkdir()
    shutil.copy(ARTICLE, named)
    assert main(["build", str(named), "-o", str(tmp_path / "file.nq"), "-q"]) == 0
    proc = run_cli("build", "-", "--stdin-name", named.name, "-o", "-", "-f", "nq", "-q", stdin=ARTICLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (tmp_path / "file.nq").read_bytes()
    proc = run_cli("build", "-", "-o", "-", "-f", "nt", "-q", stdin=ARTICLE.read_bytes())
    assert b'"stdin.txt"' in proc.stdout


def test_the_graph_and_the_json_summary_cannot_share_stdout():
    proc = run_cli("build", str(SEEDS), "-o", "-", "--summary-json", "-")
    assert proc.returncode == 3 and proc.stdout == b""


@pytest.mark.parametrize("output,fmt", [("kg.xyz", None), ("kg", None), ("fmt.ttl", "nq"), ("fmt.nq", "trig")])
def test_a_suffix_and_format_that_disagree_or_say_nothing_are_refused_before_any_work(output, fmt, tmp_path,
                                                                                        monkeypatch, capsys):
    monkeypatch.setattr("kg_builder.pipeline.run", lambda *a, **k: pytest.fail("the build started"))
    assert main(["build", str(SEEDS), "-o", str(tmp_path / output), *(["-f", fmt] if fmt else [])]) == 3
    assert "[E200]" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output,fmt", [("kg.nq", "nquads"), ("kg.data", "nt"), ("kg.TTL", None)])
def test_a_format_that_agrees_is_written(output, fmt, tmp_path):
    assert main(["build", str(SEEDS), "-o", str(tmp_path / output), *(["-f", fmt] if fmt else []), "-q"]) == 0
    assert (tmp_path / output).stat().st_size > 0


@pytest.mark.parametrize("target", ["file/kg.ttl", "file/kg.jsonld", "dir", "file/summary.json"])
def test_outputs_are_checked_before_any_work(target, tmp_path, monkeypatch, capsys):
    (tmp_path / "file").write_text("a file, not a directory")
    (tmp_path / "dir").mkdir()
    monkeypatch.setattr("kg_builder.pipeline.run", lambda *a, **k: pytest.fail("the build started"))
    if target.endswith("summary.json"):
        args = ["-o", str(tmp_path / "kg.ttl"), "--summary-json", str(tmp_path / target)]
    else:
        args = ["-o", str(tmp_path / target)]
    assert main(["build", str(SEEDS), *args]) == 4
    assert "[E400]" in capsys.readouterr().err


def test_a_store_path_that_is_a_file_fails_before_any_work(tmp_path, monkeypatch, capsys):
    (tmp_path / "kg.ttl").write_text("")
    monkeypatch.setattr("kg_builder.pipeline.run", lambda *a, **k: pytest.fail("the build started"))
    assert main(["build", str(SEEDS), "--store", str(tmp_path / "kg.ttl")]) == 4
    assert "a file, not a store directory" in capsys.readouterr().err


def test_summary_json_for_programs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ARTICLE, src / ARTICLE.name)
    (src / "empty.txt").write_text("\n")
    proc = run_cli("build", str(src), "-o", str(tmp_path / "kg.trig"), "--summary-json", "-")
    assert proc.returncode == 2
    summary = json.loads(proc.stdout)
    assert summary["articles"]["built"] == 1 and summary["articles"]["skipped"] == 1
    assert summary["skipped"] == [{"path": str(src / "empty.txt"), "code": "E103", "message": "empty article (no text)"}]
    assert summary["entities"]["Person"] >= 1 and summary["triples"] > 100
    assert summary["validation"] == {"conforms": True, "quarantined": 0}
    assert summary["outputs"]["format"] == "trig" and summary["outputs"]["file"].endswith("kg.trig")
    assert b"articles:  1 built" in proc.stderr  # the human summary moves out of the way
    assert main(["build", str(src), "-o", str(tmp_path / "kg.ttl"), "--summary-json", str(tmp_path / "s.json"),
                 "-q"]) == 2
    assert json.loads((tmp_path / "s.json").read_text())["triples"] == summary["triples"]


def test_verbose_tells_each_phase_and_quiet_tells_nothing(tmp_path):
    proc = run_cli("build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "-v")
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert "built " + str(min(SEEDS.glob("*.txt"))) + ": " in err
    for phase in ("5 articles to build", "finding the articles:", "building the articles:", "merging the shared entities:",
                  "validating the shared entities:", "writing:"):
        assert phase in err, (phase, err)
    proc = run_cli("build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "-q")
    assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b""


def test_the_run_reports_every_phase_after_the_articles(tmp_path):
    """What the progress bar shows once the articles are done: the phases the run goes through."""
    from kg_builder.outputs.serialize import FileSink
    from kg_builder.pipeline import run

    phases = []
    run([SEEDS], FileSink(tmp_path / "kg.ttl"), phase=phases.append)
    assert phases == ["finding the articles", "building the articles", "merging the shared entities",
                      "validating the shared entities", "writing"]


def test_every_command_takes_the_common_options():
    from kg_builder.cli import COMMANDS, parser

    ap = parser()
    action = next(a for a in ap._actions if a.dest == "command")
    for name in COMMANDS:
        p = action.choices[name]
        flags = {f for a in p._actions for f in a.option_strings}
        assert {"-q", "--quiet", "-v", "--verbose", "--config", "--set", "--debug", "-h"} <= flags, name
        for a in p._actions:  # every option and argument says what it is for
            assert a.help and len(a.help) > 10, (name, a.dest)
        assert p.description and len(p.description) > 40, name


def test_config_file_works_for_every_command_that_reads_options(tmp_path):
    conf = tmp_path / "kg.toml"
    conf.write_text("[clean]\nzwnj = false\n")
    proc = run_cli("normalize", "--config", str(conf), stdin="می خواهند\n".encode())
    assert proc.stdout.decode() == "می خواهند\n"  # the half-space is not restored
    proc = run_cli("normalize", stdin="می خواهند\n".encode())
    assert proc.stdout.decode() == "می\u200cخواهند\n"
    conf.write_text("[clean]\nzwnj = 3\n")
    proc = run_cli("build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--config", str(conf))
    assert proc.returncode == 3 and not (tmp_path / "kg.ttl").exists()


def test_the_format_names_build_offers_are_the_serialisers():
    from kg_builder.cli.build import FORMATS
    from kg_builder.outputs.serialize import FORMATS as SERIALISERS

    assert FORMATS == tuple(sorted(SERIALISERS))


def test_dev_stdout_redirected_to_a_file_is_filled_not_replaced(seeds_nt, tmp_path):
    """The shell's `> file` makes /dev/stdout name a regular file through /proc: it must be written
    through, not replaced by a rename (which left the file empty and /dev/stdout a regular file)."""
    link = tmp_path / "stdout-link"
    link.symlink_to("/dev/stdout")
    redirected = tmp_path / "red.nt"
    for out in (str(link), "/dev/stdout"):
        with redirected.open("wb") as f:
            proc = subprocess.run([sys.executable, "-m", "kg_builder", "build", str(SEEDS), "-o", out, "-f", "nt",
                                   "-q"], stdout=f, stderr=subprocess.PIPE, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        assert redirected.read_bytes() == seeds_nt
        assert link.is_symlink() and Path("/dev/stdout").is_symlink()
    with redirected.open("wb") as f:  # no -f: Turtle, as on stdout; no -q: the summary goes to stderr
        proc = subprocess.run([sys.executable, "-m", "kg_builder", "build", str(SEEDS), "-o", str(link)],
                              stdout=f, stderr=subprocess.PIPE, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b"articles:  5 built" in proc.stderr
    graph = redirected.read_bytes()
    assert graph.startswith(b"@prefix") and len(set(ox.parse(graph, format=ox.RdfFormat.TURTLE))) == 3380


def test_a_link_to_a_file_stays_a_link_and_its_file_is_written(seeds_nt, tmp_path):
    (tmp_path / "target.nt").write_text("old\n")
    (tmp_path / "link.nt").symlink_to("target.nt")
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "link.nt"), "-q"]) == 0
    assert (tmp_path / "link.nt").is_symlink() and (tmp_path / "target.nt").read_bytes() == seeds_nt
    (tmp_path / "q.csv").symlink_to("answer.csv")  # a dangling link: its file is made
    assert main(["query", str(tmp_path / "link.nt"), "-e", "SELECT ?s { ?s a <urn:none> }", "-o",
                 str(tmp_path / "q.csv")]) == 0
    assert (tmp_path / "q.csv").is_symlink() and (tmp_path / "answer.csv").read_text() == "s\n"


@pytest.mark.parametrize("command", ["query", "viz"])
def test_query_and_viz_write_into_a_fifo(command, seeds_ttl, tmp_path):
    fifo = tmp_path / ("answer.csv" if command == "query" else "graph.json")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    args = (["query", str(seeds_ttl), "-e", "SELECT ?s { ?s a <urn:none> }", "-o", str(fifo)] if command == "query"
            else ["viz", str(seeds_ttl), "-o", str(fifo), "-q"])
    assert main(args) == 0
    reader.join(60)
    assert fifo.is_fifo() and got and got[0]


def test_the_summary_never_overwrites_the_graph(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("kg_builder.pipeline.run", lambda *a, **k: pytest.fail("the build started"))
    out = tmp_path / "kg.ttl"
    assert main(["build", str(SEEDS), "-o", str(out), "--summary-json", str(out)]) == 3
    (tmp_path / "alias.ttl").symlink_to("kg.ttl")
    assert main(["build", str(SEEDS), "-o", str(out), "--summary-json", str(tmp_path / "alias.ttl")]) == 3
    assert "both be written" in capsys.readouterr().err


def test_json_ld_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """rdflib's JSON-LD lists nodes in string-hash order, which Python varies from run to run."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"kg{seed}.jsonld"
        proc = subprocess.run([sys.executable, "-m", "kg_builder", "build", str(SEEDS), "-o", str(out), "-q"],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert len(set(ox.parse(outs[0], format=ox.RdfFormat.JSON_LD))) > 3000


def test_an_option_that_does_nothing_without_its_companion_is_said(tmp_path):
    proc = run_cli("build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--keep-missing", "--stdin-name", "x.txt")
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert "--keep-missing does nothing without --store" in err and "--stdin-name does nothing" in err


def test_config_shows_each_options_type(capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "(true or false)\nzwnj = true" in out and "(a list of strings)\ninclude = [" in out


def test_viz_writes_to_stdout_with_a_format(seeds_ttl):
    proc = run_cli("viz", str(seeds_ttl), "-o", "-", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["nodes"] and b"written:" in proc.stderr
    assert run_cli("viz", str(seeds_ttl), "-o", "-").returncode == 3  # no suffix, no -f
    assert run_cli("viz", str(seeds_ttl), "-o", "x.png", "-f", "svg").returncode == 3


def test_viz_formats_offered_are_the_writers():
    from kg_builder.cli.viz import VIZ_FORMATS
    from kg_builder.outputs.visualise import SUFFIXES

    assert set(VIZ_FORMATS) == set(SUFFIXES.values())


def test_temporary_files_of_a_killed_write_are_removed(tmp_path):
    """A write killed before its rename leaves its temporary file; the next write of the same output
    removes those whose process is gone, and never one a running process is writing."""
    import signal
    import time

    out = tmp_path / "kg.nt"
    proc = subprocess.Popen([sys.executable, "-m", "kg_builder", "build", str(SEEDS), "-o", str(out), "-j", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".kg.nt.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = list(tmp_path.glob(".kg.nt.*.tmp"))
    assert left and not out.exists()
    busy = tmp_path / f".kg.nt.{os.getpid()}.abc.tmp"  # this process is alive: its file stays
    busy.write_text("")
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == 0
    assert sorted(tmp_path.iterdir()) == sorted([out, busy])
