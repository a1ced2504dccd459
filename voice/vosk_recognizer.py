"""vosk, open vocabulary, with alternatives: needs a model the user puts on disk (voice/models.py)."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from .asr import Heard, RecognizerError
from .audio import RATE


class VoskRecognizer:
    """vosk, open vocabulary, with its N-best list (SetMaxAlternatives): what was
    said is left to understanding, as with Whisper.  Needs a model on disk."""

    name = "vosk"
    ALTERNATIVES = 5
    # vosk's alternative "confidence" is a lattice score, not a probability: the
    # chances are a softmax over the alternatives at this temperature (not yet
    # calibrated: no vosk English model is available on the machines this is built on).
    TEMPERATURE = 10.0

    def __init__(self, templates: Mapping[str, Any], model_dir: Path) -> None:
        from .models import check_vosk_model

        check_vosk_model(model_dir)
        try:
            import vosk
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RecognizerError(f"vosk is not installed ({exc}); run ./run.sh to set up") from None
        vosk.SetLogLevel(-1)
        try:
            self.model = vosk.Model(str(model_dir))
        except Exception as exc:
            raise RecognizerError(
                f"the vosk model in {model_dir} could not be loaded ({exc}); "
                "run 'twitchcheck model download' again or point --model at a whole model"
            ) from None
        self._vosk = vosk
        self._rec: Any = None

    def expect(self, intents: Collection[str]) -> None:
        """Open vocabulary: understanding weighs the hypotheses against the question."""

    def start(self) -> None:
        self._rec = self._vosk.KaldiRecognizer(self.model, RATE)
        self._rec.SetMaxAlternatives(self.ALTERNATIVES)

    def feed(self, pcm: bytes) -> None:
        self._rec.AcceptWaveform(pcm)

    def forget(self) -> None:
        """Nothing carries over: each utterance has a recognizer of its own."""

    def finish(self) -> Heard:
        return vosk_heard(json.loads(self._rec.FinalResult()), self.TEMPERATURE)


def vosk_heard(result: Mapping[str, Any], temperature: float) -> Heard:
    """vosk's final result, with or without alternatives, as a Heard with its N-best list."""
    found = result.get("alternatives")
    if found is None:
        found = [{"text": result.get("text", ""), "confidence": 0.0}]
    texts = [(str(a.get("text", "")).strip(), float(a.get("confidence", 0.0))) for a in found]
    texts = [(t, c) for t, c in texts if t]
    if not texts:
        return Heard("", 0.0)
    top = max(c for _, c in texts)
    weights = [math.exp((c - top) / temperature) for _, c in texts]
    total = sum(weights)
    alternatives = tuple((t, round(w / total, 3)) for (t, _), w in zip(texts, weights, strict=True))
    return Heard(alternatives[0][0], alternatives[0][1], alternatives=alternatives)
