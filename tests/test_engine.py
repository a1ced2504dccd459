"""The rule engine on its own: conditions, question choice, assessments; and that it is generic."""

from __future__ import annotations

import pytest

from content import load_content
from dialog import Session
from rules import UNKNOWN, Engine, SchemaError, parse_ruleset
from rules.conditions import parse_condition

from .conftest import FIXTURES, converse


def test_conditions_are_three_valued() -> None:
    cond = parse_condition({"any": [{"fact": "a", "is": True}, {"fact": "n", "gt": 3}]}, "t")
    assert cond.evaluate({}) is None
    assert cond.evaluate({"a": True}) is True
    assert cond.evaluate({"a": False}) is None
    assert cond.evaluate({"a": False, "n": 2}) is False
    assert parse_condition({"not": {"fact": "a", "is": True}}, "t").evaluate({"a": False}) is True
    both = parse_condition({"all": [{"fact": "a", "is": True}, {"fact": "n", "le": 3}]}, "t")
    assert both.evaluate({"a": True}) is None
    assert both.evaluate({"a": False}) is False


def test_unknown_satisfies_no_comparison_but_can_be_tested() -> None:
    assert parse_condition({"fact": "a", "is": False}, "t").evaluate({"a": UNKNOWN}) is False
    assert parse_condition({"fact": "a", "is": True}, "t").evaluate({"a": UNKNOWN}) is False
    assert parse_condition({"fact": "a", "unknown": True}, "t").evaluate({"a": UNKNOWN}) is True


@pytest.mark.parametrize(
    "data, where",
    [
        ({"fact": "a"}, "t"),
        ({"fact": "a", "gt": "three"}, "t.gt"),
        ({"all": []}, "t.all"),
        ({"any": [{"fact": "a", "is": True}, {"bogus": 1}]}, "t.any[1]"),
        ("__import__('os')", "t"),
    ],
)
def test_bad_conditions_are_rejected_naming_where(data: object, where: str) -> None:
    with pytest.raises(SchemaError) as err:
        parse_condition(data, "t")
    assert err.value.where == where


def test_emergency_screening_comes_first(content) -> None:
    engine = Engine(content.ruleset)
    first = engine.next_question({}, set())
    assert first is not None and first.id == "stroke_signs"


def test_stops_as_soon_as_the_outcome_is_settled(content) -> None:
    engine = Engine(content.ruleset)
    facts = {"arm_weakness": True}
    assert engine.status(facts).floor == "emergency"
    assert engine.next_question(facts, set()) is None
    assert engine.assess(facts).level == "emergency"


def test_never_asks_for_a_fact_already_given(content) -> None:
    engine = Engine(content.ruleset)
    facts = {"stroke_screen": False, "arm_weakness": False, "slurred_speech": False, "confusion": False,
             "walking_difficulty": False, "droop_sudden": False, "spread": False, "duration_days": 3.0}  # fmt: skip
    asked: set[str] = set()
    seen = []
    while (q := engine.next_question(facts, asked)) is not None:
        seen.append(q.id)
        asked.add(q.id)
        for f in q.fills:
            facts.setdefault(f, False if content.ruleset.facts[f].type == "bool" else UNKNOWN)
    assert "stroke_signs" not in seen and "spread" not in seen and "duration" not in seen


def test_a_second_content_set_runs_on_the_same_engine() -> None:
    plant = load_content(FIXTURES / "plant")
    engine = Engine(plant.ruleset)
    assert engine.next_question({}, set()).id == "smell"  # its own most urgent question first
    assert engine.assess({"rot_smell": True}).level == "emergency"
    assert engine.assess({"rot_smell": False, "dry_soil": True, "days_wilting": 2.0}).level == "self_care"
    assert engine.assess({"rot_smell": False, "dry_soil": False, "days_wilting": 30.0}).level == "routine"


def test_a_second_content_set_holds_a_whole_conversation() -> None:
    plant = load_content(FIXTURES / "plant")
    session = Session.create(plant)
    conv = converse(session, "my fern has been wilting for two days", {"dry": "yes"})
    assert conv.asked == ["smell", "dry"]
    assert conv.assessment is not None and conv.assessment.level == "self_care"
    assert any("Water" in a for a in conv.assessment.advice)


def test_ruleset_documents_are_validated() -> None:
    doc = {"levels": ["a", "b"], "default_level": "c", "facts": {}, "questions": [], "rules": [], "outcomes": {}}
    with pytest.raises(SchemaError) as err:
        parse_ruleset(doc)
    assert err.value.where == "default_level"
