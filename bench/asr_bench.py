"""Every available recognizer, side by side, on speech in people's own words.

Usage:
    .venv/bin/python bench/asr_bench.py                 # held-out lines and voices: the README's figures
    .venv/bin/python bench/asr_bench.py --set tuning    # the lines and voices settings are chosen on
    .venv/bin/python bench/asr_bench.py --quick         # a few lines, to see that it runs
    options: --lines N, --recognizers whisper,pocketsphinx,vosk, --model DIR (another Whisper model)
    .venv/bin/python bench/asr_bench.py --recognizers whisper --startup 5   # start-up only: ready, memory
    .venv/bin/python bench/asr_bench.py --set tuning --recognizers whisper --heard FILE
        # keeps what Whisper heard in FILE; run again with the same FILE, it replays it in seconds
        # instead of decoding, to measure a change to understanding (its times then leave out decoding)

Each line of the understanding corpus (bench/nlu/: natural utterances, with
the question they answer) and each template phrase of bench/heldout.yaml is
spoken by synthetic voices (espeak-ng, flite), clean, with white noise at 40,
20, 10 and 5 dB, pink noise at 10 dB, and softly (30 dB quieter over a
microphone's noise floor, as someone whispering in bed).  A line counts as
understood when what the skill makes of the audio — the hypothesis it takes
(dialog.Session.considered) and what it understands of it — is what it makes
of the line's text: the same command, answer, facts and their states, topic
and values.  Off-topic lines count when nothing is understood.  The held-out
voices, lines and pink noise were never used to choose a setting.

Prints a table and writes bench/results/asr_<set>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nlu_bench import TODAY, load_items  # noqa: E402

from content import Content, load_content  # noqa: E402
from dialog import Expectations, Hearing, Session  # noqa: E402
from intents import Understanding  # noqa: E402
from voice.asr import Heard, Recognizer, is_short, recognize  # noqa: E402
from voice.audio import RATE, read_wav  # noqa: E402
from voice.speech import Speaker, SpeechSettings  # noqa: E402
from voice.synth import synthesize, with_noise  # noqa: E402
from voice.talk import hearing  # noqa: E402

VOICES = {
    "heldout": ["en-us+f2", "en-gb-scotland", "flite:slt", "flite:awb"],
    "tuning": ["en-us+m3", "en-029", "flite:rms", "flite:kal"],
}
# a neural voice (piper, from the test extra), nearer a person's than espeak-ng's and flite's; never
# used to choose a setting: `--voices piper:joe`
NEURAL = ["piper:joe"]
# (name, noise colour, SNR in dB); None: clean
CONDITIONS: list[tuple[str, str, float | None]] = [
    ("clean", "white", None),
    ("white 40 dB", "white", 40.0),
    ("white 20 dB", "white", 20.0),
    ("white 10 dB", "white", 10.0),
    ("white 5 dB", "white", 5.0),
    ("pink 10 dB", "pink", 10.0),
    ("soft", "white", None),
]
SOFT_DB = 30.0  # how much quieter soft speech is
FLOOR_DBFS = -70.0  # a microphone's own noise floor, for soft speech
LEAD, TAIL = 0.3, 0.8  # the quiet the endpointer leaves before and after speech
CONFIRMING = "confirm"


@dataclass
class Result:
    recognizer: str
    voice: str
    condition: str
    part: str  # natural | phrases
    kind: str  # short | long | offtopic
    text: str
    heard: str
    ok: bool
    confirmed: bool
    acted_wrongly: bool  # understood differently and acted on without "Did you say ...?"
    wer: float
    decode_ms: float
    reply_ms: float
    seconds: float
    logprob: float | None = None  # Whisper: the best hypothesis's mean token log-probability
    no_speech: float | None = None


def signature(content: Content, u: Understanding) -> tuple[Any, ...]:
    """What a turn's understanding amounts to for the conversation: commands by what they do."""
    action = content.commands.get(u.command.value) if u.command else None
    return (action, *u.meaning()[1:])


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split()


def wer(ref: str, hyp: str) -> float:
    r, h = words(ref), words(hyp)
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
    return d[len(h)] / max(1, len(r))


def session_at(content: Content, ask: str | None) -> Session:
    s = Session.create(content, today=lambda: TODAY)
    s.start()
    if ask and ask in {q.id for q in content.ruleset.questions}:
        s.current = ask
    return s


def heard_audio(pcm: bytes, condition: tuple[str, str, float | None], rng: np.random.Generator) -> bytes:
    name, colour, snr = condition
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    x = np.concatenate([np.zeros(int(LEAD * RATE)), x, np.zeros(int(TAIL * RATE))])
    if name == "soft":
        x = x * 10 ** (-SOFT_DB / 20)
        floor = 32768 * 10 ** (FLOOR_DBFS / 20)
        return np.clip(np.round(x + rng.normal(0.0, floor, x.size)), -32768, 32767).astype("<i2").tobytes()
    if snr is None:
        return x.astype("<i2").tobytes()
    return with_noise(x, snr, rng, colour)


def corpus(set_name: str, lines: int, seed: int) -> list[dict[str, Any]]:
    """A fixed sample of the understanding corpus, answers and off-topic lines kept in."""
    items = [i for i in load_items(ROOT / "bench" / "nlu" / set_name) if "today" not in i]
    rng = random.Random(seed)
    rng.shuffle(items)
    offtopic = [i for i in items if i.get("offtopic")][: max(1, lines // 8)]
    short = [i for i in items if not i.get("offtopic") and is_short(str(i["text"]))][: max(1, lines // 6)]
    rest = [i for i in items if not i.get("offtopic") and not is_short(str(i["text"]))]
    chosen = offtopic + short + rest[: max(0, lines - len(offtopic) - len(short))]
    for i in chosen:
        i["_part"] = "natural"
    return chosen


def phrases(lines: int) -> list[dict[str, Any]]:
    doc = yaml.safe_load((ROOT / "bench" / "heldout.yaml").read_text(encoding="utf-8"))
    chosen = [{"text": t, "ask": "stroke_signs", "_part": "phrases"} for t in doc["in_domain"]]
    chosen += [{"text": t, "ask": "stroke_signs", "offtopic": True, "_part": "phrases"} for t in doc["off_topic"]]
    return chosen[:lines] if lines else chosen


def open_named(name: str, content: Content, model: str | None) -> Recognizer | None:
    try:
        if name == "whisper":
            from voice.whisper import WhisperRecognizer

            return WhisperRecognizer(model)
        if name == "pocketsphinx":
            from voice.sphinx import PocketsphinxRecognizer

            return PocketsphinxRecognizer(content.templates)
        if name == "vosk":
            from voice.models import find_vosk_model
            from voice.vosk_recognizer import VoskRecognizer

            found, _ = find_vosk_model()
            return VoskRecognizer(content.templates, found) if found else None
    except Exception as exc:  # the bench goes on without a recognizer that cannot load
        print(f"  {name}: not measured ({exc})")
    return None


def run_one(
    rec: Recognizer, content: Content, expect: Expectations, item: dict[str, Any], pcm: bytes, speaker: Speaker
) -> tuple[Heard, Hearing, bool, float, float]:
    """The heard turn, what the skill took, whether it confirms it, decode and reply times (ms)."""
    session = session_at(content, item.get("ask"))
    session.policy = getattr(rec, "confirm_policy", session.policy)
    rec.expect(expect.for_session(session))
    start = time.perf_counter()
    raw = recognize(rec, pcm)
    decoded = time.perf_counter()
    taken = session.considered(hearing(raw))
    events = session.hear(taken)  # the hypothesis chosen once, as the talk loop does
    lines = [line for e in events for line in e.printed()]
    if lines:
        speaker.speak(lines[:1])  # the reply's first sentence rendered: when its first sample can play
    done = time.perf_counter()
    confirmed = any(e.type == "ask" and e.question == CONFIRMING for e in events)
    return raw, taken, confirmed, (decoded - start) * 1000, (done - start) * 1000


class Replayed:
    """Whisper as an earlier run heard it (--heard): each turn's hypotheses and scores, given back
    without decoding, with Whisper's confirmation policy."""

    name = "whisper"

    def __init__(self) -> None:
        from voice.whisper import WhisperTuning

        self.confirm_policy = WhisperTuning().confirm_policy
        self.heard = Heard("", 0.0)
        self.last_scores: tuple[Any, Any] = (None, None)
        self.decode_ms = 0.0

    def next(self, kept: dict[str, Any]) -> bytes:
        """Take the turn kept; the silence returned stands for its audio (only its length counts)."""
        alternatives = tuple((t, c) for t, c in kept["alternatives"])
        self.heard = Heard(kept["text"], kept["confidence"], kept["unsure"], alternatives)
        self.last_scores = tuple(kept["scores"])
        self.decode_ms = kept["decode_ms"]
        return bytes(int(kept["seconds"] * RATE) * 2)

    def expect(self, intents: Any) -> None: ...

    def start(self) -> None: ...

    def feed(self, pcm: bytes) -> None: ...

    def finish(self) -> Heard:
        return self.heard


def measure(args: argparse.Namespace) -> dict[str, Any]:
    content = load_content(None)
    expect = Expectations(content)
    understand = content.understander
    items = corpus(args.set, args.lines, args.seed) + (phrases(args.phrases) if args.phrases else [])
    # grouped by the question they answer: pocketsphinx rebuilds its grammar when the question changes
    items.sort(key=lambda i: str(i.get("ask") or ""))
    voices = args.voices or (VOICES[args.set][:2] if args.quick else VOICES[args.set])
    conditions = CONDITIONS[:1] + CONDITIONS[3:4] if args.quick else CONDITIONS
    rng = np.random.default_rng(7)
    results: list[Result] = []
    # what each recognizer heard, kept (--heard) so understanding can be re-measured without decoding
    replay: dict[str, Any] = json.loads(args.heard.read_text(encoding="utf-8")) if args.replaying else {}
    record: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        speaker = Speaker(SpeechSettings(), sys.stderr, wav_out=folder / "replies", play=False)
        audio: dict[tuple[int, str], bytes] = {}
        if not replay:
            for n, item in enumerate(items):
                for voice in voices:
                    audio[n, voice] = read_wav(synthesize(str(item["text"]), voice, folder / "u.wav")).data
        for name in args.recognizers:
            if replay and name != "whisper":
                continue  # only Whisper's hearing is kept
            rec: Recognizer | None = Replayed() if replay else open_named(name, content, args.model)
            if rec is None:
                continue
            print(f"  {name}: {len(items)} lines x {len(voices)} voices x {len(conditions)} conditions", flush=True)
            if results and args.partial is not None:  # what is measured so far survives a stopped run
                args.partial.write_text(json.dumps(summarize(results, args), indent=1) + "\n", encoding="utf-8")
            for n, item in enumerate(items):
                text = str(item["text"])
                session = session_at(content, item.get("ask"))
                want = signature(content, understand.understand(text, session.pending(), TODAY))
                kind = "offtopic" if item.get("offtopic") else ("short" if is_short(text) else "long")
                for voice in voices:
                    for cond in conditions:
                        key = f"{name}|{voice}|{cond[0]}|{text}"
                        if isinstance(rec, Replayed):
                            if key not in replay:
                                continue
                            pcm = rec.next(replay[key])
                        else:
                            pcm = heard_audio(audio[n, voice], cond, rng)
                        raw, taken, confirmed, dec, reply = run_one(rec, content, expect, item, pcm, speaker)
                        scores = getattr(rec, "last_scores", (None, None))
                        if isinstance(rec, Replayed):
                            dec = rec.decode_ms  # as it took when it was heard
                        elif name == "whisper":
                            record[key] = {**asdict(raw), "decode_ms": round(dec, 1), "scores": list(scores),
                                           "seconds": len(pcm) / 2 / RATE}  # fmt: skip
                        got_u = understand.understand(taken.text, session.pending(), TODAY)
                        got = signature(content, got_u) if taken.text else None
                        if kind == "offtopic":
                            ok = not taken.text or not got_u.understood
                        else:
                            ok = got == want
                        results.append(
                            Result(
                                name, voice, cond[0], item["_part"], kind, text, taken.text or raw.text, ok,
                                confirmed, (not ok) and bool(taken.text) and not confirmed,
                                wer(text, raw.text), round(dec, 1), round(reply, 1), len(pcm) / 2 / RATE,
                                *scores,
                            )
                        )  # fmt: skip
        speaker.close()
    if args.heard is not None and record:
        args.heard.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return summarize(results, args)


def summarize(results: list[Result], args: argparse.Namespace) -> dict[str, Any]:
    by: dict[tuple[str, str, str], list[Result]] = defaultdict(list)
    for r in results:
        by[r.recognizer, r.part, r.condition].append(r)
    table = []
    for (rec, part, cond), rs in sorted(by.items(), key=lambda kv: (kv[0][0], kv[0][1], _order(kv[0][2]))):
        inside = [r for r in rs if r.kind != "offtopic"]
        short = [r for r in inside if r.kind == "short"]
        long_ = [r for r in inside if r.kind == "long"]
        off = [r for r in rs if r.kind == "offtopic"]
        table.append(
            {
                "recognizer": rec,
                "part": part,
                "condition": cond,
                "understood": pct(sum(r.ok for r in inside), len(inside)),
                "short": pct(sum(r.ok for r in short), len(short)),
                "long": pct(sum(r.ok for r in long_), len(long_)),
                "offtopic_rejected": pct(sum(r.ok for r in off), len(off)),
                "confirmed": pct(sum(r.confirmed for r in inside), len(inside)),
                "acted_on_wrongly": pct(sum(r.acted_wrongly for r in rs), len(rs)),
                "wer": round(100 * statistics.mean(r.wer for r in inside), 1) if inside else None,
                "n": len(rs),
            }
        )
    timing = {}
    for rec in sorted({r.recognizer for r in results}):
        rs = [r for r in results if r.recognizer == rec]
        dec = sorted(r.decode_ms for r in rs)
        rep = sorted(r.reply_ms for r in rs)
        timing[rec] = {
            "decode_ms_median": statistics.median(dec),
            "decode_ms_p90": dec[int(0.9 * (len(dec) - 1))],
            "reply_ms_median": statistics.median(rep),
            "reply_ms_p90": rep[int(0.9 * (len(rep) - 1))],
            "real_time_factor": round(sum(dec) / 1000 / sum(r.seconds for r in rs), 3),
        }
    report: dict[str, Any] = {
        "set": args.set,
        "date": date.today().isoformat(),
        "voices": args.voices or VOICES[args.set],
        "table": table,
        "timing": timing,
        "misses": [asdict(r) for r in results if not r.ok][:400],
        "rows": [
            [r.recognizer, r.voice, r.condition, r.kind, r.ok, r.confirmed, r.logprob, r.no_speech] for r in results
        ],
    }
    if args.fit:
        report["fit"] = fit_chance(results)
    return report


def fit_chance(results: list[Result]) -> dict[str, Any]:
    """A logistic for the chance a Whisper turn is understood as said, from its scores (in-domain lines)."""
    rs = [r for r in results if r.kind != "offtopic" and r.logprob is not None and r.no_speech is not None]
    if not rs:
        return {}
    x = np.array([[1.0, r.logprob, r.no_speech] for r in rs])
    y = np.array([1.0 if r.ok else 0.0 for r in rs])
    w = np.zeros(3)
    for _ in range(50):  # Newton's method, lightly regularised
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + 0.01 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + 0.01 * np.eye(3)
        w -= np.linalg.solve(hess, grad)
    p = 1 / (1 + np.exp(-x @ w))
    bins = {}
    for lo in np.arange(0.0, 1.0, 0.1):
        inside = (p >= lo) & (p < lo + 0.1)
        if inside.any():
            predicted, right = round(float(p[inside].mean()), 3), round(float(y[inside].mean()), 3)
            bins[f"{lo:.1f}"] = {"predicted": predicted, "right": right, "n": int(inside.sum())}
    return {"intercept": round(float(w[0]), 3), "per_logprob": round(float(w[1]), 3),
            "per_no_speech": round(float(w[2]), 3), "calibration": bins, "n": len(rs)}  # fmt: skip


def _order(cond: str) -> int:
    return [c[0] for c in CONDITIONS].index(cond)


def pct(k: int, n: int) -> float | None:
    return round(100.0 * k / n, 1) if n else None


def startup(name: str, model: str | None) -> dict[str, Any]:
    """The real program's time to be ready to listen and its peak memory over a few turns:
    `twitchcheck talk --wav-in` on three utterances of noise, its VmHWM read while it runs
    (not ru_maxrss, which Linux carries across exec: it would report this bench's own size)."""
    exe = Path(sys.executable).with_name("twitchcheck")
    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(1)
        wavs = []
        for i in range(3):
            path = Path(tmp) / f"noise{i}.wav"
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(RATE)
                w.writeframes(rng.normal(0, 800, 3 * RATE).astype("<i2").tobytes())
            wavs.append(str(path))
        cmd = [str(exe), "talk", "--asr", name, "--quiet", "--no-journal", "--wav-in", *wavs]
        cmd += ["--model", model] if model else []
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready: list[float] = []
        out: list[str] = []

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                out.append(line)
                if line.startswith("[Listening with") and not ready:
                    ready.append(time.perf_counter() - start)

        reader = threading.Thread(target=read)
        reader.start()
        peak = 0
        while proc.poll() is None:
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
                peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
            except (OSError, IndexError, ValueError):  # it has just ended
                pass
            time.sleep(0.005)
        reader.join()
    if proc.returncode != 0 or not ready:
        return {"error": "".join(out)[-300:]}
    return {"ready_s": round(ready[0], 2), "peak_rss_mb": round(peak / 1024)}


def model_mb(name: str, model: str | None) -> float | None:
    """The size on disk of the model a recognizer loads."""
    if name == "whisper":
        from voice.whisper_model import find_whisper_model

        folder = find_whisper_model(model)
    elif name == "pocketsphinx":
        import pocketsphinx

        folder = Path(pocketsphinx.get_model_path()) / "en-us"
    else:
        from voice.models import find_vosk_model

        found, _ = find_vosk_model()
        if found is None:
            return None
        folder = found
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6, 1)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--set", choices=["heldout", "tuning"], default="heldout")
    p.add_argument("--lines", type=int, default=120, help="natural lines sampled from the corpus")
    p.add_argument("--phrases", type=int, default=60, help="template phrases from bench/heldout.yaml (0: none)")
    p.add_argument("--recognizers", default="whisper,pocketsphinx,vosk")
    p.add_argument("--model", help="another faster-whisper model folder for the whisper recognizer")
    p.add_argument("--voices", help=f"comma-separated voices instead of the set's (e.g. {NEURAL[0]})")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--fit", action="store_true", help="fit Whisper's chance of being right (use with --set tuning)")
    p.add_argument("--out", type=Path)
    p.add_argument(
        "--heard",
        type=Path,
        help="keep what Whisper heard in this file; if it exists, replay it instead of decoding "
        "(the same --set, --lines, --voices), to measure a change to understanding in seconds",
    )
    p.add_argument("--startup", type=int, metavar="N", help="only start the real program N times: ready, memory")
    args = p.parse_args()
    args.recognizers = args.recognizers.split(",")
    if args.startup:
        for name in args.recognizers:
            runs = [startup(name, args.model) for _ in range(args.startup)]
            for run in runs:
                print(f"{name}: {run}")
            ok = [r for r in runs if "ready_s" in r]
            if ok:
                print(f"{name}: ready {min(r['ready_s'] for r in ok)}-{max(r['ready_s'] for r in ok)} s, "
                      f"peak {min(r['peak_rss_mb'] for r in ok)}-{max(r['peak_rss_mb'] for r in ok)} MB")  # fmt: skip
            out = args.out or ROOT / "bench" / "results" / f"startup_{name}.json"
            report = {"date": date.today().isoformat(), "recognizer": name, "runs": runs}
            out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {out}")
        return 0
    args.voices = args.voices.split(",") if args.voices else None
    named = "_" + "_".join(v.replace(":", "-") for v in args.voices) if args.voices else ""
    args.partial = None if args.quick else ROOT / "bench" / "results" / f"asr_{args.set}{named}.partial.json"
    if args.quick:
        args.lines, args.phrases = 12, 6
    args.replaying = args.heard is not None and args.heard.exists()
    if args.replaying:  # understanding re-measured: the recorded figures stay as they are
        args.partial = None
    report = measure(args)
    report["startup"] = (
        {}
        if args.replaying
        else {name: {**startup(name, args.model), "model_mb": model_mb(name, args.model)} for name in report["timing"]}
    )
    default = ROOT / "bench" / "results" / f"asr_{args.set}{named}.json"
    scratch = Path(tempfile.gettempdir()) / ("asr_replay.json" if args.replaying else "asr_quick.json")
    out = args.out or (scratch if args.quick or args.replaying else default)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.partial is not None:
        args.partial.unlink(missing_ok=True)
    print(f"{'recognizer':13} {'part':8} {'condition':12} {'underst':>7} {'short':>6} {'long':>6} "
          f"{'offtop':>6} {'confirm':>7} {'wrong':>6} {'WER':>6}")  # fmt: skip
    for row in report["table"]:
        print(
            f"{row['recognizer']:13} {row['part']:8} {row['condition']:12} {_f(row['understood']):>7} "
            f"{_f(row['short']):>6} {_f(row['long']):>6} {_f(row['offtopic_rejected']):>6} "
            f"{_f(row['confirmed']):>7} {_f(row['acted_on_wrongly']):>6} {_f(row['wer']):>6}"
        )
    if report.get("fit"):
        print("fit:", json.dumps(report["fit"]))
    for name, t in report["timing"].items():
        print(f"{name}: {t} {report['startup'].get(name)}")
    print(f"wrote {out}")
    return 0


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
