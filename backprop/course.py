"""The course on your own computer: open it, and get feedback on what you submitted.

    python -m backprop.course                           open JupyterLab on the start page
    python -m backprop.course submit 01_one_neuron      submit a lesson (as the Assignments tab does)
    python -m backprop.course feedback 01_one_neuron    grade your latest submission of a lesson
    python -m backprop.course prepare                   only release the lessons (Binder's postBuild)

In a notebook, `FeedbackPanel()` does the second with one click, and `feedback("01_one_neuron")`
with one line.

Opening the course prepares nbgrader's student tools for one person on one machine: the
lessons are released to a local exchange (autograde/exchange), so the Assignments tab
(Nbgrader -> Assignment List) lists them and Submit works; your student id is your login name, as nbgrader takes it. The
instructor's tools are switched off (binder/student/ holds that configuration).

Grading your own submission uses the course's hidden tests from solutions/, so it only works
in a copy of the course that has them, such as a clone of its repository. On a class's
JupyterHub the package is installed without them; there the instructor grades, and
`FeedbackPanel()` says where the feedback will come from instead.

    REPO
    STUDENT_CONFIG
    graded_lessons()                      The lessons with graded exercises (all but the start page)
    self_grading_available()              Whether this copy of the course can grade your own submission
    student_id()                          Who you are to nbgrader
    CourseError                           An expected situation the command line reports in one message ...
    KERNEL_ENVIRONMENT
    student_environment()                 The environment JupyterLab (and so every kernel) runs in
    start_page()                          The notebook JupyterLab opens on
    open_course(extra_args)               Prepare the student tools and run JupyterLab on the start page ...
    grade_my_submission(lesson, student)  Collect, autograde and write feedback for your latest submission of a ...
    summary_html(summary)                 The feedback summary as an HTML table
    main(argv)
"""

import argparse
import contextlib
import html
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

__all__ = ["REPO", "STUDENT_CONFIG", "lessons", "graded_lessons", "self_grading_available", "student_id",
           "CourseError", "prepare", "KERNEL_ENVIRONMENT", "student_environment", "start_page", "open_course",
           "submit", "grade_my_submission", "feedback", "summary_html", "FeedbackPanel", "main"]


REPO = Path(__file__).resolve().parent.parent
STUDENT_CONFIG = REPO / "binder" / "student"


def _course_module():
    """autograde.nbgrader_course: the course's nbgrader configuration and API, from the course's
    repository around this package (a clone installed with `pip install -e .`)."""
    if not (REPO / "autograde" / "nbgrader_course.py").is_file():
        raise FileNotFoundError(
            f"{REPO / 'autograde'} is missing: backprop.course needs the course's repository around the package "
            f"(install it with `pip install -e .` from a clone)."
        )
    from autograde import nbgrader_course

    return nbgrader_course


def lessons():
    """The lesson ids, in order: 00_start_here, 01_one_neuron, ..."""
    return sorted(p.name for p in (REPO / "lessons").iterdir() if (p / f"{p.name}.ipynb").is_file())


def graded_lessons():
    """The lessons with graded exercises (all but the start page): the ones to submit."""
    return [lesson for lesson in lessons()
            if '"grade": true' in (REPO / "lessons" / lesson / f"{lesson}.ipynb").read_text()]


def self_grading_available():
    """Whether this copy of the course can grade your own submission: only where the course's
    repository is around the package (its autograde/ and the hidden tests in solutions/), as in
    a clone or on Binder; not on a class's JupyterHub, where the instructor grades."""
    return (REPO / "autograde" / "nbgrader_course.py").is_file() and (REPO / "solutions").is_dir()


def student_id():
    """Who you are to nbgrader: your login name (on JupyterHub, your hub user name)."""
    from nbgrader.utils import get_username

    return get_username()


class CourseError(Exception):
    """An expected situation the command line reports in one message, without a traceback."""


def _check_lesson(lesson):
    if lesson not in graded_lessons():
        raise CourseError(f"lesson must be one of {', '.join(graded_lessons())}, but is {lesson!r}.")


OWN_BOOKS = "autograde/self"  # your own gradebook, causes book, submissions and feedback: never the instructor's


def own_settings():
    """The course's nbgrader settings changed for grading your own work: your own books (OWN_BOOKS),
    grading with the best isolation this machine has (your own code, graded as you), recorded as such."""
    return {"CourseDirectory.submitted_directory": f"{OWN_BOOKS}/submitted",
            "CourseDirectory.autograded_directory": f"{OWN_BOOKS}/autograded",
            "CourseDirectory.feedback_directory": f"{OWN_BOOKS}/feedback",
            "CourseDirectory.db_url": f"sqlite:///{REPO / OWN_BOOKS / 'gradebook.db'}",
            "VerifyTests.isolation": "none", "RecordCauses.route": "own feedback"}


@contextlib.contextmanager
def _grader():
    """The course's NbGraderAPI on your own books, writing generated student versions to a scratch
    folder. Generating a lesson records its cells and hidden tests in the gradebook, which grading
    needs; the scratch folder keeps it from overwriting your work in lessons/."""
    course = _course_module()
    (REPO / OWN_BOOKS).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        cfg = course.config(**own_settings(), **{"CourseDirectory.release_directory": scratch})
        yield course.api(cfg), Path(scratch)


def prepare():
    """Release every graded lesson to the local exchange that is not there yet (idempotent)."""
    course = _course_module()
    outbound = Path(course.config().Exchange.root) / "backprop" / "outbound"
    missing = [lesson for lesson in graded_lessons() if not (outbound / lesson).is_dir()]
    if not missing:
        return []
    with _grader() as (api, _):
        for lesson in missing:
            for result in (api.generate_assignment(lesson, force=True), api.release_assignment(lesson)):
                if not result["success"]:
                    raise RuntimeError(f"nbgrader could not release {lesson}:\n{result['error']}\n{result['log']}")
    return missing


# The course's arrays are small (a batch of 32 digits, a 2-100-3 network): splitting their
# products over several BLAS threads costs more than it brings, and on a busy machine far
# more (an explorer's redraw took 4-12 ms with one thread, 30-480 ms with two, on a loaded
# 2-core machine: see BENCHMARKS.md). Kernels started from the course use one, unless the
# environment already says otherwise.
KERNEL_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}


def student_environment():
    """The environment JupyterLab (and so every kernel) runs in: the student configuration
    on JUPYTER_CONFIG_PATH, this Python's scripts first on PATH, and KERNEL_ENVIRONMENT where the
    environment does not set it."""
    env = dict(os.environ)
    for key, value in KERNEL_ENVIRONMENT.items():
        env.setdefault(key, value)
    paths = [str(STUDENT_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    scripts = sysconfig.get_path("scripts")  # (called as venv/bin/python: nbgrader runs its tools from PATH)
    env["PATH"] = os.pathsep.join([scripts] + [p for p in env.get("PATH", "").split(os.pathsep) if p and p != scripts])
    return env


def start_page():
    """The notebook JupyterLab opens on: lesson 00 (or the first lesson there is)."""
    first = lessons()[0]
    return f"lessons/{first}/{first}.ipynb"


def open_course(extra_args=()):
    """Prepare the student tools and run JupyterLab on the start page, in the repository."""
    released = prepare()
    if released:
        print(f"Released {len(released)} lesson(s) to the local exchange: the Assignments tab lists them.")
    if self_grading_available():  # (feedback and submit without waiting for nbgrader to load)
        from backprop import grading_service

        grading_service.start(parent=os.getpid())  # (JupyterLab takes this pid: the service ends with it)
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={REPO}",
               f"--LabApp.default_url=/lab/tree/{start_page()}", *extra_args]  # (LabApp sets the one it opens)
    # JupyterLab takes this process's place (not a child of it): stopping this process stops the
    # server and its kernels, whichever signal does it.
    sys.stdout.flush()
    os.chdir(REPO)
    os.execve(sys.executable, command, student_environment())


def submit(lesson):
    """Submit your work on a lesson (the notebook in lessons/LESSON/) to the course's exchange,
    as Submit in the Assignments tab does: nbgrader's submit, with the student configuration.

    Works from any terminal: `python -m backprop.course submit 01_one_neuron`. Asks your grading
    service (backprop.grading_service), which has nbgrader loaded already; does it here if the
    service cannot be reached. Returns {"lesson", "student"}; raises CourseError, with nbgrader's
    reason, if the submission fails.
    """
    from backprop import grading_service

    _check_lesson(lesson)
    reply = grading_service.request("submit", lesson)
    if reply is None:
        return _submit_in_a_new_process(lesson)
    if "error" in reply:
        raise CourseError(reply["error"])
    return reply["ok"]


def submit_here(lesson):
    """submit(), done in this process (the grading service's: it runs with the student configuration)."""
    import logging

    from nbgrader.apps.submitapp import SubmitApp

    _check_lesson(lesson)
    prepare()
    records = []
    catch = logging.Handler(logging.WARNING)
    catch.emit = records.append
    app = SubmitApp()
    app.log.addHandler(catch)
    try:
        app.initialize([lesson, "--course", "backprop", f"--Exchange.root={_course_module().config().Exchange.root}",
                        f"--Exchange.assignment_dir={REPO / 'lessons'}"])
        app.start()
    except SystemExit as stop:
        if stop.code not in (0, None):
            reasons = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
            raise CourseError(f"nbgrader could not submit {lesson}: " + ("; ".join(reasons) or "it stopped")) from None
    finally:
        app.log.removeHandler(catch)
    return {"lesson": lesson, "student": student_id()}


def _submit_in_a_new_process(lesson):
    prepare()
    exchange = _course_module().config().Exchange.root  # the one feedback grades from
    command = [sys.executable, "-m", "nbgrader", "submit", lesson, "--course", "backprop",
               f"--Exchange.root={exchange}", f"--Exchange.assignment_dir={REPO / 'lessons'}"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=student_environment())
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        reasons = [line.split("] ", 1)[-1] for line in log.splitlines() if "ERROR" in line or "CRITICAL" in line]
        raise CourseError(f"nbgrader could not submit {lesson}: " + ("; ".join(reasons) or log))
    return {"lesson": lesson, "student": student_id()}


def my_feedback(lesson):
    """grade_my_submission(lesson), asked of your grading service (grading in a process apart from
    your kernels, with nbgrader loaded already); done in a new process if the service cannot be reached."""
    from backprop import grading_service

    _check_lesson(lesson)
    reply = grading_service.request("feedback", lesson)
    if reply is None:
        result = subprocess.run([sys.executable, "-m", "backprop.course", "feedback", lesson, "--json", "--here"],
                                capture_output=True, text=True, cwd=REPO)
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines() or ["grading failed"]
            raise CourseError("\n".join(lines) if "Traceback" not in result.stderr else lines[-1])
        return json.loads(result.stdout)
    if "error" in reply:
        raise CourseError(reply["error"])
    return reply["ok"]


def grade_my_submission(lesson, student=None):
    """Collect, autograde and write feedback for your latest submission of a lesson.

    Returns a summary: {"lesson", "student", "score", "max_score", "feedback" (the HTML file),
    "exercises": [{"name", "score", "max_score", "passed", "message"}]}.
    """
    _check_lesson(lesson)
    student = student or student_id()
    prepare()
    with _grader() as (api, _):
        inbound = Path(api.coursedir.config.Exchange.root) / "backprop" / "inbound"
        if not any(inbound.glob(f"{student}+{lesson}+*")):
            raise CourseError(
                f"there is no submission of {lesson} by {student!r} yet: submit it first, with Submit in "
                f"the Assignments tab (Nbgrader \u2192 Assignment List), or from a terminal with "
                f"`python -m backprop.course submit {lesson}`."
            )
        steps = [
            *([] if _in_gradebook(api, lesson) else [("prepare", lambda: api.generate_assignment(lesson, force=True))]),
            ("collect", lambda: api.collect(lesson, update=True)),
            ("autograde", lambda: api.autograde(lesson, student, force=True, create=True)),
            ("generate feedback", lambda: api.generate_feedback(lesson, student, force=True)),
            ("release feedback", lambda: api.release_feedback(lesson, student)),
        ]
        for name, step in steps:
            result = step()
            if not result["success"]:
                raise RuntimeError(
                    f"nbgrader could not {name} {lesson} for {student}:\n{result['error']}\n{result['log']}"
                )
        return _summary(api, lesson, student)


def _in_gradebook(api, lesson):
    """Whether your gradebook knows the lesson (its cells and hidden tests), which grading needs: not
    when your books were removed after the lessons were released to the exchange."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url) as gb:
        try:
            gb.find_assignment(lesson)
        except MissingEntry:
            return False
    return True


def _summary(api, lesson, student):
    import nbformat
    from nbgrader.api import Gradebook

    coursedir = api.coursedir
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, lesson)) / f"{lesson}.ipynb"
    order, messages = [], {}
    for cell in nbformat.read(autograded, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            order.append(grade_id)
            errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
            if errors:  # the failure's whole message (its headline first)
                messages[grade_id] = "\n".join(errors[0].traceback) or f"{errors[0].ename}: {errors[0].evalue}"
    with Gradebook(coursedir.db_url) as gb:
        notebook = gb.find_submission_notebook(lesson, lesson, student)
        grades = sorted((g for g in notebook.grades if g.max_score > 0),
                        key=lambda g: order.index(g.name) if g.name in order else len(order))
        exercises = [
            {"name": g.name, "score": g.score, "max_score": g.max_score,
             "passed": g.score == g.max_score, "message": messages.get(g.name, "")}
            for g in grades
        ]
        score, max_score = notebook.score, notebook.max_score
    feedback = Path(coursedir.format_path(coursedir.feedback_directory, student, lesson)) / f"{lesson}.html"
    return {"lesson": lesson, "student": student, "score": score, "max_score": max_score,
            "feedback": str(feedback), "exercises": exercises}


def feedback(lesson):
    """Grade your latest submission of `lesson` and show the result in the notebook.

    The grading runs in a separate process (your grading service), as an instructor's would.
    """
    from IPython.display import HTML, display

    try:
        summary = my_feedback(lesson)
    except CourseError as problem:
        display(HTML(f"<pre style='color:#cf222e;white-space:pre-wrap'>{html.escape(str(problem))}</pre>"))
        return None
    display(HTML(summary_html(summary)))
    return summary


def summary_html(summary):
    """The feedback summary as an HTML table: one row per graded exercise."""
    rows = ""
    for ex in summary["exercises"]:
        colour, word = ("#1a7f37", "passed") if ex["passed"] else ("#cf222e", "failed")
        why = f"<pre style='white-space:pre-wrap;margin:0'>{html.escape(ex['message'])}</pre>" if ex["message"] else ""
        rows += (f"<tr><td><code>{ex['name']}</code></td><td>{ex['score']:g} / {ex['max_score']:g}</td>"
                 f"<td><span style='color:{colour}'>{word}</span>{why}</td></tr>")
    link = os.path.relpath(summary["feedback"], REPO)
    return (
        f"<div class='bp-feedback'><h4>{summary['lesson']}: {summary['score']:g} / {summary['max_score']:g} points "
        f"for {html.escape(summary['student'])}</h4>"
        f"<table><thead><tr><th>test</th><th>points</th><th>result</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<p>The full feedback, your notebook with every test's output: <code>{link}</code> "
        f"(open it from the file browser, or with <b>Fetch Feedback</b> in the Assignments tab).</p></div>"
    )


class FeedbackPanel:
    """A lesson picker and a 'Get my feedback' button (for lesson 00)."""

    def __init__(self):
        import ipywidgets as widgets

        self.output = widgets.Output()
        if not self_grading_available():  # a class's hub: the instructor grades and hands feedback back
            self.lesson = self.button = None
            self.widget = widgets.HTML(
                "<div class='bp-feedback bp-feedback-class'>In your class, your instructor collects and grades "
                "the submissions and releases the feedback. When it is released, <b>Fetch Feedback</b> in the "
                "Assignments tab (<b>Nbgrader &rarr; Assignment List</b>) puts it in your lesson's folder.</div>")
            return
        self.lesson = widgets.Dropdown(options=graded_lessons(), description="lesson")
        self.button = widgets.Button(description="Get my feedback", button_style="primary", icon="check",
                                     layout=widgets.Layout(width="auto"))
        self.button.add_class("bp-feedback-button")
        self.button.on_click(lambda _: self.run())
        self.widget = widgets.VBox([widgets.HBox([self.lesson, self.button]), self.output])

    def run(self):
        if self.button is None:
            return
        self.output.clear_output()
        with self.output:
            print(f"Grading your latest submission of {self.lesson.value} ...")
            feedback(self.lesson.value)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def main(argv=None):
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy use, harmless
    parser = argparse.ArgumentParser(prog="python -m backprop.course", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("open", help="open JupyterLab on the start page (the default)")
    sub.add_parser("prepare", help="release the lessons to the local exchange (the Assignments tab)")
    sm = sub.add_parser("submit", help="submit your work on a lesson (lessons/LESSON/), as the Assignments tab does")
    sm.add_argument("lesson")
    fb = sub.add_parser("feedback", help="grade your latest submission of a lesson")
    fb.add_argument("lesson")
    fb.add_argument("--json", action="store_true", help="print the summary as JSON")
    fb.add_argument("--here", action="store_true", help="grade in this process, not in your grading service")
    args, extra = parser.parse_known_args(argv)
    if args.command in (None, "open"):
        return open_course(extra)
    if args.command == "prepare":
        released = prepare()
        print(f"released to the local exchange: {', '.join(released) or 'nothing new'}")
        return 0
    try:
        if args.command == "submit":
            submitted = submit(args.lesson)
            print(f"Submitted {args.lesson} (lessons/{args.lesson}/) as {submitted['student']}. "
                  f"Your feedback: python -m backprop.course feedback {args.lesson}")
            return 0
        summary = grade_my_submission(args.lesson) if args.here else my_feedback(args.lesson)
    except CourseError as problem:
        print(problem, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['lesson']}: {summary['score']:g} / {summary['max_score']:g} points for {summary['student']}")
        for ex in summary["exercises"]:
            print(f"  {'passed' if ex['passed'] else 'FAILED'}  {ex['name']}  {ex['score']:g} / {ex['max_score']:g}")
            if ex["message"]:
                print("      " + ex["message"].replace("\n", "\n      "))
        print(f"The full feedback: {summary['feedback']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
