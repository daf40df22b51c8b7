"""kg-builder: Persian news articles to a validated knowledge graph with exact provenance.

Public API (imported lazily, so ``kg-builder normalize`` does not pay for spaCy)::

    build(paths, config=None) -> BuildResult    # read → clean → mentions → resolve → RDF → validate
    validate(graph) -> Report
    query(graph_or_path, sparql) -> QueryResult
    to_networkx(graph, node_types=None, provenance=False) -> networkx.MultiDiGraph
"""

from __future__ import annotations

from importlib import import_module
from importlib import resources as _resources
from pathlib import Path

__version__ = "0.1.0"

_LAZY = {
    "build": ("pipeline", "build"), "BuildResult": ("pipeline", "BuildResult"),
    "validate": ("stages.validate", "run"), "Report": ("stages.validate", "Report"),
    "query": ("outputs.query", "query"), "QueryResult": ("outputs.query", "QueryResult"),
    "to_networkx": ("outputs.visualise", "to_networkx"),
}
__all__ = ["resources_path", "__version__", *_LAZY]


_SOURCE_DIRS = {"queries": "examples/queries"}


def resources_path(package: str, name: str) -> Path:
    """Path of a data file shipped in the package (``ontology``, ``shapes``, ``resources``).

    An installed wheel has ontology/ and shapes/ inside the package; a source checkout
    keeps them at the top level of the repository.
    """
    inside = Path(__file__).parent / package / name
    if inside.exists():
        return inside
    top = Path(__file__).parent.parent / _SOURCE_DIRS.get(package, package) / name
    if top.exists():
        return top
    return Path(str(_resources.files(f"kg_builder.{package}").joinpath(name)))


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'kg_builder' has no attribute {name!r}")
