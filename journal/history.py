"""What earlier nights say about tonight: measures over the journal, pure (nights in, values out).

The measures are generic; which fact each one sets, and what the rules make of it, is content
(``journal:`` in checkin.yaml).  A measure with too little history to say anything is left out,
so the rules treat it as not known rather than as "no".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .store import Night

EPISODE_GAP_DAYS = 14  # twitch-free this long between check-ins, and a new episode has begun
WEEK = 7
PLAN_DAYS = 21  # the plan's weeks 1-2 done: "Week 3-4: Evaluate Progress"
MORE_BY = 2  # this many more nights with twitching than the week before is "more frequent"

Facts = Mapping[str, Any]  # tonight's facts so far, by name
AREA_PART, SIDE_PART = "area", "side"  # what of the place a last_place measure gives (its option part)


@dataclass(frozen=True)
class Roles:
    """Which of the content's facts the journal reads for what (content: journal.yaml ``roles``)."""

    twitching: str  # yes/no: there was a twitch tonight
    duration: str  # days: how long it has gone on, as said
    area: str  # text: where
    side: str  # text: which side
    frequency: str  # text: how often, in the words of the content's frequency values
    sleep: str  # number: hours of sleep
    cups: str  # number: cups of coffee a day


def twitched(night: Night, roles: Roles) -> bool:
    """A check-in about a twitch (one that says there was none tonight does not count)."""
    return night.facts.get(roles.twitching) is not False


def _days(a: date, b: date) -> int:
    return (a - b).days


def episode(nights: Iterable[Night], roles: Roles) -> list[Night]:
    """The nights with twitching of the current episode, oldest first: back from the latest until a
    gap of more than two weeks."""
    twitch = sorted((n for n in nights if twitched(n, roles)), key=lambda n: n.at)
    if not twitch:
        return []
    start = len(twitch) - 1
    while start > 0 and _days(twitch[start].day, twitch[start - 1].day) <= EPISODE_GAP_DAYS:
        start -= 1
    return twitch[start:]


def onset(nights: Iterable[Night], roles: Roles) -> date | None:
    """When the current episode began: the earliest of each night's date less the length said that night."""
    found = episode(nights, roles)
    if not found:
        return None
    said = [float(v) if isinstance(v := n.facts.get(roles.duration), (int, float)) else 0.0 for n in found]
    return min(date.fromordinal(n.day.toordinal() - int(d)) for n, d in zip(found, said, strict=True))


def days_since_onset(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    if not past or _days(today, past[-1].day) > EPISODE_GAP_DAYS:
        return None  # nothing recent: tonight's account stands alone
    began = onset(past, roles)
    return None if began is None else float(_days(today, began))


def new_area(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    """Whether tonight's area is one not reported on the episode's earlier nights.  Tonight's own earlier
    check-ins are not earlier nights: a second place said tonight is for the spreading question."""
    ignore = set(spec.ignore)
    area = tonight.get(roles.area)
    recent = [n for n in episode(past, roles) if 0 < _days(today, n.day) <= 4 * WEEK]
    earlier = {n.facts.get(roles.area) for n in recent} - {None} - ignore
    if not isinstance(area, str) or area in ignore or not earlier:
        return None
    return area not in earlier


def nights_with_twitching(past: Iterable[Night], today: date, days: int, roles: Roles, ago: int = 0) -> tuple[int, int]:
    """Nights with twitching and nights checked in, over ``days`` days ending ``ago`` days before today."""
    last = today.toordinal() - ago
    within = [n for n in past if last - days < n.day.toordinal() <= last]
    by_day: dict[date, bool] = {}
    for n in within:
        by_day[n.day] = by_day.get(n.day, False) or twitched(n, roles)
    return sum(by_day.values()), len(by_day)


def counted_nights(n: int) -> str:
    return f"{n} night" if n == 1 else f"{n} nights"


def more_frequent(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    """More nights with twitching this week (tonight included) than the week before."""
    if not past or _days(today, past[0].day) < 2 * WEEK - 1:
        return None  # the journal does not yet cover the week before: nothing to compare with
    now, _checked = nights_with_twitching(past, today, WEEK - 1, roles, ago=1)
    now += tonight.get(roles.twitching) is not False
    before, checked_before = nights_with_twitching(past, today, WEEK, roles, ago=WEEK)
    if not checked_before:
        return None
    return now >= before + MORE_BY


def no_improvement(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    """Three weeks into an episode, as many nights with twitching in the last week as in its first."""
    first = episode(past, roles)
    if not first or _days(today, first[0].day) < PLAN_DAYS:
        return None
    start = first[0].day
    first_week = sum(1 for n in {m.day for m in first if _days(m.day, start) < WEEK})
    last_week, _checked = nights_with_twitching(past, today, WEEK - 1, roles, ago=1)
    last_week += tonight.get(roles.twitching) is not False
    return last_week >= first_week


def last_place(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    """Where it was on the latest recent night that said so ("left eyelid"), or with ``part`` only
    its area or side; for "Still your left eyelid?"."""
    for n in reversed(past):
        if _days(today, n.day) > WEEK:
            break
        area, side = n.facts.get(roles.area), n.facts.get(roles.side)
        if isinstance(area, str) and area not in set(spec.ignore):
            part = spec.part
            if part == AREA_PART:
                return area
            if part == SIDE_PART:
                return side if isinstance(side, str) else None
            return f"{side} {area}" if isinstance(side, str) else area
    return None


def twitching_nights(past: list[Night], tonight: Facts, today: date, spec: FromJournal, roles: Roles) -> Any:
    """Nights with twitching in the last ``days`` days, tonight included, once the journal covers them."""
    days = spec.days
    if not past or _days(today, past[0].day) < days - 1:
        return None
    earlier, _checked = nights_with_twitching([n for n in past if n.day < today], today, days - 1, roles, ago=1)
    return float(earlier + (tonight.get(roles.twitching) is not False))


Measure = Callable[[list[Night], Mapping[str, Any], date, "FromJournal", Roles], Any]
MEASURES: dict[str, Measure] = {
    "days_since_onset": days_since_onset,
    "new_area": new_area,
    "more_frequent": more_frequent,
    "no_improvement": no_improvement,
    "last_place": last_place,
    "twitching_nights": twitching_nights,
}


@dataclass(frozen=True)
class FromJournal:
    """One fact that earlier nights can set (content: ``journal.facts``)."""

    fact: str
    measure: str
    at_least: bool = False  # a number that tonight's own answer only raises ("a few days" after weeks)
    ignore: tuple[str, ...] = ()  # words too general to count as a place ("face")
    part: str = ""  # last_place: the area or the side alone
    days: int = WEEK  # twitching_nights: over how many days
    carried_when: str = ""  # set only once this fact is true ("yes" to "Still your left eyelid?"), if not said


def journal_facts(
    past: list[Night], tonight: Mapping[str, Any], today: date, wanted: Iterable[FromJournal], roles: Roles
) -> dict[str, Any]:
    """The facts earlier nights set tonight.  ``at_least`` facts only where they raise tonight's value."""
    out: dict[str, Any] = {}
    earlier = [n for n in past if n.day <= today]
    if not earlier:
        return out
    for w in wanted:
        if w.carried_when and (tonight.get(w.carried_when) is not True or w.fact in tonight):
            continue
        value = MEASURES[w.measure](earlier, tonight, today, w, roles)
        if value is None:
            continue
        if w.at_least:
            said = tonight.get(w.fact)
            if isinstance(said, (int, float)) and not isinstance(said, bool) and said >= value:
                continue
        out[w.fact] = value
    return out


def most_named(nights: Iterable[Night], facts: Iterable[str], top: int = 2) -> list[str]:
    """The facts said to be so most often over the nights (ties: in the order given)."""
    order = list(facts)
    counts = Counter(f for n in nights for f in order if n.facts.get(f) is True)
    return [f for f, _ in sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))[:top]]
