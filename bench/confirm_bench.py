"""How often "Did you say ...?" is asked, per question, and whether a misheard answer is ever acted on.

Answers to the check-in's yes/no questions from the understanding corpus (bench/nlu/: "no", "nope,
none of that", "yes my arm feels weak", "not sure"...), spoken by the synthetic voices clean, at 20 and
10 dB white noise, heard by Whisper and taken by the skill as the talk loop takes them.  For each
question: how often the skill confirms first, how often it acts on an answer it understood
differently from what was said (the unsafe case: a "no" acted on when "yes" or "not sure" was said),
and how often a clear "no" is confirmed.

    .venv/bin/python bench/confirm_bench.py --set tuning --fit   # choose the "no" threshold
    .venv/bin/python bench/confirm_bench.py                      # held-out lines and voices: report

``--fit`` picks, on the tuning lines and voices, the lowest chance at which no "no" heard for another
answer would be acted on, and prints it; it is then set by hand in voice/whisper.py
(WhisperTuning.sure_all_clear).  Writes bench/results/confirm_<set>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from asr_bench import CONDITIONS, VOICES, heard_audio, session_at  # noqa: E402
from nlu_bench import TODAY, load_items  # noqa: E402

from content import Content, load_content  # noqa: E402
from dialog import Expectations  # noqa: E402
from voice.asr import recognize  # noqa: E402
from voice.audio import read_wav  # noqa: E402
from voice.synth import synthesize  # noqa: E402
from voice.talk import hearing  # noqa: E402
from voice.whisper import WhisperRecognizer  # noqa: E402

CONFIRMING = "confirm"
MAX_WORDS = 8  # answers, not stories
CHOSEN = ("clean", "white 20 dB", "white 10 dB")


def answers(content: Content, set_name: str, per_question: int, seed: int) -> list[dict[str, Any]]:
    yes_no = {q.id for q in content.ruleset.questions if q.yes_no}
    items = [
        i
        for i in load_items(ROOT / "bench" / "nlu" / set_name)
        if i.get("ask") in yes_no and i.get("answer") in ("yes", "no", "unsure") and "today" not in i
        and len(str(i["text"]).split()) <= MAX_WORDS
    ]  # fmt: skip
    random.Random(seed).shuffle(items)
    by_question: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if len(by_question[item["ask"]]) < per_question:
            by_question[item["ask"]].append(item)
    return [i for group in by_question.values() for i in group]


def answer_of(content: Content, session: Any, text: str) -> str | None:
    u = content.understander.understand(text, session.pending(), TODAY)
    return u.answer.value if u.answer is not None else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("heldout", "tuning"), default="heldout")
    ap.add_argument("--per-question", type=int, default=24)
    ap.add_argument("--fit", action="store_true", help="choose the 'no' threshold on these turns")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--replay", action="store_true", help="the last run's heard turns, taken again by today's dialog")
    args = ap.parse_args()
    content = load_content()
    expect = Expectations(content)
    out = ROOT / "bench" / "results" / f"confirm_{args.set}.json"
    if args.replay:
        report_on(content, args, replayed(content, json.loads(out.read_text())["turn_list"]), out)
        return
    rec = WhisperRecognizer()
    policy = rec.confirm_policy
    items = answers(content, args.set, args.per_question, args.seed)
    conditions = [c for c in CONDITIONS if c[0] in CHOSEN]
    voices = VOICES[args.set]
    rng = np.random.default_rng(args.seed)
    print(f"{len(items)} answers x {len(voices)} voices x {len(conditions)} conditions ({args.set})", flush=True)
    turns: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in items:
            for voice in voices:
                pcm = read_wav(synthesize(str(item["text"]), voice, Path(tmp) / "a.wav")).data
                for condition in conditions:
                    session = session_at(content, item["ask"])
                    session.policy = policy
                    rec.expect(expect.for_session(session))
                    raw = hearing(recognize(rec, heard_audio(pcm, condition, rng)))
                    taken = session.considered(raw)
                    got = answer_of(content, session, taken.text)
                    others = [answer_of(content, session, t) for t, _ in raw.alternatives]
                    agree = sum(a == got for a in others if a is not None) / max(1, sum(a is not None for a in others))
                    events = session.hear(taken)
                    turns.append(
                        {
                            "ask": item["ask"],
                            "said": item["text"],
                            "answer": item["answer"],
                            "heard": taken.text,
                            "taken": got,
                            "chance": taken.confidence,
                            "agree": round(agree, 2),
                            "confirmed": any(e.type == "ask" and e.question == CONFIRMING for e in events),
                            "voice": voice,
                            "condition": condition[0],
                        }
                    )
    report_on(content, args, turns, ROOT / "bench" / "results" / f"confirm_{args.set}.json")


def replayed(content: Content, turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each heard turn taken again, as heard (text and chance), by the understanding and the dialog as
    they are now."""
    from dialog import Hearing
    from voice.whisper import WhisperTuning

    policy = WhisperTuning().confirm_policy
    for t in turns:
        session = session_at(content, t["ask"])
        session.policy = policy
        t["taken"] = answer_of(content, session, t["heard"]) if t["heard"] else None
        events = session.hear(Hearing(t["heard"], t["chance"], rejected=not t["heard"]))
        t["confirmed"] = any(e.type == "ask" and e.question == CONFIRMING for e in events)
    return turns


def report_on(content: Content, args: argparse.Namespace, turns: list[dict[str, Any]], out: Path) -> None:
    from voice.whisper import WhisperTuning

    policy = WhisperTuning().confirm_policy
    screening = {q.id for q in content.ruleset.questions if content.ruleset.screens_for_warning_signs(q)}
    voices = sorted({t["voice"] for t in turns})
    report: dict[str, Any] = {"set": args.set, "voices": voices, "conditions": list(CHOSEN), "questions": {}}
    print(f"{'question':<18}{'turns':>6}{'confirmed':>10}{'no confirmed':>14}{'acted on wrongly':>18}")
    for qid in sorted({t["ask"] for t in turns}):
        mine = [t for t in turns if t["ask"] == qid]
        nos = [t for t in mine if t["answer"] == "no" and t["taken"] == "no"]
        wrong = [t for t in mine if not t["confirmed"] and t["taken"] is not None and t["taken"] != t["answer"]]
        row = {
            "screening": qid in screening,
            "turns": len(mine),
            "confirmed": round(100 * sum(t["confirmed"] for t in mine) / len(mine), 1),
            "no_confirmed": round(100 * sum(t["confirmed"] for t in nos) / len(nos), 1) if nos else None,
            "acted_on_wrongly": round(100 * len(wrong) / len(mine), 1),
            "wrong_no_acted_on": sum(1 for t in wrong if t["taken"] == "no"),
        }
        report["questions"][qid] = row
        nc = "-" if row["no_confirmed"] is None else f"{row['no_confirmed']}%"
        mark = " (screening)" if row["screening"] else ""
        print(f"{qid:<18}{len(mine):>6}{row['confirmed']:>9}%{nc:>14}{row['acted_on_wrongly']:>17}%{mark}")
    all_confirmed = round(100 * sum(t["confirmed"] for t in turns) / len(turns), 1)
    unsafe = [t for t in turns if t["ask"] in screening and t["taken"] == "no" and t["answer"] != "no"]
    unsafe_acted = [t for t in unsafe if not t["confirmed"]]
    report |= {
        "turns": len(turns),
        "confirmed": all_confirmed,
        "screening_no_for_another_answer": len(unsafe),
        "screening_no_for_another_answer_acted_on": len(unsafe_acted),
        "thresholds": {"confirm_below": policy.confirm_below, "sure_all_clear": policy.sure_all_clear},
    }
    print(f"all: {len(turns)} turns, {all_confirmed}% confirmed first")
    print(
        f"screening questions: a 'no' heard for another answer {len(unsafe)} times, "
        f"acted on without confirming {len(unsafe_acted)}"
    )
    for t in unsafe_acted:
        print(f"  said {t['said']!r}, heard {t['heard']!r} ({t['chance']}) [{t['voice']}, {t['condition']}]")
    if args.fit:
        worst = max((t["chance"] for t in unsafe), default=0.0)
        true_no = [t for t in turns if t["ask"] in screening and t["answer"] == "no" and t["taken"] == "no"]
        for threshold in sorted({round(worst + 0.001, 3), policy.sure_all_clear, 0.5, 0.6, 0.7, 0.8}):
            confirmed = sum(t["chance"] < threshold for t in true_no)
            acted = sum(t["chance"] >= threshold for t in unsafe)
            print(
                f"  'no' threshold {threshold}: clear 'no's confirmed {confirmed}/{len(true_no)}, "
                f"misheard 'no's acted on {acted}/{len(unsafe)}"
            )
        report["fit"] = {"highest_chance_of_a_misheard_no": worst}
    out.write_text(json.dumps(report | {"turn_list": turns}, indent=1) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
