"""The reader: a small transformer (all-MiniLM-L6-v2, fine-tuned on the tuning corpus) that reads the
question asked and the reply together and gives, for the whole turn, each fact's state, the yes/no
answer, the bedtime topic, the command and the worded values, each as probabilities.

It runs on onnxruntime from the files in the content's ``reader/`` folder (scripts/train_reader.py
writes them); a content set without one is understood by its vocabulary alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from validation import sha256

STATES = ("none", "present", "absent", "unsure", "other", "hypothetical")
ANSWERS = ("none", "yes", "no", "unsure")
MAX_TOKENS = 128  # question and reply together; a turn is far shorter
FILES = ("reader.onnx", "tokenizer.json", "reader.json")


def ask_key(question: str | None) -> str:
    """The question a reply answers, as the reader is given it: its id in words ("stroke signs").
    The id, not the whole question: the whole question doubled the reader's time for no gain."""
    return (question or "opening").replace("_", " ")


class ReaderError(ValueError):
    """The reader's files are missing, changed or do not fit the content."""


@dataclass(frozen=True)
class Reading:
    """What the reader made of one turn: probabilities, and for each fact the words it looked at."""

    facts: Mapping[str, np.ndarray]  # fact -> probability of each of STATES
    answer: np.ndarray  # over ANSWERS
    topic: Mapping[str, float]  # topic -> probability (no topic: the rest)
    command: Mapping[str, float]  # action -> probability
    choices: Mapping[str, Mapping[str, float]]  # area/side/frequency/episode -> value -> probability
    text: str = ""
    attention: Mapping[str, np.ndarray] = field(default_factory=dict)  # fact -> weight of each token
    offsets: tuple[tuple[int, int] | None, ...] = ()  # each token's place in the text (None: not the reply's)

    def state(self, fact: str) -> tuple[str, float]:
        """The most likely state of a fact and its probability."""
        p = self.facts[fact]
        k = int(np.argmax(p))
        return STATES[k], float(p[k])

    def words(self, fact: str, share: float = 0.5) -> str:
        """The words of the reply the reader weighed at least ``share`` of its most for a fact."""
        weights = self.attention.get(fact)
        if weights is None or not weights.size:
            return ""
        top = float(weights.max())
        text = self.text
        found: list[tuple[int, int]] = []
        for w, place in zip(weights, self.offsets, strict=False):
            if place is None or w < share * top:
                continue
            start, end = place
            # widen a word piece to its whole word, and join pieces of the same word
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            if found and start <= found[-1][1] + 1:
                found[-1] = (found[-1][0], max(end, found[-1][1]))
            else:
                found.append((start, end))
        return " ".join(text[s:e] for s, e in found)


class Reader:
    def __init__(self, directory: Path) -> None:
        missing = [name for name in FILES if not (directory / name).is_file()]
        if missing:
            raise ReaderError(f"{directory}: {', '.join(missing)} missing")
        try:
            manifest = json.loads((directory / "reader.json").read_text(encoding="utf-8"))
            labels = manifest["labels"]
            self.facts: list[str] = list(labels["facts"])
            self.topics: list[str] = list(labels["topics"])
            self.commands: list[str] = list(labels["commands"])
            self.choices: dict[str, list[str]] = {k: list(v) for k, v in labels["choices"].items()}
            sums: dict[str, str] = manifest["sha256"]
            self.settings: dict[str, Any] = dict(manifest.get("settings") or {})
            self.digest = str(sums["reader.onnx"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ReaderError(f"{directory / 'reader.json'}: not a reader manifest ({exc})") from None
        if tuple(labels.get("states", ())) != STATES or tuple(labels.get("answers", ())) != ANSWERS:
            raise ReaderError(f"{directory / 'reader.json'}: labels.states/answers are not {STATES} / {ANSWERS}")
        for name, want in sums.items():
            if sha256(directory / name) != want:
                raise ReaderError(f"{directory / name}: not the file reader.json names (its SHA-256 differs)")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        # one turn at a time, a few milliseconds each: a second thread mostly waits
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(directory / "reader.onnx"), options, providers=["CPUExecutionProvider"])
        self.outputs = [o.name for o in self.session.get_outputs()]

    def check(self, facts: Sequence[str], topics: Sequence[str], actions: Sequence[str]) -> None:
        """The reader was trained on this content's facts, topics and commands."""
        for kind, have, known in (("facts", self.facts, facts), ("topics", self.topics, topics),
                                  ("commands", self.commands, actions)):  # fmt: skip
            unknown = sorted(set(have) - set(known))
            if unknown:
                raise ReaderError(f"reader.json: labels.{kind} names {', '.join(unknown)}, which the content lacks")
        untaught = sorted(set(topics) - set(self.topics))
        if untaught:
            raise ReaderError(
                f"the reader was not trained on the topics {', '.join(untaught)}: run scripts/train_reader.py"
            )

    def read(self, question: str, text: str) -> Reading:
        enc = self.tokenizer.encode(question, text)
        feed = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        out: dict[str, Any] = dict(zip(self.outputs, self.session.run(None, feed), strict=True))
        facts = {f: out["facts"][0, i] for i, f in enumerate(self.facts)}
        attention = {f: out["attention"][0, i] for i, f in enumerate(self.facts)}
        offsets = tuple(
            place if seq == 1 and place[1] > place[0] else None
            for seq, place in zip(enc.sequence_ids, enc.offsets, strict=True)
        )
        topic = {t: float(out["topic"][0, i + 1]) for i, t in enumerate(self.topics)}
        command = {c: float(out["command"][0, i + 1]) for i, c in enumerate(self.commands)}
        choices: dict[str, dict[str, float]] = {}
        for name, values in self.choices.items():
            p = out[name][0]
            offset = 0 if name == "area" else 1  # area is several at once; the others have "none" first
            choices[name] = {v: float(p[i + offset]) for i, v in enumerate(values)}
        return Reading(facts, out["answer"][0], topic, command, choices, text, attention, offsets)
