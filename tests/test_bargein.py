"""Cutting in while the skill speaks: the microphone keeps listening during a reply, and "stop" or a
warning sign said over it stops it.  Real speech (flite, a voice Whisper was not tuned on), the real
voice-activity detector and the real recognizer (Whisper tiny.en); the sound card is replaced by a
clock: the microphone delivers its audio in real time, and playing a reply takes as long as the reply."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from content import Content
from dialog import Session
from voice.audio import RATE
from voice.mic import Listener
from voice.speech import Speaker, SpeechSettings
from voice.synth import can_synthesize
from voice.talk import Talk
from voice.whisper import WhisperRecognizer

from .conftest import TODAY
from .live_audio import Clock, LiveStream
from .test_voice_mic import silence, spoken

pytestmark = pytest.mark.skipif(not can_synthesize(), reason="espeak-ng and flite make the test speech")


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


def talk_over_a_reply(
    content: Content,
    whisper: WhisperRecognizer,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    echo: bool = False,
) -> tuple[Talk, Clock, float]:
    """The user says ``said`` 1.5 s into a long reply (nothing: ``said`` empty); returns the talk, the
    player, and when the word ended (on the clock the stream runs on).  With ``echo`` the reply comes
    back into the microphone 12 dB quieter."""
    clock = Clock()
    monkeypatch.setattr(Speaker, "_play", lambda self, path, stop=None: clock.play(path, stop))
    words = spoken(said, tmp_path, "flite:slt") if said else b""
    stream = LiveStream(silence(1.5) + words + silence(20.0), echo=clock if echo else None)
    speaker = Speaker(SpeechSettings(rate=130), io.StringIO(), play=True)
    talk = Talk(Session.create(content, today=lambda: TODAY), speaker, io.StringIO())
    talk.session.start()
    talk.session.handle("my left eyelid has been twitching for a week")
    talk.listen = Listener(stream, whisper, talk)
    word_end = stream.t0 + 1.5 + len(words) / 2 / RATE
    talk.reply("what can I say")  # help, then the stroke question: about 15 s spoken
    return talk, clock, word_end


def test_stop_said_over_a_reply_stops_it_and_ends(
    content: Content, whisper: WhisperRecognizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk, clock, word_end = talk_over_a_reply(content, whisper, "stop", tmp_path, monkeypatch)
    # silent as soon as it is heard, before the word's end; bench/bargein_bench.py times it
    assert clock.cut_at is not None and clock.cut_at < word_end
    assert not clock.finished
    assert talk.session.ended


def test_an_answer_said_over_a_reply_pauses_it_and_is_the_next_turn(
    content: Content, whisper: WhisperRecognizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk, clock, word_end = talk_over_a_reply(content, whisper, "no", tmp_path, monkeypatch)
    assert clock.cut_at is not None and clock.cut_at < word_end + 0.3  # quiet while they speak
    assert clock.finished  # "no" does not stop it: it carries on to the question
    assert isinstance(talk.listen, Listener) and [h.text for h in talk.listen.kept] == ["No."]


def test_its_own_voice_coming_back_does_not_stop_it(
    content: Content, whisper: WhisperRecognizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk, clock, _ = talk_over_a_reply(content, whisper, "", tmp_path, monkeypatch, echo=True)
    # With a new echo canceller (the night's first reply) in a reverberant room it may pause for its own
    # voice, and its echo heard as a warning sign may stop it to ask "Just to be sure ...?"
    # (bench/bargein_bench.py counts these; docs/bedtime.md). It never ends the night or assesses on it.
    assert not talk.session.ended and talk.session.assessment is None
    assert clock.cut_at is None or talk.session.checking or clock.finished
