"""The checks' machinery: running an answer, comparing it, naming the likely cause, reporting.

    CheckFailed                 a failed check (an AssertionError): its message, and what the grader records
    Grading                     what a grader plugs in (the hidden tests' seeds; what each check compares with;
                                whether a failure raises)
    in_students_kernel()        whether the checks run in a student's own kernel (not nbgrader's, not a grader)
    shown_in_notebook(check)    a check as test cells call it: in a student's kernel a failure is shown, not raised
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

Helpers of those: changed_arguments, first_change, holds_array, same_error, finite_markers, dtypes,
describe_case; from compare: NUMERICAL_ATOL, describe_error.
"""

import contextlib
import copy
import functools
import inspect
import os
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

__all__ = ["CheckFailed", "Grading", "in_students_kernel", "shown_in_notebook", "grading", "current_grading",
           "forbidden_for", "make_cases", "run_answer",
           "likely_causes", "mutation_problems", "describe_error", "failure_report", "RTOL", "ATOL", "NUMERICAL_ATOL",
           "MAX_CASES_SHOWN", "says", "changed_arguments", "first_change", "holds_array", "same_error",
           "finite_markers", "dtypes", "describe_case", "failure_lines", "FAILURE_WIDTH", "unwritten", "NOT_WRITTEN"]

RTOL = 1e-7     # relative tolerance between your answer and the reference
ATOL = 1e-10    # absolute floor, for entries that should be (almost) zero
MAX_CASES_SHOWN = 3
FAILURE_WIDTH = 78  # Validate shows lines indented by 4 and cuts them at 87 characters

NOT_WRITTEN = general(  # (the same words as checks.general's cause of the same id, registered here first)
    "not-written",
    "not written yet: it still raises NotImplementedError. Replace that line with your code and run the cell.")


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
    watching(watch)              a context around each call of the answer in which `watch` (a sys.setprofile
                                 function) sees the calls made in this process that the answer may not make.
                                 In a notebook, every call while the answer runs; the grader, where the
                                 answer runs in a sandbox, watches only the calls the answer makes back into it
    substituting(yours, name, value)   a context in which the student's `name`, as the answer `yours`
                                 finds it, is `value`; it gives the student's own (None: nothing to
                                 replace). In a notebook, the answer's module globals; the grader
                                 replaces the name in the student's sandbox (backprop/checks/cascade.py)
    raise_failures               whether a failed check raises CheckFailed (stopping its cell, and Run All),
                                 or shows its failure under the cell and lets the notebook go on. By default
                                 it raises everywhere but in a student's own kernel (in_students_kernel());
                                 a grader's session always raises.
    """

    @property
    def raise_failures(self):
        return not in_students_kernel()

    def fresh_seed(self):
        return secrets.randbelow(2**31)

    def trials(self, trials):
        return trials

    def answering(self):
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def watching(self, watch):
        previous = sys.getprofile()
        sys.setprofile(watch)
        try:
            yield
        finally:
            sys.setprofile(previous)

    def comparing(self, reference, forbid):
        pass

    @contextlib.contextmanager
    def substituting(self, yours, name, value):
        namespace = _students_globals(yours)
        if namespace is None or name not in namespace:
            yield None
            return
        original = namespace[name]
        namespace[name] = value
        try:
            yield original
        finally:
            namespace[name] = original


def _students_globals(yours):
    """The module globals of the student's function or class behind `yours` (through __wrapped__), or None
    when it is the course's own code or has none."""
    try:
        inner = inspect.unwrap(yours)
    except ValueError:
        return None
    if inspect.isclass(inner):
        inner = next((f for f in vars(inner).values() if inspect.isfunction(f)), None)
    namespace = getattr(inspect.unwrap(inner) if inner is not None else None, "__globals__", None)
    if not isinstance(namespace, dict) or str(namespace.get("__name__", "")).startswith("backprop"):
        return None
    return namespace


_TRUSTED = [0]  # > 0 while the course's code runs on behalf of a check (a stand-in for an earlier answer)


_SESSION = [Grading()]


def in_students_kernel():
    """Whether the checks run in a student's own kernel: an IPython kernel (JupyterLab's), which
    nbgrader's Validate and autograde are not (they set NBGRADER_EXECUTION)."""
    if os.environ.get("NBGRADER_EXECUTION") or "ipykernel" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


_FAILED_IN = {"cell": None}  # the cell (IPython's execution count) whose check failed last, in a student's kernel


def _this_cell():
    from IPython import get_ipython

    shell = get_ipython()
    return None if shell is None else (id(shell), shell.execution_count)


def shown_in_notebook(check):
    """The check as test cells call it. Where the Grading session raises failures (a grader, nbgrader's
    Validate and autograde, tests), it is the check itself. In a student's own kernel, a failure is shown
    under the cell as an error is (red, its message alone) without raising, so that Run All goes on past an
    exercise not written yet; the other checks of that cell then do not run, as after an error."""

    @functools.wraps(check)
    def shown(*args, **kwargs):
        if current_grading().raise_failures:
            return check(*args, **kwargs)
        cell = _this_cell()
        if cell is not None and _FAILED_IN["cell"] == cell:  # an earlier check of this cell failed
            return None
        try:
            return check(*args, **kwargs)
        except CheckFailed as failure:
            _FAILED_IN["cell"] = cell
            sys.stdout.flush()  # what the cell printed first stays first
            sys.stderr.write("\n".join(failure._render_traceback_()) + "\n")
            sys.stderr.flush()
            return None

    return shown


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
        if event == "call" and frame.f_code in forbidden and not _TRUSTED[0]:
            called.append(forbidden[frame.f_code])

    session = current_grading()
    with warnings.catch_warnings(record=True) as caught, session.answering():
        warnings.simplefilter("always")
        try:
            with session.watching(watch) if forbidden else contextlib.nullcontext():
                value, error = function(**case_copy), None
        except Exception as exc:  # the student's error becomes part of the report
            value, error = None, exc
    if called:
        value, error = None, UsedTheReference(used_course_code(called[0]))
    return {"value": value, "error": error, "warnings": [str(w.message) for w in caught], "case_after": case_copy}


def likely_causes(reference, cases, results, outputs, rtol, atol, wrap=None, wrong_outputs=True):
    """The known mistakes (backprop.mistakes.Mistake) of which a version gives the answer's outputs on
    every case; where the answer raised an error, the version must raise the same one (same type,
    same message). A version that gives the right answer on every case explains nothing and is not
    counted. When the answer's outputs are all right (wrong_outputs False: what failed is a change of an
    argument in place), a version must also change the same arguments in place. When some versions change
    exactly the arguments the answer changes (none, say), the versions that change others are not counted."""
    expected = [None] * len(cases)

    def right_answer(k):
        if expected[k] is None:
            run = reference if wrap is None else wrap(reference)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                expected[k] = run(**copy.deepcopy(cases[k]))
        return expected[k]

    inexact = [False]  # (the version being matched changes other arguments than the answer, on some case)

    def matches(version):
        version = version if wrap is None else wrap(version)
        differs = not wrong_outputs
        inexact[0] = False
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
                           outputs, rtol, atol) or dtypes(result["value"]) != dtypes(value):
                return False
            theirs, mine = changed_arguments(case, copied), changed_arguments(case, result["case_after"])
            if not wrong_outputs and theirs != mine:
                return False
            inexact[0] = inexact[0] or theirs != mine
            if not differs:  # a version that gives the right answer on every case explains no wrong output
                differs = bool(differences({"error": None, "value": finite_markers(value)},
                                           finite_markers(right_answer(k)), "", outputs, rtol, atol)) \
                    or dtypes(value) != dtypes(right_answer(k))
        return differs

    if any(isinstance(result["error"], UNMATCHED_ERRORS) for result in results):
        return []  # (no version raises what the answer raised on that case: none would match, so none is run)
    named, exact = {}, set()
    for mistake in known_for(reference):  # (two mistakes that say the same are named once)
        for version in mistake.versions if mistake.says not in named else ():
            if matches(version):
                named[mistake.says] = mistake
                if not inexact[0]:
                    exact.add(mistake.says)
                    break
    if exact:
        return [mistake for says, mistake in named.items() if says in exact]
    return list(named.values())


def unwritten(results, named=()):
    """[NOT_WRITTEN] when the answer raised NotImplementedError on every case (the exercise, or a function of
    the student's it calls, is still the stub they were given), else []. A failed check passes it to CheckFailed
    with its causes, for the grader's records (a blank is not a wrong answer); its message already says "not
    written yet" and names no likely cause."""
    errors = [r["error"] for r in results]
    if any(cause.id == NOT_WRITTEN.id for cause in named):  # (a check's general cause said it already)
        return []
    return [NOT_WRITTEN] if errors and all(isinstance(e, NotImplementedError) for e in errors) else []


def same_error(mine, theirs):
    """Two exceptions of the same type with the same message (an error that crossed from the grader's
    sandbox keeps its type's name and its message)."""
    return (mine is not None and theirs is not None and not isinstance(mine, UNMATCHED_ERRORS)
            and type(mine).__name__ == type(theirs).__name__ and str(mine) == str(theirs))


UNMATCHED_ERRORS = (NotImplementedError, UsedTheReference)  # an answer's errors no known mistake stands for



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


def dtypes(value):
    """The float dtypes other than float64 inside value (arrays and NumPy numbers, in lists, tuples and
    dicts), which finite_markers makes float64: so that a float32 answer is told apart from a float64 one."""
    if isinstance(value, (np.ndarray, np.floating)) and value.dtype.kind == "f" and value.dtype != np.float64:
        return str(value.dtype)
    if isinstance(value, (tuple, list)):
        return tuple(dtypes(v) for v in value)
    if isinstance(value, dict):  # (by key: the order of a dict's keys is not its dtypes)
        return tuple((k, dtypes(value[k])) for k in sorted(value, key=repr))
    return None


def describe_case(case):
    parts = []
    for key, value in case.items():
        if isinstance(value, np.ndarray) and (value.size > 6 or value.ndim > 1):
            zero = ", all 0" if value.dtype.kind in "fiu" and value.size and not value.any() else ""
            parts.append(f"{key}: array of shape {value.shape}{zero}")
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


def mutation_problems(case, case_after, restored=()):
    """The arguments an answer changed in place, in words. `restored`: the arguments it may change on its way
    but must put back as they were (numerical_gradient's x), said as such."""
    problems = []
    for key, value in case.items():
        changed = first_change(key, value, case_after[key])
        if changed is not None and key in restored:
            problems.append(f"the argument {key} is not as it was when the function returns: put every entry "
                            f"back exactly after nudging it, {key}[idx] = old (old saved before the nudge).")
        elif changed is not None:
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
