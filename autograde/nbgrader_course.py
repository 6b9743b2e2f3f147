"""The course as nbgrader sees it: its configuration, its API, its lessons.

    config(**overrides)  the Config from nbgrader_config.py; overrides like
                         {"CourseDirectory.root": "/tmp/x"} replace single settings
    api(cfg)             an NbGraderAPI that really uses that config (NbGraderAPI alone
                         ignores nbgrader_config.py)
    lessons()            the lesson ids, from solutions/
    scripts_on_path(env) env (default: this process's) with this Python's scripts folder first on PATH
    AUTOGRADE, ROOT      this folder, and the course's
"""

import os
import sysconfig
from pathlib import Path

from traitlets.config import PyFileConfigLoader

__all__ = ["config", "api", "lessons", "scripts_on_path", "AUTOGRADE", "ROOT"]

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
