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
    sys.exit(main(project=Path(__file__).resolve().parent))
