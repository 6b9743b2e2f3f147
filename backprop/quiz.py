"""'Try it' questions with feedback on every answer (ipywidgets only; not graded).

    MultipleChoice(question, {option: feedback}, answer)
    Numeric(question, answer, explanation, tolerance, wrong={value: feedback})
    Order(question, steps_in_order, explanation)       drag the steps into order, or move them with the keyboard
    Order(..., needs={step: [steps before it]})        any order that respects `needs` is right
    Quiz([questions])                                  several under one heading

Questions and feedback may contain LaTeX between $...$; the options of a multiple-choice
question are plain text (write maths in them in Unicode: ∂L/∂w). Every control works from the
keyboard, and a screen reader announces the feedback when Check is pressed (an ARIA live region).

    RIGHT
    WRONG
"""

import ipywidgets as widgets
import numpy as np

from backprop.access import LiveText, speakable

__all__ = ["RIGHT", "WRONG", "MultipleChoice", "Numeric", "Order", "Quiz"]


RIGHT = "#1a7f37"
WRONG = "#cf222e"


def _feedback(ok, text):
    colour, mark = (RIGHT, "Correct.") if ok else (WRONG, "Not quite.")
    if ok and text.startswith(("Right", "Correct")):  # it says so itself: not "Correct. Right: ..."
        return f"<div style='color:{colour}'>{text}</div>"
    return f"<div style='color:{colour}'><b>{mark}</b> {text}</div>"


class _Question(widgets.VBox):
    """A question, its answer widget, a Check button and the feedback."""

    def __init__(self, question, answer_widget):
        self.prompt = widgets.HTMLMath(f"<b>{question}</b>")
        self.answer_widget = answer_widget
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.check_button.add_class("bp-quiz-check")
        self.feedback = widgets.HTMLMath("")
        self.feedback.add_class("bp-quiz-feedback")
        # the feedback, said aloud; the arrow keys for the answer's controls, not JupyterLab's shortcuts
        self.live = LiveText(region_class="bp-quiz-live", settle_ms=100, controls_in=".bp-quiz-question")
        self.correct = None  # None before the first check, then True or False
        self.check_button.on_click(lambda _: self.check())
        super().__init__([self.prompt, answer_widget, self.check_button, self.feedback, self.live],
                         layout=widgets.Layout(margin="0 0 16px 0"))
        self.add_class("bp-quiz-question")

    def check(self):
        self.correct, text = self.judge()
        self.feedback.value = _feedback(self.correct, text)
        self.say(speakable(self.feedback.value))
        return self.correct

    def say(self, text):
        """Have a screen reader announce text (said again when it is the same as last time)."""
        self.live.text = text if self.live.text != text else text + "\u00a0"


def _stable_seed(text):
    """A seed that depends on the text only (Python's hash() changes from run to run)."""
    import zlib

    return zlib.crc32(text.encode("utf-8"))


class MultipleChoice(_Question):
    """Pick one option; each option has its own feedback, right or wrong."""

    def __init__(self, question, options, answer):
        if answer not in options:
            raise ValueError(f"answer {answer!r} is not one of the options {list(options)}.")
        latex = [option for option in options if "$" in option]
        if latex:
            raise ValueError(
                f"options are shown as plain text, so LaTeX in them would show its dollar signs: {latex[0]!r}. "
                f"Write the maths in Unicode instead (\u2202L/\u2202w, \u03c3\u2032(z))."
            )
        self.options = dict(options)
        self.answer = answer
        self._seed = _stable_seed(question)
        choice = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
        super().__init__(question, choice)
        self.arrange(self._seed % len(self.options))

    def arrange(self, position):
        """Show the options in an order of their own (the same every time), the answer at `position`
        (counted from 0): wherever the author wrote it, it is not always first."""
        others = [option for option in self.options if option != self.answer]
        shown = [others[i] for i in np.random.default_rng(self._seed).permutation(len(others))]
        shown.insert(position, self.answer)
        self.answer_widget.options = shown
        self.answer_widget.value = None
        self.answer_position = position

    def judge(self):
        picked = self.answer_widget.value
        if picked is None:
            return False, "Pick an option first."
        return picked == self.answer, self.options[picked]


class Numeric(_Question):
    """Type a number; right within `tolerance`; known wrong answers get their own feedback, the
    answer rounded to too few decimals (0.006 for 0.0064) is told so, and any other wrong answer
    gets `hint`."""

    def __init__(self, question, answer, explanation, tolerance=5e-4, wrong=None,
                 hint="Not this one; work through it once more, one step at a time."):
        self.answer = answer
        self.explanation = explanation
        self.tolerance = tolerance
        self.wrong = dict(wrong or {})
        self.hint = hint
        box = widgets.Text(placeholder="your answer", layout=widgets.Layout(width="12em"))
        box.add_class("bp-quiz-number")
        super().__init__(question, box)

    def judge(self):
        text = self.answer_widget.value.strip()
        if not text:
            return False, "Type a number first."
        try:
            value = float(text.replace("\u2212", "-"))
        except ValueError:
            return False, f"\u201c{text}\u201d is not a number; write it like -0.25 or 1.5e-3."
        if abs(value - self.answer) <= self.tolerance:
            return True, self.explanation
        for wrong_value, wrong_text in self.wrong.items():
            if abs(value - wrong_value) <= self.tolerance:
                return False, wrong_text
        if self._rounded_too_far(text, value):
            return False, ("Close, but rounded too far: that is the answer rounded to fewer decimals than the question "
                           "needs. Keep more decimals.")
        return False, self.hint

    def _rounded_too_far(self, text, value):
        """Whether `text` is the answer rounded to the decimals typed (0.006 for 0.0064), too few to be right."""
        digits = text.replace("\u2212", "-").lstrip("+-")
        if not digits.replace(".", "", 1).isdigit():  # (1e-3 and the like: not a rounding of the answer)
            return False
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        return value != 0 and abs(round(self.answer, decimals) - value) <= 1e-12 * max(1.0, abs(value))


# The steps as a numbered vertical list that is dragged into order; the tags' close
# buttons are hidden, so that no step can be deleted by accident.
_ORDER_STYLE = """<style>
.bp-quiz-order.jupyter-widget-tagsinput { display: flex; flex-direction: column; align-items: flex-start;
  counter-reset: bp-step; height: auto; width: auto; max-width: 100%; padding: 4px 0; }
.bp-quiz-order div.jupyter-widget-tag { counter-increment: bp-step; cursor: grab; margin: 3px 0;
  max-width: 100%; white-space: normal; height: auto; line-height: 1.6; padding: 2px 10px; }
.bp-quiz-order div.jupyter-widget-tag::before { content: counter(bp-step) ".\\00a0\\00a0"; font-weight: bold; }
.bp-quiz-order .jupyter-widget-tag-close { display: none; }
</style>"""


class Order(_Question):
    """Drag the steps into the right order (they start shuffled); Check says which is misplaced.

    steps   the steps in a right order
    needs   optional {step: [steps that must come before it]}. When given, every order that
            respects it is right (two steps that do not depend on each other may be swapped),
            and a wrong order is told which step comes before one it needs. When None, only
            `steps` in exactly that order is right.
    """

    def __init__(self, question, steps, explanation, seed=0, needs=None):
        self.steps = list(steps)
        self.explanation = explanation
        self.needs = None if needs is None else {step: list(before) for step, before in needs.items()}
        if self.needs is not None:
            unknown = sorted({s for k, v in self.needs.items() for s in [k, *v]} - set(self.steps))
            if unknown:
                raise ValueError(f"needs names steps that are not in steps: {unknown}.")
            if not self._respects(self.steps):
                raise ValueError("steps, in the order given, must respect needs.")
        self._rng = np.random.default_rng(seed)
        self.start = self._shuffled()
        tags = widgets.TagsInput(value=self.start, allowed_tags=self.steps, allow_duplicates=False,
                                 layout=widgets.Layout(width="auto"))
        tags.add_class("bp-quiz-order")
        self.reset_button = widgets.Button(description="Shuffle again", icon="refresh")
        self.reset_button.on_click(lambda _: self.shuffle())
        # the keyboard's way, buttons only (in a notebook's command mode the arrow keys move between
        # cells, so a select list cannot be used): pick a step with Previous / Next, move it up or down
        self.picked = self.start[0]
        self.picked_label = widgets.HTML("")
        self.picked_label.add_class("bp-quiz-picked")
        buttons = [("Previous step", "chevron-left", "bp-quiz-previous", lambda _: self.pick(-1)),
                   ("Next step", "chevron-right", "bp-quiz-next", lambda _: self.pick(+1)),
                   ("Move up", "arrow-up", "bp-quiz-up", lambda _: self.move(-1)),
                   ("Move down", "arrow-down", "bp-quiz-down", lambda _: self.move(+1))]
        made = []
        for text, icon, css, action in buttons:
            made.append(widgets.Button(description=text, icon=icon, layout=widgets.Layout(width="auto")))
            made[-1].add_class(css)
            made[-1].on_click(action)
        self.previous_button, self.next_button, self.up_button, self.down_button = made
        tags.observe(lambda _: self._show_picked(), names="value")
        hint = widgets.HTML(_ORDER_STYLE + "<i>Drag the steps with the mouse to reorder them, or, from the keyboard, "
                            "pick a step with Previous step / Next step and move it with Move up / Move down; "
                            "then press Check.</i>")
        super().__init__(question, tags)
        self.children = (self.prompt, hint, tags, self.picked_label,
                         widgets.HBox([self.previous_button, self.next_button, self.up_button, self.down_button],
                                      layout=widgets.Layout(flex_flow="row wrap")),
                         widgets.HBox([self.check_button, self.reset_button]), self.feedback, self.live)
        self._show_picked()

    def _show_picked(self):
        """Say which step the keyboard's buttons move, and where it is (it follows drags too)."""
        order = [step for step in self.answer_widget.value if step in self.steps]
        if self.picked not in order:
            self.picked = order[0] if order else None
        self.picked_label.value = "" if self.picked is None else (
            f"Picked: step {order.index(self.picked) + 1} of {len(order)}, <b>{self.picked}</b>")

    def pick(self, by):
        """Pick the step `by` places after the picked one (-1 the one before), going round."""
        order = list(self.answer_widget.value)
        if self.picked not in order:
            return
        i = (order.index(self.picked) + by) % len(order)
        self.picked = order[i]
        self._show_picked()
        self.say(f"Picked step {i + 1} of {len(order)}: \u201c{self.picked}\u201d.")

    def move(self, by):
        """Move the picked step `by` places (-1 up, +1 down); a screen reader hears where it is now."""
        order = list(self.answer_widget.value)
        step = self.picked
        if step not in order:
            return
        i = order.index(step)
        j = i + by
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            self.answer_widget.value = order
            self.say(f"\u201c{step}\u201d is now step {j + 1} of {len(order)}.")
        else:
            self.say(f"\u201c{step}\u201d is already step {i + 1} of {len(order)}, the "
                     f"{'first' if by < 0 else 'last'}.")

    def _shuffled(self):
        """A new order of all the steps that is not already right."""
        order = list(self.steps)
        while self._right(order) and len(order) > 1:
            order = [self.steps[i] for i in self._rng.permutation(len(self.steps))]
        return order

    def shuffle(self):
        """Every step back, in a new order (the 'Shuffle again' button)."""
        self.answer_widget.value = self._shuffled()

    def _respects(self, order):
        position = {step: i for i, step in enumerate(order)}
        return all(position[b] < position[step] for step, before in self.needs.items() for b in before)

    def _right(self, order):
        return order == self.steps if self.needs is None else self._respects(order)

    def judge(self):
        order = list(self.answer_widget.value)
        missing = [s for s in self.steps if s not in order]
        if missing:
            return False, "Some steps were removed: " + "; ".join(missing) + ". Press 'Shuffle again' to get them back."
        if len(order) != len(self.steps):
            return False, "Some steps appear twice: each step goes in once. Press 'Shuffle again' to start over."
        if self._right(order):
            return True, self.explanation
        if self.needs is not None:
            position = {step: i for i, step in enumerate(order)}
            for i, step in enumerate(order):
                late = [b for b in self.needs.get(step, []) if position[b] > i]
                if late:
                    return False, (f"Step {i + 1}, \u201c{step}\u201d, needs \u201c{late[0]}\u201d, "
                                   f"which comes after it (step {position[late[0]] + 1}).")
        first_wrong = next(i for i, (a, b) in enumerate(zip(order, self.steps)) if a != b)
        n_right = sum(a == b for a, b in zip(order, self.steps))
        return False, (f"{n_right} of {len(self.steps)} steps are in place. Step {first_wrong + 1} should be "
                       f"\u201c{self.steps[first_wrong]}\u201d, not \u201c{order[first_wrong]}\u201d.")


class Quiz(widgets.VBox):
    """A 'Try it' block: a heading and its questions."""

    def __init__(self, questions, title="Try it"):
        self.questions = list(questions)
        previous = None
        for question in self.questions:  # the answers of successive multiple choices in different places
            if isinstance(question, MultipleChoice):
                if question.answer_position == previous:
                    question.arrange((previous + 1) % len(question.options))
                previous = question.answer_position
        super().__init__([widgets.HTML(f"<h3>{title}</h3>")] + self.questions)
        self.add_class("bp-quiz")
