"""Content: sourced from the seeds, and validated with messages that say where and what."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from content import Content, ContentError, default_directory, load_content

from .conftest import SEEDS


def test_every_source_section_is_in_its_seed(content: Content) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    for key, doc in content.sources.items():
        text = (SEEDS / doc["file"]).read_text(encoding="utf-8")
        for section in doc["sections"]:
            assert section in text, (key, section)


def test_every_item_names_its_source(content: Content) -> None:
    rs = content.ruleset
    items = [
        *rs.questions,
        *rs.rules,
        *rs.advice,
        *rs.outcomes.values(),
        *content.topics.values(),
        *content.relaxation.routines.values(),
    ]
    assert items and all(" § " in item.source for item in items)


def test_the_red_flag_list_and_checklist_are_all_ruled_on(content: Content) -> None:
    used = {f for r in content.ruleset.rules for f in r.when.facts()}
    for fact in ["spread", "face_droop", "eye_closure", "saliva", "ear_pain", "hearing", "duration_days", "improving",
                 "several_areas", "worsening", "headache", "dizziness", "impacts_life", "neuro_history", "head_trauma",
                 "episode", "frequency", "arm_weakness", "slurred_speech", "confusion", "walking_difficulty"]:  # fmt: skip
        assert fact in used, fact


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(default_directory(), target)
    return target


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_a_copy_of_the_content_loads(copy: Path) -> None:
    assert load_content(copy).ruleset.rules


@pytest.mark.parametrize(
    "file, change, expected",
    [
        ("checkin.yaml", lambda d: d["rules"][2]["when"].update(fact="sprd"), "checkin.yaml: rules[2] (spread).when.fact"),
        ("checkin.yaml", lambda d: d["rules"][0].pop("level"), "checkin.yaml: rules[0] (stroke_signs).level"),
        ("checkin.yaml", lambda d: d["rules"][1].update(level="soon"), "rules[1] (stroke_signs_unsure).level: expected one of emergency"),
        ("checkin.yaml", lambda d: d["questions"][0].update(fills=["nothing"]), "questions[0] (stroke_signs).fills[0]"),
        ("checkin.yaml", lambda d: d["questions"][2].update(source="article § Nowhere"), "questions[2] (spread).source"),
        ("checkin.yaml", lambda d: d["advice"][4].update(text="You said {cups} cups"), "advice[4] (sleep_hours).text"),
        ("checkin.yaml", lambda d: d["outcomes"].pop("urgent"), "checkin.yaml: outcomes.urgent"),
        ("checkin.yaml", lambda d: d["rules"][2]["when"].update({"is": "yes"}), "rules[2] (spread).when.is: expected true or false"),
        ("checkin.yaml", lambda d: d["rules"][11]["when"].update(gt="four weeks"), "rules[11] (long_lasting).when.gt: expected a number"),
        ("guidance.yaml", lambda d: d["topics"][0].update(intent="AskNothing"), "guidance.yaml: topics[0] (sleep_cause).intent"),
        ("guidance.yaml", lambda d: d["topics"][0].update(for_levels=["soon"]), "guidance.yaml: topics[0] (sleep_cause).for_levels[0]"),
        ("checkin.yaml", lambda d: d["facts"]["child"].update(asked_as=[["your"]]), "checkin.yaml: facts.child.asked_as[0]"),
        ("guidance.yaml", lambda d: d["topics"][1].update(spoken=d["topics"][1]["answer"]), "guidance.yaml: topics[1] (stroke).spoken: expected the answer in one breath, at most 20 words"),
        ("vocabulary.yaml", lambda d: d["choices"]["area"].update(not_inside=["droopy"]), "vocabulary.yaml: choices.area.not_inside"),
        ("language.yaml", lambda d: d["explained_after"]["phrases"].insert(0, "[just]"), "language.yaml: explained_after.phrases[0]"),
        ("language.yaml", lambda d: d["context"]["proxy"]["not_theirs_when"].insert(0, "(me"), "language.yaml: context.proxy.not_theirs_when[0]"),
        ("relaxation.yaml", lambda d: d["routines"][0]["scan"]["lines"].append(""), "relaxation.yaml: routines[0] (wind_down).scan.lines[6]"),
        ("relaxation.yaml", lambda d: d["routines"][0]["muscles"].update(tense=-5), "relaxation.yaml: routines[0] (wind_down).muscles.tense: expected a number of seconds above 0"),
        ("relaxation.yaml", lambda d: d["minutes"].update(default=7), "relaxation.yaml: minutes.default: expected one of the lengths"),
        ("intents.yaml", lambda d: d["intents"]["Help"]["data"][0]["sentences"].append("help {nolist}"), "intents.yaml: intents.Help.data[0].sentences[1]"),
        ("intents.yaml", lambda d: d["intents"]["Help"]["data"][0]["sentences"].append("help (me"), "intents.yaml: intents.Help.data[0].sentences[1]"),
        ("intents.yaml", lambda d: d["lists"]["sign_noun"]["values"][0].update(out="headachey"), "intents.yaml: lists.sign_noun.values[0].out"),
        ("dialog.yaml", lambda d: d.pop("greeting"), "dialog.yaml: greeting"),
    ],
)  # fmt: skip
def test_malformed_content_names_file_item_and_field(copy: Path, file: str, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit(copy / file, change)
    with pytest.raises(ContentError) as err:
        load_content(copy)
    assert expected in str(err.value)
    assert "expected" in str(err.value)


def test_yaml_syntax_errors_give_the_line(copy: Path) -> None:
    path = copy / "checkin.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "facts: [unclosed"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_content(copy)
    assert str(err.value).startswith("checkin.yaml:")
    assert "valid YAML" in str(err.value)


@pytest.mark.parametrize(
    "name", ["intents.yaml", "guidance.yaml", "checkin.yaml", "vocabulary.yaml", "relaxation.yaml", "sources.yaml"]
)
def test_a_missing_file_is_named(copy: Path, name: str) -> None:
    (copy / name).unlink()
    with pytest.raises(ContentError) as err:
        load_content(copy)
    assert str(err.value).startswith(f"{name}: (file): expected the file to exist")
