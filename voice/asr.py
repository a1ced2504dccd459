"""Speech recognizers behind one small interface.

Both recognizers listen only for the phrases the intent templates allow.
Speech outside them comes back as ``Heard("", 0.0)``: not understood, so the
skill re-asks instead of acting on the nearest phrase.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .audio import RATE
from .endpoint import EndpointSettings
from .gate import NoiseGate
from .grammar import Grammar, build_grammar, vocabulary

# How much likelier the intents that answer the pending question are made.
FAVOUR = 8.0


@dataclass(frozen=True)
class Heard:
    text: str  # "" when nothing the skill understands was heard
    confidence: float  # 0..1

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


# -- pocketsphinx --------------------------------------------------------------

# The phone set of the US-English acoustic model that pocketsphinx ships.
PHONES = "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()
GARBAGE_PREFIX = "gb_"


@dataclass(frozen=True)
class SphinxTuning:
    """Chosen on bench/dev.yaml (see bench/); the held-out set only measures them."""

    lw: float = 4.0  # language weight: enough for the grammar's branching to count against odd phrases
    garbage_entry: float = 1e-4  # price of taking the free-phone path at all: keeps "no" from it
    garbage_per_phone: float = 1e-5  # and of each phone on it
    gate: bool = True  # silence the pauses first (voice/gate.py)


class PocketsphinxRecognizer:
    """pocketsphinx with a finite-state grammar from the templates.

    The audio first passes a noise gate (voice/gate.py): the model takes a
    faint hiss in the pauses for speech sounds.
    Rejection: a loop of free phones competes with the grammar as a whole
    utterance; speech that is not a known phrase fits it better and is
    rejected.  Confidence: how well the phones of the recognized phrase agree
    with an unconstrained phone decoding of the same audio.
    """

    name = "pocketsphinx"

    def __init__(self, templates: Mapping[str, Any], tuning: SphinxTuning | None = None) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RecognizerError(f"pocketsphinx is not installed ({exc}); run ./run.sh to set up") from None
        self.tuning = tuning or SphinxTuning()
        # lm=None: the grammar replaces the default language model, so do not
        # load it (about 60 MB).
        self.decoder = pocketsphinx.Decoder(logfn="/dev/null", lm=None, lw=self.tuning.lw, bestpath=False)
        for phone in PHONES:
            self.decoder.add_word(GARBAGE_PREFIX + phone.lower(), phone, update=False)
        self.decoder.add_allphone_file("phones", pocketsphinx.get_model_path("en-us-phone.lm.bin"))
        self.grammar: Grammar = build_grammar(templates, known=lambda w: self.decoder.lookup_word(w) is not None)
        # The search is built on the first expect() or start(): a conversation
        # expects its opening answers at once, so building one here would be thrown away.
        self._favoured: frozenset[str] | None = None
        self._search = ""
        self._builds = 0
        self._audio = bytearray()
        self._gate = NoiseGate() if self.tuning.gate else None

    def expect(self, intents: Collection[str]) -> None:
        favoured = frozenset(intents) & set(self.grammar.entries)
        if favoured != self._favoured:
            self._load_search(favoured)

    def start(self) -> None:
        if self._favoured is None:
            self._load_search(frozenset())
        self._audio.clear()
        if self._gate is not None:
            self._gate.reset()
        self.decoder.activate_search(self._search)
        self.decoder.start_utt()

    def feed(self, pcm: bytes) -> None:
        self._decode(self._gate.process(pcm) if self._gate is not None else pcm)

    def _decode(self, pcm: bytes) -> None:
        if pcm:
            self._audio += pcm
            self.decoder.process_raw(pcm, full_utt=False)

    def finish(self) -> Heard:
        if self._gate is not None:
            self._decode(self._gate.flush())
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        text = hyp.hypstr.strip() if hyp is not None else ""
        if not text or any(w.startswith(GARBAGE_PREFIX) for w in text.split()):
            return Heard("", 0.0)
        return Heard(text, self._agreement(text))

    def _agreement(self, text: str) -> float:
        expected = [p for w in text.split() for p in (self.decoder.lookup_word(w) or "").split()]
        self.decoder.activate_search("phones")
        self.decoder.start_utt()
        self.decoder.process_raw(bytes(self._audio), full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        heard = [p for p in (hyp.hypstr.split() if hyp else []) if p.isalpha() and p != "SIL"]
        return round(1.0 - edit_distance(expected, heard) / max(len(expected), len(heard), 1), 3)

    def _load_search(self, favoured: frozenset[str]) -> None:
        """Replace the grammar search with one favouring these intents.

        Only one is kept: each search holds about 80 MB of decoder state, so
        caching one per question would grow without bound over a check-in.
        Building takes a few tenths of a second; the microphone keeps
        buffering meanwhile, so nothing said is lost.
        """
        if self._favoured is not None:
            self.decoder.remove_search(self._search)
        self._builds += 1
        self._search = name = f"grammar{self._builds}"
        g = self.grammar
        arcs: list[tuple[Any, ...]] = [
            a if a[3] is not None else a[:3] for a in g.weighted(dict.fromkeys(favoured, FAVOUR))
        ]
        loop = g.n_states  # the free-phone state, one past the grammar's own
        arcs.append((g.start, loop, self.tuning.garbage_entry))
        for phone in PHONES:
            word = GARBAGE_PREFIX + phone.lower()
            arcs.append((loop, loop, self.tuning.garbage_per_phone, word))
            arcs.append((loop, g.final, self.tuning.garbage_per_phone, word))
        self.decoder.add_fsg(name, self.decoder.create_fsg(name, g.start, g.final, arcs))
        self._favoured = favoured


def edit_distance(a: list[str], b: list[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


# -- vosk ------------------------------------------------------------------------


class VoskRecognizer:
    """vosk with its phrase-list grammar: the template vocabulary plus "[unk]",
    which takes speech outside it.  A result with "[unk]" is rejected."""

    name = "vosk"

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
        self._phrases = json.dumps([*vocabulary(templates), "[unk]"])
        self._rec: Any = None

    def expect(self, intents: Collection[str]) -> None:
        """vosk's grammar cannot be weighted; every phrase stays equally likely."""

    def start(self) -> None:
        self._rec = self._vosk.KaldiRecognizer(self.model, 16000, self._phrases)
        self._rec.SetWords(True)

    def feed(self, pcm: bytes) -> None:
        self._rec.AcceptWaveform(pcm)

    def finish(self) -> Heard:
        result = json.loads(self._rec.FinalResult())
        words = result.get("result", [])
        text = result.get("text", "").strip()
        if not text or "[unk]" in text.split():
            return Heard("", 0.0)
        confidence = min((float(w.get("conf", 1.0)) for w in words), default=1.0)
        return Heard(text, round(confidence, 3))


def open_recognizer(kind: str, templates: Mapping[str, Any], model: str | None = None) -> tuple[Recognizer, str]:
    """The recognizer asked for, and a note for the user (empty when nothing to say).

    ``auto`` uses vosk when a model is found, else pocketsphinx, and says so.
    """
    from .models import find_vosk_model

    if kind not in ("auto", "vosk", "pocketsphinx"):
        raise RecognizerError(f"unknown recognizer {kind!r}; choose auto, vosk or pocketsphinx")
    if kind == "pocketsphinx":
        return PocketsphinxRecognizer(templates), ""
    found, looked = find_vosk_model(model)
    if found is None:
        if kind == "vosk":
            raise RecognizerError(
                f"no vosk model found ({looked}). Run 'twitchcheck model download', "
                "or give --model DIR or set TWITCHCHECK_VOSK_MODEL."
            )
        note = (
            f"No vosk model found ({looked}); using pocketsphinx, which needs no download. "
            "For vosk, run 'twitchcheck model download'."
        )
        return PocketsphinxRecognizer(templates), note
    return VoskRecognizer(templates, found), ""
