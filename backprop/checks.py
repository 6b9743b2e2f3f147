"""Checks for your code, used in the lessons' test cells.

Each check runs your function and a trusted one on the same inputs and, if they differ,
fails with a CheckFailed (an AssertionError) that lists every problem at once: which case, which output,
wrong shape or dtype, NaN, the index and size of the largest difference, and, when the
answer matches a mistake students often make, the likely cause.

    check_function(yours, reference, cases)        same outputs as the reference?
    check_numerical_gradient(yours, loss, cases)   same as finite differences of the loss?
    check_layer(YourLayer, ReferenceLayer, cases)  forward, backward, cache, finite differences
    check_number(name, got, expected)              a worked number, to 4 decimals
    layer_from(forward, backward)                  a pair of functions as a layer, for check_layer

A correct answer prints one line and writes nothing to stderr, even if NumPy warns.
"""

import copy
import inspect
import re
import secrets
import sys
import traceback
import warnings

import numpy as np

from backprop import mistakes as _mistakes
from backprop.validation import describe

RTOL = 1e-7     # relative tolerance between your answer and the reference
ATOL = 1e-10    # absolute floor, for entries that should be (almost) zero
NUMERICAL_ATOL = 1e-9  # the same against finite differences, above their round-off
MAX_CASES_SHOWN = 3


class CheckFailed(AssertionError):
    """A failed check. In a notebook it shows its message alone, without the checker's code."""

    def _render_traceback_(self):  # IPython shows these lines in place of a traceback
        first, *rest = str(self).split("\n")
        return [f"\x1b[1;31m{type(self).__name__}\x1b[0m: {first}", *rest]


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
    cases, seed = _make_cases(cases, trials, seed)
    forbidden = _forbidden(reference, yours, forbid)
    results = [_run(yours, case, forbidden) for case in cases]
    failures = []
    wrong_outputs = mutated = False
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = reference(**copy.deepcopy(case))
        problems = _problems(result, expected, name, outputs, rtol, atol)
        wrong_outputs = wrong_outputs or bool(problems)
        if strict and not problems:
            problems += _strict_problems(result, expected, outputs)
        mutations = _mutations(case, result["case_after"])
        mutated = mutated or bool(mutations)
        problems += mutations
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        # (only the kinds of the outputs are wrong, under strict: no known mistake explains that)
        causes = (_likely_causes(reference, cases, results, outputs, rtol, atol, wrong_outputs=wrong_outputs)
                  if wrong_outputs or mutated else [])
        raise CheckFailed(_report(name, cases, failures, seed, causes, note=note))
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
    cases, seed = _make_cases(cases, trials, seed)
    forbidden = _forbidden(loss, yours, forbid)
    failures = []
    for i, case in enumerate(cases):
        result = _run(yours, case, forbidden)
        numeric = [_numerical(loss, case, arg, h) for arg in wrt]
        if isinstance(result["value"], dict):  # gradients by name, compared key by key
            expected, outputs = dict(zip(wrt, numeric)), ["grads"]
        else:
            expected = tuple(numeric) if len(wrt) > 1 else numeric[0]
            outputs = [f"dL_d{arg}" for arg in wrt]
        problems = _problems(result, expected, name, outputs, rtol=0, atol=0, gradient_tol=tol)
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        raise CheckFailed(
            _report(name, cases, failures, seed, [], against="centred finite differences of the loss")
        )
    print(f"ok: {name} agrees with finite differences on {len(cases)} case{'s' * (len(cases) != 1)}.")


def check_layer(yours, reference, cases, trials=5, seed=None, rtol=RTOL, atol=ATOL, tol=1e-7, forbid=(),
                reads_params=False):
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
    """
    name = getattr(yours, "__name__", "your layer")
    cases, seed = _make_cases(cases, trials, seed)
    outputs = ["out", "dx", "grads"]
    probe = _layer_probe(yours, name, interleave=True, reads_params=reads_params)
    forbidden = _forbidden(reference, yours, forbid)
    results = [_run(probe, case, forbidden) for case in cases]
    failures = []
    wrong_outputs = False
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = _layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))
        problems = _problems(result, expected, name, outputs, rtol, atol)
        wrong_outputs = wrong_outputs or (bool(problems) and result["error"] is None)
        if isinstance(result["error"], ParametersChanged):  # said once, by the probe, not again as an input
            problems += _mutations({key: case[key] for key in ("x", "dout")}, result["case_after"])
        else:
            problems += _mutations(case, result["case_after"])
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        causes = _likely_causes(reference, cases, results, outputs, rtol, atol,
                                wrap=lambda buggy: _layer_probe(buggy, name, interleave=True,
                                                                reads_params=reads_params),
                                wrong_outputs=wrong_outputs)
        if wrong_outputs and not causes and getattr(yours, "seeded", False):
            causes += _seeded_causes(yours, reference, name, cases)
        if wrong_outputs and _agrees_without_interleaving(yours, reference, name, cases, rtol, atol):
            causes.insert(0, "backward does not use the cache it is given: it reads what the latest forward "
                             "left somewhere else (on the layer, self.x = ..., or in a global variable). "
                             "Put everything backward needs in the cache.")
        raise CheckFailed(_renamed(_report(name, cases, failures, seed, causes), yours))
    for i, case in enumerate(cases):
        problems = _layer_against_finite_differences(reference, results[i]["value"], case, tol)
        if problems:
            failures.append((i, case, problems, results[i]))
    if failures:
        raise CheckFailed(_renamed(_report(name, cases, failures, seed, [], against="centred finite differences"),
                                   yours))
    print(f"ok: {name} agrees with the reference and with finite differences on "
          f"{len(cases)} case{'s' * (len(cases) != 1)}.")


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


class ParametersNotRead(Exception):
    """A layer's forward or backward ignores a change of its params (it computes with copies)."""


def _layer_probe(make, name, interleave, reads_params=False):
    """A function (x, dout, **params) -> (out, dx, grads) running one forward and one backward;
    it raises ParametersChanged if they leave the layer's parameters changed, and, with
    reads_params, ParametersNotRead if they ignore a change of them in place."""
    def probe(x, dout, **params):
        layer = make(**params)
        spare_dout = copy.deepcopy(dout)
        before = _parameters_now(layer)
        out, cache = _pair(layer.forward(x), layer.forward, "(out, cache)")
        if interleave:  # another forward, on other data, before the backward of the first
            layer.forward(x[::-1] * 0.5 + 0.25)
        pristine = copy.deepcopy(dout)
        dx, grads = _pair(layer.backward(dout, cache), layer.backward,
                          "(dx, grads), with grads {} when there are no parameters")
        _check_parameters_kept(before, _parameters_now(layer))
        if interleave:  # a second backward on the same cache must give the same gradients
            first = copy.deepcopy((dx, grads))
            again = _pair(layer.backward(pristine, cache), layer.backward, "(dx, grads)")
            if _problems({"error": None, "value": _finite(tuple(again))}, _finite(first), name, ["dx", "grads"],
                         1e-12, 0.0):  # (NaN where the first had NaN is the same answer)
                raise BackwardNotRepeatable(
                    "a second backward on the same cache gave other gradients: backward changes its cache in "
                    "place (e.g. probs -= Y), or keeps something from one call to the next. Compute new arrays "
                    "(dz = probs - Y) and leave the cache as forward made it.")
            dx, grads = first
        if reads_params:
            _check_parameters_read(make, layer, x, spare_dout, params, name)
        return out, dx, grads

    probe.__name__ = name
    return probe


def _check_parameters_read(make, layer, x, dout, params, name):
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
        out, cache = _pair(layer.forward(x.copy()), layer.forward, "(out, cache)")
        got = _pair(layer.backward(copy.deepcopy(dout), cache), layer.backward, "(dx, grads)")
    finally:
        for key in keys:
            held[key][...] = saved[key]
    fresh = make(**{**copy.deepcopy(params), **moved})
    fresh_out, fresh_cache = fresh.forward(x.copy())
    expected = fresh.backward(copy.deepcopy(dout), fresh_cache)
    for part, mine, theirs in (("forward", out, fresh_out), ("backward", tuple(got), tuple(expected))):
        if _problems({"error": None, "value": _finite(mine)}, _finite(theirs), name, None, 1e-12, 0.0):
            raise ParametersNotRead(
                f"{part} does not read the weights from self.params: sgd_step updates self.params (in place), "
                f"so your network would never learn. (With the params changed in place, {part} did not give "
                f"what a new layer made with the changed weights gives.) Take the weights from self.params "
                f"each time, {keys[0]} = self.params[{keys[0]!r}], not from copies made in __init__.")


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


def _check_parameters_kept(before, after):
    if not before:
        return
    changed = [key for key, value in before.items()
               if after is None or not isinstance(after.get(key), np.ndarray) or after[key].shape != value.shape
               or not np.array_equal(after[key], value, equal_nan=True)]
    if changed:
        names = " and ".join(f"params[{key!r}]" for key in changed)
        raise ParametersChanged(
            f"after forward and backward, the layer's {names} {'is' if len(changed) == 1 else 'are'} no longer "
            f"what {'it was' if len(changed) == 1 else 'they were'}. A layer only computes: backward returns the "
            f"gradients, and the update (W -= lr * dW) is done afterwards, by the training loop (sgd_step), once "
            f"the whole backward pass is over.")


def _pair(result, method, what):
    """The two values a layer's forward or backward returns; a clear error if it returns something else."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result
    if getattr(method, "__func__", None) is _FunctionLayer.forward:  # a pair of functions: name the forward
        method = method.__self__._forward
    name = getattr(method, "__name__", "forward or backward")
    raise TypeError(f"{name} must return a pair {what}, but returned {describe(result)}.")


def _agrees_without_interleaving(yours, reference, name, cases, rtol, atol):
    plain = _layer_probe(yours, name, interleave=False)
    for case in cases:
        result = _run(plain, case)
        expected = _layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))
        if _problems(result, expected, name, ["out", "dx", "grads"], rtol, atol):
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

    problems = _compare("dx", numerical_gradient(loss, x, h=h), dx, 0, 0, tol)
    for key, param in layer.params.items():
        problems += _compare(f"grads[{key!r}]", numerical_gradient(loss, param, h=h), grads[key], 0, 0, tol)
    return problems


def check_number(name, got, expected, decimals=4):
    """Check a worked number: `got` must round to `expected` at `decimals` places."""
    try:
        value = float(np.reshape(got, ()))
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} should be a single number, but is {describe(got)}.") from None
    if not np.isfinite(value):
        raise CheckFailed(f"{name} is {value}, expected {expected}.")
    if abs(round(value, decimals) - expected) > 0.5 * 10.0**-decimals:
        raise CheckFailed(
            f"{name} is {value:.{decimals + 2}f}, which rounds to {round(value, decimals):.{decimals}f}; "
            f"expected {expected:.{decimals}f}."
        )


# ---------------------------------------------------------------------------------------
# the machinery


def _fresh_seed():
    """The seed of hidden tests' fresh random cases (the grader draws its own, reproducibly)."""
    return secrets.randbelow(2**31)


def _make_cases(cases, trials, seed):
    if callable(cases):
        if seed is None:
            seed = _fresh_seed()
        rng = np.random.default_rng(seed)
        return [cases(rng) for _ in range(trials)], seed
    return list(cases), None


class UsedTheReference(Exception):
    """The function called the course's reference implementation instead of computing."""


class BackwardNotRepeatable(Exception):
    """A layer's backward gave other gradients when run again on the same cache."""


TRUST_COURSE_CODE = False  # the course's own test suite sets it, to check references against themselves


def _forbidden(reference, yours, forbid=()):
    """Code objects the student's code must not call: the reference it is compared with (every
    method, for a class), everything in backprop.reference, and what `forbid` names."""
    inner = inspect.unwrap(yours)  # through gradients_of and other wrappers
    if TRUST_COURSE_CODE and (inner is reference or getattr(inner, "__module__", None) in (
            "backprop.reference", "backprop.mistakes")):
        return {}
    from backprop import reference as references

    codes = {}
    for key, obj in vars(references).items():
        if inspect.isfunction(obj) and obj.__module__ == references.__name__:
            codes[obj.__code__] = f"{references.__name__}.{key}"
    for target in (reference, *forbid):
        if inspect.isclass(target):
            for klass in target.__mro__:
                if klass.__module__.startswith("backprop."):
                    for member in vars(klass).values():
                        if inspect.isfunction(member):
                            codes[member.__code__] = f"{target.__module__}.{target.__name__}"  # the class
        elif inspect.isfunction(target) and target.__module__.startswith("backprop."):
            codes[target.__code__] = f"{target.__module__}.{target.__name__}"
    return codes


def used_course_code(name):
    """What to tell an answer that called the course's own code `name` ("module.function" or
    "module.Class") instead of computing: the grader's sandbox says the same."""
    if name.startswith("backprop.reference."):
        return f"it calls the course's reference implementation {name} instead of computing the answer itself"
    return (f"it calls the course's own {name} instead of computing the answer itself: this exercise asks "
            f"you to write that part")


def _run(function, case, forbidden=None):
    """Call function(**copy of case); capture its value or exception, and any warnings; note
    any call into the reference implementations it is compared with."""
    case_copy = copy.deepcopy(case)
    called = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code in forbidden:
            called.append(forbidden[frame.f_code])

    previous = sys.getprofile()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if forbidden:
                sys.setprofile(watch)
            try:
                value, error = function(**case_copy), None
            finally:
                if forbidden:
                    sys.setprofile(previous)
        except Exception as exc:  # the student's error becomes part of the report
            value, error = None, exc
    if called:
        value, error = None, UsedTheReference(used_course_code(called[0]))
    return {"value": value, "error": error, "warnings": [str(w.message) for w in caught], "case_after": case_copy}


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


def _problems(result, expected, name, outputs, rtol, atol, gradient_tol=None):
    if result["error"] is not None:
        return [_describe_error(result["error"], name)]
    got = result["value"]
    if got is None and expected is not None:
        return [f"{name} returned None: it has no return statement, or prints its answer instead of returning "
                f"it (print shows a value; return hands it back to the caller)."]
    if isinstance(expected, tuple):
        n = len(expected)
        labels = list(outputs) if outputs else [f"output {k + 1}" for k in range(n)]
        if not isinstance(got, (tuple, list)) or len(got) != n:
            how = f" Return them as a tuple: return {', '.join(labels)}" if outputs else ""
            return [f"{name} should return {n} values ({', '.join(labels)}), but returned {describe(got)}.{how}"]
        problems = []
        for label, e, g in zip(labels, expected, got):
            problems += _compare(label, e, g, rtol, atol, gradient_tol)
        return problems
    label = outputs[0] if outputs else "the result"
    return _compare(label, expected, got, rtol, atol, gradient_tol)


def _compare(label, expected, got, rtol, atol, gradient_tol):
    if expected is None:  # (a known mistake's output may hold None, e.g. a gradient never computed)
        return [] if got is None else [f"{label}: expected None, got {describe(got)}."]
    if isinstance(expected, (list, tuple)):  # e.g. one dict of gradients per layer
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return [f"{label}: expected a list of {len(expected)} entries, got {describe(got)}."]
        problems = []
        for k, (e, g) in enumerate(zip(expected, got)):
            problems += _compare(f"{label}[{k}]", e, g, rtol, atol, gradient_tol)
        return problems
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{label}: expected a dict with keys {sorted(expected)}, got {describe(got)}."]
        if set(got) != set(expected):
            return [f"{label}: expected the keys {sorted(expected)}, got {sorted(got)}."]
        problems = []
        for key in expected:
            problems += _compare(f"{label}[{key!r}]", expected[key], got[key], rtol, atol, gradient_tol)
        return problems
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        return _compare_arrays(label, expected, got, rtol, atol, gradient_tol)
    return _compare_numbers(label, float(expected), got, rtol, atol, gradient_tol)


def _compare_numbers(label, expected, got, rtol, atol, gradient_tol):
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        hint = " Return a plain number, e.g. float(value)." if isinstance(got, np.ndarray) and got.size == 1 else ""
        return [f"{label}: expected a number, got {describe(got)}.{hint}"]
    if isinstance(got, np.floating) and got.dtype != np.float64:
        return [f"{label}: a {got.dtype} number; compute in float64 (plain Python floats are float64)."]
    got = float(got)
    if not np.isfinite(got):
        return [f"{label}: got {got}, expected {expected:.6g}."]
    if _close(got, expected, rtol, atol, gradient_tol):
        return []
    shown = f"expected {_number(expected)}, got {_number(got)}"
    if _number(expected) == _number(got):  # too close to see at 6 digits: show the gap
        shown = f"expected {expected!r}, got {got!r}, off by {abs(got - expected):.2g}"
    return [f"{label}: {shown}{_factor_hint(np.array([expected]), np.array([got]))}."]


def _compare_arrays(label, expected, got, rtol, atol, gradient_tol):
    if not isinstance(got, np.ndarray):
        return [f"{label}: expected an array of shape {expected.shape}, got {describe(got)}."]
    if got.shape != expected.shape:
        return [f"{label}: shape {got.shape}, expected {expected.shape}.{_shape_hint(expected.shape, got.shape)}"]
    if got.dtype != np.float64:
        return [f"{label}: dtype {got.dtype}, expected float64."]
    bad = ~np.isfinite(got)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        return [f"{label}: {int(bad.sum())} entries are NaN or infinite, the first at index {where}."]
    wrong = ~_close(got, expected, rtol, atol, gradient_tol)
    if not wrong.any():
        return []
    diff = np.abs(got - expected)
    where = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(wrong, diff, -1))), got.shape))
    e, g = _number(expected[where]), _number(got[where])
    if e == g:  # too close to tell apart at 6 digits: show them all
        e, g = repr(float(expected[where])), repr(float(got[where]))
    return [
        f"{label}: {int(wrong.sum())} of {got.size} entries differ; the largest difference, "
        f"{diff[where]:.3g}, is at index {where}: expected {e}, got {g}{_factor_hint(expected, got)}."
    ]


def _number(value):
    """A number for a message, 6 significant digits, never "-0"."""
    text = f"{float(value):.6g}"
    return "0" if text == "-0" else text


def _close(got, expected, rtol, atol, gradient_tol):
    got = np.asarray(got)
    if gradient_tol is not None:  # against finite differences, whose round-off is about 1e-11
        return np.abs(got - expected) <= gradient_tol * (np.abs(got) + np.abs(expected)) + NUMERICAL_ATOL
    return np.abs(got - expected) <= atol + rtol * np.abs(expected)


def _factor_hint(expected, got):
    """Spot answers off by a constant factor: a sign, a 2, a 1/m.

    For arrays any constant ratio is telling; for a single number only the usual suspects.
    """
    mask = np.abs(expected) > 1e-12
    if not mask.any() or np.any(np.abs(got[~mask]) > 1e-9):
        return ""
    ratios = got[mask] / expected[mask]
    r = ratios[0]
    if r == 0 or abs(r - 1) < 1e-3 or not np.allclose(ratios, r, rtol=1e-6, atol=0):
        return ""  # (a ratio of about 1 is round-off or a lower precision, not a factor)
    if np.isclose(r, -1.0):
        return " (the sign is wrong)" if expected.size == 1 else " (every entry has the wrong sign)"
    if expected.size == 1:
        for factor, words in ((2.0, "twice"), (0.5, "half"), (-2.0, "minus twice"), (-0.5, "minus half")):
            if np.isclose(r, factor):
                return f" (exactly {words} the expected value)"
        return ""
    return f" (every entry is {r:.4g} times the expected one: a missing or extra constant factor?)"


def _shape_hint(expected, got):
    if got == expected[::-1] and len(got) > 1:
        return " That is the transpose of the expected shape: a missing or extra .T?"
    if len(got) == len(expected) - 1 and got in (expected[1:], expected[:-1]):
        return " An axis is missing: summed over the wrong axis, or dropped with an index?"
    if len(got) == len(expected) + 1 and tuple(n for n in got if n != 1) == tuple(n for n in expected if n != 1):
        return (" An extra axis of length 1: a sum with keepdims=True, or a row kept 2-D? "
                "Sum without keepdims, or reshape.")
    if len(got) == len(expected) == 2 and int(np.prod(got)) == int(np.prod(expected)):
        return " Same number of entries, arranged differently: check the order of the factors in @."
    return ""


def _describe_error(exc, name=None):
    if isinstance(exc, NotImplementedError):
        raiser = _raising_function(exc)
        if name and raiser and raiser != name and raiser.isidentifier():  # a function of yours it calls
            return (f"{raiser}, which {name} calls, is not written yet: it still raises NotImplementedError. "
                    f"Write {raiser} first and run its cell.")
        return ("not written yet: it still raises NotImplementedError. "
                "Replace that line with your code and run the cell.")
    if isinstance(exc, (BackwardNotRepeatable, ParametersNotRead)):
        return str(exc)
    if hasattr(exc, "where"):  # raised in the student's process, during an independent check
        return f"raised {type(exc).__name__}: {exc}{exc.where}{_error_hint(exc)}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    for frame in reversed(frames):
        if "site-packages" not in frame.filename and "/backprop/" not in frame.filename.replace("\\", "/"):
            where = f" in {frame.name}, at: {frame.line.strip()}" if frame.line else f" in {frame.name}"
            break
    return f"raised {type(exc).__name__}: {exc}{where}{_error_hint(exc)}"


def _raising_function(exc):
    """The name of the student's function an exception came from (the innermost frame outside
    the course's package and site-packages), or None."""
    if hasattr(exc, "where"):  # raised in the student's process: " in name, at: ..."
        found = re.match(r" in (\S+)", exc.where)
        return found.group(1).rstrip(",") if found else None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "site-packages" not in frame.filename and "/backprop/" not in frame.filename.replace("\\", "/"):
            return frame.name
    return None


def _error_hint(exc):
    """What NumPy's shape errors mean, in the course's words."""
    message = str(exc)
    if type(exc).__name__ == "TypeError" and "got an unexpected keyword argument" in message:
        return (" — the tests pass the arguments by name, as the exercise names them: keep the parameter names "
                "of the def line you were given.")
    if type(exc).__name__ != "ValueError":
        return ""
    if message.startswith("matmul:") or "not aligned" in message:
        return (" — the two sides of @ do not fit: (m, n) @ (n, k) needs the same n in the middle. "
                "Print their shapes; a missing or extra .T?")
    if "could not be broadcast" not in message:
        return ""
    shapes = re.findall(r"\(([\d,\s]*)\)", message)
    if len(shapes) >= 2:
        first, second = (tuple(int(n) for n in s.replace(",", " ").split()) for s in shapes[:2])
        if len(second) == len(first) + 1:
            first, second = second, first
        if len(first) == 2 and second == first[:1] and first[0] != first[1]:
            m, k = first
            return (f" — an array of shape ({m},) lines up with the last axis of a ({m}, {k}) one, not with its "
                    f"rows: a max or sum over axis=1 lost that axis. Keep it with keepdims=True (shape ({m}, 1)), "
                    f"which subtracts or divides row by row.")
    return (" — an entry-by-entry operation (*, +, -) needs arrays of the same shape (or axes of length 1). "
            "Print their shapes; a missing .T, or @ meant?")


def _mutations(case, case_after):
    problems = []
    for key, value in case.items():
        changed = _first_change(key, value, case_after[key])
        if changed is not None:
            where = "" if changed == key else f" ({changed})"
            how = (f"compute new arrays (a = a - ... instead of a -= ..., or {key}.copy())"
                   if isinstance(value, np.ndarray) else
                   "build new arrays in a new list or dict (g = g * s, not g *= s; a list's .copy() "
                   "still shares its arrays)")
            problems.append(f"the argument {key} was changed in place{where}; {how}.")
    return problems


def _changed(case, case_after):
    """The names of the arguments a call changed in place."""
    return {key for key, value in case.items() if _first_change(key, value, case_after[key]) is not None}


def _first_change(label, before, after):
    """The label of the first array inside `before` (an array, or lists and dicts of them) that
    `after` no longer matches, or None; values that are not arrays are not compared."""
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=True))
        return None if same else label
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            return label if _holds_array(before) else None
        for k, (b, a) in enumerate(zip(before, after)):
            changed = _first_change(f"{label}[{k}]", b, a)
            if changed is not None:
                return changed
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(after) != set(before):
            return label if _holds_array(before) else None
        for k in before:
            changed = _first_change(f"{label}[{k!r}]", before[k], after[k])
            if changed is not None:
                return changed
    return None


def _holds_array(value):
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_array(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_array(v) for v in value.values())
    return False


def _likely_causes(reference, cases, results, outputs, rtol, atol, wrap=None, wrong_outputs=True):
    """The known mistakes whose outputs match the student's on every case; where the student's
    answer raised an error, the mistake must raise the same one (same type, same message). A
    mistake that gives the right answer on every case explains nothing and is not named. When
    the student's outputs are all right (wrong_outputs False: what failed is a change of an
    argument in place), a mistake is named only if it also changes the same arguments in place."""
    causes = []
    expected = None
    for description, buggy in _mistakes.known_for(reference):
        if wrap is not None:
            buggy = wrap(buggy)
            reference_run = wrap(reference)
        else:
            reference_run = reference
        matched, differs = True, not wrong_outputs
        for k, (case, result) in enumerate(zip(cases, results)):
            copied = copy.deepcopy(case)
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    buggy_value, buggy_error = buggy(**copied), None
            except Exception as exc:  # noqa: BLE001  (a mistake may fail the way the student's answer did)
                buggy_value, buggy_error = None, exc
            if result["error"] is not None or buggy_error is not None:
                if not _same_error(result["error"], buggy_error):
                    matched = False
                    break
                differs = True  # the same error as the answer's: the right answer raises none
                continue
            if (_problems({**result, "value": _finite(result["value"])}, _finite(buggy_value), "", outputs, rtol, atol)
                    or (not wrong_outputs and _changed(case, copied) != _changed(case, result["case_after"]))):
                matched = False
                break
            if not differs:  # a mistake that gives the right answer on every case explains no wrong output
                if expected is None:
                    expected = [None] * len(cases)
                if expected[k] is None:
                    with warnings.catch_warnings(), np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        expected[k] = reference_run(**copy.deepcopy(case))
                differs = bool(_problems({"error": None, "value": _finite(buggy_value)}, _finite(expected[k]), "",
                                         outputs, rtol, atol))
        if matched and differs and description not in causes:  # two versions of one mistake are named once
            causes.append(description)
    return causes


def _same_error(mine, theirs):
    """Two exceptions of the same type with the same message (an error that crossed from the grader's
    sandbox keeps its type's name and its message)."""
    return (mine is not None and theirs is not None and not isinstance(mine, (NotImplementedError, UsedTheReference))
            and type(mine).__name__ == type(theirs).__name__ and str(mine) == str(theirs))


def _finite(value):
    """value with NaN and infinities replaced by marker numbers, recursively, so that two answers
    that overflow in the same places compare equal (to name a mistake such as an unstable softmax)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.nan_to_num(value.astype(np.float64), nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300)
    if isinstance(value, (float, np.floating)):
        return float(np.nan_to_num(np.float64(value), nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300))
    if isinstance(value, (tuple, list)):
        return type(value)(_finite(v) for v in value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _describe_case(case):
    parts = []
    for key, value in case.items():
        if isinstance(value, np.ndarray) and (value.size > 6 or value.ndim > 1):
            parts.append(f"{key}: array of shape {value.shape}")
        elif isinstance(value, np.ndarray):
            parts.append(f"{key}={np.array2string(value, precision=4, separator=', ')}")
        elif isinstance(value, float):
            parts.append(f"{key}={value:.4g}")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):  # e.g. gradients per layer
            layers = ", ".join("{" + ", ".join(f"{k!r}: {v.shape}" if isinstance(v, np.ndarray) else f"{k!r}: {v!r}"
                                               for k, v in layer.items()) + "}" for layer in value)
            parts.append(f"{key}=[{layers}] (shapes)")
        elif isinstance(value, (list, tuple)) and any(isinstance(v, (np.ndarray, list, tuple)) for v in value):
            parts.append(f"{key}: {describe(value)}")  # e.g. a list of caches, too long to print
        elif isinstance(value, dict) and any(isinstance(v, np.ndarray) for v in value.values()):
            shapes = ", ".join(f"{k} {v.shape}" if isinstance(v, np.ndarray) else f"{k}={v!r}"
                               for k, v in value.items())
            parts.append(f"{key}: a dict of {shapes}")
        else:
            parts.append(f"{key}={value!r}")
    return ", ".join(parts)


def _report(name, cases, failures, seed, causes, against="the reference", note=None):
    """The failure's message. What helps most comes first (the likely cause, then what the cases
    test), because a long message is shown cut short in places (nbgrader's Validate)."""
    lines = [f"{name} does not agree with {against} on {len(failures)} of {len(cases)} cases.", ""]
    if causes:
        lines += ["Likely cause: " + " Or: ".join(causes), ""]
    if note:
        lines += [note, ""]
    if len(failures) > 1 and all(f[2] == failures[0][2] for f in failures):
        lines.append("On every case:")
        lines += [f"  - {p}" for p in failures[0][2]]
        failures = []
    for i, case, problems, result in failures[:MAX_CASES_SHOWN]:
        lines.append(f"case {i + 1}: {_describe_case(case)}")
        lines += [f"  - {p}" for p in problems]
        if result["warnings"]:
            lines.append(f"  - NumPy warned: {'; '.join(sorted(set(result['warnings'])))}")
    if len(failures) > MAX_CASES_SHOWN:
        lines.append(f"... and {len(failures) - MAX_CASES_SHOWN} more failing cases.")
    if seed is not None:
        lines += ["", f"(These cases were drawn at random with seed={seed}; the same seed gives the same cases.)"]
    return "\n".join(lines)


# --- lesson 10: a topological order of an autograd graph -------------------------------


def check_topological_order(yours, reference, cases, trials=5, seed=None, forbid=()):
    """Check a function root -> list of tensors: is it a topological order of root's graph?

    Any correct order passes (there are usually several): every tensor root depends on,
    root included, each exactly once, each after all of its parents. The tensors need
    .parents (and .name, for the messages).

    yours, reference  functions of `root`; the reference only serves to name known mistakes
    cases             dicts {"root": tensor}, or a function rng -> such a dict
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = _make_cases(cases, trials, seed)
    forbidden = _forbidden(reference, yours, forbid)
    results = [_run(yours, case, forbidden) for case in cases]
    failures = []
    for i, (case, result) in enumerate(zip(cases, results)):
        problems = ([_describe_error(result["error"])] if result["error"] is not None
                    else _order_problems(result["value"], result["case_after"]["root"], name))
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        raise CheckFailed(_report(name, cases, failures, seed, _order_causes(reference, cases, results),
                                  against="what a topological order must be"))
    print(f"ok: {name} gives a topological order on {len(cases)} graph{'s' * (len(cases) != 1)}.")


def _graph_of(root):
    """Every tensor reachable from root through .parents, as {id: tensor}."""
    found, stack = {id(root): root}, [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in found:
                found[id(parent)] = parent
                stack.append(parent)
    return found


def _label(node):
    if getattr(node, "name", ""):
        return repr(node.name)
    if getattr(node, "parents", ()):
        return f"an unnamed {getattr(node, 'op', '') or 'result'} tensor"
    return "an unnamed leaf"


def _order_problems(got, root, name):
    if isinstance(got, (str, bytes, dict)) or not hasattr(got, "__iter__"):
        return [f"{name} should return a list of tensors, but returned {describe(got)}."]
    got = list(got)
    graph = _graph_of(root)
    strangers = [k for k, node in enumerate(got) if id(node) not in graph]
    if strangers:
        k = strangers[0]
        if hasattr(got[k], "parents"):  # a tensor, but of another graph: state kept between calls
            return [f"item {k} of the list, {_label(got[k])}, is a tensor of another graph, not of this one "
                    f"({len(strangers)} of the {len(got)} items are): is a list or set kept from an earlier "
                    f"call, as a default argument (order=[]) or a global? Start a new list and set in every call."]
        return [f"item {k} of the list, {describe(got[k])}, is not a tensor of the graph: "
                f"list the tensors themselves (node, not node.data or node.name)."]
    problems = []
    counts = {}
    for node in got:
        counts[id(node)] = counts.get(id(node), 0) + 1
    repeated = [graph[key] for key, c in counts.items() if c > 1]
    if repeated:
        problems.append(f"{len(repeated)} tensor(s) are listed more than once, e.g. {_label(repeated[0])} "
                        f"{counts[id(repeated[0])]} times; each tensor must appear once.")
    missing = [node for key, node in graph.items() if key not in counts]
    if missing:
        shown = ", ".join(_label(node) for node in missing[:4]) + (
            f", and {len(missing) - 4} more" if len(missing) > 4 else "")
        problems.append(f"{len(missing)} of the {len(graph)} tensors of the graph are missing: {shown}.")
    first = {}
    for k, node in enumerate(got):
        first.setdefault(id(node), k)
    for k, node in enumerate(got):
        if first[id(node)] != k:
            continue
        late = [p for p in node.parents if id(p) in first and first[id(p)] > k]
        if late:
            label = _label(node)
            problems.append(f"{label[0].upper()}{label[1:]} (position {k}) comes before its parent, "
                            f"{_label(late[0])} (position {first[id(late[0])]}): every tensor must come after "
                            f"all of its parents.")
            break
    return problems


def _order_causes(reference, cases, results):
    """The known mistakes that give exactly the student's list on every case."""
    if any(result["error"] is not None for result in results):
        return []
    causes = []
    for description, buggy in _mistakes.known_for(reference):
        matched = True
        for case, result in zip(cases, results):
            mine = _positions(result["value"], result["case_after"]["root"])
            copied = copy.deepcopy(case)
            try:
                theirs = _positions(buggy(**copied), copied["root"])
            except Exception:
                matched = False
                break
            if mine is None or mine != theirs:
                matched = False
                break
        if matched:
            causes.append(description)
    return causes


def _positions(got, root):
    """The list as positions in a fixed listing of the graph, so that lists on copies compare."""
    if not isinstance(got, (list, tuple)):
        return None
    listing = {key: k for k, key in enumerate(_graph_of(root))}
    return [listing.get(id(node), -1) for node in got]


# --- lesson 08: the statistics of an initialisation ------------------------------------

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
        seed = secrets.randbelow(2**31)
    seeds = np.random.default_rng(seed).integers(2**32, size=len(shapes))
    forbidden = _forbidden(reference, yours, forbid)
    problems, stds = [], []
    for (n_in, n_out), s in zip(shapes, seeds):
        formula = (reference.std.__doc__ or "").strip()
        expected = reference.std(n_in, n_out)
        result = _run(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)}, forbidden)
        if result["error"] is not None:
            problems.append(f"({n_in}, {n_out}): {_describe_error(result['error'])}")
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
                f"({n_in}, {n_out}): every weight is {_number(W.flat[0])}, so the standard deviation is 0; "
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
        again = _run(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s)}, forbidden)["value"]
        other = _run(yours, {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(s + 1)}, forbidden)["value"]
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
            lines += ["", "Likely cause: " + " Or: ".join(causes)]
        lines += ["", f"(The layers were drawn with seed={seed}; pass seed={seed} to repeat them.)"]
        raise CheckFailed("\n".join(lines))
    print(f"ok: {name} draws weights with mean 0 and standard deviation {formula} "
          f"on {len(shapes)} large layers.")


def _scale_causes(reference, shapes, seeds, stds, rel_tol):
    """The known mistakes whose standard deviation matches yours on every layer measured."""
    if not stds:
        return []
    causes = []
    for description, buggy in _mistakes.known_for(reference):
        n_in, n_out = shapes[0]
        if abs(float(buggy(n_in, n_out, np.random.default_rng(0)).std()) / reference.std(n_in, n_out) - 1) < rel_tol:
            continue  # right statistics, other numbers: a mistake that only check_function can name
        matched = True
        for (n_in, n_out), s, std in zip(shapes, seeds, stds):
            W = buggy(n_in, n_out, np.random.default_rng(s))
            theirs = float(W.std()) if W.shape == (n_in, n_out) else -1.0
            if theirs < 0 or abs(std - theirs) > rel_tol * theirs or (theirs == 0) != (std == 0):
                matched = False
                break
        if matched:
            causes.append(description)
    return causes


# --- lesson 09: functions returning (loss, grads); layers that draw random numbers ----------


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
    make.seeded = True
    return make


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


def _seeded_causes(make, reference, name, cases):
    """For a layer from layer_from_seeded whose outputs are wrong: does its forward draw its
    random numbers from the rng it is given (two generators in the same state must give the same
    output)? And, if the reference says how it draws (reference.draws), the same numbers?"""
    outs, again = [], []
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for case in cases:  # each case twice, from two generators in the same state
                for runs in (outs, again):
                    case_copy = copy.deepcopy(case)
                    x, _ = case_copy.pop("x"), case_copy.pop("dout")
                    result = make(**case_copy).forward(x)
                    runs.append(result[0] if isinstance(result, (tuple, list)) and len(result) == 2 else result)
    except Exception:  # noqa: BLE001  (an error is reported as such elsewhere)
        return []
    if not all(isinstance(o, np.ndarray) and o.shape == c["x"].shape for o, c in zip(outs + again, cases + cases)):
        return []
    # (every case, not one: on one small case two independent masks may agree by chance)
    if not all(np.array_equal(a, b, equal_nan=True) for a, b in zip(outs, again)):
        return ["two generators in the same state gave different outputs: draw the random numbers from the rng "
                "argument, not from np.random or a generator of your own."]
    draws = getattr(reference, "draws", None)
    if draws is None:
        return []
    for case, out in zip(cases, outs):
        expected = _layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))[0]
        nonzero = case["x"] != 0
        if not np.array_equal((out == 0) & nonzero, (expected == 0) & nonzero):
            return [f"with a generator in the same state, your forward keeps other entries than the reference: "
                    f"draw exactly as {draws}, in one call, with nothing drawn from rng before it."]
    return []
