"""The course in a real browser: JupyterLab in Debian's Chromium, driven by Playwright.

Screenshots of every step are saved in tests/artifacts/browser/ to be looked at.
"""

import re
import time

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, Lab, copy_repository, wait_idle
from conftest import ARTIFACTS, ROOT, lesson_ids

playwright = pytest.importorskip("playwright.sync_api", reason="installed by tests/run.sh")
SHOTS = ARTIFACTS / "browser"
SOLUTION = {
    "neuron_forward": 'def neuron_forward(x, w, b):\n    """Mine."""\n    return sigmoid(w * x + b)\n',
    "neuron_gradients": (
        'def neuron_gradients(x, w, b, y):\n    """Mine."""\n    a = sigmoid(w * x + b)\n'
        "    dL_dz = 2 * (a - y) * a * (1 - a)\n    return dL_dz * x, dL_dz\n"
    ),
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("lab")
    repo = copy_repository(ROOT, scratch / "course")
    server = Lab(repo, scratch)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def cell_containing(page, text):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").filter(has_text=text).first


@pytest.mark.parametrize("lesson", lesson_ids())
def test_every_lesson_runs_in_the_browser_without_errors(lab, page, lesson):
    lab.open(page, f"solutions/{lesson}/{lesson}.ipynb")
    lab.run_all(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    assert notebook.locator(".jp-Cell").count() > 5
    unexecuted = notebook.locator(".jp-CodeCell .jp-InputPrompt").filter(has_text=re.compile(r"^\[\s*\]:$"))
    assert unexecuted.count() == 0, f"{lesson}: some cells did not run"
    shot(page, f"{lesson}-top")
    assert errors.count() == 0, f"{lesson}: {errors.first.inner_text()[:2000]}"
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first.evaluate(
        "e => e.scrollTo(0, e.scrollHeight)")
    time.sleep(0.5)
    shot(page, f"{lesson}-bottom")


def test_moving_a_slider_redraws_the_explorer(lab, page):
    lab.open(page, "solutions/01_one_neuron/01_one_neuron.ipynb")
    lab.run_all(page)
    explorer = page.locator(".bp-explorer").first
    explorer.scroll_into_view_if_needed()
    image = explorer.locator(".bp-explorer-figure")
    w_readout = explorer.locator(".widget-readout").first
    before = image.get_attribute("src")
    handle = explorer.locator(".noUi-handle").first
    handle.focus()
    for _ in range(50):  # w: 0.50 -> 1.00 by the keyboard, as a student could
        page.keyboard.press("ArrowRight")
    expect_text(w_readout, "1.00")
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old", arg=[image.element_handle(), before])
    wait_idle(page)
    shot(page, "explorer-after-slider")
    moved = image.get_attribute("src")
    explorer.locator(".bp-step").click()  # w <- 1.0 - 0.1 * 2 * (2 - 4) * 2 = 1.8
    expect_text(w_readout, "1.80")
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old", arg=[image.element_handle(), moved])
    wait_idle(page)
    shot(page, "explorer-after-step")


def test_quiz_answers_get_feedback_and_steps_can_be_dragged_into_order(lab, page):
    lab.open(page, "solutions/00_start_here/00_start_here.ipynb")
    lab.run_all(page)
    question = page.locator(".bp-quiz-question").first
    question.scroll_into_view_if_needed()
    question.get_by_text("Yes, the notebook updates them").click()
    question.locator(".bp-quiz-check").click()
    expect_text(question.locator(".bp-quiz-feedback"), "Not quite.")
    question.get_by_text("Not until I run the cells below again").click()
    question.locator(".bp-quiz-check").click()
    expect_text(question.locator(".bp-quiz-feedback"), "Correct.")
    shot(page, "quiz-multiple-choice")

    order = page.locator(".bp-quiz-question").filter(has=page.locator(".bp-quiz-order")).first
    order.scroll_into_view_if_needed()
    steps = [
        "Read the prose and the function's docstring",
        "Replace raise NotImplementedError() with your code",
        "Run the cell that defines your function",
        "Run the test cell under it and read what it says",
        "Fix what the test named, until it prints ok",
        "Validate the whole notebook",
        "Submit it from the Assignments panel",
    ]
    order.locator(".bp-quiz-check").click()
    expect_text(order.locator(".bp-quiz-feedback"), "Not quite.")
    shot(page, "quiz-order-shuffled")
    drag_into_order(page, order.locator(".bp-quiz-order"), steps)
    order.locator(".bp-quiz-check").click()
    expect_text(order.locator(".bp-quiz-feedback"), "Correct.")
    shot(page, "quiz-order-solved")


def drag_into_order(page, tags_input, wanted):
    """Sort the tags of an ipywidgets TagsInput by dragging them with the mouse."""
    for position, label in enumerate(wanted):
        for _ in range(3):
            tags = tags_input.locator(".jupyter-widget-tag")
            current = [t.strip() for t in tags.all_inner_texts()]
            if current[position] == label:
                break
            tags.nth(current.index(label)).drag_to(tags.nth(position))
            time.sleep(0.3)
        current = [t.strip() for t in tags_input.locator(".jupyter-widget-tag").all_inner_texts()]
        assert current[position] == label, f"could not drag {label!r} to place {position + 1}: {current}"


def expect_text(locator, text, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in locator.inner_text():
            return
        time.sleep(0.2)
    raise AssertionError(f"expected {text!r}, found {locator.inner_text()!r}")


def test_a_student_fills_in_validates_submits_and_reads_feedback(lab, page):
    lab.open(page, "lessons/01_one_neuron/01_one_neuron.ipynb")
    for name, code in SOLUTION.items():
        editor = cell_containing(page, f"def {name}(").locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    time.sleep(1.0)
    shot(page, "student-filled-in")

    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    expect_text(dialog, "Success! Your notebook passes all the tests.", timeout=120)
    shot(page, "student-validated")
    dialog.locator("button").last.click()

    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    panel = page.locator(".lm-Widget").filter(has_text="Downloaded assignments").last
    row = panel.locator("div").filter(has_text=re.compile("^01_one_neuron")).filter(
        has=page.get_by_role("button", name="Submit")).last
    row.get_by_role("button", name="Submit").click()
    expect_text(page.locator("body"), "Submitted assignments", timeout=30)
    deadline = time.time() + 60
    while "There are no submitted assignments" in page.locator("body").inner_text() and time.time() < deadline:
        time.sleep(0.5)
    shot(page, "student-submitted")

    lab.open(page, "lessons/00_start_here/00_start_here.ipynb")
    lab.run_all(page)
    feedback = page.locator(".bp-feedback-button").first
    feedback.scroll_into_view_if_needed()
    feedback.click()
    output = page.locator(".bp-feedback")
    output.wait_for(timeout=180_000)
    expect_text(output, "01_one_neuron: 5 / 5 points")
    assert "failed" not in output.inner_text()
    shot(page, "student-feedback")
    wait_idle(page)

    # the full report, fetched into the lesson's folder from the Assignments panel
    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    page.get_by_role("button", name="Fetch Feedback").first.click()
    expect_text(page.locator("body"), "(view feedback)", timeout=60)
    shot(page, "student-feedback-fetched")
    fetched = list((lab.repo / "lessons" / "01_one_neuron" / "feedback").rglob("01_one_neuron.html"))
    assert fetched and "ok: neuron_gradients agrees" in fetched[0].read_text()
    assert "BEGIN HIDDEN TESTS" not in fetched[0].read_text() and "trials=25" not in fetched[0].read_text()
