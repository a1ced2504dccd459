"""The `twitchcheck` command line."""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from content import Content, ContentError, load_content
from dialog import Session

from . import models
from .journal_cli import add_journal_command, journal_command
from .nights import Nights, add_options, clock, today_of

if TYPE_CHECKING:
    from .asr import Recognizer


def main(argv: Sequence[str] | None = None) -> int:
    one_heap()
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C: stop, quietly
        sys.stderr.write("\n[twitchcheck: stopped]\n")
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing more to say to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def one_heap() -> None:
    """One malloc heap for all threads.  glibc gives each thread that allocates a heap of its own;
    Whisper's, the reader's and the audio threads' each kept memory the others could have reused:
    about 28 MB of a check-in's peak (bench/asr_bench.py measures the peak and the reply time)."""
    try:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):  # not glibc: its allocator, its own ways
        pass


M_ARENA_MAX = -8  # glibc's malloc.h


def _main(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "model":
        return model_command(args)
    if args.command == "journal":
        return journal_command(args)
    early = before_content(args) if args.command == "talk" else Early()
    try:
        content = load_content(args.content)
    except ContentError as exc:
        print(f"twitchcheck: the content could not be loaded: {exc}", file=sys.stderr)
        print("Fix that file (or remove --content to use the built-in content).", file=sys.stderr)
        return 1
    if args.command == "parse":
        return _parse(content, " ".join(args.text), args.ask)
    content.understander.warm_in_background()  # while the recognizer loads and the greeting is spoken
    now = clock(args)
    session = Session.create(content, today=today_of(now))
    nights = Nights.open(args, now)
    if args.command == "talk":
        return talk_command(args, content, session, nights, early)
    return chat(session, sys.stdin, sys.stdout, as_json=args.json, wait=not args.no_wait, nights=nights)


def _build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="twitchcheck",
        description="An offline, hands-free check-in for facial twitching, with bedtime relaxation.",
        epilog="Not a diagnosis. In an emergency, call your local emergency number.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", metavar="DIR", help="use the content files in DIR instead of the built-in ones")
    conversation = argparse.ArgumentParser(add_help=False)
    add_options(conversation)
    chat_p = sub.add_parser(
        "chat",
        parents=[common, conversation],
        help="hold the check-in by typing (or from piped lines)",
        description="Hold the check-in by typing. Reads one utterance per line, from the terminal or a pipe.",
    )
    chat_p.add_argument(
        "--json",
        action="store_true",
        help="JSON Lines protocol: one utterance per stdin line; one object per stdout line "
        "(types say, ask, assessment, wait, end; a relaxation's steps are say with pause_s)",
    )
    chat_p.add_argument(
        "--no-wait", action="store_true", help="print a relaxation's steps at once instead of holding their silences"
    )
    parse_p = sub.add_parser(
        "parse",
        parents=[common],
        help="show what is understood from TEXT",
        description="Print, as JSON, everything understood from TEXT: the command, the answer, the facts "
        "(present, absent, unsure, someone else's, hypothetical) with the words they came from, the values, "
        "the bedtime topic; understood is false when nothing was.",
    )
    parse_p.add_argument("text", nargs="+", metavar="TEXT")
    parse_p.add_argument("--ask", metavar="QUESTION", help="read TEXT as the answer to this check-in question id")
    talk_p = sub.add_parser(
        "talk",
        parents=[common, conversation],
        help="hold the check-in by voice (the microphone, or WAV files)",
        description="Hold the check-in by voice. Listens on the microphone unless --wav-in is given; "
        "with no microphone it says so and reads typed lines instead, still speaking the replies.",
    )
    talk_p.add_argument(
        "--wav-in",
        nargs="+",
        metavar="FILE",
        help="take the user's turns from these WAV files, in order; '-' reads one WAV path per stdin line",
    )
    talk_p.add_argument("--json", action="store_true", help="JSON Lines: the chat protocol plus heard events")
    talk_p.add_argument(
        "--asr",
        choices=["auto", "whisper", "vosk", "pocketsphinx"],
        default="auto",
        help="the recognizer: auto is vosk when you have put a vosk model on disk, else whisper",
    )
    talk_p.add_argument(
        "--model", metavar="DIR", help=f"a faster-whisper or vosk model folder (for vosk, or set {models.ENV})"
    )
    talk_p.add_argument("--wav-out", metavar="DIR", type=Path, help="write each reply as a WAV file in DIR")
    talk_p.add_argument("--rate", type=int, help="speaking rate, words per minute (default 165, 130 at bedtime)")
    talk_p.add_argument("--volume", type=float, help="speaking volume, 0 to 1")
    talk_p.add_argument("--voice", help="a voice name or id (see 'espeak-ng --voices')")
    talk_p.add_argument(
        "--settings", metavar="FILE", type=Path, help="speech settings file (default ~/.config/twitchcheck/speech.ini)"
    )
    talk_p.add_argument("--quiet", action="store_true", help="print replies without playing them")
    talk_p.add_argument("--typed", action="store_true", help="type instead of speaking (replies are still spoken)")
    talk_p.add_argument(
        "--no-wait",
        action="store_true",
        help="do not hold a relaxation's silences in real time (they are still in --wav-out)",
    )
    model_p = sub.add_parser("model", help="manage the optional vosk speech model")
    model_sub = model_p.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    dl = model_sub.add_parser("download", help=f"download {models.MODEL_NAME} (about 40 MB) into the data folder")
    dl.add_argument("--to", metavar="DIR", type=Path, help="unpack here instead of the data folder")
    model_sub.add_parser("where", help="print where the model is looked for")
    add_journal_command(sub)
    return top


def model_command(args: argparse.Namespace) -> int:
    if args.model_command == "where":
        try:
            found, looked = models.find_vosk_model()
            if found is not None:
                models.check_vosk_model(found)
        except models.ModelError as exc:
            print(f"twitchcheck: {exc}", file=sys.stderr)
            return 1
        print(f"{found} ({looked})" if found else f"no vosk model ({looked})")
        return 0
    try:
        path = models.download(args.to)
    except models.ModelError as exc:
        print(f"twitchcheck: {exc}", file=sys.stderr)
        return 1
    print(f"The vosk model is ready in {path}")
    return 0


@dataclass
class Early:
    """What `talk` opens before the content loads: the microphone (with none, no recognizer is
    loaded), and Whisper, whose loading briefly takes ~100 MB more than it keeps, so the peak
    is lower done first (bench/asr_bench.py measures it in this order)."""

    stream: Any = None
    no_microphone: str = ""  # why there is none
    whisper: Recognizer | None = None


def before_content(args: argparse.Namespace) -> Early:
    from .asr import whisper_first
    from .audio import AudioError

    early = Early()
    if args.typed:
        return early
    if not args.wav_in:
        try:
            from .mic import open_microphone

            early.stream = open_microphone()
        except AudioError as exc:
            early.no_microphone = str(exc)
            return early
    early.whisper = whisper_first(args.asr, args.model)
    return early


def talk_command(
    args: argparse.Namespace, content: Content, session: Session, nights: Nights, early: Early | None = None
) -> int:
    from .asr import RecognizerError, open_recognizer
    from .speech import Speaker, load_settings
    from .talk import Talk, mic_turns, run, typed_turns, wav_turns

    out = sys.stdout
    notes = sys.stderr if args.json else sys.stdout
    try:
        settings = load_settings(args.settings, args.rate, args.volume, args.voice)
    except ValueError as exc:
        print(f"twitchcheck: {exc}", file=sys.stderr)
        return 2
    if args.wav_out is not None:
        problem = _unusable_folder(args.wav_out)
        if problem:
            print(f"twitchcheck: --wav-out {args.wav_out}: {problem}", file=sys.stderr)
            return 2
    speaker = Speaker(settings, notes, wav_out=args.wav_out, play=not args.quiet)
    talk = Talk(session, speaker, out, as_json=args.json, wait=not args.no_wait)
    with_journal(talk, nights)
    try:
        if args.typed:
            return run(talk, typed_turns(sys.stdin, talk))
        early = early or before_content(args)
        if early.no_microphone:
            notes.write(f"[{early.no_microphone}. Carrying on by typing: type your answers and press Enter.]\n")
            notes.flush()
            speaker.speak([content.dialog["no_microphone"]])  # said too: the user may not see the screen
            return run(talk, typed_turns(sys.stdin, talk))
        stream = early.stream
        try:
            rec, note = open_recognizer(args.asr, content.templates, args.model, loaded=early.whisper)
        except (RecognizerError, models.ModelError) as exc:
            print(f"twitchcheck: {exc}", file=sys.stderr)
            return 1
        if note:
            notes.write(f"[{note}]\n")
        talk.session.policy = getattr(rec, "confirm_policy", talk.session.policy)
        if args.wav_in:
            paths = (line for line in sys.stdin) if args.wav_in == ["-"] else iter(args.wav_in)
            return run(talk, wav_turns(paths, rec, talk))
        notes.write("[Listening on the microphone. Just speak; stop talking when you're done.]\n")
        from .mic import drain

        drain(stream)  # what it picked up while loading, before anything was said to the user
        return run(talk, mic_turns(stream, rec, talk))
    except KeyboardInterrupt:
        return 130
    finally:
        speaker.close()
        saved(talk, nights)


def _unusable_folder(folder: Path) -> str:
    """Why replies cannot be written into ``folder`` (made if missing), or "" when they can."""
    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder; give a folder to write the replies into"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot be made ({exc.strerror or exc}); give a folder you can write to"
    if not os.access(folder, os.W_OK):
        return "cannot be written to; give a folder you can write to"
    return ""


def _parse(content: Content, text: str, ask: str | None) -> int:
    session = Session.create(content)
    if ask:
        if ask not in {q.id for q in content.ruleset.questions}:
            known = ", ".join(q.id for q in content.ruleset.questions)
            print(f"twitchcheck: no question {ask!r}; the questions are: {known}", file=sys.stderr)
            return 2
        session.current = ask
    print(json.dumps(session.understand(text).to_json()))
    return 0


def chat(
    session: Session,
    stdin: IO[str],
    stdout: IO[str],
    as_json: bool = False,
    wait: bool = True,
    nights: Nights | None = None,
) -> int:
    """The check-in by typing: the voice loop with typed turns and printed replies."""
    from .speech import Speaker, SpeechSettings
    from .talk import Talk, run, typed_turns

    talk = Talk(session, Speaker(SpeechSettings(), stdout, play=False), stdout, as_json=as_json, wait=wait)
    if nights is None:
        return run(talk, typed_turns(stdin, talk))
    with_journal(talk, nights)
    try:
        return run(talk, typed_turns(stdin, talk))
    finally:
        saved(talk, nights)


def with_journal(talk: Any, nights: Nights) -> None:
    """Earlier nights into tonight's session; a journal that cannot be kept is said once."""
    nights.prepare(talk.session)
    for notice in nights.notices():
        talk.notice(notice)


def saved(talk: Any, nights: Nights) -> None:
    problem = nights.save(talk.session)
    if problem:
        try:
            talk.notice(problem)
        except (BrokenPipeError, ValueError):
            sys.stderr.write(f"[{problem}]\n")


if __name__ == "__main__":
    raise SystemExit(main())
