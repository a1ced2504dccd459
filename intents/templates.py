"""Intent templates in Home Assistant's intent format, checked as they load."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from hassil import Intents, parse_sentence
from hassil.expression import Expression, Group, ListReference, RuleReference

from validation import SchemaError, require


def walk(expr: Expression) -> Iterator[Expression]:
    yield expr
    if isinstance(expr, Group):
        for item in expr.items:
            yield from walk(item)


@cache
def parse_template(text: str) -> Expression:
    """A template sentence's expression tree; each text is parsed once per process."""
    return parse_sentence(text, keep_text=True).expression


def list_refs(
    expr: Expression, rules: Mapping[str, str], seen: frozenset[str] = frozenset()
) -> Iterator[ListReference]:
    """The list references in an expression, following expansion rules."""
    for e in walk(expr):
        if isinstance(e, ListReference):
            yield e
        elif isinstance(e, RuleReference) and e.rule_name in rules and e.rule_name not in seen:
            yield from list_refs(parse_template(rules[e.rule_name]), rules, seen | {e.rule_name})


@dataclass(frozen=True)
class Templates:
    intents: Intents  # compiled for matching
    slot_lists: Mapping[str, frozenset[str]]  # slot name -> the lists that fill it, from one parse


def load_templates(doc: Any) -> Templates:
    """Validate a template document and compile it for matching.

    Errors name the intent, the data block and the sentence, so a typo in a
    template is found at load rather than as a phrase that silently never matches.
    """
    if not isinstance(doc, dict):
        raise SchemaError("(document)", "a mapping with language, intents, lists", doc)
    require(doc, "language", "", str, "a language code such as en")
    intents = require(doc, "intents", "", dict, "a mapping of intent name: {data: [...]}")
    lists = doc.get("lists") or {}
    rules = doc.get("expansion_rules") or {}
    if not isinstance(lists, dict):
        raise SchemaError("lists", "a mapping of list name: {values | range}", lists)
    for name, spec in lists.items():
        if not isinstance(spec, dict) or not ({"values", "range", "wildcard"} & set(spec)):
            raise SchemaError(f"lists.{name}", "a mapping with values or range", spec)
    parsed: list[tuple[str, Expression]] = []
    for name, body in rules.items():
        parsed.append((f"expansion_rules.{name}", _parse(body, f"expansion_rules.{name}")))
    for name, intent in intents.items():
        where = f"intents.{name}"
        data = require(intent, "data", where, list, "a list of {sentences: [...]} blocks")
        for i, block in enumerate(data):
            sentences = require(block, "sentences", f"{where}.data[{i}]", list, "a list of template sentences")
            for j, text in enumerate(sentences):
                spot = f"{where}.data[{i}].sentences[{j}]"
                parsed.append((spot, _parse(text, spot)))
    slot_lists: dict[str, set[str]] = {}
    for spot, sentence in parsed:
        for expr in walk(sentence):
            if isinstance(expr, ListReference) and expr.list_name not in lists:
                raise SchemaError(spot, f"a list declared under 'lists' (no list {expr.list_name!r})")
            if isinstance(expr, ListReference):
                slot_lists.setdefault(expr.slot_name, set()).add(expr.list_name)
            if isinstance(expr, RuleReference) and expr.rule_name not in rules:
                raise SchemaError(spot, f"a rule declared under 'expansion_rules' (no rule <{expr.rule_name}>)")
    try:
        compiled = Intents.from_dict(doc)
    except Exception as exc:  # hassil raises many kinds; all mean a bad document
        raise SchemaError("(document)", f"a valid hassil document ({exc})") from exc
    return Templates(compiled, {slot: frozenset(names) for slot, names in slot_lists.items()})


def _parse(text: Any, spot: str) -> Expression:
    if not isinstance(text, str) or not text.strip():
        raise SchemaError(spot, "a template sentence", text)
    try:
        return parse_template(text)
    except Exception as exc:
        raise SchemaError(spot, f"a valid template ({exc})", text) from exc
