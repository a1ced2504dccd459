"""What one utterance was understood to say, each part with the words it came from and how sure it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PRESENT, ABSENT, UNSURE, OTHER, HYPOTHETICAL = "present", "absent", "unsure", "other", "hypothetical"
TAKEN = (PRESENT, ABSENT, UNSURE)  # the states that say something about the user
STRENGTH = {PRESENT: 3, UNSURE: 2, ABSENT: 1}  # a warning sign said once is not undone by a "no" elsewhere


@dataclass(frozen=True)
class Pending:
    """The question just asked, as understanding needs it: what it is about and whether yes/no answers it."""

    question: str | None = None
    expects: frozenset[str] = frozenset()  # the facts it fills
    yes_no: bool = False


@dataclass(frozen=True)
class Found:
    value: Any
    words: str
    confidence: float = 1.0
    derived: bool = False  # an answer read from the facts said ("no drooping" to a question about drooping)

    def to_json(self) -> dict[str, Any]:
        out = {"value": self.value, "words": self.words, "confidence": round(self.confidence, 2)}
        if self.derived:
            out["derived"] = True
        return out


@dataclass(frozen=True)
class FactFound:
    fact: str
    state: str  # present | absent | unsure | other | hypothetical
    words: str
    confidence: float = 1.0
    cues: tuple[str, ...] = ()  # the words that changed it ("no", "my dad", "might")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fact": self.fact, "state": self.state, "words": self.words}
        if self.cues:
            out["cues"] = list(self.cues)
        return out


@dataclass(frozen=True)
class TopicFound:
    topic: str
    score: float
    words: str
    alternative: str | None = None  # a second topic nearly as likely: ask which was meant

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"topic": self.topic, "score": round(self.score, 2)}
        if self.alternative:
            out["or"] = self.alternative
        return out


@dataclass(frozen=True)
class Understanding:
    text: str
    command: Found | None = None  # the template intent of a command (Help, Repeat, Stop...)
    answer: Found | None = None  # "yes" | "no" | "unsure"
    facts: tuple[FactFound, ...] = ()
    values: Mapping[str, Found] = field(default_factory=dict)  # fact -> value (days, count, area list...)
    topic: TopicFound | None = None
    question: bool = False  # said as a question
    corrects: bool = False  # said as a correction ("actually", "I mean"): it may change what was given before

    @property
    def understood(self) -> bool:
        return bool(
            self.command or self.answer or self.topic or self.values or any(f.state in TAKEN for f in self.facts)
        )

    def states(self) -> dict[str, str]:
        """Each fact the user said something about, in its strongest state (present over unsure over absent)."""
        out: dict[str, str] = {}
        for f in self.facts:
            if f.state in TAKEN and STRENGTH[f.state] > STRENGTH.get(out.get(f.fact, ""), 0):
                out[f.fact] = f.state
        return out

    def has(self, fact: str) -> bool:
        return self.states().get(fact) == PRESENT

    def has_sure(self, fact: str, sure: float = 0.9) -> bool:
        """Present, and found with at least ``sure`` confidence by one of the ways of reading."""
        return any(f.fact == fact and f.state == PRESENT and f.confidence >= sure for f in self.facts)

    def meaning(self) -> tuple[Any, ...]:
        """What the turn amounts to, whatever its words: (command intent, answer, fact states, topic,
        values); two wordings of the same thing ("ten days", "10 days.") have the same meaning."""
        return (
            self.command.value if self.command else None,
            self.answer.value if self.answer else None,
            tuple(sorted(self.states().items())),
            self.topic.topic if self.topic else None,
            tuple(sorted((k, _plain(v.value)) for k, v in self.values.items())),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "understood": self.understood}
        if self.command:
            out["command"] = self.command.to_json()
        if self.answer:
            out["answer"] = self.answer.to_json()
        if self.facts:
            out["facts"] = [f.to_json() for f in self.facts]
        if self.values:
            out["values"] = {k: v.to_json() for k, v in self.values.items()}
        if self.topic:
            out["topic"] = self.topic.to_json()
        return out


def _plain(value: Any) -> Any:
    """A value in a form that compares: lists sorted, numbers to one decimal."""
    if isinstance(value, list | tuple):
        return tuple(sorted(map(str, value)))
    if isinstance(value, float):
        return round(value, 1)
    return value
