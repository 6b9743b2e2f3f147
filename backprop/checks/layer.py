"""Checks of a layer, the way the course defines one: out, cache = forward(x); dx, grads = backward(dout, cache).

    check_layer(yours, reference, cases, ...)   forward, backward, the cache, parameters kept and read, nudging
    layer_from(forward, backward)               a pair of functions as a parameter-free layer, for check_layer
    layer_probe(make, name, interleave, reads_params)   one forward and one backward, as a function of a case
    ParametersChanged                           forward or backward changed the layer's own parameters
    ParametersNotRead                           forward or backward ignores a change of its params (it copied them)
    BackwardNotRepeatable                       backward changed its cache, or a second backward gave other gradients
    BACKWARD_NOT_FROM_CACHE                     the cause named when backward reads what the latest forward left
    PARAMS_NOT_READ, BACKWARD_CHANGES_CACHE, NOT_REPEATABLE, FORWARD_REUSES_OUTPUT   the causes the probe names
"""

import copy
import inspect
import re

import numpy as np

from backprop.checks.base import (
    ATOL,
    RTOL,
    CheckFailed,
    failure_report,
    finite_markers,
    first_change,
    forbidden_for,
    likely_causes,
    make_cases,
    mutation_problems,
    run_answer,
    unwritten,
)
from backprop.checks.cascade import run_checked
from backprop.checks.compare import Explained, compare_value, differences
from backprop.checks.general import general_causes
from backprop.mistakes import general
from backprop.validation import describe

__all__ = ["check_layer", "layer_from", "layer_probe", "ParametersChanged", "ParametersNotRead",
           "BackwardNotRepeatable", "BACKWARD_NOT_FROM_CACHE", "PARAMS_NOT_READ", "BACKWARD_CHANGES_CACHE",
           "NOT_REPEATABLE", "FORWARD_REUSES_OUTPUT"]

BACKWARD_NOT_FROM_CACHE = general(
    "backward-not-from-cache",
    "backward does not use the cache it is given: it reads what the latest forward left somewhere else (on the layer, "
    "self.x = ..., or in a global variable). Put everything backward needs in the cache.")


def check_layer(yours, reference, cases, trials=5, seed=None, rtol=RTOL, atol=ATOL, tol=1e-7, forbid=(),
                reads_params=False, finite_differences=True):
    """Check a layer the way the course defines one: out, cache = forward(x), then
    dx, grads = backward(dout, cache), grads a dict with one gradient per parameter.

    yours, reference  what makes the layer from a case's parameters: a class such as Linear,
                      or layer_from(forward, backward) for a pair of functions
    cases             dicts with "x", "dout" (the gradient arriving from above, out's shape)
                      and the layer's parameters, e.g. {"x": ..., "dout": ..., "W": ..., "b": ...};
                      or a function rng -> dict, as for check_function

    It compares out, dx and grads with the reference; checks that backward works from the
    cache it is given (another forward in between must not matter) and leaves its inputs
    unchanged; then checks dx and grads against finite differences of sum(out * dout).

    reads_params  also change the layer's params in place, as sgd_step does, and check that forward
                  and backward follow them (a layer that copied its weights in __init__ never learns).
                  Skipped where the change cannot reach the layer: one that lives in the grader's
                  sandbox is read as copies.
    finite_differences  False for cases on a kink (a ReLU input of exactly 0), where centred differences
                  see half of each one-sided slope: there only the reference decides.
    """
    name = getattr(yours, "__name__", "your layer")
    cases, seed = make_cases(cases, trials, seed)
    outputs = ["out", "dx", "grads"]
    probe = layer_probe(yours, name, interleave=True, reads_params=reads_params)
    forbidden = forbidden_for(reference, yours, forbid)
    print(run_checked(yours, [reference], lambda: _attempt(yours, reference, name, cases, seed, probe, forbidden,
                                                            outputs, rtol, atol, tol, reads_params,
                                                            finite_differences)))


def _attempt(yours, reference, name, cases, seed, probe, forbidden, outputs, rtol, atol, tol, reads_params,
             finite_differences=True):
    """check_layer's comparison: the line a passing check prints, or a function raising its CheckFailed."""
    results = [run_answer(probe, case, forbidden) for case in cases]
    failures, expecteds = [], []
    wrong_outputs = False
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))
        expecteds.append(expected)
        problems = differences(result, expected, name, outputs, rtol, atol)
        wrong_outputs = wrong_outputs or (bool(problems) and result["error"] is None)
        if isinstance(result["error"], ParametersChanged):  # said once, by the probe, not again as an input
            problems += mutation_problems({key: case[key] for key in ("x", "dout")}, result["case_after"])
        else:
            problems += mutation_problems(case, result["case_after"])
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        return lambda: _fail(yours, reference, name, cases, seed, probe, forbidden, outputs, rtol, atol,
                             reads_params, results, failures, expecteds, wrong_outputs)
    for i, case in enumerate(cases if finite_differences else ()):
        problems = _layer_against_finite_differences(reference, results[i]["value"], case, tol)
        if problems:
            failures.append((i, case, problems, results[i]))
    if failures:
        def fail():
            report = failure_report(name, cases, failures, seed, [], against="centred finite differences")
            raise CheckFailed(_renamed(report, yours), check=name, seed=seed)
        return fail
    return (f"ok: {name} agrees with the reference{' and with finite differences' * finite_differences} on "
            f"{len(cases)} case{'s' * (len(cases) != 1)}.")


def _fail(yours, reference, name, cases, seed, probe, forbidden, outputs, rtol, atol, reads_params, results,
          failures, expecteds, wrong_outputs):
    """Raise check_layer's CheckFailed for these failures, with their likely causes."""
    causes = likely_causes(reference, cases, results, outputs, rtol, atol,
                           wrap=lambda buggy: layer_probe(buggy, name, interleave=True,
                                                          reads_params=reads_params),
                           wrong_outputs=wrong_outputs)
    if wrong_outputs and not causes and hasattr(yours, "more_causes"):  # what a layer of a kind of its own adds
        causes += yours.more_causes(reference, name, cases)
    if wrong_outputs and _agrees_without_interleaving(yours, reference, name, cases, rtol, atol):
        causes.insert(0, BACKWARD_NOT_FROM_CACHE)
    if not causes:  # what any layer can get wrong
        causes = general_causes(name, cases, results, expecteds, outputs, rtol, atol,
                                again=lambda k, case=None: run_answer(probe, case or cases[k], forbidden),
                                order_says=_pair_order,
                                reference=lambda **case: layer_probe(reference, name, interleave=False)(
                                    **copy.deepcopy(case)))
    raise CheckFailed(_renamed(failure_report(name, cases, failures, seed, causes), yours), check=name,
                      causes=causes + unwritten(results, causes), seed=seed)


def layer_from(forward, backward):
    """Turn a pair of functions into a parameter-free layer, for check_layer.

    forward(x) -> (out, cache) and backward(dout, cache) -> (dx, grads).
    Other keys of a case (not x, dout) are passed to forward by name, as fixed arguments:
    for a loss, forward(scores, Y) with the case {"x": scores, "dout": 1.0, "Y": Y}.
    """
    def make(**fixed):
        return _FunctionLayer(forward, backward, fixed)

    make.__name__ = f"{forward.__name__}/{backward.__name__}"
    make.__wrapped__ = forward
    make.arg_names = {"x": _first_parameter(forward, "x"), "dout": _first_parameter(backward, "dout"),
                      "out": "the output", "dx": f"d{_first_parameter(forward, 'x')}"}
    return make


def _renamed(report, yours):
    """A report about a pair of functions speaks of their own arguments (z, da), not x and dout."""
    names = getattr(yours, "arg_names", {})
    for old in ("dout", "dx", "x"):  # longest first
        new = names.get(old)
        if new and new != old:
            report = re.sub(rf"(?<![\w'\[]){old}(?=[:=,\s.]|$)", new, report)
    return report


def _first_parameter(function, default):
    """The name of a function's first argument; `default` if it has none, or only *args (as the
    grader's proxies of a student's functions have)."""
    try:
        first = next(iter(inspect.signature(function).parameters.values()))
    except (TypeError, ValueError, StopIteration):
        return default
    return default if first.kind in (first.VAR_POSITIONAL, first.VAR_KEYWORD) else first.name


class _FunctionLayer:
    def __init__(self, forward, backward, fixed=None):
        self._forward, self.backward, self.params = forward, backward, {}
        self._fixed = fixed or {}

    def forward(self, x):
        return self._forward(x, **self._fixed)


class ParametersChanged(ValueError):
    """A layer's forward or backward changed the layer's own parameters."""

    cause = general("layer-changes-params", "forward or backward changes the layer's own parameters: a layer only "
                                            "computes, and the update (W -= lr * dW) is the training loop's, once the "
                                            "whole backward pass is over.")


PARAMS_REMADE = general("layer-remakes-params", "forward or backward gives the layer's parameters another shape or "
                                               "dtype (b.shape = ..., astype, new arrays): leave self.params as they "
                                               "are; x @ W + b broadcasts a bias of shape (n_out,) over the rows.")
PARAMS_NOT_READ = general("params-not-read", "forward or backward does not read the weights from self.params (it "
                                             "uses copies made in __init__), so sgd_step's updates never reach it: "
                                             "take them from self.params each time.")
BACKWARD_CHANGES_CACHE = general("backward-changes-cache", "backward changes the cache forward gave it, in place: "
                                                           "compute new arrays and leave the cache as forward made "
                                                           "it.")
NOT_REPEATABLE = general("backward-not-repeatable", "backward gives other gradients when run again on the same "
                                                    "cache: it uses something that changes from one call to the "
                                                    "next (new random numbers, a global, an attribute). Compute "
                                                    "the gradients from the cache alone.")
FORWARD_REUSES_OUTPUT = general("forward-reuses-output", "forward returns the same array on every call (a buffer "
                                                         "kept on the layer): the next forward changes the output "
                                                         "the caller already has. Return a new array each time.")


class ParametersNotRead(Explained):
    """A layer's forward or backward ignores a change of its params (it computes with copies)."""


class BackwardNotRepeatable(Explained):
    """A layer's backward gave other gradients when run again on the same cache."""


def layer_probe(make, name, interleave, reads_params=False):
    """A function (x, dout, **params) -> (out, dx, grads) running one forward and one backward;
    it raises ParametersChanged if they leave the layer's parameters changed, and, with
    reads_params, ParametersNotRead if they ignore a change of them in place."""
    def probe(x, dout, **params):
        layer = make(**params)
        spare_dout = copy.deepcopy(dout)
        before = _parameters_now(layer)
        out, cache = _pair(layer.forward(x), layer, "forward", "(out, cache)")
        if interleave:  # another forward, on other data, before the backward of the first
            other = layer.forward(x[::-1] * 0.5 + 0.25)
            other = other[0] if isinstance(other, (tuple, list)) and len(other) == 2 else None
            if _same_memory(out, other):
                raise Explained("forward returned the same array twice: the second forward overwrote the output of "
                                "the first (a buffer kept on the layer, or out= into one). Return a new array from "
                                "each forward.", cause=FORWARD_REUSES_OUTPUT)
        pristine = copy.deepcopy(dout)
        kept = _copy_of(cache) if interleave else None
        dx, grads = _pair(layer.backward(dout, cache), layer, "backward",
                          "(dx, grads), with grads {} when there are no parameters")
        _verify_params_kept(before, _parameters_now(layer))
        if interleave:  # a second backward on the same cache must give the same gradients
            changed = first_change("cache", kept, cache) if kept is not None else None
            first = copy.deepcopy((dx, grads))
            try:
                again = _pair(layer.backward(pristine, cache), layer, "backward", "(dx, grads)")
            except Exception:  # noqa: BLE001  (on a cache it changed: that is the cause)
                if changed is None:
                    raise
                again = None
            differ = again is None or differences(
                {"error": None, "value": finite_markers(tuple(again))}, finite_markers(first), name, ["dx", "grads"],
                1e-12, 0.0)  # (NaN where the first had NaN is the same answer)
            if changed is not None:  # (said so only where a second backward did give other gradients)
                where = "the cache" if changed == "cache" else f"the cache's entry {changed[len('cache'):]}"
                so = ("so a second backward on the same cache gives other gradients" if differ else
                      "right this time, but a second backward on the same cache starts from what it left")
                raise BackwardNotRepeatable(
                    f"backward changed {where} in place, {so}: compute new arrays (d = a * (1 - a), not a *= 1 - a) "
                    f"and leave the cache as forward made it.", cause=BACKWARD_CHANGES_CACHE)
            if differ:
                raise BackwardNotRepeatable(
                    "a second backward on the same cache gave other gradients, though the cache is unchanged: "
                    "backward uses something that changes from one call to the next (it draws new random numbers, "
                    "or reads a global or an attribute). Compute the gradients from the cache alone, and put in "
                    "the cache what they need (the mask itself, say, not the generator that drew it)."
                    if kept is not None else
                    "a second backward on the same cache gave other gradients: backward keeps something from one "
                    "call to the next. Compute everything from the cache and dout it is given.",
                    cause=NOT_REPEATABLE)
            dx, grads = first
        if reads_params:
            _verify_params_read(make, layer, x, spare_dout, params, name)
        return out, dx, grads

    probe.__name__ = name
    return probe


def _verify_params_read(make, layer, x, dout, params, name):
    """Change the layer's params in place, as sgd_step does: forward and backward must then give
    what a new layer made with the changed params gives. The params are put back afterwards."""
    held = getattr(layer, "params", None)
    if not isinstance(held, dict):
        return
    keys = [key for key, value in held.items() if key in params and isinstance(value, np.ndarray)
            and value.dtype.kind == "f" and value.size and value.flags.writeable]
    if not keys:
        return
    saved = {key: held[key].copy() for key in keys}
    try:
        for key in keys:
            held[key] -= 0.5 * held[key] + 0.125  # an update every entry feels
        moved = {key: held[key].copy() for key in keys}
        now = _parameters_now(layer)
        if now is None or any(not np.array_equal(now.get(key), moved[key]) for key in keys):
            return  # the change does not reach the layer (it lives in the grader's sandbox): nothing to check
        out, cache = _pair(layer.forward(x.copy()), layer, "forward", "(out, cache)")
        got = _pair(layer.backward(copy.deepcopy(dout), cache), layer, "backward", "(dx, grads)")
    finally:
        for key in keys:
            held[key][...] = saved[key]
    _compare_with_fresh(make, params, moved, x, dout, out, got, name, (
        "{part} does not read the weights from self.params: sgd_step updates self.params (in place), "
        "so your network would never learn. (With the params changed in place, {part} did not give "
        "what a new layer made with the changed weights gives.) Take the weights from self.params "
        "each time, {key} = self.params[{key!r}], not from copies made in __init__.").format, keys[0])
    # and new arrays put in params (as an optimiser may: params["W"] = W - lr * dW), the old ones left alone
    originals = {key: held[key] for key in keys}
    try:
        for key in keys:
            held[key] = originals[key] * 0.75 - 0.25
        replaced = {key: held[key].copy() for key in keys}
        now = _parameters_now(layer)
        if now is None or any(not np.array_equal(now.get(key), replaced[key]) for key in keys):
            return
        out, cache = _pair(layer.forward(x.copy()), layer, "forward", "(out, cache)")
        got = _pair(layer.backward(copy.deepcopy(dout), cache), layer, "backward", "(dx, grads)")
    finally:
        for key in keys:
            held[key] = originals[key]
    _compare_with_fresh(make, params, replaced, x, dout, out, got, name, (
        "{part} does not read the weights from self.params: with a new array put in self.params[{key!r}] "
        "(as an optimiser may do, params[{key!r}] = {key} - lr * d{key}), {part} still used the old one. Take the "
        "weights from self.params each time, {key} = self.params[{key!r}], not from attributes set in "
        "__init__ (self.{key} = {key}).").format, keys[0])


def _compare_with_fresh(make, params, changed, x, dout, out, got, name, message, key):
    """Raise ParametersNotRead if out and got differ from a new layer made with the changed params."""
    fresh = make(**{**copy.deepcopy(params), **changed})
    fresh_out, fresh_cache = fresh.forward(x.copy())
    expected = fresh.backward(copy.deepcopy(dout), fresh_cache)
    for part, mine, theirs in (("forward", out, fresh_out), ("backward", tuple(got), tuple(expected))):
        if differences({"error": None, "value": finite_markers(mine)}, finite_markers(theirs), name, None, 1e-12, 0.0):
            raise ParametersNotRead(message(part=part, key=key), cause=PARAMS_NOT_READ)


def _pair_order(got, labels):
    """What outputs-swapped says of a layer: backward's pair, (dx, grads), in the wrong order."""
    if got == ["out", "grads", "dx"]:
        return "backward returns (grads, dx): return (dx, grads), in that order."
    return f"the results come in another order ({', '.join(got)}): return them as ({', '.join(labels)})."


def _same_memory(a, b):
    return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.size > 0 and np.shares_memory(a, b)


def _copy_of(cache):
    """A copy of a cache to see later whether backward changed it, or None where it cannot be copied."""
    try:
        return copy.deepcopy(cache)
    except Exception:  # noqa: BLE001  (a cache of objects that do not copy: not watched)
        return None


def _parameters_now(layer):
    """Copies of the arrays in layer.params (a dict), or None. (A layer of the student's that lives in
    the grader's sandbox is read through its proxy: what it holds now, as data.)"""
    try:
        params = layer.params
    except Exception:  # noqa: BLE001  (no params: nothing to compare)
        return None
    if not isinstance(params, dict):
        return None
    return {key: np.array(value, copy=True) for key, value in params.items() if isinstance(value, np.ndarray)}


def _verify_params_kept(before, after):
    if not before:
        return
    changed = [key for key, value in before.items()
               if after is None or not isinstance(after.get(key), np.ndarray) or after[key].shape != value.shape
               or not np.array_equal(after[key], value, equal_nan=True)]
    if not changed:
        return
    how = []  # a new shape or dtype is no update: say which, so that it is not blamed on one
    for key in changed:
        now = None if after is None else after.get(key)
        if not isinstance(now, np.ndarray):
            how.append(f"params[{key!r}] is now {describe(now)}")
        elif now.shape != before[key].shape:
            how.append(f"params[{key!r}] changed shape from {before[key].shape} to {now.shape}")
        elif now.dtype != before[key].dtype:
            how.append(f"params[{key!r}] is now {now.dtype}")
    if how:
        changed = ParametersChanged(
            f"after forward and backward, {' and '.join(how)}. A layer computes with its parameters as they are "
            f"(x @ W + b broadcasts a bias of shape (n_out,) over the rows): leave self.params unchanged, with no "
            f"reshaping, no astype and no new arrays put in it.")
        changed.cause = PARAMS_REMADE  # (not an update: no training loop to blame)
        raise changed
    names = " and ".join(f"params[{key!r}]" for key in changed)
    raise ParametersChanged(
        f"after forward and backward, the layer's {names} {'is' if len(changed) == 1 else 'are'} no longer "
        f"what {'it was' if len(changed) == 1 else 'they were'}. A layer only computes: backward returns the "
        f"gradients, and the update (W -= lr * dW) is done afterwards, by the training loop (sgd_step), once "
        f"the whole backward pass is over.")


def _pair(result, layer, method_name, what):
    """The two values a layer's forward or backward (layer.<method_name>) returns; a clear error if it returns
    something else. (The method is looked up only for that error: a layer in the grader's sandbox answers
    each look-up as a request.)"""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result
    method = getattr(layer, method_name, None)
    if getattr(method, "__func__", None) is _FunctionLayer.forward:  # a pair of functions: name the forward
        method = method.__self__._forward
    name = getattr(method, "__name__", method_name)
    raise TypeError(f"{name} must return a pair {what}, but returned {describe(result)}.")


def _agrees_without_interleaving(yours, reference, name, cases, rtol, atol, runs=3):
    """Does the answer agree with the reference when nothing runs between its forward and its backward? (On
    `runs` runs: an answer drawing its own random numbers may agree once by chance.)"""
    plain = layer_probe(yours, name, interleave=False)
    for case in cases * runs:
        result = run_answer(plain, case)
        expected = layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))
        if differences(result, expected, name, ["out", "dx", "grads"], rtol, atol):
            return False
    return True


def _layer_against_finite_differences(reference, value, case, tol, h=1e-5):
    """Your dx and grads against centred differences of sum(out * dout), out from the reference."""
    from backprop.gradcheck import numerical_gradient

    _, dx, grads = value
    case = copy.deepcopy(case)
    x, dout = case.pop("x"), case.pop("dout")
    layer = reference(**case)

    def loss(_):
        return np.sum(layer.forward(x)[0] * dout)

    problems = compare_value("dx", numerical_gradient(loss, x, h=h), dx, 0, 0, tol)
    for key, param in layer.params.items():
        problems += compare_value(f"grads[{key!r}]", numerical_gradient(loss, param, h=h), grads[key], 0, 0, tol)
    return problems
