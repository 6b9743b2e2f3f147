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

# --- lesson 09: training in practice ----------------------------------------------------
# The L2 penalty over a list of parameter dicts (as Sequential.params), and inverted dropout
# as a pair of functions. Only the weights "W" are penalised, never the biases.


def l2_penalty(params, lam):
    """(loss, grads) of the L2 penalty (lam / 2) * sum of W**2 over every dict's "W".

    params: a list of dicts of arrays, one per layer ({} for layers without parameters).
    grads has the same structure: lam * W for each "W", zeros for every other parameter.
    params is left unchanged.
    """
    _check_param_list(params)
    check_positive_or_zero("lam", lam)
    loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
    grads = [{key: lam * value if key == "W" else np.zeros_like(value) for key, value in layer.items()}
             for layer in params]
    return loss, grads


def l2_loss(params, lam):
    """The penalty alone, (lam / 2) * sum of W**2: the loss that l2_penalty's grads differentiate."""
    return l2_penalty(params, lam)[0]


def _check_param_list(params):
    if not isinstance(params, list) or not all(isinstance(layer, dict) for layer in params):
        raise TypeError(
            f"params must be a list of dicts of arrays, one dict per layer (as Sequential.params gives), "
            f"but got {describe(params)}."
        )
    for i, layer in enumerate(params):
        for key, value in layer.items():
            check_array(f"params[{i}][{key!r}]", value)


def check_positive_or_zero(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, but got {describe(value)}.")


def random_l2_case(rng):
    """The parameters of a small random network (Linear, activation, Linear[, ...]) and a lam."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    params = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            params.append({})
        params.append({"W": rng.standard_normal((n_in, n_out)), "b": rng.standard_normal(n_out)})
    return {"params": params, "lam": float(rng.uniform(0.01, 1.0))}


def dropout_forward(x, p_drop, rng):
    """Inverted dropout in training: (out, cache).

    keep = rng.random(x.shape) >= p_drop (each entry kept with probability 1 - p_drop);
    out = x * keep / (1 - p_drop); cache = (keep, p_drop). x is left unchanged.
    """
    check_array("x", x)
    _check_p_drop(p_drop)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), but got {describe(rng)}.")
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1.0 - p_drop), (keep, p_drop)


def dropout_backward(dout, cache):
    """(dx, {}): the gradient flows only through the kept entries, with the same scale 1 / (1 - p_drop)."""
    keep, p_drop = cache
    check_array("dout", dout)
    if dout.shape != keep.shape:
        raise ValueError(f"dout has shape {dout.shape} but the forward input had shape {keep.shape}; "
                         f"the gradient has the shape of what it is the gradient of.")
    return dout * keep / (1.0 - p_drop), {}


def _check_p_drop(p_drop):
    if isinstance(p_drop, bool) or not isinstance(p_drop, (int, float, np.floating)) or not 0.0 <= p_drop < 1.0:
        raise ValueError(f"p_drop must be a probability in [0, 1), the chance of dropping an entry, "
                         f"but got {describe(p_drop)}.")


class SeededLayer:
    """A layer made of forward(x, **settings, rng) and backward(dout, cache) with a fixed seed:
    every forward draws from a fresh np.random.default_rng(seed), so it is deterministic, as
    checking a backward against finite differences requires."""

    def __init__(self, forward, backward, seed, **settings):
        self._forward, self._backward = forward, backward
        self.seed, self.settings = seed, settings
        self.params = {}

    def forward(self, x):
        return self._forward(x, **self.settings, rng=np.random.default_rng(self.seed))

    def backward(self, dout, cache):
        return self._backward(dout, cache)


def dropout_layer(p_drop, seed):
    """The reference dropout as a layer with a fixed seed, for checks.check_layer."""
    return SeededLayer(dropout_forward, dropout_backward, seed, p_drop=p_drop)


def random_dropout_case(rng):
    """x and dout of a random shape, a p_drop between 0.1 and 0.7, and a seed for the mask."""
    m, n = int(rng.integers(1, 6)), int(rng.integers(2, 7))
    return {
        "x": rng.standard_normal((m, n)),
        "dout": rng.standard_normal((m, n)),
        "p_drop": float(rng.uniform(0.1, 0.7)),
        "seed": int(rng.integers(2**31)),
    }
