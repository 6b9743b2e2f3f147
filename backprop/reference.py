"""Reference answers to the graded exercises, one function per exercise.

The tests in the lessons run your function and the one here on the same fresh random
inputs and compare. Each exercise also has a `random_...` function that draws such inputs.
Reading these before you have tried is allowed, but you will learn less.
"""

from backprop.layers import sigmoid

# --- lesson 01: one neuron ------------------------------------------------------------
# z = w x + b, a = sigmoid(z), L = (a - y)**2


def neuron_forward(x, w, b):
    """The neuron's output a = sigmoid(w x + b)."""
    return sigmoid(w * x + b)


def neuron_loss(x, w, b, y):
    """The squared error L = (a - y)**2 of one neuron on one example."""
    return (neuron_forward(x, w, b) - y) ** 2


def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for one neuron, by the chain rule dL/dw = dL/da * da/dz * dz/dw."""
    a = neuron_forward(x, w, b)
    dL_da = 2.0 * (a - y)
    da_dz = a * (1.0 - a)
    dL_dz = dL_da * da_dz
    return dL_dz * x, dL_dz


def random_neuron(rng):
    """A random neuron and example: x, w, b of either sign, y a target in (0, 1)."""
    return {
        "x": float(rng.normal(0.0, 1.5)),
        "w": float(rng.normal(0.0, 1.0)),
        "b": float(rng.normal(0.0, 1.0)),
        "y": float(rng.uniform(0.05, 0.95)),
    }


def random_neuron_input(rng):
    """The inputs of neuron_forward only."""
    case = random_neuron(rng)
    del case["y"]
    return case



# --- lesson 06: softmax, cross-entropy and a batched classifier --------------------------
# Rows are examples: scores (m, k), one-hot targets Y (m, k).
# softmax(z)_j = exp(z_j - max z) / sum_i exp(z_i - max z), row by row
# L = -(1/m) sum_i sum_j Y_ij log softmax(scores_i)_j;  dL/dscores = (softmax(scores) - Y) / m

import numpy as _np  # noqa: E402

from backprop.validation import check_array as _check_array  # noqa: E402


def softmax(z):
    """Softmax of each row of z (m, k), shifted by the row's maximum so that exp cannot overflow."""
    _check_array("z", z, ndim=2, meaning="(examples, classes)")
    e = _np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _check_scores_and_targets(scores, Y):
    _check_array("scores", scores, ndim=2, meaning="(examples, classes)")
    _check_array("Y", Y, ndim=2, meaning="(examples, classes), one-hot")
    if Y.shape != scores.shape:
        raise ValueError(f"Y has shape {Y.shape} but scores has shape {scores.shape}; "
                         f"Y needs one one-hot row per row of scores.")


def log_softmax(scores):
    """log softmax(scores) row by row, without ever taking the log of an underflowed 0."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - _np.log(_np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_ce_forward(scores, Y):
    """Mean cross-entropy of softmax(scores) against one-hot Y: (loss, cache)."""
    _check_scores_and_targets(scores, Y)
    log_probs = log_softmax(scores)
    loss = -float(_np.sum(Y * log_probs)) / scores.shape[0]
    return loss, (_np.exp(log_probs), Y)


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
    Y = _np.zeros((m, k))
    Y[_np.arange(m), rng.integers(0, k, size=m)] = 1.0
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


class TwoLayerClassifier:
    """scores = relu(x @ W1 + b1) @ W2 + b2, for x (m, d), W1 (d, h), b1 (h,), W2 (h, k), b2 (k,).

    forward(x) -> (scores, cache); backward(dscores, cache) -> (dx, grads), grads keyed like params.
    The softmax and the loss are not part of it: they follow, in SoftmaxCrossEntropy.
    """

    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

    def forward(self, x):
        p = self.params
        _check_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != p["W1"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W1 has shape {p['W1'].shape}: "
                             f"x @ W1 needs x.shape[1] == W1.shape[0].")
        z1 = x @ p["W1"] + p["b1"]
        a1 = _np.maximum(z1, 0.0)
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
        if _np.abs(x @ W1 + b1).min() > 0.05:
            break
    return {"x": x, "dout": rng.standard_normal((m, k)), "W1": W1, "b1": b1,
            "W2": rng.standard_normal((h, k)), "b2": rng.normal(0.0, 0.5, size=k)}


def random_classifier_input(rng):
    """The arguments of classifier_scores: x and the parameters."""
    case = random_classifier(rng)
    del case["dout"]
    return case


# --- lesson 07: gradient checking --------------------------------------------------------
# numerical_gradient(f, x, h): centred differences, entry by entry, x perturbed in place and restored
# relative_error(a, b) = |a - b| / (|a| + |b|), |.| the Euclidean norm of the whole array, 0 if both are 0
# DenseTanh: out = tanh(x @ W + b), the layer whose buggy backward lesson 07 fixes

from backprop import gradcheck as _gradcheck  # noqa: E402


def numerical_gradient(f, x, h=1e-5):
    """The centred-difference gradient of f at x, as backprop.gradcheck computes it."""
    return _gradcheck.numerical_gradient(f, x, h=h)


def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over every entry; 0.0 when both are all zero."""
    return _gradcheck.relative_error(a, b)


class SmoothFunction:
    """A smooth function of an array x that mixes its entries: sum(tanh(M @ x.ravel() + c)) + sum(x**3) / 10.

    Made with x=array, it ignores its argument and reads that array, as a loss reads a layer's
    weights: only perturbing that very array in place changes its value.
    """

    def __init__(self, M, c, x=None):
        self.M, self.c, self.x = M, c, x

    def __call__(self, x):
        x = self.x if self.x is not None else x
        return float(_np.sum(_np.tanh(self.M @ x.ravel() + self.c)) + _np.sum(x**3) / 10)

    def __repr__(self):
        if self.x is not None:
            return "a smooth function that ignores its argument and reads x itself"
        return "a smooth function of x"



def random_numerical_gradient(rng):
    """A case for numerical_gradient: f, x (a vector or a matrix) and a step h."""
    shape = [(int(rng.integers(2, 6)),), (int(rng.integers(2, 4)), int(rng.integers(2, 4)))][int(rng.integers(0, 2))]
    x = rng.standard_normal(shape)
    M = rng.standard_normal((3, x.size)) / _np.sqrt(x.size)
    f = SmoothFunction(M, rng.normal(0.0, 0.5, size=3))
    return {"f": f, "x": x, "h": float(rng.choice([1e-5, 1e-4, 1e-3]))}


def random_numerical_gradient_reading_x(rng):
    """Like random_numerical_gradient, but f reads the array x itself and ignores its argument."""
    case = random_numerical_gradient(rng)
    case["f"] = SmoothFunction(case["f"].M, case["f"].c, x=case["x"])
    return case


def random_gradient_pair(rng):
    """Two arrays a, b of one shape: close, far apart, opposite, scaled, or one of them zero."""
    shape = [(int(rng.integers(2, 8)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5)))][int(rng.integers(0, 2))]
    a = rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 3)
    kind = int(rng.integers(0, 5))
    if kind == 0:
        b = a + rng.standard_normal(shape) * _np.linalg.norm(a) * 10.0 ** rng.uniform(-10, -2)
    elif kind == 1:
        b = rng.standard_normal(shape) * _np.linalg.norm(a)
    elif kind == 2:
        b = -a * rng.uniform(0.5, 2.0)
    elif kind == 3:
        b = a * rng.uniform(0.2, 5.0)
    else:
        b = _np.zeros(shape)
    return {"a": a, "b": b} if rng.random() < 0.5 else {"a": b, "b": a}


class DenseTanh:
    """out = tanh(x @ W + b) for x (m, n), W (n, k), b (k,).  d out / dz = 1 - out**2."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        _check_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != self.params["W"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W has shape {self.params['W'].shape}: "
                             f"x @ W needs x.shape[1] == W.shape[0].")
        a = _np.tanh(x @ self.params["W"] + self.params["b"])
        return a, (x, a)

    def backward(self, dout, cache):
        x, a = cache
        dz = dout * (1.0 - a**2)
        return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}


def random_dense(rng):
    """A batch and a DenseTanh layer: x (m, n), dout (m, k), W (n, k), b (k,), tanh not saturated."""
    m, n, k = int(rng.integers(2, 6)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    while True:
        x, W, b = rng.standard_normal((m, n)), rng.standard_normal((n, k)) / _np.sqrt(n), rng.normal(0.0, 0.5, size=k)
        if _np.abs(x @ W + b).max() < 3.0:  # tanh'(z) > 0.01 everywhere
            return {"x": x, "dout": rng.standard_normal((m, k)), "W": W, "b": b}
