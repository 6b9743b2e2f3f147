"""Checks of a function: against the reference, against finite differences, and a worked number.

    check_function(yours, reference, cases, outputs, ...)   same outputs as the reference, arguments unchanged?
    check_numerical_gradient(yours, loss, cases, wrt, ...)  the gradients it returns, against centred differences
    check_number(name, got, expected, decimals)            a worked number, to 4 decimals
"""

import copy

import numpy as np

from backprop.checks.base import (
    ATOL,
    RTOL,
    CheckFailed,
    failure_report,
    forbidden_for,
    likely_causes,
    make_cases,
    mutation_problems,
    run_answer,
    unwritten,
)
from backprop.checks.compare import differences
from backprop.validation import describe

__all__ = ["check_function", "check_numerical_gradient", "check_number"]


def check_function(yours, reference, cases, outputs=None, trials=5, seed=None, rtol=RTOL, atol=ATOL, forbid=(),
                   strict=False, note=None):
    """Run `yours` and `reference` on each case and compare every output.

    yours, reference  functions taking the same keyword arguments
    cases             a list of dicts of keyword arguments, or a function rng -> dict that
                      makes a random case (then `trials` cases are drawn with `seed`; a
                      fresh seed when None, reported if anything fails)
    outputs           names of the outputs, for the messages: ["dL_dw", "dL_db"]
    forbid            course functions or classes the answer must not call (besides the
                      reference and backprop.reference), e.g. [layers.softmax]
    strict            the outputs must also be of the reference's kinds (a list, not a tuple; a
                      float, not a 0-d array) and new lists and dicts, not the arguments' own
    note              what these cases test, said near the top of a failure's message (e.g. why
                      an approach that passes other cases fails on them)
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = make_cases(cases, trials, seed)
    forbidden = forbidden_for(reference, yours, forbid)
    results = [run_answer(yours, case, forbidden) for case in cases]
    failures = []
    wrong_outputs = mutated = False
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = reference(**copy.deepcopy(case))
        problems = differences(result, expected, name, outputs, rtol, atol)
        wrong_outputs = wrong_outputs or bool(problems)
        if strict and not problems:
            problems += _strict_problems(result, expected, outputs)
        mutations = mutation_problems(case, result["case_after"])
        mutated = mutated or bool(mutations)
        problems += mutations
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        # (only the kinds of the outputs are wrong, under strict: no known mistake explains that)
        causes = (likely_causes(reference, cases, results, outputs, rtol, atol, wrong_outputs=wrong_outputs)
                  if wrong_outputs or mutated else [])
        raise CheckFailed(failure_report(name, cases, failures, seed, causes, note=note), check=name,
                          causes=causes + unwritten(results), seed=seed)
    print(f"ok: {name} agrees with the reference on {len(cases)} case{'s' * (len(cases) != 1)}.")


def check_numerical_gradient(yours, loss, cases, wrt, trials=5, seed=None, tol=1e-7, h=1e-5, forbid=()):
    """Compare the gradients `yours` returns with centred differences of `loss`.

    yours  a function of the case's arguments returning the gradients of the loss with
           respect to the arguments named in `wrt`, in that order; or a dict of them keyed
           by those names, {"w": dL_dw, "b": dL_db}
    loss   a function of the same arguments returning the loss (a number)
    wrt    the names of the arguments differentiated, e.g. ["w", "b"]
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = make_cases(cases, trials, seed)
    forbidden = forbidden_for(loss, yours, forbid)
    failures, results = [], []
    for i, case in enumerate(cases):
        result = run_answer(yours, case, forbidden)
        results.append(result)
        numeric = [_numerical(loss, case, arg, h) for arg in wrt]
        if isinstance(result["value"], dict):  # gradients by name, compared key by key
            expected, outputs = dict(zip(wrt, numeric)), ["grads"]
        else:
            expected = tuple(numeric) if len(wrt) > 1 else numeric[0]
            outputs = [f"dL_d{arg}" for arg in wrt]
        problems = differences(result, expected, name, outputs, rtol=0, atol=0, gradient_tol=tol)
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        raise CheckFailed(
            failure_report(name, cases, failures, seed, [], against="centred finite differences of the loss"),
            check=name, causes=unwritten(results), seed=seed)
    print(f"ok: {name} agrees with finite differences on {len(cases)} case{'s' * (len(cases) != 1)}.")


def _numerical(loss, case, arg, h):
    case = copy.deepcopy(case)
    x = case[arg]
    if isinstance(x, (np.ndarray, list, tuple, dict)):
        return _numerical_in_place(lambda: loss(**case), x, h)
    plus = loss(**{**case, arg: x + h})
    minus = loss(**{**case, arg: x - h})
    return (plus - minus) / (2 * h)


def _numerical_in_place(f, x, h):
    """Centred differences of f() for every entry of x: an array, or a list or dict of arrays
    (nested, as Sequential.params is), each entry perturbed in place and restored. Same structure back."""
    if isinstance(x, dict):
        return {key: _numerical_in_place(f, value, h) for key, value in x.items()}
    if isinstance(x, (list, tuple)):
        return [_numerical_in_place(f, value, h) for value in x]
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def check_number(name, got, expected, decimals=4):
    """Check a worked number: `got` must round to `expected` at `decimals` places."""
    try:
        value = float(np.reshape(got, ()))
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} should be a single number, but is {describe(got)}.", check=name) from None
    if not np.isfinite(value):
        raise CheckFailed(f"{name} is {value}, expected {expected}.", check=name)
    if abs(round(value, decimals) - expected) > 0.5 * 10.0**-decimals:
        raise CheckFailed(
            f"{name} is {value:.{decimals + 2}f}, which rounds to {round(value, decimals):.{decimals}f}; "
            f"expected {expected:.{decimals}f}.", check=name)


def _strict_problems(result, expected, outputs):
    """check_function(strict=True): outputs of the reference's kinds, and new containers."""
    got = result["value"]
    if isinstance(expected, tuple):
        labels = list(outputs) if outputs else [f"output {k + 1}" for k in range(len(expected))]
        pairs = list(zip(labels, expected, got))
    else:
        pairs = [(outputs[0] if outputs else "the result", expected, got)]
    owned = {}
    for key, value in result["case_after"].items():
        _containers(value, key, owned)
    problems = []
    for label, e, g in pairs:
        problems += _kind_problems(label, e, g, owned)
    return problems


def _containers(value, label, found):
    """{id: label} of every list, tuple and dict inside value (value included)."""
    if isinstance(value, (list, tuple, dict)):
        found[id(value)] = label
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            _containers(item, f"{label}[{key!r}]", found)


def _kind_problems(label, expected, got, owned):
    if isinstance(got, (list, tuple, dict)) and id(got) in owned:
        kind = type(got).__name__
        return [f"{label} is the {kind} {owned[id(got)]} that was passed in, not a new {kind}: build a new one, so "
                f"that whatever the caller does with the result leaves its argument as it was."]
    if isinstance(expected, list) and isinstance(got, tuple):
        return [f"{label} is a tuple; return a list, [...], as the exercise asks."]
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        return [p for k, (e, g) in enumerate(zip(expected, got)) for p in _kind_problems(f"{label}[{k}]", e, g, owned)]
    if isinstance(expected, dict) and isinstance(got, dict):
        return [p for k in expected if k in got for p in _kind_problems(f"{label}[{k!r}]", expected[k], got[k], owned)]
    if isinstance(expected, (float, int, np.floating)) and isinstance(got, np.ndarray):
        return [f"{label} is a 0-d NumPy array; return a plain number, float(...), as the exercise asks."]
    return []
