"""Run ``build.py`` and kill -9 it right after its Nth renaming step.

``python killpoint.py N PROJECT ARGS…`` runs the command line ``ARGS`` on ``PROJECT``
as ``build.py`` does. Every ``os.rename``/``os.replace`` of the build's own process
and every atomic exchange (``pressroom.site.publish.exchange``) is a step; right after the
Nth one the process sends itself SIGKILL: no handler, no ``finally``, as when the
machine kills it. With N = 0 nothing is killed, each step's target is printed
(``killpoint: step K: PATH``) and the number of steps at exit (``killpoint: steps=K``).

``KILLPOINT_NO_EXCHANGE=1`` makes the exchange report "not supported here", as on a
file system without it, so that the build takes its fallback.
``KILLPOINT_SWAP_SHARE=X`` sets the share of the site above which a build publishes in
one swap rather than file by file (``pressroom.site.publish.SWAP_SHARE``): "inf" makes the
seed project's small rebuilds take the journaled commit.
``KILLPOINT_SIGNAL=INT`` sends SIGINT (Ctrl-C) at the Nth step instead of SIGKILL.
"""

from __future__ import annotations

import atexit
import importlib
import os
import signal
import sys
from pathlib import Path

from pressroom.cli import main

MAIN = os.getpid()
steps = 0


def step(function):
    def hooked(*args, **kwargs):
        global steps
        result = function(*args, **kwargs)
        if os.getpid() == MAIN:  # a worker process's own steps are not the build's
            steps += 1
            if LIMIT == 0:
                print(f"killpoint: step {steps}: {os.fsdecode(args[1])}", file=sys.stderr)
            if steps == LIMIT:
                os.kill(MAIN, SIGNAL)
        return result

    return hooked


if __name__ == "__main__":
    LIMIT = int(sys.argv[1])
    SIGNAL = signal.SIGINT if os.environ.get("KILLPOINT_SIGNAL") == "INT" else signal.SIGKILL
    project = Path(sys.argv[2])
    os.rename = step(os.rename)
    os.replace = step(os.replace)
    try:
        publish = importlib.import_module("pressroom.site.publish")
    except ImportError:  # a toolkit without it swaps with renames only
        publish = None
    if publish is not None:
        if os.environ.get("KILLPOINT_SWAP_SHARE"):
            publish.SWAP_SHARE = float(os.environ["KILLPOINT_SWAP_SHARE"])
        if os.environ.get("KILLPOINT_NO_EXCHANGE"):
            publish.exchange = lambda a, b: False
        else:
            publish.exchange = step(publish.exchange)
    atexit.register(lambda: print(f"killpoint: steps={steps}", file=sys.stderr))
    sys.exit(main(sys.argv[3:], project=project))
