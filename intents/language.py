"""The text pipeline every layer of understanding reads: plain spelling, tokens, word stems, clauses.

spaCy's English tokenizer splits the text ("can't" -> "ca", "n't"); each
token's lemma is set to the Snowball stem of its norm, so vocabulary phrases
match word forms ("drooping", "droops", "drooped" all stem to "droop").
Sentences end at . ! ? only; the finer clause boundaries are worked out once
the mentions are known (see ``clause_breaks``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import Stemmer
from spacy.lang.en import English
from spacy.tokens import Doc

from validation import SchemaError, optional, require

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"'})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]+")
CLAUSE_PUNCT = {",", ";", ":", "-", "—", "–"}  # not "?": in "dizzy? no" the no answers the dizzy
MAX_CHARS = 2000  # one spoken turn is far shorter; longer input is cut, not parsed for seconds


@dataclass(frozen=True)
class LanguageData:
    """The words around the facts (content/data/language.yaml), validated."""

    respell: Mapping[str, str]
    fillers: tuple[str, ...]
    clause_starts: frozenset[str]
    comma_clause_starts: frozenset[str]
    gap_stops: frozenset[str]
    joins: frozenset[str]  # words that join two clauses: a time said on one side is not the other's
    doubt_objects: frozenset[str]  # "not sure why", "no idea if": a doubt of what it means
    context: Mapping[str, Any]
    mention_states: Mapping[str, str]
    amounts: Mapping[str, float]
    time: Mapping[str, Any]
    history_cues: frozenset[str]  # stems of words that tell of the past ("had", "ago")
    questions: Mapping[str, Any]  # opens (phrases), verbs, subjects, not_before
    # "my arm's dead because the cat slept on it": an everyday cause or a lifelong habit said after a sign
    explained_after: tuple[str, ...] = ()
    glued_units: frozenset[str] = frozenset()  # "5hrs": a unit glued to its number
    # "a few seconds": a length no count is measured in, so the number before it counts nothing asked for
    other_units: frozenset[str] = frozenset()
    # "probably 6 hours": answer words that, before a number, hedge it and answer nothing
    number_hedges: frozenset[str] = frozenset()
    typed_shorthand: Mapping[str, str] = field(default_factory=dict)  # "n" typed alone is "no"
    sound_alike_answers: frozenset[str] = frozenset()  # "uh huh" / "uh-uh": heard, always confirmed
    corrections: tuple[str, ...] = ()  # "actually", "I mean": a turn that puts right what was said before
    explained_not_with: frozenset[str] = frozenset()  # "... because I think I'm having a stroke" explains nothing
    ranking_stopwords: frozenset[str] = frozenset()  # words the topic ranker ignores
    echo_leads: frozenset[str] = frozenset()  # "any weakness? not that I've noticed": words before an echoed sign


def parse_language(doc: Any) -> LanguageData:
    if not isinstance(doc, dict):
        raise SchemaError("(document)", "a mapping with respell, fillers, context, amounts, time", doc)
    respell = optional(doc, "respell", "", dict, "a mapping of spelling: plain spelling", {})
    for key, value in respell.items():
        if not isinstance(value, str) or not str(key).strip():
            raise SchemaError(f"respell.{key}", "a plain spelling", value)
    fillers = _words(optional(doc, "fillers", "", list, "a list of words", []), "fillers")
    context = require(doc, "context", "", dict, "a mapping of modifier category: {forward, backward}")
    states = require(doc, "mention_states", "", dict, "a mapping of modifier category: state")
    for category, state in states.items():
        if state not in ("absent", "unsure", "other", "hypothetical"):
            raise SchemaError(f"mention_states.{category}", "one of absent, unsure, other, hypothetical", state)
        if category not in context:
            raise SchemaError(f"mention_states.{category}", "a category declared under 'context'", category)
    explained = optional(doc, "explained_after", "", dict, "a mapping with phrases and not_with", {})
    amounts = optional(doc, "amounts", "", dict, "a mapping of words: number", {})
    for key, value in amounts.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(f"amounts.{key}", "a number", value)
    time = require(doc, "time", "", dict, "a mapping with units, months, weekdays, relative")
    units = require(time, "units", "time", dict, "a mapping of unit word: days")
    for key, value in units.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise SchemaError(f"time.units.{key}", "a number of days above 0", value)
    months = require(time, "months", "time", list, "the twelve month names, January first")
    if len(months) != 12:
        raise SchemaError("time.months", "the twelve month names, January first", months)
    weekdays = require(time, "weekdays", "time", list, "the seven weekday names, Monday first")
    if len(weekdays) != 7:
        raise SchemaError("time.weekdays", "the seven weekday names, Monday first", weekdays)
    return LanguageData(
        respell={str(k).lower(): v.lower() for k, v in respell.items()},
        fillers=tuple(fillers),
        clause_starts=frozenset(
            _words(optional(doc, "clause_starts", "", list, "a list of words", []), "clause_starts")
        ),
        comma_clause_starts=frozenset(
            _words(optional(doc, "comma_clause_starts", "", list, "a list of words", []), "comma_clause_starts")
        ),
        gap_stops=frozenset(_words(optional(doc, "gap_stops", "", list, "a list of words", []), "gap_stops")),
        joins=frozenset(_words(optional(doc, "joins", "", list, "a list of words", []), "joins")),
        doubt_objects=frozenset(
            _words(optional(doc, "doubt_objects", "", list, "a list of words", []), "doubt_objects")
        ),
        context=context,
        mention_states=dict(states),
        amounts={str(k).lower(): float(v) for k, v in amounts.items()},
        time=time,
        history_cues=frozenset(_words(optional(doc, "history_cues", "", list, "a list of words", []), "history_cues")),
        questions=_questions(optional(doc, "questions", "", dict, "a mapping with opens, verbs, subjects", {})),
        ranking_stopwords=frozenset(
            _words(optional(doc, "ranking_stopwords", "", list, "a list of words", []), "ranking_stopwords")
        ),
        glued_units=frozenset(_words(optional(doc, "glued_units", "", list, "a list of words", []), "glued_units")),
        other_units=frozenset(_words(optional(doc, "other_units", "", list, "a list of words", []), "other_units")),
        number_hedges=frozenset(
            _words(optional(doc, "number_hedges", "", list, "a list of words", []), "number_hedges")
        ),
        echo_leads=frozenset(_words(optional(doc, "echo_leads", "", list, "a list of words", []), "echo_leads")),
        typed_shorthand=_shorthand(optional(doc, "typed_shorthand", "", dict, "a mapping of letters: words", {})),
        sound_alike_answers=frozenset(
            " ".join(_WORD.findall(w))
            for w in _words(
                optional(doc, "sound_alike_answers", "", list, "a list of answers", []), "sound_alike_answers"
            )
        ),
        corrections=tuple(_words(optional(doc, "corrections", "", list, "a list of words", []), "corrections")),
        explained_after=tuple(optional(explained, "phrases", "explained_after", list, "a list of phrases", [])),
        explained_not_with=frozenset(
            _words(
                optional(explained, "not_with", "explained_after", list, "a list of words", []),
                "explained_after.not_with",
            )
        ),
    )


def _shorthand(doc: dict[Any, Any]) -> dict[str, str]:
    for key, value in doc.items():
        if not isinstance(value, str) or not value.strip():
            raise SchemaError(f"typed_shorthand.{key}", "the words it stands for", value)
    return {str(k).lower(): v for k, v in doc.items()}


def _questions(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"opens": optional(doc, "opens", "questions", list, "a list of phrases", [])}
    for key in ("verbs", "subjects", "not_before", "owners", "about_now", "given_after"):
        out[key] = frozenset(_words(optional(doc, key, "questions", list, "a list of words", []), f"questions.{key}"))
    out["terse_words"] = optional(doc, "terse_words", "questions", int, "a number of words", 0)
    return out


def _words(items: list[Any], where: str) -> list[str]:
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SchemaError(f"{where}[{i}]", "a word", item)
    return [str(item).lower() for item in items]


def whole_words(phrases: Iterable[str], possessive: bool = False) -> re.Pattern[str]:
    """A pattern finding any of the phrases as whole words, longest first, in group 1; with
    ``possessive``, "week's" is found as "week"."""
    alternatives = sorted((re.escape(p) for p in phrases), key=len, reverse=True)
    tail = r"(?:'s)?" if possessive else ""
    return re.compile(r"(?<![\w'])(" + "|".join(alternatives) + r")" + tail + r"(?![\w'])")


def bare_words(text: str) -> str:
    """The words of ``text`` alone, lower case, one space apart ("Uh-uh." -> "uh uh")."""
    return " ".join(_WORD.findall(plain(text)))


def plain(text: str) -> str:
    """Lower case with plain apostrophes and quotes."""
    return text.translate(_APOSTROPHES).lower()


class Pipeline:
    """Tokens with stems, built once per content set and shared by every layer."""

    def __init__(self, data: LanguageData) -> None:
        self.data = data
        self.nlp = English()
        self.nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", ";", "\n"]})
        self._stemmer = Stemmer.Stemmer("english")
        self.stem = lru_cache(maxsize=65536)(self._stemmer.stemWord)
        # "mom's" respelt too ("mum's"): a recognizer writes American spellings with a possessive
        self._respell = whole_words(data.respell, possessive=True) if data.respell else None
        units = sorted(data.glued_units, key=len, reverse=True)
        self._glued = re.compile(r"\b(\d+(?:\.\d+)?)(" + "|".join(map(re.escape, units)) + r")\b") if units else None
        self.speller: Callable[[str], str] | None = None  # set once the vocabulary is known

    def normalise(self, text: str) -> str:
        """Lower case, plain apostrophes, one space, the recognizers' and typists' spellings made plain."""
        text = _SPACES.sub(" ", plain(text)).strip()[:MAX_CHARS]
        if self._glued is not None:
            text = self._glued.sub(r"\1 \2", text)
        if self._respell is not None:
            text = self._respell.sub(lambda m: self.data.respell[m.group(1)] + m.group(0)[len(m.group(1)) :], text)
        if self.speller is not None:
            speller = self.speller
            text = _WORD.sub(lambda m: speller(m.group(0)), text)
        return text

    def doc(self, text: str) -> Doc:
        doc = self.nlp(self.normalise(text))
        for token in doc:
            token.lemma_ = self.stem(token.norm_)
        return doc

    def words_of(self, text: str) -> list[tuple[str, str]]:
        """Each token of a vocabulary phrase: its lower-case text and its stem, as ``doc`` makes them."""
        return [(t.lower_, self.stem(t.norm_)) for t in self.nlp.make_doc(self.normalise(text))]


def clause_breaks(
    doc: Doc,
    mentions: Iterable[tuple[int, int]],
    starts: frozenset[str],
    negations: frozenset[str] = frozenset(),
    questions: Mapping[str, Any] | None = None,
) -> set[int]:
    """Token indices where a new clause begins, punctuation aside.

    Spoken text has no commas: "no headaches my arm feels weak" is two clauses.
    A clause starts at a word from ``starts`` that follows the end of a mention
    or a comma; "I haven't noticed my face drooping" stays one clause.  A
    negation word after a mention starts one only when another mention follows
    it ("my arm feels weak no headaches"); "dizzy? no" and "arm no, speech no"
    are one thought each.  A
    question verb starts one only before a subject ("my arm is weak is that a
    stroke", not "my ears are fine").
    """
    verbs = questions["verbs"] if questions else frozenset()
    subjects = questions["subjects"] if questions else frozenset()
    spans = list(mentions)
    ends = {end for _, end in spans}
    begins = {start for start, _ in spans}
    out: set[int] = set()
    for token in doc[1:]:
        i = token.i
        word = token.lower_
        after_punct = doc[i - 1].is_punct
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if word in negations:
            # "arm no, speech no": a no that a comma closes ends the thought before it
            closed = nxt in CLAUSE_PUNCT
            if doc[i - 1].text in CLAUSE_PUNCT or (
                i in ends and not closed and any(b in begins for b in range(i + 1, i + 4))
            ):
                out.add(i)
            elif closed and i in ends and i + 2 < len(doc):
                out.add(i + 2)  # and what follows the comma is a thought of its own ("..., dizzy yes")
        elif word in verbs:
            if (i in ends or after_punct) and nxt in subjects:
                out.add(i)
        elif word in starts and (i in ends or after_punct):
            out.add(i)
    return out
