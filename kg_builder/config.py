"""Configuration: every option with its type, default and reason, in this one place.

Options sit in sections (``config.clean.zwnj``). ``load({"clean.zwnj": "false"})`` (the CLI's
``--set clean.zwnj=false``) or a TOML file with the same sections (``--config FILE``)
overrides them. An unknown key, or a value that is not of the option's type (``ture`` for a
boolean, ``four`` for a number), is a ``ConfigError`` naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError


def _option(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Read:
    include: tuple[str, ...] = _option(("*.txt",), "Files taken from a directory: those whose name matches one of "
                                       "these patterns (a file named directly is read whatever its suffix, unless "
                                       "its suffix says it is not an article: .json, .pdf, .ttl ...). HTML pages "
                                       "(.html, .htm) are read through a main-text extractor.")
    exclude: tuple[str, ...] = _option((), "Files under a directory left out although they match 'include' "
                                       "(patterns on the path below the directory, e.g. 'drafts/*', '*_old.txt').")
    follow_links: bool = _option(False, "Read a symbolic link found in a directory that points out of it (a link "
                                 "to /etc/passwd would become an article); links inside the directory are read.")
    encodings: tuple[str, ...] = _option(
        ("windows-1256", "UTF-16LE", "UTF-16BE", "ISO-8859-6", "cp720", "mac-farsi"),
        "A file that is not UTF-8 and has no byte-order mark (which says UTF-8, UTF-16 or UTF-32) is "
        "decoded in the one of these (Python's codec names) that reads it as the most Persian text, the "
        "detector (charset-normalizer) deciding between equals; the guess is reported. A byte-order mark "
        "stays character 0 of the text, as in a UTF-8 file.")
    min_persian_letters: int = _option(
        75, "A guessed encoding is taken only when at least this percentage of the letters and symbols it "
        "decodes (blanks, half-spaces, ASCII digits and punctuation aside) are Arabic-script: a file that "
        "comes out as Latin text or symbols was no Persian article in that encoding, and is refused.")
    max_bytes: int = _option(5_000_000, "The largest article file read, in bytes: a news article is a few kilobytes, "
                             "and a file of megabytes is a dump or a mistake that would take minutes and gigabytes.")


@dataclass(frozen=True)
class Clean:
    zwnj: bool = _option(True, "Restore missing half-spaces (ZWNJ) with lexicons, affix rules and small models.")
    min_body_words: int = _option(5, "A line of the article body has at least this many words, unless it ends "
                                  "a sentence; shorter lines are site chrome (menus, tickers, widgets).")


@dataclass(frozen=True)
class Mentions:
    max_programme_words: int = _option(6, "How many words a programme name may run after its cue word "
                                       "(طرح، پویش، سامانه ...).")


@dataclass(frozen=True)
class Resolve:
    bind_window: int = _option(4, "A post named at the start of a sentence is bound to a person named at most "
                               "this many sentences later (the 'X said ... / Y added' pattern of news leads).")


@dataclass(frozen=True)
class Validate:
    enabled: bool = _option(True, "Validate the graph against shapes/kg.shacl.ttl; facts that fail a "
                            "consistency check move to the quarantine graph.")


@dataclass(frozen=True)
class Domain:
    packs: tuple[str, ...] = _option((), "Domain packs (TOML files) read after the shipped ones: public bodies, "
                                     "role titles, programmes, groups (see kg_builder/domain/).")


@dataclass(frozen=True)
class Config:
    read: Read = Read()
    clean: Clean = Clean()
    mentions: Mentions = Mentions()
    resolve: Resolve = Resolve()
    validate: Validate = Validate()
    domain: Domain = Domain()

    def options(self) -> list[tuple[str, Any, str]]:
        """(section.key, value, description) of every option, in order."""
        return [(f"{s.name}.{o.name}", getattr(getattr(self, s.name), o.name), o.metadata["doc"])
                for s in fields(self) for o in fields(getattr(self, s.name))]


_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _parse(key: str, value: Any, kind: Any) -> Any:
    """``value`` (a string from the command line, or a TOML value) as an option of type ``kind``."""
    text = value.strip() if isinstance(value, str) else value
    if kind is bool:
        if isinstance(text, bool):
            return text
        if isinstance(text, str) and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        raise ConfigError(f"option {key} takes true or false, not {value!r}")
    if kind is int:  # every number option counts words or sentences: 0 or more
        try:
            number = text if isinstance(text, int) and not isinstance(text, bool) else int(text)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            raise ConfigError(f"option {key} takes a whole number from 0, not {value!r}")
        return number
    if kind == tuple[str, ...]:
        if isinstance(text, list) and all(isinstance(v, str) for v in text):
            return tuple(text)
        if isinstance(text, str):
            return tuple(v.strip() for v in text.split(",") if v.strip())
        raise ConfigError(f"option {key} takes a comma-separated list, not {value!r}")
    if isinstance(text, str):
        return text
    raise ConfigError(f"option {key} takes text, not {value!r}")


def load(overrides: dict[str, Any] | None = None, file: str | Path | None = None) -> Config:
    """The defaults, then the options of a TOML ``file``, then ``{"section.key": value}`` overrides."""
    values: dict[str, Any] = {}
    if file is not None:
        values.update(_read_file(Path(file)))
    values.update(overrides or {})
    config = Config()
    sections = {s.name: s for s in fields(Config)}
    for key, value in values.items():
        section, _, name = key.partition(".")
        part = getattr(config, section, None) if section in sections else None
        hints = get_type_hints(type(part)) if part is not None else {}
        if name not in hints:
            known = ", ".join(k for k, _, _ in config.options())
            raise ConfigError(f"unknown configuration key {key!r} (known: {known})")
        config = replace(config, **{section: replace(part, **{name: _parse(key, value, hints[name])})})
    return config


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read configuration: {e.strerror or e}", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"not a TOML configuration file: {e}", str(path)) from None
    out = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"expected [section] tables, found {section!r} at the top level", str(path))
        out.update({f"{section}.{k}": v for k, v in table.items()})
    return out


def describe(config: Config | None = None) -> str:
    """The options as a commented TOML file: a starting point for ``--config``."""
    config = config or Config()
    lines, section = ["# kg-builder options (kg-builder build --config FILE); every key is optional."], ""
    for key, value, doc in config.options():
        head, _, name = key.partition(".")
        if head != section:
            lines += ["", f"[{head}]"]
            section = head
        lines += [f"# {doc} ({_type_name(value)})", f"{name} = {_toml(value)}"]
    return "\n".join(lines) + "\n"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number from 0"
    if isinstance(value, tuple):
        return "a list of strings"
    return "a string"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'
