"""Where the vosk model lives, whether it is whole, and fetching it on request.

This is the only code that touches the network, and only when the user runs
``twitchcheck model download``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path
from typing import IO

MODEL_NAME = "vosk-model-small-en-us-0.15"
MODEL_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
ENV = "TWITCHCHECK_VOSK_MODEL"
# Files every vosk model directory has; a directory without them is partial.
REQUIRED = ("am/final.mdl", "conf/model.conf")


class ModelError(Exception):
    """A missing, partial or corrupt model; the message says what to do."""


def data_dir() -> Path:
    from journal import data_folder

    return data_folder()


def default_model_dir() -> Path:
    return data_dir() / "models" / MODEL_NAME


def find_vosk_model(explicit: str | None = None) -> tuple[Path | None, str]:
    """The model directory to use, or None; and where was looked, for messages.

    An explicit --model or environment variable that points nowhere is an
    error rather than a silent fallback: the user asked for that model.
    """
    if explicit:
        return _given(explicit, "--model"), f"--model {explicit}"
    env = os.environ.get(ENV)
    if env:
        return _given(env, ENV), f"{ENV}={env}"
    default = default_model_dir()
    return (default if default.exists() else None), f"looked in {default}"


def _given(path: str, how: str) -> Path:
    p = Path(path).expanduser()
    if not p.is_dir():
        raise ModelError(f"{how} points to {p}, which is not a folder; give the unpacked vosk model folder")
    return p


def is_vosk_model(path: Path) -> bool:
    """Whether a folder holds a vosk model (and not, say, a Whisper one)."""
    return any((path / f).exists() for f in REQUIRED) or (path / "am").is_dir()


def check_vosk_model(path: Path) -> None:
    missing = [f for f in REQUIRED if not (path / f).is_file()]
    if missing:
        raise ModelError(
            f"the vosk model in {path} is partial or corrupt (missing {', '.join(missing)}); "
            "run 'twitchcheck model download' again, or point --model at a whole model"
        )


def download(dest: Path | None = None, url: str = MODEL_URL, out: IO[str] = sys.stderr) -> Path:
    """Fetch, verify and unpack the small US-English model; return its folder."""
    target = dest or default_model_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        archive = Path(tmp) / "model.zip"
        try:
            with urllib.request.urlopen(url, timeout=30) as response, archive.open("wb") as f:
                total = int(response.headers.get("Content-Length") or 0)
                done = 0
                while chunk := response.read(1 << 16):
                    f.write(chunk)
                    done += len(chunk)
                    _progress(out, done, total)
        except OSError as exc:
            raise ModelError(f"the download from {url} failed ({exc}); check the connection and try again") from None
        out.write("\n")
        if total and done != total:
            raise ModelError(f"the download stopped at {done} of {total} bytes; try again")
        try:
            with zipfile.ZipFile(archive) as z:
                bad = z.testzip()
                if bad is not None:
                    raise ModelError(f"the downloaded archive is corrupt ({bad}); try again")
                z.extractall(tmp)
        except zipfile.BadZipFile:
            raise ModelError("the download is not a zip archive; try again later") from None
        unpacked = next((p for p in Path(tmp).iterdir() if p.is_dir()), None)
        if unpacked is None:
            raise ModelError("the archive holds no model folder")
        check_vosk_model(unpacked)
        if target.exists():
            shutil.rmtree(target)
        unpacked.rename(target)
    return target


def _progress(out: IO[str], done: int, total: int) -> None:
    if total:
        filled = int(30 * done / total)
        out.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done / 1e6:5.1f} of {total / 1e6:.1f} MB")
    else:
        out.write(f"\r{done / 1e6:5.1f} MB")
    out.flush()
