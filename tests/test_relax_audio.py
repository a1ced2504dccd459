"""The guided relaxation rendered as sound (pyttsx3 with espeak-ng): its silences are real and as long
as the script says."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from content import Content
from dialog import Session
from voice.speech import Speaker, SpeechSettings
from voice.synth import can_synthesize
from voice.talk import Talk

pytestmark = pytest.mark.skipif(not can_synthesize(), reason="espeak-ng makes the speech")


def silences(audio: np.ndarray, rate: int, floor: int = 30, shortest: float = 0.8) -> list[float]:
    """Lengths of the stretches of silence in a recording, longest first-to-last in order."""
    quiet = np.abs(audio.astype(np.int32)) <= floor
    out, run = [], 0
    for q in quiet:
        if q:
            run += 1
            continue
        if run >= shortest * rate:
            out.append(run / rate)
        run = 0
    if run >= shortest * rate:
        out.append(run / rate)
    return out


def test_the_rendered_relaxation_holds_its_scripted_silences(content: Content, tmp_path: Path) -> None:
    out = io.StringIO()
    speaker = Speaker(SpeechSettings(rate=130), io.StringIO(), wav_out=tmp_path, play=False)
    talk = Talk(Session.create(content), speaker, out, as_json=True, wait=False)
    talk.begin()
    talk.reply("a short relaxation please")
    speaker.close()
    steps = [json.loads(line) for line in out.getvalue().splitlines() if "pause_s" in line]
    wav = sorted(tmp_path.glob("relaxation-*.wav"))
    assert len(wav) == 1
    audio, rate = sf.read(str(wav[0]), dtype="int16")
    scripted = [s["pause_s"] for s in steps if s["pause_s"] >= 1.5]
    found = silences(audio, rate)
    # each scripted silence of 1.5 s or more is there, within 10%
    long_found = [f for f in found if f >= 1.2]
    assert len(long_found) == len(scripted)
    for want, got in zip(scripted, long_found, strict=True):
        assert want * 0.9 <= got <= want * 1.1, (want, got)
    total = len(audio) / rate
    assert 150 <= total <= 220  # a short one is about three minutes
