"""What a student sees, outside the browser: the lessons' text as Markdown renders it, the course
command's options and messages, the repository's ignores. (The browser's side is in
test_browser_student.py.)"""

import re
from pathlib import Path

import pytest
from conftest import ROOT, lesson_ids

NUMBERED = re.compile(r"^(\s*)\d+[.)](\s|$)")


def markdown_paragraphs(lesson):
    """The lesson's Markdown outside code cells, as blocks of lines between blank lines."""
    text = (ROOT / "solutions" / lesson / f"{lesson}.md").read_text()
    block, inside = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            inside = not inside
            block = []
            continue
        if inside:
            continue
        if not line.strip():
            if block:
                yield block
            block = []
        else:
            block.append(line)
    if block:
        yield block


@pytest.mark.parametrize("lesson", lesson_ids())
def test_no_line_of_prose_starts_a_numbered_list_by_accident(lesson):
    """A line of a paragraph that begins with a number and '.' or ')' ("10) is listed ...") starts a
    new numbered list in JupyterLab's Markdown: only a list's own items may begin so."""
    accidents = []
    for block in markdown_paragraphs(lesson):
        for k, line in enumerate(block):
            match = NUMBERED.match(line)
            if k and match and not any((m := NUMBERED.match(before)) and m.group(1) == match.group(1)
                                       for before in block[:k]):
                accidents.append(f"{block[k - 1]!r} / {line!r}")
    assert not accidents, f"{lesson}: " + "; ".join(accidents)


# --- 1: "Get my feedback"'s table ----------------------------------------------------------------


def test_the_feedback_summary_is_left_aligned_and_keeps_the_failures_lines():
    from backprop import course

    message = ("CheckFailed: neuron_gradients does not agree with the reference on 2 of 2 cases.\n\n"
               "case 1: x=2, w=0.5, b=0, y=1\n  - dL_dw: expected -0.211508, got -0.105754 (exactly half).")
    summary = {"lesson": "01_one_neuron", "student": "ada <lovelace>", "score": 2, "max_score": 5,
               "feedback": str(course.REPO / "autograde" / "self" / "feedback" / "x.html"),
               "exercises": [{"name": "test_neuron_forward", "score": 2, "max_score": 2, "passed": True, "message": ""},
                             {"name": "test_neuron_gradients", "score": 0, "max_score": 3, "passed": False,
                              "message": message}]}
    page = course.summary_html(summary)
    cells = re.findall(r"<t[dh] style='([^']*)'", page)
    assert cells and all("text-align:left" in style for style in cells)  # (JupyterLab right-aligns table cells)
    failure = re.search(r"<pre class='bp-feedback-failure' style='([^']*)'>(.*?)</pre>", page, re.S)
    assert "white-space:pre-wrap" in failure.group(1) and "word-break:normal" in failure.group(1)
    assert "overflow-wrap:break-word" in failure.group(1) and "text-align:left" in failure.group(1)
    assert "\n  - dL_dw: expected" in failure.group(2)  # its lines and their indentation, as the check wrote them
    assert "colspan='3'" in page and "ada &lt;lovelace&gt;" in page


# --- 3: widgets saved in a notebook --------------------------------------------------------------


def widget_output(name, model_id="abc"):
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": f"{name}(children=(VBox(...)))",
                     "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2,
                                                                  "version_minor": 0}}}


def test_a_notebook_is_saved_with_a_line_to_run_the_cell_in_place_of_each_widget():
    from backprop.notebook import WIDGET_VIEW, save_hook

    nb = {"cells": [{"cell_type": "code", "source": "SlopeExplorer()", "outputs": [widget_output("SlopeExplorer")]},
                    {"cell_type": "code", "source": "Quiz([])", "outputs": [widget_output("Quiz", "q")]},
                    {"cell_type": "code", "source": "print(1)",
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]},
                    {"cell_type": "code", "source": "kept", "outputs": [widget_output("Other", "saved")]}],
          "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"saved": {}}}}}}
    model = {"type": "notebook", "content": nb}
    save_hook(model=model, path="lessons/00_start_here/00_start_here.ipynb", contents_manager=None)
    explorer, quiz, printed, kept = (c["outputs"][0] for c in nb["cells"])
    assert WIDGET_VIEW not in explorer["data"] and WIDGET_VIEW not in quiz["data"]
    assert explorer["data"]["text/plain"] == ("The explorer will show here when this cell runs: Run \u2192 Run All "
                                              "Cells (or Shift+Enter here, once the cells above have run).")
    assert quiz["data"]["text/plain"].startswith("The questions will show here when this cell runs")
    assert printed["text"] == "1\n" and WIDGET_VIEW in kept["data"]  # (a widget whose state is saved stays)
    save_hook(model={"type": "file", "content": "SlopeExplorer()"}, path="notes.txt")  # other files: untouched


def test_the_students_jupyterlab_saves_notebooks_with_that_hook():
    from traitlets.config import PyFileConfigLoader

    config = PyFileConfigLoader("jupyter_server_config.py", path=str(ROOT / "binder" / "student")).load_config()
    assert config.ContentsManager.pre_save_hook == "backprop.notebook.save_hook"


# --- 4 and 17: the course command ----------------------------------------------------------------


def test_the_course_command_passes_jupyterlabs_options_on_as_jupyter_lab_takes_them(monkeypatch):
    from backprop import course

    opened = []
    monkeypatch.setattr(course, "open_course", lambda args=(): opened.append(list(args)) or 0)
    for argv in (["--port", "9310"], ["--port=9310", "--no-browser"], ["open", "--port", "9310"], []):
        assert course.main(argv) == 0
    assert opened == [["--port", "9310"], ["--port=9310", "--no-browser"], ["--port", "9310"], []]


def test_as_root_the_course_command_allows_root_and_says_so(monkeypatch):
    from backprop import course

    monkeypatch.setattr(course.os, "geteuid", lambda: 0, raising=False)
    args, note = course.jupyterlab_arguments(["--port", "9310"])
    assert args == ["--port", "9310", "--allow-root"] and "--allow-root" in note and "root" in note
    assert course.jupyterlab_arguments(["--allow-root"]) == (["--allow-root"], None)
    monkeypatch.setattr(course.os, "geteuid", lambda: 1000, raising=False)
    assert course.jupyterlab_arguments(["--port=1"]) == (["--port=1"], None)
    readme = (ROOT / "README.md").read_text()
    assert "it starts JupyterLab with `--allow-root`" in readme


# --- 5: nbgrader's student cache, with the clone's exchange --------------------------------------


def test_the_student_cache_is_kept_with_the_clones_exchange(monkeypatch, tmp_path):
    from traitlets.config import PyFileConfigLoader

    from backprop import course

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "binder" / "student")).load_config()
    exchange = ROOT / "autograde" / "exchange"
    assert config.Exchange.root == str(exchange)
    assert config.Exchange.cache == str(course.student_cache(exchange)) == str(exchange / "nbgrader_cache")
    # ... and `python -m backprop.course submit` submits with the same cache, by either route: in the
    # grading service (submit_here) or, when no service can be reached, in a new process
    import logging

    from nbgrader.apps import submitapp

    from backprop import grading_service

    cache = f"--Exchange.cache={course.student_cache(course._course_module().config().Exchange.root)}"
    seen = []

    class Done:
        returncode, stdout, stderr = 0, "", ""

    class Submit:  # (nbgrader's SubmitApp, as submit_here uses it)
        log = logging.getLogger("submit")

        def initialize(self, argv=None):
            seen.append(list(argv))

        def start(self):
            pass

    monkeypatch.setattr(course, "prepare", lambda: [])
    monkeypatch.setattr(course.subprocess, "run", lambda command, **kw: seen.append(command) or Done())
    monkeypatch.setattr(submitapp, "SubmitApp", Submit)
    monkeypatch.setattr(grading_service, "request", lambda *args, **kw: None)  # (no service)
    course.submit("01_one_neuron")
    course.submit_here("01_one_neuron")
    assert len(seen) == 2 and all(cache in command for command in seen), seen


# --- 18: fetched feedback is not something to commit --------------------------------------------


def test_fetched_feedback_and_the_student_cache_are_ignored_by_git():
    import subprocess

    for path in ("lessons/01_one_neuron/feedback/2026-12-07 17:32:52.323256 UTC/01_one_neuron.html",
                 "autograde/exchange/nbgrader_cache/backprop/root+01_one_neuron+2026-12-07/01_one_neuron.ipynb"):
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT)
        assert ignored.returncode == 0, f"git would list {path} as untracked"
    kept = subprocess.run(["git", "check-ignore", "-q", "--no-index", "lessons/01_one_neuron/01_one_neuron.ipynb"],
                          cwd=ROOT)
    assert kept.returncode == 1


# --- 19: where pip install -r requirements.txt works ---------------------------------------------


def test_the_readme_and_requirements_say_to_install_from_the_clones_top_folder():
    readme = (ROOT / "README.md").read_text()
    requirements = (ROOT / "requirements.txt").read_text()
    assert "from the clone's top\nfolder" in readme and "from another folder fails" in readme
    assert "from the repository's top folder (cd into it first)" in requirements
    assert requirements.rstrip().splitlines()[-1] == "-e ."  # (the line that pip reads from the current folder)


# --- 8 and 13: what the explorers and quizzes show -----------------------------------------------


def test_the_slope_explorer_writes_a_tiny_difference_as_a_power_of_ten():
    from backprop.explorers import SlopeExplorer

    explorer = SlopeExplorer(curve="x²")
    explorer.set_values(x=1.3, h=1e-3)
    shown = re.search(r"is off by \$([^$]*)\$", explorer.readout.value).group(1)
    assert re.fullmatch(r"\d\.\d\d \\times 10\^\{-\d+\}|0", shown), shown  # not 8.9e-16, which LaTeX sets as 8.9e − 16
    assert not re.search(r"\de-\d", explorer.readout.value)


def test_a_numeric_answer_rounded_too_far_is_told_so():
    from backprop.quiz import Numeric

    question = Numeric("The loss after two steps?", answer=0.0064, explanation="Right.", tolerance=5e-5,
                       wrong={0.16: "That is the loss after the first step."})
    for typed, said in [("0.006", "rounded too far"), ("0.01", "rounded too far"), ("0.16", "first step"),
                        ("0.007", "Not this one"), ("0", "Not this one"), ("0.0064", "Right.")]:
        question.answer_widget.value = typed
        question.check()
        assert said in question.feedback.value, typed


def test_lesson_03s_explorer_shows_no_negative_zero():
    from backprop.explorers import Worked221Explorer

    explorer = Worked221Explorer()
    explorer.x2.value = 0.0
    for step in range(explorer.n_steps):
        explorer.step.value = step
        texts = " ".join(t.get_text() for t in explorer.fig.findobj(lambda a: hasattr(a, "get_text")))
        assert "-0.0000" not in explorer.readout.value + explorer.table.value + texts, step


def test_lesson_01s_test_says_what_each_of_its_checks_checked(capsys):
    from backprop import checks, reference

    checks.check_function(reference.neuron_gradients, reference.neuron_gradients, reference.SATURATED_NEURONS,
                          outputs=["dL_dw", "dL_db"], atol=0,
                          cases_are="saturated neurons (z = 17 and z = -16)")
    assert capsys.readouterr().out == ("ok: neuron_gradients agrees with the reference on 2 saturated neurons "
                                       "(z = 17 and z = -16).\n")
    text = (ROOT / "solutions" / "01_one_neuron" / "01_one_neuron.md").read_text()
    start = text.index("grade_id: test_neuron_gradients")
    test_cell = text[start:text.index("### BEGIN HIDDEN TESTS", start)]
    assert 'cases_are="saturated neurons (z = 17 and z = -16)"' in test_cell


# --- 6: the feedback page --------------------------------------------------------------------------


def feedback_exporter():
    """The course's FeedbackExporter with nbgrader's feedback template, as GenerateFeedback sets it up."""
    import nbgrader

    from autograde import feedback, nbgrader_course

    cfg = nbgrader_course.config()
    formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    cfg.HTMLExporter.template_name = "feedback"
    cfg.HTMLExporter.extra_template_basedirs = [str(formgrader / "templates")]
    cfg.HTMLExporter.extra_template_paths = [str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")]
    return feedback.FeedbackExporter(config=cfg)


def test_feedback_pages_have_maths_as_mathml_no_script_wrapped_lines_and_notes_for_widgets():
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / "01_one_neuron" / "01_one_neuron.ipynb", as_version=4)
    for cell in nb.cells:  # as graded: only the test cells ran (and GetGrades gave them their scores)
        if cell.cell_type == "code":
            cell.outputs = []
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata.nbgrader["score"] = cell.metadata.nbgrader.get("points", 0)
    nb.cells[-1:-1] = [nbformat.v4.new_code_cell("SlopeExplorer()", outputs=[nbformat.from_dict(
        widget_output("SlopeExplorer"))])]  # a widget's output, as a notebook saved without the course's hook holds
    exporter = feedback_exporter()
    page, _ = exporter.from_notebook_node(nb, resources={"nbgrader": {"notebook": "01_one_neuron", "score": 5,
                                                                       "max_score": 5, "late_penalty": 0}})
    assert "<script" not in page.lower() and "cdnjs" not in page  # nothing to load, nothing to run: offline, untrusted
    assert page.count("<math") > 50 and "<mfrac>" in page
    prose = re.sub(r"<(pre|code|style)\b.*?</\1>", "", page, flags=re.S)
    assert not re.search(r"\$[^$<>]{1,60}\$", prose), re.search(r"\$[^$<>]{1,60}\$", prose)  # no raw LaTeX left
    assert "white-space: pre-wrap" in page  # long lines wrap
    notes = re.findall(r"<em>\((An explorer|The “Try it” questions) here: interactive, it works in the lesson", page)
    assert notes.count("An explorer") == 2 and notes.count("The “Try it” questions") == 1
    assert "application/vnd.jupyter.widget-view" not in page


GRADED = {"nbgrader": {"notebook": "01_one_neuron", "score": 0, "max_score": 0, "late_penalty": 0}}


def test_without_latex2mathml_a_feedback_page_keeps_its_latex_and_mathjax(monkeypatch):
    """latex2mathml is pinned in requirements.txt; an environment without it still gets a page whose
    maths a browser with the network draws."""
    import nbformat

    from autograde import feedback

    monkeypatch.setattr(feedback, "_latex_to_mathml", None)
    feedback._mathml.cache_clear()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("The slope $\\frac{dL}{dw}$.")])
    try:
        page, _ = feedback_exporter().from_notebook_node(nb, resources=GRADED)
    finally:
        feedback._mathml.cache_clear()
    assert "<math" not in page and "$\\frac{dL}{dw}$" in page and re.search(r"<script[^>]*mathjax", page, re.I)
    monkeypatch.undo()
    page, _ = feedback_exporter().from_notebook_node(nb, resources=GRADED)
    assert "<math" in page and "<script" not in page


def test_mathml_keeps_no_link_style_or_html_a_student_could_slip_into_latex():
    from autograde.feedback import mathml

    converted = mathml(r"\href{javascript:alert(1)}{x} + \text{<img src=x onerror=alert(1)>} \style{color:red}{y}")
    body = re.sub(r'alttext="[^"<>]*"', "", converted)  # (the LaTeX itself, escaped, is the alternative text)
    assert "href=" not in body and "style=" not in body and "<img" not in body and "&lt;img" in body
    assert mathml(r"\frac{\partial L}{\partial w}", display=True).startswith('<math alttext="\\frac{')


# --- 9: Run All in a fresh lesson ----------------------------------------------------------------


def run_in_a_kernel(path):
    """The notebook at `path` run top to bottom in a fresh kernel, as JupyterLab's Run All does (errors kept)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    return nb


def graded_lessons():
    return [lesson for lesson in lesson_ids() if lesson != "00_start_here"]


@pytest.mark.parametrize("lesson", graded_lessons())
def test_run_all_in_a_fresh_lesson_goes_on_to_the_end(lesson):
    """A student's kernel: every test cell shows its exercise's failure (red, on stderr) without raising, its
    other checks do not run, and every later cell runs, a demonstration of an unwritten exercise saying so."""
    nb = run_in_a_kernel(ROOT / "lessons" / lesson / f"{lesson}.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [(c.source[:80], o.ename) for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    assert all(c.execution_count for c in code), "some cells did not run"
    for cell in code:
        shown = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        if cell.metadata.get("nbgrader", {}).get("grade"):
            assert len(shown) == 1 and shown[0].startswith("\x1b[1;31mCheckFailed\x1b[0m: "), (cell.source, shown)
            assert shown[0].count("CheckFailed") == 1  # the cell stopped at its first failing check
        else:
            assert not shown, (cell.source, shown)
    said = [o.text for c in code for o in c.outputs if o.output_type == "stream" and o.name == "stdout"
            and "not written yet" in o.text]
    uses_exercises = {"04_layers_matrix_form": 1, "05_batches_gradient_descent": 6, "06_softmax_classifier": 1,
                      "07_gradient_checking": 1, "10_autograd": 1}
    assert len(said) == uses_exercises.get(lesson, 0), said
    assert all(s.startswith("This cell runs your ") and s.endswith("then run this cell again.\n") for s in said)


def test_nbgrader_validate_still_fails_an_unwritten_or_wrong_notebook(tmp_path):
    """Validate sets NBGRADER_EXECUTION: there, as in autograde and in the course's grader, a failed check raises."""
    import nbformat
    from nbgrader.validator import Validator
    from traitlets.config import Config

    lesson = ROOT / "lessons" / "01_one_neuron" / "01_one_neuron.ipynb"
    forward = "return sigmoid(w * x + b)"
    gradients = "a = sigmoid(w * x + b)\n    return {0}(a - y) * a * (1 - a) * x, {0}(a - y) * a * (1 - a)"
    versions = {"unwritten": {}, "wrong": {"neuron_forward": forward, "neuron_gradients": gradients.format("")},
                "right": {"neuron_forward": forward, "neuron_gradients": gradients.format("2 * ")}}
    failed = {}
    for name, answers in versions.items():
        nb = nbformat.read(lesson, as_version=4)
        for cell in nb.cells:
            for function, body in answers.items():
                if cell.source.startswith(f"def {function}("):
                    cell.source = cell.source.split("    # YOUR CODE HERE")[0] + "    " + body + "\n"
        path = tmp_path / name / "01_one_neuron.ipynb"
        path.parent.mkdir()
        nbformat.write(nb, path)
        result = Validator(config=Config()).validate(str(path))
        failed[name] = [re.search(r"checks\.check_\w+\((\w+)", cell["source"]).group(1)
                        for cell in result.get("failed", [])]
    assert failed == {"unwritten": ["neuron_forward", "neuron_gradients"], "wrong": ["neuron_gradients"], "right": []}


def test_failures_raise_everywhere_but_in_a_students_kernel(monkeypatch):
    from autograde import verify
    from backprop import checks
    from backprop.checks import base

    assert checks.Grading().raise_failures  # here, in pytest: no kernel
    assert verify._Session(rng=None, sandbox=None).raise_failures  # the course's grader, wherever it runs
    monkeypatch.setattr(base, "in_students_kernel", lambda: True)
    assert not checks.Grading().raise_failures and verify._Session(rng=None, sandbox=None).raise_failures
    monkeypatch.undo()
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # (nbgrader's Validate, and autograde, set it)
    assert not base.in_students_kernel()


def test_written_tells_an_exercise_not_written_yet_from_a_written_one(capsys):
    from backprop.notebook import unwritten, written

    def train(X, y):
        """Train."""
        # YOUR CODE HERE
        raise NotImplementedError()

    def mine(x):
        """Mine."""
        return x

    class Layer:
        def __init__(self):
            self.params = {}

        def backward(self, dout, cache):
            """The backward pass."""
            raise NotImplementedError()

    class Fixed(Layer):
        def backward(self, dout, cache):
            return dout, {}

    assert [unwritten(f) for f in (train, mine, Layer, Fixed)] == [True, False, True, False]
    assert written(mine, Fixed) and capsys.readouterr().out == ""
    assert not written(train, mine, Layer)
    assert capsys.readouterr().out == ("This cell runs your train and Layer, which are not written yet: write them "
                                       "above, then run this cell again.\n")


# --- 15: what lesson 06's first exercise requires, it says -------------------------------------


def test_lesson_06_says_softmax_must_return_float64_as_its_test_requires():
    import numpy as np

    from backprop import checks, reference

    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)

    with pytest.raises(checks.CheckFailed, match="expected float64"):
        checks.check_function(softmax, reference.softmax, [{"z": np.array([[2.0, 1.0, 0.1]])}])
    text = (ROOT / "solutions" / "06_softmax_classifier" / "06_softmax_classifier.md").read_text()
    exercise = text[text.index("## Exercise 1: a stable softmax"):text.index("def softmax(z):")]
    assert "Return float64" in exercise and "float32" in exercise


def test_a_page_made_without_latex2mathml_leaves_later_pages_their_mathml(monkeypatch):
    from autograde import feedback

    with monkeypatch.context() as patched:
        patched.setattr(feedback, "_latex_to_mathml", None)
        assert feedback.mathml(r"\frac{a}{b} + z_{17}") is None
    assert "<mfrac>" in feedback.mathml(r"\frac{a}{b} + z_{17}")
