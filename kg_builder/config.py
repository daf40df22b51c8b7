"""Configuration as data: ``defaults.cfg`` holds every option with its comment."""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from importlib import resources

from .errors import ConfigError


@dataclass(frozen=True)
class Config:
    values: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str:
        try:
            return dict(self.values)[key]
        except KeyError:
            raise ConfigError(f"unknown configuration key {key!r}") from None

    def int(self, key: str) -> int:
        return int(self.get(key))

    def bool(self, key: str) -> bool:
        return self.get(key).strip().lower() in ("1", "true", "yes", "on")


def load(overrides: dict[str, str] | None = None) -> Config:
    """The defaults, with ``{"section.key": value}`` overrides; unknown keys raise ConfigError."""
    parser = configparser.ConfigParser()
    parser.read_string(resources.files("kg_builder").joinpath("defaults.cfg").read_text(encoding="utf-8"))
    values = {f"{s}.{k}": v for s in parser.sections() for k, v in parser.items(s)}
    for key, value in (overrides or {}).items():
        if key not in values:
            known = ", ".join(sorted(values))
            raise ConfigError(f"unknown configuration key {key!r} (known: {known})")
        values[key] = value
    return Config(tuple(sorted(values.items())))
