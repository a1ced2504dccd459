"""Validation helpers shared by every loader of data documents (content, rules, intents)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


class SchemaError(ValueError):
    """A data document does not have the shape expected.

    ``where`` is a path such as ``rules[3].when.any[0].fact``; loaders prefix
    it with the file name so the message says where to look and what to write.
    """

    def __init__(self, where: str, expected: str, got: Any = None) -> None:
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(f"{where}: expected {expected}, got {got!r}")

    def within(self, prefix: str) -> SchemaError:
        return SchemaError(f"{prefix}{self.where}", self.expected, self.got)


def require(data: Any, key: str, where: str, kind: type | tuple[type, ...], expected: str) -> Any:
    if not isinstance(data, dict):
        raise SchemaError(where, "a mapping", data)
    if key not in data:
        raise SchemaError(f"{where}.{key}", f"{expected} (the field is missing)")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise SchemaError(f"{where}.{key}", expected, value)
    if isinstance(value, str) and not value.strip():
        raise SchemaError(f"{where}.{key}", expected, value)
    return value


def optional(data: dict, key: str, where: str, kind: type | tuple[type, ...], expected: str, default: Any) -> Any:
    if key not in data or data[key] is None:
        return default
    return require(data, key, where, kind, expected)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def sha256(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time: shipped model files are checked against theirs."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
