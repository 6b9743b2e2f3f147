"""Lesson 02, the chain rule and computational graphs: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    layers.Sigmoid                    1 mistake
    layers.Tanh                       5 mistakes
    layers.ReLU                       7 mistakes
    reference.relu_forward_backward   1 mistake
    reference.sigmoid_forward_backward2 mistakes
    reference.tanh_forward_backward   2 mistakes
    reference.graph_gradients         10 mistakes
"""

import numpy as np

from backprop import layers as _layers
from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


class _PairLayer:
    def __init__(self, forward, backward):
        self.forward, self.backward, self.params = forward, backward, {}


def _pair(forward, backward):
    """A buggy pair of functions as a layer maker, as checks.layer_from makes the student's."""
    return lambda: _PairLayer(forward, backward)


def _keep_out(function):
    """forward(z) -> (out, out): the output kept as the cache."""
    def forward(z):
        a = function(z)
        return a, a
    return forward


def _keep_in(function):
    """forward(z) -> (out, z): the input kept as the cache."""
    def forward(z):
        return function(z), z
    return forward


def _relu(z):
    return np.maximum(z, 0.0)


_tanh_ok = _keep_out(np.tanh)

# (the same mistakes as lesson 04's Sigmoid layer, sigma'(a) for sigma'(z), z for a and a missing
# incoming gradient, are named by its entries below; only the one a forward pass can make is added here)
register(_layers.Sigmoid, [
    ("sigmoid-wrong-sign-1", "the sigmoid has the wrong sign: it is 1 / (1 + exp(-z)), not 1 / (1 + exp(z)).",
     _pair(_keep_out(lambda z: 1.0 / (1.0 + np.exp(z))), lambda da, a: (da * a * (1 - a), {}))),
])

register(_layers.Tanh, [
    ("z-used-place-derivative",
     "z was used in place of a in the derivative: d tanh(z)/dz = 1 - tanh(z)**2 = 1 - a**2, not 1 - z**2.",
     _pair(_keep_in(np.tanh), lambda da, z: (da * (1 - z**2), {}))),
    ("tanh-used-where-tanh",
     "tanh'(a) was used where tanh'(z) is meant: with a = tanh(z) kept in the cache, the derivative is 1 - a**2; "
     "applying tanh to a again gives 1 - tanh(a)**2.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - np.tanh(a) ** 2), {}))),
    ("square-missing-d-tanh", "the square is missing: d tanh(z)/dz = 1 - a**2, not 1 - a.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - a), {}))),
    ("sigmoid-s-derivative-1", "that is the sigmoid's derivative a * (1 - a); tanh's is 1 - a**2.",
     _pair(_tanh_ok, lambda da, a: (da * a * (1 - a), {}))),
    ("incoming-gradient-da-missing",
     "the incoming gradient da is missing: backward returns the local derivative 1 - a**2 alone; "
     "the chain rule multiplies it by da.",
     _pair(_tanh_ok, lambda da, a: (1 - a**2, {}))),
])

register(_layers.ReLU, [
    ("np-max-z-0", "np.max(z, 0) is the largest entry along axis 0, one number per column; ReLU is the elementwise "
     "np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.max(z, 0)), lambda da, z: (da * (z > 0), {}))),
    ("np-minimum-used-relu", "np.minimum was used: ReLU keeps the positive part, np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.minimum(z, 0.0)), lambda da, z: (da * (z < 0), {}))),
    ("mask-taken-incoming-gradient",
     "the mask is taken from the incoming gradient (da > 0); ReLU passes the gradient where its input was "
     "positive: da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * (da > 0), {}))),
    ("gradient-passed-back-unchanged",
     "the gradient is passed back unchanged: ReLU's derivative is 0 where z < 0, so dz = da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * 1.0, {}))),
    ("incoming-gradient-da-missing-2",
     "the incoming gradient da is missing: backward returns the mask (z > 0) alone; multiply it by da.",
     _pair(_keep_in(_relu), lambda da, z: ((z > 0).astype(np.float64), {}))),
    ("output-used-derivative-relu",
     "the output a was used as the derivative: ReLU's derivative is 1 where z > 0 and 0 elsewhere, "
     "so dz = da * (z > 0), not da * a.",
     _pair(_keep_in(_relu), lambda da, z: (da * _relu(z), {}))),
    ("mask-reversed-gradient-flows", "the mask is reversed: the gradient flows where z > 0, not where z < 0.",
     _pair(_keep_in(_relu), lambda da, z: (da * (z < 0), {}))),
])


def _relu_at_zero_ge(z, da):
    return _relu(z), da * (z >= 0)


register(ref.relu_forward_backward, [
    ("relu-at-zero-ge",
     "at z = 0 exactly the gradient was passed through: the course takes ReLU's derivative at its kink to be 0, "
     "so the mask is z > 0, not z >= 0.", _relu_at_zero_ge),
])


def _then(forward, backward):
    """A pair of functions run one after the other, as the lesson's test cells do: (z, da) -> (a, dz)."""
    def run(z, da):
        with np.errstate(all="ignore"):
            a, cache = forward(z)
            return a, backward(da, cache)[0]
    return run


def _sigmoid_exp_over(z):
    return np.exp(z) / (1.0 + np.exp(z))


def _sigmoid_prime_from_z(da, z):
    return da * np.exp(-z) / (1.0 + np.exp(-z)) ** 2


register(ref.sigmoid_forward_backward, [
    ("sigmoid-written-exp-z",
     "the sigmoid was written as exp(z) / (1 + exp(z)): for z above about 710, np.exp(z) overflows to inf and "
     "inf / inf is NaN. Write it as 1 / (1 + np.exp(-z)), which only meets exp(+large) when the answer is 0.",
     _then(_keep_out(_sigmoid_exp_over), lambda da, a: (da * a * (1 - a), {}))),
    ("sigma-z-computed-z",
     "sigma'(z) was computed from z as exp(-z) / (1 + exp(-z))**2: for z below about -710 that is inf / inf, NaN. "
     "Use the output kept in the cache: sigma'(z) = a * (1 - a).",
     _then(_keep_in(lambda z: 1.0 / (1.0 + np.exp(-z))), lambda da, z: (_sigmoid_prime_from_z(da, z), {}))),
])


def _tanh_formula(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def _tanh_from_exp_minus_2z(z):
    return (1.0 - np.exp(-2.0 * z)) / (1.0 + np.exp(-2.0 * z))


register(ref.tanh_forward_backward, [
    ("tanh-written-formula-e",
     "tanh was written from its formula (e^z - e^-z) / (e^z + e^-z): for |z| above about 710 one of the "
     "exponentials overflows to inf and inf / inf is NaN. Use np.tanh, which is exact for any z.",
     _then(_keep_out(_tanh_formula), lambda da, a: (da * (1 - a**2), {}))),
    ("tanh-written-1-e",
     "tanh was written as (1 - e^-2z) / (1 + e^-2z): for z below about -355, e^-2z overflows to inf and "
     "inf / inf is NaN. Use np.tanh, which is exact for any z.",
     _then(_keep_out(_tanh_from_exp_minus_2z), lambda da, a: (da * (1 - a**2), {}))),
])


def _graph_parts(x, w, b, v, y):
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    p = t + max(q, 0.0)
    return z, t, q, p


def _graph_only_tanh_branch(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz * x, dz, dq * x, dz * w


def _graph_only_relu_branch(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz * x, dz, dq * x, dq * v


def _graph_grads(dz_of, dq_of, d_of=lambda p, y: 2 * (p - y)):
    def grads(x, w, b, v, y):
        z, t, q, p = _graph_parts(x, w, b, v, y)
        d = d_of(p, y)
        dz, dq = d * dz_of(z, t), d * dq_of(x, q)
        return dz * x, dz, dq * x, dz * w + dq * v
    return grads


def _tanh_prime(z, t):
    return 1 - t**2


def _relu_prime(x, q):
    return float(q > 0)


def _graph_dw_dv_without_x(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - t**2), d * (q > 0)
    return dz, dz, dq, dz * w + dq * v


register(ref.graph_gradients, [
    ("graph-only-tanh-branch",
     "dL/dx has only the tanh branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/dq * v.", _graph_only_tanh_branch),
    ("graph-only-relu-branch",
     "dL/dx has only the ReLU branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/dq * v.", _graph_only_relu_branch),
    ("z-used-place-t",
     "z was used in place of t in tanh's derivative: dt/dz = 1 - t**2 with t = tanh(z), not 1 - z**2.",
     _graph_grads(lambda z, t: 1 - z**2, _relu_prime)),
    ("tanh-s-derivative-taken",
     "tanh's derivative was taken at t instead of z: dt/dz = 1 - tanh(z)**2 = 1 - t**2, not 1 - tanh(t)**2.",
     _graph_grads(lambda z, t: 1 - np.tanh(t) ** 2, _relu_prime)),
    ("factor-2-differentiating-square", "the factor 2 from differentiating the square is missing: dL/dp = 2(p - y).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: p - y)),
    ("sign-error-dl-dp", "a sign error: dL/dp = 2(p - y), not 2(y - p).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: 2 * (y - p))),
    ("relu-s-derivative-missing",
     "ReLU's derivative is missing: it is 1 where q = v*x > 0 and 0 where q < 0, so that branch passes no "
     "gradient when v*x is negative.", _graph_grads(_tanh_prime, lambda x, q: 1.0)),
    ("relu-s-mask-taken", "ReLU's mask was taken from x; it depends on ReLU's own input: 1 where q = v*x > 0.",
     _graph_grads(_tanh_prime, lambda x, q: float(x > 0))),
    ("relu-s-kink-q",
     "at ReLU's kink, q = v*x = 0 exactly (v = 0 or x = 0), the gradient was passed through: the course takes "
     "ReLU's derivative there to be 0, so the test is q > 0, not q >= 0.",
     _graph_grads(_tanh_prime, lambda x, q: float(q >= 0))),
    ("graph-dw-dv-without-x",
     "dL/dw and dL/dv are missing the factor x: the local derivative of w*x with respect to w is x.",
     _graph_dw_dv_without_x),
])
