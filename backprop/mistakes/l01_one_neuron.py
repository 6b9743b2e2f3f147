"""Lesson 01, one neuron: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.neuron_forward          14 mistakes
    reference.neuron_gradients        24 mistakes; it may call neuron_forward (depends)
"""

import math

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import depends, register

__all__ = []

# Where the lesson teaches what these mistakes get wrong (the instructor's report links there)
CHAIN_RULE = "Adding a bias and an activation: the chain rule in full"


def _forward_no_sigmoid(x, w, b):
    return w * x + b


def _forward_no_bias(x, w, b):
    return sigmoid(w * x)


def _forward_sign_flipped_sigmoid(x, w, b):
    return sigmoid(-(w * x + b))


def _forward_tanh(x, w, b):
    return float(np.tanh(w * x + b))


def _forward_bias_inside(x, w, b):
    return sigmoid(w * (x + b))


def _forward_bias_after_sigmoid(x, w, b):
    return sigmoid(w * x) + b


def _forward_bias_in_denominator(x, w, b):
    return 1 / (1 + np.exp(-w * x) + b)


def _forward_bias_sign_in_exponent(x, w, b):
    return sigmoid(w * x - b)  # 1 / (1 + exp(-w*x + b))


def _forward_one_over_one(x, w, b):
    return 1 / 1 + np.exp(-(w * x + b))


def _forward_one_plus_exp(x, w, b):
    return 1 + np.exp(-(w * x + b))


def _forward_derivative(x, w, b):
    a = sigmoid(w * x + b)
    return a * (1 - a)


def _forward_clipped(bound):
    def clipped(x, w, b):
        return sigmoid(float(np.clip(w * x + b, -bound, bound)))
    return clipped


def _forward_math_exp(x, w, b):
    return 1 / (1 + math.exp(-(w * x + b)))


def _forward_python_power(x, w, b):
    return 1 / (1 + math.e ** -(w * x + b))


def _forward_exp_ratio(x, w, b):
    with np.errstate(all="ignore"):
        e = np.exp(np.float64(w * x + b))
        return float(e / (1 + e))


def _forward_pair(x, w, b):
    z = w * x + b
    return z, sigmoid(z)


def _forward_pair_a_first(x, w, b):
    z = w * x + b
    return sigmoid(z), z


def _forward_in_array(x, w, b):
    return np.array([sigmoid(w * x + b)])


def _renamed(first):
    """neuron_forward with its parameters renamed, `first` the first of x, w, b it no longer has: called with
    x=, w=, b= (as the tests call it) it raises the TypeError Python raises then."""
    def renamed(x=None, w=None, b=None):
        raise TypeError(f"neuron_forward() got an unexpected keyword argument {first!r}")
    return renamed


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


def _grads_as_dict(keys):
    def as_dict(x, w, b, y):
        return dict(zip(keys, ref.neuron_gradients(x, w, b, y)))
    return as_dict


def _grads_only_dw(x, w, b, y):
    return ref.neuron_gradients(x, w, b, y)[0]


def _grads_db_no_slope(x, w, b, y):
    z, a = _parts(x, w, b, y)
    return 2 * (a - y) * a * (1 - a) * x, 2 * (a - y)


def _grads_step(lr):
    def step(x, w, b, y):
        dw, db = ref.neuron_gradients(x, w, b, y)
        return w - lr * dw, b - lr * db
    return step


def _grads_target_one(x, w, b, y):
    return ref.neuron_gradients(x, w, b, 1.0)


def _grads_loss_for_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = (a - y) ** 2 * a * (1 - a)
    return d * x, d


def _grads_eps_in_slope(eps):
    def eps_in_slope(x, w, b, y):
        z, a = _parts(x, w, b, y)
        d = 2 * (a - y) * (a * (1 - a) + eps)
        return d * x, d
    return eps_in_slope


def _grads_clipped(bound):
    def clipped(x, w, b, y):
        dw, db = ref.neuron_gradients(x, w, b, y)
        return float(np.clip(dw, -bound, bound)), float(np.clip(db, -bound, bound))
    return clipped


def _grads_a_clipped(eps):
    def a_clipped(x, w, b, y):
        z, a = _parts(x, w, b, y)
        a = float(np.clip(a, eps, 1 - eps))
        d = 2 * (a - y) * a * (1 - a)
        return d * x, d
    return a_clipped


def _grads_slope_precedence(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * 1 - a  # 2(a - y) a - a, not 2(a - y) a (1 - a)
    return d * x, d


register(ref.neuron_forward, [
    ("forward-no-sigmoid",
     "the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid, CHAIN_RULE),
    ("forward-no-bias", "the bias b is left out of z = w*x + b.", _forward_no_bias, CHAIN_RULE),
    ("forward-sign-flipped-sigmoid",
     "the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid, CHAIN_RULE),
    ("forward-tanh", "tanh was used as the activation: this neuron's is the sigmoid, 1 / (1 + exp(-z)) (its outputs "
     "lie between 0 and 1; tanh's between -1 and 1).", _forward_tanh, CHAIN_RULE),
    ("forward-bias-misplaced", "the bias b is not added to w*x before the sigmoid: z = w*x + b, then a = sigmoid(z) "
     "(not sigmoid(w*(x + b)), sigmoid(w*x) + b, or b in the denominator).",
     [_forward_bias_inside, _forward_bias_after_sigmoid, _forward_bias_in_denominator], CHAIN_RULE),
    ("forward-bias-sign-in-exponent", "the bias has the wrong sign in the exponent: exp(-w*x + b) is exp(-(w*x - b)); "
     "put brackets around z, exp(-(w*x + b)).", _forward_bias_sign_in_exponent, CHAIN_RULE),
    ("forward-precedence", "a precedence slip: 1 / 1 + exp(-z) is 1 + exp(-z), since / is done before +. "
     "Write 1 / (1 + np.exp(-z)).", [_forward_one_over_one, _forward_one_plus_exp], CHAIN_RULE),
    ("forward-returns-slope", "the neuron returns the sigmoid's slope a(1 - a), not its output a = sigmoid(z).",
     _forward_derivative, CHAIN_RULE),
    ("forward-clips-z", "z is clipped before the sigmoid: for a large |z| the output is then wrong (sigmoid(30) is "
     "not sigmoid(10)). No clip is needed: np.exp(-z) may overflow to inf, and 1 / (1 + inf) = 0 is right; "
     "or use the sigmoid imported at the top.", [_forward_clipped(bound) for bound in (10, 15, 20)], CHAIN_RULE),
    ("forward-math-exp-overflow", "math.exp (or a Python number's **) raises OverflowError for a large negative z "
     "(exp(-z) > 1e308): use np.exp, which gives inf, and 1 / (1 + inf) = 0 is right; or the sigmoid imported at "
     "the top.", [_forward_math_exp, _forward_python_power], CHAIN_RULE),
    ("forward-returns-pair", "neuron_forward returns two values: return the neuron's output a alone, "
     "return sigmoid(z) (z is only a step on the way).", [_forward_pair, _forward_pair_a_first], CHAIN_RULE),
    ("forward-returns-array", "neuron_forward returns an array of one entry: return the number itself, "
     "sigmoid(z), not np.array([a]).", _forward_in_array, CHAIN_RULE),
    ("forward-renamed-parameters", "the parameters were renamed: the tests call neuron_forward(x=..., w=..., b=...), "
     "so keep the names of the def line you were given, def neuron_forward(x, w, b).",
     [_renamed(first) for first in ("x", "w", "b")], CHAIN_RULE),
    ("forward-exp-ratio-overflow", "exp(z) / (1 + exp(z)) is inf / inf = NaN for a large z (z > 709): write "
     "1 / (1 + np.exp(-z)), or use the sigmoid imported at the top.", _forward_exp_ratio, CHAIN_RULE),
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
    ("grads-returns-dict", "neuron_gradients returns a dict: return the pair itself, return dL_dw, dL_db.",
     [_grads_as_dict(keys) for keys in (("dw", "db"), ("dL_dw", "dL_db"), ("w", "b"), ("dL/dw", "dL/db"),
                                        ("dW", "dB"), ("grad_w", "grad_b"))], CHAIN_RULE),
    ("grads-returns-one", "neuron_gradients returns one value: return both gradients, return dL_dw, dL_db.",
     _grads_only_dw, CHAIN_RULE),
    ("grads-db-no-slope", "dL/db is missing the sigmoid's slope: dL/db = dL/dz = 2(a - y) * a(1 - a), the same "
     "factors as dL/dw without the x.", _grads_db_no_slope, CHAIN_RULE),
    ("grads-returns-step", "neuron_gradients returns the parameters after a step (w - lr * dL/dw), not the "
     "gradients: return dL/dw and dL/db themselves; the step is taken by whoever calls it.",
     [_grads_step(lr) for lr in (0.1, 0.01, 0.05, 0.5, 1.0, 0.001)], CHAIN_RULE),
    ("grads-target-fixed", "the target is fixed at y = 1 (the worked example's): use the argument y, "
     "dL/da = 2(a - y).", _grads_target_one, CHAIN_RULE),
    ("grads-loss-for-derivative", "the loss (a - y)**2 was used where its derivative dL/da = 2(a - y) belongs.",
     _grads_loss_for_derivative, CHAIN_RULE),
    ("grads-eps-in-slope", "something was added to the sigmoid's slope: da/dz = a(1 - a) exactly. A gradient that "
     "vanishes on a saturated neuron is the right answer.",
     [_grads_eps_in_slope(eps) for eps in (1e-8, 1e-7, 1e-6, 1e-9, 1e-10, 1e-12, 1e-5)], CHAIN_RULE),
    ("grads-clipped", "the gradients are clipped: return them as they are (however large).",
     [_grads_clipped(bound) for bound in (0.5, 1.0, 0.1, 0.25, 2.0)], CHAIN_RULE),
    ("grads-a-clipped", "a is clipped away from 0 and 1 (a habit from log losses): on a saturated neuron "
     "a(1 - a) is then too large. Use a as it is: the loss here, (a - y)**2, takes no log.",
     [_grads_a_clipped(eps) for eps in (1e-7, 1e-6, 1e-5)], CHAIN_RULE),
    ("grads-slope-precedence", "a precedence slip in the slope: a * 1 - a is a - a, not a(1 - a). "
     "Write a * (1 - a), with the brackets.", _grads_slope_precedence, CHAIN_RULE),
])


# neuron_gradients may call the student's neuron_forward: a wrong forward is named by its own test
depends([ref.neuron_gradients, ref.neuron_loss], "neuron_forward", ref.neuron_forward, "neuron_forward",
        "Your neuron_forward")
