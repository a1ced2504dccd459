"""Conversation behaviour: universal commands, bedtime questions, corrections, not-understood."""

from __future__ import annotations

from typing import Any

import pytest

from content import Content
from dialog import Event, Session

from .conftest import BENIGN, TODAY, converse


def asks(events: list[Event]) -> list[str | None]:
    return [e.question for e in events if e.type == "ask"]


def text(events: list[Event]) -> str:
    return " ".join(line for e in events for line in e.printed())


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


# Each bedtime topic asked in three ways that are not among its examples in guidance.yaml, end to end;
# how well topics are found over many people's phrasings is measured in bench/nlu_bench.py.
TOPIC_PHRASES = {
    "sleep_cause": ["could being up late every night do this to my eye", "is it because i'm worn out", "is lack of sleep the reason"],
    "stroke": ["is a stroke starting", "do strokes begin with a twitch", "how do i tell a twitch from a stroke"],
    "caffeine": ["how many coffees a day are ok", "is my latte habit a problem", "should i drink less tea"],
    "children": ["do little kids get this too?", "my son has one too is that normal for kids", "do teenagers get eye twitches"],
    "stress": ["could my anxiety be doing this", "does stress make it worse", "is it because i'm stressed out"],
    "relaxation": ["how can I relax before sleep?", "will breathing exercises help", "any tips to help me relax at night"],
    "sleep_hygiene": ["what's a good bedtime routine for me", "any advice for a better night's sleep", "any tips for sleeping better"],
    "screens": ["is my phone making it worse", "could it be all the screen time", "does the computer strain my eyes"],
    "stimulants": ["is vaping bad for it", "is alcohol bad for it", "could the cigarettes be making it worse"],
    "nutrition": ["does magnesium help?", "are vitamins worth taking", "would b12 tablets help"],
    "hydration": ["could i just be thirsty", "is dehydration a cause", "will water help"],
    "compress": ["would a warm compress on my eye help", "can i put a hot cloth on it", "do face stretches help"],
    "journal": ["is it worth writing it all down", "is a symptom diary useful", "what should i be writing down"],
    "conditions": ["could it be something serious?", "is it parkinson's", "could it be a brain tumour"],
    "cause": ["what actually makes it twitch", "what makes a muscle twitch", "why is my face doing this"],
    "triggers": ["what are the usual causes of a flare", "what sets off a twitch", "what should i avoid doing"],
    "plan": ["how long till it goes away", "will it go away by itself", "how long until it stops"],
    "doctor": ["at what point do i see someone about it", "do i need to see my gp about this", "is it worth seeing a doctor"],
    "treatment": ["is there any treatment?", "can botox fix it", "what do doctors give for it"],
    "before_sleep": ["why does it only happen before I sleep?", "why does it start when i go to bed", "is it a hypnic jerk"],
    "exercise": ["does going to the gym cause it", "is it from the gym", "should i stop running"],
    "diagnosis": ["how would a doctor check it", "what tests would a doctor do", "do they scan your brain for this"],
    "medication": ["could my prescription be causing it", "are my tablets causing it", "are my pills to blame"],
}  # fmt: skip


def test_every_topic_has_test_phrases_not_among_its_examples(content: Content) -> None:
    assert set(TOPIC_PHRASES) == set(content.topics)
    for topic, phrases in TOPIC_PHRASES.items():
        examples = {e.lower().rstrip("?") for e in content.topics[topic].examples}
        assert not {p.lower().rstrip("?") for p in phrases} & examples, topic


# Known misses, kept here so that a change that mends one is seen (strict). The reader trained with
# the round-8 tuning lines (2026-12-07) answers "is my latte habit a problem" (the round-7 reader took
# it for stimulants) and misses these two, asked after "has it spread?":
KNOWN_MISSES = {
    ("cause", "what actually makes it twitch"): "asks whether it means why it happens or triggers",
    ("hydration", "could i just be thirsty"): "not taken for a question after 'has it spread?'",
}


def _topic_case(topic: str, phrase: str) -> Any:
    why = KNOWN_MISSES.get((topic, phrase))
    return pytest.param(topic, phrase, marks=pytest.mark.xfail(reason=why, strict=True)) if why else (topic, phrase)


@pytest.mark.parametrize("topic, phrase", [_topic_case(t, p) for t, ps in sorted(TOPIC_PHRASES.items()) for p in ps])
def test_each_topic_is_answered_then_the_checkin_resumes(
    session: Session, content: Content, topic: str, phrase: str
) -> None:
    at_spread(session)
    events = session.handle(phrase)
    assert content.topics[topic].answer in text(events)
    assert asks(events) == ["spread"]
    assert asks(session.handle("no")) == ["red_flags"]


def test_topic_at_the_opening(session: Session, content: Content) -> None:
    session.start()
    events = session.handle("is facial twitching a sign of a stroke?")
    assert content.topics["stroke"].answer in text(events)
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


def test_not_understood_offers_choices_the_second_time_and_loses_nothing(session: Session, content: Content) -> None:
    at_spread(session)
    facts = dict(session.facts)
    events = session.handle("purple elephants sing opera")
    assert content.dialog["not_understood"] in text(events)
    assert asks(events) == ["spread"] and session.facts == facts
    events = session.handle("the elephants again")
    assert content.ruleset.question("spread").choices in text(events)
    assert asks(events) == ["spread"] and session.facts == facts


def test_yes_to_a_question_that_needs_a_value_is_re_asked(session: Session) -> None:
    session.start()
    session.handle("my eyelid twitches")
    for reply in ["no", "no", "no"]:
        events = session.handle(reply)
    assert asks(events) == ["duration"]
    events = session.handle("yes")
    assert asks(events) == ["duration"]
    events = session.handle("yes")
    assert asks(events) == ["duration"] and "You can say a length of time" in text(events)


def test_maybe_to_anything_else_offers_the_choices_rather_than_goodbye(session: Session, content: Content) -> None:
    conv = converse(session, "my left eyelid has been twitching for about five weeks", BENIGN)
    assert asks(conv.events)[-1] == "offer_relaxation"
    assert asks(session.handle("no thanks")) == ["anything_else"]
    events = session.handle("maybe?")
    assert not session.ended and asks(events) == ["anything_else"]


def test_every_state_the_conversation_can_be_in_has_what_it_expects(content: Content) -> None:
    from dialog import Expectations
    from dialog.session import CHECKING, CONFIRMING, NOT_QUESTIONS

    expect = Expectations(content)
    for state in (*NOT_QUESTIONS, CHECKING, CONFIRMING, *(q.id for q in content.ruleset.questions)):
        assert expect.for_question(state), state


def test_not_sure_then_each_denied_is_a_no_to_the_whole_question(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for a week")
    while session.pending().question != "other_symptoms":
        session.handle("no" if session.pending().question in ("stroke_signs", "red_flags", "spread") else "yes")
    session.handle("not sure")
    session.handle("actually no, no headaches, no dizziness, no numbness")
    assert session._known().get("other_screen") is False
    while session.assessment is None:
        session.handle("no")
    assert "sure" not in " ".join(session.assessment.reasons).lower(), session.assessment.reasons


def test_a_value_said_in_passing_to_another_question_does_not_undo_one_given(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for two weeks, most days")
    assert session.facts["frequency"] == "daily"
    while session.pending().question in ("stroke_signs", "red_flags", "spread", "droop_onset"):
        session.handle("no")
    assert not {"frequency", "duration_days"} & session.pending().expects
    session.handle("work stress mostly, it comes and goes now and then, a few days at a time")
    assert session.facts["frequency"] == "daily" and session.facts["duration_days"] == 14
    # said as a correction, it does
    session.handle("actually it's been three weeks")
    assert session.facts["duration_days"] == 21


def test_after_an_emergency_it_does_not_wish_a_good_night(session: Session) -> None:
    session.start()
    events = session.handle("my face has dropped on one side and my arm is weak")
    assert session.assessment is not None and session.assessment.level == "emergency"
    assert "anything else" not in events[-1].text.lower()
    goodbye = " ".join(e.text for e in session.stop() if e.type == "say")
    assert "sleep well" not in goodbye.lower() and "emergency" in goodbye.lower()


@pytest.mark.parametrize(
    "text",
    ["it's probably just cos I'm tired though right?", "can't I just sleep it off?", "does coffee make it worse"],
)
def test_after_an_emergency_no_bedtime_answer_plays_it_down(session: Session, text: str) -> None:
    session.start()
    first = session.handle("my face has dropped on one side and my arm is weak")
    assert session.assessment is not None and session.assessment.level == "emergency"
    said = " ".join(e.text for e in session.handle(text) if e.type in ("say", "ask"))
    assert "emergency" in said.lower() and "sleep schedule" not in said and "caffeine" not in said.lower(), said
    # "repeat" still says the assessment, not the reminder; "no" ends the night with the call
    again = session.handle("repeat")
    assert [e.text for e in again] == [e.text for e in first]
    assert "emergency" in " ".join(e.text for e in session.handle("no") if e.type == "say").lower()
    assert session.ended


def test_a_remark_after_the_assessment_that_changes_nothing_is_not_answered_with_it_all_again(
    session: Session,
) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for a week")
    while session.assessment is None:
        session.handle("yes" if session.pending().question in ("improving", "pattern") else "no")
    level = session.assessment.level
    events = session.handle("it's worse when I'm on my phone late")
    told = [e for e in events if e.type == "assessment"]
    assert told and told[0].assessment.level == level
    assert told[0].lines[0] == session.content.dialog["assessment_unchanged"] and len(told[0].lines) <= 4


def test_no_to_how_many_hours_is_no_number_but_none_to_how_many_cups_is_zero(session: Session) -> None:
    session.start()
    session.handle("my eye has twitched for a week, I sleep badly and drink a lot of coffee")
    for _ in range(8):
        question = session.pending().question
        if question in ("sleep_amount", "caffeine_amount") or question is None:
            break
        session.handle("no")
    assert session.pending().question == "sleep_amount"
    session.handle("no")
    assert "sleep_hours" not in session.facts and session.pending().question == "sleep_amount"
    session.handle("six hours")
    assert session.pending().question == "caffeine_amount"
    session.handle("none")
    assert session.facts["caffeine_cups"] == 0


def test_an_answer_said_with_a_bedtime_question_is_taken_and_the_question_answered(session: Session) -> None:
    session.start()
    session.handle("my eye has been twitching for 3 days")
    events = session.handle("none of those. is this how a stroke starts though?")
    assert session.facts["stroke_screen"] is False and session.pending().question != "stroke_signs"
    assert "not typically a sign of a stroke" in events[0].text and events[-1].type == "ask"
    # a yes with the question is the yes: the emergency, and nothing said after it
    urgent = Session.create(session.content, today=lambda: TODAY)
    urgent.start()
    urgent.handle("my eye has been twitching for 3 days")
    events = urgent.handle("yes, is that a stroke?")
    assert urgent.assessment is not None and urgent.assessment.level == "emergency"
    assert "emergency" in events[0].text.lower() or "emergency" in " ".join(e.text for e in events[:3]).lower()


@pytest.mark.parametrize(
    "text", ["actually it's three weeks", "sorry, actually more like three weeks now I think about it"]
)
def test_a_length_put_right_in_reply_to_the_stroke_question_answers_nothing_of_it(session: Session, text: str) -> None:
    # the reader read a yes (an emergency) or a "not sure" into these
    session.start()
    session.handle("my left eye twitches, about a week")
    events = session.handle(text)
    assert session.assessment is None and session.facts["duration_days"] == 21
    assert "stroke_screen" not in session.facts and events[-1].question == "stroke_signs"


def test_a_doubt_that_was_the_sign_just_checked_leaves_the_rest_of_the_question_to_ask(session: Session) -> None:
    session.start()
    session.handle("my eyelid twitches, about a week")
    events = session.handle("um I don't think so? my left arm feels a bit tingly but that's probably how I was lying")
    assert events[-1].question == "check"
    events = session.handle("no")
    # not "I'll note that you're not sure" of speech, confusion and walking, never asked about
    assert session.facts["arm_weakness"] is False and "slurred_speech" not in session.facts
    assert events[-1].question == "stroke_signs" and "slurred speech" in events[-1].text


def test_not_sure_to_several_warning_signs_asks_each_on_its_own(session: Session) -> None:
    session.start()
    session.handle("my eyelid twitches, about a week")
    events = session.handle("not sure")
    assert events[-1].question == "check" and "one at a time" in events[-1].text
    while session.pending().question == "check":
        reply = "not sure" if session.checking[0] == "confusion" else "no"
        events = session.handle(reply)
    # each denied is a no, the one still doubted stays not sure (never a no), and the result says which
    assert session.facts["arm_weakness"] is False and session.facts["slurred_speech"] is False
    assert session.facts["confusion"] is not False and "confusion" in session.facts
    # a yes, asked one at a time, is acted on at once
    again = Session.create(session.content, today=lambda: TODAY)
    again.start()
    again.handle("my eyelid twitches, about a week")
    again.handle("not sure")
    again.handle("yes")
    assert again.assessment is not None and again.assessment.level == "emergency"
    assert "drooping" in again.assessment.reasons[0] and "arm weakness" not in again.assessment.reasons[0]


def test_not_sure_of_one_named_sign_asks_the_rest_and_keeps_what_was_denied(session: Session) -> None:
    session.start()
    session.handle("left eyelid, two weeks")
    session.handle("no drooping")
    events = session.handle("not sure about the arm, it's a bit tingly")
    # the doubt is the arm's: the rest is asked, and "no drooping" still rules out a sudden droop
    assert events[-1].question == "stroke_signs" and "slurred speech" in events[-1].text
    assert "arm weakness" not in events[-1].text and "slurred_speech" not in session.facts
    session.handle("no")
    assert session.assessment is not None
    reasons = " ".join(session.assessment.reasons)
    assert "arm weakness" in reasons and "suddenly" not in reasons and "slurred speech" not in reasons
    assert session.facts.get("droop_sudden") is not True and session.facts["slurred_speech"] is False


def test_triggers_told_in_the_opening_are_not_asked_again(session: Session) -> None:
    session.start()
    session.handle("eye twitching for 4 days, bit stressed, 6 hrs sleep")
    for _ in range(10):
        if session.pending().question in ("triggers", None):
            break
        events = session.handle("no")
    asked = events[-1]
    assert asked.question == "triggers" and asked.text.startswith("And what about") and "stress" not in asked.text
    session.handle("no")
    assert session.facts["stress"] is True and session.facts["short_sleep"] is True and session.facts["coffee"] is False


def test_a_silence_after_an_emergency_ends_with_the_call_not_good_night(session: Session) -> None:
    session.start()
    session.handle("my face has dropped on one side and my arm is weak")
    said = " ".join(e.text for e in session.silence() if e.type == "say")
    assert "emergency" in said.lower() and "good night" not in said.lower() and session.ended


def test_start_over_while_signs_are_being_checked_starts_afresh(session: Session) -> None:
    session.start()
    session.handle("my eyelid twitches, about a week")
    session.handle("not sure")
    assert session.pending().question == "check"
    events = session.handle("start over")
    assert events[-1].question == "opening" and not session.checking
    events = session.handle("my cheek twitches")
    assert session.facts.get("twitching") is True and events[-1].question != "check"


def test_what_a_word_means_is_asked_in_plainer_words_and_reports_nothing(session: Session) -> None:
    # a new user's trial: "sorry, what is drooped?" was taken as a report of drooping
    session.start()
    session.handle("my left eyelid twitches, about a week")
    events = session.handle("sorry, what is drooped?")
    assert events[-1].question == "stroke_signs" and "In plain words" in events[-1].text
    assert "face_droop" not in session.facts and session.checking == []
    session.handle("no")
    events = session.handle("what do you mean by spread? like to the other eye?")
    assert events[-1].question == "spread" and events[-1].text.startswith("I mean")
    events = session.handle("I don't understand")
    assert events[-1].question == "spread"


def test_signs_all_denied_in_passing_are_asked_once_more_saying_so(session: Session) -> None:
    session.start()
    events = session.handle(
        "my eye's been twitching about a week. no drooping, arms are fine, talking fine, head's clear, walking fine"
    )
    asked = events[-1]
    assert asked.question == "stroke_signs" and asked.text.startswith("You've told me no to these")
    assert "arm weakness" in asked.text and " or " in asked.text
    session.handle("no")
    assert session.current == "spread" and session.facts["stroke_screen"] is False


# -- from the sixth session's new-user trial ------------------------------------------------------


def test_what_do_i_do_after_an_emergency_gets_the_call_not_the_list_of_commands(session: Session) -> None:
    session.start()
    session.handle("my arm has gone weak and my eye is twitching")
    said = text(session.handle("what do i do now"))
    assert "emergency" in said.lower() and "tell me more" not in said.lower(), said


def test_someone_elses_sign_told_beside_your_own_twitch_is_asked_about_first(session: Session) -> None:
    session.start()
    events = session.handle("my partner came home drunk and slurring his words, and my eyelid keeps twitching")
    assert session.assessment is None
    assert "do you have slurred speech" in text(events).lower()
    session.handle("no, that was him not me")
    assert session.facts.get("slurred_speech") is False


def test_yes_to_the_rest_of_a_list_asks_which(session: Session) -> None:
    session.start()
    session.handle("my left eyelid keeps jumping, on and off for about 2 weeks, I've been stressed")
    answers = {"stroke_signs": "no", "spread": "no", "red_flags": "no", "improving": "yeah",
               "pattern": "few seconds, comes and goes", "other_symptoms": "no", "history": "no"}  # fmt: skip
    events = session.handle("no")
    for _ in range(10):
        asked = asks(events)[-1]
        if asked == "triggers":
            break
        events = session.handle(answers.get(asked or "", "no"))
    assert "what about" in text(events).lower()
    events = session.handle("yes")
    assert asks(events) == ["triggers_which"] and "Sorry" not in text(events), text(events)


def test_a_doubt_in_passing_does_not_undo_a_trigger_told_plainly(session: Session) -> None:
    session.start()
    session.handle("my eyelid has been twitching for a week, i work night shifts and barely sleep")
    assert session.facts.get("short_sleep") is True
    for reply in ("no", "no", "no"):
        session.handle(reply)
    assert session.current == "improving"
    events = session.handle("sorta? hard to say with shifts")
    assert session.facts.get("short_sleep") is True and "changed" not in text(events)


def test_a_droop_told_after_no_to_the_stroke_question_is_asked_whether_it_was_sudden(session: Session) -> None:
    session.start()
    session.handle("my right eye has been flickering since tuesday")
    session.handle("no nothing like that")
    session.handle("nope")
    events = session.handle("well now you mention it my mouth looks a bit droopy on one side, started this afternoon")
    assert asks(events) == ["droop_onset"], text(events)
    session.handle("yes it was sudden")
    assert session.assessment is not None and session.assessment.level == "emergency"


def test_one_cup_is_said_as_one_cup(session: Session) -> None:
    session.start()
    said = text(session.handle("my eyelid has been twitching for a week, i have 1 coffee a day"))
    assert "1 cup of coffee a day" in said, said


def test_what_should_i_do_after_a_doctor_is_advised_is_that_advice_not_the_plan_for_the_harmless_kind(
    session: Session,
) -> None:
    session.start()
    session.handle("my eyelid has been twitching and I can't close my eye properly since last week")
    session.handle("no")
    assert session.assessment is not None and session.assessment.level == "urgent"
    said = text(session.handle("what should i do"))
    assert "contact a doctor promptly" in said and "four-week" not in said and "Days one to three" not in said, said


def test_sorry_i_meant_no_just_after_a_yes_asks_the_question_again(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for a week")
    session.handle("yes")
    assert session.assessment is not None and session.assessment.level == "emergency"
    events = session.handle("sorry no, I hit yes by mistake, I meant no. none of those")
    assert session.assessment is None and not session.ended
    assert asks(events) == ["stroke_signs"], text(events)
    assert asks(session.handle("no")) == ["spread"]


def test_someone_asked_for_is_the_one_checked_and_the_questions_are_about_them(session: Session) -> None:
    session.start()
    events = session.handle("hi im typing this for my mum, she's 84, her left eye has been twitching for a week")
    said = text(events)
    assert "please answer for them" in said and "do they have arm weakness" in said, said
    # "worried for my son" is no one spoken for
    other = Session.create(session.content, today=lambda: TODAY)
    other.start()
    assert "answer for them" not in text(other.handle("my eye twitches when i'm worried for my son"))
