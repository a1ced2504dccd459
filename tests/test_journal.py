"""The nightly journal with real SQLite: what it keeps and how safely, what earlier nights do to
tonight's check-in, the spoken summary, and the doctor's export."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from content import Content, ContentError, default_directory, load_content
from dialog import Session
from journal import Journal, JournalError, Night
from journal.export import as_csv, draw_chart, markdown
from voice.journal_cli import wording

ROOT = Path(__file__).resolve().parents[1]
START = date(2026, 11, 1)

# what a user says to each question on an ordinary night
ANSWERS = {
    "stroke_signs": "no", "spread": "no", "red_flags": "no", "improving": "yes, it does", "pattern": "yes",
    "other_symptoms": "no", "history": "no", "triggers": "yes, I'm short of sleep", "triggers_which": "short sleep",
    "sleep_amount": "about six hours", "caffeine_amount": "two cups", "duration": "a few days", "same_place": "yes",
}  # fmt: skip


def a_night(content: Content, journal: Journal, day: date, opening: str) -> Session:
    """One check-in on ``day``, with the journal's earlier nights, saved at its end."""
    session = Session.create(content, today=lambda: day)
    session.past = tuple(journal.nights(until=day))
    session.keeps_journal = True
    session.start()
    session.handle(opening)
    for _ in range(20):
        if session.assessment is not None:
            break
        session.handle(ANSWERS.get(session.current, "no"))
    journal.save(session.night(datetime.combine(day, datetime.min.time()).replace(hour=22)))
    return session


# -- history into the rules --------------------------------------------------------------------


def test_four_weeks_of_nights_saying_a_few_days_reach_a_doctor_s_visit(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    levels = []
    for i in range(28):
        s = a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
        assert s.assessment is not None
        levels.append(s.assessment.level)
    assert levels[0] == "self_care"
    assert levels[-1] == "routine" and "long_lasting" in s.assessment.rule_ids
    assert "over four weeks" in (s.assessment.spoken or "")
    assert "duration" not in s.asked  # known from the journal, not asked again


def test_a_new_place_after_earlier_nights_counts_as_spreading(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    for i in range(3):
        a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
    s = a_night(content, journal, START + timedelta(days=3), "my left cheek is twitching tonight")
    assert s.assessment is not None and s.assessment.level == "urgent"
    assert "spread_journal" in s.assessment.rule_ids


def test_a_place_not_said_tonight_is_asked_as_still_the_same_and_carried(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    a_night(content, journal, START, "my left eyelid has been twitching for a few days")
    s = a_night(content, journal, START + timedelta(days=1), "it's twitching again tonight")
    assert "same_place" in s.asked
    assert (s.facts["area"], s.facts["side"]) == ("eyelid", "left")
    assert "spread_journal" not in s.assessment.rule_ids  # type: ignore[union-attr]
    said = a_night(content, journal, START + timedelta(days=2), "my left eyelid is twitching again")
    assert "same_place" not in said.asked  # said tonight: not asked


def test_twitching_nearly_every_night_of_a_week_counts_as_daily(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    levels = []
    for i in range(7):
        s = a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
        levels.append(s.assessment.level)  # type: ignore[union-attr]
    assert levels[:5] == ["self_care"] * 5
    assert levels[-1] == "routine" and "frequent_journal" in s.assessment.rule_ids  # type: ignore[union-attr]


def test_the_same_place_and_no_history_do_not(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    first = a_night(content, journal, START, "my left cheek is twitching")
    again = a_night(content, journal, START + timedelta(days=1), "my left cheek is twitching")
    for s in (first, again):
        assert s.assessment is not None and "spread_journal" not in s.assessment.rule_ids
    assert "journal_new_area" not in first.facts


def test_a_second_check_in_the_same_night_is_not_compared_as_an_earlier_night(content: Content, tmp_path: Path) -> None:
    # a new-user trial: right eyelid, then minutes later the left cheek, was "a new place compared with
    # earlier nights"; a place said twice tonight is for the spreading question, not the journal's rule
    journal = Journal(tmp_path / "j.sqlite3")
    a_night(content, journal, START, "my right eyelid has been twitching for three days")
    second = a_night(content, journal, START, "my left cheek has been twitching all evening")
    assert second.facts.get("journal_new_area") is not True
    assert second.assessment is not None and "spread_journal" not in second.assessment.rule_ids
    later = a_night(content, journal, START + timedelta(days=1), "my left jaw has been twitching")
    assert later.facts.get("journal_new_area") is True


def test_a_check_in_assessed_before_start_over_is_kept_beside_the_new_one(content: Content, tmp_path: Path) -> None:
    # a new-user trial: a finished check-in (four weeks, daily) was lost when "start over" began another
    from voice.nights import Nights

    session = Session.create(content, today=lambda: START)
    session.start()
    session.handle("my left eyelid has been twitching every day for four weeks")
    for _ in range(20):
        if session.assessment is not None:
            break
        session.handle(ANSWERS.get(session.current, "no"))
    first = session.assessment
    assert first is not None
    session.handle("start over")
    session.handle("my right cheek twitches")
    nights = Nights(Journal(tmp_path / "j.sqlite3"), lambda: datetime.combine(START, datetime.min.time()))
    assert nights.save(session) == ""
    kept = Journal(tmp_path / "j.sqlite3").nights()
    assert [n.level for n in kept] == [first.level, None]
    assert kept[0].facts["duration_days"] == 28 and kept[1].facts.get("area") == "cheek"


def test_a_summary_of_the_week_by_voice_or_chat(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    for i in range(7):
        a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
    session = Session.create(content, today=lambda: START + timedelta(days=7))
    session.past = tuple(journal.nights())
    session.keeps_journal = True
    session.start()
    events = session.handle("how have I been this week?")
    said = " ".join(line for e in events for line in e.spoken())
    assert "twitching on 6 of 6 nights" in said  # the last 7 days: nights 2 to 7
    assert "Most often named: short sleep" in " ".join(e.text for e in events)
    assert len(events[0].spoken()[0].split()) <= 25
    assert not session.facts  # a question about the journal reports nothing
    month = " ".join(e.text for e in session.handle("and the last month?"))
    assert "checked in on 7 nights, with twitching on 7" in month


def test_without_a_journal_a_summary_says_it_is_off(content: Content) -> None:
    session = Session.create(content)
    session.start()
    assert "journal is off" in session.handle("how have I been this week")[0].text


# -- the store ---------------------------------------------------------------------------------


def test_saved_nights_come_back_with_their_facts_and_the_file_is_the_owner_s(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "twitchcheck"
    journal = Journal(folder / "j.sqlite3")
    at = datetime(2026, 12, 1, 22, 30)
    journal.save(Night(at, {"area": "eyelid", "duration_days": 3.0, "stroke_screen": False, "spread": None},
                       "self_care", ("because",), relaxed=True))  # fmt: skip
    assert journal.nights() == [
        Night(at, {"area": "eyelid", "duration_days": 3.0, "stroke_screen": False, "spread": None},
              "self_care", ("because",), True)
    ]  # fmt: skip
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "j.sqlite3").stat().st_mode) == 0o600
    db = sqlite3.connect(folder / "j.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_file_that_is_not_a_journal_is_moved_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"my shopping list\n" * 100)
    journal = Journal(path)
    assert journal.notices and "moved to" in journal.notices[0] and "not a twitchcheck journal" in journal.notices[0]
    aside = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b"my shopping list\n" * 100
    journal.save(Night(datetime(2026, 12, 1, 22), {}))
    assert len(journal.nights()) == 1


def test_another_program_s_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE users (name TEXT)")
    other.execute("INSERT INTO users VALUES ('ann')")
    other.commit()
    other.close()
    journal = Journal(path)
    assert "something else" in journal.notices[0]
    aside = next(p for p in tmp_path.iterdir() if p.name.startswith("j.sqlite3.unreadable-") and "-wal" not in p.name)
    assert sqlite3.connect(aside).execute("SELECT name FROM users").fetchall() == [("ann",)]


def test_a_damaged_journal_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal(path)
    for i in range(200):
        journal.save(Night(datetime(2026, 1, 1, 22) + timedelta(days=i), {"area": "eyelid" * 50}))
    journal.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page scribbled over
    path.write_bytes(bytes(data))
    fresh = Journal(path)
    assert fresh.notices and "moved to" in fresh.notices[0]
    assert fresh.nights() == []


def test_a_journal_where_nothing_can_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="folder cannot be made"):
        Journal(blocker / "j.sqlite3")


def read_only(folder: Path, on: bool) -> None:
    """A folder nothing can be written in, even by root (who ignores permission bits): immutable."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root, and chattr is not installed to make a folder read-only")
        subprocess.run(["chattr", "+i" if on else "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500 if on else 0o700)


def test_a_read_only_folder_is_a_clear_error_and_an_existing_journal_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    existing = tmp_path / "ro-existing"
    existing.mkdir()
    before = Journal(existing / "j.sqlite3")
    before.save(Night(datetime(2026, 12, 1, 22), {"area": "eyelid"}))
    before.close()
    for f in (folder, existing):
        read_only(f, True)
    try:
        with pytest.raises(JournalError, match="cannot be opened|could not be set up|could not be saved"):
            Journal(folder / "j.sqlite3")
        with pytest.raises(JournalError):
            j = Journal(existing / "j.sqlite3")
            j.save(Night(datetime(2026, 12, 2, 22), {}))
    finally:
        for f in (folder, existing):
            read_only(f, False)
    assert [n.facts for n in Journal(existing / "j.sqlite3").nights()] == [{"area": "eyelid"}]


def test_a_full_disk_is_a_clear_error_and_loses_nothing_saved(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    journal._db.execute("PRAGMA max_page_count = 8")  # SQLite's own "database or disk is full"
    saved = 0
    with pytest.raises(JournalError, match="disk is full.*free some space"):
        for i in range(1000):
            journal.save(Night(datetime(2026, 1, 1, 22) + timedelta(days=i), {"notes": "x" * 500}))
            saved += 1
    assert 0 < saved < 1000 and len(journal.nights()) == saved
    assert journal._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_check_in_goes_on_when_the_journal_cannot_be_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "voice.cli", "chat", "--journal", str(blocker / "j.sqlite3")],
        input="my left eyelid has been twitching for a week\nno\n", capture_output=True, text=True, timeout=120,
        cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("will not be saved") == 1 and "Traceback" not in proc.stderr
    assert "safety check" in proc.stdout


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    from journal import Journal, Night
    journal = Journal(sys.argv[1])
    start = int(sys.argv[2])
    for i in range(start, start + 100000):
        journal.save(Night(datetime(2020, 1, 1) + timedelta(hours=i), {"n": i, "area": "eyelid"}, "self_care"))
        print(i, flush=True)
    """
)


def test_a_process_killed_while_saving_loses_no_saved_night(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    committed: set[int] = set()
    rng = random.Random(5)
    start = 0
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # running and saving
        assert first.strip().isdigit(), first
        committed.add(int(first))
        time.sleep(rng.uniform(0.01, 0.2))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        committed |= {int(line) for line in out.split()}
        start = max(committed) + 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = {n.facts["n"] for n in Journal(path).nights()}
    assert committed <= kept  # every save that returned is there (one more may have been cut before its print)
    assert len(kept - committed) <= 12


def test_two_sessions_saving_at_once_keep_every_night(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path).close()
    code = WRITER.replace("range(start, start + 100000)", "range(start, start + 60)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(k * 1000)], stdout=subprocess.PIPE,
                              cwd=ROOT) for k in range(2)]  # fmt: skip
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    assert len(Journal(path).nights()) == 120
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- the doctor's export -----------------------------------------------------------------------


def test_the_report_holds_the_checklist_and_its_chart(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    for i in range(30):
        a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
    nights = journal.nights()
    words = wording(content)
    until = nights[-1].day
    chart = tmp_path / "report.png"
    draw_chart(nights, START, until, chart, words)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    report = markdown(nights, START, until, words, chart.name)
    assert "Check-ins on 30 nights; twitching on 30" in report
    assert "![Nights with twitching, sleep and caffeine](report.png)" in report
    assert "- [x] Twitching lasts longer than four weeks" in report
    assert "- [ ] Occurs alongside headaches, hearing loss, or dizziness" in report
    assert "Short sleep: 30 nights" in report and "average 6.0 hours a night" in report
    assert "article § Checklist: When to See a Doctor for Facial Twitching" in report
    rows = as_csv(nights, list(content.ruleset.facts)).splitlines()
    assert len(rows) == 31 and rows[0].startswith("date,time,level,relaxed,") and "eyelid" in rows[1]


def test_the_journal_command_shows_exports_and_deletes_with_confirmation(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal(path)
    for i in range(8):
        a_night(content, journal, START + timedelta(days=i), "my left eyelid has been twitching for a few days")
    journal.close()

    def twitchcheck(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "voice.cli", "journal", "--journal", str(path), *args],
                              input=stdin, capture_output=True, text=True, timeout=120, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip

    shown = twitchcheck("show")
    assert shown.returncode == 0 and "8 check-ins." in shown.stdout and "left eyelid" in shown.stdout
    md = twitchcheck("export", "--format", "md", "--out", str(tmp_path / "out" / "r.md"))
    assert md.returncode == 0, md.stderr
    assert (tmp_path / "out" / "r.png").exists() and "# Facial twitching journal" in (
        tmp_path / "out" / "r.md"
    ).read_text()
    csv = twitchcheck("export", "--format", "csv", "--since", "2026-11-05")
    assert csv.returncode == 0 and len(csv.stdout.splitlines()) == 5
    (tmp_path / "old.csv").write_text("an earlier export, readable by all")
    (tmp_path / "old.csv").chmod(0o644)
    assert twitchcheck("export", "--format", "csv", "--out", str(tmp_path / "old.csv")).returncode == 0
    for written in ("out/r.md", "out/r.png", "old.csv"):  # health data: its owner's alone
        assert (tmp_path / written).stat().st_mode & 0o077 == 0, written
    kept = twitchcheck("delete", stdin="no\n")
    assert "Kept." in kept.stdout and path.exists()
    gone = twitchcheck("delete", stdin="yes\n")
    assert "Deleted" in gone.stdout and not path.exists()
    assert "No journal yet" in twitchcheck("show").stdout


def test_journal_content_is_validated_at_load(tmp_path: Path) -> None:
    target = tmp_path / "content"
    shutil.copytree(default_directory(), target, ignore=shutil.ignore_patterns("__pycache__"))
    path = target / "journal.yaml"
    path.write_text(path.read_text().replace("measure: new_area", "measure: new_place"))
    with pytest.raises(ContentError, match=r"journal.yaml: facts.journal_new_area.measure: expected one of"):
        load_content(target)


def test_the_report_says_how_many_check_ins_stopped_before_the_end(content: Content, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    a_night(content, journal, START, "my left eyelid has been twitching for a few days")
    session = Session.create(content, today=lambda: START + timedelta(days=1))
    session.start()
    session.handle("my left eyelid has been twitching for a few days")
    session.handle("stop")  # stopped at the first question: saved, with no outcome
    journal.save(session.night(datetime.combine(START + timedelta(days=1), datetime.min.time()).replace(hour=22)))
    nights = journal.nights()
    assert [n.level is None for n in nights] == [False, True]
    report = markdown(nights, START, START + timedelta(days=1), wording(content), None)
    assert "Check-ins on 2 nights (1 night stopped before the end); twitching on 2" in report
