"""Read stage: a file path becomes a Document holding the file's decoded text."""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from dataclasses import replace
from pathlib import Path

from ..config import Config
from ..errors import ConfigError, DecodeError, EmptyInputError, NotFoundError, SpecialFileError, TooLargeError
from ..model import Document, Origin
from ..text import html


def run(path: str | Path, config: Config | None = None) -> Document:
    """Read one article file; raise an InputError naming the file when it cannot be used."""
    p = Path(path)
    try:
        mode = p.stat()
        if not stat.S_ISREG(mode.st_mode) and not stat.S_ISDIR(mode.st_mode):
            raise special(p)
        check_size(mode.st_size, p, config)  # before reading: /dev/zero-sized input never reaches memory
        data = p.read_bytes()
    except FileNotFoundError:
        raise NotFoundError("no such file", str(p)) from None
    except IsADirectoryError:
        raise NotFoundError("is a directory, not an article file", str(p)) from None
    except OSError as e:
        raise NotFoundError(f"cannot read: {e.strerror}", str(p)) from None
    return decode(data, p, config)


def special(path: str | Path) -> SpecialFileError:
    """The error for a FIFO or a device where an article should be: it could block or never end."""
    return SpecialFileError("not a regular file (a FIFO or a device): not read", str(path))


def check_size(size: int, path: str | Path, config: Config | None = None) -> None:
    """A TooLargeError when an article of ``size`` bytes is over ``read.max_bytes``."""
    limit = (config or Config()).read.max_bytes
    if size > limit:
        raise TooLargeError(f"{size:,} bytes, more than read.max_bytes ({limit:,}): not read", str(path))


def decode(data: bytes, path: str | Path, config: Config | None = None) -> Document:
    """An article from the bytes of the file at ``path`` (read elsewhere, e.g. on a cluster's driver)."""
    p = Path(path)
    page = p.suffix.lower() in html.SUFFIXES or _HTML_START.match(data[:1024]) is not None
    raw, origin = decode_text(data, p, config, html=page)
    if not raw.strip("\ufeff \t\r\n\u200c\u200f\u200e"):
        raise EmptyInputError("empty article (no text)", str(p))
    if page or html.is_document(raw):  # a page's markup is never the article: only the text extracted from it
        raw, extractor, metadata = html.extract(raw, str(p))
        origin = replace(origin, media_type="text/html", extractor=extractor, page=metadata)
    return Document(path=str(p), source=p.name, raw=raw, digest=digest(data), origin=origin)


# a byte-order mark names its encoding for certain; UTF-32LE's begins with UTF-16LE's, so it comes first
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32LE"), (codecs.BOM_UTF32_BE, "UTF-32BE"), (codecs.BOM_UTF8, "UTF-8"),
         (codecs.BOM_UTF16_LE, "UTF-16LE"), (codecs.BOM_UTF16_BE, "UTF-16BE"))
# control characters that no text holds (tab, line and page breaks are text): a guess making them is wrong
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
# the bytes of an HTML document's start in an ASCII-compatible encoding (a page's charset is looked for then)
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">, as browsers look
# for it in a page's first kilobyte
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)


def decode_text(data: bytes, path: str | Path, config: Config | None = None, *,
                html: bool = False) -> tuple[str, Origin]:
    """The text of an article file and how it was decoded, without newline translation (offsets index the
    file's own text; a byte-order mark stays character 0): by its byte-order mark, as UTF-8, in the charset
    an ``html`` page declares, or in the configured encoding the detector finds most plausible. A
    DecodeError naming the file when it is binary or Persian text in none of them."""
    read = (config or Config()).read
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), Origin(encoding, "byte-order mark")
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not {encoding} text "
                                  f"(byte {e.start})", str(path)) from None
    if b"\x00" in data:  # no UTF-8 text holds NUL; UTF-16 text has one in every ASCII character
        why = "binary (NUL bytes, no byte-order mark), not UTF-8"
    else:
        try:
            return data.decode("utf-8"), Origin()
        except UnicodeDecodeError as e:
            why = f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})"
    declared = _META_CHARSET.search(data[:1024]) if html else None
    if declared:
        label = declared.group(1).decode("ascii")
        try:
            return data.decode(label), Origin(label, "declared by the page")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: the detector's guess is better than nothing
    guessed = _guess(data, read.encodings, read.min_persian_letters)
    if guessed is None:
        raise DecodeError(f"{why}, nor Persian text in {', '.join(read.encodings)}", str(path))
    return guessed


def _guess(data: bytes, encodings: tuple[str, ...], floor: int) -> tuple[str, Origin] | None:
    """The text in the first of the detector's plausible ``encodings`` that decodes to Persian (at least
    ``floor`` percent of its letters Arabic-script, no control characters), with its Origin; else None."""
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import iana_name

    labels = {}
    for label in encodings:
        try:
            labels[iana_name(label)] = label
        except ValueError:
            raise ConfigError(f"read.encodings: {label!r} is no encoding the detector (charset-normalizer) "
                              "knows") from None
    for match in from_bytes(data, cp_isolation=list(labels)):
        if match.encoding not in labels:
            continue
        try:
            text = data.decode(match.encoding)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c.isalpha()]
        arabic = sum(1 for c in letters if _ARABIC_SCRIPT.match(c))
        if letters and arabic * 100 >= floor * len(letters) and not _CONTROL.search(text):
            return text, Origin(labels[match.encoding], "guessed")
    return None


def digest(data: bytes) -> str:
    """The content hash of an article file's bytes, by which a store knows an unchanged article."""
    return hashlib.sha256(data).hexdigest()
