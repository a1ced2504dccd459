"""The doctor's copy of the journal: a Markdown report with a chart, or every check-in as CSV.

Pure but for writing the chart's PNG: nights and wording in, text out.  What the report names (fact
labels, triggers, outcome words, the checklist) comes from the content, passed in as ``Wording``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .history import Roles, counted_nights, nights_with_twitching, twitched
from .store import Night


@dataclass(frozen=True)
class Wording:
    labels: Mapping[str, str]  # fact -> label
    triggers: Sequence[str]  # trigger facts, in the order to list them
    levels: Mapping[str, str]  # outcome level -> words
    checklist: Sequence[tuple[str, Callable[[Mapping[str, Any]], bool]]]  # item, whether a night's facts show it
    checklist_source: str
    roles: Roles
    frequency_scale: Sequence[str] = ()  # frequency words, least to most, for the chart


def as_csv(nights: Sequence[Night], facts: Sequence[str]) -> str:
    """Every check-in, a row each: when, the outcome, then each fact said on any night (in ``facts`` order)."""
    used = [f for f in facts if any(f in n.facts for n in nights)]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["date", "time", "level", "relaxed", *used, "reasons"])
    for n in nights:
        row = [n.at.date().isoformat(), n.at.strftime("%H:%M"), n.level or "", "yes" if n.relaxed else "no"]
        row += [_cell(n.facts.get(f, "")) for f in used]
        w.writerow([*row, " | ".join(n.reasons)])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return "not sure"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def markdown(nights: Sequence[Night], since: date, until: date, wording: Wording, chart: str | None) -> str:
    """The report for the doctor over ``since``..``until``: what a clinician asks first, in order."""
    days = (until - since).days + 1
    r = wording.roles
    twitching, checked = nights_with_twitching(nights, until, days, r)
    # a check-in stopped before its assessment still holds what was said, but a doctor should know it
    finished = {n.day for n in nights if n.level}
    stopped = len({n.day for n in nights} - finished)
    early = f" ({counted_nights(stopped)} stopped before the end)" if stopped else ""
    lines = [
        "# Facial twitching journal",
        "",
        f"Period: {since.isoformat()} to {until.isoformat()} ({days} days). "
        f"Check-ins on {checked} nights{early}; twitching on {twitching}.",
        "",
    ]
    if chart:
        lines += [f"![Nights with twitching, sleep and caffeine]({chart})", ""]
    lines += ["## Where and how often, week by week", "", "| Week from | Nights with twitching | Where | How often |",
              "|---|---|---|---|"]  # fmt: skip
    for start in _weeks(since, until):
        week = [n for n in nights if start <= n.day < start + timedelta(days=7)]
        if not week:
            continue
        places = _counted(_place(n, r) for n in week if _place(n, r))
        often = _counted(str(n.facts[r.frequency]) for n in week if isinstance(n.facts.get(r.frequency), str))
        count = len({n.day for n in week if twitched(n, r)})
        nights_in = f"{count} of {len({n.day for n in week})}"
        lines.append(f"| {start.isoformat()} | {nights_in} | {places or '-'} | {often or '-'} |")
    lines += ["", "## Triggers named", ""]
    named = Counter(t for n in nights for t in wording.triggers if n.facts.get(t) is True)
    lines += [f"- {_label(wording, t)}: {counted_nights(named[t])}" for t in wording.triggers if named[t]] or ["- none"]
    lines += ["", "## Sleep and caffeine", ""]
    for fact, unit in ((r.sleep, "hours a night"), (r.cups, "cups a day")):
        values = [float(n.facts[fact]) for n in nights if isinstance(n.facts.get(fact), (int, float))]
        if values:
            spread = f"from {min(values):g} to {max(values):g}, " if min(values) != max(values) else ""
            lines.append(
                f"- {_label(wording, fact)}: average {sum(values) / len(values):.1f} {unit} "
                f"({spread}said on {counted_nights(len(values))})"
            )
        else:
            lines.append(f"- {_label(wording, fact)}: not said")
    lengths = [float(n.facts[r.duration]) for n in nights if isinstance(n.facts.get(r.duration), (int, float))]
    longest = max(lengths, default=None)
    if longest is not None:
        lines.append(f"- Longest it had lasted by a check-in: {longest:.0f} days")
    lines += ["", "## Outcomes", ""]
    levels = Counter(n.level for n in nights if n.level)
    lines += [f"- {wording.levels.get(lv, lv)}: {counted_nights(levels[lv])}" for lv in wording.levels if levels[lv]]
    last = next((n for n in reversed(nights) if n.level), None)
    if last is not None:
        lines.append(f"- Last check-in ({last.day.isoformat()}): {wording.levels.get(last.level or '', last.level)}")
        lines += [f"  - {r}" for r in last.reasons]
    lines += ["", "## When to see a doctor: the checklist", ""]
    for item, applies in wording.checklist:
        when = [n.day.isoformat() for n in nights if applies(n.facts)]
        mark = "x" if when else " "
        seen = f" (seen on {counted_nights(len(when))}, first {when[0]})" if when else ""
        lines.append(f"- [{mark}] {item}{seen}")
    lines += ["", f"Checklist from {wording.checklist_source}.", "",
              "Kept by twitchcheck from the user's own nightly check-ins. This is not a diagnosis.", ""]  # fmt: skip
    return "\n".join(lines)


def _label(wording: Wording, fact: str) -> str:
    label = wording.labels.get(fact, fact)
    return label[:1].upper() + label[1:]


def _place(n: Night, roles: Roles) -> str:
    area = n.facts.get(roles.area)
    if not isinstance(area, str):
        return ""
    side = n.facts.get(roles.side)
    return f"{side} {area}" if isinstance(side, str) else area


def _counted(items: Any) -> str:
    c = Counter(items)
    return ", ".join(f"{k} ({v})" if v > 1 else k for k, v in c.most_common())


def _weeks(since: date, until: date) -> list[date]:
    out, start = [], since
    while start <= until:
        out.append(start)
        start += timedelta(days=7)
    return out


def draw_chart(nights: Sequence[Night], since: date, until: date, path: Path, wording: Wording) -> None:
    """Twitching nights with how often it came, sleep hours and cups of coffee, day by day."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart is a file
    import matplotlib.pyplot as plt

    days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    by_day: dict[date, list[Night]] = {}
    for n in nights:
        by_day.setdefault(n.day, []).append(n)
    scale = list(wording.frequency_scale)
    r = wording.roles

    def level(d: date) -> float:
        twitch = [n for n in by_day.get(d, []) if twitched(n, r)]
        if not twitch:
            return 0.0
        said = [scale.index(f) + 1 for n in twitch if (f := n.facts.get(r.frequency)) in scale]
        return float(max(said)) if said else 0.5

    def value(d: date, fact: str) -> float:
        said = [float(v) for n in by_day.get(d, []) if isinstance(v := n.facts.get(fact), (int, float))]
        return said[-1] if said else float("nan")

    fig, axes = plt.subplots(3, 1, figsize=(9, 6.5), sharex=True)
    checked = [d for d in days if d in by_day]
    axes[0].bar(days, [level(d) for d in days], color="#c0504d", width=0.8)
    axes[0].scatter(checked, [-0.15] * len(checked), marker="|", color="#555555", label="checked in")
    axes[0].set_yticks([0, 0.5, *range(1, len(scale) + 1)], ["none", "(not said)", *scale])
    axes[0].set_title("Twitching by night (bar height: how often it came, as said)")
    axes[0].legend(loc="upper left", fontsize=8)
    axes[1].plot(days, [value(d, r.sleep) for d in days], marker="o", color="#4f81bd")
    axes[1].set_ylabel("sleep (h)")
    axes[1].axhspan(7, 8, color="#4f81bd", alpha=0.12)
    axes[2].plot(days, [value(d, r.cups) for d in days], marker="s", color="#9b7b3b")
    for ax, fact in ((axes[1], r.sleep), (axes[2], r.cups)):
        if all(value(d, fact) != value(d, fact) for d in days):  # NaN: never said
            ax.text(0.5, 0.5, "not said", transform=ax.transAxes, ha="center", color="#777777")
    axes[2].set_ylabel("cups a day")
    axes[2].axhspan(0, 2, color="#9b7b3b", alpha=0.12)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
