"""kg-builder: Persian news articles to a validated knowledge graph with exact provenance.

Public API::

    build(paths, config=None) -> BuildResult    # read → clean → mentions → resolve → RDF → validate
    validate(graph) -> Report
    query(graph_or_path, sparql) -> QueryResult
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path

__version__ = "0.1.0"


def resources_path(package: str, name: str) -> Path:
    """Path of a data file shipped in the package (``ontology``, ``shapes``, ``resources``)."""
    return Path(str(_resources.files(f"kg_builder.{package}").joinpath(name)))


from .pipeline import BuildResult, build  # noqa: E402
from .stages.validate import Report, run as validate  # noqa: E402
from .outputs.query import QueryResult, query  # noqa: E402

__all__ = ["BuildResult", "Report", "QueryResult", "build", "validate", "query", "resources_path", "__version__"]
