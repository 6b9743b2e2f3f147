"""The catalogue's machinery: what a mistake is, and how the checks find an exercise's mistakes.

A mistake is one thing students get wrong in one graded exercise: a short id, what the checks
say when an answer makes it (what is wrong and what is right, in the lesson's words), and one or
more buggy versions of the reference that make it. When an answer fails, the checks run every
version of every mistake known for that exercise on the same inputs; a mistake whose version
gives exactly the answer's outputs is named as the likely cause.

    Mistake                           id ("l01.forward-no-bias"), says, versions, lesson, section
    register(reference, mistakes, includes)  record an exercise's mistakes (in its lesson's module)
    general(short, says)              a mistake recognised by behaviour, not by a buggy version
    known_for(reference)              the mistakes of the exercise checked against `reference`
    catalogue()                       every mistake, {id: Mistake}
    Dependency                        a later answer calls an earlier one: its name, the reference's stand-in
    depends(references, name, substitute, exercise, title)   declare one (in the later exercise's lesson module)
    dependencies_for(reference)       the dependencies declared for the checks against `reference`

A later exercise that calls an earlier one fails when the earlier one is wrong. `depends` declares it,
next to the later exercise's mistakes: when a check against one of `references` fails, it runs the
student's answer again with the reference's version (`substitute`) in place of the student's `name`
(backprop/checks/cascade.py), so that the earlier exercise's test, not the later one's, names the bug.
"""

import sys
from dataclasses import dataclass

__all__ = ["Mistake", "register", "general", "known_for", "catalogue", "Dependency", "depends", "dependencies_for"]


@dataclass(frozen=True)
class Mistake:
    """One mistake: `id` names it in records ("l06.softmax-unstable"), `says` is what a failing check
    tells the student, `versions` are buggy functions (or classes) that make it. `section`, if given, is
    the heading of the lesson's section that teaches what the mistake gets wrong, as the lesson's text
    writes it ("Stability: subtract the maximum"); the instructor's report links there (by default, to the
    exercise's own section)."""

    id: str
    says: str
    versions: tuple
    lesson: str
    section: str = ""

    def __iter__(self):  # (says, first version): the pair older code unpacks
        yield self.says
        yield self.versions[0]


_BY_REFERENCE = {}  # reference -> [Mistake]
_INCLUDES = {}      # reference -> [other references whose mistakes it shares]
_BY_ID = {}


def _key(reference):
    return getattr(reference, "__func__", reference)


def register(reference, mistakes=(), includes=()):
    """Record the mistakes of the exercise checked against `reference` (a function or a class).

    mistakes  [(short id, says, version or [versions]), ...]; the id is prefixed with the lesson
              of the module that calls this ("forward-no-bias" in l01_one_neuron: "l01.forward-no-bias");
              a fourth item, if any, is the heading of the lesson's section that teaches it (Mistake.section)
    includes  other references whose mistakes this exercise shares (found when asked, whichever
              module registered them, in whatever order)
    """
    module = sys._getframe(1).f_globals.get("__name__", "")
    lesson = module.rpartition(".")[2][:3] if module.rpartition(".")[2][:1] == "l" else "course"
    entries = _BY_REFERENCE.setdefault(_key(reference), [])
    for short, says, versions, *section in mistakes:
        ident = f"{lesson}.{short}"
        if ident in _BY_ID:
            raise ValueError(f"two mistakes have the id {ident!r}")
        versions = tuple(versions) if isinstance(versions, (list, tuple)) else (versions,)
        mistake = Mistake(ident, says, versions, lesson, *section[:1])
        _BY_ID[ident] = mistake
        entries.append(mistake)
    if includes:
        _INCLUDES.setdefault(_key(reference), []).extend(_key(r) for r in includes)


def general(short, says):
    """A mistake a check recognises by what the answer does rather than by a buggy version (a backward
    that reads what the latest forward left on the layer): recorded as "course.<short>", returned."""
    ident = f"course.{short}"
    if ident not in _BY_ID:
        _BY_ID[ident] = Mistake(ident, says, (), "course")
    return _BY_ID[ident]


def known_for(reference):
    """The mistakes known for a reference function or class: its own, then those it includes."""
    found, seen = [], set()

    def collect(key):
        if key in seen:
            return
        seen.add(key)
        for other in _INCLUDES.get(key, []):
            collect(other)
        found.extend(_BY_REFERENCE.get(key, []))

    collect(_key(reference))
    return found


def catalogue():
    """Every registered mistake, {id: Mistake}, in the order registered."""
    return dict(_BY_ID)


@dataclass(frozen=True)
class Dependency:
    """A later answer may call an earlier one. `name` is the earlier answer's name in the student's notebook
    ("backward"), `substitute` the reference's version, called exactly as the student's is (same arguments,
    same results), `exercise` the grade id of the earlier answer's cell ("batched_backward"), `title` how the
    lesson names it ("Exercise 1's backward"), `cause` the cause a check names when both are wrong
    ("l05.cascade.batched_backward")."""

    name: str
    substitute: object
    exercise: str
    title: str
    cause: Mistake


_DEPENDS = {}  # reference -> [Dependency]


def depends(references, name, substitute, exercise, title):
    """Declare that the answers checked against `references` (a reference, or a list of them: every one a
    check of the later exercise compares with) may call the earlier answer `name`, whose reference version
    is `substitute`; `exercise` is the earlier answer cell's grade id and `title` how the lesson names it,
    e.g. depends(ref.train_result, "backward", ref.regression_backward, "batched_backward",
    "Exercise 1's backward"). Returns the Dependency."""
    module = sys._getframe(1).f_globals.get("__name__", "")
    lesson = module.rpartition(".")[2][:3] if module.rpartition(".")[2][:1] == "l" else "course"
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be the earlier answer's name in the notebook, e.g. 'backward', but is {name!r}")
    if not callable(substitute):
        raise TypeError(f"substitute must be the reference's version of {name} (a function or class), "
                        f"but is {substitute!r}")
    ident = f"{lesson}.cascade.{exercise}"
    cause = _BY_ID.get(ident)
    if cause is None:
        cause = Mistake(ident, f"{title} is wrong, and this answer calls it: fix {name} first (its own test says "
                               f"how). What is listed here remains with the course's {name} in place of yours.",
                        (), lesson)
        _BY_ID[ident] = cause
    dependency = Dependency(name, substitute, exercise, title, cause)
    for reference in references if isinstance(references, (list, tuple)) else [references]:
        _DEPENDS.setdefault(_key(reference), []).append(dependency)
    return dependency


def dependencies_for(reference):
    """The Dependency list declared for the checks against `reference` (a function or class)."""
    return list(_DEPENDS.get(_key(reference), []))
