"""Lesson 08, deep networks: reference answers and random cases.

Clipping by global norm over a list of gradient dicts (as Sequential.backward returns),
and the Xavier (Glorot, normal form) and He initialisations, drawn with the given rng.

    clip_by_global_norm(grads, max_norm)  (clipped_grads, norm)
    xavier_std(n_in, n_out)               sqrt(2 / (n_in + n_out))
    he_std(n_in, n_out)                   sqrt(2 / n_in)
    xavier_init(n_in, n_out, rng)         Xavier (Glorot) weights for a layer n_in -> n_out, normal form
    he_init(n_in, n_out, rng)             He weights for a layer n_in -> n_out followed by ReLU
    random_init_case(rng)                 A layer size (n_in, n_out), different from each other ...
    random_gradients(rng)                 Gradients of a small random network (Linear, [BatchNorm,] activation ...
"""

import numpy as np

from backprop.validation import describe, require_array, require_positive

__all__ = ["clip_by_global_norm", "xavier_std", "he_std", "xavier_init", "he_init", "random_init_case",
           "random_gradients"]


def clip_by_global_norm(grads, max_norm):
    """(clipped_grads, norm): if the global norm of every entry of every gradient exceeds
    max_norm, every gradient is scaled by max_norm / norm; otherwise they are unchanged.

    grads is a list of dicts of arrays; it is never changed: the result is new arrays in new
    dicts, in a new list. norm is the global norm before clipping, a float.
    """
    _check_gradient_list(grads)
    require_positive("max_norm", max_norm)
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
            require_array(f"grads[{i}][{key!r}]", g)


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
    """Gradients of a small random network (Linear, [BatchNorm,] activation, Linear, ...) as a list
    of dicts, and a max_norm that is below their global norm half of the time. Half of the hidden
    layers have a BatchNorm, whose gradients are keyed "gamma" and "beta", not "W" and "b"."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    grads = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            if rng.random() < 0.5:
                scale = float(rng.uniform(0.1, 2.0))
                grads.append({"gamma": rng.standard_normal(n_in) * scale, "beta": rng.standard_normal(n_in) * scale})
            grads.append({})
        scale = float(rng.uniform(0.1, 2.0))
        grads.append({"W": rng.standard_normal((n_in, n_out)) * scale, "b": rng.standard_normal(n_out) * scale})
    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
    ratio = rng.uniform(0.2, 0.8) if rng.random() < 0.5 else rng.uniform(1.25, 3.0)
    return {"grads": grads, "max_norm": float(norm * ratio)}
