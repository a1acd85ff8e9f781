"""Figures: ``![alt](image.png "caption")`` alone in a paragraph, and the emphasized
credit line after it.

Data first: ``fixtures/figures/cases.md`` holds Markdown bodies and the HTML their
web page shows, with real image files beside the source (``chart.png``, a JPEG turned
by its EXIF orientation). Then a copy of the project with one more analysis,
``fixtures/figures/defence-spending.md``, translated into Turkish with hostile text
in its alt, caption and credit: the build publishes one copy of the image for every
language, its translations as text, the same bytes twice, rebuilds the analysis when
the image's bytes change; its PDF embeds the image with the caption and credit under
it (read back with pdfplumber); Chromium shows the figure inside a phone's width;
a Dask cluster's workers, which see none of the project's files, render it as a local
build does. Missing, remote and broken images are in ``fixtures/bad/bad.image-*.md``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, copy_project, copy_tree
from markdown_it.utils import read_fixture_file

from pressroom.cli import main
from pressroom.errors import Report
from pressroom.html.fragments import render_body
from pressroom.segments.body import parse_body
from pressroom.sources.documents import Document
from pressroom.sources.images import find_images

FIGURES = FIXTURES / "figures"
SLUG = "defence-spending"
SOURCE = f"content/analyses/{SLUG}.md"
CHART = (FIGURES / "chart.png").read_bytes()
TRANSLATIONS = {
    "Bar chart of the allies' defence spending, one bar a year": 'Müttefiklerin <b>savunma</b> harcamaları & "yıllar"',
    "Defence spending of the allies, 2019–2023": "Müttefiklerin savunma harcamaları, 2019–2023 <script>alert(1)</script>",
    "*Image: Pressroom Analyses, CC BY 4.0*": "*Görsel: Pressroom Analyses, CC BY 4.0*",
}


def _cases():
    return [pytest.param(*case[1:], id=f"cases.md:{case[0] + 1}") for case in read_fixture_file(FIGURES / "cases.md")]


@pytest.fixture(scope="module")
def source_folder(tmp_path_factory) -> Path:
    """A project root whose content/analyses/ holds the cases' image files."""
    root = tmp_path_factory.mktemp("figures")
    analyses = root / "content" / "analyses"
    (analyses / "img").mkdir(parents=True)
    for name in ("chart.png", "img/chart.png", "Chart Copy.PNG"):
        (analyses / name).write_bytes(CHART)
    shutil.copyfile(FIGURES / "rotated.jpg", analyses / "rotated.jpg")
    return root


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases())
def test_figure_cases(source_folder, title, markdown, expected):
    doc = Document("analysis", "figure", "content/analyses/figure.md", "en", {}, [], markdown, 1)
    report = Report()
    body = parse_body(doc, report)
    images = find_images(source_folder, source_folder / "content", doc.path, doc.kind, body.tokens, 1, report)
    assert report.problems == []
    rendered = render_body(body, {}, images=images, root="../../../")
    got = rendered.html + "".join(f"[{n.id} {' '.join(n.backrefs)}]\n{n.html}" for n in rendered.notes)
    assert got == expected


def _translate(root: Path, lang: str, translations: dict[str, str]) -> None:
    """Fill the msgstr of these msgids in the analysis' catalog (as a translator would)."""
    path = root / f"locales/{lang}/LC_MESSAGES/{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    for msgid, msgstr in translations.items():
        quoted = msgid.replace('"', '\\"')
        entry = f'msgid "{quoted}"\nmsgstr ""\n'
        assert entry in text, msgid
        text = text.replace(entry, f'msgid "{quoted}"\nmsgstr "{msgstr.replace(chr(34), chr(92) + chr(34))}"\n')
    path.write_text(text, encoding="utf-8")


def _figured(root: Path) -> Path:
    shutil.copyfile(FIGURES / f"{SLUG}.md", root / SOURCE)
    (root / "content/analyses/chart.png").write_bytes(CHART)
    assert main(["update"], project=root) == 0
    _translate(root, "tr", TRANSLATIONS)
    return root


@pytest.fixture(scope="module")
def figured(tmp_path_factory) -> Path:
    """The project with the figure's analysis, built without PDFs."""
    root = _figured(copy_project(tmp_path_factory.mktemp("figured") / "project"))
    assert main(["build", "--strict", "--no-pdf"], project=root) == 0
    return root


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _figure(root: Path, lang: str):
    html = (root / f"site/{lang}/analyses/{SLUG}/index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find("figure")


def test_catalog_entries_name_the_source_line(figured):
    text = (figured / f"locales/tr/LC_MESSAGES/{SLUG}.po").read_text(encoding="utf-8")
    for kind, line, msgid in [("image alt", 12, "Bar chart of the allies"), ("image caption", 12, "Defence spending of"),
                              ("image credit", 14, "*Image: Pressroom")]:
        assert re.search(rf'#\. {kind}\n#: {SOURCE}:{line}\nmsgid "{re.escape(msgid)}', text), kind


def test_one_copy_of_the_image_serves_every_language(figured):
    media = sorted((figured / "site/media").iterdir())
    assert [p.name for p in media] == ["chart-a71657707d35e6dc.png"] and media[0].read_bytes() == CHART
    for lang in ("en", "tr", "ru"):
        img = _figure(figured, lang).img
        assert img["src"] == "../../../media/chart-a71657707d35e6dc.png"
        assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("640", "360", "lazy", "async")
        assert (figured / f"site/{lang}/analyses/{SLUG}" / img["src"]).resolve() == media[0].resolve()


def test_translated_alt_caption_and_credit_are_text(figured):
    figure = _figure(figured, "tr")
    assert figure.img["alt"] == TRANSLATIONS["Bar chart of the allies' defence spending, one bar a year"]
    assert figure.find(class_="caption").get_text() == TRANSLATIONS["Defence spending of the allies, 2019–2023"]
    assert figure.find(class_="credit").get_text() == "Görsel: Pressroom Analyses, CC BY 4.0"
    assert figure.find("script") is None and figure.find("b") is None  # the catalog's HTML is shown, as text
    assert not figure.img.has_attr("lang") and not figure.find(class_="untranslated")
    ru = _figure(figured, "ru")  # not translated: each part says it is in English
    assert ru.img["lang"] == "en" and ru.find(class_="caption")["lang"] == "en" and ru.find(class_="credit")["lang"] == "en"


def test_two_clean_builds_give_the_same_bytes(figured, tmp_path):
    twin = copy_tree(figured, tmp_path / "twin")
    shutil.rmtree(twin / "site")
    shutil.rmtree(twin / ".pressroom-cache")
    assert main(["build", "--strict", "--no-pdf"], project=twin) == 0
    assert _tree(twin / "site") == _tree(figured / "site")


def test_new_image_bytes_rebuild_the_analysis_and_nothing_else(figured, tmp_path, capsys):
    root = copy_tree(figured, tmp_path / "project")
    capsys.readouterr()
    assert main(["build", "--no-pdf"], project=root) == 0
    assert "nothing to do" in capsys.readouterr().err
    (root / "content/analyses/chart.png").write_bytes((FIGURES / "rotated.jpg").read_bytes())  # same name, a JPEG now
    assert main(["build", "--no-pdf"], project=root) == 0
    assert "rendering 3 page(s) of 9" in capsys.readouterr().err
    assert [p.name for p in (root / "site/media").iterdir()] == ["chart-2784ab95849ffe17.jpg"]
    img = _figure(root, "tr").img
    assert (img["src"], img["width"], img["height"]) == ("../../../media/chart-2784ab95849ffe17.jpg", "120", "200")
    assert main(["build", "--no-pdf"], project=root) == 0
    assert "nothing to do" in capsys.readouterr().err


def test_an_image_removed_fails_every_command_at_its_line(figured, tmp_path, run):
    root = copy_tree(figured, tmp_path / "project")
    (root / "content/analyses/chart.png").unlink()
    before = _tree(root / "site")
    for command in (["build", "--no-pdf"], ["extract"], ["check"]):
        code, out, err = run(root, *command)
        assert code == 1, command
        assert f"{SOURCE}:12: error: image 'chart.png': no such file content/analyses/chart.png [images]" in out + err
        assert "Traceback" not in out + err
    assert _tree(root / "site") == before


@pytest.mark.pdf
def test_the_pdf_embeds_the_image_with_caption_and_credit(figured, tmp_path):
    root = copy_tree(figured, tmp_path / "project")
    assert main(["build", "--strict"], project=root) == 0
    for lang, caption, credit in [
        ("en", "Defence spending of the allies, 2019–2023", "Image: Pressroom Analyses, CC BY 4.0"),
        ("tr", TRANSLATIONS["Defence spending of the allies, 2019–2023"], "Görsel: Pressroom Analyses, CC BY 4.0"),
    ]:
        with pdfplumber.open(root / f"site/{lang}/analyses/{SLUG}/{SLUG}.{lang}.pdf") as pdf:
            page = pdf.pages[0]
            images = page.images
            lines = (page.extract_text() or "").splitlines()
        assert [image["srcsize"] for image in images] == [(640, 360)]
        image = images[0]
        assert caption in lines and credit in lines
        below = [w for w in lines if w in (caption, credit)]
        assert below == [caption, credit]  # in this order
        assert image["x0"] >= 0 and image["x1"] <= page.width
        words = page_words(root / f"site/{lang}/analyses/{SLUG}/{SLUG}.{lang}.pdf", "2019–2023")  # the caption's
        assert len(words) == 1 and words[0]["top"] > image["bottom"], "the caption is under the image"


def page_words(path: Path, word: str) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [w for w in pdf.pages[0].extract_words() if w["text"] == word]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_figure_fits_a_phone(browser, figured, tmp_path, lang):
    from test_editor_browser import Server

    from pressroom.editor import Drafts

    root = copy_tree(figured, tmp_path / "project")
    with Server(root, Drafts("libre", "http://127.0.0.1:9/")) as server:
        context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=server.url)
        page = context.new_page()
        assert page.goto(f"/{lang}/analyses/{SLUG}/").status == 200
        img = page.locator("figure img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('figure img').complete")
        box = img.bounding_box()
        natural = page.evaluate("[document.querySelector('figure img').naturalWidth, document.querySelector('figure img').naturalHeight]")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
    assert natural == [640, 360]  # the copy in media/ was served and decoded
    assert overflow <= 0 and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] < 390 and abs(box["height"] / box["width"] - 360 / 640) < 0.01  # scaled, not squeezed


@pytest.mark.slow
def test_a_dask_cluster_renders_the_figure_as_a_local_build(figured, tmp_path, run):
    from distributed import LocalCluster

    root = copy_tree(figured, tmp_path / "project")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".pressroom-cache")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        code, _, err = run(root, "build", "--strict", "--no-pdf", "--executor", "dask",
                           "--scheduler", cluster.scheduler_address)
        assert code == 0, err
        assert _tree(root / "site") == _tree(figured / "site")
        (root / "content/analyses/chart.png").write_bytes((FIGURES / "rotated.jpg").read_bytes())
        code, _, err = run(root, "build", "--no-pdf", "--executor", "dask", "--scheduler", cluster.scheduler_address)
        assert code == 0, err
    assert [p.name for p in (root / "site/media").iterdir()] == ["chart-2784ab95849ffe17.jpg"]
    assert _figure(root, "ru").img["width"] == "120"
