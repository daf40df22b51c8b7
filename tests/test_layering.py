"""A library that never prints: argument parsing, printing, exiting and writing to stdout/stderr live in
kg_builder/cli/ only; every other module returns results or raises kg_builder.errors.

Each module is parsed with ``ast`` (not imported), so the check costs nothing and sees every branch.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg_builder"
CLI = PACKAGE / "cli"

# Known violations in code this change does not own, to be moved into kg_builder/cli/ by its owner:
KNOWN: set[tuple[str, str]] = set()  # (module, what) allowed outside cli/: none

STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}
EXITS = {"exit", "quit"}


def _dotted(node: ast.AST) -> str | None:
    """``sys.stdout.write`` for the expression ``sys.stdout.write``, None for anything not a plain name chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def violations(tree: ast.AST) -> set[tuple[int, str]]:
    """(line, what) for every import of argparse, print(), exit, SystemExit and use of sys.stdout/stderr."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "argparse":
                    found.add((node.lineno, "imports argparse"))
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] == "argparse":
                found.add((node.lineno, "imports argparse"))
            if node.module == "sys":
                for alias in node.names:
                    if alias.name in STREAMS:
                        found.add((node.lineno, f"writes to sys.{alias.name}"))
                    if alias.name == "exit":
                        found.add((node.lineno, "calls sys.exit()"))
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name == "print":
                found.add((node.lineno, "calls print()"))
            elif name in EXITS or name in ("sys.exit", "os._exit"):
                found.add((node.lineno, f"calls {name}()"))
        elif isinstance(node, ast.Attribute):
            name = _dotted(node)
            if name in {f"sys.{s}" for s in STREAMS}:
                found.add((node.lineno, f"writes to {name}"))
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _dotted(exc) == "SystemExit":
                found.add((node.lineno, "raises SystemExit"))
    return found


def library_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if CLI not in p.parents)


def test_the_library_never_prints_parses_arguments_or_exits():
    problems = []
    for path in library_modules():
        rel = path.relative_to(PACKAGE).as_posix()
        for line, what in sorted(violations(ast.parse(path.read_text(encoding="utf-8"), str(path)))):
            if (rel, what) not in KNOWN:
                problems.append(f"kg_builder/{rel}:{line}: {what} (belongs in kg_builder/cli/)")
    assert not problems, "\n".join(problems)


def test_the_entry_point_only_hands_over_to_the_cli():
    tree = ast.parse((PACKAGE / "__main__.py").read_text(encoding="utf-8"))
    assert not violations(tree)
    assert "kg_builder.cli" in ast.unparse(tree)


@pytest.mark.parametrize("source, expected", [
    ("import argparse", "imports argparse"),
    ("from argparse import ArgumentParser", "imports argparse"),
    ("print('x')", "calls print()"),
    ("import sys\nsys.exit(1)", "calls sys.exit()"),
    ("exit(0)", "calls exit()"),
    ("quit()", "calls quit()"),
    ("import sys\nsys.stdout.write('x')", "writes to sys.stdout"),
    ("import sys\nf(file=sys.stderr)", "writes to sys.stderr"),
    ("from sys import stderr", "writes to sys.stderr"),
    ("raise SystemExit(2)", "raises SystemExit"),
])
def test_the_check_sees_each_kind(source, expected):
    assert {what for _, what in violations(ast.parse(source))} == {expected}


def test_the_check_lets_library_code_pass():
    clean = "import sys\nlog = None\ndef f(stream):\n    stream.write('x')\n    return sys.version\n"
    assert violations(ast.parse(clean)) == set()


def test_help_imports_no_heavy_library():
    code = ("import sys\nfrom kg_builder.cli import parser\nparser()\n"
            "heavy = {'spacy', 'rdflib', 'pyoxigraph', 'matplotlib', 'networkx', 'hazm', 'pyshacl'}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
