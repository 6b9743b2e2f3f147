"""VerifyTests: nbgrader's execution step replaced by the course's grading engine.

In place of nbgrader's Execute (which runs the whole notebook in one kernel, where the student's
code can change what the tests rely on), this runs every test cell, hidden tests included, in the
grader's own Python against the student's code in an operating-system sandbox (autograde.verify,
autograde.isolation), and writes each test cell's outputs as a kernel would: what it printed,
then, if it failed, the failure as an error whose headline is the failure itself. nbgrader's
SaveAutoGrades then gives the points (a test cell with an error output: none), as for any notebook.
The other cells keep no outputs: the student's code runs only in the sandbox.

The hidden tests draw their random cases from the course's secret, the student and the lesson,
so every route draws the same ones.
"""

import atexit
import os
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Enum, Float, Integer, Unicode

from autograde import isolation, verify
from backprop.checks.base import failure_lines

__all__ = ["VerifyTests", "test_outputs"]

_ZYGOTES = {}  # (level, workdir) -> Zygote: one per process, started on first use


def _zygote(level, exactly, workdir, views, limits):
    key = (level, exactly, str(workdir), os.getpid())
    zygote = _ZYGOTES.get(key)
    if zygote is not None and zygote.alive:
        return zygote
    if zygote is not None:
        zygote.close()
    engine = isolation.engine(level, exactly=exactly)
    zygote = isolation.Zygote(engine, Path(workdir) / f"zygote-{os.getpid()}-{int(time.time() * 1000)}", views,
                              worker=_worker_number(), limits=limits)
    _ZYGOTES[key] = zygote
    if len(_ZYGOTES) == 1:
        atexit.register(_close_all)
    return zygote


def _worker_number():
    return int(os.environ.get("BACKPROP_GRADING_WORKER", "0"))


def _close_all():
    for zygote in _ZYGOTES.values():
        zygote.close()
    _ZYGOTES.clear()


class VerifyTests(NbGraderPreprocessor):
    """Run the test cells against the student's code in a sandbox; write their outputs."""

    isolation = Enum(list(isolation.LEVELS), default_value="users",
                     help="The least isolation to grade with: 'users' (each submission a user of its own), "
                          "'namespaces', or 'none' (no sandbox: only for grading your own work).").tag(config=True)
    exact_isolation = Enum([False, True], default_value=False,
                           help="Use exactly the level `isolation`, not the best there is.").tag(config=True)
    secret_file = Unicode("", help="The course's grading secret (made on first use).").tag(config=True)
    workdir = Unicode("", help="Where zygotes and lesson views are kept (default: a folder in the temp dir).").tag(
        config=True)
    cell_timeout = Float(60.0, help="Seconds one test cell may take.").tag(config=True)
    submission_timeout = Float(600.0, help="Seconds all of a submission's test cells may take.").tag(config=True)
    start_timeout = Float(120.0, help="Seconds the notebook's own cells may take to run when a sandbox starts.").tag(
        config=True)
    memory_bytes = Integer(4 * 2**30, help="Memory a submission's sandbox may use.").tag(config=True)

    def limits(self):
        return isolation.Limits(memory_bytes=self.memory_bytes, cell_seconds=self.cell_timeout,
                                wall_seconds=self.submission_timeout, start_seconds=self.start_timeout)

    def zygote(self):
        """This process's zygote for these settings (started on first use, then kept)."""
        workdir = Path(self.workdir or Path(tempfile.gettempdir()) / f"backprop-grading-{os.getuid()}")
        workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return _zygote(self.isolation, self.exact_isolation, workdir, workdir / "views", self.limits())

    def preprocess(self, nb, resources):
        nbgrader = resources["nbgrader"]
        student, lesson = nbgrader["student"], nbgrader["assignment"]
        secret_folder = Path(self.secret_file).parent if self.secret_file else Path(nbgrader["db_url"].replace(
            "sqlite:///", "", 1)).parent
        secret = verify.course_secret(secret_folder)
        limits = self.limits()
        zygote = self.zygote()
        verdicts = verify.verify(nb, verify.grading_seed(secret, student, lesson), zygote, limits)
        nbgrader["verdicts"] = verdicts
        nbgrader["isolation"] = zygote.engine.level
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            verdict = verdicts.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
            cell.outputs = test_outputs(verdict) if verdict is not None else []
            cell.execution_count = None
        return nb, resources


def test_outputs(verdict):
    """A test cell's outputs for its verdict: what it printed (a stream), then, if it failed, an error
    whose headline (evalue) is the failure's first line and whose traceback is the whole failure."""
    outputs = []
    if verdict.printed:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=verdict.printed + "\n"))
    if not verdict.passed:
        failure = verdict.failure or "the test failed"
        ename = verdict.kind or "TestFailed"
        outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=failure.partition("\n")[0],
                                              traceback=failure_lines(ename, failure)))
    return outputs
