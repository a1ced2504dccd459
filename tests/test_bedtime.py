"""The bedtime experience, as the conversation shapes it: short spoken turns, details on request, a
paced relaxation of the length asked for, and a quiet ending."""

from __future__ import annotations

import pytest

from content import Content
from dialog import Event, Session
from dialog.relax import plan, saying_time

from .conftest import BENIGN, TODAY, converse

STROKE = "my face suddenly started drooping on one side and I'm slurring my words"


def asks(events: list[Event]) -> list[str | None]:
    return [e.question for e in events if e.type == "ask"]


def spoken_words(events: list[Event]) -> int:
    return sum(len(line.split()) for e in events for line in e.spoken())


def after_benign_checkin(session: Session) -> Session:
    conv = converse(session, "my left eyelid has been twitching for about five weeks", BENIGN)
    assert asks(conv.events)[-1] == "offer_relaxation"
    return session


@pytest.mark.parametrize("opener", ["my left eyelid has been twitching for about five weeks", STROKE])
def test_the_spoken_assessment_is_one_breath_and_the_details_are_printed(session: Session, opener: str) -> None:
    conv = converse(session, opener, BENIGN)
    event = next(e for e in conv.events if e.type == "assessment")
    assert event.speech is not None and event.speech.endswith("Say 'tell me more' for the details.")
    assert len(event.speech.split()) <= 65  # about 30 s at the bedtime rate
    printed = " ".join(event.printed())
    assert event.assessment is not None and all(r in printed for r in event.assessment.reasons)
    assert "because" in event.speech


def test_why_is_said_once_each_with_no_repeats(session: Session) -> None:
    conv = converse(session, STROKE, BENIGN)
    a = conv.assessment
    assert a is not None and len(a.reasons) == len(set(a.reasons))
    assert "trouble walking, arm weakness" not in " ".join(a.reasons)  # no summary of signs beside its members


def test_tell_me_more_reads_the_details_in_parts_and_enough_goes_back(session: Session, content: Content) -> None:
    after_benign_checkin(session)
    first = session.handle("tell me more")
    assert asks(first) == ["more"] and spoken_words(first) <= 60
    second = session.handle("yes")
    assert second[0].text != first[0].text
    back = session.handle("that's enough")
    assert asks(back) == ["offer_relaxation"] and not session.ended


@pytest.mark.parametrize(("said", "minutes"), [("yes please", 5), ("yes, a short one", 3), ("ten minutes please", 10)])
def test_the_relaxation_is_planned_to_the_length_asked(session: Session, said: str, minutes: int) -> None:
    after_benign_checkin(session)
    events = session.handle(said)
    relax = next(e for e in events if e.type == "relax")
    total = sum(saying_time(s.text, session.words_per_minute * 0.85) + s.pause_s for s in relax.steps)
    assert abs(total - 60 * minutes) <= 0.1 * 60 * minutes
    texts = [s.text for s in relax.steps]
    assert texts.index("In,") < next(i for i, t in enumerate(texts) if "Hold" in t)  # breathing, then muscles
    assert "face" in [t for t in texts if "Hold" in t][-1]  # the face last
    assert asks(events) == []  # nothing is asked after it


def test_breaths_are_counted_with_real_silence(content: Content) -> None:
    routine = content.relaxation.first()
    assert routine is not None
    steps = plan(routine, 5, 110)
    counted = [s for s in steps if s.text.rstrip(",") in ("In", "two", "three", "four", "Out", "five", "six")]
    assert len(counted) >= 10 * routine.breathing.counted
    held = [s for s in steps if "Hold" in s.text]
    assert held and all(s.pause_s == routine.muscles.tense_s for s in held)


def test_silence_after_the_relaxation_ends_the_night_quietly(session: Session, content: Content) -> None:
    after_benign_checkin(session)
    session.handle("yes please")
    assert session.relaxed() == []
    events = session.silence()
    assert [e.type for e in events] == ["say", "end"] and events[0].text == content.dialog["good_night"]
    assert session.ended


def test_silence_after_the_assessment_ends_quietly_without_replaying_it(session: Session) -> None:
    after_benign_checkin(session)
    events = session.silence()
    assert session.ended and not any(e.type == "assessment" for e in events)
    assert spoken_words(events) <= 3


def test_silence_in_the_checkin_asks_once_shorter_then_waits_then_ends(session: Session, content: Content) -> None:
    session.start()
    session.handle("my eyelid has been twitching for a week")
    first = session.silence()
    assert asks(first) == ["stroke_signs"] and first[-1].text == content.ruleset.question("stroke_signs").short
    assert [e.type for e in session.silence()] == ["wait"]
    assert session.silence()[-1].type == "end" and session.ended


def test_stop_and_good_night_end_at_once(content: Content) -> None:
    for word in ("goodbye", "stop", "cancel", "good night"):
        s = Session.create(content, today=lambda: TODAY)
        s.start()
        s.handle("my eyelid twitches")
        events = s.handle(word)
        assert s.ended and events[-1].type == "end" and asks(events) == [], word


def test_no_to_the_relaxation_offer_leaves_room_for_a_question(session: Session) -> None:
    after_benign_checkin(session)
    events = session.handle("no thanks")
    assert not session.ended and asks(events) == ["anything_else"]


def test_repeat_after_slower_repeats_the_question(session: Session) -> None:
    session.start()
    session.handle("my eyelid has been twitching for a week")
    session.handle("slower please")
    again = session.handle("repeat that")
    assert asks(again) == ["stroke_signs"] and "slowly" not in again[0].text


def test_speech_commands_in_a_typed_chat_say_they_do_not_apply(session: Session, content: Content) -> None:
    session.speaking = False
    session.start()
    session.handle("my eyelid has been twitching for a week")
    events = session.handle("slower please")
    assert events[0].text == content.dialog["voice_only"] and session.speech == []


def test_questions_are_one_sentence(content: Content) -> None:
    for q in content.ruleset.questions:
        assert q.text.count("?") == 1 and q.text.rstrip().endswith("?"), q.id
        assert ". " not in q.text, q.id
        assert q.short is not None and len(q.short.split()) < len(q.text.split()), q.id


def test_a_warning_sign_or_stop_cuts_in_and_an_answer_does_not(session: Session) -> None:
    session.start()
    for said in ("stop", "wait", "repeat that", "slower", "my arm has gone weak"):
        assert session.cuts_in(said), said
    for said in ("no", "about two weeks", "the weather is nice"):
        assert not session.cuts_in(said), said


TURN_WORDS = 32  # about 15 s at the bedtime rate (bench/spoken_bench.py measures the seconds)


def test_every_turn_of_a_checkin_with_asides_fits_one_breath(session: Session) -> None:
    session.start()
    said = [
        "my left eyelid's been twitching on and off for about five weeks",
        "why do you ask?",
        "nope",
        "would a warm cloth on my eye help?",
        "is this a stroke?",
        "help",
        "not really",
    ]
    for words in said:
        events = session.handle(words)
        assert not any(e.type == "assessment" for e in events)
        assert spoken_words(events) <= TURN_WORDS, (words, [line for e in events for line in e.spoken()])


def test_a_bedtime_answer_is_said_in_one_breath_and_read_whole_on_tell_me_more(
    session: Session, content: Content
) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for about five weeks")
    events = session.handle("would a warm cloth on my eye help?")
    answer = content.topics["compress"]
    assert events[0].text == answer.answer and events[0].spoken() == [answer.spoken]
    assert asks(events) == ["stroke_signs"]
    assert events[-1].spoken() == [content.ruleset.question("stroke_signs").short]  # asked again, shorter
    assert events[-1].text == content.ruleset.question("stroke_signs").text  # printed whole
    told = " ".join(line for _ in range(4) for e in session.handle("tell me more") for line in e.printed())
    assert "gentle facial stretches" in told.lower()


def test_what_was_understood_is_read_back_briefly_and_not_beside_an_assessment(session: Session) -> None:
    session.start()
    events = session.handle("my left eyelid has been twitching for about five weeks")
    assert events[0].text.startswith("Noted:") and events[0].spoken()[0].startswith("Left eyelid")
    events = session.handle("my face suddenly drooped and my speech is slurred")
    assessment = next(e for e in events if e.type == "assessment")
    before = events[: events.index(assessment)]
    assert all(e.spoken() == [] for e in before), [e.spoken() for e in before]


def test_a_question_not_understood_three_times_still_gives_a_one_breath_assessment(session: Session) -> None:
    session.start()
    session.handle("my right eyelid has been twitching for about two weeks")
    session.handle("no")  # stroke signs
    session.handle("no")  # spread
    turns = [session.not_understood() for _ in range(3)]  # the red-flag question, never understood
    assert all(spoken_words(t) <= TURN_WORDS for t in turns), [[line for e in t for line in e.spoken()] for t in turns]
    events: list[Event] = []
    for _ in range(12):
        events = session.handle("no")
        if any(e.type == "assessment" for e in events):
            break
    assessment = next(e for e in events if e.type == "assessment")
    assert assessment.speech is not None and len(assessment.speech.split()) <= 65, assessment.speech
    assert "and other signs" in assessment.speech  # the printed reason names them all
    assert "hearing changes" in " ".join(assessment.printed())


@pytest.mark.parametrize(
    ("heard", "chance", "confirmed"),
    [
        ("Nope.", 0.3, False),  # a clear no, heard well enough: taken
        ("No.", 0.1, True),  # too faint a chance
        ("Yes, it's not", 0.47, True),  # words of both kinds: a "no" that may be a misheard yes
        ("No, nothing like that.", 0.3, True),  # a sentence: the screening "no" rule applies
        ("No, nothing like that.", 0.7, False),
        ("Uh-uh.", 0.4, True),  # "uh huh" and "uh-uh" sound alike: never taken unconfirmed
    ],
)
def test_a_clear_no_heard_well_is_not_confirmed(content: Content, heard: str, chance: float, confirmed: bool) -> None:
    from dialog import Hearing
    from voice.whisper import WhisperTuning

    session = Session.create(content, today=lambda: TODAY)
    session.start()
    session.handle("my left eyelid has been twitching for about five weeks")
    session.policy = WhisperTuning().confirm_policy
    events = session.hear(Hearing(heard, chance))
    assert (asks(events)[-1] == "confirm") == confirmed, asks(events)


def test_going_to_bed_after_the_check_in_ends_the_night(content: Content) -> None:
    # a new-user trial: a goodnight said with a "no" was taken as the no alone, and "anything else?" asked
    for said in ["no, i'm going to bed", "I'll just go to sleep"]:
        session = Session.create(content)
        session.start()
        session.handle("my right eyelid has been twitching for three days")
        while session.assessment is None:
            session.handle("no")
        events = session.handle(said)
        assert session.ended and not any(e.type == "ask" for e in events), said
