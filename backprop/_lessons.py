"""How a package of the course gathers its lesson modules (reference, mistakes, checks, explorers).

Each of those packages holds one module per lesson, named lNN_topic.py (l06_softmax.py), each
with its own __all__. The package's __init__ re-exports every lesson module's public names, in
lesson order, so that `reference.softmax` works without knowing which lesson defines it; a new
lesson is a new module, found here by its name, with no edit of the __init__.

    lesson_modules(package)     the lesson modules' names, in lesson order
    gather(package, namespace)  import them, copy their public names into namespace; the names
"""

import importlib
import pkgutil
import re
import sys

__all__ = ["lesson_modules", "gather"]

LESSON_MODULE = re.compile(r"l\d\d_\w+$")


def lesson_modules(package):
    """The names of a package's lesson modules (lNN_topic), in lesson order."""
    path = sys.modules[package].__path__
    return sorted(m.name for m in pkgutil.iter_modules(path) if LESSON_MODULE.match(m.name))


def gather(package, namespace):
    """Import every lesson module of `package` and copy its __all__ into `namespace` (the package's
    globals); return the names, in lesson order. Two lessons exporting one name is an error."""
    names = []
    for name in lesson_modules(package):
        module = importlib.import_module(f"{package}.{name}")
        namespace[name] = module
        for public in module.__all__:
            if public in names:
                raise ImportError(f"{package}.{name} exports {public!r}, which an earlier lesson module exports too")
            namespace[public] = getattr(module, public)
            names.append(public)
    return names
