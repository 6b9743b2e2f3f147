"""Lesson 01, one neuron: reference answers and random cases.

z = w x + b, a = sigmoid(z), L = (a - y)**2

    neuron_forward(x, w, b)       The neuron's output a = sigmoid(w x + b)
    neuron_loss(x, w, b, y)       The squared error L = (a - y)**2 of one neuron on one example
    neuron_gradients(x, w, b, y)  (dL/dw, dL/db) for one neuron, by the chain rule dL/dw = dL/da * da/dz * dz/dw
    random_neuron(rng)            A random neuron and example
    random_neuron_input(rng)      The inputs of neuron_forward only
    SATURATED_NEURONS
    random_saturated_neuron(rng)  A random saturated neuron
"""

from backprop.layers import sigmoid

__all__ = ["neuron_forward", "neuron_loss", "neuron_gradients", "random_neuron", "random_neuron_input",
           "SATURATED_NEURONS", "random_saturated_neuron"]


def neuron_forward(x, w, b):
    """The neuron's output a = sigmoid(w x + b)."""
    return sigmoid(w * x + b)


def neuron_loss(x, w, b, y):
    """The squared error L = (a - y)**2 of one neuron on one example."""
    return (neuron_forward(x, w, b) - y) ** 2


def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for one neuron, by the chain rule dL/dw = dL/da * da/dz * dz/dw."""
    a = neuron_forward(x, w, b)
    dL_da = 2.0 * (a - y)
    da_dz = a * (1.0 - a)
    dL_dz = dL_da * da_dz
    return dL_dz * x, dL_dz


def random_neuron(rng):
    """A random neuron and example: x, w, b of either sign (x sometimes exactly 0), and a
    target y that may lie outside the sigmoid's range (0, 1), like the lesson's y = 4."""
    return {
        "x": 0.0 if rng.random() < 0.15 else float(rng.normal(0.0, 1.5)),
        "w": float(rng.normal(0.0, 1.0)),
        "b": float(rng.normal(0.0, 1.0)),
        "y": float(rng.uniform(-1.0, 4.0)),
    }


def random_neuron_input(rng):
    """The inputs of neuron_forward only; one case in four has a large |z| (up to about 40),
    where the sigmoid saturates."""
    case = random_neuron(rng)
    del case["y"]
    if rng.random() < 0.25:
        case["w"] *= 12.0
    return case


# Saturated neurons (|z| of 16 to 17.5) with targets far from a: there a nudge of w or b changes
# the loss by less than its rounding error allows to measure, and the best centred difference
# (any h) is off by over 1e-6 of the gradient, while every exact formula agrees to about 3e-9.
# Checked with atol=0: these gradients are small (about 1e-7), below the checks' usual floor.
SATURATED_NEURONS = [{"x": 2.0, "w": 8.5, "b": 0.0, "y": 3.0}, {"x": -1.5, "w": 10.0, "b": -1.0, "y": -1.0}]


def random_saturated_neuron(rng):
    """A random saturated neuron: z = w x + b with |z| between 16 and 17.5, and a target y 1 to 3
    away from the output a (which is almost exactly 0 or 1)."""
    z = float(rng.choice([-1.0, 1.0]) * rng.uniform(16.0, 17.5))
    x = float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0))
    b = float(rng.normal(0.0, 1.0))
    y = float(z > 0) + float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0))
    return {"x": x, "w": (z - b) / x, "b": b, "y": y}
