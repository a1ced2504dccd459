"""Compiled vocabulary phrases kept from one run to the next, so the skill is ready to listen sooner.

Turning the content's phrases into spaCy token patterns (hassil parses each
phrase, spaCy splits every word into its forms) is about half of loading the
content.  The same content, compiled by the same code and libraries, gives the
same patterns, so they are written to the user's cache folder once and read
back after: keyed by a fingerprint of the content, of this package's source
and of the libraries' versions, and ignored (compiled afresh) when the file
is missing, unreadable or from another fingerprint.  Each distinct token spec
is written once and patterns name them by number: the ~13,000 patterns share
a few hundred specs, and read back they share the dicts too.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from .phrases import STORES, Phrase


class Compiled:
    """The phrases compiled for one content, by the ``where`` each list of phrases was compiled at."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.phrases: dict[str, tuple[str, list[Phrase]]] = {}  # where -> (its texts' digest, phrases)
        self.changed = False
        if path is not None:
            self.phrases = _read(path)

    def get(self, where: str, texts: Any) -> list[Phrase] | None:
        kept = self.phrases.get(where)
        return list(kept[1]) if kept is not None and kept[0] == digest(texts) else None

    def put(self, where: str, texts: Any, phrases: list[Phrase]) -> None:
        self.phrases[where] = (digest(texts), phrases)
        self.changed = True

    def save(self) -> None:
        """Written whole and renamed into place: a reader never sees half a file."""
        if self.path is None or not self.changed:
            return
        specs: dict[str, int] = {}
        table: list[Any] = []

        def number(spec: dict[str, Any]) -> int:
            key = json.dumps(spec, sort_keys=True)
            if key not in specs:
                specs[key] = len(table)
                table.append(spec)
            return specs[key]

        lists = {
            where: [d, [[p.source, [number(s) for s in p.pattern]] for p in phrases]]
            for where, (d, phrases) in self.phrases.items()
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            for old in self.path.parent.glob("phrases-*.json"):
                old.unlink(missing_ok=True)  # another content's or another version's
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".phrases-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"specs": table, "lists": lists}, f)
            os.replace(tmp, self.path)
        except OSError:
            pass  # no cache folder to write to: compiled again next time, nothing lost


def _read(path: Path) -> dict[str, tuple[str, list[Phrase]]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        specs = doc["specs"]
        return {
            where: (d, [Phrase(source, tuple(specs[i] for i in pattern)) for source, pattern in items])
            for where, (d, items) in doc["lists"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}  # none yet, or not one this code wrote: compiled afresh


def digest(texts: Any) -> str:
    return hashlib.sha256(json.dumps(texts, sort_keys=True, default=str).encode()).hexdigest()[:16]


@contextmanager
def kept_in(path: Path | None) -> Iterator[Compiled]:
    """Phrases compiled within this block are looked up in, and then saved to, ``path``."""
    compiled = Compiled(path)
    STORES.append(compiled)
    try:
        yield compiled
    finally:
        STORES.pop()
    compiled.save()


def cache_file(content_key: str) -> Path | None:
    """Where the phrases of the content with this fingerprint are kept; None: nowhere to keep them."""
    if os.environ.get("TWITCHCHECK_NO_CACHE"):
        return None
    try:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("twitchcheck", appauthor=False))
    except Exception:  # no home folder to speak of: compile every time
        return None
    return folder / f"phrases-{digest([content_key, _code_version()])}.json"


def _code_version() -> list[str]:
    """What else decides the patterns: this package's source and the libraries that parse and split."""
    here = Path(__file__).parent
    source = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(here.glob("*.py")))).hexdigest()
    versions = []
    for name in ("spacy", "hassil", "medspacy"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(name)
    return [source, *versions]
