"""Your own grading, kept warm: a process of yours that submits and grades your work on request.

Grading a lesson needs nbgrader, the grading engine and a sandbox, which take a few seconds to
load and start each time a new process begins. So the course keeps one process that has done
that once, and `python -m backprop.course submit|feedback` and the feedback panel ask it over a
socket that only you can open. It is a process of its own, apart from your notebooks' kernels, so
nothing a kernel does can change a grade; it grades exactly as `grade_my_submission` does.
It starts when the course opens (or at the first request), and exits after IDLE_SECONDS without
a request, or when the course's code has changed since it started (the next request starts a new
one). Where it cannot be reached, the commands do the work themselves, only slower.

    request(op, lesson, start_it)   ask the service ("submit", "feedback" or "ping"): its reply
                                    {"ok": ...} or {"error": message}, or None when it cannot be reached
    start(wait, parent)          start the service in the background unless it runs (parent: a process
                                 whose end ends the service too, as JupyterLab's does)
    stop()                       ask a running service to stop
    serve(parent)                the service itself (python -m backprop.grading_service [--parent PID])
    stamp()                      what the course's code looks like now (the service stops when it changes)
    SOCKET                       where it listens: a folder of yours in the temporary directory, one
                                 socket per copy of the course
    IDLE_SECONDS, LOG
"""

import contextlib
import fcntl
import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["request", "start", "stop", "serve", "stamp", "SOCKET", "IDLE_SECONDS", "LOG"]

REPO = Path(__file__).resolve().parent.parent
BOOKS = REPO / "autograde" / "self"   # the student's own books (backprop.course.OWN_BOOKS)
RUNTIME = Path(tempfile.gettempdir()) / f"backprop-{os.getuid()}"  # (a socket's path must be short)
SOCKET = RUNTIME / f"grading-{hashlib.sha1(str(REPO).encode()).hexdigest()[:12]}.sock"
LOG = BOOKS / "grading-service.log"
IDLE_SECONDS = float(os.environ.get("BACKPROP_SERVICE_IDLE", 30 * 60))
CHECK_SECONDS = 2        # how often an idle service looks whether its parent still runs
START_SECONDS = 60       # how long a request waits for a service it started
REPLY_SECONDS = 600      # how long a request waits for its reply (grading is bounded by the sandbox's limits)
MAX_MESSAGE = 16 * 2**20


def stamp():
    """The course's code as it is now: the newest change to the package, the grading code, the
    lessons' texts and the student configuration (a new service starts after any of them changes)."""
    newest = 0.0
    for folder, pattern in (("backprop", "**/*.py"), ("autograde", "**/*.py"), ("solutions", "*/*.md"),
                            ("binder", "**/*.py")):
        for path in (REPO / folder).glob(pattern):
            with contextlib.suppress(OSError):
                newest = max(newest, path.stat().st_mtime)
    return f"{newest:.6f}"


def _folders():
    for folder in (BOOKS, RUNTIME):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # (the socket and the books: yours only)
    if not _ours(RUNTIME):
        raise PermissionError(f"{RUNTIME} is not a folder of yours that only you can open")


def _ours(folder):
    """Whether `folder` is a real folder (not a link) of this user that nobody else can open: a
    folder in /tmp made first by someone else could hold their socket, which would answer for ours."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _connect(timeout):
    if not _ours(RUNTIME):
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout)
    try:
        client.connect(str(SOCKET))
    except OSError:
        client.close()
        return None
    return client


def _send(conn, message):
    conn.sendall(json.dumps(message).encode() + b"\n")


def _receive(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the connection closed before a whole message came")
        data += chunk
        if len(data) > MAX_MESSAGE:
            raise ConnectionError("the message is too long")
    return json.loads(data)


def start(wait=False, parent=None):
    """Start the service in the background unless one is running; with wait, until it answers.
    True when a service answers (or, without wait, was started)."""
    if _ask({"op": "ping"}, timeout=2) is not None:
        return True
    try:
        _folders()
    except OSError as problem:  # (then submit and feedback do the work themselves)
        print(f"The grading service cannot start: {problem}", file=sys.stderr)
        return False
    with open(RUNTIME / f"{SOCKET.stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # (one starter at a time)
        if _ask({"op": "ping"}, timeout=2) is not None:
            return True
        from backprop.course import student_environment

        with open(LOG, "ab") as log:
            service = subprocess.Popen(
                [sys.executable, "-m", "backprop.grading_service", *(["--parent", str(parent)] if parent else [])],
                cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                env=student_environment())
        if not wait:
            return True
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and service.poll() is None:
            if _ask({"op": "ping"}, timeout=2) is not None:
                return True
            time.sleep(0.05)
        return _ask({"op": "ping"}, timeout=2) is not None


def stop():
    """Ask a running service to stop; True if one was running."""
    return _ask({"op": "stop"}, timeout=10) is not None


def _ask(message, timeout=REPLY_SECONDS):
    conn = _connect(timeout)
    if conn is None:
        return None
    try:
        with conn:
            _send(conn, message)
            reply = _receive(conn)
    except (OSError, ConnectionError, ValueError):
        return None
    if reply.get("stale"):
        return None
    return reply


def request(op, lesson=None, start_it=True):
    """Ask the service to `op` ("submit" or "feedback") `lesson`: {"ok": result} or {"error": the
    message of the problem, for the student}; None when no service can be reached (then do it here)."""
    message = {"op": op, "lesson": lesson, "stamp": stamp()}
    reply = _ask(message)
    if reply is None and start_it and start(wait=True):
        reply = _ask(message)
    return reply


# --- the service ----------------------------------------------------------------------------------


def _handle(message, started_with):
    from backprop import course

    if message.get("stamp") not in (None, started_with):
        return {"stale": True}
    op, lesson = message.get("op"), message.get("lesson")
    try:
        if op == "ping":
            return {"ok": "ready"}
        if op == "stop":
            return {"ok": "stopping", "stop": True}
        if op == "submit":
            return {"ok": course.submit_here(lesson)}
        if op == "feedback":
            return {"ok": course.grade_my_submission(lesson)}
    except course.CourseError as problem:
        return {"error": str(problem)}
    except Exception as exc:  # noqa: BLE001  (said to the student as the command would say it)
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"error": f"op must be 'ping', 'stop', 'submit' or 'feedback', but is {op!r}."}


def _warm_up():
    """Load what grading needs and start the sandbox's zygote, as the first grading would."""
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")
    sys.modules.setdefault("rfc3987_syntax", None)  # (jsonschema's IRI formats: a second of start-up, unused)
    from backprop import course

    course.prepare()
    with course._grader() as (api, _):
        from autograde.preprocessors.verify_tests import VerifyTests

        VerifyTests(config=api.config).zygote()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(parent=None):
    """Listen on SOCKET and answer one request at a time; stop after IDLE_SECONDS without one,
    when `parent` (a pid) has ended, or when the course's code changed."""
    started_with = stamp()
    _folders()
    if _connect(1) is not None:
        return 0  # (another service answers already)
    SOCKET.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        server.bind(str(SOCKET))
    finally:
        os.umask(old_umask)
    server.listen(8)
    closed = False
    try:
        _warm_up()
        server.settimeout(CHECK_SECONDS)
        idle_since = time.monotonic()
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                if time.monotonic() - idle_since > IDLE_SECONDS or (parent and not _alive(parent)):
                    return 0
                continue
            with conn:
                conn.settimeout(REPLY_SECONDS)
                try:
                    reply = _handle(_receive(conn), started_with)
                    if reply.get("stale") or reply.get("stop"):  # (stop listening first: the next request
                        server.close()                              # starts a new service)
                        SOCKET.unlink(missing_ok=True)
                        closed = True
                    _send(conn, reply)
                except (OSError, ConnectionError, ValueError):
                    continue
            if reply.get("stale") or reply.get("stop"):
                return 0
            idle_since = time.monotonic()
    finally:
        server.close()
        if not closed:
            SOCKET.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[2]) if sys.argv[1:2] == ["--parent"] else None))
