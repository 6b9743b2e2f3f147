"""Lesson 04, the layer pattern in matrix form: its numbers, its checks, its explorer and its quiz."""

import re

import lesson_tools
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import mistake_versions, visible_failure
from test_checks import MyLinear
from test_seeds import seed000_loop

from backprop import checks, data, layers, reference
from backprop.checks.general import GENERAL
from backprop.explorers import LayerSweepExplorer
from backprop.layers import Sequential, sgd_step
from backprop.mistakes import l04_layers as loop_mistakes
from backprop.quiz import MultipleChoice, Numeric
from backprop.worked import sweep_231, train_231

LESSON = "04_layers_matrix_form"
NOTEBOOK = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"


@pytest.fixture(scope="module")
def executed():
    """The solution notebook run top to bottom, and what it printed."""
    nb = lesson_tools.executed(LESSON)
    return {"nb": nb, "text": lesson_tools.printed(nb)}


def test_lesson_03s_hidden_gradients_in_one_outer_product(executed):
    text = executed["text"]
    assert "delta1 = [-0.0283 -0.0329]" in text
    assert "[[-0.0283 -0.0141]\n [-0.0329 -0.0164]]" in text


def test_the_2_3_1_forward_backward_and_update_numbers(executed):
    text = executed["text"]
    assert "z2 = -3.8065, y_pred = 0.0217, loss = 0.4785" in text
    for line in ["dL_dy_pred  (1, 1)   [[-0.9783]]", "dy_pred_dz2 (1, 1)   [[0.0213]]",
                 "dL_dz2      (1, 1)   [[-0.0208]]", "dL_dW2      (1, 3)   [[-0.0165, -0.0163, -0.0059]]",
                 "dL_da1      (3, 1)   [[0.0263], [0.013], [-0.0009]]",
                 "dL_dz1      (3, 1)   [[0.0043], [0.0022], [-0.0002]]", "dL_dW1      (3, 2)"]:
        assert line in text
    assert "loss before the update: 0.4785\nloss after the update:  0.4784" in text
    assert text.count("same: True") == 4
    assert "the transposes of the column form's gradients: True True True True" in text

    # the same numbers recomputed with the package, to 4 decimals
    ex = data.one_example_231(0)
    v = sweep_231(ex["x"], ex["y"], ex["W1"], ex["b1"], ex["W2"], ex["b2"])
    checks.check_number("loss", v["loss"], 0.4785)
    checks.check_number("y_pred", v["y_pred"], 0.0217)
    checks.check_number("dL/dz2", v["dL_dz2"], -0.0208)
    for got, expected in zip(v["dL_dW2"].ravel(), [-0.0165, -0.0163, -0.0059]):
        checks.check_number("dL/dW2", got, expected)
    for got, expected in zip(v["dL_dz1"].ravel(), [0.0043, 0.0022, -0.0002]):
        checks.check_number("dL/dz1", got, expected)
    snapshots, losses = train_231(ex, lr=0.1, epochs=1)
    checks.check_number("loss after one update", losses[1], 0.4784)


EPOCH_LOSSES = [0.4785, 0.4599, 0.3539, 0.0392, 0.0114, 0.0061, 0.0041, 0.0030, 0.0024, 0.0020]


def test_the_training_loop_prints_the_seeds_losses_and_the_students_layers_agree(executed):
    printed = [float(m) for m in re.findall(r"Epoch \d+, Loss: ([0-9.]+)", executed["text"])]
    assert printed[:20] == EPOCH_LOSSES * 2  # the column loop, then the student's layers
    assert printed[20:] == [0.4921, 0.4847, 0.4503, 0.0695, 0.0049, 0.0021, 0.0013, 0.0009, 0.0007, 0.0005]  # ReLU
    assert "[[0.0049 0.0024 0.    ]\n [0.001  0.0005 0.    ]]" in executed["text"]  # the dead unit
    assert "the same losses as the column-form loop: True" in executed["text"]
    # seed 000's loop as it is written, from the same weights, prints the same
    assert seed000_loop(data.one_example_231(0)) == EPOCH_LOSSES
    _, losses = train_231(data.one_example_231(0), lr=0.1, epochs=1000)
    assert np.all(np.diff(losses) < 0)
    assert [round(float(v), 4) for v in losses[:1000:100]] == EPOCH_LOSSES


def test_only_seed_0_starts_on_the_flat_tail_of_the_output_sigmoid(executed):
    lines = re.findall(r"seed (\d): y_pred = ([0-9.]+), slope of the output sigmoid = ([0-9.]+)", executed["text"])
    assert [int(seed) for seed, _, _ in lines] == list(range(10))
    assert lines[0][1:] == ("0.0217", "0.021")
    others = [(float(y), float(slope)) for _, y, slope in lines[1:]]
    assert min(y for y, _ in others) == 0.1916 and max(y for y, _ in others) == 0.8063  # "between 0.19 and 0.81"
    assert min(s for _, s in others) == 0.155 and max(s for _, s in others) == 0.247
    for seed in range(1, 10):  # and none of them has a plateau: the loss falls fastest within 30 epochs
        _, losses = train_231(data.one_example_231(seed), lr=0.1, epochs=1000)
        assert np.argmax(-np.diff(losses)) <= 30
    _, losses = train_231(data.one_example_231(0), lr=0.1, epochs=1000)
    assert 200 < np.argmax(-np.diff(losses)) < 300


def test_the_cost_experiment_shows_backprop_far_cheaper(executed):
    ratios = [int(r) for r in re.findall(r"\((\d+) times slower\)", executed["text"])]
    assert len(ratios) == 6 and ratios[-1] > 1000 and ratios[-1] > ratios[0]  # "the thousandfold gap at the end"
    # The gap that "widens with every parameter added" is the count of forward passes, which does not wobble
    # on a busy machine as single timings do (they once went backwards from one width to the next).
    rows = re.findall(r"width\s+(\d+):\s+(\d+) parameters   forward passes: backprop (\d+) \(and 1 backward\), "
                      r"nudging\s+(\d+)", executed["text"])
    assert [int(w) for w, *_ in rows] == [2, 4, 8, 16, 32, 48]
    assert all(int(backprop) == 1 and int(nudging) == 2 * int(params) for _, params, backprop, nudging in rows)
    counts = [int(nudging) for *_, nudging in rows]
    assert counts[0] == 38 and counts[-1] == 5282 and all(a < b for a, b in zip(counts, counts[1:]))
    text = (ROOT / "solutions" / "04_layers_matrix_form" / "04_layers_matrix_form.md").read_text()
    assert "from 38\ntimes on the smallest network to 5282 on the largest" in text
    assert "keeps widening" not in text and "a gap that widens with every parameter added" in text
    error = float(re.search(r"largest relative error: ([0-9.e+-]+)", executed["text"]).group(1))
    assert error < 1e-6


def test_every_figure_is_drawn(executed):
    images = [o for c in executed["nb"].cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 2


# --- the graded checks and the mistakes they name -----------------------------------------


def square_linear(rng):
    case = reference.random_linear(rng)
    n = case["x"].shape[1]
    case["W"] = rng.standard_normal((n, n))
    case["b"] = rng.standard_normal(n)
    case["dout"] = rng.standard_normal((case["x"].shape[0], n))
    return case


def test_the_references_pass_their_own_checks():
    checks.check_layer(layers.Linear, layers.Linear, reference.random_linear, trials=20)
    checks.check_layer(reference.sigmoid_layer, reference.sigmoid_layer, reference.random_activation_input,
                       trials=20)
    for cases in (reference.random_network, reference.random_square_network, [reference.network_231_case(0)]):
        checks.check_function(reference.backward_pass, reference.backward_pass, cases, outputs=["dx", "grads"])
    checks.check_function(reference.leaving_the_network_unchanged(reference.backward_pass), reference.backward_pass,
                          reference.random_network, trials=10, outputs=["dx", "grads"])
    checks.check_numerical_gradient(reference.through_backward_pass(reference.backward_pass),
                                    reference.two_layer_projection, reference.random_two_layer_network,
                                    wrt=["x", "W1", "b1", "W2", "b2"], trials=10)


@pytest.mark.parametrize("description, buggy", mistake_versions(layers.Linear))
def test_every_linear_mistake_fails_the_visible_test_and_is_named_alone(description, buggy):
    failure = visible_failure(LESSON, "test_linear_layer", Linear=buggy)
    assert isinstance(failure, checks.CheckFailed)
    assert [c.says for c in failure.causes] == [description], str(failure)
    cases = square_linear if "dx" in description else reference.random_linear  # dout @ W runs only if square
    with pytest.raises(AssertionError) as failure:  # and on random batches
        checks.check_layer(buggy, layers.Linear, cases, seed=11, reads_params=True)
    assert "Likely cause: " + description in str(failure.value)


FAR_FROM_ZERO = {"x": np.array([-1000.0, -50.0, -17.3, 0.0, 8.0, 50.0, 1000.0]),  # the visible test's case
                 "dout": np.array([1.0, -2.0, 1e6, 1.0, -1.0, 2.0, 1.5])}


def _as_class(maker):
    """A maker of layers (lesson 02's pairs of functions) as a class of the exercise's shape."""
    class Sigmoid:
        def __init__(self):
            self._made, self.params = maker(), {}

        def forward(self, x):
            return self._made.forward(x)

        def backward(self, dout, cache):
            return self._made.backward(dout, cache)

    return Sigmoid


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.sigmoid_layer))
def test_every_sigmoid_mistake_fails_the_visible_test_and_is_named_alone(description, buggy):
    layer = buggy if isinstance(buggy, type) else _as_class(buggy)  # (lesson 02's are makers of pairs)
    failure = visible_failure(LESSON, "test_sigmoid_layer", Sigmoid=layer)
    assert isinstance(failure, checks.CheckFailed)
    # (lesson 02's pair that returns dz alone is, as a class, lesson 04's layer that returns dx alone)
    # (and its float32 forward, right to 8 digits there, is named by the general cause)
    twins = {"backward returns dx alone: it must return the pair (dx, {}), {} for the gradients of a layer "
             "without parameters.": "backward returns dx alone: every layer returns the pair (dx, grads), and "
                                    "grads is {} for a layer without parameters: return dx, {}.",
             "forward computes in float32 (astype(np.float32)): it keeps about 7 digits, and dx loses them too. "
             "Compute in float64, as x is given.": GENERAL["float32"].says}
    assert [c.says for c in failure.causes] in ([description], [twins.get(description)]), str(failure)


def test_the_sigmoid_exercise_knows_the_sigmoid_layers_mistakes_and_more():
    shared = mistake_versions(layers.Sigmoid)  # lesson 02's moderate inputs must reveal every one of these
    own = mistake_versions(reference.sigmoid_layer)
    assert own[:len(shared)] == shared and len(own) > len(shared)


def test_the_sigmoid_cases_have_every_shape_and_reach_far_from_zero():
    rng = np.random.default_rng(0)
    cases = [reference.random_activation_input(rng) for _ in range(200)]
    assert {c["x"].ndim for c in cases} == {1, 2, 3}
    assert all(c["x"].shape == c["dout"].shape for c in cases)
    largest = [np.abs(c["x"]).max() for c in cases]
    assert np.mean(np.array(largest) > 8) > 0.5 and np.mean(np.array(largest) > 750) > 0.2
    assert max(largest) <= 1000
    for seed in range(20):  # the hidden tests' 25 fresh cases all but surely hold a huge input
        rng = np.random.default_rng(seed)
        assert any(np.abs(reference.random_activation_input(rng)["x"]).max() > 750 for _ in range(25))


class _SigmoidSafe:  # a student's sigmoid layers, written out
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = 1.0 / (1.0 + np.exp(-x))
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}


class _SigmoidExpOverOnePlusExp(_SigmoidSafe):
    def forward(self, x):
        out = np.exp(x) / (1.0 + np.exp(x))
        return out, out


class _SigmoidClipped(_SigmoidSafe):
    def forward(self, x):
        out = 1.0 / (1.0 + np.exp(-np.clip(x, -6.0, 6.0)))
        return out, out


def test_a_sigmoid_that_overflows_or_clips_fails_the_visible_tests_and_a_safe_one_passes(monkeypatch):
    monkeypatch.setattr("backprop.forbidden.TRUST_COURSE_CODE", False)
    def visible_checks(layer):  # the visible test cell of Exercise 2, less lesson 03's case
        for cases in ([FAR_FROM_ZERO], reference.random_activation_input):
            checks.check_layer(layer, reference.sigmoid_layer, cases, seed=5, forbid=[layers.Sigmoid])

    visible_checks(_SigmoidSafe)  # overflows in exp, and warns, but is right
    with pytest.raises(AssertionError) as failure:
        visible_checks(_SigmoidExpOverOnePlusExp)
    assert "NaN or infinite" in str(failure.value)
    assert "Likely cause: the sigmoid was computed as exp(x) / (1 + exp(x))" in str(failure.value)
    with pytest.raises(AssertionError):
        visible_checks(_SigmoidClipped)
    with pytest.raises(AssertionError):
        checks.check_layer(_SigmoidClipped, reference.sigmoid_layer, reference.random_activation_input, seed=5)


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.backward_pass))
def test_every_backward_loop_mistake_fails_the_visible_test_and_is_named_alone(description, buggy):
    failure = visible_failure(LESSON, "test_backward_pass", backward_pass=buggy)
    assert isinstance(failure, checks.CheckFailed)
    assert [c.says for c in failure.causes] == [description], str(failure)


def test_the_random_cases_reach_larger_batches_and_deeper_networks():
    rng = np.random.default_rng(0)
    assert {reference.random_linear(rng)["x"].shape[0] for _ in range(200)} == set(reference.LINEAR_BATCH_SIZES)
    depths = [len(reference.random_network(rng)["layers"]) for _ in range(300)]
    assert min(depths) == 1 and max(depths) == 14
    square = [len(reference.random_square_network(rng)["layers"]) for _ in range(300)]
    assert min(square) == 4 and max(square) == 12


def _student_loop(layers, caches, dout):  # a right backward_pass, written out
    grads = [None] * len(layers)
    for i in range(len(layers) - 1, -1, -1):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads


def _visible_backward_pass_checks(backward_pass):
    """The visible test cell of Exercise 3."""
    checks.check_function(backward_pass, reference.backward_pass, [reference.network_231_case(seed=0)],
                          outputs=["dx", "grads"], forbid=[layers.Sequential])
    checks.check_function(backward_pass, reference.backward_pass, reference.random_square_network, seed=6,
                          outputs=["dx", "grads"], forbid=[layers.Sequential])
    checks.check_function(backward_pass, reference.backward_pass, reference.random_network, seed=7, trials=8,
                          outputs=["dx", "grads"], forbid=[layers.Sequential])
    checks.check_function(reference.leaving_the_network_unchanged(backward_pass), reference.backward_pass,
                          reference.random_network, seed=9, outputs=["dx", "grads"], forbid=[layers.Sequential])
    checks.check_numerical_gradient(reference.through_backward_pass(backward_pass), reference.two_layer_projection,
                                    reference.random_two_layer_network, wrt=["x", "W1", "b1", "W2", "b2"], seed=8)


def test_backward_pass_answers_the_newcomer_tried(monkeypatch):
    monkeypatch.setattr("backprop.forbidden.TRUST_COURSE_CODE", False)  # as in a student's notebook
    _visible_backward_pass_checks(_student_loop)

    def as_a_tuple(layers, caches, dout):  # the lesson allows a tuple of dicts
        dx, grads = _student_loop(layers, caches, dout)
        return dx, tuple(grads)

    _visible_backward_pass_checks(as_a_tuple)

    def with_an_update(layers, caches, dout):  # an SGD step inside the backward pass
        dx, grads = _student_loop(layers, caches, dout)
        sgd_step([layer.params for layer in layers], grads, lr=0.1)
        return dx, grads

    with pytest.raises(AssertionError) as failure:
        _visible_backward_pass_checks(with_an_update)
    assert ("it gave another answer when run a second time on the same network, with the same caches and dout: "
            "it changes the network it is given, most likely the layers' parameters") in str(failure.value)

    def with_sequential(layers, caches, dout):
        return Sequential(layers).backward(dout, caches)

    with pytest.raises(AssertionError, match=r"it calls the course's own backprop.layers.Sequential"):
        _visible_backward_pass_checks(with_sequential)

    def over_a_fixed_range(layers, caches, dout):  # right for networks of at most 8 layers
        grads = [None] * len(layers)
        for i in range(7, -1, -1):
            if i < len(layers):
                dout, grads[i] = layers[i].backward(dout, caches[i])
        return dout, grads

    with pytest.raises(AssertionError):
        _visible_backward_pass_checks(over_a_fixed_range)

    for buggy, cause in [(loop_mistakes._backward_caches_in_forward_order, "their caches first to last"),
                         (loop_mistakes._backward_in_forward_order, "the layers are visited first to last"),
                         (loop_mistakes._backward_skips_the_first_layer, "the loop stops before the first layer")]:
        def written_out(layers, caches, dout, buggy=buggy):  # (the same code, in the student's cell)
            return buggy(layers, caches, dout)

        with pytest.raises(AssertionError) as failure:  # the first check: the lesson's own network
            checks.check_function(written_out, reference.backward_pass, [reference.network_231_case(seed=0)],
                                  outputs=["dx", "grads"])
        assert "Likely cause: " in str(failure.value) and cause in str(failure.value)
    with pytest.raises(AssertionError) as failure:  # mixed widths: an error, and its cause
        checks.check_function(loop_mistakes._backward_in_forward_order, reference.backward_pass,
                              reference.random_network, seed=7, outputs=["dx", "grads"])
    assert "raised ValueError: dout has shape" in str(failure.value)
    assert "Likely cause: the layers are visited first to last" in str(failure.value)


def test_linear_answers_the_newcomer_tried(monkeypatch):
    monkeypatch.setattr("backprop.forbidden.TRUST_COURSE_CODE", False)

    class FirstRowsOnly(MyLinear):  # right for batches of at most 5 examples
        def backward(self, dout, cache):
            x = cache
            return dout @ self.params["W"].T, {"W": x[:5].T @ dout[:5], "b": dout[:5].sum(axis=0)}

    with pytest.raises(AssertionError):
        checks.check_layer(FirstRowsOnly, layers.Linear, reference.random_linear, seed=4)

    class UpdatesItself(FirstRowsOnly):
        def backward(self, dout, cache):
            x, W = cache, self.params["W"]
            grads = {"W": x.T @ dout, "b": dout.sum(axis=0)}
            self.params["W"] = W - 0.1 * grads["W"]
            return dout @ W.T, grads

    with pytest.raises(AssertionError, match=r"raised ParametersChanged: after forward and backward, the layer's "
                                             r"params\['W'\] is no longer what it was"):
        checks.check_layer(UpdatesItself, layers.Linear, reference.random_linear, seed=4)
    for course_layer in (layers.Linear, type("Linear", (layers.Linear,), {})):
        with pytest.raises(AssertionError, match="calls the course's own backprop.layers.Linear"):
            checks.check_layer(course_layer, layers.Linear, reference.random_linear, seed=4)
    with pytest.raises(AssertionError, match="calls the course's own backprop.layers.Sigmoid"):
        checks.check_layer(layers.Sigmoid, reference.sigmoid_layer, reference.random_activation_input, seed=5,
                           forbid=[layers.Sigmoid])


def test_a_layer_that_keeps_its_cache_on_self_is_caught():
    class Linear:  # a student's layer, written from scratch
        def __init__(self, W, b):
            self.params = {"W": W, "b": b}

        def forward(self, x):
            self.x = x
            return x @ self.params["W"] + self.params["b"], None

        def backward(self, dout, cache):
            return dout @ self.params["W"].T, {"W": self.x.T @ dout, "b": dout.sum(axis=0)}

    with pytest.raises(AssertionError, match="backward does not use the cache it is given"):
        checks.check_layer(Linear, layers.Linear, reference.random_linear, seed=0)


def test_a_sigmoid_that_changes_its_input_in_place_is_caught():
    class Sigmoid:
        def __init__(self):
            self.params = {}

        def forward(self, x):
            x[...] = 1.0 / (1.0 + np.exp(-x))
            return x, x

        def backward(self, dout, cache):
            return dout * cache * (1 - cache), {}

    with pytest.raises(AssertionError, match="the argument x was changed in place"):
        checks.check_layer(Sigmoid, layers.Sigmoid, reference.random_activation_input, seed=0)


def test_bad_input_to_the_reference_layers_names_the_argument():
    with pytest.raises(ValueError, match=r"x has shape \(1, 3\) \(3 features\) but W has shape \(2, 3\)"):
        layers.Linear(np.ones((2, 3)), np.zeros(3)).forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"x must be 2-D"):
        layers.Linear(np.ones((2, 3)), np.zeros(3)).forward(np.ones(2))


# --- the explorer ---------------------------------------------------------------------------


def test_the_explorer_sweeps_backward_and_trains(artifacts):
    e = LayerSweepExplorer()
    assert e.stage.value == 0 and e.epoch.value == 0  # it opens on the forward pass: no gradient yet
    texts = {t.get_text() for t in e.ax.texts}
    assert "-0.0165" not in texts and "δ=-0.0208" not in texts and "L=0.4785" in texts and "ŷ=0.0217" in texts
    assert "step 0 of 6: <b>forward pass only</b></small>" in e.readout.value

    first = e.image.value
    e.stage.value = 6  # the whole backward pass
    assert e.image.value != first
    texts = {t.get_text() for t in e.ax.texts}
    assert {"L=0.4785", "ŷ=0.0217", "δ=-0.0208", "∂L/∂ŷ=-0.9783", "-0.0165", "0.0021"} <= texts
    assert "0.0021" in e.readout.value and "(3, 2), the shape of $W_1$" in e.readout.value
    assert "(the hidden layer's steps 3 and 4)" in e.readout.value
    e.stage.value = 3  # the output layer's weights, not yet the hidden ones
    texts = {t.get_text() for t in e.ax.texts}
    assert "-0.0165" in texts and "0.0021" not in texts
    assert "\\delta_2\\, a_1^T" in e.readout.value and "(the output layer's steps 3 and 4)" in e.readout.value
    e.stage.value = 4  # one layer's step 5 is the next one's step 1
    assert "(the output layer's step 5, the hidden layer's step 1)" in e.readout.value

    e.epoch.value = 300  # part-way through training: the loss has fallen
    assert "L=0.0392" in {t.get_text() for t in e.ax.texts}
    assert e.loss_point.get_xdata()[0] == 300

    before = e.losses.copy()
    e.lr.value = 1.0  # a larger rate trains faster
    assert e.losses[300] < before[300]
    e.seed.value = 3  # other starting weights
    ex = data.one_example_231(3)
    assert e.losses[0] == pytest.approx(sweep_231(ex["x"], ex["y"], ex["W1"], ex["b1"], ex["W2"], ex["b2"])["loss"])
    (artifacts / "lesson04_explorer.png").write_bytes(e.image.value)



# --- the quiz -------------------------------------------------------------------------------


def test_the_quiz_gives_feedback_on_every_answer():
    quiz = lesson_tools.quiz_from(LESSON)["quiz"]
    kinds = [type(q).__name__ for q in quiz.questions]
    assert kinds[0] == "Order" and "MultipleChoice" in kinds and "Numeric" in kinds
    for q in quiz.questions:
        if isinstance(q, MultipleChoice):
            right = 0
            for option, feedback in q.options.items():
                q.answer_widget.value = option
                right += q.check()
                assert feedback in q.feedback.value and len(feedback) > 20
            assert right == 1
        elif isinstance(q, Numeric):
            q.answer_widget.value = str(q.answer)
            assert q.check()
            for near in ("26.4", "25.6", "26.01"):  # a count: only the whole number is right
                q.answer_widget.value = near
                assert not q.check()
            q.answer_widget.value = "26.0"
            assert q.check()
            for wrong, feedback in q.wrong.items():
                q.answer_widget.value = str(wrong)
                assert not q.check() and feedback in q.feedback.value
        else:
            assert q.check() is False  # starts shuffled
            q.answer_widget.value = q.steps
            assert q.check() and q.explanation in q.feedback.value
            swapped = list(q.steps)
            swapped[2], swapped[3] = swapped[3], swapped[2]  # both need only delta2: also right
            q.answer_widget.value = swapped
            assert q.check()
            early = q.steps[:4] + [q.steps[6], q.steps[4], q.steps[5], q.steps[7]]  # W2 updated once W2ᵀδ2 is done
            q.answer_widget.value = early
            assert q.check()
            too_early = q.steps[:3] + [q.steps[6]] + q.steps[3:6] + [q.steps[7]]  # ... but not before
            q.answer_widget.value = too_early
            assert not q.check()
            assert "“Update the output layer" in q.feedback.value and "needs “Into the hidden layer" in q.feedback.value
            backwards = list(reversed(q.steps))
            q.answer_widget.value = backwards
            assert not q.check() and "which comes after it" in q.feedback.value


# --- grading: a wrong edit loses exactly that exercise, and the feedback names it -------------


def test_wrong_edits_lose_their_exercise_and_the_feedback_names_the_mistake(course_cfg):
    from test_grading import autograde, submit

    submit(course_cfg, "bob", LESSON, lesson_tools.edited_solution(LESSON, {
        "linear_layer": [("db = dout.sum(axis=0)", "db = dout.mean(axis=0)")],
        "sigmoid_layer": [("return dout * out * (1 - out), {}", "return dout * sigmoid(out) * (1 - sigmoid(out)), {}")],
    }))
    submit(course_cfg, "cy", LESSON, lesson_tools.edited_solution(LESSON, {
        "backward_pass": [("for i in reversed(range(len(layers))):", "for i in range(len(layers)):")],
    }))
    scores = autograde(course_cfg, LESSON, ["bob", "cy"])
    assert scores["bob"] == {"test_linear_layer": (0.0, 4.0), "test_sigmoid_layer": (0.0, 2.0),
                             "test_backward_pass": (3.0, 3.0)}
    assert scores["cy"] == {"test_linear_layer": (4.0, 4.0), "test_sigmoid_layer": (2.0, 2.0),
                            "test_backward_pass": (0.0, 3.0)}
    messages = lesson_tools.graded_errors(course_cfg, "bob", LESSON)
    assert "Likely cause: the bias gradient is averaged over the batch" in messages["test_linear_layer"]
    assert "Likely cause: sigma'(a) was used where sigma'(z) is meant" in messages["test_sigmoid_layer"]


def test_the_training_helper_names_bad_arguments():
    with pytest.raises(ValueError, match=r"example must be a dict .* it lacks \['W1'"):
        train_231({"x": np.ones((2, 1)), "y": np.ones((1, 1))})
    with pytest.raises(ValueError, match=r"lr, the learning rate, must be a number > 0, but is -0.1"):
        train_231(data.one_example_231(0), lr=-0.1)
    with pytest.raises(ValueError, match=r"epochs must be a whole number >= 0, but is 2.5"):
        train_231(data.one_example_231(0), epochs=2.5)


def test_a_linear_layer_that_copies_its_weights_fails_the_visible_test():
    """The training loop updates the arrays in self.params: a layer computing with copies never learns."""
    class Linear:
        def __init__(self, W, b):
            self.params = {"W": W, "b": b}
            self.W, self.b = W.copy(), b.copy()

        def forward(self, x):
            return x @ self.W + self.b, x

        def backward(self, dout, cache):
            return dout @ self.W.T, {"W": cache.T @ dout, "b": dout.sum(axis=0)}

    failure = visible_failure(LESSON, "test_linear_layer", Linear=Linear)
    assert "does not read the weights from self.params" in str(failure)
    assert "Likely cause: __init__ keeps copies of the weights" in str(failure)
    source = lesson_tools.cell_source(LESSON, "test_linear_layer")
    assert source.count("reads_params=True") == 3  # every check of the cell, the hidden one too


def test_a_change_of_the_parameters_says_what_changed():
    """A reshaped or float32 bias is no update: the message says which it is, and names no training loop."""
    class Linear:
        reshape = astype = update = False

        def __init__(self, W, b):
            self.params = {"W": W, "b": b}

        def forward(self, x):
            if self.reshape:
                self.params["b"].shape = (1, -1)
            if self.astype:
                self.params["W"] = self.params["W"].astype(np.float32)
            return x @ self.params["W"] + self.params["b"], x

        def backward(self, dout, cache):
            grads = {"W": cache.T @ dout, "b": dout.sum(axis=0).reshape(self.params["b"].shape)}
            if self.update:
                self.params["W"] -= 0.1 * grads["W"]
            return dout @ self.params["W"].T, grads

    for flag, said in (("reshape", "params['b'] changed shape from"),
                       ("astype", "params['W'] is now float32"), ("update", "no longer what it was")):
        layer = type("Linear", (Linear,), {flag: True})
        with pytest.raises(checks.CheckFailed) as failure:
            checks.check_layer(layer, layers.Linear, reference.random_linear,
                               seed=1, trials=1)
        message = str(failure.value)
        assert said in message, (flag, message)
        assert ("training loop" in message.split("\n")[2]) == (flag == "update"), flag  # (the likely cause)


def test_gradients_from_the_course_s_autograd_fail_with_a_clear_message():
    from backprop.autograd import Tensor

    class Linear:
        def __init__(self, W, b):
            self.params = {"W": W, "b": b}

        def forward(self, x):
            return x @ self.params["W"] + self.params["b"], x

        def backward(self, dout, x):
            W, b = Tensor(self.params["W"]), Tensor(self.params["b"])
            xt = Tensor(x)
            ((xt @ W + b) * dout).sum().backward()
            return xt.grad, {"W": W.grad, "b": b.grad}

    told = "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself"
    assert told in str(visible_failure(LESSON, "test_linear_layer", Linear=Linear))
