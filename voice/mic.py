"""The microphone: a 16 kHz mono stream, fed to the recognizer as it arrives.

WebRTC voice activity detection (from pocketsphinx) and endpoint.Endpoint
decide when speech starts and when it has ended, so the user simply stops
talking.  While the skill speaks, the Listener keeps listening (barge-in):
"stop", "wait", "repeat", "slower" or a warning sign cut the reply short;
anything else said over it is kept as the next turn, unless it is only the
skill's own words coming back through the speaker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .asr import Heard, Recognizer
from .audio import RATE, AudioError, read_wav
from .echo import Playing, is_echo
from .endpoint import FRAME, Endpoint, EndpointSettings

if TYPE_CHECKING:
    from .talk import Talk

SHORT_TURN_S = 3.0  # a whole short answer is said well within this; longer turns wait out the pause


def open_microphone() -> Any:
    """An open input stream, or AudioError saying why there is none."""
    try:
        import sounddevice as sd
    except OSError as exc:  # "PortAudio library not found"
        raise AudioError(f"the microphone cannot be used: {exc} (install libportaudio2)") from None
    try:
        devices = sd.query_devices()
    except Exception as exc:
        raise AudioError(f"the microphone cannot be used: {exc}") from None
    if not any(d.get("max_input_channels", 0) > 0 for d in devices):
        raise AudioError("no microphone (audio input device) was found")
    frames = int(FRAME * RATE)
    try:
        stream = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=frames)
        stream.start()
    except Exception as exc:  # PortAudioError: busy, unplugged, no permission
        raise AudioError(f"the microphone could not be opened: {exc}") from None
    return stream


def drain(stream: Any) -> None:
    """Drop what the microphone picked up while the skill was speaking: it
    would otherwise hear its own voice as the user's answer."""
    waiting = stream.read_available
    if waiting > 0:
        stream.read(waiting)


def listen(
    stream: Any, rec: Recognizer, silence_timeout: float, complete: Callable[[Heard], bool] | None = None
) -> Heard | None:
    """One utterance from the stream, or None after ``silence_timeout`` seconds with no speech.

    Audio is fed to the recognizer while the user speaks, so little is left
    to do when they stop.  A recognizer that can look at the turn so far
    (``peek``) is asked at each short pause; if ``complete`` finds what it
    heard a whole answer, the turn ends there.
    """
    peek = getattr(rec, "peek", None) if complete is not None else None
    from pocketsphinx import Vad

    vad = Vad(Vad.LOOSE, RATE, FRAME)
    ep = Endpoint()
    fed = False
    while not ep.ended:
        frame = bytes(stream.read(vad.frame_bytes // 2)[0])
        audio = ep.push(frame, vad.is_speech(frame))
        if audio:
            if not fed:
                rec.start()
                fed = True
            rec.feed(audio)
            if peek is not None and complete is not None and ep.pausing and ep.spoken <= SHORT_TURN_S:
                heard = peek()
                if complete(heard):
                    rec.start()  # the turn is over: nothing of it is left for the next
                    return heard
        elif ep.waited > silence_timeout:
            return None
    return rec.finish()


# Cutting in needs a quicker end of turn than answering: a word said over a reply ends after this
# much quiet (an answer waits 0.8 s, to allow a pause to think).
BARGE_IN = replace(EndpointSettings(), end_quiet=0.15, max_utterance=6.0)
ECHO_SHARE = 0.6  # a hypothesis this much made of the words being said is the skill's own voice
ECHO_MIN_WORDS = 3


class Listener:
    """The microphone for a whole conversation: a turn at a time, and meanwhile (barge-in)."""

    def __init__(self, stream: Any, rec: Recognizer, talk: Talk) -> None:
        from pocketsphinx import Vad

        self.stream = stream
        self.rec = rec
        self.talk = talk
        self.vad = Vad(Vad.LOOSE, RATE, FRAME)
        self.kept: list[str] = []  # said over a reply, not cutting in: the next turn
        self._ep: Endpoint | None = None  # an utterance being heard meanwhile
        self._fed = False
        self._audio = bytearray()  # the utterance being heard meanwhile, to compare with the reply

    def turn(self, silence_timeout: float) -> Heard | None:
        if self.kept:
            return Heard(self.kept.pop(0), 1.0)
        if self._ep is None:
            drain(self.stream)  # what it picked up while nobody was listening (its own voice)
        self._ep = None
        self.rec.expect(self.talk.expected())
        session = self.talk.session
        # only a yes/no question can be answered whole in a word or two
        complete = (lambda h: session.complete_answer(_hearing(h))) if session.pending().yes_no else None
        return listen(self.stream, self.rec, silence_timeout, complete=complete)

    def meanwhile(self, seconds: float) -> str | None:
        """An utterance said while the skill talks or holds a silence: looked for in what the
        microphone has now (``seconds`` 0) or over the next ``seconds``, and followed to its end."""
        spent = 0.0
        while True:
            available = getattr(self.stream, "read_available", 0)
            if (
                spent >= seconds
                and available < self.vad.frame_bytes // 2
                and (self._ep is None or not self._ep.started)
            ):
                return None
            frame = bytes(self.stream.read(self.vad.frame_bytes // 2)[0])
            spent += FRAME
            if self._ep is None:
                self._ep = Endpoint(BARGE_IN)
                self._fed = False
            audio = self._ep.push(frame, self.vad.is_speech(frame))
            if audio:
                if not self._fed:
                    self.rec.start()
                    self._fed = True
                    self._audio.clear()
                self.rec.feed(audio)
                self._audio.extend(audio)
            if self._ep.ended:
                self._ep = None
                ended = time.monotonic()
                if is_echo(np.frombuffer(bytes(self._audio), dtype="<i2"), ended, self._playing()):
                    self.rec.finish()
                    continue  # the reply itself, coming back through the speaker
                heard = self.rec.finish()
                text = _best(heard)
                if text and not self._echo(text):
                    return text
            elif not self._ep.started and spent >= seconds and seconds > 0:
                return None

    def _playing(self) -> Playing | None:
        """The reply playing now, its samples read only when something was heard over it."""
        now = self.talk.speaker.now_playing
        if now is None:
            return None
        path, started = now
        return Playing(np.frombuffer(read_wav(path).data, dtype="<i2"), started)

    def keep(self, text: str) -> None:
        self.kept.append(text)

    def _echo(self, text: str) -> bool:
        """Whether what was heard is the skill's own reply coming back through the speaker."""
        words = re.findall(r"[a-z']+", text.lower())
        own = set(re.findall(r"[a-z']+", self.talk.speaking.lower()))
        if not words or not own or sum(w in own for w in words) < ECHO_SHARE * len(words):
            return False
        # Several words of the reply are the reply, even with "stop" among them ("... or stop to finish");
        # a word or two that stops it is taken as the user's: better to stop than to talk over them.
        return len(words) >= ECHO_MIN_WORDS or not self.talk.session.cuts_in(text)


def _best(heard: Heard) -> str:
    if heard.text:
        return heard.text
    return heard.alternatives[0][0] if heard.alternatives else ""


def _hearing(heard: Heard) -> Any:
    from .talk import hearing

    return hearing(heard)
