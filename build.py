#!/usr/bin/env python3
"""Build the site: ``python build.py extract|update|build`` (see README)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pressroom.cli import main

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
