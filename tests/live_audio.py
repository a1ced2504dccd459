"""A sound card stood in by clocks, for barge-in tests and bench/bargein_bench.py: a microphone that
delivers its audio in real time, and a player that takes as long as the reply lasts."""

from __future__ import annotations

import time
import wave
from collections.abc import Callable
from pathlib import Path

from voice.audio import RATE


class LiveStream:
    """A microphone in real time: ``read`` returns each frame once its moment has come."""

    def __init__(self, pcm: bytes) -> None:
        self.pcm, self.pos, self.t0 = pcm, 0, time.monotonic()

    @property
    def read_available(self) -> int:
        arrived = int((time.monotonic() - self.t0) * RATE) * 2
        return max(0, (arrived - self.pos) // 2)

    def read(self, frames: int) -> tuple[bytes, bool]:
        due = self.t0 + (self.pos // 2 + frames) / RATE
        time.sleep(max(0.0, due - time.monotonic()))
        chunk = self.pcm[self.pos : self.pos + 2 * frames]
        self.pos += 2 * frames
        return chunk + bytes(2 * frames - len(chunk)), False


class Clock:
    """Plays a reply by taking as long as it lasts, asking ``stop`` every 20 ms as the real player does."""

    def __init__(self) -> None:
        self.cut_at: float | None = None

    def play(self, path: Path, stop: Callable[[], bool] | None = None) -> bool:
        with wave.open(str(path)) as w:
            seconds = w.getnframes() / w.getframerate()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if stop is not None and stop():
                self.cut_at = time.monotonic()
                return False
            time.sleep(0.02)
        return True
