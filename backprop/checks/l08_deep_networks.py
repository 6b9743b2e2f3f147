"""Lesson 08's check: the statistics of an initialisation.

    INIT_SHAPES                                  the (n_in, n_out) of the large layers drawn
    check_init_scale(yours, reference, shapes, ...)   shape, dtype, mean 0, the expected std, normal draws, from rng
"""

import numpy as np

from backprop.checks.base import CheckFailed, current_grading, describe_error, forbidden_for, run_answer, unwritten
from backprop.checks.compare import fmt_number
from backprop.mistakes import known_for
from backprop.validation import describe

__all__ = ["INIT_SHAPES", "check_init_scale"]


INIT_SHAPES = ((400, 100), (100, 400), (250, 250))


def check_init_scale(yours, reference, shapes=INIT_SHAPES, seed=None, rel_tol=0.03, forbid=()):
    """Check the statistics of large layers drawn by an initialisation function.

    yours      a function (n_in, n_out, rng) -> W
    reference  the reference initialisation, with its standard deviation as reference.std(n_in, n_out)
    shapes     the (n_in, n_out) of the layers drawn
    forbid     course functions the answer must not call (besides the reference and
               backprop.reference), as for check_function

    For each shape: W has shape (n_in, n_out) and dtype float64, is finite, has mean about 0
    and standard deviation within rel_tol of reference.std(n_in, n_out), and looks normal
    (about 68% of the entries within one standard deviation of 0); the same generator state
    gives the same W, and another seed another W (the random numbers come from rng).
    """
    name = getattr(yours, "__name__", "your function")
    if seed is None:
        seed = current_grading().fresh_seed()
    seeds = np.random.default_rng(seed).integers(2**32, size=len(shapes))
    forbidden = forbidden_for(reference, yours, forbid)
    problems, stds, blank = [], [], []
    for (n_in, n_out), s in zip(shapes, seeds):
        formula = (reference.std.__doc__ or "").strip()
        expected = reference.std(n_in, n_out)
        result = run_answer(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)}, forbidden)
        if result["error"] is not None:
            problems.append(f"({n_in}, {n_out}): {describe_error(result['error'])}")
            blank = unwritten([result])
            break
        W = result["value"]
        if not isinstance(W, np.ndarray) or W.shape != (n_in, n_out):
            got = describe(W)
            hint = " (the transpose: W has one row per input)" if getattr(W, "shape", None) == (n_out, n_in) else ""
            problems.append(f"({n_in}, {n_out}): expected an array of shape ({n_in}, {n_out}), got {got}{hint}.")
            break
        if W.dtype != np.float64:
            problems.append(f"({n_in}, {n_out}): dtype {W.dtype}, expected float64.")
            break
        if not np.all(np.isfinite(W)):
            problems.append(f"({n_in}, {n_out}): {int(np.sum(~np.isfinite(W)))} entries are NaN or infinite.")
            break
        std, mean = float(W.std()), float(W.mean())
        stds.append(std)
        if std == 0:  # every weight the same (all 0, from 2 // n_in): no statistics to speak of
            problems.append(
                f"({n_in}, {n_out}): every weight is {fmt_number(W.flat[0])}, so the standard deviation is 0; "
                f"expected {formula} = {expected:.4g}."
            )
            break
        if abs(std / expected - 1) > rel_tol:
            problems.append(
                f"({n_in}, {n_out}): the weights have standard deviation {std:.4g}, expected "
                f"{formula} = {expected:.4g} (yours is {std / expected:.3g} times that)."
            )
        if abs(mean) > 5 * expected / np.sqrt(W.size):
            problems.append(f"({n_in}, {n_out}): the weights have mean {mean:.4g}; they should be centred on 0.")
        inside = float(np.mean(np.abs(W - mean) < std))
        if not 0.655 < inside < 0.71:
            problems.append(
                f"({n_in}, {n_out}): {100 * inside:.1f}% of the weights lie within one standard deviation "
                f"of the mean; for normal draws it is 68.3% (uniform draws give 57.7%): use rng.standard_normal."
            )
        again = run_answer(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)}, forbidden)["value"]
        other = run_answer(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s + 1)},
                           forbidden)["value"]
        if isinstance(again, np.ndarray) and again.shape == W.shape and not np.array_equal(again, W):
            problems.append(f"({n_in}, {n_out}): two generators in the same state gave different weights: draw "
                            f"the numbers from the rng argument (rng.standard_normal), not from np.random.")
        elif isinstance(other, np.ndarray) and other.shape == W.shape and np.array_equal(other, W):
            problems.append(f"({n_in}, {n_out}): two different generators gave the same weights: draw the "
                            f"numbers from the rng argument, not from a generator of your own.")
        if problems:
            break
    if problems:
        lines = [f"{name}: the weights it draws do not have the expected statistics.", ""]
        lines += [f"  - layer {p}" for p in problems]
        causes = _scale_causes(reference, shapes, seeds, stds, rel_tol)
        if causes:
            lines += ["", "Likely cause: " + " Or: ".join(c.says for c in causes)]
        lines += ["", f"(The layers were drawn with seed={seed}; pass seed={seed} to repeat them.)"]
        raise CheckFailed("\n".join(lines), check=name, causes=causes + blank, seed=seed)
    print(f"ok: {name} draws weights with mean 0 and standard deviation {formula} "
          f"on {len(shapes)} large layers.")


def _scale_causes(reference, shapes, seeds, stds, rel_tol):
    """The known mistakes whose standard deviation matches yours on every layer measured."""
    if not stds:
        return []

    def matches(buggy):
        n_in, n_out = shapes[0]
        if abs(float(buggy(n_in, n_out, np.random.default_rng(0)).std()) / reference.std(n_in, n_out) - 1) < rel_tol:
            return False  # right statistics, other numbers: a mistake that only check_function can name
        for (n_in, n_out), s, std in zip(shapes, seeds, stds):
            W = buggy(n_in, n_out, np.random.default_rng(s))
            theirs = float(W.std()) if W.shape == (n_in, n_out) else -1.0
            if theirs < 0 or abs(std - theirs) > rel_tol * theirs or (theirs == 0) != (std == 0):
                return False
        return True

    return [mistake for mistake in known_for(reference) if any(matches(v) for v in mistake.versions)]
