"""The submissions the route tests grade, and how each route's verdict is read back.

A submission here is a lesson's student version with its answer cells filled in: by a corpus entry
(tests/corpus/lNN_*.py, a wrong or a right answer written as a student would, other cells the
course's solution), or by one version of one mistake of the course's catalogue (backprop.mistakes),
put in place of the student's function.

    corpus_submissions(lessons)     [Submission] for every WRONG and RIGHT entry of the corpus
    catalogue_submissions(lessons)  [Submission] for every catalogued mistake that stands in for an
                                    answer the test cells check by name
    notebook(submission, hidden)    the student version with the submission's cells (and hidden tests)
    Outcome                         one test cell as a route reports it: points, max, passed, words
    outcomes_of(autograded_nb, gradebook_grades)   {test id: Outcome} from an autograded notebook
"""

import ast
import hashlib
import importlib.util
from dataclasses import dataclass
from functools import cache

import nbformat
from conftest import ROOT

LESSONS_WITH_CORPUS = sorted(p.stem for p in (ROOT / "tests" / "corpus").glob("l[0-9][0-9]_*.py"))


@dataclass(frozen=True)
class Submission:
    student: str      # a valid nbgrader student id, unique
    lesson: str
    cells: tuple      # ((grade id of an answer cell, its source), ...)
    right: bool       # written to be right: must keep every point
    bug: str          # what is wrong (or how it is unusual), in words


@dataclass(frozen=True)
class Outcome:
    points: float
    max_points: float
    passed: bool
    words: str        # the failure as shown, lines joined ("" when it passed)


def _student_id(text):
    return "s" + hashlib.sha1(text.encode()).hexdigest()[:12]


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_submissions(lessons=None):
    found = []
    for stem in LESSONS_WITH_CORPUS:
        module = _load(ROOT / "tests" / "corpus" / f"{stem}.py")
        if lessons and module.LESSON not in lessons:
            continue
        for right, entries in ((False, module.WRONG), (True, getattr(module, "RIGHT", []))):
            for entry in entries:
                found.append(Submission(_student_id(entry["id"]), module.LESSON, tuple(entry["cells"].items()),
                                        right, f"{entry['id']}: {entry['bug']}"))
    return found


@cache
def _nb(folder, lesson):
    return nbformat.read(ROOT / folder / lesson / f"{lesson}.ipynb", as_version=4)


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def notebook(submission, hidden=False):
    """The lesson's student version, every answer cell holding the solution's answer except the
    submission's own cells. hidden: its test cells as the grader runs them, hidden tests included
    (what the notebook's own checks say of it once graded)."""
    solution = {_meta(c).get("grade_id"): c.source for c in _nb("solutions", submission.lesson).cells
                if _meta(c).get("solution")}
    tests = {_meta(c).get("grade_id"): c.source for c in _nb("solutions", submission.lesson).cells
             if _meta(c).get("grade") and not _meta(c).get("solution")}
    mine = dict(submission.cells)
    unknown = set(mine) - set(solution)
    if unknown:
        raise ValueError(f"{submission.bug}: no answer cell {sorted(unknown)} in {submission.lesson}")
    nb = nbformat.from_dict(_nb("lessons", submission.lesson))
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if _meta(cell).get("solution"):
            cell.source = mine.get(grade_id, solution[grade_id])
        elif hidden and grade_id in tests:
            cell.source = tests[grade_id]
    return nb


# --- the catalogue ------------------------------------------------------------------------------

def _checked_names(lesson):
    """{student name: reference object} for every check in the lesson's test cells (checks.check_...,
    the first that names it) whose first argument is the student's function or class itself (not
    wrapped), and its reference."""
    import backprop
    from backprop import autograd, checks, gradcheck, layers, reference

    scope = {"backprop": backprop, "reference": reference, "layers": layers, "autograd": autograd,
             "gradcheck": gradcheck, "checks": checks}
    found = {}
    for cell in _nb("solutions", lesson).cells:
        if not (_meta(cell).get("grade") and not _meta(cell).get("solution")):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr.startswith("check_") and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name)):
                continue
            try:
                found.setdefault(node.args[0].id, eval(ast.unparse(node.args[1]), dict(scope)))  # noqa: S307
            except Exception:  # noqa: BLE001  (an expression of the cell's own names: not a reference)
                pass
    return found


def _answer_cell_defining(lesson, name):
    for cell in _nb("solutions", lesson).cells:
        if _meta(cell).get("solution"):
            tree = ast.parse(cell.source)
            if any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name for n in tree.body):
                return _meta(cell)["grade_id"], cell.source
    return None, None


_AS_NAMED = '''
def _as_named(mistake, k, name):
    """The catalogue's buggy version under the student's name (a copy: the catalogue is untouched)."""
    import types
    from backprop.mistakes import catalogue
    version = catalogue()[mistake].versions[k]
    if isinstance(version, type):
        return type(name, (version,), {"__module__": "__main__"})
    copy = types.FunctionType(version.__code__, version.__globals__, name, version.__defaults__, version.__closure__)
    copy.__kwdefaults__, copy.__qualname__ = version.__kwdefaults__, name
    return copy
'''


def catalogue_submissions(lessons):
    """A submission per version of every mistake known for an answer that a test cell checks by
    name: the solution's cell, then the name bound to the catalogue's buggy version. These are the
    course's own code, so they need the whole package where they run (verify's `site`)."""
    from backprop.mistakes import known_for

    found = []
    for lesson in lessons:
        for name, reference in _checked_names(lesson).items():
            grade_id, source = _answer_cell_defining(lesson, name)
            if grade_id is None:
                continue
            for mistake in known_for(reference):
                if not mistake.versions or mistake.id.startswith("course."):
                    continue
                for k, _ in enumerate(mistake.versions):
                    cell = f"{source}\n{_AS_NAMED}\n{name} = _as_named({mistake.id!r}, {k}, {name!r})\n"
                    found.append(Submission(_student_id(f"{lesson}/{mistake.id}/{k}"), lesson,
                                            ((grade_id, cell),), False, f"{mistake.id}[{k}] as {name}"))
    return found


# --- reading a route's verdicts back ---------------------------------------------------------------

def words_of(traceback_lines):
    return " ".join(" ".join(traceback_lines).split())


def outcomes_of(nb, grades):
    """{test id: Outcome} from an autograded notebook and its grades {test id: (score, max)}."""
    outcomes = {}
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id not in grades:
            continue
        error = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
        score, top = grades[grade_id]
        outcomes[grade_id] = Outcome(float(score or 0), float(top), error is None,
                                     words_of(error.traceback) if error is not None else "")
    return outcomes
