"""Mistakes students really make, one buggy version per mistake, for each graded exercise.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.

MISTAKES maps a reference function (or layer class) to [(description, buggy version), ...];
each lesson adds its own entries in its own section below.
"""

from backprop import reference as ref
from backprop.layers import sigmoid

MISTAKES = {}


def known_for(reference):
    """The (description, buggy function) pairs known for a reference function."""
    return MISTAKES.get(getattr(reference, "__func__", reference), [])

# --- lesson 01 ------------------------------------------------------------------------


def _forward_no_sigmoid(x, w, b):
    return w * x + b


def _forward_no_bias(x, w, b):
    return sigmoid(w * x)


def _forward_sign_flipped_sigmoid(x, w, b):
    return sigmoid(-(w * x + b))


def _parts(x, w, b, y):
    z = w * x + b
    a = sigmoid(z)
    return z, a


def _grads_no_two(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = (a - y) * a * (1 - a)
    return d * x, d


def _grads_sign(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (y - a) * a * (1 - a)
    return d * x, d


def _grads_no_activation_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y)
    return d * x, d


def _grads_sigma_prime_of_a(x, w, b, y):
    z, a = _parts(x, w, b, y)
    s = sigmoid(a)
    d = 2 * (a - y) * s * (1 - s)
    return d * x, d


def _grads_z_for_a_in_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * z * (1 - z)
    return d * x, d


def _grads_db_times_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d * x


def _grads_dw_without_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d, d


def _grads_linear_neuron(x, w, b, y):
    z = w * x + b
    d = 2 * (z - y)
    return d * x, d


MISTAKES[ref.neuron_forward] = [
    ("the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid),
    ("the bias b is left out of z = w*x + b.", _forward_no_bias),
    ("the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid),
]

MISTAKES[ref.neuron_gradients] = [
    ("the factor 2 from differentiating (a - y)**2 is missing: dL/da = 2(a - y).", _grads_no_two),
    ("a sign error: dL/da = 2(a - y), not 2(y - a).", _grads_sign),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]

# --- lesson 04: Linear and Sigmoid layers, the backward loop ----------------------------
# Registered on the reference layer classes themselves (backprop.layers.Linear, .Sigmoid),
# which are what lesson 04's check_layer compares with; each buggy version is a layer class.

from backprop import layers as _layers  # noqa: E402


class _LinearNoBias(_layers.Linear):
    def forward(self, x):
        return x @ self.params["W"], x


class _LinearDWTransposed(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": dout.T @ cache, "b": grads["b"]}


class _LinearDXNoTranspose(_layers.Linear):
    def backward(self, dout, cache):
        _, grads = super().backward(dout, cache)
        return dout @ self.params["W"], grads


class _LinearDBNotSummed(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout}


class _LinearDBWrongAxis(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout.sum(axis=1)}


class _LinearDBMean(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout.mean(axis=0)}


class _LinearAveraged(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        m = dout.shape[0]
        return dx, {"W": grads["W"] / m, "b": grads["b"] / m}


class _SigmoidOfA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        s = sigmoid(out)
        return dout * s * (1.0 - s), {}


class _SigmoidZForA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return dout * x * (1.0 - x), {}


class _SigmoidNoDout(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return out * (1.0 - out), {}


class _SigmoidDoutTimesA(_layers.Sigmoid):
    def backward(self, dout, cache):
        x, out = cache
        return dout * out, {}


MISTAKES[_layers.Linear] = [
    ("the bias is missing from the forward pass: out = x @ W + b.", _LinearNoBias),
    ("dW is transposed: with examples as rows dL/dW = x.T @ dout, shape (n_in, n_out) like W "
     "(the column form delta x^T, transposed).", _LinearDWTransposed),
    ("a missing transpose in dx: with examples as rows dL/dx = dout @ W.T (the column form W^T delta, "
     "transposed).", _LinearDXNoTranspose),
    ("the bias gradient is not summed over the batch: b is added to every row, so dL/db = dout.sum(axis=0), "
     "shape (n_out,) like b.", _LinearDBNotSummed),
    ("the bias gradient is summed over the wrong axis: axis 0 runs over the examples, so "
     "dL/db = dout.sum(axis=0).", _LinearDBWrongAxis),
    ("the bias gradient is averaged over the batch: the layer sums, dL/db = dout.sum(axis=0); any 1/m "
     "belongs to the loss, which is already inside dout.", _LinearDBMean),
    ("the gradients are divided by the batch size: a layer sums over the examples (x.T @ dout, "
     "dout.sum(axis=0)); any 1/m belongs to the loss, which is already inside dout.", _LinearAveraged),
]

MISTAKES[_layers.Sigmoid] = [
    ("sigma'(a) was used where sigma'(z) is meant: with a = sigmoid(z) saved in the cache, "
     "sigma'(z) = a * (1 - a), not sigmoid(a) * (1 - sigmoid(a)).", _SigmoidOfA),
    ("the input z was used in place of the output a: sigma'(z) = a * (1 - a), not z * (1 - z).", _SigmoidZForA),
    ("dout is missing: the layer must pass on dL/dz = dout * sigma'(z), the incoming gradient times "
     "the local derivative.", _SigmoidNoDout),
    ("the factor (1 - a) is missing: sigma'(z) = a * (1 - a).", _SigmoidDoutTimesA),
]


def _backward_in_forward_order(layers, caches, dout):
    grads = []
    for layer, cache in zip(layers, caches):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads


def _backward_grads_reversed(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads


def _backward_dout_not_passed_on(layers, caches, dout):
    grads = [None] * len(layers)
    dx = dout
    for i in reversed(range(len(layers))):
        dx, grads[i] = layers[i].backward(dout, caches[i])
    return dx, grads


MISTAKES[ref.backward_pass] = [
    ("the layers are visited first to last: the backward pass starts at the output, "
     "for i in reversed(range(len(layers))).", _backward_in_forward_order),
    ("the gradients are listed last layer first: grads[i] must belong to layers[i] "
     "(fill a list of len(layers) by index, or reverse it at the end).", _backward_grads_reversed),
    ("dout is not passed on: each layer's dx is the dout of the layer before it "
     "(dout, grads[i] = layers[i].backward(dout, caches[i])).", _backward_dout_not_passed_on),
]

# --- lesson 05: the batched backward pass and the training loop -----------------------------

import numpy as np  # noqa: E402


def _regression_backward_variant(dz2_scale=2.0, sign=1.0, per_n=True, db="sum", dW2_transposed=False,
                                 derivative="z", extra_n=False):
    def backward(X, y, z1, a1, z2, W2):
        n = X.shape[0]
        dL_dz2 = sign * dz2_scale * (z2 - y) / (n if per_n else 1)
        dL_dW2 = dL_dz2.T @ a1 if dW2_transposed else a1.T @ dL_dz2
        dL_da1 = dL_dz2 @ W2.T
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
        if extra_n:
            grads = [g / n for g in grads]
        return tuple(grads)

    return backward


MISTAKES[ref.regression_backward] = [
    ("the 1/n of the mean is missing: dL/dz2 = 2 * (z2 - y) / n, because the loss averages over the "
     "n examples of the batch.", _regression_backward_variant(per_n=False)),
    ("the factor 2 from differentiating the square is missing: dL/dz2 = 2 * (z2 - y) / n "
     "(this loss has no 1/2 in front).", _regression_backward_variant(dz2_scale=1.0)),
    ("a sign error: dL/dz2 = 2 * (z2 - y) / n, not 2 * (y - z2) / n.", _regression_backward_variant(sign=-1.0)),
    ("the bias gradients are not summed over the batch: each bias is used by every example, so "
     "db = dL_dz.sum(axis=0), of the bias's shape.", _regression_backward_variant(db="none")),
    ("the bias gradients are averaged over the batch: the 1/n is already inside dL/dz2, so the biases "
     "need dL_dz.sum(axis=0), not .mean(axis=0).", _regression_backward_variant(db="mean")),
    ("the bias gradients are summed over the wrong axis: axis 0 runs over the examples, so "
     "db = dL_dz.sum(axis=0).", _regression_backward_variant(db="axis1")),
    ("dW2 is transposed: dL/dW2 = a1.T @ dL_dz2, shape (h, 1) like W2.", _regression_backward_variant(
        dW2_transposed=True)),
    ("sigma'(a) was used where sigma'(z) is meant: the hidden layer's slope is sigmoid(z1) * (1 - sigmoid(z1)) "
     "= a1 * (1 - a1), not sigmoid(a1) * (1 - sigmoid(a1)).", _regression_backward_variant(derivative="a")),
    ("z1 was used in place of a1 in the sigmoid's slope: a1 * (1 - a1), not z1 * (1 - z1).",
     _regression_backward_variant(derivative="z-for-a")),
    ("the sigmoid's slope is missing: dL/dz1 = dL/da1 * sigmoid'(z1).", _regression_backward_variant(
        derivative="none")),
    ("the batch is averaged twice: the 1/n is already in dL/dz2, so the weight and bias gradients are plain "
     "sums over the batch (a1.T @ dL_dz2, ...), not divided by n again.", _regression_backward_variant(
        extra_n=True)),
]


def _train_variant(record_after=False, write_back=True, ascent=False, new_W2_for_hidden=False, biases=True):
    def train(X, y, params, lr, steps):
        W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
        losses = []
        sign = -1.0 if ascent else 1.0
        for _ in range(steps):
            z1, a1, z2 = ref.regression_forward(X, W1, b1, W2, b2)
            if not record_after:
                losses.append(float(np.mean((z2 - y) ** 2)))
            n = X.shape[0]
            dz2 = 2.0 * (z2 - y) / n
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


MISTAKES[ref.train_result] = [
    ("each loss is recorded after its step's update: record the loss of the forward pass, before the update "
     "(the first loss is the untrained network's).", _train_variant(record_after=True)),
    ("the trained weights are not written back into params: update the arrays in the dict you were given "
     "(params['W1'] -= lr * dW1), or assign the new ones to params['W1'], ...", _train_variant(write_back=False)),
    ("the update climbs the gradient: theta <- theta - lr * grad, with a minus.", _train_variant(ascent=True)),
    ("W2 is updated before the hidden layer's gradient is computed, which then uses the new W2: compute every "
     "gradient first, then update.", _train_variant(new_W2_for_hidden=True)),
    ("the biases are never updated: b1 and b2 learn too.", _train_variant(biases=False)),
]
