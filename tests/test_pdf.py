"""PDF editions, read back with pdfplumber and pypdf: footnotes on the page of their
call, numbering, metadata, fonts, page labels, outline, links, reproducibility, the
URL fetcher, and a sweep of generated layouts."""

from __future__ import annotations

import gettext
import http.server
import re
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from pdfcheck import footnote_problems, read_pdf
from pypdf import PdfReader

from pressroom.cli import main
from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.html.fragments import make_environment, render_body
from pressroom.html.pages import PageWriter, article_context, author_context
from pressroom.pdf import footnote_fix
from pressroom.pdf.render import Layout, check_footnotes, render_pdf
from pressroom.segments.body import parse_body
from pressroom.sources.documents import parse_document

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

LANGS = ["en", "tr", "ru"]
SLUGS = {"us-role-in-nato-russia-tensions": 11, "how-nato-should-refine-its-russia-policy": 3}
LABELS = {"en": "Page {} of {}", "tr": "Sayfa {} / {}", "ru": "Страница {} из {}"}


@pytest.fixture
def built(built_project: Path) -> Path:
    return built_project


def pdf_path(root: Path, lang: str, slug: str) -> Path:
    return root / "site" / lang / "analyses" / slug / f"{slug}.{lang}.pdf"


@pytest.mark.pdf
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_footnotes_at_the_foot_of_their_calls_page(built, slug, lang):
    pages = read_pdf(pdf_path(built, lang, slug))
    assert footnote_problems(pages, SLUGS[slug]) == []
    assert sum(len(p.notes) for p in pages) == SLUGS[slug]
    assert sum(p.outside for p in pages) == 0, "text runs out of the text block (long URLs must wrap)"


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_hyphenation_follows_the_language(built, lang):
    """Russian with pyphen's dictionary, Turkish with the shipped hyph-tr patterns."""
    lines = [line for p in read_pdf(pdf_path(built, lang, "us-role-in-nato-russia-tensions")) for line in p.text.splitlines()]
    hyphenated = [line for line in lines if line.endswith("\u2010")]
    assert len(hyphenated) >= 5, lines[:20]


@pytest.mark.pdf
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_furniture_metadata_fonts_and_links(built, slug, lang):
    path = pdf_path(built, lang, slug)
    pages = read_pdf(path)
    # localized page labels, running title from the second page on
    for page in pages:
        assert page.footer == LABELS[lang].format(page.number, len(pages))
    assert pages[0].header == ""
    title = PdfReader(path).metadata.title
    assert all(p.header == title for p in pages[1:])
    # only the shipped fonts, so no fallback and no missing glyph; no U+FFFD
    assert set().union(*(p.fonts for p in pages)) <= {
        f for p in pages for f in p.fonts if re.fullmatch(r"[A-Z]{6}\+Noto-(Serif|Sans)(-[A-Za-z]+)*", f)
    }
    assert not any("\ufffd" in p.text for p in pages)
    reader = PdfReader(path)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font["/BaseFont"]
    # metadata from the article, in its language
    meta = reader.metadata
    assert meta.author and meta.subject and meta.keywords
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert meta["/CreationDate"].startswith("D:2023" if slug.startswith("us-") else "D:2024")
    # A4; the outline: the title, no footnote numbers
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in reader.pages)
    assert [o.title for o in reader.outline] == [title]
    # calls link to notes and notes back to calls
    links = [a.get_object() for p in reader.pages for a in p.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    internal = [a for a in links if "/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"]
    assert len(internal) >= 2 * SLUGS[slug]


@pytest.mark.pdf
def test_turkish_uppercase_and_text(built):
    text = "".join(p.text for p in read_pdf(pdf_path(built, "tr", "us-role-in-nato-russia-tensions")))
    assert "ANALİZ" in text  # text-transform: uppercase with lang="tr": i -> İ
    assert "Erişim Tarihi" in text and "a.g.e." in text


@pytest.mark.pdf
@pytest.mark.parametrize(
    ("lang", "byline", "mark", "footer"),
    [
        ("en", "Published by The Editors · November 2024", "[Ed.]", "Notes marked [Ed.] were added by the editors"),
        ("tr", "Yayımlayan: Editörler · Kasım 2024", "[Ed.]", "[Ed.] ile işaretli notlar editörler tarafından"),
        # the text read back has a plain space for CLDR's U+202F before "г."
        ("ru", "Опубликовано: Редакция · ноябрь 2024 г.", "[Ред.]", "Примечания с пометкой [Ред.] добавлены"),
    ],
)
def test_a_month_date_and_the_editors_notes_in_print(built, lang, byline, mark, footer):
    """``date: 2024-11`` names the month in the title block and is the first of the month
    in the metadata; the editor's notes keep their mark and the line under the notes is
    printed after the text."""
    path = pdf_path(built, lang, "how-nato-should-refine-its-russia-policy")
    pages = read_pdf(path)
    text = "\n".join(p.text for p in pages)
    assert byline in pages[0].text.splitlines()
    assert PdfReader(path).metadata["/CreationDate"].startswith("D:20241101000000")
    assert len(re.findall(rf"^[123]{re.escape(mark)} ", text, re.MULTILINE)) == 3  # each note, marked
    assert footer in " ".join(pages[-1].text.split())


@pytest.mark.pdf
def test_same_input_same_bytes(built, tmp_path):
    again = copy_project(tmp_path / "again")
    assert main(["build"], project=again) == 0
    for slug in SLUGS:
        for lang in LANGS:
            assert pdf_path(again, lang, slug).read_bytes() == pdf_path(built, lang, slug).read_bytes()


@pytest.mark.pdf
def test_download_links_and_index_badges(built):
    from bs4 import BeautifulSoup

    for lang, word in {"en": "Download PDF", "tr": "PDF indir", "ru": "Скачать PDF"}.items():
        page = built / "site" / lang / "analyses" / "us-role-in-nato-russia-tensions" / "index.html"
        link = BeautifulSoup(page.read_text(), "html.parser").select_one(".download a")
        assert (page.parent / link["href"]).resolve() == pdf_path(built, lang, "us-role-in-nato-russia-tensions")
        assert re.fullmatch(rf"{word} \(\d+ [kк][BБ]\)", link.get_text()), link.get_text()
        index = BeautifulSoup((built / "site" / lang / "index.html").read_text(), "html.parser")
        assert len(index.select("a.badge.pdf")) == 2


# -- bad input: nothing from the network, clear warnings, PDF still produced -------------


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.pdf
def test_no_network_and_clear_errors_for_bad_images(tmp_path, run):
    """Images the PDF could not embed (remote, missing, outside the project) stop the
    build at their lines before anything is rendered, and nothing is fetched."""
    root = copy_project(tmp_path / "project")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        article = root / "content/analyses/us-role-in-nato-russia-tensions.md"
        text = article.read_text(encoding="utf-8").replace(
            "\n[^1]:",
            f"\n![Remote map](http://127.0.0.1:{server.server_port}/map.png)\n\n"
            "![Missing chart](missing-chart.png)\n\n![System file](/etc/hostname)\n\n[^1]:",
            1,
        )
        article.write_text(text, encoding="utf-8")
        code, _, err = run(root, "build")
    finally:
        server.shutdown()
        thread.join()
    assert code == 1
    assert _Counter.hits == 0, "the build fetched a URL from the network"
    lines = text.splitlines()
    line = {name: 1 + next(i for i, x in enumerate(lines) if name in x) for name in ("Remote map", "Missing", "System")}
    where = "content/analyses/us-role-in-nato-russia-tensions.md:{}: error: image "
    assert (f"{where.format(line['Remote map'])}'http://127.0.0.1:{server.server_port}/map.png': not a file of "
            "the project: the build has no network") in err
    assert f"{where.format(line['System'])}'/etc/hostname': an absolute path; name the file relative to the source" in err
    assert (f"{where.format(line['Missing'])}'missing-chart.png': no such file "
            "content/analyses/missing-chart.png [images]") in err
    assert not (root / "site").exists()


# -- the footnote check itself, on data ------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (Layout({1: 1, 2: 1}, {1: [1], 2: [1]}, {1: [1, 2]}, {1: [1, 2]}, 1), []),
        (Layout({1: 1, 2: 1}, {1: [1], 2: [2]}, {1: [1], 2: [2]}, {1: [1, 2]}, 2),
         ["note 2: printed on page 2, called on page 1"]),
        (Layout({1: 1, 2: 1}, {1: [1]}, {1: [1]}, {1: [1, 2]}, 1),
         ["note 2: lost (called on page 1, printed nowhere)"]),
        (Layout({1: 1, 2: 1}, {1: [1], 2: [1]}, {1: [2, 1]}, {1: [1, 2]}, 1),
         ["page 1: notes out of order (2, 1)"]),
        (Layout({1: 1}, {1: [1, 2]}, {1: [1], 2: [1]}, {1: [1]}, 2), ["note 1: printed on pages 1, 2"]),
    ],
)
def test_check_footnotes_cases(layout, expected):
    assert [m for _, m in check_footnotes(layout, max(layout.calls))] == expected


# -- a sweep of generated layouts ------------------------------------------------------


def _pdf_of(markdown: str, tmp_path: Path, css: str, fix: bool = True, policies=("line", "auto")):
    config = load_config(ROOT)
    report = Report()
    doc = parse_document(markdown, "content/analyses/generated.md", "analysis", config.languages, report)
    body = parse_body(doc, report)
    assert not report.failed, report.problems
    rendered = render_body(body, {})
    author = author_context(
        parse_document("---\nname: The Editors\nlang: en\n---\n\nBio.\n", "content/authors/editors.md", "author", config.languages, report),
        "en", {}, None, True,
    )
    article = article_context(config, doc, "en", {}, author, rendered, True)
    writer = PageWriter(config, make_environment(config.templates_dir), tmp_path)
    extra = tmp_path / "extra.css"
    extra.write_text(css, encoding="utf-8")
    sheets = [(config.templates_dir / "print" / "print.css").as_uri(), extra.as_uri()]

    def html_for(policy, breaks):
        return writer.render("print.html", "en", gettext.NullTranslations(), article=article,
                             stylesheets=sheets, footnote_policy=policy, breaks=sorted(breaks))

    result = render_pdf(html_for, (ROOT / "content").as_uri() + "/", [ROOT / "templates", tmp_path],
                        len(rendered.notes), fix=fix, policies=policies)
    out = tmp_path / "out.pdf"
    out.write_bytes(result.data)
    return result, out, len(rendered.notes)


MARGINS = ("0pt", "27pt", "61pt")
SIZES = ("9.5pt", "10.5pt", "12pt")
SWEEP = [
    (seed, MARGINS[i], SIZES[(i + seed) % 3])
    for seed in (1, 2, 3, 4)
    for i in range(3)
]
"""12 layouts: every article (seed) with every margin and every type size once, and
every margin with every size (a Latin square per seed, shifted from seed to seed)."""


@pytest.mark.pdf
@pytest.mark.parametrize(("seed", "margin", "size"), SWEEP)
def test_sweep_of_layouts(tmp_path, seed, margin, size):
    markdown = make_article(seed, words=900 + 150 * seed, notes=8 + seed)
    css = f".title-block {{ margin-top: {margin} }} html {{ font-size: {size} }}"
    result, out, notes = _pdf_of(markdown, tmp_path, css)
    pages = read_pdf(out)
    assert result.attempts == ["line"], "the first layout should be right (see README)"
    assert result.problems == []
    assert footnote_problems(pages, notes) == []
    assert sum(p.outside for p in pages) == 0
    # the outline shows the heading's text without its note number
    heading = re.search(r"^## (.*?)\[\^\d+\]$", markdown, re.MULTILINE).group(1)
    outline = PdfReader(out).outline
    assert [o.title for o in outline[1]] == [heading]
    # note 4 has two paragraphs: the second starts on a line of its own
    second = re.search(r"\[\^4\]: .*\n\n    (\S+ \S+)", markdown).group(1)
    assert any(line.startswith(second) for p in pages for line in p.text.splitlines())


@pytest.mark.pdf
def test_check_catches_and_corrects_raw_weasyprint(tmp_path):
    """Raw WeasyPrint with its default policy (auto) misplaces notes; the check must
    see it, and the correction must end with a correct PDF or an honest report."""
    footnote_fix.restore()
    try:
        corrected = 0
        for seed, margin, size in SWEEP[::2]:
            markdown = make_article(seed, words=900 + 150 * seed, notes=8 + seed)
            css = f".title-block {{ margin-top: {margin} }} html {{ font-size: {size} }}"
            result, out, notes = _pdf_of(markdown, tmp_path, css, fix=False, policies=("auto", "line"))
            corrected += result.corrected
            found = footnote_problems(read_pdf(out), notes)
            assert bool(found) == bool(result.problems), (seed, margin, size, found, result.problems)
        assert corrected >= 1, "no layout needed a correction: the sweep does not exercise the check"
    finally:
        footnote_fix.apply()


# -- the same bytes on every machine ----------------------------------------------------

_RENDER_WITHOUT_HARFBUZZ_SUBSET = """
import sys
from pathlib import Path
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None  # what WeasyPrint has where libharfbuzz-subset0 is missing
from pressroom.config import load_config
from pressroom.site.jobs import Renderer
root = Path(sys.argv[1])
result = Renderer(load_config(root)).article("content/analyses/us-role-in-nato-russia-tensions.md", "tr", root / "out")
assert result.files and not result.problems, result.problems
"""


def _font_stamps(pdf: Path) -> set[int]:
    """``head.modified`` of every TrueType font embedded in ``pdf`` (seconds since 1904)."""
    import io

    from fontTools.ttLib import TTFont

    stamps = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                data = descendant.get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()
                stamps.add(TTFont(io.BytesIO(data))["head"].modified)
    return stamps


@pytest.mark.pdf
@pytest.mark.slow
def test_same_bytes_where_fonts_are_subset_by_fonttools(tmp_path):
    """Without HarfBuzz-Subset, fontTools subsets the fonts and would stamp each subset
    with the time of the build: two builds of one checkout, a few seconds apart, must
    still give the same bytes, and say nothing about the machine."""
    import subprocess

    roots = [copy_project(tmp_path / name) for name in ("first", "second")]
    for root in roots:  # the build's own renderer, as a worker runs it, in two processes
        done = subprocess.run([sys.executable, "-c", _RENDER_WITHOUT_HARFBUZZ_SUBSET, str(root)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr and "HarfBuzz" not in done.stderr, done.stderr
    first, second = (root / "out" / "tr/analyses/us-role-in-nato-russia-tensions/us-role-in-nato-russia-tensions.tr.pdf"
                     for root in roots)
    assert first.read_bytes() == second.read_bytes()
    # the subsets are fontTools' (HarfBuzz keeps the font's own stamp), dated by the analysis
    from fontTools.misc.timeTools import timestampFromString

    assert _font_stamps(first) == {timestampFromString("Sun Dec 17 00:00:00 2023")}


def test_footnote_fix_refuses_a_weasyprint_it_was_not_audited_for(monkeypatch):
    """The one patch of WeasyPrint's code runs only on the audited source: on any other
    it refuses, with what to do, instead of running a stale copy."""
    from pressroom.errors import PdfError

    footnote_fix.restore()
    try:
        monkeypatch.setattr(footnote_fix, "AUDITED_SHA256", "0" * 64)
        with pytest.raises(PdfError, match=r"audited for 70\.0 .* install weasyprint==70\.0 or re-audit"):
            footnote_fix.apply()
        assert not footnote_fix._applied
    finally:
        monkeypatch.undo()
        footnote_fix.apply()


# -- note calls, read back with what stands around them ---------------------------------


def _calls_in_context(pdf: Path) -> list[tuple[str, str]]:
    """(the body text just before it on its line, the run) for each run of note-call
    characters (Noto Serif 7 pt: a call's number and what CSS draws around it), in
    reading order."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            serif = [c for c in page.chars if "Noto-Serif" in c["fontname"]]
            calls = sorted((c for c in serif if abs(c["size"] - 7) < 0.3), key=lambda c: (round(c["top"]), c["x0"]))
            runs: list[list[dict]] = []
            for char in calls:
                if runs and round(runs[-1][-1]["top"]) == round(char["top"]) and char["x0"] - runs[-1][-1]["x1"] < 1:
                    runs[-1].append(char)
                else:
                    runs.append([char])
            for run in runs:
                line = sorted((c for c in serif if c["size"] >= 9 and c["top"] <= run[0]["bottom"]
                               and c["bottom"] >= run[0]["top"] and c["x1"] <= run[0]["x0"] + 0.5), key=lambda c: c["x0"])
                found.append(("".join(c["text"] for c in line), "".join(c["text"] for c in run)))
    return found


def _calls_on_the_page(html: Path) -> list[tuple[str, str]]:
    """(the text before it in its block, its number) for each call of the web page's body."""
    from bs4 import BeautifulSoup

    body = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one(".analysis-body")
    found = []
    for sup in body.select("sup.footnote-ref"):
        before = []
        for node in sup.find_parent(["p", "li", "h1", "h2", "h3", "h4", "td", "th"]).descendants:
            if node is sup:
                break
            if isinstance(node, str) and node.find_parent("sup") is None:
                before.append(node)
        found.append(("".join(before), sup.get_text()))
    return found


def _tail(text: str, n: int = 2) -> str:
    return "".join(text.split())[-n:]


@pytest.mark.pdf
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_note_calls_print_as_the_page_has_them(built, slug, lang):
    """Each call of the PDF, read back, is its number alone after the text the web
    page has before it: no stray comma (CSS sibling selectors made "in 1989,²" of
    every second call of a paragraph), in every language."""
    page = built / "site" / lang / "analyses" / slug / "index.html"
    expected = _calls_on_the_page(page)
    printed = _calls_in_context(pdf_path(built, lang, slug))
    assert [run for _, run in printed] == [number for _, number in expected]
    for (left, _), (before, number) in zip(printed, expected, strict=True):
        if left:  # a call at the start of a line has nothing before it there
            assert _tail(left) == _tail(before), (number, left[-30:], before[-30:])
    assert len(printed) >= SLUGS[slug]


@pytest.mark.pdf
def test_adjacent_calls_print_with_a_comma_between(tmp_path):
    """Calls with nothing but whitespace (or emphasis) between them print "1,2";
    calls with words between them print alone."""
    notes = "".join(f"[^{n}]: Note {n}.\n\n" for n in range(1, 10))
    markdown = (
        "---\ntitle: Calls\ndate: 2024-01-01\nauthor: editors\nlang: en\nsummary: Calls.\n---\n\n"
        "Sanctions[^1][^2] and talks[^3] [^4], then\na wrapped line[^5]\n[^6] and *emphasis[^7]*[^8]"
        " and the end of the war in 1991.[^9]\n\n" + notes
    )
    result, out, count = _pdf_of(markdown, tmp_path, "")
    assert result.problems == [] and count == 9
    printed = _calls_in_context(out)
    assert [run for _, run in printed] == ["1,2", "3,4", "5,6", "7,8", "9"]
    assert [_tail(left) for left, _ in printed if left][-1] == "1."
