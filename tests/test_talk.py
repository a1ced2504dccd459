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
    # same_place: its "no" is a new place since earlier nights, which counts as spreading
    assert screens == {"stroke_signs", "droop_onset", "spread", "red_flags", "improving", "same_place"}


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


def test_a_silence_or_a_bad_file_drops_a_pending_did_you_say(said: Said) -> None:
    from voice.talk import Failed, Silence

    for lost in (Silence(), Failed("turn.wav: not a WAV file")):
        assert said.hear("no", 0.9) == CONFIRMING
        said.out.seek(0)
        said.out.truncate()
        said.talk.take(lost)
        asked = [e for e in map(json.loads, said.out.getvalue().splitlines()) if e["type"] == "ask"]
        assert asked[-1]["question"] == "stroke_signs" and said.talk.session.confirming is None
    # the next answer is the stroke check's own
    assert said.hear("yes", 0.99) != CONFIRMING
    assert said.talk.session.facts.get("stroke_screen") is True


def test_each_heard_turn_is_printed_once_around_a_confirmation(content: Content) -> None:
    out = io.StringIO()
    talk = Talk(Session.create(content), Speaker(SpeechSettings(), io.StringIO(), play=False), out)
    talk.begin()
    for text, confidence in [("my eyelid has been twitching for a week", 0.99), ("no", 0.5), ("yes", 0.99),
                             ("no", 0.4), ("my arm feels weak", 0.99)]:  # fmt: skip
        talk.take(Heard(text, confidence))
    heard = [line for line in out.getvalue().splitlines() if line.startswith("> ")]
    assert len(heard) == 5


class Meanwhile:
    """What a user says during a relaxation's silences: the given line at the given silence."""

    def __init__(self, at: int, line: str) -> None:
        self.at, self.line, self.holds, self.kept = at, line, 0, []

    def meanwhile(self, seconds: float) -> str | None:
        if seconds <= 0:
            return None
        self.holds += 1
        return self.line if self.holds == self.at else None

    def keep(self, text: str) -> None:
        self.kept.append(text)

    def held(self) -> bool:
        return False

    hears_own_voice = False


def relaxing(content: Content, listen: Meanwhile) -> tuple[Talk, io.StringIO]:
    out = io.StringIO()
    talk = Talk(Session.create(content), Speaker(SpeechSettings(), io.StringIO(), play=False), out, as_json=True)
    talk.listen = listen
    talk.begin()
    talk.reply("help me relax")
    return talk, out


def test_stop_during_the_relaxation_ends_at_once(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("voice.talk.time.sleep", lambda s: None)
    talk, out = relaxing(content, Meanwhile(3, "stop"))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    steps = [e for e in events if "pause_s" in e]
    assert len(steps) == 3  # cut off in the third step's silence
    assert talk.session.ended and events[-1]["type"] == "end"


def test_thats_enough_ends_the_relaxation_quietly_and_a_question_is_answered(content: Content) -> None:
    talk, out = relaxing(content, Meanwhile(5, "is this a stroke?"))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len([e for e in events if "pause_s" in e]) == 5
    assert any(e["type"] == "say" and content.topics["stroke"].answer in e["text"] for e in events)
    assert not talk.session.ended


def test_a_length_said_as_the_relaxation_begins_starts_it_again_at_that_length(content: Content) -> None:
    # "help me relax" ... "a short one" (a new-user trial: it was taken as not understood, and ended it)
    talk, out = relaxing(content, Meanwhile(1, "a short one"))
    said = [json.loads(line)["text"] for line in out.getvalue().splitlines() if '"say"' in line]
    assert any("5 minutes" in t for t in said) and any("3 minutes" in t for t in said)
    assert not any(content.dialog["not_understood"] in t for t in said)


def test_slower_during_the_relaxation_lengthens_the_silences_that_follow(content: Content) -> None:
    _, plain = relaxing(content, Meanwhile(0, ""))
    talk, out = relaxing(content, Meanwhile(2, "slower"))
    steps = [json.loads(line) for line in out.getvalue().splitlines() if "pause_s" in line]
    planned = [json.loads(line) for line in plain.getvalue().splitlines() if "pause_s" in line]
    assert len(steps) == len(planned) and not talk.session.ended  # it carried on to the end
    assert steps[0]["pause_s"] == planned[0]["pause_s"]
    assert steps[-2]["pause_s"] == pytest.approx(1.3 * planned[-2]["pause_s"], abs=0.1)
