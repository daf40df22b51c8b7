"""The HTML side of the endpoint: the query page at ``/`` and results rendered as HTML tables.

Everything shown is escaped (``html.escape``): query text, terms, messages. Persian text keeps
its own direction (``dir="auto"`` cells, ``lang`` from the literal's language tag).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import urlencode

import pyoxigraph as ox

from ..results import XSD_STRING, value


def _html_cell(t) -> str:
    if t is None:
        return "<td></td>"
    if isinstance(t, ox.NamedNode):
        if not t.value.lower().startswith(("http://", "https://")):  # javascript:, data: ... are shown, never linked
            return f'<td class="iri" dir="ltr">{html.escape(t.value)}</td>'
        return f'<td class="iri" dir="ltr"><a href="{html.escape(t.value)}">{html.escape(t.value)}</a></td>'
    if isinstance(t, ox.Literal):
        tag = t.language or ("" if t.datatype.value == XSD_STRING else t.datatype.value.rsplit("#", 1)[-1])
        title = f' title="{html.escape(tag)}"' if tag else ""
        lang = f' lang="{html.escape(t.language)}"' if t.language else ""
        return f'<td dir="auto"{lang}{title}>{html.escape(t.value)}</td>'
    return f'<td dir="ltr">{html.escape(value(t))}</td>'


def solutions_html(names: Sequence[str], rows: Sequence[Sequence]) -> str:
    """SELECT results as the page shows them: a row count and a table."""
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "\n".join("<tr>" + "".join(_html_cell(t) for t in row) + "</tr>" for row in rows)
    return (f'<p class="count">{len(rows)} rows</p>\n<div class="results"><table>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table></div>")


def boolean_html(answer: bool) -> str:
    """An ASK result as the page shows it."""
    return f'<p class="ask">ASK: <strong>{"true" if answer else "false"}</strong></p>'


def triples_html(text: str, count: int) -> str:
    """A CONSTRUCT/DESCRIBE result (already serialised) as the page shows it."""
    return f'<p class="count">{count} triples</p>\n<pre dir="auto">{html.escape(text)}</pre>'


def example_queries() -> list[tuple[str, str, str]]:
    """(name, question, text) of the shipped contract queries, sorted by name."""
    from ... import resources_path

    folder = resources_path("queries", "officials.rq").parent
    out = []
    for f in sorted(folder.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        out.append((f.stem, first.lstrip("# ").strip() if first.startswith("#") else "", text))
    return out


_STYLE = """
body { font-family: system-ui, "Vazirmatn", "Noto Sans Arabic", Tahoma, sans-serif; margin: 1.5em; }
textarea { width: 100%; height: 14em; font-family: ui-monospace, monospace; font-size: 0.9em; }
.examples li { margin: 0.2em 0; }
.results { overflow-x: auto; }
table { border-collapse: collapse; margin-top: 0.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: start; }
th { background: #f3f3f3; }
td { unicode-bidi: plaintext; }
td.iri { font-family: ui-monospace, monospace; font-size: 0.85em; }
.error { color: #a00; white-space: pre-wrap; }
pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; unicode-bidi: plaintext; }
"""


def page(source, timeout: float, max_rows: int, sparql: str = "", result=None, fmt: str = "html") -> bytes:
    """The query page: ``source`` (a ``server.Source``) and the limits, the query box holding ``sparql``
    (default: the officials query), ``result`` (a ``protocol.Reply`` rendered for the page) below it."""
    examples = "\n".join(
        f'<li><a href="/?{html.escape(urlencode({"query": text}))}">{html.escape(name)}</a>'
        f"{' — ' + html.escape(question) if question else ''}</li>" for name, question, text in example_queries())
    default = sparql or next((t for n, _, t in example_queries() if n == "officials"),
                             "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    if result is None:
        shown = ""
    elif result.status == 200:
        shown = result.body.decode("utf-8")
    else:
        shown = f'<p class="error">HTTP {result.status}: {html.escape(result.body.decode("utf-8", "replace"))}</p>'
    formats = "".join(f'<option value="{k}"{" selected" if k == fmt else ""}>{label}</option>' for k, label in (
        ("html", "table (this page)"), ("json", "SPARQL JSON"), ("csv", "CSV"), ("tsv", "TSV"), ("xml", "SPARQL XML"),
        ("turtle", "Turtle (CONSTRUCT)"), ("nt", "N-Triples (CONSTRUCT)")))
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>kg-builder SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>kg-builder SPARQL endpoint</h1>
<p>{html.escape(source.path.name)}: {source.describe()}. Protocol endpoint: <code>/sparql</code>
(GET <code>?query=</code> or POST). Read-only; each query may run {timeout:g} s and return {max_rows} rows.</p>
<form method="get" action="/">
<textarea name="query" dir="ltr" spellcheck="false">{html.escape(default)}</textarea>
<p><label>Result as <select name="format">{formats}</select></label> <button type="submit">Run</button></p>
</form>
<section id="result">{shown}</section>
<h2>Example queries</h2>
<p>The questions in <code>examples/queries</code>; a click runs one.</p>
<ul class="examples">
{examples}
</ul>
</body></html>
""".encode()
