"""Text to intent: whole utterances first, then clause by clause.

People say several things at once ("my left eyelid, about five weeks, and I
drink five coffees a day").  When the whole utterance matches no template, it
is split at clause boundaries and the split that explains the most words wins;
every matched clause adds its slots.  Text that no clause explains gives no
intent at all: an off-topic sentence is never forced onto the nearest intent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from hassil import Intents, recognize_best

from .model import Intent, merge_slots
from .slots import normalise

# Words that join clauses; a split is tried at each of them and at punctuation.
JOINERS = {"and", "but", "also", "plus", "then", "though", "although", "because"}
MAX_CHUNKS = 12
# Below this share of words explained, the utterance is not understood.
MIN_COVERAGE = 0.5

_TOKEN = re.compile(r"[\w'’-]+|[,.;:!?]")
PUNCTUATION = set(",.;:!?")


class IntentParser:
    def __init__(self, intents: Intents, today: Callable[[], date] = date.today) -> None:
        self.intents = intents
        self._today = today
        self._match = lru_cache(maxsize=4096)(self._match_uncached)

    def parse(self, text: str) -> Intent | None:
        tokens = _tokens(text)
        words = [t for t in tokens if t not in PUNCTUATION]
        if not words:
            return None
        whole = self._match(" ".join(words))
        if whole is not None:
            return whole
        chunks = _chunks(tokens)
        if len(chunks) < 2:
            return None
        parts, covered = self._best_split(chunks)
        if not parts or covered / len(words) < MIN_COVERAGE:
            return None
        return Intent(
            name=parts[0].name,
            slots=merge_slots([p.slots for p in parts]),
            confidence=covered / len(words),
            text=text.strip(),
            parts=tuple(parts),
        )

    def match(self, text: str) -> Intent | None:
        """The template intent that matches the whole of ``text`` exactly, if any."""
        words = [t for t in _tokens(text) if t not in PUNCTUATION]
        return self._match(" ".join(words)) if words else None

    def _best_split(self, chunks: list[list[str]]) -> tuple[list[Intent], int]:
        # best[j]: (words explained, intents) for chunks[:j]
        best: list[tuple[int, list[Intent]]] = [(0, [])]
        for j in range(1, len(chunks) + 1):
            candidate = best[j - 1]  # chunk j-1 left unexplained
            for i in range(j):
                span = [w for chunk in chunks[i:j] for w in chunk]
                # "and I drink coffee": the joiner is not part of the clause
                clause = span[1:] if span[0] in JOINERS else span
                found = self._match(" ".join(clause)) if clause else None
                if found is None:
                    continue
                score = best[i][0] + len(span)
                if score > candidate[0]:
                    candidate = (score, best[i][1] + [found])
            best.append(candidate)
        return best[-1][1], best[-1][0]

    def _match_uncached(self, text: str) -> Intent | None:
        result = recognize_best(text, self.intents, language="en")
        if result is None:
            return None
        slots: dict[str, Any] = normalise(result.entities_list, self._today())
        return Intent(name=result.intent.name, slots=slots, confidence=1.0, text=text)


def _tokens(text: str) -> list[str]:
    """Lower-case words and punctuation marks, with typographic apostrophes made plain."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _chunks(tokens: list[str]) -> list[list[str]]:
    """Clauses with their joining word kept at the front of the next one."""
    chunks: list[list[str]] = [[]]
    for token in tokens:
        if token in PUNCTUATION:
            if chunks[-1]:
                chunks.append([])
        elif token in JOINERS and chunks[-1]:
            chunks.append([token])
        else:
            chunks[-1].append(token)
    out = [c for c in chunks if c]
    if len(out) > MAX_CHUNKS:  # keep the search small; very long input is rare
        out = out[: MAX_CHUNKS - 1] + [[w for c in out[MAX_CHUNKS - 1 :] for w in c]]
    return out
