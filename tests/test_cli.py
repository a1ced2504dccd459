"""The command line as a user or a script meets it: real processes, real stdin and stdout."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
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


def _exe() -> list[str]:
    return [str(BIN)] if BIN.exists() else [sys.executable, "-m", "voice.cli"]


def test_ctrl_c_in_chat_ends_without_a_traceback() -> None:
    proc = subprocess.Popen(
        [*_exe(), "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a test run started in the background (CI, nohup) ignores SIGINT, and a
        # child would inherit that and never see the Ctrl-C
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the greeting: the check-in is waiting for a line
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err and "stopped" in err


def test_ctrl_c_while_it_is_still_loading_ends_without_a_traceback() -> None:
    entry = "import sys; from voice.main import main; sys.exit(main())"  # the command's entry point
    proc = subprocess.Popen(
        [sys.executable, "-c", entry, "chat", "--no-journal"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        cwd=Path(__file__).resolve().parents[1],
    )
    time.sleep(0.4)  # importing spaCy and the content's modules takes about a second
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "stopped" in err and not out


def test_output_piped_into_a_reader_that_goes_away_ends_quietly() -> None:
    lines = "\n".join(["my eye twitches"] * 200) + "\n"
    shell = f"printf %s {shlex.quote(lines)} | {' '.join(map(shlex.quote, _exe()))} chat | head -n 2"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=120)
    assert len(proc.stdout.splitlines()) == 2
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_wav_out_that_is_a_file_or_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    afile = tmp_path / "replies"
    afile.write_text("")
    for where, says in [(afile, "is a file, not a folder"), (afile / "sub", "cannot be made")]:
        proc = run(["talk", "--typed", "--quiet", "--wav-out", str(where)])
        assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr


def test_model_where_says_when_the_model_it_is_pointed_at_is_not_there(tmp_path: Path) -> None:
    found = tmp_path / "found"
    found.mkdir()
    for where, says in [(tmp_path / "nowhere", "which is not a folder"), (found, "partial or corrupt")]:
        env = {**os.environ, "TWITCHCHECK_VOSK_MODEL": str(where)}
        proc = subprocess.run([*_exe(), "model", "where"], capture_output=True, text=True, timeout=60, env=env)
        assert proc.returncode == 1 and says in proc.stderr and "Traceback" not in proc.stderr


def test_a_blank_line_on_json_gets_a_reply() -> None:
    proc = run(["chat", "--json"], "my eyelid has been twitching for a week\n\n")
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    after_blank = out[[i for i, o in enumerate(out) if o.get("question") == "stroke_signs"][0] + 1 :]
    assert after_blank and after_blank[0]["type"] == "ask" and after_blank[0]["question"] == "stroke_signs"


def test_a_huge_line_is_cut_and_said_so_and_answered_quickly() -> None:
    line = "my eye twitches " + "and it is annoying " * 60_000  # about a megabyte
    proc = subprocess.run([*_exe(), "chat"], input=line + "\n", capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0
    assert "only the first 10,000 were read" in proc.stdout
    assert "First, a safety check" in proc.stdout


def test_the_readme_example_is_what_twitchcheck_says() -> None:
    # the README's check-in, answers and replies, as a new user would see them (the two notices
    # before "Hi." depend on the machine's audio and are left out)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ ./run.sh < answers.txt\n", 1)[1].split("```", 1)[0]
    shown = example[example.index("Hi. ") :]
    answers = [line[2:] for line in shown.splitlines() if line.startswith("> ")]
    proc = run(["chat", "--no-journal"], stdin="\n".join(answers) + "\n")
    said = proc.stdout[proc.stdout.index("Hi. ") :]
    assert said.startswith(shown), said


def test_y_and_n_typed_alone_answer() -> None:
    proc = run(["chat"], "my left eyelid has been twitching for a week\nn\nn\n")
    assert proc.returncode == 0 and "didn't understand" not in proc.stdout, proc.stdout
    assert "Have you noticed drooping" in proc.stdout


def test_the_journal_file_may_be_named_before_or_after_the_action(tmp_path: Path) -> None:
    for args in (
        ["journal", "--journal", str(tmp_path / "a.db"), "where"],
        ["journal", "where", "--journal", str(tmp_path / "a.db")],
    ):
        proc = run(args)
        assert proc.returncode == 0 and proc.stdout.strip() == str(tmp_path / "a.db"), proc.stderr
    proc = run(["journal", "show", "--journal", str(tmp_path / "none.db")])
    assert proc.returncode == 0 and "No journal yet" in proc.stdout, proc.stderr
