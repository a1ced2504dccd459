"""How long each spoken turn is, rendered by the real speech engine at the bedtime rate.

Runs whole conversations through the dialog as typed turns (what is said back does not depend on how
the user's words arrived), renders each reply's spoken part with espeak-ng through pyttsx3 at the
bedtime rate, and measures the WAV: seconds spoken per turn (median, max), in total, and the spoken
assessment.  Targets (issue 18): no default turn over 15 s, the spoken assessment at most 30 s.

    .venv/bin/python bench/spoken_bench.py [--rate 130] [--out bench/results/spoken.json]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from content import load_content  # noqa: E402
from dialog import Event, Session  # noqa: E402
from voice.speech import BEDTIME_RATE, Speaker, SpeechSettings  # noqa: E402

TODAY = date(2026, 11, 21)
TURN_LIMIT_S, ASSESSMENT_LIMIT_S = 15.0, 30.0

# The README's example check-in, word for word (answers.txt), and a stroke case.
CONVERSATIONS: dict[str, list[str]] = {
    "readme": [
        "my left eyelid's been twitching on and off for about five weeks, mostly when I'm tired",
        "nope, none of that",
        "not really, it's just the eyelid",
        "would a warm cloth on my eye help?",
        "no, nothing like that",
        "yeah mostly, it settles down after a good night's sleep",
        "honestly about five coffees a day, and work's been really stressful",
        "about six hours, less when work is busy",
    ],
    "stroke": [
        "my mouth keeps twitching and my face suddenly started drooping on one side and I'm slurring my words",
    ],
    # a question never understood: asked three times, then noted as not sure
    "unclear": [
        "my right eyelid keeps twitching at night, it's been about two weeks",
        "no, nothing like that",
        "no, just the one eyelid",
        "purple elephant wallpaper",
        "purple elephant wallpaper",
        "purple elephant wallpaper",
        "yes it gets better when I sleep",
        "yes just a few seconds now and then",
        "no",
        "no",
        "no",
    ],
    # the turns a person asks for on the way: help, why, a question, the details read in parts
    "asides": [
        "help",
        "my right cheek has been twitching every day for a month",
        "why do you ask?",
        "no",
        "is this a stroke?",
        "no",
        "no",
        "no",
        "tell me more",
        "yes",
        "that's enough",
        "how much coffee is too much?",
        "goodbye",
    ],
}


@dataclass
class Turn:
    said: str  # the user's words ("" for the greeting)
    spoken: str
    seconds: float
    assessment: bool
    assessment_s: float = 0.0  # the assessment alone, without what is asked after it


def spoken_text(events: list[Event]) -> tuple[str, bool]:
    lines = [line for e in events if e.type != "relax" for line in e.spoken()]
    return " ".join(lines).strip(), any(e.type == "assessment" for e in events)


def seconds_of(speaker: Speaker, text: str) -> float:
    if not text:
        return 0.0
    path = speaker.speak([text])
    if path is None:
        sys.exit(f"could not render speech ({speaker.silent_reason or 'no engine'}); is espeak-ng installed?")
    info = sf.info(str(path))
    return float(info.frames / info.samplerate)


def measured(speaker: Speaker, said: str, events: list[Event]) -> Turn:
    text, has_assessment = spoken_text(events)
    alone = next((" ".join(e.spoken()) for e in events if e.type == "assessment"), "")
    return Turn(said, text, seconds_of(speaker, text), has_assessment, seconds_of(speaker, alone))


def run(name: str, turns: list[str], speaker: Speaker) -> dict[str, object]:
    session = Session.create(load_content(), today=lambda: TODAY)
    measured_turns = [measured(speaker, "", session.start())]
    for said in turns:
        if session.ended:
            break
        measured_turns.append(measured(speaker, said, session.handle(said)))
    seconds = [t.seconds for t in measured_turns if t.spoken]
    other = [t.seconds for t in measured_turns if t.spoken and not t.assessment]
    assessment = [t.assessment_s for t in measured_turns if t.assessment]
    assessment_turn = [t.seconds for t in measured_turns if t.assessment]
    return {
        "turns": len(seconds),
        "median_s": round(statistics.median(seconds), 1),
        "max_s": round(max(seconds), 1),
        "max_other_s": round(max(other), 1),
        "total_s": round(sum(seconds), 1),
        "assessment_s": round(assessment[0], 1) if assessment else None,
        "assessment_turn_s": round(assessment_turn[0], 1) if assessment_turn else None,
        "over_limit": [
            f"{t.seconds:.1f} s: {t.spoken}"
            for t in measured_turns
            if (t.assessment and t.assessment_s > ASSESSMENT_LIMIT_S) or (not t.assessment and t.seconds > TURN_LIMIT_S)
        ],
        "per_turn": [{"said": t.said, "spoken": t.spoken, "seconds": round(t.seconds, 1)} for t in measured_turns],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=int, default=BEDTIME_RATE, help="words per minute (default: the bedtime rate)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "spoken.json")
    args = ap.parse_args()
    results: dict[str, object] = {"rate_wpm": args.rate, "engine": "espeak-ng via pyttsx3"}
    with tempfile.TemporaryDirectory() as tmp:
        speaker = Speaker(SpeechSettings(rate=args.rate), io.StringIO(), wav_out=Path(tmp), play=False)
        for name, turns in CONVERSATIONS.items():
            results[name] = run(name, turns, speaker)
        speaker.close()
    print(f"seconds spoken per turn at {args.rate} words a minute (espeak-ng)")
    print("(max other: the longest turn without the assessment; with it: the assessment and what is asked after it)")
    print(f"{'conversation':<14}{'turns':>6}{'median':>8}{'max other':>11}{'total':>8}{'assessment':>12}{'with it':>9}")
    ok = True
    for name in CONVERSATIONS:
        r = results[name]
        assert isinstance(r, dict)
        a = r["assessment_s"]
        print(
            f"{name:<14}{r['turns']:>6}{r['median_s']:>8}{r['max_other_s']:>11}{r['total_s']:>8}"
            f"{'-' if a is None else a:>12}{'-' if a is None else r['assessment_turn_s']:>9}"
        )
        ok = ok and not r["over_limit"]
        for line in r["over_limit"]:
            print(f"  over: {line[:110]}")
    verdict = "met" if ok else "NOT met"
    print(f"targets (no turn over {TURN_LIMIT_S:.0f} s, assessment at most {ASSESSMENT_LIMIT_S:.0f} s): {verdict}")
    results["targets_met"] = ok
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
