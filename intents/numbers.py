"""Amounts in text: digits, number words (text2num), "a couple of", ranges ("two or three", "5-6").

Pure: tokens in, spans with their lowest and highest value out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc
from text_to_num import alpha2digit, text2num

_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_ORDINAL_ENDS = ("st", "nd", "rd", "th")
RANGE_WORDS = {"or", "to", "-", "–", "—", "/"}
HALF = ("and", "a", "half")


@dataclass(frozen=True)
class Amount:
    start: int  # token offsets
    end: int
    low: float
    high: float
    words: str
    worded: bool  # "a", "a couple of": an article-like amount, not a number said as one

    @property
    def value(self) -> float:
        return self.high


def find_amounts(doc: Doc, words: Mapping[str, float]) -> list[Amount]:
    """Every amount in the turn, longest first where they overlap, in order."""
    phrases = {tuple(k.split()): v for k, v in words.items()}
    longest = max((len(k) for k in phrases), default=1)
    out: list[Amount] = []
    i = 0
    while i < len(doc):
        found = _one(doc, i, phrases, longest)
        if found is None:
            i += 1
            continue
        start, end, low, high, worded = found
        # a range: "two or three", "2-3", "five six", "between two and three"
        j = end
        if j < len(doc) and doc[j].lower_ in RANGE_WORDS:
            second = _one(doc, j + 1, phrases, longest)
            if second is not None and not second[4]:
                end, high, worded = second[1], max(high, second[3]), False
                low = min(low, second[2])
        elif j < len(doc) and not worded:
            second = _one(doc, j, phrases, longest)
            if second is not None and not second[4] and second[2] > low:
                end, high = second[1], second[3]
        if start > 0 and doc[start - 1].lower_ == "between" and end + 1 < len(doc) and doc[end].lower_ == "and":
            second = _one(doc, end + 1, phrases, longest)
            if second is not None:
                end, high = second[1], max(high, second[3])
        out.append(Amount(start, end, low, high, doc[start:end].text, worded))
        i = end
    return out


def _one(
    doc: Doc, i: int, phrases: Mapping[tuple[str, ...], float], longest: int
) -> tuple[int, int, float, float, bool] | None:
    if i >= len(doc):
        return None
    token = doc[i]
    if _DIGITS.match(token.text):
        value = float(token.text.replace(",", "."))
        return _half(doc, i, i + 1, value, False)
    run_end = i
    while run_end < len(doc) and doc[run_end].is_alpha and doc[run_end].like_num:
        run_end += 1
    while run_end > i:
        try:
            value = float(text2num(" ".join(t.lower_ for t in doc[i:run_end]), "en"))
        except ValueError:
            run_end -= 1
            continue
        return _half(doc, i, run_end, value, False)
    for size in range(min(longest, len(doc) - i), 0, -1):
        key = tuple(t.lower_ for t in doc[i : i + size])
        if key in phrases:
            return _half(doc, i, i + size, phrases[key], True)
    return None


def _half(doc: Doc, start: int, end: int, value: float, worded: bool) -> tuple[int, int, float, float, bool]:
    """ "one and a half" (the unit may come between: "a week and a half" is read by the caller)."""
    if tuple(t.lower_ for t in doc[end : end + 3]) == HALF:
        return start, end + 3, value + 0.5, value + 0.5, worded
    return start, end, value, value, worded


def ordinal(words: list[str], k: int) -> tuple[int, int] | None:
    """The day of the month at ``words[k]`` ("the 20th", "the twenty fifth") and the index after it."""
    for size in (2, 1):
        piece = " ".join(words[k : k + size])
        if len(words[k : k + size]) < size or not piece.endswith(_ORDINAL_ENDS):
            continue  # the cheap test first: this runs at every word of a turn
        # a lone ordinal word ("first", "second") is read too: callers say where one counts
        m = _ORDINAL.match(piece if size == 1 and not piece.isalpha() else alpha2digit(piece, "en", threshold=0))
        if m:
            return int(m.group(1)), k + size
    return None


_CLOCK_DIGITS = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_HOUR_WORDS = {"midnight": 12.0, "noon": 12.0, "midday": 12.0}
_MINUTE_WORDS = {"fifteen": 0.25, "thirty": 0.5, "forty five": 0.75, "forty-five": 0.75, "oh five": 1 / 12}


@dataclass(frozen=True)
class Clock:
    """A time of day said in a turn: "half six", "11pm", "six thirty", "midnight"."""

    start: int
    end: int
    hour: float  # 0-12 on the clock face, or 0-24 when am/pm was said
    ampm: bool


def clock_at(words: list[str], i: int) -> Clock | None:
    """The time of day said at ``words[i]``, if one is: an hour (digits, a word, "6:30"), with "half"
    before it (British "half six" is 6:30), "thirty" or "fifteen" after it, and "am"/"pm"."""
    j, extra = i, 0.0
    if words[j] == "half" and j + 1 < len(words):
        j, extra = j + 1, 0.5
    hour = _hour(words[j])
    if hour is None:
        return None
    end = j + 1
    m = _CLOCK_DIGITS.match(words[j])
    if m and m.group(2):
        extra += int(m.group(2)) / 60
    elif extra == 0.0 and end < len(words):
        for size in (2, 1):
            piece = " ".join(words[end : end + size])
            if piece in _MINUTE_WORDS:
                extra, end = _MINUTE_WORDS[piece], end + size
                break
    ampm = end < len(words) and words[end] in ("am", "pm", "a.m.", "p.m.")
    if ampm:
        hour = hour % 12 + (12 if words[end].startswith("p") else 0)
        end += 1
    return Clock(i, end, hour + extra, ampm)


def _hour(word: str) -> float | None:
    if word in _HOUR_WORDS:
        return _HOUR_WORDS[word]
    m = _CLOCK_DIGITS.match(word)
    if m:
        h = int(m.group(1))
        return float(h) if 1 <= h <= 12 or (m.group(2) and h <= 23) else None
    n = cardinal(word) if word.isalpha() else None
    return float(n) if n is not None and 1 <= n <= 12 else None


def cardinal(word: str) -> int | None:
    """A whole number said as one word or digits ("three", "3")."""
    if word.isdigit():
        return int(word)
    try:
        return int(text2num(word, "en"))
    except ValueError:
        return None


def hours_between(first: Clock, second: Clock) -> float:
    """Hours from one time of day to the next time the clock shows the other ("eleven" to "six": 7)."""
    cycle = 24.0 if first.ampm and second.ampm else 12.0
    return (second.hour - first.hour) % cycle
