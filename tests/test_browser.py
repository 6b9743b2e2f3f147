"""The course in a real browser: JupyterLab in Debian's Chromium, driven by Playwright.

Screenshots of every step are saved in tests/artifacts/browser/ to be looked at.
"""

import re
import time

import pytest
from accessibility import check_lesson
from browser import (
    TOKEN,
    Lab,
    copy_repository,
    course_lab,
    drag_into_order,
    expect_text,
    student_round,
    wait_idle,
)
from conftest import ROOT, SHOTS, lesson_ids
from lesson_tools import quiz_from


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"))


lab = pytest.fixture(scope="module", name="lab")(course_lab)


@pytest.mark.parametrize("lesson", lesson_ids())
def test_every_lesson_runs_in_the_browser_without_errors(lab, page, lesson):
    lab.open(page, f"solutions/{lesson}/{lesson}.ipynb")
    lab.run_all(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    assert notebook.locator(".jp-Cell").count() > 5
    unexecuted = notebook.locator(".jp-CodeCell .jp-InputPrompt").filter(has_text=re.compile(r"^\[\s*\]:$"))
    assert unexecuted.count() == 0, f"{lesson}: some cells did not run"
    # (lesson 00 shows what a failed check looks like: red, and Run All goes on)
    unexpected = [e for e in errors.all_inner_texts() if not e.startswith("CheckFailed: slope_of_square does not")]
    assert not unexpected, f"{lesson}: {unexpected[0][:2000]}"
    # every figure and every explorer's image arrived and was drawn
    images = notebook.locator(".jp-RenderedImage img, img.bp-figure, img.bp-explorer-figure")
    assert images.count() > 0, f"{lesson}: no figure"
    unloaded = images.evaluate_all("imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length")
    assert unloaded == 0, f"{lesson}: {unloaded} of {images.count()} images not drawn"
    # and for every student: axe-core, alt text, live regions, named sliders (tests/accessibility.py)
    time.sleep(1.0)
    check_lesson(page, lesson)
    cells = notebook.locator(".jp-Cell")
    for where, cell in [("top", cells.first), ("explorer", cells.filter(has=page.locator(".bp-explorer")).first),
                        ("end", cells.last)]:
        cell.scroll_into_view_if_needed()  # what a student sees there
        time.sleep(0.5)
        shot(page, f"{lesson}-{where}")


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
    steps = next(q for q in quiz_from("00_start_here")["quiz"].questions if hasattr(q, "steps")).steps
    order.locator(".bp-quiz-check").click()
    expect_text(order.locator(".bp-quiz-feedback"), "Not quite.")
    shot(page, "quiz-order-shuffled")
    drag_into_order(page, order.locator(".bp-quiz-order"), steps)
    order.locator(".bp-quiz-check").click()
    expect_text(order.locator(".bp-quiz-feedback"), "Correct.")
    shot(page, "quiz-order-solved")


def test_a_student_fills_in_validates_submits_and_reads_feedback(lab, page):
    student_round(lab, page, lambda name: shot(page, name))


def test_the_backward_steps_of_lesson_04_are_dragged_into_order(lab, page):
    """The seed's promised drag-and-drop question, in lesson 04: drag every step into place."""
    lab.open(page, "solutions/04_layers_matrix_form/04_layers_matrix_form.ipynb")
    lab.run_all(page)
    order = page.locator(".bp-quiz-question").filter(has=page.locator(".bp-quiz-order")).first
    order.scroll_into_view_if_needed()
    steps = next(q for q in quiz_from("04_layers_matrix_form")["quiz"].questions if hasattr(q, "steps")).steps
    drag_into_order(page, order.locator(".bp-quiz-order"), steps)
    order.locator(".bp-quiz-check").click()
    expect_text(order.locator(".bp-quiz-feedback"), "Correct.")
    shot(page, "04-order-solved")


def test_the_course_command_opens_lesson_00(lab, page):
    """The README's main command: JupyterLab's own address leads to the start page, lesson 00."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(f"{lab.url}/?token={TOKEN}", timeout=30)
        raise AssertionError("no redirect from /")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302 and redirect.headers["Location"].startswith(
            "/lab/tree/lessons/00_start_here/00_start_here.ipynb"), redirect.headers["Location"]
    page.goto(f"{lab.url}/?reset&token={TOKEN}")
    tab = page.locator(".lm-TabBar-tab.jp-mod-current").filter(has_text="00_start_here.ipynb")
    tab.first.wait_for(timeout=90_000)
    shot(page, "course-command-start")


def test_stopping_the_course_command_stops_jupyterlab(tmp_path):
    """`python -m backprop.course` becomes JupyterLab: a SIGTERM to it stops the server (a child
    server would be left running, its port taken, its kernels alive)."""
    import socket

    server = Lab(copy_repository(ROOT, tmp_path / "course"), tmp_path)
    try:
        server.process.terminate()
        assert server.process.wait(30) is not None
        time.sleep(1)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", server.port), 1).close()
    finally:
        server.stop()  # (and whatever its process group left)
