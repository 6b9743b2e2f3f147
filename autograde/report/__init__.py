"""What the class got wrong: the instructor's misconception report (python -m autograde.report).

Every grading route records, for every graded test cell, whether it passed and the likely causes its check
named (autograde/causes.db, autograde.causes). This reads that book and writes, into one folder:

    index.html            the whole course: a lesson-by-exercise heat map of the class's scores, a row per
                          lesson, the course's most common mistakes
    NN_slug.html          a page per lesson: per exercise, the share of the class with full marks, the likely
                          causes ranked by how many students hit them (the catalogue's words, and a link to
                          where the lesson teaches each), the failures no catalogue entry explains, the blanks,
                          and a bar chart
    text/NN_slug.html     the lesson's student text with an anchor per heading, where those links lead

Each page is one file that opens offline: no script, nothing fetched, figures embedded with alt text.
No student is named unless asked (names=True, --names), so the pages can be shown in a lecture.

    build_report(book, out, lessons=None, names=False, gradebook=None, lessons_dir=None)   write the pages
    main(argv)            the command; bad arguments are refused with what was given and what is expected
    ReportError           what build_report raises for a book, a lesson or a folder it cannot use
    DEFAULT_BOOK, DEFAULT_OUT, LESSONS   where the course keeps the book, the report, the student lessons

Modules: model (the results summed up), lesson_text (the lessons' text and anchors), figures (the charts),
pages (the HTML).
"""

import sqlite3
from pathlib import Path

AUTOGRADE = Path(__file__).resolve().parent.parent   # (as autograde.nbgrader_course has it, without importing
ROOT = AUTOGRADE.parent                               # traitlets: the command starts faster)

__all__ = ["build_report", "main", "ReportError", "DEFAULT_BOOK", "DEFAULT_OUT", "LESSONS"]

DEFAULT_BOOK = AUTOGRADE / "causes.db"      # beside the gradebook, as autograde/nbgrader_config.py places it
DEFAULT_OUT = AUTOGRADE / "class-report"
LESSONS = ROOT / "lessons"


class ReportError(Exception):
    """A book, a lesson or a folder the report cannot use; the message names it, what it is and what is expected."""


def _read_only(path):
    """An SQLite URI that opens `path` read-only (whatever characters its name holds)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def _check_book(book):
    book = Path(book)
    if not book.is_file():
        raise ReportError(f"--book: got {str(book)!r}, which does not exist; expected the causes book that grading "
                          f"writes (python -m autograde.grade writes {DEFAULT_BOOK})")
    try:
        with sqlite3.connect(_read_only(book), uri=True) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise ReportError(f"--book: got {str(book)!r}, which is not an SQLite file ({exc}); expected the causes book "
                          f"that grading writes") from None
    if not {"results", "causes"} <= tables:
        raise ReportError(f"--book: got {str(book)!r}, an SQLite file without the tables 'results' and 'causes'; "
                          f"expected the causes book that grading writes (is it the gradebook?)")
    return book


def _roster(gradebook):
    """{student id: "First Last"} from nbgrader's gradebook, or None when there is none to read."""
    if gradebook is None or not Path(gradebook).is_file():
        return None
    try:
        with sqlite3.connect(_read_only(gradebook), uri=True) as db:
            rows = db.execute("SELECT id, first_name, last_name FROM student").fetchall()
    except sqlite3.DatabaseError:
        return None
    return {s: " ".join(part for part in (first, last) if part) for s, first, last in rows}


def build_report(book, out, lessons=None, names=False, gradebook=None, lessons_dir=None):
    """Write the course page, a page per lesson and the lessons' text pages into `out`; return their paths
    (the course page first). lessons: the lessons to report (default: every lesson in the book); names: name
    the students; gradebook: nbgrader's gradebook, for the roster and the students' names (default: the one
    beside the book, if any); lessons_dir: the student versions of the lessons (default: the course's lessons/)."""
    from autograde.causes import CausesBook
    from autograde.report import figures, pages
    from autograde.report.lesson_text import LessonText
    from autograde.report.model import LessonSummary, summarize
    from backprop.mistakes import catalogue

    book = _check_book(book)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out: got {str(out)!r}, which is a file; expected a folder to write the pages into")
    lessons_dir = Path(lessons_dir or LESSONS)
    results = CausesBook(book).results(set(lessons) if lessons else None)
    wanted = list(lessons) if lessons else sorted({r.lesson for r in results})
    texts = {}
    for lesson in wanted:
        notebook = lessons_dir / lesson / f"{lesson}.ipynb"
        texts[lesson] = LessonText.load(notebook) if notebook.is_file() else None
    sections = {ident: mistake.section for ident, mistake in catalogue().items() if mistake.section}
    summaries = {s.lesson: s for s in summarize(results, {k: t.order for k, t in texts.items() if t}, sections)}
    summaries = [summaries.get(lesson) or LessonSummary(lesson, []) for lesson in wanted]
    stamps = sorted(r.graded_at for r in results if r.graded_at)
    roster = _roster(gradebook if gradebook is not None else book.with_name("gradebook.db"))
    exercises = [exercise for summary in summaries for exercise in summary.exercises]
    charts = dict(zip([(e.lesson, e.exercise) for e in exercises], figures.exercise_charts(exercises)))
    context = pages.Context(texts, names=names, roster=roster,
                            graded=(stamps[0], stamps[-1]) if stamps else ("", ""),
                            students=sorted({r.student for r in results} | set(roster or ())), charts=charts)
    (out / "text").mkdir(parents=True, exist_ok=True)
    written = [out / "index.html"]
    written[0].write_text(pages.course_page(summaries, context), encoding="utf-8")
    for summary in summaries:
        path = out / f"{summary.lesson}.html"
        path.write_text(pages.lesson_page(summary, context), encoding="utf-8")
        written.append(path)
        text = texts.get(summary.lesson)
        if text is not None:
            page = out / "text" / f"{summary.lesson}.html"
            page.write_text(text.html(f"Lesson {summary.lesson}, the student version", pages.CSS), encoding="utf-8")
            written.append(page)
    return written


def main(argv=None):
    from autograde.report.__main__ import main as command

    return command(argv)
