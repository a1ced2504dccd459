"""Typing slips put right before parsing ("my arm feels hevy", "cant smlie propley"), with SymSpell.

Only a word that is neither English (SymSpell's frequency dictionary) nor in
the skill's own vocabulary is changed, and only to the one vocabulary word
nearest to it; a slip with two equally near readings ("wek": weak or week?)
is left alone rather than guessed.  Speech recognizers spell correctly, so
this matters for typed turns only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

MIN_LENGTH = 4  # shorter words have too many near neighbours to correct safely
LONG = 7  # from this length a word may be two edits away


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = {w for w in vocabulary if w.isalpha()}
        self.vocabulary = frozenset(words)
        self.english = _english()
        self.sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in words:
            self.sym.create_dictionary_entry(word, 1)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str:
        if len(word) < MIN_LENGTH or not word.isalpha() or word in self.vocabulary or word in self.english:
            return word
        distance = 2 if len(word) >= LONG else 1
        found = self.sym.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if len(found) != 1:
            return word
        return found[0].term


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """The English words SymSpell ships (its frequency dictionary), as a set."""
    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)
