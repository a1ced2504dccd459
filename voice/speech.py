"""Speech out: pyttsx3 (espeak-ng) renders each reply to a WAV file, which is
played with aplay and, with --wav-out, kept.

Rendering to a file and playing it ourselves keeps pyttsx3 to one call
(``save_to_file``) on one thread: its ``say`` can write into an earlier
file, and its espeak driver reports no playback failure at all.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np

DAY_RATE = 165  # words per minute
BEDTIME_RATE = 130  # slower and calmer for the bedtime check-in
RATE_STEP = 25
VOLUME_STEP = 0.2
MIN_RATE, MAX_RATE = 80, 260


@dataclass(frozen=True)
class SpeechSettings:
    rate: int = DAY_RATE
    volume: float = 0.9  # 0..1
    voice: str | None = None  # a pyttsx3 voice id or name; None: the default (English)

    def scaled(self, rate: float, volume: float) -> SpeechSettings:
        """A slower, softer voice (the relaxation guide's), within the limits."""
        return replace(
            self,
            rate=max(MIN_RATE, min(MAX_RATE, round(self.rate * rate))),
            volume=round(max(0.1, min(1.0, self.volume * volume)), 2),
        )

    def changed(self, command: str) -> SpeechSettings:
        """The settings after a spoken "slower", "faster", "louder" or "quieter"."""
        if command == "slower":
            return replace(self, rate=max(MIN_RATE, self.rate - RATE_STEP))
        if command == "faster":
            return replace(self, rate=min(MAX_RATE, self.rate + RATE_STEP))
        if command == "louder":
            return replace(self, volume=round(min(1.0, self.volume + VOLUME_STEP), 2))
        if command == "quieter":
            return replace(self, volume=round(max(0.2, self.volume - VOLUME_STEP), 2))
        return self


SETTINGS_KEYS = ("rate", "day_rate", "bedtime_rate", "volume", "voice")


def is_bedtime(now: datetime) -> bool:
    return now.hour >= 21 or now.hour < 6


def config_path() -> Path:
    return Path.home() / ".config" / "twitchcheck" / "speech.ini"


def load_settings(
    path: Path | None = None,
    rate: int | None = None,
    volume: float | None = None,
    voice: str | None = None,
    now: datetime | None = None,
) -> SpeechSettings:
    """Defaults, then the config file's [speech] section, then flags.

    The config file may set ``rate`` (used all day), or ``day_rate`` and
    ``bedtime_rate``; ``volume``; ``voice``.
    """
    moment = now or datetime.now()
    # "bedtime_rate = 130   ; slower at night": a comment may follow a value on its line
    cfg = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    p = path or config_path()
    if path is not None and not p.is_file():
        raise ValueError(f"{p}: no such settings file (give the path of an existing file, or leave --settings out)")
    if p.exists():
        try:
            cfg.read(p, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"{p}: not a valid settings file ({exc})") from None
        others = [name for name in cfg.sections() if name != "speech"]
        if others:
            raise ValueError(f"{p}: unknown section [{others[0]}]; the settings go under [speech]")
        if cfg.has_section("speech"):
            unknown = sorted(set(cfg["speech"]) - set(SETTINGS_KEYS))
            if unknown:
                raise ValueError(f"{p}: [speech] has no setting {unknown[0]!r}; use {', '.join(SETTINGS_KEYS)}")
    section = cfg["speech"] if cfg.has_section("speech") else {}
    try:
        day = int(section.get("day_rate", section.get("rate", DAY_RATE)))
        night = int(section.get("bedtime_rate", section.get("rate", BEDTIME_RATE)))
        vol = float(section.get("volume", 0.9))
    except ValueError as exc:
        raise ValueError(f"{p}: [speech] needs whole-number rates and a volume from 0 to 1 ({exc})") from None
    chosen = night if is_bedtime(moment) else day
    settings = SpeechSettings(
        rate=rate if rate is not None else chosen,
        volume=volume if volume is not None else vol,
        voice=voice if voice is not None else section.get("voice"),
    )
    if not MIN_RATE <= settings.rate <= MAX_RATE:
        raise ValueError(f"rate {settings.rate} is out of range; use {MIN_RATE} to {MAX_RATE} words per minute")
    if not 0.0 <= settings.volume <= 1.0:
        raise ValueError(f"volume {settings.volume} is out of range; use 0 to 1")
    return settings


class Speaker:
    """Speaks replies when there is somewhere to speak to (the caller prints them)."""

    def __init__(
        self,
        settings: SpeechSettings,
        notices: IO[str],
        wav_out: Path | None = None,
        play: bool = True,
    ) -> None:
        self.settings = settings
        self.notices = notices  # where "printing replies only" is said, once
        self.wav_out = wav_out
        self.play = play
        self.silent_reason = ""
        self.count = 0
        self._engine: Any = None
        self._engine_error = ""
        self._tmp: Path | None = None  # replies rendered only to be played, made on first use
        # the reply being played and when it started, for telling its echo apart (read only if needed)
        self.now_playing: tuple[Path, float] | None = None
        if wav_out is not None:
            wav_out.mkdir(parents=True, exist_ok=True)
        if play and shutil.which("aplay") is None:
            self._go_silent("no audio player (aplay) is installed")

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def active(self) -> bool:
        """Whether anything is rendered: played aloud, or kept as WAV files."""
        return self.play or self.wav_out is not None

    def speak(
        self,
        lines: list[str],
        settings: SpeechSettings | None = None,
        stop: Callable[[], bool] | None = None,
        held: Callable[[], bool] | None = None,
    ) -> Path | None:
        """Render the lines as one reply and play it (until ``stop`` says to; paused while ``held``).
        Returns the WAV written."""
        text = " ".join(lines).strip()
        if not text or not self.active:
            return None
        path = self._next_path("reply")
        if not self._render(text, path, settings):
            return None
        if self.play:
            self._played(path, stop, held)
        return path

    def speak_step(
        self,
        text: str,
        settings: SpeechSettings,
        stop: Callable[[], bool] | None = None,
        held: Callable[[], bool] | None = None,
    ) -> tuple[np.ndarray, int] | None:
        """One step of a relaxation, played; its samples and rate, for the relaxation's whole WAV."""
        if not text.strip() or not self.active:
            return None
        path = self._scratch() / "step.wav"
        if not self._render(text, path, settings):
            return None
        if self.play:
            self._played(path, stop, held)
        import soundfile as sf

        audio, rate = sf.read(str(path), dtype="int16")
        return trimmed(audio, int(rate)), int(rate)

    def keep(self, pieces: list[tuple[np.ndarray, int] | float], name: str = "relaxation") -> Path | None:
        """With --wav-out, write steps and their silences (seconds) as one WAV, as they were heard."""
        if self.wav_out is None:
            return None
        rate = next((p[1] for p in pieces if isinstance(p, tuple)), 22050)
        audio = [p[0] if isinstance(p, tuple) else np.zeros(int(round(p * rate)), dtype=np.int16) for p in pieces]
        if not audio:
            return None
        import soundfile as sf

        path = self._next_path(name)
        sf.write(str(path), np.concatenate(audio), rate, subtype="PCM_16")
        return path

    def _next_path(self, name: str) -> Path:
        self.count += 1
        return (self.wav_out or self._scratch()) / f"{name}-{self.count:03d}.wav"

    def _scratch(self) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="twitchcheck-"))
        return self._tmp

    def _render(self, text: str, path: Path, settings: SpeechSettings | None = None) -> bool:
        engine = self._get_engine()
        if engine is None:
            return False
        settings = settings or self.settings
        engine.setProperty("rate", settings.rate)
        engine.setProperty("volume", settings.volume)
        # pyttsx3's espeak driver synthesizes on espeak's own thread and its
        # runAndWait can return before the WAV is written, so the file itself is
        # waited for.  A render started while espeak is still finishing the
        # last one can be cancelled by the driver and leave an empty WAV (seen
        # under load); such a render is done again.
        for _ in range(RENDER_ATTEMPTS):
            path.unlink(missing_ok=True)  # an old reply of the same name must not pass for this one
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if written(path, RENDER_TIMEOUT):
                return True
        path.unlink(missing_ok=True)  # no broken reply left among the good ones
        return False

    def _get_engine(self) -> Any:
        if self._engine is None and not self._engine_error:
            try:
                import pyttsx3

                self._engine = pyttsx3.init()
                hush_driver()
                if self.settings.voice:
                    self._engine.setProperty("voice", self._voice_id(self.settings.voice))
            except Exception as exc:  # no espeak-ng library, or no such voice
                self._engine_error = str(exc)
                self._go_silent(f"speech synthesis is not available ({exc})")
        return self._engine

    def _voice_id(self, wanted: str) -> str:
        for v in self._engine.getProperty("voices"):
            if wanted in (v.id, v.name) or v.id.endswith("/" + wanted):
                return str(v.id)
        raise ValueError(f"no voice {wanted!r}; list them with 'espeak-ng --voices'")

    def _played(self, path: Path, stop: Callable[[], bool] | None, held: Callable[[], bool] | None = None) -> bool:
        """Play until the end or until ``stop``; False when stopped.  While ``held`` (someone is
        speaking over the reply) it falls silent at once, and carries on from the last gap between
        words before that moment if what they said does not stop it."""
        current, offset = path, 0.0  # the piece playing, and where in the reply it starts (seconds)
        stopped: list[bool] = []

        def poll() -> bool:
            if stop is not None and stop():
                stopped.append(True)
                return True
            return held is not None and held()

        while True:
            began = time.monotonic()
            self.now_playing = (current, began)  # what plays and since when, to tell its echo apart
            try:
                if self._play(current, poll if stop is not None or held is not None else None):
                    return True
            finally:
                self.now_playing = None
            if stopped or held is None:
                return False
            paused_at = offset + time.monotonic() - began
            while held():  # silent while they speak; what they said decides
                if stop is not None and stop():
                    return False
                time.sleep(0.02)
            if stop is not None and stop():
                return False
            rest = self._rest(path, paused_at)
            if rest is None:
                return True
            current, offset = rest

    def _rest(self, path: Path, at: float) -> tuple[Path, float] | None:
        """The reply from the last gap between words before ``at`` seconds, as a WAV of its own."""
        import soundfile as sf

        audio, rate = sf.read(str(path), dtype="int16")
        start = resume_point(audio, int(rate), int(at * rate))
        if start >= len(audio) - int(0.1 * rate):
            return None
        rest = self._scratch() / "rest.wav"
        sf.write(str(rest), audio[start:], int(rate), subtype="PCM_16")
        return rest, start / rate

    def _play(self, path: Path, stop: Callable[[], bool] | None = None) -> bool:
        """Play a WAV; cut it off as soon as ``stop`` says so (barge-in).  False when cut off."""
        proc = subprocess.Popen(
            ["aplay", "-q", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        while proc.poll() is None:
            if stop is not None and stop():
                proc.terminate()
                proc.wait()
                return False
            time.sleep(0.02)
        if proc.returncode != 0:
            err = proc.stderr.read() if proc.stderr else ""
            self._go_silent(f"no audio output ({_why_silent(err)})")
        return True

    def _go_silent(self, reason: str) -> None:
        if not self.silent_reason:
            self.notices.write(f"[twitchcheck: {reason}; printing replies only]\n")
            self.notices.flush()
        self.play = False
        self.silent_reason = reason


def _why_silent(err: str) -> str:
    """aplay's complaint in words a user can act on; its own last line when it is another."""
    if "Device or resource busy" in err:
        return "the sound card is busy with another program"
    if "audio open error" in err or "cannot find card" in err or "No such device" in err:
        return "no sound card or speaker was found"
    return (err.strip().splitlines() or ["aplay failed"])[-1]


def hush_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." after each WAV, on
    espeak's thread and after the file is complete, so no redirect around a
    render can be sure to catch it; it would land in the middle of --json
    output.  Its module's print is replaced, once, by one that drops it."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]


def trimmed(audio: np.ndarray, rate: int, floor: int = 30, margin: float = 0.03) -> np.ndarray:
    """Speech without the quiet espeak-ng puts before and after it: a relaxation's silences are the
    script's own, not the script's plus the synthesizer's."""
    loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > floor)
    if not loud.size:
        return audio[:0]
    keep = int(margin * rate)
    return audio[max(0, int(loud[0]) - keep) : int(loud[-1]) + 1 + keep]


GAP_FRAME_S = 0.02
GAP_LEVEL = 0.05  # a frame this quiet, next to the loudest in the window, is a gap between words
GAP_LOOKBACK_S = 1.5


def resume_point(audio: np.ndarray, rate: int, at: int) -> int:
    """Where to carry on a reply paused at sample ``at``: the last gap between words before it, so it
    picks up on a word's start (at most 1.5 s back)."""
    at = min(max(at, 0), len(audio))
    step = max(1, int(GAP_FRAME_S * rate))
    lo = max(0, at - int(GAP_LOOKBACK_S * rate))
    starts = range(lo, at - step + 1, step)
    if not starts:
        return lo
    x = audio.astype(np.float64)
    rms = np.array([np.sqrt(np.mean(x[i : i + step] ** 2)) for i in starts])
    quiet = np.flatnonzero(rms <= GAP_LEVEL * max(rms.max(), 1.0))
    return int(starts[int(quiet[-1])]) if quiet.size else lo


RENDER_TIMEOUT = 5.0  # seconds to wait for a reply's WAV to be complete
RENDER_ATTEMPTS = 3


def written(path: Path, timeout: float) -> bool:
    """Whether path becomes a complete WAV with audio within the timeout.
    False at once for a complete WAV with no audio: pyttsx3 writes a reply's
    header and samples in one go, so that one will not grow."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with wave.open(str(path), "rb") as w:
                frames, width, channels = w.getnframes(), w.getsampwidth(), w.getnchannels()
            if frames == 0:
                return False
            if path.stat().st_size >= 44 + frames * width * channels:
                return True
        except (OSError, EOFError, wave.Error):
            pass  # not there yet, or its header not yet written
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
