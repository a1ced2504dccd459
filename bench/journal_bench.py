"""The journal: how long saving a check-in takes (SQLite, WAL, synchronous=FULL), reading the nights a
check-in needs, exporting a year of nightly entries (Markdown with its chart, and CSV); and how well
requests for a summary are understood, on held-out lines written without seeing the templates
(bench/nlu/heldout_journal.yaml: week, month, and lines that are not a summary request).

    .venv/bin/python bench/journal_bench.py

Writes bench/results/journal.json.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import report  # noqa: E402

from content import load_content  # noqa: E402
from dialog import Session  # noqa: E402
from journal import Journal, Night  # noqa: E402
from journal.export import as_csv, draw_chart, markdown  # noqa: E402
from voice.journal_cli import wording  # noqa: E402

SAVES = 300
YEAR = 365
WANTED = {"week": "summary_week", "month": "summary_month", "not_summary": None}


def a_night(day: date, i: int) -> Night:
    """A plausible night: the facts a full check-in leaves."""
    facts: dict[str, Any] = {
        "twitching": i % 5 != 0, "area": ["eyelid", "eyelid", "cheek"][i % 3], "side": "left",
        "duration_days": float(3 + i % 40), "frequency": ["occasional", "daily"][i % 2], "episode": "seconds",
        "stroke_screen": False, "spread": False, "flag_screen": False, "improving": i % 4 != 0,
        "short_sleep": i % 2 == 0, "sleep_hours": 5 + i % 4, "coffee": i % 3 == 0, "caffeine_cups": 1 + i % 5,
        "stress": i % 4 == 1, "other_screen": False, "history_screen": False,
    }  # fmt: skip
    return Night(datetime.combine(day, datetime.min.time()).replace(hour=22, minute=30), facts, "self_care",
                 ("It sounds like the common kind.",), relaxed=i % 2 == 0)  # fmt: skip


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def storage(folder: Path) -> dict[str, Any]:
    journal = Journal(folder / "save.sqlite3")
    start = date(2025, 1, 1)
    times = []
    for i in range(SAVES):
        night = a_night(start + timedelta(days=i), i)
        t = time.perf_counter()
        journal.save(night)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    recent = journal.nights(since=start + timedelta(days=SAVES - 120))
    read_s = time.perf_counter() - t
    journal.close()
    year = Journal(folder / "year.sqlite3")
    for i in range(YEAR):
        year.save(a_night(start + timedelta(days=i), i))
    nights = year.nights()
    content = load_content()
    words = wording(content)
    until = nights[-1].day
    t = time.perf_counter()
    md = markdown(nights, nights[0].day, until, words, "year.png")
    md_s = time.perf_counter() - t
    t = time.perf_counter()
    draw_chart(nights, nights[0].day, until, folder / "year.png", words)
    chart_s = time.perf_counter() - t
    t = time.perf_counter()
    table = as_csv(nights, list(content.ruleset.facts))
    csv_s = time.perf_counter() - t
    q = statistics.quantiles(times, n=100)
    return {
        "save_ms": {"median": ms(statistics.median(times)), "p99": ms(q[98]), "max": ms(max(times)), "n": SAVES},
        "read_120_days_ms": ms(read_s),
        "nights_read": len(recent),
        "export_year": {
            "nights": len(nights),
            "markdown_ms": ms(md_s),
            "chart_ms": ms(chart_s),
            "csv_ms": ms(csv_s),
            "markdown_bytes": len(md),
            "csv_rows": len(table.splitlines()) - 1,
        },  # fmt: skip
    }


def understanding() -> dict[str, Any]:
    corpus = yaml.safe_load((ROOT / "bench" / "nlu" / "heldout_journal.yaml").read_text())
    content = load_content()
    session = Session.create(content)
    session.start()
    out: dict[str, Any] = {}
    misses: list[dict[str, Any]] = []
    for group, action in WANTED.items():
        lines = corpus[group]
        right = 0
        for line in lines:
            u = session.understand(line)
            got = content.commands.get(u.command.value) if u.command is not None else None
            got = got if got in ("summary_week", "summary_month") else None
            if got == action:
                right += 1
            else:
                misses.append({"line": line, "wanted": action, "got": got})
        out[group] = {"right": right, "of": len(lines), "percent": round(100 * right / len(lines), 1)}
    # everything else people said in the understanding corpora (reports, answers, questions, small
    # talk): none of it is a request for a summary
    others = [
        line
        for f in sorted((ROOT / "bench" / "nlu").glob("heldout*/*.yaml"))
        for line in _lines(yaml.safe_load(f.read_text()))
    ]
    taken = [line for line in others if _summary(content, session, line)]
    out["other_heldout_lines_taken"] = {"taken": len(taken), "of": len(others), "lines": taken}
    out["misses"] = misses
    return out


def _lines(doc: Any) -> list[str]:
    if isinstance(doc, str):
        return [doc] if len(doc.split()) >= 3 else []
    if isinstance(doc, dict):
        return [line for v in doc.values() for line in _lines(v)]
    if isinstance(doc, list):
        return [line for v in doc for line in _lines(v)]
    return []


def _summary(content: Any, session: Session, line: str) -> bool:
    u = session.understand(line)
    return u.command is not None and content.commands.get(u.command.value) in ("summary_week", "summary_month")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stored = storage(Path(tmp))
    understood = understanding()
    s, e = stored["save_ms"], stored["export_year"]
    print(f"save a check-in: median {s['median']} ms, p99 {s['p99']} ms, max {s['max']} ms ({s['n']} saves)")
    print(f"read 120 days of nights: {stored['read_120_days_ms']} ms")
    print(
        f"export a year ({e['nights']} nights): Markdown {e['markdown_ms']} ms, chart {e['chart_ms']} ms, "
        f"CSV {e['csv_ms']} ms"
    )
    for group in WANTED:
        g = understood[group]
        print(f"held-out {group}: {g['right']}/{g['of']} ({g['percent']}%)")
    o = understood["other_heldout_lines_taken"]
    print(f"other held-out lines (bench/nlu/heldout*/) taken as a summary request: {o['taken']} of {o['of']}")
    report.write("journal", {"storage": stored, "understanding": understood})


if __name__ == "__main__":
    main()
