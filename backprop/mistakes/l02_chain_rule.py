"""Lesson 02, the chain rule and computational graphs: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    layers.Sigmoid                    10 mistakes
    layers.Tanh                       8 mistakes
    layers.ReLU                       13 mistakes
    reference.relu_forward_backward   2 mistakes
    reference.sigmoid_forward_backward4 mistakes
    reference.tanh_forward_backward   2 mistakes
    reference.graph_gradients         23 mistakes; it may call relu_backward (depends)
"""

import math

import numpy as np

from backprop import layers as _layers
from backprop import reference as ref
from backprop.mistakes.base import depends, register

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


def _sigmoid_plain(z):
    return 1.0 / (1.0 + np.exp(-z))


_sigmoid_ok = _keep_out(_sigmoid_plain)


def _sigmoid_slope(da, a):
    return da * a * (1 - a), {}


def _sigmoid_math_exp(z):
    return 1.0 / (1.0 + math.exp(-z))


def _sigmoid_clipped(bound):
    def clipped(z):
        return _sigmoid_plain(np.clip(z, -bound, bound))
    return clipped


def _slope_plus(eps):
    def slope(da, a):
        return da * (a * (1 - a) + eps), {}
    return slope


_EPSILONS = (1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-9)


def sigmoid_backward(da, cache):  # (named as the exercise names it: a pair that breaks the rules is told by name)
    return da * cache * (1 - cache)


def _sigmoid_float32(z):
    return _sigmoid_plain(z.astype(np.float32))


def tanh_forward(z):
    return np.tanh(z)


def _tanh_backward_from_forward(da, cache):
    return da * (1 - np.tanh(cache) ** 2), {}

# (the same mistakes as lesson 04's Sigmoid layer, sigma'(a) for sigma'(z), z for a and a missing
# incoming gradient, are named by its entries below; only the one a forward pass can make is added here)
register(_layers.Sigmoid, [
    ("sigmoid-wrong-sign-1", "the sigmoid has the wrong sign: it is 1 / (1 + exp(-z)), not 1 / (1 + exp(z)).",
     _pair(_keep_out(lambda z: 1.0 / (1.0 + np.exp(z))), lambda da, a: (da * a * (1 - a), {}))),
    # (in lesson 04's words, x and dout: a pair of functions' report speaks of z and da)
    ("sigmoid-math-exp", "math.exp takes one number, not an array: use np.exp, which works entry by entry.",
     _pair(_keep_out(_sigmoid_math_exp), _sigmoid_slope)),
    ("sigmoid-slope-matmul", "backward multiplies with @, a matrix product: through an activation the chain rule "
     "multiplies entry by entry, dx = dout * a * (1 - a), the shape of x.",
     [_pair(_sigmoid_ok, lambda da, a: (da @ (a * (1 - a)).T, {})),
      _pair(_sigmoid_ok, lambda da, a: (da @ (a * (1 - a)), {}))]),
    ("sigmoid-slope-summed", "backward sums over the examples, as a bias gradient does: an activation's dx has the "
     "shape of x, dx = dout * a * (1 - a), with no sum.",
     [_pair(_sigmoid_ok, lambda da, a: (np.sum(da * a * (1 - a), axis=0, keepdims=True), {})),
      _pair(_sigmoid_ok, lambda da, a: (np.sum(da * a * (1 - a), axis=0), {}))]),
    ("sigmoid-flattened", "forward flattens x (ravel, flatten or reshape(-1)): the output must have the shape of x.",
     [_pair(_keep_out(lambda z: _sigmoid_plain(z.ravel())), _sigmoid_slope),
      _pair(_keep_out(lambda z: _sigmoid_plain(z).ravel()), _sigmoid_slope)]),
    ("sigmoid-backward-returns-dx-only", "backward returns dx alone: it must return the pair (dx, {}), {} for the "
     "gradients of a layer without parameters.", _pair(_sigmoid_ok, sigmoid_backward)),
    ("sigmoid-forward-float32", "forward computes in float32 (astype(np.float32)): it keeps about 7 digits, and dx "
     "loses them too. Compute in float64, as x is given.", _pair(_keep_out(_sigmoid_float32), _sigmoid_slope)),
    ("sigmoid-tanh-slope", "that is tanh's derivative 1 - a**2; the sigmoid's is a * (1 - a).",
     _pair(_sigmoid_ok, lambda da, a: (da * (1 - a**2), {}))),
    ("sigmoid-slope-plus-eps", "something was added to the sigmoid's slope: sigma'(x) = a * (1 - a) exactly. A "
     "gradient that vanishes where the sigmoid saturates is the right answer.",
     [_pair(_sigmoid_ok, _slope_plus(eps)) for eps in _EPSILONS]),
    ("sigmoid-clips-input", "x is clipped before the sigmoid: for a large |x| the output and the slope are then wrong "
     "(sigmoid(30) is not sigmoid(10)). No clip is needed: np.exp(-x) may overflow to inf, and 1 / (1 + inf) = 0 "
     "is right.", [_pair(_keep_out(_sigmoid_clipped(bound)), _sigmoid_slope) for bound in (10, 15, 20)]),
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
    ("tanh-forward-no-cache", "forward returns a alone: it must return the pair (a, cache), the cache holding "
     "what backward needs (a, or z).", _pair(tanh_forward, _tanh_backward_from_forward)),
    ("tanh-slope-sign", "the sign is flipped: d tanh(z)/dz = 1 - a**2, not a**2 - 1.",
     _pair(_tanh_ok, lambda da, a: (da * (a**2 - 1), {}))),
    ("tanh-slope-square-outside", "the square is in the wrong place: d tanh(z)/dz = 1 - a**2 (square a, then "
     "subtract from 1), not (1 - a)**2.", _pair(_tanh_ok, lambda da, a: (da * (1 - a) ** 2, {}))),
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
    ("relu-builtin-max", "Python's max(0, z) compares whole arrays (and fails on one with several entries): ReLU "
     "works entry by entry, np.maximum(z, 0).", _pair(_keep_in(lambda z: max(0, z)), lambda da, z: (da * (z > 0), {}))),
    ("relu-leaky", "that is a leaky ReLU: ReLU gives 0 (and slope 0) where z < 0, not a small multiple of z.",
     [_pair(_keep_in(lambda z, k=k: np.where(z > 0, z, k * z)), lambda da, z, k=k: (da * np.where(z > 0, 1.0, k), {}))
      for k in (0.01, 0.1, 0.2, 0.05, 0.3)]),
    ("relu-of-incoming-gradient", "ReLU was applied to the incoming gradient: the gradient da may be negative and "
     "passes unchanged where z > 0, dz = da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (np.maximum(da, 0) * (z > 0), {}))),
    ("returns-its-input", "forward or backward returns its argument itself (z as a, or da as dz) where there is "
     "nothing to change: the caller then holds one array under two names, and changing one changes the other. "
     "Return a new array every time (np.maximum(z, 0), da * (z > 0)).", []),
    ("relu-slope-sign", "ReLU's slope is 1 where z > 0 and 0 where z < 0, not np.sign(z) (which is -1 there): "
     "dz = da * (z > 0).", _pair(_keep_in(_relu), lambda da, z: (da * np.sign(z), {}))),
    ("relu-sigmoid-slope", "that is the sigmoid's slope: ReLU's is 1 where z > 0 and 0 elsewhere, dz = da * (z > 0).",
     [_pair(_keep_in(_relu), lambda da, z: (da * _sigmoid_plain(z) * (1 - _sigmoid_plain(z)), {})),
      _pair(_keep_out(_relu), lambda da, a: (da * a * (1 - a), {}))]),
])


def _relu_at_zero_ge(z, da):
    return _relu(z), da * (z >= 0)


def _relu_at_zero_half(z, da):
    return _relu(z), da * np.heaviside(z, 0.5)


register(ref.relu_forward_backward, [
    ("relu-at-zero-ge",
     "at z = 0 exactly the gradient was passed through: the course takes ReLU's derivative at its kink to be 0, "
     "so the mask is z > 0, not z >= 0.", _relu_at_zero_ge),
    ("relu-at-zero-half",
     "at z = 0 exactly the slope was taken as 0.5: the course takes ReLU's derivative at its kink to be 0, "
     "so the mask is z > 0.", _relu_at_zero_half),
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
    ("sigmoid-clips-z", "z is clipped before the sigmoid: for a large |z| the output and the slope are then wrong "
     "(sigmoid(30) is not sigmoid(20)). No clip is needed: np.exp(-z) may overflow to inf, and 1 / (1 + inf) = 0 "
     "is right.", [_then(_keep_out(_sigmoid_clipped(bound)), _sigmoid_slope) for bound in (10, 15, 20)]),
    ("sigmoid-slope-plus-eps-z", "something was added to the sigmoid's slope: sigma'(z) = a * (1 - a) exactly, "
     "which is 0 where a is 0 or 1. A gradient that vanishes where the sigmoid saturates is the right answer.",
     [_then(_sigmoid_ok, _slope_plus(eps)) for eps in _EPSILONS]),
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


def _graph_with(dx_of=None, dv_of=None, order=(0, 1, 2, 3)):
    """The right sweep, with dL/dx or dL/dv written otherwise, or the four returned in another order."""
    def grads(x, w, b, v, y):
        z, t, q, p = _graph_parts(x, w, b, v, y)
        d = 2 * (p - y)
        dz, dq = d * (1 - t**2), d * (1.0 if q > 0 else 0.0)
        dx = dz * w + dq * v if dx_of is None else dx_of(dz, dq, w, v)
        dv = dq * x if dv_of is None else dv_of(dq, x, v)
        found = (dz * x, dz, dv, dx)
        return tuple(found[k] for k in order)
    return grads


def _graph_sigmoid_for_tanh(x, w, b, v, y):
    z, t, q, p = _graph_parts(x, w, b, v, y)
    t = 1.0 / (1.0 + np.exp(-z))
    p = t + max(q, 0.0)
    d = 2 * (p - y)
    dz, dq = d * t * (1 - t), d * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v


def _graph_as(kind):
    def returns(x, w, b, v, y):
        grads = ref.graph_gradients(x, w, b, v, y)
        if kind == "arrays":
            return tuple(np.array([g]) for g in grads)
        if kind == "five":
            z, t, q, p = _graph_parts(x, w, b, v, y)
            return (*grads, -2.0 * (p - y))
        return dict(zip(kind, grads))
    return returns


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
    ("graph-branches-multiplied", "the two branches' gradients are multiplied in dL/dx: where a value feeds two "
     "nodes, their gradients add, dL/dx = dL/dz * w + dL/dq * v.",
     _graph_with(dx_of=lambda dz, dq, w, v: (dz * w) * (dq * v))),
    ("graph-dx-missing-w", "dL/dx is missing the tanh branch's weight: z = w*x, so that branch gives dL/dz * w, "
     "and dL/dx = dL/dz * w + dL/dq * v.", _graph_with(dx_of=lambda dz, dq, w, v: dz + dq * v)),
    ("graph-dx-missing-v", "dL/dx is missing the ReLU branch's weight: q = v*x, so that branch gives dL/dq * v, "
     "and dL/dx = dL/dz * w + dL/dq * v.", _graph_with(dx_of=lambda dz, dq, w, v: dz * w + dq)),
    ("graph-dx-weights-crossed", "in dL/dx each branch has the other branch's weight: z = w*x and q = v*x, so "
     "dL/dx = dL/dz * w + dL/dq * v.", _graph_with(dx_of=lambda dz, dq, w, v: dz * v + dq * w)),
    ("graph-dv-times-v", "dL/dv was multiplied by v: the local derivative of v*x with respect to v is the other "
     "input, x, so dL/dv = dL/dq * x.", _graph_with(dv_of=lambda dq, x, v: dq * v)),
    ("graph-dv-dx-swapped", "dL/dv and dL/dx are swapped: return them in the order (dL/dw, dL/db, dL/dv, dL/dx).",
     _graph_with(order=(0, 1, 3, 2))),
    ("graph-relu-output-as-slope", "the ReLU's output r was used as its slope: the slope is 1 where q > 0 and 0 "
     "elsewhere, so dL/dq = dL/dr * (1 if q > 0 else 0), not dL/dr * r.",
     _graph_grads(_tanh_prime, lambda x, q: max(q, 0.0))),
    ("graph-relu-slope-sign", "ReLU's slope is 1 where q > 0 and 0 where q < 0, not np.sign(q) (which is -1 there).",
     _graph_grads(_tanh_prime, lambda x, q: float(np.sign(q)))),
    ("graph-tanh-square-outside", "the square is in the wrong place: dt/dz = 1 - t**2 (square t, then subtract from "
     "1), not (1 - t)**2.", _graph_grads(lambda z, t: (1 - t) ** 2, _relu_prime)),
    ("graph-returns-arrays", "graph_gradients returns arrays of one entry: return four numbers, float(...) of each "
     "(the inputs are numbers, and so are the gradients).", _graph_as("arrays")),
    ("graph-returns-dict", "graph_gradients returns a dict: return the four gradients as a tuple, "
     "return dL_dw, dL_db, dL_dv, dL_dx.",
     [_graph_as(keys) for keys in (("w", "b", "v", "x"), ("dw", "db", "dv", "dx"), ("dL_dw", "dL_db", "dL_dv", "dL_dx"),
                                   ("dL/dw", "dL/db", "dL/dv", "dL/dx"))]),
    ("graph-returns-dy", "graph_gradients also returns dL/dy: return the four gradients asked for, "
     "(dL/dw, dL/db, dL/dv, dL/dx).", _graph_as("five")),
    ("graph-sigmoid-for-tanh", "the sigmoid was used where the graph has a tanh: t = tanh(z), with slope 1 - t**2.",
     _graph_sigmoid_for_tanh),
])


def _relu_backward(da, cache):
    """The reference's relu_backward, for whatever cache the student's relu_forward keeps: z, a = relu(z), the
    mask z > 0, or a pair of them (the first taken)."""
    first = cache[0] if isinstance(cache, (tuple, list)) else cache
    return da * (np.asarray(first) > 0), {}


# graph_gradients may call the student's relu_forward and relu_backward (Exercise 1): a relu_backward that is
# wrong (one that zeroes da in place, say) is named by its own test
depends([ref.graph_gradients, ref.graph_loss], "relu_backward", _relu_backward, "relu_layer",
        "Exercise 1's relu_backward")
