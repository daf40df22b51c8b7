"""Draw the sample articles' knowledge graph: examples/seeds.png and the interactive examples/seeds.html.

    pip install -e '.[viz]' && python examples/draw.py

The picture needs a font with Persian letters (Debian/Ubuntu: apt-get install fonts-noto-core);
the HTML page needs nothing but a browser, and works offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a source checkout without installing

from kg_builder import build
from kg_builder.errors import KgError
from kg_builder.outputs.visualise import to_networkx, write


def main() -> int:
    result = build([HERE / "articles"])
    graph = to_networkx(result.graph, provenance=True)
    title = f"kg-builder · {result.articles} sample articles"
    try:
        for name in ("seeds.html", "seeds.png"):
            write(graph, HERE / name, title=title)
            print(f"written: {HERE / name}")
    except KgError as e:
        print(f"draw.py: {e}", file=sys.stderr)
        return 1
    print(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
