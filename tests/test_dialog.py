"""Conversation behaviour: universal commands, bedtime questions, corrections, not-understood."""

from __future__ import annotations

import pytest

from content import Content
from voice.dialog import Event, Session

from .conftest import BENIGN, converse


def asks(events: list[Event]) -> list[str | None]:
    return [e.question for e in events if e.type == "ask"]


def text(events: list[Event]) -> str:
    return " ".join(line for e in events for line in e.spoken())


def at_spread(session: Session) -> None:
    session.start()
    assert asks(session.handle("my eyelid has been twitching for a week")) == ["stroke_signs"]
    assert asks(session.handle("no")) == ["spread"]


def test_help_explains_and_returns_to_the_question(session: Session, content: Content) -> None:
    at_spread(session)
    events = session.handle("what can I say")
    assert content.dialog["help"] in text(events)
    assert asks(events) == ["spread"]


def test_repeat_says_the_last_thing_again(session: Session) -> None:
    at_spread(session)
    before = session.handle("help")
    again = session.handle("say that again")
    assert [e.to_json() for e in again] == [e.to_json() for e in before]


def test_why_explains_the_question(session: Session, content: Content) -> None:
    at_spread(session)
    events = session.handle("why do you ask?")
    assert content.ruleset.question("spread").why in text(events)
    assert asks(events) == ["spread"]


def test_why_after_the_assessment_gives_its_reasons(session: Session) -> None:
    session.start()
    events = session.handle("my eyelid twitches and my speech is slurred")
    assessment = next(e.assessment for e in events if e.assessment)
    why = session.handle("why")
    assert assessment.reasons[0] in text(why)


def test_start_over_forgets_everything(session: Session, content: Content) -> None:
    at_spread(session)
    events = session.handle("start over")
    assert asks(events) == ["opening"]
    assert session.facts == {} and session.asked == set()
    assert asks(session.handle("my eye twitches")) == ["stroke_signs"]


@pytest.mark.parametrize("word", ["stop", "cancel", "goodbye", "good night"])
def test_stop_ends_the_session(session: Session, word: str) -> None:
    at_spread(session)
    events = session.handle(word)
    assert events[-1].type == "end" and session.ended


def test_dont_know_moves_on_without_counting_as_no(session: Session) -> None:
    at_spread(session)
    events = session.handle("I'm not sure")
    assert asks(events) == ["red_flags"]
    assert session.facts["spread"] is not False


@pytest.mark.parametrize("word, change", [("slower", "slower"), ("speak up", "louder"), ("faster", "faster")])
def test_speech_commands_are_understood(session: Session, word: str, change: str) -> None:
    at_spread(session)
    events = session.handle(word)
    assert session.speech[-1] == change
    assert asks(events) == ["spread"]


FAQ_PHRASES = {
    "AskSleepCause": "can lack of sleep cause this?",
    "AskStroke": "is this a stroke?",
    "AskCaffeine": "how much coffee is too much?",
    "AskChildren": "can children get this?",
    "AskRelaxation": "how can I relax before sleep?",
    "AskSleepHygiene": "how can I sleep better?",
    "AskStimulants": "what about nicotine?",
    "AskNutrition": "does magnesium help?",
    "AskHydration": "how much water should I drink?",
    "AskJournal": "should I keep a diary?",
    "AskConditions": "could it be something serious?",
    "AskCause": "why does my eye twitch?",
    "AskTriggers": "what triggers it?",
    "AskPlan": "how long will it last?",
    "AskDoctor": "when should I see a doctor?",
    "AskTreatment": "is there any treatment?",
    "AskBeforeSleep": "why does it only happen before I sleep?",
    "AskExercise": "can exercise cause this?",
    "AskDiagnosis": "will I need an MRI?",
    "AskMedication": "can my medication cause this?",
}


def test_every_topic_has_a_test_phrase(content: Content) -> None:
    assert set(FAQ_PHRASES) == set(content.topics)


@pytest.mark.parametrize("intent", sorted(FAQ_PHRASES))
def test_each_faq_is_answered_then_the_checkin_resumes(session: Session, content: Content, intent: str) -> None:
    at_spread(session)
    events = session.handle(FAQ_PHRASES[intent])
    assert content.topics[intent].answer in text(events)
    assert asks(events) == ["spread"]
    assert asks(session.handle("no")) == ["red_flags"]


def test_faq_at_the_opening(session: Session, content: Content) -> None:
    session.start()
    events = session.handle("is facial twitching a sign of a stroke?")
    assert content.topics["AskStroke"].answer in text(events)
    assert asks(events) == ["opening"]


def test_correction_during_the_checkin(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for about five weeks")
    events = session.handle("no, three weeks")
    assert "changed that" in text(events) and "3 weeks" in text(events)
    assert session.facts["duration_days"] == 21
    assert asks(events) == ["stroke_signs"]  # the "no" was the correction, not an answer


def test_correction_after_the_assessment_reassesses(session: Session) -> None:
    first = converse(session, "my left eyelid has been twitching for about five weeks", BENIGN).assessment
    assert first.level == "routine"
    events = session.handle("actually it's been three days")
    assert "changed that: 3 days" in text(events)
    # now the pattern matters again: the questions that can change the outcome come back
    while not any(e.assessment for e in events):
        events = session.handle(BENIGN.get(asks(events)[-1] or "", "no"))
    second = next(e.assessment for e in events if e.assessment)
    assert second.level == "self_care"


def test_not_understood_offers_choices_and_loses_nothing(session: Session, content: Content) -> None:
    at_spread(session)
    facts = dict(session.facts)
    events = session.handle("purple elephants dance")
    assert content.dialog["not_understood"] in text(events)
    assert content.ruleset.question("spread").choices in text(events)
    assert asks(events) == ["spread"] and session.facts == facts


def test_yes_to_a_question_that_needs_a_value_is_re_asked(session: Session) -> None:
    session.start()
    session.handle("my eyelid twitches")
    for reply in ["no", "no", "no"]:
        events = session.handle(reply)
    assert asks(events) == ["duration"]
    events = session.handle("yes")
    assert asks(events) == ["duration"] and "You can say a length of time" in text(events)


def test_relaxation_after_the_assessment_then_goodbye(session: Session, content: Content) -> None:
    conv = converse(session, "my left eyelid has been twitching for about five weeks", BENIGN)
    assert asks(conv.events)[-1] == "offer_relaxation"
    events = session.handle("yes please")
    script = next(iter(content.scripts.values()))
    assert all(step in text(events) for step in script.steps)
    assert asks(events) == ["anything_else"]
    assert session.handle("no")[-1].type == "end"
