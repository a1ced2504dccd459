"""Understanding people's own words: every warning sign in everyday phrasings, denied, someone
else's, asked about; and in a conversation, a warning sign said anywhere is acted on.

These phrasings are written for the tests; how well understanding does over many people's
phrasings it was not tuned on is measured in bench/nlu_bench.py (the held-out set).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import Content
from dialog import Session
from intents import Pending, Understanding

from .conftest import BENIGN, TODAY, converse

# Each warning sign, five ways people say it.
SIGNS = {
    "arm_weakness": ["my right arm feels weak", "i can't lift my arm properly", "my arm's gone all heavy",
                     "my left arm went numb and floppy", "i've got no strength in my arm all of a sudden"],
    "slurred_speech": ["my speech is slurred", "i'm slurring my words", "my words are coming out funny",
                       "i can't talk properly, it's all mumbled", "my husband says i sound drunk when i talk"],
    "confusion": ["i feel really confused", "i don't know where i am",
                  "i keep getting muddled and can't think straight", "i'm all disoriented",
                  "i can't make sense of things"],
    "walking_difficulty": ["i'm having trouble walking", "i can't walk straight", "i keep stumbling when i walk",
                           "my legs won't hold me up", "i'm really unsteady on my feet"],
    "face_droop": ["my face is drooping", "one side of my face has dropped", "my smile is lopsided",
                   "the corner of my mouth is sagging", "my face looks crooked in the mirror"],
    "expression_difficulty": ["i can't smile properly", "i can't raise my eyebrow on that side",
                              "i can't puff out my cheeks", "half my face won't move", "i can't whistle any more"],
    "eye_closure": ["i can't close my eye", "my eye won't shut properly", "my eyelid won't close all the way",
                    "i can't blink on that side", "my eye stays half open"],
    "saliva": ["i'm drooling", "i keep dribbling out of the side of my mouth", "saliva keeps leaking from my mouth",
               "i can't stop drooling", "drink keeps running out of my mouth"],
    "ear_pain": ["i have pain behind my ear", "there's a sharp pain just under my ear", "my ear really hurts",
                 "it aches behind my ear", "i've got earache on that side"],
    "hearing": ["my hearing is muffled", "sounds are really loud in one ear", "i can't hear properly on that side",
                "my ear feels blocked and everything sounds dull", "noises hurt my ear"],
    "spread": ["it's spread to my cheek", "it started in my eyelid and now my mouth twitches too",
               "now it's moving down into my jaw", "it has spread across my face",
               "it's not just my eye any more, it's my cheek as well"],
}  # fmt: skip

NEGATED = {
    "arm_weakness": ["my arms are fine", "no weakness in my arms"],
    "slurred_speech": ["my speech is normal", "i'm not slurring"],
    "confusion": ["i'm not confused at all", "i'm thinking clearly"],
    "walking_difficulty": ["i can walk fine", "no trouble walking", "nah im steady as no problems walking"],
    "face_droop": ["i haven't had any drooping", "my face isn't drooping"],
    "expression_difficulty": ["i can smile fine", "no problem smiling", "facial weakness none"],
    "eye_closure": ["i can close my eye fine", "my eye shuts normally"],
    "saliva": ["no drooling", "i'm not drooling", "no i'm not drooling or anything like that"],
    "ear_pain": ["no pain behind my ear", "my ears don't hurt", "earache? none whatsoever"],
    "hearing": ["my hearing's fine", "no change in my hearing"],
    "spread": ["it hasn't spread", "it's only ever in my eyelid"],
}

NOT_THE_USERS = [
    "my grandmother had a stroke and her face drooped",
    "my dad's arm went weak when he had his stroke",
    "my friend had bell's palsy and couldn't close her eye",
    "would a stroke make my arm weak?",
    "is drooping a bad sign?",
    "what if my speech starts slurring",
    "is slurred speech a sign of a stroke",
    "can twitching turn into bell's palsy",
]

# The stroke signs the FAQ says to call for at once; the others need a doctor soon.
EMERGENCY = {"arm_weakness", "slurred_speech", "confusion", "walking_difficulty"}


def level_of(fact: str) -> str:
    return "emergency" if fact in EMERGENCY else "urgent"


def test_every_warning_sign_has_phrasings(content: Content) -> None:
    screens = {"stroke_screen", "flag_screen", "droop_sudden"}  # answers to questions, not said of themselves
    assert set(SIGNS) == set(content.ruleset.warning_signs) - screens
    assert all(len(p) >= 5 for p in SIGNS.values()) and set(NEGATED) == set(SIGNS)


@pytest.mark.parametrize("fact, text", [(f, t) for f, ts in SIGNS.items() for t in ts])
def test_a_warning_sign_in_everyday_words_is_present(content: Content, fact: str, text: str) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert u.states().get(fact) == "present", u.to_json()
    found = next(f for f in u.facts if f.fact == fact)
    assert found.words and found.words in u.text.lower()  # with the words it came from


@pytest.mark.parametrize("fact, text", [(f, t) for f, ts in NEGATED.items() for t in ts])
def test_a_denied_warning_sign_is_absent(content: Content, fact: str, text: str) -> None:
    assert content.understander.understand(text, today=TODAY).states().get(fact) == "absent"


@pytest.mark.parametrize("text", NOT_THE_USERS)
def test_someone_elses_or_asked_about_is_not_taken_as_present(content: Content, text: str) -> None:
    states = content.understander.understand(text, today=TODAY).states()
    assert not {f for f, s in states.items() if s == "present"} & content.ruleset.warning_signs, states


def test_asking_whether_you_have_a_sign_is_unsure_not_no(content: Content) -> None:
    assert content.understander.understand("is my face drooping?", today=TODAY).states()["face_droop"] == "unsure"


def test_a_question_that_takes_the_sign_as_given_reports_it(content: Content) -> None:
    for text in [
        "what should i do my face is drooping",
        "why is my arm so weak",
        "is it serious that my speech is slurred",
        "should i see a doctor about the pain behind my ear",
        "is it normal that i can't lift my cup since dinner?",
        "why can't i lift my cup?",
    ]:
        states = content.understander.understand(text, today=TODAY).states()
        assert "present" in states.values(), text


@pytest.mark.parametrize(
    "text, child",
    [
        ("my daughter's eyelid has been twitching all week", True),
        ("i'm asking for my 12 year old, her cheek keeps jumping", True),
        ("my little boy has had a twitch under his eye since he started school", True),
        ("my son says my eye looks twitchy", False),
        ("my son had tics as a kid but this twitch is mine", False),
        ("my eye twitches when my kids keep me up at night", False),
        ("my mum's face has been twitching", False),
    ],
)
def test_a_child_is_the_one_checked_only_when_the_twitch_is_theirs(content: Content, text: str, child: bool) -> None:
    states = content.understander.understand(text, today=TODAY).states()
    assert (states.get("child") == "present") is child, states


def test_a_twitch_told_with_is_is_a_report_and_a_question_about_it_is_a_question(content: Content) -> None:
    for text in ["my eye is twitching a lot", "my eyelid is twitching", "my cheek is twitching again tonight"]:
        assert content.understander.understand(text, today=TODAY).states()["twitching"] == "present", text
    # people ask because they have one (the corpus labels the twitch present); what they ask about is not reported
    for text, topic in [("is twitching a sign of a stroke", "stroke"), ("does twitching mean ms", "conditions")]:
        u = content.understander.understand(text, today=TODAY)
        assert u.topic is not None and u.topic.topic == topic, text
        assert not any(u.has(f) for f in content.ruleset.warning_signs), text
        assert u.states().get("neuro_history") is None, text


def test_a_sign_inside_an_answer_with_content(content: Content) -> None:
    pending = Pending("stroke_signs", frozenset({"stroke_screen"}), True)
    u = content.understander.understand("yes, the left side of my face is drooping and my arm feels weak", pending)
    assert u.answer is not None and u.answer.value == "yes"
    assert u.states()["face_droop"] == "present" and u.states()["arm_weakness"] == "present"


@pytest.mark.parametrize("fact", list(SIGNS))
def test_each_sign_said_at_the_opening_reaches_its_level(session: Session, fact: str, content: Content) -> None:
    conv = converse(session, f"my eyelid keeps twitching and {SIGNS[fact][0]}")
    assert conv.assessment is not None
    rank = content.ruleset.rank
    assert rank(conv.assessment.level) <= rank(level_of(fact)), conv.assessment


# How a sign may come: alone, inside a yes or a no, with a command or a question around it.
WRAPS = ["{}", "yes, {}", "no, but {}", "no not really. {}", "{}, is that a stroke?", "help, {}", "wait {}",
         "um so basically {} as well", "i'm not sure, {}", "well {} now that you mention it"]  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fact=st.sampled_from(sorted(SIGNS)),
    which=st.integers(0, 4),
    wrap=st.sampled_from(WRAPS),
    at=st.integers(0, 8),
)
def test_a_warning_sign_said_anywhere_reaches_at_least_its_level(
    content: Content, fact: str, which: int, wrap: str, at: int
) -> None:
    sign = wrap.format(SIGNS[fact][which])
    session = Session.create(content, today=lambda: TODAY)
    turns = iter(range(1, 100))

    def answer(qid: str) -> str:
        if qid == "check":  # "Just to be sure: do you have ...?" about the sign they said
            return "yes"
        # said in place of the answer to the at-th question (or the last one there is)
        if next(turns) == at or (qid == "triggers" and at > 0):
            return sign
        return BENIGN.get(qid, "no")

    opener = sign if at == 0 else "my left eyelid has been twitching for a few days"
    conv = converse(session, opener, answer)
    assert conv.assessment is not None
    assert content.ruleset.rank(conv.assessment.level) <= content.ruleset.rank(level_of(fact)), (sign, conv.asked)


# Found by a new-user trial in chat; each once lost a sign or answered the wrong question.


def test_a_sign_said_in_passing_with_its_onset_keeps_the_twitchs_duration(session: Session) -> None:
    session.start()
    session.handle("my cheek has been twitching on and off for two weeks")
    session.handle("no it's just the cheek, although my words have been coming out a bit funny since this afternoon")
    assert session.facts["slurred_speech"] is True
    assert session.facts["duration_days"] == 14  # "since this afternoon" is when the speech changed


def test_a_sign_heard_over_the_reply_in_its_own_words_is_asked_about_not_acted_on(session: Session) -> None:
    # the stroke question coming back through the microphone (heard in CI as "and it's oven-proofing,
    # un-weekless, certain feet, confusion, or trouble walking."): asked about, never dropped
    session.start()
    session.handle("my left eyelid has been twitching for a week")
    question = session.pending().question
    said = next(q.text for q in session.content.ruleset.questions if q.id == question)
    echo = "and it's oven-proofing, un-weekless, certain feet, confusion, or trouble walking."
    events = session.handle(echo, over=said)
    assert session.assessment is None and session.checking and events[-1].type == "ask"
    # heard in CI as another form of its own words ("armed weakness"): still its own
    heard = Session.create(session.content, today=lambda: TODAY)
    heard.start()
    heard.handle("my left eyelid has been twitching for a week")
    events = heard.handle("And it's of a fruiting, armed weakness.", over=said)
    assert heard.assessment is None and heard.checking and events[-1].type == "ask"
    session.handle("yes")
    session.handle("yes")
    assert session.assessment is not None and session.assessment.level == "emergency"
    # in words of their own it is taken at once, over the same question
    other = Session.create(session.content, today=lambda: TODAY)
    other.start()
    other.handle("my left eyelid has been twitching for a week")
    other.handle("my arm has gone weak", over=said)
    assert other.assessment is not None and other.assessment.level == "emergency"


def test_when_a_droop_began_is_not_how_long_the_twitch_has_lasted(content: Content) -> None:
    pending = Pending("droop_onset", frozenset({"droop_sudden"}), True)
    u = content.understander.understand("it's not sudden, it's been like that since yesterday", pending, TODAY)
    assert "duration_days" not in u.values and u.states()["droop_sudden"] == "absent"


def test_no_but_a_new_sign_answers_the_question_and_is_said_back(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for three days")
    events = session.handle("no, but the right side of my mouth feels a bit droopy when I look in the mirror")
    said = " ".join(line for e in events for line in e.printed())
    assert session.facts["face_droop"] is True and session.facts["stroke_screen"] is False
    assert "drooping" in said


def test_no_drooping_to_the_stroke_question_asks_only_about_the_other_signs(session: Session) -> None:
    # with no drooping there is no sudden drooping: the question is not asked again whole
    session.start()
    session.handle("my left eyelid has been twitching for three days")
    events = session.handle("no drooping")
    asked = events[-1]
    assert asked.type == "ask" and asked.question == "stroke_signs"
    assert "arm weakness" in asked.text and "drooped" not in asked.text
    session.handle("no")
    assert session.facts["arm_weakness"] is False and session.pending().question != "stroke_signs"
    # a droop said later is still asked about: whether it came on suddenly is not taken as settled
    session.handle("actually one side of my face has dropped")
    assert session.facts["face_droop"] is True and session.pending().question == "droop_onset"


def test_a_turn_that_denies_the_signs_asked_about_is_no_yes_whatever_else_it_tells(session: Session) -> None:
    # the reader leans to yes on "but I do feel a bit dizzy"; every word on the signs asked about denies them
    session.start()
    session.handle("my left eyelid has been twitching for three days")
    events = session.handle("no face drop no arm weakness but i do feel a bit dizzy")
    assert session.assessment is None and session.facts["arm_weakness"] is False
    asked = events[-1]
    assert asked.question == "stroke_signs" and "slurred speech" in asked.text and "arm weakness" not in asked.text


@pytest.mark.parametrize(
    "text, fact",
    [("dribbling and can't smile right, started yesterday", "expression_difficulty"),
     ("well the lid doesn't seal when i shut it", "eye_closure")],
)  # fmt: skip
def test_a_not_inside_one_signs_words_denies_no_other_sign_they_name(content: Content, text: str, fact: str) -> None:
    red_flags = Pending("red_flags", frozenset({"face_droop", "expression_difficulty", "eye_closure"}), True)
    u = content.understander.understand(text, red_flags, TODAY)
    assert u.states().get(fact) == "present" and "face_droop" not in u.states(), u.to_json()


@pytest.mark.parametrize(
    "text, fact, state",
    [("weak arm? not that i've noticed", "arm_weakness", "absent"),
     ("drooling? can't say I have", "saliva", "absent"),
     ("any slurring? not sure", "slurred_speech", "unsure"),
     ("not the water, i drink plenty", "dehydrated", "absent")],
)  # fmt: skip
def test_a_sign_said_back_as_a_question_takes_the_reply_after_it(
    content: Content, text: str, fact: str, state: str
) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert u.states().get(fact) == state, u.to_json()


def test_a_droop_told_in_reply_to_the_stroke_question_is_followed_up_not_asked_again(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for three days")
    events = session.handle("my mouth's gone lopsided")
    assert session.facts["face_droop"] is True and events[-1].question == "droop_onset"
    events = session.handle("yes")  # sudden: an emergency, without the rest of the question
    assert session.assessment is not None and session.assessment.level == "emergency"
    slow = Session.create(session.content, today=lambda: TODAY)
    slow.start()
    slow.handle("my left eyelid has been twitching for three days")
    slow.handle("my mouth's gone lopsided")
    asked = slow.handle("no")[-1]
    assert asked.question == "stroke_signs" and "arm weakness" in asked.text and "drooped" not in asked.text


def test_a_maybe_with_an_answer_to_another_question_stays_unsure(content: Content) -> None:
    # a new-user trial: to "headaches, dizziness or numbness?" this was read as yes, and went into the journal
    for question in ("other_symptoms", "pattern", "red_flags"):
        q = content.ruleset.question(question)
        pending = Pending(q.id, frozenset(q.fills), q.yes_no)  # as the conversation asks it
        for text in ("maybe five and a half hours", "probably 6 hours on a school night"):
            # a hedged number answers nothing of this question: asked again, never a yes
            u = content.understander.understand(text, pending, TODAY)
            assert u.answer is None or u.answer.value == "unsure", (question, u.to_json())


def test_a_hedged_denial_then_a_sign_is_not_read_as_no(content: Content) -> None:
    u = content.understander.understand("I wouldn't say weak exactly, more tingly in my arm", today=TODAY)
    # tingling in an arm is the arm's sign (the corpus's labels: numbness is "not the arm")
    assert u.states().get("arm_weakness") == "present"


def test_no_to_which_topic_does_not_answer_the_checkin_question(session: Session) -> None:
    session.start()
    session.handle("my left eyelid has been twitching for three days")
    session.handle("no")
    session.choosing = ("caffeine", "journal")
    events = session.handle("no")
    assert "spread" not in session.facts
    assert [e.question for e in events if e.type == "ask"] == ["spread"]


def test_every_phrase_pattern_passes_spacys_schema(content: Content) -> None:
    """Start-up skips spaCy's pattern check (intents/concepts.py); the patterns are checked
    here instead, one of each shape the phrase compiler writes, and every group builds."""
    from spacy.schemas import validate_token_pattern

    def shape(pattern: list[dict]) -> tuple:
        return tuple(tuple(sorted((k, type(v).__name__) for k, v in spec.items())) for spec in pattern)

    seen: dict[tuple, list[dict]] = {}
    for _, group in content.understander.concepts.matchers:
        for rule in group.rules:
            seen.setdefault(shape(rule.pattern), rule.pattern)
        group.build()
    assert seen
    for pattern in seen.values():
        assert not validate_token_pattern(pattern), pattern


def test_a_face_word_near_a_not_leaves_the_sign_to_be_asked(content: Content) -> None:
    # only "my face is fine" (or a denial in answer to the question about it) rules a sign out
    for text in ["my face doesn't hurt, it just twitches", "i can't get the lid off this jar"]:
        assert content.understander.understand(text, today=TODAY).states().get("face_droop") is None, text
    assert content.understander.understand("my face is fine", today=TODAY).states()["face_droop"] == "absent"
    pending = Pending("stroke_signs", frozenset({"face_droop", "arm_weakness"}), True)
    u = content.understander.understand("my face doesn't look any different", pending, TODAY)
    assert u.states().get("face_droop") == "absent"


def test_a_recognizers_american_spelling_with_a_possessive_is_read_as_ours(content: Content) -> None:
    # Whisper writes "mom's"; the vocabulary says "mum": it is still someone else's sign, and if the
    # reader still leans to the user's, it is asked about ("Just to be sure …?"), not acted on
    for text in ["My mom's deaf in one ear.", "my mom's face drooped last year"]:
        u = content.understander.understand(text, today=TODAY)
        assert any(f.state == "other" for f in u.facts), (text, u.to_json())
        assert all(f.confidence < 0.9 for f in u.facts if f.state == "present"), (text, u.to_json())


def test_an_article_is_no_count_and_a_count_is_the_number_nearest_its_unit(content: Content) -> None:
    sleep = Pending("sleep_amount", frozenset({"sleep_hours"}), False)
    for text, hours in (("a solid eight", 8), ("a good seven hours", 7), ("about five or six hours", 6)):
        u = content.understander.understand(text, sleep, TODAY)
        assert u.values["sleep_hours"].value == hours, (text, u.to_json())
    assert content.understander.understand("a solid eight", sleep, TODAY).states()["short_sleep"] == "absent"


def test_a_list_of_signs_each_answered_keeps_each_answer(content: Content) -> None:
    # the "no" a comma closes is the answer to the sign before it, not a denial of the one after it
    stroke = Pending("stroke_signs", frozenset({"arm_weakness", "slurred_speech", "confusion"}), True)
    u = content.understander.understand("arm weakness no, slurred speech yes", stroke, TODAY)
    assert u.states() == {"arm_weakness": "absent", "slurred_speech": "present"}, u.to_json()
    u = content.understander.understand("arm weakness no, speech no, confusion no", stroke, TODAY)
    assert u.states() == {f: "absent" for f in ("arm_weakness", "slurred_speech", "confusion")}, u.to_json()
    u = content.understander.understand("headaches no, dizzy yes", today=TODAY)
    assert u.states()["dizziness"] == "present", u.to_json()
    assert any(f.fact == "headache" and f.state == "absent" for f in u.facts), u.to_json()


@pytest.mark.parametrize(
    "text, days",
    [
        # said on Saturday 2026-11-21
        ("since the 2nd of November", 19),
        ("since the second of November", 19),
        ("since November the 2nd", 19),
        ("since nov 2nd", 19),
        ("since the twentieth of last month", 32),
        ("since last Tuesday", 4),
        ("since last Friday", 8),  # yesterday would be "yesterday"
        ("since Tuesday last week", 11),
        ("a good fortnight", 14),
        ("all week", 7),
        ("this is the fifth day of it", 5),
        ("third night in a row", 3),
        ("end of October it started", 21),
        ("it started on the 20th of October", 32),
        ("since my birthday, the 18th of November", 3),
        ("since new year's eve", 325),
        ("a fort night", 14),
        ("a week yesterday", 8),
        ("a fortnight on Tuesday", 11),
        ("just over a week", 7.7),
        ("not even a week", 5.95),
        ("a week and a bit", 8.05),
    ],
)
def test_dates_and_runs_of_days_are_read_as_people_say_them(content: Content, text: str, days: float) -> None:
    u = content.understander.understand(text, Pending("duration", frozenset({"duration_days"}), False), TODAY)
    assert u.values["duration_days"].value == days, u.to_json()


@pytest.mark.parametrize(
    "text, days",
    [("I had Bell's palsy two years ago, now my left eye's twitching, a week", 7),
     ("my eye's been twitching for two weeks and I've been stressed for months", 14),
     ("three days but the droop in my face came on suddenly this afternoon", 3),
     ("the baby's four months, I'm exhausted, right eyelid twitching for a fortnight", 14),
     ("since the baby was born, she's six weeks now", 42)],
)  # fmt: skip
def test_a_length_told_of_something_else_or_an_age_gives_way_to_the_twitchs(
    content: Content, text: str, days: float
) -> None:
    u = content.understander.understand(text, Pending("duration", frozenset({"duration_days"}), False), TODAY)
    assert u.values["duration_days"].value == days, u.to_json()


def test_all_week_said_of_something_else_does_not_outweigh_the_twitchs_own_time(content: Content) -> None:
    text = "we've been out in the field all week and my left cheek's been twitching the last four days"
    assert content.understander.understand(text, today=TODAY).values["duration_days"].value == 4


@pytest.mark.parametrize(
    "text, hours",
    [
        ("bed at one, up at half six", 5.5),
        ("eleven till seven usually", 8),
        ("lights out at half eleven and the alarm's at six", 6.5),
        ("i'm up at four for work and never in bed before ten", 6),
        ("in bed by 11pm, up at 6.30", 7.5),
        ("seven to eight", 8),  # a range of hours, not a time to a time
        ("about six hours, in bed at eleven up at seven", 6),  # hours said outright come first
        ("it jumps several times an hour and i'm sleeping from like 5am to 11", 6),  # "an hour": how often
    ],
)
def test_hours_of_sleep_from_bedtime_to_waking(content: Content, text: str, hours: float) -> None:
    u = content.understander.understand(text, Pending("sleep_amount", frozenset({"sleep_hours"}), False), TODAY)
    assert u.values["sleep_hours"].value == hours, u.to_json()


def test_none_to_how_many_cups_is_none(content: Content) -> None:
    cups = Pending("caffeine_amount", frozenset({"caffeine_cups"}), False)
    for text, n in (("none at all", 0), ("none, I don't drink coffee", 0), ("decaf only", 0), ("half a dozen", 6)):
        u = content.understander.understand(text, cups, TODAY)
        assert u.values["caffeine_cups"].value == n, (text, u.to_json())


@pytest.mark.parametrize(
    "text, cups",
    [("coffee, about five a day", 5), ("i drink a lot of red bull behind the bar three or four a night", 4),
     ("I drink a lot of tea, six or seven cups", 7), ("Coffee, two cups.", 2), ("no caffeine at all", 0),
     ("i can't smile properly on one side", None), ("my brain cannot think one", None), ("coffee at four", None)],
)  # fmt: skip
def test_cups_counted_as_people_tell_them(content: Content, text: str, cups: int | None) -> None:
    found = content.understander.understand(text, today=TODAY).values.get("caffeine_cups")
    assert (found.value if found else None) == cups, text


@pytest.mark.parametrize(
    "text, answer",
    [("kind of", "unsure"), ("sort of?", "unsure"), ("kinda", "unsure"), ("i guess", "unsure"),
     ("kind of yeah", "yes"), ("i guess so", "yes"), ("mm-mm", "no"), ("uh-uh", "no"), ("mm-hm", "yes"),
     ("not a chance", "no"), ("no chance", "no"), ("not a bit of it", "no"), ("couldn't tell you", "unsure"),
     ("it varies", "unsure")],
)  # fmt: skip
def test_hedges_and_hums_are_the_answers_they_sound_like(content: Content, text: str, answer: str) -> None:
    u = content.understander.understand(text, Pending("improving", frozenset({"improving"}), True), TODAY)
    assert u.answer is not None and u.answer.value == answer, u.to_json()


@pytest.mark.parametrize(
    "text, answer", [("skip it please", "no"), ("that'll do for tonight", "no"), ("please", "yes"), ("no need", "no")]
)
def test_turning_down_an_offer_or_the_evening_is_a_no(content: Content, text: str, answer: str) -> None:
    for question in ("offer_relaxation", "anything_else"):
        u = content.understander.understand(text, Pending(question, frozenset(), True), TODAY)
        assert u.answer is not None and u.answer.value == answer, (question, u.to_json())
    # said to a question about the user, these answer nothing
    red_flags = Pending("red_flags", frozenset({"face_droop", "hearing"}), True)
    assert content.understander.understand("that'll do", red_flags, TODAY).answer is None


def test_that_is_it_after_a_yes_confirms(content: Content) -> None:
    for text in ("yeah that's it", "aye that's it"):
        u = content.understander.understand(text, Pending("confirm", frozenset(), True), TODAY)
        assert u.answer is not None and u.answer.value == "yes", (text, u.to_json())


@pytest.mark.parametrize(
    "text, fact",
    [("my face went numb on one side", "twitching"), ("i only noticed it this morning", "impacts_life"),
     ("my eating is all over the place", "several_areas"), ("no problem with that", "neuro_history"),
     ("no i'm fine honestly", "stress"), ("i'm so worried it's a stroke", "stress"),
     ("i can still work and sleep fine with it", "improving"), ("i don't think so", "confusion"),
     ("how do I descale the coffee machine", "coffee"), ("the kitchen light keeps flickering", "twitching"),
     ("let's do the breathing exercise", "exercise"), ("sick and tired of this rain", "short_sleep"),
     ("run a stress test on the server", "stress"), ("how do i get rid of a cold fast", "poor_diet"),
     ("worse when I'm exhausted", "worsening")],
)  # fmt: skip
def test_everyday_words_that_only_look_like_a_fact_say_nothing_of_it(content: Content, text: str, fact: str) -> None:
    assert fact not in content.understander.understand(text, today=TODAY).states()


def test_i_dont_think_so_denies_nothing_said_after_it(content: Content) -> None:
    u = content.understander.understand("i don't think so, maybe a bit confused", today=TODAY)
    assert u.states().get("confusion") == "unsure", u.to_json()


def test_a_denied_sign_the_user_then_doubts_is_unsure_and_a_doubt_about_something_else_is_not(
    content: Content,
) -> None:
    stroke = Pending("stroke_signs", frozenset({"arm_weakness", "slurred_speech"}), True)
    u = content.understander.understand("i don't think my arm is weak, maybe a little heavy though", stroke, TODAY)
    assert u.states().get("arm_weakness") == "unsure", u.to_json()
    u = content.understander.understand("no slurring, i might be a bit dizzy", stroke, TODAY)
    assert u.states().get("slurred_speech") == "absent", u.to_json()
    onset = Pending("droop_onset", frozenset({"droop_sudden"}), True)
    assert content.understander.understand("I don't think it was sudden, no", onset, TODAY).states() == {
        "droop_sudden": "absent"
    }


@pytest.mark.parametrize(
    "text, fact",
    [
        ("my arm's gone dead because the dog was lying on it", "arm_weakness"),
        ("I dribble on the pillow at night but I always have", "saliva"),
        ("my legs are wobbly after the gym, but that's normal for me", "walking_difficulty"),
        ("my smile is lopsided, has been since I was a kid", "face_droop"),
    ],
)  # fmt: skip
def test_a_sign_told_with_an_everyday_cause_is_kept_and_asked_about(content: Content, text: str, fact: str) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert u.states().get(fact) == "present", u.to_json()
    assert not u.has_sure(fact, 0.9), u.to_json()


@pytest.mark.parametrize(
    "text, fact",
    [
        ("my face is drooping because I think I'm having a stroke", "face_droop"),
        ("my arm went weak, because I'm worried it's serious I'm telling you", "arm_weakness"),
        ("i'm dribbling on the pillow and that's not normal for me", "saliva"),
        ("my arm is weak because my speech is slurred too", "arm_weakness"),
    ],
)  # fmt: skip
def test_a_cause_that_is_itself_serious_explains_nothing_away(content: Content, text: str, fact: str) -> None:
    assert content.understander.understand(text, today=TODAY).has_sure(fact, 0.9)


def test_a_sign_explained_away_is_asked_about_before_it_is_acted_on(session: Session) -> None:
    session.start()
    session.handle("my eyelid's been twitching for a week")
    events = session.handle("my arm's dead because the cat slept on it")
    assert session.assessment is None and events[-1].type == "ask" and "arm" in events[-1].text.lower()
    session.handle("yes")
    assert session.assessment is not None and session.assessment.level == "emergency"


def test_a_doubt_of_how_often_or_how_long_doubts_that_not_what_went_before(content: Content) -> None:
    u = content.understander.understand(
        "my left eyelid flickers a few seconds at a time, maybe twice a week", today=TODAY
    )
    assert u.states() == {"twitching": "present"}, u.to_json()
    # doubted and denied is not a no, whatever the doubt is of
    other = Pending("other_symptoms", frozenset({"dizziness"}), True)
    u = content.understander.understand("dizzy hmm not really maybe once or twice dunno", other, TODAY)
    assert u.states().get("dizziness") == "unsure", u.to_json()


def test_not_every_day_said_beside_times_a_day_is_now_and_then(content: Content) -> None:
    pattern = Pending("pattern", frozenset({"frequency", "brief_occasional"}), True)
    u = content.understander.understand("a few times a day though not every day", pattern, TODAY)
    assert u.values["frequency"].value == "occasional", u.to_json()
    assert content.understander.understand("it's most days now", pattern, TODAY).values["frequency"].value == "daily"


def test_late_nights_are_no_length_and_advice_about_a_habit_does_not_deny_it(content: Content) -> None:
    assert "duration_days" not in content.understander.understand("I've been pulling late nights", today=TODAY).values
    u = content.understander.understand("should I stop looking at my phone in bed?", today=TODAY)
    assert u.states().get("screens") != "absent" and u.topic is not None, u.to_json()


def test_a_typists_short_forms_are_read(content: Content) -> None:
    u = content.understander.understand
    assert (
        u("I sleep 5hrs", Pending("sleep_amount", frozenset({"sleep_hours"}), False), TODAY).values["sleep_hours"].value
        == 5
    )
    assert u("twitching for 2wks", today=TODAY).values["duration_days"].value == 14
    assert 0 < u("my eye has twitched since tues", today=TODAY).values["duration_days"].value <= 7


@pytest.mark.parametrize(
    "text, days", [("week or so", (7, 7)), ("um, month or so", (30, 30)), ("tuesday-ish", (1, 7)), ("6ish", None)]
)
def test_a_terse_reply_to_how_long_leaves_its_article_or_since_unsaid(
    content: Content, text: str, days: tuple[int, int] | None
) -> None:
    duration = Pending("duration", frozenset({"duration_days"}), False)
    found = content.understander.understand(text, duration, TODAY).values.get("duration_days")
    if days is None:
        assert found is None, text
    else:
        assert found is not None and days[0] <= found.value <= days[1], text
    # said at the opening, "week or so" is no length; "6ish" to the hours question is six hours
    assert "duration_days" not in content.understander.understand(text, today=TODAY).values or days is None
    hours = Pending("sleep_amount", frozenset({"sleep_hours"}), False)
    assert content.understander.understand("6ish", hours, TODAY).values["sleep_hours"].value == 6


def test_ish_after_a_day_hedges_the_day_not_the_twitch(content: Content) -> None:
    u = content.understander.understand("my right eyelid keeps fluttering, started tuesday-ish", today=TODAY)
    assert u.states() == {"twitching": "present"}, u.to_json()


def test_a_fear_explained_by_a_sign_reports_the_sign(content: Content) -> None:
    u = content.understander.understand(
        "my mum had a stroke at my age and I'm scared because my arm is tingling", today=TODAY
    )
    assert u.has("arm_weakness") and "neuro_history" not in u.states(), u.to_json()


def test_a_warning_sign_at_the_end_of_a_long_ramble_is_not_lost(content: Content) -> None:
    ramble = "my left eyelid has been twitching on and off, " + "and work has been mad and the kids are up late, " * 60
    u = content.understander.understand(ramble + "and my left arm went numb and weak an hour ago", today=TODAY)
    assert len(ramble) > 2500 and u.has("arm_weakness") and u.has("twitching"), u.to_json()


@pytest.mark.parametrize("text", ["okay", "ok.", "sounds good", "alright", "um, okay"])
def test_words_that_agree_answer_an_offer_but_no_question_about_the_user(content: Content, text: str) -> None:
    red_flags = Pending("red_flags", frozenset({"face_droop", "hearing"}), True)
    assert content.understander.understand(text, red_flags, TODAY).answer is None
    offer = Pending("offer_relaxation", frozenset(), True)
    found = content.understander.understand(text, offer, TODAY).answer
    assert found is not None and found.value == "yes"


def test_how_long_someone_else_had_an_illness_is_not_how_long_the_twitch_has_lasted(content: Content) -> None:
    u = content.understander.understand("my grandmother had bells palsy for years", today=TODAY)
    assert "duration_days" not in u.values, u.to_json()
    u = content.understander.understand("my dad had a stroke years ago, my eye has twitched for two weeks", today=TODAY)
    assert u.values["duration_days"].value == 14, u.to_json()
    # told for someone the user speaks for, the twitch and its length are theirs to check
    u = content.understander.understand("my granddad's mouth has been twitching for three weeks", today=TODAY)
    assert u.states().get("twitching") == "present" and u.values["duration_days"].value == 21, u.to_json()


@pytest.mark.parametrize(
    "text", ["play eye of the tiger", "set a timer for twenty minutes", "the clock face is cracked"]
)
def test_a_lone_value_said_in_passing_at_the_opening_is_not_understood(content: Content, text: str) -> None:
    assert not content.understander.understand(text, today=TODAY).understood


def test_a_value_in_passing_is_not_understood_to_a_yes_no_question_either(content: Content) -> None:
    # how often and how long, both from "all evening": one particular, said of something else
    assert not content.understander.understand("the broadband's been dropping out all evening", today=TODAY).understood
    stroke = Pending("stroke_signs", frozenset({"stroke_screen", "arm_weakness"}), True)
    assert not content.understander.understand("alexa, set a timer for ten minutes", stroke, TODAY).understood


@pytest.mark.parametrize("text", ["my chin", "the corner of my mouth", "it lasts a minute or two"])
def test_a_terse_reply_that_is_all_value_is_understood(content: Content, text: str) -> None:
    assert content.understander.understand(text, today=TODAY).values


def test_two_particulars_tell_of_the_twitch_without_naming_it(content: Content) -> None:
    u = content.understander.understand("it started in my left cheek, a couple of minutes each time", today=TODAY)
    assert {"area", "side", "episode"} <= set(u.values), u.to_json()


@pytest.mark.parametrize(
    "text, fact",
    [("I'm not sure it's not drooping a little", "face_droop"), ("I'm not sure it's not spreading", "spread"),
     ("i am not fully sure sometimes my walking is a bit off", "walking_difficulty")],
)  # fmt: skip
def test_a_fact_both_denied_and_doubted_is_unsure(content: Content, text: str, fact: str) -> None:
    assert content.understander.understand(text, today=TODAY).states().get(fact) == "unsure"


@pytest.mark.parametrize(
    "text, fact",
    [("I keep forgetting what I'm saying halfway through", "confusion"),
     ("my thoughts keep slipping away", "confusion"), ("it's like wading through treacle in my head", "confusion"),
     ("I can't screw my face up on the left", "expression_difficulty"),
     ("when I frown only one side of my forehead wrinkles", "expression_difficulty")],
)  # fmt: skip
def test_signs_told_as_what_they_stop_you_doing(content: Content, text: str, fact: str) -> None:
    assert content.understander.understand(text, today=TODAY).states().get(fact) == "present"


def test_worse_at_some_times_is_a_pattern_and_getting_worse_is_worsening(content: Content) -> None:
    u = content.understander.understand("it's been getting worse every week and it's worse at night", today=TODAY)
    assert u.states().get("worsening") == "present"


def test_where_the_twitch_began_is_not_where_it_is_now(content: Content) -> None:
    u = content.understander.understand("it was just my eye but it's spreading to my cheek now", today=TODAY)
    assert u.states().get("several_areas") == "present", u.to_json()
    assert content.understander.understand("just my eye", today=TODAY).states().get("several_areas") == "absent"


@pytest.mark.parametrize(
    "text, fact",
    [("me da had MS, that's why it's worrying me", "neuro_history"), ("dad had a stroke at sixty", "neuro_history"),
     ("ma faither had a stroke, couldnae walk efter", "walking_difficulty"),
     ("a friend of mine had ALS, it started with twitching", "neuro_history"),
     ("a girl on my course faints if she doesn't drink enough water", "dizziness"),
     ("the bloke next door was staggering about last night", "walking_difficulty"),
     ("My daughter's teacher had a stroke at forty.", "neuro_history")],
)  # fmt: skip
def test_someone_else_said_the_way_people_say_it_is_someone_elses(content: Content, text: str, fact: str) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert "other" in _said(u, fact) and fact not in u.states(), u.to_json()


def test_the_user_speaking_of_themself_ends_someone_elses_and_speaking_for_someone_keeps_their_signs(
    content: Content,
) -> None:
    u = content.understander.understand("the husband says I've gone deaf", today=TODAY)
    assert u.states().get("hearing") == "present"
    u = content.understander.understand(
        "I'm ringing for me mam, the side of her face is after dropping and she can't lift the kettle", today=TODAY
    )
    assert u.states().get("face_droop") == "present" and u.states().get("arm_weakness") == "present"


@pytest.mark.parametrize(
    "text, fact",
    [("I read that slurred speech is a stroke sign", "slurred_speech"),
     ("I'm dreading the day I start dribbling in front of people", "saliva"),
     ("stress?", "stress"), ("coffee bad?", "coffee"), ("screen time and twitching, connected?", "screens")],
)  # fmt: skip
def test_what_was_read_feared_or_asked_in_a_word_or_two_is_not_reported(content: Content, text: str, fact: str) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert "hypothetical" in _said(u, fact) and fact not in u.states(), u.to_json()


def test_a_sign_asked_in_a_word_or_two_is_asked_about_and_a_hesitant_answer_is_unsure(content: Content) -> None:
    assert content.understander.understand("arm weak?", today=TODAY).states().get("arm_weakness") == "unsure"
    u = content.understander.understand("stress?", Pending("triggers", frozenset({"stress"}), True), TODAY)
    assert u.states().get("stress") == "unsure"
    u = content.understander.understand("five or six?", Pending("sleep_amount", frozenset({"sleep_hours"})), TODAY)
    assert u.values["sleep_hours"].value in (5, 6)


def test_both_sides_said_of_another_sign_is_not_where_the_twitch_is(content: Content) -> None:
    red_flags = Pending("red_flags", frozenset({"eye_closure", "expression_difficulty"}), True)
    for text in ["No, I can close both eyes, I've just tried it", "I checked in the mirror, both sides look the same"]:
        assert "several_areas" not in content.understander.understand(text, red_flags, TODAY).states(), text
    assert content.understander.understand("both eyes are twitching", today=TODAY).has("several_areas")


def test_no_im_not_sure_is_a_doubt_not_a_denial(content: Content) -> None:
    u = content.understander.understand("no i'm not sure if my arm is weak", today=TODAY)
    assert u.states().get("arm_weakness") == "unsure"


def test_a_sign_of_someone_close_is_theirs_when_the_user_says_the_check_in_is_about_them(content: Content) -> None:
    u = content.understander.understand(
        "my husband slurs when he's exhausted but I'm the one with the twitch", today=TODAY
    )
    assert "slurred_speech" not in u.states() and u.has("twitching")
    # told for them, it is theirs to check
    assert content.understander.understand("my husband keeps drooling and his face has dropped", today=TODAY).has(
        "face_droop"
    )


def test_confusing_someone_else_is_no_one_confused(content: Content) -> None:
    # heard when a recognizer mishears the skill's own voice coming back (tests/test_bargein.py)
    text = "And it's not for gruelling, armed readers, servants each confuse them all from the war king."
    assert "confusion" not in content.understander.understand(text, today=TODAY).states()
    assert content.understander.understand("i'm confuzed", today=TODAY).has("confusion")


def test_no_just_the_twitch_answers_no_and_keeps_the_twitch(content: Content) -> None:
    stroke = Pending("stroke_signs", frozenset({"arm_weakness", "slurred_speech"}), True)
    u = content.understander.understand("nope, just the twitch", stroke, TODAY)
    assert u.answer is not None and u.answer.value == "no"
    assert {f.state for f in u.facts if f.fact == "twitching"} == {"present"}, u.to_json()


@pytest.mark.parametrize(
    "text",
    ["Sorry, say that again, I was wiping drool off my chin.", "even a good sleep doesn't shift it",
     "since I got home from work about four hours ago my left eye's been twitching"],
)  # fmt: skip
def test_words_that_only_look_like_short_sleep(content: Content, text: str) -> None:
    assert content.understander.understand(text, today=TODAY).states().get("short_sleep") != "present", text


@pytest.mark.parametrize(
    "text, fact",
    [("i get through a load of diet coke", "poor_diet"), ("help me relax", "improving"),
     ("I've been doing two spin classes back to back", "dizziness"),
     ("saliva's been running down my chin", "exercise"), ("my head hurts", "head_trauma"),
     ("it starts the minute my head hits the pillow", "head_trauma"),
     ("it's stayed in the one place", "impacts_life"), ("both eyes are dancing since morning", "exercise"),
     ("I have a banging head and my cheek is jumping like mad", "head_trauma")],
)  # fmt: skip
def test_lookalike_phrases_name_nothing(content: Content, text: str, fact: str) -> None:
    assert fact not in content.understander.understand(text, today=TODAY).states(), text


def _said(u: Understanding, fact: str) -> set[str]:
    """Every state a fact was found in (someone else's and asked-about ones included)."""
    return {f.state for f in u.facts if f.fact == fact}


@pytest.mark.parametrize(
    "text", ["since sunday, and it's not just the eye anymore, my cheek's twitching too",
             "its not only the eyelid its the cheek too"],
)  # fmt: skip
def test_not_just_one_place_affirms_it_and_tells_of_spread(content: Content, text: str) -> None:
    u = content.understander.understand(text, today=TODAY)
    assert set(u.values["area"].value) == {"eyelid", "cheek"} and u.states().get("spread") == "present", u.to_json()


STROKE = Pending(
    "stroke_signs",
    frozenset({"stroke_screen", "arm_weakness", "slurred_speech", "confusion", "walking_difficulty", "droop_sudden"}),
    True,
)


@pytest.mark.parametrize(
    "text, answer",
    [("i'm not sure what you mean exactly, but yeah my right arm's gone heavy", "yes"),
     ("not sure why but my words keep coming out wrong tonight", "yes"),
     ("i'm not sure if my arm is weak", "unsure"), ("beats me", "unsure"), ("haven't the foggiest", "unsure")],
)  # fmt: skip
def test_a_doubt_of_what_it_means_is_not_a_doubt_of_what_was_told(content: Content, text: str, answer: str) -> None:
    u = content.understander.understand(text, STROKE, TODAY)
    assert u.answer is not None and u.answer.value == answer, u.to_json()


# -- from a third new user's trial ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["haven't tried, I'm in bed", "I haven't checked", "didn't try"])
def test_not_having_tried_is_not_sure_not_no(content: Content, text: str) -> None:
    check = Pending("stroke_signs", frozenset({"walking_difficulty"}), True)
    u = content.understander.understand(text, check, TODAY)
    assert u.answer is not None and u.answer.value == "unsure", u.to_json()


def test_a_sign_put_down_to_an_everyday_cause_is_asked_about_not_acted_on(content: Content) -> None:
    u = content.understander.understand(
        "my speech is a little off sometimes but that's my dentures, they don't fit right", today=TODAY
    )
    speech = [f for f in u.facts if f.fact == "slurred_speech"]
    assert speech and all(f.state == "present" and f.confidence < 1.0 for f in speech), u.to_json()


def test_dont_quite_is_no_continuous_twitch(content: Content) -> None:
    u = content.understander.understand("I don't quite know how to put it, my eyelid flutters", today=TODAY)
    assert "episode" not in u.values
    assert content.understander.understand("my eyelid won't quit", today=TODAY).values["episode"].value == "continuous"


def test_vision_problems_are_told_and_reach_a_doctor_s_visit(session: Session) -> None:
    session.start()
    session.handle("my left eyelid twitches, about a week")
    session.handle("no, but since about an hour ago I'm seeing double, two of everything")
    for _ in range(12):
        if session.assessment is not None:
            break
        session.handle("no")
    assert session.facts.get("vision") is True
    assert session.assessment is not None and session.assessment.level == "routine"
    assert any("vision" in r for r in session.assessment.reasons)


def test_a_no_then_only_what_the_question_does_not_ask_stays_a_no(session: Session) -> None:
    # a new user's trial: the reader's unsure yes made this an emergency for "a sudden droop, arm weakness …"
    session.start()
    session.handle("my left eyelid twitches, about a week")
    session.handle("no, but my left eye won't close properly when I blink and my tea dribbles out the side of my mouth")
    assert session.facts["stroke_screen"] is False
    assert session.facts["eye_closure"] is True and session.facts["saliva"] is True
    assert session.assessment is None or session.assessment.level != "emergency"


def test_a_number_after_a_vague_amount_is_the_count(content: Content) -> None:
    # a new user's trial: "loads of energy drinks, like three a day" was five cups
    caffeine = Pending("caffeine_amount", frozenset({"caffeine_cups"}), False)
    u = content.understander.understand("loads of energy drinks, like three a day", caffeine, TODAY)
    assert u.values["caffeine_cups"].value == 3
    u = content.understander.understand("a coffee a day sometimes two", caffeine, TODAY)
    assert u.values["caffeine_cups"].value in (1, 2)


def test_better_when_i_sleep_well_says_nothing_of_short_sleep(content: Content) -> None:
    # a new user's trial: this turned an earlier "short of sleep" into "no short sleep"
    improving = Pending("improving", frozenset({"improving"}), True)
    u = content.understander.understand("yes when I sleep good it is better", improving, TODAY)
    assert "short_sleep" not in u.states() and u.answer is not None and u.answer.value == "yes"
    assert content.understander.understand("i sleep well", today=TODAY).states().get("short_sleep") == "absent"


@pytest.mark.parametrize(
    ("text", "fact"),
    [("my wife says i've asked her the same question four times since dinner", "confusion"),
     ("I've had to turn the telly right up all week", "hearing"),
     ("I can't do up my pyjama buttons tonight", "arm_weakness"),
     ("food keeps collecting in my right cheek when I eat", "expression_difficulty"),
     ("my legs aren't steady tonight", "walking_difficulty")],
)  # fmt: skip
def test_a_sign_told_by_what_the_person_notices(content: Content, text: str, fact: str) -> None:
    # tuning round 9: signs told by their effect rather than their name
    assert content.understander.understand(text, today=TODAY).states().get(fact) == "present", text


def test_none_only_then_a_sign_keeps_the_sign(content: Content) -> None:
    triggers = Pending("triggers", frozenset({"short_sleep", "coffee"}), True)
    u = content.understander.understand("nah none, only my mouth leaks when I drink now", triggers, TODAY)
    assert u.states().get("saliva") == "present", u.to_json()


def test_a_length_of_seconds_is_no_hours_of_sleep_and_a_night_up_is_no_bout_of_hours(content: Content) -> None:
    q = content.ruleset.question("sleep_amount")
    u = content.understander.understand("dunno, a few seconds?", Pending(q.id, frozenset(q.fills), q.yes_no), TODAY)
    assert "sleep_hours" not in u.values, u.to_json()
    u = content.understander.understand("i've been up all night with the baby and my eye is twitching", today=TODAY)
    assert "episode" not in u.values and u.states().get("short_sleep") == "present", u.to_json()
    u = content.understander.understand("it went on all evening", today=TODAY)
    assert u.values["episode"].value == "hours"


def test_a_length_put_right_and_both_ways_are_not_read_as_said(content: Content) -> None:
    for said in ("wait no sorry its only been 3 days not weeks", "3 days, not 3 weeks", "not weeks, just 3 days"):
        assert content.understander.understand(said, today=TODAY).values["duration_days"].value == 3, said
    q = content.ruleset.question("improving")
    u = content.understander.understand(
        "not really, it's the same whether I sleep or not", Pending(q.id, frozenset(q.fills), q.yes_no), TODAY
    )
    assert u.answer is not None and u.answer.value == "no" and u.states().get("improving") != "unsure", u.to_json()


def test_a_value_inside_another_facts_words_is_that_facts(content: Content) -> None:
    u = content.understander.understand("a flickery twitch, mostly at night, and i can't stop thinking about it")
    assert "episode" not in u.values and u.states().get("impacts_life") == "present", u.to_json()
    assert content.understander.understand("my eye won't stop twitching").values["episode"].value == "continuous"
