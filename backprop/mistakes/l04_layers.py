"""Lesson 04, the layer pattern in matrix form: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    layers.Linear                     8 mistakes
    layers.Sigmoid                    4 mistakes
    reference.backward_pass           5 mistakes
    reference.sigmoid_layer           2 mistakes
"""

import numpy as np

from backprop import layers as _layers
from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import register

__all__ = []


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


class _LinearDWAveraged(_layers.Linear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"] / dout.shape[0], "b": grads["b"]}


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


register(_layers.Linear, [
    ("linear-no-bias", "the bias is missing from the forward pass: out = x @ W + b.", _LinearNoBias),
    ("linear-dw-transposed", "dW is transposed: with examples as rows dL/dW = x.T @ dout, shape (n_in, n_out) like W "
     "(the column form delta x^T, transposed).", _LinearDWTransposed),
    ("linear-dx-no-transpose",
     "a missing transpose in dx: with examples as rows dL/dx = dout @ W.T (the column form W^T delta, "
     "transposed).", _LinearDXNoTranspose),
    ("linear-db-not-summed",
     "the bias gradient is not summed over the batch: b is added to every row, so dL/db = dout.sum(axis=0), "
     "shape (n_out,) like b.", _LinearDBNotSummed),
    ("linear-db-wrong-axis", "the bias gradient is summed over the wrong axis: axis 0 runs over the examples, so "
     "dL/db = dout.sum(axis=0).", _LinearDBWrongAxis),
    ("linear-db-mean",
     "the bias gradient is averaged over the batch: the layer sums, dL/db = dout.sum(axis=0); any 1/m "
     "belongs to the loss, which is already inside dout.", _LinearDBMean),
    ("linear-dw-averaged",
     "dW is divided by the batch size: x.T @ dout already adds up the examples' contributions, and any 1/m "
     "belongs to the loss, which is already inside dout.", _LinearDWAveraged),
    ("linear-averaged", "the gradients are divided by the batch size: a layer sums over the examples (x.T @ dout, "
     "dout.sum(axis=0)); any 1/m belongs to the loss, which is already inside dout.", _LinearAveraged),
])

register(_layers.Sigmoid, [
    ("sigmoid-of-a", "sigma'(a) was used where sigma'(z) is meant: with a = sigmoid(z) saved in the cache, "
     "sigma'(z) = a * (1 - a), not sigmoid(a) * (1 - sigmoid(a)).", _SigmoidOfA),
    ("sigmoid-z-for-a",
     "the input z was used in place of the output a: sigma'(z) = a * (1 - a), not z * (1 - z).", _SigmoidZForA),
    ("sigmoid-no-dout", "dout is missing: the layer must pass on dL/dz = dout * sigma'(z), the incoming gradient times "
     "the local derivative.", _SigmoidNoDout),
    ("sigmoid-dout-times-a", "the factor (1 - a) is missing: sigma'(z) = a * (1 - a).", _SigmoidDoutTimesA),
])


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


def _backward_caches_in_forward_order(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), caches):
        dout, g = layer.backward(dout, cache)
        grads.insert(0, g)
    return dout, grads


def _backward_skips_the_first_layer(layers, caches, dout):
    grads = [None] * len(layers)
    for i in range(len(layers) - 1, 0, -1):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads


register(ref.backward_pass, [
    ("backward-in-forward-order", "the layers are visited first to last: the backward pass starts at the output, "
     "for i in reversed(range(len(layers))).", _backward_in_forward_order),
    ("backward-caches-in-forward-order",
     "the layers are taken last to first but their caches first to last: layers[i] needs caches[i], "
     "so reverse both, zip(reversed(layers), reversed(caches)), or loop over the index i.",
     _backward_caches_in_forward_order),
    ("backward-skips-the-first-layer",
     "the loop stops before the first layer: range(len(layers) - 1, 0, -1) never reaches i = 0; "
     "reversed(range(len(layers))) does.", _backward_skips_the_first_layer),
    ("backward-grads-reversed", "the gradients are listed last layer first: grads[i] must belong to layers[i] "
     "(fill a list of len(layers) by index, or reverse it at the end).", _backward_grads_reversed),
    ("backward-dout-not-passed-on", "dout is not passed on: each layer's dx is the dout of the layer before it "
     "(dout, grads[i] = layers[i].backward(dout, caches[i])).", _backward_dout_not_passed_on),
])


class _SigmoidExpOverExp(_layers.Sigmoid):
    def function(self, x):
        return np.exp(x) / (1.0 + np.exp(x))


class _SigmoidSlopeFromX(_layers.Sigmoid):
    def derivative(self, x, out):
        return np.exp(-x) / (1.0 + np.exp(-x)) ** 2


# Lesson 04's Sigmoid exercise is checked against reference.sigmoid_layer: the Sigmoid layer's mistakes
# (lesson 02's and the ones above), and those that only inputs far from 0 reveal, where exp overflows.
register(ref.sigmoid_layer, includes=[_layers.Sigmoid], mistakes=[
    ("sigmoid-exp-over-exp",
     "the sigmoid was computed as exp(x) / (1 + exp(x)): for x above about 710 np.exp(x) overflows to inf, "
     "and inf / inf is NaN. Compute 1 / (1 + np.exp(-x)), or use the lesson's sigmoid().", _SigmoidExpOverExp),
    ("sigmoid-slope-from-x",
     "sigma'(x) was computed from x as exp(-x) / (1 + exp(-x))**2: for x below about -710 that is inf / inf, "
     "NaN. Use the output kept in the cache: sigma'(x) = out * (1 - out).", _SigmoidSlopeFromX),
])
