"""Which template intents answer which question: what a grammar recognizer should favour.

Worked out from the templates and the check-in questions, so new content
needs no table here: an intent answers a question when its templates can
set a fact the question fills.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from content import Content
from intents.templates import list_refs, parse_template

from .session import ANYTHING_ELSE, CHECKING, CONFIRMING, NOT_QUESTIONS, OFFER_RELAX, OPENING, Session

DURATION_SLOTS = {"dur_num", "dur_unit", "dur_phrase", "since_month"}


def intent_facts(doc: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Intent name -> the slot and fact names its phrases can set."""
    rules = doc.get("expansion_rules") or {}
    lists = doc.get("lists") or {}
    out: dict[str, frozenset[str]] = {}
    for name, body in doc["intents"].items():
        names: set[str] = set()
        for block in body["data"]:
            fixed = block.get("slots") or {}
            names.update(fixed)
            for key in ("present", "absent"):
                value = fixed.get(key)
                names.update(value if isinstance(value, list) else [value] if value else [])
            for text in block["sentences"]:
                for ref in list_refs(parse_template(text), rules):
                    slot = ref.slot_name
                    names.add("duration_days" if slot in DURATION_SLOTS else slot.rstrip("23"))
                    if slot in ("present", "absent"):
                        for v in lists[ref.list_name].get("values", []):
                            outs = v.get("out") if isinstance(v, dict) else v
                            names.update(outs if isinstance(outs, list) else [str(outs)])
        out[name] = frozenset(names)
    return out


class Expectations:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.facts = intent_facts(content.templates)
        self.answers = frozenset(n for n, names in self.facts.items() if "answer" in names)
        self.asking = frozenset(t.intent for t in content.topics.values() if t.intent)
        known = set(content.ruleset.facts)
        # what an opening tells: any intent that sets a check-in fact
        self.reports = frozenset(n for n, names in self.facts.items() if names & known and n not in self.answers)

    def for_question(self, qid: str) -> frozenset[str]:
        if qid in (CONFIRMING, CHECKING):
            return self.answers
        if qid == OPENING:
            return self.reports
        if qid == OFFER_RELAX:
            return self.answers | frozenset(i for i, a in self.content.commands.items() if a == "relax")
        if qid == ANYTHING_ELSE:
            return self.answers | self.asking
        if qid in NOT_QUESTIONS:  # "Shall I go on?", during and after the relaxation: words and commands
            return self.answers | self.asking | frozenset(self.content.commands)
        question = self.content.ruleset.question(qid)
        fills = set(question.fills)
        found = {name for name, names in self.facts.items() if names & fills}
        return frozenset(found | (self.answers if question.yes_no else set()))

    def for_session(self, session: Session) -> frozenset[str]:
        if session.confirming is not None:
            return self.for_question(CONFIRMING)
        return self.for_question(CHECKING if session.checking else session.current)
