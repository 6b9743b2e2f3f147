"""What a newcomer sees in the browser: the feedback table, the lessons' text, explorers and quizzes
reopened, the course command as root, other clones' submissions, the feedback page, the cosmetics
of explorers and quizzes, and Run All in a fresh lesson.

Screenshots of every step are saved in tests/artifacts/browser/ (newcomer-*.png) to be looked at.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from browser import TOKEN, Lab, cell_containing, copy_repository, course_lab, expect_text, wait_idle
from conftest import ROOT, SHOTS

WRONG_GRADIENTS = ('def neuron_gradients(x, w, b, y):\n    """Mine."""\n    a = sigmoid(w * x + b)\n'
                   "    dL_dz = (a - y) * a * (1 - a)\n    return dL_dz * x, dL_dz\n")
RIGHT_FORWARD = 'def neuron_forward(x, w, b):\n    """Mine."""\n    return sigmoid(w * x + b)\n'


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"newcomer-{name}.png"))


lab = pytest.fixture(scope="module", name="lab")(course_lab)


def fill_in(path, answers):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for name, code in answers.items():
            if cell.source.startswith(f"def {name}("):
                cell.source = code
    nbformat.write(nb, path)


def open_assignments(page):
    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    expect_text(page.locator("body"), "Submitted assignments", timeout=60)
    time.sleep(2.0)


def submissions(page):
    """The submissions the Assignments tab lists under 'Submitted assignments': their times."""
    listed = page.locator("#submitted_assignments_list").inner_text()
    return sorted(set(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC", listed)))


def kernels(lab):
    request = urllib.request.Request(f"{lab.url}/api/kernels?token={TOKEN}")
    return json.loads(urllib.request.urlopen(request, timeout=30).read())


def shut_down_kernels(lab):
    for kernel in kernels(lab):
        request = urllib.request.Request(f"{lab.url}/api/kernels/{kernel['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30)


def notebook(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")


# --- 1, 5, 6, 7: submit, get my feedback, fetch it, view it ----------------------------------------


def test_a_newcomers_feedback_round(lab, page, tmp_path):
    # Another clone of the course, run by the same user (the same ~/.local/share/jupyter), submits first.
    other = copy_repository(ROOT, tmp_path / "other-clone")
    fill_in(other / "lessons" / "01_one_neuron" / "01_one_neuron.ipynb", {"neuron_forward": RIGHT_FORWARD})
    env = {**lab.env, "PYTHONPATH": str(other)}
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "backprop.course", "submit", "01_one_neuron"], cwd=other, env=env,
                       check=True, capture_output=True, timeout=300)
    # (submit started the other clone's grading service, which would wait half an hour for more)
    subprocess.run([sys.executable, "-c", "from backprop import grading_service; grading_service.stop()"],
                   cwd=other, env=env, check=True, timeout=60)

    # This clone: lesson 01 with a mistake in neuron_gradients (the factor 2), submitted from the Assignments tab
    fill_in(lab.repo / "lessons" / "01_one_neuron" / "01_one_neuron.ipynb",
            {"neuron_forward": RIGHT_FORWARD, "neuron_gradients": WRONG_GRADIENTS})
    lab.open(page, "lessons/01_one_neuron/01_one_neuron.ipynb")  # Validate it first (a kernel of nbgrader's)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    expect_text(dialog, "neuron_gradients does not agree with the reference", timeout=180)
    shot(page, "validate-wrong")
    dialog.locator("button").last.click()
    lab.open(page, "lessons/00_start_here/00_start_here.ipynb")
    open_assignments(page)
    assert submissions(page) == [], "the other clone's submissions are listed in this clone's Assignments tab"
    row = page.locator("#fetched_assignments_list .list_item").filter(has_text="01_one_neuron").first
    row.get_by_role("button", name="Submit").click()
    deadline = time.time() + 60
    while not submissions(page) and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(1.0)
    shot(page, "assignments-submitted")
    assert len(submissions(page)) == 1, submissions(page)  # this clone's own, not the other's two

    # Get my feedback (lesson 00): a readable table
    page.locator(".lm-TabBar-tab").filter(has_text="00_start_here.ipynb").first.click()
    lab.run_all(page)
    button = page.locator(".bp-feedback-button").first
    button.scroll_into_view_if_needed()
    button.click()
    table = page.locator(".bp-feedback")
    table.wait_for(timeout=180_000)
    expect_text(table, "01_one_neuron: 2 / 5 points")
    failure = table.locator("pre.bp-feedback-failure")
    failure.scroll_into_view_if_needed()
    time.sleep(0.5)
    shot(page, "feedback-table")
    styles = table.evaluate("""t => [...t.querySelectorAll('td, th')].map(c => getComputedStyle(c).textAlign)""")
    assert styles and set(styles) == {"left"}, styles
    pre = failure.evaluate("p => [getComputedStyle(p).whiteSpace, getComputedStyle(p).wordBreak, "
                           "getComputedStyle(p).textAlign]")
    assert pre == ["pre-wrap", "normal", "left"], pre
    text = failure.inner_text()
    assert "\n  - dL_dw: expected -0.211508, got -0.105754" in text  # lines and their indentation kept
    # no word is broken across lines: every line ends at a word's end
    width = failure.evaluate("p => p.clientWidth")
    assert width > 600, width
    wait_idle(page)

    # Fetch Feedback, then view it: maths, notes for the explorer and the quiz, wrapped lines, no script
    open_assignments(page)
    page.get_by_role("button", name="Fetch Feedback").first.click()
    expect_text(page.locator("body"), "(view feedback)", timeout=60)
    page.get_by_text("(view feedback)").first.click()  # the file browser goes to the feedback's folder ...
    listed = page.locator(".jp-DirListing-item").filter(has_text="01_one_neuron.html").first
    listed.wait_for(timeout=30_000)
    listed.dblclick()  # ... and the student opens the page, which JupyterLab shows untrusted
    frame_element = page.locator(".jp-HTMLViewer iframe").first
    frame_element.wait_for(timeout=60_000)
    frame = frame_element.content_frame
    frame.locator("body").wait_for(timeout=30_000)
    time.sleep(1.0)
    shot(page, "feedback-page-top")
    assert frame.locator("math").count() > 50
    prose = frame.locator(".text_cell_render").all_inner_texts()
    assert not [p for p in prose if re.search(r"\$[^$]{1,60}\$", p)], "raw LaTeX in the feedback page"
    assert frame.locator("script").count() == 0
    note = frame.get_by_text("An explorer here: interactive, it works in the lesson's notebook").first
    note.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "feedback-page-explorer-note")
    assert frame.get_by_text("The “Try it” questions here").count() == 1
    error = frame.locator(".output_error pre, .output_stderr pre").filter(has_text="Likely cause").first
    error.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "feedback-page-failure")
    assert error.evaluate("p => getComputedStyle(p).whiteSpace") == "pre-wrap"
    assert error.evaluate("p => p.scrollWidth <= p.clientWidth + 1"), "a line of the failure is cut off"
    # ... and its lines (wrapped at 78 columns where they were made) are not wrapped again
    columns = error.evaluate("""p => { const s = document.createElement('span'); s.textContent = 'x'.repeat(78);
        p.appendChild(s); const w = s.getBoundingClientRect().width; s.remove();
        const c = getComputedStyle(p); return (p.clientWidth - parseFloat(c.paddingLeft)
        - parseFloat(c.paddingRight)) / w * 78; }""")
    assert columns >= 78, f"the failure's box is {columns:.0f} columns wide"

    log = open(lab.log.name).read()
    assert "Could not find feedback" not in log
    # (Get my feedback graded in the grading service, whose kernels write to its own log)
    log += (lab.repo / "autograde" / "self" / "grading-service.log").read_text()
    assert "without encryption" not in log, "ipykernel warned that the kernel runs over TCP without encryption"


# --- 2, 3 and the slope explorer of 8: lesson 00, then lesson 00 reopened ---------------------------


def test_lesson_00_reads_right_and_its_widgets_survive_a_new_day(lab, page):
    path = "lessons/00_start_here/00_start_here.ipynb"
    lab.open(page, path)
    bullet = notebook(page).locator(".jp-MarkdownCell li").filter(has_text="Every graded lesson").first
    bullet.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "lesson-00-submit-bullet")
    assert "from 01 to 10, is listed under Downloaded assignments" in bullet.inner_text()
    assert notebook(page).locator(".jp-MarkdownCell ol").count() == 0, "a stray numbered list in lesson 00's text"

    lab.run_all(page)
    explorer = notebook(page).locator(".bp-explorer").first
    explorer.scroll_into_view_if_needed()
    readout = explorer.locator(".bp-explorer-readout")
    expect_text(readout, "is off by")
    time.sleep(1.0)  # (MathJax typesets the readout)
    shot(page, "slope-explorer")
    said = readout.inner_text()
    assert "×" in said and not re.search(r"\de\s*[−-]\s*\d", said), said  # 4.44 × 10⁻¹⁶, not 4.4e − 16
    page.keyboard.press("Control+s")
    time.sleep(2.0)
    saved = nbformat.read(lab.repo / path, as_version=4)
    outputs = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert sum("will show here when this cell runs" in o.get("data", {}).get("text/plain", "") for o in outputs) == 3

    # The next day: the kernel is gone, the lesson is opened again
    shut_down_kernels(lab)
    page.goto(f"{lab.url}/lab?reset&token={TOKEN}")
    lab.open(page, path)
    time.sleep(2.0)
    body = notebook(page).inner_text()
    cell = cell_containing(page, "SlopeExplorer()")
    cell.scroll_into_view_if_needed()
    shot(page, "lesson-00-reopened")
    assert "Error displaying widget" not in body and "model not found" not in body
    assert body.count("will show here when this cell runs: Run \u2192 Run All Cells (or Shift+Enter here, once "
                      "the cells above have run)") == 3
    lab.run_all(page)  # as the line says
    cell.locator(".bp-explorer-figure").wait_for(timeout=60_000)
    cell.scroll_into_view_if_needed()
    wait_idle(page)
    shot(page, "lesson-00-reopened-explorer-run-again")
    assert "will show here" not in cell.inner_text()


# --- 8: a numeric answer rounded too far; lesson 01's test lines; lesson 10's graph -------------------


def test_quiz_near_miss_test_lines_and_lesson_10s_graph(lab, page):
    lab.open(page, "solutions/01_one_neuron/01_one_neuron.ipynb")
    lab.run_all(page)
    question = notebook(page).locator(".bp-quiz-question").filter(has_text="Take two steps by hand").first
    question.scroll_into_view_if_needed()
    question.locator(".bp-quiz-number input, input.bp-quiz-number, .bp-quiz-number").last.fill("0.006")
    question.locator(".bp-quiz-check").click()
    expect_text(question.locator(".bp-quiz-feedback"), "Close, but rounded too far")
    shot(page, "quiz-rounded-too-far")
    test_cell = cell_containing(page, "ok: neuron_gradients agrees")  # (by its output: an editor far out of
    #                                                                    view may hold only some of its lines)
    test_cell.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "lesson-01-test-lines")
    lines = [line for line in test_cell.locator(".jp-OutputArea").inner_text().splitlines() if line.startswith("ok:")]
    assert len(lines) == 8 and len(set(lines)) == 8, lines  # (the solution: the hidden tests' lines too)
    assert "on 2 saturated neurons (z = 17 and z = -16)." in lines[2]

    lab.open(page, "solutions/10_autograd/10_autograd.ipynb")
    lab.run_all(page)
    graph = cell_containing(page, "drawing = plots.draw_autograd_graph(L)")
    graph.scroll_into_view_if_needed()
    time.sleep(0.5)
    shot(page, "lesson-10-graph")
    sweep = notebook(page).locator(".bp-explorer").first
    sweep.scroll_into_view_if_needed()
    time.sleep(0.5)
    shot(page, "lesson-10-sweep-explorer")


# --- 9: Run All in a fresh lesson ------------------------------------------------------------------


def test_run_all_in_a_fresh_lesson_runs_every_cell(lab, page):
    lab.open(page, "lessons/05_batches_gradient_descent/05_batches_gradient_descent.ipynb")
    lab.run_all(page)
    deadline = time.time() + 120
    prompts = notebook(page).locator(".jp-CodeCell .jp-InputPrompt")
    while any(t.strip() in ("[ ]:", "[*]:") for t in prompts.all_inner_texts()) and time.time() < deadline:
        time.sleep(0.5)
    unexecuted = [t for t in prompts.all_inner_texts() if t.strip() in ("[ ]:", "[*]:")]
    assert not unexecuted, f"{len(unexecuted)} cells did not run"
    failures = notebook(page).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert failures.count() == 2 and all(t.startswith("CheckFailed: ") for t in failures.all_inner_texts())
    failures.first.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "run-all-failure-shown")
    said = notebook(page).get_by_text("This cell runs your train, which is not written yet")
    assert said.count() == 6
    said.last.scroll_into_view_if_needed()
    time.sleep(0.3)
    shot(page, "run-all-demonstration-says-so")
    assert notebook(page).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0


# --- 4: the course command as root -----------------------------------------------------------------


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0), reason="only as root")
def test_the_course_command_runs_as_root_and_says_so(tmp_path, page):
    server = Lab(copy_repository(ROOT, tmp_path / "course"), tmp_path, allow_root=False)
    try:
        server.open(page, "lessons/00_start_here/00_start_here.ipynb")
        shot(page, "as-root")
        log = open(server.log.name).read()
        assert "Running as root is not recommended" not in log
        assert "You are running as root" in log and "starting it with --allow-root" in log
    finally:
        server.stop()
