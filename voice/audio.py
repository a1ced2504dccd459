"""Audio as the recognizers want it: 16 kHz, mono, 16-bit little-endian PCM.

WAV files of any rate, channel count and sample format libsndfile reads
(soundfile) are converted; anything else gets an error that says what the
file is and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000


class AudioError(Exception):
    """A problem with audio input, worded for the user."""


@dataclass(frozen=True)
class Pcm:
    data: bytes  # 16 kHz mono int16 little-endian
    cut_from: float | None = None  # the recording's whole length, when it was longer than a turn and cut
    cut_off: tuple[int, int] | None = None  # (bytes there, bytes its header promises): the file ends early

    @property
    def seconds(self) -> float:
        return len(self.data) / (2 * RATE)

    def rms(self) -> float:
        samples = np.frombuffer(self.data, dtype="<i2").astype(np.float64)
        return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


MAX_TURN_S = 30.0  # one spoken turn; a longer recording is cut here (Whisper hears 30 s at most)
SOX_HINT = "convert it with sox, e.g.: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav"


def read_wav(path: str | Path, max_seconds: float = MAX_TURN_S) -> Pcm:
    """A WAV file as 16 kHz mono PCM: any rate, channel count and sample format libsndfile reads
    (8/16/24/32-bit, float, WAVE_FORMAT_EXTENSIBLE), cut at ``max_seconds``."""
    import soundfile as sf

    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file")
    if p.is_dir():
        raise AudioError(f"{p}: is a folder, not a WAV file")
    size = p.stat().st_size
    if size == 0:
        raise AudioError(f"{p}: the file is empty (0 bytes): nothing was recorded in it")
    with p.open("rb") as f:
        head = f.read(12)
    if head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        raise AudioError(f"{p}: not a WAV file (record or convert it to WAV, e.g. with sox)")
    try:
        info = sf.info(str(p))
    except (RuntimeError, sf.LibsndfileError) as exc:
        if size < 44:
            raise AudioError(
                f"{p}: the WAV file is cut off after {size} bytes, before any audio; record it again"
            ) from None
        raise AudioError(f"{p}: a WAV file in a form that cannot be read ({_reason(exc)}); {SOX_HINT}") from None
    if info.frames <= 0:
        raise AudioError(f"{p}: the WAV file holds no audio")
    keep = min(info.frames, int(max_seconds * info.samplerate))
    try:
        data, rate = sf.read(str(p), frames=keep, dtype="float64", always_2d=True)
    except (RuntimeError, sf.LibsndfileError) as exc:
        raise AudioError(
            f"{p}: the audio in this {info.subtype_info} WAV cannot be read ({_reason(exc)}); {SOX_HINT}"
        ) from None
    if data.size == 0:
        raise AudioError(f"{p}: the WAV file is cut short and holds no whole sample")
    x = data.mean(axis=1)
    if rate != RATE:
        x = _resample(x, rate, RATE)
    pcm16 = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()
    promised = int.from_bytes(head[4:8], "little") + 8  # RIFF's own length; RF64 keeps it elsewhere
    cut_off = (size, promised) if head[:4] == b"RIFF" and size < promised < 0xFFFFFFFF else None
    return Pcm(pcm16, cut_from=info.duration if info.frames > keep else None, cut_off=cut_off)


def _reason(exc: Exception) -> str:
    return str(exc).split(": ", 1)[-1].strip() or type(exc).__name__


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
