"""A lesson's view of the course's package: what a submission's code may import while it is graded.

The view is a copy of `backprop` without what answers the lesson's exercises: without
`backprop.reference` (whose every name stands in as a function that fails), `backprop.mistakes`
and `backprop.checks`, and with every function or class the lesson's test cells compare with or
forbid replaced by a stand-in that fails the way the checks fail an answer that calls it:
"it calls the course's own backprop.layers.Linear instead of computing the answer itself". The
code of those implementations is not in the view at all, so nothing the student's code does
(reading the source, compiling it again, calling it from a thread or another process) can reach it.

What a lesson's test cells forbid is learnt from the checks themselves, as they run: each check
tells the Grading session what it compares with (backprop.checks.Grading.comparing).

    forbidden_in(test_sources)         the dotted names the checks of these test cells forbid
    lesson_view(views, forbidden)      the view's folder under `views` (made once per set of names)
"""

import ast
import compileall
import contextlib
import hashlib
import io
import os
import secrets
import shutil
import warnings
from pathlib import Path

__all__ = ["forbidden_in", "lesson_view"]

LEFT_OUT = ("reference", "mistakes", "checks")  # packages of backprop a view does not have


class _Announced(Exception):
    pass


def forbidden_in(test_sources):
    """The dotted names ("backprop.layers.Linear") the checks of these test cells compare with or
    forbid. Each top-level statement of each cell runs on its own, with stand-ins for the student's
    names; a check stops as soon as it has said what it compares with, before running anything.
    (Learnt once per set of test cells in a process: every submission of a lesson has the same.)"""
    key = tuple(test_sources)
    if key not in _LEARNT:
        _LEARNT[key] = _forbidden_in(key)
    return list(_LEARNT[key])


_LEARNT = {}  # test cells' sources -> the names their checks forbid


def _forbidden_in(test_sources):
    from backprop import checks
    from backprop.forbidden import forbidden_names

    seen = set()

    class Recorder(checks.Grading):
        def comparing(self, reference, forbid):
            seen.update(forbidden_names(reference, forbid))
            raise _Announced

    for source in test_sources:
        tree = ast.parse(source)
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        namespace = {name: _StandIn(name) for name in names}
        namespace.pop("__builtins__", None)
        for node in tree.body:
            code = compile(ast.Module([node], type_ignores=[]), "<test>", "exec")
            with checks.grading(Recorder()), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    exec(code, namespace)  # noqa: S102  (the course's own test cells)
                except _Announced:
                    pass
                except Exception:  # noqa: BLE001  (a statement that needs a real answer: nothing to learn)
                    pass
    return sorted(seen)


class _StandIn:
    """Stands in for a name of the student's notebook while the test cells are read."""

    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(self.__name__)


def _digest(package, forbidden):
    digest = hashlib.sha256("\n".join(forbidden).encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def lesson_view(views, forbidden):
    """The folder (under `views`) whose backprop/ is the course's package as a submission that the
    checks forbid `forbidden` may see; made once per package content and set of names."""
    import backprop

    package = Path(backprop.__file__).resolve().parent
    forbidden = sorted(forbidden)
    folder = Path(views) / _digest(package, forbidden)
    if (folder / ".complete").exists():
        return folder
    # each builder its own folder (two workers may build the same view at once; neither may remove
    # or complete the other's half-made one), renamed into place when whole
    building = folder.with_name(f"{folder.name}.building-{os.getpid()}-{secrets.token_hex(4)}")
    target = building / "backprop"
    by_module = {}
    for name in forbidden:
        module, _, attr = name.rpartition(".")
        by_module.setdefault(module, set()).add(attr)
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if "__pycache__" in relative.parts or not path.is_file() or relative.parts[0] in LEFT_OUT:
            continue
        if path.suffix not in (".py", ".npz", ".md"):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            module = "backprop." + ".".join(relative.with_suffix("").parts)
            module = module.removesuffix(".__init__")
            destination.write_text(_without(path.read_text(), module, by_module.get(module, set())))
        else:
            destination.write_bytes(path.read_bytes())
    (target / "reference").mkdir()
    (target / "reference" / "__init__.py").write_text(REFERENCE_STAND_IN)
    compileall.compile_dir(str(building), quiet=1, workers=1)
    (building / ".complete").write_text("")
    try:
        building.rename(folder)
    except OSError:  # made meanwhile by another worker
        shutil.rmtree(building, ignore_errors=True)
    return folder


REFERENCE_STAND_IN = '''"""The course's reference answers are not here while your work is graded."""

from backprop.forbidden import unavailable


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return unavailable(f"backprop.reference.{name}")
'''


def _without(source, module, names):
    """The source of a module with the functions and classes `names` replaced by stand-ins that fail."""
    if not names:
        return source
    tree = ast.parse(source)
    lines = source.split("\n")
    replaced = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in names:
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            replaced.append((start, node.end_lineno, f"{node.name} = _unavailable({module + '.' + node.name!r}, "
                                                     f"{kind!r})"))
    for start, end, stand_in in sorted(replaced, reverse=True):
        lines[start:end] = [stand_in]
    first = tree.body[0] if tree.body else None
    at = first.end_lineno if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
        else 0
    lines.insert(at, "from backprop.forbidden import unavailable as _unavailable")
    return "\n".join(lines)
