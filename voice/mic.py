"""The microphone: a 16 kHz mono stream, fed to the recognizer as it arrives.

WebRTC voice activity detection (from pocketsphinx) and endpoint.Endpoint
decide when speech starts and when it has ended, so the user simply stops
talking.  While the skill speaks, the Listener keeps listening (barge-in): as
soon as someone is heard speaking over the reply, and it is not the reply's
own sound coming back, the reply falls silent; "stop", "wait", "repeat",
"slower" or a warning sign end it, anything else is kept as the next turn and
the reply carries on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dialog import words_of

from . import aec
from .aec import EchoCanceller
from .asr import Heard, Recognizer
from .audio import RATE, AudioError, read_wav
from .echo import Playing, is_echo
from .endpoint import FRAME, Endpoint, EndpointSettings, frame_db, frames

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
HOLD_AFTER_S = 0.06  # this much into an utterance heard over a reply (after the start's 0.12 s), it falls silent
HOLD_LOOK_S = 0.3  # the stretch compared with the reply to tell its echo apart, that soon
HOLD_EVERY_S = 0.15  # and again this often while what is heard is the echo
CANCELLED_DB = 6.0  # the echo canceller took this much away: what was heard was mostly the reply
ECHO_SHARE = 0.6  # a hypothesis this much made of the words being said is the skill's own voice
ECHO_MIN_WORDS = 3
SUSPECT_WORDS = 4  # over a reply whose echo was once taken for a voice, longer utterances must name a sign


class Listener:
    """The microphone for a whole conversation: a turn at a time, and meanwhile (barge-in)."""

    def __init__(self, stream: Any, rec: Recognizer, talk: Talk) -> None:
        from pocketsphinx import Vad

        self.stream = stream
        self.rec = rec
        self.talk = talk
        self.vad = Vad(Vad.LOOSE, RATE, FRAME)
        self.kept: list[Heard] = []  # said over a reply, not cutting in: the next turn
        self._ep: Endpoint | None = None  # an utterance being heard meanwhile
        self._fed = False
        # the utterance being heard meanwhile as the microphone heard it, reply and all, to compare with
        # the reply: what the echo canceller leaves of the reply no longer resembles it
        self._audio = bytearray()
        self._raw: deque[bytes] = deque(maxlen=frames(BARGE_IN.pre_roll))
        self._clean = bytearray()  # the same without the reply (echo cancelled)
        self._held: bool | None = None  # whether that utterance is someone speaking over the reply
        self._look_at = HOLD_AFTER_S  # when, into the utterance, to look again whether it is the echo
        self._paused: Path | None = None  # the reply paused for the utterance being heard
        self._false_pause: Path | None = None  # a reply paused for what was not the user
        self._heard: Heard | None = None  # the last utterance heard meanwhile, with its confidence
        self._reply: tuple[Path, float, Playing] | None = None  # the reply playing, read once
        self.aec = EchoCanceller(self.vad.frame_bytes // 2) if aec.available() else None

    hears_own_voice = True

    def held(self) -> bool:
        """Whether someone is speaking over the reply now: the reply is silent until they finish.
        After one pause for nothing (the reply's own echo taken for a voice), not again during it."""
        return bool(self._held) and not self._echo_suspected()

    def turn(self, silence_timeout: float) -> Heard | None:
        if self.kept:
            return self.kept.pop(0)
        if self._ep is not None and self._ep.started:
            text = self.meanwhile(FRAME)  # they began while the reply was ending: heard to its end
            if text:
                return Heard(text, 1.0)
        if self._ep is None:
            drain(self.stream)  # what it picked up while nobody was listening (its own voice)
        self._ep = None
        self.rec.expect(self.talk.expected())
        session = self.talk.session
        # only a yes/no question can be answered whole in a word or two
        complete = (lambda h: session.complete_answer(_hearing(h))) if session.pending().yes_no else None
        return listen(self.stream, self.rec, silence_timeout, complete=complete)

    def meanwhile(self, seconds: float) -> str | None:
        """An utterance said while the skill talks or holds a silence.  With ``seconds`` 0, what the
        microphone has now is taken in and None returned until an utterance has ended (the player asks
        again every 20 ms); otherwise it listens over the next ``seconds`` and follows one to its end."""
        spent = 0.0
        while True:
            available = getattr(self.stream, "read_available", 0)
            if (
                spent >= seconds
                and available < self.vad.frame_bytes // 2
                and (seconds == 0 or self._ep is None or not self._ep.started)
            ):
                return None
            raw = bytes(self.stream.read(self.vad.frame_bytes // 2)[0])
            self._raw.append(raw)
            frame = self._cancelled(raw)  # heard without the reply, for the recognizer
            spent += FRAME
            if self._ep is None:
                self._ep = Endpoint(BARGE_IN)
                self._fed = False
                self._look_at = HOLD_AFTER_S
            audio = self._ep.push(frame, self.vad.is_speech(frame))
            if audio:
                if not self._fed:
                    self.rec.start()
                    self._fed = True
                    self._audio = bytearray(b"".join(self._raw))  # as heard, from the same moment
                    self._clean = bytearray(audio)
                else:
                    self._audio.extend(raw)
                    self._clean.extend(audio)
                self.rec.feed(audio)
                if not self._held and self._ep.spoken >= self._look_at:
                    # the latest stretch only: the audio kept from before the start may predate the
                    # reply, and a voice may start over the reply's echo within one utterance
                    self._look_at = self._ep.spoken + HOLD_EVERY_S
                    self._held = not self._is_reply(HOLD_LOOK_S)
                    if self._held and self.talk.speaker.now_playing is not None:
                        self._paused = self.talk.speaker.now_playing[0]
            if self._ep.ended:
                self._ep = None
                was_held, self._held = self._held, None
                paused, self._paused = self._paused, None
                # a voice found in it is decoded even if the rest sounds like the reply
                if not was_held and self._is_reply():
                    self.rec.finish()
                    continue  # the reply itself, coming back through the speaker
                heard = self.rec.finish()
                text = _best(heard)
                if paused is not None and not (text and self.talk.session.cuts_in(text)):
                    self._false_pause = paused  # paused for what did not stop it: not again in this reply
                if text and not self._echo(text):
                    self._heard = heard
                    return text
            elif not self._ep.started and spent >= seconds and seconds > 0:
                return None

    def _echo_suspected(self) -> bool:
        """Whether the reply playing has already paused for its own echo taken for a voice."""
        playing = self.talk.speaker.now_playing
        return playing is not None and playing[0] == self._false_pause

    def _is_reply(self, last_s: float | None = None) -> bool:
        """Whether the utterance heard meanwhile (its last ``last_s`` seconds) is the reply itself:
        it sounds like the reply, or the echo canceller took most of it away."""
        n = len(self._audio) // 2 if last_s is None else int(last_s * RATE)
        heard = np.frombuffer(bytes(self._audio), dtype="<i2")[-n:]
        playing = self._playing()
        if is_echo(heard, self._heard_at(), playing):
            return True
        if self.aec is None or playing is None:
            return False
        left = bytes(self._clean)[-2 * n :]
        # what the canceller took away, in dB: most of it gone, it was the reply
        return frame_db(heard.tobytes()) - frame_db(left) >= CANCELLED_DB

    def _heard_at(self) -> float:
        """When the frame just taken was heard: what is still waiting to be read came after it."""
        waiting = getattr(self.stream, "read_available", 0)
        return time.monotonic() - (waiting if isinstance(waiting, int) else 0) / RATE

    def _cancelled(self, frame: bytes) -> bytes:
        """The frame just taken with the reply playing meanwhile taken out (echo cancellation)."""
        if self.aec is None:
            return frame
        playing = self._playing()
        if playing is None:
            return frame  # nothing to take out; the canceller keeps what it learnt of the room
        n = len(frame) // 2
        at = int(round((self._heard_at() - n / RATE - playing.started) * RATE))
        ref = np.zeros(n, dtype=np.int16)
        lo, hi = max(at, 0), min(at + n, playing.samples.size)
        if hi > lo:
            ref[lo - at : hi - at] = playing.samples[lo:hi]
        return self.aec.cancel(frame, ref)

    def _playing(self) -> Playing | None:
        """The reply playing now (its samples read once per reply)."""
        now = self.talk.speaker.now_playing
        if now is None:
            return None
        path, started = now
        if self._reply is None or self._reply[:2] != (path, started):
            samples = np.frombuffer(read_wav(path).data, dtype="<i2")
            self._reply = (path, started, Playing(samples, started))
        return self._reply[2]

    def keep(self, text: str) -> None:
        """An utterance said over a reply that did not stop it: the next turn, as sure as it was heard."""
        heard = self._heard if self._heard is not None and _best(self._heard) == text else Heard(text, 1.0)
        self.kept.append(heard)

    def _echo(self, text: str) -> bool:
        """Whether what was heard is the skill's own reply coming back through the speaker."""
        words = words_of(text)
        if self._echo_suspected() and len(words) > SUSPECT_WORDS:
            # this reply's echo has already been taken for a voice: a long utterance over it is taken
            # as the user's only if it names a warning sign ("stop", "wait" are said in a word or two)
            return not self.talk.session.names_warning_sign(text)
        own = set(words_of(self.talk.speaking))
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
