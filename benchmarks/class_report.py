"""7. The class report: python -m autograde.report on a synthetic causes book of N students x every lesson.

The book is written as grading writes it (autograde.causes.CausesBook.record), one submission at a time: every
graded lesson's test cells (from its student version), each exercise of each student drawn at random as right,
blank (course.not-written), a mistake of the lesson's catalogue (its id and words), or a failure no catalogue
entry explains. Then the command runs as an instructor runs it, in a fresh Python, and its wall and CPU time
are measured (median of a few runs), against the target (100 students x 10 lessons in at most 10 s) and the
previous figure in results.json, if there is one.

    synthetic_book(path, students, lessons, seed)   write the book; the counts planted {(lesson, exercise): ...}
    run(entry, students, repeats, previous)         the section: fill `entry` with the timings
    TARGET_SECONDS                                   the target: 100 students x 10 lessons in at most this
"""

import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.measure import ROOT, summary

__all__ = ["synthetic_book", "run", "TARGET_SECONDS"]

TARGET_SECONDS = 10.0
SCRATCH = ROOT / "benchmarks" / ".scratch" / "report"


def _lesson_tests(lesson):
    """[(exercise, [(test, points)])] of a lesson, in its order, from its student version."""
    import nbformat

    nb = nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)
    exercises, current = [], None
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            current = (meta["grade_id"], [])
            exercises.append(current)
        elif meta.get("grade") and current is not None:
            current[1].append((meta["grade_id"], float(meta.get("points", 0))))
    return exercises


def synthetic_book(path, students, lessons, seed=0, mix=(0.5, 0.15, 0.25, 0.1)):
    """A causes book of `students` students x `lessons`, each exercise right, blank, a catalogue mistake or an
    unnamed failure (weights `mix`); returns {(lesson, exercise): Counter of what was planted} ("full", "blank",
    "unnamed", or a cause id)."""
    from autograde.causes import UNNAMED, CausesBook, Result
    from backprop.checks.base import NOT_WRITTEN
    from backprop.mistakes import catalogue

    path = Path(path)
    path.unlink(missing_ok=True)
    book = CausesBook(path)
    mistakes = catalogue()
    planted = {}
    rng = random.Random(seed)
    for lesson in lessons:
        prefix = f"l{lesson[:2]}."
        pool = [m for ident, m in mistakes.items() if ident.startswith(prefix)] or [NOT_WRITTEN]
        tests = _lesson_tests(lesson)
        for k in range(students):
            student, rows = f"student{k:03d}", []
            for exercise, cells in tests:
                kind = rng.choices(["full", "blank", "mistake", "unnamed"], weights=mix)[0]
                mistake = rng.choice(pool) if kind == "mistake" else None
                planted.setdefault((lesson, exercise), Counter())[mistake.id if mistake else kind] += 1
                for test, points in cells:
                    if kind == "full":
                        rows.append(Result(student, lesson, test, exercise, points, points, True))
                    elif kind == "blank":
                        rows.append(Result(student, lesson, test, exercise, 0.0, points, False,
                                           f"{exercise} does not agree with the reference on 5 of 5 cases.",
                                           [(NOT_WRITTEN.id, NOT_WRITTEN.says)]))
                    elif kind == "mistake":
                        rows.append(Result(student, lesson, test, exercise, 0.0, points, False,
                                           f"{exercise} does not agree with the reference on 5 of 5 cases.",
                                           [(mistake.id, mistake.says)]))
                    else:
                        headline = f"{exercise} does not agree with the reference on {rng.randint(1, 5)} of 5 cases."
                        rows.append(Result(student, lesson, test, exercise, 0.0, points, False, headline,
                                           [(UNNAMED, headline)]))
            book.record(student, lesson, rows, "benchmark")
    return planted


def _graded_lessons():
    return [p.name for p in sorted((ROOT / "lessons").iterdir())
            if (p / f"{p.name}.ipynb").is_file() and _lesson_tests(p.name)]


def run(entry, students=100, repeats=3, previous=None):
    """Build the book, run the command `repeats` times (each in a fresh Python, as an instructor would), and
    record the median wall and CPU seconds, the target met or not, and the change from `previous` (the last
    results.json's entry for this section, if any)."""
    import os
    import resource
    import shutil
    import tempfile

    lessons = _graded_lessons()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    book = SCRATCH / "causes.db"
    started = time.perf_counter()
    # (written where a commit costs no disk sync, if the machine has such a place: a commit per submission, as
    # grading does it, is most of the time otherwise; the report reads the copy)
    memory = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=memory) as scratch:
        planted = synthetic_book(Path(scratch) / "causes.db", students, lessons)
        shutil.copy(Path(scratch) / "causes.db", book)
    entry["book_seconds"] = round(time.perf_counter() - started, 2)
    with sqlite3.connect(book) as db:
        (cells,) = db.execute("SELECT count(*) FROM results").fetchone()
    entry.update(students=students, lessons=len(lessons), results=cells, book_bytes=book.stat().st_size,
                 answers=sum(sum(c.values()) for c in planted.values()))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "")
                                                                       .split(os.pathsep) if p])}
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "autograde.report", "--book", str(book), "--out",
                               str(SCRATCH / "pages")], cwd=ROOT, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            raise RuntimeError(f"python -m autograde.report failed: {done.stderr[-1500:]}")
    entry["wall"], entry["cpu"] = summary(walls), summary(cpus)
    entry["pages"] = len(list((SCRATCH / "pages").glob("*.html")))
    entry["page_bytes"] = sum(p.stat().st_size for p in (SCRATCH / "pages").rglob("*.html"))
    entry["target_seconds"] = TARGET_SECONDS
    entry["met"] = entry["wall"]["median"] <= TARGET_SECONDS
    if previous and isinstance(previous.get("wall"), dict):
        before = previous["wall"]["median"]
        entry["previous"] = {"wall": before, "date": previous.get("date", ""),
                             "change": round(entry["wall"]["median"] - before, 2)}
    entry["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return entry


if __name__ == "__main__":
    import json

    result = run({}, students=int(sys.argv[1]) if len(sys.argv) > 1 else 100, repeats=1)
    print(json.dumps(result, indent=1))
