"""Lesson 02, the chain rule and computational graphs: its numbers, its checks, its mistakes, its figures
and its explorer."""

import inspect

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import answer, mistake_versions, printed, quiz_from, run_exercise, visible_failure

from backprop import checks, layers, mistakes, plots, reference
from backprop.explorers import ActivationExplorer
from backprop.layers import sigmoid

LESSON = "02_chain_rule"
SOLUTION = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"


@pytest.fixture(scope="module")
def executed():
    import lesson_tools

    return lesson_tools.executed(LESSON)


def test_the_lesson_prints_its_worked_numbers(executed):
    text = printed(executed)
    for line in [
        "(f(z + h) - f(z)) / h = 3.0010",            # secants approach the slope 3
        "u = 2.5, L = 6.25, dL/du = 5.0, du/dz = 3.0, dL/dz = 15.0",
        "by nudging z: 15.0000",
        "dL/dz2 = 0.2559, dz2/da1 = 1.2000, da1/dz1 = 0.2139, dz1/dw1 = 1.5000",   # a chain through a network
        "their product, dL/dw1 = 0.0985",
        "by nudging w1: 0.0985",
        "u = 1.2000, z = 0.8000, a = 0.6900, L = 0.0961",   # the neuron graph, forward
        "dL/da = -0.6201, dL/dz = -0.1326, dL/du = -0.1326",
        "dL/dw = -0.1990, dL/db = -0.1326, dL/dx = -0.1061",
        "2(a - y) * a(1 - a) * x = -0.1990",                 # seed 003's one-neuron formula
        "by nudging w:            -0.1990",
        "q = 9.0, dq/ds by the graph = 6.0, by nudging = 6.0000",
        "largest sigmoid'(z) = 0.2500, at z = 0.0000",       # seed 001: sigmoid' <= 0.25
        "largest tanh'(z)    = 1.0000",
        "through 20 sigmoids, at best: 0.25 ** 20 = 9.09e-13",
    ]:
        assert line in text, line


def test_the_worked_numbers_from_the_package():
    # the smallest network with a hidden layer: four factors along the chain
    x, y, w1, b1, w2, b2 = 1.5, 1.0, 0.8, -0.4, 1.2, 0.3
    a1 = sigmoid(w1 * x + b1)
    factors = [2 * (w2 * a1 + b2 - y), w2, a1 * (1 - a1), x]
    for value, expected in zip(factors, [0.2559, 1.2, 0.2139, 1.5]):
        checks.check_number("factor", value, expected)
    checks.check_number("dL/dw1", np.prod(factors), 0.0985)
    x, w, b, y = 1.5, 0.8, -0.4, 1.0
    a = sigmoid(w * x + b)
    checks.check_number("a", a, 0.6900)
    checks.check_number("L", (a - y) ** 2, 0.0961)
    dL_dz = 2 * (a - y) * a * (1 - a)
    checks.check_number("dL/dz", dL_dz, -0.1326)
    checks.check_number("dL/dw", dL_dz * x, -0.1990)
    checks.check_number("dL/dx", dL_dz * w, -0.1061)
    # the exercise's example, quoted in the lesson
    quoted = [-2.9504, -1.4752, -3.7515, -1.3003]
    for value, expected in zip(reference.graph_gradients(2.0, 0.5, -0.5, 0.3, 2.0), quoted):
        checks.check_number("graph gradient", value, expected)
    checks.check_number("0.25 ** 20 (x 1e13)", 0.25**20 * 1e13, 9.0949)


def test_reference_graph_gradients_agree_with_finite_differences():
    checks.check_numerical_gradient(reference.graph_gradients, reference.graph_loss, reference.random_graph,
                                    wrt=["w", "b", "v", "x"], trials=40, seed=0)


def test_random_cases_are_well_conditioned():
    rng = np.random.default_rng(0)
    axes, kinks = set(), {"v": 0, "x": 0, "none": 0}
    for _ in range(200):
        case = reference.random_activation(rng)
        assert case["x"].shape == case["dout"].shape and np.all(np.abs(case["x"]) >= 0.05)
        assert np.all(np.abs(case["x"]) <= 4)
        axes.add(case["x"].ndim)
        g = reference.random_graph(rng)
        assert abs(g["w"] * g["x"] + g["b"]) < 2 and abs(g["v"] * g["x"]) > 0.1
        r = reference.random_relu_with_zeros(rng)
        assert np.any(r["z"] == 0.0) and np.all(r["da"][r["z"] == 0.0] > 0)
        big = reference.random_large_z(rng)
        assert big["z"].shape == big["da"].shape and np.any(np.abs(big["z"]) > 710)
        assert np.all((np.abs(big["z"]) <= 4) | (np.abs(big["z"]) >= 710))
        k = reference.random_graph_with_kinks(rng)
        kinks["v" if k["v"] == 0 else "x" if k["x"] == 0 else "none"] += 1
    assert axes == {1, 2, 3}      # "an array z of any shape"
    assert min(kinks.values()) > 40, kinks


def test_the_references_stay_finite_for_very_large_z():
    z = np.array([-1000.0, -800.0, -30.0, 0.0, 30.0, 800.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow, not even a warning
        a, dz = reference.sigmoid_forward_backward(z, np.ones_like(z))
        np.testing.assert_allclose(a, [0, 0, 9.357623e-14, 0.5, 1, 1, 1], rtol=1e-6, atol=0)
        np.testing.assert_allclose(dz, [0, 0, 9.3576e-14, 0.25, 9.3576e-14, 0, 0], rtol=1e-2, atol=0)
        a, dz = reference.tanh_forward_backward(z, np.ones_like(z))
        np.testing.assert_array_equal(a[[0, 1, 5, 6]], [-1, -1, 1, 1])
        assert dz[3] == 1 and np.all(dz[[0, 1, 5, 6]] == 0)


# --- the exercises, run from the solution notebook, right and wrong ---------------------


EXERCISES = [("sigmoid_layer", "test_sigmoid_layer"), ("tanh_layer", "test_tanh_layer"),
             ("relu_layer", "test_relu_layer"), ("graph_gradients", "test_graph_gradients")]


@pytest.mark.parametrize("solution_id, test_id", EXERCISES)
def test_the_solutions_pass_their_tests(solution_id, test_id, capsys):
    run_exercise(LESSON, solution_id, test_id)
    assert "ok:" in capsys.readouterr().out


MUTANTS = [
    ("sigmoid_layer", "test_sigmoid_layer", ("np.exp(-z)", "np.exp(z)")),
    ("sigmoid_layer", "test_sigmoid_layer", ("da * a * (1.0 - a)", "a * (1.0 - a)")),
    ("sigmoid_layer", "test_sigmoid_layer", ("return a, a\n", "return a, z\n")),
    ("tanh_layer", "test_tanh_layer", ("1.0 - a**2", "1.0 - a")),
    ("tanh_layer", "test_tanh_layer", ("a = np.tanh(z)", "a = np.tanh(z) * 1.0001")),
    ("relu_layer", "test_relu_layer", ("(z > 0)", "(z >= 0)")),
    ("relu_layer", "test_relu_layer", ("np.maximum(z, 0.0)", "np.abs(z)")),
    ("relu_layer", "test_relu_layer", ("da * (z > 0)", "da")),
    ("graph_gradients", "test_graph_gradients", ("dL_dz * w + dL_dq * v", "dL_dz * w")),
    ("graph_gradients", "test_graph_gradients", ("dL_dp = 2 * (p - y)", "dL_dp = (p - y)")),
    ("graph_gradients", "test_graph_gradients", ("(1.0 if q > 0 else 0.0)", "1.0")),
    ("graph_gradients", "test_graph_gradients", ("dL_dq * x, dL_dz * w", "dL_dq, dL_dz * w")),
    ("graph_gradients", "test_graph_gradients", ("(1 - t**2)", "(1 - z**2)")),
    # answers that pass the random tests but are wrong somewhere the lesson says they must be right
    ("sigmoid_layer", "test_sigmoid_layer", ("a = 1.0 / (1.0 + np.exp(-z))", "a = np.exp(z) / (1.0 + np.exp(z))")),
    ("sigmoid_layer", "test_sigmoid_layer",     # works for matrices only
     ("a = 1.0 / (1.0 + np.exp(-z))", "n, m = z.shape\n    a = 1.0 / (1.0 + np.exp(-z))")),
    ("tanh_layer", "test_tanh_layer", ("a = np.tanh(z)", "a = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))")),
    ("relu_layer", "test_relu_layer",           # only for matrices
     ("return np.maximum(z, 0.0), z", "return np.array([[max(e, 0.0) for e in row] for row in z]), z")),
    ("graph_gradients", "test_graph_gradients", ("(1.0 if q > 0 else 0.0)", "(1.0 if q >= 0 else 0.0)")),
    ("graph_gradients", "test_graph_gradients",  # nudging instead of the backward sweep
     ("return dL_dz * x, dL_dz, dL_dq * x, dL_dz * w + dL_dq * v",
      "def L(x, w, b, v):\n        return (np.tanh(w * x + b) + max(v * x, 0.0) - y) ** 2\n"
      "    e = 1e-5\n"
      "    return ((L(x, w + e, b, v) - L(x, w - e, b, v)) / (2 * e),\n"
      "            (L(x, w, b + e, v) - L(x, w, b - e, v)) / (2 * e),\n"
      "            (L(x, w, b, v + e) - L(x, w, b, v - e)) / (2 * e),\n"
      "            (L(x + e, w, b, v) - L(x - e, w, b, v)) / (2 * e))")),
]


@pytest.mark.parametrize("solution_id, test_id, replace", MUTANTS)
def test_an_edited_solution_fails_its_tests(solution_id, test_id, replace):
    with pytest.raises(checks.CheckFailed):
        run_exercise(LESSON, solution_id, test_id, [replace])


# --- the mistakes: each fails the lesson's check and is named by it -------------------------


@pytest.mark.parametrize("layer", [layers.Sigmoid, layers.Tanh, layers.ReLU], ids=lambda c: c.__name__)
def test_every_activation_mistake_fails_the_visible_test_and_is_named_alone(layer):
    """Every known mistake of the layer (lesson 04's Sigmoid mistakes included), written as the
    exercise's pair of functions, fails the visible test cell, named and alone."""
    pair = {layers.Sigmoid: reference.sigmoid_forward_backward, layers.Tanh: reference.tanh_forward_backward,
            layers.ReLU: reference.relu_forward_backward}[layer]
    known = [(m.id, version) for m in mistakes.known_for(layer) + mistakes.known_for(pair) if m.lesson == "l02"
             for version in m.versions]  # (lesson 04's are classes built on the reference: lesson 04 tests them)
    assert len(known) > 5
    # a mistake of the layer that only large |z| shows is named by its twin of the pair run one after the other
    twin = {"l02.sigmoid-clips-input": "l02.sigmoid-clips-z",
            "l02.sigmoid-slope-plus-eps": "l02.sigmoid-slope-plus-eps-z"}
    twin.update({b: a for a, b in twin.items()})
    name = layer.__name__.lower()
    for ident, buggy in known:
        if list(inspect.signature(buggy).parameters) == ["z", "da"]:  # (z, da) -> (a, dz), the pair in one
            def forward(z, run=buggy):
                return run(z=z, da=np.ones_like(z))[0], z

            def backward(da, z, run=buggy):
                return run(z=z, da=da)[1], {}
        else:
            made = buggy()
            forward, backward = made.forward, made.backward
        failure = visible_failure(LESSON, f"test_{name}_layer", **{f"{name}_forward": forward,
                                                                    f"{name}_backward": backward})
        assert isinstance(failure, checks.CheckFailed), ident
        assert [c.id for c in failure.causes] in ([ident], [twin.get(ident)]), (ident, str(failure))
        assert "Likely cause: " in str(failure)


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.graph_gradients))
def test_every_graph_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(buggy, reference.graph_gradients, reference.random_graph_with_kinks, seed=12,
                              trials=8, outputs=["dL_dw", "dL_db", "dL_dv", "dL_dx"])
    assert "Likely cause: " + description in str(failure.value)  # and it is the only cause named
    assert " Or: " not in str(failure.value)


def test_the_kink_of_the_graph_is_named_on_the_lessons_visible_cases():
    """The visible test's three cases (v = 0, x = 0, and v x < 0) tell q >= 0 from a missing ReLU derivative."""
    cases = [{"x": 2.0, "w": 0.5, "b": -0.5, "v": 0.0, "y": 2.0}, {"x": 0.0, "w": 0.5, "b": -0.5, "v": 0.3, "y": 2.0},
             {"x": 2.0, "w": 0.5, "b": -0.5, "v": -0.3, "y": 2.0}]
    for description, buggy in mistake_versions(reference.graph_gradients):
        if "kink" in description or "ReLU's derivative is missing" in description:
            with pytest.raises(checks.CheckFailed) as failure:
                checks.check_function(buggy, reference.graph_gradients, cases,
                                      outputs=["dL_dw", "dL_db", "dL_dv", "dL_dx"])
            assert "\nLikely cause: " + description + "\n" in str(failure.value)  # the only cause named


@pytest.mark.parametrize("ref", [reference.sigmoid_forward_backward, reference.tanh_forward_backward],
                         ids=lambda f: f.__name__)
def test_every_large_z_mistake_fails_on_large_z_and_is_named(ref):
    known = mistake_versions(ref)
    assert len(known) >= 2
    lesson_case = [{"z": np.array([-800.0, -30.0, -1.0, 1.0, 30.0, 800.0]), "da": np.full(6, 1000.0)}]
    for description, buggy in known:
        for cases in (lesson_case, reference.random_large_z):
            with pytest.raises(checks.CheckFailed) as failure:
                checks.check_function(buggy, ref, cases, seed=13, outputs=["a", "dz"])
            if "NaN" in description:
                assert "NaN or infinite" in str(failure.value)
            assert [c.says for c in failure.value.causes] == [description]
        if "NaN" in description:  # on ordinary inputs an overflowing formula is right: only large |z| shows it
            checks.check_function(buggy, ref, [{"z": np.linspace(-4, 4, 9), "da": np.ones(9)}], outputs=["a", "dz"])


def test_calling_the_lessons_sigmoid_is_allowed():
    """The exercise says the sigmoid imported at the top may be used in sigmoid_forward."""
    def sigmoid_forward(z):
        a = sigmoid(z)
        return a, a

    def sigmoid_backward(da, cache):
        return da * cache * (1 - cache), {}

    checks.check_layer(checks.layer_from(sigmoid_forward, sigmoid_backward), layers.Sigmoid,
                       reference.random_activation, seed=0)


def test_relu_derivative_at_zero_is_checked_and_named():
    known = mistake_versions(reference.relu_forward_backward)
    assert len(known) == 2  # z >= 0, and a slope of 0.5 at the kink
    for description, buggy in known:
        with pytest.raises(checks.CheckFailed) as failure:
            checks.check_function(buggy, reference.relu_forward_backward, reference.random_relu_with_zeros, seed=0,
                                  outputs=["a", "dz"])
        assert [c.says for c in failure.value.causes] == [description]


def test_a_pair_that_keeps_its_cache_in_a_global_is_caught():
    store = {}

    def sigmoid_forward(z):
        store["a"] = sigmoid(z)
        return store["a"], None

    def sigmoid_backward(da, cache):
        a = store["a"]
        return da * a * (1 - a), {}

    with pytest.raises(checks.CheckFailed, match="backward does not use the cache it is given"):
        checks.check_layer(checks.layer_from(sigmoid_forward, sigmoid_backward), layers.Sigmoid,
                           reference.random_activation, seed=0)


def test_a_forward_without_its_cache_is_named():
    def relu_forward(z):
        return np.maximum(z, 0.0)

    def relu_backward(da, cache):
        return da * (cache > 0), {}

    with pytest.raises(checks.CheckFailed, match=r"relu_forward must return a pair \(out, cache\)"):
        checks.check_layer(checks.layer_from(relu_forward, relu_backward), layers.ReLU,
                           reference.random_activation, seed=0)


def test_a_relu_that_zeroes_its_input_in_place_is_caught():
    def relu_forward(z):
        z[z < 0] = 0.0
        return z, z

    def relu_backward(da, cache):
        return da * (cache > 0), {}

    with pytest.raises(checks.CheckFailed, match="the argument z was changed in place"):
        checks.check_layer(checks.layer_from(relu_forward, relu_backward), layers.ReLU,
                           reference.random_activation, seed=0)


# --- figures and the explorer ----------------------------------------------------------------


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_graph_shows_values_local_derivatives_and_gradients(artifacts):
    ax = plots.draw_neuron_graph(1.5, 0.8, -0.4, 1.0)
    shown = texts(ax)
    for expected in ["wx = 1.2000", "u + b = 0.8000", "σ(z) = 0.6900", "(a − y)² = 0.0961",
                     "∂L/∂w = -0.1990", "∂L/∂x = -0.1061", "∂L/∂b = -0.1326", "∂u/∂w = x = 1.5"]:
        assert expected in shown, expected
    red = [t for t in ax.texts if t.get_text() == "∂L/∂w = -0.1990"]
    assert red[0].get_color() == plots.GRADIENT_COLOUR
    ax.figure.savefig(artifacts / "neuron_graph.png", dpi=100)
    plt.close(ax.figure)
    ax = plots.draw_neuron_graph(1.5, 0.8, -0.4, 1.0, gradients=False)
    assert "∂L/∂w = -0.1990" not in texts(ax) and "∂L/∂z = -0.1326" not in texts(ax)
    plt.close(ax.figure)


def test_branching_graph_shows_the_forward_values(artifacts):
    ax = plots.draw_branching_graph(2.0, 0.5, -0.5, 0.3, 2.0)
    shown = texts(ax)
    for expected in ["wx + b = 0.5000", "tanh(z) = 0.4621", "vx = 0.6000", "relu(q) = 0.6000",
                     "t + r = 1.0621", "(p − y)² = 0.8796"]:
        assert expected in shown, expected
    ax.figure.savefig(artifacts / "branching_graph.png", dpi=100)
    plt.close(ax.figure)


def test_graph_figures_name_a_bad_argument():
    with pytest.raises(TypeError, match="w must be a finite number, but got 'a'"):
        plots.draw_neuron_graph(1.0, "a", 0.0, 1.0)
    with pytest.raises(TypeError, match="v must be a finite number, but got nan"):
        plots.draw_branching_graph(1.0, 0.5, 0.0, float("nan"), 1.0)
    with pytest.raises(TypeError, match=r"x must be a finite number, but got array\(\[1., 2.\]\)"):
        reference.graph_gradients(np.array([1.0, 2.0]), 0.5, 0.0, 0.3, 1.0)


def test_activation_explorer_moves(artifacts):
    e = ActivationExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert "= 0.7311" in e.readout.value and "= 0.1966" in e.readout.value  # sigmoid at z = 1
    # the sigmoid at its steepest, through 20 layers: seed 001's 0.25 ** 20
    e.set_values(z=0.0, layers=20)
    assert e.image.value != first
    assert e.values() == (0.5, 0.25, 0.25**20)
    assert "f'(z)^{20} = 9.09 \\times 10^{-13}" in e.readout.value
    assert e.chain.get_ydata()[-1] == pytest.approx(0.25**20)
    assert e.point_slope.get_ydata()[0] == 0.25
    (artifacts / "activation_explorer_sigmoid.png").write_bytes(e.image.value)
    # tanh at 0 passes the gradient unchanged; ReLU below 0 passes nothing
    e.activation.value = "tanh"
    assert e.values() == (0.0, 1.0, 1.0)
    e.set_values(activation="relu", z=-1.0)
    assert e.values() == (0.0, 0.0, 0.0)
    assert "none left" in e.ax_g.get_title()
    # the gradient is 1 before the first ReLU, then exactly 0: marked on the bottom edge, not drawn as a number
    assert list(e.chain.get_xdata()) == [0] and list(e.zeros.get_xdata()) == list(range(1, 21))
    assert np.all(e.zeros.get_ydata() == e.ax_g.get_ylim()[0]) and e.zeros_note.get_visible()
    (artifacts / "activation_explorer_relu_below_0.png").write_bytes(e.image.value)
    e.z.value = 2.0
    assert e.values() == (2.0, 1.0, 1.0)
    assert len(e.zeros.get_xdata()) == 0 and not e.zeros_note.get_visible()
    (artifacts / "activation_explorer_relu.png").write_bytes(e.image.value)


def test_the_activation_explorer_shows_gradients_smaller_than_its_usual_floor(artifacts):
    """Sigmoid at z = 4 through 20 layers: 8.73e-36, drawn where it is, on an axis that reaches below it."""
    e = ActivationExplorer(z=4.0, layers=20)
    low, high = e.ax_g.get_ylim()
    chain = e.chain.get_ydata()
    assert chain[-1] == pytest.approx(8.7326e-36, rel=1e-4) and low < chain[-1] < 1e-35 and high > 1
    assert "8.73e-36" in e.ax_g.get_title() and "8.73 \\times 10^{-36}" in e.readout.value
    labels = [t.get_text() for t in e.ax_g.get_yticklabels()]
    assert labels[0] == "1" and len(labels) <= 5 and "1e-30" in labels
    (artifacts / "activation_explorer_sigmoid_z4.png").write_bytes(e.image.value)
    # tanh far out: a slope of 2.46e-5 is not written as 0.0000, and 30 layers of it still fit
    e.set_values(activation="tanh", z=6.0, layers=30)
    assert "2.46e-05" in e.ax_f.get_title() and "2.46 \\times 10^{-5}" in e.readout.value
    assert e.ax_g.get_ylim()[0] < e.chain.get_ydata()[-1] == pytest.approx(2.4576e-5**30, rel=1e-3)
    # back to the usual range: the axis returns to 1e-18
    e.set_values(activation="sigmoid", z=0.0, layers=20)
    assert e.ax_g.get_ylim()[0] == pytest.approx(1e-18 / 3)
    assert [t.get_text() for t in e.ax_g.get_yticklabels()] == ["1", "1e-6", "1e-12", "1e-18"]


def test_activation_explorer_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of .* but is 'softplus'"):
        ActivationExplorer(activation="softplus")


# --- the quiz ------------------------------------------------------------------------------


def test_the_quiz_says_the_precision_it_wants_and_answers_the_likely_slips():
    questions = quiz_from(LESSON)["quiz"].questions
    first, last = questions[0], questions[-1]
    assert "4 decimals" in first.prompt.value
    assert answer(first, "-0.1326")[0] is True
    for typed, says in [("0.1326", "the sign is not"), ("0.133", "the sign is not"), ("-0.133", "Right to 3 decimals"),
                        ("-0.4278", "multiplied by $a$ only"), ("-0.1300", "give 4 decimals")]:
        ok, feedback = answer(first, typed)
        assert not ok and says in feedback, typed
    assert "3 significant figures" in last.prompt.value
    assert answer(last, "9.54e-7")[0] is True and answer(last, "9.537e-7")[0] is True
    for typed, says in [("9.09e-13", "twenty sigmoids"), ("1e-6", "3 significant figures"),
                        ("9.5e-7", "Right to 2 significant figures"), ("2.5", "they do not add"),
                        ("1e-5", "give 3 significant figures")]:
        ok, feedback = answer(last, typed)
        assert not ok and says in feedback, typed


def test_gradients_from_the_course_s_autograd_fail_with_a_clear_message():
    """Lesson 10's engine gives the right numbers, but the exercises ask for the chain rule by hand."""
    from backprop.autograd import Tensor

    def sigmoid_forward(z):
        a = sigmoid(z)
        return a, z

    def sigmoid_backward(da, z):
        t = Tensor(z)
        (t.sigmoid() * da).sum().backward()
        return t.grad, {}

    def graph_gradients(x, w, b, v, y):
        ts = [Tensor(np.array(value)) for value in (w, b, v, x)]
        w_, b_, v_, x_ = ts
        loss = ((w_ * x_ + b_).tanh() + (v_ * x_).relu() - y) ** 2
        loss.backward()
        return tuple(float(t.grad) for t in ts)

    told = "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself"
    failure = visible_failure(LESSON, "test_sigmoid_layer", sigmoid_forward=sigmoid_forward,
                              sigmoid_backward=sigmoid_backward)
    assert told in str(failure)
    failure = visible_failure(LESSON, "test_graph_gradients", graph_gradients=graph_gradients)
    assert told in str(failure)
    args = (2.0, 0.5, -0.5, 0.3, 2.0)
    assert graph_gradients(*args) == pytest.approx(reference.graph_gradients(*args))


def test_a_relu_that_returns_its_argument_itself_fails_the_visible_test():
    """Right numbers, but a is z itself where no entry is negative (or dz is da itself): named."""
    def relu_forward(z):
        return (z, z) if np.all(z >= 0) else (np.maximum(z, 0.0), z)

    def relu_backward(da, z):
        return (da, {}) if np.all(z > 0) else (da * (z > 0), {})

    def right_forward(z):
        return np.maximum(z, 0.0), z

    def right_backward(da, z):
        return da * (z > 0), {}

    for forward, backward in ((relu_forward, right_backward), (right_forward, relu_backward)):
        failure = visible_failure(LESSON, "test_relu_layer", relu_forward=forward, relu_backward=backward)
        assert [c.id for c in failure.causes] == ["l02.returns-its-input"], str(failure)
    assert visible_failure(LESSON, "test_relu_layer", relu_forward=right_forward, relu_backward=right_backward) is None


def test_a_graph_that_calls_a_relu_backward_changing_da_in_place_keeps_its_points():
    """The graph passes dp to relu_backward and then uses it for the tanh branch: a relu_backward that zeroes
    da in place makes the graph wrong. Its own test names it; the graph, right with the course's
    relu_backward in its place, passes and says so."""
    def relu_forward(z):
        return np.maximum(z, 0.0), z

    def relu_backward(da, z):
        da[z <= 0] = 0.0
        return da, {}

    def tanh_forward(z):
        a = np.tanh(z)
        return a, a

    def tanh_backward(da, a):
        return da * (1 - a**2), {}

    namespace = {"relu_forward": relu_forward, "relu_backward": relu_backward, "tanh_forward": tanh_forward,
                 "tanh_backward": tanh_backward, "np": np}
    exec('''def graph_gradients(x, w, b, v, y):
    z, q = np.array([w * x + b]), np.array([v * x])
    t, tc = tanh_forward(z)
    r, rc = relu_forward(q)
    dp = 2 * (t + r - y)
    dq, _ = relu_backward(dp, rc)
    dz, _ = tanh_backward(dp, tc)
    return float(dz[0] * x), float(dz[0]), float(dq[0] * x), float(dz[0] * w + dq[0] * v)
''', namespace)
    assert visible_failure(LESSON, "test_graph_gradients", graph_gradients=namespace["graph_gradients"]) is None
    failure = visible_failure(LESSON, "test_relu_layer", relu_forward=relu_forward, relu_backward=relu_backward)
    assert [c.id for c in failure.causes] == ["course.changes-argument"]
