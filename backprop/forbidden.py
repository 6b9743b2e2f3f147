"""What an answer may not call, and what it is told when it does: one rule, for the checks and the grader.

A graded answer must compute its result itself. It may not call the reference it is compared
with (every method of it, for a class), anything in `backprop.reference`, or what the check's
`forbid=` names (the course's own layers or helpers that do what the exercise asks). The checks
watch for such calls while the answer runs in the notebook; the grader keeps the same code out
of the answer's reach (see autograde).

    UsedTheReference                  the error such a call fails with
    TRUST_COURSE_CODE                 set by the course's own tests, which check references against themselves
    forbidden_names(reference, forbid)   the dotted names an answer may not call ("backprop.layers.Linear")
    forbidden_code(reference, yours, forbid)   {code object: name} of every function and method behind them
    code_of(names)                    {code object: name} for dotted names, resolved in this process
    used_course_code(name)            what a failed answer is told
    unavailable(name, kind)           a stand-in for such code while an answer is graded: it fails when used
    Unavailable                       the base of a stand-in class
"""

import importlib
import inspect

__all__ = ["UsedTheReference", "TRUST_COURSE_CODE", "forbidden_names", "forbidden_code", "code_of",
           "used_course_code", "unavailable", "Unavailable"]

TRUST_COURSE_CODE = False

REFERENCE_PACKAGE = "backprop.reference"


class UsedTheReference(Exception):
    """The answer called the course's reference implementation, or course code the exercise forbids."""


def _label(target):
    """The name an answer is told: backprop.reference.softmax (not its lesson module), backprop.layers.Linear."""
    module = target.__module__
    if module.startswith(REFERENCE_PACKAGE + "."):
        module = REFERENCE_PACKAGE
    return f"{module}.{target.__name__}"


def _course_object(target):
    return (inspect.isclass(target) or inspect.isfunction(target)) and \
        (getattr(target, "__module__", None) or "").startswith("backprop.")


def forbidden_names(reference, forbid=()):
    """The dotted names of what an answer checked against `reference` may not call: the reference
    and what `forbid` names (course functions or classes; anything else is ignored). Everything in
    backprop.reference is forbidden too, without being listed."""
    return sorted({_label(t) for t in (reference, *forbid) if _course_object(t)})


def _reference_functions():
    from backprop import reference as references

    return [(f"{REFERENCE_PACKAGE}.{name}", obj) for name, obj in vars(references).items()
            if inspect.isfunction(obj) and obj.__module__.startswith(REFERENCE_PACKAGE)]


def _codes(targets):
    codes = {}
    for label, target in targets:
        if inspect.isclass(target):
            for klass in target.__mro__:
                if klass.__module__.startswith("backprop."):
                    for member in vars(klass).values():
                        if inspect.isfunction(member):
                            codes[member.__code__] = label  # the class, as the message names it
        elif inspect.isfunction(target):
            codes[target.__code__] = label
    return codes


def forbidden_code(reference, yours, forbid=()):
    """{code object: name} of every function and method an answer `yours` may not call while it is
    checked against `reference`. Empty when the course's tests check its own code (TRUST_COURSE_CODE)."""
    inner = inspect.unwrap(yours)  # through gradients_of and other wrappers
    if TRUST_COURSE_CODE and (inner is reference or (getattr(inner, "__module__", None) or "").startswith(
            (REFERENCE_PACKAGE, "backprop.mistakes"))):
        return {}
    targets = _reference_functions() + [(_label(t), t) for t in (reference, *forbid) if _course_object(t)]
    return _codes(targets)


def code_of(names):
    """{code object: name} for dotted names ("backprop.layers.Linear"), and every function of
    backprop.reference; names that do not resolve here are skipped."""
    targets = _reference_functions()
    for name in names:
        module_name, _, attr = name.rpartition(".")
        try:
            targets.append((name, getattr(importlib.import_module(module_name), attr)))
        except (ImportError, AttributeError, ValueError):
            continue
    return _codes(targets)


def used_course_code(name):
    """What to tell an answer that called the course's own code `name` ("module.function" or
    "module.Class") instead of computing."""
    if name.startswith(REFERENCE_PACKAGE + "."):
        return f"it calls the course's reference implementation {name} instead of computing the answer itself"
    return (f"it calls the course's own {name} instead of computing the answer itself: this exercise asks "
            f"you to write that part")


class Unavailable:
    """The base of a stand-in for a course class an exercise forbids: making one, or calling its
    forward, backward or predict, fails as the checks fail an answer that uses the class."""

    _label = "backprop"

    def __init__(self, *args, **kwargs):
        raise UsedTheReference(used_course_code(self._label))

    def forward(self, *args, **kwargs):
        raise UsedTheReference(used_course_code(self._label))

    backward = predict = forward


def unavailable(name, kind="function"):
    """A stand-in for the course's function or class `name` ("backprop.layers.Linear") in the copy of
    the package a graded answer sees, where the implementation is absent: using it fails with the
    words the checks use."""
    module, _, short = name.rpartition(".")
    if kind == "class":
        return type(short, (Unavailable,), {"_label": name, "__module__": module, "__doc__": "Not available here."})

    def stand_in(*args, **kwargs):
        raise UsedTheReference(used_course_code(name))

    stand_in.__name__ = stand_in.__qualname__ = short
    stand_in.__module__ = module
    return stand_in
