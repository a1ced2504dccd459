"""A misheard word put to the skill's own word that sounds the same, with jellyfish's Metaphone.

A recognizer writes what it heard as real words, and a word it did not
expect comes out as another that sounds alike ("since Mandy", "the Fortnite",
"Solar" for "slower").  Only a word the content never uses is changed, only
to a content word with the same Metaphone code that is near in spelling too;
of the readings that gives, the dialog takes the first that makes sense as a
reply, as a guess it confirms before acting on ("Did you say …?").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, product

import jellyfish

MIN_LETTERS = 3  # shorter words sound like too many others
MIN_CODE = 2  # a one-letter code ("so", "saw", "see") says too little
NEAR = 0.8  # a content word at least this near in spelling (Jaro-Winkler): "clean" is not "guillain" (both KLN)
MOST = 6  # respellings offered for one hypothesis, nearest first
MOST_WORDS = 4  # only a short reply is respelt ("since Mandy"): in a sentence, an unknown word is just a word
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_VOWEL = re.compile(r"[aeiouy]")


@dataclass(frozen=True)
class Respelling:
    text: str  # the hypothesis with its unknown words put to content words
    changed: tuple[tuple[str, str], ...]  # (heard, taken as) for each word changed
    nearness: float  # the changed words' mean spelling similarity


class SoundAlike:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha())
        self.by_code: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            code = jellyfish.metaphone(word)
            # only words that can be said: the content's text also holds patterns' fragments ("mnd")
            if len(word) >= MIN_LETTERS and len(code) >= MIN_CODE and _VOWEL.search(word):
                self.by_code[code].append(word)

    def words(self, heard: str) -> list[tuple[float, str]]:
        """The content words ``heard`` may have been said as, nearest in spelling first, with how near;
        none if it is a content word itself."""
        w = heard.lower()
        if len(w) < MIN_LETTERS or not w.isalpha() or w in self.vocabulary:
            return []
        alike = ((jellyfish.jaro_winkler_similarity(w, c), c) for c in self.by_code.get(jellyfish.metaphone(w), []))
        return sorted((near for near in alike if near[0] >= NEAR), reverse=True)

    def respell(self, text: str) -> list[Respelling]:
        """``text`` with its unknown words put to content words that sound the same, the nearest
        readings first (at most MOST); empty if no word sounds like one.  The caller keeps the first
        that makes sense: "since Mandy" may be "since mind" or "since monday"."""
        found = list(_WORD.finditer(text))
        if len(found) > MOST_WORDS:
            return []
        spans = []
        for m in found:
            options = self.words(m.group(0))
            if options:
                spans.append((m, options))
            elif m.group(0).lower() not in self.vocabulary:
                # a short reply is respelt whole or not at all: a word left that is like nothing the
                # skill says ("Solar panels") means it was other speech
                return []
        if not spans:
            return []
        out = []
        for choice in islice(product(*(options for _, options in spans)), MOST * 4):
            pieces, at = [], 0
            for (m, _), (_, word) in zip(spans, choice, strict=True):
                pieces += [text[at : m.start()], word]
                at = m.end()
            changed = tuple((m.group(0), word) for (m, _), (_, word) in zip(spans, choice, strict=True))
            nearness = sum(near for near, _ in choice) / len(choice)
            out.append(Respelling("".join(pieces) + text[at:], changed, nearness))
        return sorted(out, key=lambda r: -r.nearness)[:MOST]
