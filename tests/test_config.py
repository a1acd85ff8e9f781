"""Configuration: each option declared once, documented in the README, validated."""

from __future__ import annotations

import json
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
        ('executor = "ray"', "executor must be one of 'local', 'dask', not 'ray'"),
        ('executor = "dask"', 'scheduler must be an address such as tcp://HOST:8786, not \'\' (executor = "dask" needs it)'),
        ('executor = "dask"\nscheduler = 8786', "scheduler must be a string, not int"),
        ('publish = "approved"', "publish must be one of 'translated', 'reviewed', not 'approved'"),
        ("publish = true", "publish must be one of 'translated', 'reviewed', not True"),
        ('site_update = "rsync"', "site_update must be one of 'auto', 'swap', not 'rsync'"),
        ("site_update = true", "site_update must be one of 'auto', 'swap', not True"),
    ],
)
def test_invalid_configuration_is_refused(tmp_path, toml, message):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pressroom]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert message in str(exc.value)
    assert str(exc.value).startswith("pyproject.toml")


@pytest.mark.parametrize(
    ("toml", "line"),
    [('executor = "ray"', 2), ('executor = "dask"', 2), ('executor = "dask"\nsite_name = "S"\nscheduler = ""', 4),
     ('site_name = "S"\npublish = "all"', 3)],
)
def test_executor_errors_name_their_line(tmp_path, toml, line):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pressroom]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert str(exc.value).startswith(f"pyproject.toml:{line}: [tool.pressroom] "), str(exc.value)


# base_url starts every link of every page: only an http(s) URL with a host, or empty.
BAD_BASE_URLS = [
    "javascript:alert(1)//",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example",
    "evil.example",
    "https://",
    "ftp://example.org",
    "http:/example.org",
    "https://example.org/?next=javascript:alert(1)",
    "https://example.org/#x",
    "https://example.org/ x",
    " https://example.org",
    "https://example.org/\"><script>alert(1)</script>",
    "https://example.org/\u0000",
    "https://[::1",
]


@pytest.mark.parametrize("value", BAD_BASE_URLS)
def test_base_url_must_be_http_or_empty(tmp_path, value):
    toml = (
        '[project]\nname = "site"\nbase_url = "not this one"\n\n'
        f'[tool.pressroom]\nsite_name = "S"\nbase_url = {json.dumps(value)}\n'
    )
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert str(exc.value).startswith("pyproject.toml:7: [tool.pressroom] base_url must be"), str(exc.value)
    assert repr(value) in str(exc.value)


@pytest.mark.parametrize(
    "toml",
    ["[tool.pressroom]\nbase_url = 5\n", '[tool]\npressroom.base_url = "x:y"\n',
     'tool.pressroom.base_url = "x:y"\n', '[tool."pressroom"]\n"base_url" = "x:y"\n'],
)
def test_base_url_error_names_the_line_however_the_key_is_written(tmp_path, toml):
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    line = next(i for i, text in enumerate(toml.splitlines(), 1) if "base_url" in text)
    assert str(exc.value).startswith(f"pyproject.toml:{line}: [tool.pressroom] base_url must be")


@pytest.mark.parametrize(
    "value", ["", "http://example.org", "https://example.org", "https://example.org/analyses/", "HTTPS://Example.ORG",
              "https://example.org:8443/a%20b"],
)
def test_good_base_urls_are_kept(tmp_path, value):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pressroom]\nbase_url = {json.dumps(value)}\n", encoding="utf-8")
    assert load_config(tmp_path).base_url == value.rstrip("/")


def test_cli_refuses_a_javascript_base_url_without_writing_anything(project, run):
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(
        text.replace('base_url = ""', 'base_url = "javascript:alert(1)//"'), encoding="utf-8"
    )
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("base_url"))
    code, out, err = run(project, "build")
    assert code == 1 and out == ""
    assert f"pyproject.toml:{line}: error: [tool.pressroom] base_url must be an http:// or https:// URL" in err
    assert "Traceback" not in err
    assert not (project / "site").exists()


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
