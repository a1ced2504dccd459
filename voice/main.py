"""The `twitchcheck` command's entry point: Ctrl-C while the program is still loading its parts
stops it as quietly as Ctrl-C later does (the command line itself is in voice/cli.py)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from .cli import main as run  # spaCy, the content's modules: about a second to import
    except KeyboardInterrupt:
        sys.stderr.write("\n[twitchcheck: stopped]\n")
        return 130
    return run(argv)
