"""Typed configuration: every option has a type and a default; bad values are errors."""

from __future__ import annotations

import pytest

from kg_builder.cli import main
from kg_builder.config import Config, describe, load
from kg_builder.errors import ConfigError


def test_defaults_and_typed_overrides():
    config = load({"clean.zwnj": "no", "resolve.bind_window": "2", "read.include": "*.txt, *.md"})
    assert config.clean.zwnj is False and config.resolve.bind_window == 2
    assert config.read.include == ("*.txt", "*.md")
    assert load() == Config()


@pytest.mark.parametrize("key, value, message", [
    ("clean.zwnj", "ture", "takes true or false"),
    ("resolve.bind_window", "four", "takes a whole number"),
    ("clean.zwmj", "true", "unknown configuration key 'clean.zwmj'"),
    ("nothing", "1", "unknown configuration key"),
])
def test_bad_keys_and_values_are_errors(key, value, message):
    with pytest.raises(ConfigError, match=message):
        load({key: value})


def test_the_described_options_read_back_as_the_defaults(tmp_path):
    text = describe()
    assert "# Restore missing half-spaces" in text and "[validate]" in text
    path = tmp_path / "kg.toml"
    path.write_text(text, encoding="utf-8")
    assert load(file=path) == Config()
    path.write_text("[mentions]\nmax_programme_words = 3\n", encoding="utf-8")
    assert load({"resolve.bind_window": "1"}, path).mentions.max_programme_words == 3


def test_config_command_and_bad_option_exit_codes(capsys, tmp_path):
    assert main(["config", "--set", "clean.zwnj=false"]) == 0
    assert "zwnj = false" in capsys.readouterr().out
    assert main(["config", "--set", "clean.zwnj=maybe"]) == 3
    assert "clean.zwnj" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("متن خبر", encoding="utf-8")
    assert main(["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "kg.ttl"), "--set", "validate.enabeld=no"]) == 3
