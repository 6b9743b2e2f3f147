"""Where a student's code runs while it is graded: an operating-system sandbox, on bubblewrap.

A submission's code runs in a sandbox (autograde/sandbox.py) that holds nothing and reaches
nothing: a process of its own in its own PID, network, mount, IPC and UTS namespaces (no
network at all; everything it starts dies with it), as a user of its own, seeing a filesystem of
read-only system folders, the Python environment, and the lesson's *view* of the course's package
(a copy from which the implementations that answer the lesson's exercises are absent), plus a
private, size-limited /tmp. Memory, processes, file size, CPU seconds and open files are bounded
per sandbox, and the grader gives each submission one wall-clock budget.

The engine is bubblewrap (Debian's `bubblewrap`, the `bwrap` command): it starts, per grading
worker, a zygote that has imported what notebooks use and forks one sandbox per submission.
How separate the sandboxes are depends on what the machine allows:

    "users"       each sandbox runs as a uid of its own: the grader is root, or the grading user
                  has subordinate uids (/etc/subuid and /etc/subgid, and newuidmap from `uidmap`)
    "namespaces"  bubblewrap in a user namespace: every sandbox runs as the grading user's uid,
                  capabilities dropped; separated from each other and from your files by
                  namespaces only
    "none"        no engine: the student's code runs as a plain process of the grading user
                  (only for grading one's own work, or when told --unsafe-same-user)

    Limits                      the bounds of one sandbox
    Engine, engine(require)     the best engine here, or IsolationUnavailable saying why
    lesson_view(...)            a lesson's view of the course's package (autograde.views)
    Zygote, Sandbox             a worker's zygote; one submission's sandbox, with the proxies into it
    Bounds                      the cgroup of a zygote and its sandboxes: memory together, processes, CPU share
    SandboxDied                 the sandbox exited, was killed, broke the protocol, or ran out of time
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from autograde import wire

__all__ = ["Limits", "Engine", "engine", "IsolationUnavailable", "Zygote", "Sandbox", "SandboxDied", "LEVELS", "main",
           "engine_files", "Bounds"]

LEVELS = ("users", "namespaces", "none")
HERE = Path(__file__).resolve().parent
UID_BASE = 1000      # the sandboxes' uids, inside a user namespace with a mapped range
ROOT_UID_BASE = 3_100_000  # as root: real uids that no account uses
UIDS_PER_WORKER = 200


@dataclass
class Limits:
    """The bounds of one sandbox. cell_seconds bounds one test cell; wall_seconds a whole submission."""

    memory_bytes: int = 4 * 2**30
    processes: int = 64
    file_bytes: int = 64 * 2**20
    disk_bytes: int = 128 * 2**20
    cpu_seconds: int = 600
    open_files: int = 256
    cell_seconds: float = 60.0
    wall_seconds: float = 600.0
    start_seconds: float = 120.0
    total_memory_bytes: int = 4 * 2**30 + 2**29  # a zygote and its sandboxes together (a cgroup, where there is one)
    cpu_share: float = 0.25  # of a CPU's weight, against the grader's and the machine's other processes (a cgroup)


class Bounds:
    """A cgroup holding one zygote and every sandbox it starts: their memory together (RLIMIT_AS bounds
    each process alone: 64 processes of 4 GB each), their processes, and their share of the CPU (so that
    a sandbox's busy processes cannot starve a classmate's grading where the kernel has no autogroups).

    Bounds.make(name, limits)   the cgroup (v2, or v1's memory, pids and cpu hierarchies), made below
                                this process's own; or None, with Bounds.why saying why not
    enter()                     put the calling process in it (a child, before it runs the zygote)
    close()                     remove it (its processes ended)
    """

    why = ""

    def __init__(self, folders):
        self.folders = folders

    @staticmethod
    def _own(controller):
        """This process's cgroup folder of `controller` ("" for v2's unified one), or None."""
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            number, controllers, path = line.split(":", 2)
            if (controller == "" and number == "0" and controllers == "") or controller in controllers.split(","):
                base = Path("/sys/fs/cgroup") if controller == "" else Path("/sys/fs/cgroup") / controller
                folder = base / path.lstrip("/")
                return folder if folder.is_dir() else None
        return None

    @classmethod
    def make(cls, name, limits):
        settings = []
        unified = Path("/sys/fs/cgroup/cgroup.controllers")
        if unified.exists():
            own = cls._own("")
            enabled = (own / "cgroup.subtree_control").read_text().split() if own else []
            if own is None or not {"memory", "pids", "cpu"} <= set(enabled):
                cls.why = ("cgroup v2 without the memory, pids and cpu controllers delegated to the grader "
                           "(run it in a systemd unit with Delegate=yes)")
                return None
            settings.append((own / name, {"memory.max": limits.total_memory_bytes, "memory.swap.max": 0,
                                          "pids.max": limits.processes + 32,
                                          "cpu.weight": max(1, int(100 * limits.cpu_share))}))
        else:
            for controller, values in (("memory", {"memory.limit_in_bytes": limits.total_memory_bytes}),
                                       ("pids", {"pids.max": limits.processes + 32}),
                                       ("cpu", {"cpu.shares": max(2, int(1024 * limits.cpu_share))})):
                own = cls._own(controller)
                if own is None:
                    if controller == "memory":
                        cls.why = "no memory cgroup here"
                        return None
                    continue
                settings.append((own / name, values))
        made = []
        try:
            for folder, values in settings:
                folder.mkdir(exist_ok=True)
                made.append(folder)
                for key, value in values.items():
                    if (folder / key).exists():
                        (folder / key).write_text(str(value))
        except OSError as exc:
            cls(made).close()
            cls.why = f"a cgroup could not be made ({exc.strerror}: {exc.filename})"
            return None
        return cls(made)

    def enter(self):
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def close(self):
        left, deadline = list(self.folders), time.monotonic() + 5
        while left and time.monotonic() < deadline:
            for folder in list(left):
                try:
                    folder.rmdir()
                    left.remove(folder)
                except FileNotFoundError:
                    left.remove(folder)
                except OSError:  # (its last processes are still being reaped)
                    pass
            if left:
                time.sleep(0.05)
        self.folders = []


class IsolationUnavailable(Exception):
    """No engine gives the isolation asked for; the message says why and what to do."""


TOO_MUCH_MEMORY = ("its answer needed more of the grader's memory than a check may use (an array far larger than "
                   "the exercise asks for?)")


class SandboxDied(BaseException):
    """The student's process exited, was killed, broke the protocol, or did not answer in time.

    A BaseException, so that no check mistakes it for the student's function raising: it ends the
    test cell, and a fresh sandbox serves the next one."""


def _subordinate_range(kind, user):
    """(start, count) of the user's subordinate uids or gids (/etc/subuid, /etc/subgid), or None."""
    try:
        lines = Path(f"/etc/sub{kind}").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.strip().split(":")
        if len(parts) == 3 and parts[0] in (user, str(os.getuid())):
            start, count = int(parts[1]), int(parts[2])
            if count > UID_BASE + UIDS_PER_WORKER * 4:
                return start, count
    return None


@dataclass
class Engine:
    """How sandboxes are started here: level (one of LEVELS), why (in words), and what it needs."""

    level: str
    why: str
    bwrap: str = ""
    prefix: tuple = ()  # a command the bubblewrap command runs under (unshare, mapping a uid range)
    switch_users: bool = False

    def describe(self):
        return {"users": "each submission runs as a user of its own, in namespaces of its own (bubblewrap)",
                "namespaces": "each submission runs in namespaces of its own (bubblewrap), as the grading user's uid",
                "none": "no isolation: the student's code runs as the grading user"}[self.level] + f" ({self.why})"


def _works(command):
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def engine(require="users", exactly=False):
    """The most separating engine this machine offers, at least `require` (a level of LEVELS);
    IsolationUnavailable, with the reason and the remedy, if there is none. With exactly=True, an
    engine of the level `require` itself (to test a level, or to grade without one when told to)."""
    if require not in LEVELS:
        raise ValueError(f"require must be one of {LEVELS}, but is {require!r}")
    if exactly and require == "none":
        return Engine("none", "asked for")
    bwrap = shutil.which("bwrap") or next((p for p in ("/usr/bin/bwrap", "/bin/bwrap") if os.path.exists(p)), "")
    found, reasons = None, []
    if not bwrap:
        reasons.append("bubblewrap is not installed (Debian and Ubuntu: apt-get install bubblewrap)")
    else:
        probe = [bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--proc", "/proc", "--dev", "/dev",
                 "--die-with-parent"]
        if os.geteuid() == 0:
            if _works(probe + ["--cap-add", "CAP_SETUID", "--", "/bin/true"]):
                found = Engine("users", "the grader runs as root", bwrap, (), True)
            else:
                reasons.append("bubblewrap cannot make namespaces here")
        else:
            user = pwd.getpwuid(os.getuid()).pw_name
            subuid, subgid = _subordinate_range("uid", user), _subordinate_range("gid", user)
            unshare, newuidmap = shutil.which("unshare"), shutil.which("newuidmap")
            if subuid and subgid and unshare and newuidmap:
                prefix = (unshare, "--map-root-user", f"--map-users={subuid[0]},1,{subuid[1] - 1}",
                          f"--map-groups={subgid[0]},1,{subgid[1] - 1}", "--")
                if _works(list(prefix) + probe + ["--cap-add", "CAP_SETUID", "--", "/bin/true"]):
                    found = Engine("users", f"subordinate uids of {user}", bwrap, prefix, True)
                else:
                    reasons.append(f"the subordinate uids of {user} could not be mapped")
            else:
                reasons.append(f"{user} is not root and has no subordinate uids (as root: usermod --add-subuids "
                               f"100000-165535 --add-subgids 100000-165535 {user}; apt-get install uidmap)")
            if found is None:
                if _works(probe + ["--unshare-user", "--", "/bin/true"]):
                    namespaces = Engine("namespaces", "bubblewrap in a user namespace", bwrap,
                                        (), False)
                    found = namespaces
                else:
                    reasons.append("this kernel does not let an ordinary user make namespaces")
    if found is None:
        found = Engine("none", "; ".join(reasons) or "no engine")
    if exactly and found.level != require:
        if require == "namespaces" and bwrap and _works(probe + ["--unshare-user", "--", "/bin/true"]):
            return Engine("namespaces", "asked for", bwrap, (), False)
        raise IsolationUnavailable(f"the isolation level {require!r} is not available here")
    if LEVELS.index(found.level) > LEVELS.index(require):
        raise IsolationUnavailable(
            f"grading needs the isolation level {require!r} ({Engine(require, '').describe().split(' (')[0]}), "
            f"but the best this machine offers is {found.level!r}: {'; '.join(reasons) or found.why}.")
    return found


def engine_files(workdir):
    """A copy of the sandbox's own code (sandbox.py, wire.py) in `workdir`/engine, for the sandbox to run."""
    target = Path(workdir) / "engine"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("sandbox.py", "wire.py"):
        data = (HERE / name).read_bytes()
        if not (target / name).exists() or (target / name).read_bytes() != data:
            (target / name).write_bytes(data)
    return target


def _bind_system(args):
    for path in ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin"):
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]


def _installed_course_packages(folders):
    """Copies of the course's package (and its grading code) installed inside these folders (a
    `pip install .`, not an editable one): each is hidden in the sandbox, whose only copy of the
    package is its lesson's view."""
    import site

    found = set()
    for base in {*site.getsitepackages(), site.getusersitepackages(), *sys.path}:
        for name in ("backprop", "autograde"):
            path = Path(base) / name
            if path.is_dir() and any(str(path).startswith(f.rstrip("/") + "/") for f in folders):
                found.add(str(path))
    return sorted(found)


def _python_folders():
    """The folders the Python environment lives in: its prefix, its base (a venv's interpreter), and
    where the interpreter's symlinks lead."""
    folders = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.prefix), Path(sys.base_prefix)}
    executable = Path(sys.executable)
    folders.add(executable.resolve().parent.parent)
    return sorted({str(f) for f in folders if f.exists() and str(f) not in ("/", "/usr")})


class Zygote:
    """A worker's zygote: a process inside bubblewrap (or, at the level "none", a plain one) that has
    imported what notebooks use and forks a sandbox per submission."""

    def __init__(self, engine, workdir, views, worker=0, limits=None):
        self.engine, self.limits = engine, limits or Limits()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.views = Path(views)
        self.views.mkdir(parents=True, exist_ok=True)
        self.engine_dir = engine_files(self.workdir)
        self.uids = iter(range(UIDS_PER_WORKER * 1000))
        self.uid_base = (ROOT_UID_BASE if not engine.prefix else UID_BASE) + worker * UIDS_PER_WORKER
        self.control = self.process = self.bounds = None
        self.private_tmp = True
        if engine.level == "none":
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        args = [*engine.prefix, engine.bwrap, "--die-with-parent", "--new-session", "--unshare-pid",
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        if engine.level == "namespaces":
            args += ["--unshare-user", "--uid", "0", "--gid", "0"]
        _bind_system(args)
        passwd = self.workdir / "passwd"
        passwd.write_text("root:x:0:0:root:/tmp:/bin/false\n" + "".join(
            f"sandbox{k}:x:{self.uid_base + k}:{self.uid_base + k}:sandbox:/tmp/work:/bin/false\n"
            for k in range(UIDS_PER_WORKER)))
        args += ["--ro-bind", str(passwd), "/etc/passwd"]
        folders = _python_folders()
        for parent in sorted({str(a) for f in folders for a in Path(f).parents if str(a) != "/"}):
            args += ["--perms", "0755", "--dir", parent]  # (bubblewrap makes the folders above a bind 0700)
        for folder in folders:
            args += ["--ro-bind", folder, folder]
        for installed in _installed_course_packages(folders):  # (a copy with the reference in site-packages)
            args += ["--perms", "0555", "--tmpfs", installed]
        args += ["--perms", "0755", "--dir", "/grader", "--perms", "0755", "--dir", "/grader/site",
                 "--ro-bind", str(self.engine_dir), "/grader/engine", "--ro-bind", str(self.views), "/grader/views",
                 "--perms", "0755", "--dir", "/sandbox", "--perms", "1777", "--dir", "/tmp",
                 "--perms", "0755", "--tmpfs", "/grader/mpl",  # (matplotlib's cache, made as the zygote imports it)
                 "--proc", "/proc", "--dev", "/dev", "--chdir", "/sandbox", "--remount-ro", "/",
                 "--cap-add", "CAP_SYS_ADMIN,CAP_SETUID,CAP_SETGID,CAP_KILL,CAP_CHOWN,CAP_FOWNER,CAP_SETPCAP,"
                 "CAP_SYS_RESOURCE",
                 "--", sys.executable, "-I", "-B", "/grader/engine/sandbox.py", "--zygote", str(theirs.fileno()),
                 "switch-users" if engine.switch_users else "same-user"]
        # a private /tmp for each sandbox, unless the Python environment lives under /tmp (it would hide it)
        self.private_tmp = not any(f == "/tmp" or f.startswith("/tmp/") for f in folders)
        self.log = open(self.workdir / "zygote.log", "ab")
        # the zygote and its sandboxes in a cgroup of their own, where this grader may make one (as root)
        self.bounds = Bounds.make(f"backprop-zygote-{os.getpid()}-{worker}-{id(self)}", self.limits)
        env = {"PATH": "/usr/bin:/bin", "LANG": os.environ.get("LANG", "C.UTF-8"), "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "HOME": "/sandbox", "MPLCONFIGDIR": "/grader/mpl"}
        self.process = subprocess.Popen(args, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=self.log, env=env, start_new_session=True,
                                        preexec_fn=self.bounds.enter if self.bounds else None)
        theirs.close()
        self.control = ours
        self.control.settimeout(self.limits.start_seconds)
        try:
            ready = self._reply()
        except SandboxDied:
            self.close()
            raise
        self.control.settimeout(30)
        if not ready.get("ready"):
            self.close()
            raise SandboxDied("the zygote did not start")

    @property
    def alive(self):
        return self.engine.level == "none" or (self.control is not None and self.process.poll() is None)

    def _reply(self):
        try:
            data = self.control.recv(1 << 16)
        except OSError as exc:
            raise SandboxDied(f"the zygote did not answer ({exc})") from None
        if not data:
            tail = (self.workdir / "zygote.log").read_bytes()[-800:].decode(errors="replace")
            raise SandboxDied(f"the zygote has gone\n{tail}")
        return json.loads(data)

    def _ask(self, message, fds=()):
        if not self.alive:
            raise SandboxDied("the zygote has gone")
        try:
            socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
        except OSError as exc:
            raise SandboxDied(f"the zygote cannot be reached ({exc})") from None
        return self._reply()

    def start(self, site, requests_r, replies_w):
        """A new sandbox serving on these pipe ends, with the lesson's view `site` (a folder of views):
        its handle for kill() and status()."""
        if self.engine.level == "none":
            log = open(self.workdir / "sandbox.log", "ab")
            process = subprocess.Popen(
                [sys.executable, str(self.engine_dir / "sandbox.py"), str(requests_r), str(replies_w), str(site)],
                pass_fds=(requests_r, replies_w), cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.workdir), "MPLBACKEND": "Agg",
                     "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "LANG": os.environ.get("LANG", "C.UTF-8")},
                preexec_fn=_plain_limits(self.limits))
            log.close()
            return process
        inside = "/grader/views/" + str(Path(site).relative_to(self.views))
        limits = asdict(self.limits)
        reply = self._ask({"op": "fork", "site": inside, "uid": self.uid_base + next(self.uids) % UIDS_PER_WORKER,
                           "disk_bytes": limits["disk_bytes"], "limits": limits, "private_tmp": self.private_tmp},
                          (requests_r, replies_w))
        return int(reply["pid"])

    def kill(self, handle):
        """End a sandbox and everything it started; its exit code (negative: the signal), or None."""
        if isinstance(handle, subprocess.Popen):
            if handle.poll() is None:
                try:
                    os.killpg(handle.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    handle.kill()
            return handle.wait()
        try:
            return self._ask({"op": "kill", "pid": int(handle)}).get("code")
        except SandboxDied:
            return None

    def status(self, handle):
        """A sandbox's exit code if it has ended, else None."""
        if isinstance(handle, subprocess.Popen):
            return handle.poll()
        try:
            return self._ask({"op": "status", "pid": int(handle)}).get("code")
        except SandboxDied:
            return None

    def close(self):
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    self.process.kill()
            self.process.wait()
            self.log.close()
            self.process = None
        if getattr(self, "bounds", None) is not None:
            self.bounds.close()
            self.bounds = None


def _plain_limits(limits):
    def apply():
        import resource

        os.setsid()
        for name, value in (("RLIMIT_AS", limits.memory_bytes), ("RLIMIT_FSIZE", limits.file_bytes),
                            ("RLIMIT_CPU", limits.cpu_seconds), ("RLIMIT_CORE", 0)):
            try:
                resource.setrlimit(getattr(resource, name), (value, value))
            except (ValueError, OSError):
                pass

    return apply


class Sandbox:
    """One submission's sandbox, seen from the grader: its notebook run, then requests.

    lookup(name)    a name of the student's notebook: data as itself, anything else as a proxy
    bind(name, value)   put a value of the grader's in place of a name of the notebook (a cascade's stand-in)
    deadline        time.monotonic() by which every answer must have come (the cell's or the submission's)
    cell_errors     the errors the notebook's cells raised, one line each
    watch           a sys.setprofile function in force while the grader serves the student's calls back
    """

    def __init__(self, zygote, site, cells, deadline):
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        self.zygote, self.handle, self.ended = zygote, None, False
        self.watch = None  # a sys.setprofile function in force while we serve the student's calls (or None)
        try:
            self.handle = zygote.start(site, requests_r, replies_w)
        finally:
            os.close(requests_r)
            os.close(replies_w)
        self.requests_w = requests_w
        self.replies_r = replies_r
        box = []

        def make_proxy(handle):
            return wire.Remote(lambda remote, op, **fields: self.ask(remote, op, **fields), handle)

        self.peer = wire.Peer("g", replies_r, self._write, make_proxy, public_only=True)
        box.append(self.peer)
        self.peer.deadline = deadline
        try:
            wire.send(self._write, {"op": "start", "cells": cells})
            first = wire.receive(self.replies_r, deadline)
            if first is None:
                raise SandboxDied(self._death())
            self.cell_errors = self.peer.read_message(first).get("cell_errors", [])
        except wire.MessageError as exc:
            self.close()
            raise SandboxDied(f"it did not start in time ({exc})") from None
        except (SandboxDied, OSError):
            self.close()
            raise

    def _write(self, data):
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.requests_w, view)
            except (BrokenPipeError, OSError):
                raise SandboxDied(self._death()) from None
            view = view[written:]

    @property
    def deadline(self):
        return self.peer.deadline

    @deadline.setter
    def deadline(self, value):
        self.peer.deadline = value

    def _serve(self, request):
        """A request of the student's code about an object of ours (a function or a course object a
        test passed it): carried out here, where those objects live, with `watch` in force (the calls
        it may not make, backprop.checks.Grading.watching)."""
        if self.watch is None:
            return wire.perform(self.peer, request)
        previous = sys.getprofile()
        sys.setprofile(self.watch)
        try:
            return wire.perform(self.peer, request)
        finally:
            sys.setprofile(previous)

    def ask(self, remote, op, **fields):
        try:
            return wire.ask(self.peer, self._serve, remote, op, **fields)
        except MemoryError:  # (reading its answer: the grader's memory is capped while it grades)
            self.close()
            raise SandboxDied(TOO_MUCH_MEMORY) from None
        except wire.MessageError as exc:
            self.close()
            text = str(exc)
            raise SandboxDied("it ran past the time limit (an endless loop?)" if "in time" in text
                              else f"its answer could not be read: {text}") from None
        except EOFError:
            raise SandboxDied(self._death()) from None

    def lookup(self, name):
        value = self._request({"op": "lookup", "name": name})
        if isinstance(value, wire.Remote) and not value._handle.name:
            value._handle.name = name
        return value

    def bind(self, name, value):
        """Put `value` in place of the notebook's `name`, where its functions find it (their globals): a
        stand-in of the grader's, for one run of a check (backprop/checks/cascade.py). Returns what the name
        held (bind it back with that); NameError if the notebook has no such name."""
        return self._request({"op": "bind", "name": name, "value": value})

    def _request(self, body):
        """The sandbox's answer to a request; its error raised here; SandboxDied when it cannot answer."""
        try:
            reply = self.peer.request(body, self._serve)
        except MemoryError:
            self.close()
            raise SandboxDied(TOO_MUCH_MEMORY) from None
        except wire.MessageError as exc:
            self.close()
            raise SandboxDied(f"its answer could not be read: {exc}") from None
        except EOFError:
            raise SandboxDied(self._death()) from None
        if "error" in reply:
            wire.raise_error(reply["error"])
        return reply.get("ok")

    def begin_trial(self):
        self.peer.begin_trial()

    def reset(self):
        """A new test cell: both sides forget the objects they shared."""
        try:
            self.peer.request({"op": "reset"}, self._serve)
        except (wire.MessageError, EOFError):
            raise SandboxDied(self._death()) from None
        self.peer.reset()

    def _death(self):
        if self.ended:
            return "it had already ended"
        deadline = time.monotonic() + 2
        code = None
        while time.monotonic() < deadline:
            code = self.zygote.status(self.handle)
            if code is not None:
                break
            time.sleep(0.02)
        self.close()
        if code is None:
            return "it stopped answering"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            return f"the process was killed by signal {name}"
        if code == 137 or code == 128 + 9:
            return "the process was killed (it used more memory or time than it may)"
        return f"the process exited with code {code} (os._exit, sys.exit or a crash)"

    def close(self):
        if not self.ended and self.handle is not None:
            self.zygote.kill(self.handle)
        self.ended = True
        for fd in (self.requests_w, self.replies_r):
            try:
                os.close(fd)
            except (OSError, TypeError, AttributeError):
                pass
        self.requests_w = self.replies_r = None


def main(argv=None):
    """Say which isolation this machine gives a submission, and why."""
    best = engine("none")
    print(f"{best.level}: {best.describe()}")
    if best.level != "users":
        try:
            engine("users")
        except IsolationUnavailable as exc:
            print(f"Class grading needs the level 'users': {exc}")
    limits = Limits()
    bounds = Bounds.make(f"backprop-probe-{os.getpid()}", limits) if best.level != "none" else None
    if bounds is not None:
        bounds.close()
        print(f"Each worker's sandboxes share a cgroup: {limits.total_memory_bytes / 2**30:.3g} GB of memory together, "
              f"{limits.processes + 32} processes, {limits.cpu_share:g} of a CPU's weight.")
    else:
        print(f"No cgroup ({Bounds.why or 'no sandbox'}): a sandbox's memory is bounded per process only "
              f"({limits.memory_bytes / 2**30:.3g} GB each, {limits.processes} processes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
