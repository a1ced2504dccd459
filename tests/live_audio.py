"""A sound card stood in by clocks, for barge-in tests and bench/bargein_bench.py: a microphone that
delivers its audio in real time, and a player that takes as long as the reply lasts."""

from __future__ import annotations

import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice.audio import RATE, read_wav


def room(echo_db: float, seed: int = 7) -> np.ndarray:
    """How a bedroom carries the speaker's sound to the microphone: the direct sound 20 ms later and
    ``echo_db`` quieter, then reflections dying away over about 100 ms."""
    ir = np.zeros(int(0.15 * RATE))
    direct = int(0.02 * RATE)
    ir[direct] = 1.0
    late = np.arange(ir.size - direct - 40)
    ir[direct + 40 :] += np.random.default_rng(seed).normal(0, 0.25, late.size) * np.exp(-late / (0.03 * RATE))
    return ir * 10 ** (-echo_db / 20)


class LiveStream:
    """A microphone in real time: ``read`` returns each frame once its moment has come.  Given the
    player (``echo``), what it plays comes back into the microphone ``echo_db`` quieter, as from a
    speaker across the room with no echo cancellation."""

    def __init__(self, pcm: bytes, echo: Clock | None = None, echo_db: float = 12.0) -> None:
        self.pcm, self.pos, self.t0 = pcm, 0, time.monotonic()
        self.echo, self.room = echo, room(echo_db)

    @property
    def read_available(self) -> int:
        arrived = int((time.monotonic() - self.t0) * RATE) * 2
        return max(0, (arrived - self.pos) // 2)

    def read(self, frames: int) -> tuple[bytes, bool]:
        due = self.t0 + (self.pos // 2 + frames) / RATE
        time.sleep(max(0.0, due - time.monotonic()))
        chunk = self.pcm[self.pos : self.pos + 2 * frames]
        chunk += bytes(2 * frames - len(chunk))
        if self.echo is not None:
            sound = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
            tail = self.room.size - 1
            played = self.echo.sound(self.t0 + (self.pos // 2 - tail) / RATE, frames + tail)
            sound += np.convolve(played, self.room, mode="valid")
            chunk = np.clip(sound, -32768, 32767).astype("<i2").tobytes()
        self.pos += 2 * frames
        return chunk, False


OUTPUT_LATENCY_S = 0.03  # from "play" to the sound leaving the speaker: constant here, not on a real sound card


@dataclass
class Span:
    """A piece of a reply played: its samples (16 kHz), when it started, and when it was cut off."""

    samples: np.ndarray
    began: float
    until: float = float("inf")


class Clock:
    """Plays replies by taking as long as they last, asking ``stop`` every 20 ms as the real player
    does.  Records, for the first reply, when it first fell silent (paused or stopped), how often,
    and whether it ran to its end (a paused reply carries on as a piece of its own, "rest.wav")."""

    def __init__(self) -> None:
        self.cut_at: float | None = None  # the first moment the first reply fell silent before its end
        self.silences = 0
        self.finished = False  # the first reply ran to its end
        self._replies = 0
        self._spans: list[Span] = []  # what was played, for its echo

    def sound(self, at: float, frames: int) -> np.ndarray:
        """What was playing over ``frames`` samples from the moment ``at`` (16 kHz)."""
        out = np.zeros(frames)
        for span in self._spans:
            idx = np.arange(frames) + int(round((at - span.began) * RATE))
            on = (idx >= 0) & (idx < span.samples.size) & (span.began + idx / RATE < span.until)
            out[on] += span.samples[idx[on]]
        return out

    def play(self, path: Path, stop: Callable[[], bool] | None = None) -> bool:
        if path.name != "rest.wav":
            self._replies += 1
        first = self._replies == 1
        began = time.monotonic() + OUTPUT_LATENCY_S
        with wave.open(str(path)) as w:
            seconds = w.getnframes() / w.getframerate()
        span = Span(np.frombuffer(read_wav(path).data, dtype="<i2").astype(np.float64), began)
        self._spans.append(span)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if stop is not None and stop():
                span.until = time.monotonic()
                if first:
                    self.cut_at = self.cut_at or time.monotonic()
                    self.silences += 1
                return False
            time.sleep(0.02)
        self.finished = self.finished or first
        return True
