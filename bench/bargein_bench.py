"""Barge-in: how soon a word said over a reply stops it, and whether the skill's own voice ever does.

The microphone is a clock that delivers audio in real time; the sound card is a clock that takes as
long as the reply lasts and asks, as the real player does, whether to stop.  The user's word (held-out
voices, clean and at 20 dB white noise) starts 1.5 s into a long reply (help, then the stroke question);
the real voice-activity detector and Whisper tiny.en hear it.  Latency is from the end of the word to
the moment playback stops.  The echo rows put the reply itself into the microphone, 12 dB quieter (a
speaker across the room), with nobody speaking: any cut-in there is the skill stopping itself.

    .venv/bin/python bench/bargein_bench.py [--repeats 2]

Writes bench/results/bargein.json.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the sound card's stand-ins, shared with the barge-in tests

from live_audio import Clock, LiveStream  # noqa: E402

from content import load_content  # noqa: E402
from dialog import Session  # noqa: E402
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
TARGET_MS = 300.0


def spoken_end(pcm: np.ndarray) -> int:
    """The sample where the word ends: the synthesized file has quiet after it, which is not the word."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.float64)) > 0.02 * np.abs(pcm).max())
    return int(loud[-1]) + 1 if loud.size else len(pcm)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def one(content: Any, whisper: WhisperRecognizer, mic: bytes, word_end_s: float | None) -> tuple[bool, float | None]:
    """Whether the reply was cut, and how long after the word's end (ms)."""
    clock = Clock()
    Speaker._play = lambda self, path, stop=None: clock.play(path, stop)  # type: ignore[method-assign]
    stream = LiveStream(mic)
    speaker = Speaker(SpeechSettings(rate=130), io.StringIO(), play=True)
    talk = Talk(Session.create(content), speaker, io.StringIO())
    talk.session.start()
    talk.session.handle("my left eyelid has been twitching for a week")
    talk.listen = Listener(stream, whisper, talk)
    talk.reply("what can I say")
    speaker.close()
    if clock.cut_at is None:
        return False, None
    if word_end_s is None:
        return True, None
    return True, (clock.cut_at - (stream.t0 + word_end_s)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    content = load_content()
    whisper = WhisperRecognizer()
    rng = np.random.default_rng(3)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reply_speaker = Speaker(SpeechSettings(rate=130), io.StringIO(), wav_out=folder, play=False)
        s = Session.create(content)
        s.start()
        s.handle("my left eyelid has been twitching for a week")
        reply_text = " ".join(line for e in s.handle("what can I say") for line in e.spoken())
        path = reply_speaker.speak([reply_text])
        assert path is not None, "espeak-ng is needed"
        own = np.frombuffer(read_wav(path).data, dtype="<i2").astype(np.float64) * 10 ** (-ECHO_DB / 20)
        for voice in VOICES:
            words = {
                w: np.frombuffer(read_wav(synthesize(w, voice, folder / "w.wav")).data, dtype="<i2") for w in WORDS
            }
            for word, pcm in words.items():
                for condition in ("clean", "20 dB"):
                    for _ in range(args.repeats):
                        x = np.concatenate([silence(LEAD_S), pcm.astype(np.float64), silence(20.0)])
                        mic = x.astype("<i2").tobytes() if condition == "clean" else with_noise(x, 20.0, rng, "white")
                        cut, ms = one(content, whisper, mic, LEAD_S + spoken_end(pcm) / RATE)
                        rows.append({"voice": voice, "word": word, "condition": condition, "cut": cut, "ms": ms})
                        shown = "not cut" if not cut else f"{ms:.0f} ms"
                        print(f"  {voice:<16}{word:<24}{condition:<7}{shown}", flush=True)
        # the skill's own voice in the microphone, nobody speaking
        echo_rows = []
        for _ in range(max(2, args.repeats)):
            x = np.concatenate([silence(0.3), own, silence(20.0)])
            mic = np.clip(x + rng.normal(0, 30, x.size), -32768, 32767).astype("<i2").tobytes()
            cut, _ = one(content, whisper, mic, None)
            echo_rows.append(cut)
    latencies = [r["ms"] for r in rows if r["cut"] and r["ms"] is not None]
    q = statistics.quantiles(latencies, n=10) if len(latencies) >= 2 else latencies * 9
    summary = {
        "tries": len(rows),
        "cut": round(100 * sum(r["cut"] for r in rows) / len(rows), 1),
        "median_ms": round(statistics.median(latencies)) if latencies else None,
        "p90_ms": round(q[8]) if latencies else None,
        "within_target": round(100 * sum(ms <= TARGET_MS for ms in latencies) / len(rows), 1),
        "own_voice_cut_in": f"{sum(echo_rows)}/{len(echo_rows)}",
        "by_word": {
            w: round(statistics.median([r["ms"] for r in rows if r["word"] == w and r["ms"] is not None] or [0]))
            for w in WORDS
        },
    }
    print(
        f"cut in {summary['cut']}% of {len(rows)} tries; from the word's end to silence: median "
        f"{summary['median_ms']} ms, p90 {summary['p90_ms']} ms; within {TARGET_MS:.0f} ms: "
        f"{summary['within_target']}%; its own voice stopped it {summary['own_voice_cut_in']}"
    )
    out = ROOT / "bench" / "results" / "bargein.json"
    out.write_text(json.dumps({"summary": summary, "tries": rows}, indent=1) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
