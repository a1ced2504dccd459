"""End to end with real audio: turns synthesized by espeak-ng and flite,
heard by pocketsphinx through `twitchcheck talk --wav-in`, replies written
as WAV by pyttsx3 and checked to hold speech."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from intents import IntentParser
from voice.asr import recognize
from voice.audio import read_wav
from voice.models import ENV, find_vosk_model
from voice.synth import can_synthesize, synthesize

from .conftest import same_meaning
from .speaking import TALK, Speaking

needs = pytest.mark.skipif(not can_synthesize(), reason="espeak-ng and flite make the test speech")

BENIGN_TURNS = [
    "my left eyelid has been twitching for two weeks",
    "no",
    "no",
    "no",
    "yes",
    "it lasts a few seconds",
    "no",
    "no",
    "i drink five cups of coffee a day",
    "no",
    "goodbye",
]
RED_FLAG_TURNS = ["my face is drooping", "yes", "goodbye"]


def synth_turns(turns: list[str], voice: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [synthesize(t, voice, folder / f"turn-{i:02d}.wav") for i, t in enumerate(turns)]


def talk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TALK, "--quiet", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def assessment(evs: list[dict]) -> dict:
    found = [e for e in evs if e["type"] == "assessment"]
    assert found, f"no assessment in {evs}"
    return found[0]


def holds_speech(path: Path) -> bool:
    pcm = read_wav(path)
    samples = np.frombuffer(pcm.data, dtype="<i2").astype(float)
    loud = np.mean(np.abs(samples) > 1000)  # share of samples well above silence
    return pcm.seconds > 0.5 and pcm.rms() > 300 and loud > 0.05


class Caller(Speaking):
    """A user speaking to `talk --wav-in -`: a "Did you say ...?" is answered "yes"
    when the skill heard what was meant and "no" otherwise, and a turn not
    understood or misheard is said again, as a person would."""

    def __init__(self, parser: IntentParser, voice: str, folder: Path, *args: str) -> None:
        super().__init__(voice, folder, *args)
        self.parser = parser

    def call(self, turns: list[str], tries: int = 4) -> list[dict]:
        asked = self.until_asked()
        for turn in turns:
            for _ in range(tries):
                if asked is None:
                    break
                self.say(turn)
                asked = self.until_asked()
                heard = self.last_heard()
                if asked is not None and asked["question"] == "confirm":
                    confirmed = same_meaning(self.parser, heard, turn)
                    self.say("yes" if confirmed else "no")
                    asked = self.until_asked()
                    if confirmed:
                        break
                elif heard:
                    break  # understood and acted on
        return self.hang_up()


def spoken_case(parser: IntentParser, turns: list[str], voice: str, folder: Path) -> tuple[list[dict], list[Path]]:
    """Speak the turns with the voice, hold the check-in, return its events and reply WAVs."""
    out = folder / "out"
    evs = Caller(parser, voice, folder / "in", "--asr", "pocketsphinx", "--wav-out", str(out)).call(turns)
    return evs, sorted(out.glob("*.wav"))


@needs
@pytest.mark.parametrize("voice", ["en-us", "flite:slt"])
def test_benign_case_by_voice_reaches_self_care(parser: IntentParser, tmp_path: Path, voice: str) -> None:
    evs, replies = spoken_case(parser, BENIGN_TURNS, voice, tmp_path)
    heard = [e for e in evs if e["type"] == "heard"]
    assert len(heard) >= len(BENIGN_TURNS) - 1
    assert all(0.0 <= h["confidence"] <= 1.0 for h in heard)
    a = assessment(evs)
    assert a["level"] == "self_care"
    assert any("5 cups of coffee" in line for line in a["advice"])
    assert len(replies) >= len(BENIGN_TURNS)
    assert all(holds_speech(r) for r in replies)


@needs
@pytest.mark.parametrize("voice", ["flite:rms", "en-us+m3"])
def test_red_flag_by_voice_reaches_emergency(parser: IntentParser, tmp_path: Path, voice: str) -> None:
    evs, replies = spoken_case(parser, RED_FLAG_TURNS, voice, tmp_path)
    a = assessment(evs)
    assert a["level"] == "emergency"
    assert a["reasons"] and a["safety_net"]
    assert replies and all(holds_speech(r) for r in replies)


@needs
@pytest.mark.parametrize("voice", ["en-us", "flite:slt"])
def test_off_topic_speech_is_never_acted_on(parser: IntentParser, tmp_path: Path, voice: str) -> None:
    turns = ["how tall is mount everest", "order a taxi to the station", "turn off the kitchen lights"]
    evs = Caller(parser, voice, tmp_path, "--asr", "pocketsphinx").call(turns, tries=2)
    # Re-asked, or "Did you say ...?" answered "no": the check-in never moves on.
    assert {e["question"] for e in evs if e["type"] == "ask"} <= {"opening", "confirm"}
    assert not any(e["type"] == "say" and e["text"].startswith("Noted") for e in evs)
    assert any(e["type"] == "say" and "didn't understand" in e["text"] for e in evs)


@needs
def test_wav_paths_from_stdin_one_per_turn(parser: IntentParser, tmp_path: Path) -> None:
    caller = Caller(parser, "en-us", tmp_path, "--asr", "pocketsphinx")
    evs = caller.call(RED_FLAG_TURNS)
    assert sum(1 for e in evs if e["type"] == "heard") == caller.said  # each path a turn of its own
    assert assessment(evs)["level"] == "emergency"


@needs
def test_bad_files_are_reported_and_lose_nothing(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.wav"
    text_file.write_text("this is not audio")
    truncated = tmp_path / "cut.wav"
    whole = synthesize("hello", "en-us", tmp_path / "whole.wav").read_bytes()
    truncated.write_bytes(whole[:30])
    empty = tmp_path / "empty.wav"
    with wave.open(str(empty), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
    # "yes" twice: the first may confirm the sign ("Did you say ...?"), the next answers the safety check.
    turns = synth_turns([*RED_FLAG_TURNS[:2], "yes"], "en-us", tmp_path / "in")
    bad = [str(text_file), str(truncated), str(empty), str(tmp_path / "missing.wav")]
    args = [bad[0], str(turns[0]), *bad[1:], str(turns[1]), str(turns[2])]
    result = talk("--asr", "pocketsphinx", "--wav-in", *args)
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert "not a WAV file" in said
    assert "cut off after 30 bytes, before any audio" in said
    assert "holds no audio" in said
    assert "no such file" in said
    assert "Call emergency services now" in said  # the good turns still made the whole check-in


@needs
def test_silence_and_noise_are_not_understood_and_reasked(tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    noise = tmp_path / "noise.wav"
    rng = np.random.default_rng(1)
    for path, samples in ((silence, np.zeros(16000)), (noise, rng.normal(0, 6000, 32000))):
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    result = talk("--asr", "pocketsphinx", "--json", "--wav-in", str(silence), str(noise))
    evs = events(result.stdout)
    heard = [e for e in evs if e["type"] == "heard"]
    assert [h["text"] for h in heard] == ["", ""]
    said = [e["text"] for e in evs if e["type"] == "say"]
    # the first time it says so; the second time it says so again and offers the choices
    assert any("didn't understand" in t for t in said) and any("still didn't catch" in t for t in said), said
    assert not any(e["type"] == "assessment" for e in evs)


def test_vosk_end_to_end_when_a_model_is_present(tmp_path: Path) -> None:
    found, looked = find_vosk_model(os.environ.get(ENV))
    if found is None:
        pytest.skip(f"no vosk model on this machine ({looked}); run 'twitchcheck model download' or set {ENV}")
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng makes the test speech")
    wavs = synth_turns(RED_FLAG_TURNS, "en-us", tmp_path)
    result = talk("--asr", "vosk", "--model", str(found), "--json", "--wav-in", *map(str, wavs))
    assert assessment(events(result.stdout))["level"] == "emergency"


def test_vosk_without_a_model_says_what_to_do(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop(ENV, None)
    result = subprocess.run(
        [*TALK, "--asr", "vosk", "--wav-in", "x.wav"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "no vosk model found" in result.stderr and "twitchcheck model download" in result.stderr
    partial = tmp_path / "partial"
    (partial / "conf").mkdir(parents=True)
    result = subprocess.run(
        [*TALK, "--asr", "vosk", "--model", str(partial), "--wav-in", "x.wav"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "partial or corrupt" in result.stderr


def test_auto_without_a_vosk_model_says_it_uses_whisper(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop(ENV, None)
    result = subprocess.run(
        [*TALK, "--quiet", "--wav-in", str(tmp_path / "none.wav")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "Listening with Whisper tiny.en, which came with twitchcheck." in result.stdout
    assert "no such file" in result.stdout


def test_with_no_microphone_it_says_so_aloud_and_carries_on_by_typing(tmp_path: Path) -> None:
    from voice.audio import AudioError
    from voice.mic import open_microphone

    try:
        open_microphone().close()
        pytest.skip("this machine has a microphone")
    except AudioError:
        pass
    out = tmp_path / "said"
    result = talk("--wav-out", str(out), stdin="my eyelid twitches\ngoodbye\n")
    assert result.returncode == 0, result.stderr
    assert "no microphone" in result.stdout + result.stderr and "Goodbye" in result.stdout
    from voice.whisper import WhisperRecognizer

    first = sorted(out.glob("*.wav"))[0]
    heard = recognize(WhisperRecognizer(), read_wav(first).data)
    assert "microphone" in heard.text.lower()  # the notice was spoken, before anything else


@needs
def test_good_night_said_after_a_relaxation_ends_the_night(tmp_path: Path) -> None:
    turns = synth_turns(["help me relax a short one", "good night"], "flite:awb", tmp_path)
    result = talk("--json", "--no-wait", "--wav-in", *map(str, turns))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    evs = events(result.stdout)
    assert any(e["type"] == "say" and "pause_s" in e for e in evs)  # the relaxation was played
    assert evs[-1]["type"] == "end" and not any(e["type"] == "assessment" for e in evs)
    assert [e["text"] for e in evs if e["type"] == "say"][-1] == "Good night."  # softly, nothing replayed


def test_a_week_in_the_journal_is_summed_up_by_voice(tmp_path: Path) -> None:
    """Three nights checked in by voice with a fixed clock, then "how have I been this week?" asked
    aloud: the summary comes from the journal the nights were saved in."""
    journal = tmp_path / "journal.sqlite3"
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        turns = synth_turns(["my left eyelid has been twitching for a few days", "goodbye"], "flite:awb",
                            tmp_path / day)  # fmt: skip
        night = talk("--json", "--journal", str(journal), "--now", f"{day}T22:30", "--wav-in", *map(str, turns))
        assert night.returncode == 0, night.stderr
    asked = synth_turns(["how have I been this week?", "goodbye"], "flite:awb", tmp_path / "summary")
    result = talk("--json", "--journal", str(journal), "--now", "2026-12-04T22:00", "--wav-in", *map(str, asked))
    said = [e for e in events(result.stdout) if e["type"] == "say"]
    assert any("twitching on 3 of 3 nights" in e.get("spoken", "") for e in said), said
