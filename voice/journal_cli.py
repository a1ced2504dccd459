"""`twitchcheck journal`: show the nights kept, export them for a doctor, delete them."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from content import Content, ContentError, load_content
from journal import Journal, JournalError, Night, default_path
from journal.export import Wording, as_csv, draw_chart, markdown
from journal.history import Roles
from rules import UNKNOWN

from .nights import journal_path

EXPORT_DAYS = 90  # an export without --since covers this many days back from the last check-in


def add_journal_command(sub: Any) -> None:
    p = sub.add_parser("journal", help="show, export or delete the nightly journal")
    p.add_argument("--journal", metavar="FILE", type=Path, help=f"the journal file (default {default_path()})")
    p.add_argument("--content", metavar="DIR", help="use the content files in DIR instead of the built-in ones")
    # "journal show --journal FILE" as well as "journal --journal FILE show": unset after the action, the
    # value given before it stands
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("--journal", metavar="FILE", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    after.add_argument("--content", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    acts = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    show = acts.add_parser("show", help="list the check-ins", parents=[after])
    show.add_argument("--since", type=date.fromisoformat, metavar="DATE", help="from this day (YYYY-MM-DD)")
    export = acts.add_parser(
        "export", help="a report for your doctor (Markdown with a chart) or every check-in (CSV)", parents=[after]
    )
    export.add_argument("--format", choices=["md", "csv"], default="md")
    export.add_argument("--since", type=date.fromisoformat, metavar="DATE", help="from this day (YYYY-MM-DD)")
    export.add_argument(
        "--out", metavar="FILE", type=Path, help="write here (md default: twitchcheck-report-DATE.md here; csv: print)"
    )
    delete = acts.add_parser("delete", help="delete the journal file (asks first)", parents=[after])
    delete.add_argument("--yes", action="store_true", help="do not ask")
    acts.add_parser("where", help="print where the journal is kept", parents=[after])


def journal_command(args: argparse.Namespace) -> int:
    path = journal_path(args)
    if args.journal_command == "where":
        print(path)
        return 0
    if not path.exists():
        print(f"No journal yet at {path}: it starts with your first check-in.")
        return 0 if args.journal_command != "export" else 1
    if args.journal_command == "delete":
        return _delete(path, args.yes)
    try:
        journal = Journal(path)
        for notice in journal.notices:
            print(f"[{notice}]", file=sys.stderr)
        nights = journal.nights(since=getattr(args, "since", None))
        journal.close()
    except JournalError as exc:
        print(f"twitchcheck: {exc}", file=sys.stderr)
        return 1
    try:
        content = load_content(args.content)
        words = wording(content)
    except ContentError as exc:
        print(f"twitchcheck: the content could not be loaded: {exc}", file=sys.stderr)
        return 1
    if args.journal_command == "show":
        return _show(nights, words.roles)
    return _export(nights, args, content, words)


def _show(nights: list[Night], roles: Roles) -> int:
    if not nights:
        print("No check-ins in that period.")
        return 0
    print(f"{'date':<11}{'time':<7}{'where':<22}{'how long':<10}{'how often':<12}{'outcome':<11}relaxed")
    for n in nights:
        f = n.facts
        where = " ".join(str(f[k]) for k in (roles.side, roles.area) if isinstance(f.get(k), str)) or "-"
        days = f.get(roles.duration)
        long = f"{float(days):.0f} days" if isinstance(days, (int, float)) and not isinstance(days, bool) else "-"
        often = f.get(roles.frequency) if isinstance(f.get(roles.frequency), str) else "-"
        print(
            f"{n.day.isoformat():<11}{n.at.strftime('%H:%M'):<7}{where:<22}{long:<10}{often:<12}"
            f"{n.level or '-':<11}{'yes' if n.relaxed else 'no'}"
        )
    print(f"{len(nights)} check-ins.")
    return 0


def wording(content: Content) -> Wording:
    jc = content.journal
    if jc is None:
        raise ContentError("journal.yaml", "(document)", "the journal's wording and checklist", "missing")
    labels = {name: spec.label for name, spec in content.ruleset.facts.items()}

    def applies(condition: Any) -> Any:
        return lambda facts: condition.evaluate({k: UNKNOWN if v is None else v for k, v in facts.items()}) is True

    checklist = [(item.text, applies(item.when)) for item in jc.checklist]
    return Wording(labels, jc.triggers, jc.levels, checklist, jc.checklist_source, jc.roles, jc.frequency_scale)


def _export(nights: list[Night], args: argparse.Namespace, content: Content, words: Wording) -> int:
    if args.format == "csv":
        text = as_csv(nights, list(content.ruleset.facts))
        if args.out is None:
            sys.stdout.write(text)
            return 0
        return _write(args.out, text)
    if not nights:
        print("No check-ins in that period: nothing to report.", file=sys.stderr)
        return 1
    until = nights[-1].day
    since = args.since or max(nights[0].day, until - timedelta(days=EXPORT_DAYS - 1))
    nights = [n for n in nights if n.day >= since]
    out = args.out or Path(f"twitchcheck-report-{until.isoformat()}.md")
    chart = out.with_suffix(".png")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        draw_chart(nights, since, until, chart, words)
        os.chmod(chart, PRIVATE)
    except OSError as exc:
        print(f"twitchcheck: {chart}: the chart could not be written ({exc.strerror or exc})", file=sys.stderr)
        return 1
    code = _write(out, markdown(nights, since, until, words, chart.name))
    if code == 0:
        print(f"Written {out} and its chart {chart}.")
    return code


PRIVATE = 0o600  # health data: an export is readable by its owner only, like the journal


def _write(path: Path, text: str) -> int:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), PRIVATE)  # an earlier export, made before, may have been readable by all
            f.write(text)
    except OSError as exc:
        print(f"twitchcheck: {path}: could not be written ({exc.strerror or exc})", file=sys.stderr)
        return 1
    return 0


def _delete(path: Path, sure: bool) -> int:
    try:
        journal = Journal(path)
        count = len(journal.nights())
    except JournalError as exc:
        print(f"twitchcheck: {exc}", file=sys.stderr)
        return 1
    if not sure:
        print(f"Delete the journal at {path}, with {count} check-ins? This cannot be undone.")
        print("Type yes to delete it: ", end="", flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("yes", "y"):
            journal.close()
            print("Kept.")
            return 0
    journal.delete()
    print(f"Deleted {path}.")
    return 0
