"""Lesson 07: gradient checking.

The lesson's worked numbers (recomputed, and read from the executed notebook), its known
mistakes, its explorer and figure helper, and the grading of the bug-fixing exercise.
"""

import re

import lesson_tools
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import failure_in, mistake_versions, solution_namespace

from backprop import checks, gradcheck, layers, plots, reference
from backprop.checks import check_number
from backprop.explorers import FiniteDifferenceExplorer
from backprop.layers import Linear, MeanSquaredError, ReLU, Sequential, sigmoid
from backprop.mistakes import l07_gradient_checking as numgrad_mistakes

LESSON = "07_gradient_checking"


@pytest.fixture(scope="module")
def executed():
    """The solution notebook, executed once in a fresh kernel: (everything printed, every text/plain result)."""
    nb = lesson_tools.executed(LESSON)
    return lesson_tools.printed(nb), lesson_tools.results(nb)


def L(w):
    return (sigmoid(2.0 * w) - 1.0) ** 2


# --- the worked numbers ---------------------------------------------------------------


def test_one_sided_and_centred_differences_of_the_lesson_01_neuron():
    w = 0.5
    a = sigmoid(1.0)
    exact = 2 * (a - 1.0) * a * (1 - a) * 2.0
    check_number("exact slope", exact, -0.2115)
    expected = {1e-1: (-0.1875, -0.2127), 1e-2: (-0.2090, -0.2115), 1e-3: (-0.2113, -0.2115)}
    for h, (one_sided, centred) in expected.items():
        check_number(f"one-sided, h={h}", (L(w + h) - L(w)) / h, one_sided)
        check_number(f"centred, h={h}", (L(w + h) - L(w - h)) / (2 * h), centred)
    # the error falls like h for one, like h**2 for the other
    errors = {h: (abs((L(w + h) - L(w)) / h - exact), abs((L(w + h) - L(w - h)) / (2 * h) - exact))
              for h in (1e-1, 1e-3)}
    assert np.log10(errors[1e-1][0] / errors[1e-3][0]) / 2 == pytest.approx(1.0, abs=0.02)
    assert np.log10(errors[1e-1][1] / errors[1e-3][1]) / 2 == pytest.approx(2.0, abs=0.01)


def test_the_notebook_prints_the_worked_numbers(executed):
    printed, _ = executed
    for expected in ["exact slope: -0.21150837",
                     "  1e-01   -0.187487   2.4e-02    -0.212675   1.2e-03",
                     "  1e-02   -0.208997   2.5e-03    -0.211520   1.2e-05",
                     "  1e-03   -0.211256   2.5e-04    -0.211508   1.2e-07",
                     "L'(0.5) = -0.2115   L''(0.5) = 0.5047   L'''(0.5) = -0.7055",
                     "  1e-01              2.52e-02    2.40e-02            1.18e-03    1.17e-03",
                     "  1e-03              2.52e-04    2.52e-04            1.18e-07    1.18e-07",
                     "measured slopes between h = 0.1 and h = 0.001: one-sided 0.99, centred 2.00",
                     "relative error: 9.9920e-04",
                     " float64:  3.0e-03  3.1e-05  3.1e-07  3.1e-09  3.1e-11  2.6e-10",
                     " float32:  3.0e-03  3.7e-05  1.5e-04  9.8e-04  1.2e-02  2.1e-01",
                     "9610 parameters; 10 entries of each of the 4 arrays: 80 forward passes",
                     "every entry: 19220 forward passes; on these 16 digits about",
                     "    on all 1348 training digits about",
                     "a 784 -> 1000 -> 10 network (for 28 x 28 images) has 795010 parameters:\n"
                     "    1590020 forward passes to check every entry, 80 to check 10 entries of each array"]:
        assert expected in printed, expected
    # the time to check every entry on all the digits, in units that do not round it to "about 0 min"
    duration = re.search(r"on all 1348 training digits about (\d+) (s|min)\n", printed)
    assert duration and int(duration.group(1)) >= 1, printed
    best = dict(re.findall(r"(one-sided|centred): smallest error \S+ at h = (\S+)", printed))
    assert 1e-9 <= float(best["one-sided"]) <= 1e-7  # near sqrt(eps)
    assert 1e-6 <= float(best["centred"]) <= 1e-4    # near eps**(1/3)


def test_the_relative_error_example_and_bands():
    check_number("relative error", reference.relative_error(np.array([3.0, 4.0]), np.array([3.0, 4.01])) * 1e4, 9.9920)
    check_number("unrelated", reference.relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])), 0.7071)
    assert reference.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert [band[0] for band in plots.ERROR_BANDS][:2] == [1e-7, 1e-4]


def test_the_reports_in_the_notebook(executed):
    _, results = executed
    reports = [r for r in results if r.startswith("parameter")]
    kink, clear, sampled, planted, fixed, buggy_dense, fixed_dense = reports
    assert "FAIL" in kink and "some gradients disagree" in kink
    assert "1.87e-01" in kink and "3.74e-01" in kink  # the prose's 0.19 and 0.37
    assert "FAIL" not in clear and "all gradients agree" in clear
    assert "FAIL" not in sampled and "0.W         (64, 128)" in sampled
    rows = {line.split()[0]: line for line in planted.splitlines()[1:-1]}
    assert rows["x"].endswith("ok") and rows["W"].endswith("ok") and rows["b"].endswith("FAIL")
    assert "6.00e-01" in rows["b"]
    analytic, numerical = (float(v) for v in rows["b"].split()[-3:-1])
    assert analytic / numerical == pytest.approx(0.25, rel=1e-4)  # averaged over a batch of 4
    assert "FAIL" not in fixed
    assert buggy_dense.count("FAIL") == 3 and "FAIL" not in fixed_dense


def test_a_kink_fools_the_check_and_moving_off_it_does_not():
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((3, 4)), rng.normal(0, 0.5, 4)
    x, target = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    z = x @ W + b
    on = gradcheck.network_report(Sequential(Linear(W.copy(), b + np.array([0, 3e-6 - z[0, 1], 0, 0])), ReLU()),
                                 MeanSquaredError(), x, target)
    off = gradcheck.network_report(Sequential(Linear(W.copy(), b + np.array([0, 0.1 - z[0, 1], 0, 0])), ReLU()),
                                  MeanSquaredError(), x, target)
    assert on.max_error > 1e-2 and off.max_error < 1e-9


def test_float32_cannot_check_as_well_as_float64():
    """The prose: in float32 the centred error is at best about 2e-6, near h = 10^-2.5, and about 2e-4 at
    h = 1e-5; float64 reaches 1e-10 and better."""
    e = FiniteDifferenceExplorer()
    exact = e.slope(0.5)
    best64 = min(e.relative_error(e.estimates(0.5, e.hs)[1], exact))
    e.precision.value = "float32"
    hs = 10.0 ** np.arange(-13, -0.49, 0.25)  # the slider's steps
    errors = e.relative_error(e.estimates(0.5, hs)[1], exact)
    best = int(np.argmin(errors))
    assert best64 < 1e-10
    assert f"{errors[best]:.1e}" == "1.6e-06" and np.log10(hs[best]) == pytest.approx(-2.5)
    e.log_h.value = -5.0
    assert "relative error 2.1e-04" in e.readout.value and "verdict only in float64" in e.readout.value


# --- the graded exercises: every known mistake fails and is named ------------------------


def product(x):
    return x[0] ** 2 * x[1]


def likely_causes(message):
    return message.split("Likely cause: ", 1)[1] if message and "Likely cause: " in message else ""


def failure_of(calls):
    for call in calls:
        try:
            call()
        except AssertionError as failure:
            return str(failure)
    return None


def numerical_gradient_checks(answer):
    """The visible checks of the numerical-gradient exercise, in the notebook's order."""
    return [
        lambda: checks.check_function(answer, reference.numerical_gradient,
                                      [{"f": product, "x": np.array([3.0, 2.0]), "h": 1e-5}]),
        *(lambda cases=cases, seed=seed: checks.check_function(answer, reference.numerical_gradient, cases, seed=seed)
          for cases, seed in ((reference.random_numerical_gradient, 1),
                              (reference.random_numerical_gradient_reading_x, 2),
                              (reference.random_numerical_gradient_default_h, 3),
                              (reference.random_numerical_gradient_any_layout, 4))),
    ]


RELATIVE_ERROR_CASES = [{"a": np.array([3.0, 4.0]), "b": np.array([3.0, 4.01])},
                        {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 1.0])},
                        {"a": np.zeros(3), "b": np.zeros(3)},
                        {"a": np.zeros(3), "b": np.array([1.0, -2.0, 0.5])},
                        {"a": np.array([3e-9, 4e-9]), "b": np.array([3e-9, 4.01e-9])},
                        {"a": np.array([3e-15, 4e-15]), "b": np.array([3e-15, 4.01e-15])}]


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.numerical_gradient))
def test_every_numerical_gradient_mistake_fails_and_is_named(description, buggy):
    message = failure_of(numerical_gradient_checks(buggy))
    assert likely_causes(message).startswith(description) and " Or: " not in message


def test_a_copy_is_named_alone_when_only_a_function_reading_x_catches_it():
    on_a_copy = numgrad_mistakes._numgrad_on_a_copy
    message = failure_of([lambda: checks.check_function(on_a_copy, reference.numerical_gradient,
                                                        reference.random_numerical_gradient_reading_x, seed=2)])
    assert likely_causes(message).startswith("x was copied before nudging") and " Or: " not in message


def test_a_reshape_view_passes_contiguous_arrays_and_fails_a_transposed_one():
    message = failure_of(numerical_gradient_checks(numgrad_mistakes._numgrad_flat_view))
    assert "(x is a transposed view, not stored in order)" in message
    assert likely_causes(message).startswith("x.reshape(-1) is a view of x only when")


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.relative_error))
def test_every_relative_error_mistake_fails_and_is_named(description, buggy):
    message = failure_of([
        lambda: checks.check_function(buggy, reference.relative_error, RELATIVE_ERROR_CASES),
        lambda: checks.check_function(buggy, reference.relative_error, reference.random_gradient_pair, seed=3),
    ])
    assert likely_causes(message).startswith(description) and " Or: " not in message


def test_random_gradient_pairs_reach_gradients_of_1e_9():
    rng = np.random.default_rng(0)
    sizes = [np.linalg.norm(reference.random_gradient_pair(rng)["a"]) for _ in range(200)]
    assert min(s for s in sizes if s > 0) < 1e-8 and max(sizes) > 100


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.DenseTanh))
def test_every_dense_backward_mistake_fails_and_is_named(description, buggy):
    message = failure_of([lambda: checks.check_layer(buggy, reference.DenseTanh, reference.random_dense, seed=4)])
    assert likely_causes(message).startswith(description) and " Or: " not in message


# --- the notebook's own test cells, hidden tests included, against wrong answers ----------------


def test_the_solutions_pass_their_test_cells():
    answers = solution_namespace(LESSON, also=("buggy_dense",))
    for grade_id in ("test_numerical_gradient", "test_relative_error", "test_fixed_dense"):
        assert failure_in(LESSON, grade_id, **answers) is None, grade_id


def test_wrong_numerical_gradients_that_passed_before_now_fail():
    right = solution_namespace(LESSON, also=("buggy_dense",))["numerical_gradient"]

    def with_default_step(h):
        def numerical_gradient(f, x, h=h):
            return right(f, x, h)
        return numerical_gradient

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=with_default_step(1e-2))
    assert message is not None and "h=" not in message.split("case 1:")[1].split("\n")[0]  # the case gives no h
    assert failure_in(LESSON, "test_numerical_gradient", numerical_gradient=with_default_step(1e-5)) is None

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=numgrad_mistakes._numgrad_flat_view)
    assert "Likely cause: x.reshape(-1) is a view of x only when" in message

    def two_axes_at_most(f, x, h=1e-5):  # a loop written for vectors and matrices
        grad = np.zeros_like(x)
        rows, cols = x.shape if x.ndim == 2 else (x.shape[0], 1)
        for i in range(rows):
            for j in range(cols):
                idx = (i, j) if x.ndim == 2 else (i,)
                old = x[idx]
                x[idx] = old + h
                f_plus = f(x)
                x[idx] = old - h
                f_minus = f(x)
                x[idx] = old
                grad[idx] = (f_plus - f_minus) / (2 * h)
        return grad

    assert failure_in(LESSON, "test_numerical_gradient", numerical_gradient=two_axes_at_most) is not None

    def delegates(f, x, h=1e-5):
        return gradcheck.numerical_gradient(f, x, h)

    assert "backprop.gradcheck.numerical_gradient" in failure_in(LESSON, "test_numerical_gradient",
                                                                 numerical_gradient=delegates)


def test_relative_errors_that_passed_before_now_fail_and_a_0d_array_is_a_number():
    def with_epsilon(a, b):
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))

    message = failure_in(LESSON, "test_relative_error", relative_error=with_epsilon)
    assert "Likely cause: a small number was added to the denominator" in message

    def over_a_plus_b_guarded(a, b):
        if not a.any() and not b.any():
            return 0.0
        return float(np.linalg.norm(a - b) / np.linalg.norm(a + b))

    message = failure_in(LESSON, "test_relative_error", relative_error=over_a_plus_b_guarded)
    assert "Likely cause: divided by |a + b|" in message

    def zero_d(a, b):  # np.asarray(...) of a number: 0-dimensional, which counts as a number
        scale = np.linalg.norm(a) + np.linalg.norm(b)
        return np.asarray(0.0 if scale == 0 else np.linalg.norm(a - b) / scale)

    assert failure_in(LESSON, "test_relative_error", relative_error=zero_d) is None

    def one_entry(a, b):
        return np.array([zero_d(a, b)])

    assert "Return a plain number" in failure_in(LESSON, "test_relative_error", relative_error=one_entry)

    def delegates(a, b):
        return gradcheck.relative_error(a, b)

    assert "backprop.gradcheck.relative_error" in failure_in(LESSON, "test_relative_error", relative_error=delegates)


def test_wrong_fixes_of_the_dense_layer_are_named_and_the_course_layers_are_forbidden():
    answers = solution_namespace(LESSON, also=("buggy_dense",))

    class FixedDense(answers["BuggyDense"]):
        def backward(self, dout, cache):
            x, a = cache
            dz = dout * (1 - a) ** 2
            return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}

    message = failure_in(LESSON, "test_fixed_dense", FixedDense=FixedDense)
    assert "Likely cause: (1 - a)**2 squares the difference" in message

    class ThroughTanh(answers["BuggyDense"]):
        def backward(self, dout, cache):
            x, a = cache
            dz, _ = layers.Tanh().backward(dout, (a, a))
            return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}

    assert "backprop.layers.Tanh" in failure_in(LESSON, "test_fixed_dense", FixedDense=ThroughTanh)


def test_the_numerical_gradient_reference_is_gradchecks_and_restores_x():
    case = reference.random_numerical_gradient_reading_x(np.random.default_rng(0))
    before = case["x"].copy()
    grad = reference.numerical_gradient(**case)
    np.testing.assert_array_equal(case["x"], before)
    assert np.abs(grad).max() > 0.1  # it sees the function that reads x itself
    f = case["f"]
    assert f(np.zeros(3)) == f(case["x"])  # that function ignores its argument
    assert "reads x itself" in repr(f)
    with pytest.raises(TypeError, match="x must have dtype float64"):
        reference.numerical_gradient(product, np.array([3, 2]))


def test_random_cases_are_well_conditioned():
    rng = np.random.default_rng(0)
    for _ in range(50):
        case = reference.random_dense(rng)
        assert np.abs(case["x"] @ case["W"] + case["b"]).max() < 3.0  # tanh not saturated
        pair = reference.random_gradient_pair(rng)
        assert pair["a"].shape == pair["b"].shape


# --- the explorer and the figure helper ------------------------------------------------------


def test_finite_difference_explorer(artifacts):
    e = FiniteDifferenceExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert "-0.2115083711" in e.readout.value
    # h = 1e-2 is outside the bands' range (float64, h near 1e-5): an error, no verdict
    assert "relative error 2.8e-05<br>" in e.readout.value and "<b>" not in e.readout.value
    assert "a verdict only in float64, with h under the dark strip" in e.readout.value
    e.log_h.value = -5.0
    assert e.image.value != first
    assert "relative error 2.2e-11: <b>agree</b>" in e.readout.value and "dark strip" not in e.readout.value
    e.set_values(w=2.5, log_h=-0.5)  # a big step far out on the curve: still no "bug?" verdict
    assert "bug" not in e.readout.value
    e.set_values(w=0.5, log_h=-5.0)
    assert e.h_line.get_xdata()[0] == pytest.approx(1e-5)
    marks = e.marks.get_ydata()
    assert marks[1] < 1e-9 < marks[0]  # centred far better than one-sided at the same h
    e.precision.value = "float32"
    assert "in float32" in e.readout.value and "<b>agree</b>" not in e.readout.value
    # a big step makes the secants visibly different from the tangent
    e.set_values(precision="float64", log_h=-0.5)
    assert abs(e.one_sided_line.get_ydata()[0] - e.tangent.get_ydata()[0]) > 0.05
    (artifacts / "finite_difference_explorer.png").write_bytes(e.image.value)


def test_shade_error_bands():
    _, ax = plt.subplots()
    ax.set_yscale("log")
    plots.shade_error_bands(ax)
    assert [t.get_text() for t in ax.texts] == ["agree", "look closer", "a bug?"]
    assert len(ax.patches) == 3
    plt.close(ax.figure)


# --- grading: fixing one bug of two is not enough, and the feedback says which is left ---------


def test_fixing_only_one_bug_loses_the_exercise_and_the_feedback_names_the_other(course_cfg):
    from test_grading import autograde, submit

    submit(course_cfg, "bob", LESSON,
           lesson_tools.edited_solution(LESSON, {"fixed_dense": [("dW = x.T @ dz", "dW = x.T @ dout")]}))
    scores = autograde(course_cfg, LESSON, ["bob"])["bob"]
    assert scores["test_fixed_dense"] == (0.0, 4.0)
    assert scores["test_numerical_gradient"] == (3.0, 3.0) and scores["test_relative_error"] == (2.0, 2.0)
    message = lesson_tools.graded_errors(course_cfg, "bob", LESSON)["test_fixed_dense"]
    assert "Likely cause: dW uses dout" in message


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="log_h, the base-10 logarithm of the step, must lie between -13 and -0.5"):
        FiniteDifferenceExplorer(log_h=1.0)
    with pytest.raises(ValueError, match="w must lie between -1.5 and 2.5"):
        FiniteDifferenceExplorer(w=5.0)
    layer = reference.DenseTanh(np.ones((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"x has shape \(4, 2\) but W has shape \(3, 2\)"):
        layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"analytic has shape \(2,\) but numeric has shape \(3,\)"):
        reference.relative_error(np.ones(2), np.ones(3))


# --- wrong answers a newcomer wrote, each named by its cause ------------------------------------------------------


def test_a_numerical_gradient_that_leaves_x_changed_is_told_to_restore_it_not_to_copy_it():
    def restores_by_adding_h_back(f, x, h=1e-5):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            x[idx] += h
            f_plus = f(x)
            x[idx] -= 2 * h
            f_minus = f(x)
            x[idx] += h
            grad[idx] = (f_plus - f_minus) / (2 * h)
        return grad

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=restores_by_adding_h_back)
    assert "Likely cause: x is restored by adding h back" in message
    assert "the argument x is not as it was when the function returns: put every entry back exactly" in message
    assert "copy" not in message


@pytest.mark.parametrize("default_h", [1e-10, 1e-8])
def test_a_default_step_that_is_too_small_is_named(default_h):
    right = solution_namespace(LESSON, also=("buggy_dense",))["numerical_gradient"]

    def numerical_gradient(f, x, h=default_h):
        return right(f, x, h)

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=numerical_gradient)
    assert "Likely cause: the default step is too small" in message and " Or: " not in message


def test_a_numerical_gradient_that_views_x_through_nditer_or_writes_into_x_is_named():
    def nditer_view(f, x, h=1e-5):
        grad = np.zeros_like(x)
        it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
        for v in it:
            old = v
            v[...] = old + h
            f_plus = f(x)
            v[...] = old - h
            f_minus = f(x)
            v[...] = old
            grad[it.multi_index] = (f_plus - f_minus) / (2 * h)
        return grad

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=nditer_view)
    assert "Likely cause: the second point is x itself, not x - h" in message

    def writes_into_x(f, x, h=1e-5):
        grad = x[:]
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            f_plus = f(x)
            x[idx] = old - h
            f_minus = f(x)
            x[idx] = old
            grad[idx] = (f_plus - f_minus) / (2 * h)
        return grad

    message = failure_in(LESSON, "test_numerical_gradient", numerical_gradient=writes_into_x)
    assert "Likely cause: grad = x[:] (or grad = x) is x itself, not a copy" in message


def test_relative_errors_that_differ_only_on_matrices_or_zeros_fail_visibly_and_are_named():
    def spectral(a, b):
        scale = np.linalg.norm(a, 2) + np.linalg.norm(b, 2)
        return 0.0 if scale == 0 else float(np.linalg.norm(a - b, 2) / scale)

    def per_column(a, b):
        num, den = np.linalg.norm(a - b, axis=0), np.linalg.norm(a, axis=0) + np.linalg.norm(b, axis=0)
        return 0.0 if np.all(den == 0) else float(np.mean(num / np.where(den == 0, 1.0, den)))

    def zero_if_either(a, b):
        if not np.any(a) or not np.any(b):
            return 0.0
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))

    def tiny_epsilon(a, b):
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-20))

    for answer, says in ((spectral, "np.linalg.norm(M, 2) of a matrix is its largest singular value"),
                         (per_column, "norms per column (axis=0) were compared and averaged"),
                         (zero_if_either, "0.0 was returned when only one of the arrays is all zero"),
                         (tiny_epsilon, "a small number was added to the denominator")):
        visible = failure_in(LESSON, "test_relative_error", relative_error=answer)  # hidden tests included
        assert visible is not None and "Likely cause: " + says in visible, answer.__name__
    message = failure_in(LESSON, "test_relative_error", relative_error=zero_if_either)
    assert "case 4: a=[0., 0., 0.], b=[ 1. , -2. ,  0.5]" in message


def test_a_case_with_an_all_zero_matrix_says_so():
    from backprop.checks.base import describe_case

    assert describe_case({"a": np.zeros((3, 4)), "b": np.ones((3, 4))}) == \
        "a: array of shape (3, 4), all 0, b: array of shape (3, 4)"


def test_the_dense_layer_may_not_take_its_gradients_from_the_course_autograd():
    answers = solution_namespace(LESSON, also=("buggy_dense",))
    from backprop.autograd import Tensor

    class FixedDense(answers["BuggyDense"]):
        def backward(self, dout, cache):
            x, _ = cache
            xt, W, b = Tensor(x), Tensor(self.params["W"]), Tensor(self.params["b"])
            out = (xt @ W + b).tanh()
            (out * Tensor(dout)).sum().backward()
            return xt.grad, {"W": W.grad, "b": b.grad}

    message = failure_in(LESSON, "test_fixed_dense", FixedDense=FixedDense)
    assert "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself" in message


def test_the_diagnosis_asks_about_what_the_report_shows():
    """The report of BuggyDense fails all three gradients: the lesson does not ask which ones pass."""
    namespace = {"np": np}
    source = (ROOT / "solutions" / "07_gradient_checking" / "07_gradient_checking.md").read_text()
    buggy = source[source.index("class BuggyDense:"):]
    exec(buggy[:buggy.index("```")], namespace)
    rng = np.random.default_rng(3)
    x_dense = rng.standard_normal((5, 3))
    W_dense, b_dense = rng.standard_normal((3, 4)) / np.sqrt(3), rng.normal(0, 0.5, 4)
    report = str(gradcheck.layer_report(namespace["BuggyDense"](W_dense, b_dense), x_dense))
    assert [line.split()[-1] for line in report.splitlines()[1:4]] == ["FAIL", "FAIL", "FAIL"]
    assert "and which\npass?" not in source and "All three gradients fail" in source

