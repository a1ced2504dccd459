"""Test speech for the pocketsphinx benches (fit_verifier.py, endpoint_bench.py): phrases spoken by
the synthetic voices, as the microphone path hands them to a recognizer."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice.asr import Heard, Recognizer  # noqa: E402
from voice.audio import RATE, read_wav  # noqa: E402
from voice.endpoint import EndpointSettings  # noqa: E402
from voice.synth import synthesize, with_noise  # noqa: E402

CHUNK = 480 * 2  # 30 ms of 16 kHz int16, as the microphone delivers it


def synth(text: str, voice: str, folder: Path) -> bytes:
    return read_wav(synthesize(text, voice, folder / "utterance.wav")).data


def as_heard(
    pcm: bytes, snr_db: float | None, rng: np.random.Generator, noise: str = "white", pre_roll: float | None = None
) -> bytes:
    """The utterance as the microphone path hands it over: the endpointer's pre-roll before it (or
    pre_roll seconds) and its stretch of quiet after, with noise at the given SNR (None: clean)."""
    ep = EndpointSettings()
    lead = ep.pre_roll if pre_roll is None else pre_roll
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    x = np.concatenate([np.zeros(int(lead * RATE)), x, np.zeros(int(ep.end_quiet * RATE))])
    if snr_db is None:
        return x.astype("<i2").tobytes()
    return with_noise(x, snr_db, rng, noise)


def synthesized(
    texts: list[str],
    voices: list[str],
    snrs: list[float | None],
    rng: np.random.Generator,
    folder: Path,
    noise: str = "white",
    pre_roll: float | None = None,
) -> dict[tuple[str, str, float | None], bytes]:
    """Each text in each voice, as heard at each noise level."""
    audio = {}
    for voice in voices:
        for text in texts:
            clean = synth(text, voice, folder)
            for snr in snrs:
                audio[(text, voice, snr)] = as_heard(clean, snr, rng, noise, pre_roll)
    return audio


def streamed(rec: Recognizer, pcm: bytes) -> tuple[Heard, float]:
    """Feed the audio in microphone-sized chunks, as it would arrive; return what was heard and
    the moment the last chunk went in (end of speech)."""
    rec.start()
    for i in range(0, len(pcm), CHUNK):
        rec.feed(pcm[i : i + CHUNK])
    end = time.perf_counter()
    return rec.finish(), end
