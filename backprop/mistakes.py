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


def _grads_swapped(x, w, b, y):
    dw, db = ref.neuron_gradients(x, w, b, y)
    return db, dw


def _grads_sigmoid_as_its_own_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a
    return d * x, d


def _grads_w_for_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * w, d


def _grads_no_bias(x, w, b, y):
    a = sigmoid(w * x)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


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
    ("the sign is flipped: dL/da = 2(a - y), not 2(y - a); and da/dz = a(1 - a), not a(a - 1).", _grads_sign),
    ("the two gradients are in the wrong order: return dL_dw, dL_db.", _grads_swapped),
    ("the sigmoid itself was used as its derivative: da/dz = a(1 - a), not a.", _grads_sigmoid_as_its_own_derivative),
    ("w was used where x belongs: dz/dw = x, so dL/dw = dL/dz * x.", _grads_w_for_x),
    ("the bias b is left out of z = w*x + b in the gradients.", _grads_no_bias),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]
