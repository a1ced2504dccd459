"""The `twitchcheck` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO

from content import Content, ContentError, load_content
from intents import IntentParser

from .dialog import Event, Session


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        content = load_content(args.content)
    except ContentError as exc:
        print(f"twitchcheck: the content could not be loaded: {exc}", file=sys.stderr)
        print("Fix that file (or remove --content to use the built-in content).", file=sys.stderr)
        return 1
    if args.command == "parse":
        return _parse(content, " ".join(args.text))
    return chat(Session.create(content), sys.stdin, sys.stdout, as_json=args.json)


def _build_parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="twitchcheck",
        description="An offline, hands-free check-in for facial twitching, with bedtime relaxation.",
        epilog="Not a diagnosis. In an emergency, call your local emergency number.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", metavar="DIR", help="use the content files in DIR instead of the built-in ones")
    chat_p = sub.add_parser(
        "chat",
        parents=[common],
        help="hold the check-in by typing (or from piped lines)",
        description="Hold the check-in by typing. Reads one utterance per line, from the terminal or a pipe.",
    )
    chat_p.add_argument(
        "--json",
        action="store_true",
        help="JSON Lines protocol: one utterance per stdin line; one object per stdout line "
        "(types say, ask, assessment, end)",
    )
    parse_p = sub.add_parser(
        "parse",
        parents=[common],
        help="show the intent and slots understood from TEXT",
        description='Print {"intent", "slots", "confidence"} as JSON for TEXT; intent is null when not understood.',
    )
    parse_p.add_argument("text", nargs="+", metavar="TEXT")
    return top


def _parse(content: Content, text: str) -> int:
    intent = IntentParser(content.intents).parse(text)
    out = intent.to_json() if intent else {"intent": None, "slots": {}, "confidence": 0.0}
    print(json.dumps(out))
    return 0


def chat(session: Session, stdin: IO[str], stdout: IO[str], as_json: bool = False) -> int:
    interactive = stdin.isatty() and not as_json

    def emit(events: list[Event]) -> None:
        for event in events:
            if as_json:
                stdout.write(json.dumps(event.to_json()) + "\n")
            else:
                for line in event.spoken():
                    stdout.write(line + "\n")
        stdout.flush()

    emit(session.start())
    while not session.ended:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            if not as_json and interactive:
                stdout.write("\n")
            emit([Event("end")] if as_json else [])
            return 0
        if not line.strip():
            continue
        if not as_json and not interactive:
            stdout.write(f"> {line.strip()}\n")
        emit(session.handle(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
