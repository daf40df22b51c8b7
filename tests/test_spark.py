"""The Spark engine (``--engine spark``): the same bytes as the local engine, bad inputs skipped with
the same errors, and Spark's own failures as one clear error.

One SparkContext (``local[2]``) serves the module: the engines and the command line run in this
process use it. Skipped, saying why, only when no Java 17+ is found; pyspark is in the test extra,
so its absence fails."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SEEDS

from kg_builder.cli import main
from kg_builder.config import load
from kg_builder.errors import PackError
from kg_builder.pipeline import Job

ARTICLES = ROOT / "tests" / "articles"
SKIPPED = re.compile(r"^kg-builder: skipped .*$", re.MULTILINE)


@pytest.fixture(scope="module")
def spark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("pyspark is missing: it is in the test extra (pip install -e '.[test]')")
    from kg_builder.spark import Spark, java, pyspark_version

    needed = 17 if pyspark_version()[0] >= 4 else 8
    exe, version = java()
    if exe is None or (version is not None and version < needed):
        pytest.skip(f"the Spark engine needs Java {needed}+ and found {exe or 'none'} ({version}): "
                    "apt-get install openjdk-17-jre-headless (.ci/run does)")
    with Spark("local[2]", per_task=2) as engine:
        yield engine
    from pyspark import SparkContext

    assert SparkContext._active_spark_context is None  # the engine stopped the context it started


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The sample and test articles, three unusable files and a missing path."""
    bad = tmp_path_factory.mktemp("bad")
    # Latin-1 French: text in no encoding read (UTF-16, unusable until issue 15, is read now)
    (bad / "latin1.txt").write_bytes("Le ministère a annoncé une réforme à Paris.".encode("latin-1"))
    (bad / "empty.txt").write_text("  \n", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02")
    return [str(SEEDS), str(ARTICLES), str(bad), str(bad / "missing.txt")]


@pytest.fixture(scope="module")
def local(inputs, tmp_path_factory):
    """The local engine's outputs (-j 2, in a process of its own), per suffix: (folder, exit code, stdout, stderr)."""
    out = {}
    for suffix in ("trig", "ttl"):
        d = tmp_path_factory.mktemp(f"local-{suffix}")
        proc = subprocess.run([sys.executable, "-m", "kg_builder", "build", *inputs, "-o", str(d / f"kg.{suffix}"),
                               "-j", "2"], check=False, capture_output=True, text=True,
                              timeout=600)
        out[suffix] = d, proc.returncode, proc.stdout, proc.stderr
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("suffix", ["trig", "ttl"])
def test_same_bytes_as_local(spark, inputs, local, tmp_path, capsys, suffix):
    d, code, stdout, stderr = local[suffix]
    out = tmp_path / f"kg.{suffix}"
    assert main(["build", *inputs, "-o", str(out), "--engine", "spark", "--spark-master", "local[2]"]) == code == 2
    got = capsys.readouterr()
    mine = files(tmp_path)
    assert mine.keys() == files(d).keys()
    for name, data in files(d).items():
        assert mine[name] == data, f"{name} differs from the local engine's"
    assert len(mine[f"kg.{suffix}"]) > 100_000
    # the same articles built, the same inputs skipped with the same errors
    assert SKIPPED.findall(got.err) == SKIPPED.findall(stderr) and len(SKIPPED.findall(stderr)) == 4
    assert got.out.replace(str(tmp_path), "OUT") == stdout.replace(str(d), "OUT")
    assert "articles:  17 built, 4 skipped" in got.out
    from pyspark import SparkContext

    assert SparkContext._active_spark_context is not None  # a context it did not start is left running


def test_executors_read_the_files(spark, inputs, local, tmp_path):
    """``read="executors"``: paths shipped, not bytes; the same graph."""
    from kg_builder.outputs.serialize import FileSink
    from kg_builder.pipeline import run
    from kg_builder.spark import Spark

    out = tmp_path / "kg.trig"
    summary = run(inputs, FileSink(out), load(), engine=Spark("local[2]", read="executors", per_task=3),
                  keep_going=True)
    assert summary.articles == 17 and len(summary.errors) == 4
    assert out.read_bytes() == (local["trig"][0] / "kg.trig").read_bytes()


def test_order_kept_and_stopping_early(spark):
    """Articles come in the files' order across waves; a consumer that stops early stops the work."""
    files_ = sorted(SEEDS.glob("*.txt")) + sorted(ARTICLES.glob("*.txt"))
    job = Job(load(), validate=False)
    articles = spark.map(files_, job)
    first = [next(articles).source for _ in range(5)]
    articles.close()
    assert first == [f.name for f in files_[:5]]
    assert [a.source for a in spark.map(files_[:3], job)] == [f.name for f in files_[:3]]  # still usable


def test_file_the_driver_cannot_read(spark, tmp_path):
    """A file gone (or a directory) between listing and reading: the same error as the local engine's."""
    from kg_builder.engines import Local

    (tmp_path / "dir.txt").mkdir()
    files_ = [tmp_path / "gone.txt", min(SEEDS.glob("*.txt")), tmp_path / "dir.txt"]
    job = Job(load(), validate=False)
    mine = [(a.source, str(a.error) if a.error else None, a.nquads) for a in spark.map(files_, job)]
    assert mine == [(a.source, str(a.error) if a.error else None, a.nquads) for a in Local().map(files_, job)]
    assert "[E101]" in mine[0][1] and mine[1][1] is None and "[E101]" in mine[2][1]


def test_failed_job_is_one_clear_error(spark, tmp_path, monkeypatch):
    """The executors cannot unpickle the job (a module they lack, as when kg-builder is not installed
    on them): the Spark job fails and the error says why, in one line."""
    from kg_builder.spark import SparkJobError

    (tmp_path / "kg_absent_on_executors.py").write_text(
        "from kg_builder.pipeline import Job\n\nclass FarJob(Job):\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import kg_absent_on_executors

    with pytest.raises(SparkJobError) as caught:
        list(spark.map(sorted(SEEDS.glob("*.txt")), kg_absent_on_executors.FarJob(load())))
    message = str(caught.value)
    assert "No module named 'kg_absent_on_executors'" in message and "installed on the executors" in message
    assert "\n" not in message and caught.value.code == "E411"


def test_error_on_executor_raised_again(spark):
    """What ``extract`` raises on an executor is raised on the driver, with the executor's traceback."""
    config = load()
    config = dataclasses.replace(config, domain=dataclasses.replace(config.domain, packs=("/nonexistent/pack.toml",)))
    with pytest.raises(PackError) as caught:
        list(spark.map(sorted(SEEDS.glob("*.txt")), Job(config)))
    assert "Spark executor" in "".join(getattr(caught.value, "__notes__", []))


def test_no_java_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYSPARK_PYTHON"}
    env["JAVA_HOME"] = str(tmp_path / "no-java")
    proc = subprocess.run([sys.executable, "-m", "kg_builder", "build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"),
                           "--engine", "spark", "--spark-master", "local[2]"], check=False, capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1
    assert re.match(r"kg-builder: the spark engine needs pyspark and Java \d+\+: pip install 'kg-builder\[spark\]'",
                    proc.stderr)
    assert "[E210]" in proc.stderr and not (tmp_path / "kg.ttl").exists()


def test_no_pyspark_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark fails
    assert main(["build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--engine", "spark"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'kg-builder[spark]'" in err and "[E210]" in err
    assert not (tmp_path / "kg.ttl").exists()
