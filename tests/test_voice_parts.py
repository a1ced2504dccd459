"""The voice layer's pure parts: audio conversion, the grammar, speech settings, expectations,
the noise gate and the verifier."""

from __future__ import annotations

import io
import math
import re
import time
import wave
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from content import Content
from dialog import ConfirmPolicy, Expectations
from intents import IntentParser
from voice.audio import RATE, AudioError, read_wav
from voice.endpoint import FRAME, Endpoint, EndpointSettings
from voice.speech import BEDTIME_RATE, DAY_RATE, Speaker, SpeechSettings, load_settings, resume_point, written
from voice.sphinx import SphinxTuning
from voice.sphinx.denoise import Denoiser
from voice.sphinx.gate import NoiseGate
from voice.sphinx.grammar import build_grammar, number_words, words_of
from voice.sphinx.verify import UNFAMILIAR_AT_MOST, Evidence, Segment, Verifier, agreement, score_over, weigh
from voice.synth import can_synthesize, synthesize, with_noise

CONFIRM_BELOW = ConfirmPolicy().confirm_below


def write(path: Path, samples: np.ndarray, rate: int, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 1:
            data = (samples * 127 + 128).astype(np.uint8).tobytes()
        elif width == 2:
            data = (samples * 32767).astype("<i2").tobytes()
        else:
            data = (samples * 2147483647).astype("<i4").tobytes()
        w.writeframes(data)
    return path


@pytest.mark.parametrize(("rate", "width", "channels"), [(8000, 1, 1), (22050, 2, 2), (44100, 4, 2), (48000, 2, 1)])
def test_any_common_wav_becomes_16k_mono_with_the_tone_kept(
    tmp_path: Path, rate: int, width: int, channels: int
) -> None:
    t = np.arange(rate) / rate  # one second of 440 Hz
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    pcm = read_wav(write(tmp_path / "in.wav", np.repeat(tone, channels), rate, width, channels))
    assert abs(pcm.seconds - 1.0) < 0.01
    x = np.frombuffer(pcm.data, dtype="<i2").astype(float)
    peak = np.argmax(np.abs(np.fft.rfft(x)))
    assert abs(peak * RATE / len(x) - 440) < 3
    assert 0.3 < np.abs(x).max() / 32767 < 0.55


@pytest.mark.parametrize("subtype", ["FLOAT", "PCM_24", "DOUBLE", "PCM_U8"])
def test_float_and_24_bit_wavs_at_48k_are_read(tmp_path: Path, subtype: str) -> None:
    import soundfile as sf

    t = np.arange(48000) / 48000
    path = tmp_path / "in.wav"
    sf.write(path, np.stack([0.5 * np.sin(2 * np.pi * 440 * t)] * 2, axis=1), 48000, subtype=subtype)
    x = np.frombuffer(read_wav(path).data, dtype="<i2").astype(float)
    assert len(x) == RATE and abs(np.argmax(np.abs(np.fft.rfft(x))) - 440) < 3


def test_a_recording_longer_than_a_turn_is_cut_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path / "long.wav", np.zeros(16000 * 600), 16000, 2, 1)  # ten minutes
    pcm = read_wav(path)
    assert pcm.seconds == 30.0 and pcm.cut_from == 600.0


def test_bad_files_get_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "a.wav").write_text("hello")
    with pytest.raises(AudioError, match="not a WAV file"):
        read_wav(tmp_path / "a.wav")
    with pytest.raises(AudioError, match="no such file"):
        read_wav(tmp_path / "b.wav")
    with pytest.raises(AudioError, match="holds no audio"):
        read_wav(write(tmp_path / "c.wav", np.zeros(0), 16000, 2, 1))
    (tmp_path / "d.wav").write_bytes(b"")
    with pytest.raises(AudioError, match=r"empty \(0 bytes\)"):
        read_wav(tmp_path / "d.wav")


def test_a_wav_file_that_ends_early_is_heard_as_far_as_it_goes_and_said_to_be_cut_off(tmp_path: Path) -> None:
    whole = write(tmp_path / "whole.wav", 0.3 * np.sin(np.arange(16000) / 5), 16000, 2, 1)
    assert read_wav(whole).cut_off is None
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:10000])
    pcm = read_wav(cut)
    assert pcm.cut_off == (10000, whole.stat().st_size) and 0.25 < pcm.seconds < 0.35


def test_number_words() -> None:
    assert number_words(5) == "five"
    assert number_words(25) == "twenty five"
    assert number_words(100) == "one hundred"
    assert words_of("Left-hand, 14 days") == ["left", "hand", "fourteen", "days"]


def test_grammar_holds_template_phrases_and_nothing_else(content: Content, parser: IntentParser) -> None:
    g = build_grammar(content.templates)
    for phrase in [
        "no",
        "my left eyelid has been twitching for two weeks",
        "i drink five cups of coffee a day",
        "slower",
        "how much coffee is too much",
    ]:
        assert g.accepts(phrase.split()), phrase
        assert parser.parse(phrase) is not None
    for phrase in ["what is the weather like", "play some music", "no no no no"]:
        assert not g.accepts(phrase.split()), phrase
    assert set(g.entries) == set(content.templates["intents"])


def test_grammar_shares_each_states_probability_among_its_ways_on(content: Content) -> None:
    g = build_grammar(content.templates)
    out: dict[int, float] = {}
    for src, _dst, p, _word in g.weighted({"Yes": 8.0}):
        out[src] = out.get(src, 0.0) + p
    assert all(abs(total - 1.0) < 1e-9 for total in out.values())
    opening = {dst: p for src, dst, p, _ in g.weighted({"Yes": 8.0}) if src == g.start}
    assert opening[g.entries["Yes"]] == 8 * opening[g.entries["No"]]


def test_grammar_leaves_out_words_the_recognizer_cannot_say(content: Content) -> None:
    g = build_grammar(content.templates, known=lambda w: w != "eyelid")
    assert "eyelid" not in g.words
    assert "eyelid" in g.dropped
    assert not g.accepts("my left eyelid is twitching".split())
    assert g.accepts("my left eye is twitching".split())


def test_speech_settings_follow_voice_commands_within_limits() -> None:
    s = SpeechSettings(rate=130, volume=0.9)
    assert s.changed("slower").rate < 130 and s.changed("faster").rate > 130
    assert s.changed("louder").volume == 1.0 and s.changed("louder").changed("louder").volume == 1.0
    assert s.changed("quieter").volume < 0.9
    slowest = s
    for _ in range(20):
        slowest = slowest.changed("slower")
    assert slowest.rate >= 80


def test_settings_from_file_and_flags_with_a_calm_bedtime_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    night, noon = datetime(2026, 11, 21, 23, 0), datetime(2026, 11, 21, 12, 0)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/twitchcheck/speech.ini: the defaults
    assert load_settings(None, now=night).rate == BEDTIME_RATE < DAY_RATE == load_settings(None, now=noon).rate
    cfg = tmp_path / "speech.ini"
    cfg.write_text("[speech]\nbedtime_rate = 110\nvolume = 0.5\nvoice = en-us\n")
    s = load_settings(cfg, now=night)
    assert (s.rate, s.volume, s.voice) == (110, 0.5, "en-us")
    assert load_settings(cfg, rate=150, now=night).rate == 150
    cfg.write_text("[speech]\nrate = fast\n")
    with pytest.raises(ValueError, match="speech.ini"):
        load_settings(cfg, now=night)


def test_the_readmes_settings_example_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```ini\n", 1)[1].split("```", 1)[0]
    cfg = tmp_path / "speech.ini"
    cfg.write_text("\n".join(line.strip() for line in example.splitlines()) + "\n")
    s = load_settings(cfg, now=datetime(2026, 11, 21, 23, 0))
    assert (s.rate, s.volume, s.voice) == (130, 0.9, "en-us")


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "no such settings file"),
        ("[speach]\nrate = 120\n", "unknown section [speach]; the settings go under [speech]"),
        ("[speech]\nspeed = 120\n", "[speech] has no setting 'speed'"),
        ("[speech]\nvolume = loud\n", "a volume from 0 to 1"),
    ],
)
def test_a_settings_file_that_is_missing_or_misspelt_is_an_error(
    tmp_path: Path, text: str | None, message: str
) -> None:
    cfg = tmp_path / "speech.ini"
    if text is not None:
        cfg.write_text(text)
    with pytest.raises(ValueError, match=re.escape(message)):
        load_settings(cfg)


def test_each_question_favours_the_intents_that_answer_it(content: Content) -> None:
    e = Expectations(content)
    assert {"Duration", "Twitch"} <= e.for_question("duration")
    assert {"Yes", "No", "DontKnow"} <= e.for_question("stroke_signs")
    assert "Sign" in e.for_question("stroke_signs")
    assert "Trigger" in e.for_question("triggers")
    assert "Relax" in e.for_question("offer_relaxation")


def test_endpoint_starts_on_a_short_word_not_a_click_and_keeps_the_lead_in() -> None:
    quiet, loud = bytes(960), (np.full(480, 3000, dtype="<i2")).tobytes()

    def run(pattern: str) -> tuple[Endpoint, int]:
        ep, fed = Endpoint(), 0
        for mark in pattern:
            fed += len(ep.push(loud if mark == "S" else quiet, mark == "S"))
        return ep, fed

    click, _ = run("." * 10 + "SS" + "." * 40)  # 60 ms: a click or a tap
    assert not click.started
    word, fed = run("." * 20 + "S" * 8 + "." * 30)  # 240 ms: "no"
    assert word.started and word.ended
    assert fed >= 8 * 960 + int(EndpointSettings().pre_roll / FRAME) * 960 - 960
    hum, _ = run("S" * 100)  # the detector says speech, but it never rises above its own floor
    assert not hum.started


def streamed(step: NoiseGate | Denoiser, x: np.ndarray, chunk_bytes: int) -> np.ndarray:
    """x through a gate or denoiser, chunk_bytes at a time, as the microphone gives it."""
    pcm = x.astype("<i2").tobytes()
    out = b"".join(step.process(pcm[i : i + chunk_bytes]) for i in range(0, len(pcm), chunk_bytes))
    return np.frombuffer(out + step.flush(), dtype="<i2")


def gated(x: np.ndarray, chunk: int) -> np.ndarray:
    return streamed(NoiseGate(), x, 2 * chunk)


def word_in(noise: np.ndarray) -> tuple[np.ndarray, slice]:
    """A 0.4 s vowel-like tone from 0.5 s, over the given background."""
    word = slice(RATE // 2, RATE // 2 + int(0.4 * RATE))
    x = noise.copy()
    x[word] += 3000 * np.sin(2 * np.pi * 220 * np.arange(word.stop - word.start) / RATE)
    return np.round(x), word


@pytest.mark.parametrize("chunk", [1, 97, 480, 4000])
def test_gate_silences_the_hiss_around_a_word_and_keeps_the_word(chunk: int) -> None:
    x, word = word_in(np.random.default_rng(1).normal(0, 30, RATE + RATE // 2))
    y = gated(x, chunk)
    assert y.size == x.size  # nothing lost or added, however the audio arrives
    assert np.array_equal(y[word.start + 160 : word.stop - 160], x[word.start + 160 : word.stop - 160])
    assert not y[: word.start - 800].any() and not y[word.stop + 800 :].any()
    edge = y[word.start - 480 : word.start]  # the margin before the word fades in
    assert 0 < np.abs(edge[:160]).mean() < np.abs(edge[-160:]).mean()


def test_gate_judges_the_band_speech_is_heard_in_so_a_fans_rumble_is_gated_too() -> None:
    # Pink noise 30 dB below the word: most of its power is rumble below 200 Hz,
    # which the recognizer does not hear and the gate does not judge by.
    x, word = word_in(np.zeros(RATE + RATE // 2))
    y = np.frombuffer(with_noise(x, 30.0, np.random.default_rng(6), "pink"), dtype="<i2").astype(np.float64)
    z = gated(y, 480)
    assert np.array_equal(z[word.start + 160 : word.stop - 160], y[word.start + 160 : word.stop - 160])
    pause = slice(None, word.start - 800)
    assert np.abs(z[pause]).mean() < 0.2 * np.abs(y[pause]).mean() and not z[word.stop + 800 :].any()


def test_gate_leaves_clean_audio_and_heavy_noise_alone() -> None:
    clean, _ = word_in(np.zeros(RATE + RATE // 2))
    assert np.array_equal(gated(clean, 480), clean)
    # Speech only about 10 dB above a fan: gating would cut into the word.
    loud_fan, _ = word_in(np.random.default_rng(2).normal(0, 700, RATE + RATE // 2))
    assert np.array_equal(gated(loud_fan, 480), loud_fan)


def denoised(x: np.ndarray, chunk: int) -> tuple[np.ndarray, bool]:
    """The denoiser's output, and whether it took a floor out."""
    d = Denoiser()
    return streamed(d, x, chunk), d.active


def rms_db(x: np.ndarray) -> float:
    return 10 * math.log10(float(np.mean(x.astype(np.float64) ** 2)))


@pytest.mark.parametrize("chunk", [1, 97, 960, 8000])  # bytes per call, odd ones split a sample
def test_denoiser_takes_a_steady_floor_out_and_keeps_the_word(chunk: int) -> None:
    fan = np.random.default_rng(3).normal(0, 700, 2 * RATE)  # about 10 dB below the word
    x, word = word_in(fan)
    y, active = denoised(x, chunk)
    assert active and y.size == x.size  # nothing lost or added, however the audio arrives
    after = slice(word.stop + 1600, None)
    assert rms_db(x[after]) - rms_db(y[after]) > 10  # the fan, in the pause after the word
    inner = slice(word.start + 1600, word.stop - 1600)
    tone = x[inner] - fan[inner]
    assert abs(rms_db(y[inner]) - rms_db(tone)) < 1.0  # the word, its fan taken out
    assert np.array_equal(y, denoised(x, 960)[0])


@pytest.mark.parametrize("colour", ["white", "pink"])
def test_noise_is_added_at_the_snr_asked_for(colour: str) -> None:
    x, word = word_in(np.zeros(2 * RATE))
    y = np.frombuffer(with_noise(x, 10.0, np.random.default_rng(5), colour), dtype="<i2").astype(np.float64)
    noise = y - x
    assert rms_db(x[word]) - rms_db(noise) == pytest.approx(10.0, abs=0.3)
    power = np.abs(np.fft.rfft(noise)) ** 2
    hz = np.fft.rfftfreq(noise.size, 1 / RATE)
    low, high = power[(hz > 100) & (hz < 1000)].mean(), power[(hz > 4000) & (hz < 7000)].mean()
    # White: the same power at every frequency.  Pink: power as 1/f, so each band's
    # mean is ln(top/bottom)/width: about 14 times as much in the low band.
    pink = (math.log(1000 / 100) / 900) / (math.log(7000 / 4000) / 3000)
    assert low / high == pytest.approx(1.0 if colour == "white" else pink, rel=0.2)


def test_noise_of_an_unknown_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown noise 'brown'"):
        with_noise(np.ones(RATE), 10.0, np.random.default_rng(0), "brown")


def test_denoiser_leaves_clean_audio_and_a_quiet_room_alone() -> None:
    clean, _ = word_in(np.zeros(2 * RATE))  # digital silence: nothing to take out
    quiet, _ = word_in(np.random.default_rng(4).normal(0, 10, 2 * RATE))  # the gate's business
    for x in (clean, quiet):
        y, active = denoised(x, 960)
        assert not active and np.array_equal(y, x)


@pytest.mark.skipif(not can_synthesize(), reason="espeak-ng makes the replies")
def test_speaker_writes_each_reply_whole_and_prints_nothing_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "reply-001.wav"
    write(stale, np.zeros(800), 16000, 2, 1)  # left from an earlier run: must not pass for the new reply
    notices = io.StringIO()
    speaker = Speaker(SpeechSettings(), notices, wav_out=tmp_path, play=False)
    paths = [speaker.speak([text]) for text in ("Hello.", "How long has it been twitching?")]
    speaker.close()
    assert not speaker.silent_reason
    for path in paths:
        assert path is not None
        audio = read_wav(path)
        samples = np.frombuffer(audio.data, dtype="<i2")
        assert samples.size > 0.5 * RATE and np.abs(samples).max() > 1000  # speech, not the stale silence
    time.sleep(0.5)  # pyttsx3's driver printed "Audio saved to ..." from its own thread, sometimes late
    assert capsys.readouterr().out == "" and notices.getvalue() == ""


def test_a_reply_rendered_empty_is_known_at_once(tmp_path: Path) -> None:
    # pyttsx3 writes a reply's header and samples in one go: a whole WAV with
    # no samples will not grow, so the speaker renders it again at once.
    empty = write(tmp_path / "empty.wav", np.zeros(0), 22050, 2, 1)
    start = time.monotonic()
    assert not written(empty, timeout=5.0)
    assert time.monotonic() - start < 1.0
    assert written(write(tmp_path / "whole.wav", np.full(2205, 0.5), 22050, 2, 1), timeout=5.0)


MY_EYE = [["M", "AY"], ["AY"]]


def free_phones(*labels: str, frames: int = 10, score: int = -100) -> list[Segment]:
    return [Segment(label, i * frames, i * frames + frames - 1, score) for i, label in enumerate(labels)]


def test_verifier_counts_a_word_that_fits_badly_against_the_whole_phrase() -> None:
    phones = free_phones("M", "AY", "AY")  # -10 a frame over 30 frames
    good = [Segment("my", 0, 19, -220), Segment("eye", 20, 29, -110)]
    one_bad = [Segment("my", 0, 19, -220), Segment("eye", 20, 29, -1110)]
    e = weigh(good, MY_EYE, phones)
    assert e is not None and e.per_frame == pytest.approx(-1.0) and e.worst_word == pytest.approx(-1.0)
    b = weigh(one_bad, MY_EYE, phones)
    assert b is not None and b.per_frame == pytest.approx(-1030 / 30) and b.worst_word == pytest.approx(-101.0)
    assert e.agreement == 1.0 and e.cover == 1.0 and e.excess == 0.0
    v = Verifier()
    assert v.chance(e) > v.chance(b)
    assert weigh([], [], phones) is None and v.chance(None) == 0.0


def test_verifier_counts_speech_the_phrase_leaves_out_and_words_stretched_over_it() -> None:
    # "my eye" said, then two more seconds of talk the grammar had no words for.
    phones = free_phones("M", "AY", "AY", *["T", "EH", "B", "AH", "L"] * 4)
    said = [Segment("my", 0, 19, -200), Segment("eye", 20, 29, -100)]
    stretched = [Segment("my", 0, 19, -200), Segment("eye", 20, 229, -2100)]  # as well as it fits
    e, s = weigh(said, MY_EYE, phones), weigh(stretched, MY_EYE, phones)
    assert e is not None and s is not None
    assert e.cover == pytest.approx(30 / 230)  # speech outside the words
    assert s.cover == pytest.approx(1.0) and s.slowest == pytest.approx(math.log(210))  # one phone over 210 frames
    v = Verifier()
    # Either way the phrase is at least confirmed first; the same words alone are not.
    alone = weigh(said, MY_EYE, phones[:3])
    assert v.chance(alone) >= CONFIRM_BELOW > max(v.chance(e), v.chance(s))


def test_verifier_has_a_weight_and_a_bound_for_each_kind_of_evidence() -> None:
    assert len(Verifier().weights) == len(Verifier().seen_to) == len(fields(Evidence))


def test_short_answers_are_held_to_an_eased_threshold() -> None:
    # A one- or two-word answer gives the verifier fewer frames to judge; it is
    # rejected only well below where a longer phrase would be.
    t = SphinxTuning()
    between = t.reject_below - t.short_easing / 2
    assert not t.rejects(between, "no")
    assert not t.rejects(between, "two weeks")
    assert t.rejects(between, "my eyelid twitches")
    assert t.rejects(t.reject_below - t.short_easing - 0.01, "nope")
    assert not t.rejects(t.reject_below, "my eyelid twitches")


def test_evidence_beyond_what_the_verifier_was_fitted_on_is_confirmed_not_acted_on() -> None:
    # A phrase that fits its sounds as well as the free phones do, one word
    # held for 0.6 s a phone: longer than any the fit saw.
    typical = Evidence(per_frame=-5.0, worst_word=-8.0, agreement=0.8, cover=1.0, quickest=2.0, slowest=2.5, excess=0.0)
    held = replace(typical, slowest=math.log(60))
    v = Verifier()
    assert not v.unfamiliar(typical) and v.chance(typical) >= CONFIRM_BELOW
    assert v.unfamiliar(held) and v.chance(held) <= UNFAMILIAR_AT_MOST
    # Beyond the bound the other way (agreement better than any seen) is no reason to doubt.
    assert not v.unfamiliar(replace(typical, agreement=1.0))
    # Unfamiliar phrases land between rejection and acting: they are confirmed first.
    assert SphinxTuning().reject_below <= UNFAMILIAR_AT_MOST < CONFIRM_BELOW
    # Without the bounds, the good fit of its sounds would carry it through.
    unbounded = Verifier(seen_to=())
    assert not unbounded.unfamiliar(held) and unbounded.chance(held) > CONFIRM_BELOW


def test_free_phones_straddling_a_word_count_in_proportion() -> None:
    phones = [Segment("M", 0, 9, -100), Segment("AY", 10, 19, -300)]
    assert score_over(phones, 5, 14) == pytest.approx(-50 - 150)
    assert score_over(phones, 20, 30) == 0.0


def test_phone_agreement() -> None:
    assert agreement(["M", "AY"], ["M", "AY"]) == 1.0
    assert agreement(["M", "AY"], ["M", "OW", "AY"]) == pytest.approx(1 - 1 / 3, abs=1e-3)
    assert agreement(["M", "AY"], []) == 0.0


def test_a_paused_reply_carries_on_from_the_gap_before_the_word_it_was_paused_in() -> None:
    rate = 16000
    word = np.full(int(0.4 * rate), 3000, dtype=np.int16)
    gap = np.zeros(int(0.1 * rate), dtype=np.int16)
    audio = np.concatenate([word, gap, word, gap, word])  # words at 0-0.4, 0.5-0.9, 1.0-1.4 s
    at = resume_point(audio, rate, int(1.2 * rate))  # paused in the third word
    assert int(0.9 * rate) <= at < int(1.0 * rate)
    assert resume_point(audio, rate, int(0.2 * rate)) == 0  # in the first word: from the start
    assert resume_point(np.full(3 * rate, 3000, dtype=np.int16), rate, 2 * rate) == int(0.5 * rate)  # no gap


def test_an_unknown_piper_voice_is_named_with_the_ones_there_are(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown piper voice 'bob'; choose from joe"):
        synthesize("hello", "piper:bob", tmp_path / "x.wav")


def test_no_sound_output_is_said_in_plain_words() -> None:
    from voice.speech import _why_silent

    missing = (
        "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'\naplay: main:831: audio open error: No such file"
    )
    assert _why_silent(missing) == "no sound card or speaker was found"
    busy = "aplay: main:831: audio open error: Device or resource busy"
    assert _why_silent(busy) == "the sound card is busy with another program"
    assert _why_silent("aplay: something new") == "aplay: something new"  # anything else as aplay says it
