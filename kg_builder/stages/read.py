"""Read stage: a file path becomes a Document holding the file's decoded text."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from ..config import Config
from ..errors import DecodeError, EmptyInputError, NotFoundError, SpecialFileError, TooLargeError
from ..model import Document


def run(path: str | Path, config: Config | None = None) -> Document:
    """Read one UTF-8 article; raise an InputError naming the file when it cannot be used."""
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
    return decode(data, p)


def special(path: str | Path) -> SpecialFileError:
    """The error for a FIFO or a device where an article should be: it could block or never end."""
    return SpecialFileError("not a regular file (a FIFO or a device): not read", str(path))


def check_size(size: int, path: str | Path, config: Config | None = None) -> None:
    """A TooLargeError when an article of ``size`` bytes is over ``read.max_bytes``."""
    limit = (config or Config()).read.max_bytes
    if size > limit:
        raise TooLargeError(f"{size:,} bytes, more than read.max_bytes ({limit:,}): not read", str(path))


def decode(data: bytes, path: str | Path) -> Document:
    """An article from the bytes of the file at ``path`` (read elsewhere, e.g. on a cluster's driver)."""
    p = Path(path)
    raw = decode_text(data, p)
    if not raw.strip("\ufeff \t\r\n\u200c\u200f\u200e"):
        raise EmptyInputError("empty article (no text)", str(p))
    return Document(path=str(p), source=p.name, raw=raw, digest=digest(data))


def decode_text(data: bytes, path: str | Path) -> str:
    """The text of a UTF-8 file, without newline translation (offsets index the file's own text);
    a DecodeError naming the file when it is binary or not UTF-8."""
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes), not UTF-8 text", str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DecodeError(f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})", str(path)) from None


def digest(data: bytes) -> str:
    """The content hash of an article file's bytes, by which a store knows an unchanged article."""
    return hashlib.sha256(data).hexdigest()
