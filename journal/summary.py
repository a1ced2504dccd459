"""A spoken look back over the journal ("How have I been this week?"): pure, nights in, words out.

The wording is content (journal.yaml ``summary``); this only counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rules.engine import join_words

from .history import Roles, counted_nights, most_named, nights_with_twitching
from .store import Night


@dataclass(frozen=True)
class Summary:
    printed: str
    spoken: str  # one breath: nights, trend, last outcome


def summarize(
    nights: Sequence[Night],
    today: date,
    days: int,
    words: Mapping[str, str],
    levels: Mapping[str, str],
    triggers: Mapping[str, str],
    roles: Roles,
) -> Summary:
    """Nights with twitching over the last ``days`` days (today included), the trend against the
    ``days`` before, the triggers most often named, and the last outcome.  ``triggers``: fact ->
    how to name it."""
    period = words["week"] if days <= 7 else words["month"]
    twitching, checked = nights_with_twitching(nights, today, days, roles)
    if not checked:
        text = words["none"].format(period=period)
        return Summary(text, text)
    counts = {"period": period, "checked": counted_nights(checked), "twitching": twitching}
    said = [words["nights"].format(**counts)]
    spoken = [words["nights_spoken"].format(**counts)]
    before, checked_before = nights_with_twitching(nights, today, days, roles, ago=days)
    covered = min(n.day for n in nights).toordinal() <= today.toordinal() - 2 * days + 1
    if checked_before and covered:  # the journal goes back over the whole period before
        trend = "more" if twitching > before else "fewer" if twitching < before else "same"
        said.append(words[trend].format(days=days))
        spoken.append(words[trend].format(days=days))
    first = today.toordinal() - days
    within = [n for n in nights if first < n.day.toordinal() <= today.toordinal()]
    named = most_named(within, triggers)
    if named:
        said.append(words["triggers"].format(triggers=join_words([triggers[t] for t in named])))
    last = next((n.level for n in reversed(within) if n.level in levels), None)
    if last is not None:
        said.append(words["last"].format(level=levels[last]))
        spoken.append(words["last"].format(level=levels[last]))
    return Summary(" ".join(said), " ".join(spoken))
