"""Speech recognizers behind one small interface, and the choice among them.

Whisper (voice/whisper.py) and vosk (voice/vosk_recognizer.py) hear open
speech and hand over an N-best list; understanding takes the first
hypothesis that makes sense (dialog.Session.considered), so speech that
means nothing to the skill is rejected because nothing in it is understood.
pocketsphinx (voice/sphinx/) hears only template phrases, the light fallback.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .audio import RATE
from .endpoint import EndpointSettings


@dataclass(frozen=True)
class Heard:
    text: str  # "" when nothing the skill understands was heard
    confidence: float  # 0..1
    unsure: str = ""  # when rejected: the phrase found, too doubtful to act on
    # an open-vocabulary recognizer's N-best list, best first: (text, chance of being right);
    # understanding takes the first it can make sense of (dialog.Session.considered)
    alternatives: tuple[tuple[str, float], ...] = ()

    @property
    def rejected(self) -> bool:
        return not self.text


class Recognizer(Protocol):
    name: str

    def expect(self, intents: Collection[str]) -> None:
        """Favour these intents for the next utterance (all others stay possible)."""

    def start(self) -> None: ...

    def feed(self, pcm: bytes) -> None: ...

    def finish(self) -> Heard: ...

    def forget(self) -> None:
        """Drop what was learnt of the last speaker and room, as a fresh start would."""


def recognize(rec: Recognizer, pcm: bytes) -> Heard:
    """A whole utterance, such as a WAV file.  It gets the quiet before and
    after that the microphone's endpointer gives: a file cut tight to the
    speech otherwise leaves the decoder no quiet to measure the noise in and
    to end on, and short words like "no" are lost."""
    quiet = EndpointSettings()
    rec.start()
    rec.feed(bytes(2 * int(quiet.pre_roll * RATE)))
    rec.feed(pcm)
    rec.feed(bytes(2 * int(quiet.end_quiet * RATE)))
    return rec.finish()


class RecognizerError(Exception):
    """The recognizer cannot be used; the message says what to do."""


SHORT_WORDS = 2  # a phrase of at most this many words is a short answer


def is_short(text: str) -> bool:
    """One- and two-word answers ("no", "slow down"): the ones a recognizer finds hardest."""
    return len(text.split()) <= SHORT_WORDS


KINDS = ("auto", "whisper", "vosk", "pocketsphinx")


def chosen(kind: str, model: str | None = None) -> tuple[str, Path | None]:
    """Which recognizer ``open_recognizer`` takes, "whisper", "vosk" or "pocketsphinx", and the vosk
    model's folder when it is vosk.

    ``auto``: vosk when the user has put a vosk model on disk (it is theirs to
    choose), else Whisper, which installs with the project.  ``--model`` names
    a vosk or a faster-whisper model folder; which one is told by what is in it.
    Raises RecognizerError (or ModelError) when the one asked for cannot be had.
    """
    from .models import find_vosk_model, is_vosk_model

    if kind not in KINDS:
        raise RecognizerError(f"unknown recognizer {kind!r}; choose {', '.join(KINDS)}")
    if kind == "pocketsphinx":
        return kind, None
    if kind == "whisper" or (kind == "auto" and model and not is_vosk_model(Path(model).expanduser())):
        return "whisper", None
    found, looked = find_vosk_model(model)
    if found is not None:
        return "vosk", found
    if kind == "vosk":
        raise RecognizerError(
            f"no vosk model found ({looked}). Run 'twitchcheck model download', "
            "or give --model DIR or set TWITCHCHECK_VOSK_MODEL."
        )
    return "whisper", None


def open_recognizer(
    kind: str, templates: Mapping[str, Any], model: str | None = None, loaded: Recognizer | None = None
) -> tuple[Recognizer, str]:
    """The recognizer ``chosen`` names, and one line for the user saying which is used and why.
    ``loaded``: Whisper as ``whisper_first`` loaded it.  Whisper not asked for by name that cannot
    be loaded gives way to pocketsphinx."""
    if loaded is not None:
        return loaded, _whisper_note(model)
    which, found = chosen(kind, model)
    from .sphinx import PocketsphinxRecognizer

    if which == "pocketsphinx":
        return PocketsphinxRecognizer(templates), "Listening with pocketsphinx, as asked."
    if which == "vosk" and found is not None:
        from .vosk_recognizer import VoskRecognizer

        return VoskRecognizer(templates, found), f"Listening with vosk, from the model in {found}."
    if kind == "whisper" or model:
        return _whisper(model), _whisper_note(model)
    try:
        return _whisper(None), _whisper_note(None)
    except RecognizerError as exc:
        return PocketsphinxRecognizer(templates), f"Listening with pocketsphinx: {exc}."


def whisper_first(kind: str, model: str | None = None) -> Recognizer | None:
    """Whisper, loaded before anything else when it is what ``open_recognizer`` would choose.

    Loading it briefly takes about 100 MB more than it keeps (CTranslate2
    quantizes the model's float16 weights as it reads them); done before the
    content and the reader are in memory, that moment is not on top of them.
    None when another recognizer will be chosen, or Whisper cannot be loaded
    (``open_recognizer`` then says why, in its place).
    """
    from .models import ModelError

    try:
        return _whisper(model) if chosen(kind, model)[0] == "whisper" else None
    except (RecognizerError, ModelError):
        return None


def _whisper(model: str | None) -> Recognizer:
    from .whisper import WhisperRecognizer

    return WhisperRecognizer(model)


def _whisper_note(model: str | None) -> str:
    if model:
        return f"Listening with Whisper, from the model in {model}."
    return "Listening with Whisper tiny.en, which came with twitchcheck."
