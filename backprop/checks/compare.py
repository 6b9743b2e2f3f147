"""Is an output right, and if not, how is it wrong: the comparisons behind every check.

    Explained                     a problem found while checking, whose message says it all
    differences(result, expected, name, outputs, rtol, atol, gradient_tol)   the problems, in words
    compare_value(label, expected, got, rtol, atol, gradient_tol)   one output (arrays, numbers, lists, dicts)
    compare_numbers(...), compare_arrays(...)   the two kinds of leaf
    is_close(got, expected, rtol, atol, gradient_tol)   entry by entry, against a reference or finite differences
    fmt_number(value)             a number for a message: 6 significant digits, never "-0"
    factor_hint(expected, got)    " (the sign is wrong)", " (exactly twice the expected value)", ...
    shape_hint(expected, got)     what a wrong shape suggests: a transpose, a lost axis, an extra one
    describe_error(exc, name)     an answer's exception, in words, with a hint (error_hint)
    raising_function(exc)         the name of the student's function an exception came from
    NUMERICAL_ATOL                the floor of a comparison with finite differences
"""

import re
import traceback

import numpy as np

from backprop.validation import describe

__all__ = ["Explained", "differences", "compare_value", "compare_numbers", "compare_arrays", "is_close", "fmt_number",
           "factor_hint", "shape_hint", "describe_error", "raising_function",
           "error_hint", "NUMERICAL_ATOL"]



class Explained(Exception):
    """A problem a check found while running an answer (its backward changed its cache, say), whose
    message says everything: it is shown as it is. `cause`, when given, is the mistake (a general
    backprop.mistakes.Mistake) the check names for it."""

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause


NUMERICAL_ATOL = 1e-9  # the floor against finite differences, above their round-off


def differences(result, expected, name, outputs, rtol, atol, gradient_tol=None):
    if result["error"] is not None:
        return [describe_error(result["error"], name)]
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
            problems += compare_value(label, e, g, rtol, atol, gradient_tol)
        return problems
    label = outputs[0] if outputs else "the result"
    return compare_value(label, expected, got, rtol, atol, gradient_tol)


def compare_value(label, expected, got, rtol, atol, gradient_tol):
    if expected is None:  # (a known mistake's output may hold None, e.g. a gradient never computed)
        return [] if got is None else [f"{label}: expected None, got {describe(got)}."]
    if isinstance(expected, (list, tuple)):  # e.g. one dict of gradients per layer
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return [f"{label}: expected a list of {len(expected)} entries, got {describe(got)}."]
        problems = []
        for k, (e, g) in enumerate(zip(expected, got)):
            problems += compare_value(f"{label}[{k}]", e, g, rtol, atol, gradient_tol)
        return problems
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{label}: expected a dict with keys {sorted(expected)}, got {describe(got)}."]
        if set(got) != set(expected):
            return [f"{label}: expected the keys {sorted(expected)}, got {sorted(got)}."]
        problems = []
        for key in expected:
            problems += compare_value(f"{label}[{key!r}]", expected[key], got[key], rtol, atol, gradient_tol)
        return problems
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        return compare_arrays(label, expected, got, rtol, atol, gradient_tol)
    return compare_numbers(label, float(expected), got, rtol, atol, gradient_tol)


def compare_numbers(label, expected, got, rtol, atol, gradient_tol):
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
    if is_close(got, expected, rtol, atol, gradient_tol):
        return []
    shown = f"expected {fmt_number(expected)}, got {fmt_number(got)}"
    if fmt_number(expected) == fmt_number(got):  # too close to see at 6 digits: show the gap
        shown = f"expected {expected!r}, got {got!r}, off by {abs(got - expected):.2g}"
    return [f"{label}: {shown}{factor_hint(np.array([expected]), np.array([got]))}."]


def compare_arrays(label, expected, got, rtol, atol, gradient_tol):
    if not isinstance(got, np.ndarray):
        return [f"{label}: expected an array of shape {expected.shape}, got {describe(got)}."]
    if got.shape != expected.shape:
        return [f"{label}: shape {got.shape}, expected {expected.shape}.{shape_hint(expected.shape, got.shape)}"]
    if got.dtype != np.float64:
        return [f"{label}: dtype {got.dtype}, expected float64."]
    bad = ~np.isfinite(got)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        return [f"{label}: {int(bad.sum())} entries are NaN or infinite, the first at index {where}."]
    wrong = ~is_close(got, expected, rtol, atol, gradient_tol)
    if not wrong.any():
        return []
    diff = np.abs(got - expected)
    where = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(wrong, diff, -1))), got.shape))
    e, g = fmt_number(expected[where]), fmt_number(got[where])
    if e == g:  # too close to tell apart at 6 digits: show them all
        e, g = repr(float(expected[where])), repr(float(got[where]))
    return [
        f"{label}: {int(wrong.sum())} of {got.size} entries differ; the largest difference, "
        f"{diff[where]:.3g}, is at index {where}: expected {e}, got {g}{factor_hint(expected, got)}."
    ]


def fmt_number(value):
    """A number for a message, 6 significant digits, never "-0"."""
    text = f"{float(value):.6g}"
    return "0" if text == "-0" else text


def is_close(got, expected, rtol, atol, gradient_tol):
    got = np.asarray(got)
    if gradient_tol is not None:  # against finite differences, whose round-off is about 1e-11
        return np.abs(got - expected) <= gradient_tol * (np.abs(got) + np.abs(expected)) + NUMERICAL_ATOL
    return np.abs(got - expected) <= atol + rtol * np.abs(expected)


def factor_hint(expected, got):
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


def shape_hint(expected, got):
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


def describe_error(exc, name=None):
    if isinstance(exc, NotImplementedError):
        raiser = raising_function(exc)
        if name and raiser and raiser != name and raiser.isidentifier():  # a function of yours it calls
            return (f"{raiser}, which {name} calls, is not written yet: it still raises NotImplementedError. "
                    f"Write {raiser} first and run its cell.")
        return ("not written yet: it still raises NotImplementedError. "
                "Replace that line with your code and run the cell.")
    if isinstance(exc, Explained):
        return str(exc)
    if hasattr(exc, "where"):  # raised in the student's process, during an independent check
        return f"raised {type(exc).__name__}: {exc}{exc.where}{error_hint(exc)}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    for frame in reversed(frames):
        if "site-packages" not in frame.filename and "/backprop/" not in frame.filename.replace("\\", "/"):
            where = f" in {frame.name}, at: {frame.line.strip()}" if frame.line else f" in {frame.name}"
            break
    return f"raised {type(exc).__name__}: {exc}{where}{error_hint(exc)}"


def raising_function(exc):
    """The name of the student's function an exception came from (the innermost frame outside
    the course's package and site-packages), or None."""
    if hasattr(exc, "where"):  # raised in the student's process: " in name, at: ..."
        found = re.match(r" in (\S+)", exc.where)
        return found.group(1).rstrip(",") if found else None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "site-packages" not in frame.filename and "/backprop/" not in frame.filename.replace("\\", "/"):
            return frame.name
    return None


def error_hint(exc):
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
