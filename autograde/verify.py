"""The grading engine: a submission's test cells, run in the grader against its code in a sandbox.

nbgrader runs a student's code and the tests in one kernel, where the student's code can change
anything the tests rely on: NumPy, the checks, IPython's error display, the test cells themselves.
So here the test cells (hidden tests included) run in the grader's own Python, with the course's
package as installed, and the student's code runs in a sandbox (autograde/isolation.py) from which
the course's reference implementations are absent. The test cells reach the student's functions
and classes through proxies, and everything crosses as shared objects (autograde/wire.py): a check
sees what the student's code really did to its arguments, what its outputs alias, whether a layer
reads its weights from its params, exactly as in the student's kernel.

    verify(nb, seed, zygote, limits)   {grade_id: Verdict} for the test cells of a (sanitized) notebook
    in_kernel(nb, seed)                the same, with the student's code run here, in one namespace, as the
                                       student's own kernel runs it: what the notebook itself says (for tests)
    Verdict                            passed, what the cell printed, the failure, the likely causes named
    grading_seed(secret, student, lesson)   the seed of the hidden tests: the same in every route
    course_secret(folder)              the course's grading secret (made once, readable by its owner only)
    test_cells(nb), student_code(nb)   the test cells; the code the sandbox runs
    definitions_only(source)           a cell's imports, definitions and plain assignments
    free_names(source)                 the names a test cell takes from the student's notebook
    NOT_WRITTEN                        what a failing test cell says when its exercise is not written yet
"""

import ast
import builtins
import contextlib
import hashlib
import inspect
import io
import random
import secrets
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograde import isolation, views, wire
from backprop import checks

__all__ = ["verify", "in_kernel", "Verdict", "grading_seed", "course_secret", "test_cells", "student_code",
           "definitions_only", "free_names", "NOT_WRITTEN"]

NOT_WRITTEN = "not written yet"


@dataclass
class Verdict:
    """What one test cell said: printed, the lines it printed (the checks that passed); and if it
    failed, failure (the message), kind (the exception's type: CheckFailed for a failed check),
    causes ([(id, says)] of the likely causes named), check (the answer it was about) and seed."""

    passed: bool
    printed: str = ""
    failure: str = ""
    kind: str = ""
    causes: list = field(default_factory=list)
    check: str = ""
    seed: int = None

    @property
    def output(self):
        """Everything the cell showed: what it printed, then the failure."""
        return "\n".join(part for part in (self.printed, self.failure) if part)

    @property
    def headline(self):
        """The failure's first line."""
        return self.failure.split("\n", 1)[0]


def course_secret(folder):
    """The course's grading secret, in folder/.grading-secret (made on first use, mode 600)."""
    path = Path(folder) / ".grading-secret"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def grading_seed(secret, student, lesson):
    """The seed of a submission's hidden tests: from the course secret, the student and the lesson, so
    every route (the class command, nbgrader's autograde, the formgrader's button, the student's own
    feedback) draws the same hidden cases, and they are the same when graded again."""
    return hashlib.sha256(f"{secret}/{student}/{lesson}".encode()).hexdigest()[:16]


def test_cells(nb):
    """The autograded test cells of a notebook."""
    return [c for c in nb.cells if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("grade")]


def student_code(nb):
    """The code the sandbox runs: the student's answer cells whole; of every other cell only its
    imports, definitions and plain assignments (no training runs, figures or widgets, which the tests
    do not need and which would make grading slow); the test cells not at all."""
    test_ids = {c.metadata["nbgrader"]["grade_id"] for c in test_cells(nb)}
    cells = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("grade_id") in test_ids:
            continue
        if meta.get("solution"):
            cells.append(cell.source)
        else:  # one statement at a time, so that a name that is missing stops only its own line
            cells.extend(definitions_only(cell.source))
    return cells


def definitions_only(source):
    """A cell's imports, function and class definitions and assignments of plain values, as a
    list of statements (sources)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return []
    kept = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                                            ast.AsyncFunctionDef, ast.ClassDef))
            or isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _plain(node.value)]
    return [ast.unparse(node) for node in kept]


def _plain(node):
    """A value that costs nothing to compute: literals, names, and arithmetic on them."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.Attribute):
        return _plain(node.value)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_plain(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _plain(k) for k in node.keys) and all(_plain(v) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return _plain(node.operand)
    if isinstance(node, ast.BinOp):
        return _plain(node.left) and _plain(node.right)
    return False


def free_names(source):
    """Names a cell reads but neither assigns nor imports: the ones the student's notebook defines."""
    tree = ast.parse(source)
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return sorted(loaded - bound - set(dir(builtins)))


class _Session(checks.Grading):
    """The checks' Grading session while a test cell runs here: the hidden tests' seeds drawn from
    the grading seed (reproducibly), each call of the student's answer a new trial of the
    sandbox's shared objects, and every failure raised (the verdict), wherever the grader runs."""

    raise_failures = True

    def __init__(self, rng, sandbox):
        self.rng, self.sandbox = rng, sandbox

    def fresh_seed(self):
        return self.rng.randrange(2**31)

    def answering(self):
        if self.sandbox is not None:
            self.sandbox.begin_trial()
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def watching(self, watch):
        """The answer runs in the sandbox, where the lesson's view has stand-ins for what it may not call;
        here, only what it calls back into (a function or course object a test passed it) can run the
        course's code, so `watch` is in force only while the grader serves those calls. (Watching every
        call of the grader's own machinery made each check a third slower.) Run here (in_kernel), as in
        a notebook."""
        if self.sandbox is None:
            with checks.Grading.watching(self, watch):
                yield
            return
        previous, self.sandbox.watch = self.sandbox.watch, watch
        try:
            yield
        finally:
            self.sandbox.watch = previous

    @contextlib.contextmanager
    def substituting(self, yours, name, value):
        """The student's `name` is `value` (a stand-in of the grader's) in the sandbox during the block,
        when `yours` is the student's code (a proxy); it gives the student's own (a proxy), or None. Run here
        (in_kernel: no sandbox), the name is replaced in the notebook's namespace, as in the student's kernel."""
        if self.sandbox is None:
            with checks.Grading.substituting(self, yours, name, value) as original:
                yield original
            return
        if not isinstance(inspect.unwrap(yours), wire.Remote) and checks.base._students_globals(yours) is None:
            yield None  # (the course's own code: nothing of the student's to stand in for; a test cell's own
            return      # function that calls the student's answer, as lesson 06's loss_from_your_forward, is)
        try:
            original = self.sandbox.bind(name, value)
        except NameError:
            yield None
            return
        try:
            yield original
        finally:
            if not self.sandbox.ended:  # (a sandbox that died is not used again)
                self.sandbox.bind(name, original)


def verify(nb, seed, zygote, limits=None, on_cell=None, site=None):
    """Run every test cell of `nb` (a notebook whose test cells are the course's own, hidden tests
    included) against the student's code of the same notebook, in sandboxes made by `zygote`.
    Returns {grade_id: Verdict}. `on_cell(grade_id, verdict)` is told each verdict as it comes.
    site: the folder the sandbox imports `backprop` from (default: the lesson's view, made here)."""
    limits = limits or isolation.Limits()
    tests = test_cells(nb)
    cells = student_code(nb)
    if site is None:
        site = views.lesson_view(zygote.views, views.forbidden_in([c.source for c in tests]))
    started = time.monotonic()
    budget_end = started + limits.wall_seconds
    verdicts, sandbox, cannot_start = {}, None, None
    try:
        for cell in tests:
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            now = time.monotonic()
            if cannot_start is not None:  # the notebook's code did not start once: it will not start again
                verdicts[grade_id] = _stopped(cannot_start)
            elif now >= budget_end:
                verdicts[grade_id] = _stopped(f"the submission used all of its {limits.wall_seconds:g} s of grading "
                                              f"time before this test ran")
            else:
                try:
                    if sandbox is None:
                        try:
                            sandbox = isolation.Sandbox(zygote, site, cells,
                                                        min(now + limits.start_seconds, budget_end))
                        except isolation.SandboxDied as died:
                            cannot_start = f"the notebook's code did not finish starting: {died}"
                            raise isolation.SandboxDied(cannot_start) from None
                    sandbox.deadline = min(time.monotonic() + limits.cell_seconds, budget_end)
                    sandbox.reset()
                    verdicts[grade_id] = _run_test(cell.source, grade_id, sandbox, seed, limits)
                except isolation.SandboxDied as died:
                    verdicts[grade_id] = _stopped(str(died))
                    if sandbox is not None:
                        sandbox.close()
                    sandbox = None
            if on_cell is not None:
                on_cell(grade_id, verdicts[grade_id])
    finally:
        if sandbox is not None:
            sandbox.close()
    return verdicts


def in_kernel(nb, seed):
    """{grade_id: Verdict} for `nb` run in this process as the student's kernel runs it: the code
    the sandbox would run (student_code), then each test cell, all in one namespace, with the
    hidden tests' seeds that verify() draws. The student's code runs unguarded here, with the
    whole course package in reach: this is what the notebook's own checks say, which the grader
    must say too (tests compare the two); never a way to grade a submission."""
    import linecache

    from IPython.core.inputtransformer2 import TransformerManager

    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, source in enumerate(student_code(nb)):
            code = TransformerManager().transform_cell(source)
            name = f"<in_kernel cell {k} {hashlib.sha1(code.encode()).hexdigest()[:12]}>"
            linecache.cache[name] = (len(code), None, code.splitlines(True), name)  # (as IPython keeps a cell's lines)
            try:
                exec(compile(code, name, "exec"), namespace)  # noqa: S102
            except Exception:  # noqa: BLE001  (as in the sandbox: a cell that fails stops only itself)
                pass
    verdicts = {}
    for cell in test_cells(nb):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        verdicts[grade_id] = _run_test(cell.source, grade_id, None, seed, None, namespace)
    return verdicts


def _stopped(why):
    return Verdict(False, failure=f"Your notebook's code stopped the check: {why}", kind="SandboxStopped")


def _run_test(source, grade_id, sandbox, seed, limits, namespace=None):
    """One test cell's Verdict: run here, its names looked up in the sandbox (or, for in_kernel,
    taken from the student's own namespace)."""
    session = _Session(random.Random(f"{seed}/{grade_id}"), sandbox)
    if namespace is None:
        namespace = {"__name__": "__grader__"}
        for name in free_names(source):
            try:
                namespace[name] = sandbox.lookup(name)
            except isolation.SandboxDied:
                raise
            except Exception:  # noqa: BLE001  (not defined there: the test will say so)
                pass
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), warnings.catch_warnings(), \
                np.errstate(all="ignore") if sandbox is not None else contextlib.nullcontext(), checks.grading(session):
            warnings.simplefilter("ignore")
            exec(compile(source, f"<test cell {grade_id}>", "exec"), namespace)  # noqa: S102
    except isolation.SandboxDied:
        raise
    except MemoryError:  # (the grader's own memory is capped while it grades: VerifyTests)
        if sandbox is None:
            raise
        raise isolation.SandboxDied(isolation.TOO_MUCH_MEMORY) from None
    except Exception as exc:  # a failed check, or a student's function raising where the test did not expect it
        return Verdict(False, printed=output.getvalue().strip(), failure=str(exc).strip() or type(exc).__name__,
                       kind=type(exc).__name__,
                       causes=[(c.id, c.says) for c in getattr(exc, "causes", []) if hasattr(c, "id")],
                       check=getattr(exc, "check", "") or "", seed=getattr(exc, "seed", None))
    return Verdict(True, printed=output.getvalue().strip())
