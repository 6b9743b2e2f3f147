"""The course as nbgrader sees it: its configuration, its API, its lessons.

    config(**overrides)  the Config from nbgrader_config.py; overrides like
                         {"CourseDirectory.root": "/tmp/x"} replace single settings
    api(cfg)             an NbGraderAPI that really uses that config (NbGraderAPI alone
                         ignores nbgrader_config.py)
    lessons()            the lesson ids, from solutions/
    scripts_on_path(env) env (default: this process's) with this Python's scripts folder first on PATH
    reuse_gradebook_engines()   in a process that grades many submissions: one SQLAlchemy engine per
                         gradebook instead of one per opening of it (see there)
    AUTOGRADE, ROOT      this folder, and the course's
"""

import os
import sysconfig
from pathlib import Path

from traitlets.config import PyFileConfigLoader

__all__ = ["config", "api", "lessons", "scripts_on_path", "reuse_gradebook_engines", "AUTOGRADE", "ROOT"]

AUTOGRADE = Path(__file__).resolve().parent
ROOT = AUTOGRADE.parent


def config(**overrides):
    """The course's nbgrader configuration, with single settings replaced ("Section.name": value)."""
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(AUTOGRADE)).load_config()
    for key, value in overrides.items():
        section, name = key.split(".")
        cfg[section][name] = value
    return cfg


def api(cfg=None):
    """nbgrader's API on the course, with its configuration (NbGraderAPI alone ignores nbgrader_config.py)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    scripts_on_path()
    cfg = config() if cfg is None else cfg
    return NbGraderAPI(CourseDirectory(config=cfg), config=cfg)


def reuse_gradebook_engines():
    """nbgrader opens its gradebook about eight times for each submission it autogrades (each step of its
    pipeline opens its own), and every opening makes a new SQLAlchemy engine, which reads the schema again
    and compiles every query anew: a third of the grader's time for a short lesson. In this process, from
    now on, an opening reuses the engine made for the same database URL (its compiled queries). Nothing
    else changes: a Gradebook still opens its own session and, closed, disposes of the engine's pooled
    connections, so the next opening connects afresh. For processes that grade one submission at a time
    (the class command's workers); called again, it does nothing."""
    import nbgrader.api

    if getattr(nbgrader.api.create_engine, "reuses_engines", False):
        return
    made, create_engine = {}, nbgrader.api.create_engine

    def reusing(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in made:
            made[key] = create_engine(url, **options)
        return made[key]

    reusing.reuses_engines = True
    nbgrader.api.create_engine = reusing


def lessons():
    """Lesson ids in order: the folders of solutions/ that hold their text (NN_slug/NN_slug.md)."""
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.md").is_file())


def scripts_on_path(env=None):
    """Put this Python's scripts folder (a virtual environment's bin/) first on env's PATH (default:
    os.environ) and return env. nbgrader runs `alembic` from PATH to set up a gradebook, so a command
    called as path/to/venv/bin/python, without the environment activated, would fail without it."""
    env = os.environ if env is None else env
    scripts = sysconfig.get_path("scripts")
    paths = [p for p in env.get("PATH", "").split(os.pathsep) if p]
    if paths[:1] != [scripts]:
        env["PATH"] = os.pathsep.join([scripts] + [p for p in paths if p != scripts])
    return env
