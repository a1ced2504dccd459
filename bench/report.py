"""Where a bench writes what it measured: bench/results/NAME.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def write(name: str, report: Any) -> None:
    """Write the report as JSON and say where."""
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(RESULTS.parent.parent)}")
