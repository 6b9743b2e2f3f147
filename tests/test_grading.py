"""The nbgrader pipeline: full marks for the solutions, zero for blanks, and feedback that helps."""

import shutil

import nbformat
import pytest
from conftest import ROOT, lesson_ids
from lesson_tools import edited_solution, graded_errors
from nbgrader.api import Gradebook

LESSONS = [
    lesson for lesson in lesson_ids()
    if "### BEGIN SOLUTION" in (ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text()
]


def submit(cfg, student, lesson, notebook):
    folder = cfg.CourseDirectory.root + f"/submitted/{student}/{lesson}"
    shutil.os.makedirs(folder, exist_ok=True)
    nbformat.write(notebook, f"{folder}/{lesson}.ipynb")


def autograde(cfg, lesson, students):
    from autograde import nbgrader_course
    from autograde.generate import generate

    generate([lesson], cfg)
    grader = nbgrader_course.api(cfg)
    for student in students:
        result = grader.autograde(lesson, student, force=True, create=True)
        assert result["success"], result["log"]
    scores = {}
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        for student in students:
            nb = gb.find_submission_notebook(lesson, lesson, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in nb.grades}
    return scores


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("lesson", LESSONS)
def test_solutions_get_full_marks_and_the_untouched_student_version_zero(lesson, course_cfg):
    submit(course_cfg, "ada", lesson, read(ROOT / "solutions" / lesson / f"{lesson}.ipynb"))
    submit(course_cfg, "blank", lesson, read(ROOT / "lessons" / lesson / f"{lesson}.ipynb"))
    scores = autograde(course_cfg, lesson, ["ada", "blank"])
    graded = {name: s for name, s in scores["ada"].items() if s[1] > 0}
    assert graded and all(score == top for score, top in graded.values()), scores["ada"]
    assert all(score == 0 for score, _ in scores["blank"].values()), scores["blank"]


def test_a_wrong_answer_loses_that_exercise_and_the_feedback_names_the_mistake(course_cfg):
    lesson = "01_one_neuron"
    nb = edited_solution(lesson, {"neuron_gradients": [("dL_dz = 2 * (a - y)", "dL_dz = (a - y)")]})
    assert any("(a - y) * a" in cell.source for cell in nb.cells)
    submit(course_cfg, "bob", lesson, nb)
    scores = autograde(course_cfg, lesson, ["bob"])["bob"]
    assert scores["test_neuron_forward"] == (2.0, 2.0)
    assert scores["test_neuron_gradients"] == (0.0, 3.0)
    message = graded_errors(course_cfg, "bob", lesson)["test_neuron_gradients"]
    assert "Likely cause: the factor 2 from differentiating (a - y)**2 is missing" in message
    assert "dL_dw: expected -0.211508, got -0.105754 (exactly half the expected value)" in message
    wrapped = graded_errors(course_cfg, "bob", lesson, flat=False)["test_neuron_gradients"]
    assert max(len(line) for line in wrapped.splitlines()) <= 78  # (Validate and narrow views cut longer lines)


def test_a_student_submits_and_gets_feedback_from_any_terminal(tmp_path):
    """`python -m backprop.course submit LESSON` works from a terminal outside the course's JupyterLab
    (no student configuration on JUPYTER_CONFIG_PATH), and feedback before any submission says how to
    submit, in one line, without a traceback. The commands are called as path/to/venv/bin/python with
    nothing of the environment on PATH, and so is the instructor's class command. Everything happens in
    a copy of the course."""
    import os
    import subprocess
    import sys

    from browser import copy_repository

    lesson = "01_one_neuron"
    repo = copy_repository(ROOT, tmp_path / "course")
    env = {key: value for key, value in os.environ.items() if key != "JUPYTER_CONFIG_PATH"}
    env.update(PYTHONPATH=str(repo), BACKPROP_EXCHANGE=str(tmp_path / "exchange"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               PATH="/usr/bin:/bin")  # (no alembic, jupyter or nbgrader on it)

    def course(*args):
        return subprocess.run([sys.executable, "-m", "backprop.course", *args], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=300)

    early = course("feedback", lesson)
    assert early.returncode == 1 and "Traceback" not in early.stderr, early.stderr
    assert early.stderr.strip().endswith(f"from a terminal with `python -m backprop.course submit {lesson}`.")
    assert "Assignments tab (Nbgrader → Assignment List)" in early.stderr
    shutil.copy(ROOT / "solutions" / lesson / f"{lesson}.ipynb", repo / "lessons" / lesson / f"{lesson}.ipynb")
    submitted = course("submit", lesson)
    assert submitted.returncode == 0, submitted.stderr
    assert f"Submitted {lesson}" in submitted.stdout
    assert list((tmp_path / "exchange" / "backprop" / "inbound").glob(f"*+{lesson}+*"))
    graded = course("feedback", lesson)
    assert graded.returncode == 0, graded.stderr
    assert f"{lesson}: 5 / 5 points" in graded.stdout
    wrong = course("submit", "01_one_neurons")
    assert wrong.returncode == 1 and "lesson must be one of" in wrong.stderr and "Traceback" not in wrong.stderr
    submitted = repo / "autograde" / "submitted" / "ada" / lesson
    submitted.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / lesson / f"{lesson}.ipynb", submitted)
    graded = subprocess.run([sys.executable, "-m", "autograde.grade", "--lessons", lesson], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=300)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "ada,01_one_neuron,5.0" in (repo / "autograde" / "grades.csv").read_text().replace(" ", "")


def test_validate_shows_the_whole_likely_cause_not_cut_at_its_line_width(tmp_path):
    """nbgrader's Validate cuts every line of a failure at 87 characters; a failure's lines are wrapped
    to fit, so the fix at the end of a long likely cause reaches the student."""
    import io

    from nbgrader.validator import Validator

    lesson = "01_one_neuron"
    nb = edited_solution(lesson, {"neuron_gradients": [("dL_dz = 2 * (a - y)", "dL_dz = 2 * (y - a)")]})
    path = tmp_path / f"{lesson}.ipynb"
    nbformat.write(nb, path)
    validator = Validator()
    validator.stream = out = io.StringIO()
    validator.validate_and_print(str(path))
    shown = out.getvalue().partition("The error was:")[2]  # (Validate also shows the cell's code, cut short)
    assert "Likely cause: the sign is flipped" in shown
    assert not [line for line in shown.splitlines() if line.endswith("...")], shown
    words = " ".join(shown.split())
    assert "dL/da = 2(a - y), not 2(y - a) (or da/dz = a(1 - a) was written a(a - 1))." in words, shown


def test_a_grading_worker_reuses_one_engine_per_gradebook_and_still_reads_it_afresh(tmp_path):
    """nbgrader makes a new SQLAlchemy engine at every opening of the gradebook (about eight a submission);
    a worker of the class command reuses one per database. Openings still see the file as it is now: one
    written by another process, or removed and made again, between two of them."""
    import subprocess
    import sys

    script = f"""
import sqlite3
from pathlib import Path
from nbgrader.api import Gradebook
from autograde import nbgrader_course

nbgrader_course.reuse_gradebook_engines()
nbgrader_course.reuse_gradebook_engines()  # (twice: still one layer)
url = "sqlite:///{tmp_path}/gradebook.db"
with Gradebook(url) as gb:
    gb.add_student("ada")
    first = gb.engine
with Gradebook(url) as gb:
    assert gb.engine is first, "a second opening made a new engine"
    assert [s.id for s in gb.students] == ["ada"]
db = sqlite3.connect("{tmp_path}/gradebook.db")  # another process's write
db.execute("INSERT INTO student (id) VALUES ('bob')")
db.commit()
db.close()
with Gradebook(url) as gb:
    assert sorted(s.id for s in gb.students) == ["ada", "bob"], [s.id for s in gb.students]
Path("{tmp_path}/gradebook.db").unlink()
with Gradebook(url) as gb:
    assert gb.students == [], "a gradebook made again was read as the old one"
    gb.add_student("cy")
with Gradebook(url) as gb:
    assert [s.id for s in gb.students] == ["cy"]
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "ok", result.stderr[-3000:]
