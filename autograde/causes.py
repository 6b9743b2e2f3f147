"""The causes book: for every graded test cell, whether it passed and the likely causes it named.

nbgrader's gradebook keeps scores; what the checks found out about a wrong answer (the mistake of
the course's catalogue it matches: "l06.softmax-unstable", "the softmax is not shifted") is kept
here, in a SQLite file of its own beside the gradebook (causes.db), never in nbgrader's tables.
Every grading route writes it (autograde.preprocessors.RecordCauses); the report on what the class
got wrong reads it (python -m autograde.report).

    CausesBook(path)               open (and make) a book
      .record(student, lesson, rows, route)  replace a submission's rows: [Result]
      .results(lessons=None)       every Result, with its causes
    Result                         one test cell of one submission
    book_path(db_url)              the book beside a gradebook
    UNNAMED                        the cause id of a failure no catalogue entry explains
"""

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["CausesBook", "Result", "book_path", "UNNAMED"]

UNNAMED = "unnamed"

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    student TEXT NOT NULL, lesson TEXT NOT NULL, test TEXT NOT NULL, exercise TEXT NOT NULL,
    points REAL NOT NULL, max_points REAL NOT NULL, passed INTEGER NOT NULL, failure TEXT NOT NULL,
    graded_at TEXT NOT NULL, route TEXT NOT NULL,
    PRIMARY KEY (student, lesson, test));
CREATE TABLE IF NOT EXISTS causes (
    student TEXT NOT NULL, lesson TEXT NOT NULL, test TEXT NOT NULL, cause_id TEXT NOT NULL, says TEXT NOT NULL,
    PRIMARY KEY (student, lesson, test, cause_id));
"""


@dataclass
class Result:
    """One test cell of one submission. causes: [(id, says)]; a failure with none has [(UNNAMED, headline)]."""

    student: str
    lesson: str
    test: str
    exercise: str
    points: float
    max_points: float
    passed: bool
    failure: str = ""
    causes: list = field(default_factory=list)
    graded_at: str = ""
    route: str = ""


def book_path(db_url):
    """The causes book beside the gradebook of `db_url` (sqlite:///.../gradebook.db)."""
    return Path(db_url.replace("sqlite:///", "", 1)).with_name("causes.db")


class CausesBook:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self):
        return sqlite3.connect(self.path, timeout=60)

    def record(self, student, lesson, rows, route):
        """Replace what the book holds about one submission with `rows` (Results)."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute("DELETE FROM results WHERE student = ? AND lesson = ?", (student, lesson))
            db.execute("DELETE FROM causes WHERE student = ? AND lesson = ?", (student, lesson))
            for r in rows:
                db.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (student, lesson, r.test, r.exercise, float(r.points), float(r.max_points),
                            int(bool(r.passed)), r.failure[:500], stamp, route))
                causes = r.causes or ([] if r.passed else [(UNNAMED, r.failure[:300])])
                for cause_id, says in dict(causes).items():
                    db.execute("INSERT INTO causes VALUES (?, ?, ?, ?, ?)", (student, lesson, r.test, cause_id, says))

    def results(self, lessons=None):
        """Every Result in the book (of these lessons), with its causes, sorted."""
        with self._connect() as db:
            rows = db.execute("SELECT student, lesson, test, exercise, points, max_points, passed, failure, "
                              "graded_at, route FROM results ORDER BY lesson, student, test").fetchall()
            causes = {}
            for student, lesson, test, cause_id, says in db.execute(
                    "SELECT student, lesson, test, cause_id, says FROM causes ORDER BY cause_id"):
                causes.setdefault((student, lesson, test), []).append((cause_id, says))
        return [Result(s, lesson, t, e, p, m, bool(ok), f, causes.get((s, lesson, t), []), g, route)
                for s, lesson, t, e, p, m, ok, f, g, route in rows if lessons is None or lesson in lessons]
