"""The microphone path under noise: does it notice the user has stopped talking?

Usage: .venv/bin/python bench/endpoint_bench.py [--dev] [--out FILE]

asr_bench.py hands each utterance to the recognizer already cut; this one
plays it as a microphone would hear it, through voice.mic.listen (WebRTC
voice activity detection, the endpointer, then pocketsphinx).  Each held-out
answer (bench/heldout.yaml) is spoken by four espeak-ng and flite voices
with 1 s of room before it and 4 s after, the room clean or with white or
pink noise over the whole at 40, 20 and 10 dB SNR.  For each it records:

- whether speech was noticed at all;
- when the endpointer ended the turn, against the end of the speech: the
  wait (ideally its 0.8 s of quiet), or "cut short" when it ended before the
  speech did, or "never ended" when 4 s of room after the speech were not
  enough (at a live microphone the turn would run on to its 20 s limit);
- whether the intent was understood, as the skill takes the phrase up (a
  doubted warning sign confirmed rather than rejected, voice/talk.py).

With --dev the dev answers (bench/dev.yaml) are used instead, for choosing
settings; the results then go to bench/results/endpoint_dev.json.
Takes about 5 minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spoken import synth  # noqa: E402

from content import load_content  # noqa: E402
from dialog import Session  # noqa: E402
from intents import IntentParser  # noqa: E402
from voice.audio import RATE  # noqa: E402
from voice.mic import listen  # noqa: E402
from voice.sphinx import PocketsphinxRecognizer  # noqa: E402
from voice.synth import NOISES, with_noise  # noqa: E402
from voice.talk import considered  # noqa: E402

VOICES = ["en-us", "en-us+m3", "flite:slt", "flite:rms"]
SNRS: list[float | None] = [None, 40.0, 20.0, 10.0]
BEFORE, AFTER = 1.0, 4.0  # seconds of room around the speech


class RunOut(Exception):
    """The recording ended while the endpointer still waited."""


@dataclass
class Recording:
    """A microphone stand-in: hands out a recording in the sizes asked for."""

    pcm: bytes
    at: int = 0  # bytes handed out so far

    def read(self, samples: int) -> tuple[bytes, bool]:
        if self.at + 2 * samples > len(self.pcm):
            raise RunOut
        chunk = self.pcm[self.at : self.at + 2 * samples]
        self.at += 2 * samples
        return chunk, False

    @property
    def seconds(self) -> float:
        return self.at / (2 * RATE)


class Watched:
    """The recognizer, noting whether this turn started it."""

    def __init__(self, rec: PocketsphinxRecognizer) -> None:
        self.rec, self.started = rec, False

    def start(self) -> None:
        self.started = True
        self.rec.start()

    def __getattr__(self, name: str) -> object:
        return getattr(self.rec, name)


def speech_end(x: np.ndarray) -> int:
    """The last sample of the speech: above 2% of its peak, as with_noise judges it."""
    return int(np.flatnonzero(np.abs(x) > 0.02 * np.abs(x).max())[-1])


def in_room(pcm: bytes, snr: float | None, colour: str, rng: np.random.Generator) -> tuple[bytes, float]:
    """The utterance with room around it, and the second its speech ends."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    last = speech_end(x)
    x = np.concatenate([np.zeros(int(BEFORE * RATE)), x[: last + 1], np.zeros(int(AFTER * RATE))])
    out = x.astype("<i2").tobytes() if snr is None else with_noise(x, snr, rng, colour)
    return out, BEFORE + (last + 1) / RATE


def run(colour: str, phrases: str = "heldout.yaml") -> dict:
    """Every voice and noise level in one room colour (one process each)."""
    held = yaml.safe_load((ROOT / "bench" / phrases).read_text())
    content = load_content()
    parser = IntentParser(content.intents)
    session = Session.create(content)
    rec = PocketsphinxRecognizer(content.templates)
    rng = np.random.default_rng([11, NOISES.index(colour)])
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        clean = {(t, v): synth(t, v, Path(tmp)) for v in VOICES for t in held["in_domain"]}
    for snr in SNRS:
        if snr is None and colour != NOISES[0]:
            continue  # a clean room has no colour
        label = "clean" if snr is None else f"{colour} {snr:g} dB"
        waits: list[float] = []
        noticed = cut = never = understood = 0
        for voice in VOICES:
            rec.forget()  # a new speaker in a new room
            for text in held["in_domain"]:
                pcm, ends_at = in_room(clean[(text, voice)], snr, colour, rng)
                mic, watched = Recording(pcm), Watched(rec)
                try:
                    heard = listen(mic, watched, silence_timeout=BEFORE + AFTER + 60)  # type: ignore[arg-type]
                except RunOut:
                    if watched.started:  # but never ended; finish it so it is ready for the next
                        rec.finish()
                        noticed += 1
                        never += 1
                    continue
                if heard is None:
                    continue
                noticed += 1
                wait = mic.seconds - ends_at
                cut += wait < 0
                if wait >= 0:
                    waits.append(wait)
                heard = considered(heard, session)  # as the skill takes it up
                want, got = parser.parse(text), parser.parse(heard.text) if heard.text else None
                understood += got is not None and want is not None and got.name == want.name
        n = len(VOICES) * len(held["in_domain"])
        rows[label] = {
            "noticed": round(noticed / n, 3),
            "cut_short": round(cut / n, 3),
            "never_ended": round(never / n, 3),
            "wait_median_s": round(statistics.median(waits), 2) if waits else None,
            "wait_p90_s": round(sorted(waits)[int(0.9 * len(waits))], 2) if waits else None,
            "understood": round(understood / n, 3),
        }
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", action="store_true", help="the dev answers, for choosing settings")
    ap.add_argument("--out", type=Path, help="default bench/results/endpoint.json (endpoint_dev.json with --dev)")
    args = ap.parse_args()
    phrases = "dev.yaml" if args.dev else "heldout.yaml"
    out = args.out or ROOT / "bench" / "results" / ("endpoint_dev.json" if args.dev else "endpoint.json")
    with Pool(2) as pool:
        rows = {k: v for part in pool.starmap(run, [(n, phrases) for n in NOISES]) for k, v in part.items()}
    report = {
        "command": "python bench/endpoint_bench.py" + (" --dev" if args.dev else ""),
        "phrases": phrases,
        "date": time.strftime("%Y-%m-%d"),
        "voices": VOICES,
        "room_s": {"before": BEFORE, "after": AFTER},
        "rows": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    heads = f"{'noticed':>8} {'cut short':>9} {'never ended':>11} {'wait (median, p90)':>19} {'understood':>10}"
    print(f"{'room':16} {heads}")
    for label, r in rows.items():
        wait = "-" if r["wait_median_s"] is None else f"{r['wait_median_s']:.2f} s, {r['wait_p90_s']:.2f} s"
        print(
            f"{label:16} {r['noticed']:8.1%} {r['cut_short']:9.1%} {r['never_ended']:11.1%} {wait:>19}"
            f" {r['understood']:10.1%}"
        )
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
