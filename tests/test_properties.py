"""Property-based runs: any sequence of answers ends with an assessment, within a bounded number of turns."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import Content
from dialog import Session
from rules import UNKNOWN

YES_NO = ["yes", "no", "I'm not sure", "yeah", "nope", "I think so", "not really", "I don't know"]
VALUES = ["three days", "five weeks", "since September", "a fortnight", "I'm not sure", "2 hours", "four cups"]
SPECIFIC = ["my arm feels weak", "pain behind my ear", "headaches", "it happens every day", "I'm stressed",
            "I drink six cups of coffee a day", "it hasn't spread", "my face is drooping", "none"]  # fmt: skip
NOISE = ["help", "why", "repeat", "purple elephants", "is this a stroke?", "how much coffee is too much?", "slower"]
OPENERS = ["my eye twitches", "my left eyelid has been twitching for a week", "my cheek twitches at night",
           "my face has been twitching since September", "I have a twitch"]  # fmt: skip

answer = st.one_of(st.sampled_from(YES_NO), st.sampled_from(VALUES), st.sampled_from(SPECIFIC))
turn = st.tuples(st.booleans(), answer, st.sampled_from(NOISE))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opener=st.sampled_from(OPENERS), turns=st.lists(turn, min_size=60, max_size=60))
def test_random_answers_always_reach_an_assessment(
    content: Content, opener: str, turns: list[tuple[bool, str, str]]
) -> None:
    session = Session.create(content)
    session.start()
    events = session.handle(opener)
    understood = 0
    levels = set(content.ruleset.levels)
    for noisy, reply, noise in turns:
        if any(e.type == "assessment" for e in events):
            break
        if noisy:  # interruptions never break the check-in; a question not understood
            # three times is taken as "not sure" (never "no") and the check-in moves on
            before = dict(session.facts)
            events = session.handle(noise)
            changed = {f: v for f, v in session.facts.items() if before.get(f, "unset") != v}
            assert all(v is UNKNOWN for v in changed.values()), changed
            continue
        events = session.handle(reply)
        understood += 1
        # a value question answered with yes/no is re-asked; give it a value next time
        if [e.question for e in events if e.type == "ask"][-1] == session.current and session.current == "duration":
            events = session.handle("three days")
    else:
        raise AssertionError(f"no assessment; asked {session.asked}")
    assessment = next(e.assessment for e in events if e.assessment)
    assert assessment.level in levels
    assert assessment.reasons and assessment.safety_net
    # every understood answer either settles a question or is re-asked with choices
    assert len(session.asked) <= len(content.ruleset.questions)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replies=st.lists(st.sampled_from(["no", "I'm not sure", "nope"]), min_size=20, max_size=20))
def test_unsure_about_any_red_flag_is_never_self_care(content: Content, replies: list[str]) -> None:
    session = Session.create(content)
    session.start()
    events = session.handle("my eyelid has been twitching for three days")
    flagged = False
    for reply in replies:
        if any(e.assessment for e in events):
            break
        qid = session.current
        if reply == "I'm not sure" and qid in ("stroke_signs", "spread", "red_flags"):
            flagged = True
        events = session.handle(reply if qid != "triggers" else "none")
    assessment = next((e.assessment for e in events if e.assessment), None)
    assert assessment is not None
    if flagged:
        assert assessment.level != "self_care"
