"""The rule engine: which question to ask next, and what the facts add up to.

It is pure: facts and the set of questions already asked go in, a question or
an assessment comes out.  It knows nothing of any symptom; all of that is in
the rule set it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .conditions import only_doubt, true_leaves
from .facts import UNKNOWN, Value, format_value, with_summaries
from .model import Advice, Outcome, Question, Rule, RuleSet


@dataclass(frozen=True)
class Status:
    floor: str  # the most urgent level already certain
    ceiling: str  # the most urgent level still possible
    fired: tuple[Rule, ...]
    open: tuple[Rule, ...]

    @property
    def settled(self) -> bool:
        return self.floor == self.ceiling


@dataclass(frozen=True)
class Assessment:
    level: str
    summary: str
    reasons: tuple[str, ...]
    advice: tuple[str, ...]
    safety_net: tuple[str, ...]
    rule_ids: tuple[str, ...]
    sources: tuple[str, ...]
    # what is said aloud: the outcome, why (at most two reasons), the one thing for tonight, the safety net
    spoken: str = ""


class Engine:
    def __init__(self, ruleset: RuleSet) -> None:
        self.rs = ruleset

    def status(self, facts: Mapping[str, Value]) -> Status:
        return self._status(with_summaries(facts, self.rs.facts))

    def _status(self, facts: Mapping[str, Value]) -> Status:
        """Status over facts whose summaries are already derived."""
        fired: list[Rule] = []
        open_: list[Rule] = []
        for rule in self.rs.rules:
            result = rule.when.evaluate(facts)
            if result is True:
                fired.append(rule)
            elif result is None:
                open_.append(rule)
        floor = self._most_urgent([r.level for r in fired] + [self.rs.default_level])
        ceiling = self._most_urgent([r.level for r in open_] + [floor])
        return Status(floor, ceiling, tuple(fired), tuple(open_))

    def next_question(self, facts: Mapping[str, Value], asked: set[str]) -> Question | None:
        """The question that can still change the outcome, most dangerous first.

        A question is worth asking when a rule more urgent than what is already
        certain still depends on a fact it fills.  Once the level cannot change,
        only questions that change the advice for that level are left.
        """
        raw, facts = facts, with_summaries(facts, self.rs.facts)
        st = self._status(facts)
        floor_rank = self.rs.rank(st.floor)
        best: tuple[int, int, Question] | None = None
        askable = self._askable(raw, facts, asked)
        for order, q in enumerate(askable):
            ranks = [
                self.rs.rank(r.level)
                for r in st.open
                if self.rs.rank(r.level) < floor_rank and r.when.facts() & set(q.fills)
            ]
            if ranks and (best is None or (min(ranks), order) < best[:2]):
                best = (min(ranks), order, q)
        if best is not None:
            return best[2]
        for q in askable:
            for a in self._advice_for(st.floor):
                if a.when is not None and a.when.evaluate(facts) is None and a.when.facts() & set(q.fills):
                    return q
        return None

    def assess(self, facts: Mapping[str, Value]) -> Assessment:
        facts = with_summaries(facts, self.rs.facts)
        st = self._status(facts)
        outcome = self.rs.outcomes[st.floor]
        fired = sorted(st.fired, key=lambda r: self.rs.rank(r.level))
        reasons = [self._render(r.reason, facts, r) for r in fired]
        if not fired:
            # the warning signs checked and not found; that nothing was left in doubt goes without saying
            ruled_out = [r.label for r in self.rs.rules if r.when.evaluate(facts) is False and not only_doubt(r.when)]
            reasons.append(self._render(self.rs.clear_reason, facts, None, ruled_out))
        advice = [
            self._render(a.text, facts, None)
            for a in self._advice_for(st.floor)
            if a.when is None or a.when.evaluate(facts) is True
        ]
        used = [r.source for r in fired] + [outcome.source]
        return Assessment(
            level=st.floor,
            summary=outcome.summary,
            reasons=tuple(dict.fromkeys(reasons)),
            advice=tuple(advice),
            safety_net=outcome.safety_net,
            rule_ids=tuple(r.id for r in fired),
            sources=tuple(dict.fromkeys(used)),
            spoken=self._spoken(outcome, fired, facts, st.floor),
        )

    def _spoken(self, outcome: Outcome, fired: list[Rule], facts: Mapping[str, Value], level: str) -> str:
        """One breath: the outcome with its main one or two reasons, one thing for tonight, the safety net.
        Advice about something the user said comes before advice for everyone."""
        if outcome.spoken is None:
            return ""
        becauses: list[str] = []
        for r in fired:
            if r.level == level and r.because is not None:
                becauses.append(self._render(r.because, facts, r, brief=True))
        if not fired and self.rs.clear_because:
            becauses.append(self._render(self.rs.clear_because, facts, None))
        becauses = list(dict.fromkeys(becauses))[:2]
        why = ", and ".join([becauses[0], *(b.removeprefix("because ") for b in becauses[1:])]) if becauses else ""
        parts = [f"{outcome.spoken}, {why}." if why else f"{outcome.spoken}."]
        fitting = [
            a for a in self._advice_for(level) if a.spoken and (a.when is None or a.when.evaluate(facts) is True)
        ]
        personal = [a for a in fitting if a.when is not None]
        chosen = (personal or fitting)[:1]
        parts += [self._render(a.spoken or "", facts, None) for a in chosen]
        if outcome.safety_spoken:
            parts.append(outcome.safety_spoken)
        return " ".join(parts)

    def _askable(self, raw: Mapping[str, Value], facts: Mapping[str, Value], asked: set[str]) -> list[Question]:
        # A follow-up's ask_when looks at what was said, not at summaries derived
        # from it: "yes, coffee" needs no "which of those?".
        return [
            q
            for q in self.rs.questions
            if q.id not in asked
            and not all(f in facts for f in q.fills)
            and (q.ask_when is None or q.ask_when.evaluate(raw) is True)
        ]

    def _advice_for(self, level: str) -> list[Advice]:
        return [a for a in self.rs.advice if level in a.levels]

    def _most_urgent(self, levels: list[str]) -> str:
        return min(levels, key=self.rs.rank)

    def _render(
        self,
        text: str,
        facts: Mapping[str, Value],
        rule: Rule | None,
        ruled_out: list[str] | None = None,
        brief: bool = False,
    ) -> str:
        values = {
            name: format_value(spec, facts[name]) if name in facts else "not asked"
            for name, spec in self.rs.facts.items()
        }
        if rule is not None:
            names = [
                leaf.fact
                for leaf in true_leaves(rule.when, facts)
                if facts.get(leaf.fact) is True or facts.get(leaf.fact) is UNKNOWN
            ]
            # "a sudden droop, arm weakness, ... or trouble walking, arm weakness": a summary fact is
            # named only when none of its own members is, nor told
            named = [
                n
                for n in names
                if not set(self.rs.facts[n].any_of) & set(names)
                and not any(facts.get(m) is True for m in self.rs.facts[n].any_of)
            ]
            labels = list(dict.fromkeys(self.rs.facts[n].label for n in named))
            if brief and len(labels) > 2 and self.rs.matched_many:
                # said aloud, a long list is two of it and the rest in a word; the printed reason has all
                values["matched"] = self.rs.matched_many.format(first=labels[0], second=labels[1])
            else:
                values["matched"] = join_words(labels) or rule.label
        values["ruled_out"] = join_words(ruled_out or [])
        return text.format_map(values)

    def word(self, text: str, facts: Mapping[str, Value]) -> str:
        """A question's text with the facts it names filled in ("Is it still your {journal_last_place}?")."""
        return self._render(text, with_summaries(facts, self.rs.facts), None) if "{" in text else text


def join_words(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
