"""Sources that are valid but unusual are read like any other, and Markdown files
that no command reads are reported instead of skipped silently."""

from __future__ import annotations

from pathlib import Path

import pytest

ANALYSIS = "content/analyses/us-role-in-nato-russia-tensions.md"


def _tree(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("source", [ANALYSIS, "content/authors/zeki-talustan-gulten.md"])
def test_a_byte_order_mark_is_not_part_of_the_text(project: Path, run, source: str):
    """Some Windows editors start UTF-8 files with a BOM: the source reads the same,
    so its templates and catalogs do not change and the build is clean."""
    path = project / source
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    catalogs = _tree(project, "locales")

    code, _, err = run(project, "update")
    assert code == 0, err
    assert _tree(project, "locales") == catalogs
    code, out, err = run(project, "check")
    assert code == 0 and out == "", out + err
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "warning" not in err, err


UNREAD = [
    ("content/analyses/extra.MD", "not read: sources end in '.md' (lower case): rename it to extra.md"),
    ("content/analyses/extra.markdown", "not read: sources end in '.md' (lower case): rename it to extra.md"),
    ("content/authors/someone.Md", "not read: sources end in '.md' (lower case): rename it to someone.md"),
    ("content/analysis/extra.md",
     "not read: sources are content/analyses/<slug>.md and content/authors/<slug>.md"),
    ("content/analyses/drafts/extra.md",
     "not read: sources are content/analyses/<slug>.md and content/authors/<slug>.md"),
    ("content/extra.md", "not read: sources are content/analyses/<slug>.md and content/authors/<slug>.md"),
]


@pytest.mark.parametrize("command", ["build", "check", "update", "extract"])
@pytest.mark.parametrize(("path", "message"), UNREAD, ids=[u[0] for u in UNREAD])
def test_markdown_that_is_not_read_is_reported(project: Path, run, path: str, message: str, command: str):
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((project / ANALYSIS).read_bytes())

    code, out, err = run(project, command, *(["--no-pdf"] if command == "build" else []))

    assert code == 0, out + err
    assert f"{path}: warning: {message} [content]" in (out + err).splitlines()


def test_hidden_and_other_files_are_left_alone(project: Path, run):
    """Editors' swap files and images beside the sources are not sources."""
    (project / "content/analyses/.us-role.md.swp").write_bytes(b"\x00swap")
    (project / "content/analyses/figure.png").write_bytes(b"\x89PNG")
    code, out, err = run(project, "check")
    assert code == 0 and "[content]" not in out + err
