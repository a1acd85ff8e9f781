"""Configuration: each option declared once, documented in the README, validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.config import OPTIONS, load_config
from pressroom.errors import ConfigError

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("option", OPTIONS, ids=[o.name for o in OPTIONS])
def test_every_option_is_documented(option):
    assert f"| `{option.name}` |" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('languages = "en"', "languages must be a non-empty list"),
        ('languages = ["en", "xx-nope"]', "unknown locale 'xx-nope'"),
        ('default_language = "de"', "default_language 'de' is not in languages"),
        ('colour = "blue"', "unknown option(s) in [tool.pressroom]: colour"),
        ('date_locales = "en_GB"', "date_locales must map languages to locale codes"),
        ("languages = [", "invalid TOML"),
    ],
)
def test_invalid_configuration_is_refused(tmp_path, toml, message):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pressroom]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert message in str(exc.value)
    assert str(exc.value).startswith("pyproject.toml")


def test_cli_reports_configuration_errors(tmp_path, run):
    (tmp_path / "pyproject.toml").write_text('[tool.pressroom]\ndefault_language = "de"\n', encoding="utf-8")
    code, _, err = run(tmp_path, "build")
    assert code == 1 and "pyproject.toml: error: [tool.pressroom] default_language" in err


def test_project_option_named_like_a_command(tmp_path, monkeypatch, capsys):
    """`--project update stats` runs stats on the directory called "update"."""
    import json

    from conftest import copy_project

    from pressroom.cli import main

    copy_project(tmp_path / "update")
    monkeypatch.chdir(tmp_path)
    assert main(["--project", "update", "stats", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8
