"""Is the phrase the grammar search found really what was said?

The grammar search always ends on some phrase the skill knows, even for
speech it does not (asked "book a table for two", it may find "both jaw tic
a week or two").  So the phrase is checked afterwards against a free
decoding of the same audio into phones, which is not bound to the grammar:

- fit per frame: how much worse the phrase's acoustic score is than the
  free phones' over the speech, frame for frame (a log-likelihood ratio);
- worst word: the same for the word that fits worst, so that one made-up
  word in an otherwise good phrase still counts against it;
- agreement: how many of the phrase's phones the free decoding also heard.

Their weighted sum, mapped through a logistic curve fitted on bench/dev.yaml,
is the chance that the phrase is right.  On the dev set (4 voices), against
the free-phone path that used to compete inside the search: answers
understood 85% -> 86% clean and 91% -> 91% with a quiet room's hiss, while
off-topic speech rejected rose from 56% -> 81% and 57% -> 76%.

Pure logic: scores in, numbers out.  Scores are in the decoder's log units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


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
class Verifier:
    """Chosen on bench/dev.yaml; the held-out set only measures them."""

    worst_word_weight: float = 0.5  # the worst word's fit per frame counts half again
    agreement_weight: float = 75.0  # full agreement is worth this much fit
    # P(right) = 1 / (1 + exp(-(bias + slope * fit))), fitted on the dev set
    bias: float = 2.81
    slope: float = 0.087

    def fit(self, words: Sequence[Segment], phones: Sequence[Segment], agreement: float) -> float:
        spoken = [w for w in words if w.frames > 0]
        if not spoken:
            return -math.inf
        ratios = [w.score - score_over(phones, w.start, w.end) for w in spoken]
        per_frame = sum(ratios) / sum(w.frames for w in spoken)
        worst_word = min(r / w.frames for r, w in zip(ratios, spoken, strict=True))
        return per_frame + self.worst_word_weight * worst_word + self.agreement_weight * agreement

    def chance(self, fit: float) -> float:
        """The fit as the chance (0..1) that the phrase is what was said."""
        if fit == -math.inf:
            return 0.0
        return round(1.0 / (1.0 + math.exp(-(self.bias + self.slope * fit))), 3)


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
