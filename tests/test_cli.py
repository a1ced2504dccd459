"""The command line as a user or a script meets it: real processes, real stdin and stdout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "twitchcheck"


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    exe = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "voice.cli"]
    return subprocess.run(exe + args, input=stdin, capture_output=True, text=True, timeout=60)


def test_console_script_is_installed() -> None:
    assert BIN.exists() or shutil.which("twitchcheck")


def test_chat_json_protocol() -> None:
    lines = [
        "my left eyelid has been twitching for about five weeks",
        "no",
        "why do you ask",
        "no",
        "no",
        "yes",
        "none",
    ]
    proc = run(["chat", "--json"], "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert out[0]["type"] == "ask" and out[0]["question"] == "opening"
    assert out[-1] == {"type": "end"}
    assert all(o["type"] in {"say", "ask", "assessment", "end"} for o in out)
    assessment = next(o for o in out if o["type"] == "assessment")
    assert assessment["level"] == "routine"
    assert assessment["reasons"] and assessment["advice"] and assessment["safety_net"]
    # one ask per stdin line consumed, plus the greeting
    assert sum(o["type"] == "ask" for o in out) == len(lines) + 1


def test_chat_json_at_eof_ends_cleanly() -> None:
    proc = run(["chat", "--json"], "")
    assert proc.returncode == 0
    assert [json.loads(x)["type"] for x in proc.stdout.splitlines()] == ["ask", "end"]


def test_chat_reads_piped_text() -> None:
    proc = run(["chat"], "my arm feels weak and my eye twitches\n")
    assert proc.returncode == 0
    assert "Call emergency services now" in proc.stdout
    assert "> my arm feels weak" in proc.stdout  # what was heard is printed too


def test_parse_prints_what_is_understood() -> None:
    proc = run(["parse", "my left eyelid has been twitching on and off for about five weeks"])
    assert proc.returncode == 0
    got = json.loads(proc.stdout)
    assert got["understood"] is True
    assert {f["fact"]: f["state"] for f in got["facts"]} == {"twitching": "present"}
    values = {k: v["value"] for k, v in got["values"].items()}
    assert values == {"side": "left", "area": ["eyelid"], "duration_days": 35.0, "frequency": "occasional"}
    answer = json.loads(run(["parse", "--ask", "stroke_signs", "yes my right arm feels weak"]).stdout)
    assert answer["answer"]["value"] == "yes"
    assert {"fact": "arm_weakness", "state": "present", "words": "arm feels weak"} in answer["facts"]
    off = json.loads(run(["parse", "play some jazz"]).stdout)
    assert off["understood"] is False


@pytest.mark.parametrize("args", [[], ["chat"], ["parse"]])
def test_help_everywhere(args: list[str]) -> None:
    proc = run([*args, "--help"])
    assert proc.returncode == 0 and "usage:" in proc.stdout


@pytest.mark.parametrize("args", [["parse"], ["frobnicate"], ["chat", "--bogus"], []])
def test_usage_errors_exit_2_on_stderr(args: list[str]) -> None:
    proc = run(args)
    assert proc.returncode == 2
    assert proc.stderr and not proc.stdout


def test_broken_content_dir_is_reported(tmp_path: Path) -> None:
    proc = run(["parse", "--content", str(tmp_path), "hello"])
    assert proc.returncode == 1
    assert "sources.yaml" in proc.stderr
