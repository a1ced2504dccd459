"""Audio as the recognizers want it: 16 kHz, mono, 16-bit little-endian PCM.

WAV files of any common rate, channel count and sample width are converted;
anything else gets an error that says what was wrong and what to do.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000


class AudioError(Exception):
    """A problem with audio input, worded for the user."""


@dataclass(frozen=True)
class Pcm:
    data: bytes  # 16 kHz mono int16 little-endian

    @property
    def seconds(self) -> float:
        return len(self.data) / (2 * RATE)

    def rms(self) -> float:
        samples = np.frombuffer(self.data, dtype="<i2").astype(np.float64)
        return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def read_wav(path: str | Path) -> Pcm:
    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file")
    if p.is_dir():
        raise AudioError(f"{p}: is a folder, not a WAV file")
    try:
        with wave.open(str(p), "rb") as w:
            channels, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            frames = w.readframes(n)
    except (wave.Error, EOFError) as exc:
        head = p.read_bytes()[:4]
        if head != b"RIFF":
            raise AudioError(f"{p}: not a WAV file (record or convert it to WAV, e.g. with sox)") from None
        raise AudioError(f"{p}: a damaged WAV file ({exc}); record it again") from None
    if width not in (1, 2, 3, 4):
        raise AudioError(f"{p}: {8 * width}-bit samples are not supported; use 8, 16, 24 or 32-bit PCM")
    if n == 0 or not frames:
        raise AudioError(f"{p}: the WAV file holds no audio")
    usable = len(frames) // (width * channels) * width * channels
    if usable == 0:
        raise AudioError(f"{p}: the WAV file is cut short and holds no whole sample")
    return Pcm(to_pcm16k(frames[:usable], channels, width, rate))


def to_pcm16k(frames: bytes, channels: int, width: int, rate: int) -> bytes:
    """Mix down to mono, scale to 16 bits and resample to 16 kHz."""
    x = _samples(frames, width).reshape(-1, channels).mean(axis=1)
    if rate != RATE:
        x = _resample(x, rate, RATE)
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()


def _samples(frames: bytes, width: int) -> np.ndarray:
    """Samples as floats in [-1, 1]."""
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    if width == 3:
        b = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v & 0x800000, v - 0x1000000, v)
        return v.astype(np.float64) / 8388608.0
    return np.frombuffer(frames, dtype="<i4").astype(np.float64) / 2147483648.0


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Resample with a windowed-sinc low-pass when going down, so high
    frequencies do not fold into the speech band; linear interpolation after."""
    if src > dst:
        cutoff = dst / src / 2
        taps = np.arange(-32, 33)
        h = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.hamming(len(taps))
        x = np.convolve(x, h / h.sum(), mode="same")
    n_out = int(round(len(x) * dst / src))
    t = np.arange(n_out) * (src / dst)
    return np.interp(t, np.arange(len(x)), x)
