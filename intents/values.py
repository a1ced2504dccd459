"""Values in a turn: how long it has been going on, counts with their units, and worded choices.

Durations are read as days: "for about ten days", "two or three weeks now"
(the higher end: a threshold such as four weeks should not be missed by
rounding down), "a week and a half", "a couple of months back", "since
Monday", "since the start of the month", "since September" (read against
today's date), "since Christmas".  Counts ("three or four cups", "barely
six hours") fill the facts content names for their units.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc

from validation import SchemaError, optional, require

from .concepts import Choice, Mention
from .language import Pipeline
from .numbers import Amount, Clock, cardinal, clock_at, hours_between, ordinal
from .phrases import compile_phrases
from .understanding import ABSENT, PRESENT, UNSURE

DENIED_BEFORE = frozenset({"not"})  # "3 days, not weeks": a length put right, beside the one meant
# Words before an amount that make it a rate or a repeat, not a length of time:
# "twice a day", "five hours a night", "two coffees a day".
RATE_BEFORE = {"times", "time", "once", "twice", "per", "every", "each", "a", "an"}
SINCE = {"since", "from"}
STARTED = {
    "started",
    "start",
    "starting",
    "began",
    "begin",
    "beginning",
    "begun",
    "noticed",
    "appeared",
    "kicked",
    "came",
}
START_WINDOW = 10  # a date this near "it started" is when it started
SKIP_BEFORE_DATE = {
    "in",
    "on",
    "at",
    "around",
    "about",
    "back",
    "the",
    "of",
    "ever",
    "maybe",
    "probably",
    "roughly",
    "like",
    "early",
    "mid",
    "late",
    "approximately",
    "sometime",
    "just",
}
BEFORE_BARE_UNITS = {
    "every",
    "per",
    "each",
    "most",
    "some",
    "other",
    "those",
    "these",
    "the",
    "all",
    "few",
    "couple",
    "several",
    "many",
    "of",
    "a",
    "an",
    "last",
    "past",
    "next",
    # "late nights", "sleepless nights", "long days": the kind of night or day, not how many
    "late",
    "early",
    "long",
    "short",
    "sleepless",
    "restless",
    "broken",
    "bad",
    "rough",
    "busy",
    "working",
    "school",
}
AGO = {"ago", "back", "before"}
RATE_AFTER = {"a", "an", "per", "each", "every", "daily"}  # "five a day": a number that counts

AGE_BEFORE = {"'s", "is", "turned", "turns"}
NOT_AN_AGE = {"it", "that", "this", "there", "which", "what", "now"}  # "it's two weeks now" is a length
WHOLE = {"all", "whole", "entire"}  # "all week", "the whole month": one of the unit
SIZED = {"good", "solid", "full", "whole", "long", "straight"}  # "a good fortnight", "a solid week"
NTH_RUN = {"in", "running", "straight", "now", "of"}  # "the third night in a row", "day three of this"
LAST = {"last", "past", "previous", "recent"}
PART_OF_MONTH = {"start": 1, "beginning": 1, "early": 1, "mid": 15, "middle": 15, "late": 25, "end": 31}


@dataclass(frozen=True)
class Value:
    fact: str
    value: Any
    words: str
    confidence: float = 1.0
    start: int = -1  # the token it begins at, where known


@dataclass(frozen=True)
class Count:
    """A count a unit names (cups, hours), and what it tells about other facts."""

    name: str
    fact: str
    sum: bool
    needs: bool  # the unit counts only with one of its context words, or when asked for
    present: tuple[str, str, float] | None  # (fact, "above" | "below", threshold)
    absent: tuple[str, str, float] | None  # (fact, "at_most" | "at_least", threshold)
    span: bool = False  # read from two times of day too ("bed at eleven, up at six")


class Values:
    def __init__(self, pipeline: Pipeline, vocabulary: Any, facts: set[str], duration_fact: str) -> None:
        self.pipeline = pipeline
        self.duration_fact = duration_fact
        if duration_fact not in facts:
            raise SchemaError("(duration)", "a fact of type days declared in checkin.yaml", duration_fact)
        time = pipeline.data.time
        self.units = {str(k).lower(): float(v) for k, v in time["units"].items()}
        self.months = {str(m).lower(): i + 1 for i, m in enumerate(time["months"])}
        self.months.update({str(k).lower(): int(v) for k, v in (time.get("month_short") or {}).items()})
        self.weekdays = {str(d).lower(): i for i, d in enumerate(time["weekdays"])}
        self.fillers = {w for f in pipeline.data.fillers for w in f.split()}
        self.relative = {self._words(k): v for k, v in (time.get("relative") or {}).items()}
        # "just over a week", "not even a week": a length a little more or less than the one said
        hedged = optional(dict(time), "hedged_lengths", "time", dict, "a mapping of phrase: factor", {})
        after = optional(dict(time), "hedged_after", "time", dict, "a mapping of phrase: factor", {})
        for field_name, table in (("hedged_lengths", hedged), ("hedged_after", after)):
            for key, factor in table.items():
                if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0.5 <= factor <= 2:
                    raise SchemaError(f"time.{field_name}.{key}", "a factor between 0.5 and 2", factor)
        self.hedged = {self._words(k): float(v) for k, v in hedged.items()}
        self.hedged_after = {self._words(k): float(v) for k, v in after.items()}
        self.counts: dict[str, Count] = {}
        self.matcher = Matcher(pipeline.nlp.vocab)
        rules = optional(vocabulary, "rules", "", dict, "a mapping", {})
        for name, spec in optional(vocabulary, "counts", "", dict, "a mapping of count: {fact, units}", {}).items():
            where = f"counts.{name}"
            fact = require(spec, "fact", where, str, "the fact this count fills")
            if fact not in facts:
                raise SchemaError(f"{where}.fact", "a fact declared in checkin.yaml", fact)
            units = compile_phrases(
                require(spec, "units", where, list, "a list of unit phrases"),
                rules,
                f"{where}.units",
                pipeline.words_of,
                pipeline.data.gap_stops,
            )
            self.matcher.add(f"unit|{name}", [list(p.pattern) for p in units])
            needs = optional(spec, "needs", where, list, "a list of phrases", [])
            if needs:
                words = compile_phrases(needs, rules, f"{where}.needs", pipeline.words_of, pipeline.data.gap_stops)
                self.matcher.add(f"needs|{name}", [list(p.pattern) for p in words])
            span = optional(spec, "span", where, dict, "a mapping of from, to, then and between: phrase lists", {})
            for part in ("from", "to", "then", "between") if span else ():
                texts = require(span, part, f"{where}.span", list, "a list of phrases")
                cues = compile_phrases(texts, rules, f"{where}.span.{part}", pipeline.words_of, pipeline.data.gap_stops)
                self.matcher.add(f"{part}|{name}", [list(p.pattern) for p in cues])
            self.counts[name] = Count(
                name,
                fact,
                bool(optional(spec, "sum", where, bool, "true or false", False)),
                bool(needs),
                _implied(spec.get("implies_present"), f"{where}.implies_present", ("above", "below"), facts),
                _implied(spec.get("implies_absent"), f"{where}.implies_absent", ("at_most", "at_least"), facts),
                bool(span),
            )

    def _words(self, phrase: Any) -> tuple[str, ...]:
        """A phrase of content as the text's own words are split ("new year's eve": new, year, 's, eve)."""
        return tuple(w for w, _ in self.pipeline.words_of(str(phrase)))

    # -- durations ---------------------------------------------------------

    def duration(
        self,
        doc: Doc,
        amounts: list[Amount],
        today: date,
        used: set[int],
        skip: Callable[[int], bool] | None = None,
        dates: bool = True,
        told_of: Callable[[int], str] | None = None,
        asked: bool = False,
    ) -> Value | None:
        """The longest duration said: a user who says "for years, worse this week" has had it for years.
        ``skip`` says of a token where one starts that it is not the twitch's ("my speech is off since noon");
        without ``dates``, "since yesterday" is not taken (it told when something else began); ``told_of``
        says what the words around a token tell of: beside another length, one said of something else
        is not taken ("I had Bell's palsy years ago and now my mouth has twitched for nine
        days").  An age ("the baby's four months") is taken only when nothing else says how long.
        ``asked``: the question asks how long, so a reply that opens with a unit alone ("week or so") is
        one of it and one that opens with a day or month ("tuesday-ish") is since then."""
        found: list[tuple[float, str, int]] = []
        ages: list[tuple[float, str, int]] = []
        for a in amounts:
            if a.end >= len(doc):
                continue
            unit, end = doc[a.end].lower_, a.end + 1
            # "a good week", but not "a good night's sleep" or "a long day"
            if unit in SIZED and end < len(doc) and self.units.get(doc[end].lower_, 0) >= 7:
                unit, end = doc[end].lower_, end + 1
            if unit not in self.units:
                continue
            before = doc[a.start - 1].lower_ if a.start > 0 else ""
            if a.worded and a.low == 1 and (before in RATE_BEFORE or _after_count(amounts, a)):
                continue  # "twice a day", "two coffees a day"
            if before in ("every", "per", "each", "times"):
                continue
            if end < len(doc) and doc[end].lower_ == "old":
                continue  # "a two year old": an age
            if before in AGE_BEFORE and a.start > 1 and doc[a.start - 2].lower_ not in NOT_AN_AGE:
                ages.append((a.high * self.units[unit], doc[a.start : end].text, a.start))
                continue
            days = a.high * self.units[unit]
            if tuple(t.lower_ for t in doc[end : end + 3]) == ("and", "a", "half"):
                days += 0.5 * self.units[unit]
                end += 3
            days, end = self._hedge(doc, a.start, end, days)
            days, end = self._counted_to(doc, end, days, today)
            found.append((days, doc[a.start : end].text, a.start))
            used.update(range(a.start, end))
        words = [t.lower_ for t in doc]
        if dates:  # first, so "new year's eve" is a date and not "years"
            found.extend(self._dates(doc, today, used))
        # "all week" is often said of something else ("out in the field all week"), "nights" too: taken
        # only when nothing else in the turn says how long
        whole: list[tuple[float, str, int]] = []
        for i, word in enumerate(words):
            if i in used:
                continue
            prev = words[i - 1] if i > 0 else ""
            # "over the past fortnight", "for the last week": one of the unit
            nxt = words[i + 1] if i + 1 < len(doc) else ""
            if word in LAST and prev in ("the", "this") and nxt in self.units:
                found.append((self.units[nxt], doc[i - 1 : i + 2].text, i - 1))
            # "all week", "the whole month": one of a unit of at least a week ("all day" tells how long a
            # twitch lasts, not since when)
            elif word in WHOLE and nxt in self.units and self.units[nxt] >= 7 and not nxt.endswith("s"):
                whole.append((self.units[nxt], doc[i : i + 2].text, i))
            elif (nth := self._nth(doc, i)) is not None:
                found.append(nth)
            # "for weeks", "years. literally years": at least two of the unit
            elif (
                word in self.units
                and word.endswith("s")
                and prev not in BEFORE_BARE_UNITS
                and not _amount_ends(amounts, i)
            ):
                # "nights", "days" alone are often not a length at all ("I work nights")
                (found if self.units[word] >= 7 else whole).append((2 * self.units[word], doc[i : i + 1].text, i))
        if asked and not found and not whole:
            found.extend(self._terse_reply(doc, today, used))
        # "3 days, not weeks", "three days not three weeks": the length put right is not the one meant
        found = [f for f in found if not (f[2] > 0 and words[f[2] - 1] in DENIED_BEFORE)] or found
        found = [f for f in found or whole or ages if skip is None or not skip(f[2])]
        if told_of is not None:
            found = [f for f in found if told_of(f[2]) != "other"] or found
        if not found:
            return None
        days, said, _ = max(found)
        return Value(self.duration_fact, round(days, 2), said)

    def _terse_reply(self, doc: Doc, today: date, used: set[int]) -> list[tuple[float, str, int]]:
        """ "week or so", "month or two", "tuesday-ish" in reply to "how long?": the article or the
        "since" left unsaid."""
        first = next((t.i for t in doc if t.is_alpha and t.lower_ not in self.fillers), None)
        if first is None or first in used:
            return []
        word = doc[first].lower_
        if word in self.units and not word.endswith("s"):
            days, end = self._hedge(doc, first, first + 1, self.units[word])
            used.update(range(first, end))
            return [(days, doc[first:end].text, first)]
        if word in self.weekdays or word in self.months:
            got = self._date_at(doc, first, today)
            if got is not None and got[0] < today:
                when, end = got
                used.update(range(first, end))
                return [(float(max((today - when).days, 0.5)), doc[first:end].text, first)]
        return []

    def _hedge(self, doc: Doc, start: int, end: int, days: float) -> tuple[float, int]:
        """A length said with "just over", "not even" before it or "and a bit" after it."""
        before = [t.lower_ for t in doc[max(0, start - 3) : start]]
        for size in range(len(before), 0, -1):
            if (factor := self.hedged.get(tuple(before[-size:]))) is not None:
                days *= factor
                break
        after = [t.lower_ for t in doc[end : end + 3]]
        for size in range(len(after), 0, -1):
            if (factor := self.hedged_after.get(tuple(after[:size]))) is not None:
                return days * factor, end + size
        return days, end

    def _counted_to(self, doc: Doc, end: int, days: float, today: date) -> tuple[float, int]:
        """ "a week yesterday": a week had passed by yesterday; "a fortnight on Sunday": it will have been
        a fortnight by Sunday."""
        nxt = doc[end].lower_ if end < len(doc) else ""
        if self.relative.get((nxt,)) == 1:  # "yesterday"
            return days + 1, end + 1
        if nxt == "on" and end + 1 < len(doc) and doc[end + 1].lower_ in self.weekdays:
            ahead = (self.weekdays[doc[end + 1].lower_] - today.weekday()) % 7 or 7
            return max(days - ahead, 0.5), end + 2
        return days, end

    def _nth(self, doc: Doc, i: int) -> tuple[float, str, int] | None:
        """ "the third night in a row", "this is the fifth day", "day three of this": that many days."""
        words = [t.lower_ for t in doc]
        if words[i] in ("day", "night") and i + 1 < len(words):
            n = cardinal(words[i + 1])
            if n is not None and 2 <= n <= 31 and (i + 2 >= len(words) or words[i + 2] in NTH_RUN):
                return n, doc[i : i + 2].text, i
            return None
        got = ordinal(words, i)
        if got is None or got[1] >= len(words) or words[got[1]] not in self.units:
            return None
        n, end = got
        unit = words[end]
        if n < 2 or unit.endswith("s") or (i > 0 and words[i - 1] in ("every", "each", "other")):
            return None
        # "the third day", "third night in a row": said of a run of days, not "my third coffee"
        if not ((i > 0 and words[i - 1] == "the") or (end + 1 < len(words) and words[end + 1] in NTH_RUN)):
            return None
        return n * self.units[unit], doc[i : end + 1].text, i

    def _dates(self, doc: Doc, today: date, used: set[int]) -> list[tuple[float, str, int]]:
        """Days since the start of it, from a date said with "since", "ever since" or near "it started"."""
        words = [t.lower_ for t in doc]
        out: list[tuple[float, str, int]] = []
        covered = 0  # "the end of September": "September" alone is not another date
        for j in range(len(doc)):
            got = self._date_at(doc, j, today) if j >= covered else None
            if got is None:
                continue
            when, end = got
            covered = end
            k = j - 1
            while k >= 0 and words[k] in SKIP_BEFORE_DATE:
                k -= 1
            sentence = doc[j].sent
            near = doc[max(sentence.start, j - START_WINDOW) : min(sentence.end, end + START_WINDOW)]
            after = doc[end:].text
            # "since my birthday, the 18th of November": the date names the occasion said after "since"
            named = (
                k >= 1
                and words[k] == ","
                and words[j] not in self.weekdays
                and any(w in SINCE for w in words[max(0, k - 6) : k])
            )
            if (
                (k >= 0 and words[k] in SINCE)
                or named
                or any(t.lower_ in STARTED and not _negated(doc, t.i) for t in near)
                or "since then" in after
                or "ever since" in after
            ):
                days = max((today - when).days, 0.5) if when < today else 0.5
                out.append((float(days), doc[j:end].text, j))
                used.update(range(j, end))
        return out

    def _date_at(self, doc: Doc, j: int, today: date) -> tuple[date, int] | None:
        words = [t.lower_ for t in doc]
        # relative phrases, longest first: "the start of the month", "last night", "christmas"
        for size in range(min(6, len(words) - j), 0, -1):
            key = tuple(words[j : j + size])
            if key in self.relative:
                when = self._relative(self.relative[key], today)
                if when is not None:
                    return when, j + size
            if size >= 2 and key[0] == "last" and key[1:] in self.relative:
                when = self._relative(self.relative[key[1:]], today)
                if when is not None:
                    return when, j + size
        part = None
        k = j
        if words[k] in PART_OF_MONTH:
            part = PART_OF_MONTH[words[k]]
            k += 1
            while k < len(words) and words[k] in ("of", "the"):
                k += 1
        said_last = k < len(words) and words[k] == "last" and k + 1 < len(words)
        k += said_last
        if k < len(words) and words[k] in self.months:
            month = self.months[words[k]]
            end = k + 1
            if part is None:  # "November 20", "Nov the 20th"
                at = end + (end < len(words) and words[end] == "the")
                day_after = ordinal(words, at) if at < len(words) else None
                if day_after is None and at < len(words) and words[at].isdigit() and len(words[at]) <= 2:
                    after = words[at + 1] if at + 1 < len(words) else ""
                    if after not in self.units and after not in (":", "am", "pm", "o'clock"):
                        day_after = int(words[at]), at + 1
                if day_after is not None and 1 <= day_after[0] <= 31:
                    part, end = day_after
            year = today.year if (month, part or 1) <= (today.month, today.day) else today.year - 1
            if end + 1 < len(words) and words[end] in ("last", "of") and "year" in words[end : end + 3]:
                year = min(year, today.year - 1)
                end += 2 if words[end] == "last" else 3
            day = min(part or 1, _days_in(year, month))
            return date(year, month, day), end
        if k < len(words) and words[k] in self.weekdays:
            back = (today.weekday() - self.weekdays[words[k]]) % 7 or 7
            end = k + 1
            # "last Tuesday" said on a Wednesday is a week and a day ago (yesterday would be "yesterday"),
            # "last Monday" two days ago; "Tuesday last week" is in the week before this one; "Monday
            # before last" the one before "last Monday"
            if said_last and back <= 1:
                back += 7
            elif tuple(words[end : end + 2]) == ("last", "week"):
                back += 7 if back <= today.weekday() else 0
                end += 2
            elif tuple(words[end : end + 2]) == ("before", "last"):
                back += 7 if back > 1 else 14
                end += 2
            return today - timedelta(days=back), end
        got = ordinal(words, k) if k < len(words) else None
        if (
            got is not None
            and words[k].isalpha()
            and "the" not in words[k - 1 : k]
            and "of" not in words[got[1] : got[1] + 1]
        ):
            got = None  # "the first", "the twentieth of November"; not "a second ago"
        if got is not None and 1 <= got[0] <= 31:
            day, end = got
            single = end
            month, year = today.month, today.year
            if tuple(words[end : end + 3]) in (("of", "the", "month"), ("of", "this", "month")):
                end += 3
                single = end
            elif tuple(words[end : end + 3]) == ("of", "last", "month"):
                month, year = (month - 1, year) if month > 1 else (12, year - 1)
                return date(year, month, min(day, _days_in(year, month))), end + 3
            while end < len(words) and words[end] == "of":
                end += 1
            if end < len(words) and words[end] in self.months:
                month = self.months[words[end]]
                end += 1
            if (month, day) > (today.month, today.day):
                if end == single:
                    month, year = (month - 1, year) if month > 1 else (12, year - 1)
                else:
                    year -= 1
            return date(year, month, min(day, _days_in(year, month))), end
        if k < len(words) and words[k].isdigit() and len(words[k]) == 4:
            year = int(words[k])
            if 1900 < year <= today.year:
                return date(year, 1, 1), k + 1
        return None

    def _relative(self, spec: Any, today: date) -> date | None:
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            return today - timedelta(days=float(spec))
        if spec == "week":
            return today - timedelta(days=today.weekday() or 7)
        if spec == "weekend":
            return today - timedelta(days=(today.weekday() - 5) % 7 or 7)
        if spec == "month":
            return today.replace(day=1) if today.day > 1 else today - timedelta(days=1)
        if spec == "year":
            return date(today.year, 1, 1)
        if spec == "last_month_end":
            return today.replace(day=1) - timedelta(days=1)
        if isinstance(spec, str) and len(spec) == 5 and spec[2] == "-":
            month, day = int(spec[:2]), int(spec[3:])
            year = today.year if (month, day) < (today.month, today.day) else today.year - 1
            return date(year, month, day)
        if isinstance(spec, str) and spec.count("-") == 2:  # "11-thu-4": the fourth Thursday of November
            month_s, weekday, nth = spec.split("-")
            for year in (today.year, today.year - 1):
                when = _nth_weekday(year, int(month_s), WEEKDAY_ABBR.index(weekday), int(nth))
                if when < today:
                    return when
        return None

    # -- counts ------------------------------------------------------------

    def counts_in(self, doc: Doc, amounts: list[Amount], expects: frozenset[str], used: set[int]) -> list[Value]:
        units: dict[str, list[tuple[int, int]]] = {}
        cues: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (from|to|between, count) -> spans
        needed: set[str] = set()
        for match_id, start, end in self.matcher(doc):
            kind, name = self.pipeline.nlp.vocab.strings[match_id].split("|")
            if kind == "unit":
                units.setdefault(name, []).append((start, end))
            elif kind == "needs":
                needed.add(name)
            else:
                cues.setdefault((kind, name), []).append((start, end))
        out: list[Value] = []
        taken: set[int] = set()
        for name, count in self.counts.items():
            if count.needs and name not in needed and count.fact not in expects:
                continue
            total: float | None = None
            words: list[str] = []
            first = -1
            for start, end in sorted(set(units.get(name, []))):
                if end < len(doc) and doc[end].lower_ in AGO:
                    continue  # "about four hours ago" is when, not how many
                a = _amount_before(amounts, start, doc)
                if a is not None and a.worded and a.low == 1 and a.start > 0 and doc[a.start - 1].lower_ in RATE_BEFORE:
                    continue  # "several times an hour": how often, not hours
                if a is None and count.sum:
                    a = self._amount_after(amounts, end, doc, used)
                elif a is not None and a.worded and a.low > 1 and count.sum:
                    # "loads of energy drinks, like three a day": a number said after a vague amount is the count
                    said = self._amount_after(amounts, end, doc, used)
                    a = said if said is not None and not said.worded else a
                if a is None or a.start in taken:
                    continue
                taken.add(a.start)
                first = a.start if first < 0 else first
                used.update(range(a.start, a.end))
                value = a.high
                total = value if total is None or not count.sum else total + value
                if not count.sum:
                    total = max(total, value)
                words.append(doc[min(a.start, start) : max(a.end, start + 1)].text)
            if total is None and count.span:
                got = _span(doc, {k: v for (k, n), v in cues.items() if n == name}, used)
                if got is not None:
                    total, words, first = got[0], [got[1]], got[2]
            if (
                total is None
                and count.fact in expects
                and len([c for c in self.counts.values() if c.fact in expects]) == 1
            ):
                other = self.pipeline.data.other_units
                bare = [
                    a
                    for a in amounts
                    if a.start not in taken
                    and not set(range(a.start, a.end)) & used
                    and not (a.end < len(doc) and doc[a.end].lower_ in other)
                ]
                # a number said as one before an article-like "a" ("a solid eight"), which alone is no count
                bare = sorted((a for a in bare if not (a.worded and a.low == 1)), key=lambda a: a.worded)
                if bare:
                    a = bare[0]
                    total, words, first = a.high, [a.words], a.start
                    used.update(range(a.start, a.end))
            if total is not None:
                out.append(Value(count.fact, _plain(total), " ".join(words), start=first))
        return out

    def _amount_after(self, amounts: list[Amount], unit_end: int, doc: Doc, used: set[int]) -> Amount | None:
        """The amount said just after what it counts, in the same clause, as a count of its own:
        "coffee, about five a day", "red bull behind the bar, three or four a night", "coffee, three or
        four."; not "coffee, two cups" (the cups count), "coffee at four", "can't smile on one side"."""
        if unit_end < len(doc) and doc[unit_end].norm_ == "not":
            return None  # "cannot think": the unit word is a verb here
        a = min((a for a in amounts if a.start >= unit_end), key=lambda a: a.start, default=None)
        if a is None:
            return None
        gap = doc[unit_end : a.start]
        after = doc[a.end] if a.end < len(doc) else None
        joins = self.pipeline.data.joins
        refused = (
            len(gap) > 3
            or (a.worded and a.low == 1)
            or any(t.lower_ in joins or (t.is_punct and t.text != ",") for t in gap)
            or gap[-1:].text == "at"
            or bool(set(range(a.start, a.end)) & used)
            or not (after is None or after.is_punct or after.lower_ in RATE_AFTER)
        )
        return None if refused else a

    def zero_when_denied(self) -> dict[str, str]:
        """The counts that are none when their fact is denied ("I don't drink coffee": no cups): those
        whose fact is absent exactly at zero.  Count fact -> that fact."""
        return {
            c.fact: c.absent[0]
            for c in self.counts.values()
            if c.absent is not None and c.absent[1:] == ("at_most", 0.0)
        }

    def implied_by_counts(self, values: list[Value]) -> dict[str, tuple[str, str]]:
        """Facts a count settles, with the words: "five hours" is short sleep, "no cups" no coffee."""
        out: dict[str, tuple[str, str]] = {}
        by_fact = {v.fact: v for v in values}
        for count in self.counts.values():
            if count.fact not in by_fact:
                continue
            n, words = float(by_fact[count.fact].value), by_fact[count.fact].words
            if count.present is not None:
                fact, how, limit = count.present
                if (how == "above" and n > limit) or (how == "below" and n < limit):
                    out[fact] = (PRESENT, words)
            if count.absent is not None:
                fact, how, limit = count.absent
                if (how == "at_most" and n <= limit) or (how == "at_least" and n >= limit):
                    out.setdefault(fact, (ABSENT, words))
        return out


def choices_in(mentions: list[Mention], choices: Mapping[str, Choice]) -> tuple[list[Value], dict[str, str]]:
    """Worded values (areas, frequency...) and the facts they imply.

    Of several choices for one value, the one content lists last wins: content
    lists them from least to most concerning ("now and then" then "every day").
    """
    values: list[Value] = []
    implied: dict[str, str] = {}
    for name, choice in choices.items():
        owners = [m for m in mentions if m.kind == "fact" and m.name in choice.not_inside]
        # "a few times a day, though not every day": a choice denied outright is not the one meant
        denied = {m.name for m in mentions if m.kind == name and m.state == ABSENT}
        named = [m for m in mentions if m.kind == name and m.state in (PRESENT, UNSURE)]
        if not choice.many:
            named = [m for m in named if m.name not in denied] or named
        said = [m for m in named if not any(o.start <= m.start and m.end <= o.end for o in owners)]
        if not said and named and choice.many:
            # only named as where a sign is ("my eyelid droops"): kept as a place, doubtfully, and not
            # counted as more than one place; a value of another kind inside a fact's words is that fact's
            # alone ("I can't stop thinking about it" is no twitch that never stops)
            names = list(dict.fromkeys(m.name for m in named))
            values.append(Value(choice.fact, names, ", ".join(m.words for m in named), 0.5))
            continue
        if not said:
            continue
        if choice.many:
            names = list(dict.fromkeys(m.name for m in said))
            values.append(Value(choice.fact, names, ", ".join(m.words for m in said)))
            counted = [n for n in names if n not in choice.many_ignores]
            if choice.many and len(counted) > 1:
                sure = all(m.state == PRESENT for m in said if m.name in counted)
                implied[choice.many] = PRESENT if sure else UNSURE
            continue
        best = said[-1]
        order = list(choice.order)
        if order:
            best = max(said, key=lambda m: order.index(m.name) if m.name in order else -1)
        sides = {m.name for m in said}
        if name == "side" and {"left", "right"} <= sides:
            values.append(Value(choice.fact, "both", ", ".join(m.words for m in said)))
            continue
        values.append(Value(choice.fact, best.name, best.words, 1.0 if best.state == PRESENT else 0.6))
        for fact in choice.implies.get(best.name, ()):
            implied[fact] = PRESENT
    return values, implied


def _implied(spec: Any, where: str, hows: tuple[str, str], facts: set[str]) -> tuple[str, str, float] | None:
    if spec is None:
        return None
    fact = require(spec, "fact", where, str, "a fact")
    if fact not in facts:
        raise SchemaError(f"{where}.fact", "a fact declared in checkin.yaml", fact)
    given = [h for h in hows if h in spec]
    if len(given) != 1 or isinstance(spec[given[0]], bool) or not isinstance(spec[given[0]], (int, float)):
        raise SchemaError(where, f"the fact and one of {', '.join(hows)}: a number", spec)
    return fact, given[0], float(spec[given[0]])


def _amount_before(amounts: list[Amount], unit_start: int, doc: Doc) -> Amount | None:
    """The amount just before a unit: "three cups", "two strong coffees", "a couple of cups of tea";
    the nearest one ("a good seven hours" is seven)."""
    for a in sorted(amounts, key=lambda a: -a.end):
        gap = [t.lower_ for t in doc[a.end : unit_start]]
        if a.end <= unit_start and len(gap) <= 2 and all(w not in (",", "and", "or", "but") for w in gap):
            if a.worded and a.low == 1 and gap[:1] in (["lot"], ["bit"], ["little"]):
                return None  # "a lot of tea": no count
            if not gap or all(t.is_alpha for t in doc[a.end : unit_start]):
                return a
    return None


def _span(doc: Doc, cues: Mapping[str, list[tuple[int, int]]], used: set[int]) -> tuple[float, str, int] | None:
    """The hours between two times of day: one said after a `from` cue ("in bed by eleven"), one after
    a `to` cue ("up at six"), in either order; "eleven till six" needs no cue before the first."""
    words = [t.lower_ for t in doc]
    between = {i for s, e in cues.get("between", []) for i in range(s, e)}
    then = {i for s, e in cues.get("then", []) for i in range(s, e)}
    ends: dict[int, tuple[int, str]] = {}  # where a cue ends -> (its length, from | to); the longest wins
    for kind in ("from", "to"):
        for s, e in cues.get(kind, []):
            if e not in ends or ends[e][0] < e - s:
                ends[e] = (e - s, kind)
    clocks = [c for i in range(len(words)) if i not in used and (c := clock_at(words, i)) is not None]
    clocks = [c for k, c in enumerate(clocks) if k == 0 or c.start >= clocks[k - 1].end]
    roles: list[tuple[str, Clock]] = []
    for k, clock in enumerate(clocks):
        i = clock.start
        while i > 0 and i - 1 in between and i not in ends:
            i -= 1
        role: str | None = ends[i][1] if i in ends else None
        nxt = clocks[k + 1] if k + 1 < len(clocks) else None
        if role is None and nxt is not None and nxt.start == clock.end + 1 and ends.get(nxt.start, (0, ""))[1] == "to":
            role = "from"  # "eleven till six"
        prev = roles[-1] if roles else None
        if role is None and prev is not None and prev[0] == "from" and clock.start == prev[1].end + 1:
            role = "to" if clock.start - 1 in then else None  # "sleeping 2am to 7"
        if role is not None:
            roles.append((role, clock))
    start = next((c for r, c in roles if r == "from"), None)
    end = next((c for r, c in roles if r == "to" and (start is None or c is not start)), None)
    if start is None or end is None or hours_between(start, end) == 0:
        return None
    first, last = min(start, end, key=lambda c: c.start), max(start, end, key=lambda c: c.start)
    used.update(range(first.start, last.end))
    return _plain(round(hours_between(start, end), 2)), doc[first.start : last.end].text, first.start


def _after_count(amounts: list[Amount], a: Amount) -> bool:
    """Whether "a day" follows a count ("two coffees a day", "four a day"): a rate, not a length."""
    return any(b is not a and a.start - 3 <= b.end <= a.start for b in amounts)


def _amount_ends(amounts: list[Amount], i: int) -> bool:
    return any(b.end == i for b in amounts)


def _negated(doc: Doc, i: int) -> bool:
    return i > 0 and doc[i - 1].lower_ in ("not", "n't", "never")


WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _days_in(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _plain(n: float) -> float | int:
    return int(n) if float(n).is_integer() else n
