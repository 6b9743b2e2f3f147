"""RestoreCells: the submitted notebook's test and read-only cells put back as the lesson has them.

nbgrader's own sanitize steps (OverwriteCells, DeduplicateIds, CheckCellMetadata) already restore
most of what a student may change. This step makes sure of the rest, from the cells stored in the
gradebook when the lesson was generated: a test cell edited, commented out, deleted or turned into
an answer cell gets its source and metadata back; a second cell claiming a test's id, or a cell
claiming an id the lesson does not have, loses the claim and runs as an ordinary cell; outputs
are cleared, so printed "ok" lines count for nothing. Each repair is said in a note at the top of
the graded notebook (and so in the feedback), and kept in resources["nbgrader"]["notes"].
"""

import json

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["RestoreCells", "NOTE_HEADING"]

NOTE_HEADING = "**Note from the grader.**"


class RestoreCells(NbGraderPreprocessor):
    """Restore the lesson's test and read-only cells in a submitted notebook, with a note for each repair."""

    def preprocess(self, nb, resources):
        nbgrader = resources["nbgrader"]
        with Gradebook(nbgrader["db_url"]) as gb:
            notebook = gb.find_notebook(nbgrader["notebook"], nbgrader["assignment"])
            sources = {cell.name: cell for cell in notebook.source_cells}
            graded = {cell.name: cell.max_score for cell in notebook.grade_cells}
            solutions = {cell.name for cell in notebook.solution_cells}
            order = [cell.name for cell in sorted(notebook.source_cells, key=lambda c: c.id)]
        nb, notes = restore(nb, sources, graded, solutions, order)
        nbgrader["notes"] = notes
        if notes:
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(
                NOTE_HEADING + " " + " ".join(n[0].upper() + n[1:] + "." for n in notes)))
        return nb, resources


def restore(nb, sources, graded, solutions, order):
    """(notebook, notes): the notebook with the lesson's cells put back. sources: the gradebook's
    source cells by name; graded: {name: points} of the grade cells; solutions: the names of the
    answer cells; order: the names in the lesson's order (to put a missing cell back in its place)."""
    notes, seen, cells = [], set(), []
    for cell in nb.cells:
        cell = nbformat.from_dict(json.loads(json.dumps(cell)))
        meta = cell.get("metadata", {})
        nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else None
        grade_id = nbg.get("grade_id") if nbg else None
        if "nbgrader" in meta and (grade_id not in sources or grade_id in seen):
            notes.append(f"a cell claimed the grade id {grade_id!r}, which "
                         + ("another cell already has" if grade_id in seen else "the lesson does not have")
                         + "; it was graded as an ordinary cell")
            meta.pop("nbgrader", None)
            grade_id = None
        if grade_id is not None:
            seen.add(grade_id)
            expected = _metadata(sources[grade_id], graded, solutions)
            is_answer = grade_id in solutions
            if not is_answer:  # a test or a read-only cell: the lesson's, exactly (its hidden tests included)
                original = sources[grade_id]
                released = released_source(original.source)
                if cell.get("source") not in (released, original.source) or cell.cell_type != original.cell_type or \
                        _nbgrader_part(meta.get("nbgrader")) != _nbgrader_part(expected):
                    notes.append(f"the read-only cell {grade_id!r} was changed; the released version was put back")
                cell = _cell(original, expected)
            else:
                if _nbgrader_part(meta.get("nbgrader")) != _nbgrader_part(expected) or \
                        cell.cell_type != sources[grade_id].cell_type:
                    notes.append(f"the metadata of cell {grade_id!r} was changed; the released metadata was put back")
                meta["nbgrader"] = {**meta.get("nbgrader", {}), **expected}
                cell.metadata = meta
                cell.cell_type = sources[grade_id].cell_type
                if cell.cell_type == "code":
                    cell.setdefault("outputs", [])
                    cell.setdefault("execution_count", None)
                else:
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    for position, grade_id in enumerate(order):  # what was deleted, after the cell before it in the lesson
        if grade_id in seen or grade_id in solutions and grade_id not in graded:
            continue
        notes.append(f"the cell {grade_id!r} was missing; the released version was put back")
        restored = _cell(sources[grade_id], _metadata(sources[grade_id], graded, solutions))
        anchor = next((order[k] for k in range(position - 1, -1, -1) if order[k] in seen), None)
        index = 0 if anchor is None else 1 + next(
            i for i, c in enumerate(cells) if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == anchor)
        cells.insert(index, restored)
        seen.add(grade_id)
    for k, cell in enumerate(cells):  # fresh, unique cell ids
        cell["id"] = f"cell-{k}"
    nb.cells = cells
    return nb, notes


def released_source(source):
    """A test cell's source as students have it: without its hidden tests (as nbgrader releases it)."""
    import nbformat as _nbformat
    from nbgrader.preprocessors import ClearHiddenTests

    cell = _nbformat.v4.new_code_cell(source)
    ClearHiddenTests(enforce_metadata=False)._remove_hidden_test_region(cell)
    return cell.source


def _metadata(source, graded, solutions):
    grade_id = source.name
    meta = {"grade_id": grade_id, "grade": grade_id in graded, "solution": grade_id in solutions,
            "locked": bool(source.locked), "schema_version": 3}
    if grade_id in graded:
        meta["points"] = graded[grade_id]
    return meta


def _nbgrader_part(meta):
    if not isinstance(meta, dict):
        return None
    return {key: meta.get(key) for key in ("grade_id", "grade", "solution", "locked", "points")
            if key in meta or key != "points"}


def _cell(source, metadata):
    if source.cell_type == "code":
        cell = nbformat.v4.new_code_cell(source.source)
    else:
        cell = nbformat.v4.new_markdown_cell(source.source)
    cell.metadata = {"nbgrader": dict(metadata, checksum=source.checksum) if source.checksum else dict(metadata)}
    if metadata.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
    return cell
