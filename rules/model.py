"""The parts of a rule set: facts, questions, rules, advice and outcomes.

A rule set is built from plain data (a parsed YAML document) and validated
as it is built, so a bad document fails at load, naming the item and field.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from validation import SchemaError, optional, require

from .conditions import Condition, leaves, parse_condition
from .facts import FACT_TYPES, FactSpec, Value


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    why: str
    fills: tuple[str, ...]
    on_yes: Mapping[str, Value]
    on_no: Mapping[str, Value]
    choices: str
    source: str
    ask_when: Condition | None = None
    short: str | None = None  # the question again, shorter, after a silence
    # what "no" / "none" fills in answer to a question that is not yes/no ("none" cups is 0; "no" hours is nothing)
    on_none: Mapping[str, Value] = field(default_factory=dict)
    plain: str | None = None  # the question in plainer words, for "what do you mean?"

    @property
    def yes_no(self) -> bool:
        return bool(self.on_yes or self.on_no)


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    label: str
    when: Condition
    reason: str
    source: str
    because: str | None = None  # the reason as said aloud: "because it has lasted over four weeks"


@dataclass(frozen=True)
class Advice:
    id: str
    levels: tuple[str, ...]
    text: str
    source: str
    when: Condition | None = None
    spoken: str | None = None  # one short sentence to say aloud; the text is printed


@dataclass(frozen=True)
class Outcome:
    level: str
    summary: str
    source: str
    safety_net: tuple[str, ...]
    spoken: str | None = None  # the summary as said aloud, before its "because ..."
    safety_spoken: str | None = None  # the safety net in one sentence
    after: str | None = None  # asked after the assessment instead of the dialog's "anything else?"
    goodbye: str | None = None  # said at the end instead of the dialog's goodbye ("sleep well" is not for an emergency)
    # after this assessment nothing else is offered: a bedtime answer ("it's just tiredness, right?") could
    # talk the user out of acting on it, so a question or a turn not understood is answered with this
    holds: str | None = None


@dataclass(frozen=True)
class RuleSet:
    levels: tuple[str, ...]  # most urgent first
    default_level: str
    facts: Mapping[str, FactSpec]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    advice: tuple[Advice, ...]
    outcomes: Mapping[str, Outcome]
    clear_reason: str = "none of the warning signs I asked about: {ruled_out}."
    clear_because: str | None = None  # the clear reason as said aloud
    # said aloud for more than two matched facts: "{first} and other signs"
    matched_many: str | None = None
    warning_levels: tuple[str, ...] = ()  # the levels whose rules look for warning signs

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def rank(self, level: str) -> int:
        return self.levels.index(level)

    @cached_property
    def warning_facts(self) -> frozenset[str]:
        """The facts a rule at a warning level (content: warning_levels) looks at."""
        return frozenset(f for r in self.rules if r.level in self.warning_levels for f in r.when.facts())

    @cached_property
    def warning_signs(self) -> frozenset[str]:
        """The yes/no facts whose "yes" makes a rule at a warning level fire: the signs never to miss
        in what the user says (a fact only the journal sets is not one of them)."""
        out: set[str] = set()
        for rule in self.rules:
            if rule.level in self.warning_levels:
                out.update(fact for fact, value in leaves(rule.when) if value is True)
        return frozenset(f for f in out if f not in self.facts or self.facts[f].told)

    def screens_for_warning_signs(self, q: Question) -> bool:
        """Whether a "no" to this question decides a warning fact: misheard,
        such an answer could hide a stroke sign or a red flag (or raise one)."""
        return not self.warning_facts.isdisjoint(q.on_no)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check_text(text: str, where: str, allowed: set[str]) -> None:
    try:
        names = _placeholders(text)
    except ValueError as exc:
        raise SchemaError(where, "text whose {placeholders} are balanced", text) from exc
    unknown = names - allowed
    if unknown:
        raise SchemaError(where, f"placeholders naming declared facts (unknown: {', '.join(sorted(unknown))})", text)


def _fact_values(data: Any, where: str, facts: Mapping[str, FactSpec]) -> dict[str, Value]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SchemaError(where, "a mapping of fact: value", data)
    for name, value in data.items():
        if name not in facts:
            raise SchemaError(f"{where}.{name}", "a fact declared under 'facts'", name)
        if not facts[name].accepts(value):
            raise SchemaError(f"{where}.{name}", f"a {facts[name].type} value", value)
    return dict(data)


def parse_ruleset(doc: Any) -> RuleSet:
    """Validate and build a rule set from a parsed document."""
    if not isinstance(doc, dict):
        raise SchemaError("(document)", "a mapping with levels, facts, questions, rules, outcomes", doc)
    levels = tuple(require(doc, "levels", "", list, "a list of level names, most urgent first"))
    if not levels or not all(isinstance(level, str) for level in levels):
        raise SchemaError("levels", "a non-empty list of level names", list(levels))
    default_level = require(doc, "default_level", "", str, f"one of {', '.join(levels)}")
    if default_level not in levels:
        raise SchemaError("default_level", f"one of {', '.join(levels)}", default_level)

    facts: dict[str, FactSpec] = {}
    raw_facts = require(doc, "facts", "", dict, "a mapping of fact name: {type, label}")
    for name, spec in raw_facts.items():
        where = f"facts.{name}"
        ftype = require(spec, "type", where, str, f"one of {', '.join(FACT_TYPES)}")
        if ftype not in FACT_TYPES:
            raise SchemaError(f"{where}.type", f"one of {', '.join(FACT_TYPES)}", ftype)
        any_of = optional(spec, "any_of", where, list, "a list of member fact names", [])
        told = optional(spec, "told", where, bool, "true or false (false: never said by the user)", True)
        label = require(spec, "label", where, str, "a short label")
        denied = optional(spec, "denied", where, str, 'how it is said when ruled out ("no history of ...")', "")
        noted_with = optional(spec, "noted_with", where, str, "a sentence said when it is first noted", "")
        pairs = optional(spec, "asked_as", where, list, 'a list of [words, said as] pairs ("do you", "do they")', [])
        for j, pair in enumerate(pairs):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w.strip() for w in pair)):
                raise SchemaError(f"{where}.asked_as[{j}]", "a pair of words: [as written, as asked]", pair)
        facts[name] = FactSpec(
            name,
            ftype,
            label,
            tuple(any_of),
            told=told,
            denied=denied,
            noted_with=noted_with,
            asked_as=tuple((str(a), str(b)) for a, b in pairs),
        )
    known = {name: spec.type for name, spec in facts.items()}
    for name, spec in raw_facts.items():
        derived = {
            k: parse_condition(spec[k], f"facts.{name}.{k}", known) for k in ("true_when", "false_when") if k in spec
        }
        if derived:
            if facts[name].type != "bool":
                raise SchemaError(f"facts.{name}", "true_when / false_when only on a yes/no fact", facts[name].type)
            facts[name] = replace(facts[name], true_when=derived.get("true_when"), false_when=derived.get("false_when"))
    for name, spec in facts.items():
        for j, member in enumerate(spec.any_of):
            if member not in known or facts[member].type != "bool":
                raise SchemaError(f"facts.{name}.any_of[{j}]", "a declared yes/no fact", member)
    text_names = set(known) | {"matched", "ruled_out"}

    questions: list[Question] = []
    for i, q in enumerate(require(doc, "questions", "", list, "a list of questions")):
        where = f"questions[{i}]"
        qid = require(q, "id", where, str, "a question id")
        where = f"questions[{i}] ({qid})"
        fills = require(q, "fills", where, list, "a list of fact names this question settles")
        for j, name in enumerate(fills):
            if name not in known:
                raise SchemaError(f"{where}.fills[{j}]", "a fact declared under 'facts'", name)
        for key in ("text", "short", "plain"):
            if isinstance(q.get(key), str):
                _check_text(q[key], f"{where}.{key}", set(known))
        on_yes = _fact_values(q.get("on_yes"), f"{where}.on_yes", facts)
        on_no = _fact_values(q.get("on_no"), f"{where}.on_no", facts)
        ask_when = q.get("ask_when")
        questions.append(
            Question(
                id=qid,
                text=require(q, "text", where, str, "the question as spoken"),
                why=require(q, "why", where, str, "why the question is asked"),
                fills=tuple(fills),
                on_yes=on_yes,
                on_no=on_no,
                choices=require(q, "choices", where, str, "the answers to offer when not understood"),
                source=require(q, "source", where, str, "the source document and section"),
                ask_when=None if ask_when is None else parse_condition(ask_when, f"{where}.ask_when", known),
                short=optional(q, "short", where, str, "the question, shorter, to ask again after a silence", None),
                on_none=_fact_values(q.get("on_none"), f"{where}.on_none", facts),
                plain=optional(q, "plain", where, str, 'the question in plainer words, for "what do you mean?"', None),
            )
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise SchemaError("questions", "unique question ids", sorted({i for i in ids if ids.count(i) > 1}))

    rules: list[Rule] = []
    for i, r in enumerate(require(doc, "rules", "", list, "a list of rules")):
        where = f"rules[{i}]"
        rid = require(r, "id", where, str, "a rule id")
        where = f"rules[{i}] ({rid})"
        level = require(r, "level", where, str, f"one of {', '.join(levels)}")
        if level not in levels:
            raise SchemaError(f"{where}.level", f"one of {', '.join(levels)}", level)
        reason = require(r, "reason", where, str, "the reason as spoken")
        _check_text(reason, f"{where}.reason", text_names)
        because = optional(r, "because", where, str, "the reason said aloud, starting 'because'", None)
        if because is not None:
            _check_text(because, f"{where}.because", text_names)
        rules.append(
            Rule(
                id=rid,
                level=level,
                label=require(r, "label", where, str, "a short name for what the rule looks for"),
                when=parse_condition(require(r, "when", where, dict, "a condition"), f"{where}.when", known),
                reason=reason,
                source=require(r, "source", where, str, "the source document and section"),
                because=because,
            )
        )

    advice: list[Advice] = []
    for i, a in enumerate(optional(doc, "advice", "", list, "a list", [])):
        where = f"advice[{i}]"
        aid = require(a, "id", where, str, "an advice id")
        where = f"advice[{i}] ({aid})"
        alevels = require(a, "levels", where, list, f"a list of levels from {', '.join(levels)}")
        for j, level in enumerate(alevels):
            if level not in levels:
                raise SchemaError(f"{where}.levels[{j}]", f"one of {', '.join(levels)}", level)
        text = require(a, "text", where, str, "the advice as printed")
        _check_text(text, f"{where}.text", text_names)
        spoken = optional(a, "spoken", where, str, "one short sentence of it to say aloud", None)
        if spoken is not None:
            _check_text(spoken, f"{where}.spoken", text_names)
        when = a.get("when")
        advice.append(
            Advice(
                id=aid,
                levels=tuple(alevels),
                text=text,
                source=require(a, "source", where, str, "the source document and section"),
                when=None if when is None else parse_condition(when, f"{where}.when", known),
                spoken=spoken,
            )
        )

    outcomes: dict[str, Outcome] = {}
    raw_outcomes = require(doc, "outcomes", "", dict, "a mapping of level: {summary, source, safety_net}")
    for level in levels:
        where = f"outcomes.{level}"
        if level not in raw_outcomes:
            raise SchemaError(where, "an outcome for every level (the field is missing)")
        o = raw_outcomes[level]
        net = require(o, "safety_net", where, list, "a list of lines saying when to seek help sooner")
        for j, line in enumerate(net):
            if not isinstance(line, str) or not line.strip():
                raise SchemaError(f"{where}.safety_net[{j}]", "a sentence", line)
        outcomes[level] = Outcome(
            level=level,
            summary=require(o, "summary", where, str, "the outcome as spoken"),
            source=require(o, "source", where, str, "the source document and section"),
            safety_net=tuple(net),
            spoken=optional(o, "spoken", where, str, "the summary said aloud", None),
            safety_spoken=optional(o, "safety_spoken", where, str, "the safety net in one sentence", None),
            after=optional(o, "after", where, str, "the question asked after this assessment", None),
            goodbye=optional(o, "goodbye", where, str, "the last words after this assessment", None),
            holds=optional(o, "holds", where, str, "said instead of any bedtime answer after this assessment", None),
        )
    clear_reason = optional(doc, "clear_reason", "", str, "a sentence", RuleSet.clear_reason)
    clear_because = optional(doc, "clear_because", "", str, "the clear reason said aloud", None)
    matched_many = optional(doc, "matched_many", "", str, "more than two facts said aloud, with {first} {second}", None)
    if matched_many is not None:
        try:
            matched_many.format(first="", second="")
        except (KeyError, IndexError, ValueError):
            raise SchemaError("matched_many", "a sentence using only {first} and {second}", matched_many) from None
    warning_levels = optional(doc, "warning_levels", "", list, f"a list of levels from {', '.join(levels)}", [])
    for j, level in enumerate(warning_levels):
        if level not in levels:
            raise SchemaError(f"warning_levels[{j}]", f"one of {', '.join(levels)}", level)
    _check_text(clear_reason, "clear_reason", text_names)
    return RuleSet(
        levels=levels,
        default_level=default_level,
        facts=facts,
        questions=tuple(questions),
        rules=tuple(rules),
        advice=tuple(advice),
        outcomes=outcomes,
        clear_reason=clear_reason,
        clear_because=clear_because,
        matched_many=matched_many,
        warning_levels=tuple(warning_levels),
    )
