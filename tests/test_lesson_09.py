"""Lesson 09, training in practice: its numbers, its layers, its checks and mistakes, its explorer."""

import lesson_tools
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import mistake_versions

from backprop import checks, data, gradcheck, reference
from backprop.explorers import RegularisationExplorer
from backprop.layers import (
    BatchNorm,
    Dropout,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    deep_network,
    init_std,
    set_training,
    train,
)

LESSON = ROOT / "solutions" / "09_training_in_practice" / "09_training_in_practice.ipynb"


def few_digits():
    X_train, y_train, X_test, y_test = data.digits_split()
    X_few, y_few = X_train[:100], y_train[:100]
    mean, std = X_few.mean(axis=0), X_few.std(axis=0)
    std[std == 0] = 1.0
    return (X_few - mean) / std, y_few, (X_test - mean) / std, y_test


def wide_network(p_drop=0.0, seed=0):
    rng = np.random.default_rng(seed)
    layers = [Linear(rng.standard_normal((64, 256)) * np.sqrt(2 / 64), np.zeros(256)), ReLU()]
    if p_drop > 0:
        layers.append(Dropout(p_drop, rng=np.random.default_rng(seed + 1)))
    layers.append(Linear(rng.standard_normal((256, 10)) * np.sqrt(2 / 256), np.zeros(10)))
    return Sequential(layers)


# --- the lesson's numbers, recomputed with the package ----------------------------------------


@pytest.fixture(scope="module")
def overfitting_runs():
    X, y, X_test, y_test = few_digits()
    sets = {"train": (X, y), "test": (X_test, y_test)}
    runs, nets = {}, {}
    for label, p_drop, lam in [("plain", 0.0, 0.0), ("l2", 0.0, 0.01), ("dropout", 0.5, 0.0), ("both", 0.5, 0.01)]:
        nets[label] = wide_network(p_drop)
        runs[label] = train(nets[label], SoftmaxCrossEntropy(), X, y, steps=300, lr=0.5, lam=lam,
                            eval_sets=sets, eval_every=10)
    return runs, nets


def test_a_wide_network_memorises_100_digits(overfitting_runs):
    runs, _ = overfitting_runs
    h = runs["plain"]
    assert sum(p.size for layer in wide_network().params for p in layer.values()) == 19210
    checks.check_number("training loss", h["train_loss"][-1], 0.0016)
    assert h["train_accuracy"][-1] == 1.0
    checks.check_number("test accuracy", h["test_accuracy"][-1], 0.8441)
    best = int(np.argmin(h["test_loss"]))
    assert h["eval_step"][best] == 50 and round(h["test_loss"][best], 3) == 0.598
    assert round(h["test_loss"][-1], 3) == 0.619 and h["test_loss"][-1] > h["test_loss"][best]
    # what the last 250 steps bought: much on the training set, nothing on the test set
    k = h["eval_step"].index(50)
    checks.check_number("training loss at step 50", h["train_loss"][k], 0.0112)
    assert round(h["test_accuracy"][k], 3) == 0.835 and max(h["test_accuracy"]) == h["test_accuracy"][-1]
    assert all(a <= b + 1e-12 for a, b in zip(h["test_loss"][5:], h["test_loss"][6:]))  # creeping up from step 50


def test_l2_and_dropout_on_the_digits(overfitting_runs):
    runs, nets = overfitting_runs
    assert round(runs["l2"]["train_loss"][-1], 4) == 0.0378
    assert round(runs["l2"]["test_loss"][-1], 3) == 0.446 and round(runs["l2"]["test_accuracy"][-1], 3) == 0.884
    assert round(runs["dropout"]["test_loss"][-1], 3) == 0.681
    assert round(runs["dropout"]["test_accuracy"][-1], 3) == 0.860
    assert round(runs["both"]["test_loss"][-1], 3) == 0.439
    # L2 helps both measures; dropout helps accuracy but not the loss; both together give the lowest loss
    assert runs["l2"]["test_loss"][-1] < runs["plain"]["test_loss"][-1] < runs["dropout"]["test_loss"][-1]
    assert runs["dropout"]["test_accuracy"][-1] > runs["plain"]["test_accuracy"][-1]
    assert runs["both"]["test_loss"][-1] == min(h["test_loss"][-1] for h in runs.values())

    def weight_norm(net):
        return np.sqrt(sum(np.sum(p["W"] ** 2) for p in net.params if "W" in p))

    assert f"{weight_norm(wide_network()):.2f}" == "22.97"
    assert f"{weight_norm(nets['plain']):.2f}" == "23.52" and f"{weight_norm(nets['l2']):.2f}" == "7.64"


def test_the_worked_l2_and_dropout_examples():
    loss, grads = reference.l2_penalty([{"W": np.array([[0.5, -1.0], [2.0, 0.0]]), "b": np.array([1.0, 1.0])}, {}],
                                       0.1)
    checks.check_number("penalty", loss, 0.2625)
    np.testing.assert_allclose(grads[0]["W"], [[0.05, -0.1], [0.2, 0.0]])
    np.testing.assert_array_equal(grads[0]["b"], [0.0, 0.0])
    assert grads[1] == {}
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    out, cache = reference.dropout_forward(x, 0.4, np.random.default_rng(1))
    np.testing.assert_array_equal(cache[0], [[True, True, False, True, False]])
    np.testing.assert_allclose(np.round(out, 4), [[1.6667, 3.3333, 0.0, 6.6667, 0.0]])
    dx, nothing = reference.dropout_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(np.round(dx, 4), [[1.6667, 1.6667, 0.0, 1.6667, 0.0]])
    assert nothing == {}
    many = np.random.default_rng(2).random((10000, 5)) >= 0.4
    assert np.round((x * many / 0.6).mean(axis=0), 2).tolist() == [1.01, 2.0, 3.03, 3.95, 4.98]


def test_batch_norm_rescues_the_20_layer_sigmoid_network():
    X_train, y_train, _, _ = data.digits_split()
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    X, y = ((X_train - mean) / std)[:128], y_train[:128]
    loss_fn = SoftmaxCrossEntropy()
    ratios = {}
    for init in ["xavier", "small"]:
        for batch_norm in [False, True]:
            rng = np.random.default_rng(0)
            layers = []
            for _ in range(20):
                layers.append(Linear(rng.standard_normal((64, 64)) * init_std(init, 64, 64), np.zeros(64)))
                if batch_norm:
                    layers.append(BatchNorm(np.ones(64), np.zeros(64)))
                layers.append(Sigmoid())
            layers.append(Linear(rng.standard_normal((64, 10)) * init_std(init, 64, 10), np.zeros(10)))
            net = Sequential(layers)
            out, caches = net.forward(X)
            _, cache = loss_fn.forward(out, y)
            _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
            norms = [np.linalg.norm(g["W"]) for g in grads if "W" in g]
            ratios[init, batch_norm] = norms[0] / norms[-1]
    assert f"{ratios['xavier', False]:.3g}" == "5e-13" and f"{ratios['xavier', True]:.3g}" == "0.646"
    assert ratios["small", False] < 1e-30 and 0.5 < ratios["small", True] < 2
    # what the prose says of them is what they are (it said "0.65 ... even with the tiny initial weights")
    assert f"{ratios['small', True]:.3g}" == "1.36" and f"{ratios['small', False]:.0e}" == "8e-34"
    text = (ROOT / "solutions" / "09_training_in_practice" / "09_training_in_practice.md").read_text()
    assert ("first layer gets 0.65 of the output layer's gradient instead of\n$5 \\times 10^{-13}$; with the tiny "
            "initial weights that killed the plain network ($8 \\times 10^{-34}$)\nit even gets more than the output "
            "layer, 1.36 times as much") in text


def test_the_test_set_is_449_digits_as_the_lesson_says():
    _, _, X_test, _ = data.digits_split()
    assert len(X_test) == 449
    text = (ROOT / "solutions" / "09_training_in_practice" / "09_training_in_practice.md").read_text()
    assert "450" not in text and "against 449\ntest digits" in text
    assert text.count('label=f"test set ({len(X_test)} digits)"') == 2


def test_the_checklist_bugs():
    # 1. a flat target broadcasts
    rng = np.random.default_rng(4)
    X = rng.standard_normal((100, 4))
    y = X @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + 0.1 * rng.standard_normal((100, 1))
    from backprop.layers import MeanSquaredError

    net = deep_network([4, 8, 1], activation="relu", init="he", rng=np.random.default_rng(0))
    train(net, MeanSquaredError(), X, y, steps=300, lr=0.05)
    pred = net.predict(X)
    checks.check_number("right loss", np.mean((pred - y) ** 2), 0.0588)
    checks.check_number("broadcast loss", np.mean((pred - y[:, 0]) ** 2), 11.3146)
    assert (pred - y[:, 0]).shape == (100, 100)
    with pytest.raises(ValueError, match=r"pred has shape \(100, 1\) but target has shape \(100,\)"):
        MeanSquaredError().forward(pred, y[:, 0])

    # 2. an activation after the output layer cannot fit 20 digits
    X_train, y_train, _, _ = data.digits_split()
    rng = np.random.default_rng(0)
    layers = []
    for n_in, n_out in [(64, 32), (32, 10)]:
        layers += [Linear(rng.standard_normal((n_in, n_out)) * init_std("xavier", n_in, n_out), np.zeros(n_out)),
                   Tanh()]
    buggy = Sequential(layers)
    fixed = deep_network([64, 32, 10], activation="tanh", init="xavier", rng=np.random.default_rng(0))
    np.testing.assert_array_equal(buggy.layers[2].params["W"], fixed.layers[2].params["W"])
    loss_fn = SoftmaxCrossEntropy()
    stuck = train(buggy, loss_fn, X_train[:20], y_train[:20], steps=300, lr=0.5)["loss"][-1]
    fitted = train(fixed, loss_fn, X_train[:20], y_train[:20], steps=300, lr=0.5)["loss"][-1]
    floor = np.log(1 + 9 * np.exp(-2))
    checks.check_number("floor", floor, 0.7966)
    checks.check_number("stuck", stuck, 0.8041)
    assert floor < stuck < 0.81 and fitted < 0.01
    assert gradcheck.network_report(buggy, loss_fn, X_train[:5], y_train[:5], entries=10).passed

    # 4. batch norm without the statistics' paths fails the gradient check, on x only
    class Wrong(BatchNorm):
        def backward(self, dout, cache):
            x_hat, inv_std, gamma, training = cache
            return dout * gamma * inv_std, {"gamma": np.sum(dout * x_hat, axis=0), "beta": dout.sum(axis=0)}

    x = np.random.default_rng(1).standard_normal((8, 3)) * 2 + 1
    report = gradcheck.layer_report(Wrong(np.array([1.0, 0.5, 2.0]), np.zeros(3)), x)
    assert not report["x"]["passed"] and report["gamma"]["passed"] and report["beta"]["passed"]
    assert f"{report['x']['error']:.2e}" == "3.14e-01"
    assert gradcheck.layer_report(BatchNorm(np.array([1.0, 0.5, 2.0]), np.zeros(3)), x).passed
    # ... and yet it trains, nearly as well
    _, _, X_test, y_test = data.digits_split()
    accuracy = {}
    for cls in (BatchNorm, Wrong):
        rng = np.random.default_rng(0)
        net = Sequential(Linear(rng.standard_normal((64, 32)) * np.sqrt(2 / 64), np.zeros(32)),
                         cls(np.ones(32), np.zeros(32)), ReLU(),
                         Linear(rng.standard_normal((32, 10)) * np.sqrt(2 / 32), np.zeros(10)))
        h = train(net, loss_fn, X_train, y_train, steps=200, lr=0.1, batch_size=64, seed=1,
                  eval_sets={"test": (X_test, y_test)}, eval_every=200)
        accuracy[cls] = h["test_accuracy"][-1]
    assert round(accuracy[BatchNorm], 3) == 0.949 and round(accuracy[Wrong], 3) == 0.931


# --- the lesson notebook prints those numbers ---------------------------------------------------


@pytest.fixture(scope="module")
def executed_lesson():
    """What the solution notebook printed, run top to bottom in a fresh kernel."""
    return lesson_tools.printed(lesson_tools.executed(LESSON.stem))


def test_the_lesson_prints_the_worked_numbers(executed_lesson):
    for line in [
        "19210 parameters for 100 training examples",
        "no regularisation: training loss 0.0016, accuracy 1.000 | test loss 0.619 (lowest 0.598 at step 50), "
        "accuracy 0.844",
        "penalty = 0.1 / 2 * (0.25 + 1 + 4 + 0) = 0.2625",
        "gradient for W: [[0.05, -0.1], [0.2, 0.0]]   for b: [0.0, 0.0]",
        "L2, lambda = 0.01: training loss 0.0378, accuracy 1.000 | test loss 0.446",
        "size of all the weights: at the start 22.97, after training 23.52 without L2, 7.64 with L2",
        "at step  50: training loss 0.0112, test loss 0.598, test accuracy 0.835",
        "kept: [[1, 1, 0, 1, 0]]",
        "out:  [[1.6667, 3.3333, 0.0, 6.6667, 0.0]]",
        "dx: [[1.6667, 1.6667, 0.0, 1.6667, 0.0]]",
        "training mode:   [[1.6667, 3.3333, 0.0, 6.6667, 0.0]]",
        "evaluation mode: [[1.0, 2.0, 3.0, 4.0, 5.0]]",
        "BatchNorm                        test accuracy after 200 steps: 0.949",
        "BatchNormWithoutStatisticsPaths  test accuracy after 200 steps: 0.931",
        "dropout, p = 0.5: training loss 0.0003, accuracy 1.000 | test loss 0.681",
        "L2 and dropout: training loss 0.0290",
        "feature 0: mean -0.755, std 0.467   ->   after batch norm: mean -0.000, std 1.000",
        "init xavier batch norm yes: layer 1     0.614, output layer  0.950, ratio 0.646",
        "loss with y of shape (100,):   11.3146",
        "pred - target            (100, 100)",
        "    loss on the 20 digits: 2.3328 at the start, 0.8041 after 300 steps",
        "lowest loss possible with scores in (-1, 1): 0.7966",
        "naive loss:  step 1: the loss is nan (the scores range from -2508 to 1020)",
        "stable loss: 100 steps, everything finite; last loss 2.308",
        "ok: l2_penalty agrees with finite differences on 5 cases.",
        "ok: dropout_forward/dropout_backward agrees with the reference and with finite differences on 2 cases.",
    ]:
        assert line in executed_lesson, line
    assert "3.14e-01" in executed_lesson and "FAIL" in executed_lesson


# --- the layers ---------------------------------------------------------------------------------


def test_dropout_layer_trains_and_evaluates():
    x = np.random.default_rng(0).standard_normal((400, 50))
    layer = Dropout(0.3, np.random.default_rng(1))
    out, cache = layer.forward(x)
    kept = out != 0
    assert 0.65 < kept.mean() < 0.75
    np.testing.assert_allclose(out[kept], x[kept] / 0.7)
    dx, grads = layer.backward(np.ones_like(x), cache)
    assert grads == {} and np.array_equal(dx != 0, kept)
    report = gradcheck.layer_report(_FixedMaskDropout(0.3, 5), x[:6, :4])
    assert report.passed, str(report)
    set_training(Sequential(layer), False)
    out, cache = layer.forward(x)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(layer.backward(x, cache)[0], x)
    with pytest.raises(ValueError, match=r"p_drop must be a probability in \[0, 1\).*but got 1.0"):
        Dropout(1.0)


class _FixedMaskDropout(Dropout):
    """Dropout whose mask is the same at every forward, for finite differences."""

    def __init__(self, p_drop, seed):
        super().__init__(p_drop)
        self.seed = seed

    def forward(self, x):
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


@pytest.mark.parametrize("m", [3, 7])
def test_batch_norm_gradients_and_modes(m):
    rng = np.random.default_rng(m)
    bn = BatchNorm(rng.standard_normal(3), rng.standard_normal(3))
    x = rng.standard_normal((m, 3)) * 3 + 2
    assert gradcheck.layer_report(bn, x).passed
    out, _ = BatchNorm(np.ones(3), np.zeros(3)).forward(x)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))
    # evaluation mode uses the running averages, and its gradient treats them as constants
    bn = BatchNorm(np.ones(3), np.zeros(3), momentum=0.0)
    bn.forward(x)
    np.testing.assert_allclose(bn.running_mean, x.mean(axis=0))
    bn.training = False
    np.testing.assert_allclose(bn.forward(x[:1])[0], (x[:1] - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5))
    assert gradcheck.layer_report(bn, x).passed
    with pytest.raises(ValueError, match=r"x has 4 features .* but gamma has 3"):
        bn.forward(np.ones((2, 4)))


def test_train_with_l2_adds_the_penalty_and_its_gradient():
    X, y, _, _ = few_digits()
    net = wide_network()
    W0 = [p["W"].copy() for p in net.params if "W" in p]
    h = train(net, SoftmaxCrossEntropy(), X, y, steps=1, lr=0.1, lam=0.5)
    plain = wide_network()
    h0 = train(plain, SoftmaxCrossEntropy(), X, y, steps=1, lr=0.1)
    penalty = 0.25 * sum(np.sum(W**2) for W in W0)
    assert h["loss"][0] == pytest.approx(h0["loss"][0] + penalty)
    # the update with L2 is the plain update plus a decay of lr * lam * W
    for p, q, W in zip([p for p in net.params if "W" in p], [q for q in plain.params if "W" in q], W0):
        np.testing.assert_allclose(p["W"], q["W"] - 0.1 * 0.5 * W)


def test_xor_blobs():
    X, y = data.xor_blobs(30, 0.8, seed=3)
    assert X.shape == (120, 2) and y.dtype == np.int64 and np.bincount(y).tolist() == [60, 60]
    X, y = data.xor_blobs(20000, 0.8, seed=0)
    wrong = np.mean(((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int) != y)
    assert 0.17 < wrong < 0.21
    with pytest.raises(ValueError, match="n_per_blob must be a positive whole number"):
        data.xor_blobs(0)


# --- the graded functions: references, validation, checks and known mistakes --------------------


def test_the_references_pass_their_own_checks(capsys):
    checks.check_function(reference.l2_penalty, reference.l2_penalty, reference.random_l2_case, seed=21,
                          outputs=["loss", "grads"], strict=True)
    checks.check_numerical_gradient(checks.gradients_of(reference.l2_penalty), reference.l2_loss,
                                    reference.random_l2_case, wrt=["params"], seed=22)
    checks.check_layer(checks.layer_from_seeded(reference.dropout_forward, reference.dropout_backward),
                       reference.dropout_layer, reference.random_dropout_case, seed=23)
    assert capsys.readouterr().err == ""


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match=r"params must be a list of dicts of arrays.*got a dict"):
        reference.l2_penalty({"W": np.ones((2, 2))}, 0.1)
    with pytest.raises(ValueError, match=r"lam must be a number >= 0, but got the float -0.1"):
        reference.l2_penalty([{"W": np.ones((2, 2))}], -0.1)
    with pytest.raises(ValueError, match=r"p_drop must be a probability in \[0, 1\).*got the float 1.5"):
        reference.dropout_forward(np.ones((2, 2)), 1.5, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a NumPy random Generator"):
        reference.dropout_forward(np.ones((2, 2)), 0.5, 3)
    with pytest.raises(TypeError, match=r"x must be a NumPy array"):
        reference.dropout_forward([[1.0]], 0.5, np.random.default_rng(0))
    _, cache = reference.dropout_forward(np.ones((2, 2)), 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"dout has shape \(3,\) but the forward input had shape \(2, 2\)"):
        reference.dropout_backward(np.ones(3), cache)
    with pytest.raises(TypeError, match=r"should return the pair \(loss, grads\), but returned the float 1.0"):
        checks.gradients_of(lambda params, lam: 1.0)(params=[], lam=0.1)


def test_gradients_of_keeps_the_name_and_returns_the_second_output():
    wrapped = checks.gradients_of(reference.l2_penalty)
    assert wrapped.__name__ == "l2_penalty"
    params = [{"W": np.ones((2, 2)), "b": np.ones(2)}]
    assert np.array_equal(wrapped(params=params, lam=0.5)[0]["W"], 0.5 * np.ones((2, 2)))


def test_random_cases_have_batch_norm_parameters_and_zeros_that_are_kept():
    rng = np.random.default_rng(21)
    assert any(set(layer) == {"gamma", "beta"} for _ in range(5) for layer in reference.random_l2_case(rng)["params"])
    rng = np.random.default_rng(23)
    for _ in range(20):
        case = reference.random_dropout_case(rng)
        keep = np.random.default_rng(case["seed"]).random(case["x"].shape) >= case["p_drop"]
        assert np.any((case["x"] == 0) & keep) and np.any(case["x"] != 0)


def first_failure(calls):
    for call in calls:
        try:
            call()
        except AssertionError as failure:
            return str(failure)
    return None


L2_WORKED = [{"params": [{"W": np.array([[0.5, -1.0], [2.0, 0.0]]), "b": np.array([1.0, 1.0])}, {}], "lam": 0.1},
             {"params": [{}, {"gamma": np.array([1.0, 2.0]), "beta": np.array([0.5, -0.5])}, {}], "lam": 0.1}]


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.l2_penalty))
def test_every_l2_mistake_fails_and_is_named(description, buggy):
    message = first_failure([  # the visible checks, in the notebook's order
        lambda: checks.check_function(buggy, reference.l2_penalty, L2_WORKED, outputs=["loss", "grads"], strict=True),
        lambda: checks.check_function(buggy, reference.l2_penalty, reference.random_l2_case, seed=21,
                                      outputs=["loss", "grads"], strict=True)])
    assert message is not None and "Likely cause: " + description in message and " Or: " not in message


def test_l2_gradient_mistakes_also_fail_against_finite_differences():
    for description, buggy in mistake_versions(reference.l2_penalty):
        if "factor 2" in description or "sign" in description or "biases were penalised" in description:
            with pytest.raises(AssertionError, match="does not agree with centred finite differences"):
                checks.check_numerical_gradient(checks.gradients_of(buggy), reference.l2_loss,
                                                reference.random_l2_case, wrt=["params"], seed=22)


def dropout_worked_cases():
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    return [{"x": x, "dout": np.ones((1, 5)), "p_drop": 0.4, "seed": 1},
            {"x": x, "dout": np.ones((1, 5)), "p_drop": 0.0, "seed": 1}]


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.dropout_layer))
def test_every_dropout_mistake_fails_and_is_named(description, buggy):
    message = first_failure([  # the visible checks, in the notebook's order
        lambda: checks.check_layer(buggy, reference.dropout_layer, dropout_worked_cases()),
        lambda: checks.check_layer(buggy, reference.dropout_layer, reference.random_dropout_case, seed=23)])
    assert message is not None and "Likely cause: " + description in message and " Or: " not in message
    assert "does not use the cache" not in message


def test_a_dropout_that_keeps_its_mask_anywhere_but_in_the_cache_fails():
    def forward_global(x, p_drop, rng):
        global _last_scale
        _last_scale = (rng.random(x.shape) >= p_drop) / (1 - p_drop)
        return x * _last_scale, None

    def backward_global(dout, cache):
        return dout * _last_scale, {}

    def forward_attribute(x, p_drop, rng):
        forward_attribute.scale = (rng.random(x.shape) >= p_drop) / (1 - p_drop)
        return x * forward_attribute.scale, p_drop

    def backward_attribute(dout, cache):
        return dout * forward_attribute.scale, {}

    for forward, backward in [(forward_global, backward_global), (forward_attribute, backward_attribute)]:
        for cases, seed in [(dropout_worked_cases(), None), (reference.random_dropout_case, 23)]:
            with pytest.raises(AssertionError, match="backward does not use the cache it is given"):
                checks.check_layer(checks.layer_from_seeded(forward, backward), reference.dropout_layer, cases,
                                   seed=seed)


def test_the_layers_of_layer_from_seeded_draw_another_mask_at_every_forward():
    layer = checks.layer_from_seeded(reference.dropout_forward, reference.dropout_backward)(seed=5, p_drop=0.5)
    x = np.ones((4, 6))
    first, second = layer.forward(x)[0], layer.forward(x)[0]
    np.testing.assert_array_equal(first, reference.dropout_layer(0.5, 5).forward(x)[0])
    np.testing.assert_array_equal(second, reference.dropout_forward(x, 0.5, np.random.default_rng(6))[0])
    fixed = reference.dropout_layer(0.5, 5)   # the reference's, for finite differences: always the same
    np.testing.assert_array_equal(fixed.forward(x)[0], fixed.forward(x)[0])


def _scale_from_cache(dout, cache):
    return dout * cache, {}


def _drawn_from_np_random(x, p_drop, rng):
    scale = (np.random.random(x.shape) >= p_drop) / (1 - p_drop)
    return x * scale, scale


def _drawn_after_another_draw(x, p_drop, rng):
    rng.random(x.shape)
    scale = (rng.random(x.shape) >= p_drop) / (1 - p_drop)
    return x * scale, scale


def _scale_right_mask_wrong_backward(x, p_drop, rng):
    scale = (rng.random(x.shape) >= p_drop) / (1 - p_drop)
    return x * scale, 2 * scale


@pytest.mark.parametrize("forward, message", [
    (_drawn_from_np_random, "two generators in the same state gave different outputs: draw the random numbers "
                            "from the rng argument"),
    (_drawn_after_another_draw, r"draw exactly as keep = rng.random\(x.shape\) >= p_drop, in one call"),
])
def test_a_mask_drawn_otherwise_is_told_how_to_draw_it(forward, message):
    with pytest.raises(AssertionError, match=message):
        checks.check_layer(checks.layer_from_seeded(forward, _scale_from_cache), reference.dropout_layer,
                           reference.random_dropout_case, seed=23)
    with pytest.raises(AssertionError) as failure:  # a wrong backward with the right mask is not told about masks
        checks.check_layer(checks.layer_from_seeded(_scale_right_mask_wrong_backward, _scale_from_cache),
                           reference.dropout_layer, reference.random_dropout_case, seed=23)
    assert "Likely cause" not in str(failure.value)


@pytest.mark.parametrize("grade_id, edit", [
    ("l2_penalty", ("loss += 0.5 * lam *", "loss += lam *")),
    ("l2_penalty", ("grads[-1][key] = lam * value", "grads[-1][key] = 2 * lam * value")),
    ("l2_penalty", ('if key == "W":', 'if key in ("W", "b"):')),
    ("l2_penalty", ("np.sum(value**2)", "np.mean(value**2)")),
    ("dropout", ("keep / (1.0 - p_drop)", "keep * 1.0")),
    ("dropout", ("rng.random(x.shape) >= p_drop", "rng.random(x.shape) < p_drop")),
    ("dropout", ("return dout * scale, {}", "return dout, {}")),
    ("dropout", ("return x * scale, scale", "return x * scale, keep")),
    ("dropout", ("return x * scale, scale", "return x * scale, (x * scale != 0) / (1.0 - p_drop)")),
    ("dropout", [("return x * scale, scale", "dropout_forward.scale = scale\n    return x * scale, None"),
                 ("scale = cache", "scale = dropout_forward.scale")]),
    ("dropout", ("keep = rng.random(x.shape) >= p_drop", "keep = rng.binomial(1, 1 - p_drop, x.shape)")),
    ("l2_penalty", ('if key == "W":', 'if key != "b":')),
    ("l2_penalty", ("return float(loss), grads", "return np.asarray(loss), grads")),
    ("l2_penalty", ("return float(loss), grads", "return float(loss), tuple(grads)")),
])
def test_a_changed_solution_fails_its_tests(grade_id, edit):
    solution, tests = lesson_tools.solution_and_tests(LESSON.stem, grade_id)
    namespace = {"np": np}
    exec(solution, namespace)
    exec(tests, namespace)
    edited = solution
    for old, new in edit if isinstance(edit, list) else [edit]:
        assert old in edited
        edited = edited.replace(old, new)
    namespace = {"np": np}
    exec(edited, namespace)
    with pytest.raises(AssertionError):
        exec(tests, namespace)


# --- the explorer --------------------------------------------------------------------------------


def test_explorer_overfits_without_a_penalty_and_not_with_one(artifacts):
    e = RegularisationExplorer()
    first = e.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and e.values["steps"] == 0
    assert e.values["penalty_gradient"] == 0.0
    for _ in range(4):
        e.step_button.click()
    plain = dict(e.values)
    assert plain["steps"] == 1000 and e.image.value != first
    assert plain["train_accuracy"] == 1.0 and plain["train_loss"] < 0.01 and plain["test_accuracy"] < 0.76
    assert e.history["test"][-1] > min(e.history["test"]) * 1.5          # the test loss climbs
    (artifacts / "regularisation_explorer_plain.png").write_bytes(e.image.value)

    # moving lambda changes the penalty's pull at once, without training
    e.lam.value = 0.02
    assert e.values["steps"] == 1000
    assert e.values["penalty_gradient"] == pytest.approx(0.02 * plain["weight_norm"])
    assert e.values["data_gradient"] == pytest.approx(plain["data_gradient"])

    e.reset_button.click()
    assert e.values["steps"] == 0 and len(e.history["step"]) == 1
    e.lam.value = 0.03
    for _ in range(6):
        e.step_button.click()
    held = e.values
    assert held["weight_norm"] < plain["weight_norm"] / 3
    assert held["test_loss"] < 0.5 < plain["test_loss"] and held["test_accuracy"] > 0.77
    # at the minimum of the penalised loss the two pulls balance
    assert held["data_gradient"] == pytest.approx(held["penalty_gradient"], rel=0.05)
    (artifacts / "regularisation_explorer_l2.png").write_bytes(e.image.value)


def test_explorer_dropout_is_used_in_training_and_off_in_evaluation(monkeypatch):
    e = RegularisationExplorer(p_drop=0.5, steps_per_click=60)
    modes = []
    forward = Dropout.forward

    def recording(layer, x):
        if layer is e.dropouts[0] and x.shape[0] == len(e.X):
            modes.append(layer.training)
        return forward(layer, x)

    monkeypatch.setattr(Dropout, "forward", recording)
    e.step_button.click()
    # every one of the 60 training steps drops units, also after the evaluations at steps 25 and 50
    assert modes.count(True) == 60   # (before a fix, only the first 25: the evaluation left dropout off)
    assert all(layer.p_drop == 0.5 and layer.training is False for layer in e.dropouts)
    out1, out2 = e.net.predict(e.X), e.net.predict(e.X)
    np.testing.assert_array_equal(out1, out2)


def test_explorer_dropout_smooths_the_boundary_and_holds_the_test_loss_back():
    plain, dropped = RegularisationExplorer(), RegularisationExplorer(p_drop=0.5)
    for _ in range(4):
        plain.step_button.click()
        dropped.step_button.click()
    assert dropped.values["train_loss"] > 0.05 > plain.values["train_loss"]
    assert dropped.values["test_loss"] < 0.5 * plain.values["test_loss"]
    assert dropped.values["test_accuracy"] > plain.values["test_accuracy"]

    def boundary(e):  # how many neighbouring cells of the plane change class: a wigglier boundary has more
        r = e.region_values
        return int(np.sum(r[1:] != r[:-1]) + np.sum(r[:, 1:] != r[:, :-1]))

    assert boundary(dropped) < boundary(plain)


def test_explorer_moving_lambda_redraws_without_training():
    e = RegularisationExplorer()
    e.step_button.click()
    before = e.readout.value
    e.lam.value = 0.04
    assert e.values["steps"] == 250 and e.readout.value != before
    assert e.values["penalty_gradient"] == pytest.approx(0.04 * e.values["weight_norm"])
    # (how fast it redraws is measured by the benchmarks, not asserted here)


# --- the quiz ----------------------------------------------------------------------------------------


def test_quiz_gives_feedback_on_every_answer():
    quiz = lesson_tools.quiz_from(LESSON.stem)["quiz"]
    kinds = [type(q).__name__ for q in quiz.questions]
    assert kinds.count("Numeric") == 2 and kinds.count("MultipleChoice") == 3 and kinds.count("Order") == 1
    lesson_tools.assert_every_answer_gets_feedback(quiz)
    assert quiz.questions[1].answer == pytest.approx(0.05 * 0.8)
    assert quiz.questions[2].answer == pytest.approx(2 / 0.8)


# --- wrong answers a newcomer wrote, each named by its cause ------------------------------------------------------


def _keep_forward(x, p_drop, rng):
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1 - p_drop), (keep, p_drop)


def test_a_dropout_that_redraws_its_mask_in_backward_is_named_without_a_word_about_its_cache():
    def forward(x, p_drop, rng):
        keep = rng.random(x.shape) >= p_drop
        return x * keep / (1 - p_drop), (rng, p_drop)

    def backward(dout, cache):
        rng, p_drop = cache
        return dout * (rng.random(dout.shape) >= p_drop) / (1 - p_drop), {}

    message = lesson_tools.failure_in(LESSON.stem, "test_dropout", dropout_forward=forward, dropout_backward=backward)
    assert "Likely cause: backward draws a new mask from the rng kept in the cache" in message
    assert "though the cache is unchanged" in message and "probs" not in message and " Or: " not in message

    def scales_its_mask(dout, cache):
        mask, p_drop = cache
        mask /= 1 - p_drop
        return dout * mask, {}

    def float_mask(x, p_drop, rng):
        keep = (rng.random(x.shape) >= p_drop).astype(float)
        return x * keep / (1 - p_drop), (keep, p_drop)

    message = lesson_tools.failure_in(LESSON.stem, "test_dropout", dropout_forward=float_mask,
                                      dropout_backward=scales_its_mask)
    assert "Likely cause: backward scales the cached mask in place" in message
    assert "backward changed the cache's entry [0] in place" in message


def test_a_dropout_that_hands_back_x_when_nothing_is_dropped_fails_visibly():
    def forward(x, p_drop, rng):
        if p_drop == 0:
            return x, None
        return _keep_forward(x, p_drop, rng)

    def backward(dout, cache):
        if cache is None:
            return dout, {}
        keep, p_drop = cache
        return dout * keep / (1 - p_drop), {}

    message = lesson_tools.failure_in(LESSON.stem, "test_dropout", dropout_forward=forward, dropout_backward=backward)
    assert "returns x itself as out (the same array, not a new one)" in message
    assert "Likely cause: with p_drop = 0 forward hands back x itself" in message


def test_l2_penalties_that_fail_on_weightless_layers_or_share_the_callers_dicts_are_named():
    def reduce_without_start(params, lam):
        import functools

        squares = [np.sum(layer["W"] ** 2) for layer in params if "W" in layer]
        grads = [{k: lam * v if k == "W" else np.zeros_like(v) for k, v in layer.items()} for layer in params]
        return float(lam / 2 * functools.reduce(lambda s, t: s + t, squares)), grads

    message = lesson_tools.failure_in(LESSON.stem, "test_l2_penalty", l2_penalty=reduce_without_start)
    assert "Likely cause: with no weights at all" in message

    def list_copy(params, lam):
        loss, grads = 0.0, params.copy()
        for g in grads:
            for k, v in g.items():
                if k == "W":
                    loss += lam / 2 * np.sum(v**2)
                g[k] = lam * v if k == "W" else np.zeros_like(v)
        return float(loss), grads

    message = lesson_tools.failure_in(LESSON.stem, "test_l2_penalty", l2_penalty=list_copy)
    assert "Likely cause: params is changed: the gradients are written into the caller's own arrays or dicts" in message


def test_the_course_autograd_is_forbidden_in_both_exercises():
    from backprop.autograd import Tensor

    def l2_by_autograd(params, lam):
        loss, grads = 0.0, []
        for layer in params:
            grads.append({})
            for k, v in layer.items():
                if k == "W":
                    t = Tensor(v)
                    penalty = (t * t).sum() * (lam / 2)
                    penalty.backward()
                    loss += float(penalty.data)
                    grads[-1][k] = t.grad
                else:
                    grads[-1][k] = np.zeros_like(v)
        return float(loss), grads

    message = lesson_tools.failure_in(LESSON.stem, "test_l2_penalty", l2_penalty=l2_by_autograd)
    assert "it calls the course's own backprop.autograd.Tensor instead of computing the answer itself" in message

    def backward_by_autograd(dout, cache):
        keep, p_drop = cache
        t = Tensor(np.ones_like(dout))
        (t * (keep / (1 - p_drop)) * dout).sum().backward()
        return t.grad, {}

    message = lesson_tools.failure_in(LESSON.stem, "test_dropout", dropout_forward=_keep_forward,
                                      dropout_backward=backward_by_autograd)
    assert "backprop.autograd.Tensor" in message
