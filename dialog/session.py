"""One conversation: turns in, events out (say, ask, assessment, end).

Pure and synchronous, so the terminal, the JSON protocol and the voice loop
all drive the same object.  It knows no medicine: questions, rules, answers,
levels and wording all come from the content it is given.  Each turn is
understood as a whole (intents.Understanding) and everything in it is taken:
a warning sign said anywhere is noted at once, facts said to be absent settle
their questions, and only a turn with nothing understood in it is "not
understood".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import partial
from typing import Any

from content import Content, Topic
from intents import FactFound, Found, Pending, Understanding
from intents.language import bare_words
from journal.history import journal_facts
from journal.store import Night
from journal.summary import summarize
from rules import UNKNOWN, Assessment, Engine, Question, Value
from rules.engine import join_words
from rules.facts import format_value, with_summaries

from .confirm import ConfirmPolicy, Hearing
from .events import Event, ask, brief, say, sentences, spoken_turn
from .relax import length_chosen, plan

OPENING = "opening"
OFFER_RELAX = "offer_relaxation"
ANYTHING_ELSE = "anything_else"
CONFIRMING = "confirm"  # the pseudo-question "Did you say ...?"
CHECKING = "check"  # the pseudo-question "Just to be sure: do you have ...?" about a doubtful warning sign
MORE = "more"  # "Shall I go on?" while the details are read in parts
RELAXING = "relaxing"  # a guided relaxation is being played
WIND_DOWN = "wind_down"  # after the relaxation: nothing is asked; a silence ends the night
NOT_QUESTIONS = (OPENING, OFFER_RELAX, ANYTHING_ELSE, MORE, RELAXING, WIND_DOWN)
AFTER_CHECKIN = (OFFER_RELAX, ANYTHING_ELSE, MORE, RELAXING, WIND_DOWN)  # where a silence ends the night
DETAIL_WORDS = 26  # "tell me more" reads the details this much at a time
ANSWER_WORDS = 20  # a bedtime answer said aloud at first; the rest on "tell me more"
ECHO_WORDS = 8  # a longer "Noted: ..." is said as "Got it." (it is printed whole)
CUT_IN = ("stop", "pause", "repeat", "slower", "enough")  # said over a reply, these stop it
SOCIAL = ("thanks", "greeting")  # said with a whole yes or no, the answer is what counts
MAX_ASKS = 3  # a question not understood this often is taken as "not sure", and the check-in moves on
SPEECH = ("slower", "faster", "louder", "quieter")
SUMMARIES = {"summary_week": 7, "summary_month": 30}  # a look back over the journal, in days
STATE_VALUE: dict[str, Value] = {"present": True, "absent": False, "unsure": UNKNOWN}


@dataclass
class Session:
    content: Content
    today: Callable[[], date] = date.today
    policy: ConfirmPolicy = field(default_factory=ConfirmPolicy)
    facts: dict[str, Value] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)
    current: str = OPENING
    assessment: Assessment | None = None
    ended: bool = False
    speech: list[str] = field(default_factory=list)  # speech changes asked for, for the voice layer
    confirming: str | None = None  # a phrase heard doubtfully, waiting for "yes"
    asks: Counter[str] = field(default_factory=Counter)  # times each question was put
    misses: int = 0  # turns in a row not understood
    choosing: tuple[str, str] | None = None  # two bedtime topics, after "Do you mean ...?"
    # questions asked again for the signs not yet answered, each with those signs: asked again only for fewer
    partly: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    checking: list[str] = field(default_factory=list)  # doubtful warning signs still to ask about
    held: Understanding | None = None  # the turn they were said in, taken up once they are answered
    silences: int = 0  # silences in a row
    speaking: bool = True  # replies are spoken aloud (not a typed chat): speech commands apply
    words_per_minute: float = 130.0  # the speaking rate, for planning a relaxation's timing
    details: list[str] = field(default_factory=list)  # what "tell me more" reads next, in parts
    back_to: str = ANYTHING_ELSE  # where the conversation goes when the details end
    past: tuple[Night, ...] = ()  # earlier check-ins from the journal, oldest first
    # check-ins assessed this session before "start over": facts, assessment, relaxed (the journal keeps each)
    finished: list[tuple[dict[str, Value], Assessment, bool]] = field(default_factory=list)
    keeps_journal: bool = False  # a journal is kept (with none, a summary says it is off)
    holding: bool = False  # the turn just given was the emergency's hold: "repeat" still says the assessment
    one_by_one: bool = False  # the signs being checked are a question's, asked one at a time after "not sure"
    broken_down: set[str] = field(default_factory=set)  # questions already asked one sign at a time
    relaxed_tonight: bool = False
    # facts a plain "no" to a whole question set, none of them told one by one ("no" to the stroke
    # question: no sudden droop); a follow-up about a sign told later is asked all the same
    blanket: set[str] = field(default_factory=set)
    # the question a bare yes just answered, with what it set: "sorry, I meant no" asks it again
    undoable: tuple[str, dict[str, Value]] | None = None
    said_with: set[str] = field(default_factory=set)  # facts whose own line has been said (facts.X.noted_with)
    _last: list[Event] = field(default_factory=list)
    _text: str = ""  # the turn being handled, as said

    def __post_init__(self) -> None:
        self.engine = Engine(self.content.ruleset)
        self.d = self.content.dialog
        self.rs = self.content.ruleset
        referenced = {f for r in self.rs.rules for f in r.when.facts()}
        referenced |= {f for q in self.rs.questions for f in q.fills}
        referenced |= {f for a in self.rs.advice if a.when is not None for f in a.when.facts()}
        # facts nothing asks or decides about ("a facial twitch") are not read back as "noted"
        self.quiet = {f for f, spec in self.rs.facts.items() if spec.type == "bool" and f not in referenced}
        self.question_ids = {q.id for q in self.rs.questions}
        # facts.X.asked_as, each as one pattern: the first pair listed wins where several start at one place, so
        # what a pair gives ("have you noticed") is not changed again by a later one ("have you")
        self.asked_as = {
            name: (
                re.compile(r"\b(?:" + "|".join(re.escape(w) for w, _ in spec.asked_as) + r")\b", re.IGNORECASE),
                {w.lower(): said for w, said in spec.asked_as},
            )
            for name, spec in self.rs.facts.items()
            if spec.asked_as
        }

    @classmethod
    def create(cls, content: Content, today: Callable[[], date] | None = None) -> Session:
        return cls(content, today or date.today)

    # -- turns ---------------------------------------------------------------

    def start(self) -> list[Event]:
        return self._remember([self._ask(self.d["greeting"], OPENING)])

    def understand(self, text: str) -> Understanding:
        u = self.content.understander.understand(text, self.pending(), self.today())
        asks = self.content.journal.asks if self.content.journal is not None else None
        # told by its cues only when nothing else was read in it: "my left eye's been twitching about a
        # week" is a report, whatever it shares with a request
        told = {f.fact for f in u.facts if f.fact not in self.quiet and f.state in ("present", "absent")}
        if asks is not None and (u.command is None or u.command.confidence < 1) and not told:
            found = asks.find(text)
            intent = next((i for i, a in self.content.commands.items() if found and a == found[0]), None)
            if found is not None and intent is not None:
                # "how has my eye been this week?" asks for the journal: it reports nothing
                u = replace(u, command=Found(intent, found[1], SURE_COMMAND))
        return u

    def pending(self) -> Pending:
        if self.confirming is not None:
            return Pending(CONFIRMING, frozenset(), True)
        if self.checking:
            return Pending(CHECKING, frozenset(self.checking[:1]), True)
        question = self._current_question()
        if question is None:
            return Pending(self.current, frozenset(), self.current != OPENING)
        return Pending(question.id, frozenset(question.fills), question.yes_no)

    def handle(self, text: str, over: str = "") -> list[Event]:
        """A turn the skill is sure of: typed, or heard and confirmed.  ``over``: what the skill was
        saying aloud when this was heard over it; a warning sign named only in those words may be
        its own voice coming back, so it is asked about first (never dropped)."""
        if self.ended:
            return [Event("end")]
        self.silences = 0
        understanding = self.understand(text)
        only_command = understanding.command is not None and understanding.answer is None and not understanding.states()
        # a bedtime question asked instead of an answer is answered, and the check asked again
        asks_instead = understanding.topic is not None and understanding.answer is None and not understanding.states()
        # "what is drooped?" asks what a word means: no report of it, whatever a reader made of the word
        command = understanding.command
        explains = command is not None and command.confidence == 1.0 and self._action(understanding) == "explain"
        if explains:
            understanding = replace(understanding, answer=None, facts=(), values={}, topic=None)
        if self.checking and not only_command and not asks_instead and not explains:
            return self._remember(self._checked(understanding))
        doubtful = [] if explains else self._doubtful_signs(understanding, over)
        if doubtful:
            # a warning sign only half understood is asked about before anything else is done with the turn
            self.checking, self.held = doubtful, understanding
            return self._remember([self._ask_check()])
        self._text = text
        self.holding = False
        events = self._turn(understanding)
        if self.holding:
            return events
        action = self._action(understanding)
        if understanding.command and action == "repeat" and understanding.command.confidence == 1:
            return events
        if action in (*SPEECH, "pause") and events and events[0].type == "say":
            # "repeat" after "slower" says the question again, not "Okay, I'll speak more slowly"
            self._remember(events[1:] or self._last)
            return events
        return self._remember(events)

    def hear(self, heard: Hearing) -> list[Event]:
        """A turn from a recognizer: confirmed first where acting on a mishearing would be unsafe."""
        if self.ended:
            return [Event("end")]
        self.silences = 0
        if self.confirming is not None:
            return self._confirmed(heard)
        heard = self.considered(heard)
        if heard.rejected:
            return self.not_understood()
        if self.policy.confirms(heard, self._rules_out_warning_sign(heard.text), self._clear_answer(heard.text)):
            self.confirming = heard.text
            return self._remember([ask(self.d["did_you_say"].format(heard=as_quoted(heard.text)), CONFIRMING)])
        return self.handle(heard.text)

    def considered(self, heard: Hearing) -> Hearing:
        """What is taken up from a recognizer's result: its phrase, or a rejected phrase that names a
        warning sign with some support, kept with its low confidence so it is confirmed first.
        From an N-best list, the first hypothesis that makes sense as a reply to the pending question."""
        if heard.alternatives and not heard.rejected:
            return self._chosen_hypothesis(heard.alternatives)
        if heard.rejected and heard.doubted and self.policy.rescues(heard, self.names_warning_sign(heard.doubted)):
            return Hearing(heard.doubted, heard.confidence)
        return heard

    def _chosen_hypothesis(self, alternatives: tuple[tuple[str, float], ...]) -> Hearing:
        pending, today = self.pending(), self.today()
        sensible = [
            (t, c) for t, c in alternatives if self.content.understander.understand(t, pending, today).understood
        ]
        if not sensible:
            # nothing in any of them makes sense: off-topic speech, or misheard past use
            best, chance = alternatives[0]
            return Hearing("", chance, rejected=True, doubted=best)
        text, chance = sensible[0]
        if not self.names_warning_sign(text):
            # a warning sign heard in a less likely hypothesis is asked about, never dropped:
            # taken with a confidence that makes it confirmed first
            for other, c in sensible[1:]:
                if c >= self.policy.rescue_at_least and self.names_warning_sign(other):
                    return Hearing(other, min(c, self.policy.doubtful))
        return Hearing(text, chance)

    def complete_answer(self, heard: Hearing) -> bool:
        """Whether a turn heard so far is already a whole answer, so the listener need not wait
        out the pause: a short yes, no or not sure to a yes/no question ("no", "yes please"),
        except a no to a question that screens for warning signs."""
        if heard.rejected or not self.pending().yes_no:
            return False
        taken = self.considered(heard)
        if taken.rejected or len(taken.text.split()) > SHORT_ANSWER_WORDS:
            return False
        u = self.understand(taken.text)
        if u.answer is None or u.states() or u.values or u.topic is not None or u.command is not None:
            return False
        # a "no" to a warning-sign question waits out the pause: "no ... but my arm feels weak"
        return not (u.answer.value == "no" and self.screening())

    # Turns the voice layer takes without words: speech it rejected, a silence, giving up.

    def not_understood(self) -> list[Event]:
        return self._remember(self._not_understood())

    def repeat(self) -> list[Event]:
        return list(self._last) or self._reask()

    def stop(self) -> list[Event]:
        self.ended = True
        return [say(self._outcome_line("goodbye") or self.d["goodbye"]), Event("end")]

    def _outcome_line(self, name: str) -> str | None:
        """What the assessment's outcome says in place of the dialog's own line ("after", "goodbye")."""
        if self.assessment is None:
            return None
        line = getattr(self.rs.outcomes[self.assessment.level], name)
        return str(line) if line else None

    def _held(self) -> bool:
        """The check-in is over with an outcome that allows nothing else tonight (an emergency)."""
        return self._current_question() is None and self.assessment is not None and bool(self._outcome_line("holds"))

    def _hold(self) -> list[Event]:
        self.choosing, self.holding = None, True
        holds, after = self._outcome_line("holds"), self._outcome_line("after")
        return [say(str(holds)), self._ask(after or self.d["anything_else"], ANYTHING_ELSE)]

    def good_night(self) -> list[Event]:
        """The quiet ending: one soft "Good night", nothing replayed; after an emergency, the call."""
        self.ended = True
        last = self._outcome_line("goodbye") if self._outcome_line("holds") else None
        return [say(last or self.d["good_night"]), Event("end")]

    def silence(self) -> list[Event]:
        """Nothing was said.  After the check-in (the assessment, the offers, the relaxation) the night
        ends quietly.  During it the question is asked once more, shorter; then it waits without a
        word; then it ends.  A "Did you say ...?" in doubt is dropped and its question asked again, so
        the next answer goes to the question that was asked."""
        self.silences += 1
        if self.confirming is not None:
            self.confirming = None
            return self._remember(self._reask(short=True))
        if self.checking:
            return self._remember(self._checked(Understanding("")))  # the doubtful sign stays: not sure
        if self.current in AFTER_CHECKIN or self.assessment is not None:
            return self.good_night()
        if self.silences == 1:
            return self._remember(self._reask(short=True))
        if self.silences == 2:
            return [Event("wait")]
        return self.good_night()

    def lost(self) -> list[Event]:
        """A turn that could not be heard at all (a file that is not audio): the user was not silent,
        so the night does not end, but a "Did you say ...?" in doubt is dropped and the question
        asked again, shorter, so the next answer goes to the question that was asked."""
        if self.ended:
            return [Event("end")]
        self.confirming = None
        if self.current in (RELAXING, WIND_DOWN):
            return []
        return self._remember(self._reask(short=True))

    def relaxed(self) -> list[Event]:
        """The relaxation has been played to its end (it ends with "good night"): nothing more is asked."""
        self.current = WIND_DOWN
        return []

    def cuts_in(self, text: str) -> bool:
        """Whether something said while the skill is talking stops it: "stop", "wait", "repeat",
        "slower", "that's enough", or a warning sign."""
        u = self.understand(text)
        if any(u.has(f) for f in self.rs.warning_signs):
            return True
        return u.command is not None and self._action(u) in CUT_IN

    def relaxation_control(self, text: str) -> str | None:
        """What a word said during the relaxation does to it: stop, enough, pause, more (go on),
        slower, faster, louder, quieter; None when it is not a word about the relaxation."""
        u = self.understand(text)
        if any(u.has(f) for f in self.rs.warning_signs):
            return None  # a warning sign is a turn of its own
        return self._action(u) if u.command is not None else None

    def screening(self) -> bool:
        """Whether the pending question screens for warning signs (see RuleSet)."""
        if self.checking:
            return True
        q = self._current_question()
        return q is not None and self.rs.screens_for_warning_signs(q)

    # -- one understood turn -------------------------------------------------

    def _turn(self, u: Understanding) -> list[Event]:
        return spoken_turn(self._turn_events(u))

    def _turn_events(self, u: Understanding) -> list[Event]:
        stated = self._stated(u)
        warning = any(u.has(f) and self.facts.get(f) is not True for f in self.rs.warning_signs)
        action = self._action(u)
        said = bool(stated) or u.answer is not None
        if action in SOCIAL and u.answer is not None and u.answer.confidence == 1:
            action = None  # "no thanks" is a no, said politely
        sure = u.command is not None and u.command.confidence == 1
        asked_to_relax = action in SURE_REQUESTS and u.command is not None and u.command.confidence >= SURE_COMMAND
        no_answer = u.answer is None or u.answer.value == "no"
        if action == "stop" and self.current in AFTER_CHECKIN and not stated and no_answer:
            # "no thanks, I'll just go to sleep" after the check-in: a goodnight, not a no to answer
            return self._command("stop")
        if action and not warning and (sure or not said or asked_to_relax):
            # a sure request for the relaxation is one, whatever else the reader made of its words
            return self._command(action)
        if self._held() and not warning and (u.topic is not None or self.choosing is not None or not said):
            # after an emergency, no bedtime answer: "it's just tiredness, right?" gets the call again
            return self._hold()
        if self.choosing is not None:
            chosen = self._chosen(u)
            self.choosing = None
            if chosen is not None and not warning:
                # "caffeine" picks the topic; it does not report coffee
                return self._topic_answer(chosen, {})
            if not warning and not stated and u.answer is not None:
                # "no" to "Do you mean caffeine, or sleep?" does not answer the check-in's question
                return self._reask(back=True)
        if u.topic is not None and not warning and not (u.answer is not None and u.answer.confidence == 1):
            if u.topic.alternative:
                self.choosing = (u.topic.topic, u.topic.alternative)
                first, second = (self.content.topics[t].name for t in self.choosing)
                return [ask(self.d["which_topic"].format(first=first, second=second), self.current)]
            question = self._current_question()
            if u.answer is not None and not u.answer.derived and question is not None and question.yes_no:
                # "none of those. is this how a stroke starts?": the answer is taken and the question answered,
                # the answer's outcome first where nothing else may be said after it (an emergency)
                events = self._content(u, stated)
                if self._held():
                    return events
                return [self._answer_said(self.content.topics[u.topic.topic]), *events]
            return self._topic_answer(u.topic.topic, stated)
        if not said:
            if action:
                return self._command(action)
            if self.current in (OFFER_RELAX, WIND_DOWN) and length_chosen(u.text, self.content.relaxation.choices):
                return self._relax(u.text)  # "ten minutes please" to the offer: a length asked for is a yes
            if u.understood or any(f.state in ("other", "hypothetical") for f in u.facts):
                return [say(self.d["can_answer"].format(topics=self._topic_names())), *self._reask()]
            return self._not_understood()
        events = self._content(u, stated)
        if action == "stop" and not self.ended:
            events += self.stop()
        return events

    def _content(self, u: Understanding, stated: dict[str, Value]) -> list[Event]:
        # an answer read off the facts ("no drooping") is taken as those facts, not as "no" to every sign asked
        answer = u.answer.value if u.answer is not None and not u.answer.derived else None
        question = self._current_question()
        undo, self.undoable = self.undoable, None
        if undo is not None and u.corrects and answer == "no" and not set(stated) - set(undo[1]):
            # "sorry, I hit yes by mistake, I meant no": the question again, rather than its yes undone on one
            # word (after an emergency above all)
            qid, taken_then = undo
            for f in taken_then:
                self.facts.pop(f, None)
            self.asked.discard(qid)
            self.assessment, self.holding = None, False
            return [say(self.d["asked_again"]), *self._advance()]
        if question is None and not stated:
            return self._after(answer, u.text)
        changed = {f: v for f, v in stated.items() if f in self.facts and self.facts[f] != v}
        # "no, three weeks": the no is the correction's, not an answer to the question; in "no, but my
        # mouth droops" something new is said, so the no answers the question
        correcting = bool(changed) and answer == "no" and set(stated) <= set(changed) | self.quiet
        if question is not None and not correcting and not u.corrects:
            # a length, count or place said in passing to another question ("probably nine hours, sometimes
            # less" after "most days") does not replace one given before, unless said as a correction; nor
            # does a doubt in passing ("sorta? hard to say with shifts" to "does rest help?" after short sleep)
            passing = {
                f
                for f in changed
                if (
                    self.rs.facts[f].type != "bool"
                    or (changed[f] is UNKNOWN and f not in self.rs.warning_signs)  # a sign's doubt is taken
                )
                and f not in question.fills
            }
            stated = {f: v for f, v in stated.items() if f not in passing}
            changed = {f: v for f, v in changed.items() if f not in passing}
        taken: dict[str, Value] = {}
        events: list[Event] = []
        specific = set(stated) & set(question.fills) if question is not None else set()
        if question is not None and answer == "unsure" and not specific and not correcting:
            signs = self._one_at_a_time(question)
            if signs:
                # "not sure" to several warning signs at once: each is asked on its own before any is noted
                # as not sure ("never read as no", but often "not sure what you mean")
                self.facts.update(stated)
                self.broken_down.add(question.id)
                self.checking, self.held, self.one_by_one = signs, replace(u, answer=None), True
                return [self._ask_check(first=True)]
        if question is not None and answer is not None and not correcting:
            # "yes, headaches" names the sign: the specifics stand in for a bare yes; "not sure about the arm"
            # doubts the arm, not everything else the question asks
            named = (answer == "yes" and any(stated[f] is True for f in specific)) or (
                answer == "unsure" and bool(specific) and all(stated[f] is UNKNOWN for f in specific)
            )
            if not named:
                taken = {f: v for f, v in self._answer(question, answer).items() if f not in stated}
            if answer == "unsure" and taken:
                events.append(say(self.d["dont_know"]))
        # "yes" to "and what about coffee, water …?" after stress was told: the yes is already known ("some of
        # them"), and the question that asks which follows
        agrees = (
            question is not None
            and not stated
            and answer == "yes"
            and bool(question.on_yes)
            and all(self._known().get(f) == v for f, v in question.on_yes.items())
        )
        if agrees and not taken and question is not None:
            # said, not only followed from a member: the follow-up's ask_when reads what was said
            taken = {f: v for f, v in question.on_yes.items() if f not in self.facts}
        if question is not None and not taken and not stated and not agrees:
            return self._not_understood()
        self.misses = 0
        # and what they settle of the question through facts that follow from them ("no drooping": no sudden drooping)
        settled = specific | self._settled_by(question, stated) if question is not None else specific
        self.facts.update(taken)
        if question is not None and answer == "yes" and taken and not stated:
            self.undoable = (question.id, dict(taken))
        self.blanket |= {f for f, v in taken.items() if v is False}
        self.blanket -= set(stated)
        self.facts.update(stated)
        self._reopen(stated)
        if question is not None and (taken or settled or agrees):
            self.asked.add(question.id)
        if changed:
            events.append(say(self.d["corrected"].format(facts=self._describe(changed))))
        # what is new is said back too, beside a correction
        volunteered = {
            f: v
            for f, v in stated.items()
            if f not in self.quiet
            and f not in changed
            and (question is None or f not in question.fills or f not in specific)
        }
        if question is not None:
            volunteered = {f: v for f, v in volunteered.items() if f not in question.fills}
        if volunteered:
            events += self._noted(volunteered)
        events += self._first_told(stated)
        rest = self._still_open(question, taken, settled) if question is not None else []
        if (
            question is not None
            and rest
            and (question.id, tuple(rest)) not in self.partly
            and self.engine.next_question(self.facts, self.asked - {question.id}) == question
        ):
            self.asked.discard(question.id)
            self.partly.add((question.id, tuple(rest)))
            return [*events, self._ask(self.d["partly"].format(rest=join_words(rest)), question.id, count=False)]
        return events + self._advance(question)

    def _after(self, answer: str | None, text: str = "") -> list[Event]:
        """A turn with no facts at the opening or after the assessment: the answer decides."""
        if self.current == MORE:
            return self._more() if answer == "yes" else self._enough()
        if self.current == OFFER_RELAX and answer == "yes":
            return self._relax(text)
        if self.current in (OFFER_RELAX, WIND_DOWN) and length_chosen(text, self.content.relaxation.choices):
            # "a short one" said to the offer, or just after the relaxation began ("help me relax" ... "a
            # short one"): that length, from the start
            return self._relax(text)
        if self.current == OFFER_RELAX and answer in ("no", "unsure"):
            # no relaxation tonight; a question may still be wanted
            self.current = ANYTHING_ELSE
            return [self._ask(self.d["anything_else"], ANYTHING_ELSE, speech=self.d["anything_else_short"])]
        if self.current in (ANYTHING_ELSE, WIND_DOWN) and answer == "no":
            return self.stop()
        if self._held():
            return self._hold()
        # "maybe?" to "anything else?" is not a goodbye: say what it can do
        if self.current == ANYTHING_ELSE and answer in ("yes", "unsure"):
            return [self._ask(self.d["anything_else_choices"], ANYTHING_ELSE)]
        if self.current == OPENING and answer == "yes":
            return self._advance()
        return self._not_understood()

    def _reopen(self, stated: dict[str, Value]) -> None:
        """ "No" to the stroke question, then "her mouth looks droopy, since this afternoon": the follow-up
        a sign told now calls for ("did it come on suddenly?") is asked, not settled by the earlier no."""
        for q in self.rs.questions:
            if q.ask_when is None or q.id in self.asked or not set(q.fills) <= self.blanket:
                continue
            if not q.ask_when.facts() & {f for f, v in stated.items() if v is True}:
                continue
            if q.ask_when.evaluate(self.facts) is True:
                for f in q.fills:
                    self.facts.pop(f, None)
                self.blanket -= set(q.fills)

    def _known(self, facts: dict[str, Value] | None = None) -> dict[str, Value]:
        """The facts with what follows from them (summaries, derived facts): ``self.facts`` by default."""
        return with_summaries(self.facts if facts is None else facts, self.rs.facts)

    def _signs_asked(self, question: Question) -> list[str]:
        """The signs a question asks about, without the summary fact its yes or no sets."""
        return [f for f in question.fills if not self.rs.facts[f].any_of]

    def _open_labels(self, question: Question, known: dict[str, Value]) -> list[str]:
        return [self.rs.facts[f].label for f in self._signs_asked(question) if f not in known]

    def _still_open(self, question: Question, taken: dict[str, Value], specific: set[str]) -> list[str]:
        """After "no drooping" to a question about several signs: the labels of the ones not yet answered."""
        known = self._known()
        if taken or not specific or not question.yes_no or any(known.get(f) is True for f in specific):
            return []
        return self._open_labels(question, known)

    def _open_part(self, question: Question) -> list[str]:
        """The labels of what a question about several things still has open, when the others are already
        told ("bit stressed, 6 hours' sleep": the triggers question asks only about the rest); of a screening
        question, only when the others are ruled out or unsure (a sign told is acted on)."""
        if not question.yes_no:
            return []
        known = self._known()
        signs = self._signs_asked(question)
        told = [f for f in signs if f in known]
        if len(signs) < 2 or not told or len(told) == len(signs):
            return []
        if self.rs.screens_for_warning_signs(question) and any(known[f] is True for f in told):
            return []
        return self._open_labels(question, known)

    def _all_denied(self, question: Question) -> list[str]:
        """The labels of a screening question's signs when every one is already ruled out (it is still asked:
        a denial said in passing is not an answer to the question)."""
        if not question.yes_no or not self.rs.screens_for_warning_signs(question):
            return []
        known = self._known()
        signs = self._signs_asked(question)
        if len(signs) < 2 or any(known.get(f) is not False for f in signs):
            return []
        return [self.rs.facts[f].label for f in signs]

    def _settled_by(self, question: Question, stated: dict[str, Value]) -> set[str]:
        """The question's signs that follow from what a turn states, though it does not name them."""
        before, after = self._known(), self._known({**self.facts, **stated})
        return {f for f in self._signs_asked(question) if f in after and f not in before and f not in stated}

    def _answer(self, question: Question, answer: str) -> dict[str, Value]:
        known = self._known()
        if answer == "unsure":
            # what already follows from other facts stays: after "no drooping", "not sure" to the rest is
            # no doubt about a sudden droop
            return {f: UNKNOWN for f in question.fills if f not in known}
        if not question.yes_no:
            if answer == "no":  # "none" to "how many cups?"; "no" to "how many hours do you sleep?" fills nothing
                return {f: v for f, v in question.on_none.items() if f not in self.facts}
            return {}
        chosen = question.on_yes if answer == "yes" else question.on_no
        # what already follows from other facts is left to follow them: after "no drooping", a "no" to the
        # rest does not fix "no sudden drooping" for good, so a droop said later is still asked about
        return {f: v for f, v in chosen.items() if f not in known}

    def _stated(self, u: Understanding) -> dict[str, Value]:
        """The facts a turn states, as values: present, absent, not sure, and the values said."""
        specs = self.rs.facts
        out: dict[str, Value] = {}
        for fact, state in u.states().items():
            if fact not in specs or specs[fact].type != "bool":
                continue
            out[fact] = STATE_VALUE[state]
            if state == "absent":
                for member in specs[fact].any_of:  # "none of the stroke stuff"
                    out.setdefault(member, False)
        for fact, found in u.values.items():
            value: Any = found.value
            if isinstance(value, list):
                value = value[0] if value else None
            if fact in specs and value is not None and specs[fact].accepts(value):
                if found.confidence < 1 and fact in self.facts and self.facts[fact] != value:
                    continue  # a value said in doubt, or in passing, does not change one given plainly
                out[fact] = value
        return out

    # -- commands and bedtime questions ----------------------------------------

    def _action(self, u: Understanding) -> str | None:
        return self.content.commands.get(u.command.value) if u.command is not None else None

    def _command(self, action: str) -> list[Event]:
        self.misses = 0
        if action == "stop":
            # after the relaxation, "good night" is answered softly, without the day's reminders
            return self.good_night() if self.current in (RELAXING, WIND_DOWN) else self.stop()
        if action == "start_over":
            if self.assessment is not None:
                self.finished.append((dict(self.facts), self.assessment, self.relaxed_tonight))
            self.facts.clear()
            self.blanket.clear()
            self.undoable = None
            self.said_with.clear()
            self.asked.clear()
            self.asks.clear()
            self.partly.clear()
            self.broken_down.clear()
            self.checking, self.held, self.one_by_one, self.choosing = [], None, False, None
            self.assessment = None
            self.current = OPENING
            return [say(self.d["start_over"]), self._ask(self.d["greeting"], OPENING)]
        if action == "repeat":
            return self.repeat()
        if action == "more":
            return self._more()
        if action == "enough":
            return self._enough()
        if action == "pause":
            return [say(self.d["okay"])]  # it waits for the next turn; the question stands
        if action == "help" and self._held():
            return self._hold()  # "what do I do?" after an emergency: the call, not the list of commands
        if action == "help":
            return [say(self.d["help"], speech=self.d["help_spoken"]), *self._reask()]
        if action == "why":
            return [*self._why(), *self._reask()]
        if action == "explain":
            # "what do you mean by spread?": the question in plainer words, which is also the question asked
            question = self._current_question()
            if question is None or not question.plain:
                return [say(self.d["help"], speech=self.d["help_spoken"]), *self._reask()]
            plain = self.engine.word(question.plain, self.facts)
            if self.checking:
                return [say(plain), *self._reask()]
            return [self._ask(plain, question.id, count=False)]
        if action in SPEECH:
            if not self.speaking:
                return [say(self.d["voice_only"]), *self._reask()]
            self.speech.append(action)
            return [say(self.d[action]), *self._reask()]
        if action == "relax":
            return self._relax(self._text)
        if action in SUMMARIES:
            return [self._summary(SUMMARIES[action]), *self._reask()]
        if action == "thanks":
            return [say(self.d["thanks"]), *self._reask()]
        return [say(self.d["greeting_reply"]), *self._reask()]

    def _topic_answer(self, topic: str, stated: dict[str, Value]) -> list[Event]:
        self.misses = 0
        noted = {f: v for f, v in stated.items() if f not in self.quiet and self.facts.get(f) != v}
        self.facts.update(stated)
        found = self.content.topics[topic]
        a = self.assessment
        if a is not None and found.for_levels and a.level not in found.for_levels:
            # "what should I do?" once told to see a doctor: that advice again, not the plan for the harmless kind
            return [say(" ".join([a.summary, *a.advice]), speech=a.spoken or None), *self._reask(back=True)]
        events = [self._answer_said(found)]
        if noted:
            events += self._noted(noted)
        events += self._first_told(stated)
        if self.current == OPENING and noted:
            return events + self._advance()
        return [*events, *self._reask(back=True)]

    def _answer_said(self, topic: Topic) -> Event:
        """A bedtime answer: printed whole, said in one breath, the whole read on "tell me more".  The
        offer to tell more is said only when no check-in question follows, to keep the turn short."""
        spoken, rest = (topic.spoken, sentences(topic.answer)) if topic.spoken else brief(topic.answer, ANSWER_WORDS)
        if not rest:
            return say(topic.answer)
        self.details = _parts(rest)
        if self._current_question() is None:
            spoken = f"{spoken} {self.d['tell_me_more']}"
        return say(topic.answer, speech=spoken)

    def _chosen(self, u: Understanding) -> str | None:
        assert self.choosing is not None
        if u.topic is not None and u.topic.topic in self.choosing:
            return u.topic.topic
        words = set(u.text.lower().replace(",", " ").split())
        for topic in self.choosing:
            if words & set(self.content.topics[topic].name.lower().split()):
                return topic
        if u.answer is not None and u.answer.value == "yes":
            return self.choosing[0]
        return None

    def _topic_names(self) -> str:
        names = [t.name for t in self.content.topics.values()][:6]
        return join_words(names)

    def _why(self) -> list[Event]:
        if self.current in (OFFER_RELAX, ANYTHING_ELSE) and self.assessment is not None:
            return [say(self.d["why_after"]), *(say(r) for r in self.assessment.reasons)]
        if self.current == OPENING:
            return [say(self.d["why_opening"])]
        return [say(self.rs.question(self.current).why)]

    def _relax(self, text: str = "") -> list[Event]:
        """The guided relaxation, planned to the length asked for ("a short one", "ten minutes"); the
        voice layer plays its steps with their silences and says when it is done (``relaxed``)."""
        relaxation = self.content.relaxation
        routine = relaxation.first()
        if routine is None:
            return [say(self.d["not_understood"]), *self._reask()]
        minutes = length_chosen(text, relaxation.choices) or relaxation.default_minutes
        steps = plan(routine, minutes, self.words_per_minute * relaxation.rate)
        self.current = RELAXING
        self.relaxed_tonight = True
        intro = self.d["relax_intro"].format(minutes=minutes)
        return [say(intro), Event("relax", text=routine.title, steps=tuple(steps))]

    # -- the check-in ------------------------------------------------------------

    def _advance(self, after: Question | None = None) -> list[Event]:
        """The next question, or the assessment.  ``after``: the question just answered, when what was
        said to it leaves it to be asked again."""
        remembered = self._from_journal()
        nxt = self.engine.next_question(self.facts, self.asked)
        if nxt is not None:
            part = self.engine.next_question(self.facts, self.asked | {nxt.id}) if nxt == after else None
            if part is not None and set(part.fills) < set(nxt.fills):
                # a droop told in reply to the stroke question: "Did the drooping come on suddenly?", then
                # the rest of it, rather than the same question again as if nothing had been said
                nxt = part
            self.current = nxt.id
            rest = self._open_part(nxt)
            # what was already told is not asked again: "And what about arm weakness, slurred speech ...?"
            text = self.d["partly"].format(rest=join_words(rest)) if rest else self.engine.word(nxt.text, self.facts)
            if rest and nxt.ask_when is not None and nxt.short and nxt != after:
                # a follow-up of a yes to the list just said ("And what about coffee, screens …?" "yes"): "Which
                # of those?"
                text = self.engine.word(nxt.short, self.facts)
            denied = self._all_denied(nxt)
            if denied:
                # every sign it screens for already denied in passing: asked once more, saying so
                text = self.d["all_denied"].format(signs=join_words(denied, "or"))
            return [*remembered, self._ask(text, nxt.id)]
        before, self.assessment = self.assessment, self.engine.assess(self.facts)
        events = [*remembered, self._assessment_event(self.assessment, before)]
        if self.assessment.level in self.content.relaxation.offer_after and self.content.relaxation.routines:
            self.current = OFFER_RELAX
            events.append(self._ask(self.d["offer_relaxation"], OFFER_RELAX))
        else:
            self.current = ANYTHING_ELSE
            # after an assessment, the question alone is said; the choices are printed
            instead = self._outcome_line("after")
            first = instead or brief(self.d["anything_else"], 0)[0]
            events.append(self._ask(instead or self.d["anything_else"], ANYTHING_ELSE, speech=first))
        return events

    # -- the journal -----------------------------------------------------------------

    def _from_journal(self) -> list[Event]:
        """Facts earlier nights set tonight ("a few days" after four weeks of nights is four weeks);
        what changed is printed, so the user knows where it came from."""
        jc = self.content.journal
        if jc is None or not self.past:
            return []
        found = journal_facts(list(self.past), self.facts, self.today(), jc.facts, jc.roles)
        changed = {f: v for f, v in found.items() if self.facts.get(f) != v}
        self.facts.update(changed)
        # what it says of tonight: a length, a place, a sign; not the figures behind a question or rule
        shown = {
            f: v
            for f, v in changed.items()
            if f not in self.quiet and v is not False and (self.rs.facts[f].told or v is True)
        }
        if not shown:
            return []
        return [say(jc.summary["noted"].format(facts=self._describe(shown)), speech="")]

    def _summary(self, days: int) -> Event:
        jc = self.content.journal
        if jc is None or not self.keeps_journal:
            return say(jc.summary["no_journal"] if jc is not None else self.d["not_understood"])
        triggers = {t: self.rs.facts[t].label for t in jc.triggers}
        said = self.assessment is not None or bool(self.facts)
        tonight = [self.night(datetime.combine(self.today(), time(23)))] if said else []
        s = summarize([*self.past, *tonight], self.today(), days, jc.summary, jc.levels, triggers, jc.roles)
        return say(s.printed, speech=s.spoken)

    def night(self, at: datetime) -> Night:
        """Tonight's check-in as the journal keeps it."""
        return _night(at, self.facts, self.assessment, self.relaxed_tonight)

    def nights(self, at: datetime) -> list[Night]:
        """What the journal keeps of this session: each check-in assessed before a "start over", and
        tonight's if anything was said."""
        done = [_night(at, facts, a, relaxed) for facts, a, relaxed in self.finished]
        return [*done, self.night(at)] if self.assessment is not None or self.facts else done

    def _assessment_event(self, a: Assessment, before: Assessment | None = None) -> Event:
        lines = [a.summary, *(f"Why: {r}" for r in a.reasons[:1]), *a.reasons[1:]]
        if a.advice:
            lines += ["What helps:", *a.advice]
        lines += ["Seek help sooner:", *a.safety_net, self.d["not_disclaimer"]]
        speech = None
        if a.spoken:
            # said aloud: one breath; the rest is printed, and read in parts on "tell me more"
            speech = f"{a.spoken} {self.d['tell_me_more']}"
            self.details = _parts([*a.reasons, *a.advice, *a.safety_net[1:], self.d["not_disclaimer"]])
        if before is not None and before.level == a.level:
            # something told after the assessment that leaves its level as it was: that, and any new
            # advice, not the whole assessment again; "tell me more" still reads all of it
            lines = [self.d["assessment_unchanged"], *(x for x in a.advice if x not in before.advice)]
            speech = " ".join(lines[:2])
        return Event("assessment", text=" ".join(lines), assessment=a, lines=(*lines, self.d["tell_me_more"]),
                     speech=speech)  # fmt: skip

    def _more(self) -> list[Event]:
        """The next part of the details, then "Shall I go on?" while there is more."""
        if not self.details:
            return [say(self.d["nothing_more"]), *self._reask()]
        if self.current != MORE:
            self.back_to = self.current
        part = self.details.pop(0)
        if not self.details:
            self.current = self.back_to
            return [say(part), *self._reask()]
        self.current = MORE
        return [say(part), self._ask(self.d["more_prompt"], MORE)]

    def _enough(self) -> list[Event]:
        """ "That's enough": the details stop and the conversation goes back to where it was."""
        self.details = []
        if self.current == MORE:
            self.current = self.back_to
            return [say(self.d["okay"]), *self._reask()]
        return self.stop()

    # -- doubtful warning signs ----------------------------------------------------

    def _doubtful_signs(self, u: Understanding, over: str = "") -> list[str]:
        """Warning signs the turn may report but understanding doubts (intents/merge.py), or that it
        names only in words the skill was saying over it (``over``: its echo), not yet known."""
        echoed = set(words_of(over))
        stem = self.content.understander.stem
        out: list[str] = []
        for f in u.facts:
            if (
                f.state == "present"
                and f.fact in self.rs.warning_signs
                and self.facts.get(f.fact) is not True
                and f.fact not in out
                and (
                    (f.confidence < self.policy.sure_sign and not u.has_sure(f.fact, self.policy.sure_sign))
                    or _only_in(echoed, [g.words for g in u.facts if g.fact == f.fact and g.state == "present"], stem)
                )
            ):
                out.append(f.fact)
        return out

    def _ask_check(self, first: bool = False) -> Event:
        line = (self.d["one_by_one"] if first else self.d["sign_each"]) if self.one_by_one else self.d["check_sign"]
        return ask(self._asked_as(line.format(sign=self.rs.facts[self.checking[0]].label)), CHECKING)

    def _one_at_a_time(self, question: Question) -> list[str]:
        """The warning signs of a question, not yet known, to ask one at a time after "not sure" to all of them."""
        if question.id in self.broken_down or not self.rs.screens_for_warning_signs(question):
            return []
        known = self._known()
        signs = [f for f in self._signs_asked(question) if f in self.rs.warning_signs and f not in known]
        return signs if len(signs) > 1 else []

    def _checked(self, u: Understanding) -> list[Event]:
        """The answer to "Just to be sure: do you have ...?"; once every doubtful sign is answered, the
        turn they came in is taken up with them settled.  Anything but a yes or a no leaves the sign
        unsure: never dropped, never a no."""
        assert self.held is not None
        fact = self.checking.pop(0)
        answer = u.answer.value if u.answer is not None else None
        state = u.states().get(fact) or {"yes": "present", "no": "absent"}.get(answer or "", "unsure")
        words = next((f.words for f in self.held.facts if f.fact == fact), "")
        # what else the reply says (another sign, a value) joins the held turn
        facts = [f for f in self.held.facts if f.fact != fact] + [FactFound(fact, state, words)]
        facts += [f for f in u.facts if f.fact != fact]
        self.held = replace(self.held, facts=tuple(facts), values={**self.held.values, **u.values})
        if self.one_by_one:
            # each told on its own is taken as told, with what else the reply says, not when the last is answered
            self.facts.update({f: v for f, v in self._stated(u).items() if f != fact})
            self.facts[fact] = STATE_VALUE[state]
        if self.one_by_one and state == "present":
            self.checking = []  # a sign said yes to, of signs asked one at a time: acted on now, the rest unasked
        if self.checking:
            return [self._ask_check()]
        held, self.held, self.one_by_one = self.held, None, False
        if held.answer is not None and held.answer.value == "unsure" and not held.answer.derived:
            # "um, I don't think so? my arm's a bit tingly but that's how I lay": the doubt was the sign just
            # checked; the rest of the question is asked rather than noted as not sure
            held = replace(held, answer=None)
        return self._turn(held)

    def _confirmed(self, heard: Hearing) -> list[Event]:
        phrase, self.confirming = self.confirming, None
        u = self.content.understander.understand(heard.text, Pending(CONFIRMING, frozenset(), True), self.today())
        only_answer = u.answer is not None and not u.states() and not u.values and u.topic is None
        if phrase is not None and only_answer and u.answer is not None and u.answer.value == "yes":
            return self.handle(phrase)
        if heard.text and u.understood and not only_answer:
            return self.hear(heard)  # they said something else instead: take that up as a turn of its own
        return self._remember(self._misheard())

    def _misheard(self) -> list[Event]:
        """A "Did you say ...?" answered no: asked again, up to the same three asks as a turn not understood."""
        question = self._current_question()
        if question is not None and self.asks[question.id] >= MAX_ASKS:
            return self._not_understood()
        return [say(self.d["misheard"]), *self._reask()]

    def names_warning_sign(self, phrase: str) -> bool:
        """Whether a phrase reports a warning sign: doubtful, it is confirmed rather than dropped."""
        u = self.content.understander.understand(phrase, self.pending(), self.today())
        return any(u.has(f) for f in self.rs.warning_signs)

    def _clear_answer(self, phrase: str) -> bool:
        """A reply that is an answer in so many words and nothing else ("nope", "yes", "not sure")."""
        if not self.pending().yes_no:
            return False
        u = self.understand(phrase)
        return (
            u.answer is not None and u.answer.confidence == 1.0 and not u.answer.derived
            and len(u.answer.words.split()) <= CLEAR_WORDS
            and bare_words(u.answer.words) not in self.content.language.sound_alike_answers
            and not u.states() and u.command is None and u.topic is None
        )  # fmt: skip

    def _rules_out_warning_sign(self, phrase: str) -> bool:
        """A "no" to a question that screens for warning signs: misheard, it could hide one."""
        if not self.screening():
            return False
        u = self.understand(phrase)
        return u.answer is not None and u.answer.value == "no"

    # -- helpers -----------------------------------------------------------------

    def _current_question(self) -> Question | None:
        if self.current in NOT_QUESTIONS:
            return None
        return self.rs.question(self.current)

    def _describe(self, facts: dict[str, Value]) -> str:
        specs = self.rs.facts
        parts: list[str] = []
        place = " ".join(str(facts[k]) for k in ("side", "area") if k in facts)
        if place:
            parts.append(place)
        for name, value in facts.items():
            spec = specs[name]
            if name in ("side", "area"):
                continue
            if value is UNKNOWN:
                parts.append(f"not sure about {spec.label}")
            elif spec.type == "bool":
                parts.append(spec.label if value else spec.denied_label)
            elif spec.type == "number":
                first, _, rest = spec.label.partition(" ")
                # "1 cup of coffee a day", not "1 cups"
                label = f"{first[:-1]} {rest}".strip() if value == 1 and first.endswith("s") else spec.label
                parts.append(f"{format_value(spec, value)} {label}")
            else:
                parts.append(format_value(spec, value))
        return join_words(parts)

    def _ask(self, text: str, qid: str, count: bool = True, speech: str | None = None) -> Event:
        if count:
            self.asks[qid] += 1
        if qid in self.question_ids:
            text, speech = self._asked_as(text), None if speech is None else self._asked_as(speech)
        return ask(text, qid, speech)

    def _asked_as(self, text: str) -> str:
        """A question put as the one checked calls for: "do they have …?" to a parent answering for a child."""
        for name, (words, said) in self.asked_as.items():
            if self.facts.get(name) is True:
                text = words.sub(partial(_put, said), text)
        return text

    def _noted(self, facts: dict[str, Value]) -> list[Event]:
        """What was understood, read back: said briefly ("Left eyelid, about 5 weeks."), or as "Got it."
        when it is long; printed whole."""
        described = self._describe(facts)
        spoken = self.d["noted_spoken"].format(facts=described)
        spoken = spoken[:1].upper() + spoken[1:] if len(spoken.split()) <= ECHO_WORDS else self.d["noted_short"]
        return [replace(say(self.d["noted"].format(facts=described), speech=spoken), echo=True)]

    def _first_told(self, stated: dict[str, Value]) -> list[Event]:
        """A fact's own line, said the first time it is so ("please answer for them"), even beside an
        assessment, and for a fact not read back as noted."""
        lines = []
        for f, v in stated.items():
            line = self.rs.facts[f].noted_with if f in self.rs.facts else ""
            if v is True and line and f not in self.said_with:
                self.said_with.add(f)
                lines.append(say(line))
        return lines

    def _reask(self, back: bool = False, short: bool = False) -> list[Event]:
        if self.ended:
            return [Event("end")]
        if self.checking:
            return [self._ask_check()]
        if self.current == MORE:
            return [self._ask(self.d["more_prompt"], MORE)]
        question = self._current_question()
        if question is not None:
            # "Back to my question." is printed; the short question said after the answer says it
            lead = [say(self.d["back_to_question"], speech="")] if back else []
            # asked again: said in its short form (heard once already), printed whole unless short is asked
            text = self.engine.word((short and question.short) or question.text, self.facts)
            speech = self.engine.word(question.short, self.facts) if question.short else None
            return [*lead, self._ask(text, question.id, speech=speech)]
        if self.current == OPENING:
            return [self._ask(self.d["opening"], OPENING)]
        if self.current == OFFER_RELAX:
            return [self._ask(self.d["offer_relaxation"], OFFER_RELAX)]
        after = self._outcome_line("after")
        if after:
            return [self._ask(after, ANYTHING_ELSE)]
        return [self._ask(self.d["anything_else"], ANYTHING_ELSE, speech=self.d["anything_else_short"])]

    def _not_understood(self) -> list[Event]:
        self.misses += 1
        question = self._current_question()
        if question is not None and self.asks[question.id] >= MAX_ASKS:
            # asked three times and still not understood: not sure, never "no"
            self.facts.update(self._answer(question, "unsure"))
            self.asked.add(question.id)
            self.misses = 0
            return [say(self.d["move_on"]), *self._advance()]
        if self.misses == 1:
            return [say(self.d["not_understood"]), *self._reask()]
        if question is not None:
            choices = question.choices
        elif self.current == OPENING:
            choices = self.d["opening_choices"]
        elif self.current == OFFER_RELAX:
            choices = self.d["offer_relaxation_choices"]
        else:
            choices = self.d["anything_else_choices"]
        # said: the choices' first sentence; the examples after it are printed
        spoken = f"{self.d['not_understood_again']} {brief(choices, 0)[0]}"
        return [say(f"{self.d['not_understood_again']} {choices}", speech=spoken), *self._reask()]

    def _remember(self, events: list[Event]) -> list[Event]:
        self._last = events
        return events


SURE_COMMAND = 0.9


def words_of(text: str) -> list[str]:
    """The words of a text, lower case, as compared with what the skill is saying (its echo)."""
    return re.findall(r"[a-z']+", text.lower())


def _only_in(said: set[str], mentions: list[str], stem: Callable[[str], str]) -> bool:
    """Whether every mention (its words) is made of words in ``said``: nothing of its own.  Compared by
    their stems: its own "arm weakness" heard back as "armed weakness" is still its own."""
    heard = {stem(w) for w in said}
    found = [{stem(w) for w in words_of(m)} for m in mentions]
    return bool(said) and all(w and w <= heard for w in found)


SURE_REQUESTS = ("relax", *SUMMARIES)  # asked for surely, these are taken over whatever else was read
CLEAR_WORDS = 2  # "no", "nope", "not sure", "yes please": longer answers mix words ("yes, it's not")
SHORT_ANSWER_WORDS = 3  # "no", "yes I do", "not really no": a whole answer in itself


def _parts(sentences: list[str], words: int = DETAIL_WORDS) -> list[str]:
    """Sentences grouped into parts of about ``words`` words, for reading the details aloud a part at a time."""
    parts: list[str] = []
    for sentence in sentences:
        if parts and len(parts[-1].split()) + len(sentence.split()) <= words:
            parts[-1] = f"{parts[-1]} {sentence}"
        else:
            parts.append(sentence)
    return parts


def as_quoted(heard: str) -> str:
    """What was heard, to read back inside a question: "My arm is weak." as "my arm is weak"."""
    text = heard.strip().rstrip(".!?,;: ")
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower() and first not in ("I", "I'm", "I've", "I'd", "I'll"):
        first = first.lower()
    return f"{first} {rest}".strip()


def _night(at: datetime, facts: dict[str, Value], a: Assessment | None, relaxed: bool) -> Night:
    kept: dict[str, Any] = {f: (None if v is UNKNOWN else v) for f, v in facts.items()}
    return Night(at, kept, a.level if a else None, a.reasons if a else (), relaxed)


def _put(said: dict[str, str], m: re.Match[str]) -> str:
    """The words as asked, with the capital the written ones began with ("Do you" -> "Do they")."""
    new = said[m.group(0).lower()]
    return new[:1].upper() + new[1:] if m.group(0)[:1].isupper() else new
