"""A person speaking to `twitchcheck talk --wav-in -`, for the end-to-end voice tests: each turn is
synthesized when the skill asks and its path written to the skill's stdin; the skill's JSON events
are read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from voice.synth import synthesize

TALK = [sys.executable, "-m", "voice.cli", "talk"]


class Speaking:
    def __init__(self, voice: str, folder: Path, *args: str) -> None:
        self.voice, self.folder = voice, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [*TALK, "--quiet", "--json", *args, "--wav-in", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.events: list[dict] = []
        self.said = 0

    def say(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.said += 1
        wav = synthesize(text, self.voice, self.folder / f"turn-{self.said:02d}.wav")
        self.proc.stdin.write(f"{wav}\n")
        self.proc.stdin.flush()

    def until_asked(self) -> dict | None:
        """Events up to the next question; None when the conversation ended."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = json.loads(line)
            self.events.append(event)
            if event["type"] == "ask":
                return event
            if event["type"] == "end":
                return None
        return None

    def hang_up(self) -> list[dict]:
        """Stop speaking; the skill finishes and exits cleanly."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.until_asked()
        assert self.proc.wait(timeout=60) == 0
        return self.events

    def last_heard(self) -> str:
        return str([e for e in self.events if e["type"] == "heard"][-1]["text"])
