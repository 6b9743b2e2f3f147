"""Reference layers in float64, and a small network that stacks them.

Data layout: one example per ROW. A batch of m examples with n features is an array of
shape (m, n), and a linear layer computes ``x @ W + b`` with W of shape (n_in, n_out) and
b of shape (n_out,). (Seeds 000, 002 and 003 write one example as a COLUMN and compute
``W @ x + b``; the two are transposes of each other: ``W_rows = W_columns.T`` and
``X_rows = X_columns.T``.)

One convention, kept by every layer and by the network:

    out, cache = layer.forward(x)          # cache: what backward will need
    dx, grads = layer.backward(dout, cache)

``dout`` is dL/d(out), with out's shape. ``dx`` is dL/dx, with x's shape. ``grads`` is a
dict with the same keys as ``layer.params`` (empty for layers without parameters), each
gradient with its parameter's shape.

Losses follow the same convention: ``loss, cache = loss_fn.forward(pred, target)`` and
``dpred, {} = loss_fn.backward(1.0, cache)``, the 1.0 being dL/dL.
"""

import numpy as np

from backprop.validation import (
    check_array,
    check_finite,
    check_gradient_shape,
    check_same_shape,
)


def sigmoid(z):
    """1 / (1 + exp(-z)) for a number or an array, computed without overflow for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # at most 1, so it never overflows
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out if out.ndim else float(out)


def softmax(z):
    """Softmax over the last axis, shifted by the row maximum so that exp never overflows."""
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


class Linear:
    """out = x @ W + b.  x: (m, n_in), W: (n_in, n_out), b: (n_out,), out: (m, n_out)."""

    def __init__(self, W, b):
        check_array("W", W, ndim=2, meaning="(n_in, n_out)")
        check_array("b", b, ndim=1, meaning="(n_out,)")
        if b.shape[0] != W.shape[1]:
            raise ValueError(
                f"b has shape {b.shape} but W has shape {W.shape}: "
                f"b needs one entry per output, shape ({W.shape[1]},)."
            )
        self.params = {"W": W, "b": b}

    def forward(self, x):
        W, b = self.params["W"], self.params["b"]
        check_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != W.shape[0]:
            raise ValueError(
                f"x has shape {x.shape} ({x.shape[1]} features) but W has shape {W.shape} "
                f"({W.shape[0]} inputs): x @ W needs x.shape[1] == W.shape[0]."
            )
        return x @ W + b, x

    def backward(self, dout, cache):
        x = cache
        W = self.params["W"]
        check_array("dout", dout, ndim=2)
        check_gradient_shape(dout, (x.shape[0], W.shape[1]))
        dx = dout @ W.T          # (m, n_out) @ (n_out, n_in)
        dW = x.T @ dout          # (n_in, m) @ (m, n_out)
        db = dout.sum(axis=0)    # one bias per output, summed over the batch
        return dx, {"W": dW, "b": db}

    def __repr__(self):
        n_in, n_out = self.params["W"].shape
        return f"Linear({n_in} -> {n_out})"


class _Activation:
    """An elementwise layer: no parameters, any shape."""

    def __init__(self):
        self.params = {}

    def forward(self, x):
        check_array("x", x)
        out = self.function(x)
        return out, (x, out)

    def backward(self, dout, cache):
        x, out = cache
        check_array("dout", dout)
        check_gradient_shape(dout, x.shape)
        return dout * self.derivative(x, out), {}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(_Activation):
    """a = 1 / (1 + exp(-z));  da/dz = a (1 - a), at most 0.25 (at z = 0)."""

    def function(self, x):
        return sigmoid(x)

    def derivative(self, x, out):
        return out * (1.0 - out)


class Tanh(_Activation):
    """a = tanh(z);  da/dz = 1 - a**2, at most 1 (at z = 0)."""

    def function(self, x):
        return np.tanh(x)

    def derivative(self, x, out):
        return 1.0 - out**2


class ReLU(_Activation):
    """a = max(0, z);  da/dz = 1 where z > 0, else 0 (we take 0 at the kink z = 0)."""

    def function(self, x):
        return np.maximum(x, 0.0)

    def derivative(self, x, out):
        return (x > 0).astype(np.float64)


class _Loss:
    """A loss: forward gives a single number, backward its gradient with respect to pred."""

    def __init__(self):
        self.params = {}

    def _check_pair(self, pred, target):
        check_array("pred", pred)
        check_array("target", target)
        check_same_shape("pred", pred, "target", target)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(_Loss):
    """L = mean((pred - target)**2) over every entry (seed 001).  dL/dpred = 2 (pred - target) / N."""

    def forward(self, pred, target):
        self._check_pair(pred, target)
        diff = pred - target
        return float(np.mean(diff**2)), diff

    def backward(self, dout, cache):
        diff = cache
        return dout * 2.0 * diff / diff.size, {}


class HalfSumSquaredError(_Loss):
    """L = (1/2) sum((pred - target)**2) (seeds 000 and 002).  dL/dpred = pred - target.

    The 1/2 cancels the 2 from differentiating the square.
    """

    def forward(self, pred, target):
        self._check_pair(pred, target)
        diff = pred - target
        return float(0.5 * np.sum(diff**2)), diff

    def backward(self, dout, cache):
        diff = cache
        return dout * diff, {}


def one_hot(labels, n_classes):
    """Integer labels (m,) -> float64 one-hot rows (m, n_classes)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be a 1-D array of integers, but got {labels.shape} of dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, but range from {labels.min()} to {labels.max()}.")
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


class SoftmaxCrossEntropy(_Loss):
    """Softmax of the scores, then cross-entropy with the targets, averaged over the batch.

    scores: (m, k) raw outputs of the last layer (logits).
    target: (m,) integer class labels, or (m, k) one-hot rows.
    L = -(1/m) sum_i log softmax(scores_i)[target_i];  dL/dscores = (softmax(scores) - Y) / m.
    """

    def forward(self, scores, target):
        check_array("scores", scores, ndim=2, meaning="(examples, classes)")
        m, k = scores.shape
        if isinstance(target, np.ndarray) and target.ndim == 1 and np.issubdtype(target.dtype, np.integer):
            if target.shape[0] != m:
                raise ValueError(
                    f"target has {target.shape[0]} labels (shape {target.shape}) but scores has "
                    f"{m} examples (shape {scores.shape}); one label per row is expected."
                )
            Y = one_hot(target, k)
        else:
            check_array("target", target, ndim=2, meaning="(examples, classes), one-hot")
            check_same_shape("scores", scores, "target", target)
            Y = target
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -float(np.sum(Y * log_probs)) / m
        return loss, (np.exp(log_probs), Y)

    def backward(self, dout, cache):
        probs, Y = cache
        return dout * (probs - Y) / probs.shape[0], {}


class Sequential:
    """Layers applied one after another; backward visits them in reverse.

    out, caches = net.forward(x)
    dx, grads = net.backward(dout, caches)   # grads[i] is the dict of layer i
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        self.layers = list(layers)

    @property
    def params(self):
        """One dict per layer, the same arrays the layers hold (updating them updates the net)."""
        return [layer.params for layer in self.layers]

    def forward(self, x):
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dout, caches):
        if len(caches) != len(self.layers):
            raise ValueError(f"caches has {len(caches)} entries but the network has {len(self.layers)} layers.")
        grads = [None] * len(self.layers)
        for i in reversed(range(len(self.layers))):
            dout, grads[i] = self.layers[i].backward(dout, caches[i])
        return dout, grads

    def predict(self, x):
        return self.forward(x)[0]

    def __repr__(self):
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"


def sgd_step(params, grads, lr):
    """Gradient descent in place: p -= lr * dp for every parameter.

    params, grads: a dict of arrays, or a list of such dicts (as Sequential gives).
    """
    if isinstance(params, dict):
        params, grads = [params], [grads]
    if len(params) != len(grads):
        raise ValueError(f"params has {len(params)} entries but grads has {len(grads)}.")
    for p, g in zip(params, grads):
        if set(p) != set(g):
            raise ValueError(f"params has keys {sorted(p)} but grads has keys {sorted(g)}.")
        for name in p:
            check_same_shape(f"grads[{name!r}]", g[name], f"params[{name!r}]", p[name])
            check_finite(f"grads[{name!r}]", g[name])
            p[name] -= lr * g[name]
