"""Binder: repo2docker reads binder/ as intended, and a Binder build emulated here (a fresh
virtual environment, binder/requirements.txt, binder/postBuild, binder/start) serves a
course that a student can work through in the browser."""

import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from browser import Lab, copy_repository, expect_text, student_round
from conftest import ROOT, SHOTS

BINDER = ROOT / "binder"


def pins(path):
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", Path(path).read_text(), flags=re.M))


def test_repo2docker_reads_the_binder_folder():
    # --no-build only writes the Dockerfile it would build: no Docker daemon needed
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan",
         str(ROOT)], capture_output=True, text=True, timeout=300)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "python=3.11" in out
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in out
    assert "RUN ./binder/postBuild" in out
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in out
    # with a binder/ folder the top-level requirements.txt is ignored, as intended
    assert '-r "requirements.txt"' not in out


def test_binder_pins_the_course_packages_as_requirements_txt_does():
    course = pins(ROOT / "requirements.txt")
    binder = pins(BINDER / "requirements.txt")
    assert course, "requirements.txt pins nothing"
    for name, version in course.items():
        assert binder.get(name) == version, f"{name}: requirements.txt has {version}, binder has {binder.get(name)}"
    unpinned = [line for line in (BINDER / "requirements.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#") and "==" not in line]
    assert not unpinned, f"binder/requirements.txt must pin every package: {unpinned}"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_postbuild_fails_on_any_error_and_keeps_the_pinned_packages():
    text = (BINDER / "postBuild").read_text()
    assert "set -euo pipefail" in text.split("\n", 3)[:3] or "set -e" in text.splitlines()[2]
    assert "pip install --no-deps -e ." in text


def test_the_readme_launches_lesson_00_on_binder():
    out = subprocess.run([sys.executable, str(BINDER / "link.py")], capture_output=True, text=True, check=True).stdout
    url, badge = out.strip().splitlines()
    assert url.endswith("?urlpath=lab/tree/lessons/00_start_here/00_start_here.ipynb")
    assert badge in (ROOT / "README.md").read_text()
    fork = subprocess.run([sys.executable, str(BINDER / "link.py"), "someone/fork"], capture_output=True, text=True,
                          check=True).stdout
    assert "https://mybinder.org/v2/gh/someone/fork/HEAD?urlpath=lab/tree/" in fork
    bad = subprocess.run([sys.executable, str(BINDER / "link.py"), "not a repo"], capture_output=True, text=True)
    assert bad.returncode != 0 and "repository must be 'owner/name'" in bad.stderr


@pytest.fixture(scope="module")
def binder_lab(tmp_path_factory):
    """The course as Binder builds it, in a fresh virtual environment of its own."""
    scratch = tmp_path_factory.mktemp("binder")
    repo = copy_repository(ROOT, scratch / "repo")
    env_dir = scratch / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", repo / "binder" / "requirements.txt"], check=True)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(scratch), "JUPYTER_PLATFORM_DIRS": "1"}
    subprocess.run(["bash", repo / "binder" / "postBuild"], cwd=repo, env=env, check=True)
    assert (repo / "autograde" / "exchange" / "backprop" / "outbound" / "01_one_neuron").is_dir()
    server = Lab(repo, scratch, command=[str(repo / "binder" / "start"), str(bin_dir / "jupyter"), "lab"],
                 path=str(bin_dir))
    yield server
    server.stop()


def test_a_student_works_on_the_emulated_binder(binder_lab, page):
    def shot(name):
        page.screenshot(path=str(SHOTS / f"binder-{name}.png"))

    # the launch link's path opens lesson 00, with the student's tools and no news pop-up
    binder_lab.open(page, "lessons/00_start_here/00_start_here.ipynb")
    expect_text(page.locator("#jp-MainMenu"), "Nbgrader")
    assert page.get_by_text("Would you like to get notified").count() == 0
    page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
    labels = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert "Assignment List" in labels and not {"Formgrader", "Create assignment", "Course List"} & set(labels)
    page.keyboard.press("Escape")
    shot("start")
    student_round(binder_lab, page, shot)


def test_kernels_use_one_blas_thread_unless_the_environment_says_otherwise(monkeypatch):
    """The course's arrays are small: one BLAS thread (BENCHMARKS.md). Binder's start script and
    `python -m backprop.course` both set it for JupyterLab and its kernels, keeping a value given."""
    from backprop import course

    for given, expected in ((None, "1"), ("3", "3")):
        env = {"PATH": "/usr/bin:/bin"} if given is None else {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": given}
        out = subprocess.run(["bash", str(BINDER / "start"), "env"], env=env, capture_output=True, text=True,
                             check=True).stdout
        assert f"OPENBLAS_NUM_THREADS={expected}" in out.splitlines()
        if given is None:
            monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
        else:
            monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
        assert course.student_environment()["OPENBLAS_NUM_THREADS"] == expected
