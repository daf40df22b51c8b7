"""Writing graphs (reading them is ``data``'s): pyoxigraph on the hot path, atomic files, same bytes for same input.

A build's quads come in a fixed order (shared entities by key, then each article's graph
in input order), so they are written as they are; an rdflib graph is sorted first. Files
are written through a temporary file and a rename: never half-written.
"""

from __future__ import annotations

import json
import operator
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from glob import escape as glob_escape
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from ..errors import ConfigError, OutputError
from ..processes import process_alive
from ..terms import from_graph, from_ox, new_graph, to_ox
from ..text.controls import xml_safe
from ..vocab import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
}
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld", ".json": "jsonld",
            ".rdf": "xml", ".owl": "xml"}
DATASET_FORMATS = {"trig", "nq", "nquads"}
__all__ = ["FORMATS", "SUFFIXES", "DATASET_FORMATS", "dumps", "write", "write_atomic", "format_for", "choose_format", "quads",
           "target", "check_writable", "quarantine_path", "to_ox"]


def quads(graph: Graph, quarantine: Graph | None = None) -> list[ox.Quad]:
    """An rdflib graph (and its quarantine) as a dataset: each article's facts in the article's named
    graph, shared entities in the default graph, quarantined facts in the article's quarantine graph."""
    return from_graph(graph) + (from_graph(quarantine, quarantine=True) if quarantine is not None else [])


def _as_quads(data: Graph | Iterable[ox.Quad]) -> list[ox.Quad]:
    return quads(data) if isinstance(data, Graph) else list(data)


def dumps(data: Graph | Sequence[ox.Quad], fmt: str = "turtle", quarantine: Graph | Sequence[ox.Quad] = ()) -> bytes:
    """Serialise a build's quads (or an rdflib graph); the same data gives the same bytes.

    Dataset formats (TriG, N-Quads) keep each article's named graph and carry the quarantine
    too; graph formats hold the union of the articles, quarantine apart.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    prefixes = _prefixes()
    rdf_format = FORMATS[fmt]
    if fmt in DATASET_FORMATS:
        held = from_graph(quarantine, quarantine=True) if isinstance(quarantine, Graph) else list(quarantine)
        data = _as_quads(data) + held
        if rdf_format == ox.RdfFormat.TRIG:
            return ox.serialize(data, format=rdf_format, prefixes=prefixes)
        return ox.serialize(data, format=rdf_format)
    triples = list(dict.fromkeys(q.triple for q in _as_quads(data)))
    if fmt == "jsonld":
        return jsonld(triples)
    if rdf_format == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    if rdf_format == ox.RdfFormat.RDF_XML:
        return rdf_xml(triples)
    return ox.serialize(triples, format=rdf_format)


def rdf_xml(triples: Sequence[ox.Triple]) -> bytes:
    """RDF/XML that every XML parser reads: pyoxigraph writes a literal's characters as they are, and a
    control character (a form feed, ESC) from a file name or a query is not well-formed XML 1.0, not
    even as a character reference; such a character is written as U+FFFD."""
    return xml_safe(ox.serialize(triples, format=ox.RdfFormat.RDF_XML).decode("utf-8")).encode("utf-8")


def _prefixes() -> dict[str, str]:
    # data IRIs are written in full: a prefixed name would have to escape their slashes
    return dict(sorted((p, ns) for p, ns in PREFIXES.items() if p != "kg"))


STREAMED = {"turtle", "ttl", "nt", "ntriples", "nq", "nquads", "trig"}


def header(fmt: str) -> bytes:
    """What a streamed file begins with: the prefixes of Turtle and TriG, nothing for the others."""
    if FORMATS[fmt] not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return b""
    probe = ox.Triple(ox.NamedNode("urn:x:probe"), ox.NamedNode("urn:x:probe"), ox.Literal(""))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    return _split_prefixes(text)[0]


def _split_prefixes(text: bytes) -> tuple[bytes, bytes]:
    """(the leading @prefix lines, the rest) of Turtle or TriG as pyoxigraph writes it."""
    at = 0
    while text.startswith(b"@prefix ", at):
        at = text.index(b"\n", at) + 1
    return text[:at], text[at:]


def chunk(quads: Sequence[ox.Quad], fmt: str) -> bytes:
    """``quads`` as a piece of a streamed file in ``fmt`` (no prefix lines: ``header`` has them). A
    graph format holds their triples; a dataset format their graphs."""
    if not quads:
        return b""
    rdf_format = FORMATS[fmt]
    data = quads if fmt in DATASET_FORMATS else [q.triple for q in quads]
    if rdf_format == ox.RdfFormat.RDF_XML:
        return rdf_xml(data)
    if rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(data, format=rdf_format)
    return _split_prefixes(ox.serialize(data, format=rdf_format, prefixes=_prefixes()))[1]


class FileSink:
    """Writes a graph file as the articles come (a pipeline sink), through temporary files renamed at
    the end: never half-written. Turtle and N-Triples hold the union of the articles' graphs and
    the shared entities, the quarantine in a file of its own beside (kg.quarantine.ttl); TriG and
    N-Quads hold the dataset, quarantine graphs inside. JSON-LD and RDF/XML cannot be streamed:
    their quads are kept and written at the end.

    A ``stream`` (stdout), or a path that must be written through (``target``: /dev/stdout, a FIFO),
    is written as the articles come: there is nothing to rename, and a special file must never be
    replaced by a regular one. A symbolic link to a file stays a link: the file it names is replaced.
    A graph format on a stream has no place for the quarantine: ``held_unwritten`` counts the
    quarantined quads left out (a dataset format carries them)."""

    def __init__(self, path: str | Path, fmt: str | None = None, stream: BinaryIO | None = None):
        self.path = Path(path)
        if self.path.is_dir():
            raise OutputError("is a directory, not a file to write", str(self.path))
        self.fmt = format_for(path, fmt)
        self.streamed = self.fmt in STREAMED
        self.formats = (self.fmt,) if self.streamed else ()
        self._target, through = target(self.path)
        self._direct = stream or through
        self.held_path = quarantine_path(self.path) if self.fmt not in DATASET_FORMATS and not self._direct else None
        self._quads: list[ox.Quad] = []
        self._held: list[ox.Quad] = []
        self._held_out = None  # opened at the first quarantined fact
        self.held_written: Path | None = None
        self.held_unwritten = 0
        if self._direct:
            self._out = (None, stream or self._open_special())
        else:
            # opened now, before any work, so that an unwritable output fails at once; a format written
            # at the end makes and drops the same temporary file to know the same
            self._out = self._open(self._target)
            if not self.streamed:
                self.abort()
        if self._out and self.streamed:
            self._write(header(self.fmt))

    def _open_special(self) -> BinaryIO:
        try:
            return open(self.path, "wb")
        except OSError as e:
            raise cannot_write(self.path, e) from None

    def _open(self, path: Path):
        try:
            return _temporary(path)
        except OSError as e:
            raise cannot_write(path, e) from None

    def _write(self, data: bytes) -> None:
        try:
            self._out[1].write(data)
        except BrokenPipeError:
            raise  # the reader stopped reading (| head): not an error of ours
        except OSError as e:
            self.abort()
            raise cannot_write(self.path, e) from None

    def article(self, article) -> None:
        if not self.streamed:
            self._quads.extend(article.quads())
            self._held.extend(article.held_quads())
            return
        body, held = article.chunk(self.fmt)
        self._write(body)
        if not held:
            return
        if self.fmt in DATASET_FORMATS:
            self._write(held)
        elif self._direct:
            self.held_unwritten += len(article.held_quads())
        else:
            try:
                if self._held_out is None:
                    self._held_out = self._open(self.held_path)
                    self._held_out[1].write(header(self.fmt))
                self._held_out[1].write(held)
            except OSError as e:
                self.abort()
                raise cannot_write(self.held_path, e) from None

    def close(self, entities: list[ox.Quad], report=None) -> Path | None:
        """Finish the files and put them in place; returns the quarantine file, if one was written."""
        self.held_written = self._close(entities)
        return self.held_written

    def _close(self, entities: list[ox.Quad]) -> Path | None:
        if self._direct:
            if self.streamed:
                self._write(chunk(entities, self.fmt))
            else:
                held = self._held if self.fmt in DATASET_FORMATS else ()
                self.held_unwritten += 0 if held else len(self._held)
                self._write(dumps(self._quads + entities, self.fmt, held))
            try:
                self._out[1].flush()
            except OSError as e:
                raise cannot_write(self.path, e) from None
            return None
        if not self.streamed:
            return write(self._quads + entities, self._target, self.fmt, self._held, self.held_path)
        try:
            self._out[1].write(chunk(entities, self.fmt))
            for tmp, f in filter(None, (self._out, self._held_out)):
                f.flush()
                os.fsync(f.fileno())
                f.close()
            os.replace(self._out[0], self._target)
            if self._held_out:
                os.replace(self._held_out[0], self.held_path)
                return self.held_path
            if self.held_path:
                self.held_path.unlink(missing_ok=True)  # a stale quarantine from an earlier build
            return None
        except OSError as e:
            self.abort()
            raise cannot_write(self.path, e) from None

    def abort(self) -> None:
        """Drop the temporary files: the outputs stay as they were (a stream keeps what it was sent)."""
        if self._direct:
            return
        for pair in filter(None, (self._out, self._held_out)):
            pair[1].close()
            pair[0].unlink(missing_ok=True)
        self._out = self._held_out = None


def cannot_write(path: str | Path, e: OSError) -> OutputError:
    """The one error for an output the system would not let us write (exit 4)."""
    return OutputError(f"cannot write: {e.strerror or e}", str(path))


def target(path: str | Path) -> tuple[Path, bool]:
    """Where writing ``path`` lands: (the file to replace through a temporary file, False), or (``path``,
    True) when it must be written through as it is: a FIFO, a device, /dev/stdout or a descriptor under
    /proc (the shell's redirection, a pipe, a terminal). Renaming onto those would replace the link or
    the special file rather than fill what it names. A symbolic link to a file is followed, so the
    file is replaced and the link stays."""
    p = Path(os.path.abspath(path))
    for _ in range(40):
        if p.parts[1:2] in (("dev",), ("proc",)):
            return Path(path), True
        try:
            mode = os.lstat(p).st_mode
        except FileNotFoundError:
            return p, False
        except OSError as e:
            raise cannot_write(path, e) from None
        if stat.S_ISLNK(mode):
            p = Path(os.path.normpath(os.path.join(p.parent, os.readlink(p))))
            continue
        return (p, False) if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else (Path(path), True)
    raise OutputError("cannot write: too many levels of symbolic links", str(path))


def check_writable(path: str | Path) -> None:
    """Fail at once when ``path`` cannot be written (before the work that would fill it): a directory
    there, a file in the way of its folder, no permission. Missing folders are made when written."""
    where, through = target(path)
    if through:
        return
    if where.is_dir():
        raise OutputError("is a directory, not a file to write", str(path))
    folder = where.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write: {folder} is a file, not a directory", str(path))
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{where.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise cannot_write(path, e) from None
    os.close(fd)
    os.unlink(probe)


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """Compact JSON-LD with the shipped context (``ontology/context.jsonld``), for web users."""
    from .. import resources_path

    graph = new_graph()
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    context = json.loads(resources_path("ontology", "context.jsonld").read_text(encoding="utf-8"))["@context"]
    text = graph.serialize(format="json-ld", context=context, sort_keys=True, ensure_ascii=False)
    # rdflib lists nodes and values in its hash order, which changes from run to run; a set of values
    # has no order in RDF (the context declares no @list), so sorting them gives the same bytes every time
    return (json.dumps(_sorted_arrays(json.loads(text)), sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def _sorted_arrays(value):
    if isinstance(value, dict):
        return {k: _sorted_arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_arrays(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _temporary(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file beside ``path``, open for writing, to be renamed onto it when complete.
    Its name carries the writing process's id, so the ones a killed process left are known and removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; an output file follows the umask
        return Path(tmp), os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_orphans(path: Path) -> None:
    """Temporary files of ``path`` whose process is gone (killed while writing): never renamed, never needed."""
    for tmp in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half-written (a special
    file, /dev/stdout or a FIFO, is written through; a link's file is replaced, see ``target``)."""
    where, through = target(path)
    if through:
        try:
            with open(path, "wb") as f:
                f.write(data)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise cannot_write(path, e) from None
        return
    path = where
    try:
        tmp, f = _temporary(path)
        try:
            with f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as e:
        raise cannot_write(path, e) from None


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The RDF format an output is written in (``choose_format``); stdout and special files such as
    /dev/stdout are Turtle unless ``fmt`` says otherwise."""
    if fmt and fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return choose_format(path, fmt, SUFFIXES, stream_default="turtle",
                         same=lambda a, b: FORMATS[a] == FORMATS[b])


def choose_format(path: str | Path, fmt: str | None, suffixes: Mapping[str, str], *, stream_default: str | None,
                  option: str = "-f", same: Callable[[str, str], bool] = operator.eq) -> str:
    """The format of an output file, for every command that writes one: ``fmt`` when given, which must
    agree with a suffix that names a format (a .ttl file never holds N-Quads); else the suffix's; a
    stream (``-``, /dev/stdout, a FIFO) without a suffix gets ``stream_default``. Anything else is a
    usage error, before any work."""
    stream = str(path) == "-"
    suffix = "" if stream else Path(path).suffix.lower()
    named = suffixes.get(suffix)
    if fmt:
        if named and not same(named, fmt):
            raise ConfigError(f"{option} {fmt} does not match the suffix {suffix} of {path} ({named}): name the file "
                              f"for its format or leave {option} out")
        return fmt
    if named:
        return named
    if stream_default and not suffix and (stream or target(path)[1]):
        return stream_default
    raise ConfigError(f"cannot tell the format of {path} from its suffix {suffix or '(none)'}: name it "
                      f"{' '.join(sorted(suffixes))} or give {option}")


def quarantine_path(output: str | Path) -> Path:
    """Where the quarantine of a graph file goes: kg.ttl -> kg.quarantine.ttl."""
    p = Path(output)
    return p.with_name(f"{p.stem}.quarantine{p.suffix or '.ttl'}")


def write(data: Graph | Sequence[ox.Quad], path: str | Path, fmt: str | None = None,
          quarantine: Graph | Sequence[ox.Quad] | None = None, held: Path | None = None) -> Path | None:
    """Write a graph or a build's quads to ``path`` (format by suffix unless ``fmt``).

    With a ``quarantine`` (a build's, maybe empty), a dataset format carries it inside and a
    graph format puts it in a file of its own beside the output (kg.quarantine.ttl), whose
    path is returned, removing a stale one from an earlier build. Returns None when there is
    no quarantine file.
    """
    fmt = format_for(path, fmt)
    write_atomic(path, dumps(data, fmt, quarantine if quarantine is not None and fmt in DATASET_FORMATS else ()))
    held = held or quarantine_path(path)
    if quarantine is None or fmt in DATASET_FORMATS:
        return None
    if len(quarantine):
        write_atomic(held, dumps(quarantine, fmt))
        return held
    held.unlink(missing_ok=True)
    return None
