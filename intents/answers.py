"""Yes, no and unsure, in the ways people say them, from the answer intents of the templates.

The phrases are the sentences of every intent in intents.yaml whose slots
give an ``answer``.  A block marked ``whole: true`` ("i have", "it does")
answers only when it is all that was said, one marked ``offer: true`` ("okay",
"sounds good") only to what the skill offers; the others may also lead a longer
reply ("yes my right arm feels weak", "no, but my hearing's muffled") or end
one ("my arm's fine, no").  An answer word that is the negation of a mention
right after it ("no drooping") belongs to that mention, not to the question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .concepts import Mention
from .language import Pipeline
from .phrases import compile_phrases
from .understanding import PRESENT, Found

ANSWERS = ("yes", "no", "unsure")
JOINERS = {"but", "and", "though", "so", "although", "because", "however", "except", "only", "just"}


@dataclass(frozen=True)
class _Phrase:
    answer: str
    whole: bool
    offer: bool  # agrees to what the skill offers ("sounds good"): answers no question about the user


class Answers:
    def __init__(self, pipeline: Pipeline, templates: Mapping[str, Any]) -> None:
        self.pipeline = pipeline
        self.matcher = Matcher(pipeline.nlp.vocab)
        self.kinds: dict[str, _Phrase] = {}
        rules = templates.get("expansion_rules") or {}
        for name, intent in templates["intents"].items():
            for i, block in enumerate(intent["data"]):
                slots = block.get("slots") or {}
                answer = slots.get("answer")
                if answer not in ANSWERS:
                    continue
                key = f"{name}|{i}"
                self.kinds[key] = _Phrase(str(answer), bool(slots.get("whole")), bool(slots.get("offer")))
                phrases = compile_phrases(
                    block["sentences"], rules, f"intents.{name}.data[{i}].sentences", pipeline.words_of, frozenset()
                )
                self.matcher.add(key, [list(p.pattern) for p in phrases])
        self.doubt_objects = pipeline.data.doubt_objects
        fill = [tuple(w for w, _ in pipeline.words_of(f)) for f in pipeline.data.fillers]
        self.fillers = {f for f in fill if f}
        self.longest_filler = max((len(f) for f in self.fillers), default=1)

    def find(
        self, doc: Doc, mentions: list[Mention], whole_only: bool = False, about_user: bool = False
    ) -> Found | None:
        """The answer in a turn; with ``whole_only`` (no yes/no question pending) only a reply that is
        nothing but an answer ("yes" to "what's bothering you?") counts; with ``about_user`` (the question
        asks about the user, not what the skill offers) words that only agree ("okay") answer nothing."""
        spans = self._spans(doc)
        if about_user:
            spans = [s for s in spans if not self.kinds[s.label_].offer]
        # "skip it please": a filler that answers when said alone ("please") is politeness beside another answer
        spans = [s for s in spans if not self._filler(s)] or spans
        hedge = self._opening_hedge(doc, spans)
        spans = [s for s in spans if s is not hedge]
        if not spans:
            return None
        covered, content = self._coverage(doc, spans)
        if not content:
            return None
        kinds = {id(s): self.kinds[s.label_] for s in spans}
        if all(i in covered for i in content):
            said = [kinds[id(s)].answer for s in spans]
            value = "unsure" if "unsure" in said else said[-1]
            return Found(value, " ".join(s.text for s in spans), 1.0)
        if whole_only:
            return None
        if any(m.kind == "fact" and m.state == PRESENT for m in mentions):
            spans = [s for s in spans if not self._doubt_of_something_else(s, kinds[id(s)])]
        if not spans:
            return None
        first, last = spans[0], spans[-1]
        if first.start <= content[0] and not kinds[id(first)].whole and not self._negates_next(first, mentions):
            return Found(kinds[id(first)].answer, first.text, 0.9)
        before = doc[last.start - 1] if last.start > 0 else None
        ends = last.end > content[-1]
        if ends and not kinds[id(last)].whole and before is not None and (before.is_punct or before.lower_ in JOINERS):
            return Found(kinds[id(last)].answer, last.text, 0.8)
        return None

    def hedges_a_number(self, doc: Doc) -> bool:
        """ "probably 6 hours", "maybe five and a half hours": an answer word that hedges the number after
        it, said to a question the number does not answer; the turn gives no yes or no."""
        return self._opening_hedge(doc, self._spans(doc)) is not None

    def _opening_hedge(self, doc: Doc, spans: list[Span]) -> Span | None:
        """The answer word that opens the turn and hedges the number after it ("probably 6 hours …"); later in
        a turn ("flickers for a few seconds, maybe ten times a day") the rest of it may answer."""
        fillers = self._filler_tokens(doc)
        first = next((t.i for t in doc if not t.is_punct and t.i not in fillers), len(doc))
        hedges = self.pipeline.data.number_hedges
        return next(
            (
                s
                for s in spans
                if s.start <= first and s.end < len(doc) and doc[s.end].like_num and s.text.lower() in hedges
            ),
            None,
        )

    def only_agrees(self, doc: Doc) -> bool:
        """The turn is nothing but words that agree to an offer ("okay", "sounds good")."""
        covered, content = self._coverage(doc, [s for s in self._spans(doc) if self.kinds[s.label_].offer])
        return bool(content) and all(i in covered for i in content)

    def _coverage(self, doc: Doc, spans: list[Span]) -> tuple[set[int], list[int]]:
        """The tokens the answer phrases cover, and the turn's words that are not fillers."""
        covered = {i for s in spans for i in range(s.start, s.end)}
        fillers = self._filler_tokens(doc) - covered  # "mm hmm" is an answer, not two fillers
        return covered, [t.i for t in doc if not t.is_punct and t.i not in fillers]

    def _spans(self, doc: Doc) -> list[Span]:
        strings = self.pipeline.nlp.vocab.strings
        return filter_spans([Span(doc, start, end, label=strings[mid]) for mid, start, end in self.matcher(doc)])

    def _filler(self, span: Span) -> bool:
        return tuple(t.lower_ for t in span) in self.fillers

    def _filler_tokens(self, doc: Doc) -> set[int]:
        out: set[int] = set()
        words = [t.lower_ for t in doc]
        i = 0
        while i < len(words):
            for size in range(min(self.longest_filler, len(words) - i), 0, -1):
                if tuple(words[i : i + size]) in self.fillers:
                    out.update(range(i, i + size))
                    i += size
                    break
            else:
                i += 1
        return out

    def _doubt_of_something_else(self, span: Span, kind: _Phrase) -> bool:
        """In a turn that tells of something ("not sure what you mean, but yeah my right arm's gone
        heavy", "i get headaches most days, no idea if they're linked"), a doubt of what it means is
        not a doubt of what was told, and does not answer."""
        if kind.answer != "unsure":
            return False
        doc = span.doc
        words = {doc[span.end - 1].lower_} | ({doc[span.end].lower_} if span.end < len(doc) else set())
        return bool(words & self.doubt_objects)

    @staticmethod
    def _negates_next(span: Span, mentions: list[Mention]) -> bool:
        """ "no drooping": the "no" is the drooping's, not an answer to the whole question."""
        return any(m.start == span.end and span.text in m.cues for m in mentions)
