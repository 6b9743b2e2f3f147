"""Every attack of SECURITY.md, against this machine's sandbox: no points gained, no classmate
affected, nothing written outside the sandbox, no process left, no connection made, and the class
run completes.

A class of lesson 01 is graded once by the class command (module fixture), the attackers among
honest students; each test checks one promise. The grader runs as root here (as in CI), so every
submission runs as a user of its own ("users" isolation).
"""

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from autograde import grade, isolation

LESSON = "01_one_neuron"
RELEASED = ROOT / "lessons" / LESSON / f"{LESSON}.ipynb"
FORWARD = "def neuron_forward(x, w, b):\n    return sigmoid(w * x + b)\n"
GRADIENTS = ("def neuron_gradients(x, w, b, y):\n    a = sigmoid(w * x + b)\n"
             "    d = 2 * (a - y) * a * (1 - a)\n    return d * x, d\n")
WRONG_GRADIENTS = "def neuron_gradients(x, w, b, y):\n    return 0.0, 0.0\n"
CELL_SECONDS = 6


def notebook(forward=FORWARD, gradients=GRADIENTS, markdown=None):
    nb = nbformat.read(RELEASED, as_version=4)
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid == "neuron_forward":
            cell.source = forward
        elif gid == "neuron_gradients":
            cell.source = gradients
    if markdown:
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(markdown))
    return nb


def reference_by(how):
    """An attacker's neuron_forward that gets its answer from the course's reference, `how`."""
    return f"from backprop import reference\nimport sys, os, inspect, threading\n{how}\n"


ATTACKS = {
    # points for code not written: the reference is not in the sandbox to be reached
    "profile_off": reference_by("sys.setprofile(None)\n"
                                "def neuron_forward(x, w, b):\n    return reference.neuron_forward(x, w, b)"),
    "source_copied": reference_by(
        "try:\n    exec(inspect.getsource(reference.neuron_forward).replace('def neuron_forward', 'def _f'))\n"
        "except Exception:\n    _f = lambda x, w, b: 0.5\n"
        "def neuron_forward(x, w, b):\n    return _f(x, w, b)"),
    "thread": reference_by(
        "def neuron_forward(x, w, b):\n    out = []\n"
        "    t = threading.Thread(target=lambda: out.append(reference.neuron_forward(x, w, b)))\n"
        "    t.start(); t.join()\n    return out[0] if out else 0.5"),
    "forked_child": reference_by(
        "def neuron_forward(x, w, b):\n    r, wr = os.pipe()\n    if os.fork() == 0:\n"
        "        try:\n            os.write(wr, repr(float(reference.neuron_forward(x, w, b))).encode())\n"
        "        finally:\n            os._exit(0)\n    os.close(wr); data = os.read(r, 100); os.wait()\n"
        "    return float(data) if data else 0.5"),
    "autograd_engine": ("from backprop import autograd\ndef neuron_forward(x, w, b):\n"
                        "    return float(autograd.Tensor(w * x + b).sigmoid().data)\n", GRADIENTS),
    "grading_detected": ("import os\nGRADING = os.getcwd() != os.path.expanduser('~')\n"
                         "def neuron_forward(x, w, b):\n    return 0.5\n", GRADIENTS),
    # reaching what is not its own: the course, the gradebook, classmates, the exchange
    "reads_secrets": (
        "import glob, os\nFOUND = []\n"
        "for pattern in ['/work/**/.grading-secret', '/tmp/**/gradebook.db', '/root/**', '/home/**', "
        "'/tmp/**/solutions/**/*.ipynb', '/tmp/**/submitted/**/*.ipynb']:\n"
        "    try:\n        FOUND += glob.glob(pattern, recursive=True)[:50]\n    except Exception:\n        pass\n"
        "TEXT = ''\nfor name in FOUND:\n    try:\n        TEXT += open(name, errors='replace').read(2000)\n"
        "    except Exception:\n        pass\n"
        "def neuron_forward(x, w, b):\n    raise ValueError('SECRET:' + TEXT[:1000] + '|'.join(FOUND)[:900])\n",
        GRADIENTS),
    "other_views": ("import os, glob, sys\nSEEN = {'views': sorted(os.listdir('/grader/views')), "
                    "'packages': sorted(p for base in sys.path + glob.glob('/grader/*') for p in "
                    "glob.glob(base + '/backprop/reference*'))}\n"
                    "def neuron_forward(x, w, b):\n    raise ValueError('SEEN:%r' % SEEN)\n", GRADIENTS),
    "writes_everywhere": (
        "import os, glob\n"
        "for path in glob.glob('/tmp/**', recursive=True)[:200] + glob.glob('/work/**/*.py', recursive=True)[:50]:\n"
        "    try:\n        open(path, 'a').write('\\n# attacked\\n')\n    except Exception:\n        pass\n"
        "for path in ['/etc/passwd', '/grader/views/x', '/grader/engine/wire.py', '/usr/lib/x']:\n"
        "    try:\n        open(path, 'w').write('attacked')\n    except Exception:\n        pass\n"
        "def neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS),
    "kills_everyone": ("import os, signal\nfor pid in range(1, 5000):\n    if pid != os.getpid():\n"
                       "        try:\n            os.kill(pid, signal.SIGKILL)\n        except Exception:\n"
                       "            pass\ndef neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS),
    "daemon": ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
               "        while True:\n            time.sleep(0.2)\n    os._exit(0)\n"
               "def neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS),
    "disk_filler": ("try:\n    with open('/tmp/big', 'wb') as f:\n        for _ in range(300):\n"
                    "            f.write(b'x' * 2**20)\nexcept Exception:\n    pass\n"
                    "def neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS),
    "network": None,  # (made in the fixture: it connects to the test's listener)
    "fork_bomb": ("import os\nfor _ in range(200):\n    try:\n        os.fork()\n    except Exception:\n"
                  "        break\ndef neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS),
    # stalling the class
    "endless_first_cell": ("while True:\n    pass\n" + FORWARD, GRADIENTS),
    "alarm_ignored": ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n",
                      GRADIENTS),
    "trickles": ("import os, struct, time\ndef neuron_forward(x, w, b):\n"
                 "    for fd in range(3, 40):\n        try:\n            os.write(fd, struct.pack('>Q', 10**6))\n"
                 "        except OSError:\n            pass\n"
                 "    while True:\n        for fd in range(3, 40):\n            try:\n"
                 "                os.write(fd, b' ')\n            except OSError:\n                pass\n"
                 "        time.sleep(1)\n", GRADIENTS),
    "huge_reply": ("import numpy as np\ndef neuron_forward(x, w, b):\n    return np.zeros(6_000_000)\n",
                   GRADIENTS),
    "repeated_memory": ("import numpy as np\n_one = np.zeros(1)\ndef neuron_forward(x, w, b):\n"
                        "    return np.ndarray(shape=(20000, 20000), dtype=np.float64, buffer=_one, strides=(0, 0))\n",
                        GRADIENTS),
    # what the sandbox holds open: only its own files (the grader's zygote.log was fd 6, open for writing)
    "lists_fds": ("import os\ndef neuron_forward(x, w, b):\n    fds = {}\n"
                  "    for fd in os.listdir('/proc/self/fd'):\n        try:\n"
                  "            fds[int(fd)] = os.readlink('/proc/self/fd/' + fd)\n        except OSError:\n"
                  "            pass\n    raise ValueError('FDS:%r' % fds)\n", GRADIENTS),
    # the feedback: script in Markdown, and a page built to be slow
    "script_markdown": (FORWARD, GRADIENTS, "<script>document.title='pwned'</script>\n\n"
                        "<img src=x onerror=\"alert('pwned')\">\n\n<b>fine</b>"),
    "many_img_tags": (FORWARD, GRADIENTS, "<img " * 30000),
    "javascript_link": (FORWARD, GRADIENTS, "[click me](javascript:alert('pwned'))\n\n[also][r] ![i](javascript:x)\n\n"
                        "[r]: JaVaScRiPt:alert('pwned')"),
    "slow_markdown": (FORWARD, GRADIENTS, "\n".join(">" * k + " x" for k in range(1, 3000))),  # (mistune: minutes)
}
HONEST = ["honest_a", "honest_b", "zz_honest"]


class Listener:
    """A TCP listener on the host's loopback that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
                self.accepted += 1
                connection.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


def _sandbox_processes():
    """Processes whose uid is one the sandboxes use (root's grading: real uids from ROOT_UID_BASE)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                uid = entry.stat().st_uid
            except FileNotFoundError:
                continue
            if uid >= isolation.ROOT_UID_BASE:
                found.append(int(entry.name))
    return found


def _digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    from autograde import nbgrader_course

    if os.geteuid() != 0:
        pytest.fail("the security tests grade as root (as CI does), to check the 'users' isolation")
    tmp = tmp_path_factory.mktemp("attacked")
    cfg = nbgrader_course.config(**{
        "CourseDirectory.root": str(tmp), "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(tmp / "release"),
        "CourseDirectory.submitted_directory": "submitted", "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback", "CourseDirectory.db_url": f"sqlite:///{tmp / 'gradebook.db'}",
        "Exchange.root": str(tmp / "exchange")})
    listener = Listener()
    attacks = dict(ATTACKS)
    attacks["network"] = (
        f"import socket\nCONNECTED = []\nfor host in [('127.0.0.1', {listener.port}), ('1.1.1.1', 80)]:\n"
        f"    try:\n        socket.create_connection(host, timeout=2).close(); CONNECTED.append(host)\n"
        f"    except Exception:\n        pass\n"
        f"def neuron_forward(x, w, b):\n    return 0.5\n", WRONG_GRADIENTS)
    submissions = tmp / "submitted"
    for student in HONEST:
        folder = submissions / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(notebook(), folder / f"{LESSON}.ipynb")
    for student, parts in attacks.items():
        folder = submissions / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(notebook(*(parts if isinstance(parts, tuple) else (parts,))), folder / f"{LESSON}.ipynb")
    (submissions / "honest_a" / LESSON / "timestamp.txt").write_text("not a time")
    (submissions / "linked" / LESSON).mkdir(parents=True)
    (submissions / "linked" / LESSON / f"{LESSON}.ipynb").symlink_to(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb")
    package = _digest(ROOT / "backprop")
    host_tmp = {p for p in Path("/tmp").iterdir()}
    started = time.monotonic()
    rows = grade.grade_class(submissions, workers=2, cfg=cfg, csv_path=tmp / "grades.csv", cell_timeout=CELL_SECONDS,
                             overrides={"VerifyTests.start_timeout": 30.0, "VerifyTests.submission_timeout": 90.0})
    took = time.monotonic() - started
    time.sleep(1)
    result = {"cfg": cfg, "tmp": tmp, "rows": rows, "took": took, "listener": listener.accepted,
              "leftover": _sandbox_processes(), "package_changed": _digest(ROOT / "backprop") != package,
              "new_in_tmp": {p for p in Path("/tmp").iterdir()} - host_tmp}
    listener.close()
    return result


def scores(attacked, student):
    with Gradebook(attacked["cfg"].CourseDirectory.db_url) as gb:
        return {g.name: g.score for g in gb.find_submission_notebook(LESSON, LESSON, student).grades}


def feedback(attacked, student):
    return (attacked["tmp"] / "feedback" / student / LESSON / f"{LESSON}.html").read_text()


def test_the_class_run_completes_and_reports_every_problem_by_name(attacked):
    rows = {r["student"]: r for r in attacked["rows"]}
    assert set(rows) == set(HONEST) | set(ATTACKS) | {"linked"}
    assert rows["linked"]["status"] == "could not grade" and "symlink" in rows["linked"]["problem"]
    assert all(r["status"] == "graded" for s, r in rows.items() if s != "linked"), rows
    assert all(r["isolation"] == "users" for r in rows.values())
    assert "timestamp.txt is not a time" in rows["honest_a"]["notes"]


def test_honest_classmates_are_graded_in_full_whatever_the_attackers_did(attacked):
    for student in HONEST:
        assert scores(attacked, student) == {"test_neuron_forward": 2.0, "test_neuron_gradients": 3.0}, student


@pytest.mark.parametrize("student", ["profile_off", "source_copied", "thread", "forked_child", "autograd_engine",
                                     "grading_detected", "reads_secrets", "writes_everywhere", "kills_everyone",
                                     "daemon", "disk_filler", "network", "fork_bomb", "trickles", "huge_reply",
                                     "repeated_memory"])
def test_no_attack_earns_the_forward_exercises_points(attacked, student):
    assert scores(attacked, student)["test_neuron_forward"] == 0.0


def test_a_sandbox_sees_its_own_lessons_view_of_the_package_and_no_other(attacked):
    """Views of other lessons (made for them by the same grader) would hold what this lesson forbids, and an
    installed copy of the package (pip install .) the reference itself: neither is in reach."""
    import ast
    import html
    import re

    text = " ".join(re.sub(r"<[^>]+>", "", html.unescape(feedback(attacked, "other_views"))).split())
    seen = ast.literal_eval(re.search(r"SEEN:(\{.*?\]\})", text).group(1))
    assert seen["views"] == []  # the folder of every lesson's view is empty where it runs
    # the only backprop.reference it finds is its view's (the stand-ins that fail), none installed elsewhere
    assert seen["packages"] and {p.rsplit("/backprop/", 1)[0] for p in seen["packages"]} == {"/grader/site"}


def test_calling_the_reference_fails_with_the_checks_words(attacked):
    words = " ".join(feedback(attacked, "profile_off").split())  # (a failure's lines are wrapped at 78 columns)
    assert "calls the course&#39;s reference implementation backprop.reference.neuron_forward" in words


def test_nothing_secret_reaches_the_attackers_feedback(attacked):
    from autograde.verify import course_secret

    text = feedback(attacked, "reads_secrets")
    assert course_secret(attacked["cfg"].CourseDirectory.root) not in text
    # its answer raises with the text of every file it could find, and their names: the failure shows it
    shown = text.split("raised ValueError: SECRET:", 1)
    assert len(shown) == 2, "the failure shows what the answer raised"
    found = shown[1].split("\n", 1)[0]
    assert "BEGIN SOLUTION" not in found and "honest_a" not in found and ".db" not in found, found


def test_nothing_outside_the_sandbox_is_written_or_left_running(attacked):
    assert not attacked["package_changed"]
    assert not attacked["leftover"], f"processes of sandbox users left: {attacked['leftover']}"
    big = [p for p in attacked["new_in_tmp"] if p.is_file() and p.stat().st_size > 2**20]
    assert not big
    for path in (ROOT / "backprop").rglob("*.py"):
        assert "# attacked" not in path.read_text()


def test_no_connection_is_made(attacked):
    assert attacked["listener"] == 0


def test_stalling_costs_only_the_staller_and_only_so_long(attacked):
    # an endless first cell is stopped after its time, and the later exercise is still graded
    assert scores(attacked, "endless_first_cell") == {"test_neuron_forward": 0.0, "test_neuron_gradients": 3.0}
    assert "stopped the check" in feedback(attacked, "trickles")
    assert attacked["took"] < 600


def test_feedback_is_sanitized_and_made_in_linear_time(attacked):
    text = feedback(attacked, "script_markdown")
    assert "<script>document.title" not in text and "onerror" not in text
    assert "<b>fine</b>" in text
    assert scores(attacked, "many_img_tags") == {"test_neuron_forward": 2.0, "test_neuron_gradients": 3.0}


def test_an_array_repeating_its_memory_is_refused_in_the_students_words(attacked):
    """The red team's huge_reply: 8 bytes viewed as 20000 x 20000 (strides 0) took the grader to 11 GB."""
    text = " ".join(feedback(attacked, "repeated_memory").split())
    assert "an array of shape (20000, 20000) that repeats its 8 bytes of data" in text
    assert "np.array(...) copies one" in text


def test_a_submission_finds_open_only_its_own_files(attacked):
    """The zygote's log (the grader's file, whose tail a classmate may be shown) was inherited open for writing."""
    import ast
    import html
    import re

    text = " ".join(re.sub(r"<[^>]+>", "", html.unescape(feedback(attacked, "lists_fds"))).split())
    fds = ast.literal_eval(re.search(r"FDS:(\{.*?\})", text).group(1))
    others = {fd: target for fd, target in fds.items()
              if fd > 2 and not target.startswith("pipe:") and target != "/proc/self/fd"  # (its own listing)
              and not target.startswith("/proc/")}
    assert not others, others
    assert fds[0] == "/dev/null" and fds[1] == fds[2] == "/sandbox/tmp/sandbox.log"
    assert sum(target.startswith("pipe:") for target in fds.values()) == 2  # (its requests and replies)


def test_no_script_url_is_live_in_the_feedback_or_the_formgraders_view(attacked):
    """The red team's script_in_pages: SanitizeHTML cleans the Markdown's source; mistune made the links after."""
    from test_pages import formgrader_view, live_urls

    assert not live_urls(feedback(attacked, "javascript_link"))
    graded = nbformat.read(attacked["tmp"] / "autograded" / "javascript_link" / LESSON / f"{LESSON}.ipynb", 4)
    view = formgrader_view(graded)
    assert not live_urls(view) and view.count('href="#harmful-link"') >= 2


def test_markdown_built_to_be_slow_costs_seconds_and_is_shown_as_text(attacked):
    """The red team's slow_markdown stalled the class's feedback step for more than 1100 s."""
    assert "its text, as written" in feedback(attacked, "slow_markdown")
    assert "characters, more than the 100000 a graded notebook keeps" in feedback(attacked, "slow_markdown")
    assert scores(attacked, "slow_markdown") == {"test_neuron_forward": 2.0, "test_neuron_gradients": 3.0}
    graded = nbformat.read(attacked["tmp"] / "autograded" / "slow_markdown" / LESSON / f"{LESSON}.ipynb", 4)
    from test_pages import formgrader_view

    started = time.monotonic()
    assert "its text, as written" in formgrader_view(graded)
    assert time.monotonic() - started < 10


def test_a_sandboxs_processes_share_one_memory_bound(tmp_path):
    """The red team's memory: RLIMIT_AS bounds each process, so 10 children of 512 MB held 5.5 GB in a sandbox of
    4 GB. The zygote, its sandboxes and everything they start are in one cgroup whose memory limit is the total."""
    import threading

    from autograde import verify

    if os.geteuid() != 0:
        pytest.fail("the security tests grade as root (as CI does)")
    limits = isolation.Limits(memory_bytes=2**30, total_memory_bytes=700 * 2**20, cell_seconds=30, wall_seconds=60)
    zygote = isolation.Zygote(isolation.engine("users"), tmp_path / "zygote", tmp_path / "views", limits=limits)
    try:
        assert zygote.bounds is not None, isolation.Bounds.why
        memory = next(f for f in zygote.bounds.folders if (f / "memory.limit_in_bytes").exists()
                      or (f / "memory.max").exists())
        limit = memory / ("memory.limit_in_bytes" if (memory / "memory.limit_in_bytes").exists() else "memory.max")
        assert int(limit.read_text()) == 700 * 2**20
        children = ("import os, time\ndef neuron_forward(x, w, b):\n    for _ in range(4):\n"
                    "        if os.fork() == 0:\n            time.sleep(6)\n            os._exit(0)\n"
                    "    time.sleep(4)\n    return 0.5\n")
        counts, done = [], threading.Event()

        def watch():
            while not done.is_set():
                counts.append(len((memory / "cgroup.procs").read_text().split()))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            verify.verify(notebook(children), 1, zygote, limits)
        finally:
            done.set()
            watcher.join()
        # bubblewrap (2), the zygote, a sandbox's parent and the sandbox, and the 4 children it forked: all inside
        assert max(counts) >= 9, counts
    finally:
        zygote.close()
    assert zygote.bounds is None


def test_the_zygote_preloads_everything_the_course_package_imports_from_outside_it():
    """What a sandbox imports is paid for by every submission (about 25 ms of each sandbox's start went on
    anywidget, psygnal and the rest): the zygote imports, once, every module from outside the package that the
    package's modules a lesson's view holds import. (Never the package itself: a sandbox imports its view.)"""
    from autograde import sandbox, views

    script = (
        "import importlib, pkgutil, sys\n"
        f"for name in {list(sandbox.PRELOAD)!r}:\n"
        "    importlib.import_module(name)\n"
        "before = set(sys.modules)\n"
        "import backprop\n"
        "for module in pkgutil.walk_packages(backprop.__path__, 'backprop.'):\n"
        f"    if module.name.split('.')[1] not in {list(views.LEFT_OUT)!r}:\n"
        "        importlib.import_module(module.name)\n"
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] != 'backprop'))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]", (
        f"the course's package imports these from outside it, which the zygote does not preload: "
        f"{result.stdout.strip()} (add the modules its code imports to autograde/sandbox.py's PRELOAD)")


def test_every_module_the_zygote_preloads_works_in_a_sandbox(tmp_path):
    """The zygote imports matplotlib (and the rest of PRELOAD) once for every sandbox: with nowhere writable for
    matplotlib's cache that import failed half-way, and every sandbox then failed to import matplotlib, and so the
    course's plots, and lost every name imported with it (`from backprop import data, layers, plots`)."""
    from autograde import sandbox, verify

    if os.geteuid() != 0:
        pytest.fail("the security tests grade as root (as CI does)")
    uses = ("import importlib\ndef neuron_forward(x, w, b):\n"
            f"    for name in {list(sandbox.PRELOAD)!r} + ['backprop.plots']:\n"
            "        importlib.import_module(name)\n"
            "    import matplotlib.pyplot as plt\n"
            "    plt.plot([0, 1]); plt.close('all')\n"
            "    return sigmoid(w * x + b)\n")
    zygote = isolation.Zygote(isolation.engine("users"), tmp_path / "zygote", tmp_path / "views")
    try:
        verdicts = verify.verify(notebook(uses), 1, zygote)
    finally:
        zygote.close()
    assert verdicts["test_neuron_forward"].passed, verdicts["test_neuron_forward"].failure
