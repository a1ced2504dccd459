"""journal.yaml: what earlier nights add to a check-in, how a summary is worded, the doctor's checklist."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from intents.requests import CueRequests
from journal.history import MEASURES, WEEK, FromJournal, Roles
from rules.conditions import Condition, parse_condition
from rules.model import RuleSet
from validation import SchemaError, optional, require

SUMMARY_KEYS = (
    "week", "month", "none", "nights", "nights_spoken", "more", "fewer", "same", "triggers", "last",
    "no_journal", "noted",
)  # fmt: skip
NUMBER_MEASURES = {"days_since_onset", "twitching_nights"}
TEXT_MEASURES = {"last_place"}  # the others are yes/no


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    when: Condition


@dataclass(frozen=True)
class JournalContent:
    facts: tuple[FromJournal, ...]
    triggers: tuple[str, ...]
    levels: Mapping[str, str]  # outcome level -> how a summary names it
    summary: Mapping[str, str]
    checklist: tuple[ChecklistItem, ...]
    checklist_source: str
    source: str
    roles: Roles  # which facts the journal reads for what
    frequency_scale: tuple[str, ...] = ()
    asks: CueRequests | None = None  # "how have I been this week?" told by its cues


def parse_journal(
    doc: Any, rs: RuleSet, check_source: Callable[[str, str], None], actions: Collection[str] = ()
) -> JournalContent:
    if not isinstance(doc, dict):
        raise SchemaError("(document)", "a mapping with facts, triggers, levels, summary, checklist", doc)
    source = require(doc, "source", "", str, "the source document and section")
    check_source(source, "source")
    known = {name: spec.type for name, spec in rs.facts.items()}
    facts = []
    for name, spec in require(doc, "facts", "", dict, "a mapping of fact: {measure, ...}").items():
        where = f"facts.{name}"
        if name not in rs.facts:
            raise SchemaError(where, "a fact declared in checkin.yaml", name)
        measure = require(spec, "measure", where, str, f"one of {', '.join(MEASURES)}")
        if measure not in MEASURES:
            raise SchemaError(f"{where}.measure", f"one of {', '.join(MEASURES)}", measure)
        wanted = (
            ("days", "number") if measure in NUMBER_MEASURES else ("text",) if measure in TEXT_MEASURES else ("bool",)
        )
        if rs.facts[name].type not in wanted:
            raise SchemaError(where, f"a fact of type {' or '.join(wanted)} for {measure}", rs.facts[name].type)
        at_least = optional(spec, "at_least", where, bool, "true or false", False)
        ignore = optional(spec, "ignore", where, list, "a list of words too general to count", [])
        part = optional(spec, "part", where, str, "area or side", "")
        days = optional(spec, "days", where, int, "a number of days", WEEK)
        carried = optional(spec, "carried_when", where, str, "a yes/no fact", "")
        if carried and (carried not in rs.facts or rs.facts[carried].type != "bool"):
            raise SchemaError(f"{where}.carried_when", "a yes/no fact declared in checkin.yaml", carried)
        facts.append(FromJournal(name, measure, at_least, tuple(ignore), part, days, carried))
    triggers = require(doc, "triggers", "", list, "a list of yes/no facts")
    for i, t in enumerate(triggers):
        if t not in rs.facts or rs.facts[t].type != "bool":
            raise SchemaError(f"triggers[{i}]", "a yes/no fact declared in checkin.yaml", t)
    levels = require(doc, "levels", "", dict, "a mapping of level: words")
    for level in rs.levels:
        require(levels, level, "levels", str, "how a summary names this outcome")
    summary = require(doc, "summary", "", dict, "the summary's sentences")
    for key in SUMMARY_KEYS:
        require(summary, key, "summary", str, "a sentence")
    checklist = require(doc, "checklist", "", dict, "{source, items}")
    checklist_source = require(checklist, "source", "checklist", str, "the source document and section")
    check_source(checklist_source, "checklist.source")
    items = []
    for i, item in enumerate(require(checklist, "items", "checklist", list, "a list of {text, when}")):
        where = f"checklist.items[{i}]"
        text = require(item, "text", where, str, "the checklist item as the source words it")
        when = require(item, "when", where, dict, "a condition")
        items.append(ChecklistItem(text, parse_condition(when, f"{where}.when", known)))
    scale = optional(doc, "frequency_scale", "", list, "a list of frequency words, least to most", [])
    asks = _asks(doc.get("asks"), actions)
    roles = _roles(require(doc, "roles", "", dict, "which fact the journal reads for each role"), rs)
    return JournalContent(
        tuple(facts), tuple(triggers), dict(levels), {k: str(v) for k, v in summary.items()},
        tuple(items), checklist_source, source, roles, tuple(str(w) for w in scale), asks,
    )  # fmt: skip


ROLE_TYPES = {
    "twitching": ("bool",), "duration": ("days",), "area": ("text",), "side": ("text",), "frequency": ("text",),
    "sleep": ("number", "days"), "cups": ("number",),
}  # fmt: skip


def _roles(doc: dict[str, Any], rs: RuleSet) -> Roles:
    for role, types in ROLE_TYPES.items():
        fact = require(doc, role, "roles", str, f"a fact of type {' or '.join(types)}")
        if fact not in rs.facts or rs.facts[fact].type not in types:
            expected = f"a fact of type {' or '.join(types)} declared in checkin.yaml"
            raise SchemaError(f"roles.{role}", expected, fact)
    return Roles(**{role: str(doc[role]) for role in ROLE_TYPES})


def _asks(doc: Any, actions: Collection[str]) -> CueRequests | None:
    if doc is None:
        return None
    periods = require(doc, "periods", "asks", dict, "a mapping of action: period phrases")
    for action, phrases in periods.items():
        if action not in actions:
            raise SchemaError(f"asks.periods.{action}", "an action a command in dialog.yaml names", action)
        if not isinstance(phrases, list) or not all(isinstance(w, str) and w.strip() for w in phrases):
            raise SchemaError(f"asks.periods.{action}", "a list of phrases", phrases)
    strong = require(doc, "strong", "asks", list, "a list of words that ask for the journal")
    cues = require(doc, "cues", "asks", list, "a list of words that ask to look back")
    unless = optional(doc, "unless", "asks", list, "a list of phrases", [])
    never = optional(doc, "never", "asks", list, "a list of phrases", [])
    for where, words in (("strong", strong), ("cues", cues), ("unless", unless), ("never", never)):
        if not all(isinstance(w, str) and w.strip() for w in words):
            raise SchemaError(f"asks.{where}", "a list of phrases", words)
    weak_words = optional(doc, "weak_words", "asks", int, "a number of words", 20)
    return CueRequests.of(periods, strong, cues, unless, never, weak_words)
