"""End-of-speech detection for the microphone: pure logic, fed one frame at a time.

A frame counts as speech when the voice activity detector says so *and* it
is clearly louder than the room's noise floor: WebRTC's detector alone calls
a steady fan or hiss speech forever.  An utterance starts after a little
speech (so a one-word "no" is enough) and ends after a stretch of quiet long
enough for a pause to think.  The audio just before the start is kept, so
the recognizer hears the first sound whole.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

FRAME = 0.03  # seconds per frame


@dataclass(frozen=True)
class EndpointSettings:
    start_window: float = 0.3  # an utterance starts when this window holds ...
    start_speech: float = 0.12  # ... at least this much speech
    end_quiet: float = 0.8  # and ends after this much quiet
    # Audio kept from before the start.  The denoiser and the gate learn the
    # room from it: with 0.3 s, a start noticed late under noise put the first
    # word into what they took for the room.  0.6 s on dev (bench/endpoint_bench.py
    # --dev), answers understood: white noise 20 dB 68% -> 81%, 10 dB 21% -> 39%.
    pre_roll: float = 0.6
    # After this much quiet, a recognizer that can look at the turn so far is
    # asked whether it is already a whole answer ("no" to a yes/no question):
    # then the turn ends without waiting out end_quiet.
    early_quiet: float = 0.3
    max_utterance: float = 20.0  # a stuck microphone must not hold the turn forever
    above_floor_db: float = 9.0  # how much louder than the noise floor speech must be
    floor_rise_db_per_s: float = 3.0  # the floor follows a room getting louder, slowly


def frame_db(frame: bytes) -> float:
    x = np.frombuffer(frame, dtype="<i2").astype(np.float64)
    return float(10 * np.log10(np.mean(x * x) + 1.0))


def follow_floor(floor: float | None, level: float, rise_db: float) -> float:
    """A room's noise floor, one frame on: down at once to a quieter frame, up
    only by rise_db (a room getting louder), so speech is never taken for it."""
    return level if floor is None else min(level, floor + rise_db)


@dataclass
class Endpoint:
    settings: EndpointSettings = field(default_factory=EndpointSettings)
    started: bool = False
    ended: bool = False
    spoken: float = 0.0  # seconds since the start
    waited: float = 0.0  # seconds before the start
    floor: float | None = None
    _recent: deque[bool] = field(default_factory=deque)
    _before: deque[bytes] = field(default_factory=deque)

    def push(self, frame: bytes, vad_speech: bool) -> bytes:
        """Take one frame; return the audio to give the recognizer now (often none)."""
        s = self.settings
        level = frame_db(frame)
        self.floor = follow_floor(self.floor, level, s.floor_rise_db_per_s * FRAME)
        speech = vad_speech and level > self.floor + s.above_floor_db
        if not self.started:
            self.waited += FRAME
            self._remember(self._recent, speech, s.start_window)
            self._remember(self._before, frame, s.pre_roll)
            if sum(self._recent) >= frames(s.start_speech):
                self.started = True
                self._recent.clear()
                return b"".join(self._before)
            return b""
        self.spoken += FRAME
        self._remember(self._recent, speech, s.end_quiet)
        quiet = len(self._recent) == frames(s.end_quiet) and not any(self._recent)
        self.ended = quiet or self.spoken >= s.max_utterance
        return frame

    @property
    def pausing(self) -> bool:
        """Whether the speaker has just been quiet for early_quiet: once per pause, the moment to
        look at whether the turn is already complete."""
        n = frames(self.settings.early_quiet)
        recent = list(self._recent)
        return self.started and len(recent) > n and recent[-n - 1] and not any(recent[-n:])

    @staticmethod
    def _remember(window: deque, item: object, seconds: float) -> None:
        window.append(item)
        while len(window) > frames(seconds):
            window.popleft()


def frames(seconds: float) -> int:
    return max(1, round(seconds / FRAME))
