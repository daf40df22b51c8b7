"""Characters that no output can be trusted to carry: control characters and non-characters.

XML 1.0 cannot hold C0 controls other than tab and line ends, U+FFFE or U+FFFF at all, not even as
character references, so an RDF/XML file, SPARQL XML results, GraphML or GEXF holding one is
not well-formed; C1 controls and DEL are legal there but are terminal commands (CSI, NEL), never
text; lone surrogates cannot be encoded in UTF-8. Each is replaced by one character, so that
every offset into the text stays what it was:

``neutralise``  article text (the clean stage): controls that separate (vertical tab, form feed,
                the information separators, NEL) become a space, the others U+FFFD.
``xml_safe``    a serialiser's last guard for values from elsewhere (file names, queries): what
                XML 1.0 cannot hold becomes U+FFFD.
``shown``       a value for a terminal or a log: each control character written as its escape (``\\x1b``).
"""

from __future__ import annotations

import re

__all__ = ["CONTROLS", "REPLACEMENT", "XML_UNSAFE", "neutralise", "shown", "xml_safe"]

REPLACEMENT = "\ufffd"
_SEPARATING = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
#: replaced in article text: C0 controls but tab and line ends, DEL, C1, surrogates, U+FFFE, U+FFFF
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: what no XML 1.0 document can hold (XML 1.0 § 2.2 Char), and surrogates, which UTF-8 cannot encode
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _replacement(m: re.Match[str]) -> str:
    return " " if m.group() in _SEPARATING else REPLACEMENT


def neutralise(text: str) -> str:
    """``text`` with each control character or non-character replaced by a space or U+FFFD (same length)."""
    return CONTROLS.sub(_replacement, text)


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by U+FFFD (same length)."""
    return XML_UNSAFE.sub(REPLACEMENT, text)


# lone surrogates too: a file name that is not UTF-8 comes as them, and a UTF-8 stream cannot write them
_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(32), *range(127, 160)]} | {
    c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)}


def shown(text: str) -> str:
    """``text`` for a terminal or a log: each C0 or C1 control character (ESC, a carriage return) as
    ``\\xNN``, each lone surrogate as ``\\udcNN``."""
    return text.translate(_ESCAPES)
