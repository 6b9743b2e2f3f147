"""Drive JupyterLab in Debian's Chromium with Playwright: the helpers the browser tests share.

The server runs the course the way a student opens it (`python -m backprop.course`), in a
scratch copy of the repository, so that filling in, submitting and grading change nothing
in the working tree.
"""

import os
import shutil
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
    """A running `python -m backprop.course` server on a scratch copy of the course."""

    def __init__(self, repo, scratch, python=sys.executable, log=None):
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
        self.log = open(log or Path(scratch) / "jupyter.log", "w")
        args = [python, "-m", "backprop.course", "open", "--no-browser", f"--port={self.port}",
                f"--IdentityProvider.token={TOKEN}", f"--LabApp.app_settings_dir={settings}",
                "--ServerApp.disable_check_xsrf=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        self.process = subprocess.Popen(args, cwd=self.repo, env=env, stdout=self.log, stderr=subprocess.STDOUT)
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
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def open(self, page, path):
        """Open a notebook (path relative to the repository) and wait for its kernel."""
        page.goto(f"{self.url}/lab/tree/{path}?reset&token={TOKEN}")
        page.locator(".jp-NotebookPanel").first.wait_for(timeout=90_000)
        wait_idle(page)

    def run_all(self, page, timeout=180):
        page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
        page.locator("li[data-command='runmenu:run-all']").click()
        time.sleep(1.0)
        wait_idle(page, timeout)


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
