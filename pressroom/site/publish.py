"""What a build wrote (a staging directory) -> site/, in one swap or file by file
(``journal``); one build at a time.

The contract, for ``site.build``:

- ``build_lock``: one build per project at a time, the editor's background builds
  included. It is an exclusive ``flock`` on ``.pressroom-cache/build.lock``, held for
  the whole build; a second build says whom it waits for and waits. The kernel drops
  the lock when its holder ends, however it ends (the build's worker processes share
  it until they end too, so no build starts while a killed one's workers still write).
- ``recover``, first thing under the lock: whatever an interrupted build left is put
  right (a journaled commit ended, a site put aside put back, dead builds' staging
  directories removed).
- A build writes only into its staging directory (``Staging``): ``.site-<pid>-<random>``
  beside site/ (one file system, so that publishing is renaming), made with the umask's
  mode, holding the files this build wrote and nothing else. Only the lock holder removes
  the ones left over, and only those whose owner process is gone (``remove_stale_staging``).
- ``publish`` decides how it goes into site/. A small change (``SWAP_SHARE``) to a
  site the cache describes is committed file by file (``journal.commit``): each
  written file renamed into place, each file the new site no longer has deleted; the
  cost is what changed. Otherwise (a first build, a new umask, a large change) the
  unchanged files are hard-linked into the staging directory, which then replaces site/
  in one step (``swap_into_place``): ``renameat2(RENAME_EXCHANGE)`` on Linux,
  ``renamex_np(RENAME_SWAP)`` on macOS. Whoever opens a path under site/ gets the old
  file or the new one, never nothing, either way. Where the file system cannot exchange
  (NFS, for one) the swap takes two renames, and a build killed between them leaves its
  old site as ``.site-<pid>-<random>-old``, which the next lock holder puts back
  before anything else (``restore_interrupted_swap``).
- The files of site/ are those the cache names: a file put into site/ by hand stays
  there until a build replaces the whole tree (a swap) and is then gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..config import Config
from ..errors import PressroomError, SiteChanged
from . import journal
from .fingerprints import CACHE_DIR
from .state import State, save_state

STAGING_PREFIX = ".site-"
OLD_SUFFIX = "-old"
"""Added to a staging directory's name for the site it replaces, when the swap takes two renames."""
_LEGACY_SPARE = "spare-site"
"""In ``CACHE_DIR``: the directories of the site before last, as toolkits before the
journal kept them for their next build."""
LOCK_FILE = "build.lock"
"""In ``CACHE_DIR``: locked (``flock``) by the build in progress, which writes its process id there."""
_OWNER = re.compile(rf"{re.escape(STAGING_PREFIX)}(\d+)-")
_LEGACY_OLD = f"{STAGING_PREFIX}old-*"
"""The replaced site, as toolkits before the lock named it between their two renames."""


# -- one build at a time -----------------------------------------------------------------


@contextlib.contextmanager
def build_lock(config: Config, log: Callable[[str], None], busy: str | None = None) -> Iterator[None]:
    """Hold the project's build lock for the ``with`` block, waiting for it if another
    build holds it; with ``busy`` set, not waiting: a ``PressroomError`` saying that a
    build is running, then ``busy`` (what was not done)."""
    path = config.root / CACHE_DIR / LOCK_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise PressroomError(f"cannot lock the project: {exc.strerror}", config.rel(path)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            who = f"process {holder}" if holder else "another process"
            if busy is not None:
                raise PressroomError(f"a build is running ({who}): {busy}", config.rel(path)) from None
            log(f"waiting for the build in progress ({who}) to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                raise
            log(f"warning: {config.rel(path)}: this file system has no locks ({exc.strerror}): "
                "do not start two builds of this project at once")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock (in this process; forked workers hold it until they end)


_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS}
"""``flock`` on a file system that does not lock (some network and FUSE ones)."""


def _owner_alive(name: str) -> bool:
    """Whether the process that named a staging directory ``name`` still runs. Names
    without an owner (toolkits before the lock) count as a dead owner's."""
    match = _OWNER.match(name)
    if match is None:
        return False
    pid = int(match[1])
    if pid == os.getpid():
        return False  # this process builds only under the lock: it left it behind
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def restore_interrupted_swap(config: Config) -> None:
    """Put back the site that a build killed between the two renames of a fallback
    swap left aside (only then is there no site/ and an ``-old`` tree). Lock holder only."""
    if os.path.lexists(config.site_dir):
        return
    left = [p for p in [*config.root.glob(f"{STAGING_PREFIX}*{OLD_SUFFIX}"), *config.root.glob(_LEGACY_OLD)]
            if p.is_dir() and not p.is_symlink() and not _owner_alive(p.name)]
    if left:
        os.rename(max(left, key=lambda p: p.stat().st_mtime), config.site_dir)


def remove_stale_staging(config: Config) -> None:
    """Staging directories of builds that are gone (never site/). Lock holder only."""
    for stale in config.root.glob(f"{STAGING_PREFIX}*"):
        if stale.is_dir() and not stale.is_symlink() and not _owner_alive(stale.name):
            shutil.rmtree(stale, ignore_errors=True)


# -- the staging directory ---------------------------------------------------------------


class Staging:
    """A build's staging directory, ``.site-<pid>-<random>`` beside site/: what the
    build writes, nothing else, until it is published. Files of the current site can
    be lent to it (``lend``) for a step that reads the whole new site."""

    def __init__(self, config: Config, link: bool):
        self.site = config.site_dir
        self._rel = config.rel
        self.path = config.root / f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
        self.link = link
        """Whether unchanged files may be shared with site/ (the umask they were made
        under is this build's): else they are copied, and so get this build's modes."""
        self.lent: set[str] = set()
        self._made: set[str] = set()
        """Directories of the staging directory known to exist, relative to it."""
        os.mkdir(self.path)

    def lend(self, files: Iterable[str]) -> None:
        """Put the current site's ``files`` into the staging directory as they are
        (those the build has not written), for a step that reads the whole new site."""
        for rel in files:
            if rel in self.lent:
                continue
            parent = os.path.dirname(rel)
            if parent not in self._made:
                os.makedirs(self.path / parent, exist_ok=True)
                self._made.add(parent)
            try:
                shared = _share(self.site / rel, self.path / rel, self.link)
            except FileNotFoundError:
                raise SiteChanged(
                    "removed from site/ while the build ran; nothing was published: build again",
                    self._rel(self.site / rel),
                ) from None
            if shared:
                self.lent.add(rel)

    def written(self) -> set[str]:
        """The files this build wrote, relative to the staging directory."""
        files = set()
        for directory, _, names in os.walk(self.path):
            rel = os.path.relpath(directory, self.path)
            files.update(name if rel == "." else f"{rel}/{name}" for name in names)
        return files - self.lent

    def take_back(self) -> None:
        """The lent files out of the staging directory (site/ keeps them)."""
        for rel in self.lent:
            os.unlink(self.path / rel)
        self.lent.clear()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def clear(self) -> None:
        """Empty again: nothing written, nothing lent."""
        shutil.rmtree(self.path)
        os.mkdir(self.path)
        self.lent.clear()
        self._made.clear()


def _share(source: Path, target: Path, link: bool) -> bool:
    """``source`` at ``target`` too: a hard link (files are never modified in place, so
    sharing them is safe), or a copy with the modes the umask gives a new file where
    ``link`` is false or linking fails (another file system, or one without links).
    False, doing nothing, where ``target`` exists (the build wrote it)."""
    if link:
        try:
            os.link(source, target)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass
    if os.path.lexists(target):
        return False
    shutil.copyfile(source, target)
    return True


# -- publishing: in one swap, or file by file -------------------------------------------------


SWAP_SHARE = 0.25
"""A build that writes or deletes more than this share of the site's files publishes
it in one swap (``swap_into_place``); one that changes less, file by file
(``journal.commit``). The swap is atomic but costs about the whole site (a hard link
for every unchanged file, then the deletion of every file of the replaced tree); the
journaled commit costs what changed, and a reader during it can see a new page beside
a listing not yet replaced. Above a quarter of the site, rendering the changed pages
costs several times what the swap adds; below it, the swap's cost no longer shrinks with
the change (docs/benchmarks.md, "Publishing")."""


def publish(config: Config, staging: Staging, old: State, new: State, log: Callable[[str], None]) -> str:
    """Make site/ the site ``new`` describes, from the current one (which ``old``
    describes) and ``staging``'s files; ``new`` becomes the cache. Returns how: "swap"
    or "journal"."""
    written = staging.written()
    known = new.files()
    new.every_build = tuple(sorted(written - known))
    known.update(new.every_build)
    deleted = sorted(old.files() - known)
    if _file_by_file(config, staging, old, len(written) + len(deleted), len(known)):
        log(f"publishing {len(written)} file(s), deleting {len(deleted)}, file by file")
        staging.take_back()
        journal.commit(config, staging.path, deleted, new)
        return "journal"
    log(f"publishing the whole site in one swap ({len(written)} file(s) new of {len(known)})")
    staging.lend(sorted(known - written))
    old_site = swap_into_place(staging.path, config.site_dir)
    save_state(config, new)
    if old_site is not None:
        _remove_tree(old_site)
    return "swap"


def _file_by_file(config: Config, staging: Staging, old: State, changed: int, total: int) -> bool:
    """Whether to publish by a journaled commit: a small change (``SWAP_SHARE``) to a
    site the cache describes, unless the configuration asks for a swap (``publish``), whose files keep their modes (same umask) and which
    the staging directory's files can be renamed into (one file system)."""
    if config.site_update == "swap" or not (old.articles or old.pages) or not staging.link or changed > SWAP_SHARE * total:
        return False
    try:
        site = os.lstat(config.site_dir)
    except FileNotFoundError:
        return False
    return stat.S_ISDIR(site.st_mode) and site.st_dev == os.stat(staging.path).st_dev


def _remove_tree(tree: Path) -> None:
    """The site a swap replaced (under a staging name: a build stopped meanwhile
    leaves it to the next one's ``remove_stale_staging``)."""
    if tree.is_symlink():  # a site/ that was a link to elsewhere: never delete through it
        tree.unlink()
    else:
        shutil.rmtree(tree, ignore_errors=True)


def recover(config: Config, log: Callable[[str], None]) -> None:
    """What an interrupted build left, put right before this build does anything
    (lock holder only): a journaled commit ended, a site put aside by a two-rename swap
    put back, staging directories of dead builds removed, and the emptied tree earlier
    toolkits kept for their next build (``.pressroom-cache/spare-site``) deleted."""
    journal.recover(config, log)
    restore_interrupted_swap(config)
    remove_stale_staging(config)
    shutil.rmtree(config.root / CACHE_DIR / _LEGACY_SPARE, ignore_errors=True)


# -- the swap ---------------------------------------------------------------------------


def swap_into_place(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` where ``target`` is, in one step; returns the replaced tree
    (under a staging name, so that the next build deletes it if this one stops), or
    None if there was no ``target``."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return None
    if exchange(staging, target):
        return staging  # now the old site
    old = staging.with_name(staging.name + OLD_SUFFIX)
    os.rename(target, old)  # killed here, there is no site/ until the next build puts it back
    os.rename(staging, target)
    return old


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
"""What the kernel or the file system answers when it cannot exchange two names."""


def exchange(a: Path, b: Path) -> bool:
    """Swap the directory entries ``a`` and ``b`` atomically. False, changing nothing,
    where the system or the file system cannot; other failures raise ``OSError``."""
    libc = _libc()
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


_LIBC: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL:
    """The C library this process runs on (renameat2 is in glibc since 2.28)."""
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
        if hasattr(_LIBC, "renameat2"):
            _LIBC.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        if hasattr(_LIBC, "renamex_np"):
            _LIBC.renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
    return _LIBC
