"""Reference answers to the graded exercises, one function per exercise.

The tests in the lessons run your function and the one here on the same fresh random
inputs and compare. Each exercise also has a `random_...` function that draws such inputs.
Reading these before you have tried is allowed, but you will learn less.
"""

import numpy as np

from backprop.layers import sigmoid
from backprop.validation import check_array, describe

# --- lesson 01: one neuron ------------------------------------------------------------
# z = w x + b, a = sigmoid(z), L = (a - y)**2


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
    """A random neuron and example: x, w, b of either sign, y a target in (0, 1)."""
    return {
        "x": float(rng.normal(0.0, 1.5)),
        "w": float(rng.normal(0.0, 1.0)),
        "b": float(rng.normal(0.0, 1.0)),
        "y": float(rng.uniform(0.05, 0.95)),
    }


def random_neuron_input(rng):
    """The inputs of neuron_forward only."""
    case = random_neuron(rng)
    del case["y"]
    return case


# --- lesson 08: deep networks ---------------------------------------------------------
# Clipping by global norm over a list of gradient dicts (as Sequential.backward returns),
# and the Xavier (Glorot, normal form) and He initialisations, drawn with the given rng.


def clip_by_global_norm(grads, max_norm):
    """(clipped_grads, norm): if the global norm of every entry of every gradient exceeds
    max_norm, every gradient is scaled by max_norm / norm; otherwise they are unchanged.

    grads is a list of dicts of arrays; it is never changed: the result is new arrays in new
    dicts, in a new list. norm is the global norm before clipping, a float.
    """
    _check_gradient_list(grads)
    check_positive("max_norm", max_norm)
    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{key: g * scale for key, g in layer.items()} for layer in grads], norm


def _check_gradient_list(grads):
    if not isinstance(grads, list) or not all(isinstance(layer, dict) for layer in grads):
        raise TypeError(
            f"grads must be a list of dicts of arrays, one dict per layer (as Sequential.backward returns), "
            f"but got {describe(grads)}."
        )
    for i, layer in enumerate(grads):
        for key, g in layer.items():
            check_array(f"grads[{i}][{key!r}]", g)


def check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, but got {describe(value)}.")


def xavier_std(n_in, n_out):
    """sqrt(2 / (n_in + n_out))"""
    return float(np.sqrt(2.0 / (n_in + n_out)))


def he_std(n_in, n_out):
    """sqrt(2 / n_in)"""
    return float(np.sqrt(2.0 / n_in))


def xavier_init(n_in, n_out, rng):
    """Xavier (Glorot) weights for a layer n_in -> n_out, normal form:
    rng.standard_normal((n_in, n_out)) * sqrt(2 / (n_in + n_out))."""
    _check_init_args(n_in, n_out, rng)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))


def he_init(n_in, n_out, rng):
    """He weights for a layer n_in -> n_out followed by ReLU:
    rng.standard_normal((n_in, n_out)) * sqrt(2 / n_in)."""
    _check_init_args(n_in, n_out, rng)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


xavier_init.std = xavier_std
he_init.std = he_std


def _check_init_args(n_in, n_out, rng):
    for name, value in (("n_in", n_in), ("n_out", n_out)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number (a layer size), but got {describe(value)}.")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), but got {describe(rng)}.")


def random_init_case(rng):
    """A layer size (n_in, n_out), different from each other, and a fresh seeded generator."""
    n_in = int(rng.integers(1, 40))
    n_out = int(rng.integers(1, 40))
    while n_out == n_in:
        n_out = int(rng.integers(1, 40))
    return {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(int(rng.integers(2**32)))}


def random_gradients(rng):
    """Gradients of a small random network (Linear, activation, Linear[, activation, Linear]) as
    a list of dicts, and a max_norm that is below their global norm half of the time."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    grads = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            grads.append({})
        scale = float(rng.uniform(0.1, 2.0))
        grads.append({"W": rng.standard_normal((n_in, n_out)) * scale, "b": rng.standard_normal(n_out) * scale})
    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
    ratio = rng.uniform(0.2, 0.8) if rng.random() < 0.5 else rng.uniform(1.25, 3.0)
    return {"grads": grads, "max_norm": float(norm * ratio)}
