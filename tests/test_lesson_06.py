"""Lesson 06: softmax and cross-entropy, a batched classifier on spirals and digits.

The lesson's worked numbers (recomputed with the package, and read from the executed
notebook), its known mistakes, its explorer, its training monitor and its figures.
"""

import re

import lesson_tools
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import failure_in, mistake_versions, solution_namespace
from matplotlib.backends.backend_agg import FigureCanvasAgg

from backprop import checks, data, layers, mistakes, plots, reference
from backprop.checks import check_number
from backprop.explorers import SoftmaxExplorer, TrainingMonitor
from backprop.gradcheck import numerical_gradient
from backprop.layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, one_hot

LESSON = "06_softmax_classifier"
WORKED = np.array([[2.0, 1.0, 0.1]])
CLASS_0 = np.array([[1.0, 0.0, 0.0]])


@pytest.fixture(scope="module")
def printed():
    """Everything the solution notebook prints, executed once in a fresh kernel."""
    return lesson_tools.printed(lesson_tools.executed(LESSON))


# --- the worked numbers ---------------------------------------------------------------


def test_softmax_cross_entropy_and_its_gradient_on_the_worked_example():
    p = reference.softmax(WORKED)[0]
    for got, expected in zip(p, (0.6590, 0.2424, 0.0986)):
        check_number("y_hat", got, expected)
    check_number("L, class 0", reference.softmax_ce_loss(WORKED, CLASS_0), 0.4170)
    check_number("L, class 2", reference.softmax_ce_loss(WORKED, np.array([[0.0, 0.0, 1.0]])), 2.3170)
    loss, cache = reference.softmax_ce_forward(WORKED, CLASS_0)
    grad, params = reference.softmax_ce_backward(1.0, cache)
    assert params == {}
    for got, expected in zip(grad[0], (-0.3410, 0.2424, 0.0986)):
        check_number("dL/dz", got, expected)
    # the long way through the softmax matrix, and finite differences, agree with y_hat - y
    jacobian = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(jacobian.T @ (-CLASS_0[0] / p), grad[0], atol=1e-12)
    nudged = numerical_gradient(lambda s: reference.softmax_ce_loss(s, CLASS_0), WORKED.copy())
    np.testing.assert_allclose(nudged, grad, atol=1e-9)


def test_stability_numbers():
    for got, expected in zip(reference.softmax(np.array([[1000.0, 1001.0, 1002.0]]))[0], (0.0900, 0.2447, 0.6652)):
        check_number("softmax of (1000, 1001, 1002)", got, expected)
    check_number("L of a confident mistake", reference.softmax_ce_loss(np.array([[1000.0, 0.0, -5.0]]),
                                                                       np.array([[0.0, 1.0, 0.0]])), 1000.0)
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.all(np.isnan(mistakes.l06_softmax._softmax_unstable(np.array([[1000.0, 1001.0, 1002.0]]))))


def test_the_column_form_of_the_seed_equals_the_row_form_transposed():
    rng = np.random.default_rng(0)
    d, h, k, m = 2, 5, 3, 4
    x = rng.standard_normal((d, m))
    labels = np.array([0, 2, 1, 2])
    y = one_hot(labels, k).T
    W1, b1 = rng.standard_normal((h, d)), rng.normal(0, 0.5, (h, 1))
    W2, b2 = rng.standard_normal((k, h)), rng.normal(0, 0.5, (k, 1))
    z1 = W1 @ x + b1
    a1 = np.maximum(z1, 0.0)
    y_hat = reference.softmax((W2 @ a1 + b2).T).T
    dz2 = y_hat - y
    dz1 = (W2.T @ dz2) * (z1 > 0)
    columns = {"W1": dz1 @ x.T / m, "b1": dz1.mean(axis=1), "W2": dz2 @ a1.T / m, "b2": dz2.mean(axis=1)}

    net = reference.TwoLayerClassifier(W1.T.copy(), b1.ravel().copy(), W2.T.copy(), b2.ravel().copy())
    scores, cache = net.forward(x.T)
    loss, loss_cache = reference.softmax_ce_forward(scores, y.T)
    dscores, _ = reference.softmax_ce_backward(1.0, loss_cache)
    _, grads = net.backward(dscores, cache)
    check_number("loss, mean over the batch", loss, 1.4771)
    for name in columns:
        np.testing.assert_allclose(grads[name], columns[name].T, atol=1e-15)
    # and the course's layers agree with the reference classifier
    layers = Sequential(Linear(W1.T.copy(), b1.ravel().copy()), ReLU(), Linear(W2.T.copy(), b2.ravel().copy()))
    out, caches = layers.forward(x.T)
    _, lc = SoftmaxCrossEntropy().forward(out, labels)
    _, layer_grads = layers.backward(SoftmaxCrossEntropy().backward(1.0, lc)[0], caches)
    np.testing.assert_allclose(layer_grads[0]["W"], grads["W1"], atol=1e-15)


def test_the_notebook_prints_the_worked_numbers(printed):
    for expected in ["probabilities y_hat = (0.6590, 0.2424, 0.0986)",
                     "true class 0: y = [1. 0. 0.],  L = -log(0.6590) = 0.4170",
                     "true class 2: y = [0. 0. 1.],  L = -log(0.0986) = 2.3170",
                     "through the softmax matrix: (-0.3410, 0.2424, 0.0986)",
                     "y_hat - y:                  (-0.3410, 0.2424, 0.0986)",
                     "by nudging each score:      (-0.3410, 0.2424, 0.0986)",
                     "softmax, naively  = [nan nan nan]",
                     "softmax, shifted      = (0.0900, 0.2447, 0.6652)",
                     "-log(softmax) = inf", "-log_softmax  = 1000.0000",
                     "loss, mean over the batch: 1.4771"]:
        assert expected in printed, expected
    for line in re.findall(r"largest difference after transposing: (\S+)", printed):
        assert float(line) < 1e-15
    assert len(re.findall(r"largest difference after transposing", printed)) == 4


def test_the_batch_size_table(printed):
    """|dW1| with the mean settles as m grows; with the sum it grows with m."""
    X, y, _, _ = data.digits_split()
    rng = np.random.default_rng(1)
    probe = Sequential(Linear(rng.standard_normal((64, 32)) * 0.2, np.zeros(32)), ReLU(),
                       Linear(rng.standard_normal((32, 10)) * 0.2, np.zeros(10)))
    norms = []
    for m in (10, 100, 1000):
        out, caches = probe.forward(X[:m])
        _, lc = SoftmaxCrossEntropy().forward(out, y[:m])
        _, grads = probe.backward(SoftmaxCrossEntropy().backward(1.0, lc)[0], caches)
        norms.append(np.linalg.norm(grads[0]["W"]))
    for m, norm in zip((10, 100, 1000), norms):
        assert re.search(rf"\s{m}\s+{norm:.4f}\s+{norm * m:.4f}", printed)
    assert norms[2] < norms[0] and norms[2] * 1000 > 10 * (norms[0] * 10)


def test_the_classifiers_accuracy(printed):
    spiral = float(re.search(r"training accuracy: (\S+)", printed).group(1))
    assert spiral > 0.97
    test_accuracy = float(re.search(r"test accuracy: (\S+)", printed).group(1))
    assert test_accuracy >= 0.97  # the lesson's floor is 95%; a benchmark wants 97%
    assert "test accuracy: 0.9777  (439 of 449 test digits)" in printed
    assert re.search(r"training took \S+ s \(plus \S+ s drawing the monitor\)", printed)  # (timed by benchmarks)
    mine = re.search(r"test accuracy with your code: (\S+)  \(with the course's layers: (\S+)\)", printed)
    assert mine and mine.group(1) == mine.group(2)


# --- the graded exercises: every known mistake fails and is named ------------------------


def failure_of(calls):
    for call in calls:
        try:
            call()
        except AssertionError as failure:
            return str(failure)
    return None


# the cases of the notebook's visible tests, in their order
SOFTMAX_CASES = [[{"z": WORKED}],
                 [{"z": np.array([[1000.0, 1001.0, 1002.0], [-3.0, 0.0, 2.0]])},
                  {"z": np.array([[-1000.0, 0.0, 1000.0], [1000.0, -1000.0, 0.0], [0.0, 0.0, -800.0]])},
                  {"z": np.array([[12000.0, 12001.0, 12002.0], [-12000.0, 0.0, 12000.0]])}]]
CONFIDENT = {"scores": np.array([[1000.0, 0.0, -5.0], [1.0, 2.0, 3.0]]),
             "Y": np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])}
WIDE = {"scores": np.array([[12000.0, 12001.0, 12002.0], [-3.0, 0.0, 2.0]]),  # rows 12000 apart
        "Y": np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])}
AT_700 = {"scores": np.array([[700.0, 0.0, 1.0], [-100.0, -99.0, -98.0]]),  # exp(700) fits; the batch max does not
          "Y": np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])}
AT_KINK = {"x": np.array([[1.0, -2.0], [0.0, 0.0], [0.5, 1.0]]),  # two z1 of the second row are exactly 0
           "dout": np.array([[0.5, -1.0], [1.0, 2.0], [-0.5, 0.3]]),
           "W1": np.array([[0.2, -0.4, 0.6], [-0.3, 0.1, 0.5]]), "b1": np.array([0.0, 0.5, 0.0]),
           "W2": np.array([[1.0, -1.0], [0.5, 0.2], [-0.7, 0.4]]), "b2": np.array([0.1, -0.1])}


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.softmax))
def test_every_softmax_mistake_fails_and_is_named(description, buggy):
    message = failure_of([
        *(lambda cases=cases: checks.check_function(buggy, reference.softmax, cases) for cases in SOFTMAX_CASES),
        lambda: checks.check_function(buggy, reference.softmax, reference.random_scores, seed=1),
    ])
    assert message is not None and "Likely cause: " + description in message
    assert " Or: " not in message  # each is told apart from the others


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.softmax_ce_loss))
def test_every_loss_mistake_fails_and_is_named(description, buggy):
    message = failure_of([
        lambda: checks.check_function(buggy, reference.softmax_ce_loss, [{"scores": WORKED, "Y": CLASS_0}]),
        lambda: checks.check_function(buggy, reference.softmax_ce_loss, [CONFIDENT, WIDE, AT_700]),
        lambda: checks.check_function(buggy, reference.softmax_ce_loss, reference.random_softmax_ce_input, seed=2),
    ])
    assert message is not None and "Likely cause: " + description in message
    assert " Or: " not in message  # each is told apart from the others


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.SoftmaxCrossEntropyLoss))
def test_every_loss_gradient_mistake_fails_and_is_named(description, buggy):
    message = failure_of([
        lambda: checks.check_layer(buggy, reference.SoftmaxCrossEntropyLoss,
                                   [{"x": WORKED, "dout": 1.0, "Y": CLASS_0}]),
        lambda: checks.check_layer(buggy, reference.SoftmaxCrossEntropyLoss,
                                   [{"x": case["scores"], "dout": 1.0, "Y": case["Y"]}
                                    for case in (CONFIDENT, WIDE, AT_700)]),
        lambda: checks.check_layer(buggy, reference.SoftmaxCrossEntropyLoss, reference.random_softmax_ce, seed=3),
    ])
    assert message is not None and "Likely cause: " + description in message
    assert " Or: " not in message


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.classifier_scores))
def test_every_classifier_forward_mistake_fails_and_is_named(description, buggy):
    message = failure_of([lambda: checks.check_function(buggy, reference.classifier_scores,
                                                        reference.random_classifier_input, seed=4)])
    assert message is not None and "Likely cause: " + description in message
    assert " Or: " not in message


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.TwoLayerClassifier))
def test_every_classifier_backward_mistake_fails_and_is_named(description, buggy):
    message = failure_of([
        lambda: checks.check_layer(buggy, reference.TwoLayerClassifier, reference.random_classifier, seed=5,
                                   reads_params=True),
        lambda: checks.check_layer(buggy, reference.TwoLayerClassifier, [AT_KINK], finite_differences=False)])
    assert message is not None and "Likely cause: " + description in message
    assert " Or: " not in message


# --- the notebook's own test cells, hidden tests included, against wrong answers ----------------


def test_the_solutions_pass_their_test_cells():
    answers = solution_namespace(LESSON)
    for grade_id in ("test_softmax", "test_softmax_ce_forward", "test_softmax_ce_backward",
                     "test_classifier_forward", "test_classifier_backward"):
        assert failure_in(LESSON, grade_id, **answers) is None, grade_id


def test_a_softmax_shifted_by_anything_but_the_row_maximum_fails_and_is_named():
    def softmax(z):  # stable enough for scores in the thousands, but not for a row spread over 2000
        e = np.exp(z - z.min(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    message = failure_in(LESSON, "test_softmax", softmax=softmax)
    assert "Likely cause: each row is shifted by its minimum" in message
    assert "NaN" in message


def test_a_softmax_without_keepdims_is_told_to_keep_the_axis():
    def softmax(z):
        e = np.exp(z - z.max(axis=1))
        return e / e.sum(axis=1, keepdims=True)

    message = failure_in(LESSON, "test_softmax", softmax=softmax)
    assert "could not be broadcast" in message and "Keep it with keepdims=True (shape (2, 1))" in message


def test_a_softmax_that_changes_its_input_is_told_so_and_nothing_else_is_named():
    def softmax(z):
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    message = failure_in(LESSON, "test_softmax", softmax=softmax)
    assert "the argument z was changed in place" in message
    assert "Likely cause: the caller's scores are changed in place (z -= ...," in message and " Or: " not in message


def test_answers_that_call_the_course_code_fail():
    def softmax(z):
        return layers.softmax(z)

    assert "backprop.layers.softmax" in failure_in(LESSON, "test_softmax", softmax=softmax)

    answers = solution_namespace(LESSON)

    def softmax_ce_forward(scores, Y):  # the course's layer, fed the labels back out of Y
        return layers.SoftmaxCrossEntropy().forward(scores, Y.argmax(axis=1))

    def softmax_ce_backward(dout, cache):
        return layers.SoftmaxCrossEntropy().backward(dout, cache)

    for grade_id in ("test_softmax_ce_forward", "test_softmax_ce_backward"):
        message = failure_in(LESSON, grade_id, softmax_ce_forward=softmax_ce_forward,
                             softmax_ce_backward=softmax_ce_backward)
        assert "backprop.layers.SoftmaxCrossEntropy" in message, grade_id

    class TwoLayerClassifier(answers["TwoLayerClassifier"]):  # built from the course's layers
        def forward(self, X):
            p = self.params
            net = Sequential(Linear(p["W1"], p["b1"]), ReLU(), Linear(p["W2"], p["b2"]))
            scores, caches = net.forward(X)
            return scores, caches

        def backward(self, dscores, cache):
            p = self.params
            net = Sequential(Linear(p["W1"], p["b1"]), ReLU(), Linear(p["W2"], p["b2"]))
            dX, grads = net.backward(dscores, cache)
            return dX, {"W1": grads[0]["W"], "b1": grads[0]["b"], "W2": grads[2]["W"], "b2": grads[2]["b"]}

    for grade_id in ("test_classifier_forward", "test_classifier_backward"):
        message = failure_in(LESSON, grade_id, TwoLayerClassifier=TwoLayerClassifier)
        assert "it calls the course's" in message and "backprop.layers." in message, grade_id


def test_the_loss_may_be_a_0d_array_but_not_an_array_of_one_entry():
    """The same rule as lesson 07's relative error: NumPy's 0-dimensional result counts as a plain
    number, an array of shape (1,) does not."""
    answers = solution_namespace(LESSON)

    def zero_d(scores, Y):
        loss, cache = answers["softmax_ce_forward"](scores, Y)
        return np.asarray(loss), cache

    def one_entry(scores, Y):
        loss, cache = answers["softmax_ce_forward"](scores, Y)
        return np.array([loss]), cache

    assert failure_in(LESSON, "test_softmax_ce_forward", softmax_ce_forward=zero_d) is None
    assert "Return a plain number" in failure_in(LESSON, "test_softmax_ce_forward", softmax_ce_forward=one_entry)


def test_a_loss_that_takes_the_log_of_the_probabilities_is_named():
    def softmax_ce_forward(scores, Y):
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = e / e.sum(axis=1, keepdims=True)
        return float(-np.sum(Y * np.log(probs)) / len(Y)), (probs, Y)

    message = failure_in(LESSON, "test_softmax_ce_forward", softmax_ce_forward=softmax_ce_forward)
    assert "expected 500.204" in message
    assert "Likely cause: the log is taken of the probabilities" in message


def test_a_backward_that_recomputes_a_naive_softmax_or_changes_its_cache_fails():
    answers = solution_namespace(LESSON)

    def keeps_the_scores(scores, Y):
        return answers["softmax_ce_forward"](scores, Y)[0], (scores, Y)

    def naive_backward(dout, cache):
        scores, Y = cache
        e = np.exp(scores)
        return dout * (e / e.sum(axis=1, keepdims=True) - Y) / len(Y), {}

    message = failure_in(LESSON, "test_softmax_ce_backward", softmax_ce_forward=keeps_the_scores,
                         softmax_ce_backward=naive_backward)
    assert "NaN" in message and "Likely cause: backward recomputes the softmax from the scores" in message

    def backward_in_place(dout, cache):
        probs, Y = cache
        probs -= Y
        probs *= dout / probs.shape[0]
        return probs, {}

    message = failure_in(LESSON, "test_softmax_ce_backward", softmax_ce_forward=answers["softmax_ce_forward"],
                         softmax_ce_backward=backward_in_place)
    assert "in place, so a second backward on the same cache gives other gradients" in message


def test_the_column_forms_1_over_m_copied_into_the_classifier_is_named():
    answers = solution_namespace(LESSON)

    class TwoLayerClassifier(answers["TwoLayerClassifier"]):
        def backward(self, dscores, cache):
            dX, grads = super().backward(dscores, cache)
            m = cache[0].shape[0]
            return dX, {key: grad / m for key, grad in grads.items()}

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=TwoLayerClassifier)
    assert "Likely cause: the 1/m is applied twice" in message


def test_the_pair_of_loss_functions_is_checked_through_layer_from(monkeypatch):
    # the pairs below are built on the reference, which the checks would flag first
    monkeypatch.setattr("backprop.forbidden.forbidden_code", lambda *args: {})

    def forward(scores, Y):
        return reference.softmax_ce_forward(scores, Y)

    def backward_from_the_last_forward(dout, cache):  # keeps no cache: reads a global instead
        return reference.softmax_ce_backward(dout, latest[0])

    latest = []

    def remembering_forward(scores, Y):
        out = forward(scores, Y)
        latest[:] = [out[1]]
        return out

    checks.check_layer(checks.layer_from(forward, reference.softmax_ce_backward),
                       reference.SoftmaxCrossEntropyLoss, reference.random_softmax_ce, seed=0)
    with pytest.raises(AssertionError, match="does not use the cache it is given"):
        checks.check_layer(checks.layer_from(remembering_forward, backward_from_the_last_forward),
                           reference.SoftmaxCrossEntropyLoss, reference.random_softmax_ce, seed=0)


def test_a_student_classifier_that_keeps_its_cache_on_self_is_caught(monkeypatch):
    # built on the reference (which the checks would flag first) to isolate the cache mistake
    monkeypatch.setattr("backprop.forbidden.forbidden_code", lambda *args: {})

    class OnSelf(reference.TwoLayerClassifier):
        def forward(self, x):
            out, self.cache = super().forward(x)
            return out, None

        def backward(self, dscores, cache):
            return super().backward(dscores, self.cache)

    with pytest.raises(AssertionError, match="does not use the cache it is given"):
        checks.check_layer(OnSelf, reference.TwoLayerClassifier, reference.random_classifier, seed=0)


def test_bad_input_to_the_references_names_the_argument():
    with pytest.raises(ValueError, match=r"z must be 2-D \(examples, classes\), but has shape \(3,\)"):
        reference.softmax(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"Y has shape \(1, 2\) but scores has shape \(1, 3\)"):
        reference.softmax_ce_forward(WORKED, np.array([[1.0, 0.0]]))


def test_random_classifier_cases_stay_away_from_the_relu_kink():
    rng = np.random.default_rng(0)
    for _ in range(50):
        case = reference.random_classifier(rng)
        assert np.abs(case["x"] @ case["W1"] + case["b1"]).min() > 0.05


# --- the explorer, the monitor, the figures --------------------------------------------------


def test_softmax_explorer_shows_probabilities_loss_and_gradient(artifacts):
    e = SoftmaxExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    text = e.readout.value
    assert "(0.6590,\\ 0.2424,\\ 0.0986)" in text and "= 0.4170" in text
    assert "(-0.3410,\\ +0.2424,\\ +0.0986)" in text
    assert [b.get_height() for b in e.grad_bars] == pytest.approx([-0.3410, 0.2424, 0.0986], abs=1e-4)
    e.target.value = 2
    assert e.image.value != first and "= 2.3170" in e.readout.value
    assert e.grad_bars[2].get_height() == pytest.approx(0.0986 - 1, abs=1e-4)
    # a step against the gradient lowers the loss and raises the true class's score
    e.target.value = 0
    before = e.scores()
    e.step_button.click()
    after = e.scores()
    assert after[0] > before[0] and after[1] < before[1] and after[2] < before[2]
    assert e.losses == [pytest.approx(0.4170, abs=1e-4)] and e.state()[2] < 0.4170
    # only differences between scores matter
    e.reset_button.click()
    p = e.state()[0]
    e.set_values(z0=3.0, z1=2.0, z2=1.1)
    np.testing.assert_allclose(e.state()[0], p, atol=1e-12)
    (artifacts / "softmax_explorer.png").write_bytes(e.image.value)


def test_softmax_explorer_rejects_bad_input():
    with pytest.raises(ValueError, match=r"scores must be 3 numbers.*shape \(2,\)"):
        SoftmaxExplorer(scores=(1.0, 2.0))
    with pytest.raises(ValueError, match="target must be the class 0, 1 or 2, but is 3"):
        SoftmaxExplorer(target=3)


def test_training_monitor_updates_headless(artifacts):
    X, y = data.spiral(n_per_class=30)
    monitor = TrainingMonitor(epochs=10, every=4, boundary=(X, y), title="test")

    def predict(P):
        return np.column_stack([P[:, 0], P[:, 1], -P[:, 0]])

    for epoch in range(10):
        monitor.update(epoch, 1.0 / (epoch + 1), accuracy=0.5 + 0.05 * epoch, test_accuracy=0.4, predict=predict)
    assert monitor.frames == 4  # epochs 1, 4, 8 and the last
    assert monitor.progress.value == 10
    assert "epoch 10/10" in monitor.status.value and "loss 0.1000" in monitor.status.value
    assert "test 40.0%" in monitor.status.value
    assert set(np.unique(monitor.regions.get_array())) == {0, 1, 2}
    assert monitor.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(monitor.loss_line.get_xdata()) == list(range(1, 11))
    (artifacts / "training_monitor.png").write_bytes(monitor.image.value)
    with pytest.raises(ValueError, match="loss is nan at epoch 3: training diverged"):
        monitor.update(3, float("nan"))
    with pytest.raises(ValueError, match="epochs must be a positive whole number, but is 0"):
        TrainingMonitor(epochs=0)
    with pytest.raises(ValueError, match=r"X has shape \(5, 3\)"):
        TrainingMonitor(epochs=3, boundary=(np.zeros((5, 3)), np.zeros(5, dtype=int)))


def test_confusion_matrix_and_digit_grid(artifacts):
    ax = plots.plot_confusion_matrix(np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1]), n_classes=3)
    np.testing.assert_array_equal(ax.confusion, [[1, 0, 0], [0, 1, 1], [0, 0, 2]])
    assert ax.get_title() == "4 of 5 right"
    assert "1" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\) but y_pred has shape \(3,\)"):
        plots.plot_confusion_matrix(np.array([0, 1]), np.array([0, 1, 1]))
    with pytest.raises(TypeError, match="y_pred must be a 1-D array of integer labels"):
        plots.plot_confusion_matrix(np.array([0, 1]), np.array([0.0, 1.0]))

    images, labels = data.load_digits()
    axes = plots.plot_digits(images[:12], titles=[str(v) for v in labels[:12]], ncols=6)
    assert len(axes) == 12 and axes[0].get_title() == str(labels[0])
    axes[0].figure.savefig(artifacts / "digits.png", dpi=80)
    plt.close(axes[0].figure)
    with pytest.raises(ValueError, match=r"images must have shape \(n, 8, 8\) or \(n, 64\), but has shape \(3, 5\)"):
        plots.plot_digits(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="titles has 1 entries but there are 2 images"):
        plots.plot_digits(np.zeros((2, 64)), titles=["a"])


# --- grading: a wrong answer loses its exercise, and the feedback names the mistake ------


def test_a_wrong_bias_gradient_loses_the_backward_exercise_only(course_cfg):
    from test_grading import autograde, submit

    submit(course_cfg, "bob", LESSON, lesson_tools.edited_solution(LESSON, {"two_layer_classifier": [
        ("db2 = dscores.sum(axis=0)", "db2 = dscores.mean(axis=0)"),
        ("db1 = dz1.sum(axis=0)", "db1 = dz1.mean(axis=0)")]}))
    scores = autograde(course_cfg, LESSON, ["bob"])["bob"]
    assert scores["test_classifier_backward"] == (0.0, 4.0)
    for name in ("test_softmax", "test_softmax_ce_forward", "test_softmax_ce_backward", "test_classifier_forward"):
        assert scores[name][0] == scores[name][1] > 0, (name, scores[name])
    message = lesson_tools.graded_errors(course_cfg, "bob", LESSON)["test_classifier_backward"]
    assert "Likely cause: the bias gradients are averaged over the batch; sum them" in message


def test_the_reference_classifier_names_a_shape_mismatch():
    net = reference.TwoLayerClassifier(np.ones((3, 4)), np.zeros(4), np.ones((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"x has shape \(5, 2\) but W1 has shape \(3, 4\)"):
        net.forward(np.ones((5, 2)))
    with pytest.raises(TypeError, match="x must be a NumPy array of float64"):
        net.forward([[1.0, 2.0, 3.0]])


def test_softmax_explorer_shifts_every_score_without_changing_anything(artifacts):
    e = SoftmaxExplorer()
    before = e.state()
    e.shift_button.click()
    assert e.scores() == pytest.approx([3.0, 2.0, 1.1])
    for a, b in zip(before, e.state()):
        np.testing.assert_allclose(a, b, atol=1e-12)
    e.z1.value = 3.0  # one score alone: the probabilities move
    assert not np.allclose(e.state()[0], before[0])
    e.set_values(z0=5.5)
    assert e.shift_button.disabled  # 6.5 would leave the slider
    e.shift()
    assert e.z0.value == 5.5
    e.set_values(z0=4.0)
    assert not e.shift_button.disabled
    assert "bp-shift" in e.shift_button._dom_classes


def test_the_monitor_shows_the_first_epoch_and_labels_its_loss_axis_plainly():
    monitor = TrainingMonitor(epochs=40, every=10, title="test")
    monitor.update(0, 0.31, accuracy=0.9, test_accuracy=0.92)
    assert list(monitor.loss_dot.get_ydata()) == [0.31]  # a single epoch is a dot, not an empty panel
    assert list(monitor.acc_dots.get_ydata()) == [0.9] and list(monitor.test_dots.get_ydata()) == [0.92]
    assert not any(dot.get_clip_on() for dot in (monitor.loss_dot, monitor.acc_dots, monitor.test_dots))
    canvas = FigureCanvasAgg(monitor.fig)
    canvas.draw()
    labels = [t.get_text() for t in monitor.ax_loss.get_yticklabels(minor=True) + monitor.ax_loss.get_yticklabels()
              if t.get_text()]
    assert labels and all(re.fullmatch(r"[0-9.]+", label) for label in labels), labels  # 0.3, not 3x10^-1
    renderer = canvas.get_renderer()
    assert all(t.get_window_extent(renderer).x0 >= 0 for t in monitor.ax_loss.get_yticklabels(minor=True)
               if t.get_text())  # inside the figure


def test_the_spiral_monitor_counts_accuracy_on_the_batches_and_the_notebook_prints_the_final_one():
    """The monitor counts the training accuracy on each epoch's batches as they come (free, while the
    weights move): 98.0% at the end, where the finished network scores 0.9867, as the prose says."""
    path = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
    nb = nbformat.read(path, as_version=4)
    source = next(c.source for c in nb.cells if c.source.startswith("def accuracy(net, X, y):"))
    namespace = {"np": np, "data": data, "SoftmaxCrossEntropy": SoftmaxCrossEntropy, "Sequential": Sequential,
                 "Linear": Linear, "ReLU": ReLU, "sgd_step": __import__("backprop.layers").layers.sgd_step}
    exec(source, namespace)  # noqa: S102
    X, y = data.spiral()
    monitor = TrainingMonitor(epochs=300, every=300, boundary=(X, y))
    net = namespace["train"](namespace["two_layer_net"](2, 100, 3), X, y, epochs=300, lr=0.5, batch_size=30,
                             monitor=monitor)
    final = namespace["accuracy"](net, X, y)
    assert f"{final:.4f}" == "0.9867"
    assert monitor.history["accuracy"][-1] == pytest.approx(0.98) and "training 98.0%" in monitor.status.value


def test_the_order_question_accepts_every_order_that_works():
    from backprop.quiz import Order, Quiz

    path = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
    nb = nbformat.read(path, as_version=4)
    source = next(c.source for c in nb.cells if c.source.startswith("steps = ["))
    namespace = {}
    exec("from backprop.quiz import MultipleChoice, Numeric, Order, Quiz\n"  # noqa: S102
         + source.replace("\nQuiz([", "\nquiz = Quiz([", 1), namespace)
    order = next(q for q in namespace["quiz"].questions if isinstance(q, Order))
    forward, loss, dz2, step_2, dz1, step_1, update = namespace["steps"]
    for steps, right in (([forward, dz2, step_2, dz1, step_1, update, loss], True),   # the loss is for watching
                         ([forward, loss, dz2, step_2, dz1, step_1, update], True),
                         ([forward, loss, dz2, dz1, step_2, step_1, update], False),  # dz1 needs da1
                         ([forward, loss, dz2, step_2, update, dz1, step_1], False)):  # W2 changed too early
        order.answer_widget.value = steps
        order.check_button.click()
        assert order.correct is right, steps
    assert isinstance(namespace["quiz"], Quiz)


# --- the second newcomer pass ------------------------------------------------------------


def test_a_softmax_built_from_the_course_loss_layer_fails():
    def softmax(z):  # (Y_hat - Y) / m, times m, plus Y
        labels = z.argmax(axis=1)
        _, cache = layers.SoftmaxCrossEntropy().forward(z, labels)
        d, _ = layers.SoftmaxCrossEntropy().backward(1.0, cache)
        return d * z.shape[0] + one_hot(labels, z.shape[1])

    assert "backprop.layers.SoftmaxCrossEntropy" in failure_in(LESSON, "test_softmax", softmax=softmax)


def test_a_classifier_that_computes_with_copies_of_its_weights_fails_and_is_told_why():
    """sgd_step updates self.params in place: a network that copied its weights never learns."""
    answers = solution_namespace(LESSON)

    class TwoLayerClassifier(answers["TwoLayerClassifier"]):
        def __init__(self, W1, b1, W2, b2):
            super().__init__(W1, b1, W2, b2)
            self.W1, self.b1, self.W2, self.b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()

        def forward(self, X):
            z1 = X @ self.W1 + self.b1
            a1 = np.maximum(z1, 0.0)
            return a1 @ self.W2 + self.b2, (X, z1, a1)

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=TwoLayerClassifier)
    assert ("forward does not read the weights from self.params: sgd_step updates self.params (in place), so your "
            "network would never learn") in message
    assert "Likely cause: forward or backward computes with copies of the weights made in __init__" in message
    assert " Or: " not in message and "changed in place;" not in message

    class KeepsAttributes(answers["TwoLayerClassifier"]):  # no copies: in-place updates reach them, new arrays not
        def __init__(self, W1, b1, W2, b2):
            super().__init__(W1, b1, W2, b2)
            self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

        def forward(self, X):
            z1 = X @ self.W1 + self.b1
            a1 = np.maximum(z1, 0.0)
            return a1 @ self.W2 + self.b2, (X, z1, a1)

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=KeepsAttributes)
    assert "with a new array put in self.params['W1']" in message
    assert "Likely cause: forward or backward reads the weights from attributes set in __init__" in message

    class CopiesInBackward(answers["TwoLayerClassifier"]):
        def __init__(self, W1, b1, W2, b2):
            super().__init__(W1, b1, W2, b2)
            self.W2 = W2.copy()

        def backward(self, dscores, cache):
            self.params["W2"], kept = self.W2, self.params["W2"]
            try:
                return super().backward(dscores, cache)
            finally:
                self.params["W2"] = kept

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=CopiesInBackward)
    assert "backward does not read the weights from self.params" in message


def _longdouble_softmax(z):  # no shift: exp(1000) fits in an 80-bit long double, exp(12000) does not
    e = np.exp(z.astype(np.longdouble))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float64)


def _longdouble_forward(scores, Y):
    s = scores.astype(np.longdouble)
    log_probs = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return float(-np.sum(Y * log_probs) / len(Y)), (np.exp(log_probs).astype(np.float64), Y)


@pytest.mark.skipif(np.finfo(np.longdouble).maxexp <= 1024, reason="np.longdouble is float64 here")
def test_a_softmax_without_the_shift_in_longdouble_fails_visible_and_hidden_cases():
    with np.errstate(all="ignore"):
        assert _longdouble_softmax(np.array([[1000.0, 1001.0, 1002.0]]))[0] == pytest.approx([0.0900, 0.2447, 0.6652],
                                                                                             abs=1e-4)
        message = failure_in(LESSON, "test_softmax", softmax=_longdouble_softmax)
        assert "case 3" in message and "NaN" in message
        with pytest.raises(AssertionError):
            checks.check_function(_longdouble_softmax, reference.softmax, reference.random_wide_scores, seed=0)
        answers = solution_namespace(LESSON)
        message = failure_in(LESSON, "test_softmax_ce_forward", softmax_ce_forward=_longdouble_forward)
        assert "case 2" in message
        with pytest.raises(AssertionError):
            checks.check_function(lambda scores, Y: _longdouble_forward(scores, Y)[0], reference.softmax_ce_loss,
                                  reference.random_wide_softmax_ce_input, seed=0)
        assert failure_in(LESSON, "test_softmax_ce_backward", softmax_ce_forward=_longdouble_forward,
                          softmax_ce_backward=answers["softmax_ce_backward"]) is not None


def test_random_wide_cases_have_rows_beyond_12000():
    rng = np.random.default_rng(0)
    for make, key in ((reference.random_wide_scores, "z"), (reference.random_wide_softmax_ce_input, "scores")):
        for _ in range(20):
            z = make(rng)[key]
            assert z.max() > 11500 and z.max(axis=1).min() < -11500


def test_a_loss_shifted_by_the_batch_maximum_is_named_and_not_as_the_log_of_probabilities():
    def softmax_ce_forward(scores, Y):
        s = scores - scores.max()  # the whole batch's maximum, not each row's
        log_probs = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-np.sum(Y * log_probs) / len(Y)), (np.exp(log_probs), Y)

    answers = solution_namespace(LESSON)
    with np.errstate(all="ignore"):
        for grade_id in ("test_softmax_ce_forward", "test_softmax_ce_backward"):
            message = failure_in(LESSON, grade_id, softmax_ce_forward=softmax_ce_forward,
                                 softmax_ce_backward=answers["softmax_ce_backward"])
            assert "Likely cause: the maximum of the whole batch was subtracted, scores - scores.max()" in message, \
                grade_id
            assert "subtract each row's own maximum".lower() in message.lower(), grade_id
            assert "the log is taken of the probabilities" not in message, grade_id


# --- wrong answers a newcomer wrote, each named by its cause ------------------------------------------------------


def _forward_with(loss_and_probs):
    def softmax_ce_forward(scores, Y):
        loss, probs = loss_and_probs(scores, Y)
        return loss, (probs, Y)

    return softmax_ce_forward


def _stable(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _log_of_p_plus_epsilon(scores, Y):
    P = _stable(scores)
    return -np.sum(Y * np.log(P + 1e-12)) / len(scores), P


def _one_hot_as_labels(scores, Y):
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(scores)), Y.astype(int)]), np.exp(logp)


def _logsumexp_over_the_batch(scores, Y):
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.sum(np.exp(s)))
    return -np.sum(Y * logp) / len(scores), np.exp(logp)


def _no_shift(scores, Y):
    logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / len(scores), np.exp(logp)


@pytest.mark.parametrize("forward, says", [
    (_log_of_p_plus_epsilon, "a small number added to the probabilities (or a clip) before the log caps the loss"),
    (_one_hot_as_labels, "Y is one-hot, (m, k), not the integer labels"),
    (_logsumexp_over_the_batch, "the log-sum-exp sums over the whole batch"),
    (_no_shift, "the scores go into exp without a shift"),
], ids=["log-P-plus-eps", "one-hot-as-labels", "batch-logsumexp", "no-shift"])
def test_a_wrong_loss_is_named_in_both_of_its_tests_and_nothing_else_is(forward, says):
    answers = solution_namespace(LESSON)
    with np.errstate(all="ignore"):
        for grade_id in ("test_softmax_ce_forward", "test_softmax_ce_backward"):
            message = failure_in(LESSON, grade_id, softmax_ce_forward=_forward_with(forward),
                                 softmax_ce_backward=answers["softmax_ce_backward"])
            assert "Likely cause: " + says in message, grade_id
            assert " Or: " not in message, grade_id


def test_a_loss_backward_that_builds_the_gradient_in_its_cache_is_named():
    answers = solution_namespace(LESSON)

    def softmax_ce_backward(dout, cache):
        P, Y = cache
        P -= Y
        P *= dout / len(P)
        return P, {}

    message = failure_in(LESSON, "test_softmax_ce_backward", softmax_ce_forward=answers["softmax_ce_forward"],
                         softmax_ce_backward=softmax_ce_backward)
    assert "Likely cause: backward changes the arrays of its cache in place" in message


def test_classifiers_that_share_their_params_or_change_their_cache_or_have_slope_1_at_0_fail_visibly():
    answers = solution_namespace(LESSON)
    right = answers["TwoLayerClassifier"]

    class SharesParams(right):
        params = {}

        def __init__(self, W1, b1, W2, b2):
            self.params.update(W1=W1, b1=b1, W2=W2, b2=b2)

    message = failure_in(LESSON, "test_classifier_forward", TwoLayerClassifier=SharesParams)
    assert "Likely cause: params is one dict shared by every TwoLayerClassifier" in message

    class MaskInTheCache(right):
        def backward(self, dscores, cache):
            X, z1, a1 = cache
            z1[z1 > 0] = 1.0
            z1[z1 <= 0] = 0.0
            return super().backward(dscores, (X, z1, a1))

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=MaskInTheCache)
    assert "backward changed the cache's entry [1] in place" in message
    assert "Likely cause: backward turns the cached z1 into the ReLU's mask in place" in message

    class SlopeOneAtZero(right):
        def backward(self, dscores, cache):
            X, z1, a1 = cache
            return super().backward(dscores, (X, np.where(z1 == 0, 1e-300, z1), a1))  # as (z1 >= 0)

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=SlopeOneAtZero)
    assert "Likely cause: the ReLU's slope is taken as 1 at z1 = 0 exactly" in message


def test_the_course_autograd_is_forbidden_in_the_gradient_exercises():
    from backprop.autograd import Tensor

    answers = solution_namespace(LESSON)

    def softmax_ce_backward(dout, cache):  # probs - Y, differentiated by the course's engine
        probs, Y = cache
        p = Tensor(probs.copy())
        ((p - Tensor(Y)) * Tensor(probs.copy())).sum().backward()
        return dout * (p.grad - Y) / probs.shape[0], {}

    message = failure_in(LESSON, "test_softmax_ce_backward", softmax_ce_forward=answers["softmax_ce_forward"],
                         softmax_ce_backward=softmax_ce_backward)
    assert message is not None
    assert "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself" in message

    class TwoLayerClassifier(answers["TwoLayerClassifier"]):  # the right forward; backward by autograd
        def backward(self, dout, cache):
            X, Z1, A1 = cache
            W1, b1, W2, b2 = (Tensor(self.params[k].copy()) for k in ("W1", "b1", "W2", "b2"))
            x = Tensor(X.copy())
            scores = (x @ W1 + b1).relu() @ W2 + b2
            (scores * Tensor(dout)).sum().backward()
            return x.grad, {"W1": W1.grad, "b1": b1.grad, "W2": W2.grad, "b2": b2.grad}

    message = failure_in(LESSON, "test_classifier_backward", TwoLayerClassifier=TwoLayerClassifier)
    assert message is not None and "backprop.autograd.Tensor" in message
