#!/usr/bin/env python3
"""Build the site: ``python build.py extract|update|build`` (see README)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from pressroom.cli import main
except KeyboardInterrupt:  # Ctrl-C while the toolkit loads: as main() reports it
    print("interrupted", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    try:
        status = main(project=Path(__file__).resolve().parent)
    except KeyboardInterrupt:  # after main()'s own handler, before its return
        print("interrupted", file=sys.stderr)
        status = 130
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: a Ctrl-C now changes nothing
    sys.exit(status)
