"""Cascades: a later answer that fails because an earlier answer it calls is wrong.

Lesson 05's `train` calls the student's `backward`; lesson 01's `neuron_gradients` may call the student's
`neuron_forward`. When the earlier answer is wrong, the later one fails too, and the causes its check finds
blame it for what it inherited ("the learning rate is missing from the update", when backward lacks its
1/m). One bug should cost one deduction, and be named once, by the earlier exercise's test.

How (the choice made). When a check of a later exercise fails and its lesson declared a dependency
(`backprop.mistakes.depends`, next to the later exercise's mistakes), the check runs the answer again
with a stand-in in place of the student's earlier answer: the stand-in returns what the reference's
version returns, and compares it with what the student's own version returns on the same arguments.

- The second run passes, and the student's earlier answer differed: the later answer is right. The check
  passes (the later exercise keeps its points) and says that it ran with the course's version, because the
  earlier one is wrong; the earlier exercise's own test names the bug.
- The second run fails too, and the earlier answer differed: both are wrong. The check fails with what the
  second run found (the later answer's own mistake, named from outputs it produced with a right earlier
  answer), a paragraph saying that the earlier answer is wrong too, and the cascade cause
  `lNN.cascade.<earlier exercise>` among its causes.
- The student's earlier answer never differed (it is right, or the later answer does not call it): the
  first failure stands as it was.

The same verdict in the notebook and when graded. In a notebook, the stand-in replaces the name in the
student's function's module globals for the duration of the second run (`Grading.substituting`). When
graded, the test cells run in the grader and the student's functions in a sandbox without the course's
reference implementations: the grader's session (autograde/verify.py) asks the sandbox to bind the name,
in the notebook's namespace, to a handle of the grader's stand-in (autograde/sandbox.py's "bind"
request), and binds it back afterwards. The stand-in runs in the grader, where the reference is; the
student's code can only call it, during that one run, and a sandbox forgets every handle at the next test
cell. The forbidden-code watch of the checks (backprop/forbidden.py) ignores the reference while the
stand-in runs it, and only then. tests/checks/test_cascade.py grades the same notebooks both ways.

What it costs. The second run happens only when a check with declared dependencies fails. When graded,
each call of the stand-in is a round trip between the sandbox and the grader, and each of the first
COMPARED_CALLS calls one more, to the student's own version: a training loop of 500 steps takes seconds.
When the student's version gave the reference's results on all of those calls, the second run stops there
(Settled): it could only confirm the first failure.

    run_checked(yours, references, attempt)   run a check's attempt; on a failure, again with stand-ins
    stand_in(dependency, spy)                 the reference's version in place of the student's, watching it
    Spy                                       what a stand-in saw: the student's original, whether it differed
    Settled                                   ends a second run that is not needed
    COMPARED_CALLS                            the calls of the student's version compared, at most, per run
"""

import contextlib
import copy
import warnings

import numpy as np

from backprop.checks import base
from backprop.checks.base import ATOL, RTOL, CheckFailed, current_grading, finite_markers
from backprop.checks.compare import differences
from backprop.mistakes import dependencies_for

__all__ = ["run_checked", "stand_in", "Spy", "Settled", "COMPARED_CALLS"]


COMPARED_CALLS = 40  # calls of the student's earlier answer compared at most, per run (a training loop makes hundreds)


class Spy:
    """What a stand-in saw: `original` (the student's own version, or None), `wrong` (whether it gave
    other results than the reference's on the arguments the later answer passed, in the first
    COMPARED_CALLS calls), `compared` (calls compared so far)."""

    def __init__(self, dependency):
        self.dependency, self.original, self.wrong, self.compared = dependency, None, False, 0

    def watching(self):
        return not self.wrong and self.original is not None and self.compared < COMPARED_CALLS

    @property
    def settled(self):
        """The student's version gave the reference's results on COMPARED_CALLS calls: it is taken to be
        right, and the second run is cut short (it could only confirm the first failure)."""
        return not self.wrong and self.compared >= COMPARED_CALLS


class Settled(BaseException):
    """Raised by a stand-in whose spy is settled: ends the second run early. (A BaseException, so that an
    answer's `except Exception` does not hide it in a notebook; when graded it reaches the sandbox as an
    ordinary error of the call, and the check records the answer as failing, which is ignored.)"""


def stand_in(dependency, spy):
    """A function that returns what the reference's version (dependency.substitute) returns, and, until
    they first differ, also calls the student's own version (spy.original) on copies of the same arguments
    and notes whether it gives the same."""
    def substitute(*args, **kwargs):
        if spy.settled:
            raise Settled(f"the course's {dependency.name} was not needed")
        watching = spy.watching()
        if watching:
            spy.compared += 1
            copied = copy.deepcopy((args, kwargs))
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    mine, error = spy.original(*copied[0], **copied[1]), None
                except Exception as exc:  # noqa: BLE001  (a wrong or unwritten earlier answer: it differs)
                    mine, error = None, exc
        base._TRUSTED[0] += 1
        try:
            value = dependency.substitute(*args, **kwargs)
        finally:
            base._TRUSTED[0] -= 1
        if watching:
            spy.wrong = error is not None or bool(differences(
                {"error": None, "value": finite_markers(mine)}, finite_markers(value), dependency.name, None,
                RTOL, ATOL))
        return value

    substitute.__name__ = substitute.__qualname__ = dependency.name
    # when graded: what each call shares with the sandbox is forgotten when it returns (autograde/wire.py), so
    # that the hundreds of calls of a training loop do not pile up arrays to keep in step
    substitute.__call_scoped__ = True
    return substitute


def run_checked(yours, references, attempt):
    """attempt() runs a check's comparison and returns the line a passing check prints, or, on a failure,
    a function that raises its CheckFailed (it finds the likely causes first, which takes time: only the
    failure reported pays for it). On a failure, if the dependencies declared for `references` apply (the
    student's `yours` calls an earlier answer of theirs), attempt() runs again with stand-ins in their
    place; see the module's docstring for what follows. Returns the line to print. (An attempt may also
    raise its CheckFailed at once, as a lesson's own check may: it is then kept, and raised again when it
    stands.)"""
    first = _attempted(attempt)
    if isinstance(first, str):
        return first
    dependencies = {}
    for reference in references:
        for dependency in dependencies_for(reference):
            dependencies.setdefault(dependency.name, dependency)
    if not dependencies:
        first()
    spies = [Spy(d) for d in dependencies.values()]
    second, passed = None, None
    with contextlib.ExitStack() as stack:
        for spy in spies:
            spy.original = stack.enter_context(current_grading().substituting(yours, spy.dependency.name,
                                                                              stand_in(spy.dependency, spy)))
        if all(spy.original is None for spy in spies):
            stack.close()
            first()
        try:
            outcome = attempt()
            if isinstance(outcome, str):
                passed = outcome
            elif any(spy.wrong for spy in spies):  # (its causes found with the stand-ins still in place)
                outcome()
        except CheckFailed as exc:
            second = exc
        except Settled:
            second = None
    wrong = [spy.dependency for spy in spies if spy.wrong]
    if not wrong:  # the earlier answers gave what the reference's give: the failure is this answer's own
        first()
    name = getattr(second, "check", None) or getattr(yours, "__name__", "your answer")
    theirs = " and ".join(f"the course's {d.name}" for d in wrong)
    earlier = " and ".join(d.title for d in wrong)
    if second is None:
        return (f"{passed}\n   ({name} ran with {theirs} in place of yours: {earlier} is wrong, and its own test "
                f"says how. {name} itself is right.)")
    note = (f"{earlier} is wrong too, and {name} calls it: fix it first (its own test says how). What is listed "
            f"here is {name}'s own: it remains with {theirs} in place of yours.")
    headline, _, rest = str(second).partition("\n")
    raise CheckFailed(f"{headline}\n\n{note}\n{rest}", check=second.check, causes=[*second.causes,
                                                                              *[d.cause for d in wrong]],
                      seed=second.seed) from None


def _attempted(attempt):
    """attempt()'s outcome: its line, or a function raising its failure (one it raised at once included)."""
    try:
        return attempt()
    except CheckFailed as exc:
        failure = exc

        def fail():
            raise failure

        return fail
