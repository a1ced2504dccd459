"""Requests told by their cues rather than by a template: a period of time ("this week", "the last
thirty days") said together with a word that asks to look back over it ("how", "recap", "how many
nights", "better or worse").  Pure; the words are content (journal.yaml ``asks``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _phrases(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(w.lower()).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9'])(?:" + "|".join(alternatives) + r")(?:'s)?(?![a-z0-9'])")


@dataclass(frozen=True)
class CueRequests:
    """``periods``: request name -> the phrases naming its period (tried in order: the first that matches
    wins); ``strong``: words that ask to look back whatever else is said; ``cues``: words that do so
    unless a phrase in ``unless`` makes it something else ("it has twitched for the last week")."""

    periods: Mapping[str, Sequence[str]]
    strong: Sequence[str]
    cues: Sequence[str]
    unless: Sequence[str] = ()
    never: Sequence[str] = ()  # phrases that make it something else however it is asked ("delete last week's")
    weak_words: int = 20  # a weak cue asks only in an utterance this short: a long one is a story, not a request

    def __post_init__(self) -> None:
        object.__setattr__(self, "_periods", {k: _phrases(v) for k, v in self.periods.items()})
        object.__setattr__(self, "_strong", _phrases(self.strong))
        object.__setattr__(self, "_cues", _phrases(self.cues))
        object.__setattr__(self, "_unless", _phrases(self.unless) if self.unless else None)
        object.__setattr__(self, "_never", _phrases(self.never) if self.never else None)

    def find(self, text: str) -> tuple[str, str] | None:
        """The request asked for and the words of its period, or None."""
        said = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'"))
        if self._never is not None and self._never.search(said):  # type: ignore[attr-defined]
            return None
        if not self._strong.search(said):  # type: ignore[attr-defined]
            if len(said.split()) > self.weak_words:
                return None
            if self._unless is not None and self._unless.search(said):  # type: ignore[attr-defined]
                return None
            if not self._cues.search(said):  # type: ignore[attr-defined]
                return None
        for name, pattern in self._periods.items():  # type: ignore[attr-defined]
            m = pattern.search(said)
            if m:
                return name, m.group(0)
        return None
