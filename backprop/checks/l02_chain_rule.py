"""Lesson 02's check: a pair of layer functions returns new arrays, never its arguments themselves.

A ReLU that returns z itself where no entry is negative (or da itself where every z is positive) gives
the right numbers, but the caller then holds one array under two names: a later change of one changes
the other. check_layer compares numbers; this check looks at the arrays themselves.

    check_new_arrays(forward, backward, reference, cases)   a and dz are new arrays, not z or da (nor views of them)
"""

import numpy as np

from backprop.checks.base import CheckFailed, describe_case, forbidden_for, run_answer
from backprop.checks.compare import describe_error
from backprop.mistakes import catalogue

__all__ = ["check_new_arrays"]


def check_new_arrays(forward, backward, reference, cases, forbid=()):
    """Run a, cache = forward(z) and dz, grads = backward(da, cache) on each case {"z": ..., "da": ...}: a must
    not be z, nor share its memory, and dz must not be da. (Whether the numbers are right is check_layer's.)
    reference is the course's layer the pair stands for (layers.ReLU): it, and `forbid`, may not be called."""
    name = f"{getattr(forward, '__name__', 'forward')}/{getattr(backward, '__name__', 'backward')}"

    def both(z, da):
        a, cache = forward(z)
        dz, _ = backward(da, cache)
        return _shares(a, z), _shares(dz, da)

    forbidden = forbidden_for(reference, both, forbid)
    problems = []
    for i, case in enumerate(cases):
        result = run_answer(both, {"z": np.array(case["z"], dtype=np.float64),
                                   "da": np.array(case["da"], dtype=np.float64)}, forbidden)
        if result["error"] is not None:
            problems.append(f"case {i + 1}: {describe_error(result['error'], name)}")
            continue
        a_is_z, dz_is_da = result["value"]
        for same, what in ((a_is_z, "a is z itself (or a view of it)"),
                           (dz_is_da, "dz is da itself (or a view of it)")):
            if same:
                problems.append(f"case {i + 1}, {describe_case(case)}: {what}.")
    if problems:
        cause = catalogue()["l02.returns-its-input"]
        raise CheckFailed("\n".join([f"{name} returns one of its arguments itself.", "",
                                     f"Likely cause: {cause.says}", "", *[f"  - {p}" for p in problems]]),
                          check=name, causes=[cause])
    print(f"ok: {name} returns new arrays on {len(cases)} case{'s' * (len(cases) != 1)}.")


def _shares(a, b):
    return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.size > 0 and bool(np.shares_memory(a, b))
