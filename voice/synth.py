"""Test speech: a phrase spoken by espeak-ng or flite, for the tests and bench/.

A voice is an espeak-ng voice name ("en-us", "en-us+m3") or "flite:NAME"
("flite:slt", "flite:kal").  Needs the espeak-ng and flite programs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def can_synthesize() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("flite"))


def synthesize(text: str, voice: str, path: Path) -> Path:
    """Write ``text`` spoken by ``voice`` to the WAV file ``path``."""
    if voice.startswith("flite:"):
        cmd = ["flite", "-voice", voice.removeprefix("flite:"), "-t", text, "-o", str(path)]
    else:
        cmd = ["espeak-ng", "-v", voice, "-w", str(path), text]
    subprocess.run(cmd, check=True, capture_output=True)
    return path
