"""backprop.grading_service: your own submitting and grading, kept warm in a process of yours.

Everything happens in a copy of the course, with an exchange of its own; every service a test
starts is stopped at its end.
"""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest
from browser import copy_repository
from conftest import ROOT

LESSON = "01_one_neuron"


class Course:
    def __init__(self, tmp_path):
        self.repo = copy_repository(ROOT, tmp_path / "course")
        self.env = {key: value for key, value in os.environ.items() if key != "JUPYTER_CONFIG_PATH"}
        self.env.update(PYTHONPATH=str(self.repo), BACKPROP_EXCHANGE=str(tmp_path / "exchange"),
                        JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                        BACKPROP_SERVICE_IDLE="300")
        self.cwd = tmp_path

    def run(self, *args, timeout=300):
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=self.cwd, env=self.env,
                              timeout=timeout)

    def course(self, *args):
        return self.run("-m", "backprop.course", *args)

    def service(self, expression):
        """The value of `expression` about the copy's grading_service module (as JSON)."""
        code = f"import json; from backprop import grading_service as g; print(json.dumps({expression}))"
        result = self.run("-c", code)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def service_pids(self):
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    command = f.read().split(b"\0")
                with open(f"/proc/{pid}/environ", "rb") as f:
                    mine = f"PYTHONPATH={self.repo}".encode() in f.read().split(b"\0")
            except OSError:
                continue
            if b"backprop.grading_service" in command and mine:
                found.append(int(pid))
        return found

    def stop(self):
        self.service("g.stop()")
        for pid in self.service_pids():
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def course(tmp_path):
    made = Course(tmp_path)
    yield made
    made.stop()


def wait_until(condition, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_submit_and_feedback_through_the_service_give_what_grading_here_gives(course):
    import shutil

    shutil.copy(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", course.repo / "lessons" / LESSON)
    submitted = course.course("submit", LESSON)
    assert submitted.returncode == 0, submitted.stderr
    assert f"Submitted {LESSON}" in submitted.stdout
    assert len(course.service_pids()) == 1  # (submit started it, and it stays for the feedback)
    warm = course.course("feedback", LESSON, "--json")
    here = course.course("feedback", LESSON, "--json", "--here")
    assert warm.returncode == 0 and here.returncode == 0, warm.stderr + here.stderr
    warm, here = json.loads(warm.stdout), json.loads(here.stdout)
    assert warm["score"] == here["score"] == 5.0
    assert warm["exercises"] == here["exercises"]
    # the socket is yours only
    path = course.service("str(g.SOCKET)")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert len(path) < 100  # (a Unix socket's path must be short, wherever the course is)


def test_a_wrong_answer_gets_the_same_words_warm_or_here(course):
    import nbformat
    from lesson_tools import edited_solution

    nb = edited_solution(LESSON, {"neuron_gradients": [("dL_dz = 2 * (a - y)", "dL_dz = (a - y)")]})
    nbformat.write(nb, course.repo / "lessons" / LESSON / f"{LESSON}.ipynb")
    assert course.course("submit", LESSON).returncode == 0
    warm = json.loads(course.course("feedback", LESSON, "--json").stdout)
    here = json.loads(course.course("feedback", LESSON, "--json", "--here").stdout)
    assert warm == here
    failed = [ex for ex in warm["exercises"] if not ex["passed"]]
    assert [ex["name"] for ex in failed] == ["test_neuron_gradients"]
    assert "the factor 2 from differentiating" in " ".join(failed[0]["message"].split())


def test_a_changed_course_gets_a_new_service_and_a_stopped_one_is_gone(course):
    assert course.service("g.start(wait=True)") is True
    first = course.service_pids()
    assert len(first) == 1
    (course.repo / "backprop" / "grading_service.py").touch()  # the course's code changed (a git pull)
    assert course.service("g.request('ping')") == {"ok": "ready"}
    assert wait_until(lambda: first[0] not in course.service_pids())
    assert len(course.service_pids()) == 1
    assert course.service("g.stop()") is True
    assert wait_until(lambda: not course.service_pids())
    assert course.service("g.request('ping', start_it=False)") is None


def test_the_service_ends_with_its_parent_and_says_what_a_bad_request_is(course):
    parent = subprocess.Popen(["sleep", "600"])
    try:
        assert course.service(f"g.start(wait=True, parent={parent.pid})") is True
        path = course.service("str(g.SOCKET)")
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
            client.sendall(b'{"op": "grade everyone"}\n')
            reply = json.loads(client.makefile().readline())
        assert reply == {"error": "op must be 'ping', 'stop', 'submit' or 'feedback', but is 'grade everyone'."}
        assert course.service_pids()
    finally:
        parent.kill()
        parent.wait()
    assert wait_until(lambda: not course.service_pids())


def test_the_service_is_reached_only_through_a_folder_of_ones_own(tmp_path, monkeypatch):
    """/tmp/backprop-<uid> made first by someone else (or open to them, or a link) could hold a socket
    that answers for the student's service: such a folder is never used."""
    from backprop import grading_service as g

    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    open_to_all = tmp_path / "open"
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    link = tmp_path / "link"
    link.symlink_to(mine)
    assert g._ours(mine)
    assert not g._ours(open_to_all) and not g._ours(link) and not g._ours(tmp_path / "missing")
    monkeypatch.setattr(g, "RUNTIME", open_to_all)
    monkeypatch.setattr(g, "SOCKET", open_to_all / "grading.sock")
    assert g._connect(1) is None and g.request("feedback", LESSON, start_it=False) is None
