"""Command line: a thin layer that turns library results and errors into output and exit codes.

The only code in kg_builder that parses arguments, prints, writes to stdout/stderr or chooses an
exit code (tests/test_layering.py checks it). One module per command, each with
``add_parser(subparsers)`` and ``run(args) -> int``; the library modules they call return
results or raise the typed errors of ``kg_builder.errors``, which ``main`` turns into one line
on stderr and an exit code.

Exit codes: one table, ``EXIT_CODES``, the same meaning for every command (README's table and
each command's ``--help`` are made from it and tests hold them to it):
    0    success
    1    the answer is no: the graph does not conform to the shapes, an ASK query is false
    2    input could not be used: a file skipped, a graph, store, query or gold file not readable
    3    bad usage: an unknown or malformed option or configuration (nothing was done)
    4    an output could not be written: a file, a store, a server that refused or could not be reached
    70   internal error: a bug in kg-builder (``--debug`` shows the traceback)
    130  interrupted (Ctrl-C or SIGTERM): nothing half-written is left (after Ctrl-C the process ends by
         SIGINT, which a shell shows as 130; see ``run``)

Errors map to codes by class: ``ConfigError`` 3, ``OutputError`` 4, any other ``KgError`` 2.
Building the parser imports no heavy library (spaCy, rdflib, pyoxigraph, matplotlib): each command
imports what it needs inside ``run``, so ``kg-builder --help`` is fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from functools import partial
from importlib import import_module
from pathlib import Path

from .. import __version__
from ..errors import ConfigError, KgError, OutputError
from ..text.controls import shown

EXIT_OK, EXIT_NO, EXIT_INPUT, EXIT_USAGE, EXIT_OUTPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 70, 130
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_NO: "the answer is no: the graph does not conform to the shapes, an ASK query is false",
    EXIT_INPUT: "input could not be used: a file skipped, a graph, store, query or gold file not readable",
    EXIT_USAGE: "bad usage: an unknown or malformed option or configuration; nothing was done",
    EXIT_OUTPUT: "an output could not be written: a file, a store, a server that refused or could not be reached",
    EXIT_BUG: "internal error: a bug in kg-builder (--debug shows the traceback; please report it)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C or SIGTERM): nothing half-written is left; after Ctrl-C the process "
                      "ends by SIGINT, which shells show as 130",
}

# The commands, in the order --help lists them: kg_builder/cli/<name>.py
COMMANDS: tuple[str, ...] = ("build", "validate", "query", "remove", "evaluate", "viz", "serve", "push", "normalize",
                             "config")

_log_level = 1  # 0 quiet, 1 normal, 2 verbose: set from -q/-v by main


def err(message: str) -> None:
    """One line on stderr, prefixed with the program's name (always shown, also under --quiet)."""
    print(f"kg-builder: {shown(message)}", file=sys.stderr, flush=True)


def info(message: str) -> None:
    """A line on stderr shown with -v/--verbose only."""
    if _log_level >= 2:
        print(f"kg-builder: {shown(message)}", file=sys.stderr, flush=True)


def quiet() -> bool:
    """True under -q/--quiet: print nothing but errors (and the answer a command exists to give)."""
    return _log_level == 0


def interactive() -> bool:
    """True on a terminal outside CI and not quiet: progress bars are worth drawing."""
    return sys.stderr.isatty() and not os.environ.get("CI") and _log_level > 0


@contextmanager
def working(what: str):
    """A long step of a command: a spinner with the time spent on a terminal, its duration with -v,
    nothing in pipes and CI."""
    started = time.monotonic()
    if interactive():
        from rich.console import Console

        with Console(stderr=True).status(f"{what} ...", spinner="dots"):
            yield
    else:
        yield
    info(f"{what}: {time.monotonic() - started:.1f} s")


def is_stdout(path: str | None) -> bool:
    """True for ``-`` and for a path naming this process's stdout (/dev/stdout, /proc/self/fd/1 ...):
    what else the command prints must then go to stderr."""
    if not path:
        return False
    if path == "-":
        return True
    try:
        named, out = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no such file yet, or stdout is no file (tests)
        return False
    return (named.st_dev, named.st_ino) == (out.st_dev, out.st_ino)


def writable(path: str | None) -> None:
    """Fail before any work when an output file cannot be written where it is named (stdout: ``-``)."""
    if path and path != "-":
        from ..outputs.serialize import check_writable

        check_writable(path)


def overrides(pairs: list[str] | None) -> dict[str, str]:
    """``--set SECTION.KEY=VALUE`` options as a dict for ``config.load``."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set expects SECTION.KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def options(args: argparse.Namespace):
    """The typed options of ``--config FILE`` and ``--set`` (``kg_builder.config.Config``)."""
    from ..config import load

    return load(overrides(args.set), args.config)


# argument types: a wrong value is a usage error (exit 3) naming the option, never a traceback
def _number(kind, low: float, high: float, says: str, *, above: bool = False):
    """An argparse type: a ``kind`` from ``low`` (or above it) to ``high``; NaN and infinity are no numbers."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high or (above and value == low) or value == float("inf"):
            raise argparse.ArgumentTypeError(f"takes {says}, not {text!r}")
        return value

    return parse


_NO_LIMIT = float("inf")
port = _number(int, 0, 65535, "a port number from 0 to 65535 (0: any free port)")
positive_int = _number(int, 1, _NO_LIMIT, "a whole number from 1")
natural = _number(int, 0, _NO_LIMIT, "a whole number from 0")
positive_float = _number(float, 0, _NO_LIMIT, "a number of seconds above 0", above=True)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, with the error code, and exit 3 (argparse's own 2
    means "input could not be used" here)."""

    def error(self, message: str):
        cmd = self.prog.removeprefix("kg-builder").strip()
        where = f"kg-builder {cmd} --help" if cmd else "kg-builder --help"
        err(f"{cmd + ': ' if cmd else ''}{message} ({where} shows the options) [{ConfigError.code}]")
        raise SystemExit(EXIT_USAGE)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's and epilog's lines and shows each option's default (when it has one)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if ("default" not in text and action.default not in (None, False, True, argparse.SUPPRESS)
                and action.default != [] and action.option_strings):
            text += " (default: %(default)s)"
        return text


def _common() -> argparse.ArgumentParser:
    """Options every command takes."""
    c = argparse.ArgumentParser(add_help=False)
    g = c.add_argument_group("common options")
    level = g.add_mutually_exclusive_group()
    level.add_argument("-q", "--quiet", action="store_const", const=0, dest="log_level",
                       help="print nothing but errors and the answer itself")
    level.add_argument("-v", "--verbose", action="store_const", const=2, dest="log_level",
                       help="say what is read, skipped and done, phase by phase, on stderr")
    g.add_argument("--config", metavar="FILE", help="options from a TOML file (kg-builder config prints them all)")
    g.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override one option (repeatable)")
    g.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    return c


def command(subparsers, name: str, *, help: str, description: str, examples: list[str],
            exits: dict[int, str]) -> argparse.ArgumentParser:
    """A command's parser: its description, the common options, and an epilog with examples and the
    exit codes it gives (each a row of ``EXIT_CODES``, said for this command)."""
    unknown = set(exits) - set(EXIT_CODES)
    if unknown:
        raise ValueError(f"{name}: exit codes {sorted(unknown)} are not in EXIT_CODES")
    rows = {**exits, EXIT_USAGE: exits.get(EXIT_USAGE, EXIT_CODES[EXIT_USAGE]),
            EXIT_BUG: EXIT_CODES[EXIT_BUG], EXIT_INTERRUPTED: EXIT_CODES[EXIT_INTERRUPTED]}
    epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples) + "\n\nexit codes:\n" + "\n".join(
        f"  {code:<4} {rows[code]}" for code in sorted(rows))
    p = subparsers.add_parser(name, help=help, description=description, epilog=epilog, formatter_class=_Formatter,
                              parents=[_common()])
    p.set_defaults(log_level=1, exits=rows)
    return p


def parser() -> argparse.ArgumentParser:
    """The ``kg-builder`` parser with every command's subparser (each sets ``func`` to its ``run``)."""
    ap = _Parser(prog="kg-builder", formatter_class=_Formatter,
                 description="Persian news articles to a validated, queryable knowledge graph with exact provenance.",
                 epilog="exit codes (the same for every command):\n" + "\n".join(
                     f"  {code:<4} {text}" for code, text in EXIT_CODES.items())
                 + "\n\nkg-builder COMMAND --help shows a command's options, examples and exit codes.")
    ap.add_argument("--version", action="version", version=f"kg-builder {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        import_module(f".{name}", __name__).add_parser(sub)
    return ap


_stopped_by: int | None = None  # the signal that interrupted the running command, if one did


def _interrupt(signum, frame):
    global _stopped_by
    _stopped_by = signum
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code; the signal handlers it sets are put back afterwards
    (``run`` is the program's entry point)."""
    global _log_level, _stopped_by
    _stopped_by = None
    # Ctrl-C and SIGTERM (a service manager, kill) stop a command: temporary files dropped, outputs left as
    # they were. A Ctrl-C that comes ignored (a background job of a script) stays ignored; serve sets its
    # own handlers, stopping being how it ends.
    previous, hook = {}, sys.unraisablehook
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            if not (sig == signal.SIGINT and signal.getsignal(sig) is signal.SIG_IGN):
                previous[sig] = signal.signal(sig, _interrupt)
        sys.unraisablehook = partial(_unraisable, hook)
    try:
        try:
            args = parser().parse_args(argv)
        except KeyboardInterrupt:  # while the commands' modules were being imported
            return _interrupted()
        _log_level = args.log_level
        return _run(args)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        sys.unraisablehook = hook


def _unraisable(hook, unraisable) -> None:
    """An interrupt raised where Python can only print an exception (a weakref callback of the import
    system, a ``__del__``) would be lost and the command would go on: the signal is sent again, a moment
    later so that it is not raised inside this hook, where it would be lost too."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _stopped_by is not None:
        threading.Timer(0.01, os.kill, (os.getpid(), _stopped_by)).start()
    else:
        hook(unraisable)


def heeding(callback):
    """``callback`` (a progress report the library calls as it works), first raising an interrupt that a
    library swallowed: a Cython module's initialisation clears any error raised while it runs, so a Ctrl-C
    that lands while spaCy is imported is lost and the build would go on to the end."""
    def heeded(*args):
        if _stopped_by is not None:
            raise KeyboardInterrupt
        return callback(*args)
    return heeded


def run() -> int:
    """The program: ``kg-builder`` and ``python -m kg_builder`` exit with what this returns.

    An interrupted command ends the way shells expect, whenever the signal came: after Ctrl-C the process
    ends by SIGINT (a shell shows 130 and stops a loop that ran it), after SIGTERM it exits with 130. It
    ends at once, as CPython would otherwise end it by SIGINT or exit 130 depending on whether a library
    was being imported when the signal came. Once the command is done, a late Ctrl-C or SIGTERM cannot
    turn its result into a failure."""
    try:
        code = main()
    except KeyboardInterrupt:  # in the instant between the command's end and here
        code = _interrupted()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        if _stopped_by in (None, signal.SIGINT):
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(EXIT_INTERRUPTED)
    return code


def _interrupted() -> int:
    err("interrupted; outputs left as they were [E130]")
    return EXIT_INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    """The command, its errors turned into one line and an exit code."""
    try:
        options(args)  # --config and --set are checked whatever the command (a typo is never ignored)
        return args.func(args)
    except ConfigError as e:
        err(str(e))
        return EXIT_USAGE
    except OutputError as e:
        err(str(e))
        return EXIT_OUTPUT
    except KgError as e:
        err(str(e))
        return EXIT_INPUT
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, and keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as e:
        if _stopped_by is not None:  # the interrupt, wrapped by a library into an error of its own
            return _interrupted()
        if args.debug:
            traceback.print_exc()
            return EXIT_BUG
        where = e.__traceback__
        while where.tb_next:
            where = where.tb_next
        err(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} at "
            f"{Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno} (a bug; --debug shows the traceback) "
            "[E900]")
        return EXIT_BUG
