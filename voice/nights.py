"""The journal around a conversation: earlier nights in before the first turn, tonight saved after
the last (also after Ctrl-C).  A journal that cannot be used is said once; the check-in goes on
without saving."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from dialog import Session
from journal import Journal, JournalError, data_folder, default_path

LOOK_BACK_DAYS = 120  # earlier nights read for tonight: an episode, its weeks before, and a summary's month


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--journal", metavar="FILE", type=Path, help=f"keep the nightly journal in FILE (default {default_path()})"
    )
    parser.add_argument("--no-journal", action="store_true", help="do not read or save the journal tonight")
    parser.add_argument(
        "--now",
        metavar="DATETIME",
        type=datetime.fromisoformat,
        help="take the date and time to be this (e.g. 2026-12-01T22:30), for scripted nights",
    )


def clock(args: argparse.Namespace) -> Callable[[], datetime]:
    fixed: datetime | None = getattr(args, "now", None)
    return (lambda: fixed) if fixed is not None else datetime.now


def journal_path(args: argparse.Namespace) -> Path:
    return Path(args.journal) if getattr(args, "journal", None) else default_path()


@dataclass
class Nights:
    """The journal for one conversation (None inside when off or unusable)."""

    journal: Journal | None
    now: Callable[[], datetime]
    problem: str = ""  # why the journal is not kept tonight, to say once

    @classmethod
    def open(cls, args: argparse.Namespace, now: Callable[[], datetime]) -> Nights:
        if getattr(args, "no_journal", False):
            return cls(None, now)
        try:
            path = journal_path(args)
            return cls(Journal(path, private_folder=path.parent == data_folder()), now)
        except JournalError as exc:
            return cls(None, now, f"{exc}; tonight's check-in will not be saved")

    def notices(self) -> list[str]:
        told = list(self.journal.notices) if self.journal is not None else []
        return [*told, self.problem] if self.problem else told

    def prepare(self, session: Session) -> None:
        """Earlier nights into the session, for its rules and summaries."""
        if self.journal is None:
            return
        today = self.now().date()
        try:
            session.past = tuple(self.journal.nights(since=today - timedelta(days=LOOK_BACK_DAYS), until=today))
        except JournalError as exc:
            self.problem = f"{exc}; tonight's check-in will not be saved"
            self.journal = None
            return
        session.keeps_journal = True

    def save(self, session: Session) -> str:
        """Tonight's check-in, if anything was said; the problem if it could not be saved."""
        if self.journal is None:
            return ""
        try:
            for night in session.nights(self.now()):
                self.journal.save(night)
        except JournalError as exc:
            return f"{exc}; the check-in itself is done"
        finally:
            self.journal.close()
            self.journal = None
        return ""


def today_of(now: Callable[[], datetime]) -> Callable[[], date]:
    return lambda: now().date()
