"""The reference layers: gradients against finite differences, and errors that teach."""

import numpy as np
import pytest

from backprop.gradcheck import gradient_report, layer_report, network_report
from backprop.layers import (
    HalfSumSquaredError,
    Linear,
    MeanSquaredError,
    ReLU,
    Sequential,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    one_hot,
    sgd_step,
    sigmoid,
    softmax,
)

TOL = 1e-7


def make_layer(kind, rng, n_in=4, n_out=3):
    if kind == "linear":
        return Linear(rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out))
    return {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU}[kind]()


@pytest.mark.parametrize("kind", ["linear", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("m", [1, 6])
def test_layer_gradients_match_finite_differences(kind, m):
    rng = np.random.default_rng(m)
    layer = make_layer(kind, rng)
    x = rng.standard_normal((m, 4))
    if kind == "relu":
        x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink, where the derivative is undefined
    report = layer_report(layer, x, tol=TOL)
    assert report.passed, str(report)
    assert report["x"]["shape"] == (m, 4)
    if kind == "linear":
        assert {row["name"] for row in report.rows} == {"x", "W", "b"}


@pytest.mark.parametrize("m", [1, 5])
@pytest.mark.parametrize("loss_cls", [MeanSquaredError, HalfSumSquaredError])
def test_squared_error_gradients(m, loss_cls):
    rng = np.random.default_rng(10 + m)
    pred, target = rng.standard_normal((m, 3)), rng.standard_normal((m, 3))
    loss = loss_cls()
    _, cache = loss.forward(pred, target)
    dpred, grads = loss.backward(1.0, cache)
    assert grads == {}
    report = gradient_report(lambda: loss.forward(pred, target)[0], {"pred": pred}, {"pred": dpred}, tol=TOL)
    assert report.passed, str(report)


def test_the_two_squared_errors_are_the_forms_the_seeds_use():
    pred = np.array([[1.0, 2.0], [3.0, 5.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    # 1/2-sum (seeds 000 and 002): (1 + 0 + 4 + 16) / 2
    assert HalfSumSquaredError().forward(pred, target)[0] == pytest.approx(10.5)
    # mean (seed 001): (1 + 0 + 4 + 16) / 4
    assert MeanSquaredError().forward(pred, target)[0] == pytest.approx(5.25)
    # and their gradients: pred - target, and 2 (pred - target) / N
    _, cache = MeanSquaredError().forward(pred, target)
    np.testing.assert_allclose(MeanSquaredError().backward(1.0, cache)[0], 2 * (pred - target) / 4)


@pytest.mark.parametrize("m", [1, 8])
@pytest.mark.parametrize("labels_as", ["integers", "one-hot"])
def test_softmax_cross_entropy_gradient(m, labels_as):
    rng = np.random.default_rng(20 + m)
    scores = rng.standard_normal((m, 4)) * 3
    labels = rng.integers(0, 4, m)
    target = labels if labels_as == "integers" else one_hot(labels, 4)
    loss = SoftmaxCrossEntropy()
    value, cache = loss.forward(scores, target)
    dscores, _ = loss.backward(1.0, cache)
    expected = -np.mean(np.log(softmax(scores)[np.arange(m), labels]))
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(dscores, (softmax(scores) - one_hot(labels, 4)) / m, atol=1e-15)
    report = gradient_report(lambda: loss.forward(scores, target)[0], {"scores": scores}, {"scores": dscores}, tol=TOL)
    assert report.passed, str(report)


def test_softmax_and_sigmoid_are_stable_for_huge_inputs():
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # any overflow would raise here
        scores = np.array([[1000.0, 0.0, -1000.0]])
        p = softmax(scores)
        assert np.all(np.isfinite(p)) and p[0, 0] == pytest.approx(1.0)
        value, _ = SoftmaxCrossEntropy().forward(scores, np.array([2]))
        assert value == pytest.approx(2000.0)
        s = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
        np.testing.assert_allclose(s, [0.0, 0.5, 1.0])
    assert sigmoid(0.0) == 0.5 and isinstance(sigmoid(0.0), float)


@pytest.mark.parametrize("m", [1, 5])
def test_sequential_network_gradients(m):
    rng = np.random.default_rng(30 + m)
    net = Sequential(
        Linear(rng.standard_normal((3, 5)), rng.standard_normal(5)), Tanh(),
        Linear(rng.standard_normal((5, 4)), rng.standard_normal(4)), Sigmoid(),
        Linear(rng.standard_normal((4, 2)), rng.standard_normal(2)),
    )
    report = network_report(net, SoftmaxCrossEntropy(), rng.standard_normal((m, 3)), rng.integers(0, 2, m), tol=TOL)
    assert report.passed, str(report)
    assert [row["name"] for row in report.rows] == ["0.W", "0.b", "2.W", "2.b", "4.W", "4.b"]


def test_sgd_step_descends():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal((20, 1))
    net = Sequential(Linear(rng.standard_normal((3, 1)), np.zeros(1)))
    loss_fn = MeanSquaredError()
    losses = []
    for _ in range(50):
        out, caches = net.forward(X)
        loss, cache = loss_fn.forward(out, y)
        _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
        sgd_step(net.params, grads, lr=0.1)
        losses.append(loss)
    assert all(b < a for a, b in zip(losses, losses[1:]))


# --- errors that name the argument, what it got and what was expected -------------------


def test_linear_rejects_mismatched_shapes_with_both_shapes():
    layer = Linear(np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"x has shape \(5, 2\).*W has shape \(4, 3\).*x.shape\[1\] == W.shape\[0\]"):
        layer.forward(np.zeros((5, 2)))


def test_a_single_example_must_be_a_row():
    layer = Linear(np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"x must be 2-D.*shape \(4,\).*reshape\(1, -1\)"):
        layer.forward(np.zeros(4))


def test_wrong_dtype_is_named():
    with pytest.raises(TypeError, match=r"x must have dtype float64, but has dtype int64 \(shape \(2, 4\)\)"):
        Linear(np.zeros((4, 3)), np.zeros(3)).forward(np.zeros((2, 4), dtype=np.int64))
    with pytest.raises(TypeError, match=r"W must be a NumPy array of float64, but got a list of length 2"):
        Linear([[1.0], [2.0]], np.zeros(1))


def test_nan_is_located():
    x = np.zeros((3, 4))
    x[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"x contains 1 non-finite value\(s\), the first a NaN at index \(1, 2\)"):
        Sigmoid().forward(x)


def test_backward_checks_the_gradient_shape():
    layer = Linear(np.zeros((4, 3)), np.zeros(3))
    _, cache = layer.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"dout has shape \(5, 4\), but the forward output had shape \(5, 3\)"):
        layer.backward(np.zeros((5, 4)), cache)


def test_a_cache_that_is_not_the_layers_own_is_named():
    x = np.ones((2, 3))
    linear, sigmoid_layer = Linear(np.ones((3, 4)), np.zeros(4)), Sigmoid()
    out, linear_cache = linear.forward(x)
    _, sigmoid_cache = sigmoid_layer.forward(out)
    with pytest.raises(ValueError, match=r"cache is not this layer's: Sigmoid\(\).backward needs the cache its own "
                                         r"forward returned, the pair \(x, out\), but got an array of shape \(2, 3\)"):
        sigmoid_layer.backward(np.ones((2, 4)), linear_cache)
    with pytest.raises(ValueError, match=r"cache is not this layer's: Linear\(3 -> 4\).backward needs the cache its "
                                         r"own forward returned, its input x of shape \(m, 3\), but got a tuple of "
                                         r"length 2. Give each layer its own cache \(layers\[i\] with caches\[i\]\)"):
        linear.backward(np.ones((2, 4)), sigmoid_cache)


def test_mismatched_batch_sizes_are_named():
    with pytest.raises(ValueError, match=r"pred has shape \(4, 1\) but target has shape \(3, 1\)"):
        MeanSquaredError().forward(np.zeros((4, 1)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"target has 3 labels \(shape \(3,\)\) but scores has 4 examples"):
        SoftmaxCrossEntropy().forward(np.zeros((4, 2)), np.array([0, 1, 1]))


def test_bias_must_match_the_weights():
    with pytest.raises(ValueError, match=r"b has shape \(2,\) but W has shape \(4, 3\).*shape \(3,\)"):
        Linear(np.zeros((4, 3)), np.zeros(2))


def test_sgd_step_rejects_mismatched_gradients():
    params = {"W": np.zeros((2, 2))}
    with pytest.raises(ValueError, match=r"grads\['W'\] has shape \(2,\) but params\['W'\] has shape \(2, 2\)"):
        sgd_step(params, {"W": np.zeros(2)}, 0.1)
