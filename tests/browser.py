"""Drive JupyterLab in Debian's Chromium with Playwright: the helpers the browser tests share.

The server runs the course the way a student opens it (`python -m backprop.course`), in a
scratch copy of the repository, so that filling in, submitting and grading change nothing
in the working tree.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
TOKEN = "course-tests"


def copy_repository(root, destination):
    """The files git knows about (tracked, or new and not ignored), copied to destination."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=root, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = Path(root) / name
        if source.is_file():
            target = Path(destination) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return Path(destination)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab on a scratch copy of the course.

    By default it is started the way the README says, `python -m backprop.course`; `command`
    starts it another way (Binder's: `binder/start jupyter lab`), `path` goes first on PATH.
    As root, the test passes --allow-root itself unless allow_root is False (then the course
    command must). `env` is the environment it runs in (the student's data folders in scratch).
    """

    def __init__(self, repo, scratch, command=None, path=None, log=None, allow_root=True):
        self.repo = Path(repo)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = Path(scratch) / "lab-settings"
        settings.mkdir(parents=True, exist_ok=True)
        # the student's settings, and every notebook cell rendered (not only those in view)
        overrides = (self.repo / "binder" / "student" / "lab-settings" / "overrides.json").read_text()
        overrides = overrides.rstrip().rstrip("}") + (
            ',\n  "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}\n}\n')
        (settings / "overrides.json").write_text(overrides)
        env = dict(os.environ)
        for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            env[key] = str(Path(scratch) / key.lower())
        env["PYTHONPATH"] = str(self.repo)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        if path:
            env["PATH"] = f"{path}{os.pathsep}{env['PATH']}"
        self.log = open(log or Path(scratch) / "jupyter.log", "w")
        # `python -m backprop.course` serves the repository itself; another command is told to
        command = command + [f"--ServerApp.root_dir={self.repo}"] if command else [
            sys.executable, "-m", "backprop.course", "open"]
        args = [*command, "--no-browser", f"--port={self.port}",
                f"--IdentityProvider.token={TOKEN}", f"--LabApp.app_settings_dir={settings}"]
        if allow_root and hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        self.env = env
        self.process = subprocess.Popen(args, cwd=self.repo, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # the server and its kernels, one group
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: see {self.log.name}") from None
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not start in 120 s: see {self.log.name}")

    def stop(self):
        """Stop the server (it shuts its kernels down), then anything of its group still running."""
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:  # nothing left
            pass
        self.log.close()

    def open(self, page, path):
        """Open a notebook (path relative to the repository) and wait for its kernel."""
        page.goto(f"{self.url}/lab/tree/{path}?reset&token={TOKEN}")
        page.locator(".jp-NotebookPanel").first.wait_for(timeout=90_000)
        wait_idle(page)

    def run_all(self, page, timeout=240):
        """Run All, and wait until every code cell has run (or stopped on an error) and the kernel rests."""
        page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
        page.locator("li[data-command='runmenu:run-all']").click()
        time.sleep(1.0)
        prompts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt")
        deadline = time.time() + timeout
        while time.time() < deadline:
            wait_idle(page, max(1, deadline - time.time()))
            texts = [t.strip() for t in prompts.all_inner_texts()]
            queued = [t for t in texts if t.startswith("[*]")]
            errors = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                                  ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            if not queued and (all(t != "[ ]:" for t in texts) or errors.count()):
                return
            time.sleep(0.5)
        raise TimeoutError(f"Run All did not finish in {timeout} s")


def wait_idle(page, timeout=120):
    """Wait until the current notebook's kernel is idle and stays idle for a moment."""
    indicator = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator").first
    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline:
        status = indicator.get_attribute("data-status") if indicator.count() else None
        quiet = quiet + 1 if status == "idle" else 0
        if quiet >= 3:
            return
        time.sleep(0.4)
    raise TimeoutError(f"the kernel was still busy after {timeout} s")


SOLUTION_01 = {
    "neuron_forward": 'def neuron_forward(x, w, b):\n    """Mine."""\n    return sigmoid(w * x + b)\n',
    "neuron_gradients": (
        'def neuron_gradients(x, w, b, y):\n    """Mine."""\n    a = sigmoid(w * x + b)\n'
        "    dL_dz = 2 * (a - y) * a * (1 - a)\n    return dL_dz * x, dL_dz\n"
    ),
}


def cell_containing(page, text):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").filter(has_text=text).first


def drag_into_order(page, tags_input, wanted):
    """Sort the tags of an ipywidgets TagsInput by dragging them with the mouse."""
    for position, label in enumerate(wanted):
        for _ in range(3):
            tags = tags_input.locator(".jupyter-widget-tag")
            current = [t.strip() for t in tags.all_inner_texts()]
            if current[position] == label:
                break
            tags.nth(current.index(label)).drag_to(tags.nth(position))
            time.sleep(0.3)
        current = [t.strip() for t in tags_input.locator(".jupyter-widget-tag").all_inner_texts()]
        assert current[position] == label, f"could not drag {label!r} to place {position + 1}: {current}"


def expect_text(locator, text, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in locator.inner_text():
            return
        time.sleep(0.2)
    raise AssertionError(f"expected {text!r}, found {locator.inner_text()!r}")


def student_round(lab, page, shot):
    """Fill in lesson 01, Validate it, Submit it from the Assignments tab, get its feedback
    with the button of lesson 00 and fetch the full report: what a student does."""
    lab.open(page, "lessons/01_one_neuron/01_one_neuron.ipynb")
    for name, code in SOLUTION_01.items():
        editor = cell_containing(page, f"def {name}(").locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    time.sleep(1.0)
    shot("student-filled-in")

    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    expect_text(dialog, "Success! Your notebook passes all the tests.", timeout=120)
    shot("student-validated")
    dialog.locator("button").last.click()

    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    panel = page.locator(".lm-Widget").filter(has_text="Downloaded assignments").last
    row = panel.locator("div").filter(has_text=re.compile("^01_one_neuron")).filter(
        has=page.get_by_role("button", name="Submit")).last
    row.get_by_role("button", name="Submit").click()
    expect_text(page.locator("body"), "Submitted assignments", timeout=30)
    deadline = time.time() + 60
    while "There are no submitted assignments" in page.locator("body").inner_text() and time.time() < deadline:
        time.sleep(0.5)
    shot("student-submitted")

    lab.open(page, "lessons/00_start_here/00_start_here.ipynb")
    lab.run_all(page)
    feedback = page.locator(".bp-feedback-button").first
    feedback.scroll_into_view_if_needed()
    feedback.click()
    output = page.locator(".bp-feedback")
    output.wait_for(timeout=180_000)
    expect_text(output, "01_one_neuron: 5 / 5 points")
    assert "failed" not in output.inner_text()
    shot("student-feedback")
    wait_idle(page)

    # the full report, fetched into the lesson's folder from the Assignments tab
    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List", exact=True).click()
    page.get_by_role("button", name="Fetch Feedback").first.click()
    expect_text(page.locator("body"), "(view feedback)", timeout=60)
    shot("student-feedback-fetched")
    fetched = list((lab.repo / "lessons" / "01_one_neuron" / "feedback").rglob("01_one_neuron.html"))
    assert fetched and "ok: neuron_gradients agrees" in fetched[0].read_text()
    assert "BEGIN HIDDEN TESTS" not in fetched[0].read_text() and "trials=25" not in fetched[0].read_text()


def course_lab(tmp_path_factory):
    """A JupyterLab on a copy of the course, for a test module (its fixture: `lab = pytest.fixture(
    scope="module", name="lab")(course_lab)`)."""
    scratch = tmp_path_factory.mktemp("lab")
    server = Lab(copy_repository(Path(__file__).resolve().parent.parent, scratch / "course"), scratch)
    yield server
    server.stop()
