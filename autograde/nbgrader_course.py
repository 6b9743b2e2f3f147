"""The course as nbgrader sees it: its configuration, its API, its lessons.

    config(**overrides)  the Config from nbgrader_config.py; overrides like
                         {"CourseDirectory.root": "/tmp/x"} replace single settings
    api(cfg)             an NbGraderAPI that really uses that config (NbGraderAPI alone
                         ignores nbgrader_config.py)
    lessons()            the lesson ids, from solutions/
    AUTOGRADE, ROOT      this folder, and the course's
"""

from pathlib import Path

from traitlets.config import PyFileConfigLoader

__all__ = ["config", "api", "lessons", "AUTOGRADE", "ROOT"]

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

    cfg = config() if cfg is None else cfg
    return NbGraderAPI(CourseDirectory(config=cfg), config=cfg)


def lessons():
    """Lesson ids in order: the folders of solutions/ that hold their text (NN_slug/NN_slug.md)."""
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.md").is_file())
