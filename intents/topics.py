"""Which bedtime question was asked: BM25 (bm25s) over each topic's example questions, on word stems.

A topic is taken when its best example scores above a threshold and shares
enough of the question's weighty words; when the next topic scores nearly
as well, both are returned so the skill can ask which was meant.  A turn
with no question in it ("I drink five coffees a day") needs a higher score:
it is usually a report, not a question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from spacy.tokens import Doc

from .language import Pipeline
from .understanding import TopicFound


@dataclass(frozen=True)
class TopicExamples:
    topic: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class TopicSettings:
    """Thresholds chosen on the tuning set (bench/nlu_bench.py --tune prints the sweep)."""

    min_score: float = 1.0  # BM25 score of the best example
    min_coverage: float = 0.4  # share of the question's word weight (idf) found in the best example
    min_coverage_statement: float = 0.75  # the same for a turn with no question in it
    close: float = 0.85  # a runner-up this near in score and in coverage: ask which one


Features = Callable[[Doc], list[str]]


class Topics:
    """``features`` adds words for what the concept layer finds in a text, so "does stress make it
    worse" and "can anxiety cause this" meet on the same fact, whatever the words."""

    def __init__(
        self, pipeline: Pipeline, topics: Sequence[TopicExamples], settings: TopicSettings, features: Features
    ) -> None:
        self.pipeline = pipeline
        self.settings = settings
        self.features = features
        self.stop = {pipeline.stem(w) for w in STOPWORDS_EN} | set(STOPWORDS_EN)
        self.doc_topic: list[str] = []
        corpus: list[list[str]] = []
        for t in topics:
            for example in t.examples:
                words = self.words(pipeline.doc(example))
                if words:
                    corpus.append(words)
                    self.doc_topic.append(t.topic)
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False) if corpus else None
        vocab = {w for doc in corpus for w in doc}
        n = max(len(corpus), 1)
        df = {w: sum(1 for doc in corpus if w in doc) for w in vocab}
        self.idf = {w: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for w, c in df.items()}
        self.unseen_idf = max(self.idf.values(), default=1.0)  # a word no example uses: likely another subject
        self.corpus = corpus

    def words(self, doc: Doc) -> list[str]:
        plain = [t.lemma_ for t in doc if t.is_alpha and t.lemma_ not in self.stop and t.lower_ not in self.stop]
        return plain + self.features(doc)

    def find(self, doc: Doc, asked: bool) -> TopicFound | None:
        query = self.words(doc)
        if not query or not self.corpus:
            return None
        scores = self.retriever.get_scores(query)
        best_by_topic: dict[str, tuple[float, int]] = {}
        for i, score in enumerate(scores):
            topic = self.doc_topic[i]
            if score > best_by_topic.get(topic, (-1.0, -1))[0]:
                best_by_topic[topic] = (float(score), i)
        ranked = sorted(best_by_topic.items(), key=lambda kv: kv[1][0], reverse=True)
        topic, (score, idx) = ranked[0]
        covered = self.coverage(query, self.corpus[idx])
        need = self.settings.min_coverage if asked else self.settings.min_coverage_statement
        if score < self.settings.min_score or covered < need:
            return None
        alternative = None
        if len(ranked) > 1:
            other, (other_score, other_idx) = ranked[1]
            near = other_score >= self.settings.close * score
            if near and self.coverage(query, self.corpus[other_idx]) >= self.settings.close * covered:
                alternative = other
        shared = [w for w in doc if w.lemma_ in self.corpus[idx]]
        return TopicFound(topic, score, " ".join(t.text for t in shared), alternative)

    def coverage(self, query: list[str], example: list[str]) -> float:
        weight = {w: self.idf.get(w, self.unseen_idf) for w in set(query)}
        total = sum(weight.values())
        return sum(v for w, v in weight.items() if w in example) / total if total else 0.0
