"""Which bedtime question was asked: BM25 (bm25s) over each topic's example questions, on word stems.

A topic is taken when its best example scores above a threshold and shares
enough of the question's weighty words; when the next topic scores nearly
as well, both are returned so the skill can ask which was meant.  A turn
with no question in it ("I drink five coffees a day") needs a higher score:
it is usually a report, not a question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from spacy.tokens import Doc

from .language import Pipeline
from .understanding import TopicFound

# bm25s sets its own logger to DEBUG: once a handler exists (the speech engine adds one), it
# would print "Building index" into the conversation
logging.getLogger("bm25s").setLevel(logging.WARNING)


@dataclass(frozen=True)
class TopicExamples:
    topic: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class TopicSettings:
    """Thresholds chosen on the tuning set (bench/nlu_bench.py --tune prints the sweep)."""

    min_score: float = 1.5  # BM25 score of the best example
    min_coverage: float = 0.45  # share of the question's word weight (idf) found in the best example
    min_coverage_statement: float = 0.75  # the same for a turn with no question in it
    close: float = 0.85  # a runner-up this near in score and in coverage: ask which one


Features = Callable[[Doc], tuple[list[str], dict[int, str]]]  # the facts named, and the tokens naming each


class Topics:
    """``features`` adds words for what the concept layer finds in a text, so "does stress make it
    worse" and "can anxiety cause this" meet on the same fact, whatever the words."""

    def __init__(
        self, pipeline: Pipeline, topics: Sequence[TopicExamples], settings: TopicSettings, features: Features
    ) -> None:
        self.pipeline = pipeline
        self.settings = settings
        self.features = features
        stop = set(STOPWORDS_EN) | pipeline.data.ranking_stopwords
        self.stop = {pipeline.stem(w) for w in stop} | stop
        self.topics = topics
        self._built = False

    def build(self) -> None:
        """Index the examples: their words come through the concept layer, which takes a few
        seconds for them all, so it is done once, on first need or while the greeting is spoken."""
        if self._built:
            return
        self._built = True
        self.doc_topic: list[str] = []
        corpus: list[list[str]] = []
        for t in self.topics:
            for example in t.examples:
                words = self.words(self.pipeline.doc(example))
                if words:
                    corpus.append(words)
                    self.doc_topic.append(t.topic)
        self.corpus = corpus
        self.names = sorted(set(self.doc_topic))
        # Two rankings, each normalised by its best and added: the example nearest the question,
        # and the topic whose examples together share most of its words.
        self.examples = bm25s.BM25()
        self.together = bm25s.BM25()
        self.vocab: dict[str, set[str]] = {name: set() for name in self.names}
        for words, topic in zip(corpus, self.doc_topic, strict=True):
            self.vocab[topic].update(words)
        if corpus:
            self.examples.index(corpus, show_progress=False)
            self.together.index([sorted(self.vocab[n]) for n in self.names], show_progress=False)
        n = max(len(corpus), 1)
        df = {w: sum(1 for doc in corpus if w in doc) for w in {w for doc in corpus for w in doc}}
        self.idf = {w: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for w, c in df.items()}
        self.unseen_idf = max(self.idf.values(), default=1.0)  # a word no example uses: likely another subject

    def words(self, doc: Doc) -> list[str]:
        return self._words(doc)[0]

    def _words(self, doc: Doc) -> tuple[list[str], dict[str, str]]:
        """The query's words, and for each word inside a fact's mention that fact's feature word."""
        features, spans = self.features(doc)
        plain, named = [], {}
        for t in doc:
            if _word(t.text) and t.lemma_ not in self.stop and t.lower_ not in self.stop:
                plain.append(t.lemma_)
                if t.i in spans:
                    named[t.lemma_] = spans[t.i]
        return plain + features, named

    def find(self, doc: Doc, asked: bool) -> TopicFound | None:
        self.build()
        query, named = self._words(doc)
        if not query or not self.corpus:
            return None
        by_example: dict[str, float] = {}
        for i, score in enumerate(self.examples.get_scores(query)):
            topic = self.doc_topic[i]
            by_example[topic] = max(by_example.get(topic, 0.0), float(score))
        by_topic = dict(zip(self.names, map(float, self.together.get_scores(query)), strict=True))
        top_e, top_t = max(by_example.values()) or 1.0, max(by_topic.values()) or 1.0
        score = {t: by_example.get(t, 0.0) / top_e + by_topic.get(t, 0.0) / top_t for t in self.names}
        ranked = sorted(score, key=lambda t: score[t], reverse=True)
        best = ranked[0]
        covered = self.coverage(query, self.vocab[best], named)
        need = self.settings.min_coverage if asked else self.settings.min_coverage_statement
        if by_example.get(best, 0.0) < self.settings.min_score or covered < need:
            return None
        alternative = None
        if len(ranked) > 1:
            other = ranked[1]
            near = score[other] >= self.settings.close * score[best]
            if near and self.coverage(query, self.vocab[other], named) >= self.settings.close * covered:
                alternative = other
        shared = [t.text for t in doc if t.lemma_ in self.vocab[best]]
        return TopicFound(best, score[best], " ".join(shared), alternative)

    def coverage(self, query: list[str], example: Collection[str], named: dict[str, str] | None = None) -> float:
        """The share of the query's word weight (idf) the topic's words hold; a word that names a fact
        the topic's examples name counts as held ("anxious" for a topic about stress)."""
        self.build()
        named = named or {}
        weight = {w: self.idf.get(w, self.unseen_idf) for w in set(query)}
        total = sum(weight.values())
        held = sum(v for w, v in weight.items() if w in example or named.get(w) in example)
        return held / total if total else 0.0


def _word(text: str) -> bool:
    """A word or a name with digits in it ("b12"), not a number or punctuation."""
    return text.isalnum() and not text.isdigit()
