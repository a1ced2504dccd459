"""Text to intent: slots normalised, several facts at once, off-topic rejected."""

from __future__ import annotations

import pytest

from intents import IntentParser


@pytest.mark.parametrize(
    "text, days",
    [
        ("five weeks", 35),
        ("for about five weeks", 35),
        ("a fortnight", 14),
        ("since September", 81),  # 2026-09-01 to 2026-11-21
        ("since September of last year", 446),
        ("a couple of months", 60),
        ("3 days", 3),
        ("since this morning", 0.5),
        ("it's been twenty one days", 21),
        ("two weeks ago", 14),
        ("since yesterday", 1),
    ],
)
def test_durations_in_days(parser: IntentParser, text: str, days: float) -> None:
    intent = parser.parse(text)
    assert intent is not None and intent.slots["duration_days"] == days


@pytest.mark.parametrize(
    "text, answer",
    [
        ("yes", "yes"), ("yeah", "yes"), ("yep", "yes"), ("I think so", "yes"), ("sure", "yes"),
        ("no", "no"), ("nope", "no"), ("not really", "no"), ("nah", "no"), ("I don't think so", "no"),
        ("I'm not sure", "unsure"), ("I don't know", "unsure"), ("maybe", "unsure"), ("no idea", "unsure"),
    ],
)  # fmt: skip
def test_yes_no_the_way_people_say_it(parser: IntentParser, text: str, answer: str) -> None:
    intent = parser.parse(text)
    assert intent is not None and intent.slots["answer"] == answer


def test_the_issue_opener(parser: IntentParser) -> None:
    intent = parser.parse("my left eyelid has been twitching for about five weeks")
    assert intent is not None
    assert intent.name == "Twitch"
    assert intent.slots == {"side": "left", "area": "eyelid", "duration_days": 35.0}
    assert intent.confidence == 1.0


def test_several_facts_in_one_utterance_are_all_taken(parser: IntentParser) -> None:
    intent = parser.parse(
        "my right cheek has been twitching for two weeks, I drink six cups of coffee a day, "
        "I sleep about 5 hours and I'm stressed"
    )
    assert intent is not None
    assert intent.slots["area"] == "cheek" and intent.slots["side"] == "right"
    assert intent.slots["duration_days"] == 14
    assert intent.slots["caffeine_cups"] == 6 and intent.slots["sleep_hours"] == 5
    assert set(intent.slots["present"]) == {"coffee", "stress"}


def test_signs_present_and_absent(parser: IntentParser) -> None:
    assert parser.parse("no headaches, dizziness or numbness").slots["absent"] == ["headache", "dizziness", "numbness"]
    assert parser.parse("I have pain behind my ear and hearing loss").slots["present"] == ["ear_pain", "hearing"]
    assert set(parser.parse("my face suddenly started drooping").slots["present"]) == {"face_droop", "droop_sudden"}


@pytest.mark.parametrize(
    "text, slots",
    [
        ("it lasts a few seconds", {"episode": "seconds"}),
        ("it goes on for hours", {"episode": "hours"}),
        ("it happens every day", {"frequency": "daily"}),
        ("now and then", {"frequency": "occasional"}),
        ("it's happening more and more often", {"frequency": "increasing"}),
        ("one to four times a night", {"frequency": "daily"}),
    ],
)
def test_episode_length_and_frequency(parser: IntentParser, text: str, slots: dict) -> None:
    intent = parser.parse(text)
    assert intent is not None
    assert {k: intent.slots.get(k) for k in slots} == slots


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like tomorrow",
        "play some jazz music",
        "turn on the kitchen lights",
        "my cat likes to sleep on the sofa",
        "the stock market fell today",
        "banana",
    ],
)
def test_off_topic_gives_no_intent(parser: IntentParser, text: str) -> None:
    assert parser.parse(text) is None


def test_partly_understood_text_reports_lower_confidence(parser: IntentParser) -> None:
    intent = parser.parse("my eyelid has been twitching for a week, and the dog barks")
    assert intent is not None and intent.slots["area"] == "eyelid"
    assert 0.5 <= intent.confidence < 1.0
