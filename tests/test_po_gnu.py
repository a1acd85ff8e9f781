"""The PO reader against GNU gettext, on every catalog of the project and its tests
and on mutated copies of them:

- it accepts a file exactly when ``msgcat`` does, but where the project decides
  otherwise on purpose: a header field the project cannot take (``header.py``), an
  obsolete entry that repeats a current one (``pybabel update`` writes those), a file
  without a charset in its header (read as UTF-8), a UTF-8 byte order mark (skipped);
- what it reads is what ``msgcat`` writes back (``--no-wrap``): contexts, msgids,
  plurals, translations, fuzzy flags, previous msgids, comments, obsolete entries
  (GNU keeps only the last ``#,`` line's ``fuzzy``: entries with several are left out);
- every translation it reads is the one ``msgfmt`` compiles into the ``.mo`` file.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from test_po_reader import CATALOGS, mutants

from pressroom.errors import CatalogError
from pressroom.po import PoFile, decode_po
from pressroom.po.reader import comment_lines

MSGCAT = shutil.which("msgcat")
MSGFMT = shutil.which("msgfmt")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    assert MSGCAT and MSGFMT, "GNU gettext's msgcat and msgfmt are needed (Makefile installs them)"
    folder = tmp_path_factory.mktemp("gnu")
    files = []
    for i, text in enumerate([p.read_bytes().decode("utf-8", "replace") for p in CATALOGS]
                             + list(mutants(1200, 20261203))):
        path = folder / f"case-{i}.po"
        path.write_bytes(text.encode("utf-8"))
        files.append(path)
    return files


def _ours(path: Path) -> PoFile | str:
    try:
        return decode_po(path.read_bytes(), path.name)
    except CatalogError as exc:
        return str(exc)


def _gnu(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _allowed(ours: PoFile | str, stderr: str) -> bool:
    """A difference of acceptance that the project chose (see the module docstring)."""
    if not isinstance(ours, str) and ours.bom and ":1:" in stderr:
        return True  # GNU takes a byte order mark for text on line 1; the project skips it
    if isinstance(ours, str):
        return "invalid catalog header" in ours
    if "duplicate message definition" in stderr:
        return any(e.obsolete for e in ours.entries)
    return "charset" in stderr and "header" in stderr


@pytest.mark.slow
def test_accepts_what_msgcat_accepts(corpus):
    compared = refused = 0
    for path in corpus:
        ours = _ours(path)
        gnu = _gnu(MSGCAT, "-o", "/dev/null", str(path))
        if (not isinstance(ours, str)) != (gnu.returncode == 0) and not _allowed(ours, gnu.stderr):
            pytest.fail(f"{path.name}: ours {'accepts' if not isinstance(ours, str) else ours!r}; "
                        f"msgcat {'accepts' if gnu.returncode == 0 else gnu.stderr.strip()!r}")
        compared += 1
        refused += gnu.returncode != 0
    assert refused > 200 and compared - refused > 200, (compared, refused)


def _view(po: PoFile) -> tuple[list, list]:
    def fuzzy(e) -> bool:  # GNU drops the flag of an untranslated entry
        return e.fuzzy and (bool(e.msgstr) or any(e.plural_strings))

    current = [(e.context, e.msgid, e.msgid_plural, e.msgstr, e.plural_strings, fuzzy(e), e.previous_context,
                e.previous, e.previous_plural, [c.strip() for c in e.comments], e.auto_comments)
               for e in po.entries if not e.obsolete]
    obsolete = [(e.context, e.msgid, e.msgid_plural, e.msgstr, e.plural_strings, fuzzy(e), e.previous_context,
                 e.previous, e.previous_plural) for e in po.entries if e.obsolete]
    return current, obsolete


def _one_flag_line(po: PoFile) -> bool:
    return all(e.span is None or e.obsolete or len(comment_lines(po.text, e.span)[1]) <= 1 for e in po.entries)


@pytest.mark.slow
def test_reads_what_msgcat_writes_back(corpus, tmp_path):
    compared = 0
    for path in corpus:
        ours = _ours(path)
        if isinstance(ours, str) or not _one_flag_line(ours):
            continue
        out = tmp_path / "out.po"
        out.unlink(missing_ok=True)
        if _gnu(MSGCAT, "--no-wrap", "-o", str(out), str(path)).returncode or not out.exists():
            continue  # a difference of acceptance the test above allows, or nothing to write
        back = _ours(out)
        assert not isinstance(back, str), (path.name, back)
        assert _view(ours) == _view(back), path.name
        compared += 1
    assert compared > 250


@pytest.mark.slow
def test_every_translation_is_the_one_msgfmt_compiles(corpus, tmp_path):
    checked = 0
    for path in corpus:
        ours = _ours(path)
        mo = tmp_path / "out.mo"
        mo.unlink(missing_ok=True)
        if isinstance(ours, str) or _gnu(MSGFMT, "-o", str(mo), str(path)).returncode:
            continue
        try:
            with mo.open("rb") as f:
                compiled = gettext.GNUTranslations(f)
        except (UnicodeDecodeError, ValueError):
            continue  # a mutated header Python's gettext cannot take (no charset, a broken plural)
        for e in ours.messages:
            if e.plural or e.fuzzy or not e.msgstr:
                continue
            found = compiled.pgettext(e.context, e.msgid) if e.context is not None else compiled.gettext(e.msgid)
            assert found == e.msgstr, (path.name, e.line)
            checked += 1
    assert checked > 1000  # the test is not vacuous: enough translations were compared
