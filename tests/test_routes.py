"""One engine, every route: the proof that a grade does not depend on who presses the button.

The wrong and right answers of the corpus (tests/corpus, written as students would, in-place and
aliasing bugs among them) are graded by the class command (`python -m autograde.grade`, nbgrader's
autograde in workers): every right answer, every in-place or aliasing bug and a fixed quarter of
the other wrong answers (all of them with BACKPROP_ROUTES=all, which takes about twice as long). Each
is also run as the student's own kernel runs it (verify.in_kernel: the student's code and the test
cells, hidden tests included, in one process, the course's whole package in reach), and the two
must agree on every test cell: passed or failed, and the same words. Then a sample (a third of the
answers that change or alias an array, and a right answer of every lesson; all with
BACKPROP_ROUTES=all) is graded again by nbgrader's own autograde (what `nbgrader autograde` and the
formgrader's button run: tests/test_jupyterhub.py presses the button itself) and by the route of a
student's own feedback (its own books, graded as the student), with the same points and words.

Every mistake of the catalogue that stands in for an answer the test cells check by name (the
first version of a fixed fifth of them; every version of all 569 with BACKPROP_ROUTES=all) runs
through the grading engine too (with the whole package in its sandbox, for the mistakes are the
course's code), and must fail where the notebook fails it, with the same words.
"""

import os
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook
from routes import Outcome, catalogue_submissions, corpus_submissions, notebook, outcomes_of, words_of

from autograde import isolation, nbgrader_course, verify
from autograde.grade import grade_class
from backprop.checks.base import failure_lines

pytestmark = pytest.mark.slow

ALL_ROUTES = os.environ.get("BACKPROP_ROUTES") == "all"
IN_PLACE_WORDS = ("in place", "in-place", "alias", "copy", "copies", "view", "buffer", "pop", "the cache",
                  "the caller's")


def course_config(root):
    return nbgrader_course.config(**{
        "CourseDirectory.root": str(root),
        "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(root / "lessons"),
        "CourseDirectory.submitted_directory": "submitted",
        "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback",
        "CourseDirectory.db_url": f"sqlite:///{root / 'gradebook.db'}",
        "Exchange.root": str(root / "exchange"),
    })


def seed_of(submission):
    return verify.grading_seed(verify.course_secret(nbgrader_course.AUTOGRADE), submission.student,
                               submission.lesson)


def in_kernel(submission, verdicts=None):
    """{test id: Outcome} as the student's own kernel says it (points: 1 for a pass, 0 for a failure)."""
    verdicts = verdicts or verify.in_kernel(notebook(submission, hidden=True), seed_of(submission))
    return {grade_id: Outcome(float(v.passed), 1.0, v.passed,
                              "" if v.passed else words_of(failure_lines(v.kind or "TestFailed", v.failure)))
            for grade_id, v in verdicts.items()}


def write_submissions(root, submissions):
    for s in submissions:
        folder = root / "submitted" / s.student / s.lesson
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook(s), folder / f"{s.lesson}.ipynb")


def read_outcomes(cfg, submissions):
    root = Path(cfg.CourseDirectory.root)
    found = {}
    with Gradebook(cfg.CourseDirectory.db_url) as gb:
        for s in submissions:
            try:
                graded = gb.find_submission_notebook(s.lesson, s.lesson, s.student)
            except Exception:  # noqa: BLE001  (not graded at all: no outcome)
                found[s] = None
                continue
            grades = {g.name: (g.score, g.max_score) for g in graded.grades if g.max_score}
            nb = nbformat.read(root / "autograded" / s.student / s.lesson / f"{s.lesson}.ipynb", as_version=4)
            found[s] = outcomes_of(nb, grades)
    return found


def level():
    return "users" if os.geteuid() == 0 else isolation.engine("namespaces").level


def in_place(submission):
    return any(word in submission.bug.lower() for word in IN_PLACE_WORDS)


def one_in(submission, n):
    """A fixed share (one in n) of submissions, the same on every run."""
    return int(submission.student[1:], 16) % n == 0


@pytest.fixture(scope="module")
def corpus():
    """Every right answer and every in-place or aliasing bug, and a quarter of the other wrong answers
    (all of them with BACKPROP_ROUTES=all: about twice as long)."""
    found = corpus_submissions()
    return found if ALL_ROUTES else [s for s in found if s.right or in_place(s) or one_in(s, 4)]


@pytest.fixture(scope="module")
def kernel(corpus):
    return {s: in_kernel(s) for s in corpus}


@pytest.fixture(scope="module")
def class_command(tmp_path_factory, corpus):
    root = tmp_path_factory.mktemp("class")
    write_submissions(root, corpus)
    cfg = course_config(root)
    rows = grade_class(str(root / "submitted"), workers=2, csv_path=str(root / "grades.csv"), cfg=cfg,
                       isolation_level=level())
    assert rows is not None
    return read_outcomes(cfg, corpus)


def sample(corpus):
    """What the routes graded one submission at a time see: a third of the in-place and aliasing
    bugs and a right answer of every lesson (everything with BACKPROP_ROUTES=all)."""
    if ALL_ROUTES:
        return corpus
    chosen, right_per_lesson = [], {}
    for s in corpus:
        if s.right:
            right_per_lesson.setdefault(s.lesson, []).append(s)
        elif in_place(s) and one_in(s, 3):
            chosen.append(s)
    return chosen + [found[0] for found in right_per_lesson.values()]


@pytest.fixture(scope="module")
def nbgrader_route(tmp_path_factory, corpus):
    """nbgrader's own autograde on the course's configuration, one submission at a time (what
    `nbgrader autograde` and the formgrader's Autograde button run)."""
    from autograde.generate import generate

    chosen = sample(corpus)
    root = tmp_path_factory.mktemp("nbgrader")
    write_submissions(root, chosen)
    cfg = course_config(root)
    cfg.VerifyTests.isolation = level()
    generate(sorted({s.lesson for s in chosen}), cfg, write_sources=False)
    api = nbgrader_course.api(cfg)
    for s in chosen:
        assert api.autograde(s.lesson, s.student, force=True, create=True)["success"], s.bug
    return read_outcomes(cfg, chosen)


@pytest.fixture(scope="module")
def own_route(tmp_path_factory, corpus):
    """A student's own feedback: the course's settings changed as backprop.course changes them (own
    books, graded as the student), in a scratch course."""
    from autograde.generate import generate
    from backprop import course

    chosen = sample(corpus)
    root = tmp_path_factory.mktemp("own")
    write_submissions(root, chosen)
    cfg = course_config(root)
    for key, value in course.own_settings().items():
        if not key.startswith("CourseDirectory."):
            section, name = key.split(".")
            cfg[section][name] = value
    generate(sorted({s.lesson for s in chosen}), cfg, write_sources=False)
    api = nbgrader_course.api(cfg)
    for s in chosen:
        assert api.autograde(s.lesson, s.student, force=True, create=True)["success"], s.bug
    return read_outcomes(cfg, chosen)


def disagreements(graded, said, compare_points=True):
    """Where a route's outcomes differ from what the notebook said: [(submission, test, route, notebook)]."""
    found = []
    for s, outcomes in graded.items():
        if outcomes is None:
            found.append((s, "(not graded)", None, None))
            continue
        mine = said[s]
        for test, outcome in outcomes.items():
            theirs = mine.get(test)
            if theirs is None or outcome.passed != theirs.passed or outcome.words != theirs.words \
                    or (compare_points and outcome.points != (outcome.max_points if theirs.passed else 0.0)):
                found.append((s, test, outcome, theirs))
    return found


def explain(found, limit=6):
    return "\n\n".join(f"{s.lesson} {s.bug[:120]}\n  {test}\n  graded:   {graded}\n  notebook: {said}"
                       for s, test, graded, said in found[:limit]) + f"\n({len(found)} in all)"


def test_the_class_command_says_what_the_students_notebook_says(class_command, kernel):
    found = disagreements(class_command, kernel)
    assert not found, explain(found)


def test_right_answers_written_unusually_keep_every_point(class_command, kernel):
    lost = [(s, test, o, kernel[s].get(test)) for s, outcomes in class_command.items() if s.right
            for test, o in (outcomes or {"(not graded)": Outcome(0, 1, False, "")}).items() if o.points != o.max_points]
    assert not lost, explain(lost)
    assert sum(s.right for s in class_command) >= 80


def test_a_wrong_answer_loses_points_wherever_it_is_graded(class_command, kernel):
    """Every wrong answer that the notebook's tests fail loses those points in the class command (the
    other routes give what it gives: the tests below); the corpus is big and has in-place bugs."""
    wrong = [s for s in class_command if not s.right]
    assert len(wrong) >= 150 and sum(map(in_place, wrong)) >= 40, (len(wrong), sum(map(in_place, wrong)))
    kept = [(s, test, class_command[s][test], said) for s in wrong for test, said in kernel[s].items()
            if not said.passed and class_command[s] and class_command[s][test].points > 0]
    assert not kept, explain(kept)


def test_nbgrader_autograde_gives_what_the_class_command_gives(nbgrader_route, class_command):
    found = disagreements(nbgrader_route, {s: class_command[s] for s in nbgrader_route}, compare_points=False)
    found += [(s, t, o, class_command[s][t]) for s, outcomes in nbgrader_route.items() for t, o in outcomes.items()
              if o.points != class_command[s][t].points]
    assert not found, explain(found)
    assert len(nbgrader_route) >= 40


def test_a_students_own_feedback_gives_what_the_class_command_gives(own_route, class_command):
    found = disagreements(own_route, {s: class_command[s] for s in own_route}, compare_points=False)
    found += [(s, t, o, class_command[s][t]) for s, outcomes in own_route.items() for t, o in outcomes.items()
              if o.points != class_command[s][t].points]
    assert not found, explain(found)


@pytest.fixture(scope="module")
def catalogue_zygote(tmp_path_factory):
    work = tmp_path_factory.mktemp("catalogue")
    zygote = isolation.Zygote(isolation.engine("none", exactly=True), work / "zygote", work / "views")
    yield zygote
    zygote.close()


@pytest.mark.parametrize("lesson", nbgrader_course.lessons()[1:])
def test_every_catalogued_mistake_fails_when_graded_as_in_the_notebook(lesson, catalogue_zygote):
    mistakes = [s for s in catalogue_submissions([lesson]) if ALL_ROUTES or "[0] as " in s.bug and one_in(s, 5)]
    found, passed = [], []
    for s in mistakes:
        nb, seed = notebook(s, hidden=True), seed_of(s)
        said = in_kernel(s, verify.in_kernel(nb, seed))
        graded = in_kernel(s, verify.verify(nb, seed, catalogue_zygote, site=ROOT))
        if all(o.passed for o in said.values()):
            passed.append(s.bug)
        # (a buggy version that calls the course's own code is refused in the notebook, which the
        # grader's package cannot be: the two fail in different words, for a reason no student meets)
        found += [(s, test, graded[test], o) for test, o in said.items()
                  if graded[test].passed != o.passed or graded[test] != o and "UsedTheReference" not in o.words]
    assert not found, explain(found)
    assert not passed, f"catalogued mistakes that pass every test of {lesson}: {passed}"
    assert mistakes or lesson.startswith("00")


def test_the_submissions_are_what_they_say(corpus):
    """The helpers above build what the tests grade: the corpus's cells in the student version."""
    s = next(s for s in corpus if not s.right)
    nb = notebook(s)
    grade_id, source = s.cells[0]
    assert [c.source for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id] \
        == [source]
    assert "BEGIN HIDDEN TESTS" not in "".join(c.source for c in nb.cells)
    assert "BEGIN HIDDEN TESTS" in "".join(c.source for c in notebook(s, hidden=True).cells)
    assert len({s.student for s in corpus}) == len(corpus)
