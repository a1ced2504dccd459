"""One utterance, with the question it answers, to an Understanding: everything found in it.

The layers, each from content: commands (hassil templates), yes/no/unsure
(the answer templates), facts and worded values (medspaCy target rules and
ConText), durations and counts, and the bedtime topic asked (BM25).
Nothing here knows the rules or the dialog beyond the pending question.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from hassil import Intents
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .answers import Answers
from .concepts import Concepts, Mention
from .language import LanguageData, Pipeline, plain, whole_words
from .merge import (
    AroundAnswer,
    ReaderSettings,
    checked_answer,
    merged_answer,
    merged_command,
    merged_facts,
    merged_topic,
    reader_choices,
)
from .numbers import find_amounts
from .parse import IntentParser
from .phrases import compile_phrases
from .reader import Reader, Reading, ask_key
from .spelling import Speller
from .topics import TopicExamples, Topics, TopicSettings
from .understanding import ABSENT, HYPOTHETICAL, OTHER, PRESENT, TAKEN, UNSURE, FactFound, Found, Pending, Understanding
from .values import Value, Values, choices_in

# a command said before or after other words: "help, my arm feels weak", "no thanks, I'll just go to sleep"
MAX_COMMAND_WORDS = 6
PART_CHARS = 1000  # a turn is understood in parts of at most this many characters (language.MAX_CHARS caps one)
# a warning sign told with an everyday cause after it: below the dialog's sure_sign, so it is asked about
EXPLAINED = 0.8


@dataclass(frozen=True)
class Sources:
    """The content understanding is built from."""

    language: LanguageData
    vocabulary: Mapping[str, Any]
    templates: Mapping[str, Any]
    facts: Collection[str]
    duration_fact: str
    topics: Sequence[TopicExamples]
    commands: Collection[str]  # the template intents that are commands to the skill
    actions: Mapping[str, str] = field(default_factory=dict)  # template intent -> what the command does
    warning_signs: Collection[str] = ()  # facts never dropped: doubted, they are asked about
    reader: Reader | None = None  # the trained reader, when the content has one
    reader_settings: ReaderSettings = field(default_factory=ReaderSettings)


class Understander:
    def __init__(self, sources: Sources, topic_settings: TopicSettings | None = None) -> None:
        self.pipeline = Pipeline(sources.language)
        facts = set(sources.facts)
        self.concepts = Concepts(self.pipeline, sources.vocabulary, facts)
        self.values = Values(self.pipeline, sources.vocabulary, facts, sources.duration_fact)
        self.duration_fact = sources.duration_fact
        self.answers = Answers(self.pipeline, sources.templates)
        self.topics = Topics(self.pipeline, sources.topics, topic_settings or TopicSettings(), self._features)
        self.commands = frozenset(sources.commands)
        self.reader = sources.reader
        self.reader_settings = sources.reader_settings
        self.warning_signs = frozenset(sources.warning_signs)
        self.intent_for: dict[str, str] = {}  # action -> the first template intent that says it
        for intent, action in sources.actions.items():
            self.intent_for.setdefault(action, intent)
        self.choice_facts = {name: spec["fact"] for name, spec in (sources.vocabulary.get("choices") or {}).items()}
        self.pipeline.speller = Speller(_words_in(sources)).correct
        # hassil tries every intent it is given; commands are a few short ones, so they get a parser of their own
        only = {
            **sources.templates,
            "intents": {k: v for k, v in sources.templates["intents"].items() if k in self.commands},
        }
        self.parser = IntentParser(Intents.from_dict(only))
        q = sources.language.questions
        self.question_verbs, self.question_subjects, self.not_before = q["verbs"], q["subjects"], q["not_before"]
        self.question_owners, self.question_now, self.question_given = q["owners"], q["about_now"], q["given_after"]
        self.terse_words: int = q["terse_words"]
        corrections = sources.language.corrections
        self.corrections = whole_words(corrections) if corrections else None
        self.question_opens = Matcher(self.pipeline.nlp.vocab)
        opens = compile_phrases(q["opens"], {}, "questions.opens", self.pipeline.words_of, frozenset())
        self.question_opens.add("opens", [list(p.pattern) for p in opens])
        self._cached = lru_cache(maxsize=512)(self._understand)
        self._warming: threading.Thread | None = None
        self._reads: ThreadPoolExecutor | None = None  # the reader's own thread, made on first use

    def warm(self) -> None:
        """Build now what is otherwise built on first need: the topic index and every phrase matcher."""
        if self.reader is None:
            self.topics.build()
        for _, group in self.concepts.matchers:
            group.build()

    def warm_in_background(self) -> None:
        """Warm up while the skill greets the user; the first turn waits for it to finish, so the
        pipeline is never used from two threads at once."""
        if self._warming is None:
            self._warming = threading.Thread(target=self.warm, name="twitchcheck-warm-up", daemon=True)
            self._warming.start()

    def stem(self, word: str) -> str:
        """A word's stem, as understanding compares words ("armed" and "arm")."""
        return str(self.pipeline.stem(word))

    def understand(self, text: str, pending: Pending | None = None, today: date | None = None) -> Understanding:
        """What ``text`` says, as an answer to ``pending``; dates ("since Monday") are read against ``today``."""
        if self._warming is not None:
            self._warming.join()
        pending, today = pending or Pending(), today or date.today()
        head, *rest = parts_of(text, PART_CHARS)
        understood = self._cached(head, pending, today)
        # a long ramble is read whole for what it says first; further on, its warning signs are not lost
        for part in rest:
            later = self._cached(part, pending, today).facts
            signs = [f for f in later if f.fact in self.warning_signs and f.state in (PRESENT, UNSURE)]
            if signs:
                understood = replace(understood, facts=(*understood.facts, *signs))
        return understood

    def _as_said(self, u: Understanding, pending: Pending, doc: Doc) -> Understanding:
        """A value said as a correction ("actually it's three weeks") is meant; otherwise a lone one may
        have been said in passing."""
        return u if u.corrects else _lone_value_in_passing(u, pending, doc)

    def _understand(self, text: str, pending: Pending, today: date) -> Understanding:
        # the reader runs on onnxruntime, which lets go of the interpreter: it reads on the other core
        # while spaCy and the vocabulary read here, and the turn takes the longer of the two, not both
        reading = self._reading(text, pending) if self.reader is not None else None
        doc = self.pipeline.doc(text)
        if not any(t.is_alpha or t.like_num for t in doc):
            if reading is not None:
                reading.cancel()
            return Understanding(text)
        mentions = self.concepts.find(doc, pending.expects)
        doc.user_data["mentions"] = mentions
        # where clauses begin and which of them ask: worked out once, read by facts, times and counts
        starts, asking = self._clause_starts(doc), self._question_starts(doc)
        asks = self._clause_asks(doc, starts, asking)
        asked = "?" in text or bool(asking)
        terse = self._echoed(doc, self._terse_questions(doc), pending.expects)
        mentions = self._questions_ask(doc, mentions, asks, terse, pending.expects)
        amounts = find_amounts(doc, self.pipeline.data.amounts)
        used: set[int] = set()
        found_values: list[Value] = []
        # in answer to a question about a warning sign, "since yesterday" tells when the sign began
        names_twitch = any(m.kind == "fact" and m.name in self.concepts.core for m in mentions)
        about_a_sign = bool(pending.expects & self.concepts.acute) and self.duration_fact not in pending.expects
        dates = names_twitch or not about_a_sign
        # lengths and dates are read in finer stretches, ending also where "but", "and", "because" join
        # two clauses
        stretches = sorted(set(starts) | {t.i for t in doc if t.lower_ in self.pipeline.data.joins})
        duration = self.values.duration(
            doc,
            amounts,
            today,
            used,
            self._onset_of_a_sign(stretches, mentions),
            dates,
            self._of_the_twitch(stretches, mentions),
            self.duration_fact in pending.expects,
        )
        if duration is not None:
            found_values.append(duration)
        counts = [
            c
            for c in self.values.counts_in(doc, amounts, pending.expects, used)
            if c.start < 0 or not asks(c.start, c.start + 1)
        ]
        found_values.extend(counts)
        choices, implied = choices_in(mentions, self.concepts.choices)
        found_values.extend(choices)
        implied_words = {f: w for f, (_, w) in self.values.implied_by_counts(counts).items()}
        implied.update({f: state for f, (state, _) in self.values.implied_by_counts(counts).items()})

        facts = [
            FactFound(m.name, m.state, m.words, 0.6 if m.state == UNSURE else EXPLAINED if m.explained else 1.0, m.cues)
            for m in mentions
            if m.kind == "fact"
        ]
        said = {f.fact for f in facts if f.state in (PRESENT, UNSURE, "absent")}
        # "my gran had Bell's palsy for months": told only of someone else's illness, its how long, how
        # often, how many and where are theirs, not the twitch's (unless the reader reads it as the
        # user's own: "I'm typing for my gran, her cheek's numb")
        theirs = bool(facts) and all(f.state == OTHER for f in facts)
        implied_facts = [
            FactFound(fact, state, implied_words.get(fact) or next((v.words for v in choices), ""), 0.8)
            for fact, state in implied.items()
            if fact not in said
        ]
        values = {v.fact: Found(v.value, v.words, v.confidence) for v in found_values}
        corrects = self.corrections is not None and bool(self.corrections.search(plain(text)))
        if reading is not None:
            understood = self._with_reader(
                doc, text, pending, asked, facts, implied_facts, values, reading.result(), theirs, corrects
            )
            return self._as_said(self._none_of(understood, pending), pending, doc)
        if theirs:
            values = _asked_for(values, pending)
        else:
            facts += implied_facts
        answer = self.answers.find(doc, mentions, not pending.yes_no, bool(pending.expects)) or _derived_answer(
            facts, values, pending
        )
        command = self._command(doc)
        whole_command = command is not None and command.confidence == 1.0
        reported = any(f.state in (PRESENT, "absent", UNSURE) for f in facts) or bool(values)
        # a statement that reports something is a report, not a bedtime question ("I drink five coffees a day")
        quiet = whole_command or (answer is not None and answer.confidence == 1.0) or (reported and not asked)
        topic = None if quiet else self.topics.find(doc, asked)
        understood = Understanding(text, command, answer, tuple(facts), values, topic, asked, corrects=corrects)
        return self._as_said(self._none_of(understood, pending), pending, doc)

    def _reading(self, text: str, pending: Pending) -> Future[Reading]:
        assert self.reader is not None
        if self._reads is None:
            self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="twitchcheck-reader")
        # without the full stop a recognizer adds (and most typed lines lack): the reader, trained mostly
        # on lines without one, read "… every few days." as a no and "… every few days" as a yes
        plain = text.rstrip().rstrip(".!").rstrip() or text
        return self._reads.submit(self.reader.read, ask_key(pending.question), plain)

    def _with_reader(
        self,
        doc: Doc,
        text: str,
        pending: Pending,
        asked: bool,
        found: list[FactFound],
        implied: list[FactFound],
        values: dict[str, Found],
        reading: Reading,
        theirs: bool,
        corrects: bool,
    ) -> Understanding:
        """The vocabulary's findings and the reader's, together (intents/merge.py); ``implied``: the
        facts the values settle; ``theirs``: the vocabulary found only someone else's (see _understand);
        ``corrects``: said as a correction ("actually it's three weeks")."""
        settings = self.reader_settings
        facts = merged_facts(found, reading, self.warning_signs, settings) if theirs else []
        theirs = theirs and all(f.state == OTHER for f in facts)
        if theirs:
            values = _asked_for(values, pending)
        else:
            keep = self.concepts.core | pending.expects
            facts = merged_facts(found, reading, self.warning_signs, settings, implied, keep)
        for name, value in ({} if theirs else reader_choices(reading, settings)).items():
            fact = self.choice_facts.get(name, name)
            if fact not in values:
                values[fact] = Found(value, text, settings.choice)
        mentions = doc.user_data["mentions"]
        template_answer = self.answers.find(doc, mentions, not pending.yes_no, bool(pending.expects))
        told = {f.fact for f in facts if f.state in (PRESENT, "absent", UNSURE)} - self.concepts.core
        about = (told | set(values)) & pending.expects
        around = AroundAnswer(
            yes_no=pending.yes_no,
            screening=bool(pending.expects & self.warning_signs),
            alone=not values and not told,
            elsewhere=bool(pending.expects) and bool(told) and not about,
            unsupported=not values and not told and bool(pending.expects),
            derived=_derived_answer(facts, values, pending),
            signs_told=any(f.fact in self.warning_signs and f.state in (PRESENT, UNSURE) for f in facts),
            only_values=bool(values) and not told and not about,
            correcting=corrects,
        )
        if pending.expects and self.answers.only_agrees(doc):
            # "okay" to "have you noticed drooping?" acknowledges; it is no yes, whatever the reader leans to
            answer = None
        elif template_answer is None and pending.yes_no and self.answers.hedges_a_number(doc):
            # "probably 6 hours" to "any headaches?": a number hedged, no answer; the reader, taught that a
            # "probably" is a yes, would read one
            answer = None
        else:
            answer = merged_answer(template_answer, reading, text, settings, around)
        answer = checked_answer(answer, template_answer, around)
        command = merged_command(self._command(doc), reading, text, self.intent_for, settings)
        whole = (command is not None and command.confidence == 1.0) or (answer is not None and answer.confidence == 1.0)
        topic = None if whole else merged_topic(reading, text, settings)
        if topic is not None and pending.expects and template_answer is None and answer is not None:
            # "my son has one too, is that normal for kids?" to "has it spread?": a bedtime question answers
            # a question about the user only with words that answer ("none of those. is this how a stroke
            # starts?") or with what it tells ("stress mostly. does stress really cause it?")
            answer = around.derived
        return Understanding(text, command, answer, tuple(facts), values, topic, asked, corrects=corrects)

    # -- parts -------------------------------------------------------------

    def _none_of(self, u: Understanding, pending: Pending) -> Understanding:
        """A count is none where the user denies what it counts ("I don't drink coffee": no cups), and
        one asked for where the reply says no ("none", "nope" to "how many cups a day?")."""
        values = dict(u.values)
        for count, fact in self.values.zero_when_denied().items():
            if count in values:
                continue
            denied = [f for f in u.facts if f.fact == fact and f.state == ABSENT]
            if denied:
                values[count] = Found(0, denied[0].words, denied[0].confidence)
            elif count in pending.expects and u.answer is not None and u.answer.value == "no" and not u.answer.derived:
                values[count] = Found(0, u.answer.words, u.answer.confidence)
        return u if values == u.values else replace(u, values=values)

    def _features(self, doc: Doc) -> tuple[list[str], dict[int, str]]:
        """The facts a text names, as words for the topic ranker (twice: a fact outweighs a word), and
        the tokens that name each: "anxious" and "stressed" meet on the one fact."""
        if "mentions" not in doc.user_data:
            doc.user_data["mentions"] = self.concepts.find(doc)
        facts = [m for m in doc.user_data["mentions"] if m.kind == "fact"]
        names = sorted({f"@{m.name}" for m in facts})
        return names * 2, {i: f"@{m.name}" for m in facts for i in range(m.start, m.end)}

    def _question_starts(self, doc: Doc) -> set[int]:
        """Where a clause that asks something begins."""
        strong = {0} | {s.start for s in doc.sents} | {t.i + 1 for t in doc if t.is_punct}
        weak = doc.user_data.get("clause_breaks", set())
        opens = {start for _, start, _ in self.question_opens(doc)}
        out = set()
        for i in strong | weak:
            if i >= len(doc):
                continue
            nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            if nxt in self.not_before:
                continue
            if i in opens or (doc[i].lower_ in self.question_verbs and (i in strong or nxt in self.question_subjects)):
                out.add(i)
        return out

    def _terse_questions(self, doc: Doc) -> list[tuple[int, int]]:
        """The stretches of words that are a short question of their own, with none of the owners in
        them: "stress?", "coffee bad?", "exercise and twitching, linked?"."""
        out: list[tuple[int, int]] = []
        if "?" not in doc.text:
            return out
        start = 0
        for t in doc:
            if t.is_sent_start and t.i > start:
                start = t.i
            if t.text != "?":
                continue
            words = [w for w in doc[start : t.i] if w.is_alpha]
            if words and len(words) <= self.terse_words and not any(w.lower_ in self.question_owners for w in words):
                out.append((start, t.i))
            start = t.i + 1
        return out

    def _echoed(self, doc: Doc, terse: list[tuple[int, int]], expected: frozenset[str]) -> list[tuple[int, int]]:
        """Short questions that are not the user's own: "weak arm? not that I've noticed" repeats the
        question pending before answering it; said alone, "stress?" to it is a hesitant answer."""
        if not expected or not terse or all(not t.is_alpha for t in doc[terse[-1][1] :]):
            return terse
        return []

    def _clause_asks(self, doc: Doc, starts: list[int], asking: set[int]) -> Callable[[int, int], str | None]:
        """For the words ``start:end``, whether the clause they are in asks about them.

        A question about a thing ("is drooping a bad sign", "how many coffees are ok") reports
        nothing: hypothetical.  One that takes the user's own state as given ("why is my face
        drooping", "what should I do my arm is weak") reports it.  One that asks whether the user
        has it ("is my face drooping") is unsure of it.  None: not asked about.
        """

        def asks(start: int, end: int) -> str | None:
            clause = _clause_of(starts, start)
            # the question's own verb may open the mention: "does not sleeping enough set it off"
            if clause not in asking or not (clause < start or doc[clause].lower_ in self.question_verbs):
                return None
            owners = [i for i in range(clause, end) if doc[i].lower_ in self.question_owners]
            if not owners:
                return HYPOTHETICAL
            if owners[0] == clause + 1 and doc[clause].lower_ in self.question_verbs:
                if any(doc[i].lower_ in self.question_given for i in range(owners[0], start)):
                    return None  # "should I see a doctor about my drooling" asks what to do about it
                # "is my face drooping" asks about now; "would my arm go weak" about what might be
                return UNSURE if doc[clause].lower_ in self.question_now else HYPOTHETICAL
            return None

        return asks

    def _clause_starts(self, doc: Doc) -> list[int]:
        """Where each clause begins: sentences, punctuation, and the breaks the mentions showed."""
        breaks = doc.user_data.get("clause_breaks", set())
        return sorted({0} | {s.start for s in doc.sents} | breaks | {t.i + 1 for t in doc if t.is_punct})

    def _onset_of_a_sign(self, starts: list[int], mentions: list[Mention]) -> Callable[[int], bool]:
        """Whether a time said at a token is when a warning sign began, not the twitch: "my words have
        been coming out funny since this afternoon" says nothing of how long the twitch has lasted; nor
        does a time told of someone else ("my dad had a stroke years ago")."""

        facts = [m for m in mentions if m.kind == "fact" and m.state in (PRESENT, UNSURE)]
        signs = {_clause_of(starts, m.start) for m in facts if m.name in self.concepts.acute}
        twitch = {_clause_of(starts, m.start) for m in facts if m.name in self.concepts.core}
        own = {_clause_of(starts, m.start) for m in mentions if m.kind == "fact" and m.state in TAKEN}
        # only beside the user's own: where all are "someone else's", the reader may yet read a proxy's report
        others = {_clause_of(starts, m.start) for m in mentions if m.kind == "fact" and m.state == OTHER}
        theirs = others - own if own else set()
        return lambda i: _clause_of(starts, i) in (signs - twitch) | theirs

    def _of_the_twitch(self, starts: list[int], mentions: list[Mention]) -> Callable[[int], str]:
        """What the clause a token is in tells of: "twitch" where it names the twitch, "other" where it
        names other facts and not the twitch, else ""."""
        core = self.concepts.core
        twitch = {_clause_of(starts, m.start) for m in mentions if m.kind == "fact" and m.name in core}
        other = {_clause_of(starts, m.start) for m in mentions if m.kind == "fact" and m.name not in core}
        return lambda i: "twitch" if (c := _clause_of(starts, i)) in twitch else "other" if c in other else ""

    def _questions_ask(
        self,
        doc: Doc,
        mentions: list[Mention],
        asks: Callable[[int, int], str | None],
        terse: list[tuple[int, int]],
        expected: frozenset[str],
    ) -> list[Mention]:
        """Mentions in a clause said as a question, in the state the question gives them; ``terse``: the
        short questions ("stress?", "arm weak?"), which ask whether it is so; ``expected``: the facts
        the pending question is about ("stress?" to "what sets it off?" is a hesitant yes)."""
        out = []
        for m in mentions:
            # an unsure word in a question ("could dehydration cause it") is the question's own
            state = asks(m.start, m.end) if m.state in (PRESENT, UNSURE) else None
            if state is None and m.state == PRESENT and any(lo <= m.start and m.end <= hi for lo, hi in terse):
                state = UNSURE
            # asking whether you have it is not sure of it, for a sign to act on or a fact asked about;
            # otherwise not told
            kept = m.kind == "fact" and (m.name in self.concepts.acute or m.name in expected)
            if state == UNSURE and m.state == PRESENT and not kept:
                state = HYPOTHETICAL
            if state is not None and state != m.state:
                m = Mention(m.kind, m.name, state, m.words, m.start, m.end, (*m.cues, doc[m.start].text))
            out.append(m)
        return out

    def _command(self, doc: Doc) -> Found | None:
        """A command said alone, or before or after other words: "help, my arm feels weak"."""
        whole = self._match(doc.text)
        if whole is not None:
            return Found(whole, doc.text, 1.0)
        for size in range(min(MAX_COMMAND_WORDS, len(doc) - 1), 0, -1):
            head, tail = doc[:size], doc[len(doc) - size :]
            after = doc[size] if size < len(doc) else None
            before = doc[len(doc) - size - 1] if len(doc) - size - 1 >= 0 else None
            # the last thing said wins: "no thanks, goodnight" ends the session
            for part, edge in ((tail, before), (head, after)):
                # set apart by punctuation: "sorry, say that again"; "my eye won't stop" is no command
                # (tested first: the template match is most of the time a turn takes)
                if edge is None or not edge.is_punct or not any(t.is_alpha for t in part):
                    continue
                name = self._match(part.text)
                if name is not None:
                    return Found(name, part.text, 0.9)
        return None

    def _match(self, text: str) -> str | None:
        intent = self.parser.match(text)
        return intent.name if intent is not None and intent.name in self.commands else None


def _clause_of(starts: list[int], i: int) -> int:
    """The start of the clause token ``i`` is in (``starts`` is sorted and begins with 0)."""
    return starts[bisect_right(starts, i) - 1]


def _derived_answer(facts: list[FactFound], values: Mapping[str, Found], pending: Pending) -> Found | None:
    """The answer a reply gives without a yes or no in it: "my hearing's fine" to a question about
    hearing is a no, "stress and screens mostly" to one about triggers a yes.  Marked derived, so the
    dialog takes the facts themselves rather than the question's "no" for every sign it asks about."""
    if not pending.yes_no or not pending.expects:
        return None
    said = [f for f in facts if f.fact in pending.expects and f.state in (PRESENT, UNSURE, "absent")]
    if not said:
        return None
    states = {f.state for f in said}
    value = "yes" if PRESENT in states else "unsure" if UNSURE in states else "no"
    return Found(value, ", ".join(f.words for f in said), 0.7, derived=True)


def _words_in(sources: Sources) -> set[str]:
    """Every word the content uses: what a slip is put right to."""
    text = json.dumps([sources.vocabulary, sources.templates, [t.examples for t in sources.topics]], default=str)
    return set(re.findall(r"[a-z]+", text.lower()))


def _asked_for(values: dict[str, Found], pending: Pending) -> dict[str, Found]:
    return {k: v for k, v in values.items() if k in pending.expects}


def parts_of(text: str, size: int) -> list[str]:
    """``text`` in parts of at most ``size`` characters, each ended at a sentence's or a clause's end
    where there is one, else at a space."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > size:
        window = rest[:size]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < size // 2:
            cut = max(cut, window.rfind(", "), window.rfind("; "))
        if cut < size // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else size
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [*parts, rest]


def _lone_value_in_passing(u: Understanding, pending: Pending, doc: Doc) -> Understanding:
    """One value, and nothing else that was asked for ("play eye of the tiger", "set a timer for ten
    minutes", "the phone's been ringing all evening": how often and how long, from the same words), is
    a word said in passing about something else; unless little else was said, as in a terse reply ("my
    chin", "it lasts a minute or two").  Two particulars ("left cheek, a couple of minutes each time")
    tell of the twitch."""
    if u.command or u.answer or u.topic or u.facts or not u.values or set(u.values) & pending.expects:
        return u
    if pending.expects and not pending.yes_no:
        return u  # a value question answered with a value of another kind ("it comes and goes")
    if len({found.words.lower() for found in u.values.values()}) > 1:
        return u
    own = {w for found in u.values.values() if found.confidence >= 1.0 for w in found.words.lower().split()}
    rest = [t for t in doc if t.is_alpha and not t.is_stop and t.lower_ not in own]
    return u if len(rest) <= 1 else replace(u, values={})
