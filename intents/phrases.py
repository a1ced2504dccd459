"""Vocabulary phrases, written in the template syntax, as spaCy token patterns.

A phrase such as ``"(can't|cannot) lift ... <arm>"`` is parsed by hassil and
turned into token patterns: each word matches its word forms through the stem
the language pipeline puts in each token's lemma, a choice of single words
becomes one token that accepts any of them, and only choices between longer
wordings multiply into separate patterns.  ``...`` is a short gap inside one
clause; ``=word`` matches only that word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any, Protocol

from hassil.expression import Alternative, Expression, Group, ListReference, Permutation, RuleReference, TextChunk

from validation import SchemaError

from .templates import parse_template

GAP = "..."
EXACT = "="
GAP_WORDS = 3  # how many words a "..." may stand for
CLITICS = frozenset({"'s", "'m", "'re", "'ve", "'ll", "'d", "s", "m", "re", "ve", "ll", "d"})
MAX_PATTERNS = 5000  # from one phrase; a typo that multiplies alternatives is caught here

Spec = dict[str, Any]  # one token's pattern
Sequence = tuple[Spec, ...]
WordsOf = Callable[[str], list[tuple[str, str]]]  # text -> (lower-case text, stem) per token


@dataclass(frozen=True)
class Phrase:
    """One way of saying a thing: the phrase as written, and one token pattern it allows."""

    source: str
    pattern: Sequence


@dataclass(frozen=True)
class _Compiler:
    rules: Mapping[str, str]
    words_of: WordsOf
    gap: tuple[Spec, ...]
    where: str

    def sequences(self, expr: Expression, seen: frozenset[str] = frozenset()) -> list[Sequence]:
        if isinstance(expr, TextChunk):
            return [self.chunk(expr.text)]
        if isinstance(expr, RuleReference):
            name = expr.rule_name
            if name not in self.rules:
                raise SchemaError(self.where, f"a rule declared under 'rules' (no rule <{name}>)")
            if name in seen:
                raise SchemaError(self.where, f"rules that do not refer to themselves (<{name}> does)")
            return self.sequences(_parse(self.rules[name], self.where), seen | {name})
        if isinstance(expr, ListReference):
            raise SchemaError(self.where, "words, (alternatives), [optional words] and <rules>, not {lists}")
        if isinstance(expr, Permutation):
            raise SchemaError(self.where, "a phrase without permutations (a;b)")
        if isinstance(expr, Alternative):
            return self.alternatives([s for item in expr.items for s in self.sequences(item, seen)])
        if isinstance(expr, Group):
            parts = [self.sequences(item, seen) for item in expr.items]
            total = 1
            for part in parts:
                total *= max(len(part), 1)
            if total > MAX_PATTERNS:
                raise SchemaError(self.where, f"a phrase that makes at most {MAX_PATTERNS} patterns, not {total}")
            return [tuple(spec for seq in combo for spec in seq) for combo in product(*parts)]
        raise SchemaError(self.where, "a phrase in template syntax", type(expr).__name__)

    def chunk(self, text: str) -> Sequence:
        specs: list[Spec] = []
        for word in text.split():
            if word == GAP:
                specs.extend(dict(spec) for spec in self.gap)
            elif word.startswith(EXACT) and len(word) > 1:
                specs.extend({"LOWER": lower} for lower, _ in self.words_of(word[1:]))
            else:
                specs.extend({"LEMMA": stem} for _, stem in self.words_of(word))
        return tuple(specs)

    @staticmethod
    def alternatives(options: list[Sequence]) -> list[Sequence]:
        """One token for all the one-word options of each kind; longer options stay apart."""
        merged: dict[str, list[str]] = {}
        out: list[Sequence] = []
        optional = False
        for seq in options:
            if not seq:
                optional = True
            elif len(seq) == 1 and "OP" not in seq[0] and len(seq[0]) == 1:
                ((attr, value),) = seq[0].items()
                if isinstance(value, str):
                    merged.setdefault(attr, [])
                    if value not in merged[attr]:
                        merged[attr].append(value)
                    continue
                out.append(seq)
            else:
                out.append(seq)
        singles: list[Sequence] = [
            ({attr: values[0] if len(values) == 1 else {"IN": values}},) for attr, values in merged.items()
        ]
        if optional and len(singles) == 1 and not out:
            return [({**singles[0][0], "OP": "?"},)]
        return singles + out + ([()] if optional else [])


def _parse(text: str, where: str) -> Expression:
    try:
        return parse_template(text)
    except Exception as exc:  # hassil raises several kinds; all mean a malformed phrase
        raise SchemaError(where, f"a phrase in template syntax ({exc})", text) from exc


class Store(Protocol):
    """Phrases compiled before, for the same content and code (intents/compiled.py)."""

    def get(self, where: str, texts: Any) -> list[Phrase] | None: ...

    def put(self, where: str, texts: Any, phrases: list[Phrase]) -> None: ...


STORES: list[Store] = []  # the store in use while a content's understanding is built


def compile_phrases(
    texts: Any, rules: Mapping[str, str], where: str, words_of: WordsOf, gap_stops: frozenset[str]
) -> list[Phrase]:
    """A list of phrases in template syntax as token patterns, checked as they compile."""
    store = STORES[-1] if STORES else None
    kept = store.get(where, texts) if store is not None else None
    if kept is not None:
        return kept
    phrases = _compiled(texts, rules, where, words_of, gap_stops)
    if store is not None:
        store.put(where, texts, phrases)
    return phrases


def _compiled(
    texts: Any, rules: Mapping[str, str], where: str, words_of: WordsOf, gap_stops: frozenset[str]
) -> list[Phrase]:
    if not isinstance(texts, list):
        raise SchemaError(where, "a list of phrases", texts)
    # a clitic spaCy splits off ("it 's", "i 've") is not a word of the gap: "started in my eyelid
    # and now it's in my cheek" has three between "now" and "cheek"
    word = {"IS_PUNCT": False, "LOWER": {"NOT_IN": sorted(gap_stops | CLITICS)}, "OP": "?"}
    clitic = {"LOWER": {"IN": sorted(CLITICS - gap_stops)}, "OP": "?"}
    gap = (clitic, *[spec for _ in range(GAP_WORDS) for spec in (word, clitic)])
    phrases: list[Phrase] = []
    for i, text in enumerate(texts):
        spot = f"{where}[{i}]"
        if not isinstance(text, str) or not text.strip():
            raise SchemaError(spot, "a phrase", text)
        compiler = _Compiler(rules, words_of, gap, spot)
        unique = {repr(seq): seq for seq in compiler.sequences(_parse(text, spot))}
        for seq in unique.values():
            if all("OP" in spec for spec in seq):
                continue  # all-optional ("[a] [b]") matches nothing on its own
            phrases.append(Phrase(text, seq))
        if not any(p.source == text for p in phrases):
            raise SchemaError(spot, "a phrase with at least one word that is not optional", text)
    return phrases
