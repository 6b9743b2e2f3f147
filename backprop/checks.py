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
import secrets
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


def check_function(yours, reference, cases, outputs=None, trials=5, seed=None, rtol=RTOL, atol=ATOL):
    """Run `yours` and `reference` on each case and compare every output.

    yours, reference  functions taking the same keyword arguments
    cases             a list of dicts of keyword arguments, or a function rng -> dict that
                      makes a random case (then `trials` cases are drawn with `seed`; a
                      fresh seed when None, reported if anything fails)
    outputs           names of the outputs, for the messages: ["dL_dw", "dL_db"]
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = _make_cases(cases, trials, seed)
    results = [_run(yours, case) for case in cases]
    failures = []
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = reference(**copy.deepcopy(case))
        problems = _problems(result, expected, name, outputs, rtol, atol)
        problems += _mutations(case, result["case_after"])
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        causes = _likely_causes(reference, cases, results, outputs, rtol, atol)
        raise CheckFailed(_report(name, cases, failures, seed, causes))
    print(f"ok: {name} agrees with the reference on {len(cases)} case{'s' * (len(cases) != 1)}.")


def check_numerical_gradient(yours, loss, cases, wrt, trials=5, seed=None, tol=1e-7, h=1e-5):
    """Compare the gradients `yours` returns with centred differences of `loss`.

    yours  a function of the case's arguments returning the gradients of the loss with
           respect to the arguments named in `wrt`, in that order
    loss   a function of the same arguments returning the loss (a number)
    wrt    the names of the arguments differentiated, e.g. ["w", "b"]
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = _make_cases(cases, trials, seed)
    outputs = [f"dL_d{arg}" for arg in wrt]
    failures = []
    for i, case in enumerate(cases):
        result = _run(yours, case)
        expected = tuple(_numerical(loss, case, arg, h) for arg in wrt)
        if len(wrt) == 1:
            expected = expected[0]
        problems = _problems(result, expected, name, outputs, rtol=0, atol=0, gradient_tol=tol)
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        raise CheckFailed(
            _report(name, cases, failures, seed, [], against="centred finite differences of the loss")
        )
    print(f"ok: {name} agrees with finite differences on {len(cases)} case{'s' * (len(cases) != 1)}.")


def check_layer(yours, reference, cases, trials=5, seed=None, rtol=RTOL, atol=ATOL, tol=1e-7):
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
    """
    name = getattr(yours, "__name__", "your layer")
    cases, seed = _make_cases(cases, trials, seed)
    outputs = ["out", "dx", "grads"]
    probe = _layer_probe(yours, name, interleave=True)
    results = [_run(probe, case) for case in cases]
    failures = []
    for i, (case, result) in enumerate(zip(cases, results)):
        expected = _layer_probe(reference, name, interleave=False)(**copy.deepcopy(case))
        problems = _problems(result, expected, name, outputs, rtol, atol)
        problems += _mutations(case, result["case_after"])
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        causes = _likely_causes(reference, cases, results, outputs, rtol, atol,
                                wrap=lambda buggy: _layer_probe(buggy, name, interleave=True))
        if _agrees_without_interleaving(yours, reference, name, cases, rtol, atol):
            causes.insert(0, "backward does not use the cache it is given: it reads what the latest forward "
                             "stored on the layer (self.x = ...). Put everything backward needs in the cache.")
        raise CheckFailed(_report(name, cases, failures, seed, causes))
    for i, case in enumerate(cases):
        problems = _layer_against_finite_differences(reference, results[i]["value"], case, tol)
        if problems:
            failures.append((i, case, problems, results[i]))
    if failures:
        raise CheckFailed(_report(name, cases, failures, seed, [], against="centred finite differences"))
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
    return make


class _FunctionLayer:
    def __init__(self, forward, backward, fixed=None):
        self._forward, self.backward, self.params = forward, backward, {}
        self._fixed = fixed or {}

    def forward(self, x):
        return self._forward(x, **self._fixed)


def _layer_probe(make, name, interleave):
    """A function (x, dout, **params) -> (out, dx, grads) running one forward and one backward."""
    def probe(x, dout, **params):
        layer = make(**params)
        out, cache = layer.forward(x)
        if interleave:  # another forward, on other data, before the backward of the first
            layer.forward(x[::-1] * 0.5 + 0.25)
        dx, grads = layer.backward(dout, cache)
        return out, dx, grads

    probe.__name__ = name
    return probe


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


def _make_cases(cases, trials, seed):
    if callable(cases):
        if seed is None:
            seed = secrets.randbelow(2**31)
        rng = np.random.default_rng(seed)
        return [cases(rng) for _ in range(trials)], seed
    return list(cases), None


def _run(function, case):
    """Call function(**copy of case); capture its value or exception, and any warnings."""
    case_copy = copy.deepcopy(case)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, error = function(**case_copy), None
        except Exception as exc:  # the student's error becomes part of the report
            value, error = None, exc
    return {"value": value, "error": error, "warnings": [str(w.message) for w in caught], "case_after": case_copy}


def _numerical(loss, case, arg, h):
    case = copy.deepcopy(case)
    x = case[arg]
    if isinstance(x, np.ndarray):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            plus = loss(**case)
            x[idx] = old - h
            minus = loss(**case)
            x[idx] = old
            grad[idx] = (plus - minus) / (2 * h)
        return grad
    plus = loss(**{**case, arg: x + h})
    minus = loss(**{**case, arg: x - h})
    return (plus - minus) / (2 * h)


def _problems(result, expected, name, outputs, rtol, atol, gradient_tol=None):
    if result["error"] is not None:
        return [_describe_error(result["error"])]
    got = result["value"]
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
    got = float(got)
    if not np.isfinite(got):
        return [f"{label}: got {got}, expected {expected:.6g}."]
    if _close(got, expected, rtol, atol, gradient_tol):
        return []
    return [f"{label}: expected {expected:.6g}, got {got:.6g}{_factor_hint(np.array([expected]), np.array([got]))}."]


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
    return [
        f"{label}: {int(wrong.sum())} of {got.size} entries differ; the largest difference, "
        f"{diff[where]:.3g}, is at index {where}: expected {expected[where]:.6g}, got {got[where]:.6g}"
        f"{_factor_hint(expected, got)}."
    ]


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
    if r == 0 or not np.allclose(ratios, r, rtol=1e-6, atol=0):
        return ""
    if np.isclose(r, -1.0):
        return " (the sign is wrong)" if expected.size == 1 else " (every entry has the wrong sign)"
    if expected.size == 1:
        for factor, words in ((2.0, "twice"), (0.5, "half"), (-2.0, "minus twice"), (-0.5, "minus half")):
            if np.isclose(r, factor):
                return f" (exactly {words} the expected value)"
        return ""
    return f" (every entry is {r:.4g} times the expected one: a missing or extra constant factor?)"


def _shape_hint(expected, got):
    if got == expected[::-1]:
        return " That is the transpose of the expected shape: a missing or extra .T?"
    if len(got) == len(expected) - 1 and got in (expected[1:], expected[:-1]):
        return " An axis is missing: summed over the wrong axis, or dropped with an index?"
    if int(np.prod(got)) == int(np.prod(expected)):
        return " Same number of entries, arranged differently: check the order of the factors in @."
    return ""


def _describe_error(exc):
    if isinstance(exc, NotImplementedError):
        return ("not written yet: it still raises NotImplementedError. "
                "Replace that line with your code and run the cell.")
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    for frame in reversed(frames):
        if "site-packages" not in frame.filename and "/backprop/" not in frame.filename.replace("\\", "/"):
            where = f" in {frame.name}, at: {frame.line.strip()}" if frame.line else f" in {frame.name}"
            break
    return f"raised {type(exc).__name__}: {exc}{where}"


def _mutations(case, case_after):
    problems = []
    for key, value in case.items():
        if isinstance(value, np.ndarray):
            after = case_after[key]
            same = (isinstance(after, np.ndarray) and after.shape == value.shape
                    and np.array_equal(after, value, equal_nan=True))
            if not same:
                problems.append(
                    f"the argument {key} was changed in place; work on a copy "
                    f"(a = a - ... instead of a -= ..., or {key}.copy())."
                )
    return problems


def _likely_causes(reference, cases, results, outputs, rtol, atol, wrap=None):
    """The known mistakes whose outputs match the student's on every case."""
    causes = []
    for description, buggy in _mistakes.known_for(reference):
        if wrap is not None:
            buggy = wrap(buggy)
        matched = True
        for case, result in zip(cases, results):
            if result["error"] is not None:
                return []
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    buggy_value = buggy(**copy.deepcopy(case))
            except Exception:
                matched = False
                break
            if _problems({**result, "value": _finite(result["value"])}, _finite(buggy_value), "", outputs, rtol, atol):
                matched = False
                break
        if matched:
            causes.append(description)
    return causes


def _finite(value):
    """value with NaN and infinities replaced by marker numbers, recursively, so that two answers
    that overflow in the same places compare equal (to name a mistake such as an unstable softmax)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.nan_to_num(value, nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300)
    if isinstance(value, (float, np.floating)):
        return float(np.nan_to_num(value, nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300))
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
        else:
            parts.append(f"{key}={value!r}")
    return ", ".join(parts)


def _report(name, cases, failures, seed, causes, against="the reference"):
    lines = [f"{name} does not agree with {against} on {len(failures)} of {len(cases)} cases.", ""]
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
    if causes:
        lines += ["", "Likely cause: " + " Or: ".join(causes)]
    if seed is not None:
        lines += ["", f"(The cases were drawn at random with seed={seed}; pass seed={seed} to repeat them.)"]
    return "\n".join(lines)
