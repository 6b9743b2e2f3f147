"""Lesson 09's checks: functions that return (loss, grads), and layers that draw random numbers.

    gradients_of(function)               (loss, grads) -> grads, for check_numerical_gradient
    layer_from_seeded(forward, backward) forward(x, ..., rng) and backward(dout, cache) as a layer with a seed
    DRAWS_ELSEWHERE                      the cause named when a forward does not draw from the rng it is given
"""

import copy
import warnings

import numpy as np

from backprop.checks.layer import layer_probe
from backprop.mistakes import general
from backprop.validation import describe

__all__ = ["gradients_of", "layer_from_seeded", "DRAWS_ELSEWHERE"]

DRAWS_ELSEWHERE = general(
    "draws-elsewhere",
    "two generators in the same state gave different outputs: draw the random numbers from the rng argument, not "
    "from np.random or a generator of your own.")


def gradients_of(function):
    """For check_numerical_gradient: a function that returns only the gradients (the second
    output) of `function`, which returns (loss, grads). It keeps the function's name."""
    def gradients(**case):
        result = function(**case)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(f"{getattr(function, '__name__', 'the function')} should return the pair (loss, grads), "
                            f"but returned {describe(result)}.")
        return result[1]

    gradients.__name__ = getattr(function, "__name__", "your function")
    gradients.__wrapped__ = function
    return gradients


def layer_from_seeded(forward, backward):
    """Turn forward(x, ..., rng) and backward(dout, cache) into a layer for check_layer.

    The cases hold "seed" and the forward's other settings (e.g. "p_drop"). The layer's first
    forward draws from np.random.default_rng(seed), the same random numbers as the reference's;
    check_layer's second forward (before the backward of the first) draws from seed + 1, other
    numbers, as a real layer would: a backward that does not take its mask from the cache fails.
    """
    from backprop.reference import ReseededLayer

    def make(seed, **settings):
        return ReseededLayer(forward, backward, seed, **settings)

    make.__name__ = f"{forward.__name__}/{backward.__name__}"
    make.__wrapped__ = forward
    make.more_causes = lambda reference, name, cases: _seeded_causes(make, reference, name, cases)
    return make


def _seeded_causes(make, reference, name, cases):
    """For a layer from layer_from_seeded whose outputs are wrong: does its forward draw its
    random numbers from the rng it is given (two generators in the same state must give the same
    output)? And, if the reference says how it draws (reference.draws), the same numbers?"""
    outs, again = [], []
    more = [[], []]  # (two more runs: two masks drawn elsewhere may agree by chance on a small case)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for case in cases:  # each case four times, from generators in the same state
                for runs in (outs, again, *more):
                    case_copy = copy.deepcopy(case)
                    x, _ = case_copy.pop("x"), case_copy.pop("dout")
                    result = make(**case_copy).forward(x)
                    runs.append(result[0] if isinstance(result, (tuple, list)) and len(result) == 2 else result)
    except Exception:  # noqa: BLE001  (an error is reported as such elsewhere)
        return []
    if not all(isinstance(o, np.ndarray) and o.shape == c["x"].shape for o, c in zip(outs + again, cases + cases)):
        return []
    # (every case, not one: on one small case two independent masks may agree by chance)
    if not all(np.array_equal(a, b, equal_nan=True) for runs in (again, *more) for a, b in zip(outs, runs)):
        return [DRAWS_ELSEWHERE]
    draws = getattr(reference, "draws", None)
    if draws is None:
        return []
    for case, out in zip(cases, outs):
        expected = layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))[0]
        nonzero = case["x"] != 0
        if not np.array_equal((out == 0) & nonzero, (expected == 0) & nonzero):
            return [general("draws-otherwise", f"with a generator in the same state, your forward keeps other entries "
                            f"than the reference: draw exactly as {draws}, in one call, with nothing drawn from rng "
                            f"before it.")]
    return []
