"""Barge-in: how soon a word said over a reply stops it, and whether the skill's own voice ever does.

The microphone is a clock that delivers audio in real time; the sound card is a clock that takes as
long as the reply lasts and asks, as the real player does, whether to stop.  The user's word (held-out
voices) starts 1.5 s into a long reply (help, then the stroke question): clean, at 20 dB white noise,
and "over echo", with the reply itself coming back into the microphone through a simulated bedroom
(12 dB quieter, 20 ms late, reflections over 100 ms) and the echo canceller as earlier replies left it.
The real voice-activity detector, echo canceller and Whisper tiny.en hear it.  Latency is from the end
of the word to the moment the reply falls silent (negative: while the word was still being said), for
tries where it then stayed stopped.  The own-voice rows play the reply into the microphone with nobody
speaking, with a new canceller (the night's first reply) and a trained one: any silence there is the
skill pausing for itself.

    .venv/bin/python bench/bargein_bench.py [--repeats 2]

Writes bench/results/bargein.json.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the sound card's stand-ins, shared with the barge-in tests

import report  # noqa: E402
from live_audio import Clock, LiveStream  # noqa: E402

from content import load_content  # noqa: E402
from dialog import Session  # noqa: E402
from voice.aec import EchoCanceller  # noqa: E402
from voice.aec import available as aec_available  # noqa: E402
from voice.audio import RATE, read_wav  # noqa: E402
from voice.mic import Listener  # noqa: E402
from voice.speech import Speaker, SpeechSettings  # noqa: E402
from voice.synth import synthesize, with_noise  # noqa: E402
from voice.talk import Talk  # noqa: E402
from voice.whisper import WhisperRecognizer  # noqa: E402

WORDS = ["stop", "wait", "repeat that", "slower", "my arm has gone weak"]
VOICES = ["flite:slt", "flite:awb", "en-us+f2", "en-gb-scotland"]  # held-out voices (bench/asr_bench.py)
LEAD_S = 1.5  # the word starts this far into the reply
ECHO_DB = 12.0
FRAME_SAMPLES = 480  # the microphone's 30 ms frames
CONDITIONS = ("clean", "20 dB", "over echo")  # over echo: the reply comes back into the microphone meanwhile
TARGET_MS = 300.0


def spoken_end(pcm: np.ndarray) -> int:
    """The sample where the word ends: the synthesized file has quiet after it, which is not the word."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.float64)) > 0.02 * np.abs(pcm).max())
    return int(loud[-1]) + 1 if loud.size else len(pcm)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def one(
    content: Any,
    whisper: WhisperRecognizer,
    mic: bytes,
    word_end_s: float | None,
    echo: bool = False,
    canceller: EchoCanceller | None = None,
) -> tuple[bool, float | None, int]:
    """Whether the reply was stopped, when it first fell silent from the word's end (ms; negative
    while the word was still being said), and how often it fell silent.  ``canceller``: the echo
    canceller as earlier replies of the conversation left it (else a new one)."""
    clock = Clock()
    Speaker._play = lambda self, path, stop=None: clock.play(path, stop)  # type: ignore[method-assign]
    stream = LiveStream(mic, echo=clock if echo else None, echo_db=ECHO_DB)
    speaker = Speaker(SpeechSettings(rate=130), io.StringIO(), play=True)
    talk = Talk(Session.create(content), speaker, io.StringIO())
    talk.session.start()
    talk.session.handle("my left eyelid has been twitching for a week")
    listener = Listener(stream, whisper, talk)
    if canceller is not None:
        listener.aec = canceller
    talk.listen = listener
    talk.reply("what can I say")
    speaker.close()
    stopped = not clock.finished
    if clock.cut_at is None or word_end_s is None:
        return stopped, None, clock.silences
    return stopped, (clock.cut_at - (stream.t0 + word_end_s)) * 1000, clock.silences


def hiss(rng: np.random.Generator) -> bytes:
    return rng.normal(0, 30, int(40 * RATE)).astype("<i2").tobytes()  # a quiet room, nobody speaking


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [r["ms"] for r in rows if r["cut"] and r["ms"] is not None]  # silent by then, and stayed so
    q = statistics.quantiles(latencies, n=10) if len(latencies) >= 2 else latencies * 9
    return {
        "tries": len(rows),
        "stopped": round(100 * sum(r["cut"] for r in rows) / len(rows), 1),
        "median_ms": round(statistics.median(latencies)) if latencies else None,
        "p90_ms": round(q[8]) if latencies else None,
        "within_target": round(100 * sum(ms <= TARGET_MS for ms in latencies) / len(rows), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    content = load_content()
    whisper = WhisperRecognizer()
    rng = np.random.default_rng(3)
    rows: list[dict[str, Any]] = []
    echo_rows: dict[str, list[int]] = {"first reply": [], "later replies": []}
    # the skill's own voice in the microphone, nobody speaking: on the night's first reply (a new
    # canceller), then on later ones (the canceller as the earlier replies left it)
    conversation = EchoCanceller(FRAME_SAMPLES) if aec_available() else None
    for _ in range(max(2, args.repeats)):
        echo_rows["first reply"].append(one(content, whisper, hiss(rng), None, echo=True)[2])
        echo_rows["later replies"].append(one(content, whisper, hiss(rng), None, True, conversation)[2])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for voice in VOICES:
            words = {
                w: np.frombuffer(read_wav(synthesize(w, voice, folder / "w.wav")).data, dtype="<i2") for w in WORDS
            }
            for word, pcm in words.items():
                for condition in CONDITIONS:
                    for _ in range(args.repeats):
                        x = np.concatenate([silence(LEAD_S), pcm.astype(np.float64), silence(20.0)])
                        mic = with_noise(x, 20.0, rng, "white") if condition == "20 dB" else x.astype("<i2").tobytes()
                        end = LEAD_S + spoken_end(pcm) / RATE
                        echo = condition == "over echo"
                        cut, ms, _ = one(content, whisper, mic, end, echo, conversation if echo else None)
                        rows.append({"voice": voice, "word": word, "condition": condition, "cut": cut, "ms": ms})
                        shown = ("stopped" if cut else "carried on") + (
                            "" if ms is None else f", silent from {ms:.0f} ms"
                        )
                        print(f"  {voice:<16}{word:<24}{condition:<11}{shown}", flush=True)
    summary = {
        **summarize(rows),
        "by_condition": {c: summarize([r for r in rows if r["condition"] == c]) for c in CONDITIONS},
        "by_word": {w: summarize([r for r in rows if r["word"] == w]) for w in WORDS},
        "own_voice_fell_silent": {k: f"{sum(v > 0 for v in vs)}/{len(vs)}" for k, vs in echo_rows.items()},
        "echo_canceller": aec_available(),
    }
    print(
        f"stopped in {summary['stopped']}% of {len(rows)} tries; silent from the word's end: median "
        f"{summary['median_ms']} ms, p90 {summary['p90_ms']} ms (negative: before the word ended); "
        f"within {TARGET_MS:.0f} ms: {summary['within_target']}%"
    )
    for c, v in summary["by_condition"].items():
        print(f"  {c:<11} stopped {v['stopped']}%, median {v['median_ms']} ms, p90 {v['p90_ms']} ms")
    print(f"its own voice made it fall silent: {summary['own_voice_fell_silent']}")
    report.write("bargein", {"summary": summary, "tries": rows})


if __name__ == "__main__":
    main()
