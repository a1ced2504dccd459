"""The voice conversation: turns heard (or typed) in, replies printed and spoken.

The skill lives in dialog.Session (confirmations included); this module only
moves audio and text between it, the recognizer and the speaker, plays a
guided relaxation step by step with its silences, and lets the user cut in.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

from dialog import Event, Expectations, Hearing, Session
from dialog.events import Step

from .asr import Heard, Recognizer, recognize
from .audio import MAX_TURN_S, AudioError, read_wav
from .speech import Speaker

MAX_LINE = 10_000  # characters of a typed turn that are read (in parts; a spoken turn is far shorter)
STRETCH = 1.3  # "slower" during the relaxation makes its silences this much longer


def considered(heard: Heard, session: Session) -> Heard:
    """A recognizer's result as the skill takes it up (dialog.Session.considered), for the benches."""
    h = session.considered(hearing(heard))
    return heard if h.text == heard.text and not heard.alternatives else Heard(h.text, h.confidence, h.doubted)


def hearing(heard: Heard) -> Hearing:
    """A recognizer's result as the dialog takes it."""
    return Hearing(heard.text, heard.confidence, heard.rejected, heard.unsure, heard.alternatives)


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Silence:
    pass


@dataclass(frozen=True)
class Failed:
    message: str  # a bad file: the turn is lost, the conversation is not


Turn = Heard | Typed | Silence | Failed


class Meanwhile(Protocol):
    """What the user says while the skill is talking or holding a silence: a line typed, or an
    utterance heard at the microphone."""

    def meanwhile(self, seconds: float) -> str | None:
        """What was said within ``seconds`` (0: only what is already there); None if nothing."""

    def keep(self, text: str) -> None:
        """Hold on to something said meanwhile that did not cut in: it is the next turn."""

    def held(self) -> bool:
        """Whether someone is speaking over the reply right now (not yet understood)."""

    @property
    def hears_own_voice(self) -> bool:
        """Whether the skill's own voice can come back in it (a microphone), so that a warning sign
        named only in the words being said is asked about before it is acted on."""


class Talk:
    def __init__(
        self, session: Session, speaker: Speaker, out: IO[str], as_json: bool = False, wait: bool = True
    ) -> None:
        self.session = session
        self.speaker = speaker
        self.out = out
        self.as_json = as_json
        self.wait = wait  # hold a relaxation's silences in real time (chat --no-wait does not)
        self.listen: Meanwhile | None = None  # set by a live source of turns: what the user says meanwhile
        self.speaking = ""  # what is being said aloud now: heard back through the microphone, it is not the user
        self._expect: Expectations | None = None  # built on first use: typed chat never needs it
        session.speaking = speaker.active
        session.words_per_minute = float(speaker.settings.rate)

    def expected(self) -> frozenset[str]:
        if self._expect is None:
            self._expect = Expectations(self.session.content)
        return self._expect.for_session(self.session)

    def begin(self) -> None:
        self.emit(self.session.start())

    def take(self, turn: Turn) -> None:
        if isinstance(turn, Failed):
            self.notice(turn.message)
            self.emit(self.session.lost())
            return
        if isinstance(turn, Silence):
            self.emit(self.session.silence())
            return
        if isinstance(turn, Typed):
            self.reply(turn.text)
            return
        heard = self.session.considered(hearing(turn))
        self.emit_json({"type": "heard", "text": heard.text, "confidence": heard.confidence})
        if not self.as_json:
            shown = heard.text if heard.text else "(not understood)"
            self.out.write(f"> {shown}  [heard, confidence {heard.confidence:.2f}]\n")
        self.respond(lambda: self.session.hear(heard))

    def reply(self, text: str) -> None:
        self.respond(lambda: self.session.handle(text))

    def respond(self, turn: Callable[[], list[Event]]) -> None:
        before = len(self.session.speech)
        events = turn()
        for command in self.session.speech[before:]:
            self.speaker.settings = self.speaker.settings.changed(command)
        self.session.words_per_minute = float(self.speaker.settings.rate)
        self.emit(events)

    def emit(self, events: list[Event]) -> None:
        """Print every event whole and say its spoken part; a relaxation is played step by step."""
        spoken: list[str] = []
        for i, event in enumerate(events):
            if event.type == "relax":
                self._say(spoken)
                spoken = []
                self.relax(event.steps)
                self.emit(events[i + 1 :])
                return
            self.emit_json(event.to_json())
            if not self.as_json and event.type != "wait":
                for line in event.printed():
                    self.out.write(line + "\n")
                self.out.flush()
            spoken.extend(event.spoken())
        self._say(spoken)

    def _say(self, lines: list[str]) -> None:
        if not lines:
            return
        cut: list[str] = []
        self.speaking = over = " ".join(lines)
        self.speaker.speak(lines, stop=self._cut_in(cut), held=self._held())
        self.speaking = ""
        if cut:
            self.interrupted(cut[0], over if self.listen is not None and self.listen.hears_own_voice else "")

    def _cut_in(self, said: list[str]) -> Callable[[], bool] | None:
        """While a reply plays: whether the user has said something that stops it (kept in ``said``)."""
        listen = self.listen
        if listen is None:
            return None

        def stop() -> bool:
            text = listen.meanwhile(0.0)
            if text is None:
                return False
            if self.session.cuts_in(text):
                said.append(text)
                return True
            if self.session.understand(text).understood:
                listen.keep(text)  # an answer said over the question: the next turn
            return False

        return stop

    def _held(self) -> Callable[[], bool] | None:
        """Whether someone is speaking over the reply now (it falls silent meanwhile)."""
        return self.listen.held if self.listen is not None else None

    def interrupted(self, text: str, over: str = "") -> None:
        """The user cut in while a reply was being said (``over``, when the microphone may have picked
        it up): take what they said as their turn."""
        self.notice("stopped speaking: you cut in")
        self.respond(lambda: self.session.handle(text, over))

    def relax(self, steps: tuple[Step, ...]) -> None:
        """Play the guided relaxation: each step said in the guide's slower, softer voice, then its
        silence held.  "stop", "that's enough", "pause" / "go on", "slower" / "faster" work during
        it; anything else said ends it and is taken as a turn."""
        relaxation = self.session.content.relaxation
        voice = self.speaker.settings.scaled(relaxation.rate, relaxation.volume)
        stretch = 1.0
        heard: list[tuple[Any, int] | float] = []
        said: str | None = None
        for step in steps:
            pause = step.pause_s * stretch
            self.emit_json(Step(step.text, pause).to_json())
            if not self.as_json:
                self.out.write(step.text + "\n")
                self.out.flush()
            cut: list[str] = []
            self.speaking = step.text
            audio = self.speaker.speak_step(step.text, voice, stop=self._cut_in(cut), held=self._held())
            self.speaking = ""
            if audio is not None:
                heard.append(audio)
            heard.append(pause)
            said = cut[0] if cut else self._hold(pause)
            if said is None:
                continue
            control = self.session.relaxation_control(said)
            if control == "pause":
                self.notice("paused: say 'go on' to carry on")
                said = self._until_resumed()
                if said is None:
                    continue
                control = self.session.relaxation_control(said)
            if control in ("slower", "faster"):
                stretch *= STRETCH if control == "slower" else 1 / STRETCH
                voice = voice.changed(control)
                said = None
                continue
            if control in ("louder", "quieter"):
                voice = voice.changed(control)
                said = None
                continue
            break
        self.speaker.keep(heard)
        self.emit(self.session.relaxed())
        if said is not None:
            self.reply(said)  # "stop", "that's enough", a question or a warning sign: a turn of its own

    def _hold(self, seconds: float) -> str | None:
        """A relaxation's silence, held in real time when someone is there to hear it; what was said
        during it, if anything."""
        if not self.wait or seconds <= 0:
            return None
        if self.listen is not None:
            return self.listen.meanwhile(seconds)
        time.sleep(seconds)
        return None

    def _until_resumed(self) -> str | None:
        """Paused: wait until something is said ("go on", or anything else). None: resumed by silence
        after a long while, as someone asleep would not say go on."""
        if self.listen is None or not self.wait:
            return None
        said = self.listen.meanwhile(PAUSE_LIMIT_S)
        if said is not None and self.session.relaxation_control(said) == "more":
            return None
        return said

    def emit_json(self, obj: dict[str, Any]) -> None:
        if self.as_json:
            self.out.write(json.dumps(obj) + "\n")
            self.out.flush()

    def notice(self, message: str) -> None:
        if self.as_json:
            self.emit_json({"type": "error", "text": message})
        else:
            self.out.write(f"[{message}]\n")
            self.out.flush()


PAUSE_LIMIT_S = 300.0  # a paused relaxation waits this long for "go on"


def run(talk: Talk, turns: Iterator[Turn]) -> int:
    talk.begin()
    for turn in turns:
        talk.take(turn)
        if talk.session.ended:
            break
    if not talk.session.ended:
        talk.emit_json({"type": "end"})
    return 0


def wav_turns(paths: Iterator[str], rec: Recognizer, talk: Talk) -> Iterator[Turn]:
    """One turn per WAV file; a bad file is reported and skipped."""
    for path in paths:
        path = path.strip()
        if not path:
            continue
        try:
            pcm = read_wav(path)
        except AudioError as exc:
            yield Failed(str(exc))
            continue
        if pcm.cut_from is not None:
            talk.notice(
                f"{path}: the recording is {pcm.cut_from:.0f} seconds long; a turn is at most "
                f"{MAX_TURN_S:.0f} seconds, so only its start was heard"
            )
        if pcm.cut_off is not None:
            there, promised = pcm.cut_off
            talk.notice(f"{path}: the WAV file is cut off ({there} of its {promised} bytes); what is there was heard")
        rec.expect(talk.expected())
        yield recognize(rec, pcm.data)


WAKE_S = 0.25  # a wait for a typed line wakes this often


class Lines:
    """Typed lines, read on a thread of their own so that a line typed while the skill is busy (in a
    relaxation's silence) is seen at once, and none is lost."""

    def __init__(self, stdin: IO[str]) -> None:
        self._lines: deque[str | None] = deque()
        self._ready = threading.Condition()
        self._done = False
        thread = threading.Thread(target=self._read, args=(stdin,), name="twitchcheck-input", daemon=True)
        thread.start()

    def _read(self, stdin: IO[str]) -> None:
        try:
            for line in iter(stdin.readline, ""):
                self._put(line.rstrip("\n"))
        except (OSError, ValueError):
            pass
        self._put(None)  # end of input

    def _put(self, line: str | None) -> None:
        with self._ready:
            self._lines.append(line)
            self._ready.notify()

    def get(self, timeout: float | None = None) -> str | None:
        """The next line; None at the end of input, or when none came within ``timeout``."""
        with self._ready:
            if not self._lines and not self._done:
                if timeout is None:
                    # woken now and then, so a Ctrl-C delivered to another thread is acted on
                    while not self._lines:
                        self._ready.wait(WAKE_S)
                else:
                    self._ready.wait_for(lambda: bool(self._lines), timeout=timeout)
            if not self._lines:
                return None
            line = self._lines.popleft()
            if line is None:
                self._done = True
                self._lines.appendleft(None)  # the end stays the end
            return line

    def unget(self, line: str) -> None:
        with self._ready:
            self._lines.appendleft(line)
            self._ready.notify()

    # as what the user says meanwhile (Meanwhile)
    def meanwhile(self, seconds: float) -> str | None:
        line = self.get(timeout=seconds)
        if line is None:
            return None
        if not line.strip():
            return self.meanwhile(0.0)  # a blank line said nothing
        return line.strip()[:MAX_LINE]

    def keep(self, text: str) -> None:
        self.unget(text)

    def held(self) -> bool:
        return False  # a line arrives whole: nothing is half-said

    hears_own_voice = False


def typed_turns(stdin: IO[str], talk: Talk) -> Iterator[Turn]:
    """Turns typed or piped, one a line.  A blank line is a silence; a very long one is cut."""
    interactive = stdin.isatty() and not talk.as_json
    lines = Lines(stdin)
    talk.listen = lines
    while not talk.session.ended:
        if interactive:
            talk.out.write("> ")
            talk.out.flush()
        line = lines.get()
        if line is None:
            if interactive:
                talk.out.write("\n")  # leave the shell prompt on a line of its own
            return
        text = line.strip()
        if not text:
            yield Silence()
            continue
        if len(text) > MAX_LINE:
            talk.notice(f"that was {len(text):,} characters long; only the first {MAX_LINE:,} were read")
            text = text[:MAX_LINE]
        if not interactive and not talk.as_json:
            talk.out.write(f"> {text}\n")  # piped: show the turn, as chat does
        # "n" typed alone is "no"; said, a recognizer writes a hum as "N N N", so only typing has it
        yield Typed(talk.session.content.language.typed_shorthand.get(text.lower(), text))


def mic_turns(stream: Any, rec: Recognizer, talk: Talk, silence_timeout: float = 8.0) -> Iterator[Turn]:
    from .mic import Listener

    listener = Listener(stream, rec, talk)
    talk.listen = listener
    while not talk.session.ended:
        heard = listener.turn(silence_timeout)
        yield Silence() if heard is None else heard
