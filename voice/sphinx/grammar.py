"""Recognizer grammars generated from the intent templates.

The recognizer should hear exactly the phrases the skill understands, so the
grammar is derived from the same hassil templates the text parser uses:
a finite-state grammar for pocketsphinx, and the vocabulary for vosk.  Words the
recognizer has no pronunciation for cannot be heard at all; the alternatives
that need them are left out (and listed), never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sequence,
    TextChunk,
)

from intents.templates import parse_template

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
    " eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD = re.compile(r"[a-z0-9']+")


def number_words(n: int) -> str:
    """0..999 as spoken English ("twenty five"), the way a recognizer writes it."""
    if not 0 <= n < 1000:
        raise ValueError(f"no words for {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    hundreds, rest = divmod(n, 100)
    return _ONES[hundreds] + " hundred" + ("" if rest == 0 else " and " + number_words(rest))


def words_of(text: str) -> list[str]:
    """The words of a template chunk or a transcript, as the recognizers spell them."""
    text = text.lower().replace("’", "'").replace("-", " ")
    out: list[str] = []
    for word in _WORD.findall(text):
        out.extend(number_words(int(word)).split() if word.isdigit() else [word])
    return out


Transition = tuple[int, int, float, "str | None"]  # from, to, probability, word (None: no word)


@dataclass(frozen=True)
class Grammar:
    """A finite-state grammar: every path from ``start`` to ``final`` is a phrase
    the templates allow.  Intents branch off the start state, so their weights
    can be changed cheaply (see ``weighted``)."""

    start: int
    final: int
    transitions: tuple[Transition, ...]  # the intents' bodies; no arcs from start
    entries: Mapping[str, int]  # intent name -> the state its phrases begin at
    n_states: int
    words: frozenset[str]
    dropped: tuple[str, ...]  # template chunks left out: a word in them is unknown to the recognizer

    def weighted(self, favour: Mapping[str, float] | None = None) -> list[Transition]:
        """All transitions, with each intent's share of the start state in
        proportion to its weight (default 1)."""
        weights = {name: (favour or {}).get(name, 1.0) for name in self.entries}
        total = sum(weights.values())
        opening = [(self.start, entry, weights[name] / total, None) for name, entry in self.entries.items()]
        return opening + list(self.transitions)

    def accepts(self, words: list[str]) -> bool:
        """Whether the grammar can produce exactly these words (for tests and checks)."""
        arcs: dict[int, list[tuple[int, str | None]]] = {}
        for src, dst, _, word in self.weighted():
            arcs.setdefault(src, []).append((dst, word))

        def closure(states: set[int]) -> set[int]:
            todo, seen = list(states), set(states)
            while todo:
                for dst, word in arcs.get(todo.pop(), []):
                    if word is None and dst not in seen:
                        seen.add(dst)
                        todo.append(dst)
            return seen

        current = closure({self.start})
        for w in words:
            current = closure({dst for s in current for dst, word in arcs.get(s, []) if word == w})
            if not current:
                return False
        return self.final in current


def build_grammar(doc: Mapping[str, Any], known: Callable[[str], bool] = lambda w: True) -> Grammar:
    """Turn a template document into one finite-state grammar.

    Rule and list references are expanded in place (an FSG has no calls);
    the templates stay small enough for that, about 30,000 word arcs.
    """
    b, roots, final = _expand(doc, known)
    arcs, entries, n = _compact(b.arcs, roots, final)
    start = n
    return Grammar(start, 0, tuple(arcs), entries, n + 1, frozenset(b.words), tuple(sorted(b.dropped)))


def _expand(doc: Mapping[str, Any], known: Callable[[str], bool]) -> tuple[_Builder, dict[str, int], int]:
    """Every intent's phrases as a word graph with epsilons: the builder, each intent's root, the final state."""
    b = _Builder(known, doc)
    final = b.state()
    roots: dict[str, int] = {}
    for intent, body in doc["intents"].items():
        sentences = [parse_template(s) for block in body["data"] for s in block["sentences"]]
        live = [e for e in sentences if b.viable(e)]
        if live:
            roots[intent] = root = b.state()
            for e in live:
                b.build(e, root, final)
    return b, roots, final


def _compact(
    arcs: list[Transition], roots: Mapping[str, int], final: int
) -> tuple[list[Transition], dict[str, int], int]:
    """Determinize and minimize the word graph (it has no cycles).

    Expanding the templates in place repeats the same tails ("for two weeks")
    and opens many phrases with the same words ("i have ..."); the decoder's
    work grows with the arcs it keeps alive, so shared prefixes and suffixes
    are merged.  Each state's ways on share its probability equally, so a
    phrase that takes many optional turns ("both lip tic a week or two") is
    less likely than a plain one; with a language weight above 1 the search
    prefers plain phrases, and far-fetched ones it still ends on are left to
    the verifier (voice/verify.py) to reject.
    Returns arcs with state 0 final, the entry state of each intent, and the
    number of states.
    """
    out: dict[int, list[tuple[str | None, int]]] = {}
    for src, dst, _, word in arcs:
        out.setdefault(src, []).append((word, dst))

    closures: dict[int, frozenset[int]] = {}

    def closure(state: int) -> frozenset[int]:
        if state not in closures:
            seen, todo = {state}, [state]
            while todo:
                for word, dst in out.get(todo.pop(), []):
                    if word is None and dst not in seen:
                        seen.add(dst)
                        todo.append(dst)
            closures[state] = frozenset(seen)
        return closures[state]

    # Subset construction: one deterministic state per set of graph states.
    dfa: dict[frozenset[int], dict[str, frozenset[int]]] = {}
    todo = [closure(r) for r in roots.values()]
    while todo:
        subset = todo.pop()
        if subset in dfa:
            continue
        moves: dict[str, set[int]] = {}
        for state in subset:
            for word, dst in out.get(state, []):
                if word is not None:
                    moves.setdefault(word, set()).update(closure(dst))
        dfa[subset] = {w: frozenset(d) for w, d in moves.items()}
        todo.extend(dfa[subset].values())

    # Minimize: states with the same finality and the same (word, next) arcs are one state.
    register: dict[tuple[bool, tuple[tuple[str, int], ...]], int] = {}
    numbered: dict[frozenset[int], int] = {}
    result: list[Transition] = []

    def number(subset: frozenset[int]) -> int:
        stack = [(subset, False)]
        while stack:  # post-order without recursion: tails are numbered first
            node, expanded = stack.pop()
            if node in numbered:
                continue
            if not expanded:
                stack.append((node, True))
                stack.extend((d, False) for d in dfa[node].values() if d not in numbered)
                continue
            key = (final in node, tuple(sorted((w, numbered[d]) for w, d in dfa[node].items())))
            if key not in register:
                register[key] = len(register) + 1
                share = 1.0 / (len(key[1]) + key[0])  # the way out to the final state counts too
                result.extend((register[key], dst, share, w) for w, dst in key[1])
                if key[0]:
                    result.append((register[key], 0, share, None))
            numbered[node] = register[key]
        return numbered[subset]

    entries = {name: number(closure(root)) for name, root in roots.items()}
    return result, entries, len(register) + 1


def vocabulary(doc: Mapping[str, Any]) -> list[str]:
    """Every word of every template, for a recognizer that takes a word list."""
    return sorted(_expand(doc, lambda w: True)[0].words)  # no need to compact a graph only read for words


class _Builder:
    """Writes the graph: build(e, src, dst) adds paths for e from src to dst.
    Only viable expressions (sayable with known words) are built, so no state
    is left without a way to the end."""

    def __init__(self, known: Callable[[str], bool], doc: Mapping[str, Any]) -> None:
        self.known = known
        self.doc = doc
        self.n = 0
        self.arcs: list[Transition] = []
        self.words: set[str] = set()
        self.dropped: set[str] = set()
        self._viable: dict[tuple[str, str], bool] = {}

    def state(self) -> int:
        self.n += 1
        return self.n - 1

    def target(self, e: Expression) -> Expression | list[str] | None:
        """What a reference stands for: an expression, or a range's number phrases."""
        if isinstance(e, RuleReference):
            return parse_template(self.doc["expansion_rules"][e.rule_name])
        if isinstance(e, ListReference):
            spec = self.doc["lists"][e.list_name]
            if "range" in spec:
                r = spec["range"]
                return [number_words(n) for n in range(int(r["from"]), int(r["to"]) + 1, int(r.get("step", 1)))]
            texts = [v["in"] if isinstance(v, dict) else str(v) for v in spec.get("values", [])]
            return Alternative(items=[parse_template(t) for t in texts])
        return None

    def viable(self, e: Expression | list[str]) -> bool:
        if isinstance(e, list):
            return any(self.viable(TextChunk(t)) for t in e)
        if isinstance(e, TextChunk):
            words = words_of(e.text)
            ok = all(self.known(w) for w in words)
            if not ok:
                self.dropped.add(" ".join(words))
            return ok
        if isinstance(e, (RuleReference, ListReference)):
            key = (type(e).__name__, e.rule_name if isinstance(e, RuleReference) else e.list_name)
            if key not in self._viable:
                self._viable[key] = False  # a rule that refers to itself cannot be finished
                target = self.target(e)
                self._viable[key] = target is not None and self.viable(target)
            return self._viable[key]
        if isinstance(e, Alternative):
            return any(self.viable(x) for x in e.items)
        if isinstance(e, Group):  # Sequence or Permutation: every part is said
            return all(self.viable(x) for x in e.items)
        raise TypeError(f"unexpected template expression {e!r}")

    def build(self, e: Expression | list[str], src: int, dst: int, p: float = 1.0) -> None:
        if isinstance(e, list):
            e = Alternative(items=[TextChunk(t) for t in e])
        if isinstance(e, TextChunk):
            words = words_of(e.text)
            if not words:
                self.arcs.append((src, dst, p, None))
                return
            self.words.update(words)
            here = src
            for i, w in enumerate(words):
                nxt = dst if i == len(words) - 1 else self.state()
                self.arcs.append((here, nxt, p if i == 0 else 1.0, w))
                here = nxt
            return
        if isinstance(e, (RuleReference, ListReference)):
            target = self.target(e)
            assert target is not None
            self.build(target, src, dst, p)
            return
        if isinstance(e, Permutation):
            orders = list(_orders(e.items))
            for order in orders:
                self.build(Sequence(items=order), src, dst, p / len(orders))
            return
        if isinstance(e, Alternative):
            live = [x for x in e.items if self.viable(x)]
            for x in live:
                self.build(x, src, dst, p / len(live))
            return
        if isinstance(e, Group):
            items = [x for x in e.items if not (isinstance(x, TextChunk) and not words_of(x.text))]
            if not items:
                self.arcs.append((src, dst, p, None))
                return
            here = src
            for i, x in enumerate(items):
                nxt = dst if i == len(items) - 1 else self.state()
                self.build(x, here, nxt, p if i == 0 else 1.0)
                here = nxt
            return
        raise TypeError(f"unexpected template expression {e!r}")


def _orders(items: list[Expression]) -> Iterator[list[Expression]]:
    if len(items) <= 1:
        yield list(items)
        return
    for i, first in enumerate(items):
        for rest in _orders(items[:i] + items[i + 1 :]):
            yield [first, *rest]
