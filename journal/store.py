"""The journal's file: one SQLite database, one row per check-in.

Written so that nothing committed is lost and nothing foreign is overwritten: WAL with
synchronous=FULL (a check-in is on disk when save() returns; a process killed mid-write leaves the
database as it was before that check-in), one transaction per check-in, the file readable by its
owner only.  A file that is not a twitchcheck journal, or one SQLite cannot read, is moved aside and
the user told, never written over.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

APP = "twitchcheck journal"
SCHEMA_VERSION = 1
BUSY_MS = 5000  # another session saving at the same moment is waited for this long


class JournalError(Exception):
    """The journal cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Night:
    """One check-in as the journal keeps it."""

    at: datetime  # when, on the user's clock
    facts: dict[str, Any]  # what was said: fact name -> True / False / a number / a word; None: unsure
    level: str | None = None  # the outcome, if the check-in reached one
    reasons: tuple[str, ...] = ()
    relaxed: bool = False  # a guided relaxation was done that night

    @property
    def day(self) -> date:
        return self.at.date()


def _create(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE checkins (id INTEGER PRIMARY KEY, at TEXT NOT NULL, facts TEXT NOT NULL, "
        "level TEXT, reasons TEXT NOT NULL, relaxed INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("CREATE INDEX checkins_at ON checkins (at)")
    db.execute("INSERT INTO meta VALUES ('app', ?)", (APP,))


# Each migration takes the database from the version before it to its own; index 0 creates it.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create,)


@dataclass
class Journal:
    path: Path
    private_folder: bool = False  # the folder is the journal's own (the data folder): kept to its owner
    notices: list[str] = field(default_factory=list)  # what the user should be told (said once)

    def __post_init__(self) -> None:
        self.path = Path(self.path).expanduser()
        self._db = self._open()

    # -- reading and writing -------------------------------------------------------------------

    def save(self, night: Night) -> None:
        """Add one check-in, in one transaction: all of it is on disk when this returns, or none."""
        row = (
            night.at.isoformat(timespec="seconds"),
            json.dumps(night.facts, sort_keys=True),
            night.level,
            json.dumps(list(night.reasons)),
            int(night.relaxed),
        )
        try:
            with self._db:
                self._db.execute("INSERT INTO checkins (at, facts, level, reasons, relaxed) VALUES (?,?,?,?,?)", row)
        except sqlite3.Error as exc:
            raise JournalError(
                f"{self.path}: tonight's check-in could not be saved ({_why(exc)}); "
                "if the disk is full or read-only, free some space or give another file with --journal"
            ) from None

    def nights(self, since: date | None = None, until: date | None = None) -> list[Night]:
        """The check-ins, oldest first; from ``since`` and up to ``until`` (days, inclusive)."""
        query, args = "SELECT at, facts, level, reasons, relaxed FROM checkins", []
        where = []
        if since is not None:
            where.append("at >= ?")
            args.append(since.isoformat())
        if until is not None:
            where.append("at < ?")
            args.append(date.fromordinal(until.toordinal() + 1).isoformat())
        if where:
            query += " WHERE " + " AND ".join(where)
        try:
            rows = self._db.execute(query + " ORDER BY at, id", args).fetchall()
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: the journal could not be read ({_why(exc)})") from None
        return [
            Night(datetime.fromisoformat(at), json.loads(facts), level, tuple(json.loads(reasons)), bool(relaxed))
            for at, facts, level, reasons, relaxed in rows
        ]

    def close(self) -> None:
        self._db.close()

    def delete(self) -> None:
        """Remove the journal and SQLite's files beside it."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        folder = self.path.parent
        try:
            made = not folder.exists()
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if (made or self.private_folder) and stat.S_IMODE(folder.stat().st_mode) != 0o700:
                folder.chmod(0o700)
        except OSError as exc:
            raise JournalError(f"{folder}: the journal's folder cannot be made ({_why(exc)})") from None
        existed = self.path.exists()
        if existed and not _is_sqlite(self.path):
            self._move_aside("it is not a twitchcheck journal")
            existed = False
        try:
            db = self._connect()
            if existed:
                self._check(db)
        except _Unreadable as exc:
            self._move_aside(str(exc))
            db = self._connect()
        self._migrate(db)
        _owner_only(self.path)
        return db

    def _connect(self) -> sqlite3.Connection:
        old = os.umask(0o077)  # the file and SQLite's -wal and -shm beside it: the owner's alone
        try:
            # a check-in's INSERT takes the write lock at once (IMMEDIATE): two sessions saving
            # together wait in turn (up to BUSY_MS) instead of failing halfway
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level="IMMEDIATE")
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            db.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "readonly" in str(exc) or "unable to open" in str(exc):
                raise JournalError(
                    f"{self.path}: the journal cannot be opened ({_why(exc)}): its folder may be read-only "
                    "or the disk full; free some space, or give another file with --journal"
                ) from None
            raise _Unreadable(f"SQLite cannot read it ({_why(exc)})") from None
        finally:
            os.umask(old)
        if mode.lower() != "wal":
            db.close()
            raise JournalError(f"{self.path}: the journal cannot be used here (SQLite's WAL mode is not available)")
        return db

    def _check(self, db: sqlite3.Connection) -> None:
        try:
            ok = db.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            db.close()
            raise _Unreadable(f"SQLite cannot read it ({_why(exc)})") from None
        if ok != "ok":
            db.close()
            raise _Unreadable(f"it is damaged ({ok})")
        if tables and "meta" not in tables:
            db.close()
            raise _Unreadable("it is a database of something else, not a twitchcheck journal")
        if "meta" in tables:
            app = db.execute("SELECT value FROM meta WHERE key='app'").fetchone()
            if app is None or app[0] != APP:
                db.close()
                raise _Unreadable("it is a database of something else, not a twitchcheck journal")

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            db.close()
            raise JournalError(
                f"{self.path}: this journal was written by a newer twitchcheck (schema {version}); "
                "update twitchcheck to use it"
            )
        try:
            with db:
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](db)
                    db.execute(f"PRAGMA user_version={step + 1}")
        except sqlite3.Error as exc:
            db.close()
            raise JournalError(f"{self.path}: the journal could not be set up ({_why(exc)})") from None

    def _move_aside(self, why: str) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        try:
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{self.path}{suffix}")
                if extra.exists():
                    extra.rename(Path(f"{aside}{suffix}"))
        except OSError as exc:
            raise JournalError(
                f"{self.path}: {why}, and it could not be moved aside ({_why(exc)}); "
                "move or remove it, or give another file with --journal"
            ) from None
        self.notices.append(f"{self.path}: {why}. It was moved to {aside} and a new journal started.")


class _Unreadable(Exception):
    pass


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return True  # let SQLite say what is wrong
    return head == b"SQLite format 3\x00" or head == b""


def _owner_only(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists() and stat.S_IMODE(p.stat().st_mode) != 0o600:
                p.chmod(0o600)
        except OSError:
            pass  # not ours to change (a shared folder): SQLite still works


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)
