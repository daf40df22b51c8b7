"""Draw the sample articles' knowledge graph: examples/seeds.png and the interactive examples/seeds.html.

    pip install -e '.[viz]' && python examples/draw.py

The picture needs a font with Persian letters (Debian/Ubuntu: apt-get install fonts-noto-core);
the HTML page needs nothing but a browser, and works offline.

Both files come out byte for byte the same on every run, so on a clean checkout this leaves
`git status` clean unless the graph or the drawing code changed. The picture's pixels also
depend on the font and on matplotlib's rasteriser: the PNG names both (its Software and Font
fields), and another font or version draws other bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a source checkout without installing

from kg_builder import build
from kg_builder.errors import KgError
from kg_builder.outputs.serialize import write_atomic
from kg_builder.outputs.visualise import dumps, format_for, to_networkx

NAMES = ("seeds.html", "seeds.png")


def drawings(names: tuple[str, ...] = NAMES) -> dict[str, bytes]:
    """The sample articles' graph in each of ``names`` (their suffixes give the formats), by name."""
    result = build([HERE / "articles"])
    graph = to_networkx(result.graph, provenance=True)
    title = f"kg-builder · {result.articles} sample articles"
    return {name: dumps(graph, format_for(name), title=title) for name in names}


def main() -> int:
    try:
        for name, data in drawings().items():
            write_atomic(HERE / name, data)
            print(f"written: {HERE / name}")
    except KgError as e:
        print(f"draw.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
