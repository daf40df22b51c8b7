"""Opening what a command reads: a graph file in any RDF format, or an Oxigraph store directory.

The one way every command opens its data (``query``, ``validate``, ``viz``, ``evaluate``,
``serve``, ``push``), so a store built by ``kg-builder build --store DIR`` is accepted wherever
a graph file is, and a missing, unreadable or broken input gets the same message everywhere::

    open_data(paths) -> ox.Store          one store directory as it is (read-only); files, or several
                                          inputs, loaded into one in-memory store
    load_into(store, path)                parse one graph file into a store (serve's temporary store)
    read_quads(path) -> list[ox.Quad]     every quad of a file (as written) or of a store (with its quarantine)
    visible(quads) -> list[ox.Quad]       what queries see: the shared entities and the articles' graphs
    quarantine(quads) -> list[ox.Quad]    the articles' quarantine graphs (…/graph/<file>/quarantine)

A file's format is given by its suffix (``serialize.SUFFIXES``; anything else is read as Turtle).
Every failure is a ``GraphLoadError`` (exit 2) naming the path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from .. import iri
from ..errors import GraphLoadError, first_line
from ..vocab import PREFIXES
from .serialize import FORMATS, SUFFIXES
from .store import HIDDEN, HIDDEN_STORE, is_store

NOT_FOUND = "no such graph file or store directory"
_NAMES = {ox.RdfFormat.TURTLE: "Turtle", ox.RdfFormat.N_TRIPLES: "N-Triples", ox.RdfFormat.N_QUADS: "N-Quads",
          ox.RdfFormat.TRIG: "TriG", ox.RdfFormat.JSON_LD: "JSON-LD", ox.RdfFormat.RDF_XML: "RDF/XML"}


def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The format a graph file is read in, by its suffix (Turtle when the suffix says nothing)."""
    return FORMATS[SUFFIXES.get(Path(path).suffix.lower(), "turtle")]


def _unparsable(path: Path, e: Exception) -> GraphLoadError:
    return GraphLoadError(f"cannot parse as RDF ({_NAMES[rdf_format(path)]}): {first_line(e)}", str(path))


def open_store(path: str | Path) -> ox.Store:
    """A store directory, opened read-only (a build may be writing into it meanwhile)."""
    p = Path(path)
    if not p.is_dir():
        raise GraphLoadError(NOT_FOUND, str(p))
    if not is_store(p):  # what Oxigraph's own message would say, in words
        raise GraphLoadError("a directory but not an Oxigraph store (kg-builder build --store DIR makes one)", str(p))
    try:
        return ox.Store.read_only(str(p))
    except OSError as e:
        raise GraphLoadError(f"cannot open as an Oxigraph store: {first_line(e)}", str(p)) from None


def _file(path: str | Path) -> Path:
    p = Path(path)
    if p.is_dir():
        raise GraphLoadError("a store directory where a graph file is expected", str(p))
    if not p.is_file():
        raise GraphLoadError(NOT_FOUND, str(p))
    return p


def load_into(store: ox.Store, path: str | Path) -> None:
    """Parse the graph file ``path`` into ``store`` (its blank nodes get fresh names, so two files'
    ``_:b1`` stay two nodes)."""
    p = _file(path)
    try:
        store.bulk_load(path=str(p), format=rdf_format(p))
    except (SyntaxError, ValueError, OSError) as e:
        raise _unparsable(p, e) from None


def open_data(paths: str | Path | Sequence[str | Path]) -> ox.Store:
    """The data of one or more inputs, each a graph file or a store directory, as one store.

    One store directory is opened read-only as it is (nothing is copied); otherwise the inputs
    are loaded into one in-memory store: files parsed, stores copied quad by quad, named graphs
    kept (the default graphs of all inputs become one), as ``arq --data A --data B`` does.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not paths:
        raise GraphLoadError("no graph file or store directory given")
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return open_store(paths[0])
    store = ox.Store()
    for path in paths:
        if Path(path).is_dir():
            store.bulk_extend(open_store(path))
        else:
            load_into(store, path)
    return store


def read_quads(path: str | Path) -> list[ox.Quad]:
    """Every quad of a graph file (in the file's order, blank node labels and datatypes as written) or
    of a store directory and its quarantine graphs (with the offsets' datatype given back, see
    ``_as_written``)."""
    if Path(path).is_dir():
        return _as_written([*open_store(path), *_held(path)])
    p = _file(path)
    try:
        return list(ox.parse(path=str(p), format=rdf_format(p)))
    except (SyntaxError, ValueError, OSError) as e:
        raise _unparsable(p, e) from None


def _held(path: str | Path) -> list[ox.Quad]:
    """The quarantine graphs of a store directory, kept in its hidden store (``store.HIDDEN_STORE``)
    beside the entity versions, which no command reads."""
    p = Path(path) / HIDDEN_STORE
    if not is_store(p):  # a store of the older layout, or written by another tool
        return []
    try:
        held = ox.Store.read_only(str(p))
        return [q for g in held.named_graphs() if g.value.endswith(iri.QUARANTINE)
                for q in held.quads_for_pattern(None, None, None, g)]
    except OSError as e:
        raise GraphLoadError(f"cannot open as an Oxigraph store: {first_line(e)}", str(p)) from None


# Oxigraph keeps a literal of any type derived from xsd:integer as an xsd:integer (it stores integers by
# value, in memory and on disk, 0.4 and 0.5 alike), so a store gives back the text offsets oa:start and
# oa:end, which kg-builder writes as xsd:nonNegativeInteger (the Web Annotation model's type), as
# xsd:integer, and the shapes would refuse every one. Read from a store, a non-negative offset gets its
# type back: the store then validates and draws as the file built with it. A negative one stays as it is.
_OA = PREFIXES["oa"]
_OFFSETS = {ox.NamedNode(_OA + "start"), ox.NamedNode(_OA + "end")}
_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
_NON_NEGATIVE = ox.NamedNode(PREFIXES["xsd"] + "nonNegativeInteger")


def _as_written(quads) -> list[ox.Quad]:
    out = []
    for q in quads:
        o = q.object
        if q.predicate in _OFFSETS and isinstance(o, ox.Literal) and o.datatype == _INTEGER \
                and o.value.isascii() and o.value.isdigit():
            q = ox.Quad(q.subject, q.predicate, ox.Literal(o.value, datatype=_NON_NEGATIVE), q.graph_name)
        out.append(q)
    return out


def hidden(graph) -> bool:
    """An article's quarantine graph or a store's versions of the shared entities (kept in its hidden store,
    or, in the older layout, in the store itself): graphs queries do not see (the rule of ``store.visible``)."""
    return isinstance(graph, ox.NamedNode) and graph.value.endswith(HIDDEN)


def visible(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads queries see (``outputs.query.dataset``): the default graph and the articles' graphs."""
    return [q for q in quads if not hidden(q.graph_name)]


def quarantine(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads of the articles' quarantine graphs (``…/graph/<file>/quarantine``)."""
    return [q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.endswith(iri.QUARANTINE)]
