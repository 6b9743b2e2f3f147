"""Collecting submissions as data: a student's own files only, plain files only, timed by the system."""

import os
import pwd
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from autograde import exchange

LESSON = "01_one_neuron"
STUDENTS = ("bp_ana", "bp_ben")


@pytest.fixture(scope="module")
def accounts():
    """Two throwaway accounts (the grader runs as root here, as in CI)."""
    if os.geteuid() != 0:
        pytest.fail("collecting as several users needs root (as CI has)")
    for name in STUDENTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return {name: pwd.getpwnam(name).pw_uid for name in STUDENTS}


def submit(inbound, student, uid, stamp, notebook=None, owner=None, extra=None):
    """A submission folder as nbgrader's submit makes one, owned by `owner` (default: the student)."""
    folder = inbound / f"{student}+{LESSON}+{stamp}+{os.urandom(4).hex()}"
    folder.mkdir(parents=True)
    nbformat.write(notebook or nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4),
                   folder / f"{LESSON}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)
    if extra:
        extra(folder)
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, owner if owner is not None else uid, owner if owner is not None else uid)
    return folder


def collect(course_cfg):
    from autograde import nbgrader_course

    outcome = nbgrader_course.api(course_cfg).collect(LESSON, update=True)
    return outcome


def test_collect_takes_each_students_own_plain_files_and_the_systems_time(accounts, course_cfg, tmp_path):
    from autograde.generate import generate

    generate([LESSON], course_cfg, write_sources=False)
    inbound = Path(course_cfg.Exchange.root) / "backprop" / "inbound"
    ana, ben = accounts["bp_ana"], accounts["bp_ben"]
    before = time.time()
    real = submit(inbound, "bp_ana", ana, "2026-12-01 10:00:00.000000 UTC")
    # ben forges a newer submission in ana's name, dated 2099, and one of his own that links to the solutions
    submit(inbound, "bp_ana", ana, "2099-01-01 00:00:00.000000 UTC", owner=ben)
    submit(inbound, "bp_ben", ben, "2026-12-01 11:00:00.000000 UTC",
           extra=lambda folder: (folder / "answers.ipynb").symlink_to(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"))
    outcome = collect(course_cfg)
    assert outcome["success"], outcome["log"]
    submitted = Path(course_cfg.CourseDirectory.root) / "submitted"
    assert (submitted / "bp_ana" / LESSON / f"{LESSON}.ipynb").read_bytes() == (real / f"{LESSON}.ipynb").read_bytes()
    assert not (submitted / "bp_ben").exists()  # the symlink refused the whole submission
    assert "belongs to bp_ben, not to the student it names" in outcome["log"]
    assert "is a symlink" in outcome["log"]
    # the time that counts is the system's (when it was written), not the folder's name or timestamp.txt
    stamp = (submitted / "bp_ana" / LESSON / "timestamp.txt").read_text()
    from nbgrader.utils import parse_utc

    written = parse_utc(stamp).timestamp()
    assert before - 5 <= written <= time.time() + 5, stamp


def test_inspect_names_what_is_wrong(accounts, tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.ipynb").write_text("{}")
    os.mkfifo(folder / "pipe")
    assert exchange.inspect(folder, None) == "pipe is a special file, not a plain file"
    (folder / "pipe").unlink()
    os.chown(folder / "a.ipynb", accounts["bp_ben"], accounts["bp_ben"])
    assert exchange.inspect(folder, accounts["bp_ana"]).startswith("its folder belongs to")
