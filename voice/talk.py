"""The voice conversation: turns heard (or typed) in, replies printed and spoken.

Pure dialog lives in dialog.Session; this module only moves audio and text
between it, the recognizer and the speaker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from intents import IntentParser

from .asr import Heard, Recognizer, recognize
from .audio import AudioError, read_wav
from .dialog import Event, Session
from .expect import ANSWERS, CONFIRMING, Expectations
from .speech import Speaker

# The recognizer's confidence under which the skill asks "Did you say ...?" first.  With
# pocketsphinx's verifier, on the dev set (bench/fit_verifier.py), clean and with a quiet
# room's hiss, each voice judged by a model fitted on the others: 3.5% of off-topic speech
# acted on and 13% of answers confirmed first; at 0.8, 4.2% acted on and 9% confirmed,
# at 0.9, 0.7% and 20%.  Acting on what was not said costs more than one more question.
# (The current fit, doubted warning signs confirmed too: 2.8% and 4.2% acted on, 16.5%
# and 10.8% confirmed.)
CONFIRM_BELOW = 0.85
# A spoken "no" to a question that screens for warning signs is confirmed unless
# heard at least this surely: misheard, it would rule out a stroke sign or a red
# flag the user has.  One more question is a small price for that.
SURE_ALL_CLEAR = 0.95
MAX_SILENCES = 3
# A doubtful phrase with one of these intents is confirmed rather than
# rejected: "Did you say my face is drooping?" costs a "no"; a re-ask could
# lose a stroke sign the user cannot say any more clearly.
RESCUED = frozenset({"Sign"})
# Unless it is heard with less than this chance of being right: then it is
# nearly always other speech the grammar search forced onto a warning sign
# ("add milk to my shopping list" as "bad ms over two months ago"), and asking
# about it would put a frightening phrase the user never said in their ears.
# It is re-asked instead; the check-in still asks about stroke signs and red
# flags by name, where "yes" is enough.  On the dev set (bench/fit_verifier.py),
# each voice judged by a model fitted on the others, the 7 right warning signs
# the recognizer rejected were heard at 0.09 or more; below 0.05 fell 12 of the
# 40 off-topic phrases it would otherwise confirm.
RESCUE_AT_LEAST = 0.05


def considered(heard: Heard, parser: IntentParser) -> Heard:
    """What the skill takes up from a recognizer's result: its phrase, or a
    rejected phrase that reports a warning sign with some support, kept with
    its low confidence so that it is confirmed before anything is done with it."""
    if heard.rejected and heard.unsure and heard.confidence >= RESCUE_AT_LEAST and rescued(heard.unsure, parser):
        return Heard(heard.unsure, heard.confidence)
    return heard


def rescued(phrase: str, parser: IntentParser) -> bool:
    """Whether a doubted phrase names what must be confirmed, not dropped: a warning sign."""
    intent = parser.parse(phrase)
    return intent is not None and intent.name in RESCUED


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
    def __init__(
        self,
        session: Session,
        speaker: Speaker,
        out: IO[str],
        as_json: bool = False,
        confirm_below: float = CONFIRM_BELOW,
    ) -> None:
        self.session = session
        self.speaker = speaker
        self.out = out
        self.as_json = as_json
        self.confirm_below = confirm_below
        self._expect: Expectations | None = None  # built on first use: typed chat never needs it
        self.pending: str | None = None  # heard with low confidence, waiting for "yes"
        self.silences = 0

    def expected(self) -> frozenset[str]:
        if self._expect is None:
            self._expect = Expectations(self.session.content)
        return self._expect.for_question(CONFIRMING if self.pending else self.session.current)

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
        turn = considered(turn, self.session.parser)
        self.emit_json({"type": "heard", "text": turn.text, "confidence": turn.confidence})
        if not self.as_json:
            shown = turn.text if turn.text else "(not understood)"
            self.out.write(f"> {shown}  [heard, confidence {turn.confidence:.2f}]\n")
        if self.pending is not None:
            self.confirmed(turn)
        elif turn.rejected:
            self.emit(self.session.not_understood())
        elif turn.confidence < self.confirm_below or self.doubtful_all_clear(turn):
            self.pending = turn.text
            text = self.session.d["did_you_say"].format(heard=turn.text)
            self.emit([Event("ask", text=text, question=CONFIRMING)])
        else:
            self.reply(turn.text)

    def doubtful_all_clear(self, turn: Heard) -> bool:
        if turn.confidence >= SURE_ALL_CLEAR or not self.session.screening():
            return False
        answer = self.session.parser.parse(turn.text)
        return answer is not None and answer.name == "No"

    def confirmed(self, turn: Heard) -> None:
        pending, self.pending = self.pending, None
        answer = self.session.parser.parse(turn.text) if turn.text else None
        if answer is not None and answer.name == "Yes" and pending is not None:
            self.reply(pending)
        elif answer is not None and answer.name not in ANSWERS:
            self.take(turn)  # they said something else instead: take that up as a turn of its own
        else:
            self.emit([self.say("misheard"), *self.session.repeat()])

    def reply(self, text: str) -> None:
        before = len(self.session.speech)
        events = self.session.handle(text)
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
        heard = listen(stream, rec, silence_timeout)
        yield Silence() if heard is None else heard
