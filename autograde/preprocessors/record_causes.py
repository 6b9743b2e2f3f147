"""RecordCauses: what each test cell of a graded notebook found, into the causes book (autograde.causes).

After nbgrader's SaveAutoGrades: for every test cell, its points as the gradebook now has them,
whether it passed, and the likely causes its failing check named (the catalogue's ids and words),
or "unnamed" with the failure's headline. The book is a SQLite file beside the gradebook, never
nbgrader's own tables.
"""

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograde.causes import CausesBook, Result, book_path

__all__ = ["RecordCauses"]


class RecordCauses(NbGraderPreprocessor):
    """Record every test cell's result and named causes in the causes book."""

    route = Unicode("nbgrader", help="How this grading was started, as the book records it.").tag(config=True)
    book = Unicode("", help="The causes book (default: causes.db beside the gradebook).").tag(config=True)

    def preprocess(self, nb, resources):
        nbgrader = resources["nbgrader"]
        verdicts = nbgrader.get("verdicts")
        if verdicts is None:  # (the notebook was not graded by VerifyTests: nothing to record)
            return nb, resources
        student, lesson, notebook = nbgrader["student"], nbgrader["assignment"], nbgrader["notebook"]
        rows, exercise = [], ""
        with Gradebook(nbgrader["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if meta.get("solution"):
                    exercise = meta.get("grade_id", exercise)
                verdict = verdicts.get(meta.get("grade_id")) if meta.get("grade") else None
                if verdict is None:
                    continue
                grade = gb.find_grade(meta["grade_id"], notebook, lesson, student)
                rows.append(Result(student, lesson, meta["grade_id"], exercise or meta["grade_id"],
                                   grade.score, grade.max_score, verdict.passed, verdict.headline,
                                   list(verdict.causes)))
        CausesBook(self.book or book_path(nbgrader["db_url"])).record(student, lesson, rows, self.route)
        return nb, resources
