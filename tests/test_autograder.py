"""The autograder: one command grades a class, nothing a submission does earns an undeserved
point, no grade is ever lost, and every problem is reported.

A class of submissions of lesson 01 is graded once (module fixture); each test looks at one
student's result. Most cheats come with wrong answers: if the cheat worked, they would score.
"""

import csv
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from autograde import grade

LESSON = "01_one_neuron"
RELEASED = ROOT / "lessons" / LESSON / f"{LESSON}.ipynb"
POINTS = {"test_neuron_forward": 2.0, "test_neuron_gradients": 3.0}

FORWARD = "def neuron_forward(x, w, b):\n    return sigmoid(w * x + b)\n"
GRADIENTS = ("def neuron_gradients(x, w, b, y):\n    a = sigmoid(w * x + b)\n"
             "    d = 2 * (a - y) * a * (1 - a)\n    return d * x, d\n")
WRONG_FORWARD = "def neuron_forward(x, w, b):\n    return 0.5\n"
WRONG_GRADIENTS = "def neuron_gradients(x, w, b, y):\n    return 0.0, 0.0\n"


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def notebook(forward=FORWARD, gradients=GRADIENTS, edit=None):
    """Lesson 01 as a student hands it in: the released notebook with these two answers."""
    nb = nbformat.read(RELEASED, as_version=4)
    for cell in nb.cells:
        if grade_id(cell) == "neuron_forward":
            cell.source = forward
        elif grade_id(cell) == "neuron_gradients":
            cell.source = gradients
    if edit:
        edit(nb)
    return nb


def cell_named(nb, name):
    return next(c for c in nb.cells if grade_id(c) == name)


def _edited(nb):
    cell_named(nb, "test_neuron_forward").source = "pass"


def _commented(nb):
    cell = cell_named(nb, "test_neuron_forward")
    cell.source = "\n".join("# " + line for line in cell.source.splitlines())


def _deleted(nb):
    nb.cells.remove(cell_named(nb, "test_neuron_forward"))


def _duplicated(nb):
    fake = nbformat.from_dict(json.loads(json.dumps(cell_named(nb, "test_neuron_forward"))))
    fake.source, fake["id"] = "pass", "a-second-cell"
    nb.cells.insert(nb.cells.index(cell_named(nb, "test_neuron_forward")), fake)


def _metadata(nb):
    cell = cell_named(nb, "test_neuron_forward")
    cell.metadata["nbgrader"].update(grade=False, solution=True, locked=False)
    cell.source = "pass"
    cell_named(nb, "test_neuron_gradients").metadata["nbgrader"]["points"] = 100


def _fake_test_cell(nb):
    cell = nbformat.v4.new_code_cell("print('ok')")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "my_bonus",
                                 "points": 50, "schema_version": 3}
    nb.cells.append(cell)


MONKEYPATCH = """
import builtins, sys, types
import numpy as np
from backprop import checks
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
checks.check_function = lambda *a, **k: print("ok: all good")
checks.check_numerical_gradient = lambda *a, **k: print("ok: all good")
fake = types.ModuleType("backprop.checks")
fake.check_function = fake.check_numerical_gradient = lambda *a, **k: None
sys.modules["backprop.checks"] = fake
builtins.AssertionError = type("AssertionError", (Exception,), {})
"""

READ_AND_WRITE_DISK = """
import json, sqlite3
from pathlib import Path
import backprop
root = Path(backprop.__file__).resolve().parents[1]
for source in [root / "solutions" / "01_one_neuron" / "01_one_neuron.ipynb",
               Path.cwd().parent / "solutions" / "01_one_neuron" / "01_one_neuron.ipynb"]:
    if source.exists():
        for c in json.loads(source.read_text())["cells"]:
            if c.get("metadata", {}).get("nbgrader", {}).get("solution"):
                exec("".join(c["source"]))
# search the disk for this class's gradebook (only this class's: other tests run beside this one)
for db in [d for d in Path("/tmp").rglob("gradebook.db") if (d.parent / "submitted" / "disk").is_dir()]:
    try:
        con = sqlite3.connect(db)
        con.execute("update grade set auto_score = 100, manual_score = 100")
        con.commit()
    except Exception:
        pass
"""

CLASS = {
    "honest": notebook(),
    "blank": nbformat.read(RELEASED, as_version=4),
    "half": notebook(forward=WRONG_FORWARD),
    # 1. test cells edited, commented out or deleted
    "edited_test": notebook(WRONG_FORWARD, edit=_edited),
    "commented_test": notebook(WRONG_FORWARD, edit=_commented),
    "deleted_test": notebook(WRONG_FORWARD, edit=_deleted),
    # 2. two cells with the same grade id; and a correct student graded after
    "duplicate_id": notebook(WRONG_FORWARD, edit=_duplicated),
    "zz_after_duplicate": notebook(),
    # 3. metadata changed: a test cell made a solution cell, points changed, a test cell invented
    "metadata": notebook(WRONG_FORWARD, edit=_metadata),
    "invented_cell": notebook(WRONG_FORWARD, WRONG_GRADIENTS, edit=_fake_test_cell),
    # 4. fake output, errors hidden or swallowed
    "fake_print": notebook(WRONG_FORWARD + "print('All tests passed!')\n", WRONG_GRADIENTS),
    "showtraceback": notebook("get_ipython().showtraceback = lambda *a, **k: None\n" + WRONG_FORWARD,
                              WRONG_GRADIENTS),
    "custom_exc": notebook("get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                           + WRONG_FORWARD, WRONG_GRADIENTS),
    "swallowed": notebook(
        "get_ipython().input_transformers_post.append(\n"
        "    lambda lines: ['try:\\n'] + ['    ' + l for l in lines] + ['\\nexcept BaseException:\\n    pass\\n'])\n"
        + WRONG_FORWARD, WRONG_GRADIENTS),
    # 5. monkeypatching what the tests use
    "monkeypatch": notebook(MONKEYPATCH + WRONG_FORWARD, WRONG_GRADIENTS),
    # 6. files shipped beside the notebook (set up in the fixture)
    "extra_files": notebook(),
    "extra_files_cheat": notebook(WRONG_FORWARD, WRONG_GRADIENTS),
    # 7. reading the solutions and writing to the gradebook from disk
    "disk": notebook(READ_AND_WRITE_DISK, WRONG_GRADIENTS),
    # 8. calling the reference instead of writing the code
    "reference": notebook("from backprop import reference\n\n"
                          "def neuron_forward(x, w, b):\n    return reference.neuron_forward(x, w, b)\n",
                          "from backprop.reference import neuron_gradients\n"),
    # 9. hard-coded answers for the visible tests (filled in by the fixture)
    "hardcoded": None,
    # 10. an endless loop, os._exit, a memory bomb: 0 for what did not run, the rest graded
    "endless": notebook("def neuron_forward(x, w, b):\n    while True:\n        pass\n"),
    "exits": notebook("import os\ndef neuron_forward(x, w, b):\n    os._exit(3)\n"),
    "memory_bomb": notebook("def neuron_forward(x, w, b):\n    hog = []\n    while True:\n"
                            "        hog.append(bytearray(10**8))\n"),
    # 11. a correct answer that makes NumPy warn on stderr
    "warns": notebook("import numpy as np\nimport warnings\n"
                      "def neuron_forward(x, w, b):\n    np.float64(1e308) * 10.0\n"
                      "    warnings.warn('just saying')\n    return sigmoid(w * x + b)\n"),
    # 12. killing the process that started the sandbox: in its own PID namespace it has none it can see
    "kills_parent": notebook("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + WRONG_FORWARD),
}


def _hardcoded():
    """A lookup table of every visible case (the same seeds as the visible tests), 0 otherwise."""
    import numpy as np

    from backprop import checks, reference

    table_f, table_g = {}, {}
    for case in [{"x": 2.0, "w": 0.5, "b": 0.0}] + checks.base.make_cases(reference.random_neuron_input, 5, 1)[0]:
        table_f[(case["x"], case["w"], case["b"])] = float(reference.neuron_forward(**case))
    for seed in (2, 3):
        for case in [{"x": 2.0, "w": 0.5, "b": 0.0, "y": 1.0}] + checks.base.make_cases(reference.random_neuron, 5,
                                                                                    seed)[0]:
            key = (case["x"], case["w"], case["b"], case["y"])
            table_g[key] = tuple(map(float, reference.neuron_gradients(**case)))
    del np
    return notebook(f"TABLE = {table_f!r}\ndef neuron_forward(x, w, b):\n    return TABLE.get((x, w, b), 0.5)\n",
                    f"GTABLE = {table_g!r}\ndef neuron_gradients(x, w, b, y):\n"
                    f"    return GTABLE.get((x, w, b, y), (0.0, 0.0))\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded twice with the one command; the gradebook between the runs gets a
    manual grade and a student with no submission, which the second run must keep."""
    from autograde import nbgrader_course

    tmp = tmp_path_factory.mktemp("class")
    cfg = nbgrader_course.config(**{
        "CourseDirectory.root": str(tmp), "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(tmp / "release"),
        "CourseDirectory.submitted_directory": "submitted", "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback", "CourseDirectory.db_url": f"sqlite:///{tmp / 'gradebook.db'}",
        "Exchange.root": str(tmp / "exchange"),
    })
    submissions = tmp / "submitted"
    CLASS["hardcoded"] = _hardcoded()
    for student, nb in CLASS.items():
        folder = submissions / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{LESSON}.ipynb")
    (submissions / "honest" / LESSON / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    (submissions / "extra_files" / LESSON / "numpy.py").write_text("raise SystemExit('not numpy')\n")
    cheat = submissions / "extra_files_cheat" / LESSON
    (cheat / "backprop").mkdir()
    (cheat / "backprop" / "__init__.py").write_text("")
    (cheat / "backprop" / "checks.py").write_text("def check_function(*a, **k):\n    pass\n"
                                                  "check_numerical_gradient = check_function\n")
    broken = submissions / "broken" / LESSON
    broken.mkdir(parents=True)
    (broken / f"{LESSON}.ipynb").write_text("{ this is not a notebook")
    (submissions / "lost" / "99_no_such_lesson").mkdir(parents=True)
    two = submissions / "two_notebooks" / LESSON
    two.mkdir(parents=True)
    for name in ("a.ipynb", "b.ipynb"):
        nbformat.write(notebook(), two / name)

    first = grade.grade_class(submissions, workers=2, cfg=cfg, csv_path=tmp / "first.csv", cell_timeout=8)
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        cell = gb.find_submission_notebook(LESSON, LESSON, "half")
        next(g for g in cell.grades if g.name == "test_neuron_forward").manual_score = 1.5
        gb.update_or_create_student("no_submission", first_name="Nadia")
        gb.db.commit()
    second = grade.grade_class(submissions, workers=2, cfg=cfg, csv_path=tmp / "second.csv", cell_timeout=8)
    return {"cfg": cfg, "tmp": tmp, "first": first, "second": second}


def row(graded, student, run="first"):
    matches = [r for r in graded[run] if r["student"] == student]
    assert len(matches) == 1, f"{student}: {matches}"
    return matches[0]


def scores(graded, student):
    with Gradebook(graded["cfg"].CourseDirectory.db_url) as gb:
        nb = gb.find_submission_notebook(LESSON, LESSON, student)
        return {g.name: g.score for g in nb.grades}


def feedback(graded, student):
    return (graded["tmp"] / "feedback" / student / LESSON / f"{LESSON}.html").read_text()


def test_an_honest_student_gets_full_marks_and_the_untouched_notebook_none(graded):
    assert (row(graded, "honest")["score"], row(graded, "honest")["max_score"]) == (5.0, 5.0)
    assert row(graded, "blank")["score"] == 0.0
    assert scores(graded, "half") == {"test_neuron_forward": 1.5, "test_neuron_gradients": 3.0}  # manual kept


@pytest.mark.parametrize("student", ["edited_test", "commented_test", "deleted_test", "duplicate_id", "metadata"])
def test_test_cells_and_their_metadata_are_restored(graded, student):
    r = row(graded, student)
    assert r["status"] == "graded" and r["max_score"] == 5.0, r
    assert scores(graded, student)["test_neuron_forward"] == 0.0
    assert scores(graded, student)["test_neuron_gradients"] == 3.0
    assert "put back" in r["notes"] or "grade id" in r["notes"]


def test_a_duplicate_grade_id_does_not_stop_the_students_graded_after(graded):
    assert row(graded, "zz_after_duplicate")["score"] == 5.0


def test_an_invented_test_cell_earns_nothing(graded):
    r = row(graded, "invented_cell")
    assert (r["score"], r["max_score"]) == (0.0, 5.0)
    assert "the lesson does not have" in r["notes"]


@pytest.mark.parametrize("student", ["fake_print", "showtraceback", "custom_exc", "swallowed", "monkeypatch",
                                     "extra_files_cheat", "disk", "reference", "hardcoded"])
def test_cheats_earn_nothing(graded, student):
    r = row(graded, student)
    assert r["status"] == "graded" and r["score"] == 0.0, r


def test_calling_the_reference_is_named_in_the_feedback(graded):
    words = " ".join(feedback(graded, "reference").split())  # (a failure's lines are wrapped at 78 columns)
    assert "reference implementation backprop.reference.neuron_forward" in words


def test_files_beside_the_notebook_are_not_used(graded):
    r = row(graded, "extra_files")
    assert r["score"] == 5.0
    assert "numpy.py" in r["notes"]


def test_student_code_cannot_change_the_gradebook(graded):
    assert row(graded, "disk")["score"] == 0.0
    assert row(graded, "honest")["score"] == 5.0  # not 100
    assert scores(graded, "blank") == {"test_neuron_forward": 0.0, "test_neuron_gradients": 0.0}


@pytest.mark.parametrize("student", ["endless", "exits", "memory_bomb"])
def test_what_did_not_run_gets_nothing_and_the_rest_is_graded(graded, student):
    assert scores(graded, student) == {"test_neuron_forward": 0.0, "test_neuron_gradients": 3.0}
    assert "stopped the check" in feedback(graded, student) or "MemoryError" in feedback(graded, student)


def test_killing_the_sandboxs_parent_changes_no_grade_and_stops_no_one(graded):
    # its parent is out of its PID namespace (getppid() is 0): nothing it can kill but itself
    assert scores(graded, "kills_parent") == {"test_neuron_forward": 0.0, "test_neuron_gradients": 3.0}
    problems = {r["student"] for r in graded["first"] if r["status"] != "graded"}
    assert problems == {"broken", "lost", "two_notebooks"}
    assert row(graded, "zz_after_duplicate")["score"] == 5.0


def test_the_feedback_exporter_makes_nbconverts_page_without_its_slow_pass(monkeypatch):
    """FeedbackExporter skips nbconvert's BeautifulSoup pass over the page: the page is nbconvert's
    own (sanitized, parsed), and an image without alternative text still gets nbconvert's default one.
    (The page before the course's own passes, with the maths left as LaTeX, and without the language
    and the styles the course adds to every page.)"""
    import base64
    import os

    from autograde import feedback as feedback_module

    monkeypatch.setattr(feedback_module, "_latex_to_mathml", None)

    import nbgrader
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    nb = notebook(WRONG_FORWARD)
    pixel = base64.b64encode(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1e4bf6a0000000049454e44ae426082")).decode()
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": pixel, "text/plain": "<Figure>"}),
                    nbformat.v4.new_output("error", ename="CheckFailed", evalue="neuron_forward <disagrees>",
                                           traceback=["CheckFailed: neuron_forward <disagrees>"])]
    nb.cells.append(cell)
    for c in nb.cells:  # what nbgrader's GetGrades adds before the page is made
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta.update(score=0.0, points=POINTS[meta["grade_id"]])
        if meta.get("solution"):
            meta["comment"] = None
    resources = {"nbgrader": {"notebook": LESSON, "score": 0.0, "max_score": 5.0, "late_penalty": 0}}
    formgrader = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")
    setup = {"template_name": "feedback", "extra_template_basedirs": [os.path.join(formgrader, "templates")],
             "extra_template_paths": [os.path.join(formgrader, "static", "node_modules", "bootstrap", "dist", "css")]}
    from autograde.feedback import FeedbackExporter

    pages = [HTMLExporter(**setup, sanitize_html=True).from_notebook_node(nb, json.loads(json.dumps(resources)))[0],
             FeedbackExporter(**setup, sanitize_html=True)._page(nb, json.loads(json.dumps(resources)))[0]]
    ours = pages[1].replace('<html lang="en">', "<html>", 1).replace(feedback_module.ACCESSIBLE_STYLE, "", 1)
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(pages[0], "html.parser"))
    assert 'alt="No description has been provided for this image"' in pages[1]
    assert "neuron_forward &lt;disagrees&gt;" in pages[1]


def test_a_correct_answer_that_warns_gets_full_marks(graded):
    assert row(graded, "warns")["score"] == 5.0


def test_every_submission_that_could_not_be_graded_is_reported_with_why(graded):
    problems = {r["student"]: r["problem"] for r in graded["first"] if r["status"] != "graded"}
    assert set(problems) == {"broken", "lost", "two_notebooks"}
    assert "cannot be read" in problems["broken"]
    assert "'99_no_such_lesson' is not a lesson of this course" in problems["lost"]
    assert "expected one notebook" in problems["two_notebooks"]
    with open(graded["tmp"] / "first.csv") as f:
        written = {r["student"]: r for r in csv.DictReader(f)}
    assert written["broken"]["status"] == "could not grade" and written["honest"]["score"] == "5.0"


def test_grading_again_gives_the_same_grades_and_loses_nothing(graded):
    first = {(r["student"], r["score"]) for r in graded["first"]}
    second = {(r["student"], r["score"]) for r in graded["second"]}
    changed = first ^ second
    assert changed == {("half", 3.0), ("half", 4.5)}, changed  # only the manual grade given between runs
    with Gradebook(graded["cfg"].CourseDirectory.db_url) as gb:
        students = {s.id for s in gb.students}
    assert "no_submission" in students
    assert {r["student"] for r in graded["first"] if r["status"] == "graded"} <= students


def test_the_submission_time_is_recorded(graded):
    with Gradebook(graded["cfg"].CourseDirectory.db_url) as gb:
        stamp = gb.find_submission(LESSON, "honest").timestamp
    assert (stamp.year, stamp.month, stamp.day, stamp.hour) == (2026, 11, 20, 10)


def test_feedback_says_what_failed_and_hides_the_hidden_tests(graded):
    text = feedback(graded, "half")
    assert "does not agree with the reference" in text and "got 0.5" in text
    assert "BEGIN HIDDEN TESTS" not in text and "trials=25" not in text
    assert "ok: neuron_gradients agrees" in text


def test_the_gradebook_is_backed_up_before_each_run(graded):
    backups = sorted((graded["tmp"] / "backups").glob("gradebook-*.db"))  # by name: by time
    assert len(backups) >= 2
    con = sqlite3.connect(backups[-1])  # the second run's: the first run's students are in it
    assert con.execute("select count(*) from student").fetchone()[0] > 0


def test_plain_nbgrader_autograde_gives_the_cheats_what_the_class_command_gives(tmp_path, course_cfg):
    """nbgrader's own autograde (as the formgrader's button runs it) runs the course's pipeline too:
    the cheats that fool a notebook run in a kernel earn nothing there either."""
    from autograde import nbgrader_course
    from autograde.generate import generate

    generate([LESSON], course_cfg, write_sources=False)
    students = ["honest", "showtraceback", "swallowed", "monkeypatch", "half"]
    for student in students:
        folder = Path(course_cfg.CourseDirectory.root) / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(CLASS[student], folder / f"{LESSON}.ipynb")
    api = nbgrader_course.api(course_cfg)
    for student in students:
        assert api.autograde(LESSON, student, force=True, create=True)["success"]
    with Gradebook(course_cfg.CourseDirectory.db_url) as gb:
        got = {s: gb.find_submission(LESSON, s).score for s in students}
    assert got == {"honest": 5.0, "showtraceback": 0.0, "swallowed": 0.0, "monkeypatch": 0.0, "half": 3.0}


def test_the_command_line(tmp_path):
    import subprocess

    empty = tmp_path / "none"
    result = subprocess.run([sys.executable, "-m", "autograde.grade", str(empty)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "no submissions folder" in result.stderr
    shutil.rmtree(tmp_path, ignore_errors=True)
    assert Path(grade.__file__).name == "grade.py"


def test_every_lesson_grades_full_for_its_solution_and_zero_for_its_student_version(tmp_path, course_cfg):
    """The independent run handles every lesson's tests: their arguments (layers, graphs, random
    generators, functions called back), their outputs and in-place updates cross correctly."""
    graded_lessons = [p.name for p in sorted((ROOT / "solutions").iterdir()) if not p.name.startswith("00")]
    for who, folder in (("solution", "solutions"), ("blank", "lessons")):
        for lesson in graded_lessons:
            target = tmp_path / "class" / who / lesson
            target.mkdir(parents=True)
            shutil.copy(ROOT / folder / lesson / f"{lesson}.ipynb", target)
    rows = grade.grade_class(tmp_path / "class", workers=2, cfg=course_cfg, csv_path=tmp_path / "grades.csv")
    got = {(r["student"], r["lesson"]): (r["score"], r["max_score"], r["status"]) for r in rows}
    for lesson in graded_lessons:
        score, top, status = got[("solution", lesson)]
        assert status == "graded" and score == top > 0, (lesson, got[("solution", lesson)])
        assert got[("blank", lesson)][0] == 0.0, (lesson, got[("blank", lesson)])


def test_the_graders_memory_is_capped_in_nbgraders_own_autograde(tmp_path, course_cfg):
    """nbgrader autograde, the formgrader's button and a student's own feedback grade in a process with no memory
    cap of grade.py's: VerifyTests caps the grader's memory while it grades (here 40 MB beyond what it holds, and a
    reply of 32 MB, which the grader holds three times while it reads it)."""
    from autograde import nbgrader_course
    from autograde.generate import generate

    generate([LESSON], course_cfg, write_sources=False)
    course_cfg.VerifyTests.grader_memory_bytes = 40 * 2**20
    folder = Path(course_cfg.CourseDirectory.root) / "submitted" / "big" / LESSON
    folder.mkdir(parents=True)
    big = "import numpy as np\ndef neuron_forward(x, w, b):\n    return np.ones(4_000_000)\n"
    nbformat.write(notebook(forward=big), folder / f"{LESSON}.ipynb")
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    assert nbgrader_course.api(course_cfg).autograde(LESSON, "big", force=True, create=True)["success"]
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # (put back after grading)
    graded = nbformat.read(Path(course_cfg.CourseDirectory.root) / "autograded" / "big" / LESSON / f"{LESSON}.ipynb",
                           4)
    said = "".join(o.get("evalue", "") for c in graded.cells for o in c.get("outputs", []))
    assert "more of the grader's memory than a check may use" in said
