"""Is what the microphone heard the skill's own voice?  Compared with the reply being played.

Without acoustic echo cancellation (PortAudio offers none), the speaker's sound reaches the
microphone while the skill talks.  The reply's samples are known, and so is when they started to
play, so an utterance heard meanwhile is compared with the part of the reply that was playing
then: a normalized cross-correlation near 1 is the reply coming back; a person's voice is
uncorrelated with it.  Pure: numpy in, a number out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 8000  # compared at 8 kHz: speech's energy is below 4 kHz, and it halves the work
SLACK_S = 0.6  # how far the microphone's clock and the player's may disagree (buffers, start-up)
ECHO_AT = 0.35  # at or above this correlation an utterance is the reply itself


@dataclass(frozen=True)
class Playing:
    """A reply being played: its samples (16 kHz mono int16) and when it started (time.monotonic)."""

    samples: np.ndarray
    started: float


def correlation(utterance: np.ndarray, reply: np.ndarray) -> float:
    """The highest normalized cross-correlation of ``utterance`` against any stretch of ``reply``."""
    u = utterance.astype(np.float64)
    r = reply.astype(np.float64)
    if u.size < RATE // 10 or r.size < u.size:
        return 0.0
    u = u - u.mean()
    un = np.sqrt(np.sum(u * u))
    if un == 0:
        return 0.0
    n = r.size + u.size
    size = 1 << (n - 1).bit_length()
    dots = np.fft.irfft(np.fft.rfft(r, size) * np.conj(np.fft.rfft(u, size)), size)[: r.size - u.size + 1]
    # each stretch's own energy, around its mean, for the normalization
    c1 = np.concatenate([[0.0], np.cumsum(r)])
    c2 = np.concatenate([[0.0], np.cumsum(r * r)])
    m = u.size
    sums = c1[m:] - c1[:-m]
    energy = np.maximum(c2[m:] - c2[:-m] - sums * sums / m, 1e-9)
    return float(np.max(dots / (un * np.sqrt(energy))))


def is_echo(utterance16k: np.ndarray, ended: float, playing: Playing | None) -> bool:
    """Whether an utterance that ended at ``ended`` (time.monotonic) is the reply playing then."""
    if playing is None or utterance16k.size == 0:
        return False
    u = utterance16k[::2]  # 16 kHz to 8 kHz; the endpointer's audio is already band-limited speech
    pad = int(SLACK_S * RATE)  # the reply was silent before it began: an utterance may start there
    r = np.concatenate([np.zeros(pad), playing.samples[::2]])
    start = ended - u.size / RATE - playing.started + SLACK_S  # where in r the utterance began
    lo = max(0, int((start - SLACK_S) * RATE))
    hi = min(r.size, int((start + u.size / RATE + SLACK_S) * RATE))
    if hi - lo < u.size:
        return False
    return correlation(u, r[lo:hi]) >= ECHO_AT
