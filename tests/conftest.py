import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
sys.path.insert(0, str(ROOT / "autograde"))

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def lesson_ids():
    import course

    return course.lessons()


@pytest.fixture
def artifacts():
    """Where tests save what a person should look at: figures, screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def course_cfg(tmp_path):
    """The course's nbgrader config, with everything nbgrader writes moved into tmp_path."""
    import course

    return course.config(**{
        "CourseDirectory.root": str(tmp_path),
        "CourseDirectory.source_directory": str(ROOT / "solutions"),
        "CourseDirectory.release_directory": str(tmp_path / "lessons"),
        "CourseDirectory.submitted_directory": "submitted",
        "CourseDirectory.autograded_directory": "autograded",
        "CourseDirectory.feedback_directory": "feedback",
        "CourseDirectory.solution_directory": "solution",
        "CourseDirectory.db_url": f"sqlite:///{tmp_path / 'gradebook.db'}",
        "Exchange.root": str(tmp_path / "exchange"),
    })
