"""The understanding corpus (bench/nlu/) uses only the ids the content knows: a misspelt fact,
question or topic would silently count as a miss in bench/nlu_bench.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from content import load_content

CORPUS = Path(__file__).resolve().parents[1] / "bench" / "nlu"
FILES = sorted(p for p in CORPUS.rglob("*.yaml") if "journal" not in p.name)
KEYS = {"text", "ask", "answer", "facts", "values", "topic", "command", "offtopic", "today", "note"}
STATES = {"present", "absent", "unsure", "other", "hypothetical"}
NOT_QUESTIONS = {"opening", "offer_relaxation", "anything_else", "confirm"}
VALUES = {"duration_days", "frequency", "episode", "caffeine_cups", "sleep_hours", "area", "side"}


@pytest.fixture(scope="module")
def known() -> dict[str, set[str]]:
    content = load_content()
    return {
        "facts": set(content.ruleset.facts),
        "asks": {q.id for q in content.ruleset.questions} | NOT_QUESTIONS,
        "topics": set(content.topics),
        "commands": set(content.commands.values()),
    }


def problems(item: dict[str, Any], known: dict[str, set[str]]) -> list[str]:
    found = [f"unknown key {k!r}" for k in item if k not in KEYS]
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        found.append("no text")
    if item.get("ask", "opening") not in known["asks"]:
        found.append(f"unknown ask {item['ask']!r}")
    if "answer" in item and item["answer"] not in ("yes", "no", "unsure"):
        found.append(f"answer {item['answer']!r} (quote yes/no)")
    for fact, state in (item.get("facts") or {}).items():
        if fact not in known["facts"] or state not in STATES:
            found.append(f"fact {fact}: {state}")
    found += [f"unknown value {k!r}" for k in item.get("values") or {} if k not in VALUES]
    if "topic" in item and item["topic"] not in known["topics"]:
        found.append(f"unknown topic {item['topic']!r}")
    if "command" in item and item["command"] not in known["commands"]:
        found.append(f"unknown command {item['command']!r}")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_labels_are_known(path: Path, known: dict[str, set[str]]) -> None:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(items, list) and items
    bad = {i: p for i, item in enumerate(items) if (p := problems(item, known))}
    assert not bad, f"{path.name}: " + "; ".join(f"item {i}: {', '.join(p)}" for i, p in list(bad.items())[:5])
