"""Room on CPython's data stack (``pressroom.pdf.stack_room``): a call made through it
is the same call, and a hot loop inside it, at any depth a render reaches, maps no
stack chunk, where the same loop without it does at some depth (CPython 3.11 and
3.12). Chunk maps are seen as page faults: a new chunk's first page is a fault."""

from __future__ import annotations

import logging
import resource
import sys

import pytest

from pressroom.pdf import stack_room

CALLS = 2000
"""Calls of the hot loop at each depth."""
DEPTHS = range(200)
"""Padding frames before the loop: 200 frames of ~12 slots sweep more than one
16 KiB chunk (2,048 slots), so some depth puts the loop's callee on a chunk's edge."""
CHUNK_THRASHED = sys.implementation.name == "cpython" and sys.version_info < (3, 13)
"""Interpreters without the fix of gh-142183, where a call across a chunk's edge maps it."""
ROOM = stack_room.call.__code__
"""The room's entry, as the module made it."""


def _leaf(a):
    # More locals than a padding frame has: some padding depth leaves less room than this.
    b = c = d = e = f = g = h = i = j = k = l = m = n = o = p = q = r = s = t = u = a
    return (b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u)


def _loop_faults(depth: int) -> int:
    """Minor page faults of ``CALLS`` calls of ``_leaf`` made ``depth`` frames deeper."""
    if depth:
        return _loop_faults(depth - 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for number in range(CALLS):
        _leaf(number)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _worst_depth() -> tuple[int, int]:
    """(faults, depth) of the depth whose loop faulted most."""
    return max((_loop_faults(depth), depth) for depth in DEPTHS)


def test_call_is_the_call():
    assert stack_room.call(divmod, 17, 5) == (3, 2)
    assert stack_room.call(dict, [("a", 1)], b=2) == {"a": 1, "b": 2}
    with pytest.raises(ZeroDivisionError):
        stack_room.call(divmod, 1, 0)


def test_no_chunk_mapped_inside_the_room():
    faults, depth = stack_room.call(_worst_depth)
    assert faults < CALLS // 10, f"{faults} page faults for {CALLS} calls at depth {depth} inside the room"


@pytest.mark.skipif(not CHUNK_THRASHED, reason="this interpreter keeps a freed stack chunk (gh-142183 fixed)")
def test_without_the_room_some_depth_maps_a_chunk_per_call():
    """The control: the sweep does find a chunk's edge when entered anywhere else."""
    faults, depth = _worst_depth()
    assert faults >= CALLS, f"only {faults} page faults at the worst depth ({depth}): no chunk edge found"


def test_the_room_is_a_chunk_of_its_own():
    """The entry frame is larger than a 16 KiB chunk: CPython cannot put it in the
    chunk in use, wherever that chunk is filled to."""
    if sys.implementation.name != "cpython":
        assert stack_room.call is stack_room._direct
        return
    code = stack_room.call.__code__
    assert len(code.co_varnames) * 8 > 16 * 1024


def test_weasyprint_renders_inside_the_room(tmp_path):
    """``render_pdf`` lays out inside ``stack_room.call``: a warning WeasyPrint logs
    while laying out (an unknown property) is logged with the room's frame below it."""
    from pressroom.pdf.render import render_pdf

    seen: list[bool] = []

    class Probe(logging.Handler):
        def emit(self, record):
            frame = sys._getframe()
            while frame and frame.f_code is not ROOM:
                frame = frame.f_back
            seen.append(frame is not None)

    html = '<html lang="en"><head><style>p { colour: red }</style></head><body><p>text</p></body></html>'
    probe = Probe(logging.WARNING)
    logging.getLogger("weasyprint").addHandler(probe)
    try:
        result = render_pdf(lambda policy, breaks: html, tmp_path.as_uri() + "/", [tmp_path], 0)
    finally:
        logging.getLogger("weasyprint").removeHandler(probe)
    assert result.data.startswith(b"%PDF") and any("colour" in warning for warning in result.warnings)
    assert seen and all(seen), seen
