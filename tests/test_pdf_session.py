"""One ``PrintSession`` for every PDF of a process: the same bytes as a fresh render,
whatever came before; fonts registered once; started over when a file it read
changes (or in a forked child); stylesheet warnings given for every PDF; and a
renderer's builds share it."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from printhtml import print_html

from pressroom.config import load_config
from pressroom.html.fragments import make_environment
from pressroom.pdf.render import PrintSession, render_pdf
from pressroom.site.jobs import PDF_VARIANT, Renderer

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

PRINT = ROOT / "templates" / "print"
FONT_FACES = len(re.findall(r"@font-face", (PRINT / "print.css").read_text(encoding="utf-8")))


def _article(seed: int, tmp_path: Path):
    """``(html_for, notes)`` of a short generated analysis, its print HTML linking no
    stylesheet (as the build makes it)."""
    return print_html(make_article(seed, words=350, notes=3), f"content/analyses/generated-{seed}.md", tmp_path / "out")


def _pdf(article, sheets: list[Path], allowed: list[Path], session: PrintSession | None = None):
    html_for, notes = article
    return render_pdf(html_for, (ROOT / "content").as_uri() + "/", [ROOT / "templates", *allowed], notes,
                      variant=PDF_VARIANT, source_date=0, stylesheets=[s.as_uri() for s in sheets], session=session)


@pytest.fixture
def font_faces(monkeypatch) -> list[str]:
    """Every ``@font-face`` WeasyPrint is asked to register, by family."""
    from weasyprint.text.fonts import FontConfiguration

    seen: list[str] = []
    original = FontConfiguration.add_font_face

    def counted(self, rule_descriptors, url_fetcher):
        seen.append(rule_descriptors["font_family"])
        return original(self, rule_descriptors, url_fetcher)

    monkeypatch.setattr(FontConfiguration, "add_font_face", counted)
    return seen


@pytest.fixture
def print_dir(tmp_path: Path) -> Path:
    """A copy of the print stylesheet and its fonts (real copies: tests change them)."""
    return Path(shutil.copytree(PRINT, tmp_path / "print"))


@pytest.mark.pdf
def test_a_session_gives_the_bytes_of_a_fresh_render_in_any_order(tmp_path, font_faces):
    articles = [_article(seed, tmp_path) for seed in (11, 12, 13)]
    sheets = [PRINT / "print.css"]
    fresh = [_pdf(a, sheets, []).data for a in articles]
    assert len(font_faces) == FONT_FACES * len(articles)  # without a session: every font, every PDF
    font_faces.clear()

    forward, backward = PrintSession(), PrintSession()
    assert [_pdf(a, sheets, [], forward).data for a in articles] == fresh
    assert [_pdf(a, sheets, [], backward).data for a in reversed(articles)] == fresh[::-1]

    assert len(font_faces) == 2 * FONT_FACES  # once per session
    assert (forward.starts, forward.documents) == (backward.starts, backward.documents) == (1, 3)
    assert len(set(fresh)) == 3


@pytest.mark.pdf
def test_a_changed_stylesheet_or_font_starts_the_session_over(tmp_path, print_dir):
    article = _article(21, tmp_path)
    css = print_dir / "print.css"
    session = PrintSession()
    first = _pdf(article, [css], [tmp_path], session).data
    assert _pdf(article, [css], [tmp_path], session).data == first
    assert (session.starts, session.documents) == (1, 2)

    os.utime(css, ns=(1, 1))  # touched, same bytes: kept
    assert _pdf(article, [css], [tmp_path], session).data == first
    assert session.starts == 1

    css.write_text(css.read_text(encoding="utf-8") + "h1.title { font-size: 26pt; }\n", encoding="utf-8")
    bigger = _pdf(article, [css], [tmp_path], session).data
    assert session.starts == 2
    assert bigger == _pdf(article, [css], [tmp_path]).data != first

    shutil.copyfile(print_dir / "fonts" / "NotoSans-Regular.ttf", print_dir / "fonts" / "NotoSerif-Regular.ttf")
    other_font = _pdf(article, [css], [tmp_path], session).data
    assert session.starts == 3
    assert other_font == _pdf(article, [css], [tmp_path]).data != bigger


@pytest.mark.pdf
def test_stylesheet_warnings_come_with_every_pdf_until_the_file_is_there(tmp_path, print_dir):
    extra = tmp_path / "extra.css"
    extra.write_text('@font-face { font-family: "Extra"; src: url(print/fonts/extra.ttf); }\n'
                     "h1.title { font-family: Extra; colour: red; }\n", encoding="utf-8")
    sheets = [print_dir / "print.css", extra, tmp_path / "missing.css"]
    articles = [_article(seed, tmp_path) for seed in (31, 32)]
    fresh = [_pdf(a, sheets, [tmp_path]) for a in articles]
    assert any("Font-face 'Extra' cannot be loaded" in w for w in fresh[0].warnings), fresh[0].warnings
    assert any("colour" in w for w in fresh[0].warnings), fresh[0].warnings
    assert any(w.startswith(f"Failed to load stylesheet at {(tmp_path / 'missing.css').as_uri()}")
               for w in fresh[0].warnings), fresh[0].warnings

    session = PrintSession()
    for article, alone in zip(articles, fresh, strict=True):
        shared = _pdf(article, sheets, [tmp_path], session)
        assert (shared.data, shared.warnings) == (alone.data, alone.warnings)
    assert session.starts == 1

    shutil.copyfile(print_dir / "fonts" / "NotoSans-Bold.ttf", print_dir / "fonts" / "extra.ttf")
    found = _pdf(articles[0], sheets, [tmp_path], session)
    assert session.starts == 2
    assert not any("Extra" in w for w in found.warnings), found.warnings
    assert found.data == _pdf(articles[0], sheets, [tmp_path]).data != fresh[0].data


@pytest.mark.pdf
def test_a_forked_child_starts_its_own_session(tmp_path):
    session = PrintSession()
    _pdf(_article(41, tmp_path), [PRINT / "print.css"], [], session)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.write(write, str(session.current().starts).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        in_child = pipe.read()
    os.waitpid(child, 0)
    assert in_child == "2"
    assert session.current().starts == 1


def test_the_builds_of_a_renderer_share_its_session():
    config = load_config(ROOT)
    renderer = Renderer(config, pdf=True, ui={}, environment=make_environment(config.templates_dir))
    assert renderer.new_build().print_session is renderer.print_session is not None
    assert renderer.print_session._font_config is None  # nothing imported before the first PDF
    assert Renderer(config, pdf=False, ui={}, environment=renderer.environment).print_session is None
