"""The numbers the source tutorials print, reproduced by the course's reference layers."""

import numpy as np
import pytest

from backprop import data
from backprop.checks import check_number
from backprop.layers import HalfSumSquaredError, Linear, MeanSquaredError, Sequential, Sigmoid, sgd_step, sigmoid


def test_single_neuron_of_seed_004():
    ex = data.single_neuron_example()
    x, w, y, lr = ex["x"], ex["w"], ex["y"], ex["lr"]
    y_pred = w * x
    loss = (y - y_pred) ** 2
    grad = 2 * (y_pred - y) * x
    assert (y_pred, loss, grad) == (1.0, 9.0, -12.0)
    check_number("w after one step", w - lr * grad, 1.7)


def worked_221_network():
    ex = data.worked_221()
    net = Sequential(Linear(ex["W1"].copy(), ex["b1"].copy()), Sigmoid(), Linear(ex["W2"].copy(), ex["b2"].copy()))
    return ex, net


def test_worked_221_forward_values_of_seed_002():
    ex, net = worked_221_network()
    out, caches = net.forward(ex["x"])
    z1 = caches[1][0]  # the sigmoid's input
    a1 = caches[2]     # the second linear layer's input
    check_number("z1", z1[0, 0], 0.35)
    check_number("z2", z1[0, 1], 0.50)
    check_number("a1", a1[0, 0], 0.5866)
    check_number("a2", a1[0, 1], 0.6225)
    check_number("y_hat", out[0, 0], 0.7668)
    loss, _ = HalfSumSquaredError().forward(out, ex["y"])
    check_number("L", loss, 0.0272)


def test_worked_221_gradients_and_update_of_seed_002():
    ex, net = worked_221_network()
    loss_fn = HalfSumSquaredError()
    out, caches = net.forward(ex["x"])
    _, loss_cache = loss_fn.forward(out, ex["y"])
    dyhat, _ = loss_fn.backward(1.0, loss_cache)
    check_number("dL/dy_hat", dyhat[0, 0], -0.2332)

    da1, g2 = net.layers[2].backward(dyhat, caches[2])
    check_number("dL/dv1", g2["W"][0, 0], -0.1368)
    check_number("dL/dv2", g2["W"][1, 0], -0.1452)
    check_number("dL/db3", g2["b"][0], -0.2332)
    check_number("dL/da1", da1[0, 0], -0.1166)
    check_number("dL/da2", da1[0, 1], -0.1399)

    a1 = caches[2]  # the second linear layer's input
    check_number("sigma'(z1)", a1[0, 0] * (1 - a1[0, 0]), 0.2425)
    check_number("sigma'(z2)", a1[0, 1] * (1 - a1[0, 1]), 0.2350)

    dz1, _ = net.layers[1].backward(da1, caches[1])
    check_number("dL/dz1", dz1[0, 0], -0.0283)
    check_number("dL/dz2", dz1[0, 1], -0.0329)

    _, g1 = net.layers[0].backward(dz1, caches[0])
    # W1[i, j] is the weight from input i to hidden unit j: W1 = [[w11, w21], [w12, w22]]
    check_number("dL/dw11", g1["W"][0, 0], -0.0283)
    check_number("dL/dw12", g1["W"][1, 0], -0.0141)
    check_number("dL/db1", g1["b"][0], -0.0283)
    check_number("dL/dw21", g1["W"][0, 1], -0.0329)
    check_number("dL/dw22", g1["W"][1, 1], -0.0164)
    check_number("dL/db2", g1["b"][1], -0.0329)

    # the same gradients come out of the network's own backward pass
    _, grads = net.backward(dyhat, caches)
    np.testing.assert_array_equal(grads[0]["W"], g1["W"])
    np.testing.assert_array_equal(grads[2]["W"], g2["W"])

    sgd_step(net.params, grads, lr=ex["lr"])
    W1, b1 = net.layers[0].params["W"], net.layers[0].params["b"]
    W2, b2 = net.layers[2].params["W"], net.layers[2].params["b"]
    check_number("v1", W2[0, 0], 0.5684)
    check_number("v2", W2[1, 0], 0.6726)
    check_number("b3", b2[0], 0.2166)
    check_number("w11", W1[0, 0], 0.1141)
    check_number("w12", W1[1, 0], 0.3071)
    check_number("b1", b1[0], 0.1141)
    check_number("w21", W1[0, 1], 0.2164)
    check_number("w22", W1[1, 1], 0.4082)
    check_number("b2", b1[1], 0.1164)
    # every weight increased, and the loss went down
    start = data.worked_221()
    for new, old in [(W1, start["W1"]), (b1, start["b1"]), (W2, start["W2"]), (b2, start["b2"])]:
        assert np.all(new > old)
    new_loss, _ = loss_fn.forward(net.predict(ex["x"]), ex["y"])
    assert new_loss < 0.0272


def seed000_loop(ex, epochs=1000, lr=0.1):
    """Seed 000's training loop as it is written: column vectors, W @ x, 1/2-sum squared error."""
    x, y_true = ex["x"], ex["y"]
    W1, b1, W2, b2 = (ex[k].copy() for k in ("W1", "b1", "W2", "b2"))
    printed = []
    for epoch in range(epochs):
        z1 = W1 @ x + b1
        a1 = sigmoid(z1)
        z2 = W2 @ a1 + b2
        y_pred = sigmoid(z2)
        loss = 0.5 * np.square(y_pred - y_true).sum()
        dL_dz2 = (y_pred - y_true) * sigmoid(z2) * (1 - sigmoid(z2))
        dL_dW2 = dL_dz2 @ a1.T
        dL_db2 = dL_dz2
        dL_dz1 = W2.T @ dL_dz2 * sigmoid(z1) * (1 - sigmoid(z1))
        dL_dW1 = dL_dz1 @ x.T
        dL_db1 = dL_dz1
        W2 -= lr * dL_dW2
        b2 -= lr * dL_db2
        W1 -= lr * dL_dW1
        b1 -= lr * dL_db1
        if epoch % 100 == 0:
            printed.append(round(float(loss), 4))
    return printed


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_seed_000_training_loop_loss_falls(seed):
    ex = data.one_example_231(seed)
    printed = seed000_loop(ex)
    assert len(printed) == 10
    assert all(b <= a for a, b in zip(printed, printed[1:]))
    assert printed[-1] < printed[0]

    # the course's layers, in row layout, take exactly the same path
    net = Sequential(Linear(ex["W1"].T.copy(), ex["b1"][:, 0].copy()), Sigmoid(),
                     Linear(ex["W2"].T.copy(), ex["b2"][:, 0].copy()), Sigmoid())
    loss_fn = HalfSumSquaredError()
    ours = []
    for epoch in range(1000):
        out, caches = net.forward(ex["x"].T)
        loss, cache = loss_fn.forward(out, ex["y"].T)
        _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
        sgd_step(net.params, grads, lr=0.1)
        if epoch % 100 == 0:
            ours.append(round(loss, 4))
    assert ours == printed


def seed001_loop(d, steps=500, lr=0.01):
    """Seed 001's forward, backward and loop as they are written (rows as examples)."""
    X, y = d["X"], d["y"]
    W1, b1, W2, b2 = (d[k].copy() for k in ("W1", "b1", "W2", "b2"))
    printed, losses = [], []
    for step in range(steps):
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        z2 = a1 @ W2 + b2
        loss = np.mean((z2 - y) ** 2)
        losses.append(float(loss))
        n = X.shape[0]
        dL_dz2 = 2 * (z2 - y) / n
        dL_dW2 = a1.T @ dL_dz2
        dL_db2 = dL_dz2.sum(axis=0)
        dL_da1 = dL_dz2 @ W2.T
        dL_dz1 = dL_da1 * sigmoid(z1) * (1 - sigmoid(z1))
        dL_dW1 = X.T @ dL_dz1
        dL_db1 = dL_dz1.sum(axis=0)
        W1 -= lr * dL_dW1
        b1 -= lr * dL_db1
        W2 -= lr * dL_dW2
        b2 -= lr * dL_db2
        if step % 100 == 0:
            printed.append(f"Step {step:4d} | Loss: {loss:.4f}")
    return printed, losses


def test_seed_001_data_is_the_seeded_stream():
    d = data.regression_481()
    np.random.seed(42)
    np.testing.assert_array_equal(d["X"], np.random.randn(100, 4))
    np.testing.assert_array_equal(d["y"], np.random.randn(100, 1))
    np.testing.assert_array_equal(d["W1"], np.random.randn(4, 8) * 0.01)
    np.testing.assert_array_equal(d["W2"], np.random.randn(8, 1) * 0.01)


def test_seed_001_training_loop_loss_falls():
    d = data.regression_481()
    printed, losses = seed001_loop(d)
    assert printed == [
        "Step    0 | Loss: 1.1220",
        "Step  100 | Loss: 1.1202",
        "Step  200 | Loss: 1.1202",
        "Step  300 | Loss: 1.1202",
        "Step  400 | Loss: 1.1202",
    ]
    # every step lowers the loss; after 100 steps only beyond the 4th decimal: with weights
    # this small and lr = 0.01 the network first learns the targets' mean (a loss of about their
    # variance), and fitting the noise beyond that is slow
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[-1] == pytest.approx(np.var(d["y"]), abs=2e-4)

    # the course's layers with the mean squared error print exactly the same lines
    net = Sequential(Linear(d["W1"].copy(), d["b1"].copy()), Sigmoid(), Linear(d["W2"].copy(), d["b2"].copy()))
    loss_fn = MeanSquaredError()
    ours = []
    for step in range(500):
        out, caches = net.forward(d["X"])
        loss, cache = loss_fn.forward(out, d["y"])
        _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
        sgd_step(net.params, grads, lr=0.01)
        if step % 100 == 0:
            ours.append(f"Step {step:4d} | Loss: {loss:.4f}")
    assert ours == printed
