"""Lesson 08, deep networks: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.clip_by_global_norm     17 mistakes
    reference.xavier_init             16 mistakes
    reference.he_init                 18 mistakes; he_init may call xavier_init (depends)
"""

import numpy as np

from backprop import reference as ref
from backprop.mistakes.base import depends, register

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


def _clip_plus_eps(epsilon, clamp=False):
    def buggy(grads, max_norm):
        norm = np.sqrt(_sum_of_squares(grads))
        if clamp:  # PyTorch's form, min(max_norm / (norm + eps), 1)
            return _scaled(grads, min(max_norm / (norm + epsilon), 1.0)), float(norm)
        return _scaled(grads, max_norm / (norm + epsilon) if norm > max_norm else 1.0), float(norm)

    return buggy


def _clip_returns_own(how):
    def buggy(grads, max_norm):
        norm = float(np.sqrt(_sum_of_squares(grads)))
        if norm > max_norm:
            return _scaled(grads, max_norm / norm), norm
        return {"list": grads, "list of the same dicts": list(grads)}[how], norm

    return buggy


def _clip_norm_array(grads, max_norm):
    clipped, norm = ref.clip_by_global_norm(grads, max_norm)
    return clipped, np.array([norm])


def _clip_condition_reversed(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm if norm < max_norm else 1.0), float(norm)


def _clip_w_and_b_only(grads, max_norm):
    norm = float(np.sqrt(_sum_of_squares(grads)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{"W": layer["W"] * scale, "b": layer["b"] * scale} if layer else {} for layer in grads], norm


def _clip_drops_empty(grads, max_norm):
    clipped, norm = ref.clip_by_global_norm(grads, max_norm)
    return [layer for layer in clipped if layer], norm


def _clip_sum_of_norms(grads, max_norm):
    norm = float(sum(np.sqrt(np.sum(g**2)) for layer in grads for g in layer.values()))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), norm


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


def _clip_divides_first_in_numpy(grads, max_norm):  # NumPy's norm: inf and NaN instead of ZeroDivisionError
    norm = np.sqrt(_sum_of_squares(grads))
    scale = np.float64(max_norm) / norm
    return _scaled(grads, scale if norm > max_norm or norm == 0 else 1.0), float(norm)


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
    ("clip-plus-eps", "the scale is max_norm / (norm + eps) with an eps of 1e-4 or more, which makes the clipped "
     "gradients visibly too small (PyTorch's 1e-6 is within the tests' tolerance). Scale by max_norm / norm: it "
     "cannot divide by 0, since norm > max_norm > 0 wherever you scale.",
     [_clip_plus_eps(eps, clamp) for clamp in (False, True) for eps in (1e-4, 1e-3, 1e-2, 1e-1)]),
    ("clip-in-place",
     "the gradients were scaled inside the caller's dicts (g *= scale, or layer[k] = layer[k] * scale), "
     "which changes grads for the caller; build new dicts in a new list: "
     "[{k: g * scale for k, g in layer.items()} for layer in grads].", _clip_in_place),
    ("clip-divides-first", "max_norm / norm is computed before the norm is compared with max_norm (for example "
     "min(1.0, max_norm / norm)); when every gradient is 0 (a network whose units are all dead) the norm "
     "is 0 and the division raises ZeroDivisionError (or, with NumPy numbers, gives inf and NaN). Compare first: "
     "scale = max_norm / norm if norm > max_norm else 1.0.", [_clip_divides_first, _clip_divides_first_in_numpy]),
    ("clip-returns-its-argument", "below the cap the caller's own list (or a list of the caller's own dicts) is "
     "handed back: whatever the caller then does to the result changes its grads too. Return a new list of new "
     "dicts even when nothing is scaled, e.g. [dict(layer) for layer in grads].",
     [_clip_returns_own("list"), _clip_returns_own("list of the same dicts")]),
    ("clip-norm-array", "the norm is an array of shape (1,) (a sum started from np.zeros(1)?): return a plain "
     "number, float(np.sqrt(total)), with total started from 0.0.", _clip_norm_array),
    ("clip-condition-reversed", "the test is the wrong way round: scale when norm > max_norm (the gradients are "
     "too long), and leave them as they are otherwise.", _clip_condition_reversed),
    ("clip-keys-w-and-b", "the new dicts are built with the keys 'W' and 'b' only, but a batch normalisation "
     "layer's dict has 'gamma' and 'beta' (hence KeyError: 'W'): clip whatever keys each dict has, "
     "{k: g * scale for k, g in layer.items()}.", _clip_w_and_b_only),
    ("clip-drops-empty-dicts", "the empty dicts of the layers without parameters were dropped: keep one dict per "
     "layer, {} included, so that clipped_grads lines up with the layers.", _clip_drops_empty),
    ("clip-sum-of-norms", "the global norm is not the sum of the arrays' norms: it is the square root of the sum of "
     "every squared entry of every array, np.sqrt(sum of np.sum(g**2)).", _clip_sum_of_norms),
])


def _init(std, transpose=False, draw="standard_normal", shape=None):
    def init(n_in, n_out, rng):
        size = shape(n_in, n_out) if shape else (n_out, n_in) if transpose else (n_in, n_out)
        if draw == "random":
            return rng.random(size) * std(n_in, n_out)
        if draw == "transposed":  # the right shape, other numbers
            return rng.standard_normal((n_out, n_in)).T * std(n_in, n_out)
        if draw == "twice":
            rng.standard_normal((n_in, n_out))
        if draw == "uniform":  # the uniform form: the same spread, other numbers
            limit = np.sqrt(3.0) * std(n_in, n_out)
            return rng.uniform(-limit, limit, size)
        if draw in ("np.random", "fresh", "own"):
            other = {"np.random": np.random, "fresh": np.random.default_rng(), "own": np.random.default_rng(0)}[draw]
            return other.standard_normal(size) * std(n_in, n_out)
        if draw == "float32":
            return (rng.standard_normal(size) * std(n_in, n_out)).astype(np.float32)
        if draw == "float32 draw":
            return rng.standard_normal(size, dtype=np.float32) * np.float32(std(n_in, n_out))
        if draw == "standardised":
            d = rng.standard_normal(size)
            return (d - d.mean()) / d.std() * std(n_in, n_out)
        return rng.standard_normal(size) * std(n_in, n_out)
    return init


def _xavier(n_in, n_out):
    return np.sqrt(2.0 / (n_in + n_out))


def _he(n_in, n_out):
    return np.sqrt(2.0 / n_in)


_UNIFORM = ("rng.uniform(-limit, limit) is the uniform form of this initialisation: the right spread, but another "
            "distribution and other numbers. This course uses the normal form, rng.standard_normal((n_in, n_out)) "
            "times the standard deviation.")
_NOT_FROM_RNG = ("the numbers come from np.random (or from a new np.random.default_rng()), not from the rng "
                 "argument: draw with rng.standard_normal((n_in, n_out)), so that the same generator state gives "
                 "the same weights.")
_OWN_GENERATOR = ("np.random.default_rng(0) is a generator of your own, always in the same state: draw from the rng "
                  "argument you are given.")
_FLOAT32 = ("the weights are float32: this course computes in float64 (rng.standard_normal gives float64; leave out "
            "astype and dtype=np.float32).")
_STANDARDISED = ("the draw was rescaled to mean 0 and standard deviation 1 exactly, which changes every number: "
                 "multiply the draw as it comes, rng.standard_normal((n_in, n_out)) times the standard deviation "
                 "(its statistics are close enough).")


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
    ("xavier-precedence", "np.sqrt(2 / n_in + n_out) divides 2 by n_in alone and then adds n_out (Python reads / "
     "before +): put the sum in parentheses, np.sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in + n_out))),
    ("xavier-root-of-denominator", "the square root was taken of the denominator only, 2 / np.sqrt(n_in + n_out) "
     "(or 2 / (n_in + n_out) ** 0.5, where ** comes first): the root belongs to the whole fraction, "
     "np.sqrt(2 / (n_in + n_out)).", _init(lambda n_in, n_out: 2.0 / np.sqrt(n_in + n_out))),
    ("xavier-uniform", _UNIFORM, _init(_xavier, draw="uniform")),
    ("xavier-not-from-rng", _NOT_FROM_RNG, [_init(_xavier, draw="np.random"), _init(_xavier, draw="fresh")]),
    ("xavier-own-generator", _OWN_GENERATOR, _init(_xavier, draw="own")),
    ("xavier-float32", _FLOAT32, [_init(_xavier, draw="float32"), _init(_xavier, draw="float32 draw")]),
    ("xavier-standardised", _STANDARDISED, _init(_xavier, draw="standardised")),
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
    ("he-precedence", "2 / n_in ** 0.5 takes the root of n_in alone (** comes before /), which is 2 / sqrt(n_in): "
     "the root belongs to the whole fraction, np.sqrt(2 / n_in) or (2 / n_in) ** 0.5.",
     [_init(lambda n_in, n_out: 2.0 / np.sqrt(n_in))]),
    ("he-xavier-times-root-2", "He is not Xavier times sqrt(2): sqrt(4 / (n_in + n_out)) depends on n_out too. He's "
     "standard deviation is sqrt(2 / n_in): only the inputs count.",
     _init(lambda n_in, n_out: np.sqrt(4.0 / (n_in + n_out)))),
    ("he-through-square-xavier", "xavier_init(n_in, n_in) draws a square (n_in, n_in) matrix: n_out sets the shape, "
     "and sqrt(2 / (2 n_in)) = sqrt(1 / n_in) is not He's scale either. Draw rng.standard_normal((n_in, n_out)) "
     "* np.sqrt(2 / n_in).", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in), shape=lambda n_in, n_out: (n_in, n_in))),
    ("he-through-xavier-n-out-0", "xavier_init(n_in, 0, rng) draws n_out = 0 columns: the shape is (n_in, 0). "
     "n_out sets the shape, and He's scale is sqrt(2 / n_in): rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), shape=lambda n_in, n_out: (n_in, 0))),
    ("he-uniform", _UNIFORM, _init(_he, draw="uniform")),
    ("he-not-from-rng", _NOT_FROM_RNG, [_init(_he, draw="np.random"), _init(_he, draw="fresh")]),
    ("he-own-generator", _OWN_GENERATOR, _init(_he, draw="own")),
    ("he-float32", _FLOAT32, [_init(_he, draw="float32"), _init(_he, draw="float32 draw")]),
    ("he-standardised", _STANDARDISED, _init(_he, draw="standardised")),
])


# he_init may be written through the student's xavier_init: a wrong xavier_init is named by its own test
depends(ref.he_init, "xavier_init", ref.xavier_init, "xavier_init", "Your xavier_init")
