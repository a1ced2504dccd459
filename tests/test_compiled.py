"""Compiled phrases kept between runs (intents/compiled.py): the same patterns back, from a file only
its owner can read, and nothing lost when the file is missing, damaged or from another content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intents.compiled import Compiled, cache_file, kept_in
from intents.phrases import compile_phrases

PHRASES = ["(can't|cannot) lift ... arm", "my arm [feels] (weak|heavy)"]


def words_of(text: str) -> list[tuple[str, str]]:
    return [(w.lower(), w.lower().rstrip("s")) for w in text.split()]


def refuses(text: str) -> list[tuple[str, str]]:
    raise AssertionError(f"compiled again: {text!r}")


def test_phrases_compiled_once_are_read_back_the_same_without_compiling(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "phrases-x.json"
    with kept_in(path):
        first = compile_phrases(PHRASES, {}, "facts.arm.present", words_of, frozenset())
    assert path.exists() and (path.stat().st_mode & 0o077) == 0  # the owner's alone
    with kept_in(path):
        again = compile_phrases(PHRASES, {}, "facts.arm.present", refuses, frozenset())
    assert again == first


def test_changed_phrases_are_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "phrases-x.json"
    with kept_in(path):
        compile_phrases(PHRASES, {}, "facts.arm.present", words_of, frozenset())
    with kept_in(path):
        changed = compile_phrases(PHRASES[:1], {}, "facts.arm.present", words_of, frozenset())
    assert {p.source for p in changed} == {PHRASES[0]}


@pytest.mark.parametrize("text", ["", "{not json", '{"specs": [], "lists": {"a": ["d", [["x", [5]]]]}}', "[]"])
def test_a_damaged_file_is_ignored_and_written_again(tmp_path: Path, text: str) -> None:
    path = tmp_path / "phrases-x.json"
    path.write_text(text, encoding="utf-8")
    assert Compiled(path).phrases == {}
    with kept_in(path):
        compile_phrases(PHRASES, {}, "w", words_of, frozenset())
    assert "w" in json.loads(path.read_text(encoding="utf-8"))["lists"]


def test_another_content_has_a_file_of_its_own_and_none_without_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_file("content a") != cache_file("content b")
    monkeypatch.setenv("TWITCHCHECK_NO_CACHE", "1")
    assert cache_file("content a") is None


def test_the_program_understands_the_same_with_and_without_its_kept_phrases(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("TWITCHCHECK_NO_CACHE", None)
    cmd = [
        sys.executable,
        "-m",
        "voice.cli",
        "parse",
        "my left eyelid has been twitching for a week and my arm is weak",
    ]
    runs = [subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and '"arm_weakness"' in runs[0].stdout
    kept = list((tmp_path / "twitchcheck").glob("phrases-*.json"))
    assert len(kept) == 1
