"""Read stage: a file path becomes a Document holding the file's decoded text."""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import unicodedata
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
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x80-\x9f]")
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
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            why = f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})"
            if _mostly_utf8(data):  # a damaged UTF-8 file: read in a code page it would be mojibake
                raise DecodeError(f"{why}, in a file otherwise UTF-8: damaged, not read", str(path)) from None
        else:
            # C1 control characters are in no text: valid UTF-8 that makes them is another encoding's bytes
            # (windows-1256 «آپ» is C2 81), unless no encoding reads it as Persian either
            if not _C1.search(text):
                return text, Origin()
            # a code page's reading wins only when it is more Persian than UTF-8's without its C1 controls:
            # UTF-8 Persian with a stray NEL, read in windows-1256, is mojibake that is all Arabic letters too
            guessed = _guess(data, read.encodings, read.min_persian_letters)
            if guessed is not None and _persian(guessed[0]) > _persian(_C1.sub("", text)):
                return guessed
            return text, Origin()
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
    """The reading of ``data`` in one of ``encodings`` that is most Persian-like (its share of Arabic-script
    characters, ``_persian``), if that share reaches ``floor`` percent; between equally Persian readings
    (a text in letters two code pages both have), the one the detector (charset-normalizer) ranks first."""
    readings = {}
    for label in encodings:
        try:
            readings[label] = data.decode(label)
        except LookupError:
            raise ConfigError(f"read.encodings: {label!r} is no encoding Python knows") from None
        except UnicodeDecodeError:
            continue
    shares = {label: _persian(text) for label, text in readings.items()}
    plausible = [label for label in readings if shares[label] >= floor]
    if not plausible:
        return None
    best = max(shares[label] for label in plausible)
    tied = [label for label in plausible if shares[label] == best]
    if len(tied) > 1:
        # the detector weighs letter frequencies and oddities (its "mess" counts half-spaces as odd, and turns
        # down Persian that has many: so it only orders readings here, it does not decide which exist)
        from charset_normalizer import from_bytes

        ranked = [m.encoding for m in from_bytes(data, cp_isolation=[_name(t) for t in tied], threshold=1.0)]
        tied.sort(key=lambda label: ranked.index(_name(label)) if _name(label) in ranked else len(ranked))
    return readings[tied[0]], Origin(tied[0], "guessed")


def _name(label: str) -> str:
    """An encoding's name as charset-normalizer writes it (cp1256, utf_16_le ...)."""
    return codecs.lookup(label).name.replace("-", "_")


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are mostly whole UTF-8 characters: a code page's Persian letters pair up
    as UTF-8 only by chance (a letter before windows-1256's پ or ک), a damaged UTF-8 file fails a byte in many."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    return sum(1 for c in text if c > "\x7f") - bad >= 4 * bad


def _persian(text: str) -> float:
    """The percentage of Arabic-script letters among the letters, marks and symbols of a reading (blanks,
    half-spaces, digits and punctuation read alike in every code page); 0 when control characters say it is
    no text. Vowel marks count against: Persian news writes few, and a wrong code page makes many
    (windows-1256's «ي» is ISO-8859-6's «ٍ»), as it makes Latin letters and box-drawing symbols."""
    if _CONTROL.search(text):
        return 0
    telling = [c for c in text if unicodedata.category(c)[0] in "LMS"]
    letters = sum(1 for c in telling if _ARABIC_SCRIPT.match(c) and unicodedata.category(c) == "Lo")
    return 100 * letters / len(telling) if telling else 0


def digest(data: bytes) -> str:
    """The content hash of an article file's bytes, by which a store knows an unchanged article."""
    return hashlib.sha256(data).hexdigest()
