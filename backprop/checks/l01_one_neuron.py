"""Lesson 01's check: gradients computed by the chain rule, told apart from gradients found by nudging.

Lessons 01 to 03 ask for gradients by the chain rule; their tests check them against the reference to
more digits than nudging (a finite difference) can give. An answer that nudges comes out close to the
right gradients but not exact, in a way no buggy formula of the catalogue reproduces: check_gradients
names it, and an answer that ignores some of its arguments (it reads a value left by an earlier call).

    NUDGED                                          the cause it names for nudging
    IGNORES                                         the cause it names for arguments ignored (in words of its own)
    check_gradients(yours, reference, cases, outputs, ...)   check_function, naming gradients found by nudging
    CLOSE                                           how close to the reference such gradients are (relative)
"""

import copy

import numpy as np

from backprop.checks.base import CheckFailed, forbidden_for, make_cases, run_answer
from backprop.checks.function import check_function
from backprop.checks.general import GENERAL
from backprop.mistakes import Mistake, general

__all__ = ["NUDGED", "IGNORES", "CLOSE", "check_gradients"]

NUDGED = general(
    "gradients-by-nudging",
    "the gradients are close to the right ones but not exact, as gradients found by nudging (finite differences) "
    "are: compute them with the chain rule, which is exact. (Nudging is how the tests check a gradient, not a way "
    "to compute one.)")

IGNORES = general(
    "ignores-arguments",
    "it gives the same answer whatever some of its arguments are: compute it from this call's arguments, not from "
    "a value kept from an earlier call (in a global variable or an attribute) or a number fixed in the code.")

CLOSE = 0.05  # nudging with any sensible step lands within 5% of the gradient, even on a saturated neuron


def check_gradients(yours, reference, cases, outputs=None, trials=5, seed=None, **options):
    """check_function(yours, reference, cases, outputs, trials, seed, **options) for an answer that returns
    gradients. When it fails and names no cause, and yet every gradient the answer returns is within CLOSE of
    the reference's (a float64 number or array of the right shape, not exactly right everywhere), the
    failure names NUDGED: the answer estimated the gradients by nudging instead of the chain rule. Failing
    that, when the answer gives the same result with a number argument moved while the reference's changes,
    it names IGNORES, saying which arguments."""
    try:
        check_function(yours, reference, cases, outputs=outputs, trials=trials, seed=seed, **options)
    except CheckFailed as failure:
        forbid = options.get("forbid", ())
        drawn, _ = make_cases(cases, trials, failure.seed if callable(cases) else None)
        message = str(failure)
        if [c.id for c in failure.causes] == [GENERAL["float32"].id] and _float64_elsewhere(yours, reference,
                                                                                           drawn[0], forbid):
            # (a nudge's few significant bits look like float32 where the loss is flat: not so elsewhere)
            message = message.replace(f"Likely cause: {GENERAL['float32'].says}\n\n", "", 1)
        elif failure.causes:
            raise
        cause = None
        if _close_everywhere(yours, reference, drawn, forbid):
            cause = NUDGED
        else:
            ignored = _ignored_arguments(yours, reference, drawn[0], forbid)
            if ignored:
                which = " and ".join(ignored)
                cause = Mistake(IGNORES.id, f"{failure.check} gives the same answer whatever {which}: compute it "
                                            f"from this call's arguments, not from a value kept from an earlier "
                                            f"call (in a global variable or an attribute) or a number fixed in "
                                            f"the code.", (), IGNORES.lesson)
        if cause is None:
            if message == str(failure):
                raise
            raise CheckFailed(message, check=failure.check, causes=[], seed=failure.seed) from None
        head, _, rest = message.partition("\n\n")
        raise CheckFailed(f"{head}\n\nLikely cause: {cause.says}\n\n{rest}", check=failure.check,
                          causes=[cause], seed=failure.seed) from None


def _float64_elsewhere(yours, reference, case, forbid):
    """Whether the answer, on `case` with every number argument shrunk tenfold (away from where a loss is flat),
    gives float64 results that float32 cannot hold: then it does not compute in float32."""
    smaller = {key: value * 0.1 if isinstance(value, float) else value for key, value in case.items()}
    result = run_answer(yours, smaller, forbidden_for(reference, yours, forbid))
    if result["error"] is not None:
        return False
    leaves = _leaves(reference(**copy.deepcopy(smaller)), result["value"])
    return bool(leaves) and all(got.dtype == np.float64 for _, got in leaves) and any(
        not np.array_equal(got.astype(np.float32).astype(np.float64), got) for _, got in leaves)


def _ignored_arguments(yours, reference, case, forbid):
    """The number arguments of `case` that the reference's answer depends on and yours does not."""
    forbidden = forbidden_for(reference, yours, forbid)
    first = run_answer(yours, case, forbidden)
    if first["error"] is not None:
        return []
    ignored = []
    for key, value in case.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        moved = {**case, key: value + 0.37}
        theirs = _leaves(reference(**copy.deepcopy(case)), reference(**copy.deepcopy(moved)))
        if not theirs or all(np.array_equal(a, b) for a, b in theirs):
            continue  # the answer should not change either
        again = run_answer(yours, moved, forbidden)
        mine = [] if again["error"] is not None else _leaves(first["value"], again["value"])
        if mine and all(np.array_equal(a, b) for a, b in mine) and any(np.any(a != 0) for a, _ in mine):
            ignored.append(key)  # (an answer of zeros whatever the arguments is wrong otherwise: not this)
    return ignored


def _close_everywhere(yours, reference, drawn, forbid):
    forbidden = forbidden_for(reference, yours, forbid)
    inexact = False
    for case in drawn:
        result = run_answer(yours, case, forbidden)
        if result["error"] is not None:
            return False
        pairs = _leaves(reference(**copy.deepcopy(case)), result["value"])
        if not pairs:
            return False
        for expected, got in pairs:
            if got.dtype != np.float64 or not np.all(np.isfinite(got)):
                return False
            gap = np.abs(got - expected)
            if np.any(gap > CLOSE * np.abs(expected) + 1e-12):
                return False
            inexact = inexact or bool(np.any(gap > 0))
    return inexact


def _leaves(expected, got):
    """[(expected, got)] float64 arrays of every number and array of two values of the same structure (a
    number, an array, or a tuple, list or dict of them); [] where the structures differ."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return []
        found = [_leaves(e, g) for e, g in zip(expected, got)]
        return [] if any(not f for f in found) else [pair for f in found for pair in f]
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return []
        found = [_leaves(expected[k], got[k]) for k in expected]
        return [] if any(not f for f in found) else [pair for f in found for pair in f]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating, np.ndarray)):
        return []
    e, g = np.asarray(expected, dtype=np.float64), np.asarray(got)
    if e.shape != g.shape or g.dtype.kind != "f":
        return []
    return [(e, g)]
