"""How the voice conversation takes up what the recognizer heard: confirming
doubtful phrases first, and a doubtful "no" to a warning-sign question too."""

from __future__ import annotations

import io
import json

import pytest

from content import Content
from dialog import CONFIRMING, ConfirmPolicy, Session
from voice.asr import Heard
from voice.speech import Speaker, SpeechSettings
from voice.talk import Talk

POLICY = ConfirmPolicy()
CONFIRM_BELOW, SURE_ALL_CLEAR, RESCUE_AT_LEAST = POLICY.confirm_below, POLICY.sure_all_clear, POLICY.rescue_at_least


class Said:
    """A Talk in JSON mode with no audio, and what it has said since last asked."""

    def __init__(self, content: Content) -> None:
        self.out = io.StringIO()
        speaker = Speaker(SpeechSettings(), io.StringIO(), play=False)
        self.talk = Talk(Session.create(content), speaker, self.out, as_json=True)
        self.talk.begin()

    def hear(self, text: str, confidence: float, unsure: str = "") -> str | None:
        """Take a heard turn (rejected, with the phrase doubted, when text is
        empty); return the question asked after it, if any."""
        self.out.seek(0)
        self.out.truncate()
        self.talk.take(Heard(text, confidence, unsure=unsure))
        asks = [e for e in map(json.loads, self.out.getvalue().splitlines()) if e["type"] == "ask"]
        return asks[-1]["question"] if asks else None


@pytest.fixture
def said(content: Content) -> Said:
    s = Said(content)
    assert s.hear("my left eyelid has been twitching", 0.99) == "stroke_signs"
    return s


def test_a_doubtful_no_to_a_stroke_check_is_confirmed_first(said: Said) -> None:
    assert CONFIRM_BELOW <= 0.9 < SURE_ALL_CLEAR
    assert said.hear("no", 0.9) == CONFIRMING  # "Did you say no?"
    assert said.hear("yes", 0.99) not in (CONFIRMING, "stroke_signs")  # taken: the check-in moves on


def test_a_doubtful_no_denied_asks_the_stroke_check_again(said: Said) -> None:
    assert said.hear("no", 0.9) == CONFIRMING
    assert said.hear("no", 0.99) == "stroke_signs"


def test_misheard_three_times_the_stroke_check_is_taken_as_unsure_never_no(said: Said) -> None:
    for _ in range(2):
        assert said.hear("no", 0.9) == CONFIRMING
        assert said.hear("no", 0.99) == "stroke_signs"  # "Sorry, I misheard", asked again
    assert said.hear("no", 0.9) == CONFIRMING
    after = said.hear("no", 0.99)
    assert after not in (CONFIRMING, "stroke_signs")  # three asks: it moves on
    assert not any(v is False for k, v in said.talk.session.facts.items() if k in said.talk.session.rs.warning_signs)


def test_a_sure_no_and_a_yes_to_a_stroke_check_are_taken_at_once(said: Said, content: Content) -> None:
    assert said.hear("no", SURE_ALL_CLEAR) not in (CONFIRMING, "stroke_signs")
    other = Said(content)
    other.hear("my left eyelid has been twitching", 0.99)
    assert other.hear("yes", 0.9) != CONFIRMING  # a yes raises the alarm; it is never held back


def test_the_questions_that_screen_for_warning_signs(content: Content) -> None:
    # Their "no" decides facts an emergency or urgent rule looks at.
    rules = content.ruleset
    screens = {q.id for q in rules.questions if rules.screens_for_warning_signs(q)}
    assert screens == {"stroke_signs", "droop_onset", "spread", "red_flags", "improving"}


def test_a_doubtful_no_elsewhere_is_taken_at_once(said: Said) -> None:
    said.talk.session.current = "pattern"  # brief and now and then? a "no" there hides nothing urgent
    assert said.hear("no", 0.9) not in (CONFIRMING, "pattern")


def test_a_doubted_warning_sign_is_confirmed_unless_it_has_next_to_no_support(said: Said) -> None:
    said.talk.session.current = "pattern"
    # Rejected by the recognizer, but a stroke sign: "Did you say my face is drooping?"
    assert said.hear("", RESCUE_AT_LEAST, unsure="my face is drooping") == CONFIRMING
    assert said.talk.session.confirming == "my face is drooping"
    said.hear("no", 0.99)
    # Heard with next to no chance of being right: other speech forced onto a
    # warning sign.  Not understood: the question is asked again, nothing confirmed.
    assert said.hear("", RESCUE_AT_LEAST - 0.01, unsure="my face is drooping") == "pattern"
    assert said.talk.session.confirming is None
    # A doubted phrase that names no warning sign is never rescued.
    assert said.hear("", 0.5, unsure="it comes and goes") == "pattern"
