"""Lesson 04, the layer pattern in matrix form: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    layers.Linear                     21 mistakes
    layers.Sigmoid                    4 mistakes
    reference.backward_pass           10 mistakes
    reference.sigmoid_layer           5 mistakes
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


class _PlainLinear:
    """A linear layer written plainly (no checks of its arguments), for the mistakes below to change."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}


class _LinearDXColumnForm(_PlainLinear):
    def backward(self, dout, cache):
        _, grads = super().backward(dout, cache)
        return self.params["W"].T @ dout, grads


class _LinearDXFromDW(_PlainLinear):
    def backward(self, dout, cache):
        _, grads = super().backward(dout, cache)
        return dout @ grads["W"].T, grads


class _LinearDBKeepdims(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout.sum(axis=0, keepdims=True)}


class _LinearDBFirstRow(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": grads["W"], "b": dout[0]}


class _LinearOuter(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"W": np.outer(cache, dout), "b": grads["b"]}


class _LinearCachesOutput(_PlainLinear):
    def forward(self, x):
        out, _ = super().forward(x)
        return out, out

    def backward(self, dout, cache):
        out = cache
        return dout @ self.params["W"].T, {"W": out.T @ dout, "b": dout.sum(axis=0)}


class _LinearGradKeysWithD(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        return dx, {"dW": grads["W"], "db": grads["b"]}


class _LinearNoCache(_PlainLinear):
    def forward(self, x):
        self.x = x
        return super().forward(x)[0]

    def backward(self, dout, cache=None):
        return super().backward(dout, self.x)


class _LinearUpdatesInBackward(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        self.params["W"] -= 0.1 * grads["W"]
        self.params["b"] -= 0.1 * grads["b"]
        return dx, grads


class _LinearUpdatesWInBackward(_PlainLinear):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        self.params["W"] -= 0.1 * grads["W"]
        return dx, grads


class _LinearBiasReshaped(_PlainLinear):
    def forward(self, x):
        self.params["b"].shape = (1, -1)
        return super().forward(x)


class _LinearParamsFloat32(_PlainLinear):
    def forward(self, x):
        self.params = {"W": self.params["W"].astype(np.float32), "b": self.params["b"].astype(np.float32)}
        return super().forward(x)


class _LinearDoutAveragedInPlace(_PlainLinear):
    def backward(self, dout, cache):
        dout /= cache.shape[0]
        return super().backward(dout, cache)


class _LinearCopiesParams(_PlainLinear):
    def __init__(self, W, b):
        super().__init__(W, b)
        self.W, self.b = W.copy(), b.copy()

    def forward(self, x):
        return x @ self.W + self.b, x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.W.T, {"W": x.T @ dout, "b": dout.sum(axis=0)}


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
    ("linear-dx-column-form", "dx = W.T @ dout is the column form's W^T delta: with examples as rows, "
     "dx = dout @ W.T, shape (m, n_in) like x.", _LinearDXColumnForm),
    ("linear-dx-from-dw", "dx was computed from the gradient dW: dx = dout @ W.T, with the weights W themselves.",
     _LinearDXFromDW),
    ("linear-db-keepdims", "db keeps the summed axis (keepdims=True): db must have b's shape (n_out,); sum "
     "without keepdims, dout.sum(axis=0).", _LinearDBKeepdims),
    ("linear-db-first-row", "db takes only the first row, dout[0]: with several examples it is the sum over all "
     "the rows, dout.sum(axis=0).", _LinearDBFirstRow),
    ("linear-dw-np-outer", "np.outer(x, dout) flattens its arguments: it is right for one example only. For a batch "
     "dW = x.T @ dout, which adds up the examples' outer products.", _LinearOuter),
    ("linear-caches-output", "the cache holds the layer's output: backward needs its input, dW = x.T @ dout, so "
     "forward returns (out, x).", _LinearCachesOutput),
    ("linear-grad-keys", "the gradients are keyed 'dW' and 'db': key them like self.params, grads['W'] and "
     "grads['b'] (the training loop matches them by name).", _LinearGradKeysWithD),
    ("linear-forward-no-cache", "forward returns out alone: it must return the pair (out, cache), the cache holding "
     "what backward needs (x); backward then takes it as its argument.", _LinearNoCache),
    ("linear-updates-in-backward", "backward also updates the parameters (W -= lr * dW): a layer only computes its "
     "gradients and returns them; the update comes afterwards, in the training loop (sgd_step).",
     [_LinearUpdatesInBackward, _LinearUpdatesWInBackward]),
    ("linear-reshapes-bias", "forward changes the shape of self.params['b'] in place (b.shape = (1, -1)): leave the "
     "parameters as they are; x @ W + b already adds the (n_out,) bias to every row (broadcasting).",
     _LinearBiasReshaped),
    ("linear-params-replaced", "forward replaces self.params by new arrays (float32 copies): the layer must keep "
     "computing with the very arrays in self.params, in float64, since the training loop updates those.",
     _LinearParamsFloat32),
    ("linear-copies-params", "__init__ keeps copies of the weights (self.W = W.copy()) and forward and backward use "
     "them: the training loop updates the arrays in self.params, so this layer would never learn. Read them from "
     "self.params each time, W = self.params['W'].", _LinearCopiesParams),
    ("linear-dout-averaged-in-place", "backward divides dout by m, in place: a layer sums over the examples, any "
     "1/m belongs to the loss (already inside dout); and dout is the caller's, not to be changed (no /=).",
     _LinearDoutAveragedInPlace),
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


def _backward_skips_the_first_layer_empty(layers, caches, dout):
    grads = [{} for _ in layers]
    for i in range(len(layers) - 1, 0, -1):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads


def _backward_skips_layers_without_params(layers, caches, dout):
    grads = []
    for layer, cache in zip(layers[::-1], caches[::-1]):
        if not layer.params:
            continue
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads[::-1]


def _backward_merged_dict(layers, caches, dout):
    grads = {}
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.update(g)
    return dout, grads


def _backward_one_dict_refilled(layers, caches, dout):
    grads, g = [], {}
    for layer, cache in zip(layers[::-1], caches[::-1]):
        dout, layer_grads = layer.backward(dout, cache)
        g.clear()
        g.update(layer_grads)
        grads.append(g)
    return dout, grads[::-1]


def _backward_returns_its_dout(layers, caches, dout):
    _, grads = ref.backward_pass(layers, caches, dout)
    return dout, grads


def _backward_with_sgd_inside(layers, caches, dout, lr=0.1):
    grads = [None] * len(layers)
    for i in reversed(range(len(layers))):
        dout, grads[i] = layers[i].backward(dout, caches[i])
        for name in grads[i]:
            layers[i].params[name] -= lr * grads[i][name]
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
     "reversed(range(len(layers))) does.", [_backward_skips_the_first_layer, _backward_skips_the_first_layer_empty]),
    ("backward-skips-activations", "the layers without parameters are skipped: the gradient must pass through every "
     "layer (a sigmoid multiplies it by its slope), and grads has one entry per layer, {} for those without "
     "parameters.", _backward_skips_layers_without_params),
    ("backward-merged-dict", "the gradients are merged into one dict (grads.update(g)): every linear layer's 'W' "
     "overwrites the one before. Return a list, grads[i] the dict of layers[i].", _backward_merged_dict),
    ("backward-one-dict-refilled", "every entry of grads is the same dict, emptied and filled again for each layer, "
     "so all hold the last layer's gradients: append the dict each layer's backward returns (a new one each "
     "time).", _backward_one_dict_refilled),
    ("backward-returns-its-dout", "backward_pass returns the dout it was given: return the gradient that comes out of "
     "the first layer, the last dx of the loop.", _backward_returns_its_dout),
    ("backward-updates-parameters", "backward_pass also updates the layers' parameters (params -= lr * grads): a "
     "backward pass only computes the gradients; the update (sgd_step) comes after it, outside backward_pass.",
     ref.leaving_the_network_unchanged(_backward_with_sgd_inside)),
    ("backward-grads-reversed", "the gradients are listed last layer first: grads[i] must belong to layers[i] "
     "(fill a list of len(layers) by index, or reverse it at the end).", _backward_grads_reversed),
    ("backward-dout-not-passed-on", "dout is not passed on: each layer's dx is the dout of the layer before it "
     "(dout, grads[i] = layers[i].backward(dout, caches[i])).", _backward_dout_not_passed_on),
])


class _SigmoidReturnsDxOnly(_layers.Sigmoid):
    def backward(self, dout, cache):
        return super().backward(dout, cache)[0]


class _SigmoidNoneGrads(_layers.Sigmoid):
    def backward(self, dout, cache):
        return super().backward(dout, cache)[0], None


class _SigmoidInputFloat32(_layers.Sigmoid):
    def function(self, x):
        return sigmoid(x.astype(np.float32))


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
    ("sigmoid-returns-dx-only", "backward returns dx alone: every layer returns the pair (dx, grads), and grads is "
     "{} for a layer without parameters: return dx, {}.", _SigmoidReturnsDxOnly),
    ("sigmoid-grads-none", "backward returns None for the gradients: a layer without parameters returns an empty "
     "dict, return dx, {} (the training loop goes through its keys).", _SigmoidNoneGrads),
    ("sigmoid-float32", "x is turned into float32 before the sigmoid: it keeps only about 7 digits, and dx loses "
     "them. Compute in float64, as x is given.", _SigmoidInputFloat32),
])
