"""Sources parsed by an earlier build (``site.parsed``): taken again only while their
file is as it was, never from a file the build did not write, and always the same
documents as a fresh parse."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest
from conftest import copy_project
from test_snapshot import age

from pressroom.config import load_config
from pressroom.errors import Report, SourceError
from pressroom.site.fingerprints import CACHE_DIR
from pressroom.site.parsed import FILE, KnownSources
from pressroom.site.snapshot import Snapshot
from pressroom.sources import documents

A = "us-role-in-nato-russia-tensions"


@pytest.fixture
def project(tmp_path, run):
    root = copy_project(tmp_path / "project")
    age(root)
    assert run(root, "build", "--no-pdf")[0] == 0
    return root


@pytest.fixture
def parsed(monkeypatch):
    """The paths of the sources read and parsed (not taken from the cache)."""
    read: list[str] = []
    real = documents.read_document

    def counting(path, kind, config, report):
        read.append(Path(path).name)
        return real(path, kind, config, report)

    monkeypatch.setattr(documents, "read_document", counting)
    return read


def touch_catalog(root: Path) -> None:
    """Any change that makes the next build check everything (not a source)."""
    po = root / f"locales/tr/LC_MESSAGES/{A}.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    old(po)


def old(path: Path) -> None:
    os.utime(path, (time.time() - 3600, time.time() - 3600))


def test_unchanged_sources_are_not_read_again(project, run, parsed):
    assert (project / CACHE_DIR / FILE).is_file()
    touch_catalog(project)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "reading sources" in err
    assert parsed == []  # every source, analyses and authors, as the last build parsed it


def test_a_changed_source_is_parsed_again_and_shown(project, run, parsed):
    source = project / f"content/analyses/{A}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: ", "title: Revised, ", 1), encoding="utf-8")
    old(source)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert parsed == [f"{A}.md"]
    assert "Revised, " in (project / f"site/en/analyses/{A}/index.html").read_text(encoding="utf-8")
    assert "Revised, " in (project / "site/en/index.html").read_text(encoding="utf-8")


def test_a_kept_document_is_the_parsed_one_and_reads_its_body(project):
    config = load_config(project)
    snapshot = Snapshot.take(config, False, False, 0o022)
    fresh = documents.load_content(config, Report())
    kept = documents.load_content(config, Report(), KnownSources(config, snapshot.inputs))
    for new, old in zip(fresh.documents, kept.documents, strict=True):
        assert old.text is None  # not read
        assert old.body == new.body and old == new


def test_a_source_written_during_the_build_is_not_kept(project, run, parsed):
    source = project / f"content/analyses/{A}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Now, ", 1), encoding="utf-8")
    assert run(project, "build", "--no-pdf")[0] == 0  # written under two seconds ago: racy
    touch_catalog(project)
    old(source)
    parsed.clear()
    assert run(project, "build", "--no-pdf")[0] == 0
    assert parsed == [f"{A}.md"]  # parsed again: its signature was not trusted


@pytest.mark.parametrize("damage", ["truncated", "foreign type", "another parser"])
def test_an_unusable_cache_is_no_cache(project, run, parsed, damage):
    path = project / CACHE_DIR / FILE
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "foreign type":  # what a pickle could make, but no kept source holds
        path.write_bytes(pickle.dumps({"parsing": [], "known": {"x": os.system}}))
    else:
        kept = pickle.loads(data)
        kept["parsing"] = ["an older toolkit"]
        path.write_bytes(pickle.dumps(kept))
    touch_catalog(project)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "reading sources" in err
    assert len(parsed) == len(list((project / "content").rglob("*.md")))  # all parsed again
    touch_catalog(project)
    parsed.clear()
    assert run(project, "build", "--no-pdf")[0] == 0 and parsed == []  # and the cache is whole again


def test_a_kept_source_gone_bad_since_is_an_error_naming_it(project):
    config = load_config(project)
    kept = documents.load_content(config, Report(), KnownSources(config, Snapshot.take(config, False, False, 0o022).inputs))
    doc = next(d for d in kept.analyses if d.slug == A)
    (project / doc.path).write_text("no front matter any more\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        _ = doc.body
    assert str(caught.value).startswith(f"content/analyses/{A}.md:1: missing front matter")
