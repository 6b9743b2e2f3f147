import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
SHOTS = ARTIFACTS / "browser"

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


@pytest.fixture(autouse=True)
def trust_course_code(monkeypatch):
    """The course's tests check its references and its buggy versions with the checks themselves;
    in a student's notebook, an answer that is the reference is flagged."""
    from backprop import forbidden

    monkeypatch.setattr(forbidden, "TRUST_COURSE_CODE", True)


def lesson_ids():
    from autograde import nbgrader_course

    return nbgrader_course.lessons()


@pytest.fixture
def artifacts():
    """Where tests save what a person should look at: figures, screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def course_cfg(tmp_path):
    """The course's nbgrader config, with everything nbgrader writes moved into tmp_path."""
    from autograde import nbgrader_course

    return nbgrader_course.config(**{
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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (which never downloads a browser of its own here)."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab at a laptop's size."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()
