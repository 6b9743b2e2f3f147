"""What the lesson tests share: a solution notebook run once per test session, what it printed,
its cells by grade id, its test cells run against other answers, and its "Try it" quiz."""

import functools
import io
import re
from contextlib import redirect_stdout

import nbformat
from conftest import ROOT
from nbclient import NotebookClient


def solution(lesson):
    """The path of a lesson's solution notebook, e.g. solution("02_chain_rule")."""
    return ROOT / "solutions" / lesson / f"{lesson}.ipynb"


@functools.cache
def executed(lesson):
    """The lesson's solution notebook run top to bottom in a fresh kernel, once per test session
    (every test reads the same copy: do not change it)."""
    path = solution(lesson)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def printed(nb):
    """Everything the cells printed. A cell's output may arrive in several pieces, split anywhere
    (even inside a line, between the arguments of one print): within a cell they are joined as
    they came."""
    return "\n".join("".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
                     for c in nb.cells if c.cell_type == "code")


def results(nb):
    """The text/plain of every result and display (what a cell's last expression showed)."""
    return [o.data.get("text/plain", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type in ("execute_result", "display_data")]


def cells_by_id(nb):
    """Each nbgrader cell's source, by its grade id."""
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}


def cell_source(lesson, grade_id):
    return cells_by_id(nbformat.read(solution(lesson), as_version=4))[grade_id]


def failure_in(lesson, grade_id, **answers):
    """Run one test cell of the lesson (hidden tests included) with these answers in its namespace:
    its failure message, or None if it passes."""
    try:
        with redirect_stdout(io.StringIO()):
            exec(cell_source(lesson, grade_id), dict(answers))  # noqa: S102
    except AssertionError as failure:
        return str(failure)
    return None


def quiz_from(lesson):
    """The lesson's "Try it" quiz, built from its (folded) quiz cell; the cell's other names too,
    as a namespace: quiz_from(...)["quiz"]."""
    from backprop.quiz import MultipleChoice, Numeric, Order, Quiz

    nb = nbformat.read(solution(lesson), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and re.search(r"^Quiz\(\[", c.source, re.M))
    assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, "the quiz's code should be folded"
    namespace = {"Quiz": Quiz, "MultipleChoice": MultipleChoice, "Numeric": Numeric, "Order": Order}
    exec(re.sub(r"^Quiz\(\[", "quiz = Quiz([", cell.source, count=1, flags=re.M), namespace)  # noqa: S102
    return namespace


def answer(question, value):
    """Type or pick an answer and press Check: (right?, the feedback shown)."""
    question.answer_widget.value = value
    question.check()
    return question.correct, question.feedback.value


def assert_every_answer_gets_feedback(quiz):
    """Every option of a multiple choice says why (one option is right); a numeric question takes
    its answer and explains each anticipated wrong one; an order question takes its steps in order."""
    from backprop.quiz import MultipleChoice, Numeric

    for q in quiz.questions:
        if isinstance(q, MultipleChoice):
            right = 0
            for option, text in q.options.items():
                correct, feedback = answer(q, option)
                right += correct is True
                assert correct is (option == q.answer) and text in feedback, (q.prompt.value, option)
            assert right == 1, q.prompt.value
        elif isinstance(q, Numeric):
            assert answer(q, repr(q.answer))[0] is True, q.prompt.value
            for wrong, text in q.wrong.items():
                correct, feedback = answer(q, str(wrong))
                assert correct is False and text in feedback, (q.prompt.value, wrong)
        else:
            assert answer(q, list(q.steps))[0] is True, q.prompt.value


def run_exercise(lesson, solution_id, test_id, edits=()):
    """Run the lesson's setup cell, one solution cell (with `edits`, pairs of old and new text) and
    its test cell, hidden tests included, as a student's kernel would."""
    nb = nbformat.read(solution(lesson), as_version=4)
    cells = cells_by_id(nb)
    source = cells[solution_id]
    for old, new in edits:
        assert old in source, f"{old!r} is not in the solution of {solution_id}"
        source = source.replace(old, new)
    namespace = {}
    exec(next(c.source for c in nb.cells if c.cell_type == "code"), namespace)  # noqa: S102
    exec(source, namespace)  # noqa: S102
    exec(cells[test_id], namespace)  # noqa: S102


def solution_namespace(lesson, also=()):
    """The solution's graded functions and classes, defined as a student's kernel would define them
    (with NumPy as np), plus the cells whose grade ids are in `also`."""
    import numpy as np

    namespace = {"np": np}
    for cell in nbformat.read(solution(lesson), as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") or meta.get("grade_id") in also:
            exec(cell.source, namespace)  # noqa: S102
    return namespace


def solution_and_tests(lesson, grade_id):
    """The source of a solution cell and of its test cell test_<grade_id> (hidden tests included)."""
    cells = cells_by_id(nbformat.read(solution(lesson), as_version=4))
    return cells[grade_id], cells[f"test_{grade_id}"]


def edited_solution(lesson, edits):
    """The lesson's solution notebook with solution cells edited, as a student's submission:
    edits maps a grade id to its (old, new) replacements, each old text being in the cell."""
    nb = nbformat.read(solution(lesson), as_version=4)
    for cell in nb.cells:
        for old, new in edits.get(cell.metadata.get("nbgrader", {}).get("grade_id"), ()):
            assert old in cell.source, f"{old!r} is not in the solution cell"
            cell.source = cell.source.replace(old, new)
    return nb


def graded_errors(course_cfg, student, lesson, flat=True):
    """What the test cells of a student's autograded notebook reported: {grade id: the traceback of
    its error, as text}, for the cells that failed. flat: its words joined by single spaces (a
    failure's lines are wrapped to fit narrow views, so a phrase may span two lines)."""
    path = f"{course_cfg.CourseDirectory.root}/autograded/{student}/{lesson}/{lesson}.ipynb"
    errors = {}
    for cell in nbformat.read(path, as_version=4).cells:
        error = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
        if error is not None:
            text = "\n".join(error.traceback)
            errors[cell.metadata.get("nbgrader", {}).get("grade_id")] = " ".join(text.split()) if flat else text
    return errors


def mistake_versions(reference):
    """(says, buggy version) for every version of every mistake known for a reference, for parametrize."""
    from backprop import mistakes

    return [(mistake.says, version) for mistake in mistakes.known_for(reference) for version in mistake.versions]


def known_mistakes(monkeypatch, reference, pairs):
    """Make [(says, buggy), ...] the only mistakes known for `reference`, for one test."""
    from backprop.mistakes import base

    key = getattr(reference, "__func__", reference)
    monkeypatch.setitem(base._BY_REFERENCE, key, [base.Mistake(f"test.m{k}", says, (buggy,), "test")
                                                  for k, (says, buggy) in enumerate(pairs)])
    monkeypatch.setitem(base._INCLUDES, key, [])


def forbidden_names_seen(source, **answers):
    """The course code a test cell's checks forbid, as the grader learns it: the cell run with these
    answers under a Grading session that records what each check says it compares with."""
    from backprop import checks
    from backprop.forbidden import forbidden_names

    class Recorder(checks.Grading):
        seen = set()

        def comparing(self, reference, forbid):
            self.seen.update(forbidden_names(reference, forbid))

    recorder = Recorder()
    with checks.grading(recorder), redirect_stdout(io.StringIO()):
        try:
            exec(source, dict(answers))  # noqa: S102
        except AssertionError:
            pass
    return recorder.seen
