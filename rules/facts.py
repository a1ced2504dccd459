"""Fact values and their declarations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class _Unknown:
    """The answer "I don't know": known to be unknown, unlike a fact never asked."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

Value = bool | int | float | str | _Unknown

FACT_TYPES = ("bool", "number", "days", "text")


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    label: str
    # A summary fact ("any of these signs") follows its members when not set itself.
    any_of: tuple[str, ...] = ()
    # A derived fact follows these conditions (rules.conditions) when not set itself:
    # "brief and occasional" is true once the twitches are said to last seconds and come now and then.
    true_when: Any = None
    false_when: Any = None
    # False for a fact the user never says, set from elsewhere (the journal of earlier nights)
    told: bool = True
    # how it is said when ruled out, where "no" and the label do not make one ("not a lot of exercise")
    denied: str = ""
    # said once, when the fact is first noted as so ("please answer for them")
    noted_with: str = ""
    # while the fact is so, the check-in's questions are put with these words changed, in order
    # ("do you have" -> "do they have": a parent answering for a child)
    asked_as: tuple[tuple[str, str], ...] = ()

    @property
    def denied_label(self) -> str:
        return self.denied or f"no {self.label}"

    def accepts(self, value: object) -> bool:
        if value is UNKNOWN:
            return True
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type in ("number", "days"):
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, str)


def with_summaries(facts: Mapping[str, Value], specs: Mapping[str, FactSpec]) -> dict[str, Value]:
    """Facts plus what they settle: summary facts (true if any member is true, false if all are
    false, also over a "no" or "not sure" given to the whole), then derived facts (their conditions)."""
    view = dict(facts)
    for spec in specs.values():
        if not spec.any_of or view.get(spec.name) is True:
            continue  # a "yes" to the whole screen stands, whatever is said of its members
        members = [view.get(m) for m in spec.any_of]
        if any(v is True for v in members):
            view[spec.name] = True  # "no" to the screen, then "my arm is weak": the member told since wins
        elif all(v is False for v in members):
            view[spec.name] = False  # "not sure", then each one denied
        elif spec.name not in view and all(m in view for m in spec.any_of):
            view[spec.name] = UNKNOWN
    for spec in specs.values():
        if spec.name in view or (spec.true_when is None and spec.false_when is None):
            continue
        if spec.true_when is not None and spec.true_when.evaluate(view) is True:
            view[spec.name] = True
        elif spec.false_when is not None and spec.false_when.evaluate(view) is True:
            view[spec.name] = False
    return view


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
