"""The voice conversation: turns heard (or typed) in, replies printed and spoken.

The skill lives in dialog.Session (confirmations included); this module only
moves audio and text between it, the recognizer and the speaker.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from dialog import Event, Expectations, Hearing, Session

from .asr import Heard, Recognizer, recognize
from .audio import MAX_TURN_S, AudioError, read_wav
from .speech import Speaker

MAX_SILENCES = 3


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


class Talk:
    def __init__(self, session: Session, speaker: Speaker, out: IO[str], as_json: bool = False) -> None:
        self.session = session
        self.speaker = speaker
        self.out = out
        self.as_json = as_json
        self._expect: Expectations | None = None  # built on first use: typed chat never needs it
        self.silences = 0

    def expected(self) -> frozenset[str]:
        if self._expect is None:
            self._expect = Expectations(self.session.content)
        return self._expect.for_session(self.session)

    def begin(self) -> None:
        self.emit(self.session.start())

    def take(self, turn: Turn) -> None:
        if isinstance(turn, Failed):
            self.notice(turn.message)
            self.emit(self.session.repeat())
            return
        if isinstance(turn, Silence):
            self.silences += 1
            if self.silences >= MAX_SILENCES:
                self.emit(self.session.stop())
                return
            self.emit([self.say("still_listening"), *self.session.repeat()])
            return
        self.silences = 0
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
        self.emit(events)

    def say(self, key: str) -> Event:
        return Event("say", text=self.session.d[key])

    def emit(self, events: list[Event]) -> None:
        lines: list[str] = []
        for event in events:
            self.emit_json(event.to_json())
            lines.extend(event.spoken())
        if not self.as_json:
            for line in lines:
                self.out.write(line + "\n")
            self.out.flush()
        self.speaker.speak(lines)

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


def run(talk: Talk, turns: Iterator[Turn]) -> int:
    talk.begin()
    for turn in turns:
        if talk.session.ended:
            break
        talk.take(turn)
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
        rec.expect(talk.expected())
        yield recognize(rec, pcm.data)


def typed_turns(stdin: IO[str], talk: Talk) -> Iterator[Turn]:
    interactive = stdin.isatty() and not talk.as_json
    while True:
        if interactive:
            talk.out.write("> ")
            talk.out.flush()
        line = stdin.readline()
        if not line:
            if interactive:
                talk.out.write("\n")  # leave the shell prompt on a line of its own
            return
        if line.strip():
            if not interactive and not talk.as_json:
                talk.out.write(f"> {line.strip()}\n")  # piped: show the turn, as chat does
            yield Typed(line.strip())


def mic_turns(stream: Any, rec: Recognizer, talk: Talk, silence_timeout: float = 8.0) -> Iterator[Turn]:
    from .mic import drain, listen

    while True:
        drain(stream)  # before expect(): what is said while the grammar is rebuilt is kept
        rec.expect(talk.expected())
        # only a yes/no question can be answered whole in a word or two
        complete = (lambda h: talk.session.complete_answer(hearing(h))) if talk.session.pending().yes_no else None
        heard = listen(stream, rec, silence_timeout, complete=complete)
        yield Silence() if heard is None else heard
