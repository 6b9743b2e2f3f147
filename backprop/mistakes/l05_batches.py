"""Lesson 05, batches and gradient descent: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.regression_backward     16 mistakes
    reference.train_result            9 mistakes; train calls backward (depends)
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import depends, register

__all__ = []


def _regression_backward_variant(dz2_scale=2.0, sign=1.0, per="m", db="sum", dW2_transposed=False,
                                 derivative="z", extra_m=None, flat_y=False, da1_transposed=True):
    def backward(X, y, z1, a1, z2, W2):
        m = X.shape[0]
        divide = {"m": m, "none": 1, "features": X.shape[1], "100": 100}[per]
        if flat_y:
            y = y.ravel()
        dL_dz2 = sign * dz2_scale * (z2 - y) / divide
        dL_dW2 = dL_dz2.T @ a1 if dW2_transposed else a1.T @ dL_dz2
        dL_da1 = dL_dz2 @ W2.T if da1_transposed else dL_dz2 @ W2
        if derivative == "z":
            s = sigmoid(z1)
            local = s * (1 - s)
        elif derivative == "a":
            s = sigmoid(a1)
            local = s * (1 - s)
        elif derivative == "z-for-a":
            local = z1 * (1 - z1)
        else:
            local = 1.0
        dL_dz1 = dL_da1 * local
        dL_dW1 = X.T @ dL_dz1
        reduce = {"sum": lambda d: d.sum(axis=0), "none": lambda d: d, "mean": lambda d: d.mean(axis=0),
                  "axis1": lambda d: d.sum(axis=1)}[db]
        grads = [dL_dW1, reduce(dL_dz1), dL_dW2, reduce(dL_dz2)]
        if extra_m == "all":
            grads = [g / m for g in grads]
        elif extra_m == "weights":
            grads = [grads[0] / m, grads[1], grads[2] / m, grads[3]]
        return tuple(grads)

    return backward


register(ref.regression_backward, [
    ("1-m-mean-missing",
     "the 1/m of the mean is missing: dL/dz2 = 2 * (z2 - y) / m, because the loss averages over the "
     "m examples of the batch.", _regression_backward_variant(per="none")),
    ("factor-2-differentiating-square",
     "the factor 2 from differentiating the square is missing: dL/dz2 = 2 * (z2 - y) / m "
     "(this loss has no 1/2 in front).", _regression_backward_variant(dz2_scale=1.0)),
    ("sign-error-dl-dz2",
     "a sign error: dL/dz2 = 2 * (z2 - y) / m, not 2 * (y - z2) / m.", _regression_backward_variant(sign=-1.0)),
    ("mean-divided-number-features",
     "the mean was divided by the number of features, X.shape[1]; it averages over the examples, the rows: "
     "m = X.shape[0].", _regression_backward_variant(per="features")),
    ("batch-size-written-100",
     "the batch size is written in as 100 (the tutorial's data set); take it from the batch itself, "
     "m = X.shape[0]: the tests use batches of 1 to 50 examples.", _regression_backward_variant(per="100")),
    ("bias-gradients-summed-over",
     "the bias gradients are not summed over the batch: each bias is used by every example, so "
     "db = dL_dz.sum(axis=0), of the bias's shape.", _regression_backward_variant(db="none")),
    ("bias-gradients-averaged-over",
     "the bias gradients are averaged over the batch: the 1/m is already inside dL/dz2, so the biases "
     "need dL_dz.sum(axis=0), not .mean(axis=0).", _regression_backward_variant(db="mean")),
    ("bias-gradients-summed-over-2",
     "the bias gradients are summed over the wrong axis: axis 0 runs over the examples, so "
     "db = dL_dz.sum(axis=0).", _regression_backward_variant(db="axis1")),
    ("dw2-transposed-dl-dw2",
     "dW2 is transposed: dL/dW2 = a1.T @ dL_dz2, shape (h, 1) like W2.", _regression_backward_variant(
        dW2_transposed=True)),
    ("missing-transpose-dl-da1",
     "a missing transpose in dL/da1: dL_dz2 @ W2.T, (m, 1) @ (1, h) -> (m, h), the shape of a1; "
     "dL_dz2 @ W2 only fits when h = 1.", _regression_backward_variant(da1_transposed=False)),
    ("y-flattened-shape-m",
     "y was flattened to shape (m,) (or z2 was): z2 - y, with z2 of shape (m, 1), then broadcasts to an "
     "(m, m) array of every prediction minus every target. Keep both as they are given, (m, 1).",
     _regression_backward_variant(flat_y=True)),
    ("sigma-used-where-sigma",
     "sigma'(a) was used where sigma'(z) is meant: the hidden layer's slope is sigmoid(z1) * (1 - sigmoid(z1)) "
     "= a1 * (1 - a1), not sigmoid(a1) * (1 - sigmoid(a1)).", _regression_backward_variant(derivative="a")),
    ("z1-used-place-a1", "z1 was used in place of a1 in the sigmoid's slope: a1 * (1 - a1), not z1 * (1 - z1).",
     _regression_backward_variant(derivative="z-for-a")),
    ("sigmoid-s-slope-missing",
     "the sigmoid's slope is missing: dL/dz1 = dL/da1 * sigmoid'(z1).", _regression_backward_variant(
        derivative="none")),
    ("batch-averaged-twice-1",
     "the batch is averaged twice: the 1/m is already in dL/dz2, so the weight and bias gradients are plain "
     "sums over the batch (a1.T @ dL_dz2, ...), not divided by m again.", _regression_backward_variant(
        extra_m="all")),
    ("weight-gradients-divided-m",
     "the weight gradients are divided by m a second time: the 1/m is already in dL/dz2, and the matrix "
     "products a1.T @ dL_dz2 and X.T @ dL_dz1 add up the examples' shares; divide once, at the top.",
     _regression_backward_variant(extra_m="weights")),
])


def _train_variant(record_after=False, write_back=True, ascent=False, new_W2_for_hidden=False, biases=True,
                   extra_steps=0, fixed_lr=None, stop_on_rise=False):
    def train(X, y, params, lr, steps):
        W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
        losses = []
        sign = -1.0 if ascent else 1.0
        lr = lr if fixed_lr is None else fixed_lr
        for _ in range(steps + extra_steps):
            z1, a1, z2 = ref.regression_forward(X, W1, b1, W2, b2)
            loss = float(np.mean((z2 - y) ** 2))
            if stop_on_rise and losses and loss > losses[-1]:
                break
            if not record_after:
                losses.append(loss)
            m = X.shape[0]
            dz2 = 2.0 * (z2 - y) / m
            dW2, db2 = a1.T @ dz2, dz2.sum(axis=0)
            if new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            dz1 = dz2 @ W2.T * a1 * (1 - a1)
            dW1, db1 = X.T @ dz1, dz1.sum(axis=0)
            W1 = W1 - sign * lr * dW1
            if not new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            if biases:
                b1 = b1 - sign * lr * db1
                b2 = b2 - sign * lr * db2
            if record_after:
                losses.append(ref.regression_loss(X, y, W1, b1, W2, b2))
        if write_back:
            params.update(W1=W1, b1=b1, W2=W2, b2=b2)
        return np.asarray(losses), params

    return train


register(ref.train_result, [
    ("each-loss-recorded-after",
     "each loss is recorded after its step's update: record the loss of the forward pass, before the update "
     "(the first loss is the untrained network's).", _train_variant(record_after=True)),
    ("trained-weights-written-back",
     "the trained weights are not written back into params: update the arrays in the dict you were given "
     "(params['W1'] -= lr * dW1), or assign the new ones to params['W1'], ...", _train_variant(write_back=False)),
    ("update-climbs-gradient-theta",
     "the update climbs the gradient: theta <- theta - lr * grad, with a minus.", _train_variant(ascent=True)),
    ("w2-updated-before-hidden",
     "W2 is updated before the hidden layer's gradient is computed, which then uses the new W2: compute every "
     "gradient first, then update.", _train_variant(new_W2_for_hidden=True)),
    ("biases-never-updated-b1", "the biases are never updated: b1 and b2 learn too.", _train_variant(biases=False)),
    ("loop-runs-step-too",
     "the loop runs one step too many: range(steps) takes exactly `steps` steps, and records that many losses.",
     _train_variant(extra_steps=1)),
    ("learning-rate-given-tutorial",
     "the learning rate is not the one given: the tutorial's 0.01 is written in; use the argument lr.",
     _train_variant(fixed_lr=0.01)),
    ("learning-rate-missing-update",
     "the learning rate is missing from the update: theta <- theta - lr * grad, not theta - grad.",
     _train_variant(fixed_lr=1.0)),
    ("loop-stops-when-loss",
     "the loop stops when the loss goes up: train takes every one of the `steps` steps it is asked for, "
     "whatever the loss does (a learning rate too large makes it rise, and that is worth seeing).",
     _train_variant(stop_on_rise=True)),
])


# train calls the student's backward: a wrong backward is named by Exercise 1's test, not blamed on train
depends(ref.train_result, "backward", ref.regression_backward, "batched_backward", "Exercise 1's backward")
