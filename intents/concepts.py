"""Facts and worded values in text: medspaCy target rules find the mentions, ConText reads their context.

Every fact's phrases (content/data/vocabulary.yaml) become target rules; the
modifiers of language.yaml become ConText rules.  A mention is then present,
absent (negated, or an absent phrase such as "rest doesn't help"), unsure,
someone else's, or hypothetical (asked about, feared, imagined).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from validation import SchemaError, optional, require

from .clinical import ConText, ConTextRule, TargetMatcher, TargetRule
from .language import LanguageData, Pipeline, clause_breaks
from .phrases import WordsOf, compile_phrases
from .understanding import ABSENT, OTHER, PRESENT, UNSURE

DIRECTIONS = {"forward": "FORWARD", "backward": "BACKWARD", "both": "BIDIRECTIONAL", "marks": "PSEUDO"}
# a context category's settings (language.yaml), with the type and wording each is checked against at load
OPTIONS: dict[str, tuple[type, str]] = {
    "ends_at": (list, "a list of categories"),
    "ends_at_words": (list, "a list of words"),
    "max_scope": (int, "a number of words"),
    "alone_before_comma": (bool, "true or false"),
    "rules_out_signs": (bool, "true or false"),
    "doubts_said_before": (int, "a number of words"),
    "not_doubting": (list, "a list of words"),
    "asked_for_by": (list, "a list of words"),
    "not_theirs_when": (list, "a list of phrases"),
}
SPANS = "medspacy_spans"
NEGATION_STEMS = {"not", "no", "never", "nt"}
PROXY = "proxy"  # the modifier category of someone the user may speak for (language.yaml)
MENTION = "mention"  # a phrase that only names what a fact is about ("my arms"): taken only when denied or doubted
ASKED = "asked"  # a phrase that counts only in answer to a question about its fact ("screens" to "which triggers?")
VALUE_REACH = 6  # words after a doubt in which a value makes it a doubt of that value ("maybe for a couple of weeks")


@dataclass(frozen=True)
class Mention:
    """A fact or worded value found in the text, in the state its context gives it."""

    kind: str  # "fact" or the value it names (area, frequency...)
    name: str  # the fact, or the value's choice (eyelid, daily...)
    state: str
    words: str  # the words it came from
    start: int  # token offsets in the utterance
    end: int
    cues: tuple[str, ...] = ()  # the words that changed its state ("no", "my dad")
    explained: bool = False  # a sign told with an everyday cause after it: asked about before it is acted on


@dataclass(frozen=True)
class Choice:
    """A value said in words: its fact, its choices' phrases, and facts a choice implies."""

    name: str
    fact: str
    many: str | None  # the fact "more than one of these" sets (areas: several_areas); a list of values
    many_ignores: frozenset[str]  # choices that do not count towards "more than one" (the face as a whole)
    not_inside: frozenset[str]  # facts whose words a choice inside them belongs to ("my eyelid droops")
    implies: Mapping[str, tuple[str, ...]]
    order: tuple[str, ...]  # least to most concerning: of several said, the last wins


class Concepts:
    def __init__(self, pipeline: Pipeline, vocabulary: Any, facts: set[str]) -> None:
        self.pipeline = pipeline
        data = pipeline.data
        if not isinstance(vocabulary, dict):
            raise SchemaError("(document)", "a mapping with rules, facts, choices", vocabulary)
        rules = optional(vocabulary, "rules", "", dict, "a mapping of rule name: phrase", {})
        self.core: set[str] = set()  # the complaint itself (vocabulary: core)
        self.acute: set[str] = set()  # signs to act on now (vocabulary: acute)
        self.spoken_for: set[str] = set()  # told of the one the user speaks for, or not at all (vocabulary)
        # where the complaint is ("both sides"): said beside one of these signs, not the complaint, it is theirs
        self.beside_tells_of: dict[str, frozenset[str]] = {}
        self.history_stems = frozenset(pipeline.stem(w) for w in data.history_cues)
        self.time_units = frozenset(str(u).lower() for u in data.time.get("units", {}))
        self.choices: dict[str, Choice] = {}
        targets: list[TargetRule] = []
        fact_doc = require(vocabulary, "facts", "", dict, "a mapping of fact: {present, absent}")
        for fact, spec in fact_doc.items():
            where = f"facts.{fact}"
            if fact not in facts:
                raise SchemaError(where, "a fact declared in checkin.yaml", fact)
            if not isinstance(spec, dict):
                raise SchemaError(where, "a mapping with present and absent phrases", spec)
            for polarity, key in ((PRESENT, PRESENT), (ABSENT, ABSENT), (MENTION, MENTION), (ASKED, "when_asked")):
                for phrase in compile_phrases(
                    optional(spec, key, where, list, "a list of phrases", []),
                    rules,
                    f"{where}.{key}",
                    pipeline.words_of,
                    data.gap_stops,
                ):
                    targets.append(TargetRule(phrase.source, _label("fact", fact, polarity), list(phrase.pattern)))
            if optional(spec, "core", where, bool, "true or false", False):
                self.core.add(fact)
            beside = optional(spec, "beside_tells_of", where, list, "a list of facts", [])
            for f in beside:
                if f not in facts:
                    raise SchemaError(f"{where}.beside_tells_of", "facts declared in checkin.yaml", f)
            if beside:
                self.beside_tells_of[fact] = frozenset(beside)
            if optional(spec, "acute", where, bool, "true or false", False):
                self.acute.add(fact)
            if optional(spec, "spoken_for", where, bool, "true or false", False):
                self.spoken_for.add(fact)
        for name, spec in optional(vocabulary, "choices", "", dict, "a mapping of value: {fact, values}", {}).items():
            where = f"choices.{name}"
            fact = require(spec, "fact", where, str, "the fact this value fills")
            many = optional(spec, "many", where, str, "a fact", None)
            for f in (fact, many):
                if f is not None and f not in facts:
                    raise SchemaError(where, "facts declared in checkin.yaml", f)
            implies = optional(spec, "implies", where, dict, "a mapping of choice: [facts]", {})
            for value, implied in implies.items():
                for f in implied if isinstance(implied, list) else [implied]:
                    if f not in facts:
                        raise SchemaError(f"{where}.implies.{value}", "facts declared in checkin.yaml", f)
            values = require(spec, "values", where, dict, "a mapping of choice: [phrases]")
            asked = optional(spec, "when_asked", where, dict, "a mapping of choice: [phrases]", {})
            for polarity, group, key in ((PRESENT, values, "values"), (ASKED, asked, "when_asked")):
                for value, texts in group.items():
                    if value not in values:
                        raise SchemaError(f"{where}.{key}.{value}", f"one of the choices {', '.join(values)}", value)
                    spot = f"{where}.{key}.{value}"
                    for phrase in compile_phrases(texts, rules, spot, pipeline.words_of, data.gap_stops):
                        targets.append(
                            TargetRule(phrase.source, _label(name, str(value), polarity), list(phrase.pattern))
                        )
            ignores = optional(spec, "many_ignores", where, list, "a list of choices", [])
            inside = optional(spec, "not_inside", where, list, "a list of facts", [])
            for f in inside:
                if f not in facts:
                    raise SchemaError(f"{where}.not_inside", "facts declared in checkin.yaml", f)
            self.choices[name] = Choice(
                name,
                fact,
                many,
                frozenset(str(v) for v in ignores),
                frozenset(str(f) for f in inside),
                {str(k): tuple(v if isinstance(v, list) else [v]) for k, v in implies.items()},
                tuple(str(v) for v in values),
            )
        self.matchers = _indexed(pipeline, targets)
        self.context = ConText(
            pipeline.nlp, rules=None, span_attrs=None, input_span_type="group", span_group_name=SPANS
        )
        self.context.add(_context_rules(data, {}, pipeline.words_of))
        self.ends_at = {cat for cat, spec in data.context.items() if isinstance(spec, dict) and spec.get("ends_at")}
        # words that end them even inside another modifier: medspaCy drops a mark inside a longer one
        # ("i've gone" in "the husband says I've gone deaf")
        self.ends_words = {
            cat: frozenset(str(w).lower() for w in spec["ends_at_words"])
            for cat, spec in data.context.items()
            if isinstance(spec, dict) and spec.get("ends_at_words")
        }
        # "not sure, my arm feels weak": the doubt is a whole answer, said before the comma
        self.alone_before_comma = {
            cat for cat, spec in data.context.items() if isinstance(spec, dict) and spec.get("alone_before_comma")
        }
        # the modifier categories of doubt ("maybe", "not sure")
        self.doubts = frozenset(c for c, state in data.mention_states.items() if state == UNSURE)
        # "my arm's a bit weak, I think": a doubt near the end of the sentence doubts what was said before it
        doubts = [spec for c, spec in data.context.items() if c in self.doubts and isinstance(spec, dict)]
        self.doubt_tail = max((int(spec.get("doubts_said_before", 0)) for spec in doubts), default=0)
        self.doubt_not_before = frozenset(str(w).lower() for spec in doubts for w in spec.get("not_doubting", []))
        # "my husband slurs when he's tired, but I'm the one twitching": the user says whose the check-in is
        self.about_me = Matcher(pipeline.nlp.vocab)
        proxy = data.context.get(PROXY)
        proxy = proxy if isinstance(proxy, dict) else {}
        about_me = proxy.get("not_theirs_when", [])
        # the words just before "for" / "of" that make the one named the one checked ("asking for my mum")
        self.asked_for_by = frozenset(str(w).lower() for w in proxy.get("asked_for_by", []))
        phrases = compile_phrases(about_me, {}, f"context.{PROXY}.not_theirs_when", pipeline.words_of, data.gap_stops)
        if phrases:
            self.about_me.add("about_me", [list(p.pattern) for p in phrases])
        # "my arm's dead because the cat slept on it", "I drool but I always have": a sign explained away
        self.explained = Matcher(pipeline.nlp.vocab)
        explanations = compile_phrases(
            list(data.explained_after), {}, "explained_after.phrases", pipeline.words_of, data.gap_stops
        )
        if explanations:
            self.explained.add("explained", [list(p.pattern) for p in explanations])
        # "my arms are fine": the denials that rule out a warning sign named only by what it is about
        self.rules_out = {
            cat for cat, spec in data.context.items() if isinstance(spec, dict) and spec.get("rules_out_signs")
        }

    def find(self, doc: Doc, asked: frozenset[str] = frozenset()) -> list[Mention]:
        """The mentions in a turn; ``asked`` are the facts the pending question is about."""
        present = {t.lemma_ for t in doc} | {t.lower_ for t in doc}
        found = [span for anchors, matcher in self.matchers if anchors & present for span in matcher(doc)]
        spans = _longest_per_fact(found)
        # "the baby", "my son": said of the one spoken for, these name them; as targets they would hide the
        # same words as a modifier ("the baby drools"), so ConText does not see them
        named = [s for s in spans if _kind_name(s)[1] in self.spoken_for]
        doc.spans[SPANS] = [s for s in spans if s not in named]
        self.context(doc)
        spans = sorted([*doc.spans[SPANS], *named], key=lambda s: (s.start, s.end))
        data = self.pipeline.data
        facts = [(s.start, s.end) for s in spans if _kind_name(s)[0] == "fact" and s not in named]
        breaks = clause_breaks(doc, facts, data.clause_starts, data.comma_clause_starts, data.questions)
        doc.user_data["clause_breaks"] = breaks
        # the user says the check-in is about them: whoever else they name is someone else
        for_me = bool(self.about_me(doc)) if len(self.about_me) else False
        speaking_for = not for_me and any(
            _kind_name(s)[1] in self.core and _kind_name(s)[0] == "fact" and PROXY in _categories(s) for s in spans
        )
        # "my partner came home slurring, and my eyelid keeps twitching": the twitch told is the user's own
        own_twitch = any(
            _kind_name(s)[1] in self.core and _kind_name(s)[0] == "fact" and PROXY not in _categories(s) for s in spans
        )
        histories = {s.start for s in doc.sents if any(t.lemma_ in self.history_stems for t in s)}
        explanations = [(start, end) for _, start, end in self.explained(doc)] if len(self.explained) else []
        # "can't smile", "the lid doesn't seal": a denial inside another fact's phrase is that phrase's
        # meaning, not a denial of what a mention there names (the face, the lid)
        phrases = [(s.start, s.end) for s in spans if _parse_label(s.label_)[0::2] == ("fact", PRESENT)]
        denials = {c for c, state in data.mention_states.items() if state == ABSENT}
        twitch_at = {s.start for s in spans if _kind_name(s)[0] == "fact" and _kind_name(s)[1] in self.core}
        places = {s.start: s.end for s in spans if _kind_name(s)[0] != "fact"}
        mentions = []
        for span in spans:
            kind, name, polarity = _parse_label(span.label_)
            if (
                kind == "fact"
                and name in self.spoken_for
                and not (speaking_for or not for_me and self._checked_one(doc, span, breaks, twitch_at, places))
            ):
                continue  # "my son says I look tired": the one checked is the user; "my son's eye" is his
            if polarity == ASKED:
                fact = name if kind == "fact" else self.choices[kind].fact
                if fact not in asked:
                    continue
                polarity = PRESENT
            cues: list[str] = []
            categories: list[str] = []
            value_doubted = False
            theirs_now = False  # an acute sign of someone close, told now, taken as the one checked
            for modifier in [*span._.modifiers, *_overlapping(doc, span), *self._echo_reply(doc, span)]:
                category = modifier.category.lower()
                if category == PROXY and (
                    speaking_for or (not for_me and self._spoken_for(kind, name, span, histories))
                ):
                    theirs_now = not speaking_for
                    continue  # the person spoken for is the one being checked
                start, end = modifier.modifier_span
                if span.start <= start and end <= span.end:
                    # part of the phrase itself ("can't lift my arm"): medspaCy's overlap test misses words inside
                    continue
                if category in denials and any(
                    a <= start
                    and end <= b
                    and (a, b) != (span.start, span.end)
                    and (polarity == MENTION or b <= span.start or span.end <= a)
                    for a, b in phrases
                ):
                    continue  # nor a sign elsewhere: "can't sleep, eye keeps twitching"
                if category not in self.ends_at and _crosses(breaks, start, end, span.start, span.end):
                    continue
                between = doc[end : span.start] if end <= span.start else doc[span.end : start]
                if any(t.lower_ in self.ends_words.get(category, ()) for t in between):
                    continue
                if category in self.alone_before_comma and end < span.start and doc[end].text in (",", "-", "—"):
                    continue
                if category in self.doubts and start >= span.end and self._doubts_a_value(doc, end):
                    # "it flickers a few seconds at a time, maybe twice a week": the doubt is the value's
                    value_doubted = True
                    continue
                categories.append(category)
                cues.append(doc[start:end].text)
            state = self._state(polarity, categories, name if kind == "fact" else None)
            if state == ABSENT and kind == "fact":
                if not self.doubts.isdisjoint(categories) or value_doubted:
                    state = UNSURE  # "I'm not sure it's not spreading": both denied and doubted is not a no
                elif name in self.acute and polarity != ABSENT and self._doubted_after(doc, span):
                    # "I don't think my arm is weak, maybe a little heavy": a denial the user then doubts
                    # is not a no ("not sure" is never read as "no")
                    state, cues = UNSURE, [*cues, "doubted after"]
            elif state == PRESENT and kind == "fact" and self._doubted_after(doc, span, self.doubt_tail):
                # "I dropped the remote twice, might just be clumsy", "a twinge near my ear, not sure it counts"
                state, cues = UNSURE, [*cues, "doubted after"]
            if state == MENTION:
                continue  # "my arms" alone says nothing; "my arms are fine" does
            if (
                polarity == MENTION
                and state == ABSENT
                and kind == "fact"
                and name in self.acute
                and name not in asked
                and self.rules_out.isdisjoint(categories)
            ):
                # a sign named only by what it is about is ruled out by "my face is fine", or by any denial
                # in answer to a question about it; a face word near a "not" elsewhere ("my face doesn't
                # hurt", "the jar lid won't come off") leaves the sign to be asked about
                continue
            explained = False
            if state == PRESENT and kind == "fact" and name in self.acute and polarity == PRESENT:
                because = self._explained_after(doc, span, explanations)
                if because:
                    explained, cues = True, [*cues, because]
                elif theirs_now and own_twitch:
                    # told beside the user's own twitch, it may be only theirs: asked about before it is acted on
                    explained, cues = True, [*cues, "someone else's, beside your own twitch"]
            mentions.append(Mention(kind, name, state, span.text, span.start, span.end, tuple(cues), explained))
        return self._of_the_complaint(doc, mentions, asked)

    def _of_the_complaint(self, doc: Doc, mentions: list[Mention], asked: frozenset[str]) -> list[Mention]:
        """ "I can close both eyes", "both sides look the same": where something is, said in a sentence
        about another sign and not the complaint, and not asked for, tells of that sign."""
        if not self.beside_tells_of:
            return mentions
        facts = [m for m in mentions if m.kind == "fact"]

        def sentence(m: Mention) -> int:
            return doc[m.start].sent.start

        with_core = {sentence(m) for m in facts if m.name in self.core}

        def theirs(m: Mention) -> bool:
            signs = self.beside_tells_of.get(m.name) if m.kind == "fact" else None
            if not signs or m.name in asked or m.state not in (PRESENT, UNSURE) or sentence(m) in with_core:
                return False
            return any(o.name in signs and sentence(o) == sentence(m) for o in facts)

        return [m for m in mentions if not theirs(m)]

    def _echo_reply(self, doc: Doc, span: Span) -> list[Any]:
        """A denial or doubt that opens the reply to a sign said back as a question ("weak arm? not that
        I've noticed"): the reply is to that sign, though a forward denial points away from it."""
        if span.end + 1 >= len(doc) or doc[span.end].text != "?":
            return []
        if any(t.lower_ not in self.pipeline.data.echo_leads for t in doc[span.sent.start : span.start]):
            return []
        states = self.pipeline.data.mention_states
        return [
            m
            for m in doc._.context_graph.modifiers
            if m.modifier_span[0] == span.end + 1 and states.get(m.category.lower()) in (ABSENT, UNSURE)
        ]

    def _doubts_a_value(self, doc: Doc, end: int) -> bool:
        """Whether a doubt is followed, in its clause, by a number or a unit of time ("maybe twice a
        week", "maybe for a couple of weeks", "perhaps 5"): it hedges that value."""
        stops = self.pipeline.data.gap_stops
        for t in doc[end : end + VALUE_REACH]:
            if t.is_punct or t.lower_ in stops:
                return False
            if t.like_num or t.lower_ in self.time_units:
                return True
        return False

    def _explained_after(self, doc: Doc, span: Span, explanations: list[tuple[int, int]]) -> str:
        """The words of an everyday cause said after a sign in its sentence, where no other sign or
        someone else's illness follows it, and no word after the cause makes it serious
        ("because my dad had a stroke", "because I think I'm having a stroke" explain nothing away)."""
        states = self.pipeline.data.mention_states
        others = {c for c, state in states.items() if state == OTHER}
        after = [
            s
            for s in doc.spans[SPANS]
            if span.end <= s.start < span.sent.end
            and _kind_name(s)[0] == "fact"
            and (_kind_name(s)[1] in self.acute or not others.isdisjoint(_categories(s)))
        ]
        if after:
            return ""
        not_with = self.pipeline.data.explained_not_with
        for start, end in sorted(explanations):
            if not span.end <= start < span.sent.end:
                continue
            if start > 0 and doc[start - 1].lemma_ in NEGATION_STEMS:
                continue  # "that's not normal for me"
            rest = doc[start : span.sent.end]
            if any(t.lower_ in not_with or t.lemma_ in not_with for t in rest):
                return ""  # "because I think I'm having a stroke", "because I'm worried"
            return doc[start:end].text
        return ""

    def _doubted_after(self, doc: Doc, span: Span, tail: int | None = None) -> bool:
        """Whether a word of doubt follows the mention in its sentence that no other mention takes
        ("no slurring, I might be a bit dizzy": the doubt is the dizziness's); with ``tail``, only one
        said with at most that many words after it (a doubt that ends the thought)."""
        if tail == 0:
            return False
        graph = doc._.context_graph
        taken = {id(modifier) for target, modifier in graph.edges if target != span}
        others = [s.start for s in doc.spans[SPANS] if s.start >= span.end]
        for modifier in graph.modifiers:
            start, _ = modifier.modifier_span
            if modifier.category.lower() not in self.doubts or not span.end <= start < span.sent.end:
                continue
            if tail is not None and not self._ends_the_thought(doc[modifier.modifier_span[1] : span.sent.end], tail):
                continue
            if id(modifier) not in taken and not any(span.end <= o < start for o in others):
                return True
        return False

    def _ends_the_thought(self, rest: Span, tail: int) -> bool:
        """Whether the words after a doubt leave it a doubt of what went before: few, and none that
        give it something else to doubt ("maybe five times a day", "not sure why", "it might be a
        stroke")."""
        words = [t for t in rest if t.is_alpha or t.like_num]
        if len(words) > tail or any(t.like_num for t in words):
            return False
        if any(rest.start <= s.start < rest.end for s in rest.doc.spans[SPANS]):
            return False
        return not any(t.lower_ in self.doubt_not_before for t in words)

    def _checked_one(self, doc: Doc, span: Span, breaks: set[int], twitch_at: set[int], places: dict[int, int]) -> bool:
        """Whether the one a span names is the one checked, by the words around it: the twitch is theirs ("my
        son's eye keeps twitching", "my son's twitch"), their age is told ("my son's 6 and ..."), or the user
        asks for them ("I'm asking for my husband", "on behalf of my mum"); not "my son's friend", "my son's
        just worried", "worried for my son" or "me da's face went droopy, mine's just twitching"."""
        if not twitch_at:
            return False
        if span.start > 1 and doc[span.start - 2].lower_ in self.asked_for_by:
            return True
        after = span.end + 1
        if not (after < len(doc) and doc[span.end].lower_ in ("'s", "\u2019s")):
            return False
        if after in twitch_at or doc[after].like_num:
            return True
        end = places.get(after)  # "my daughter's eyelid has been twitching"
        return end is not None and any(
            end <= t <= end + 3 and not _crosses(breaks, end, end, t, t + 1) for t in twitch_at
        )

    def _spoken_for(self, kind: str, name: str, span: Span, histories: set[int]) -> bool:
        """ "My husband keeps drooling": an acute sign of someone close, told now, is theirs to check.
        Told with a word of the past ("my dad had a stroke and his arm went weak"), it stays theirs."""
        return kind == "fact" and name in self.acute and span.sent.start not in histories

    def _state(self, polarity: str, categories: list[str], fact: str | None) -> str:
        states = self.pipeline.data.mention_states
        for category, state in states.items():
            if category not in categories:
                continue
            if state == ABSENT:
                return ABSENT  # a negated absent phrase ("I don't think rest doesn't help") stays absent
            if state == UNSURE:
                return UNSURE
            if polarity == MENTION:
                return MENTION  # someone else's arms, or arms asked about, tell nothing
            return state
        return polarity


@dataclass
class _Group:
    """The target rules that need one of the same words, matched by a TargetMatcher built on first need:
    adding patterns to spaCy's matcher is most of the start-up time, and a check-in uses few groups."""

    pipeline: Pipeline
    rules: list[TargetRule]
    _matcher: TargetMatcher | None = None

    def build(self) -> TargetMatcher:
        if self._matcher is None:
            matcher = TargetMatcher(self.pipeline.nlp, result_type=None, prune=False)
            _skip_schema_check(matcher)
            matcher.add(self.rules)
            self._matcher = matcher
        return self._matcher

    def __call__(self, doc: Doc) -> Any:
        return self.build()(doc)


def _indexed(pipeline: Pipeline, rules: list[TargetRule]) -> list[tuple[frozenset[str], _Group]]:
    """The target rules grouped by the words they need, with those words.

    spaCy's matcher tries every pattern at every token; a turn only ever
    mentions a few facts, so each group runs only when the turn holds a word
    its phrases need.
    """
    data = pipeline.data
    common = frozenset(pipeline.stem(w) for w in data.clause_starts | data.gap_stops) | data.clause_starts
    groups: dict[frozenset[str], list[TargetRule]] = {}
    for rule in rules:
        groups.setdefault(frozenset(_needed_words(rule.pattern, common)), []).append(rule)
    return [(anchors, _Group(pipeline, group)) for anchors, group in groups.items()]


def _needed_words(pattern: Any, common: frozenset[str]) -> set[str]:
    """Words one of which a turn must contain for the pattern to match.

    Every word the pattern cannot do without is such a set; the one with the
    fewest everyday words in it (and then the fewest words) filters best.
    """
    best: tuple[int, int, set[str]] | None = None
    for spec in pattern:
        if "OP" in spec:
            continue
        words: set[str] = set()
        for attr in ("LEMMA", "LOWER"):
            value = spec.get(attr)
            if isinstance(value, str):
                words.add(value)
            elif isinstance(value, dict) and "IN" in value:
                words.update(value["IN"])
        if not words:
            continue
        key = (len(words & common), len(words), words)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else set()


def _label(kind: str, name: str, polarity: str) -> str:
    return f"{kind}|{name}|{polarity}"


def _parse_label(label: str) -> tuple[str, str, str]:
    kind, name, polarity = label.split("|")
    return kind, name, polarity


def _kind_name(span: Span) -> tuple[str, str]:
    kind, name, _ = _parse_label(span.label_)
    return kind, name


def _categories(span: Span) -> set[str]:
    return {m.category.lower() for m in span._.modifiers}


def _longest_per_fact(spans: list[Span]) -> list[Span]:
    """One mention per stretch of words for each fact, the longest (a denial where two are as long, then
    a lookalike: "help me relax" asks for help, it does not say rest helps); different facts may overlap."""
    by_fact: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        by_fact.setdefault(_kind_name(span), []).append(span)
    kept: list[Span] = []
    for group in by_fact.values():
        group.sort(key=_precedence)  # filter_spans keeps the first of equals
        kept.extend(filter_spans(group))
    return sorted(kept, key=lambda s: (s.start, s.end))


def _precedence(span: Span) -> int:
    """Of mentions of one fact as long as each other: a denial, then a lookalike of several words, then
    the rest (a one-word mention, "stress", only names what a fact is about)."""
    polarity = _parse_label(span.label_)[2]
    if polarity == ABSENT:
        return 0
    return 1 if polarity == MENTION and len(span) > 1 else 2


def _overlapping(doc: Doc, span: Span) -> list[Any]:
    """Modifiers that run into a mention from outside it: "i don't feel dizzy" (modifier "don't feel",
    mention "feel dizzy").  ConText leaves every overlapping pair alone; read from the side they
    point, these do change the mention."""
    out = []
    for modifier in doc._.context_graph.modifiers:
        start, end = modifier.modifier_span
        direction = modifier.direction.upper()
        into_start = start < span.start < end and direction in ("FORWARD", "BIDIRECTIONAL")
        into_end = start < span.end < end and direction in ("BACKWARD", "BIDIRECTIONAL")
        shared = doc[max(start, span.start) : min(end, span.end)]
        if any(t.lemma_ in NEGATION_STEMS for t in shared):
            continue  # the mention's own negation ("i am not able to speak"): it is the phrase's meaning
        if (into_start or into_end) and modifier not in span._.modifiers:
            out.append(modifier)
    return out


def _crosses(breaks: set[int], m_start: int, m_end: int, t_start: int, t_end: int) -> bool:
    """Whether a clause boundary lies between a modifier and the mention it would change."""
    lo, hi = (m_end, t_start) if m_end <= t_start else (t_end, m_start)
    return any(lo <= b <= hi for b in breaks)


def _context_rules(data: LanguageData, rules: Mapping[str, str], words_of: WordsOf) -> list[ConTextRule]:
    out: list[ConTextRule] = []
    for category, spec in data.context.items():
        where = f"context.{category}"
        if category in ("terminate", "pseudo"):
            direction = "TERMINATE" if category == "terminate" else "PSEUDO"
            for phrase in compile_phrases(spec, rules, where, words_of, data.gap_stops):
                out.append(ConTextRule(phrase.source, category.upper(), list(phrase.pattern), direction=direction))
            continue
        if not isinstance(spec, dict):
            raise SchemaError(where, "a mapping of direction (forward, backward, both, marks): [phrases]", spec)
        for key, (kind, wording) in OPTIONS.items():
            optional(spec, key, where, kind, wording, None)
        ends_at = {str(c).upper() for c in spec.get("ends_at", [])}
        max_scope = spec.get("max_scope")
        for key in spec:
            if key not in DIRECTIONS and key not in OPTIONS:
                raise SchemaError(f"{where}.{key}", f"one of {', '.join([*DIRECTIONS, *OPTIONS])}", key)
        for key, direction in DIRECTIONS.items():
            for phrase in compile_phrases(
                optional(spec, key, where, list, "a list of phrases", []),
                rules,
                f"{where}.{key}",
                words_of,
                data.gap_stops,
            ):
                out.append(
                    ConTextRule(
                        phrase.source,
                        category.upper(),
                        list(phrase.pattern),
                        direction=direction,
                        terminated_by=ends_at or None,
                        max_scope=max_scope,
                    )
                )
    return out


def _skip_schema_check(matcher: TargetMatcher) -> None:
    """spaCy checks every token pattern against its schema as it is added:
    over 80% of the start-up time for the patterns phrases.py writes.  They
    are checked once, in the tests (tests/test_understanding.py), instead.
    The attribute is medspaCy's private one (medspacy pinned); if it moves,
    the check simply runs."""
    inner = getattr(getattr(matcher, "_TargetMatcher__matcher", None), "_MedspacyMatcher__matcher", None)
    if inner is not None and hasattr(inner, "validate"):
        inner.validate = False
