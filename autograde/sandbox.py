"""The student's side of an independent check (run by verify.py, never by hand).

    python sandbox.py REQUESTS_FD REPLIES_FD
    python sandbox.py --zygote CONTROL_FD

It runs the student's notebook (sent as the first request: every code cell but the test
cells) in a plain IPython shell, then answers requests from the grader: look up a name,
call a function or method, read an attribute. Values go back as data (wire.py); anything
else stays here behind a handle.

While a student's function runs, a profiler watches for calls into the course's reference
implementations (backprop.reference, backprop.mistakes, and what the current test cell
compares with): using them instead of writing the code fails the check.

With --zygote it imports what notebooks use (NumPy, IPython, matplotlib, ipywidgets, the
course's package) once, runs no student code itself, and forks a fresh sandbox per request
on CONTROL_FD (a Unix socket: the sandbox's two pipe ends come with the request): each fork
starts where a new process would be after its imports, in a session of its own, with its
own memory cap, folder and log, without the zygote's socket. The grader kills and reaps it
through the zygote ("wait"), so that its process id is never reused while the grader may
still signal it.
"""

import importlib
import inspect
import os
import sys
import threading
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def _use_site():
    """Import the course's package from the copy the grader made (BACKPROP_SANDBOX_SITE)."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
    sys.path.insert(0, os.environ.pop("BACKPROP_SANDBOX_SITE"))  # a copy of the course's package


def main(requests_fd, replies_fd):
    import wire  # beside this file

    if "BACKPROP_SANDBOX_SITE" in os.environ:  # (a zygote's fork has it done already)
        _use_site()

    # Everything the checking needs is taken now, before any of the student's code runs.
    set_profile, get_profile = sys.setprofile, sys.getprofile
    set_thread_profile = threading.setprofile
    send, receive, encode, decode = wire.send, wire.receive, wire.encode, wire.decode
    Handle = wire.Handle
    from backprop.forbidden import UsedTheReference, code_of, used_course_code  # the checks' own rule and words
    requests = os.fdopen(requests_fd, "rb", buffering=0)
    replies = os.fdopen(replies_fd, "wb", buffering=0)
    forbidden = code_of([])

    objects = {}

    def keep(obj):
        ident = len(objects) + 1
        objects[ident] = obj
        kind = "class" if inspect.isclass(obj) else "callable" if callable(obj) else "object"
        return Handle(ident, kind)

    rebuilt, rebuilt_tokens = {}, {}

    def resolve(ident, kind):
        if kind == "course-object":  # one of the course's objects, made by the grader: rebuild it
            module, _, name = ident["object"].rpartition(".")
            cls = getattr(importlib.import_module(module), name)
            obj = cls.__new__(cls)
            rebuilt[ident["token"]] = obj
            rebuilt_tokens[id(obj)] = ident["token"]
            obj.__dict__.update(decode(ident["state"], resolve))
            return obj
        if kind == "object-ref":
            return rebuilt[ident]
        if kind == "callback":  # a function of the grader's: calling it asks the grader to run it
            return _callback(ident)
        if ident not in objects:
            raise ValueError(f"no object {ident}")
        return objects[ident]

    def back(obj):  # a rebuilt object goes back as the grader's own
        token = rebuilt_tokens.get(id(obj))
        return None if token is None else {"object_ref": token}

    def encode_back(value):
        return encode(value, keep, back)


    called = []

    def watch(frame, event, arg):
        if event == "call" and frame.f_code in forbidden:
            called.append(forbidden[frame.f_code])

    current = {"args": [], "kwargs": {}}

    def _callback(ident):
        def call_back(*args, **kwargs):
            # the arrays of the call under way go along as they are now, for functions that
            # read them directly (a loss that reads the x being nudged)
            send(replies, {"callback": ident, "args": encode_back(list(args)), "kwargs": encode_back(kwargs),
                           "args_now": encode_back([a if _holds_arrays(a) else None for a in current["args"]]),
                           "kwargs_now": encode_back({k: v for k, v in current["kwargs"].items()
                                                      if _holds_arrays(v)})})
            answer = receive(requests)
            if answer is None:
                raise SystemExit(0)
            if "error" in answer:
                raise RuntimeError(f"{answer['error']['type']}: {answer['error']['message']}")
            return decode(answer["ok"], resolve)

        return call_back

    first = receive(requests)
    namespace = _run_notebook(first["cells"]) if first else None
    send(replies, {"ok": None, "cell_errors": namespace.pop("__cell_errors__", [])})

    while True:
        request = receive(requests)
        if request is None:
            return
        try:
            op = request["op"]
            if op == "forbid":  # the reference implementations of the test cell about to run
                forbidden = code_of(request["names"])
                reply = {"ok": None}
            elif op == "lookup":
                if request["name"] not in namespace:
                    raise NameError(f"name {request['name']!r} is not defined: the cell that defines it is "
                                    f"missing, or did not run without an error")
                reply = {"ok": encode_back(namespace[request["name"]])}
            elif op == "getattr":
                reply = {"ok": encode_back(getattr(resolve(request["target"], ""), request["name"]))}
            elif op == "repr":
                reply = {"ok": repr(resolve(request["target"], ""))[:500]}
            elif op == "call":
                target = resolve(request["target"], "")
                args = decode(request["args"], resolve)
                kwargs = decode(request["kwargs"], resolve)
                current["args"], current["kwargs"] = args, kwargs
                called.clear()
                set_profile(watch)
                set_thread_profile(watch)
                try:
                    result = target(*args, **kwargs)
                finally:
                    tampered = get_profile() is not watch
                    set_profile(None)
                    set_thread_profile(None)
                if called:
                    raise UsedTheReference(used_course_code(called[0]))
                if tampered:
                    raise UsedTheReference("it switched off the grader's watch on the interpreter (sys.setprofile)")
                reply = {"ok": encode_back(result),
                         "args_after": encode_back([a if _holds_arrays(a) else None for a in args]),
                         "kwargs_after": encode_back({k: v for k, v in kwargs.items() if _holds_arrays(v)})}
            else:
                raise ValueError(f"unknown request {op!r}")
        except BaseException as exc:  # noqa: BLE001  (the student's exception, reported to the grader)
            if isinstance(exc, KeyboardInterrupt):
                raise
            reply = {"error": {"type": type(exc).__name__, "message": str(exc)[:2000], "where": _where(exc)}}
        send(replies, reply)



def _is_array(value):
    return type(value).__module__ == "numpy" and type(value).__name__ in ("ndarray", "Generator")


def _holds_arrays(value):
    """An array, or a list, tuple or dict with arrays inside (a network's parameters)."""
    if _is_array(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_arrays(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_arrays(v) for v in value.values())
    return False


def _run_notebook(cells):
    """Run the cells in a fresh IPython shell (magics work); errors are recorded, not fatal."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no history database to write in the sandbox's folder
    shell = InteractiveShell.instance(config=config)
    # A cell's error is recorded below, one line each: IPython's coloured tracebacks, which
    # nobody reads here, would take longer than running the cells.
    shell.showtraceback = lambda *args, **kwargs: None
    shell.showsyntaxerror = lambda *args, **kwargs: None
    errors = []
    for index, source in enumerate(cells):
        result = shell.run_cell(source, store_history=False, silent=True)
        if not result.success:
            error = result.error_in_exec or result.error_before_exec
            errors.append({"cell": index, "error": f"{type(error).__name__}: {error}"[:500]})
            print(f"cell {index}: {errors[-1]['error']}", file=sys.stderr)
    namespace = shell.user_ns
    namespace["__cell_errors__"] = errors
    return namespace


def _where(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename != __file__ and "site-packages" not in frame.filename:
            return f" in {frame.name}, at: {frame.line.strip()}" if frame.line else f" in {frame.name}"
    return ""


# ---------------------------------------------------------------------------------------
# the zygote: imports done once, a fork per submission

PRELOAD = ("numpy", "IPython.core.interactiveshell", "IPython.display", "matplotlib", "matplotlib.pyplot",
           "ipywidgets")


def zygote(control_fd):
    import json
    import socket
    import time

    _use_site()
    import wire  # noqa: F401  (beside this file; imported once, for every fork)

    for name in PRELOAD + tuple(_course_modules()):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  (a module missing here is imported, or not, by the fork)
            pass
    control = socket.socket(fileno=control_fd)
    control.sendall(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            return
        if not data:  # the grader has gone
            return
        request = json.loads(data)
        if request.get("op") == "fork" and len(fds) == 2:
            pid = os.fork()
            if pid == 0:  # the sandbox: never returns into this loop
                code = 1
                try:
                    control.close()
                    _forked(request, fds)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                except BaseException:  # noqa: BLE001  (as an uncaught exception ends a process)
                    traceback.print_exc()
                finally:
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
            for fd in fds:
                os.close(fd)
            reply = {"pid": pid}
        elif request.get("op") == "wait":  # the exit code of a fork once it has ended (None: not yet)
            for fd in fds:
                os.close(fd)
            deadline = time.monotonic() + float(request.get("timeout", 0))
            reply = {"code": None}
            while True:
                try:
                    done, status = os.waitpid(int(request["pid"]), os.WNOHANG)
                except ChildProcessError:
                    break
                if done:
                    reply = {"code": os.waitstatus_to_exitcode(status)}
                    break
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.005)
        else:
            for fd in fds:
                os.close(fd)
            reply = {"error": "unknown request"}
        control.sendall(json.dumps(reply).encode())


def _course_modules():
    import pkgutil

    import backprop

    return [f"backprop.{m.name}" for m in pkgutil.iter_modules(backprop.__path__)]


def _forked(request, fds):
    """In the fork: become what a fresh sandbox process would be, then serve the grader."""
    import resource

    os.setsid()
    memory = int(request["memory_bytes"])
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass
    workdir = request["workdir"]
    os.chdir(workdir)
    os.environ["HOME"] = workdir
    sys.stdout.flush()
    sys.stderr.flush()
    log = os.open(os.path.join(workdir, "sandbox.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if "numpy" in sys.modules:  # NumPy's global generator would otherwise be the same in every fork
        sys.modules["numpy"].random.seed()
    main(fds[0], fds[1])


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]), int(sys.argv[2]))
