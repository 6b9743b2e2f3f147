"""Checks of a function: against the reference, against finite differences, and a worked number.

    check_function(yours, reference, cases, outputs, ...)   same outputs as the reference, arguments unchanged?
    check_numerical_gradient(yours, loss, cases, wrt, ...)  the gradients it returns, against centred differences
    check_number(name, got, expected, decimals)            a worked number, to 4 decimals
"""

import copy
import warnings

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
from backprop.checks.cascade import run_checked
from backprop.checks.compare import differences
from backprop.checks.general import general_causes
from backprop.mistakes import known_for
from backprop.validation import describe

__all__ = ["check_function", "check_numerical_gradient", "check_number"]


def check_function(yours, reference, cases, outputs=None, trials=5, seed=None, rtol=RTOL, atol=ATOL, forbid=(),
                   strict=False, note=None, restored=(), cases_are=None):
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
    restored          the arguments the answer changes on its way but must put back as they were
                      (numerical_gradient's x): one left changed is told to restore it, not to copy it
    cases_are         what the cases are, for the line a pass prints ("saturated neurons": "... agrees
                      with the reference on 2 saturated neurons."); "cases" when None
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = make_cases(cases, trials, seed)
    forbidden = forbidden_for(reference, yours, forbid)

    def attempt():
        results = [run_answer(yours, case, forbidden) for case in cases]
        failures, expecteds = [], []
        wrong_outputs = mutated = False
        for i, (case, result) in enumerate(zip(cases, results)):
            expected = reference(**copy.deepcopy(case))
            expecteds.append(expected)
            problems = differences(result, expected, name, outputs, rtol, atol)
            wrong_outputs = wrong_outputs or bool(problems)
            if strict and not problems:
                problems += _strict_problems(result, expected, outputs)
            mutations = mutation_problems(case, result["case_after"], restored)
            mutated = mutated or bool(mutations)
            problems += mutations
            if problems:
                failures.append((i, case, problems, result))
        if failures:
            def fail():
                # (only the kinds of the outputs are wrong, under strict: a known mistake whose outputs are of the
                # same wrong kinds, the same values, explains it)
                causes = (likely_causes(reference, cases, results, outputs, rtol, atol, wrong_outputs=wrong_outputs)
                          if wrong_outputs or mutated else _strict_causes(reference, cases, results, outputs, rtol,
                                                                          atol))
                if not causes and (wrong_outputs or mutated):  # what any answer can get wrong
                    causes = general_causes(name, cases, results, expecteds, outputs, rtol, atol,
                                            again=lambda k, case=None: run_answer(yours, case or cases[k], forbidden),
                                            reference=lambda **case: reference(**copy.deepcopy(case)))
                blank = unwritten(results, causes)  # (recorded: a blank, not a mistake)
                raise CheckFailed(failure_report(name, cases, failures, seed, causes, note=note), check=name,
                                  causes=causes + blank, seed=seed)
            return fail
        what = cases_are or f"case{'s' * (len(cases) != 1)}"
        return f"ok: {name} agrees with the reference on {len(cases)} {what}."

    print(run_checked(yours, [reference], attempt))


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

    def attempt():
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
            def fail():
                raise CheckFailed(
                    failure_report(name, cases, failures, seed, [], against="centred finite differences of the loss"),
                    check=name, causes=unwritten(results), seed=seed)
            return fail
        return f"ok: {name} agrees with finite differences on {len(cases)} case{'s' * (len(cases) != 1)}."

    print(run_checked(yours, [loss], attempt))


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


def _strict_causes(reference, cases, results, outputs, rtol, atol):
    """The known mistakes whose version gives the answer's outputs, with the same problems of kind (a list
    that is the argument itself, a tuple, a 0-d array), on every case."""
    def matches(version):
        for case, result in zip(cases, results):
            expected = reference(**copy.deepcopy(case))
            copied = copy.deepcopy(case)
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    theirs = {"value": version(**copied), "error": None, "case_after": copied}
            except Exception:  # noqa: BLE001
                return False
            if differences(result, theirs["value"], "", outputs, rtol, atol) or \
                    _strict_problems(result, expected, outputs) != _strict_problems(theirs, expected, outputs):
                return False
        return any(_strict_problems(result, reference(**copy.deepcopy(case)), outputs)
                   for case, result in zip(cases, results))

    return [mistake for mistake in known_for(reference) if any(matches(v) for v in mistake.versions)]


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
