"""One table of exit codes for every command: each row is reached by a test, every command's --help
shows its rows, and README's tables say the same as the code."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import QUERIES, ROOT, SEEDS

from kg_builder import cli
from kg_builder.cli import COMMANDS, EXIT_CODES, main


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg_builder", *args], check=False, input=stdin, capture_output=True,
                          timeout=300, cwd=cwd)


def subparsers() -> dict:
    ap = cli.parser()
    action = next(a for a in ap._actions if a.dest == "command")
    return dict(action.choices)


def one_error_line(stderr: str, code: str | None = None) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kg-builder: ")
    if code:
        assert lines[0].endswith(f"[{code}]"), lines[0]
    return lines[0]


# ---------------------------------------------------------------- the table

def test_every_command_lists_its_exit_codes_from_the_one_table():
    for name, p in subparsers().items():
        exits = p.get_default("exits")
        assert exits and set(exits) <= set(EXIT_CODES), name
        assert {0, 3, 70, 130} <= set(exits), name  # every command can succeed, be misused, hit a bug, be stopped
        text = p.format_help()
        assert "exit codes:" in text and "examples:" in text, name
        for code in exits:
            assert re.search(rf"^\s+{code}\s+\S", text, re.MULTILINE), (name, code)


def readme_table(title: str) -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(title)
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]  # below the header and its rule


def test_readme_exit_code_table_is_the_code_table():
    rows = readme_table("## Exit codes")
    assert {int(code): text for code, text in rows} == {c: t.replace("|", "\\|") for c, t in EXIT_CODES.items()}


def test_readme_command_table_lists_each_commands_exit_codes():
    parsers = subparsers()
    rows = readme_table("## Commands")
    seen = set()
    for command, _, codes in rows:
        name = re.match(r"`kg-builder (\w+)", command).group(1)
        listed = {int(c) for c in re.findall(r"(?:^|· )(\d+)\b", codes)}
        if codes != "as build":
            assert listed == set(parsers[name].get_default("exits")) - {70, 130}, (name, listed)
        seen.add(name)
    assert seen == set(COMMANDS)


# ---------------------------------------------------------------- each row reached

def test_0_success(tmp_path):
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "-q"]) == 0


def test_1_the_answer_is_no(seeds_ttl, capsys):
    assert main(["query", str(seeds_ttl), "-e", "ASK { ?s ?p 'no such literal anywhere' }"]) == 1
    assert capsys.readouterr().out.strip() == "false"


def test_2_input_unusable(tmp_path):
    bad = tmp_path / "binary.bin"
    bad.write_bytes(b"\x00\x01\xff")
    proc = run_cli("normalize", str(bad))
    assert proc.returncode == 2
    assert "binary.bin" in one_error_line(proc.stderr.decode(), "E102")
    proc = run_cli("query", str(tmp_path / "missing.ttl"), str(QUERIES / "officials.rq"))
    assert proc.returncode == 2


NEEDS = {"build": ["x", "-o", "kg.ttl"], "validate": ["kg.ttl"], "query": ["kg.ttl", "q.rq"], "remove": ["a.txt", "--store", "s"],
         "evaluate": ["kg.ttl", "--gold", "g"], "viz": ["kg.ttl", "-o", "kg.html"], "serve": ["kg.ttl"],
         "push": ["kg.ttl", "--endpoint", "http://127.0.0.1:9/store"], "normalize": [], "config": []}


@pytest.mark.parametrize("name", COMMANDS)
def test_3_a_misspelt_option_is_bad_usage_for_every_command(name):
    proc = run_cli(name, *NEEDS[name], "--no-valdate")
    assert proc.returncode == 3, (name, proc.stderr)
    line = one_error_line(proc.stderr.decode(), "E200")
    assert "--no-valdate" in line and "--help" in line


@pytest.mark.parametrize("args", [
    ["serve", "kg.ttl", "--port", "99999"],  # was an OverflowError traceback
    ["serve", "kg.ttl", "--timeout", "0"],
    ["build", "x", "-o", "y.ttl", "-j", "0"],
    ["viz", "kg.ttl", "-o", "x.html", "--depth", "-1"],
    ["push", "kg.ttl", "--endpoint", "http://127.0.0.1:9/store", "--retries", "-2"],
    ["query", "kg.ttl"],  # no query: was 3 while README listed 0 and 2
    ["build", "x", "-o", "x.xyz"],
    ["build", "x", "-o", "fmt.ttl", "-f", "nq"],
    ["build", "x"],
    ["config", "--set", "clean.zwnj=ture"],
])
def test_3_bad_values_are_bad_usage_on_one_line(args, tmp_path, seeds_ttl):
    args = [str(seeds_ttl) if a == "kg.ttl" else str(SEEDS) if a == "x" else a for a in args]
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 3, (args, proc.stderr)
    one_error_line(proc.stderr.decode())
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_4_an_output_that_cannot_be_written(tmp_path, seeds_ttl):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = run_cli("build", str(SEEDS), "-o", str(blocker / "kg.ttl"))
    assert proc.returncode == 4
    one_error_line(proc.stderr.decode(), "E400")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        proc = run_cli("serve", str(seeds_ttl), "--port", str(busy.getsockname()[1]))
    finally:
        busy.close()
    assert proc.returncode == 4
    assert "cannot listen" in one_error_line(proc.stderr.decode(), "E420")


def test_70_a_bug_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys, seeds_ttl):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("kg_builder.outputs.query.answer", broken)
    assert main(["query", str(seeds_ttl), "-e", "ASK {}"]) == 70
    line = one_error_line(capsys.readouterr().err, "E900")
    assert "ZeroDivisionError" in line and "--debug" in line
    assert main(["query", str(seeds_ttl), "-e", "ASK {}", "--debug"]) == 70  # still 70, never Python's 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback") and "ZeroDivisionError: division by zero" in err


def test_130_interrupted_leaves_outputs_as_they_were(monkeypatch, capsys, tmp_path):
    out = tmp_path / "kg.ttl"
    out.write_text("old\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("kg_builder.pipeline.run", interrupted)
    assert main(["build", str(SEEDS), "-o", str(out)]) == 130
    one_error_line(capsys.readouterr().err)
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]  # no temporary file left


def test_an_interrupt_a_library_wraps_into_its_own_error_is_still_130(monkeypatch, capsys, tmp_path):
    """A Ctrl-C that lands inside a library's import comes back as that library's error (numpy's Cython
    modules turn it into an ImportError): it is an interrupt, not a bug."""
    import os
    import signal
    import time

    def importing(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise ImportError("numpy.core.multiarray failed to import") from None

    monkeypatch.setattr("kg_builder.pipeline.run", importing)
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "kg.ttl")]) == 130
    line = one_error_line(capsys.readouterr().err)
    assert "[E130]" in line and "E900" not in line
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_python_could_only_print_is_sent_again(monkeypatch, capsys, tmp_path):
    """A Ctrl-C landing in a weakref callback (as in the import system's module locks) is printed as
    "Exception ignored" and lost, and the build went on to the end: it comes again and stops it."""
    import os
    import signal
    import time
    import weakref

    def swallowing(*args, **kwargs):
        class Thing:
            pass

        def callback(ref):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)

        thing = Thing()
        ref = weakref.ref(thing, callback)
        del thing
        time.sleep(5)
        raise AssertionError(f"the interrupt was lost ({ref})")

    monkeypatch.setattr("kg_builder.pipeline.run", swallowing)
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "kg.ttl")]) == 130
    assert "[E130]" in one_error_line(capsys.readouterr().err)


def test_an_interrupt_a_library_swallowed_stops_the_build_at_its_next_report(monkeypatch, capsys, tmp_path):
    """A Cython module's initialisation clears an error raised while it runs: a Ctrl-C landing while spaCy
    was imported was lost and the build ran to the end. The next progress report raises it again."""
    import os
    import signal
    import time

    import kg_builder.pipeline as pipeline

    real, reports = pipeline.expand, []

    def swallowing(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "expand", swallowing)
    monkeypatch.setattr("kg_builder.cli.build._built", reports.append)
    out = tmp_path / "kg.ttl"
    assert main(["build", str(SEEDS), "-o", str(out)]) == 130
    assert "[E130]" in one_error_line(capsys.readouterr().err)
    assert reports == [] and not out.exists()


def test_an_interrupt_while_the_commands_are_imported_is_130_with_one_line(monkeypatch, capsys):
    def importing(name, package=None):
        raise KeyboardInterrupt

    monkeypatch.setattr("kg_builder.cli.import_module", importing)
    assert main(["query", "--help"]) == 130
    assert "[E130]" in one_error_line(capsys.readouterr().err)


def test_main_puts_the_signal_handlers_back():
    import signal

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    assert main(["config"]) == 0
    assert {sig: signal.getsignal(sig) for sig in before} == before


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "config"])
def test_a_bad_set_or_config_file_is_bad_usage_for_every_command(name, tmp_path, seeds_ttl):
    """--set and --config are checked whatever the command, not only by those that read options."""
    args = [str(seeds_ttl) if a == "kg.ttl" else str(SEEDS) if a == "x" else str(tmp_path / a) if a in ("g", "s")
            else a for a in NEEDS[name]]
    proc = run_cli(name, *args, "--set", "nosuch.key=1", cwd=tmp_path)
    assert proc.returncode == 3 and "nosuch.key" in one_error_line(proc.stderr.decode(), "E200")
    bad = tmp_path / "bad.toml"
    bad.write_text("[clean\nzwnj = ")
    proc = run_cli(name, *args, "--config", str(bad), cwd=tmp_path)
    assert proc.returncode == 3 and "bad.toml" in one_error_line(proc.stderr.decode())


def test_a_federated_query_is_refused_not_sent(seeds_ttl, capsys):
    with socket.socket() as listener:  # something listening where the query points: it must not be called
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        sparql = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        assert main(["query", str(seeds_ttl), "-e", sparql]) == 2
        with pytest.raises(TimeoutError):
            listener.accept()
    assert "SERVICE" in one_error_line(capsys.readouterr().err, "E300")
    # the word in a string, an IRI, a variable or a prefixed name is no SERVICE call
    assert main(["query", str(seeds_ttl), "-e", "PREFIX s: <urn:x#> SELECT ?service { ?service s:SERVICE 'SERVICE' }",
                 "--format", "csv"]) == 0


def test_evaluate_with_a_missing_query_folder_is_an_input_error(seeds_ttl, tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    first = min(SEEDS.glob("*.txt")).stem
    (gold / f"{first}.gold.json").write_text('{"officials": [], "statistics": [], "provinces": [], "programs": []}')
    assert main(["evaluate", str(seeds_ttl), "--gold", str(gold), "--queries", str(tmp_path / "none")]) == 2
    assert "cannot read the contract query" in one_error_line(capsys.readouterr().err, "E300")


def test_remove_never_turns_a_folder_of_files_into_a_store(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert main(["remove", "a.txt", "--store", str(folder)]) == 2
    assert "not an Oxigraph store" in one_error_line(capsys.readouterr().err, "E300")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert main(["build", str(SEEDS), "--store", str(folder)]) == 4
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["remove", "a.txt", "--store", str(empty)]) == 2  # remove makes no store, even in an empty folder
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("signal_name,jobs", [("SIGINT", 2), ("SIGTERM", 1)])
def test_a_signal_stops_a_running_build(signal_name, jobs, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops a -j 2 build, SIGTERM a
    -j 1 build: one line, nothing written, no temporary file, no worker left waiting. After Ctrl-C the
    process ends by SIGINT (a shell shows 130 and stops a loop running it), after SIGTERM it exits 130."""
    import os
    import shutil
    import signal
    import time

    src = tmp_path / "in"
    src.mkdir()
    for i in range(60):
        for f in sorted((ROOT / "tests" / "articles").glob("*.txt")):
            shutil.copy(f, src / f"{i:03d}_{f.name}")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "kg_builder", "build", str(src), "-o", str(out / "kg.ttl"),
                             "-j", str(jobs), "-v"], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            start_new_session=True, text=True)
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # -v says when the articles start
        if "articles to build" in line or time.monotonic() > deadline:
            break
    time.sleep(0.5)
    if signal_name == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"the build hung after {signal_name}") from None
    assert proc.returncode == (-signal.SIGINT if signal_name == "SIGINT" else 130), err
    assert "interrupted" in err and "Traceback" not in err
    assert list(out.iterdir()) == []
