"""5. From a fresh clone to a running JupyterLab, with the README's main command.

    git clone <this repository> && python3 -m venv && pip install -r requirements.txt
    && python -m backprop.course --no-browser --port=<free port>   (and --allow-root as root)

each step timed, the last until the server answers /api/status (200, with its token). The
clone gets an environment of its own: a new virtual environment, its own Jupyter folders,
no PYTHONPATH. pip's cache on the machine is whatever it is (warm where the course's
packages were installed before, as here: say so when quoting the number).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.measure import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(step, times, command, **kwargs):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    times[step] = round(time.perf_counter() - started, 2)


def run(entry, source=None, timeout=600):
    source = str(source or ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="backprop-clone-"))
    times = {}
    server = None
    try:
        course, venv = tmp / "course", tmp / "venv"
        started = time.perf_counter()
        _timed("git clone", times, ["git", "clone", "--quiet", source, str(course)])
        _timed("python -m venv", times, [sys.executable, "-m", "venv", str(venv)])
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
                   JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
                   JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"), JUPYTER_PLATFORM_DIRS="1")
        python = str(venv / "bin" / "python")
        _timed("pip install -r requirements.txt", times,
               [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
               cwd=course, env=env)
        port = free_port()
        launched = time.perf_counter()
        extra = ["--allow-root"] if os.geteuid() == 0 else []  # (JupyterLab refuses root without it)
        entry["command"] = " ".join(["python -m backprop.course", "--no-browser", f"--port={port}", *extra])
        server = subprocess.Popen([python, "-m", "backprop.course", "--no-browser", f"--port={port}", *extra],
                                  cwd=course,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  start_new_session=True)
        output, token = [], {}

        def read():
            for line in server.stdout:
                output.append(line)
                found = re.search(r"[?&]token=([0-9a-f]+)", line)
                if found and "value" not in token:
                    token["value"] = found.group(1)

        threading.Thread(target=read, daemon=True).start()
        first_answer = None
        while True:
            if server.poll() is not None:
                raise RuntimeError("the course stopped before JupyterLab answered:\n" + "".join(output[-20:]))
            if time.perf_counter() - launched > timeout:
                raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n" + "".join(output[-20:]))
            url = f"http://127.0.0.1:{port}/api/status"
            if "value" in token:
                url += f"?token={token['value']}"
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if reply.status == 200:
                        break
            except urllib.error.HTTPError:  # it answers, but not yet with our token
                first_answer = first_answer or time.perf_counter()
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        times["python -m backprop.course (until /api/status answers)"] = round(time.perf_counter() - launched, 2)
        entry["total"] = round(time.perf_counter() - started, 2)
        entry["steps"] = times
        entry["released"] = next((line.strip() for line in output if "Released" in line), "")
        entry["source"] = source
        entry["note"] = ("pip's cache and the machine's package sources were warm (the course's packages had been "
                         "installed here before); on a machine that downloads them, pip install takes longer")
    finally:
        if server is not None and server.poll() is None:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(server.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return entry
