"""The reader (a fine-tuned transformer on onnxruntime) and how its reading joins the vocabulary's."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content import Content, ContentError, load_content
from content.loader import default_directory
from dialog import Session
from intents import FactFound, Pending, Understanding
from intents.merge import READER, ReaderSettings, merged_answer, merged_facts, merged_topic
from intents.reader import ANSWERS, STATES, Reading

from .conftest import TODAY

SIGNS = frozenset({"arm_weakness", "slurred_speech"})


def reading(facts: dict[str, str | None] | None = None, answer: str = "none", topic: dict[str, float] | None = None,
            p: float = 0.95) -> Reading:  # fmt: skip
    """A made-up reading: each fact in the given state with probability ``p`` (the rest shared)."""
    probs = {}
    for fact, state in (facts or {}).items():
        row = np.full(len(STATES), (1 - p) / (len(STATES) - 1))
        row[STATES.index(state or "none")] = p
        probs[fact] = row
    ans = np.full(len(ANSWERS), 0.02)
    ans[ANSWERS.index(answer)] = 0.94
    return Reading(probs, ans, topic or {}, {}, {})


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(default_directory(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


# -- the shipped reader ----------------------------------------------------------------------------------


def test_the_reader_ships_with_the_content_and_was_trained_on_it(content: Content) -> None:
    reader = content.understander.reader
    assert reader is not None
    assert set(reader.topics) == set(content.topics)
    assert set(reader.facts) <= set(content.ruleset.facts)
    assert set(content.ruleset.warning_signs) - {"stroke_screen", "flag_screen"} <= set(reader.facts)


def test_a_reply_with_content_is_read_whole(content: Content) -> None:
    q = content.ruleset.question("stroke_signs")
    u = content.understander.understand("yes, and my arm has gone weak", Pending(q.id, frozenset(q.fills), True), TODAY)
    assert u.answer is not None and u.answer.value == "yes"
    assert u.has("arm_weakness")


def test_the_reader_says_which_words_it_read_a_fact_from(content: Content) -> None:
    assert content.understander.reader is not None
    got = content.understander.reader.read("opening", "honestly my left hand has gone all heavy and useless tonight")
    assert got.state("arm_weakness")[0] == "present"
    assert "hand" in got.words("arm_weakness") or "heavy" in got.words("arm_weakness")


def test_a_changed_reader_file_is_refused_by_name(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    onnx = folder / "reader" / "reader.onnx"
    data = bytearray(onnx.read_bytes())
    data[len(data) // 2] ^= 0xFF
    onnx.write_bytes(bytes(data))
    with pytest.raises(ContentError, match=r"reader\.onnx: not the file reader\.json names"):
        load_content(folder)


def test_a_missing_reader_file_is_named(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "reader" / "tokenizer.json").unlink()
    with pytest.raises(ContentError, match="tokenizer.json missing"):
        load_content(folder)


def test_a_reader_that_does_not_know_a_topic_is_refused(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    manifest_path = folder / "reader" / "reader.json"
    manifest = json.loads(manifest_path.read_text())
    dropped = manifest["labels"]["topics"].pop()
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ContentError, match=f"not trained on the topics {dropped}"):
        load_content(folder)


def test_content_without_a_reader_is_understood_by_its_vocabulary(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    shutil.rmtree(folder / "reader")
    content = load_content(folder)
    assert content.understander.reader is None
    u = content.understander.understand("my arm feels weak", Pending(), TODAY)
    assert u.has("arm_weakness")


# -- joining the two readings (pure) ---------------------------------------------------------------------


def test_a_sign_only_the_reader_found_is_kept_and_doubted_unless_it_is_sure() -> None:
    s = ReaderSettings()
    unsure_reader = merged_facts([], reading({"arm_weakness": "present"}, p=0.7), SIGNS, s)
    assert [(f.fact, f.state) for f in unsure_reader] == [("arm_weakness", "present")]
    assert unsure_reader[0].confidence < s.sure and READER in unsure_reader[0].cues
    sure_reader = merged_facts([], reading({"arm_weakness": "present"}, p=0.97), SIGNS, s)
    assert sure_reader[0].confidence >= s.sure


def test_a_sign_the_vocabulary_found_is_doubted_when_the_reader_is_sure_it_is_someone_elses() -> None:
    found = [FactFound("arm_weakness", "present", "weakness in right hand")]
    merged = merged_facts(found, reading({"arm_weakness": "other"}, p=0.95), SIGNS, ReaderSettings())
    assert merged[0].state == "present" and merged[0].confidence < 0.9
    agreed = merged_facts(found, reading({"arm_weakness": "present"}), SIGNS, ReaderSettings())
    assert agreed[0].confidence == 1.0


def test_a_fact_the_reader_is_sure_was_not_told_is_dropped_but_never_a_sign_or_what_is_asked() -> None:
    said = {"screens": None, "arm_weakness": None, "twitching": None, "headache": None}
    found = [FactFound(f, "present", "words") for f in said]
    merged = merged_facts(found, reading(said, p=0.95), SIGNS, ReaderSettings(), keep={"twitching", "headache"})
    assert [f.fact for f in merged] == ["arm_weakness", "twitching", "headache"]
    doubtful = merged_facts(found[:1], reading({"screens": None}, p=0.8), SIGNS, ReaderSettings())
    assert [f.fact for f in doubtful] == ["screens"]


@pytest.mark.parametrize(
    "text", ["How do I run a stress test on my laptop?", "I think I've got athlete's foot",
             "just filling a hot water bottle", "Find me a recipe for coffee and walnut cake."],
)  # fmt: skip
def test_a_word_of_a_trigger_used_of_something_else_is_not_understood(content: Content, text: str) -> None:
    assert not content.understander.understand(text, today=TODAY).understood


def test_a_denial_the_reader_found_is_taken_and_the_vocabularys_own_state_stands() -> None:
    merged = merged_facts([], reading({"slurred_speech": "absent"}), SIGNS, ReaderSettings())
    assert [(f.fact, f.state) for f in merged] == [("slurred_speech", "absent")]
    kept = merged_facts([FactFound("slurred_speech", "unsure", "maybe")], reading({"slurred_speech": "absent"}), SIGNS,
                        ReaderSettings())  # fmt: skip
    assert [f.state for f in kept] == ["unsure"]
    # a warning sign is ruled out by the reader alone only when it is sure, as a "no" is ("face yes, arm no")
    assert merged_facts([], reading({"slurred_speech": "absent"}, p=0.78), SIGNS, ReaderSettings()) == []
    assert [f.state for f in merged_facts([], reading({"headache": "absent"}, p=0.78), SIGNS, ReaderSettings())] == [
        "absent"
    ]


def test_a_whole_template_answer_stands_and_a_reader_none_is_no_answer() -> None:
    from intents import Found

    whole = Found("no", "nope", 1.0)
    assert merged_answer(whole, reading(answer="yes"), "nope", ReaderSettings()) is whole
    assert merged_answer(None, reading(answer="none"), "turn the lights off", ReaderSettings()) is None
    got = merged_answer(None, reading(answer="unsure"), "hard to say really", ReaderSettings())
    assert got is not None and got.value == "unsure"


def test_two_likely_topics_are_offered_as_a_choice() -> None:
    got = merged_topic(reading(topic={"caffeine": 0.55, "sleep_cause": 0.35, "stress": 0.1}), "", ReaderSettings())
    assert got is not None and (got.topic, got.alternative) == ("caffeine", "sleep_cause")
    assert merged_topic(reading(topic={"caffeine": 0.3, "stress": 0.3}), "", ReaderSettings()) is None


# -- the conversation asks before acting on a doubtful sign ----------------------------------------------


class Scripted:
    """An understander that returns the given understanding for a text, and the real one otherwise."""

    def __init__(self, real: object, scripted: dict[str, Understanding]) -> None:
        self.real, self.scripted = real, scripted

    def understand(self, text: str, pending: Pending | None = None, today: object = None) -> Understanding:
        return self.scripted.get(text) or self.real.understand(text, pending, today)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def doubtful_session(content: Content) -> Session:
    said = "coffee mostly, oh and my hand keeps letting go of things"
    u = Understanding(
        said,
        facts=(FactFound("coffee", "present", "coffee"), FactFound("arm_weakness", "present", "hand", 0.6, (READER,))),
    )
    session = Session.create(replace(content, understander=Scripted(content.understander, {said: u})), lambda: TODAY)
    session.start()
    session.handle("my eyelid has been twitching for a week")
    session.handle("no")  # stroke signs
    session.current = "triggers"
    return session


def test_a_doubtful_sign_is_asked_about_first_and_a_yes_acts_on_it(content: Content) -> None:
    session = doubtful_session(content)
    events = session.handle("coffee mostly, oh and my hand keeps letting go of things")
    assert [e.question for e in events if e.type == "ask"] == ["check"]
    assert "arm weakness" in events[-1].text
    events = session.handle("yes")
    assert session.facts["arm_weakness"] is True and session.facts["coffee"] is True
    assert any(e.type == "assessment" and e.assessment and e.assessment.level == "emergency" for e in events)


def test_no_to_a_doubtful_sign_rules_it_out_and_the_turn_goes_on(content: Content) -> None:
    session = doubtful_session(content)
    session.handle("coffee mostly, oh and my hand keeps letting go of things")
    events = session.handle("no, it's fine")
    assert session.facts["arm_weakness"] is False and session.facts["coffee"] is True
    assert not any(e.type == "assessment" and e.assessment and e.assessment.level == "emergency" for e in events)


def test_a_doubtful_sign_answered_with_something_else_is_kept_as_unsure(content: Content) -> None:
    from rules import UNKNOWN

    session = doubtful_session(content)
    session.handle("coffee mostly, oh and my hand keeps letting go of things")
    session.handle("what time is it")
    assert session.facts["arm_weakness"] is UNKNOWN
