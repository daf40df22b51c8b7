"""Text rewriting that keeps an exact map back to the raw text.

Every cleaning pass is a list of edits ``(start, end, replacement)`` on the current
text. ``Rewrite.apply`` performs them and composes the character map, so any span of
the cleaned text can be traced to the span of the raw file it came from.

Mapping rule: when a replacement has the same length as what it replaces, characters
map one to one (digit or letter translation keeps exact per-character spans); otherwise
every replacement character maps to the whole replaced raw span, and inserted
characters (an empty span replaced, e.g. a ZWNJ) map to an empty raw span.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Rewrite:
    """A text together with, per character, the raw span it was made from."""

    raw: str
    text: str
    starts: array  # starts[i]: raw offset where text[i] begins
    ends: array  # ends[i]: raw offset where text[i] ends

    @classmethod
    def identity(cls, raw: str) -> "Rewrite":
        n = len(raw)
        return cls(raw, raw, array("l", range(n)), array("l", range(1, n + 1)))

    def apply(self, edits: Iterable[Edit]) -> "Rewrite":
        """Apply non-overlapping edits on ``self.text``; return the composed rewrite."""
        edits = sorted(e for e in edits if not (e[0] == e[1] and not e[2]))
        if not edits:
            return self
        text, starts, ends = self.text, self.starts, self.ends
        out: list[str] = []
        new_starts, new_ends = array("l"), array("l")
        pos = 0
        for start, end, repl in edits:
            if start < pos or end < start or end > len(text):
                raise ValueError(f"overlapping or out-of-range edit {(start, end)} at {pos}")
            out.append(text[pos:start])
            new_starts.extend(starts[pos:start])
            new_ends.extend(ends[pos:start])
            if len(repl) == end - start:
                new_starts.extend(starts[start:end])
                new_ends.extend(ends[start:end])
            elif repl:
                if end > start:
                    a, b = starts[start], ends[end - 1]
                else:  # insertion: an empty raw span at the boundary
                    a = b = starts[start] if start < len(text) else (ends[-1] if len(text) else 0)
                new_starts.extend([a] * len(repl))
                new_ends.extend([b] * len(repl))
            out.append(repl)
            pos = end
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        return Rewrite(self.raw, "".join(out), new_starts, new_ends)

    def sub(self, pattern: re.Pattern[str] | str, repl: str | Callable[[re.Match[str]], str]) -> "Rewrite":
        """Like ``re.sub`` on the text, but offset-tracked."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        edits = []
        for m in rx.finditer(self.text):
            new = m.expand(repl) if isinstance(repl, str) else repl(m)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.apply(edits)

    def translate(self, table: dict[int, str | int | None]) -> "Rewrite":
        """Like ``str.translate``, offset-tracked (one-to-one replacements keep exact spans)."""
        edits = []
        for i, ch in enumerate(self.text):
            if ord(ch) in table:
                new = table[ord(ch)]
                new = "" if new is None else (chr(new) if isinstance(new, int) else new)
                if new != ch:
                    edits.append((i, i + 1, new))
        return self.apply(edits)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of ``text[start:end]``; shrinks to the raw characters actually covered."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {(start, end)} outside text of length {len(self.text)}")
        if start == end:
            at = self.starts[start] if start < len(self.text) else len(self.raw)
            return at, at
        return self.starts[start], self.ends[end - 1]
