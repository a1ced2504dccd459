"""Telling the skill's own voice from the user's: the reply coming back through the speaker
correlates with what is playing; another voice saying the same words does not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice.audio import RATE, read_wav
from voice.echo import Playing, correlation, is_echo
from voice.synth import can_synthesize, synthesize

pytestmark = pytest.mark.skipif(not can_synthesize(), reason="espeak-ng and flite make the test speech")

REPLY = "Answer in your own words, or say repeat, why, slower, or stop."


def said(text: str, voice: str, folder: Path) -> np.ndarray:
    return np.frombuffer(read_wav(synthesize(text, voice, folder / "s.wav")).data, dtype="<i2")


def test_the_reply_heard_back_quieter_and_in_noise_is_its_echo(tmp_path: Path) -> None:
    reply = said(REPLY, "en-us", tmp_path)
    rng = np.random.default_rng(0)
    part = reply[int(1.5 * RATE) : int(3.0 * RATE)].astype(np.float64) * 0.25  # 12 dB down
    heard = np.clip(part + rng.normal(0, 200, part.size), -32768, 32767).astype(np.int16)
    playing = Playing(reply, started=100.0)
    assert is_echo(heard, ended=100.0 + 3.0 + 0.1, playing=playing)  # the clocks 0.1 s apart


def test_the_user_saying_the_reply_s_words_is_not_its_echo(tmp_path: Path) -> None:
    reply = said(REPLY, "en-us", tmp_path)
    user = said("or stop", "flite:slt", tmp_path)
    playing = Playing(reply, started=100.0)
    assert correlation(user[::2], reply[::2]) < 0.35
    assert not is_echo(user, ended=100.0 + 3.0, playing=playing)
    assert not is_echo(user, ended=100.0 + 3.0, playing=None)  # nothing playing: nothing to echo


def test_an_echo_heard_from_the_moment_the_reply_began_is_its_echo(tmp_path: Path) -> None:
    """Barge-in looks at the first 0.3 s of what it hears: that may begin with the room's hiss from
    just before the reply started."""
    reply = said(REPLY, "en-us", tmp_path)
    rng = np.random.default_rng(1)
    heard = np.concatenate([np.zeros(int(0.12 * RATE)), reply[: int(0.18 * RATE)] * 0.25])
    heard = np.clip(heard + rng.normal(0, 30, heard.size), -32768, 32767).astype(np.int16)
    assert is_echo(heard, ended=100.0 + 0.18, playing=Playing(reply, started=100.0))
