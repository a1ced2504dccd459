"""One conversation: text in, events out (say, ask, assessment, end).

Pure and synchronous, so the terminal, the JSON protocol and the voice loop
all drive the same object.  It knows no medicine: questions, rules, answers
and wording all come from the content it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from content import Content
from intents import Intent, IntentParser
from rules import UNKNOWN, Assessment, Engine, Question, Value
from rules.engine import join_words
from rules.facts import format_value

UNIVERSAL = {
    "Help",
    "Repeat",
    "Why",
    "StartOver",
    "Stop",
    "Slower",
    "Faster",
    "Louder",
    "Quieter",
    "Thanks",
    "Greeting",
}
SPEECH = {"Slower", "Faster", "Louder", "Quieter"}

OPENING = "opening"
OFFER_RELAX = "offer_relaxation"
ANYTHING_ELSE = "anything_else"


@dataclass(frozen=True)
class Event:
    type: str  # say | ask | assessment | end
    text: str = ""
    question: str | None = None
    assessment: Assessment | None = None
    lines: tuple[str, ...] = ()  # what is spoken and printed, one sentence group a line

    def to_json(self) -> dict[str, Any]:
        if self.type == "say":
            return {"type": "say", "text": self.text}
        if self.type == "ask":
            return {"type": "ask", "text": self.text, "question": self.question}
        if self.type == "assessment" and self.assessment is not None:
            a = self.assessment
            return {
                "type": "assessment",
                "level": a.level,
                "summary": a.summary,
                "reasons": list(a.reasons),
                "advice": list(a.advice),
                "safety_net": list(a.safety_net),
                "sources": list(a.sources),
                "text": self.text,
            }
        return {"type": self.type}

    def spoken(self) -> list[str]:
        return list(self.lines) if self.lines else ([self.text] if self.text else [])


@dataclass
class Session:
    content: Content
    parser: IntentParser
    facts: dict[str, Value] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)
    current: str = OPENING
    assessment: Assessment | None = None
    ended: bool = False
    speech: list[str] = field(default_factory=list)  # speech changes asked for, for the voice layer
    _last: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engine = Engine(self.content.ruleset)
        self.d = self.content.dialog

    @classmethod
    def create(cls, content: Content, parser: IntentParser | None = None) -> Session:
        return cls(content, parser or IntentParser(content.intents))

    # -- turns ---------------------------------------------------------------

    def start(self) -> list[Event]:
        return self._remember([self._ask(self.d["greeting"], OPENING)])

    def handle(self, text: str) -> list[Event]:
        if self.ended:
            return [Event("end")]
        intent = self.parser.parse(text)
        if intent is None:
            return self.not_understood()
        events = self._universal(intent)
        if events is not None:
            return events if intent.name == "Repeat" else self._remember(events)
        return self._remember(self._content_turn(intent))

    # Turns the voice layer takes without words: speech it rejected, a silence, giving up.

    def not_understood(self) -> list[Event]:
        return self._remember(self._not_understood())

    def repeat(self) -> list[Event]:
        return list(self._last) or self._reask()

    def stop(self) -> list[Event]:
        self.ended = True
        return [self._say(self.d["goodbye"]), Event("end")]

    # -- universal commands and questions --------------------------------------

    def _universal(self, intent: Intent) -> list[Event] | None:
        names = intent.names
        if len(names) != 1:
            return None
        name = names[0]
        topic = self.content.topics.get(name)
        if topic is not None:
            return [self._say(topic.answer), *self._reask(back=True)]
        if name == "Relax":
            return self._relax()
        if name not in UNIVERSAL:
            return None
        if name == "Stop":
            return self.stop()
        if name == "StartOver":
            self.facts.clear()
            self.asked.clear()
            self.assessment = None
            return [self._say(self.d["start_over"]), self._ask(self.d["greeting"], OPENING)]
        if name == "Repeat":
            return self.repeat()
        if name == "Help":
            return [self._say(self.d["help"]), *self._reask()]
        if name == "Why":
            return [*self._why(), *self._reask()]
        if name in SPEECH:
            self.speech.append(name.lower())
            return [self._say(self.d[name.lower()]), *self._reask()]
        if name == "Thanks":
            return [self._say(self.d["thanks"]), *self._reask()]
        return [self._say(self.d["greeting_reply"]), *self._reask()]

    def _why(self) -> list[Event]:
        if self.current in (OFFER_RELAX, ANYTHING_ELSE) and self.assessment is not None:
            return [self._say(self.d["why_after"]), *(self._say(r) for r in self.assessment.reasons)]
        if self.current == OPENING:
            return [self._say(self.d["why_opening"])]
        return [self._say(self.content.ruleset.question(self.current).why)]

    def _relax(self) -> list[Event]:
        script = next(iter(self.content.scripts.values()), None)
        if script is None:
            return [self._say(self.d["not_understood"]), *self._reask()]
        events = [self._say(self.d["relax_intro"]), *(self._say(step) for step in script.steps)]
        if self.current in (OFFER_RELAX, ANYTHING_ELSE):
            self.current = ANYTHING_ELSE
            return [*events, self._ask(self.d["anything_else"], ANYTHING_ELSE)]
        return [*events, *self._reask(back=True)]

    # -- the check-in ------------------------------------------------------------

    def _content_turn(self, intent: Intent) -> list[Event]:
        answer = intent.slots.get("answer")  # yes | no | unsure, set by the answer templates
        stated = self._facts_from_slots(intent.slots)
        changed = {f: v for f, v in stated.items() if f in self.facts and self.facts[f] != v}
        question = self._current_question()
        events: list[Event] = []

        if question is None and not stated:
            # opening, or after the assessment: only facts move things on
            if self.current == OFFER_RELAX and answer == "yes":
                return self._relax()
            if self.current in (OFFER_RELAX, ANYTHING_ELSE) and answer in ("no", "unsure"):
                self.ended = True
                return [self._say(self.d["goodbye"]), Event("end")]
            if self.current == ANYTHING_ELSE and answer == "yes":
                return [self._ask(self.d["anything_else_choices"], ANYTHING_ELSE)]
            if self.current == OPENING and answer is None:
                return self._advance()  # "I have a twitch": nothing to note yet, start asking
            return self._not_understood()

        taken: dict[str, Value] = {}
        specific = bool(set(stated) & set(question.fills)) if question is not None else False
        if question is not None and answer is not None and not (changed and answer == "no"):
            # "yes, headaches" names the sign: the specifics stand in for a bare yes
            taken = {} if (answer == "yes" and specific) else self._answer(question, answer)
            if answer == "unsure":
                events.append(self._say(self.d["dont_know"]))
        if question is not None and not taken and not stated:
            return self._not_understood()

        self.facts.update(taken)
        self.facts.update(stated)
        if question is not None and (taken or specific):
            self.asked.add(question.id)
        if changed:
            events.append(self._say(self.d["corrected"].format(facts=self._describe(changed))))
        else:
            volunteered = {f: v for f, v in stated.items() if question is None or f not in question.fills}
            if volunteered:
                events.append(self._say(self.d["noted"].format(facts=self._describe(volunteered))))
        return events + self._advance()

    def _answer(self, question: Question, answer: str) -> dict[str, Value]:
        if answer == "unsure":
            return {f: UNKNOWN for f in question.fills if f not in self.facts}
        if not question.yes_no:
            return {}
        return dict(question.on_yes if answer == "yes" else question.on_no)

    def _advance(self) -> list[Event]:
        nxt = self.engine.next_question(self.facts, self.asked)
        if nxt is not None:
            self.current = nxt.id
            return [self._ask(nxt.text, nxt.id)]
        self.assessment = self.engine.assess(self.facts)
        events = [self._assessment_event(self.assessment)]
        if self.assessment.level in ("self_care", "routine") and self.content.scripts:
            self.current = OFFER_RELAX
            events.append(self._ask(self.d["offer_relaxation"], OFFER_RELAX))
        else:
            self.current = ANYTHING_ELSE
            events.append(self._ask(self.d["anything_else"], ANYTHING_ELSE))
        return events

    def _assessment_event(self, a: Assessment) -> Event:
        lines = [a.summary, *(f"Why: {r}" for r in a.reasons[:1]), *a.reasons[1:]]
        if a.advice:
            lines += ["What helps:", *a.advice]
        lines += ["Seek help sooner:", *a.safety_net, self.d["not_disclaimer"]]
        return Event("assessment", text=" ".join(lines), assessment=a, lines=tuple(lines))

    # -- helpers -----------------------------------------------------------------

    def screening(self) -> bool:
        """Whether the pending question screens for warning signs (see RuleSet)."""
        q = self._current_question()
        return q is not None and self.content.ruleset.screens_for_warning_signs(q)

    def _current_question(self) -> Question | None:
        if self.current in (OPENING, OFFER_RELAX, ANYTHING_ELSE):
            return None
        return self.content.ruleset.question(self.current)

    def _facts_from_slots(self, slots: dict[str, Any]) -> dict[str, Value]:
        specs = self.content.ruleset.facts
        facts: dict[str, Value] = {}
        for name in slots.get("present", []):
            facts[name] = True
        for name in slots.get("absent", []):
            facts[name] = False
        for name, value in slots.items():
            if name in specs and specs[name].accepts(value):
                facts[name] = value
        return facts

    def _describe(self, facts: dict[str, Value]) -> str:
        specs = self.content.ruleset.facts
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
                parts.append(spec.label if value else f"no {spec.label}")
            elif spec.type == "number":
                parts.append(f"{format_value(spec, value)} {spec.label}")
            else:
                parts.append(format_value(spec, value))
        return join_words(parts)

    def _ask(self, text: str, qid: str) -> Event:
        return Event("ask", text=text, question=qid)

    def _say(self, text: str) -> Event:
        return Event("say", text=text)

    def _reask(self, back: bool = False) -> list[Event]:
        if self.ended:
            return [Event("end")]
        question = self._current_question()
        if question is not None:
            lead = [self._say(self.d["back_to_question"])] if back else []
            return [*lead, self._ask(question.text, question.id)]
        if self.current == OPENING:
            return [self._ask(self.d["opening"], OPENING)]
        if self.current == OFFER_RELAX:
            return [self._ask(self.d["offer_relaxation"], OFFER_RELAX)]
        return [self._ask(self.d["anything_else"], ANYTHING_ELSE)]

    def _not_understood(self) -> list[Event]:
        question = self._current_question()
        if question is not None:
            choices = question.choices
        elif self.current == OPENING:
            choices = self.d["opening_choices"]
        elif self.current == OFFER_RELAX:
            choices = self.d["offer_relaxation_choices"]
        else:
            choices = self.d["anything_else_choices"]
        return [self._say(f"{self.d['not_understood']} {choices}"), *self._reask()]

    def _remember(self, events: list[Event]) -> list[Event]:
        self._last = events
        return events
