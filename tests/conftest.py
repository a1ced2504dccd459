"""Shared fixtures: the real content, a parser with a fixed date, and a way to hold a conversation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from content import Content, load_content
from dialog import Event, Session
from intents import IntentParser
from rules import Assessment

TODAY = date(2026, 11, 21)
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(autouse=True)
def own_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test, and every twitchcheck it starts, keeps its journal in a fresh folder: never the
    user's, and no night from another test."""
    path = tmp_path_factory.mktemp("journal") / "journal.sqlite3"
    monkeypatch.setenv("TWITCHCHECK_JOURNAL", str(path))
    return path


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def parser(content: Content) -> IntentParser:
    return IntentParser(content.intents, today=lambda: TODAY)


def same_meaning(parser: IntentParser, heard: str, meant: str) -> bool:
    """Whether what was heard parses to the intent and slots of what was meant."""
    got, want = parser.parse(heard), parser.parse(meant)
    return got is not None and want is not None and (got.name, got.slots) == (want.name, want.slots)


@pytest.fixture
def session(content: Content) -> Session:
    return Session.create(content, today=lambda: TODAY)


@dataclass
class Conversation:
    """What happened in a scripted conversation."""

    asked: list[str] = field(default_factory=list)  # check-in question ids, in order
    events: list[Event] = field(default_factory=list)
    assessment: Assessment | None = None
    asked_after_opener: int = 0

    def said(self) -> str:
        return "\n".join(line for e in self.events for line in e.printed())


# Answers that describe the harmless, tired-eyelid pattern, by question id.
BENIGN = {
    "stroke_signs": "no",
    "spread": "no",
    "red_flags": "no",
    "improving": "yes",
    "pattern": "yes, just a few seconds now and then",
    "other_symptoms": "no",
    "history": "no",
    "triggers": "I sleep about five hours and drink five cups of coffee a day, and I've been stressed",
}


CHECKIN_DONE = ("offer_relaxation", "anything_else")


def converse(
    session: Session,
    opener: str,
    answers: Mapping[str, str] | Callable[[str], str] | None = None,
    default: str = "no",
    max_turns: int = 40,
) -> Conversation:
    """Say ``opener``, then answer each question from ``answers`` (by question id) or ``default``."""
    conv = Conversation()
    conv.events += session.start()
    events = session.handle(opener)
    conv.events += events
    for _ in range(max_turns):
        done = [e for e in events if e.type == "assessment"]
        if done:
            conv.assessment = done[-1].assessment
            return conv
        ask = [e for e in events if e.type == "ask"][-1]
        qid = ask.question or ""
        if qid in CHECKIN_DONE:
            return conv
        conv.asked.append(qid)
        reply = answers(qid) if callable(answers) else (answers or {}).get(qid, default)
        events = session.handle(reply)
        conv.events += events
    raise AssertionError(f"no assessment after {max_turns} turns; asked {conv.asked}")
