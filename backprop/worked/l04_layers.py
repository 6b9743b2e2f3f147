"""Lesson 04: the 2-3-1 network of seed 000, in its column layout, as its explorer shows it.

    train_231(example, lr, epochs)   the tutorial's loop on one example: the parameters before each update, the losses
    sweep_231(x, y, W1, b1, W2, b2)  every forward value and every backward step, named as in the lesson
"""

import numpy as np

__all__ = ["train_231", "sweep_231"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train_231(example, lr=0.1, epochs=1000):
    """Seed 000's loop on one example, in its column layout; returns the parameters before each
    epoch's update (epochs + 1 snapshots, the last after the final update) and the losses."""
    missing = [k for k in ("x", "y", "W1", "b1", "W2", "b2") if not isinstance(example, dict) or k not in example]
    if missing:
        raise ValueError(f"example must be a dict like data.one_example_231() gives, with the keys x, y, W1, b1, "
                         f"W2, b2; it lacks {missing}.")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr, the learning rate, must be a number > 0, but is {lr!r}.")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, but is {epochs!r}.")
    x, y = example["x"], example["y"]
    W1, b1, W2, b2 = (example[k].astype(np.float64).copy() for k in ("W1", "b1", "W2", "b2"))
    snapshots, losses = [], []
    for _ in range(epochs):
        snapshots.append((W1.copy(), b1.copy(), W2.copy(), b2.copy()))
        z1 = W1 @ x + b1
        a1 = _sigmoid(z1)
        z2 = W2 @ a1 + b2
        y_pred = _sigmoid(z2)
        losses.append(0.5 * float(np.sum((y_pred - y) ** 2)))
        dL_dz2 = (y_pred - y) * y_pred * (1 - y_pred)
        dL_dz1 = W2.T @ dL_dz2 * a1 * (1 - a1)
        W2 = W2 - lr * dL_dz2 @ a1.T
        b2 = b2 - lr * dL_dz2
        W1 = W1 - lr * dL_dz1 @ x.T
        b1 = b1 - lr * dL_dz1
    snapshots.append((W1, b1, W2, b2))
    y_pred = _sigmoid(W2 @ _sigmoid(W1 @ x + b1) + b2)
    losses.append(0.5 * float(np.sum((y_pred - y) ** 2)))
    return snapshots, np.array(losses)


def sweep_231(x, y, W1, b1, W2, b2):
    """Every forward value and every backward step of the 2-3-1 network, named as in lesson 04."""
    z1 = W1 @ x + b1
    a1 = _sigmoid(z1)
    z2 = W2 @ a1 + b2
    y_pred = _sigmoid(z2)
    v = {"z1": z1, "a1": a1, "z2": z2, "y_pred": y_pred, "loss": 0.5 * float(np.sum((y_pred - y) ** 2))}
    v["dL_dy_pred"] = y_pred - y
    v["dL_dz2"] = v["dL_dy_pred"] * y_pred * (1 - y_pred)
    v["dL_dW2"] = v["dL_dz2"] @ a1.T
    v["dL_db2"] = v["dL_dz2"]
    v["dL_da1"] = W2.T @ v["dL_dz2"]
    v["dL_dz1"] = v["dL_da1"] * a1 * (1 - a1)
    v["dL_dW1"] = v["dL_dz1"] @ x.T
    v["dL_db1"] = v["dL_dz1"]
    return v
