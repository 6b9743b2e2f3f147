"""The benchmark runner works end to end, in its smoke mode (tiny sizes), and its report has
every section and every target. No timing is asserted: targets live in the report."""

import json
import shutil
import subprocess
import sys

import nbformat
from conftest import ROOT

sys.path.insert(0, str(ROOT))

SECTIONS = {"explorers", "training", "notebooks", "grading", "clone", "student", "report"}


def test_the_runner_works_end_to_end_in_smoke_mode(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["smoke"] is True
    assert {"cpu", "cores", "python", "numpy", "blas", "load_at_start", "date"} <= set(data["machine"])
    assert set(data["sections"]) == SECTIONS
    for name, entry in data["sections"].items():
        assert "error" not in entry, f"{name}: {entry.get('traceback')}"
        assert len(entry["load_before"]) == 3 and len(entry["load_after"]) == 3
    s = data["sections"]
    assert s["notebooks"]["notebooks"]["00_start_here"]["errors"] == []
    assert {"wall", "cpu"} <= set(s["notebooks"]["course"]) and s["notebooks"]["kernel_startup"]["wall"]["n"] == 1
    grading = s["grading"]
    assert grading["class"]["graded"] == grading["class"]["submissions"] == 1
    assert grading["one_student"]["points"] == grading["one_student"]["max_points"] > 0  # the solutions: full marks
    assert "grade submissions (parallel)" in grading["class"]["phases_wall"]
    assert grading["nbgrader_floor"]["wall"]["n"] == 1 and grading["projection"]["students"] == 100
    training = s["training"]
    assert set(training["sizes"]) == {"digits (lesson 06)", "spirals (lesson 06)"}
    for size in training["sizes"].values():
        assert size["ours (NumPy, float64)"]["gflops"] > 0 and size["np.matmul alone"]["us_per_step"] > 0
        assert ("ratio_ours_to_torch" in size) == (training["torch"] is not None)
    assert training["torch"] is not None or "not installed" in training["torch_missing"]
    assert 0 <= training["digits"]["test_accuracy"]["median"] <= 1
    slope = s["explorers"]["explorers"]["SlopeExplorer"]
    assert set(slope["controls"]) == {"curve", "x", "h"} and slope["slowest_control"] in slope["controls"]
    assert "skipped" in s["clone"]
    student = s["student"]
    assert student["submit"]["wall"]["n"] == student["feedback"]["wall"]["n"] == 1 and "baseline" not in student
    assert student["feedback_here"]["wall"]["median"] > 0
    report = s["report"]
    assert report["students"] == 10 and report["lessons"] == 10 and report["pages"] == 11
    assert report["wall"]["n"] == 1 and report["cpu"]["median"] > 0 and report["met"] in (True, False)
    assert len(data["targets"]) == 10 and all({"target", "measured", "met", "cpu", "met_cpu"} <= set(t)
                                             for t in data["targets"])
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert "## Targets" in text and "smoke run" in text
    for target in data["targets"]:
        assert target["target"] in text
    assert (tmp_path / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_synthetic_students_answer_each_exercise_right_blank_or_wrong():
    import random

    from benchmarks import grading

    assert grading.wrong("return a - b * c") == "return a + b * c"
    assert grading.wrong("pass") is None
    seen = set()
    for k in range(20):
        nb, kinds = grading.submission("04_layers_matrix_form", random.Random(k))
        seen |= set(kinds.values())
        answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                   if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
        assert set(answers) == set(kinds)
        for grade_id, kind in kinds.items():
            assert ("NotImplementedError" in answers[grade_id]) == (kind == "blank")
            assert "### BEGIN SOLUTION" not in answers[grade_id]
    assert seen == {"solution", "blank", "wrong"}
    assert nbformat.validate(nb) is None


def test_the_baseline_is_a_checkout_of_a_commit_of_this_repository():
    import pytest

    from benchmarks import baseline

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    folder = baseline.checkout(head)  # (the same as BASELINE's, which a shallow clone may not have)
    assert (folder / "benchmarks" / "run.py").is_file() and (folder / "backprop").is_dir()
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True).stdout.strip() \
        == head
    shutil.rmtree(folder)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
    with pytest.raises(ValueError, match="ref must name a commit of this repository, but is 'no-such-ref'"):
        baseline.checkout("no-such-ref")
