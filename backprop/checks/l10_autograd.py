"""Lesson 10's check: a topological order of an autograd graph.

    check_topological_order(yours, reference, cases, ...)   every tensor once, each after all of its parents,
                                                           twice on one graph, left as it was, walked once
"""

import copy
import warnings

from backprop import reference as ref
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
    root included, each exactly once, each after all of its parents, in a list. The tensors need
    .parents (and .name, for the messages).

    Each graph is given twice, the second time as the same objects: the order must come back
    right again (nothing kept from one call to the next, nothing left on the tensors), and the
    graph must be left as it was. A graph of reference.deep_shared_graph counts how often its
    tensors are walked, and stops an order that walks each path again.

    yours, reference  functions of `root`; the reference only serves to name known mistakes
    cases             dicts {"root": tensor}, or a function rng -> such a dict
    """
    name = getattr(yours, "__name__", "your function")
    cases, seed = make_cases(cases, trials, seed)
    forbidden = forbidden_for(reference, yours, forbid)
    results = [_run_twice(yours, case, forbidden) for case in cases]
    failures = []
    try:
        for i, (case, result) in enumerate(zip(cases, results)):
            _FROZEN.update(result["frozen"])
            problems = _problems(result, case, name)
            if problems:
                failures.append((i, case, problems, result))
        if failures:
            causes = _order_causes(reference, cases, results, lambda: _walks_every_path(yours, forbidden))
            raise CheckFailed(failure_report(name, cases, failures, seed, causes,
                                             against="what a topological order must be"),
                              check=name, causes=causes + unwritten(results, causes), seed=seed)
    finally:
        _FROZEN.clear()
    print(f"ok: {name} gives a topological order on {len(cases)} graph{'s' * (len(cases) != 1)}.")


# The parents of every tensor of the graphs being judged, as they were before the answer ran: the orders
# are judged against the graph it was given, also where it changed the tensors (t.parents = ()), which a
# grader sees only from the student's side (a change made in the sandbox stays there): both say the same.
_FROZEN = {}


def _run_twice(yours, case, forbidden):
    """run_answer's result of a first call (on a copy of the case), with "again": that of a second call on
    the very same tensors, when the first did not fail, and "frozen": the graph's parents before the call."""
    frozen = {}

    def first(root):
        frozen.update({key: (node, _parents(node)) for key, node in _graph_of(root).items()})
        return yours(root=root)

    first.__name__ = getattr(yours, "__name__", "topological_order")
    result = run_answer(first, case, forbidden)
    result["frozen"] = {key: parents for key, (node, parents) in frozen.items()}
    result["kept_alive"] = [node for node, _ in frozen.values()]  # (so that no id is reused meanwhile)
    result["again"] = None
    if result["error"] is None:
        root = result["case_after"]["root"]
        ref.reset_walks(root)
        result["again"] = run_answer(lambda: yours(root=root), {}, forbidden)
    return result


def _described(error):
    # (the walk stopped in a counted graph: said alike in the notebook and in the grader's sandbox)
    return str(error) if _walked_too_often(error) else describe_error(error)


def _problems(result, case, name):
    if result["error"] is not None:
        return [_described(result["error"])]
    root = result["case_after"]["root"]
    problems = _order_problems(result["value"], root, name)
    if problems:
        return problems
    again = result["again"]
    second = ([_described(again["error"])] if again["error"] is not None
              else _order_problems(again["value"], root, name))
    if not second and again["value"] is result["value"]:
        second = ["it returned the very list it returned the first time (one list, emptied and filled again): an "
                  "order the caller kept changes at the next call."]
    if second:
        return [f"called a second time on the same graph, {name} gave another answer: {second[0][0].lower()}"
                f"{second[0][1:]} It keeps something from one call to the next (a set or list as a default argument, "
                f"a global, or a mark left on the tensors such as t.visited = True or t.parents = ()), so "
                f"loss.backward() would work only once. Start a new set and a new list in every call, and leave the "
                f"tensors as they were."]
    return []


def _parents(node):
    """The parents of a tensor (as they were before the answer ran, for a graph being judged), read without
    counting it as a walk (CountedParents)."""
    if id(node) in _FROZEN:
        return _FROZEN[id(node)]
    parents = getattr(node, "parents", ())
    return tuple(getattr(parents, "untracked", parents))


def _graph_of(root):
    """Every tensor reachable from root through .parents, as {id: tensor}."""
    found, stack = {id(root): root}, [root]
    while stack:
        for parent in _parents(stack.pop()):
            if id(parent) not in found:
                found[id(parent)] = parent
                stack.append(parent)
    return found


def _label(node):
    if getattr(node, "name", ""):
        return repr(node.name)
    if _parents(node):
        return f"an unnamed {getattr(node, 'op', '') or 'result'} tensor"
    return "an unnamed leaf"


def _order_problems(got, root, name):
    if not isinstance(got, (list, tuple)):
        kind = "a generator" if hasattr(got, "__next__") else describe(got)
        return [f"{name} should return a list of tensors, but returned {kind}: backward() walks the list from the "
                f"end, reversed(order), which only a list (or a tuple) allows. Collect the tensors in a list and "
                f"return it."]
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
        late = [p for p in _parents(node) if id(p) in first and first[id(p)] > k]
        if late:
            label = _label(node)
            problems.append(f"{label[0].upper()}{label[1:]} (position {k}) comes before its parent, "
                            f"{_label(late[0])} (position {first[id(late[0])]}): every tensor must come after "
                            f"all of its parents.")
            break
    return problems


def _walked_too_often(error):
    return error is not None and str(error).startswith(ref.WALKED_TOO_OFTEN)


def _walks_every_path(yours, forbidden):
    """Does the answer walk every path of a deep graph with shared tensors (and so take exponential time)?"""
    return _walked_too_often(run_answer(yours, ref.deep_shared_graph(), forbidden)["error"])


def _order_causes(reference, cases, results, walks_every_path):
    """The likely causes: an answer that walks every path of a graph (it stops a counted walk, or would) has
    that one; one that keeps something from call to call (a second call goes wrong, or a list holds tensors of
    an earlier graph) has that one; otherwise the known mistakes that give exactly the student's lists."""
    known = {m.id.rpartition(".")[2]: m for m in known_for(reference)}
    if any(_walked_too_often(result["error"]) for result in results):
        return [known["order-walks-every-path"]]
    if any(result["error"] is not None for result in results):
        return []
    if walks_every_path():
        return [known["order-walks-every-path"]]
    first_wrong = False
    for result in results:
        root = result["case_after"]["root"]
        graph = _graph_of(root)
        got = result["value"]
        if isinstance(got, (list, tuple)) and any(id(node) not in graph and hasattr(node, "parents") for node in got):
            return [known["order-keeps-state"]]
        first_wrong = first_wrong or bool(_order_problems(got, root, ""))
    if not first_wrong:  # right the first time, wrong the second
        return [known["order-keeps-state"]]

    def matches(buggy):
        for case, result in zip(cases, results):
            copied = copy.deepcopy(case)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    theirs = _positions(buggy(**copied), copied["root"])
            except Exception:  # noqa: BLE001
                return False
            mine = _positions(result["value"], result["case_after"]["root"])
            if mine is None or mine != theirs:
                return False
        return True

    return [mistake for mistake in known.values() if mistake.versions and any(matches(v) for v in mistake.versions)]


def _positions(got, root):
    """The list as positions in a fixed listing of the graph, so that lists on copies compare."""
    if hasattr(got, "__next__"):  # a generator: what it yields
        got = list(got)
    if not isinstance(got, (list, tuple)):
        return None
    listing = {key: k for k, key in enumerate(_graph_of(root))}
    return [listing.get(id(node), -1) for node in got]
