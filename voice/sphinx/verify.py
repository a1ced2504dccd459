"""Is the phrase the grammar search found really what was said?

The grammar search always ends on some phrase the skill knows, even for
speech it does not (asked "book a table for two", it may find "both jaw tic
a week or two").  So the phrase is checked afterwards against a free
decoding of the same audio into phones, which is not bound to the grammar.
The evidence (see Evidence) is of two kinds:

- how well the phrase fits the sounds: its acoustic score against the free
  phones', over the phrase and for its worst word, and how many of its
  phones the free decoding also heard;
- whether it fits their timing: speech forced onto a phrase that was not
  said leaves words stretched or squashed, speech outside the words, or
  more phones in the phrase than were heard.

A logistic model fitted on bench/dev.yaml by bench/fit_verifier.py turns the
evidence into the chance that the phrase is right.  On the dev set, each
voice judged by a model fitted on the other three, clean and with a quiet
room's hiss: with the sounds alone, 80% and 80% of answers understood and
92% and 90% of off-topic speech rejected; with their timing too, 88% and
92% understood, 90% and 89% rejected.  The current fit, with pocketsphinx
scoring 16 Gaussians (voice/asr.py): 88% and 93% understood, 88% and 90% rejected;
with short answers held to an eased threshold (SphinxTuning.short_easing),
89% and 92% understood, 90% and 89% rejected, as the recognizer takes them.
The skill then confirms some doubted warning signs (voice/talk.py): counted
so, as bench/fit_verifier.py now does, 91% and 92% understood, 86% and 83%
rejected.

Pure logic: segments in, numbers out.  Scores are in the decoder's log units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass


@dataclass(frozen=True)
class Segment:
    label: str  # a word of the phrase, or a phone of the free decoding
    start: int  # first frame
    end: int  # last frame, inclusive
    score: int  # acoustic score, decoder log units (0 is the best possible)

    @property
    def frames(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class Evidence:
    per_frame: float  # the phrase's score less the free phones', per frame of its words
    worst_word: float  # the same for the word that fits worst
    agreement: float  # how far the free phones agree with the phrase's (0..1)
    cover: float  # frames in the phrase's words over frames the free decoding heard as speech, at most 1
    quickest: float  # log frames per phone of the phrase's most squashed word
    slowest: float  # and of its most stretched one
    excess: float  # log of (phones in the phrase + 1) over (phones heard freely + 1), when more


def weigh(words: Sequence[Segment], spellings: Sequence[Sequence[str]], phones: Sequence[Segment]) -> Evidence | None:
    """The evidence for a phrase: its words as the grammar search placed them,
    each word's phones (its spelling in the dictionary) and the free
    decoding's phones.  None when no word took any time."""
    spoken = [(w, s) for w, s in zip(words, spellings, strict=True) if w.frames > 0]
    if not spoken:
        return None
    ratios = [w.score - score_over(phones, w.start, w.end) for w, _ in spoken]
    frames = sum(w.frames for w, _ in spoken)
    speech = [p for p in phones if p.label.isalpha() and p.label != "SIL"]
    expected = [p for _, s in spoken for p in s]
    pace = [w.frames / max(len(s), 1) for w, s in spoken]
    return Evidence(
        per_frame=sum(ratios) / frames,
        worst_word=min(r / w.frames for r, (w, _) in zip(ratios, spoken, strict=True)),
        agreement=agreement(expected, [p.label for p in speech]),
        cover=min(frames / max(sum(p.frames for p in speech), 1), 1.0),
        quickest=math.log(min(pace)),
        slowest=math.log(max(pace)),
        excess=max(math.log((len(expected) + 1) / (len(speech) + 1)), 0.0),
    )


# The most an unfamiliar phrase's chance can be (see Verifier.unfamiliar): between
# the recognizer's rejection threshold and the confidence under which the skill
# asks "Did you say ...?" first (voice/asr.py, voice/talk.py), so it is at most
# confirmed, never acted on at once.
UNFAMILIAR_AT_MOST = 0.7


@dataclass(frozen=True)
class Verifier:
    """P(right) = 1 / (1 + exp(-(bias + weights . evidence))), fitted on
    bench/dev.yaml by bench/fit_verifier.py; the held-out set only measures it."""

    bias: float = -2.9991
    # one per field of Evidence, in order
    weights: tuple[float, ...] = (0.13531, 0.02342, 5.0883, 6.94028, 2.25592, -1.49646, -12.04331)
    # For each field, the doubtful end of what the fit saw: its least value where
    # the weight is positive, its greatest where negative.  Empty: no bounds.
    seen_to: tuple[float, ...] = (-51.05, -134.75, 0.0, 0.33, 1.09, 3.72, 0.7)

    def chance(self, evidence: Evidence | None) -> float:
        """The chance (0..1) that the phrase is what was said."""
        if evidence is None:
            return 0.0
        z = self.bias + sum(w * x for w, x in zip(self.weights, astuple(evidence), strict=True))
        chance = round(1.0 / (1.0 + math.exp(-max(z, -500.0))), 3)
        return min(chance, UNFAMILIAR_AT_MOST) if self.unfamiliar(evidence) else chance

    def unfamiliar(self, evidence: Evidence) -> bool:
        """Whether the evidence goes further towards doubt than any the model
        was fitted on: a word held for longer than any said, say.  The model's
        straight lines would carry it on past where they were drawn, and other
        good signs could outweigh it; the phrase is at most confirmed."""
        if not self.seen_to:
            return False
        return any(
            x < bound if w > 0 else x > bound
            for w, x, bound in zip(self.weights, astuple(evidence), self.seen_to, strict=True)
        )


def score_over(segments: Sequence[Segment], start: int, end: int) -> float:
    """The acoustic score of these segments over frames start..end; a segment
    partly inside counts in proportion to its frames inside."""
    total = 0.0
    for s in segments:
        inside = min(end, s.end) - max(start, s.start) + 1
        if inside > 0 and s.frames > 0:
            total += s.score * inside / s.frames
    return total


def agreement(expected: Sequence[str], heard: Sequence[str]) -> float:
    """How far the phones heard freely agree with the phrase's phones: 1 when
    the same, 0 when nothing in common (edit distance over the longer)."""
    return round(1.0 - edit_distance(expected, heard) / max(len(expected), len(heard), 1), 3)


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]
