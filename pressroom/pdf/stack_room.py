"""A call with room above it on CPython's data stack, so that a deep, hot loop does
not pay for a memory map on every call.

CPython keeps the frames of a thread in chunks of 16 KiB. A call whose frame does
not fit in the current chunk maps a new chunk, and the return unmaps it again
(CPython issue gh-142183, "Calls across stack chunks perform badly", fixed upstream
in 2026 and backported to 3.13, not to 3.11 or 3.12). WeasyPrint's layout calls the same
functions millions of times at a few depths; if one of those depths is a chunk's
edge, every call there costs a ``mmap``, a page fault and a ``munmap``. Where the
edges fall depends on how deep the caller already is, so the same PDF cost a build
worker up to 17% more in one process than in another.

``call`` enters ``function`` through a frame of ``SLOTS`` slots (33.6 KB): it cannot
fit in a 16 KiB chunk, so CPython gives it a chunk of its own of 64 KiB, and
``function`` starts with the ~30 KB (3,800 slots) above it, the same in every
process, and deep enough for a render. Only CPython has such chunks; elsewhere
``function`` is called directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

SLOTS = 4200
"""Local variables of the entry frame: 8 bytes each, more than a 16 KiB chunk holds."""


def _entry() -> Callable:
    names = " = ".join(f"_{i}" for i in range(SLOTS))
    source = f"def call(function, *args, **kwargs):\n    if False:\n        {names} = None\n    return function(*args, **kwargs)\n"
    namespace: dict = {}
    exec(compile(source, __file__, "exec"), namespace)  # noqa: S102 - source made above from constants
    return namespace["call"]


def _direct(function: Callable[..., T], *args, **kwargs) -> T:
    return function(*args, **kwargs)


call: Callable = _entry() if sys.implementation.name == "cpython" else _direct
"""``call(function, *args, **kwargs)``: ``function(*args, **kwargs)``, with room."""
