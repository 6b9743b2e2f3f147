"""Every lesson runs top to bottom; the student version is exactly what nbgrader generates."""

import json
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, lesson_ids
from lesson_tools import executed

LESSONS = lesson_ids()


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_notebook_runs_clean_in_a_fresh_kernel(lesson):
    nb = executed(lesson)  # (run once per test session; the lesson's own tests read the same run)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "error", f"{lesson}: {output.ename}: {output.evalue}\n{cell.source}"
            if output.output_type == "stream":
                assert output.name == "stdout", f"{lesson} wrote to stderr:\n{output.text}\n--- in ---\n{cell.source}"


def test_there_is_a_student_version_of_every_lesson_and_nothing_else():
    released = sorted(p.name for p in (ROOT / "lessons").iterdir() if p.is_dir())
    assert released == LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_source_notebooks_are_exactly_what_the_lessons_text_gives(lesson):
    from autograde import authoring

    assert authoring.solution_is_current(lesson), (
        f"solutions/{lesson}/{lesson}.ipynb is not what {lesson}.md gives: edit the text, then run "
        f"`python -m autograde.generate {lesson}` (or, after editing the notebook in JupyterLab, "
        f"`python -m autograde.generate --from-notebook {lesson}`) and commit the result")


def test_a_lessons_text_and_its_notebook_go_both_ways():
    """Text -> notebook -> text is the same text, and an edited notebook becomes text that gives it back."""
    from autograde import authoring

    for lesson in LESSONS:
        text = authoring.text_path(lesson).read_text()
        nb = authoring.notebook_from_text(text)
        assert authoring.text_from_notebook(nb) == text, f"{lesson}.md is not in the form the generator writes"
    nb.cells[0].source += "\n\nAn edit made in JupyterLab."
    nb.cells.insert(1, nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": False, "grade_id": "new",
                                                                               "locked": False, "solution": True,
                                                                               "schema_version": 3}}))
    again = authoring.notebook_from_text(authoring.text_from_notebook(nb))
    assert [(c.cell_type, c.source, c.metadata) for c in again.cells] == \
        [(c.cell_type, c.source, c.metadata) for c in nb.cells]


@pytest.mark.parametrize("lesson", LESSONS)
def test_lessons_are_exactly_what_nbgrader_generates(lesson, course_cfg, tmp_path):
    from autograde.generate import generate

    generate([lesson], course_cfg)
    made = tmp_path / "lessons" / lesson
    committed = ROOT / "lessons" / lesson
    made_files = sorted(p.relative_to(made) for p in made.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert made_files == committed_files
    for name in made_files:
        assert (made / name).read_bytes() == (committed / name).read_bytes(), (
            f"lessons/{lesson}/{name} is stale: run `python -m autograde.generate {lesson}` and commit the result"
        )


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_hides_solutions_and_hidden_tests(lesson):
    text = (ROOT / "lessons" / lesson / f"{lesson}.ipynb").read_text()
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]:
        assert marker not in text


@pytest.mark.parametrize("lesson", [lesson for lesson in LESSONS if lesson != "00_start_here"])
def test_every_graded_lesson_has_exercises_with_hidden_tests(lesson):
    nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded, f"{lesson} has no graded test cell"
    assert all("### BEGIN HIDDEN TESTS" in c.source for c in graded), "every test cell has hidden tests"
    assert any("### BEGIN SOLUTION" in c.source for c in nb.cells)


def tracked_notebooks():
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.split()] or sorted(ROOT.glob("*/*/*.ipynb"))


def test_committed_notebooks_carry_no_outputs():
    dirty = []
    for path in tracked_notebooks():
        nb = json.loads(Path(path).read_text())
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"]):
            dirty.append(str(path.relative_to(ROOT)))
    assert not dirty, f"strip the outputs of: {dirty}"


def test_generate_takes_a_lessons_number_and_names_the_lessons_when_it_knows_none(capsys):
    from autograde import generate

    assert generate.main(["05", "--check"]) == 0
    assert generate.main(["5", "--check"]) == 2
    assert "no such lesson in solutions/: 5; the lessons are 00_start_here," in capsys.readouterr().err
