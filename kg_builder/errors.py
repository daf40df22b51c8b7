"""Typed errors, each with a stable code (tests check codes, not wording).

    KgError
    ├── InputError          E1xx  an input file cannot be used (skipped, batch goes on)
    │   ├── NotFoundError   E101
    │   ├── DecodeError     E102
    │   ├── EmptyInputError E103
    │   ├── DuplicateSourceError E104
    │   ├── NotArticleError E105  named directly, but its suffix says it is not plain text (.json, .pdf ...)
    │   ├── SpecialFileError E106  not a regular file (a FIFO, a device): it could block or never end
    │   ├── TooLargeError   E107  larger than read.max_bytes
    │   ├── OutsideLinkError E108 a link in an input folder pointing out of it (not followed unless asked)
    │   └── HtmlError       E109  an HTML page whose article text cannot be extracted (no extractor, no text)
    ├── ConfigError         E2xx  bad option or configuration key
    │   ├── PackError       E201  a domain pack cannot be read or is malformed
    │   └── SparkError      E210  the Spark engine cannot run here (pyspark or Java missing)
    ├── GraphLoadError      E3xx  a graph or query file cannot be read or parsed
    ├── OutputError         E4xx  an output cannot be written
    │   ├── RemoteError     E410  a remote store refused a request or could not be reached
    │   │   └── SparkJobError E411  a Spark job failed (an executor lost, kg-builder missing there)
    │   └── ListenError     E420  the endpoint cannot listen on its address
    └── InternalError       E900  a bug in kg-builder met on one input (recorded when the batch goes on)

The library raises; only the CLI prints and chooses exit codes.
"""

from __future__ import annotations


class KgError(Exception):
    code = "E000"

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message} [{self.code}]"


class InputError(KgError):
    code = "E100"


class NotFoundError(InputError):
    code = "E101"


class DecodeError(InputError):
    code = "E102"


class EmptyInputError(InputError):
    code = "E103"


class DuplicateSourceError(InputError):
    code = "E104"


class NotArticleError(InputError):
    code = "E105"


class SpecialFileError(InputError):
    code = "E106"


class TooLargeError(InputError):
    code = "E107"


class OutsideLinkError(InputError):
    code = "E108"


class HtmlError(InputError):
    """An HTML page whose article text cannot be extracted: the extractor is not installed (the ``html``
    extra) or finds no article text in it. Never read as raw markup instead."""

    code = "E109"


class ConfigError(KgError):
    code = "E200"


class PackError(ConfigError):
    code = "E201"


class SparkError(ConfigError):
    """The Spark engine cannot run here: pyspark or Java missing, or Spark would not start."""

    code = "E210"


class GraphLoadError(KgError):
    code = "E300"


class OutputError(KgError):
    code = "E400"


class RemoteError(OutputError):
    code = "E410"


class SparkJobError(RemoteError):
    """A Spark job failed: an executor lost, kg-builder missing on the executors, the master gone."""

    code = "E411"


class ListenError(OutputError):
    code = "E420"


class InternalError(KgError):
    code = "E900"


def first_line(e: BaseException) -> str:
    """The first line of a library's exception message (pyoxigraph's run to many), or its type's name
    when it says nothing: what a one-line error quotes of it."""
    text = str(e)
    return text.splitlines()[0] if text.strip() else type(e).__name__
