"""Turning matched template entities into normalised slot values.

Pure language handling: durations in days, counts, lists of named things.
What the slot values mean is up to the content that uses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from .model import LIST_SLOTS


class Entity(Protocol):
    name: str
    value: Any


def days_since_month(month: int, today: date, last_year: bool = False) -> float:
    """Days since the start of the most recent ``month`` (or the year before)."""
    year = today.year if month <= today.month else today.year - 1
    if last_year and year == today.year:
        year -= 1
    return float(max((today - date(year, month, 1)).days, 1))


def normalise(entities: Iterable[Entity], today: date) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {name: [] for name in LIST_SLOTS}
    areas: list[Any] = []
    for entity in entities:
        if entity.name.startswith("_"):  # matched only to be skipped, e.g. "one to four times"
            continue
        if entity.name.startswith("area"):  # area, area2, area3: one list, first is the main one
            if entity.value not in areas:
                areas.append(entity.value)
        elif entity.name in LIST_SLOTS:
            values = entity.value if isinstance(entity.value, list) else [entity.value]
            lists[entity.name].extend(v for v in values if v not in lists[entity.name])
        else:
            raw[entity.name] = entity.value
    slots: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("dur_num", "dur_unit", "since_month", "last_year", "dur_phrase"):
            continue
        slots[key] = _number(value)
    if "dur_num" in raw and "dur_unit" in raw:
        slots["duration_days"] = float(raw["dur_num"]) * float(raw["dur_unit"])
    elif "dur_phrase" in raw:
        slots["duration_days"] = float(raw["dur_phrase"])
    elif "since_month" in raw:
        slots["duration_days"] = days_since_month(int(raw["since_month"]), today, "last_year" in raw)
    if areas:
        slots["area"] = areas[0]
        if len(areas) > 1:
            slots["areas"] = areas
    for name, values in lists.items():
        if values:
            slots[name] = values
    return slots


def _number(value: Any) -> Any:
    # Range slots arrive as float for digits and int for words; keep one form.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
