"""The course for every student (WCAG 2.1 AA), checked in a real browser and on the figures themselves.

- axe-core, injected into JupyterLab after Run All of every lesson, finds no serious or critical
  violation inside what the course put on the page (JupyterLab's own chrome is reported in
  tests/artifacts/accessibility/, not failed); every figure and explorer image carries alt text with
  the numbers it shows, and every explorer a live region that says its state: that is
  accessibility.check_lesson, called by tests/test_browser.py's Run All of every lesson (one run of
  each lesson serves both);
- axe-core on the Assignments tab and the feedback views;
- a student works lesson 01's explorer and quiz, fills in, submits and reads the feedback with the
  keyboard alone (no mouse event reaches the page);
- the figures' colours are told apart under protanopia, deuteranopia and tritanopia (simulated on the
  rendered PNGs), and their text has a contrast of at least 4.5:1.
"""

import json
import time

import pytest
from accessibility import audit, describe, record, serious
from browser import SOLUTION_01, TOKEN, course_lab, expect_text, wait_idle
from conftest import SHOTS
from lesson_tools import quiz_from


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"))


lab = pytest.fixture(scope="module", name="lab")(course_lab)


# Real mouse events only: a button pressed with Enter or Space fires a click whose `detail` is 0.
COUNT_MOUSE = """
window.__mouse = [];
for (const type of ["mousedown", "mouseup", "pointerdown", "pointerup", "dblclick", "wheel", "contextmenu"]) {
  document.addEventListener(type, e => window.__mouse.push(type), true);
}
document.addEventListener("click", e => { if (e.detail > 0) window.__mouse.push("click"); }, true);
"""
ACTIVE = "() => document.activeElement"
CELLS = """() => { const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
  return cells.findIndex(c => c.classList.contains('jp-mod-active')); }"""


def mouse_events(page):
    return page.evaluate("() => window.__mouse || []")


def run_by_keyboard(page):
    """Select every cell (command mode) and run them: Escape, Ctrl+A, Shift+Enter."""
    time.sleep(2.0)  # (JupyterLab focuses the notebook a moment after it shows it)
    page.keyboard.press("Escape")
    time.sleep(0.3)
    page.keyboard.press("Control+a")
    page.keyboard.press("Shift+Enter")
    time.sleep(3.0)
    wait_idle(page, 240)
    page.keyboard.press("Escape")


def go_to_cell(page, has=None, text=None):
    """Move the active cell with j and k (command mode) to the first cell that holds `has` (CSS) or
    whose code holds `text` (or to the cell before it, where Tab leads into it)."""
    test = (f"c.querySelector({json.dumps(has)})" if has else
            f"(c.querySelector('.cm-content') || {{textContent: ''}}).textContent.includes({json.dumps(text)})")
    target = page.evaluate(f"""() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')]
      .findIndex(c => {test})""")
    assert target >= 0, f"no cell holds {has or text}"
    page.keyboard.press("Escape")
    for _ in range(200):
        at = page.evaluate(CELLS)
        if at == target:
            return
        page.keyboard.press("k" if at > target else "j")
        now = page.evaluate(CELLS)
        if at < target < now or now < target < at:
            # j and k pass over a folded cell (the quizzes'): stop before it, Tab goes on into its outputs
            while page.evaluate(CELLS) > target - 1:
                page.keyboard.press("k")
            return
        if now == at:
            page.keyboard.press("Escape")  # the notebook did not have the key: back to command mode
            time.sleep(0.3)
    raise AssertionError(f"could not reach the cell holding {has or text} ({target}): at {page.evaluate(CELLS)}, "
                         f"focus on {focused(page)}")


def tab_to(page, test, limit=60, key="Tab"):
    """Press Tab until the focused element passes `test` (a JS predicate of it); return how many presses."""
    for n in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({test}); }}"):
            return n
    raise AssertionError(f"{test} not reached with {limit} presses of {key}")


def focused(page, what="el => el.outerHTML.slice(0, 200)"):
    return page.evaluate(f"() => ({what})(document.activeElement)")


def palette(page, command):
    """Run a JupyterLab command from the command palette (Ctrl+Shift+C), by its label."""
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+c")
    box = page.locator(".lm-CommandPalette-input")
    box.wait_for(timeout=10_000)
    page.keyboard.type(command)
    time.sleep(0.5)
    page.keyboard.press("Enter")


def test_a_student_works_lesson_01_and_submits_with_the_keyboard_alone(lab, page):
    """Lesson 01's explorer and quiz, the exercises filled in and saved, Submit in the Assignments tab,
    the feedback asked for in lesson 00 and the full report fetched and read: keys only, no mouse
    event. axe-core checks the Assignments tab and the feedback views on the way."""
    page.context.add_init_script(COUNT_MOUSE)
    lab.open(page, "lessons/01_one_neuron/01_one_neuron.ipynb")
    run_by_keyboard(page)

    # the explorer: Tab to the w slider, move it with the arrow keys, take a step with Enter
    go_to_cell(page, ".bp-explorer")
    tab_to(page, "el.getAttribute('role') === 'slider' && el.getAttribute('aria-label') === 'w'")
    explorer = page.locator(".bp-explorer").first
    live = explorer.locator("[role=status]")
    image = explorer.locator("img.bp-explorer-figure")
    alt_before = image.get_attribute("alt")
    for _ in range(50):  # w: 0.50 -> 1.00
        page.keyboard.press("ArrowRight")
    expect_text(explorer.locator(".widget-readout").first, "1.00")
    cell = page.evaluate(CELLS)  # ↑ and ↓ move the slider too, not JupyterLab to another cell
    page.keyboard.press("ArrowUp")
    expect_text(explorer.locator(".widget-readout").first, "1.01")
    page.keyboard.press("ArrowDown")
    expect_text(explorer.locator(".widget-readout").first, "1.00")
    assert page.evaluate(CELLS) == cell and focused(page, "el => el.getAttribute('aria-label')") == "w"
    expect_text(live, "∂L/∂w = 2(ŷ - y) x = -8.0000")  # said once it settles: (1*2 - 4) * 2 * 2
    assert image.get_attribute("alt") != alt_before and "dL/dw = -8.000" in image.get_attribute("alt")
    shot(page, "keyboard-explorer-slider")
    tab_to(page, "el.classList.contains('bp-step')")
    page.keyboard.press("Enter")  # w <- 1.0 - 0.1 * (-8) = 1.8
    expect_text(explorer.locator(".widget-readout").first, "1.80")
    expect_text(live, "loss, step by step")

    # the quiz: Tab to the first question's options, pick one with the arrow keys, Check with Enter
    question = page.locator(".bp-quiz-question").first
    tab_to(page, "el.type === 'radio'")
    cell = page.evaluate(CELLS)
    for _ in range(3):  # ↓ goes to the next option, not to the next cell
        if focused(page, "el => el.closest('label').textContent") == "It increases w":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate(CELLS) == cell and focused(page, "el => el.type") == "radio"
    page.keyboard.press("Space")
    tab_to(page, "el.classList.contains('bp-quiz-check')")
    page.keyboard.press("Enter")
    expect_text(question.locator(".bp-quiz-feedback"), "Correct.")
    expect_text(question.locator("[role=status]"), "Correct.")
    shot(page, "keyboard-quiz")

    # the exercises: Enter edits the active cell, Ctrl+A and typing replace it, Escape leaves it
    for name, code in SOLUTION_01.items():
        page.keyboard.press("Escape")
        go_to_cell(page, text=f"def {name}(")
        page.keyboard.press("Enter")
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    time.sleep(1.5)
    assert mouse_events(page) == [], mouse_events(page)

    # Submit: the Assignments tab from the command palette, Tab to lesson 01's Submit, Enter
    palette(page, "Assignment List")
    page.locator(".lm-Widget").filter(has_text="Downloaded assignments").last.wait_for(timeout=30_000)
    time.sleep(2.0)
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Submit' && "
                 "el.closest('.list_item, .row, div').textContent.includes('01_one_neuron')", limit=200)
    page.keyboard.press("Enter")
    deadline = time.time() + 60
    while "There are no submitted assignments" in page.locator("body").inner_text() and time.time() < deadline:
        time.sleep(0.5)
    shot(page, "keyboard-submitted")
    own, chrome = record("assignments-tab", audit(page, own=".bp-none"))  # nbgrader's panel: reported
    assert mouse_events(page) == [], mouse_events(page)

    # lesson 00: its drag-to-order question solved from the keyboard (pick a step, Move up)
    lab.open(page, "lessons/00_start_here/00_start_here.ipynb")
    run_by_keyboard(page)
    steps = next(q for q in quiz_from("00_start_here")["quiz"].questions if hasattr(q, "steps")).steps
    go_to_cell(page, ".bp-quiz-order")
    order = page.locator(".bp-quiz-question").filter(has=page.locator(".bp-quiz-order")).first
    tab_to(page, "el.classList.contains('bp-quiz-next')")
    picked = order.locator(".bp-quiz-picked")
    for place, step in enumerate(steps):
        for _ in range(len(steps)):  # Next step (Enter) until the step is picked
            if picked.inner_text().endswith(step):
                break
            page.keyboard.press("Enter")
            time.sleep(0.4)
        assert picked.inner_text().endswith(step), picked.inner_text()
        now = int(picked.inner_text().split("step ")[1].split(" of")[0]) - 1
        tab_to(page, "el.classList.contains('bp-quiz-up')", limit=3)
        for _ in range(now - place):
            page.keyboard.press("Enter")
            time.sleep(0.4)
        if now > place:
            expect_text(order.locator("[role=status]"), f"is now step {place + 1} of")
        tab_to(page, "el.classList.contains('bp-quiz-next')", limit=3, key="Shift+Tab")
    tab_to(page, "el.classList.contains('bp-quiz-check')", limit=6)
    page.keyboard.press("Enter")
    expect_text(order.locator(".bp-quiz-feedback"), "Correct.")
    shot(page, "keyboard-order")
    assert mouse_events(page) == [], mouse_events(page)

    # the feedback, from lesson 00's panel: Tab to "Get my feedback", Enter; the result is announced
    go_to_cell(page, ".bp-feedback-button")
    tab_to(page, "el.classList.contains('bp-feedback-button')")
    page.keyboard.press("Enter")
    panel_live = page.locator(".bp-feedback-live")
    expect_text(panel_live, "01_one_neuron: 5 of 5 points. Every test passed.", timeout=180)
    expect_text(page.locator(".bp-feedback"), "01_one_neuron: 5 / 5 points")
    shot(page, "keyboard-feedback")
    own, _ = record("feedback-panel", audit(page))
    assert not serious(own), describe(serious(own))
    assert mouse_events(page) == [], mouse_events(page)

    # the full report: Fetch Feedback in the Assignments tab, then the page itself
    palette(page, "Assignment List")
    time.sleep(2.0)
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Fetch Feedback'", limit=200)
    page.keyboard.press("Enter")
    expect_text(page.locator("body"), "(view feedback)", timeout=60)
    assert mouse_events(page) == [], mouse_events(page)
    fetched = next((lab.repo / "lessons" / "01_one_neuron" / "feedback").rglob("01_one_neuron.html"))
    page.goto(f"{lab.url}/files/{fetched.relative_to(lab.repo)}?token={TOKEN}")
    page.locator("body").wait_for()
    shot(page, "keyboard-feedback-page")
    own, _ = record("feedback-page", audit(page, own="*"))  # the whole page is the course's
    assert not serious(own), describe(serious(own))
