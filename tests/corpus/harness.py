"""Run wrong answers through a lesson's test cells, the way a student's notebook would.

A corpus file (tests/corpus/lNN_*.py) holds WRONG, a list of dicts:

    {"id": "l01-clip-z",                     # unique, lNN-...
     "exercise": "neuron_forward",           # the grade id of the answer cell the mistake is in
     "bug": "clips z to [-10, 10] before the sigmoid",   # what is wrong, in a student's words
     "cells": {"neuron_forward": "def neuron_forward(x, w, b):\\n    ..."}}   # answer cells replaced

Every other answer cell of the lesson holds the course's solution. The harness runs the lesson's
setup (imports, definitions, plain assignments of its other cells), then the answer cells, then every
test cell of the lesson as the student sees it (visible tests only; --hidden: the instructor's, with
the hidden tests), and reports what each test cell printed or raised.

    python tests/corpus/harness.py tests/corpus/l01_one_neuron.py            every entry
    python tests/corpus/harness.py tests/corpus/l01_one_neuron.py l01-clip-z  some entries
    python tests/corpus/harness.py FILE --hidden --json out.json
"""

import argparse
import ast
import contextlib
import importlib.util
import io
import json
import sys
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def load_corpus(path):
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LESSON, module.WRONG


def _definitions_only(source):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return ""
    kept = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                                            ast.ClassDef))]
    return "\n".join(ast.unparse(node) for node in kept)


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def lesson_cells(lesson, hidden=False):
    """(setup sources, [(grade_id, answer source)], [(grade_id, test source)]) in notebook order."""
    solution = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    student = nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)
    student_tests = {_nbgrader(c).get("grade_id"): c.source for c in student.cells if _nbgrader(c).get("grade")}
    program = []  # ("setup" | "answer" | "test", grade_id, source)
    for cell in solution.cells:
        if cell.cell_type != "code":
            continue
        meta = _nbgrader(cell)
        if meta.get("grade") and cell.cell_type == "code" and not meta.get("solution"):
            program.append(("test", meta["grade_id"], cell.source if hidden else student_tests[meta["grade_id"]]))
        elif meta.get("solution"):
            program.append(("answer", meta["grade_id"], cell.source))
        else:
            program.append(("setup", None, _definitions_only(cell.source)))
    return program


def run_entry(lesson, entry, hidden=False):
    """{test grade_id: {"passed": bool, "output": str}} for one corpus entry."""
    namespace = {"__name__": "__main__"}
    results = {}
    unknown = set(entry["cells"]) - {g for kind, g, _ in lesson_cells(lesson) if kind == "answer"}
    if unknown:
        raise ValueError(f"{entry['id']}: no answer cell {sorted(unknown)} in {lesson}")
    for kind, grade_id, source in lesson_cells(lesson, hidden):
        if kind == "answer" and grade_id in entry["cells"]:
            source = entry["cells"][grade_id]
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()), \
                    warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, f"<{kind} {grade_id}>", "exec"), namespace)  # noqa: S102
            if kind == "test":
                results[grade_id] = {"passed": True, "output": out.getvalue().strip()}
        except Exception as exc:  # noqa: BLE001
            if kind == "test":
                text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
                results[grade_id] = {"passed": False, "output": (out.getvalue() + text).strip()}
            elif kind == "answer":
                results[f"<answer cell {grade_id}>"] = {"passed": False, "output": f"{type(exc).__name__}: {exc}"}
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--hidden", action="store_true", help="the instructor's test cells, hidden tests included")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    lesson, wrong = load_corpus(args.corpus)
    report = []
    for entry in wrong:
        if args.ids and entry["id"] not in args.ids:
            continue
        results = run_entry(lesson, entry, args.hidden)
        report.append({"id": entry["id"], "exercise": entry["exercise"], "bug": entry["bug"], "results": results})
        print(f"=== {entry['id']} ({entry['exercise']}): {entry['bug']}")
        for grade_id, r in results.items():
            print(f"--- {grade_id}: {'PASSED' if r['passed'] else 'FAILED'}")
            print("    " + r["output"].replace("\n", "\n    "))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
