"""Lesson 06, softmax, cross-entropy and a batched classifier: reference answers and random cases.

Rows are examples: scores (m, k), one-hot targets Y (m, k).
softmax(z)_j = exp(z_j - max z) / sum_i exp(z_i - max z), row by row
L = -(1/m) sum_i sum_j Y_ij log softmax(scores_i)_j;  dL/dscores = (softmax(scores) - Y) / m

    softmax(z)                            Softmax of each row of z (m, k), shifted by the row's maximum so that exp ...
    log_softmax(scores)                   log softmax(scores) row by row, without ever taking the log of an ...
    softmax_ce_forward(scores, Y)         Mean cross-entropy of softmax(scores) against one-hot Y
    softmax_ce_backward(dout, cache)      dL/dscores = dout * (softmax(scores) - Y) / m, and no parameters
    softmax_ce_loss(scores, Y)            The loss alone, for the checks of softmax_ce_forward
    SoftmaxCrossEntropyLoss               The loss as a layer of the scores, its target Y fixed
    random_scores(rng)                    Scores z (m, k) for softmax
    random_softmax_ce(rng)                A case for the loss
    random_softmax_ce_input(rng)          The arguments of softmax_ce_loss
    random_wide_scores(rng)               Scores z (m, k) for softmax with one row far above 0 and one far below ...
    random_wide_softmax_ce(rng)           A case for the loss, as random_softmax_ce ...
    random_wide_softmax_ce_input(rng)     The arguments of softmax_ce_loss, with one row of scores far above 0 and ...
    TwoLayerClassifier                    scores = relu(x @ W1 + b1) @ W2 + b2, for x (m, d), W1 (d, h), b1 (h,) ...
    classifier_scores(x, W1, b1, W2, b2)  The classifier's forward pass alone
    random_classifier(rng)                A batch and a classifier
    random_classifier_input(rng)          The arguments of classifier_scores
"""

import numpy as np

from backprop.validation import require_array

__all__ = ["softmax", "log_softmax", "softmax_ce_forward", "softmax_ce_backward", "softmax_ce_loss",
           "SoftmaxCrossEntropyLoss", "random_scores", "random_softmax_ce", "random_softmax_ce_input",
           "random_wide_scores", "random_wide_softmax_ce", "random_wide_softmax_ce_input", "TwoLayerClassifier",
           "classifier_scores", "random_classifier", "random_classifier_input"]


def softmax(z):
    """Softmax of each row of z (m, k), shifted by the row's maximum so that exp cannot overflow."""
    require_array("z", z, ndim=2, meaning="(examples, classes)")
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _check_scores_and_targets(scores, Y):
    require_array("scores", scores, ndim=2, meaning="(examples, classes)")
    require_array("Y", Y, ndim=2, meaning="(examples, classes), one-hot")
    if Y.shape != scores.shape:
        raise ValueError(f"Y has shape {Y.shape} but scores has shape {scores.shape}; "
                         f"Y needs one one-hot row per row of scores.")


def log_softmax(scores):
    """log softmax(scores) row by row, without ever taking the log of an underflowed 0."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_ce_forward(scores, Y):
    """Mean cross-entropy of softmax(scores) against one-hot Y: (loss, cache)."""
    _check_scores_and_targets(scores, Y)
    log_probs = log_softmax(scores)
    loss = -float(np.sum(Y * log_probs)) / scores.shape[0]
    return loss, (np.exp(log_probs), Y)


def softmax_ce_backward(dout, cache):
    """dL/dscores = dout * (softmax(scores) - Y) / m, and no parameters: (dscores, {})."""
    probs, Y = cache
    return dout * (probs - Y) / probs.shape[0], {}


def softmax_ce_loss(scores, Y):
    """The loss alone, for the checks of softmax_ce_forward."""
    return softmax_ce_forward(scores, Y)[0]


class SoftmaxCrossEntropyLoss:
    """The loss as a layer of the scores, its target Y fixed: what check_layer compares with."""

    def __init__(self, Y):
        self.Y = Y
        self.params = {}

    def forward(self, x):
        return softmax_ce_forward(x, self.Y)

    def backward(self, dout, cache):
        return softmax_ce_backward(dout, cache)


def _random_one_hot(rng, m, k):
    Y = np.zeros((m, k))
    Y[np.arange(m), rng.integers(0, k, size=m)] = 1.0
    return Y


def random_scores(rng):
    """Scores z (m, k) for softmax: a few rows of a few classes, spread over several units."""
    m, k = int(rng.integers(2, 6)), int(rng.integers(3, 6))
    return {"z": rng.normal(0.0, 3.0, size=(m, k)) + rng.normal(0.0, 5.0, size=(m, 1))}


def random_softmax_ce(rng):
    """A case for the loss: x the scores (m, k), Y one-hot (m, k), dout a number (the gradient from above)."""
    m, k = int(rng.integers(2, 7)), int(rng.integers(3, 6))
    return {"x": rng.normal(0.0, 2.0, size=(m, k)), "dout": float(rng.uniform(0.5, 2.0)),
            "Y": _random_one_hot(rng, m, k)}


def random_softmax_ce_input(rng):
    """The arguments of softmax_ce_loss: scores (m, k) and one-hot Y."""
    case = random_softmax_ce(rng)
    return {"scores": case["x"], "Y": case["Y"]}


def _widen(rng, z):
    """z with one row moved up and another down by 12000 to 20000: exp overflows (or underflows to 0 in
    every entry) there even in np.longdouble (past about 11356); only each row's own maximum helps."""
    up, down = rng.choice(z.shape[0], size=2, replace=False)
    z[up] += rng.uniform(12000.0, 20000.0)
    z[down] -= rng.uniform(12000.0, 20000.0)
    return z


def random_wide_scores(rng):
    """Scores z (m, k) for softmax with one row far above 0 and one far below (see _widen)."""
    case = random_scores(rng)
    return {"z": _widen(rng, case["z"])}


def random_wide_softmax_ce(rng):
    """A case for the loss, as random_softmax_ce, with one row of scores far above 0 and one far below."""
    case = random_softmax_ce(rng)
    case["x"] = _widen(rng, case["x"])
    return case


def random_wide_softmax_ce_input(rng):
    """The arguments of softmax_ce_loss, with one row of scores far above 0 and one far below."""
    case = random_wide_softmax_ce(rng)
    return {"scores": case["x"], "Y": case["Y"]}


class TwoLayerClassifier:
    """scores = relu(x @ W1 + b1) @ W2 + b2, for x (m, d), W1 (d, h), b1 (h,), W2 (h, k), b2 (k,).

    forward(x) -> (scores, cache); backward(dscores, cache) -> (dx, grads), grads keyed like params.
    The softmax and the loss are not part of it: they follow, in SoftmaxCrossEntropy.
    """

    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

    def forward(self, x):
        p = self.params
        require_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != p["W1"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W1 has shape {p['W1'].shape}: "
                             f"x @ W1 needs x.shape[1] == W1.shape[0].")
        z1 = x @ p["W1"] + p["b1"]
        a1 = np.maximum(z1, 0.0)
        scores = a1 @ p["W2"] + p["b2"]
        return scores, (x, z1, a1)

    def backward(self, dscores, cache):
        x, z1, a1 = cache
        p = self.params
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        da1 = dscores @ p["W2"].T
        dz1 = da1 * (z1 > 0)
        dW1 = x.T @ dz1
        db1 = dz1.sum(axis=0)
        dx = dz1 @ p["W1"].T
        return dx, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def classifier_scores(x, W1, b1, W2, b2):
    """The classifier's forward pass alone: the scores (m, k)."""
    return TwoLayerClassifier(W1, b1, W2, b2).forward(x)[0]


def random_classifier(rng):
    """A batch and a classifier: x (m, d), dout (m, k), W1, b1, W2, b2.

    Every hidden pre-activation is at least 0.05 away from ReLU's kink at 0, so finite
    differences see a smooth function.
    """
    m, d, h, k = (int(rng.integers(lo, hi)) for lo, hi in ((3, 7), (2, 5), (3, 7), (3, 5)))
    while True:
        x = rng.standard_normal((m, d))
        W1 = rng.standard_normal((d, h))
        b1 = rng.normal(0.0, 0.5, size=h)
        if np.abs(x @ W1 + b1).min() > 0.05:
            break
    return {"x": x, "dout": rng.standard_normal((m, k)), "W1": W1, "b1": b1,
            "W2": rng.standard_normal((h, k)), "b2": rng.normal(0.0, 0.5, size=k)}


def random_classifier_input(rng):
    """The arguments of classifier_scores: x and the parameters."""
    case = random_classifier(rng)
    del case["dout"]
    return case
