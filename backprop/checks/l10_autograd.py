"""Lesson 10's check: a topological order of an autograd graph.

    check_topological_order(yours, reference, cases, ...)   every tensor once, each after all of its parents
"""

import copy

from backprop.checks.base import (
    CheckFailed,
    describe_error,
    failure_report,
    forbidden_for,
    make_cases,
    run_answer,
    unwritten,
)
from backprop.mistakes import known_for
from backprop.validation import describe

__all__ = ["check_topological_order"]


def check_topological_order(yours, reference, cases, trials=5, seed=None, forbid=()):
    """Check a function root -> list of tensors: is it a topological order of root's graph?

    Any correct order passes (there are usually several): every tensor root depends on,
    root included, each exactly once, each after all of its parents. The tensors need
    .parents (and .name, for the messages).

    yours, reference  functions of `root`; the reference only serves to name known mistakes
    cases             dicts {"root": tensor}, or a function rng -> such a dict
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = make_cases(cases, trials, seed)
    forbidden = forbidden_for(reference, yours, forbid)
    results = [run_answer(yours, case, forbidden) for case in cases]
    failures = []
    for i, (case, result) in enumerate(zip(cases, results)):
        problems = ([describe_error(result["error"])] if result["error"] is not None
                    else _order_problems(result["value"], result["case_after"]["root"], name))
        if problems:
            failures.append((i, case, problems, result))
    if failures:
        causes = _order_causes(reference, cases, results)
        raise CheckFailed(failure_report(name, cases, failures, seed, causes,
                                  against="what a topological order must be"), check=name,
                          causes=causes + unwritten(results), seed=seed)
    print(f"ok: {name} gives a topological order on {len(cases)} graph{'s' * (len(cases) != 1)}.")


def _graph_of(root):
    """Every tensor reachable from root through .parents, as {id: tensor}."""
    found, stack = {id(root): root}, [root]
    while stack:
        for parent in stack.pop().parents:
            if id(parent) not in found:
                found[id(parent)] = parent
                stack.append(parent)
    return found


def _label(node):
    if getattr(node, "name", ""):
        return repr(node.name)
    if getattr(node, "parents", ()):
        return f"an unnamed {getattr(node, 'op', '') or 'result'} tensor"
    return "an unnamed leaf"


def _order_problems(got, root, name):
    if isinstance(got, (str, bytes, dict)) or not hasattr(got, "__iter__"):
        return [f"{name} should return a list of tensors, but returned {describe(got)}."]
    got = list(got)
    graph = _graph_of(root)
    strangers = [k for k, node in enumerate(got) if id(node) not in graph]
    if strangers:
        k = strangers[0]
        if hasattr(got[k], "parents"):  # a tensor, but of another graph: state kept between calls
            return [f"item {k} of the list, {_label(got[k])}, is a tensor of another graph, not of this one "
                    f"({len(strangers)} of the {len(got)} items are): is a list or set kept from an earlier "
                    f"call, as a default argument (order=[]) or a global? Start a new list and set in every call."]
        return [f"item {k} of the list, {describe(got[k])}, is not a tensor of the graph: "
                f"list the tensors themselves (node, not node.data or node.name)."]
    problems = []
    counts = {}
    for node in got:
        counts[id(node)] = counts.get(id(node), 0) + 1
    repeated = [graph[key] for key, c in counts.items() if c > 1]
    if repeated:
        problems.append(f"{len(repeated)} tensor(s) are listed more than once, e.g. {_label(repeated[0])} "
                        f"{counts[id(repeated[0])]} times; each tensor must appear once.")
    missing = [node for key, node in graph.items() if key not in counts]
    if missing:
        shown = ", ".join(_label(node) for node in missing[:4]) + (
            f", and {len(missing) - 4} more" if len(missing) > 4 else "")
        problems.append(f"{len(missing)} of the {len(graph)} tensors of the graph are missing: {shown}.")
    first = {}
    for k, node in enumerate(got):
        first.setdefault(id(node), k)
    for k, node in enumerate(got):
        if first[id(node)] != k:
            continue
        late = [p for p in node.parents if id(p) in first and first[id(p)] > k]
        if late:
            label = _label(node)
            problems.append(f"{label[0].upper()}{label[1:]} (position {k}) comes before its parent, "
                            f"{_label(late[0])} (position {first[id(late[0])]}): every tensor must come after "
                            f"all of its parents.")
            break
    return problems


def _order_causes(reference, cases, results):
    """The known mistakes that give exactly the student's list on every case."""
    if any(result["error"] is not None for result in results):
        return []

    def matches(buggy):
        for case, result in zip(cases, results):
            mine = _positions(result["value"], result["case_after"]["root"])
            copied = copy.deepcopy(case)
            try:
                theirs = _positions(buggy(**copied), copied["root"])
            except Exception:  # noqa: BLE001
                return False
            if mine is None or mine != theirs:
                return False
        return True

    return [mistake for mistake in known_for(reference) if any(matches(v) for v in mistake.versions)]


def _positions(got, root):
    """The list as positions in a fixed listing of the graph, so that lists on copies compare."""
    if not isinstance(got, (list, tuple)):
        return None
    listing = {key: k for k, key in enumerate(_graph_of(root))}
    return [listing.get(id(node), -1) for node in got]
