"""Speech-to-intent accuracy, rejection, latency, real-time factor, memory.

Usage: .venv/bin/python bench/asr_bench.py [--quick] [--noise white|pink] [--out FILE]

Held-out utterances (bench/heldout.yaml) are synthesized with several
espeak-ng and flite voices, clean and with white noise at 40 dB SNR (a
quiet room: the microphone's own hiss), 20, 10 and 5 dB, and run through
each recognizer available.  Needs espeak-ng, flite.  With --noise pink the
noise is pink instead (nearer a fan), written to bench/results/asr_pink.json:
the settings were tuned under white noise only, so this shows how far they
carry.
The recognizer's settings were chosen on other utterances (bench/dev.yaml);
the held-out ones are only measured.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from content import load_content  # noqa: E402
from dialog import Session  # noqa: E402
from intents import IntentParser  # noqa: E402
from voice.asr import Heard, PocketsphinxRecognizer, Recognizer, VoskRecognizer, is_short  # noqa: E402
from voice.audio import RATE, read_wav  # noqa: E402
from voice.endpoint import EndpointSettings  # noqa: E402
from voice.models import find_vosk_model  # noqa: E402
from voice.speech import Speaker, SpeechSettings  # noqa: E402
from voice.synth import NOISES, synthesize, with_noise  # noqa: E402
from voice.talk import CONFIRM_BELOW, considered  # noqa: E402

VOICES = ["en-us", "en-us+m3", "en-us+f2", "flite:slt", "flite:rms", "flite:awb", "flite:kal"]
SNRS: list[float | None] = [None, 40.0, 20.0, 10.0, 5.0]
CHUNK = 480 * 2  # 30 ms of 16 kHz int16, as the microphone delivers it


def synth(text: str, voice: str, folder: Path) -> bytes:
    return read_wav(synthesize(text, voice, folder / "utterance.wav")).data


def as_heard(
    pcm: bytes, snr_db: float | None, rng: np.random.Generator, noise: str = "white", pre_roll: float | None = None
) -> bytes:
    """The utterance as the microphone path hands it to the recognizer: the
    endpointer's pre-roll before it (or pre_roll seconds) and its stretch of
    quiet after, with noise over the whole at the given SNR (None: clean)."""
    ep = EndpointSettings()
    lead = ep.pre_roll if pre_roll is None else pre_roll
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    x = np.concatenate([np.zeros(int(lead * RATE)), x, np.zeros(int(ep.end_quiet * RATE))])
    if snr_db is None:
        return x.astype("<i2").tobytes()
    return with_noise(x, snr_db, rng, noise)


def synthesized(
    texts: list[str],
    voices: list[str],
    snrs: list[float | None],
    rng: np.random.Generator,
    folder: Path,
    noise: str = "white",
    pre_roll: float | None = None,
) -> dict[tuple[str, str, float | None], bytes]:
    """Each text in each voice, as heard at each noise level."""
    audio = {}
    for voice in voices:
        for text in texts:
            clean = synth(text, voice, folder)
            for snr in snrs:
                audio[(text, voice, snr)] = as_heard(clean, snr, rng, noise, pre_roll)
    return audio


def streamed(rec: Recognizer, pcm: bytes) -> tuple[Heard, float]:
    """Feed the audio in microphone-sized chunks, as it would arrive; return
    what was heard and the moment the last chunk went in (end of speech)."""
    rec.start()
    for i in range(0, len(pcm), CHUNK):
        rec.feed(pcm[i : i + CHUNK])
    end = time.perf_counter()
    return rec.finish(), end


def evaluate(name: str, rec: Recognizer, audio: dict, held: dict, parser: IntentParser) -> dict:
    expected = {t: parser.parse(t) for t in held["in_domain"]}
    rows: dict[str, dict] = {}
    total_audio = total_cpu = 0.0
    misses: list[str] = []
    for voice in VOICES:
        for snr in SNRS:
            key = f"{voice}@{'clean' if snr is None else f'{snr:g}dB'}"
            # Each voice at each noise level is a new session: a new speaker
            # in a new room, with nothing carried over from the last block.
            rec.forget()
            ok_intent = ok_slots = ok_short = rejected_off = recognizer_off = acted_off = ok_found = 0
            for text in held["in_domain"] + held["off_topic"]:
                pcm = audio[(text, voice, snr)]
                t0 = time.process_time()
                raw = streamed(rec, pcm)[0]
                total_cpu += time.process_time() - t0
                # The phrase the search found, rejected or not: what a perfect check could keep.
                phrase = raw.text or raw.unsure
                found = parser.parse(phrase) if phrase else None
                heard = considered(raw, parser)  # as the skill takes it up
                hyp = heard.text
                total_audio += len(pcm) / 32000
                got = parser.parse(hyp) if hyp else None
                if text in expected:
                    want = expected[text]
                    assert want is not None, f"held-out phrase not understood as text: {text}"
                    ok_found += found is not None and found.name == want.name
                    if got is not None and got.name == want.name:
                        ok_intent += 1
                        ok_slots += got.slots == want.slots
                        ok_short += is_short(text)
                    elif snr is None:
                        misses.append(f"{key}: {text!r} -> {hyp!r}")
                else:
                    rejected_off += got is None
                    recognizer_off += raw.rejected  # before a doubted warning sign is rescued
                    # The skill acts on what it hears unless it is unsure and asks "Did you say ...?" first.
                    acted_off += got is not None and heard.confidence >= CONFIRM_BELOW
            n_in, n_off = len(held["in_domain"]), len(held["off_topic"])
            n_short = sum(map(is_short, held["in_domain"]))
            rows[key] = {
                "intent_accuracy": round(ok_intent / n_in, 3),
                "short_answers": round(ok_short / n_short, 3),
                "longer_phrases": round((ok_intent - ok_short) / (n_in - n_short), 3),
                "slot_accuracy": round(ok_slots / n_in, 3),
                "off_topic_rejected": round(rejected_off / n_off, 3),
                "off_topic_rejected_by_recognizer": round(recognizer_off / n_off, 3),
                "off_topic_acted_on": round(acted_off / n_off, 3),
                "grammar_alone": round(ok_found / n_in, 3),
            }
    by_snr = {}
    for snr in SNRS:
        label = "clean" if snr is None else f"{snr:g}dB"
        picked = [v for k, v in rows.items() if k.endswith("@" + label)]
        by_snr[label] = {m: round(statistics.mean(r[m] for r in picked), 3) for m in picked[0]}
    return {
        "recognizer": name,
        "by_snr": by_snr,
        "by_voice_and_snr": rows,
        "rtf": round(total_cpu / total_audio, 3),
        "clean_misses": misses,
    }


def latency(rec: Recognizer, content, audio: dict, held: dict, folder: Path) -> dict:
    """End of speech to the first sample of the reply: the recognizer's
    finish, the dialog turn, and rendering the reply's audio."""
    speaker = Speaker(SpeechSettings(), sys.stderr, wav_out=folder / "replies", play=False)
    times = []
    for text in held["in_domain"]:
        session = Session.create(content)
        session.start()
        pcm = audio[(text, "en-us", None)]
        heard, end = streamed(rec, pcm)
        events = session.handle(heard.text)
        lines = [line for e in events for line in e.spoken()]
        speaker.speak(lines[:1])  # the first line is what starts to sound
        times.append(time.perf_counter() - end)
    speaker.close()
    return {
        "median_ms": round(1000 * statistics.median(times)),
        "p90_ms": round(1000 * sorted(times)[int(0.9 * len(times))]),
    }


def startup(kind: str) -> dict:
    """Start to ready-to-listen, and peak memory, in a fresh process."""
    code = (
        "import time; t=time.perf_counter();"
        "from content import load_content; c=load_content();"
        + (
            "from voice.asr import PocketsphinxRecognizer as R; r=R(c.templates);"
            if kind == "pocketsphinx"
            else "from voice.asr import VoskRecognizer as R; from voice.models import find_vosk_model;"
            "r=R(c.templates, find_vosk_model()[0]);"
        )
        + "r.start(); r.feed(b'\\0'*32000); r.finish();"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent
        # that spawned this process, so it would count the bench itself.
        "hwm=[l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
        "print(time.perf_counter()-t, hwm)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, kb = out.stdout.split()
    return {"start_to_ready_s": round(float(seconds), 2), "peak_memory_mb": round(int(kb) / 1024)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="default bench/results/asr.json (asr_pink.json for pink noise)")
    ap.add_argument("--quick", action="store_true", help="two voices only")
    ap.add_argument("--noise", choices=NOISES, default="white")
    args = ap.parse_args()
    out = args.out or ROOT / "bench" / "results" / ("asr.json" if args.noise == "white" else f"asr_{args.noise}.json")
    global VOICES
    if args.quick:
        VOICES = VOICES[:1] + VOICES[3:4]
    held = yaml.safe_load((ROOT / "bench" / "heldout.yaml").read_text())
    content = load_content()
    parser = IntentParser(content.intents)
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audio = synthesized(held["in_domain"] + held["off_topic"], VOICES, SNRS, rng, folder, args.noise)
        recognizers: list[tuple[str, Recognizer]] = [("pocketsphinx", PocketsphinxRecognizer(content.templates))]
        model, _ = find_vosk_model()
        if model is not None:
            recognizers.append(("vosk", VoskRecognizer(content.templates, model)))
        else:
            print("vosk: no model on this machine; not measured", file=sys.stderr)
        results = []
        for name, rec in recognizers:
            r = evaluate(name, rec, audio, held, parser)
            r["latency"] = latency(rec, content, audio, held, folder)
            r.update(startup(name))
            results.append(r)
    report = {
        "command": "python bench/asr_bench.py"
        + (" --quick" if args.quick else "")
        + (f" --noise {args.noise}" if args.noise != "white" else ""),
        "date": time.strftime("%Y-%m-%d"),
        "voices": VOICES,
        "in_domain": len(held["in_domain"]),
        "off_topic": len(held["off_topic"]),
        "noise": f"{args.noise} Gaussian noise, SNR against the voiced part of the utterance",
        "results": results,
        "bench_peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    for r in results:
        print(
            f"\n{r['recognizer']}: RTF {r['rtf']}, latency median {r['latency']['median_ms']} ms "
            f"(p90 {r['latency']['p90_ms']} ms), start to ready {r['start_to_ready_s']} s, "
            f"peak memory {r['peak_memory_mb']} MB"
        )
        heads = (
            f"{'intent':>7} {'short':>7} {'longer':>7} {'slots':>7} {'off-topic rejected':>19} {'by recognizer':>14}"
            f" {'acted on':>9} {'grammar alone':>14}"
        )
        print(f"{'voice@snr':20} {heads}")
        for key, row in [*r["by_snr"].items(), *r["by_voice_and_snr"].items()]:
            print(
                f"{key:20} {row['intent_accuracy']:7.1%} {row['short_answers']:7.1%} {row['longer_phrases']:7.1%}"
                f" {row['slot_accuracy']:7.1%} {row['off_topic_rejected']:19.1%}"
                f" {row['off_topic_rejected_by_recognizer']:14.1%} {row['off_topic_acted_on']:9.1%}"
                f" {row['grammar_alone']:14.1%}"
            )
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
