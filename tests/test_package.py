"""The helper package's shape: every module says what it holds, and holds what it says."""

import importlib
import pkgutil
import re

import backprop


def modules():
    found = [backprop]
    for info in pkgutil.walk_packages(backprop.__path__, "backprop."):
        if info.name.endswith("__main__"):
            continue
        found.append(importlib.import_module(info.name))
    return found


def test_every_module_has_all_and_its_docstring_indexes_every_public_name():
    missing = []
    for module in modules():
        assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
        doc = module.__doc__ or ""
        submodules = [m for m in modules() if m.__name__.startswith(module.__name__ + ".")]
        for name in module.__all__:
            if any(name in getattr(m, "__all__", ()) and m.__doc__ and name in m.__doc__ for m in submodules):
                continue  # re-exported from a module of this package, whose own index lists it
            if not re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", doc):
                missing.append(f"{module.__name__}.{name}")
    assert not missing, f"public names missing from their module's docstring: {missing}"


def test_every_public_name_exists():
    for module in modules():
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.__all__ names {name}, which it does not have"


def test_lesson_packages_reexport_their_lesson_modules_in_lesson_order():
    for package in ("reference", "mistakes", "explorers", "worked", "checks"):
        pkg = importlib.import_module(f"backprop.{package}")
        lessons = [m.name for m in pkgutil.iter_modules(pkg.__path__) if re.match(r"l\d\d_", m.name)]
        assert lessons == sorted(lessons)
        owners = [getattr(getattr(pkg, n), "__module__", "") or "" for n in pkg.__all__]
        owners = [o for o in owners if re.match(rf"{re.escape(pkg.__name__)}\.l\d\d_", o)]
        assert owners == sorted(owners), f"{package}: not in lesson order"


def test_each_module_has_one_import_block():
    """Imports at the top only (a function may import lazily), never after the first definition."""
    for module in modules():
        source = open(module.__file__).read()
        top = re.split(r"^(?:def |class |@)", source, maxsplit=1, flags=re.M)[0]
        rest = source[len(top):]
        assert not re.search(r"^(?:import |from \S+ import )", rest, re.M), f"{module.__name__} imports mid-file"
