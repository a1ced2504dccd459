"""A guided relaxation planned to a length: the routine's parts as steps of words and silence.

Pure: a routine from content and a length in minutes go in, steps come out.  How long words take to
say is estimated from the speaking rate; the silences are exact, and what the estimate gets wrong is
absorbed by the breathing, which is counted in cycles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from content.relaxation import Breathing, Line, MuscleGroup, Muscles, Routine, Scan

from .events import Step

COUNTS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def saying_time(text: str, words_per_minute: float) -> float:
    """Seconds to say ``text`` at a speaking rate (a comma or a full stop adds a short breath)."""
    words = len(text.split())
    marks = sum(text.count(c) for c in ",.:;")
    return 60.0 * words / words_per_minute + 0.15 * marks


def plan(routine: Routine, minutes: float, words_per_minute: float) -> list[Step]:
    """Intro, counted slow breathing, tense-and-release muscle by muscle (the face last), a resting
    scan, the ending; lasting about ``minutes``."""

    def t(line: Line) -> float:
        return saying_time(line.say, words_per_minute) + line.pause

    total = minutes * 60.0
    fixed = [*routine.intro, routine.breathing.lead, routine.breathing.quiet_lead, routine.muscles.lead]
    fixed += [routine.scan.lead, *routine.ending]
    rest = max(0.0, total - sum(t(x) for x in fixed))

    muscles = _muscles(routine.muscles, rest * routine.muscles.share, words_per_minute)
    scan = _scan(routine.scan, rest * routine.scan.share, words_per_minute)
    used = sum(saying_time(s.text, words_per_minute) + s.pause_s for s in muscles + scan)
    breathing = _breathing(routine.breathing, max(0.0, rest - used), words_per_minute)

    def steps(lines: Sequence[Line]) -> list[Step]:
        return [Step(x.say, x.pause) for x in lines]

    b = routine.breathing
    return [
        *steps(routine.intro),
        Step(b.lead.say, b.lead.pause),
        *breathing,
        Step(routine.muscles.lead.say, routine.muscles.lead.pause),
        *muscles,
        Step(routine.scan.lead.say, routine.scan.lead.pause),
        *scan,
        *steps(routine.ending),
    ]


def _breathing(b: Breathing, seconds: float, wpm: float) -> list[Step]:
    """Counted breaths first (each count a second long), then the quiet lead and breaths with only
    "in" and "out" said; as many as fit in ``seconds``, at least the counted ones."""

    def counted(word: str, length: int) -> list[Step]:
        words = [word, *COUNTS[: length - 1]]
        return [Step(f"{w},", max(0.0, 1.0 - saying_time(w, wpm))) for w in words]

    out: list[Step] = []
    cycle = float(b.in_s + b.out_s)
    n = max(b.counted, round(seconds / cycle)) if cycle else 0
    for i in range(n):
        if i < b.counted:
            out += counted(b.in_word, b.in_s) + counted(b.out_word, b.out_s)
            continue
        if i == b.counted:
            out.append(Step(b.quiet_lead.say, b.quiet_lead.pause))
        out.append(Step(f"{b.in_word}.", max(0.0, b.in_s - saying_time(b.in_word, wpm))))
        out.append(Step(f"{b.out_word}.", max(0.0, b.out_s - saying_time(b.out_word, wpm))))
    return out


def _muscles(m: Muscles, seconds: float, wpm: float) -> list[Step]:
    """As many groups as fit, spread over the body and always ending with the last (the face)."""
    per = [saying_time(g.tense, wpm) + m.tense_s + saying_time(g.release, wpm) + m.release_s for g in m.groups]
    k = len(m.groups)
    while k > 1 and sum(per[-k:]) > seconds:
        k -= 1
    chosen = _spread(m.groups, k)
    out: list[Step] = []
    for g in chosen:
        out += [Step(g.tense, m.tense_s), Step(g.release, m.release_s)]
    return out


def _spread(groups: Sequence[MuscleGroup], k: int) -> list[MuscleGroup]:
    """``k`` groups from head to toe in order, spaced evenly, the last always among them."""
    n = len(groups)
    if k >= n:
        return list(groups)
    picks = sorted({round(n - 1 - i * (n - 1) / max(1, k - 1)) for i in range(k)} if k > 1 else {n - 1})
    return [groups[i] for i in picks]


def _scan(s: Scan, seconds: float, wpm: float) -> list[Step]:
    """Each line, then an equal share of the time in silence (at least three seconds)."""
    if not s.lines:
        return []
    each = seconds / len(s.lines)
    return [Step(line, max(3.0, each - saying_time(line, wpm))) for line in s.lines]


def length_chosen(text: str, choices: Mapping[int, tuple[str, ...]]) -> int | None:
    """The length in minutes a reply asks for ("a short one", "ten minutes"), if any."""
    said = f" {text.lower()} "
    for minutes, words in sorted(choices.items(), key=lambda kv: -max(len(w) for w in kv[1])):
        if any(f" {w} " in said or f" {w}," in said or f" {w}." in said for w in words):
            return minutes
    return None
