"""Understanding measured on the labelled corpus (bench/nlu/): facts, answers, values, topics, off-topic, speed.

    .venv/bin/python bench/nlu_bench.py               # held-out: the figures the README reports
    .venv/bin/python bench/nlu_bench.py --set tuning  # the lines the vocabulary was developed on
    .venv/bin/python bench/nlu_bench.py --misses      # also print every line it got wrong

Writes bench/results/nlu_<set>.json.  See bench/nlu/README.md for the labels.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content import Content, load_content  # noqa: E402
from intents import Pending, Understanding  # noqa: E402
from intents.values import Value  # noqa: E402

TAKEN = ("present", "absent", "unsure")
TODAY = date(2026, 12, 2)
TOLERANCE = 0.10  # a duration or count within 10% of the label (or of its range) is right
NOT_QUESTIONS = ("opening", "offer_relaxation", "anything_else", "confirm")
SURE = 0.9  # a warning sign found with less confidence is asked about before it is acted on (dialog.ConfirmPolicy)


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)

    def share(self) -> float | None:
        return round(100.0 * self.right / self.total, 1) if self.total else None


def load_items(folder: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            item["_file"] = path.name
            items.append(item)
    return items


def pending_for(content: Content, ask: str | None) -> Pending:
    if not ask or ask in NOT_QUESTIONS:
        return Pending(ask, frozenset(), ask in ("offer_relaxation", "anything_else", "confirm"))
    q = content.ruleset.question(ask)
    return Pending(q.id, frozenset(q.fills), q.yes_no)


def implied_labels(content: Content, values: dict[str, Any]) -> dict[str, str]:
    """The facts a labelled count settles by content's own thresholds ("six hours" is short sleep in
    vocabulary.yaml): a label names the hours, and the understanding reports what content says they
    mean.  A range counts only where both ends say the same."""
    counts = content.understander.values
    out: dict[str, str] = {}
    for key, want in values.items():
        ends = want if isinstance(want, list) else [want]
        if not ends or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in ends):
            continue
        said = [counts.implied_by_counts([Value(key, v, "")]) for v in ends]
        for fact, (state, _) in said[0].items():
            if all(s.get(fact, ("", ""))[0] == state for s in said[1:]):
                out[fact] = state
    return out


def settled_by_answer(content: Content, ask: str | None, answer: str | None) -> dict[str, str]:
    """The facts a yes, no or not sure settles by the question's own on_yes / on_no, as the dialog
    applies them: "yes" to "did the drooping come on suddenly?" is a sudden droop."""
    if not answer or not ask or ask in NOT_QUESTIONS:
        return {}
    q = content.ruleset.question(ask)
    if answer == "unsure":
        return {f: "unsure" for f in q.fills} if q.yes_no else {}
    if not q.yes_no:
        return {}
    chosen = q.on_yes if answer == "yes" else q.on_no
    return {f: "present" if v is True else "absent" for f, v in chosen.items() if isinstance(v, bool)}


def in_range(got: Any, want: Any) -> bool:
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return False
    low, high = (want, want) if not isinstance(want, list) else (min(want), max(want))
    return low * (1 - TOLERANCE) - 0.01 <= got <= high * (1 + TOLERANCE) + 0.01


def measure(content: Content, items: list[dict[str, Any]], implied: bool = True) -> dict[str, Any]:
    u = content.understander
    signs = content.ruleset.warning_signs
    facts_tp: Counter[str] = Counter()
    facts_fp: Counter[str] = Counter()
    facts_fn: Counter[str] = Counter()
    tallies: dict[str, Tally] = defaultdict(Tally)
    times: list[float] = []
    # a fact no line of the corpus labels (added to the content after it was written) is not scored
    labelled = {str(f) for item in items for f in (item.get("facts") or {})}
    for item in items:
        text = str(item["text"])
        ask = item.get("ask")
        today = date.fromisoformat(str(item["today"])) if "today" in item else TODAY
        pending = pending_for(content, ask)
        start = time.perf_counter()
        got: Understanding = u._understand(text, pending, today)  # uncached: each line timed afresh
        times.append((time.perf_counter() - start) * 1000)
        where = f"{item['_file']}: {text!r}" + (f" [{ask}]" if ask else "")
        labels: dict[str, str] = {k: str(v) for k, v in (item.get("facts") or {}).items()}
        if implied:
            for fact, state in implied_labels(content, item.get("values") or {}).items():
                if fact not in labels:
                    labels[fact] = state
                    tallies["labels_implied_by_counts"].add(True, "")
        states = got.states()
        # a labelled fact the words leave unsaid but the answer settles is scored as the dialog takes it;
        # unlabelled consequences ("no" to the stroke screen rules out each sign) are not counted either way
        for fact, state in settled_by_answer(content, ask, got.answer.value if got.answer else None).items():
            if labels.get(fact) in TAKEN and fact not in states:
                states[fact] = state
                miss = f"{where}: {fact} {labels[fact]} -> {state}"
                tallies["labels_settled_by_answer"].add(state == labels[fact], miss)
        sure = {f.fact for f in got.facts if f.state == "present" and f.confidence >= SURE}
        for fact in set(labels) | set(states):
            want, have = labels.get(fact), states.get(fact)
            if want in TAKEN and have == want:
                facts_tp[fact] += 1
            else:
                if have is not None:
                    facts_fp[fact] += 1
                if want in TAKEN:
                    facts_fn[fact] += 1
            miss = f"{where}: {fact} {want or '-'} -> {have or '-'}"
            if (want in TAKEN or have is not None) and fact in labelled:
                tallies["facts_all"].add(want == have, miss)
            if fact in signs and want == "present":
                tallies["warning_recall"].add(have == "present", miss)
                tallies["warning_acted_on"].add(have in ("present", "unsure"), miss)
            if fact in signs and have == "present" and want != "unsure":
                # the bar: no denied, someone else's or asked-about sign taken as present;
                # a sign the user hedged ("unsure") and taken as present is counted apart
                tallies["warning_precision"].add(want == "present", miss)
                # acted on without asking first; a doubtful one is asked about ("Just to check: ...?")
                if fact in sure:
                    tallies["warning_precision_sure"].add(want == "present", miss)
                else:
                    tallies["warning_asked_first"].add(want == "present", miss)
            if fact in signs and want == "unsure":
                tallies["warning_unsure_kept"].add(have in ("unsure", "present"), miss)
            if want in ("absent", "other", "hypothetical") and fact in signs:
                tallies["warning_not_taken_present"].add(have != "present", miss)
            if want == "absent":
                tallies["negated"].add(have == "absent", miss)
            elif want == "unsure":
                tallies["uncertain"].add(have == "unsure", miss)
            elif want == "other":
                tallies["other_person"].add(have is None, miss)
            elif want == "hypothetical":
                tallies["hypothetical"].add(have is None, miss)
        if "answer" in item:
            have_answer = got.answer.value if got.answer else None
            tallies["answers"].add(have_answer == str(item["answer"]), f"{where}: {item['answer']} -> {have_answer}")
        elif got.answer is not None and pending.yes_no:
            tallies["answers_unlabelled_taken"].add(False, f"{where}: - -> {got.answer.value}")
        values = item.get("values") or {}
        for key, want in values.items():
            found = got.values.get(key)
            have_value = found.value if found else None
            if key in ("duration_days", "caffeine_cups", "sleep_hours"):
                ok = in_range(have_value, want)
            elif key == "area":
                ok = isinstance(have_value, list) and set(have_value) == set(want)
            else:
                ok = have_value == want
            tallies[key].add(ok, f"{where}: {key} {want} -> {have_value}")
        if "topic" in item:
            have_topic = got.topic.topic if got.topic else None
            tallies["topics"].add(have_topic == item["topic"], f"{where}: {item['topic']} -> {have_topic}")
        elif got.topic is not None:
            tallies["topics_unasked_taken"].add(False, f"{where}: - -> {got.topic.topic}")
        if "command" in item:
            action = content.commands.get(got.command.value) if got.command else None
            tallies["commands"].add(action == item["command"], f"{where}: {item['command']} -> {action}")
        if item.get("offtopic"):
            tallies["offtopic_rejected"].add(not got.understood, f"{where}: {json.dumps(got.to_json())}")

    per_fact = {}
    for fact in sorted(set(facts_tp) | set(facts_fp) | set(facts_fn)):
        tp, fp, fn = facts_tp[fact], facts_fp[fact], facts_fn[fact]
        if tp + fn == 0:
            continue  # a fact no line of the corpus labels (added to the content after it was written)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_fact[fact] = {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f1, 1),
                          "n": tp + fn}  # fmt: skip
    ordered = sorted(times)
    return {
        "lines": len(items),
        "per_fact": per_fact,
        "figures": {k: {"share": t.share(), "right": t.right, "total": t.total} for k, t in sorted(tallies.items())},
        "ms_per_utterance": {
            "median": round(statistics.median(ordered), 2),
            "p99": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
        },
        "misses": {k: t.misses for k, t in sorted(tallies.items()) if t.misses},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sets = ["heldout", "heldout2", "heldout3", "heldout4", "heldout5", "tuning"]
    ap.add_argument("--set", choices=sets, default="heldout")
    ap.add_argument(
        "--files", nargs="+", metavar="NAME", help="only these files of the set (e.g. tuning files held out)"
    )
    ap.add_argument("--content", metavar="DIR", help="content (and reader) to measure instead of the built-in")
    ap.add_argument("--misses", action="store_true", help="print every line got wrong")
    ap.add_argument(
        "--no-implied",
        action="store_true",
        help="score facts only as labelled, without those content derives from a labelled count",
    )
    ap.add_argument("--only", help="print misses only of this figure (e.g. warning_recall, topics)")
    args = ap.parse_args()
    content = load_content(args.content)
    items = load_items(ROOT / "bench" / "nlu" / args.set)
    if args.files:
        items = [i for i in items if i["_file"] in args.files]
    result = measure(content, items, implied=not args.no_implied)
    name = args.set if not (args.files or args.content or args.no_implied) else f"{args.set}_dev"
    out = ROOT / "bench" / "results" / f"nlu_{name}.json"
    out.write_text(json.dumps({"set": args.set, "run": date.today().isoformat(), **result}, indent=1) + "\n")
    print(f"{args.set}: {result['lines']} lines, {result['ms_per_utterance']['median']} ms median, "
          f"{result['ms_per_utterance']['p99']} ms p99")  # fmt: skip
    for name, fig in result["figures"].items():
        print(f"  {name:28s} {fig['share']!s:>6}%  ({fig['right']}/{fig['total']})")
    f1s = [v["f1"] for v in result["per_fact"].values()]
    low = sorted(result["per_fact"].items(), key=lambda kv: kv[1]["f1"])
    print(f"  facts: mean F1 {statistics.mean(f1s):.1f}%, lowest: "
          + ", ".join(f"{k} {v['f1']}" for k, v in low[:8]))  # fmt: skip
    if args.misses or args.only:
        for name, misses in result["misses"].items():
            if args.only and name != args.only:
                continue
            print(f"\n-- {name} ({len(misses)})")
            for m in misses:
                print("  ", m)
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
