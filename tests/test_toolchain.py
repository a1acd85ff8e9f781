"""The cache key follows the libraries that shape the output (item 15).

A "newer" library is a real installed-distribution record (``<name>-999.0.dist-info``)
on a path searched before site-packages: ``importlib.metadata`` then reports that
version, while the code that runs is the same. Fonts are added the way a system gets
them: a fontconfig configuration with one more font directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT

from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.site.fingerprints import fingerprint
from pressroom.site.toolchain import (
    HTML,
    PDF,
    SEARCH,
    page_toolchain,
    pdf_toolchain,
    search_toolchain,
)
from pressroom.sources.documents import load_content

IMPORTED_BUT_NOT_SHAPING = {
    "pressroom": "its own code is digested file by file",
    "tqdm": "the progress bar",
    "cffi": "WeasyPrint's calls into Pango, HarfBuzz and fontconfig (their versions are in the key)",
    "pycparser": "cffi's declarations parser",
    "webencodings": "decodes stylesheets (the bytes decoded do not depend on its version)",
    "brotli": "decompresses WOFF2 fonts losslessly",
    "setuptools": "its import hook for editable installs",
    "lxml": "imported by fontTools' subsetter where installed, for SVG tables (WeasyPrint drops them)",
}
"""Distributions a build imports whose version does not change what it writes."""


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def newer(directory: Path, *distributions: str) -> Path:
    """A directory of installed-distribution records: each of ``distributions`` as
    installed (its entry points too: Babel finds Jinja2's extractor there), at 999.0."""
    for name in distributions:
        real = metadata.distribution(name)
        info = directory / f"{re.sub(r'[-_.]+', '_', name)}-999.0.dist-info"
        info.mkdir(parents=True)
        text = re.sub(r"(?m)^Version: .*$", "Version: 999.0", real.read_text("METADATA") or "")
        (info / "METADATA").write_text(text, encoding="utf-8")
        for extra in ("entry_points.txt", "top_level.txt"):
            if (content := real.read_text(extra)) is not None:
                (info / extra).write_text(content, encoding="utf-8")
    return directory


def keys(root: Path, pdf: bool) -> tuple[str, str]:
    config = load_config(root)
    inputs = fingerprint(config, load_content(config, Report()), pdf)
    return inputs.toolkit, inputs.pdf_toolchain


def imported_by_a_build(root: Path, *args: str) -> set[str]:
    """Distributions imported (in any process) by ``build ARGS`` run with one job."""
    script = (
        "import json, sys\nfrom pathlib import Path\nfrom importlib import metadata\nfrom pressroom.cli import main\n"
        f"assert main(['build', '--jobs', '1', *{list(args)!r}], project=Path({str(root)!r})) == 0\n"
        "found = metadata.packages_distributions()\n"
        "print(json.dumps(sorted({d for m in list(sys.modules) for d in found.get(m.split('.')[0], [])})))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return {_normal(d) for d in json.loads(result.stdout.splitlines()[-1])}


@pytest.mark.pdf
def test_every_library_a_build_imports_is_in_the_key_or_known_not_to_shape_it(project):
    """A library that the pipeline starts to use must be classified, or a change of
    its version would go unnoticed."""
    html = imported_by_a_build(project, "--no-pdf")
    listed = {_normal(n) for n in IMPORTED_BUT_NOT_SHAPING} | {_normal(n) for n in SEARCH}  # the index's key
    assert {_normal(n) for n in SEARCH} <= html
    assert html - listed == {_normal(n) for n in HTML}
    assert "weasyprint" not in html  # an HTML-only build never loads it, not even for its key
    with_pdf = imported_by_a_build(project)
    assert with_pdf - listed - {_normal(n) for n in HTML} == {_normal(n) for n in PDF}


@pytest.mark.parametrize("distribution", HTML)
def test_every_page_key_follows_each_page_library(project, tmp_path, monkeypatch, distribution):
    before = keys(project, pdf=False)
    monkeypatch.syspath_prepend(str(newer(tmp_path / "newer", distribution)))
    assert page_toolchain()[distribution] == "999.0"
    toolkit, _ = keys(project, pdf=False)
    assert toolkit != before[0]


def test_the_search_index_key_follows_pagefind_and_page_keys_do_not(project, tmp_path, monkeypatch):
    """A newer Pagefind makes every language's index again, and no page."""
    from pressroom.site.build import Plan
    from pressroom.site.state import State

    def index_keys() -> dict:
        config = load_config(project)
        content = load_content(config, Report())
        plan = Plan.make(config, content, fingerprint(config, content, False), State(), False)
        return {name.lang: key for name, key in plan.listings.items() if name.kind == "search-index"}

    before, pages = index_keys(), keys(project, pdf=False)
    monkeypatch.syspath_prepend(str(newer(tmp_path / "newer", "pagefind-bin")))
    assert search_toolchain()["pagefind-bin"] == "999.0"
    after = index_keys()
    assert set(after) == {"en", "tr", "ru"} and all(after[lang] != before[lang] for lang in after)
    assert keys(project, pdf=False) == pages


@pytest.mark.parametrize("distribution", PDF)
def test_pdf_keys_follow_each_pdf_library_and_page_keys_do_not(project, tmp_path, monkeypatch, distribution):
    html_before, pdf_before = keys(project, pdf=True)
    monkeypatch.syspath_prepend(str(newer(tmp_path / "newer", distribution)))
    assert pdf_toolchain()[distribution] == "999.0"
    html_after, pdf_after = keys(project, pdf=True)
    assert pdf_after != pdf_before and html_after == html_before
    assert keys(project, pdf=False)[1] == ""  # not even read without PDFs


def test_native_versions_are_the_ones_weasyprint_reports():
    script = ("import json\nfrom weasyprint.text.ffi import pango, harfbuzz_subset\n"
              "print(json.dumps([pango.pango_version(), harfbuzz_subset is not None]))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    pango, subset = json.loads(result.stdout)
    found = pdf_toolchain()
    major, minor, micro = (int(x) for x in found["pango"].split("."))
    assert major * 10000 + minor * 100 + micro == pango
    assert found["harfbuzz-subset"] == ("loads" if subset else "missing")
    assert re.fullmatch(r"\d+\.\d+\.\d+", found["harfbuzz"]) and found["fontconfig"].isdigit()


def test_pdf_keys_follow_the_fonts_fontconfig_offers(project, tmp_path, monkeypatch):
    """A font installed on the system can draw glyphs the project's fonts lack."""
    _, before = keys(project, pdf=True)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copyfile(ROOT / "templates/print/fonts/NotoSans-Regular.ttf", fonts / "Extra.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert str(fonts / "Extra.ttf") in pdf_toolchain()["fonts"]
    html, after = keys(project, pdf=True)
    assert after != before and html == keys(project, pdf=False)[0]


def _inodes(site: Path, suffix: str) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob(f"*{suffix}")}


def _build(root: Path, *args: str, newer_path: Path | None = None) -> str:
    env = dict(os.environ)
    if newer_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(newer_path), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, str(root / "build.py"), "build", *args], capture_output=True,
                            text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.pdf
@pytest.mark.slow
def test_pdfs_made_by_another_weasyprint_are_made_again(project, tmp_path):
    """The issue's case: PDFs made elsewhere were kept as "nothing to do"."""
    _build(project)
    before = _inodes(project / "site", ".pdf")
    elsewhere = newer(tmp_path / "weasyprint", "weasyprint")
    err = _build(project, newer_path=elsewhere)
    assert "nothing to do" not in err
    after = _inodes(project / "site", ".pdf")
    assert set(after) == set(before) and all(after[f] != before[f] for f in before)
    assert "nothing to do" in _build(project, newer_path=elsewhere)


def test_html_builds_follow_page_libraries_only(project, tmp_path):
    _build(project, "--no-pdf")
    assert "nothing to do" in _build(project, "--no-pdf", newer_path=newer(tmp_path / "w", "weasyprint", "pydyf"))
    pages = _inodes(project / "site", "index.html")
    assert "nothing to do" not in _build(project, "--no-pdf", newer_path=newer(tmp_path / "j", "Jinja2"))
    assert all(ino != pages[f] for f, ino in _inodes(project / "site", "index.html").items())
