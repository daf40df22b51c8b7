"""Which files a build reads: said clearly, what is read, what is passed over and why."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SEEDS

from kg_builder.cli import main
from kg_builder.pipeline import expand

ARTICLES = sorted(SEEDS.glob("*.txt"))


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg_builder", *args], check=False, input=stdin, capture_output=True, text=False,
                          timeout=300)


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    (d / "drafts").mkdir(parents=True)
    shutil.copy(ARTICLES[0], d / "a.txt")
    shutil.copy(ARTICLES[1], d / "b.md")
    shutil.copy(ARTICLES[2], d / "drafts" / "c.txt")
    (d / "meta.json").write_text('{"headline": "x"}')
    (d / "page.html").write_text("<html lang='fa'></html>")
    return d


def test_files_passed_over_are_counted_and_listed_with_verbose(folder, tmp_path, capsys):
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl")]) == 0
    out, err = capsys.readouterr()
    assert "note: 3 files in the directories given not read" in err
    assert "1 .json" in err and "1 .html" in err and "1 .md" in err
    assert "articles:  2 built" in out
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl"), "-v"]) == 0
    err = capsys.readouterr().err
    for name in ("meta.json", "page.html", "b.md"):
        assert f"not read (matches no --include pattern): {folder / name}" in err
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_include_and_exclude(folder):
    picked = expand([folder], ["*.txt", "*.md"], ["drafts/*"])
    assert [f.name for f in picked.files] == ["a.txt", "b.md"]
    assert sorted(f.name for f in picked.passed_over) == ["c.txt", "meta.json", "page.html"]
    assert [f.name for f in expand([folder], ["*.txt"], ["c.*"]).files] == ["a.txt"]


def test_include_and_exclude_on_the_command_line(folder, tmp_path):
    proc = run_cli("build", str(folder), "--include", "*.md", "--include", "*.txt", "--exclude", "drafts/*",
                   "-o", str(tmp_path / "kg.ttl"), "-v")
    assert proc.returncode == 0
    assert b"articles:  2 built" in proc.stdout
    assert f"not read (matches no --include pattern): {folder / 'drafts' / 'c.txt'}" in proc.stderr.decode()


def test_a_structured_file_named_directly_is_refused_by_name(folder, tmp_path):
    proc = run_cli("build", str(folder / "a.txt"), str(folder / "meta.json"), "-o", str(tmp_path / "kg.ttl"))
    assert proc.returncode == 2
    line = proc.stderr.decode().strip().splitlines()[0]
    assert "meta.json" in line and "not a plain-text article" in line and line.endswith("[E105]")
    assert b"articles:  1 built" in proc.stdout
    # any other suffix named directly is read as text (a user may keep articles as .md or without suffix)
    assert main(["build", str(folder / "b.md"), "-o", str(tmp_path / "md.ttl"), "-q"]) == 0


def test_a_list_of_paths_from_a_file_or_stdin(folder, tmp_path, capsys, monkeypatch):
    listing = tmp_path / "files.txt"
    listing.write_text(f"# the articles to build\n{folder / 'a.txt'}\n\n{folder / 'drafts' / 'c.txt'}\n")
    for args in (["--from-list", str(listing)], [f"@{listing}"], ["--from-list", "-"]):
        monkeypatch.setattr("sys.stdin", io.StringIO(listing.read_text()))
        assert main(["build", *args, "-o", str(tmp_path / "kg.ttl")]) == 0, args
        assert "articles:  2 built" in capsys.readouterr().out


def test_nothing_named_is_bad_usage():
    proc = run_cli("build", "-o", "kg.ttl")
    assert proc.returncode == 3 and b"name the articles" in proc.stderr


def test_an_at_list_skips_blank_lines_and_comments_as_from_list_does(folder, tmp_path):
    listing = tmp_path / "files.txt"
    listing.write_text(f"# the articles\n\n{folder / 'a.txt'}\n  # drafts\n{folder / 'drafts' / 'c.txt'}\n")
    proc = run_cli("build", f"@{listing}", "-o", str(tmp_path / "kg.ttl"))
    assert proc.returncode == 0, proc.stderr
    assert b"articles:  2 built" in proc.stdout


def test_exclude_names_a_folder_too(folder):
    assert [f.name for f in expand([folder], ["*.txt"], ["drafts"]).files] == ["a.txt"]


@pytest.mark.parametrize("name", ["", "a/b.txt", "..", " x.txt"])
def test_a_stdin_name_that_is_no_file_name_is_bad_usage(name, tmp_path):
    proc = run_cli("build", "-", "--stdin-name", name, "-o", str(tmp_path / "kg.ttl"), stdin=ARTICLES[0].read_bytes())
    assert proc.returncode == 3 and b"--stdin-name" in proc.stderr
    assert not (tmp_path / "kg.ttl").exists()


def test_a_file_name_ending_in_a_newline_is_built(tmp_path, capsys):
    """A file name ending in a newline once gave an IRI with a newline in it, and the batch died (E900)."""
    odd = tmp_path / "article\n"
    shutil.copy(ARTICLES[0], odd)
    shutil.copy(ARTICLES[1], tmp_path / "b.txt")
    assert main(["build", str(odd), str(tmp_path / "b.txt"), "-o", str(tmp_path / "kg.nt")]) == 0
    assert "articles:  2 built" in capsys.readouterr().out
    assert all("\n" not in iri for line in (tmp_path / "kg.nt").read_text().splitlines()
               for iri in re.findall(r"<([^>]*)>", line))


def test_special_files_and_oversized_files_are_refused_by_name(tmp_path, capsys):
    """A FIFO named as input hung the build forever; /dev/zero or a huge file took minutes and gigabytes."""
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    shutil.copy(ARTICLES[0], tmp_path / "a.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(ARTICLES[1].read_bytes() * 3)
    args = ["build", str(fifo), "/dev/zero", str(tmp_path / "a.txt"), str(big), "-o", str(tmp_path / "kg.ttl"),
            "--set", f"read.max_bytes={len(ARTICLES[1].read_bytes()) * 2}"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{fifo}: not a regular file" in err and "/dev/zero: not a regular file" in err and "[E106]" in err
    assert f"{big}: " in err and "more than read.max_bytes" in err and "[E107]" in err
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "kg2.ttl"), "-q"]) == 2  # in a folder too
    assert "[E106]" in capsys.readouterr().err


def test_an_oversized_article_on_stdin_is_refused(tmp_path):
    proc = run_cli("build", "-", "-o", str(tmp_path / "kg.ttl"), "--set", "read.max_bytes=100",
                   stdin=ARTICLES[0].read_bytes())
    assert proc.returncode == 2 and b"[E107]" in proc.stderr


def test_a_link_out_of_an_input_folder_is_not_followed_unless_asked(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    outside = tmp_path / "secret.txt"
    shutil.copy(ARTICLES[0], outside)
    shutil.copy(ARTICLES[1], folder / "a.txt")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "alias.txt").symlink_to(folder / "a.txt")  # inside the folder: read
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl")]) == 2
    out, err = capsys.readouterr()
    assert f"{folder / 'leak.txt'}: a link out of" in err and "[E108]" in err
    assert "articles:  2 built" in out  # a.txt and the link alias.txt
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl"), "--set", "read.follow_links=true", "-q"]) == 0
