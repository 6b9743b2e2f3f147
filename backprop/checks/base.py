"""The checks' machinery: running an answer, comparing it, naming the likely cause, reporting.

    CheckFailed                 a failed check (an AssertionError): its message, and what the grader records
    Grading                     what a grader plugs in (the hidden tests' seeds; what each check compares with)
    grading(session)            run the checks under a Grading session (a context manager)
    current_grading()           the session in force
    forbidden_for(reference, yours, forbid)   tell the session what a check compares with; the code to watch for
    make_cases(cases, trials, seed)   a list of cases, drawn with a seed when cases is a function rng -> dict
    run_answer(function, case, forbidden)   call an answer on a copy of a case; its value, error, warnings
    likely_causes(...)          the known mistakes that give exactly the answer's outputs
    unwritten(results)          [NOT_WRITTEN] when every case stopped at a NotImplementedError: a blank
    NOT_WRITTEN                 the cause recorded for a blank ("course.not-written"), never shown as a likely cause
    mutation_problems(case, case_after)   the arguments an answer changed in place, in words
    failure_report(...)         the message of a failed check
    failure_lines(kind, message)   a failure as the lines a notebook shows, none wider than FAILURE_WIDTH
    says(cause)                 what a cause (a Mistake, or a sentence) says
    RTOL, ATOL, NUMERICAL_ATOL  the tolerances; MAX_CASES_SHOWN, the failing cases a message lists
    FAILURE_WIDTH               the widest line of a failure (nbgrader's Validate cuts longer lines)

Helpers of those: changed_arguments, first_change, holds_array, same_error, finite_markers,
describe_case; from compare: NUMERICAL_ATOL, describe_error.
"""

import contextlib
import copy
import re
import secrets
import sys
import textwrap
import warnings

import numpy as np

from backprop import forbidden
from backprop.checks.compare import NUMERICAL_ATOL, describe_error, differences
from backprop.forbidden import UsedTheReference, used_course_code
from backprop.mistakes import general, known_for
from backprop.validation import describe

__all__ = ["CheckFailed", "Grading", "grading", "current_grading", "forbidden_for", "make_cases", "run_answer",
           "likely_causes", "unwritten", "NOT_WRITTEN", "mutation_problems", "describe_error", "failure_report", "RTOL",
           "ATOL", "NUMERICAL_ATOL", "MAX_CASES_SHOWN", "says", "changed_arguments", "first_change", "holds_array",
           "same_error", "finite_markers", "describe_case", "failure_lines", "FAILURE_WIDTH"]

RTOL = 1e-7     # relative tolerance between your answer and the reference
ATOL = 1e-10    # absolute floor, for entries that should be (almost) zero
MAX_CASES_SHOWN = 3
FAILURE_WIDTH = 78  # Validate shows lines indented by 4 and cuts them at 87 characters

NOT_WRITTEN = general(
    "not-written",
    "not written yet: the answer, or a function of the student's it calls, still raises NotImplementedError.")


class CheckFailed(AssertionError):
    """A failed check. In a notebook it shows its message alone, without the checker's code.

    check   the name of the answer checked
    causes  the likely causes named, as backprop.mistakes.Mistake (empty when none is known)
    seed    the seed its random cases were drawn with, or None
    """

    def __init__(self, message, check=None, causes=(), seed=None):
        super().__init__(message)
        self.check, self.causes, self.seed = check, list(causes), seed

    def _render_traceback_(self):  # IPython shows these lines in place of a traceback
        name = type(self).__name__
        first, *rest = failure_lines(name, str(self))
        return [f"\x1b[1;31m{name}\x1b[0m" + first[len(name):], *rest]


def failure_lines(kind, message, width=FAILURE_WIDTH):
    """`kind: message` as lines no wider than `width` (where a word allows), so that nothing is cut
    where a failure is shown in a narrow place (nbgrader's Validate cuts lines at 87 characters).
    A wrapped line keeps its indent; a wrapped bullet ("- ...") continues under its text."""
    lines = []
    for line in f"{kind}: {message}".split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        indent = re.match(r"\s*(?:- )?", line).group(0)
        lines += textwrap.wrap(line, width, subsequent_indent=" " * len(indent), break_long_words=False,
                               break_on_hyphens=False) or [line]
    return lines


class Grading:
    """What a grader plugs into the checks. In a notebook this default is in force: the hidden
    tests draw fresh seeds, and nothing is told. A grader subclasses it and runs the test cells
    inside `with checks.grading(its_session):`.

    fresh_seed()                 the seed of a check's random cases when the test cell gives none
    comparing(reference, forbid) told before a check runs the answer: what it compares with, and the
                                 course code it forbids (backprop.forbidden.forbidden_names of them)
    trials(trials)               how many random cases to draw where a test cell asks for `trials`
    answering()                  a context around each call of the answer a check runs (a new trial)
    """

    def fresh_seed(self):
        return secrets.randbelow(2**31)

    def trials(self, trials):
        return trials

    def answering(self):
        return contextlib.nullcontext()

    def comparing(self, reference, forbid):
        pass


_SESSION = [Grading()]


def current_grading():
    """The Grading session in force."""
    return _SESSION[-1]


@contextlib.contextmanager
def grading(session):
    """Run the checks inside the block under `session` (a Grading)."""
    _SESSION.append(session)
    try:
        yield session
    finally:
        _SESSION.remove(session)


def forbidden_for(reference, yours, forbid=()):
    """Tell the grading session what a check compares with; return the code the answer may not call
    (backprop.forbidden.forbidden_code)."""
    current_grading().comparing(reference, forbid)
    return forbidden.forbidden_code(reference, yours, forbid)


def make_cases(cases, trials, seed):
    if callable(cases):
        if seed is None:
            seed = current_grading().fresh_seed()
        rng = np.random.default_rng(seed)
        return [cases(rng) for _ in range(current_grading().trials(trials))], seed
    return list(cases), None


def run_answer(function, case, forbidden=None):
    """Call function(**copy of case); capture its value or exception, and any warnings; note
    any call into the reference implementations it is compared with."""
    case_copy = copy.deepcopy(case)
    called = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code in forbidden:
            called.append(forbidden[frame.f_code])

    previous = sys.getprofile()
    with warnings.catch_warnings(record=True) as caught, current_grading().answering():
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


def likely_causes(reference, cases, results, outputs, rtol, atol, wrap=None, wrong_outputs=True):
    """The known mistakes (backprop.mistakes.Mistake) of which a version gives the answer's outputs on
    every case; where the answer raised an error, the version must raise the same one (same type,
    same message). A version that gives the right answer on every case explains nothing and is not
    counted. When the answer's outputs are all right (wrong_outputs False: what failed is a change of
    an argument in place), a version must also change the same arguments in place."""
    expected = [None] * len(cases)

    def right_answer(k):
        if expected[k] is None:
            run = reference if wrap is None else wrap(reference)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                expected[k] = run(**copy.deepcopy(cases[k]))
        return expected[k]

    def matches(version):
        version = version if wrap is None else wrap(version)
        differs = not wrong_outputs
        for k, (case, result) in enumerate(zip(cases, results)):
            copied = copy.deepcopy(case)
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    value, error = version(**copied), None
            except Exception as exc:  # noqa: BLE001  (a mistake may fail the way the answer did)
                value, error = None, exc
            if result["error"] is not None or error is not None:
                if not same_error(result["error"], error):
                    return False
                differs = True  # the same error as the answer's: the right answer raises none
                continue
            if differences({**result, "value": finite_markers(result["value"])}, finite_markers(value), "",
                           outputs, rtol, atol):
                return False
            if not wrong_outputs and changed_arguments(case, copied) != changed_arguments(case, result["case_after"]):
                return False
            if not differs:  # a version that gives the right answer on every case explains no wrong output
                differs = bool(differences({"error": None, "value": finite_markers(value)},
                                           finite_markers(right_answer(k)), "", outputs, rtol, atol))
        return differs

    named = {}
    for mistake in known_for(reference):  # (two mistakes that say the same are named once)
        if mistake.says not in named and any(matches(v) for v in mistake.versions):
            named[mistake.says] = mistake
    return list(named.values())


def unwritten(results):
    """[NOT_WRITTEN] when the answer raised NotImplementedError on every case (the exercise, or a function of
    the student's it calls, is still the stub they were given), else []. A failed check passes it to CheckFailed
    with its causes, for the grader's records (a blank is not a wrong answer); its message already says "not
    written yet" and names no likely cause."""
    errors = [r["error"] for r in results]
    return [NOT_WRITTEN] if errors and all(isinstance(e, NotImplementedError) for e in errors) else []


def same_error(mine, theirs):
    """Two exceptions of the same type with the same message (an error that crossed from the grader's
    sandbox keeps its type's name and its message)."""
    return (mine is not None and theirs is not None and not isinstance(mine, (NotImplementedError, UsedTheReference))
            and type(mine).__name__ == type(theirs).__name__ and str(mine) == str(theirs))


def finite_markers(value):
    """value with NaN and infinities replaced by marker numbers, recursively, so that two answers
    that overflow in the same places compare equal (to name a mistake such as an unstable softmax)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.nan_to_num(value.astype(np.float64), nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300)
    if isinstance(value, (float, np.floating)):
        return float(np.nan_to_num(np.float64(value), nan=-1.25e300, posinf=1.5e300, neginf=-1.75e300))
    if isinstance(value, (tuple, list)):
        return type(value)(finite_markers(v) for v in value)
    if isinstance(value, dict):
        return {k: finite_markers(v) for k, v in value.items()}
    return value


def describe_case(case):
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
        elif isinstance(value, np.random.Generator):
            parts.append(f"{key}=a NumPy random Generator")
        elif callable(value) and isinstance(getattr(value, "__name__", None), str):
            parts.append(f"{key}={value.__name__}")
        else:  # (never a memory address: the same case reads the same wherever it is checked)
            parts.append(f"{key}={re.sub(r' at 0x[0-9a-fA-F]+', '', repr(value))}")
    return ", ".join(parts)


def says(cause):
    """What a cause (a Mistake, or a plain sentence) says."""
    return getattr(cause, "says", cause)


def failure_report(name, cases, failures, seed, causes, against="the reference", note=None):
    """The failure's message. What helps most comes first (the likely cause, then what the cases
    test), because a long message is shown cut short in places (nbgrader's Validate)."""
    lines = [f"{name} does not agree with {against} on {len(failures)} of {len(cases)} cases.", ""]
    if causes:
        lines += ["Likely cause: " + " Or: ".join(dict.fromkeys(says(c) for c in causes)), ""]
    if note:
        lines += [note, ""]
    if len(failures) > 1 and all(f[2] == failures[0][2] for f in failures):
        lines.append("On every case:")
        lines += [f"  - {p}" for p in failures[0][2]]
        failures = []
    for i, case, problems, result in failures[:MAX_CASES_SHOWN]:
        lines.append(f"case {i + 1}: {describe_case(case)}")
        lines += [f"  - {p}" for p in problems]
        if result["warnings"]:
            lines.append(f"  - NumPy warned: {'; '.join(sorted(set(result['warnings'])))}")
    if len(failures) > MAX_CASES_SHOWN:
        lines.append(f"... and {len(failures) - MAX_CASES_SHOWN} more failing cases.")
    if seed is not None:
        lines += ["", f"(These cases were drawn at random with seed={seed}; the same seed gives the same cases.)"]
    return "\n".join(lines)


def mutation_problems(case, case_after):
    problems = []
    for key, value in case.items():
        changed = first_change(key, value, case_after[key])
        if changed is not None:
            where = "" if changed == key else f" ({changed})"
            how = (f"compute new arrays (a = a - ... instead of a -= ..., or {key}.copy())"
                   if isinstance(value, np.ndarray) else
                   "build new arrays in a new list or dict (g = g * s, not g *= s; a list's .copy() "
                   "still shares its arrays)")
            problems.append(f"the argument {key} was changed in place{where}; {how}.")
    return problems


def changed_arguments(case, case_after):
    """The names of the arguments a call changed in place."""
    return {key for key, value in case.items() if first_change(key, value, case_after[key]) is not None}


def first_change(label, before, after):
    """The label of the first array inside `before` (an array, or lists and dicts of them) that
    `after` no longer matches, or None; values that are not arrays are not compared."""
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=True))
        return None if same else label
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            return label if holds_array(before) else None
        for k, (b, a) in enumerate(zip(before, after)):
            changed = first_change(f"{label}[{k}]", b, a)
            if changed is not None:
                return changed
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(after) != set(before):
            return label if holds_array(before) else None
        for k in before:
            changed = first_change(f"{label}[{k!r}]", before[k], after[k])
            if changed is not None:
                return changed
    return None


def holds_array(value):
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (list, tuple)):
        return any(holds_array(v) for v in value)
    if isinstance(value, dict):
        return any(holds_array(v) for v in value.values())
    return False
