"""Translation memory: lookups (fixtures/memory.md), ``update``'s pre-fill from it,
and what is not memory (fuzzy entries, translations the build would not publish)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project
from markdown_it.utils import read_fixture_file

from pressroom.catalogs.files import read_catalog
from pressroom.catalogs.memory import MEMORY_STAMP, Memory, MemoryEntry
from pressroom.cli import main
from pressroom.po.editor import PoText

CASES = read_fixture_file(FIXTURES / "memory.md")


def memory_of(text: str) -> Memory:
    entries, domain, lines = [], "a", {}
    for line in text.splitlines():
        if line.startswith("@"):
            domain = line[1:]
            continue
        source, target = line.split(" => ")
        lines[domain] = lines.get(domain, 0) + 1
        entries.append(MemoryEntry(source, target, domain, f"{domain}.po", lines[domain]))
    return Memory(entries)


def shown(diff) -> str:
    return "".join(text if op == "=" else f"{{{op}{text}{op}}}" for op, text in diff)


@pytest.mark.parametrize("line,title,source,expected", CASES, ids=[c[1] for c in CASES])
def test_lookup(line, title, source, expected):
    table, _, lookup = source.partition("=== lookup\n")
    found = memory_of(table).matches(lookup.rstrip("\n"))
    got = "".join(f"{m.score:.3f} {m.entry.target} ({m.entry.origin})\n{shown(m.diff)}\n" for m in found)
    assert got == expected


def test_an_exact_match_is_what_most_catalogs_say_then_the_first_catalogs():
    memory = Memory([
        MemoryEntry("Notes", "Dipnotlar", "a", "a.po", 3), MemoryEntry("Notes", "Notlar", "b", "b.po", 3),
        MemoryEntry("Notes", "Notlar", "c", "c.po", 3),
    ])
    assert memory.exact("Notes").target == "Notlar" and memory.exact("Notes").path == "b.po"
    tie = memory.exact("Notes", exclude="b.po")  # one vote each: the first catalog's
    assert (tie.target, tie.path) == ("Dipnotlar", "a.po")
    assert memory.exact("Footnotes") is None


# -- update pre-fills from memory --------------------------------------------------------

SEED = "us-role-in-nato-russia-tensions"
NEW = "sanctions-and-oil"


def a_citation(root: Path) -> tuple[str, str]:
    """A translated footnote of the seed with no note call of its own: (source, tr)."""
    rel = f"locales/tr/LC_MESSAGES/{SEED}.po"
    catalog = read_catalog(root / rel, rel, "tr", SEED)
    for message in catalog:
        if (message.id and message.string and not message.fuzzy and "[^" not in message.id
                and any(c.startswith("footnote") for c in message.auto_comments)):
            return message.id, message.string
    raise AssertionError("the seed has no translated footnote")


def new_analysis(root: Path, paragraph: str, note: str) -> None:
    write_analysis(root, f"{paragraph}[^1]\n\n[^1]: {note}\n")


def write_analysis(root: Path, body: str) -> None:
    (root / f"content/analyses/{NEW}.md").write_text(
        "---\ntitle: Sanctions and Oil\ndate: 2024-03-01\nauthor: zeki-talustan-gulten\nlang: en\n"
        f"summary: Oil price ceilings a year on.\ntags: [sanctions]\n---\n\n{body}",
        encoding="utf-8",
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_update_prefills_a_new_entry_from_memory_fuzzy_with_its_origin(project):
    citation, translation = a_citation(project)
    new_analysis(project, "Oil price ceilings were set in 2022.", citation)
    assert main(["update"], project=project) == 0
    rel = f"locales/tr/LC_MESSAGES/{NEW}.po"
    message = read_catalog(project / rel, rel, "tr", NEW).get(citation)
    assert message.string == translation and message.fuzzy
    [comment] = [c for c in message.user_comments if c.startswith(MEMORY_STAMP)]
    origin = re.fullmatch(rf"{MEMORY_STAMP} ({SEED}):(\d+)", comment)
    assert origin, comment
    seed_rel = f"locales/tr/LC_MESSAGES/{SEED}.po"
    assert read_catalog(project / seed_rel, seed_rel, "tr", SEED).get(citation).lineno == int(origin[2])
    # a body paragraph no catalog has stays untranslated, and so does the title
    catalog = read_catalog(project / rel, rel, "tr", NEW)
    assert catalog.get("Oil price ceilings were set in 2022.[^1]").string == ""
    assert catalog.get("Sanctions and Oil").string == ""
    # Russian from Russian memory
    ru_rel = f"locales/ru/LC_MESSAGES/{NEW}.po"
    ru_seed = read_catalog(project / f"locales/ru/LC_MESSAGES/{SEED}.po", "x", "ru", SEED).get(citation).string
    assert read_catalog(project / ru_rel, ru_rel, "ru", NEW).get(citation).string == ru_seed


def test_a_second_update_changes_nothing_and_the_build_publishes_the_prefill_as_fuzzy(project):
    citation, translation = a_citation(project)
    new_analysis(project, "Oil price ceilings were set in 2022.", citation)
    assert main(["update"], project=project) == 0
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    assert main(["update"], project=project) == 0
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po")} == before
    assert main(["build", "--no-pdf"], project=project) == 0
    page = (project / f"site/tr/analyses/{NEW}/index.html").read_text(encoding="utf-8")
    assert translation not in page  # fuzzy: a draft for the translator, not published


def test_update_no_fuzzy_does_not_prefill(project):
    citation, _ = a_citation(project)
    new_analysis(project, "Oil price ceilings were set in 2022.", citation)
    assert main(["update", "--no-fuzzy"], project=project) == 0
    rel = f"locales/tr/LC_MESSAGES/{NEW}.po"
    assert read_catalog(project / rel, rel, "tr", NEW).get(citation).string == ""


def break_translation(root: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> None:
    """Set the seed's Turkish translation of ``msgid`` through the editor's one-entry
    edit (every other byte kept)."""
    rel = f"locales/tr/LC_MESSAGES/{SEED}.po"
    po = PoText((root / rel).read_text(encoding="utf-8"), rel)
    new = po.replace_entry(po.find(msgid), msgstr=msgstr, fuzzy=fuzzy)
    (root / rel).write_text(new, encoding="utf-8")


def test_what_the_build_would_not_publish_is_not_memory(project):
    # a paragraph with a note call, translated without it (the gate refuses it)
    rel = f"locales/tr/LC_MESSAGES/{SEED}.po"
    catalog = read_catalog(project / rel, rel, "tr", SEED)
    source = next(m.id for m in catalog if m.id and "[^2]" in m.id and m.string)
    break_translation(project, source, "Çeviri dipnot çağrısı olmadan.")
    labels = dict.fromkeys(re.findall(r"\[\^(\w+)\]", source))
    write_analysis(project, source + "\n\n" + "\n\n".join(f"[^{x}]: Note {x}." for x in labels) + "\n")
    assert main(["update"], project=project) == 0
    new_rel = f"locales/tr/LC_MESSAGES/{NEW}.po"
    assert read_catalog(project / new_rel, new_rel, "tr", NEW).get(source).string == ""


def test_a_fuzzy_entry_is_not_memory(project):
    citation, translation = a_citation(project)
    break_translation(project, citation, translation, fuzzy=True)
    new_analysis(project, "Oil price ceilings were set in 2022.", citation)
    assert main(["update"], project=project) == 0
    rel = f"locales/tr/LC_MESSAGES/{NEW}.po"
    assert read_catalog(project / rel, rel, "tr", NEW).get(citation).string == ""


# -- TMX export ---------------------------------------------------------------------------


def test_the_memory_exports_as_tmx_with_what_the_build_publishes_once_each(project, tmp_path):
    from translate.storage.tmx import tmxfile

    citation, translation = a_citation(project)
    break_translation(project, citation, translation, fuzzy=True)  # not memory
    out = tmp_path / "tr.tmx"
    assert main(["export", "--format", "tmx", "--lang", "tr", "-o", str(out)], project=project) == 0
    units = tmxfile(out.read_bytes()).units
    pairs = [(u.source, u.target) for u in units]
    assert len(pairs) == len(set(pairs)) > 20
    assert (citation, translation) not in pairs
    published = {}
    base = project / "locales/tr/LC_MESSAGES"
    for path in sorted(p for p in base.rglob("*.po") if p.name != "messages.po"):  # analyses and authors
        slug, rel = path.relative_to(base).with_suffix("").as_posix(), path.relative_to(project).as_posix()
        for m in read_catalog(path, rel, "tr", slug):
            if m.id and m.string and not m.fuzzy:
                published.setdefault((m.id, m.string), []).append(f"{slug}:{m.lineno}")
    assert set(pairs) <= set(published)
    shared = next(u for u in units if u.source == "NATO")  # a tag both analyses have
    assert sorted(shared.getnotes().split(", ")) == sorted(published["NATO", shared.target])
    assert all(u.xmlelement.get("srclang") == "en" for u in units)
