"""Measure the corpus: how the feedback names each wrong answer, and whether every right answer passes.

Every WRONG entry of a corpus file (tests/corpus/lNN_*.py, see harness.py) is run through the lesson's
visible test cells, in-process, as a student's notebook runs them, and the likely causes each failing test
cell offers (CheckFailed.causes, by id) are compared with the entry's "names": the catalogue ids any of
which names its bug rightly. The entry is then

    passed      every visible test cell passes;
    named       a test cell of the entry's own exercise fails naming a cause in "names", and every failing
                cell offers at least one cause in "names" or a cascade cause pointing at the entry's
                exercise (lNN.cascade.<exercise>: "fix Exercise 1 first"), and none outside them;
    misleading  some failing cell offers a cause outside that set (an irrelevant extra cause counts);
    numbers     it fails, and no cause is named (an entry without "names" yet counts here unless it passed).

The instructor's test cells (hidden tests included) must fail every test cell a WRONG entry fails visibly
(`hidden_misses` lists any that pass), and every RIGHT entry must pass every visible and hidden test cell.
Random cases a test cell draws without a seed are drawn from a seed made of the entry's id, so two runs
measure the same.

    python tests/corpus/measure.py                       every corpus file
    python tests/corpus/measure.py tests/corpus/l05_batches_gradient_descent.py [ids...]
    python tests/corpus/measure.py --json out.json       also write every entry's result
    python tests/corpus/measure.py --jobs 2              worker processes (default: the CPUs)

measure(paths, ids=None, jobs=None) -> the results (a list of dicts, one per entry) for the test.
"""

import argparse
import contextlib
import functools
import hashlib
import io
import json
import multiprocessing
import os
import random
import re
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402

CLASSES = ("named", "numbers", "misleading", "passed")
SLOW = {"l05": 7, "l06": 4, "l10": 4, "l09": 4, "l07": 3, "l08": 3, "l04": 2, "l03": 1.5, "l02": 1.3}
CASCADE = re.compile(r"^l\d\d\.cascade\.(?P<exercise>\w+)$")


def corpus_files():
    return sorted(p for p in HERE.glob("l[0-9][0-9]_*.py"))


@functools.cache
def _corpus(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LESSON, list(module.WRONG), list(getattr(module, "RIGHT", []))


@functools.cache
def _program(lesson, hidden):
    """The lesson's cells, compiled once: [(kind, grade_id, code)]."""
    return [(kind, grade_id, source, compile(source, f"<{kind} {grade_id}>", "exec"))
            for kind, grade_id, source in harness.lesson_cells(lesson, hidden)]


@functools.cache
def _visible_is_prefix(lesson):
    """{test grade_id: whether the student's cell is the instructor's up to its hidden tests}."""
    hidden = {g: source for kind, g, source, _ in _program(lesson, True) if kind == "test"}
    return {g: hidden[g].startswith(source.rstrip()) and "### BEGIN HIDDEN TESTS" in hidden[g][len(source.rstrip()):]
            for kind, g, source, _ in _program(lesson, False) if kind == "test"}


def own_tests(lesson):
    """{answer grade_id: [the test cells after it, up to the next answer cell]}."""
    owned, current = {}, None
    for kind, grade_id, _, _ in _program(lesson, False):
        if kind == "answer":
            current = grade_id
            owned[current] = []
        elif kind == "test" and current is not None:
            owned[current].append(grade_id)
    return owned


class _Seeded:
    """A Grading session whose fresh seeds come from the entry's id: the same cases on every run."""

    def __init__(self, key):
        from backprop import checks

        class Session(checks.Grading):
            def __init__(self):
                self.rng = random.Random(hashlib.sha256(key.encode()).hexdigest())

            def fresh_seed(self):
                return self.rng.randrange(2**31)

        self.session = Session()


def run_cells(lesson, cells, key, hidden=False, only=None):
    """Run the lesson with `cells` ({answer grade_id: source}) in place of the solution's answers.
    {test grade_id: {"passed", "causes": [ids], "says": {id: text}, "headline", "kind"}}, and
    "<answer cell X>" entries for answer cells that raised. `only`: the test cells to run (others skipped)."""
    from backprop import checks

    namespace = {"__name__": "__main__"}
    results = {}
    session = _Seeded(f"{key}/{'hidden' if hidden else 'visible'}").session
    for kind, grade_id, _, code in _program(lesson, hidden):
        if kind == "test" and only is not None and grade_id not in only:
            continue
        if kind == "answer" and grade_id in cells:
            code = compile(cells[grade_id], f"<answer {grade_id}>", "exec")
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()), \
                    warnings.catch_warnings(), checks.grading(session):
                warnings.simplefilter("ignore")
                exec(code, namespace)  # noqa: S102
            if kind == "test":
                results[grade_id] = {"passed": True, "causes": [], "says": {}, "headline": "",
                                     "printed": out.getvalue().strip()}
        except Exception as exc:  # noqa: BLE001
            if kind == "test":
                causes = [c for c in getattr(exc, "causes", []) if hasattr(c, "id")]
                text = str(exc)
                results[grade_id] = {"passed": False, "kind": type(exc).__name__,
                                     "causes": [c.id for c in causes], "says": {c.id: c.says for c in causes},
                                     "headline": text.split("\n", 1)[0][:300], "message": text,
                                     "printed": out.getvalue().strip()}
            elif kind == "answer":
                results[f"<answer cell {grade_id}>"] = {"passed": False, "kind": type(exc).__name__,
                                                        "causes": [], "says": {},
                                                        "headline": f"{type(exc).__name__}: {exc}"[:300]}
    return results


def classify(entry, visible, owned):
    """named / numbers / misleading / passed, by the convention in the module's docstring."""
    tests = {g: r for g, r in visible.items() if not g.startswith("<")}
    failing = {g: r for g, r in tests.items() if not r["passed"]}
    if not failing:
        return "passed"
    names = set(entry.get("names") or ())
    if not names:
        return "numbers"
    exercise = entry["exercise"]

    def allowed(cause):
        found = CASCADE.match(cause)
        return cause in names or (found is not None and found.group("exercise") == exercise)

    if any(not allowed(c) for r in failing.values() for c in r["causes"]):
        return "misleading"
    own_named = any(set(failing[g]["causes"]) & names for g in owned.get(exercise, []) if g in failing)
    if own_named and all(any(allowed(c) for c in r["causes"]) for r in failing.values()):
        return "named"
    return "numbers"


def _measure_one(task):
    path, kind, index = task
    lesson, wrong, right = _corpus(path)
    entry = (wrong if kind == "WRONG" else right)[index]
    started = time.perf_counter()
    visible = run_cells(lesson, entry["cells"], entry["id"])
    failing = [g for g, r in visible.items() if not r["passed"] and not g.startswith("<")]
    if kind == "WRONG":
        # the instructor's cells of the visibly failing tests must fail too (they do when the student's cell
        # is the start of the instructor's: the same checks, on the same cases, come first); an entry that
        # passes every visible test: do the hidden tests catch it?
        prefixed = _visible_is_prefix(lesson)
        only = {g for g in failing if not prefixed[g]} if failing else None
        hidden = run_cells(lesson, entry["cells"], entry["id"], hidden=True, only=only) if only != set() else {}
        hidden.update({g: {**visible[g], "same_as_visible": True} for g in failing if prefixed[g]})
    else:
        hidden = run_cells(lesson, entry["cells"], entry["id"], hidden=True)
    result = {"lesson": lesson, "kind": kind, "id": entry["id"], "exercise": entry["exercise"],
              "bug": entry.get("bug", ""), "names": list(entry.get("names") or ()), "visible": visible,
              "hidden": hidden, "seconds": round(time.perf_counter() - started, 3)}
    if kind == "WRONG":
        result["class"] = classify(entry, visible, own_tests(lesson))
        result["hidden_misses"] = sorted(g for g in failing if hidden.get(g, {}).get("passed"))
        result["hidden_catches"] = any(not r["passed"] for g, r in hidden.items() if not g.startswith("<"))
    else:
        result["visible_failures"] = sorted(g for g, r in visible.items() if not r["passed"])
        result["hidden_failures"] = sorted(g for g, r in hidden.items() if not r["passed"])
        result["class"] = "right" if not result["visible_failures"] and not result["hidden_failures"] else "fails"
    return result


def tasks(paths, ids=None):
    found = []
    for path in paths:
        _, wrong, right = _corpus(str(path))
        for kind, entries in (("WRONG", wrong), ("RIGHT", right)):
            for k, entry in enumerate(entries):
                if not ids or entry["id"] in ids:
                    found.append((str(path), kind, k))
    return found


def measure(paths=None, ids=None, jobs=None):
    """The results of every entry of the corpus files `paths` (default: all), in corpus order."""
    todo = tasks([Path(p) for p in (paths or corpus_files())], ids)
    jobs = jobs or os.cpu_count() or 1
    # the slow entries first (lessons 05, 06, 10 and 09 train networks), so that the workers finish together
    order = sorted(range(len(todo)), key=lambda k: -SLOW.get(Path(todo[k][0]).name[:3], 1))
    import backprop.checks  # noqa: F401  (imported once, before the workers fork)
    import backprop.mistakes  # noqa: F401

    for path in {t[0] for t in todo}:  # the lessons' cells, read and compiled once
        for hidden in (False, True):
            _program(_corpus(path)[0], hidden)
    if jobs == 1 or len(todo) < 4:
        results = [_measure_one(t) for t in todo]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            done = pool.map(_measure_one, [todo[k] for k in order], chunksize=1)
        results = [None] * len(todo)
        for k, r in zip(order, done):
            results[k] = r
    return results


def summary(results):
    """{lesson: {class: count, "wrong": n, "right": n, "right_failing": n, "hidden_misses": n}}, and "total"."""
    table = {}
    for r in results:
        for key in (r["lesson"], "total"):
            row = table.setdefault(key, {**{c: 0 for c in CLASSES}, "wrong": 0, "right": 0, "right_failing": 0,
                                         "hidden_misses": 0, "seconds": 0.0})
            row["seconds"] += r["seconds"]
            if r["kind"] == "WRONG":
                row["wrong"] += 1
                row[r["class"]] += 1
                row["hidden_misses"] += bool(r["hidden_misses"])
            else:
                row["right"] += 1
                row["right_failing"] += r["class"] != "right"
    return table


def _describe(r):
    lines = [f"  {r['id']} ({r['exercise']}) -> {r['class'].upper()}: {r['bug'][:110]}"]
    if r["kind"] == "WRONG":
        lines.append(f"      names: {r['names'] or '(none yet)'}")
    for g, v in r["visible"].items():
        if not v["passed"]:
            lines.append(f"      {g}: causes {v['causes'] or '[]'} | {v['headline'][:160]}")
    if r["kind"] == "WRONG" and r["hidden_misses"]:
        lines.append(f"      hidden tests PASS what the visible fail: {r['hidden_misses']}")
    if r["kind"] == "WRONG" and r["class"] == "passed":
        lines.append(f"      hidden tests catch it: {r['hidden_catches']}")
    if r["kind"] == "RIGHT":
        for g in r["hidden_failures"]:
            v = r["hidden"][g]
            lines.append(f"      hidden {g}: {v['headline'][:160]}")
    return "\n".join(lines)


def report(results, out=sys.stdout):
    table = summary(results)
    header = f"{'lesson':<28}{'wrong':>6}{'named':>7}{'%':>6}{'numbers':>8}{'mislead':>8}{'passed':>7}" \
             f"{'hid.miss':>9}{'right':>6}{'R.fail':>7}{'sec':>7}"
    print(header, file=out)
    for lesson in [k for k in table if k != "total"] + ["total"]:
        row = table[lesson]
        share = 100 * row["named"] / row["wrong"] if row["wrong"] else 100.0
        print(f"{lesson:<28}{row['wrong']:>6}{row['named']:>7}{share:>6.1f}{row['numbers']:>8}{row['misleading']:>8}"
              f"{row['passed']:>7}{row['hidden_misses']:>9}{row['right']:>6}{row['right_failing']:>7}"
              f"{row['seconds']:>7.1f}", file=out)
    others = [r for r in results if (r["kind"] == "WRONG" and (r["class"] != "named" or r["hidden_misses"]))
              or (r["kind"] == "RIGHT" and r["class"] != "right")]
    if others:
        print("\nEvery entry not named (and every right answer that fails):", file=out)
        for r in others:
            print(_describe(r), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", help="corpus files (default: all of tests/corpus/lNN_*.py)")
    parser.add_argument("--ids", nargs="*", help="only these entries")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", help="write every entry's result here ('-': to stdout, without the table)")
    args = parser.parse_args(argv)
    # corpus files given with entry ids after them: `measure.py FILE id1 id2`
    paths = [p for p in args.corpus if p.endswith(".py")]
    ids = set(args.ids or []) | {p for p in args.corpus if not p.endswith(".py")}
    started = time.perf_counter()
    results = measure(paths or None, ids or None, args.jobs)
    if args.json == "-":
        json.dump(results, sys.stdout, indent=1)
        return 0
    report(results)
    print(f"\n({len(results)} entries in {time.perf_counter() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
