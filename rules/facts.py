"""Fact values and their declarations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


class _Unknown:
    """The answer "I don't know": known to be unknown, unlike a fact never asked."""

    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

Value = Union[bool, int, float, str, _Unknown]

FACT_TYPES = ("bool", "number", "days", "text")


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    label: str

    def accepts(self, value: object) -> bool:
        if value is UNKNOWN:
            return True
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type in ("number", "days"):
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, str)


def format_value(spec: FactSpec, value: Value) -> str:
    """A value as it reads in a spoken sentence."""
    if value is UNKNOWN:
        return "not sure"
    if spec.type == "days" and isinstance(value, (int, float)):
        return format_days(float(value))
    if spec.type == "bool":
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_days(days: float) -> str:
    if days < 1:
        return "less than a day"
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= size * 2 or (days >= size and days % size == 0):
            n = round(days / size)
            return f"about {n} {unit}{'s' if n != 1 else ''}"
    n = round(days)
    return f"{n} day{'s' if n != 1 else ''}"
