"""The student's side of the grading: it runs inside the sandbox, never in the grader.

    python sandbox.py --zygote CONTROL_FD [--uid-base N]

The zygote imports what notebooks use (NumPy, IPython, matplotlib, ipywidgets) once, runs no
student code itself, and for each request on CONTROL_FD (a Unix socket; the sandbox's two pipe
ends come with the request) starts a sandbox for one submission:

1. a child makes new PID, network, mount, IPC and UTS namespaces, and forks the sandbox, which is
   process 1 of its PID namespace: everything the student's code starts dies with it;
2. the sandbox mounts a private /tmp (its working folder, of bounded size) and its own /proc,
   sets its resource limits (memory, processes, file size, CPU seconds, open files, no core
   dumps), becomes a user of its own (a uid no one else runs as, where the zygote may switch
   users; else it drops every capability) with no way to gain privileges again, and dies with
   its parent;
3. it runs the student's notebook code (the first request), with the course's package from the
   lesson's view on its path (a copy of the package without the implementations that answer the
   lesson's exercises: calling one of them fails), then answers the grader's requests (wire.py):
   look a name up, call a function, read an attribute, and so on.

The zygote itself runs inside bubblewrap (autograde/isolation.py), which gives it a filesystem
of read-only system folders, the Python environment and the views, no network and a PID
namespace of its own. Without --zygote (python sandbox.py REQUESTS_FD REPLIES_FD) it serves one
sandbox in this process, isolated by nothing: for grading one's own work without an engine.
"""

import ctypes
import gc
import importlib
import json
import os
import signal
import socket
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
VIEWS, SITE = "/grader/views", "/grader/site"  # (in the zygote's mount table) every lesson's view; a sandbox's own
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_SECUREBITS, PR_CAPBSET_DROP = 1, 38, 28, 24
SECURE_ALL_BITS = 0x2F  # NOROOT, NOROOT_LOCKED, NO_SETUID_FIXUP, NO_SETUID_FIXUP_LOCKED, KEEP_CAPS_LOCKED
# imported once in the zygote for every sandbox: what a notebook's cells and the course's package import
# from outside the package (never the package itself: each sandbox imports its lesson's view of it).
# tests/test_security.py checks that importing the package's modules after these imports nothing more.
PRELOAD = ("numpy", "IPython.core.interactiveshell", "IPython.display", "matplotlib", "matplotlib.pyplot",
           "matplotlib.backends.backend_agg", "ipywidgets", "anywidget", "PIL.Image", "glob", "secrets")


# ---------------------------------------------------------------------------------------------
# one sandbox: the student's notebook, and the grader's requests


def serve(requests_fd, replies_fd, site):
    """Run the student's notebook (the first request), then answer the grader until it goes."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
    sys.path.insert(0, HERE)  # (wire.py, beside this file)
    sys.path.insert(0, site)  # the lesson's view of the course's package
    import wire

    replies = os.fdopen(replies_fd, "wb", buffering=0)
    box = []

    def make_proxy(handle):
        return wire.Remote(lambda remote, op, **fields: wire.ask(box[0], handle_request, remote, op, **fields), handle)

    peer = wire.Peer("s", requests_fd, replies.write, make_proxy)
    box.append(peer)
    namespace = {}  # the names the grader may look up (the notebook's, as its cells left them)
    notebook = []   # the notebook's own namespace (its functions' globals), once its cells have run

    def call(target, args, kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = target(*args, **kwargs)
        return value, {"warnings": [[type(w.message).__name__, str(w.message)[:300]] for w in caught[:20]]}

    def handle_request(request):
        op = request.get("op")
        if op == "lookup":
            name = request.get("name")
            if name not in namespace:
                return {"error": {"type": "NameError", "message": f"name {name!r} is not defined: the cell that "
                                  f"defines it is missing, or did not run without an error", "where": ""}}
            return {"ok": namespace[name]}
        if op == "reset":
            peer.reset()
            return {"ok": None}
        if op == "bind":  # the grader puts a stand-in of its own in place of a name, for one run (a cascade)
            name = request.get("name")
            if not isinstance(name, str) or not notebook or name not in notebook[0]:
                return {"error": {"type": "NameError", "message": f"name {str(name)[:80]!r} is not defined",
                                  "where": ""}}
            old = notebook[0][name]
            notebook[0][name] = request.get("value")
            return {"ok": old}
        if op == "call":
            sys.stdout.flush()
        return wire.perform(peer, request, call)

    first = wire.receive(requests_fd)
    if first is None:
        return
    log = os.open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "sandbox.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)  # the student's prints, and the engine's own errors from here on: in the sandbox's own /tmp
    os.dup2(log, 2)
    close_other_fds((0, 1, 2, requests_fd, replies_fd))  # (no grader's file stays open: the zygote's log was)
    _serve_requests(first, requests_fd, replies, peer, namespace, notebook, handle_request, wire)


def close_other_fds(keep):
    """Close every file descriptor of this process but those in `keep`: the student's code, run next,
    finds open only its own."""
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = range(min(os.sysconf("SC_OPEN_MAX"), 1 << 16))
    for fd in open_fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _serve_requests(first, requests_fd, replies, peer, namespace, notebook, handle_request, wire):
    cells = first.get("cells", [])
    user_ns = _run_notebook(cells)
    namespace.update(user_ns)
    notebook.append(user_ns)
    errors = namespace.pop("__cell_errors__", [])
    wire.send(replies.write, peer.message({"ok": None, "cell_errors": errors}))
    while True:
        message = wire.receive(requests_fd)
        if message is None:
            return
        reply = handle_request(peer.read_message(message))
        wire.send(replies.write, peer.message(reply))


CELL_SECONDS = 10  # for one cell of the notebook, run when the sandbox starts (definitions only, or an answer)


class CellTooLong(BaseException):
    """A cell of the notebook ran longer than CELL_SECONDS when the sandbox started."""


def _cell_too_long(signum, frame):
    raise CellTooLong(f"the cell ran for more than {CELL_SECONDS} s and was stopped (an endless loop?)")


def _shell():
    """The IPython shell a sandbox runs the notebook in: made in the zygote, once, before any sandbox (about
    25 ms less for each); made here where the zygote could not. It has run nothing before the notebook."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no history database to write
    return InteractiveShell.instance(config=config)


def _run_notebook(cells):
    """Run the cells in a fresh IPython shell (magics work); errors are recorded, not fatal."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    shell = _shell()
    shell.showtraceback = lambda *args, **kwargs: None  # (errors are recorded below, one line each)
    shell.showsyntaxerror = lambda *args, **kwargs: None
    errors = []
    signal.signal(signal.SIGALRM, _cell_too_long)
    for index, source in enumerate(cells):
        signal.setitimer(signal.ITIMER_REAL, CELL_SECONDS)  # a cell that loops is stopped, and the next one runs
        try:
            result = shell.run_cell(source, store_history=False, silent=True)
        except CellTooLong as exc:
            result = None
            errors.append({"cell": index, "error": str(exc)})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if result is not None and not result.success:
            error = result.error_in_exec or result.error_before_exec
            errors.append({"cell": index, "error": f"{type(error).__name__}: {error}"[:500]})
    namespace = shell.user_ns
    namespace["__cell_errors__"] = errors
    return namespace


# ---------------------------------------------------------------------------------------------
# the zygote: imports done once, a sandbox forked per submission


def zygote(control_fd, can_switch_users):
    for name in PRELOAD:
        before = set(sys.modules)
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  (a module that fails here is imported, or not, by the sandbox)
            for half_made in set(sys.modules) - before:  # (never a half-imported module: it would fail there)
                del sys.modules[half_made]
    try:
        _shell()
    except Exception:  # noqa: BLE001  (each sandbox makes its own)
        pass
    gc.freeze()  # (what the imports made is never collected in a sandbox: fewer of the zygote's pages copied)
    control = socket.socket(fileno=control_fd)
    control.sendall(json.dumps({"ready": True, "switch_users": can_switch_users}).encode())
    children = {}
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            break
        if not data:  # the grader has gone: so do the sandboxes
            break
        try:
            request = json.loads(data)
        except ValueError:
            request = {}
        op = request.get("op")
        if op == "fork" and len(fds) == 2:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    control.close()
                    code = _start(request, fds, can_switch_users)
                except BaseException:  # noqa: BLE001
                    traceback.print_exc()
                finally:
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            children[pid] = True
            reply = {"pid": pid}
        elif op == "kill":  # end a sandbox and everything in it
            for fd in fds:
                os.close(fd)
            pid = int(request.get("pid", 0))
            reply = {"code": None}
            if pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _, status = os.waitpid(pid, 0)
                children.pop(pid)
                reply = {"code": os.waitstatus_to_exitcode(status)}
        elif op == "status":  # has a sandbox ended, and how
            for fd in fds:
                os.close(fd)
            pid = int(request.get("pid", 0))
            reply = {"code": None}
            if pid in children:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    children.pop(pid)
                    reply = {"code": os.waitstatus_to_exitcode(status)}
        else:
            for fd in fds:
                os.close(fd)
            reply = {"error": "unknown request"}
        control.sendall(json.dumps(reply).encode())
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _start(request, fds, can_switch_users):
    """In the zygote's child: new namespaces, then the sandbox as process 1 of its PID namespace.
    This process waits for it and ends with it; the sandbox dies with this process."""
    libc = _libc()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the zygote gone: so is this
    _check(libc.unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _become_sandbox(request, libc, can_switch_users)
            serve(fds[0], fds[1], SITE)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return max(0, os.waitstatus_to_exitcode(status))


def _become_sandbox(request, libc, can_switch_users):
    import resource

    # a private mount table: /sandbox (its writable folder, of bounded size), /tmp and /dev/shm of its own, its
    # own /proc; everything else is read-only
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    size = f"size={int(request['disk_bytes'])},mode=1777".encode()
    _check(libc.mount(b"tmpfs", b"/sandbox", b"tmpfs", MS_NOSUID | MS_NODEV, size), "mount /sandbox")
    if request.get("private_tmp", True):
        _check(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, size), "mount /tmp")
    if os.path.isdir("/dev/shm"):
        libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, size)
    libc.mount(b"none", b"/dev", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, None)
    _check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
    # its lesson's view of the package at SITE, and no other lesson's: the folder of views is hidden
    site = os.path.realpath(request["site"])
    if not site.startswith(VIEWS + "/"):
        raise ValueError(f"site must be a folder of {VIEWS}, but is {request['site']!r}")
    _check(libc.mount(site.encode(), SITE.encode(), None, MS_BIND | MS_REC, None), "mount --bind the view")
    _check(libc.mount(b"none", SITE.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None),
           "remount the view read-only")
    _check(libc.mount(b"tmpfs", VIEWS.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=4k,mode=0555"),
           "hide the other views")
    uid = int(request["uid"]) if can_switch_users else os.getuid()
    work = "/sandbox/work"
    for folder in (work, "/sandbox/tmp"):
        os.makedirs(folder, exist_ok=True)
        os.chown(folder, uid, uid)
        os.chmod(folder, 0o700)
    limits = request["limits"]
    for name, value in (("RLIMIT_AS", limits["memory_bytes"]), ("RLIMIT_NPROC", limits["processes"]),
                        ("RLIMIT_FSIZE", limits["file_bytes"]), ("RLIMIT_CPU", limits["cpu_seconds"]),
                        ("RLIMIT_NOFILE", limits["open_files"]), ("RLIMIT_CORE", 0)):
        value = int(value)
        resource.setrlimit(getattr(resource, name), (value, value))
    if can_switch_users:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # every capability gone with the uid 0
    else:
        libc.prctl(PR_SET_SECUREBITS, SECURE_ALL_BITS, 0, 0, 0)
        for cap in range(64):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        _drop_capabilities(libc)
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # (after the uid change, which clears it)
    os.chdir(work)
    for key in list(os.environ):
        if key not in ("PATH", "LANG", "LC_ALL"):
            del os.environ[key]
    os.environ.update({"HOME": work, "TMPDIR": "/sandbox/tmp", "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/sandbox/tmp",
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if "numpy" in sys.modules:  # NumPy's global generator would otherwise be the same in every sandbox
        sys.modules["numpy"].random.seed()


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities(libc):
    """Clear every capability of this process (capset with nothing effective, permitted or inheritable)."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), data), "capset")


def plain(requests_fd, replies_fd, site):
    """One sandbox in this process, isolated by nothing but being a process of its own (a session of
    its own: the zygote started it as one)."""
    if os.getsid(0) != os.getpid():
        os.setsid()
    serve(requests_fd, replies_fd, site)


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote(int(sys.argv[2]), sys.argv[3] == "switch-users")
    else:
        plain(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
