"""What the vocabulary found and what the reader read, made into one account of a turn.

The vocabulary (phrases with ConText) is exact about the words it knows; the reader generalises to
words it has never seen.  A fact either one finds is kept, so a warning sign is never lost because
one of them missed it; where they disagree about a warning sign, the sign is kept but marked
doubtful (a confidence below ``ReaderSettings.sure``), and the conversation asks before acting on it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .reader import ANSWERS, Reading
from .understanding import ABSENT, HYPOTHETICAL, OTHER, PRESENT, STRENGTH, TAKEN, UNSURE, FactFound, Found, TopicFound

READER = "reader"  # the cue a fact found by the reader alone carries


@dataclass(frozen=True)
class ReaderSettings:
    """Thresholds for taking what the reader reads; chosen on held-out tuning files for each trained
    reader and kept beside it (reader.json, "settings")."""

    fact: float = 0.5  # a warning sign's state the reader alone gives is taken at this probability
    fact_other: float = 0.7  # any other fact's: acted on without asking, so it must be surer
    sure: float = 0.9  # a warning sign only the reader found is acted on without asking from here
    against: float = 0.6  # the reader this sure a sign is not the user's: a sign the vocabulary found is doubted
    unsaid: float = 0.9  # the reader this sure a fact other than a warning sign is not told at all: the
    # vocabulary's finding is a word used of something else ("a stress test on my laptop")
    answer: float = 0.5  # yes / no / not sure
    answer_alone: float = 0.9  # ... when it is all that is understood in the turn ("purple elephants")
    topic: float = 0.5  # the bedtime topic
    topic_close: float = 0.25  # a second topic this likely: ask which was meant
    command: float = 0.5
    choice: float = 0.5  # a worded value (area, side, how often, how long each twitch lasts)

    @classmethod
    def from_json(cls, doc: Mapping[str, Any] | None) -> ReaderSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in (doc or {}).items() if k in known})


def merged_facts(
    found: list[FactFound],
    reading: Reading,
    warning_signs: Collection[str],
    settings: ReaderSettings,
    implied: Collection[FactFound] = (),
    keep: Collection[str] = (),
) -> list[FactFound]:
    """The vocabulary's facts with the reader's added: what only the reader found, and doubt where the
    reader is sure a sign the vocabulary took is not the user's ("my dad's arm went weak").  Any other
    fact the vocabulary found is dropped where the reader is sure nothing of it was told; a warning
    sign never is, nor one of ``keep`` (the complaint itself, what the question asks about).
    ``implied``: facts the values settle, taken as they are."""
    kept = {*warning_signs, *keep}
    found = [f for f in found if not _unsaid(f, reading, kept, settings)] + list(implied)
    strongest: dict[str, str] = {}
    for f in found:
        if f.state in TAKEN and STRENGTH[f.state] > STRENGTH.get(strongest.get(f.fact, ""), 0):
            strongest[f.fact] = f.state
    noted = {f.fact for f in found}
    out: list[FactFound] = []
    for f in found:
        if f.state == PRESENT and f.fact in warning_signs and f.fact in reading.facts:
            state, p = reading.state(f.fact)
            if state != PRESENT and p >= settings.against:
                f = FactFound(f.fact, f.state, f.words, min(f.confidence, 1.0 - p), (*f.cues, READER))
        out.append(f)
    for fact in reading.facts:
        state, p = reading.state(fact)
        need = settings.fact if fact in warning_signs else settings.fact_other
        if state == "none" or p < need or strongest.get(fact) == PRESENT:
            continue
        words = reading.words(fact)
        if state == PRESENT:
            # a sign the vocabulary missed or read as denied: kept, and doubtful unless the reader is sure
            sure = p >= settings.sure or fact not in warning_signs
            out.append(FactFound(fact, PRESENT, words, p if sure else min(p, settings.sure - 0.01), (READER,)))
        elif fact in strongest:
            continue  # the vocabulary's own "no" or "not sure" stands
        elif state == ABSENT and fact in warning_signs and p < settings.sure:
            continue  # a warning sign is ruled out by the reader alone only when it is sure, as a "no" is
        elif state in (ABSENT, UNSURE):
            out.append(FactFound(fact, state, words, p, (READER,)))
        elif state in (OTHER, HYPOTHETICAL) and fact not in noted:
            out.append(FactFound(fact, state, words, p, (READER,)))
    return out


def _unsaid(f: FactFound, reading: Reading, kept: Collection[str], settings: ReaderSettings) -> bool:
    if f.state != PRESENT or f.fact in kept or f.fact not in reading.facts:
        return False
    state, p = reading.state(f.fact)
    return state == "none" and p >= settings.unsaid


READER_MOST = 0.999  # the reader's answers stay below 1.0: exactly 1.0 is an answer phrase of the templates


@dataclass(frozen=True)
class AroundAnswer:
    """What the rest of a turn tells, against which an answer read from the whole of it is weighed."""

    yes_no: bool = True  # a yes/no question is pending
    screening: bool = False  # ... and it asks about warning signs
    alone: bool = False  # nothing else in the turn is understood: no fact, no value
    elsewhere: bool = False  # it tells only of what the question does not ask ("my arm is weak" to "has it spread?")
    unsupported: bool = False  # nothing in it tells of what the question asks about
    derived: Found | None = None  # the answer the turn's facts give ("no drooping, arms fine": no)
    signs_told: bool = False  # a warning sign is told present or doubted
    only_values: bool = False  # it tells values and nothing of what the question asks ("actually it's three weeks")
    correcting: bool = False  # said as a correction ("actually", "I mean")


def merged_answer(
    found: Found | None, reading: Reading, text: str, settings: ReaderSettings, turn: AroundAnswer = AroundAnswer()
) -> Found | None:
    """A reply that is nothing but an answer ("yep", "not really") is the templates'; otherwise the
    reader's, which reads answers said with more ("a smidge, the top of my cheek").  A "no" that would
    rule out warning signs (``turn.screening``) is taken from the reader only when it is sure, and so is
    an answer in a turn where nothing else is understood (``turn.alone``): a reader fed words it was
    never taught ("purple elephants") may still lean one way.  A turn with no yes or no in it that tells
    only of other things (``turn.elsewhere``) answers nothing: the reader, taught that a sign told in
    reply is often a yes, would read it as one."""
    if found is not None and found.confidence == 1.0:
        return found
    if found is None and turn.elsewhere:
        return None
    k = int(reading.answer.argmax())
    p = min(float(reading.answer[k]), READER_MOST)
    if ANSWERS[k] == "no" and turn.screening and p < settings.sure:
        return found
    if found is not None and found.value == "no" and turn.elsewhere and ANSWERS[k] == "yes" and p < settings.sure:
        # "no, but my eye won't close and my tea dribbles out" to the stroke question: a no said, and the rest
        # tells only of what the question does not ask, each acted on as itself; a yes the reader is not sure of
        # would have been an emergency for "a sudden droop, arm weakness, slurred speech …", none of them told
        return found
    if (
        found is not None
        and found.value == "unsure"
        and ANSWERS[k] in ("yes", "no")
        and (p < settings.sure or turn.unsupported)
    ):
        # "maybe five and a half hours": a "maybe" said is not turned into a yes or a no by a reader
        # that is not sure of it, nor where nothing else said makes it one ("not sure" is never read as "no")
        return found
    need = settings.answer_alone if turn.alone and found is None else settings.answer
    if ANSWERS[k] != "none" and p >= need:
        return Found(ANSWERS[k], text, p)
    if ANSWERS[k] == "none" and p >= settings.answer:
        return None
    return found


def checked_answer(answer: Found | None, template: Found | None, turn: AroundAnswer) -> Found | None:
    """The answer merged from the templates and the reader (``merged_answer``), held against the rest of
    the turn; with none, the one its facts give."""
    if answer is not None and not turn.yes_no and answer.confidence < 1.0:
        answer = None  # a yes or no said with more, where no yes/no question is pending, answers nothing
    if answer is not None and template is None and turn.screening and turn.only_values:
        # "actually it's three weeks" to the stroke question tells a length: the reader's yes there would be
        # an emergency with no word of yes said, and its "not sure" of a length put right no doubt
        if answer.value == "yes" or turn.correcting:
            answer = None
    if answer is None:
        return turn.derived
    if answer.value == "yes" and answer.confidence < 1.0 and turn.screening and turn.elsewhere and not turn.signs_told:
        # "yes, it's better after a lie-in" to the stroke question: a yes that may be said of what the rest of
        # the turn tells, none of it a sign. Taken, it was an emergency for five signs; dropped, a sign could
        # be lost: it is a "not sure", and the signs are asked one at a time
        return Found("unsure", answer.words, answer.confidence)
    if answer.value == "yes" and answer.confidence < 1.0 and turn.derived is not None and turn.derived.value == "no":
        # "no face drop, no arm weakness, but I do feel dizzy": a yes read from a turn whose every word on the
        # question's facts denies them, and that tells of no sign, is no yes; nor is it a no, for the reader may
        # have heard a sign the vocabulary missed ("face is normal but my hearing's gone funny"): the rest of
        # a screening question is asked
        return answer if turn.signs_told else None if turn.screening else turn.derived
    return answer


def merged_topic(reading: Reading, words: str, settings: ReaderSettings) -> TopicFound | None:
    ranked = sorted(reading.topic.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < settings.topic:
        return None
    (best, p), rest = ranked[0], ranked[1:]
    alternative = rest[0][0] if rest and rest[0][1] >= settings.topic_close else None
    return TopicFound(best, p, words, alternative)


def merged_command(
    found: Found | None, reading: Reading, text: str, intents: Mapping[str, str], settings: ReaderSettings
) -> Found | None:
    """A command said alone is the templates'; one said among other words the reader's (as the
    template intent that says it), else the templates' guess at its edges."""
    if found is not None and found.confidence == 1.0:
        return found
    if found is not None and not any(intents.get(a) == found.value for a in reading.command):
        return found  # a command the reader was never taught ("what do you mean by spread? like my other eye?")
    action, p = max(reading.command.items(), key=lambda kv: kv[1], default=("", 0.0))
    if p >= settings.command and action in intents:
        return Found(intents[action], text, p)
    return found


def reader_choices(reading: Reading, settings: ReaderSettings) -> dict[str, Any]:
    """Worded values the reader is sure of: several areas at once, one of each other kind."""
    out: dict[str, Any] = {}
    for name, probs in reading.choices.items():
        if name == "area":
            chosen = [v for v, p in probs.items() if p >= settings.choice]
            if chosen:
                out[name] = chosen
            continue
        value, p = max(probs.items(), key=lambda kv: kv[1], default=("", 0.0))
        if p >= settings.choice:
            out[name] = value
    return out
