"""Lesson 08's check: the statistics of an initialisation.

    INIT_SHAPES                                  the (n_in, n_out) of the large layers drawn
    check_init_scale(yours, reference, shapes, ...)   shape, dtype, mean 0, the expected std, normal draws, from rng,
                                                 and the known mistake that shows the same problems
"""

import warnings

import numpy as np

from backprop.checks.base import NOT_WRITTEN, CheckFailed, current_grading, describe_error, forbidden_for, run_answer
from backprop.checks.cascade import run_checked
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
    (against its own spread) and standard deviation within rel_tol of reference.std(n_in, n_out),
    and looks normal (about 68% of the entries within one standard deviation of the mean); the same
    generator state gives the same W, and another seed another W (the random numbers come from rng).
    A known mistake is named when its version shows the same problems (and the same spread).
    """
    name = getattr(yours, "__name__", "your function")
    if seed is None:
        seed = current_grading().fresh_seed()
    seeds = [int(s) for s in np.random.default_rng(seed).integers(2**32, size=len(shapes))]
    forbidden = forbidden_for(reference, yours, forbid)
    formula = (reference.std.__doc__ or "").strip()

    def attempt():
        found = _problems(lambda case: run_answer(yours, case, forbidden), reference, shapes, seeds, rel_tol)
        if found:
            def fail():  # (the causes are found only for the failure reported: see run_checked)
                lines = [f"{name}: the weights it draws do not have the expected statistics.", ""]
                lines += [f"  - layer {text}" for _, text, _ in found]
                causes = _causes(reference, shapes, seeds, rel_tol, found)
                if causes:
                    lines += ["", "Likely cause: " + " Or: ".join(dict.fromkeys(c.says for c in causes))]
                lines += ["", f"(The layers were drawn with seed={seed}; pass seed={seed} to repeat them.)"]
                blank = [NOT_WRITTEN] if found[0][0].startswith("error NotImplementedError") else []
                raise CheckFailed("\n".join(lines), check=name, causes=causes + blank, seed=seed)
            return fail
        return f"ok: {name} draws weights with mean 0 and standard deviation {formula} on {len(shapes)} large layers."

    print(run_checked(yours, [reference], attempt))  # (he_init may call xavier_init: mistakes.depends)


def _problems(run, reference, shapes, seeds, rel_tol):
    """The problems of the first layer that has any, as [(kind, text, std)]: kind says what is wrong
    without the numbers (so that a known mistake can be matched), std the spread measured (or None).
    run(case) -> run_answer's result."""
    formula = (reference.std.__doc__ or "").strip()
    for (n_in, n_out), s in zip(shapes, seeds):
        expected = reference.std(n_in, n_out)
        at = f"({n_in}, {n_out})"
        result = run({"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)})
        if result["error"] is not None:
            error = result["error"]
            return [(f"error {type(error).__name__}: {error}", f"{at}: {describe_error(error)}", None)]
        W = result["value"]
        if not isinstance(W, np.ndarray) or W.shape != (n_in, n_out):
            got = describe(W)
            hint = " (the transpose: W has one row per input)" if getattr(W, "shape", None) == (n_out, n_in) else ""
            kind = f"shape {getattr(W, 'shape', type(W).__name__)}"
            return [(kind, f"{at}: expected an array of shape ({n_in}, {n_out}), got {got}{hint}.", None)]
        if W.dtype != np.float64:
            return [(f"dtype {W.dtype}", f"{at}: dtype {W.dtype}, expected float64.", None)]
        if not np.all(np.isfinite(W)):
            return [("not finite", f"{at}: {int(np.sum(~np.isfinite(W)))} entries are NaN or infinite.", None)]
        std, mean = float(W.std()), float(W.mean())
        if std == 0:  # every weight the same (all 0, from 2 // n_in): no statistics to speak of
            return [("constant", f"{at}: every weight is {fmt_number(W.flat[0])}, so the standard deviation is 0; "
                                 f"expected {formula} = {expected:.4g}.", 0.0)]
        problems = []
        if abs(std / expected - 1) > rel_tol:
            problems.append(("std", f"{at}: the weights have standard deviation {std:.4g}, expected {formula} = "
                                    f"{expected:.4g} (yours is {std / expected:.3g} times that).", std))
        if abs(mean) > 5 * std / np.sqrt(W.size):  # against the weights' own spread, not the expected one
            problems.append(("mean", f"{at}: the weights have mean {mean:.4g}, far from 0 for their spread "
                                     f"({std:.4g}); they should be centred on 0.", std))
        inside = float(np.mean(np.abs(W - mean) < std))
        if not 0.655 < inside < 0.71:
            problems.append(("not normal", f"{at}: {100 * inside:.1f}% of the weights lie within one standard "
                                           f"deviation of the mean; for normal draws it is 68.3% (uniform draws "
                                           f"give 57.7%): use rng.standard_normal.", std))
        again = run({"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)})["value"]
        other = run({"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s + 1)})["value"]
        if isinstance(again, np.ndarray) and again.shape == W.shape and not np.array_equal(again, W):
            problems.append(("not from rng", f"{at}: two generators in the same state gave different weights: "
                                             f"draw the numbers from the rng argument (rng.standard_normal), not "
                                             f"from np.random or a new generator.", std))
        elif isinstance(other, np.ndarray) and other.shape == W.shape and np.array_equal(other, W):
            problems.append(("own generator", f"{at}: two different generators gave the same weights: draw the "
                                              f"numbers from the rng argument, not from a generator of your own.",
                             std))
        if problems:
            return problems
    return []


def _causes(reference, shapes, seeds, rel_tol, found):
    """The known mistakes whose version shows the same kinds of problem on the same layers (and, where the
    spread is one of them, the same spread)."""
    kinds = [kind for kind, _, _ in found]
    spread = next((std for kind, _, std in found if std is not None), None)

    def run(version):
        def call(case):
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    return {"value": version(**case), "error": None}
            except Exception as exc:  # noqa: BLE001  (a mistake may fail the way the answer did)
                return {"value": None, "error": exc}

        return call

    def matches(version):
        theirs = _problems(run(version), reference, shapes, seeds, rel_tol)
        if [kind for kind, _, _ in theirs] != kinds:
            return False
        other = next((std for kind, _, std in theirs if std is not None), None)
        return spread is None or other is None or abs(spread - other) <= rel_tol * max(other, 1e-300) or \
            spread == other

    return [mistake for mistake in known_for(reference) if any(matches(v) for v in mistake.versions)]
