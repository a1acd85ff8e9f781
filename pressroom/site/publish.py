"""A finished staging directory -> site/, swapped in whole; one build at a time.

The contract, for ``site.build``:

- ``build_lock``: one build per project at a time, the editor's background builds
  included. It is an exclusive ``flock`` on ``.pressroom-cache/build.lock``, held for
  the whole build; a second build says whom it waits for and waits. The kernel drops
  the lock when its holder ends, however it ends (the build's worker processes share
  it until they end too, so no build starts while a killed one's workers still write).
- Staging directories are ``.site-<pid>-<random>`` beside site/ (one file system, so
  the swap is a rename), made with the umask's mode. Only the lock holder removes
  the ones left over, and only those whose owner process is gone
  (``remove_stale_staging``).
- ``swap_into_place`` replaces site/ in one step: ``renameat2(RENAME_EXCHANGE)`` on
  Linux, ``renamex_np(RENAME_SWAP)`` on macOS. Whoever opens a path under site/ gets
  the old file or the new one, never nothing. Where the file system cannot exchange
  (NFS, for one) it takes two renames, and a build killed between them leaves its
  old site as ``.site-<pid>-<random>-old``, which the next lock holder puts back
  before anything else (``restore_interrupted_swap``).
- The replaced site's directories, emptied of files, are kept as the next build's
  staging directory (``keep_as_spare``, ``make_staging``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ..config import Config
from ..errors import PressroomError
from .fingerprints import CACHE_DIR

STAGING_PREFIX = ".site-"
OLD_SUFFIX = "-old"
"""Added to a staging directory's name for the site it replaces, when the swap takes two renames."""
SPARE = "spare-site"
"""In ``CACHE_DIR``: the directories of the site before last, without files."""
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


# -- staging directories and the spare tree -----------------------------------------------


def make_staging(config: Config, dir_mode: int) -> tuple[Path, bool]:
    """An empty staging directory: the directory tree of the site before last (kept,
    emptied of files, by ``keep_as_spare``) when there is one, else a new one. Its
    directories get ``dir_mode`` (what the umask gives a new directory).

    Reusing the directories keeps a rebuild from creating and deleting a directory
    per page: on a filesystem without a journal (ext4 in that mode) every inode created
    walks past each one freed in the last minutes, so a rebuild that deleted the
    directories of the last tree made the next rebuilds slower and slower."""
    staging = config.root / f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        os.rename(config.root / CACHE_DIR / SPARE, staging)
    except OSError:  # no spare (first builds), or it is elsewhere
        os.mkdir(staging)
        return staging, False
    if staging.stat().st_mode & 0o777 != dir_mode:  # kept under another umask
        _chmod_dirs(staging, dir_mode)
    return staging, True


def _chmod_dirs(directory: Path | str, mode: int) -> None:
    """Give ``directory`` and every directory under it the permissions ``mode``
    (keeping a set-group-ID bit, which the parent directory may ask for)."""
    os.chmod(directory, os.stat(directory).st_mode & 0o7000 | mode)
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _chmod_dirs(entry.path, mode)


def keep_as_spare(config: Config, tree: Path, has_files: bool = True) -> None:
    """Delete every file of ``tree`` (a staging directory or a replaced site; none of
    its files is shared with anything but site/) and keep its directories for the next
    build. Named as the spare only once it holds no file: a build stopped meanwhile
    leaves a staging-named directory, which the next build deletes."""
    if tree.is_symlink():  # a site/ that was a link to elsewhere: never delete through it
        tree.unlink()
        return
    try:
        if has_files:
            _delete_files(tree)
        spare = config.root / CACHE_DIR / SPARE
        spare.parent.mkdir(exist_ok=True)
        shutil.rmtree(spare, ignore_errors=True)  # only there if another build left one
        os.rename(tree, spare)
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)


def _delete_files(directory: Path | str) -> None:
    """Every file and link under ``directory``; the directories stay."""
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _delete_files(entry.path)
            else:
                os.unlink(entry.path)


def prune_empty_dirs(directory: Path | str) -> bool:
    """Remove the directories under ``directory`` (kept from a spare) that this build
    wrote nothing into, so that a rebuilt site has the directories a clean build makes.
    True if ``directory`` itself is left empty."""
    empty = True
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and prune_empty_dirs(entry.path):
                os.rmdir(entry.path)
            else:
                empty = False
    return empty


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
