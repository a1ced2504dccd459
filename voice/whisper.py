"""Whisper (faster-whisper on CTranslate2): open speech, with an N-best list.

Whisper hears whole sentences in a person's own words; what they mean is
left to understanding (intents/), which takes the best hypothesis it can make
sense of (dialog.Session.considered).  The model ships inside a pinned
registry package (voice/whisper_model.py), so nothing is downloaded.

Decoding is done by hand on the CTranslate2 model underneath faster-whisper
rather than with ``transcribe()``: that returns one hypothesis, and pads
every utterance to Whisper's 30 s window, about four times the work of the
window one spoken turn needs.
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dialog import ConfirmPolicy

from .asr import Heard, RecognizerError
from .audio import RATE
from .whisper_model import find_whisper_model

FRAMES_PER_S = 100  # Whisper's log-mel features: one frame per 10 ms


@dataclass(frozen=True)
class WhisperTuning:
    """Chosen on the tuning voices and lines (bench/asr_bench.py --set tuning); see docs/recognition.md."""

    beam: int = 5
    hypotheses: int = 5
    # The shortest input window.  A turn is shorter than 10 s; a longer one
    # gets a window that holds it, up to Whisper's 30 s.
    window_s: float = 10.0
    max_window_s: float = 30.0
    max_tokens: int = 120  # a long spoken turn is under 100 tokens
    # Nothing was said when Whisper rates "no speech" above this and its best
    # hypothesis is poor (faster-whisper's own rule for skipping a segment).
    no_speech_above: float = 0.6
    poor_logprob: float = -1.0
    # A hypothesis's chance of being understood as said: a logistic in its mean
    # token log-probability and Whisper's "no speech" probability, fitted on the
    # tuning lines and voices (bench/asr_bench.py --set tuning --fit).
    intercept: float = 1.015
    per_logprob: float = 1.602
    per_no_speech: float = -0.209
    # "Did you say ...?" below this chance, and for a "no" to a screening question
    # below the second: on the tuning voices, turns at 0.6 or more were understood
    # as said 77% of the time (most of the rest a value or a side heard
    # differently), 0.5-0.6 52%, below 0.5 about a third.
    confirm_below: float = 0.5
    sure_all_clear: float = 0.6
    # An answer in so many words ("nope") heard with at least this chance is taken as heard: on the
    # tuning voices (bench/confirm_bench.py --set tuning), clean and at 20 and 10 dB, 123 of 128 such
    # turns were right, and none of the 16 "no"s heard for another answer to a screening question
    # was said in so many words.
    clear_at_least: float = 0.15
    threads: int = 2

    @property
    def confirm_policy(self) -> ConfirmPolicy:
        return ConfirmPolicy(
            confirm_below=self.confirm_below, sure_all_clear=self.sure_all_clear, clear_at_least=self.clear_at_least
        )

    def chance(self, avg_logprob: float, no_speech: float) -> float:
        z = self.intercept + self.per_logprob * avg_logprob + self.per_no_speech * no_speech
        return round(1.0 / (1.0 + math.exp(-z)), 3)


class WhisperRecognizer:
    """Whisper tiny.en (or any faster-whisper model directory) behind the Recognizer interface."""

    name = "whisper"

    def __init__(self, model_dir: str | Path | None = None, tuning: WhisperTuning | None = None) -> None:

        self.tuning = tuning or WhisperTuning()
        self.model_dir = find_whisper_model(model_dir)
        _without_pyav()
        try:
            from faster_whisper import WhisperModel
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import get_suppressed_tokens
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RecognizerError(f"faster-whisper is not installed ({exc}); run ./run.sh to set up") from None
        try:
            self.model = WhisperModel(
                str(self.model_dir), device="cpu", compute_type="int8", cpu_threads=self.tuning.threads
            )
        except Exception as exc:  # CTranslate2 raises RuntimeError for a bad model file
            raise RecognizerError(
                f"the Whisper model in {self.model_dir} could not be loaded ({exc}); "
                "give --model a whole faster-whisper model folder, or reinstall with ./run.sh"
            ) from None
        multilingual = self.model.model.is_multilingual
        self._tokenizer = Tokenizer(self.model.hf_tokenizer, multilingual, task="transcribe", language="en")
        self._suppress = list(get_suppressed_tokens(self._tokenizer, [-1]))
        # No prompt of the skill's words: measured, it let more misheard turns be acted on (docs/recognition.md).
        self._prompt = self.model.get_prompt(self._tokenizer, [], without_timestamps=True)
        self._audio = bytearray()
        self.confirm_policy = self.tuning.confirm_policy  # its chances are calibrated to these thresholds
        self.last_scores: tuple[float, float] = (0.0, 1.0)  # the best's mean log-probability, and "no speech"

    def expect(self, intents: Collection[str]) -> None:
        """Whisper listens for anything; understanding weighs the hypotheses against the question."""

    def start(self) -> None:
        self._audio.clear()

    def feed(self, pcm: bytes) -> None:
        self._audio += pcm

    def forget(self) -> None:
        """Nothing carries over from one utterance to the next."""

    def peek(self) -> Heard:
        """What the turn so far sounds like, without ending it."""
        samples = np.frombuffer(bytes(self._audio), dtype="<i2").astype(np.float32) / 32768.0
        return self.decode(samples) if samples.size >= RATE // 10 else Heard("", 0.0)

    def finish(self) -> Heard:
        samples = np.frombuffer(bytes(self._audio), dtype="<i2").astype(np.float32) / 32768.0
        self._audio.clear()
        if samples.size < RATE // 10:  # under 0.1 s: nothing to hear
            return Heard("", 0.0)
        return self.decode(samples)

    def decode(self, samples: np.ndarray) -> Heard:
        t = self.tuning
        seconds = samples.size / RATE
        window = min(t.max_window_s, max(t.window_s, math.ceil(seconds + 1.0)))
        # padded with silence to the window, as Whisper was trained: on a
        # 30 s window, short speech followed by quiet
        padded = np.zeros(int(window * RATE), dtype=np.float32)
        padded[: min(samples.size, padded.size)] = samples[: padded.size]
        features = self.model.feature_extractor(padded)[:, : int(window * FRAMES_PER_S)]
        encoded = self.model.encode(features)
        result: Any = self.model.model.generate(
            encoded,
            [self._prompt],
            beam_size=t.beam,
            num_hypotheses=t.hypotheses,
            max_length=len(self._prompt) + t.max_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
        )[0]
        no_speech = float(result.no_speech_prob)
        alternatives: list[tuple[str, float]] = []
        for ids, score in zip(result.sequences_ids, result.scores, strict=True):
            text = unrepeated(self._tokenizer.decode(ids).strip())
            # scores are cumulative log-probability over length (length_penalty 1): the mean per token
            if text and text not in (a for a, _ in alternatives):
                alternatives.append((text, t.chance(float(score), no_speech)))
        if not alternatives:
            return Heard("", 0.0)
        best_score = float(result.scores[0])
        self.last_scores = (best_score, no_speech)
        if no_speech > t.no_speech_above and best_score < t.poor_logprob:
            return Heard("", 0.0, unsure=alternatives[0][0])
        text, chance = alternatives[0]
        return Heard(text, chance, alternatives=tuple(alternatives))


def _without_pyav() -> None:
    """faster-whisper imports PyAV (about 18 MB) to decode audio files; twitchcheck hands it samples
    it has read itself, so a stand-in takes PyAV's place unless the real one is already loaded."""
    if "av" not in sys.modules:
        sys.modules["av"] = types.ModuleType("av", "not loaded by twitchcheck (voice/whisper.py)")


def unrepeated(text: str) -> str:
    """A hypothesis said twice over ("Tell me more Tell me more") said once: Whisper sometimes
    fills the quiet after a short turn by repeating it."""
    words = text.split()
    for times in (3, 2):
        n, rest = divmod(len(words), times)
        if n and not rest and len({_bare(" ".join(words[i * n : (i + 1) * n])) for i in range(times)}) == 1:
            return " ".join(words[:n])
    return text


def _bare(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch == " ").strip()
