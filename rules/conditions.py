"""Declarative conditions over facts, evaluated in three-valued logic.

A condition is data, never code: ``{"all": [...]}``, ``{"any": [...]}``,
``{"not": {...}}`` or a comparison on one fact such as
``{"fact": "duration_days", "gt": 28}``.  Evaluation returns ``True``,
``False`` or ``None`` when a fact it needs has not been asked yet; that
``None`` is what lets the engine know a question can still change the outcome.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from validation import SchemaError

from .facts import UNKNOWN, Value

Truth = bool | None

COMPARISONS = ("is", "eq", "ne", "gt", "ge", "lt", "le", "in", "unknown")


@dataclass(frozen=True)
class Compare:
    fact: str
    op: str
    operand: Any

    def evaluate(self, facts: Mapping[str, Value]) -> Truth:
        if self.fact not in facts:
            return None
        value = facts[self.fact]
        if self.op == "unknown":
            return (value is UNKNOWN) == bool(self.operand)
        if value is UNKNOWN:
            # "I don't know" never satisfies a comparison: it is not "no" either,
            # which is why content pairs red flags with an explicit unknown rule.
            return False
        return _compare(self.op, value, self.operand)

    def facts(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Value]) -> Truth:
        results = [c.evaluate(facts) for c in self.items]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.items))


@dataclass(frozen=True)
class Any_:
    items: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Value]) -> Truth:
        results = [c.evaluate(facts) for c in self.items]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.items))


@dataclass(frozen=True)
class Not:
    item: Condition

    def evaluate(self, facts: Mapping[str, Value]) -> Truth:
        result = self.item.evaluate(facts)
        return None if result is None else not result

    def facts(self) -> set[str]:
        return self.item.facts()


Condition = Compare | All | Any_ | Not


def _compare(op: str, value: Value, operand: Any) -> bool:
    try:
        if op in ("is", "eq"):
            return bool(value == operand)
        if op == "ne":
            return bool(value != operand)
        if op == "in":
            return value in operand
        if op == "gt":
            return bool(value > operand)  # type: ignore[operator]
        if op == "ge":
            return bool(value >= operand)  # type: ignore[operator]
        if op == "lt":
            return bool(value < operand)  # type: ignore[operator]
        if op == "le":
            return bool(value <= operand)  # type: ignore[operator]
    except TypeError:
        return False
    raise ValueError(f"unknown comparison {op!r}")


def parse_condition(data: Any, where: str, known_facts: Collection[str] | Mapping[str, str] | None = None) -> Condition:
    """Build a condition from its data form, naming ``where`` in any error.  Given each fact's type
    (a mapping of name to bool/number/days/text), a comparison must fit it: ``is: "yes"`` on a
    true/false fact would never hold, and is an error rather than a rule that silently never fires."""
    if not isinstance(data, dict) or not data:
        raise SchemaError(where, "a mapping with one of all/any/not/fact", data)
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        items = data[key]
        if not isinstance(items, list) or not items:
            raise SchemaError(f"{where}.{key}", "a non-empty list of conditions", items)
        parsed = tuple(parse_condition(item, f"{where}.{key}[{i}]", known_facts) for i, item in enumerate(items))
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in data:
        return Not(parse_condition(data["not"], f"{where}.not", known_facts))
    if "fact" in data:
        fact = data["fact"]
        if not isinstance(fact, str):
            raise SchemaError(f"{where}.fact", "a fact name", fact)
        if known_facts is not None and fact not in known_facts:
            raise SchemaError(f"{where}.fact", "a fact declared under 'facts'", fact)
        ops = [k for k in data if k != "fact"]
        if len(ops) != 1 or ops[0] not in COMPARISONS:
            raise SchemaError(where, f"exactly one comparison of {', '.join(COMPARISONS)}", ops)
        op = ops[0]
        operand = data[op]
        if op in ("gt", "ge", "lt", "le") and not isinstance(operand, (int, float)):
            raise SchemaError(f"{where}.{op}", "a number", operand)
        if op == "in" and not isinstance(operand, list):
            raise SchemaError(f"{where}.in", "a list of values", operand)
        if op == "unknown" and not isinstance(operand, bool):
            raise SchemaError(f"{where}.unknown", "true or false", operand)
        kind = known_facts.get(fact) if isinstance(known_facts, Mapping) else None
        if op in ("is", "eq", "ne") and kind is not None:
            _check_operand(f"{where}.{op}", kind, operand)
        return Compare(fact, op, operand)
    raise SchemaError(where, "one of the keys all, any, not, fact", sorted(data))


def _check_operand(where: str, kind: str, operand: Any) -> None:
    if kind == "bool" and not isinstance(operand, bool):
        raise SchemaError(where, "true or false (unquoted), as the fact is a yes/no fact", operand)
    if kind in ("number", "days") and (isinstance(operand, bool) or not isinstance(operand, (int, float))):
        raise SchemaError(where, f"a number, as the fact is a {kind} fact", operand)
    if kind == "text" and not isinstance(operand, str):
        raise SchemaError(where, "a word, as the fact holds words", operand)


def true_leaves(condition: Condition, facts: Mapping[str, Value]) -> list[Compare]:
    """The comparisons that hold, in order: what made a rule fire."""
    if isinstance(condition, Compare):
        return [condition] if condition.evaluate(facts) is True else []
    if isinstance(condition, Not):
        return []
    out: list[Compare] = []
    for item in condition.items:
        if item.evaluate(facts) is True:
            out.extend(true_leaves(item, facts))
    return out


def leaves(condition: Condition, negated: bool = False) -> list[tuple[str, bool]]:
    """The yes/no values of facts that make a condition hold: ``not {droop_sudden is false}`` holds for a
    sudden droop as much as ``{droop_sudden is true}`` does."""
    if isinstance(condition, Compare):
        if condition.op == "is" and isinstance(condition.operand, bool):
            return [(condition.fact, condition.operand != negated)]
        return []
    if isinstance(condition, Not):
        return leaves(condition.item, not negated)
    return [leaf for item in condition.items for leaf in leaves(item, negated)]


def only_doubt(condition: Condition) -> bool:
    """Whether a condition asks only whether facts are unknown ("stroke signs you were not sure
    about"): ruled out, it says nothing was left in doubt, not that a warning sign is absent."""
    if isinstance(condition, Compare):
        return condition.op == "unknown"
    if isinstance(condition, Not):
        return only_doubt(condition.item)
    return all(only_doubt(item) for item in condition.items)
