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

# --- lesson 02 ------------------------------------------------------------------------
# Activations, as forward/backward pairs checked against the reference layers, and the
# small graph L = (tanh(w x + b) + relu(v x) - y)**2.

import numpy as np  # noqa: E402

from backprop import layers as _layers  # noqa: E402


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


_sigmoid_ok = _keep_out(sigmoid)
_tanh_ok = _keep_out(np.tanh)

MISTAKES.setdefault(_layers.Sigmoid, []).extend([
    ("the sigmoid has the wrong sign: it is 1 / (1 + exp(-z)), not 1 / (1 + exp(z)).",
     _pair(_keep_out(lambda z: 1.0 / (1.0 + np.exp(z))), lambda da, a: (da * a * (1 - a), {}))),
    ("sigma'(a) was used where sigma'(z) is meant: with a = sigmoid(z) kept in the cache, the derivative is "
     "a * (1 - a); applying sigmoid to a again gives sigmoid(a) * (1 - sigmoid(a)).",
     _pair(_sigmoid_ok, lambda da, a: (da * sigmoid(a) * (1 - sigmoid(a)), {}))),
    ("z was used in place of a in the derivative: da/dz = a * (1 - a) with a = sigmoid(z), not z * (1 - z).",
     _pair(_keep_in(sigmoid), lambda da, z: (da * z * (1 - z), {}))),
    ("the incoming gradient da is missing: backward returns the local derivative a * (1 - a) alone; "
     "the chain rule multiplies it by da.",
     _pair(_sigmoid_ok, lambda da, a: (a * (1 - a), {}))),
])

MISTAKES.setdefault(_layers.Tanh, []).extend([
    ("z was used in place of a in the derivative: d tanh(z)/dz = 1 - tanh(z)**2 = 1 - a**2, not 1 - z**2.",
     _pair(_keep_in(np.tanh), lambda da, z: (da * (1 - z**2), {}))),
    ("tanh'(a) was used where tanh'(z) is meant: with a = tanh(z) kept in the cache, the derivative is 1 - a**2; "
     "applying tanh to a again gives 1 - tanh(a)**2.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - np.tanh(a) ** 2), {}))),
    ("the square is missing: d tanh(z)/dz = 1 - a**2, not 1 - a.",
     _pair(_tanh_ok, lambda da, a: (da * (1 - a), {}))),
    ("that is the sigmoid's derivative a * (1 - a); tanh's is 1 - a**2.",
     _pair(_tanh_ok, lambda da, a: (da * a * (1 - a), {}))),
    ("the incoming gradient da is missing: backward returns the local derivative 1 - a**2 alone; "
     "the chain rule multiplies it by da.",
     _pair(_tanh_ok, lambda da, a: (1 - a**2, {}))),
])

MISTAKES.setdefault(_layers.ReLU, []).extend([
    ("np.max(z, 0) is the largest entry along axis 0, one number per column; ReLU is the elementwise "
     "np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.max(z, 0)), lambda da, z: (da * (z > 0), {}))),
    ("np.minimum was used: ReLU keeps the positive part, np.maximum(z, 0).",
     _pair(_keep_in(lambda z: np.minimum(z, 0.0)), lambda da, z: (da * (z < 0), {}))),
    ("the mask is taken from the incoming gradient (da > 0); ReLU passes the gradient where its input was "
     "positive: da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * (da > 0), {}))),
    ("the gradient is passed back unchanged: ReLU's derivative is 0 where z < 0, so dz = da * (z > 0).",
     _pair(_keep_in(_relu), lambda da, z: (da * 1.0, {}))),
    ("the incoming gradient da is missing: backward returns the mask (z > 0) alone; multiply it by da.",
     _pair(_keep_in(_relu), lambda da, z: ((z > 0).astype(np.float64), {}))),
    ("the output a was used as the derivative: ReLU's derivative is 1 where z > 0 and 0 elsewhere, "
     "so dz = da * (z > 0), not da * a.",
     _pair(_keep_in(_relu), lambda da, z: (da * _relu(z), {}))),
    ("the mask is reversed: the gradient flows where z > 0, not where z < 0.",
     _pair(_keep_in(_relu), lambda da, z: (da * (z < 0), {}))),
])


def _relu_at_zero_ge(z, da):
    return _relu(z), da * (z >= 0)


MISTAKES[ref.relu_forward_backward] = [
    ("at z = 0 exactly the gradient was passed through: the course takes ReLU's derivative at its kink to be 0, "
     "so the mask is z > 0, not z >= 0.", _relu_at_zero_ge),
]


def _graph_parts(x, w, b, v, y):
    z = w * x + b
    h = np.tanh(z)
    q = v * x
    p = h + max(q, 0.0)
    return z, h, q, p


def _graph_only_tanh_branch(x, w, b, v, y):
    z, h, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - h**2), d * (q > 0)
    return dz * x, dz, dq * x, dz * w


def _graph_only_relu_branch(x, w, b, v, y):
    z, h, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - h**2), d * (q > 0)
    return dz * x, dz, dq * x, dq * v


def _graph_grads(dz_of, dq_of, d_of=lambda p, y: 2 * (p - y)):
    def grads(x, w, b, v, y):
        z, h, q, p = _graph_parts(x, w, b, v, y)
        d = d_of(p, y)
        dz, dq = d * dz_of(z, h), d * dq_of(x, q)
        return dz * x, dz, dq * x, dz * w + dq * v
    return grads


def _tanh_prime(z, h):
    return 1 - h**2


def _relu_prime(x, q):
    return float(q > 0)


def _graph_dw_dv_without_x(x, w, b, v, y):
    z, h, q, p = _graph_parts(x, w, b, v, y)
    d = 2 * (p - y)
    dz, dq = d * (1 - h**2), d * (q > 0)
    return dz, dz, dq, dz * w + dq * v


MISTAKES[ref.graph_gradients] = [
    ("dL/dx has only the tanh branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/d(vx) * v.", _graph_only_tanh_branch),
    ("dL/dx has only the ReLU branch: x feeds both w*x and v*x, and the gradients of the two paths add, "
     "dL/dx = dL/dz * w + dL/d(vx) * v.", _graph_only_relu_branch),
    ("z was used in place of h in tanh's derivative: dh/dz = 1 - h**2 with h = tanh(z), not 1 - z**2.",
     _graph_grads(lambda z, h: 1 - z**2, _relu_prime)),
    ("tanh's derivative was taken at h instead of z: dh/dz = 1 - tanh(z)**2 = 1 - h**2, not 1 - tanh(h)**2.",
     _graph_grads(lambda z, h: 1 - np.tanh(h) ** 2, _relu_prime)),
    ("the factor 2 from differentiating the square is missing: dL/dp = 2(p - y).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: p - y)),
    ("a sign error: dL/dp = 2(p - y), not 2(y - p).",
     _graph_grads(_tanh_prime, _relu_prime, lambda p, y: 2 * (y - p))),
    ("ReLU's derivative is missing: it is 1 where v*x > 0 and 0 where v*x < 0, so that branch passes no "
     "gradient when v*x is negative.", _graph_grads(_tanh_prime, lambda x, q: 1.0)),
    ("ReLU's mask was taken from x; it depends on ReLU's own input: 1 where v*x > 0.",
     _graph_grads(_tanh_prime, lambda x, q: float(x > 0))),
    ("dL/dw and dL/dv are missing the factor x: the local derivative of w*x with respect to w is x.",
     _graph_dw_dv_without_x),
]
