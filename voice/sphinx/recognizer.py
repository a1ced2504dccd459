"""pocketsphinx against a finite-state grammar built from the templates: the light fallback.

It hears only the phrases the templates allow.  Speech outside them comes
back rejected (``Heard.text`` empty): not understood, so the skill re-asks
instead of acting on the nearest phrase.  It also says which phrase it
doubted (``Heard.unsure``), so that the skill can confirm a warning sign
rather than drop it (dialog.Session.considered).  Its settings and the
evidence for them: docs/recognition.md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..asr import Heard, RecognizerError, is_short
from .denoise import Denoiser
from .gate import NoiseGate
from .grammar import Grammar, build_grammar
from .lexicon import MISSING
from .verify import Segment, Verifier, weigh

PHONES = "phones"  # the name of the free phone search
# How much likelier the intents that answer the pending question are made.
FAVOUR = 8.0


@dataclass(frozen=True)
class SphinxTuning:
    """Chosen on bench/dev.yaml (see bench/); the held-out set only measures them."""

    lw: float = 4.0  # language weight: enough for the grammar's branching to count against odd phrases
    # Gaussians scored per frame in each phone's codebook (of 128; the
    # default is 4).  16 on dev: the grammar finds the right phrase in 96.6%
    # clean (was 94.9%) and 93.2% at 20 dB (was 89.2%), for about a fifth more
    # CPU.  32 found no more; wider beams found a little more at three times the CPU.
    topn: int = 16
    denoise: bool = True  # take out a steady noise floor first (voice/denoise.py)
    gate: bool = True  # then silence the pauses (voice/gate.py)
    verifier: Verifier = Verifier()
    # The verifier's chance below which a phrase is rejected, set by
    # bench/fit_verifier.py so that 90% of off-topic speech on dev is.
    reject_below: float = 0.69
    # One- and two-word phrases ("no", "two weeks") are rejected only below
    # reject_below less this.  They give the verifier few frames to judge, so
    # with one threshold for all, right short answers were rejected more often
    # than long ones: on dev, each voice judged by a fit on the other three,
    # 86% of short answers understood against 90% of longer ones clean, 74%
    # against 89% at 20 dB.  Eased by 0.15, with reject_below reset to keep 90%
    # of off-topic speech rejected: 88% against 89%, 79% against 80%.  (As the
    # recognizer takes them.  bench/fit_verifier.py now counts as the skill
    # does, confirming doubted warning signs, all longer: 88% against 94%, 79%
    # against 83%.)
    short_easing: float = 0.15

    def rejects(self, chance: float, text: str) -> bool:
        """Whether a phrase heard with this chance of being right is rejected."""
        return chance < self.reject_below - (self.short_easing if is_short(text) else 0.0)

    def judged(self, text: str, chance: float) -> Heard:
        """The phrase the search found, kept or rejected on its chance."""
        return Heard("", chance, unsure=text) if self.rejects(chance, text) else Heard(text, chance)


class PocketsphinxRecognizer:
    """pocketsphinx with a finite-state grammar from the templates.

    The audio is first cleaned: a steady noise floor taken out
    (voice/denoise.py), then the pauses silenced (voice/gate.py); the model
    takes noise, even a faint hiss, for speech sounds.  The grammar search always
    finds some known phrase; a second, free decoding of the audio into phones
    then checks it (voice/verify.py).  A phrase that fits the free phones'
    sounds or timing too poorly is rejected; the rest carry the verifier's
    chance of being right as their confidence.
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
        self.decoder = pocketsphinx.Decoder(
            logfn="/dev/null", lm=None, lw=self.tuning.lw, topn=self.tuning.topn, bestpath=False
        )
        self._log = self.decoder.get_logmath()
        for word, phones in MISSING.items():
            if self.decoder.lookup_word(word) is None:
                self.decoder.add_word(word, phones, update=False)  # no search is built yet
        self.decoder.add_allphone_file(PHONES, pocketsphinx.get_model_path("en-us-phone.lm.bin"))
        self.grammar: Grammar = build_grammar(templates, known=lambda w: self.decoder.lookup_word(w) is not None)
        # The search is built on the first expect() or start(): a conversation
        # expects its opening answers at once, so building one here would be thrown away.
        self._favoured: frozenset[str] | None = None
        self._search = ""
        self._builds = 0
        self._audio = bytearray()
        self._cmn = ""  # the cepstral mean at the start of the utterance
        self._fresh_cmn = self.decoder.get_cmn(False)  # and before any utterance
        # What the audio passes through, in order, before the decoder hears it.
        self._cleaners: list[Denoiser | NoiseGate] = [
            *([Denoiser()] if self.tuning.denoise else []),
            *([NoiseGate()] if self.tuning.gate else []),
        ]

    def expect(self, intents: Collection[str]) -> None:
        favoured = frozenset(intents) & set(self.grammar.entries)
        if favoured != self._favoured:
            self._load_search(favoured)

    def start(self) -> None:
        if self._favoured is None:
            self._load_search(frozenset())
        self._audio.clear()
        self._cmn = self.decoder.get_cmn(False)
        for cleaner in self._cleaners:
            cleaner.reset()
        self.decoder.activate_search(self._search)
        self.decoder.start_utt()

    def forget(self) -> None:
        """The decoder's running cepstral mean follows the voice and the room
        from utterance to utterance; put it back where it started."""
        self.decoder.set_cmn(self._fresh_cmn)

    def feed(self, pcm: bytes) -> None:
        for cleaner in self._cleaners:
            pcm = cleaner.process(pcm)
        self._decode(pcm)

    def _decode(self, pcm: bytes) -> None:
        if pcm:
            self._audio += pcm
            self.decoder.process_raw(pcm, full_utt=False)

    def finish(self) -> Heard:
        rest = b""  # what each still holds, through the ones after it
        for cleaner in self._cleaners:
            rest = cleaner.process(rest) + cleaner.flush()
        self._decode(rest)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        text = hyp.hypstr.strip() if hyp is not None else ""
        if not text:
            return Heard("", 0.0)
        words = [s for s in self._segments() if is_word(s.label)]
        # A word's label names the pronunciation the search chose: "the(2)" is DH IY.
        spellings = [(self.decoder.lookup_word(w.label) or "").split() for w in words]
        chance = self.tuning.verifier.chance(weigh(words, spellings, self._free_phones()))
        return self.tuning.judged(text, chance)

    def _segments(self) -> list[Segment]:
        return [Segment(s.word, s.start_frame, s.end_frame, self._log.log(s.ascore)) for s in self.decoder.seg() or []]

    def _free_phones(self) -> list[Segment]:
        """The same audio decoded into phones, free of the grammar.

        The decoder's running cepstral mean (its ear for this voice and
        microphone) is put back to where the grammar pass began, so both
        passes hear the same features; afterwards it is left where the
        grammar pass ended, so the utterance adapts it once, not twice.
        """
        adapted = self.decoder.get_cmn(False)
        self.decoder.set_cmn(self._cmn)
        self.decoder.activate_search(PHONES)
        self.decoder.start_utt()
        self.decoder.process_raw(bytes(self._audio), full_utt=False)
        self.decoder.end_utt()
        phones = self._segments()
        self.decoder.set_cmn(adapted)
        return phones

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
        arcs = [a if a[3] is not None else a[:3] for a in g.weighted(dict.fromkeys(favoured, FAVOUR))]
        self.decoder.add_fsg(name, self.decoder.create_fsg(name, g.start, g.final, arcs))
        self._favoured = favoured


def is_word(label: str) -> bool:
    """Not silence, a filler or the search's start and end: "<sil>", "(NULL)", "[NOISE]"."""
    return label[:1] not in ("<", "(", "[")
