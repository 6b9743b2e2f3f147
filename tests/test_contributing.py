"""CONTRIBUTING.md's recipe stays true: a lesson 11 built from the templates, as the guide says, is
new files only, generates, and grades end to end (a right answer full marks, a known mistake named)."""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from browser import copy_repository
from conftest import ROOT

NUMBER, SLUG = "11", "dry_run"
LESSON = f"{NUMBER}_{SLUG}"


def test_a_lesson_11_is_new_files_that_generate_and_grade(tmp_path):
    course = copy_repository(ROOT, tmp_path / "course")
    env = {**os.environ, "PYTHONPATH": str(course)}
    before = {p.relative_to(course) for p in course.rglob("*") if p.is_file()}
    digests = {p: (course / p).read_bytes() for p in before if p.suffix in (".py", ".md", ".ipynb")}

    def run(*args, cwd=course):
        result = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True,
                                timeout=900)
        assert result.returncode == 0, f"{args}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        return result.stdout

    run("autograde.new_lesson", NUMBER, SLUG, "A dry run")
    run("autograde.generate", LESSON)

    # the files the guide's table names, with NN and the topic filled in, are there
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    table = guide.split("## Where things go", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    named = {path for path in re.findall(r"`((?:solutions|lessons|backprop|tests)/[^`]*NN[^`]*)`", table)
             if "/" in path}
    expected = {path.replace("NN_slug", LESSON).replace("lNN_topic", f"l{NUMBER}_{SLUG}").replace(
        "test_lesson_NN", f"test_lesson_{NUMBER}") for path in named}
    made = {str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()} - {str(p) for p in before}
    optional = {f"backprop/checks/l{NUMBER}_{SLUG}.py", f"backprop/explorers/l{NUMBER}_{SLUG}.py",
                f"backprop/worked/l{NUMBER}_{SLUG}.py"}  # (most lessons need none of their own)
    assert expected - optional <= made, (expected, made)
    made = {m for m in made if "__pycache__" not in m and not m.endswith(".db")}  # (and nbgrader's gradebook)
    assert made <= expected | {f"solutions/{LESSON}/{LESSON}.ipynb", f"lessons/{LESSON}/{LESSON}.ipynb"}, made

    # nothing that existed changed: a new lesson is new files
    changed = [str(p) for p, data in digests.items() if (course / p).read_bytes() != data]
    assert not changed, changed

    # the package finds its modules; the lesson's own tests pass
    run("pytest", "-q", "-p", "no:cacheprovider", f"tests/test_lesson_{NUMBER}.py", f"--rootdir={course}")

    # graded end to end: the solution full marks, the template's mistake 0 and named
    submitted = course / "autograde" / "submitted"
    solution = nbformat.read(course / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    for student, answer in (("right", None), ("wrong", "def double(x):\n    return x**2\n")):
        nb = nbformat.read(course / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
        for cell, source in zip(nb.cells, solution.cells):
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                cell.source = answer or source.source
        folder = submitted / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{LESSON}.ipynb")
    run("autograde.grade", "--lessons", LESSON, "--workers", "1")
    with open(course / "autograde" / "grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert (rows["right"]["score"], rows["right"]["max_score"]) == ("2.0", "2.0"), rows
    assert rows["wrong"]["score"] == "0.0", rows
    feedback = (course / "autograde" / "feedback" / "wrong" / LESSON / f"{LESSON}.html").read_text()
    assert "x was squared (x**2), not doubled" in feedback
    assert Path(course / "autograde" / "causes.db").exists()
