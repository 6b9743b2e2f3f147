"""Lesson 01, one neuron: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.neuron_forward          3 mistakes
    reference.neuron_gradients        14 mistakes
"""

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import register

__all__ = []

# Where the lesson teaches what these mistakes get wrong (the instructor's report links there)
CHAIN_RULE = "Adding a bias and an activation: the chain rule in full"


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


def _grads_through_forward_without_sigmoid(x, w, b, y):
    a = w * x + b  # what a neuron_forward without the sigmoid returns
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def _grads_through_sign_flipped_sigmoid(x, w, b, y):
    a = sigmoid(-(w * x + b))  # what a neuron_forward with exp(z) for exp(-z) returns
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def _grads_linear_neuron(x, w, b, y):
    z = w * x + b
    d = 2 * (z - y)
    return d * x, d


register(ref.neuron_forward, [
    ("forward-no-sigmoid",
     "the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid, CHAIN_RULE),
    ("forward-no-bias", "the bias b is left out of z = w*x + b.", _forward_no_bias, CHAIN_RULE),
    ("forward-sign-flipped-sigmoid",
     "the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid, CHAIN_RULE),
])

register(ref.neuron_gradients, [
    ("grads-no-two", "the factor 2 from differentiating (a - y)**2 is missing: dL/da = 2(a - y).",
     _grads_no_two, CHAIN_RULE),
    ("grads-sign",
     "the sign is flipped: dL/da = 2(a - y), not 2(y - a) (or da/dz = a(1 - a) was written a(a - 1)).",
     _grads_sign, CHAIN_RULE),
    ("grads-swapped", "the two gradients are in the wrong order: return dL_dw, dL_db.", _grads_swapped, CHAIN_RULE),
    ("grads-sigmoid-as-its-own-derivative",
     "the sigmoid itself was used as its derivative: da/dz = a(1 - a), not a.",
     _grads_sigmoid_as_its_own_derivative, CHAIN_RULE),
    ("grads-w-for-x", "w was used where x belongs: dz/dw = x, so dL/dw = dL/dz * x.", _grads_w_for_x, CHAIN_RULE),
    ("grads-no-bias", "the bias b is left out of z = w*x + b: in neuron_gradients, or in your neuron_forward if "
     "neuron_gradients calls it (then fix neuron_forward: its own test fails too).", _grads_no_bias, CHAIN_RULE),
    ("grads-through-forward-without-sigmoid",
     "a is computed without the sigmoid (a = w*x + b): in neuron_gradients, or in your neuron_forward if "
     "neuron_gradients calls it (then fix neuron_forward: its own test fails too).",
     _grads_through_forward_without_sigmoid, CHAIN_RULE),
    ("grads-through-sign-flipped-sigmoid",
     "a is computed with the wrong sign in the sigmoid, 1 / (1 + exp(z)): in neuron_gradients, or in your "
     "neuron_forward if neuron_gradients calls it (then fix neuron_forward: its own test fails too).",
     _grads_through_sign_flipped_sigmoid, CHAIN_RULE),
    ("grads-no-activation-derivative",
     "the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.",
     _grads_no_activation_derivative, CHAIN_RULE),
    ("grads-sigma-prime-of-a",
     "sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a, CHAIN_RULE),
    ("grads-z-for-a-in-derivative",
     "z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).",
     _grads_z_for_a_in_derivative, CHAIN_RULE),
    ("grads-db-times-x", "dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x, CHAIN_RULE),
    ("grads-dw-without-x", "dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.",
     _grads_dw_without_x, CHAIN_RULE),
    ("grads-linear-neuron", "the gradients are those of a neuron without the sigmoid (a = z).",
     _grads_linear_neuron, CHAIN_RULE),
])
