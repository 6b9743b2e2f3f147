"""6. A student's own submit and feedback, today's and the baseline's, in the same run.

In a copy of the course of its own (its own exchange and Jupyter folders), a student hands in
lesson 01 with the solution's answers and asks for feedback, from a terminal, as the README says:
`python -m backprop.course submit 01_one_neuron`, then `... feedback 01_one_neuron`. Each is a
new process, timed from start to end.

Today's commands ask the student's grading service (backprop.grading_service), which JupyterLab
starts with the course; the first submit here starts it (and releases the lessons), then the
timed runs find it warm. Also timed: feedback graded in the command's own process (`--here`, what
happens when the service cannot be reached). The baseline's commands, in a copy of the baseline,
start nbgrader in a new process each time.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import baseline
from benchmarks.measure import ROOT, Clock, summary

LESSON = "01_one_neuron"


class Student:
    """A student's copy of a course (today's or the baseline's) and the commands they type."""

    def __init__(self, source, folder):
        self.repo = baseline.copy_course(source, folder / "course")
        shutil.copy(source / "solutions" / LESSON / f"{LESSON}.ipynb", self.repo / "lessons" / LESSON)
        self.env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_CONFIG_PATH", "PYTHONPATH")}
        self.env.update(PYTHONPATH=str(self.repo), BACKPROP_EXCHANGE=str(folder / "exchange"),
                        JUPYTER_DATA_DIR=str(folder / "data"), JUPYTER_CONFIG_DIR=str(folder / "config"),
                        BACKPROP_SERVICE_IDLE="600")
        self.cwd = folder

    def time(self, *args):
        """Wall and CPU seconds (of the command and the children it waited for) of one command."""
        with Clock() as clock:
            result = subprocess.run([sys.executable, "-m", "backprop.course", *args], cwd=self.cwd, env=self.env,
                                    capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"`python -m backprop.course {' '.join(args)}` failed:\n{result.stderr[-2000:]}")
        return clock.wall, clock.cpu

    def repeat(self, repeats, *args):
        walls, cpus = zip(*(self.time(*args) for _ in range(repeats)))
        return {"wall": summary(walls), "cpu": summary(cpus)}

    def stop_service(self):
        subprocess.run([sys.executable, "-c", "from backprop import grading_service; grading_service.stop()"],
                       cwd=self.cwd, env=self.env, capture_output=True, timeout=60)


def run(entry, repeats=3, with_baseline=True):
    with tempfile.TemporaryDirectory(prefix="backprop-student-") as tmp:
        ours = Student(ROOT, Path(tmp) / "ours")
        try:
            first_wall, first_cpu = ours.time("submit", LESSON)
            entry["first_submit"] = {"wall": round(first_wall, 2), "cpu": round(first_cpu, 2),
                                     "note": "starts the grading service and releases the lessons"}
            time.sleep(1)
            entry["submit"] = ours.repeat(repeats, "submit", LESSON)
            entry["feedback"] = ours.repeat(repeats, "feedback", LESSON)
            entry["feedback_here"] = ours.repeat(1, "feedback", LESSON, "--here")
        finally:
            ours.stop_service()
        print(f"  student: submit {entry['submit']['wall']['median']:.2f} s, feedback "
              f"{entry['feedback']['wall']['median']:.2f} s (warm), {entry['feedback_here']['wall']['median']:.2f} s "
              f"(in its own process)", flush=True)
        if with_baseline:
            before = Student(baseline.checkout(), Path(tmp) / "before")
            before.time("submit", LESSON)  # (its first submit releases the lessons, as ours did)
            entry["baseline"] = {"commit": baseline.BASELINE, "submit": before.repeat(repeats, "submit", LESSON),
                                 "feedback": before.repeat(repeats, "feedback", LESSON)}
            b = entry["baseline"]
            print(f"  student, before ({baseline.BASELINE}): submit {b['submit']['wall']['median']:.2f} s, feedback "
                  f"{b['feedback']['wall']['median']:.2f} s", flush=True)
    entry["lesson"], entry["repeats"] = LESSON, repeats
    return entry
