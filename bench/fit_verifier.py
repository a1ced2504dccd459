"""Fit the verifier (voice/verify.py) on the dev utterances.

Usage: .venv/bin/python bench/fit_verifier.py [--pre-roll SECONDS] [--out bench/results/verifier.json]

The dev utterances (bench/dev.yaml, never the held-out ones) are synthesized
with four espeak-ng and flite voices, clean and with white noise at 40, 20
and 10 dB SNR, and run through pocketsphinx with nothing rejected.  For each
phrase the grammar search found, the verifier's evidence is kept with
whether the phrase was right (the intent meant).  A logistic model of "right"
is fitted on that evidence; the rejection threshold is set so that 90% of
off-topic speech is rejected, clean and with a quiet room's hiss, with
one- and two-word phrases held to a threshold lower by the tuning's
short_easing (voice/asr.py).

Each utterance gets the endpointer's lead-in of quiet before it, or
--pre-roll seconds.  The current fit was made with --pre-roll 0.3: fitted
on the 0.6 s lead-in, on dev it understood fewer answers (85% against 88%
clean, each voice judged by a fit on the others).

It prints the weights, the bounds of the evidence seen and the threshold to
put in voice/verify.py and voice/asr.py, and how well they do: on each voice
with a model fitted on the other three (an estimate for voices not seen), and
on all four.  Answers understood and off-topic speech rejected are counted
as the skill takes the phrases up, a doubted warning sign confirmed rather
than rejected (voice/talk.py); the "by recog" column is what the recognizer
alone rejects, where the threshold is set.  Last, the doubted warning signs:
how many right ones fall below talk.RESCUE_AT_LEAST, and how many off-topic.
Takes about 3 minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field, fields, replace
from functools import partial
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spoken import streamed, synthesized  # noqa: E402

from content import load_content  # noqa: E402
from dialog import ConfirmPolicy, Session  # noqa: E402
from intents import IntentParser  # noqa: E402
from voice.asr import Heard, is_short  # noqa: E402
from voice.sphinx import PocketsphinxRecognizer, SphinxTuning  # noqa: E402
from voice.sphinx.verify import Evidence, Verifier  # noqa: E402
from voice.talk import considered  # noqa: E402

VOICES = ["en-us", "en-us+m3", "flite:kal", "flite:slt"]
SNRS: list[float | None] = [None, 40.0, 20.0, 10.0]
QUIET = (None, 40.0)  # where the threshold is set: clean and a quiet room's hiss
REJECT_OFF_TOPIC = 0.9
TUNING = SphinxTuning()  # its short_easing holds short phrases to a lower threshold
L2 = 1.0  # ridge on the standardized evidence: keeps weights sane on ~1000 phrases


@dataclass(frozen=True)
class Recording(Verifier):
    """A verifier that keeps the evidence it is shown."""

    seen: list[Evidence | None] = field(default_factory=list, compare=False)

    def chance(self, evidence: Evidence | None) -> float:
        self.seen.append(evidence)
        return super().chance(evidence)


@dataclass(frozen=True)
class Phrase:
    voice: str
    snr: float | None
    off_topic: bool
    right: bool  # the phrase found carries the intent meant
    evidence: Evidence | None
    heard: str  # the phrase found
    short: bool  # what was said is a one- or two-word answer


def collect(voice: str, pre_roll: float | None = None) -> list[Phrase]:
    """Every dev utterance in this voice at each noise level, as heard."""
    held = yaml.safe_load((ROOT / "bench" / "dev.yaml").read_text())
    content = load_content()
    parser = IntentParser(content.intents)
    verifier = Recording()
    rec = PocketsphinxRecognizer(content.templates, SphinxTuning(verifier=verifier, reject_below=0.0))
    rng = np.random.default_rng([7, VOICES.index(voice)])
    texts = held["in_domain"] + held["off_topic"]
    with tempfile.TemporaryDirectory() as tmp:
        audio = synthesized(texts, [voice], SNRS, rng, Path(tmp), pre_roll=pre_roll)
    phrases = []
    for snr in SNRS:
        rec.forget()  # each block a new session, as in the bench
        for text in texts:
            verifier.seen.clear()
            heard = streamed(rec, audio[(text, voice, snr)])[0]
            off = text in held["off_topic"]
            got = parser.parse(heard.text) if heard.text else None  # nothing is rejected at 0.0
            want = None if off else parser.parse(text)
            right = got is not None and want is not None and got.name == want.name
            evidence = verifier.seen[0] if verifier.seen else None
            phrases.append(Phrase(voice, snr, off, right, evidence, heard.text, is_short(text)))
    return phrases


def fit(phrases: Sequence[Phrase]) -> Verifier:
    """Logistic regression of "right" on the evidence (Newton's method, ridge on standardized values)."""
    used = [(p.evidence, p.right) for p in phrases if p.evidence is not None]
    x = np.array([astuple(e) for e, _ in used])
    y = np.array([right for _, right in used], dtype=float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / spread]
    ridge = np.eye(z.shape[1]) * L2
    ridge[0, 0] = 0.0
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        step = np.linalg.solve((z * (p * (1 - p))[:, None]).T @ z + ridge, z.T @ (y - p) - ridge @ w)
        w += step
        if np.abs(step).max() < 1e-9:
            break
    weights = w[1:] / spread
    # The doubtful end of each field's values, rounded outwards so that every phrase fitted on is within it.
    seen_to = tuple(
        math.floor(100 * x[:, i].min()) / 100 if wi > 0 else math.ceil(100 * x[:, i].max()) / 100
        for i, wi in enumerate(weights)
    )
    return Verifier(
        bias=round(float(w[0] - weights @ mean), 4),
        weights=tuple(round(float(v), 5) for v in weights),
        seen_to=seen_to,
    )


def threshold(phrases: Sequence[Phrase], verifier: Verifier) -> float:
    """The lowest reject_below, in hundredths, that rejects REJECT_OFF_TOPIC of
    the off-topic phrases heard in quiet (short ones held to the eased threshold)."""
    off = [(verifier.chance(p.evidence), p.heard) for p in phrases if p.off_topic and p.snr in QUIET]
    for cents in range(101):
        tuning = replace(TUNING, reject_below=cents / 100)
        if sum(tuning.rejects(c, heard) for c, heard in off) >= REJECT_OFF_TOPIC * len(off):
            return cents / 100
    return 1.0


POLICY = ConfirmPolicy()
CONFIRM_BELOW, RESCUE_AT_LEAST = POLICY.confirm_below, POLICY.rescue_at_least
_SESSION: list[Session] = []


def session() -> Session:
    """One session, to take heard phrases up as the skill does."""
    if not _SESSION:
        _SESSION.append(Session.create(load_content()))
    return _SESSION[0]


def rescued(text: str, parser: IntentParser) -> bool:
    return session().names_warning_sign(text)


def taken(p: Phrase, chance: float, tuning: SphinxTuning, parser: IntentParser) -> Heard:
    """The phrase as the skill takes it up: kept or rejected by the recognizer,
    then perhaps rescued as a warning sign (voice/talk.py)."""
    return considered(tuning.judged(p.heard, chance), session()) if p.heard else Heard("", 0.0)


def scored(
    phrases: Sequence[Phrase], chance: Callable[[Evidence | None], float], reject_below: float, parser: IntentParser
) -> dict:
    """Per noise level, as the skill takes the phrases up: answers understood,
    off-topic speech rejected and acted on (heard with confidence enough not
    to be confirmed first), right answers confirmed."""
    tuning = replace(TUNING, reject_below=reject_below)

    def kept(p: Phrase) -> bool:
        return not taken(p, chance(p.evidence), tuning, parser).rejected

    out = {}
    for snr in SNRS:
        ind = [p for p in phrases if p.snr == snr and not p.off_topic]
        off = [p for p in phrases if p.snr == snr and p.off_topic]
        understood = [p for p in ind if p.right and kept(p)]
        short = [p for p in ind if p.short]
        out["clean" if snr is None else f"{snr:g}dB"] = {
            "understood": round(len(understood) / len(ind), 3),
            "short_understood": round(sum(p.short for p in understood) / len(short), 3),
            "longer_understood": round(sum(not p.short for p in understood) / (len(ind) - len(short)), 3),
            "confirmed_first": round(sum(chance(p.evidence) < CONFIRM_BELOW for p in understood) / len(ind), 3),
            "off_topic_rejected": round(sum(not kept(p) for p in off) / len(off), 3),
            "off_topic_rejected_by_recognizer": round(
                sum(tuning.rejects(chance(p.evidence), p.heard) for p in off) / len(off), 3
            ),
            "off_topic_acted_on": round(sum(chance(p.evidence) >= CONFIRM_BELOW for p in off) / len(off), 3),
            "grammar_alone": round(sum(p.right for p in ind) / len(ind), 3),
        }
    return out


def rescuable(
    phrases: Sequence[Phrase], chance: Callable[[Evidence | None], float], reject_below: float, parser: IntentParser
) -> list[tuple[Phrase, float]]:
    """The phrases the recognizer rejects that name a warning sign, with their
    chance: the ones voice/talk.py confirms if that is at least RESCUE_AT_LEAST."""
    tuning = replace(TUNING, reject_below=reject_below)
    out = []
    for p in phrases:
        c = chance(p.evidence)
        if p.heard and tuning.rejects(c, p.heard) and rescued(p.heard, parser):
            out.append((p, c))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "verifier.json")
    ap.add_argument("--pre-roll", type=float, help="seconds of quiet before each utterance (default: the endpointer's)")
    args = ap.parse_args()
    with Pool(2) as pool:
        phrases = [p for ps in pool.map(partial(collect, pre_roll=args.pre_roll), VOICES) for p in ps]

    parser = IntentParser(load_content().intents)
    # Each voice judged by a model fitted, and a threshold set, on the other three.
    folds, rescues = [], []
    for voice in VOICES:
        others = [p for p in phrases if p.voice != voice]
        v = fit(others)
        below = threshold(others, v)
        own = [p for p in phrases if p.voice == voice]
        folds.append(scored(own, v.chance, below, parser))
        rescues += rescuable(own, v.chance, below, parser)
    unseen = {k: {m: round(statistics.mean(f[k][m] for f in folds), 3) for m in folds[0][k]} for k in folds[0]}
    verifier = fit(phrases)
    reject_below = threshold(phrases, verifier)
    seen = scored(phrases, verifier.chance, reject_below, parser)
    right_signs = sorted(c for p, c in rescues if p.right)
    off_signs = [c for p, c in rescues if p.off_topic]
    rescue = {
        "rescue_at_least": RESCUE_AT_LEAST,
        "right_signs_rescued": len(right_signs),
        "lowest_right_sign": right_signs[0] if right_signs else None,
        "right_signs_turned_away": sum(c < RESCUE_AT_LEAST for c in right_signs),
        "off_topic_rescuable": len(off_signs),
        "off_topic_turned_away": sum(c < RESCUE_AT_LEAST for c in off_signs),
    }

    report = {
        "command": "python bench/fit_verifier.py" + ("" if args.pre_roll is None else f" --pre-roll {args.pre_roll:g}"),
        "date": time.strftime("%Y-%m-%d"),
        "voices": VOICES,
        "evidence": [f.name for f in fields(Evidence)],
        "verifier": {"bias": verifier.bias, "weights": list(verifier.weights), "seen_to": list(verifier.seen_to)},
        "reject_below": reject_below,
        "short_easing": TUNING.short_easing,
        "each_voice_fitted_on_the_others": unseen,
        "all_voices": seen,
        "warning_signs_rejected_then_rescued": rescue,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Verifier(bias={verifier.bias}, weights={verifier.weights}, seen_to={verifier.seen_to})")
    print(f"reject_below = {reject_below}")
    for title, table in (("each voice, fitted on the others", unseen), ("all four voices", seen)):
        print(f"\n{title}:")
        print(
            f"{'audio':8} {'understood':>10} {'short':>6} {'longer':>6} {'confirmed':>9} {'rejected':>9}"
            f" {'by recog':>9} {'acted on':>9} {'grammar':>8}"
        )
        for key, row in table.items():
            print(
                f"{key:8} {row['understood']:10.1%} {row['short_understood']:6.1%} {row['longer_understood']:6.1%}"
                f" {row['confirmed_first']:9.1%} {row['off_topic_rejected']:9.1%}"
                f" {row['off_topic_rejected_by_recognizer']:9.1%}"
                f" {row['off_topic_acted_on']:9.1%} {row['grammar_alone']:8.1%}"
            )
    print(
        f"\nwarning signs the recognizer rejects, each voice fitted on the others: {len(right_signs)} right ones,"
        f" the lowest at chance {rescue['lowest_right_sign']}, {rescue['right_signs_turned_away']} below"
        f" {RESCUE_AT_LEAST} and so re-asked; {len(off_signs)} off-topic, {rescue['off_topic_turned_away']}"
        " of them below and so rejected"
    )
    if (TUNING.verifier, TUNING.reject_below) != (verifier, reject_below):
        print("\nthe defaults in voice/verify.py and voice/asr.py differ from this fit", file=sys.stderr)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
