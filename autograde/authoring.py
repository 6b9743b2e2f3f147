"""The lessons' sources: MyST Markdown text, from which the notebooks are generated.

Each lesson is written as `solutions/NN_slug/NN_slug.md`, a MyST Markdown notebook (the format
Jupyter Book and jupytext read): prose as Markdown, each code cell a ```{code-cell}``` block
whose options carry the cell's metadata (nbgrader's grade ids and points, a folded quiz's
`source_hidden`). A change to a lesson is a change to that text, reviewed as a normal diff.
From it:

    solutions/NN_slug/NN_slug.ipynb   the nbgrader source notebook (solutions, visible and hidden tests)
    lessons/NN_slug/NN_slug.ipynb     the student version, generated from that by nbgrader

Both are generated (`python -m autograde.generate`) and committed; the tests check that they are
what the text gives.

    TEXT_FORMAT                  the jupytext format of the sources, "md:myst"
    text_path(lesson)            solutions/NN_slug/NN_slug.md
    notebook_path(lesson)        solutions/NN_slug/NN_slug.ipynb
    notebook_from_text(text)     a notebook: cells, metadata and cell ids fixed by the text alone
    text_from_notebook(nb)       the text of a notebook (for a lesson edited in JupyterLab)
    write_solution(lesson)       the source notebook written from the text; True if it changed
    solution_is_current(lesson)  whether the committed source notebook is what the text gives
"""

import json
from pathlib import Path

import nbformat

from autograde.nbgrader_course import ROOT

__all__ = ["TEXT_FORMAT", "text_path", "notebook_path", "notebook_from_text", "text_from_notebook", "write_solution",
           "solution_is_current"]

TEXT_FORMAT = "md:myst"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def text_path(lesson, root=ROOT):
    return Path(root) / "solutions" / lesson / f"{lesson}.md"


def notebook_path(lesson, root=ROOT):
    return Path(root) / "solutions" / lesson / f"{lesson}.ipynb"


def notebook_from_text(text):
    """The notebook a lesson's text describes. Everything in it comes from the text: the notebook
    metadata is fixed (a Python 3 kernel), a cell's id is its nbgrader grade id or its position
    ("cell-7"), so that the same text always gives the same notebook, byte for byte."""
    import jupytext

    nb = jupytext.reads(text, fmt=TEXT_FORMAT)
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
    for k, cell in enumerate(nb.cells):
        metadata = dict(cell.metadata)
        grade_id = metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=metadata)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=metadata)
        new["id"] = grade_id or f"cell-{k}"
        notebook.cells.append(new)
    nbformat.validate(notebook)
    return notebook


def text_from_notebook(nb):
    """A notebook as lesson text (its outputs and execution counts are not part of a lesson)."""
    import jupytext

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata = {"kernelspec": dict(KERNELSPEC)}
    for cell in nb.cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    text = jupytext.writes(nb, fmt=TEXT_FORMAT)
    return _without_jupytext_version(text)


def _without_jupytext_version(text):
    """The text without the line naming the jupytext that wrote it, so that another version of
    jupytext does not change every lesson."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("jupytext_version:"))


def _notebook_bytes(nb):
    return (nbformat.writes(nb) + "\n").encode()


def write_solution(lesson, root=ROOT):
    """Write solutions/LESSON/LESSON.ipynb from solutions/LESSON/LESSON.md; True if it changed."""
    text = text_path(lesson, root)
    if not text.is_file():
        raise FileNotFoundError(f"{text} is missing: every lesson is written as MyST text beside its notebook")
    data = _notebook_bytes(notebook_from_text(text.read_text()))
    target = notebook_path(lesson, root)
    if target.is_file() and target.read_bytes() == data:
        return False
    target.write_bytes(data)
    return True


def solution_is_current(lesson, root=ROOT):
    """Whether solutions/LESSON/LESSON.ipynb is exactly what its text gives."""
    target = notebook_path(lesson, root)
    return target.is_file() and target.read_bytes() == _notebook_bytes(
        notebook_from_text(text_path(lesson, root).read_text()))
