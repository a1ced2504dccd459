"""The guided relaxation's content: routines of parts (intro, counted breathing, muscle groups, a
resting scan, an ending), the lengths people can ask for, and the guide's voice; validated at load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from validation import SchemaError, optional, require


@dataclass(frozen=True)
class Line:
    say: str
    pause: float = 0.0


@dataclass(frozen=True)
class Breathing:
    share: float
    lead: Line
    in_s: int
    out_s: int
    counted: int  # breaths counted aloud, second by second; then only "in" and "out"
    in_word: str
    out_word: str
    quiet_lead: Line


@dataclass(frozen=True)
class MuscleGroup:
    tense: str
    release: str


@dataclass(frozen=True)
class Muscles:
    share: float
    lead: Line
    tense_s: float
    release_s: float
    groups: tuple[MuscleGroup, ...]  # the last (the face) is always kept


@dataclass(frozen=True)
class Scan:
    share: float
    lead: Line
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    source: str
    intro: tuple[Line, ...]
    breathing: Breathing
    muscles: Muscles
    scan: Scan
    ending: tuple[Line, ...]


@dataclass(frozen=True)
class Relaxation:
    offer_after: tuple[str, ...]  # levels after which it is offered
    default_minutes: int
    choices: Mapping[int, tuple[str, ...]]  # minutes -> what people say for that length
    rate: float  # the guide's speaking rate, as a share of the conversation's
    volume: float
    routines: Mapping[str, Routine]

    def first(self) -> Routine | None:
        return next(iter(self.routines.values()), None)


def parse_relaxation(doc: Any, check_source: Any, levels: tuple[str, ...]) -> Relaxation:
    offer = optional(doc, "offer_after", "", list, f"a list of levels from {', '.join(levels)}", [])
    for j, level in enumerate(offer):
        if level not in levels:
            raise SchemaError(f"offer_after[{j}]", f"one of {', '.join(levels)}", level)
    minutes = optional(doc, "minutes", "", dict, "a mapping {default, choices}", {"default": 5, "choices": {5: []}})
    default = require(minutes, "default", "minutes", int, "a whole number of minutes")
    raw_choices = require(minutes, "choices", "minutes", dict, "a mapping of minutes: the words that ask for it")
    choices: dict[int, tuple[str, ...]] = {}
    for length, words in raw_choices.items():
        if not isinstance(length, int) or length <= 0:
            raise SchemaError(f"minutes.choices.{length}", "a whole number of minutes", length)
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise SchemaError(f"minutes.choices.{length}", "a list of words", words)
        choices[length] = tuple(w.lower() for w in words)
    voice = optional(doc, "voice", "", dict, "a mapping {rate, volume}", {})
    rate = _share(voice, "rate", "voice", 1.0)
    volume = _share(voice, "volume", "voice", 1.0)
    routines: dict[str, Routine] = {}
    for i, r in enumerate(optional(doc, "routines", "", list, "a list of routines", [])):
        where = f"routines[{i}]"
        rid = require(r, "id", where, str, "a routine id")
        where = f"routines[{i}] ({rid})"
        source = require(r, "source", where, str, "the source document and section")
        check_source(source, f"{where}.source")
        b = require(r, "breathing", where, dict, "the breathing part")
        m = require(r, "muscles", where, dict, "the muscle part")
        s = require(r, "scan", where, dict, "the resting part")
        routines[rid] = Routine(
            id=rid,
            title=require(r, "title", where, str, "a title"),
            source=source,
            intro=_lines(require(r, "intro", where, list, "a list of {say, pause}"), f"{where}.intro"),
            breathing=Breathing(
                share=_share(b, "share", f"{where}.breathing", None),
                lead=_line(require(b, "lead", f"{where}.breathing", dict, "{say, pause}"), f"{where}.breathing.lead"),
                in_s=_seconds(b, "in", f"{where}.breathing"),
                out_s=_seconds(b, "out", f"{where}.breathing"),
                counted=require(b, "counted", f"{where}.breathing", int, "how many breaths to count aloud"),
                in_word=require(b, "in_word", f"{where}.breathing", str, "the word for breathing in"),
                out_word=require(b, "out_word", f"{where}.breathing", str, "the word for breathing out"),
                quiet_lead=_line(
                    require(b, "quiet_lead", f"{where}.breathing", dict, "{say, pause}"),
                    f"{where}.breathing.quiet_lead",
                ),
            ),
            muscles=Muscles(
                share=_share(m, "share", f"{where}.muscles", None),
                lead=_line(require(m, "lead", f"{where}.muscles", dict, "{say, pause}"), f"{where}.muscles.lead"),
                tense_s=_seconds(m, "tense", f"{where}.muscles"),
                release_s=_seconds(m, "release", f"{where}.muscles"),
                groups=tuple(
                    MuscleGroup(
                        require(g, "tense", f"{where}.muscles.groups[{j}]", str, "what to tense"),
                        require(g, "release", f"{where}.muscles.groups[{j}]", str, "what to say on letting go"),
                    )
                    for j, g in enumerate(require(m, "groups", f"{where}.muscles", list, "a list of muscle groups"))
                ),
            ),
            scan=Scan(
                share=_share(s, "share", f"{where}.scan", None),
                lead=_line(require(s, "lead", f"{where}.scan", dict, "{say, pause}"), f"{where}.scan.lead"),
                lines=tuple(
                    _text(x, f"{where}.scan.lines[{j}]")
                    for j, x in enumerate(require(s, "lines", f"{where}.scan", list, "a list of sentences"))
                ),
            ),
            ending=_lines(require(r, "ending", where, list, "a list of {say, pause}"), f"{where}.ending"),
        )
    if default not in choices:
        raise SchemaError(
            "minutes.default", f"one of the lengths under choices ({', '.join(map(str, choices))})", default
        )
    return Relaxation(tuple(offer), default, choices, rate, volume, routines)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(where, "a sentence", value)
    return value


def _line(data: Any, where: str) -> Line:
    say = require(data, "say", where, str, "the words to say")
    pause = optional(data, "pause", where, (int, float), "seconds of silence after them", 0)
    if pause < 0:
        raise SchemaError(f"{where}.pause", "seconds of silence, 0 or more", pause)
    return Line(say, float(pause))


def _lines(items: list[Any], where: str) -> tuple[Line, ...]:
    return tuple(_line(x, f"{where}[{j}]") for j, x in enumerate(items))


def _seconds(data: Any, key: str, where: str) -> Any:
    value = require(data, key, where, (int, float), "a number of seconds")
    if value <= 0:
        raise SchemaError(f"{where}.{key}", "a number of seconds above 0", value)
    return value


def _share(data: Any, key: str, where: str, default: float | None) -> float:
    value = (
        require(data, key, where, (int, float), "a share between 0 and 1")
        if default is None
        else optional(data, key, where, (int, float), "a share between 0 and 1", default)
    )
    if not 0 < value <= 1:
        raise SchemaError(f"{where}.{key}", "a share between 0 and 1", value)
    return float(value)
