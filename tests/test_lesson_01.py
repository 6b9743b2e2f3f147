"""Lesson 01, one neuron: its numbers, its tests (every known mistake named, the wrong approaches
that used to pass now failing), its quiz and its explorer."""

import math

import lesson_tools
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import mistake_versions

from backprop import checks, gradcheck, mistakes, reference
from backprop.explorers import NeuronExplorer
from backprop.layers import Sigmoid, sigmoid

LESSON = "01_one_neuron"
SOLUTION = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
STUDENT = ROOT / "lessons" / LESSON / f"{LESSON}.ipynb"


def cells(path=SOLUTION):
    return nbformat.read(path, as_version=4).cells


def visible_test_cell(grade_id):
    """A test cell as the student sees it (hidden tests stripped)."""
    return next(c.source for c in cells(STUDENT) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def run_test_cell(grade_id, **answers):
    """Run a visible test cell with the student's functions; the message of its failure, or None."""
    namespace = {"np": np, "sigmoid": sigmoid, **answers}
    try:
        exec(visible_test_cell(grade_id), namespace)
    except AssertionError as failure:
        return str(failure)
    return None


def right_forward(x, w, b):
    return sigmoid(w * x + b)


def right_gradients(x, w, b, y):
    a = sigmoid(w * x + b)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


@pytest.fixture(scope="module")
def executed():
    return lesson_tools.executed(LESSON)


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


# --- the numbers of the prose ---------------------------------------------------------------


def test_the_printed_numbers_are_those_of_the_prose(executed):
    out = "\n".join(text_of(c) for c in executed.cells)
    for number in ["loss L = (1.0 - 4.0)^2 = 9.0", "= -12.000000", "w: 0.5 -> 1.7000", "loss: 9.0 -> 0.3600",
                   "step 2: loss 0.0144", "z = 1.0000, a = 0.7311, L = 0.0723",
                   "dL/da = -0.5379, da/dz = 0.1966, dL/dz = -0.1058", "dL/dw = -0.2115, dL/db = -0.1058",
                   "dL/dw by nudging: -0.2115"]:
        assert number in out, number
    assert not [o for c in executed.cells for o in c.get("outputs", [])
                if o.output_type == "error" or o.get("name") == "stderr"]


def test_the_error_factor_and_the_explorer_bullets():
    x = 2.0
    assert 1 - 2 * 0.1 * x**2 == pytest.approx(0.2) and (1 - 2 * 0.25 * x**2) == pytest.approx(-1.0)
    assert 1 - 2 * 0.3 * x**2 == pytest.approx(-1.4) and 1 - 2 * 0.1 * (x**2 + 1) == pytest.approx(0.0)
    e = NeuronExplorer()
    e.step()                                 # the first bullet: w = 1.7
    assert e.w.value == pytest.approx(1.7)
    e.reset_button.click()                   # bounce between 0.5 and 3.5, from Reset
    e.lr.value = 0.25
    visited = []
    for _ in range(4):
        e.step()
        visited.append(round(e.w.value, 6))
    assert visited == [3.5, 0.5, 3.5, 0.5]
    for lr in (0.1, 0.05):                   # with b too: (1.7, 0.6), whatever the learning rate
        e.reset_button.click()
        e.learn_b.value, e.lr.value = True, lr
        for _ in range(40):
            e.step()
        assert (e.w.value, e.b.value) == (pytest.approx(1.7), pytest.approx(0.6))
        e.learn_b.value = False


def test_the_explorers_trail_dots_lie_on_the_curves_they_are_drawn_on():
    e = NeuronExplorer()
    e.step()
    e.step()
    ws, losses = e.trail_w.get_data()
    assert list(ws) == pytest.approx([0.5, 1.7]) and list(losses) == pytest.approx([9.0, 0.36])
    assert len(e.trail_b.get_data()[0]) == 0    # b fixed: no column of dots at b = 0
    assert "9 → 0.36 → 0.0144" in e.readout.value
    e.reset_button.click()
    e.learn_b.value, e.lr.value = True, 0.05
    e.step()
    for line in (e.trail_w, e.trail_b):         # the curves moved with b: the old point is on neither
        assert len(line.get_data()[0]) == 0
    assert "loss, step by step" in e.readout.value


def test_quiz_q3_is_not_printed_by_the_lesson_and_its_slips_get_hints(executed):
    quiz = next(c.source for c in cells() if c.source.startswith("Quiz(["))
    assert "answer=0.0064" in quiz and "0.0064" not in "\n".join(text_of(c) for c in executed.cells)

    def two_steps(w, lr=0.1, factor=2.0, uphill=(False, False)):
        for up in uphill:
            g = factor * (w * 2.0 - 4.0) * 2.0
            w = w + lr * g if up else w - lr * g
        return (w * 2.0 - 4.0) ** 2

    assert two_steps(1.0) == pytest.approx(0.0064)
    slips = [two_steps(1.0, factor=1.0), two_steps(1.0, uphill=(False, True)), two_steps(1.0, uphill=(True, False))]
    for slip in slips:
        assert f"{slip:.4g}:" in quiz, slip   # 0.5184 (no 2, or the second step uphill), 12.96


def test_every_answer_of_the_quiz_gets_feedback():
    quiz = lesson_tools.quiz_from(LESSON)["quiz"]
    lesson_tools.assert_every_answer_gets_feedback(quiz)
    two_steps = next(q for q in quiz.questions if getattr(q, "answer", None) == 0.0064)
    for near_miss in ("0.006", "0.007", "0.0065"):  # the loss after two steps, not a rounding of it
        assert lesson_tools.answer(two_steps, near_miss)[0] is False, near_miss


# --- the graded exercises ---------------------------------------------------------------------


def test_the_setup_cell_does_not_import_the_reference():
    setup = next(c.source for c in cells(STUDENT) if c.cell_type == "code")
    assert "reference" not in setup


def test_the_right_answers_pass_the_visible_tests():
    assert run_test_cell("test_neuron_forward", neuron_forward=right_forward) is None
    assert run_test_cell("test_neuron_gradients", neuron_gradients=right_gradients) is None


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.neuron_forward))
def test_every_forward_mistake_fails_the_worked_examples_and_is_named_alone(description, buggy):
    message = run_test_cell("test_neuron_forward", neuron_forward=buggy)
    assert message is not None and "on 2 cases" not in message.splitlines()[0]
    assert f"Likely cause: {description}\n" in message


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.neuron_gradients))
def test_every_gradient_mistake_fails_the_worked_examples_and_is_named_alone(description, buggy):
    message = run_test_cell("test_neuron_gradients", neuron_gradients=buggy)
    assert message is not None and message.splitlines()[0].endswith("of 2 cases.")
    assert f"Likely cause: {description}\n" in message   # alone: no " Or: " after it


@pytest.mark.parametrize("h", [1e-3, 1e-4, 1e-5, 1e-6, 1e-7])
@pytest.mark.parametrize("centred", [True, False])
def test_gradients_by_nudging_fail_and_are_told_why(h, centred):
    def loss(x, w, b, y):
        return (1.0 / (1.0 + math.exp(-(w * x + b))) - y) ** 2

    def neuron_gradients(x, w, b, y):
        if centred:
            return ((loss(x, w + h, b, y) - loss(x, w - h, b, y)) / (2 * h),
                    (loss(x, w, b + h, y) - loss(x, w, b - h, y)) / (2 * h))
        return (loss(x, w + h, b, y) - loss(x, w, b, y)) / h, (loss(x, w, b + h, y) - loss(x, w, b, y)) / h

    message = run_test_cell("test_neuron_gradients", neuron_gradients=neuron_gradients)
    assert message is not None
    if "saturated" not in message:   # a coarse nudge already fails the ordinary cases
        assert h >= 1e-3 or not centred
    else:
        assert "gradients estimated by nudging come out wrong here" in message.split("case 1")[0]


def test_the_hidden_saturated_cases_defeat_nudging_and_pass_every_exact_formula():
    rng = np.random.default_rng(7)
    cases = [reference.random_saturated_neuron(rng) for _ in range(200)]
    for case in cases:
        x, w, b, y = case["x"], case["w"], case["b"], case["y"]
        z = w * x + b
        assert 16 <= abs(z) <= 17.5 and abs(y - round(sigmoid(z))) >= 1
        e = math.exp(-z)
        d = 2 * (1 / (1 + e) - y) * e / (1 + e) ** 2   # sigma'(z) without a(1 - a)
        for got, want in zip((d * x, d), reference.neuron_gradients(**case)):
            assert abs(got - want) <= 1e-8 * abs(want)
    def loss(w, b, case):
        return (sigmoid(w * case["x"] + b) - case["y"]) ** 2

    def nudged(case, h):
        w, b = case["w"], case["b"]
        return ((loss(w + h, b, case) - loss(w - h, b, case)) / (2 * h),
                (loss(w, b + h, case) - loss(w, b - h, case)) / (2 * h))

    for h in np.logspace(-8, -2, 25):  # whatever h a student picks, ten hidden cases catch it
        for trial in range(0, 100, 10):
            assert any(abs(got - want) > 1e-7 * abs(want)
                       for case in cases[trial:trial + 10]
                       for got, want in zip(nudged(case, h), reference.neuron_gradients(**case))), h


def test_the_package_s_nudging_and_sigmoid_layer_are_not_allowed():
    def by_gradcheck(x, w, b, y):
        wb = np.array([w, b])
        return tuple(gradcheck.numerical_gradient(lambda p: reference.neuron_loss(x, p[0], p[1], y), wb))

    def by_layer(x, w, b, y):
        layer = Sigmoid()
        z = w * x + b
        a = layer.function(z)
        d = 2 * (a - y) * layer.derivative(z, a)
        return d * x, d

    def by_autograd(x, w, b, y):  # lesson 10's engine: right numbers, but not the chain rule by hand
        from backprop.autograd import Tensor

        w_, b_ = Tensor(np.array(w)), Tensor(np.array(b))
        loss = ((w_ * x + b_).sigmoid() - y) ** 2
        loss.backward()
        return float(w_.grad), float(b_.grad)

    message = run_test_cell("test_neuron_gradients", neuron_gradients=by_gradcheck)
    assert "backprop.reference.neuron_loss" in message or "numerical_gradient" in message
    message = run_test_cell("test_neuron_gradients", neuron_gradients=by_layer)
    assert "it calls the course's own backprop.layers.Sigmoid instead of computing the answer itself" in message
    message = run_test_cell("test_neuron_gradients", neuron_gradients=by_autograd)
    assert "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself" in message


def test_messages_name_the_right_cause():
    # a float32 answer: its dtype, not the bias (which the worked example, with b = 0, cannot show)
    message = run_test_cell("test_neuron_forward", neuron_forward=lambda x, w, b: np.float32(sigmoid(w * x + b)))
    assert "float32" in message and "Likely cause: it computes in float32" in message
    def in_float32(x, w, b, y):
        return tuple(np.float32(g) for g in right_gradients(x, w, b, y))

    message = run_test_cell("test_neuron_gradients", neuron_gradients=in_float32)
    assert "float32" in message and "Likely cause: it computes in float32" in message

    # neuron_gradients calling an unwritten neuron_forward
    def calling(neuron_forward):
        def neuron_gradients(x, w, b, y):
            a = neuron_forward(x, w, b)
            d = 2 * (a - y) * a * (1 - a)
            return d * x, d
        return neuron_gradients

    def neuron_forward(x, w, b):
        raise NotImplementedError()

    message = run_test_cell("test_neuron_gradients", neuron_gradients=calling(neuron_forward))
    assert "neuron_forward, which neuron_gradients calls, is not written yet" in message
    # ... and calling a neuron_forward without the bias or without the sigmoid: the message says where to look
    for wrong in ("sigmoid(w * x)", "w * x + b", "sigmoid(-(w * x + b))"):
        message = run_test_cell("test_neuron_gradients",
                                neuron_gradients=calling(eval(f"lambda x, w, b: {wrong}", {"sigmoid": sigmoid})))
        assert "in your neuron_forward if neuron_gradients calls it" in message.splitlines()[2], wrong


def test_the_likely_cause_is_in_the_first_lines_nbgrader_s_validate_keeps():
    message = run_test_cell("test_neuron_gradients", neuron_gradients=mistakes.l01_one_neuron._grads_no_two)
    assert message.splitlines()[2].startswith("Likely cause: the factor 2")
    assert all(len(line) <= 83 for line in message.splitlines()[:2])


# --- lesson 00 --------------------------------------------------------------------------------


def test_lesson_00_says_true_things_about_nudging_and_its_demo_names_a_cause():
    source = "\n".join(c.source for c in cells(ROOT / "solutions" / "00_start_here" / "00_start_here.ipynb"))
    assert "on $x^2$ the\nnudged slope stays exact" in source and "Choose **sin x**" in source
    for x in (-2.0, 0.3, 1.0):
        for h in (1.0, 0.1, 1e-3):
            assert ((x + h) ** 2 - (x - h) ** 2) / (2 * h) == pytest.approx(2 * x, abs=1e-9)
    assert abs((math.sin(2.0) - math.sin(0.0)) / 2 - math.cos(1.0)) == pytest.approx(0.0857, abs=5e-4)
    assert "Every graded lesson (01 to\n  10)" in source and "python -m backprop.course submit" in source
    assert "Assignments panel" not in source and "Assignment List**" in source
    demo = next(c.source for c in cells(ROOT / "solutions" / "00_start_here" / "00_start_here.ipynb")
                if "def slope_of_square" in c.source)
    namespace = {"checks": checks}
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(demo, namespace)
    assert "Likely cause: the 2 from differentiating the square is missing" in out.getvalue()
    assert "expected 6, got 3" in out.getvalue()
    assert checks is not None
