"""Mistakes any answer can make, whatever the exercise, recognised by what the answer does.

A check that fails and finds no mistake of the exercise's own catalogue (backprop/mistakes) asks these,
in this order, and names the first that explains every failing case (a cause "course.<id>", with its fix).
Each is recognised only where it cannot be confused with another mistake: an answer that is wrong in a
way of its own gets no general cause rather than a wrong one.

    not-written          it still raises NotImplementedError (or a function of the student's it calls does)
    returns-none         it returns None: it prints its answer, or has no return statement
    outputs-swapped      its results are the right ones, in another order ((dL_db, dL_dw); (grads, dx))
    float32              its results are the float64 ones to float32's 7 digits
    rounded              its results are the right ones rounded to a few decimals
    output-reused        two calls returned the same array, list or dict (a buffer kept between calls)
    state-between-calls  called again with the same arguments it gives another answer, or it gives the
                         answer of an earlier call (something kept from one call to the next)
    changes-argument     it changes an argument in place, in every failing case
    (and a cause a check's probe saw happen: an error carrying its `cause` (compare.Explained), e.g. a backward that
    changed its cache, or a forward that returned the same buffer twice: backprop/checks/layer.py)

    general_causes(name, cases, results, expected, outputs, rtol, atol, again=None, order_says=None)
    GENERAL              {short id: Mistake} of the ones above (what their records say in general)
"""

import copy
import itertools

import numpy as np

from backprop.checks.base import changed_arguments, finite_markers
from backprop.checks.compare import compare_value, raising_function
from backprop.mistakes import Mistake, general

__all__ = ["general_causes", "GENERAL"]

GENERAL = {short: general(short, says) for short, says in [
    ("not-written", "not written yet: it still raises NotImplementedError. Replace that line with your code and run "
                    "the cell."),
    ("returns-none", "it returns None: it prints its answer, or has no return statement. Return the value "
                     "(return a), print only to look at it."),
    ("outputs-swapped", "the results are right but returned in another order: return them in the order the "
                        "exercise gives."),
    ("float32", "it computes in float32, which keeps about 7 digits: compute in float64, NumPy's default (no "
                "np.float32, astype(np.float32) or dtype=np.float32)."),
    ("rounded", "its results are rounded: return them as computed, with all their digits (round only what you "
                "print)."),
    ("output-reused", "it returns the same array (or list, or dict) on every call, made once and filled again: the "
                      "next call changes the results the caller already has. Make a new one in each call."),
    ("state-between-calls", "it keeps something from one call to the next (a global variable, a default argument, "
                            "an attribute), so its answer depends on the calls before: compute everything from the "
                            "arguments of this call."),
    ("changes-argument", "it changes an argument in place (x -= ..., x *= ..., out=x, or y = x and then y[...] = ...), "
                         "so the caller's array changes too: compute new arrays (y = x * s) and leave the arguments as "
                         "they were given."),
]}


def _said(short, says=None):
    """The general mistake `short`, saying `says` where the words are the answer's own (same id)."""
    mistake = GENERAL[short]
    return mistake if says is None else Mistake(mistake.id, says, (), mistake.lesson)


def general_causes(name, cases, results, expected, outputs, rtol, atol, again=None, order_says=None,
                   reference=None):
    """[the general mistake that explains every failing case], or [].

    cases, results  the cases and what the answer did on each (base.run_answer's dicts)
    expected        the reference's outputs on each case
    outputs         the outputs' names, or None
    again(k, case=None)   run the answer on case k (or on `case`, in its place) once more: a fresh result
                    dict, to see whether it keeps state; None: not asked
    reference       what the expected outputs of a case are (reference(**case)), for a nudged case
    order_says      f(got_labels, labels) -> the words of outputs-swapped (a layer speaks of backward's pair)
    """
    failing = [k for k, (result, exp) in enumerate(zip(results, expected)) if _wrong(result, exp, rtol, atol)
               or changed_arguments(cases[k], result["case_after"])]
    if not failing:
        return []
    errors = [results[k]["error"] for k in failing]
    explained = {getattr(e, "cause", None) for e in errors}
    if len(explained) == 1 and None not in explained:
        return [explained.pop()]  # (a probe saw it happen: its cause)
    if all(isinstance(e, NotImplementedError) for e in errors):
        raisers = {raising_function(e) for e in errors}
        other = next(iter(raisers)) if len(raisers) == 1 else None
        if other and other != name and other.isidentifier():
            return [_said("not-written", f"{other}, which {name} calls, is not written yet: it still raises "
                                         f"NotImplementedError. Write {other} first and run its cell.")]
        return [_said("not-written", f"{name} is not written yet.")]
    if any(e is not None for e in errors):
        return []
    values = [results[k]["value"] for k in failing]
    if all(v is None for v in values) and all(expected[k] is not None for k in failing):
        return [GENERAL["returns-none"]]
    for detector in (_swapped, _float32, _rounded):
        found = detector(name, [expected[k] for k in failing], values, outputs, rtol, atol, order_says)
        if found:
            return [found]
    if _reused(results):
        return [GENERAL["output-reused"]]
    if _state(failing, results, expected, rtol, atol, again, cases, reference):
        return [GENERAL["state-between-calls"]]
    changed = [changed_arguments(cases[k], results[k]["case_after"]) for k in failing]
    if all(changed):
        names = sorted(set().union(*changed))
        which, change = " and ".join(names), "array changes" if len(names) == 1 else "arrays change"
        return [_said("changes-argument", f"{name} changes {which} in place (x -= ..., x *= ..., out=x, or y = x "
                                          f"and then y[...] = ...), so the caller's {change} too: compute new arrays "
                                          f"(y = x * s) and leave the arguments as they were given.")]
    return []


def _wrong(result, expected, rtol, atol):
    if result["error"] is not None:
        return True
    try:  # (as the check compares: a float32 result is wrong even where its numbers are close)
        return bool(compare_value("", expected, result["value"], rtol, atol, None))
    except Exception:  # noqa: BLE001
        return True


def _problems(expected, got, rtol, atol):
    try:
        return compare_value("", finite_markers(expected), finite_markers(got), rtol, atol, None)
    except Exception:  # noqa: BLE001  (a value of a kind the comparison does not know: not the same)
        return ["?"]


def _labels(expected, outputs):
    n = len(expected)
    return list(outputs) if outputs and len(outputs) == n else [f"output {k + 1}" for k in range(n)]


def _swapped(name, expected, values, outputs, rtol, atol, order_says):
    """The results, in another order than the exercise's, on every failing case."""
    first = expected[0]
    if not isinstance(first, (tuple, list)) or len(first) < 2 or len(first) > 5:
        return None
    n = len(first)
    if not all(isinstance(v, (tuple, list)) and len(v) == n for v in values):
        return None
    for order in itertools.permutations(range(n)):
        if order == tuple(range(n)):
            continue
        if all(not _problems(e[order[i]], v[i], rtol, atol) for e, v in zip(expected, values) for i in range(n)):
            labels = _labels(first, outputs)
            got = [labels[order[i]] for i in range(n)]
            if order_says is not None:
                return _said("outputs-swapped", order_says(got, labels))
            return _said("outputs-swapped", f"{name} returns ({', '.join(got)}): the right results in another order. "
                                            f"Return ({', '.join(labels)}), in that order.")
    return None


def _pairs(expected, got):
    """(expected leaf, got leaf) of the numbers and float arrays of two values of the same structure; None
    where the structures differ."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return None
        found = []
        for e, g in zip(expected, got):
            inner = _pairs(e, g)
            if inner is None:
                return None
            found += inner
        return found
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return None
        found = []
        for key in expected:
            inner = _pairs(expected[key], got[key])
            if inner is None:
                return None
            found += inner
        return found
    if isinstance(expected, (float, np.floating)) or (isinstance(expected, np.ndarray) and expected.dtype.kind == "f"):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating, np.ndarray)):
            return None
        e, g = np.asarray(expected, dtype=np.float64), np.asarray(got)
        if e.shape != g.shape or g.dtype.kind not in "fiu":
            return None
        return [(e, g)]
    return []


def _differing(expected, values, rtol, atol):
    """The (expected, got) leaf pairs that differ, over every failing case; None if a structure differs."""
    found = []
    for e, v in zip(expected, values):
        pairs = _pairs(e, v)
        if pairs is None:
            return None
        found += [(a, b) for a, b in pairs if b.dtype == np.float32
                  or not np.all(np.abs(b.astype(np.float64) - a) <= atol + rtol * np.abs(a))]
    return found


def _float32(name, expected, values, outputs, rtol, atol, order_says):
    """Results of dtype float32, or float64 numbers that float32 can hold exactly, near the right ones."""
    differing = _differing(expected, values, rtol, atol)
    if not differing:
        return None
    rich = False
    for e, g in differing:
        g64 = g.astype(np.float64)
        if not np.all(np.isfinite(g64)) or not np.allclose(g64, e, rtol=1e-3, atol=1e-5):
            return None
        if g.dtype == np.float32:
            rich = True
            continue
        if g.dtype != np.float64 or not np.array_equal(g64.astype(np.float32).astype(np.float64), g64):
            return None
        mantissa, _ = np.frexp(g64)
        rich = rich or bool(np.any(mantissa * 2.0**12 != np.round(mantissa * 2.0**12)))  # (not a short binary number)
    return GENERAL["float32"] if rich else None


def _rounded(name, expected, values, outputs, rtol, atol, order_says):
    """Results that are the right ones rounded to k decimals (the smallest such k, 0 to 8)."""
    differing = _differing(expected, values, rtol, atol)
    if not differing:
        return None
    for k in range(9):
        telling = False
        for e, g in differing:
            r = np.round(e, k)
            if not np.all(np.abs(g.astype(np.float64) - r) <= 1e-12 * np.maximum(1.0, np.abs(r))):
                break
            telling = telling or bool(np.any((r != 0) & (r != e)))
        else:
            if telling:
                return _said("rounded", f"{name}'s results are rounded to {k} decimal{'s' * (k != 1)}: return them as "
                                        f"computed, with all their digits (round only what you print).")
    return None


def _containers_and_arrays(value, found):
    if isinstance(value, np.ndarray):
        if value.size:
            found.append(value)
    elif isinstance(value, (list, dict)):
        found.append(value)
        for item in value.values() if isinstance(value, dict) else value:
            _containers_and_arrays(item, found)
    elif isinstance(value, tuple):
        for item in value:
            _containers_and_arrays(item, found)
    return found


def _reused(results):
    """Two calls' results hold the same array memory, list or dict."""
    seen = []
    for result in results:
        mine = _containers_and_arrays(result["value"], [])
        for a in mine:
            for b in seen:
                if a is b or (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.shares_memory(a, b)):
                    return True
        seen += mine
    return False


def _state(failing, results, expected, rtol, atol, again, cases=None, reference=None):
    """Something kept from one call to the next:

    - a failing case got the right answer of an earlier case (one answered right, whose answer is not
      this one's), and, run again on this case's inputs nudged, the answer is then right (a cache keyed
      on the inputs missed) or still that earlier answer (a value kept, whatever the inputs): a function
      that merely ignores what tells the two cases apart does neither;
    - or the first failing case, run twice more, gives two different answers."""
    if again is None:
        return False
    for k in failing:
        for j in range(k):
            if j in failing or _problems(expected[j], results[k]["value"], rtol, atol) \
                    or not _problems(expected[j], expected[k], rtol, atol):
                continue
            if reference is not None:
                nudged = _nudged(cases[k])
                try:
                    right = reference(**nudged)
                except Exception:  # noqa: BLE001  (inputs the reference does not take: nothing to learn)
                    break
                result = again(k, nudged)
                if result["error"] is None and (not _problems(right, result["value"], rtol, atol)
                                                or not _problems(expected[j], result["value"], 1e-12, 0.0)):
                    return True
            break
    first, second = again(failing[0]), again(failing[0])
    if first["error"] is not None or second["error"] is not None:
        return False
    if not _comparable(first["value"]) or not _comparable(second["value"]):  # (an iterator, say: it tells nothing)
        return False
    return bool(_problems(first["value"], second["value"], 1e-12, 0.0))


def _comparable(value):
    """Data the comparisons know: numbers, arrays, and tuples, lists and dicts of them."""
    if isinstance(value, (tuple, list)):
        return all(_comparable(v) for v in value)
    if isinstance(value, dict):
        return all(_comparable(v) for v in value.values())
    return value is None or isinstance(value, (int, float, np.integer, np.floating, np.ndarray))


def _nudged(case):
    """A copy of a case with every float (and float array) a little larger: other inputs, the same kind."""
    def nudge(value):
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return value * (1.0 + 1e-3) + 1e-4
        if isinstance(value, float):
            return value * (1.0 + 1e-3) + 1e-4
        if isinstance(value, (list, tuple)):
            return type(value)(nudge(v) for v in value)
        if isinstance(value, dict):
            return {key: nudge(v) for key, v in value.items()}
        return copy.deepcopy(value)

    return {key: nudge(value) for key, value in case.items()}
