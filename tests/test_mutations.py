"""Mutation testing of the solution cells: a behaviour-changing edit of any solution never keeps
full marks.

For every solution cell, small edits are made to its answer (an operator swapped, a constant
changed, a transpose dropped, an axis changed, a comparison loosened, two outputs swapped)
and the lesson's test cells (hidden tests included) run against it. An edit must fail them,
unless it does not change what the function computes: an edit that passes is run again
against many more random cases, and if it fails those, the tests have a hole.
"""

import ast
import copy
import io
import random
import re
from contextlib import redirect_stdout

import nbformat
import numpy as np
import pytest
from conftest import ROOT, lesson_ids

from autograde.verify import definitions_only
from backprop import checks

MUTANTS_PER_CELL = 12
BOOST = 6  # how many times more random cases the second look draws


def solution_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def grade_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def answer_lines(source):
    """The line numbers (1-based) between ### BEGIN SOLUTION and ### END SOLUTION."""
    lines, inside, keep = source.splitlines(), False, set()
    for n, line in enumerate(lines, 1):
        if "### BEGIN SOLUTION" in line:
            inside = True
        elif "### END SOLUTION" in line:
            inside = False
        elif inside:
            keep.add(n)
    return keep


class Mutator(ast.NodeTransformer):
    """Applies the k-th of the mutations it can find on the answer's lines (k=None: counts them)."""

    SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.MatMult: ast.Mult}
    COMPARE = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}

    def __init__(self, lines, target=None):
        self.lines, self.target, self.count, self.done = lines, target, 0, None

    def _site(self, node, description):
        hit = self.count == self.target
        self.count += 1
        if hit:
            self.done = description
        return hit and getattr(node, "lineno", None) in self.lines

    def _on_answer(self, node):
        return getattr(node, "lineno", None) in self.lines

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if self._on_answer(node) and type(node.op) in self.SWAP:
            if self._site(node, f"line {node.lineno}: {type(node.op).__name__} -> {self.SWAP[type(node.op)].__name__}"):
                node.op = self.SWAP[type(node.op)]()
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if self._on_answer(node) and len(node.ops) == 1 and type(node.ops[0]) in self.COMPARE:
            if self._site(node, f"line {node.lineno}: comparison loosened or tightened"):
                node.ops = [self.COMPARE[type(node.ops[0])]()]
        return node

    def visit_Constant(self, node):
        if self._on_answer(node) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if self._site(node, f"line {node.lineno}: constant {node.value!r} changed"):
                return ast.copy_location(ast.Constant(node.value + 1 if node.value in (0, 1) else node.value * 2), node)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if self._on_answer(node) and node.attr == "T":
            if self._site(node, f"line {node.lineno}: .T dropped"):
                return node.value
        return node

    def visit_keyword(self, node):
        self.generic_visit(node)
        if self._on_answer(node.value) and node.arg == "axis" and isinstance(node.value, ast.Constant) \
                and node.value.value in (0, 1, -1):
            if self._site(node.value, f"line {node.value.lineno}: axis changed"):
                node.value = ast.copy_location(ast.Constant(1 if node.value.value == 0 else 0), node.value)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if self._on_answer(node) and isinstance(node.op, ast.USub):
            if self._site(node, f"line {node.lineno}: minus dropped"):
                return node.operand
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        if self._on_answer(node) and isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
            if self._site(node, f"line {node.lineno}: first two outputs swapped"):
                node.value.elts[0], node.value.elts[1] = node.value.elts[1], node.value.elts[0]
        return node


def mutants(source):
    """Up to MUTANTS_PER_CELL (description, mutated source), spread over the sites found."""
    lines = answer_lines(source)
    tree = ast.parse(source)
    counter = Mutator(lines)
    counter.visit(copy.deepcopy(tree))
    sites = list(range(counter.count))
    random.Random(source).shuffle(sites)
    found = []
    for k in sites:
        mutator = Mutator(lines, target=k)
        mutated = mutator.visit(copy.deepcopy(tree))
        if mutator.done is None:
            continue
        text = ast.unparse(ast.fix_missing_locations(mutated))
        if text != ast.unparse(tree):
            found.append((mutator.done, text))
        if len(found) == MUTANTS_PER_CELL:
            break
    return found


def namespace(nb, replace=None):
    """The lesson's definitions and answers, as the grader's sandbox runs them (in-process here)."""
    ns = {"__name__": "__main__"}
    tests = {c.metadata["nbgrader"]["grade_id"] for c in grade_cells(nb)}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("grade_id") in tests:
            continue
        if replace and meta.get("grade_id") == replace[0]:
            sources = [replace[1]]
        elif meta.get("solution"):
            sources = [cell.source]
        else:
            sources = definitions_only(cell.source)
        for source in sources:
            code = compile(source, f"<{meta.get('grade_id', 'cell')}>", "exec")  # a broken edit raises here
            try:
                with redirect_stdout(io.StringIO()):
                    exec(code, ns)  # noqa: S102
            except Exception:  # noqa: BLE001  (as in the grader's sandbox: the next statement still runs)
                if meta.get("solution"):
                    raise
    return ns


def failing_tests(nb, ns, seed, boost=1):
    """The grade ids of the test cells that fail against the namespace."""
    rng = random.Random(seed)

    class MoreCases(checks.Grading):  # reproducible fresh seeds, and `boost` times the random cases
        def fresh_seed(self):
            return rng.randrange(2**31)

        def trials(self, trials):
            return trials * boost

    failed = []
    with checks.grading(MoreCases()):
        for cell in grade_cells(nb):
            source = re.sub(r"seed=\d+", "seed=None", cell.source) if boost > 1 else cell.source
            try:
                with redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                    exec(compile(source, "<test>", "exec"), dict(ns))  # noqa: S102
            except Exception:  # noqa: BLE001  (any failure of the tests)
                failed.append(cell.metadata["nbgrader"]["grade_id"])
    return failed


GRADED = [lesson for lesson in lesson_ids() if lesson != "00_start_here"]


@pytest.mark.parametrize("lesson", GRADED)
def test_no_behaviour_changing_edit_of_a_solution_keeps_full_marks(lesson, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT / "solutions" / lesson)
    nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    assert failing_tests(nb, namespace(nb), seed=0) == [], "the solutions themselves must pass"
    survivors, killed, equivalent = [], 0, 0
    for cell in solution_cells(nb):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        for description, source in mutants(cell.source):
            try:
                ns = namespace(nb, replace=(grade_id, source))
            except Exception:  # noqa: BLE001  (the edit breaks the cell itself: it fails everything)
                killed += 1
                continue
            if failing_tests(nb, ns, seed=1):
                killed += 1
            elif failing_tests(nb, ns, seed=2, boost=BOOST):
                survivors.append(f"{grade_id}: {description}")
            else:
                equivalent += 1
    print(f"{lesson}: {killed} edits caught, {equivalent} changed nothing the tests can see")
    assert killed > 0
    assert not survivors, "edits that change the answer but keep full marks:\n" + "\n".join(survivors)
