"""Whisper, the default recognizer, end to end with real audio: turns in everyday words
synthesized by espeak-ng, flite and piper (voices no Whisper setting was chosen on), heard through
`twitchcheck talk --wav-in`, and the model's packaging checks."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from content import Content
from dialog import Hearing, Session
from intents import Pending
from voice.asr import RecognizerError
from voice.audio import RATE
from voice.endpoint import EndpointSettings
from voice.mic import listen
from voice.synth import can_synthesize, can_synthesize_piper, synthesize
from voice.talk import hearing
from voice.whisper import WhisperRecognizer, unrepeated
from voice.whisper_model import CHECKSUMS, find_whisper_model, packaged_model_dir, verify

from . import speaking
from .conftest import TODAY
from .speaking import Speaking
from .test_voice_mic import Stream, silence, spoken

needs = pytest.mark.skipif(not can_synthesize(), reason="espeak-ng and flite make the test speech")
# a neural voice, nearer a person's (the test extra installs it)
PIPER = pytest.param(
    "piper:joe", marks=pytest.mark.skipif(not can_synthesize_piper(), reason="piper-tts and its joe voice")
)
TALK = [*speaking.TALK, "--quiet", "--json", "--asr", "whisper"]

# What a person says to each question, in their own words ("no" to anything else); asked
# again after a mishearing, they put it another way.
BENIGN: dict[str, str | list[str]] = {
    "opening": [
        "my left eyelid has been twitching on and off for about two weeks",
        "the corner of my mouth keeps twitching, for about two weeks now",
    ],
    "red_flags": "no, nothing like that",
    "improving": "yes, it gets better when I sleep properly",
    "pattern": "yes, just a few seconds now and then",
    "triggers": ["I've been really stressed and drinking a lot of coffee", "stress and coffee"],
    "caffeine_amount": "about five cups a day",
    "sleep_amount": "about six hours",
    "anything_else": "no, goodbye",
}


def gist(content: Content, text: str, ask: str | None) -> tuple[object, ...]:
    """What a turn amounts to: the command, the answer, the facts and their states, the topic."""
    s = Session.create(content, today=lambda: TODAY)
    if ask and ask in {q.id for q in content.ruleset.questions}:
        s.current = ask
    u = content.understander.understand(text, s.pending() if ask else Pending(), TODAY)
    return u.meaning()[:4]  # values aside: a person says "yes" to a number heard a little off


class Caller(Speaking):
    """A person speaking to `talk --wav-in -`: answers each question from a script, answers a
    "Did you say ...?" truthfully, and says a turn again when it was not understood."""

    def __init__(self, content: Content, voice: str, folder: Path) -> None:
        super().__init__(voice, folder, "--asr", "whisper")
        self.content = content

    def call(
        self, script: Mapping[str, str | list[str]], extra: Mapping[str, str] | None = None, turns: int = 30
    ) -> list[dict]:
        """Answer from ``script`` by question id; ``extra``: said once, before the scripted answer."""
        extra = dict(extra or {})
        asked, last = self.until_asked(), ""
        tries: dict[str, int] = {}
        for _ in range(turns):
            if asked is None:
                break
            question = asked["question"]
            if question == "confirm":
                heard = self.last_heard()
                same = gist(self.content, heard, self._last_ask) == gist(self.content, last, self._last_ask)
                self.say("yes" if same else "no")
            else:
                self._last_ask = question
                ways = script.get(question, "no")
                ways = [ways] if isinstance(ways, str) else ways
                n = tries[question] = tries.get(question, -1) + 1
                last = extra.pop(question, None) or ways[min(n, len(ways) - 1)]
                self.say(last)
            asked = self.until_asked()
        return self.hang_up()

    _last_ask = "opening"


def assessment(evs: list[dict]) -> dict:
    found = [e for e in evs if e["type"] == "assessment"]
    assert found, f"no assessment in {evs}"
    return found[0]


@needs
@pytest.mark.parametrize("voice", ["en-us", "flite:awb", PIPER])
def test_benign_check_in_in_everyday_words(content: Content, tmp_path: Path, voice: str) -> None:
    evs = Caller(content, voice, tmp_path).call(BENIGN)
    assert assessment(evs)["level"] in ("self_care", "routine")


@needs
@pytest.mark.parametrize("voice", ["en-us", "flite:slt", PIPER])
def test_stroke_sign_said_in_a_full_sentence_is_an_emergency(content: Content, tmp_path: Path, voice: str) -> None:
    script = {"opening": "the corner of my mouth keeps twitching", "stroke_signs": "yes, and my arm has gone weak"}
    evs = Caller(content, voice, tmp_path).call(script)
    assert assessment(evs)["level"] == "emergency"


@needs
def test_bedtime_question_mid_check_in_is_answered_and_the_check_in_goes_on(content: Content, tmp_path: Path) -> None:
    evs = Caller(content, "en-us", tmp_path).call(BENIGN, extra={"red_flags": "can coffee make it worse?"})
    heard = [e["text"].lower() for e in evs if e["type"] == "heard"]
    assert any("coffee" in h for h in heard), heard
    asked = [e["question"] for e in evs if e["type"] == "ask"]
    said = " ".join(e["text"] for e in evs if e["type"] == "say").lower()
    assert "caffeine" in said or "coffee" in said
    assert asked.count("red_flags") >= 2  # the question came back after the answer, and was answered
    assert assessment(evs)["level"] in ("self_care", "routine")


@needs
def test_off_topic_speech_is_not_acted_on_and_the_question_is_asked_again(content: Content, tmp_path: Path) -> None:
    off = synthesize("turn off the bedroom lights and set an alarm for seven", "flite:slt", tmp_path / "off.wav")
    result = subprocess.run([*TALK, "--wav-in", str(off)], capture_output=True, text=True, timeout=120)
    evs = [json.loads(line) for line in result.stdout.splitlines()]
    said = [e["text"] for e in evs if e["type"] == "say"]
    assert any("didn't understand" in t for t in said), evs
    assert [e["question"] for e in evs if e["type"] == "ask"] == ["opening", "opening"]
    assert not any(e["type"] == "assessment" for e in evs)


def test_the_packaged_model_is_found_and_checked() -> None:
    folder = find_whisper_model()
    assert folder == packaged_model_dir()
    assert all((folder / name).is_file() for name in CHECKSUMS)


def test_a_changed_or_missing_model_file_is_named(tmp_path: Path) -> None:
    real = packaged_model_dir()
    assert real is not None
    for name in CHECKSUMS:
        (tmp_path / name).symlink_to(real / name)
    verify(tmp_path)
    (tmp_path / "config.json").unlink()
    shutil.copy(real / "config.json", tmp_path / "config.json")
    with (tmp_path / "config.json").open("a") as f:
        f.write(" ")
    with pytest.raises(RecognizerError, match=r"config.json is not the one this version expects"):
        verify(tmp_path)
    (tmp_path / "vocabulary.txt").unlink()
    with pytest.raises(RecognizerError, match=r"incomplete: .*vocabulary.txt missing"):
        verify(tmp_path)


def test_model_option_must_be_a_whisper_folder(tmp_path: Path) -> None:
    with pytest.raises(RecognizerError, match="not a faster-whisper model folder"):
        find_whisper_model(tmp_path)
    result = subprocess.run(
        [*TALK, "--model", str(tmp_path), "--wav-in", "x.wav"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "not a faster-whisper model folder" in result.stderr


def test_a_turn_said_twice_over_is_taken_once() -> None:
    assert unrepeated("Tell me more Tell me more") == "Tell me more"
    assert unrepeated("No. No. No.") == "No."
    assert unrepeated("my arm feels weak") == "my arm feels weak"


def test_the_first_hypothesis_that_makes_sense_is_taken(session: Session) -> None:
    session.start()
    heard = Hearing(
        "Turn on the fighting.", 0.9, alternatives=(("Turn on the fighting.", 0.9), ("My eyelid is twitching.", 0.8))
    )
    assert session.considered(heard).text == "My eyelid is twitching."
    nothing = Hearing(
        "Set an alarm for seven.", 0.9, alternatives=(("Set an alarm for seven.", 0.9), ("Set alarm for 7.", 0.5))
    )
    assert session.considered(nothing).rejected


def test_a_warning_sign_in_a_less_likely_hypothesis_is_asked_about(session: Session) -> None:
    session.start()
    heard = Hearing(
        "My eyelid is twitching and my aunt feels weird.",
        0.95,
        alternatives=(
            ("My eyelid is twitching and my aunt feels weird.", 0.95),
            ("My eyelid is twitching and my arm feels weak.", 0.9),
        ),
    )
    taken = session.considered(heard)
    assert taken.text.endswith("feels weak.") and session.policy.confirms(taken, False)
    events = session.hear(heard)
    assert events[-1].question == "confirm" and "weak" in events[-1].text


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


def _quiet_used(stream: Stream, lead: bytes, said: bytes) -> float:
    """Seconds of quiet after the last spoken sound that the listener read before it ended the turn."""
    loud = np.flatnonzero(np.abs(np.frombuffer(said, dtype="<i2")) > 500)
    speech_end = len(lead) + 2 * (int(loud[-1]) + 1)
    return (stream.pos - speech_end) / 2 / RATE


@needs
def test_a_whole_short_answer_ends_the_turn_without_waiting_out_the_pause(
    content: Content, whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    session = Session.create(content, today=lambda: TODAY)
    session.current = "improving"  # a yes/no question that screens for nothing
    said = spoken("yes", tmp_path)
    stream = Stream(silence(1.0) + said + silence(3.0))
    heard = listen(stream, whisper, 8.0, complete=lambda h: session.complete_answer(hearing(h)))
    assert heard is not None and heard.text.lower().startswith("yes")
    assert _quiet_used(stream, silence(1.0), said) < 0.6 < EndpointSettings().end_quiet


@needs
def test_a_no_to_a_warning_sign_question_waits_out_the_pause(
    content: Content, whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    session = Session.create(content, today=lambda: TODAY)
    session.current = "stroke_signs"  # "no ... but my arm feels weak" must not be cut at the "no"
    said = spoken("no", tmp_path)
    stream = Stream(silence(1.0) + said + silence(3.0))
    heard = listen(stream, whisper, 8.0, complete=lambda h: session.complete_answer(hearing(h)))
    assert heard is not None and heard.text.lower().startswith("no")
    assert _quiet_used(stream, silence(1.0), said) >= EndpointSettings().end_quiet - 0.05


def test_whisper_is_loaded_first_only_when_it_will_be_the_recognizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voice import asr

    loads: list[str | None] = []
    monkeypatch.setattr(asr, "_whisper", lambda model: loads.append(model) or "whisper")
    monkeypatch.delenv("TWITCHCHECK_VOSK_MODEL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing-here"))
    assert asr.whisper_first("pocketsphinx") is None and asr.whisper_first("vosk") is None
    assert asr.whisper_first("auto") == "whisper" and asr.whisper_first("whisper") == "whisper"
    vosk = tmp_path / "vosk-model"
    (vosk / "am").mkdir(parents=True)
    assert asr.whisper_first("auto", str(vosk)) is None  # a vosk folder given: vosk will listen
    monkeypatch.setenv("TWITCHCHECK_VOSK_MODEL", str(vosk))
    assert asr.whisper_first("auto") is None  # the user's vosk model comes first
    monkeypatch.setenv("TWITCHCHECK_VOSK_MODEL", str(tmp_path / "nowhere"))
    assert asr.whisper_first("auto") is None  # open_recognizer says what is wrong with it
    assert loads == [None, None]
    rec, note = asr.open_recognizer("auto", {}, None, loaded=asr.whisper_first("whisper"))  # type: ignore[arg-type]
    assert rec == "whisper" and note == "Listening with Whisper tiny.en, which came with twitchcheck."
