"""What the skill does in a turn, as data: say, ask, assessment, end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules import Assessment


@dataclass(frozen=True)
class Event:
    type: str  # say | ask | assessment | end
    text: str = ""
    question: str | None = None
    assessment: Assessment | None = None
    lines: tuple[str, ...] = ()  # what is spoken and printed, one sentence group a line

    def to_json(self) -> dict[str, Any]:
        if self.type == "say":
            return {"type": "say", "text": self.text}
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
            }
        return {"type": self.type}

    def spoken(self) -> list[str]:
        return list(self.lines) if self.lines else ([self.text] if self.text else [])


def say(text: str) -> Event:
    return Event("say", text=text)


def ask(text: str, qid: str) -> Event:
    return Event("ask", text=text, question=qid)
