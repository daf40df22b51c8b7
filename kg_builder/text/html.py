"""HTML pages: the article's text taken out of the markup by a main-text extractor (trafilatura), never
the markup itself, so scripts, styles, menus and related-news boxes make no facts.

The extracted text is the article's text from then on: span offsets index it, not the file, and the
article records which extractor made it (``kgo:textExtractedBy``). The page's title, date and site, as
the extractor reads them from its metadata (og:title, <title>, h1; article:published_time ...; og:site_name),
are handed on as the page's ``Metadata``. trafilatura is an extra (``pip install 'kg-builder[html]'``):
without it, or when it finds no article text, a page is refused by name, never read as raw markup.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version

from ..errors import HtmlError
from ..model import Metadata

SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
EXTRA = "pip install 'kg-builder[html]'"

# a text file that is "clearly an HTML document": it opens (after a byte-order mark, blanks, comments or an
# XML declaration) with a doctype or an <html> element
_DOCUMENT = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                       re.IGNORECASE | re.DOTALL)
# ZWNJ written as a character or an entity: the extractor drops unprintable characters, and Persian
# words need their half-spaces, so they cross it as a letter that the page does not use
_ZWNJ = re.compile(r"\u200c|&zwnj;|&#8204;|&#x200c;", re.IGNORECASE)
_STAND_INS = [chr(c) for c in range(0xA640, 0xA66E)]  # Cyrillic Extended-B letters: never in a Persian page


def is_document(text: str) -> bool:
    """True when ``text`` is an HTML document, whatever its file's suffix."""
    return _DOCUMENT.match(text[:4096]) is not None


def extractor(path: str | None = None) -> str:
    """The extractor's name and version, as the graph records it; an HtmlError (naming ``path``) when it is
    not installed."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        raise HtmlError(f"an HTML page, and the HTML text extractor (trafilatura) is not installed: {EXTRA}",
                        path) from None
    return f"trafilatura {version('trafilatura')}"


def extract(page: str, path: str) -> tuple[str, str, Metadata]:
    """The article's text in an HTML page, the extractor that took it out, and what the page's metadata
    says of the article (headline, publication date, site). An HtmlError naming ``path`` when the
    extractor is missing or finds no article text."""
    name = extractor(path)
    from trafilatura import bare_extraction

    stand_in = next((c for c in _STAND_INS if c not in page), None)
    if stand_in is not None:
        page = _ZWNJ.sub(stand_in, page)
    # precision over recall, and no fallback extractors (they take a menu's or a box's text when they find no
    # article): a fact from site chrome is worse than a paragraph missed. The date comes from the page's
    # markup only (meta tags, time elements), never guessed from its URL or text.
    found = bare_extraction(page, with_metadata=True, favor_precision=True, fast=True, include_comments=False,
                            include_tables=True, include_images=False, include_links=False, deduplicate=False,
                            date_extraction_params={"extensive_search": False, "original_date": True})
    text = found.text if found is not None else None
    if not text or not text.strip():
        raise HtmlError(f"an HTML page in which {name} finds no article text; not read", path)

    def restored(value: str | None) -> str | None:
        value = value.strip() if value else None
        return value.replace(stand_in, "\u200c") if value and stand_in else value or None

    text, title = restored(text), restored(found.title)
    if title and text.split("\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text}"  # the headline opens the article, as in a text file
    return text + "\n", name, Metadata(headline=title, published=_date(found.date), agency=restored(found.sitename))


def _date(value: str | None) -> dt.date | None:
    """The extractor's YYYY-MM-DD as a date (None when absent or not a date)."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
