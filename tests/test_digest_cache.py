"""File digests kept by signature between builds (``fingerprints.DigestCache``): a
file is read again when its modification time, size or inode changed, and a file
written within ``RACY`` seconds of a build is never taken on trust."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import copy_project

from pressroom.config import load_config
from pressroom.site.fingerprints import DigestCache, file_digest


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_an_old_file_is_read_once_then_known_by_its_signature(tmp_path):
    config = load_config(copy_project(tmp_path / "p"))
    source = tmp_path / "p" / "x.po"
    source.write_text("msgid \"a\"\n", encoding="utf-8")
    age(source, 3600)
    first = DigestCache(config)
    assert first.digest(source) == file_digest(source)
    first.read = {os.fspath(source)}
    first.save()
    cache = DigestCache(config)
    assert cache.files[os.fspath(source)][3] == file_digest(source)
    # same bytes under the old signature: the cache answers without reading
    cache.files[os.fspath(source)][3] = "remembered"
    assert cache.digest(source) == "remembered"


def test_a_rewritten_file_of_the_same_size_is_read_again(tmp_path):
    config = load_config(copy_project(tmp_path / "p"))
    source = tmp_path / "p" / "x.po"
    source.write_text("msgstr \"a\"\n", encoding="utf-8")
    age(source, 3600)
    cache = DigestCache(config)
    before = cache.digest(source)
    cache.read = {os.fspath(source)}
    cache.save()
    source.write_text("msgstr \"b\"\n", encoding="utf-8")  # same size, new time
    age(source, 1800)
    after = DigestCache(config).digest(source)
    assert after == file_digest(source) != before


def test_a_file_written_just_now_is_not_taken_on_trust(tmp_path):
    config = load_config(copy_project(tmp_path / "p"))
    source = tmp_path / "p" / "x.po"
    source.write_text("msgstr \"a\"\n", encoding="utf-8")
    cache = DigestCache(config)
    assert cache.digest(source) == file_digest(source)
    cache.read = {os.fspath(source)}
    cache.save()
    assert os.fspath(source) not in DigestCache(config).files


def test_files_no_longer_read_are_forgotten_and_a_damaged_cache_is_no_cache(tmp_path):
    config = load_config(copy_project(tmp_path / "p"))
    a, b = tmp_path / "p" / "a.po", tmp_path / "p" / "b.po"
    for path in (a, b):
        path.write_text(path.name, encoding="utf-8")
        age(path, 3600)
    cache = DigestCache(config)
    cache.digest(a), cache.digest(b)
    cache.read = {os.fspath(a)}
    cache.save()
    assert set(DigestCache(config).files) == {os.fspath(a)}
    cache.path.write_text("{not json", encoding="utf-8")
    assert DigestCache(config).files == {}
    assert DigestCache(config).digest(b) == file_digest(b)
