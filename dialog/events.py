"""What the skill does in a turn, as data: say, ask, assessment, relax, wait, end.

Every event is printed whole; what is said aloud may be shorter (``speech``): a person in bed
listens with eyes closed, and the details are offered ("say 'tell me more'"), not read out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from rules import Assessment

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Step:
    """One step of a guided relaxation: words, then silence."""

    text: str
    pause_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"type": "say", "text": self.text, "pause_s": round(self.pause_s, 1)}


@dataclass(frozen=True)
class Event:
    type: str  # say | ask | assessment | relax | wait | end
    text: str = ""
    question: str | None = None
    assessment: Assessment | None = None
    lines: tuple[str, ...] = ()  # what is printed, one sentence group a line
    speech: str | None = None  # what is said aloud, when it is shorter than what is printed
    steps: tuple[Step, ...] = ()  # a relaxation's steps, each with its silence
    echo: bool = False  # a read-back of what was understood ("Noted: ..."), not news

    def to_json(self) -> dict[str, Any]:
        if self.type == "say":
            out: dict[str, Any] = {"type": "say", "text": self.text}
            if self.speech is not None:
                out["spoken"] = self.speech
            return out
        if self.type == "ask":
            return {"type": "ask", "text": self.text, "question": self.question}
        if self.type == "assessment" and self.assessment is not None:
            a = self.assessment
            return {
                "type": "assessment",
                "level": a.level,
                "summary": a.summary,
                "reasons": list(a.reasons),
                "advice": list(a.advice),
                "safety_net": list(a.safety_net),
                "sources": list(a.sources),
                "text": self.text,
                "spoken": self.speech,
            }
        return {"type": self.type}

    def printed(self) -> list[str]:
        if self.type == "relax":
            return [s.text for s in self.steps]
        return list(self.lines) if self.lines else ([self.text] if self.text else [])

    def spoken(self) -> list[str]:
        if self.speech is not None:
            return [self.speech] if self.speech else []
        return self.printed()


def say(text: str, speech: str | None = None) -> Event:
    return Event("say", text=text, speech=speech)


def ask(text: str, qid: str, speech: str | None = None) -> Event:
    return Event("ask", text=text, question=qid, speech=speech)


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def brief(text: str, words: int) -> tuple[str, list[str]]:
    """The leading sentences of ``text`` that fit in ``words`` words (at least one), and the rest."""
    said = sentences(text)
    taken = 1
    while taken < len(said) and len(" ".join(said[: taken + 1]).split()) <= words:
        taken += 1
    return " ".join(said[:taken]), said[taken:]


def spoken_turn(events: list[Event]) -> list[Event]:
    """A turn as said aloud: a read-back beside an assessment is not said (the assessment says what
    counts); everything is still printed."""
    if not any(e.type == "assessment" for e in events):
        return events
    return [replace(e, speech="") if e.echo else e for e in events]
