"""Lesson 08, deep networks: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.clip_by_global_norm     11 mistakes
    reference.xavier_init             9 mistakes
    reference.he_init                 9 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


def _sum_of_squares(grads, keys=None):
    return float(sum(np.sum(g**2) for layer in grads for k, g in layer.items() if keys is None or k in keys))


def _scaled(grads, scale):
    return [{k: g * scale for k, g in layer.items()} for layer in grads]


def _clip_per_array(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        out.append({})
        for k, g in layer.items():
            n = np.sqrt(np.sum(g**2))
            out[-1][k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out, float(norm)


def _clip_per_layer(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        n = np.sqrt(_sum_of_squares([layer]))
        out.append({k: g * (max_norm / n) if n > max_norm else g.copy() for k, g in layer.items()})
    return out, float(norm)


def _clip_always(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm), float(norm)


def _clip_no_sqrt(grads, max_norm):
    norm = _sum_of_squares(grads)
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_inverted(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, norm / max_norm if norm > max_norm else 1.0), float(norm)


def _clip_entries(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return [{k: np.clip(g, -max_norm, max_norm) for k, g in layer.items()} for layer in grads], float(norm)


def _clip_norm_after(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(min(norm, max_norm))


def _clip_weights_only_norm(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads, keys=("W",)))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_plus_eps(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / (norm + 1e-6) if norm > max_norm else 1.0), float(norm)


def _clip_in_place(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    if norm > max_norm:
        for layer in grads:
            for k in layer:
                layer[k] *= max_norm / norm
    return grads, float(norm)


def _clip_divides_first(grads, max_norm):
    norm = float(np.sqrt(_sum_of_squares(grads)))
    return _scaled(grads, min(1.0, max_norm / norm)), norm


register(ref.clip_by_global_norm, [
    ("clip-per-array", "each gradient array was clipped by its own norm; the global norm is one number over all the "
     "arrays together, and every array is scaled by the same factor.", _clip_per_array),
    ("clip-per-layer", "each layer was clipped by its own norm; the global norm is one number over all the layers "
     "together, and every gradient is scaled by the same factor.", _clip_per_layer),
    ("clip-always", "the gradients were rescaled even though their norm was already below max_norm: scale only "
     "if norm > max_norm, otherwise leave them as they are.", _clip_always),
    ("clip-no-sqrt",
     "the norm is missing its square root: it is sqrt(sum of squares), not the sum of squares.", _clip_no_sqrt),
    ("clip-inverted",
     "the scale is upside down: multiply by max_norm / norm (less than 1), not norm / max_norm.", _clip_inverted),
    ("clip-entries", "each entry was clipped to [-max_norm, max_norm] (np.clip), which changes the direction of the "
     "gradient; scale every gradient by max_norm / norm instead.", _clip_entries),
    ("clip-norm-after", "the norm returned is the one after clipping; return the global norm before clipping, to "
     "monitor how large the gradients really were.", _clip_norm_after),
    ("clip-weights-only-norm", "only the weights W were counted in the norm; the biases' gradients belong to it too.",
     _clip_weights_only_norm),
    ("clip-plus-eps", "the scale is max_norm / (norm + 1e-6), as PyTorch writes it to avoid dividing by 0; here it is "
     "exactly max_norm / norm (norm > max_norm > 0, so it cannot be 0), and the 1e-6 makes the clipped "
     "gradients slightly too small.", _clip_plus_eps),
    ("clip-in-place",
     "the gradients were scaled inside the caller's dicts (g *= scale, or layer[k] = layer[k] * scale), "
     "which changes grads for the caller; build new dicts in a new list: "
     "[{k: g * scale for k, g in layer.items()} for layer in grads].", _clip_in_place),
    ("clip-divides-first", "max_norm / norm is computed before the norm is compared with max_norm (for example "
     "min(1.0, max_norm / norm)); when every gradient is 0 (a network whose units are all dead) the norm "
     "is 0 and the division raises ZeroDivisionError. Compare first: "
     "scale = max_norm / norm if norm > max_norm else 1.0.", _clip_divides_first),
])


def _init(std, transpose=False, draw="standard_normal"):
    def init(n_in, n_out, rng):
        shape = (n_out, n_in) if transpose else (n_in, n_out)
        if draw == "random":
            return rng.random(shape) * std(n_in, n_out)
        if draw == "transposed":  # the right shape, other numbers
            return rng.standard_normal((n_out, n_in)).T * std(n_in, n_out)
        if draw == "twice":
            rng.standard_normal((n_in, n_out))
        return rng.standard_normal(shape) * std(n_in, n_out)
    return init


_DRAWN_TRANSPOSED = ("the numbers were drawn with shape (n_out, n_in) and transposed: the shape is right, but "
                     "the numbers are not the ones rng.standard_normal((n_in, n_out)) gives. Draw that shape "
                     "directly, once.")
_DRAWN_TWICE = ("the weights come from a second draw from rng (something drew from it first): every draw moves "
                "the generator on. Draw exactly once, rng.standard_normal((n_in, n_out)).")


register(ref.xavier_init, [
    ("standard-deviation-sqrt-1",
     "the standard deviation is sqrt(1 / n_in), the other common form of Xavier; this course uses "
     "sqrt(2 / (n_in + n_out)).", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("square-root-missing-2", "the square root is missing: 2 / (n_in + n_out) is the variance; the standard deviation, "
     "which multiplies the draws, is its square root.", _init(lambda n_in, n_out: 2.0 / (n_in + n_out))),
    ("factor-2-missing-standard", "the factor 2 is missing: the standard deviation is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(1.0 / (n_in + n_out)))),
    ("he-s-scale-sqrt", "that is He's scale sqrt(2 / n_in); Xavier's is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in))),
    ("shape-n-out-n", "the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), transpose=True)),
    ("rng-random-draws-uniformly",
     "rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="random")),
    ("2-n-n-out", "2 // (n_in + n_out) is integer division, 0 for every layer with more than 2 units; use /.",
     _init(lambda n_in, n_out: np.sqrt(2 // (n_in + n_out)))),
    ("drawn-transposed",
     _DRAWN_TRANSPOSED, _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="transposed")),
    ("drawn-twice", _DRAWN_TWICE, _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="twice")),
])

register(ref.he_init, [
    ("factor-2-missing-he",
     "the factor 2 is missing: He's standard deviation is sqrt(2 / n_in), because ReLU zeroes about "
     "half of its inputs.", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("n-out-used-where", "n_out was used where n_in belongs: the scale depends on how many inputs each unit sums, "
     "sqrt(2 / n_in).", _init(lambda n_in, n_out: np.sqrt(2.0 / n_out))),
    ("square-root-missing-2-2", "the square root is missing: 2 / n_in is the variance; the standard deviation, which "
     "multiplies the draws, is sqrt(2 / n_in).", _init(lambda n_in, n_out: 2.0 / n_in)),
    ("xavier-s-scale-sqrt", "that is Xavier's scale sqrt(2 / (n_in + n_out)); He's is sqrt(2 / n_in).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)))),
    ("shape-n-out-n-2", "the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), transpose=True)),
    ("rng-random-draws-uniformly-2",
     "rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="random")),
    ("2-n-integer-division", "2 // n_in is integer division, 0 for every layer with more than 2 inputs; use /.",
     _init(lambda n_in, n_out: np.sqrt(2 // n_in))),
    ("drawn-transposed-2", _DRAWN_TRANSPOSED, _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="transposed")),
    ("drawn-twice-2", _DRAWN_TWICE, _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="twice")),
])
