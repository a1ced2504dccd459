"""The nightly journal: each check-in kept on this machine, what it says about tonight, and the
doctor's summary.  store holds the SQLite file; history, summary and export are pure."""

from __future__ import annotations

import os
from pathlib import Path

from .store import Journal, JournalError, Night

__all__ = ["Journal", "JournalError", "Night", "data_folder", "default_path"]

FILE = "journal.sqlite3"
ENV = "TWITCHCHECK_JOURNAL"


def default_path() -> Path:
    """The journal: $TWITCHCHECK_JOURNAL, else in the user's data folder
    (e.g. ~/.local/share/twitchcheck/journal.sqlite3)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    return data_folder() / FILE


def data_folder() -> Path:
    """twitchcheck's own folder in the user's data folder: kept readable by its owner only."""
    import platformdirs

    return Path(platformdirs.user_data_dir("twitchcheck", appauthor=False))
