"""Requests told by their cues rather than by a template: a period of time ("this week", "the last
thirty days") said together with a word that asks to look back over it ("how", "recap", "how many
nights", "better or worse").  Pure; the words are content (journal.yaml ``asks``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .language import plain, whole_words


@dataclass(frozen=True)
class CueRequests:
    """``periods``: request name -> the phrases naming its period (tried in order: the first that matches
    wins); ``strong``: words that ask to look back whatever else is said; ``cues``: words that do so
    unless a phrase in ``unless`` makes it something else ("it has twitched for the last week");
    ``never``: phrases that make it something else however it is asked ("delete last week's")."""

    periods: Mapping[str, re.Pattern[str]]
    strong: re.Pattern[str]
    cues: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    never: re.Pattern[str] | None = None
    weak_words: int = 20  # a weak cue asks only in an utterance this short: a long one is a story, not a request

    @classmethod
    def of(
        cls,
        periods: Mapping[str, Sequence[str]],
        strong: Sequence[str],
        cues: Sequence[str],
        unless: Sequence[str] = (),
        never: Sequence[str] = (),
        weak_words: int = 20,
    ) -> CueRequests:
        def words(phrases: Sequence[str]) -> re.Pattern[str]:
            return whole_words((plain(p) for p in phrases), possessive=True)

        return cls(
            {name: words(p) for name, p in periods.items()}, words(strong), words(cues),
            words(unless) if unless else None, words(never) if never else None, weak_words,
        )  # fmt: skip

    def find(self, text: str) -> tuple[str, str] | None:
        """The request asked for and the words of its period, or None."""
        said = " ".join(re.sub(r"[^a-z0-9' ]+", " ", plain(text)).split())
        if self.never is not None and self.never.search(said):
            return None
        if not self.strong.search(said):
            if len(said.split()) > self.weak_words:
                return None
            if self.unless is not None and self.unless.search(said):
                return None
            if not self.cues.search(said):
                return None
        for name, pattern in self.periods.items():
            m = pattern.search(said)
            if m:
                return name, m.group(1)
        return None
