"""Watch a published site from another process, as a web server would.

``python observer.py SITE LOG STOP``: until the file ``STOP`` exists, list every
file under ``SITE`` (the directory's state as one walk sees it) and append each new
state to ``LOG`` as a JSON line: ``null`` while there is no ``SITE``, else the sorted
relative paths. Consecutive equal states are written once.
"""

from __future__ import annotations

import json
import os
import sys
import time


def state(site: str) -> list[str] | None:
    if not os.path.isdir(site):
        return None
    files = []
    for directory, _, names in os.walk(site):
        rel = os.path.relpath(directory, site)
        files += [os.path.normpath(os.path.join(rel, name)) for name in names]
    return sorted(files)


def main(site: str, log: str, stop: str) -> None:
    last: object = ()
    with open(log, "w", encoding="utf-8") as out:
        while True:
            done = os.path.exists(stop)  # one more look after the stop
            now = state(site)
            if now != last:
                out.write(json.dumps(now) + "\n")
                out.flush()
                last = now
            if done:
                return
            time.sleep(0.002)


if __name__ == "__main__":
    main(*sys.argv[1:4])
