"""Lesson 05, batches and gradient descent: reference answers and random cases.

Seed 001's 4-8-1 regression network, one example per row (m examples in a batch; the tutorial
calls their number n):
z1 = X @ W1 + b1, a1 = sigmoid(z1), z2 = a1 @ W2 + b2 (linear output), L = mean((z2 - y)**2)

    regression_forward(X, W1, b1, W2, b2)     (z1, a1, z2) of the two-layer regression network for a batch X (m ...
    regression_loss(X, y, W1, b1, W2, b2)     The mean squared error over the batch, mean((z2 - y)**2)
    regression_backward(X, y, z1, a1, z2, W2)  (dW1, db1, dW2, db2) of the mean squared error ...
    BATCH_SIZES
    random_regression_params(rng, m)          A batch and a network
    random_regression_batch(rng, m)           The arguments of regression_backward
    random_regression_example(rng)            As random_regression_batch, for a batch of one example (m = 1)
    regression_481_case(rows, far_out)        The arguments of regression_backward for the regression tutorial's ...
    through_regression_backward(backward)     Your backward as a function of (X, y, W1, b1, W2, b2)
    train(X, y, params, lr, steps)            Full-batch gradient descent
    train_result(X, y, params, lr, steps)     (losses as an array, params after training)
    through_train(train)                      Your train as a function returning (losses, params)
    random_training_case(rng)                 Fresh data and a fresh network for train
    random_training_case_with_a_rise(rng)     As random_training_case, with a larger learning rate (0.4 to 0.6) ...
"""

import numpy as np

from backprop.layers import sigmoid
from backprop.validation import describe

__all__ = ["regression_forward", "regression_loss", "regression_backward", "BATCH_SIZES", "random_regression_params",
           "random_regression_batch", "random_regression_example", "regression_481_case",
           "through_regression_backward", "train", "train_result", "through_train", "random_training_case",
           "random_training_case_with_a_rise"]


def regression_forward(X, W1, b1, W2, b2):
    """(z1, a1, z2) of the two-layer regression network for a batch X (m, n_in)."""
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    return z1, a1, z2


def regression_loss(X, y, W1, b1, W2, b2):
    """The mean squared error over the batch, mean((z2 - y)**2)."""
    return float(np.mean((regression_forward(X, W1, b1, W2, b2)[2] - y) ** 2))


def regression_backward(X, y, z1, a1, z2, W2):
    """(dW1, db1, dW2, db2) of the mean squared error, the batch of m examples averaged."""
    m = X.shape[0]
    dL_dz2 = 2.0 * (z2 - y) / m            # the mean's 1/m enters here, once
    dL_dW2 = a1.T @ dL_dz2                 # the matrix product sums over the examples
    dL_db2 = dL_dz2.sum(axis=0)
    dL_da1 = dL_dz2 @ W2.T
    s = sigmoid(z1)
    dL_dz1 = dL_da1 * s * (1.0 - s)
    dL_dW1 = X.T @ dL_dz1
    dL_db1 = dL_dz1.sum(axis=0)
    return dL_dW1, dL_db1, dL_dW2, dL_db2


BATCH_SIZES = (1, 2, 3, 7, 16, 50)


def random_regression_params(rng, m=None):
    """A batch and a network: X (m, n_in), y (m, 1), W1 (n_in, h), b1 (h,), W2 (h, 1), b2 (1,);
    m drawn from BATCH_SIZES (unless given), so that a missing or extra 1/m shows."""
    if m is not None and not (isinstance(m, (int, np.integer)) and not isinstance(m, bool) and m >= 1):
        raise ValueError(f"m, the number of examples, should be a whole number of at least 1, but got {describe(m)}")
    m = int(rng.choice(BATCH_SIZES)) if m is None else int(m)
    n_in, h = int(rng.integers(1, 6)), int(rng.integers(2, 9))
    return {"X": rng.standard_normal((m, n_in)), "y": rng.standard_normal((m, 1)),
            "W1": rng.standard_normal((n_in, h)), "b1": 0.5 * rng.standard_normal(h),
            "W2": rng.standard_normal((h, 1)), "b2": 0.5 * rng.standard_normal(1)}


def random_regression_batch(rng, m=None):
    """The arguments of regression_backward: X, y, and z1, a1, z2, W2 from a forward pass."""
    case = random_regression_params(rng, m)
    z1, a1, z2 = regression_forward(case["X"], case["W1"], case["b1"], case["W2"], case["b2"])
    return {"X": case["X"], "y": case["y"], "z1": z1, "a1": a1, "z2": z2, "W2": case["W2"]}


def random_regression_example(rng):
    """As random_regression_batch, for a batch of one example (m = 1)."""
    return random_regression_batch(rng, m=1)


def regression_481_case(rows=None, far_out=False):
    """The arguments of regression_backward for the regression tutorial's network at its starting weights
    (data.regression_481()), on its 100 examples or on the rows given, e.g. [0] for the first alone.
    far_out=True sets the first hidden unit's bias to -800: its z1 is then far out, where the sigmoid's
    slope is 0 and exp(-z1) overflows."""
    from backprop import data

    if not isinstance(far_out, bool):
        raise TypeError(f"far_out should be True or False, but got {describe(far_out)}")
    d = data.regression_481()
    b1 = np.array(d["b1"], dtype=np.float64, copy=True)
    if far_out:
        b1[0] = -800.0
    if rows is not None:
        n = len(d["X"])
        if (isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__") or len(rows) == 0
                or not all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) and 0 <= r < n for r in rows)):
            shown = repr(rows) if len(repr(rows)) <= 40 else describe(rows)
            raise ValueError(f"rows should be a non-empty list of row numbers from 0 to {n - 1}, e.g. [0], but got "
                             f"{shown}")
        rows = list(rows)
    X, y = (d["X"], d["y"]) if rows is None else (d["X"][rows], d["y"][rows])
    z1, a1, z2 = regression_forward(X, d["W1"], b1, d["W2"], d["b2"])
    return {"X": X, "y": y, "z1": z1, "a1": a1, "z2": z2, "W2": d["W2"]}


def through_regression_backward(backward):
    """Your backward as a function of (X, y, W1, b1, W2, b2): the forward pass, then yours, so
    that its gradients can be compared with finite differences of regression_loss."""
    def gradients(X, y, W1, b1, W2, b2):
        # the forward pass written out, not regression_forward: the checks flag calls into this module
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        z2 = a1 @ W2 + b2
        return backward(X, y, z1, a1, z2, W2)

    gradients.__name__ = getattr(backward, "__name__", "backward")
    return gradients


def train(X, y, params, lr, steps):
    """Full-batch gradient descent: `steps` times forward, loss, backward, update.

    params is a dict {"W1", "b1", "W2", "b2"} of arrays, updated IN PLACE. Returns the list of
    the losses, each computed before its step's update (as the tutorial prints them).
    """
    losses = []
    for _ in range(steps):
        z1, a1, z2 = regression_forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(float(np.mean((z2 - y) ** 2)))
        dW1, db1, dW2, db2 = regression_backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses


def train_result(X, y, params, lr, steps):
    """(losses as an array, params after training): what through_train(your train) returns."""
    losses = train(X, y, params, lr, steps)
    return np.asarray(losses, dtype=np.float64), params


def through_train(train):
    """Your train as a function returning (losses, params): the losses it returns, as an array,
    and the params dict it was given, which it must have updated in place."""
    def trained(X, y, params, lr, steps):
        params = {key: np.array(value, copy=True) for key, value in params.items()}  # train updates these
        losses = train(X, y, params, lr, steps)
        if losses is None:
            raise ValueError("train returned None: return the list of losses, one per step.")
        if isinstance(losses, dict):
            raise ValueError("train returned a dict (its params?): return the list of losses, one per step; "
                             "train updates the params dict it is given in place.")
        if isinstance(losses, tuple) and any(isinstance(part, dict) for part in losses):
            raise ValueError("train returned a tuple holding a dict (losses and params?): return only the list "
                             "of losses; train updates the params dict it is given in place.")
        if isinstance(losses, (int, float, np.number, np.ndarray)) and np.ndim(losses) == 0:
            shown = f"{float(losses):.6g}"
            raise ValueError(f"train returned a single value, {shown}: return the list of all the losses, one per "
                             f"step, not only the last.")
        if not isinstance(losses, (list, tuple, np.ndarray)):
            raise ValueError(f"train returned {describe(losses)}: return a list of the losses, one per step.")
        if isinstance(losses, np.ndarray) and losses.ndim != 1:
            raise ValueError(f"train returned an array of shape {losses.shape}: return a list of numbers, one "
                             f"loss per step (a 1-D array would do too).")
        numbers = []
        for k, loss in enumerate(losses):  # a float or a NumPy scalar (a 0-d array): a plain number
            if np.ndim(loss) != 0:
                raise ValueError(f"losses[{k}] should be a plain number, but is an array of shape {np.shape(loss)}: "
                                 f"append the loss, mse_loss(z2, y), a number, once per step (a mean over an "
                                 f"axis, np.mean(..., axis=0), leaves an array).")
            numbers.append(float(loss))
        return np.asarray(numbers, dtype=np.float64), params

    trained.__name__ = getattr(train, "__name__", "train")
    trained.__wrapped__ = train  # the checks look through to your train
    return trained


def random_training_case(rng):
    """Fresh data and a fresh network for train: X (m, n_in), y (m, 1), params, lr, steps. The params dict
    holds W1, W2, b1, b2 in that order, not the tutorial's: an answer that relies on the dict's order
    (forward(X, *params.values()), zip(params, grads)) shows."""
    case = random_regression_params(rng)
    case["X"] = rng.standard_normal((int(rng.integers(5, 40)), case["X"].shape[1]))
    case["y"] = rng.standard_normal((case["X"].shape[0], 1))
    params = {k: case.pop(k) for k in ("W1", "W2", "b1", "b2")}  # (not the tutorial's order: see the docstring)
    return {**case, "params": params, "lr": float(rng.uniform(0.02, 0.3)), "steps": int(rng.integers(3, 25))}


def random_training_case_with_a_rise(rng):
    """As random_training_case, with a larger learning rate (0.4 to 0.6), drawn again until the loss goes
    up at least once during training: train must take every step it is asked for, whatever the loss does.
    (Rates up to 0.6 keep two right answers, computed in different orders, within the checks' tolerance.)"""
    while True:
        case = random_training_case(rng)
        case["lr"] = float(rng.uniform(0.4, 0.6))
        params = {key: value.copy() for key, value in case["params"].items()}
        losses = train(case["X"], case["y"], params, case["lr"], case["steps"])
        if np.any(np.diff(losses) > 0):
            return case
