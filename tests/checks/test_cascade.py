"""Cascades (backprop/checks/cascade.py): a later answer that fails because an earlier answer it calls is
wrong keeps its points, and the earlier exercise's test names the bug; when both are wrong, the later test
names its own mistake and says the earlier one is wrong too. The same verdicts in the student's notebook
(in-process) and when graded (the test cells in the grader, the student's code in a sandbox)."""

import contextlib
import io
import random
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograde import isolation, verify
from backprop import checks, mistakes, reference
from backprop.checks import cascade

ROOT = Path(__file__).resolve().parents[2]

L05 = "05_batches_gradient_descent"
L01 = "01_one_neuron"
BACKWARD_NO_M = """def backward(X, y, z1, a1, z2, W2):
    dz2 = 2 * (z2 - y)
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    dz1 = dz2 @ W2.T * a1 * (1 - a1)
    return X.T @ dz1, dz1.sum(axis=0), dW2, db2
"""
TRAIN_ASCENT = """def train(X, y, params, lr, steps):
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        for key, grad in zip(("W1", "b1", "W2", "b2"), backward(X, y, z1, a1, z2, params["W2"])):
            params[key] += lr * grad
    return losses
"""
FORWARD_CLIP = """def neuron_forward(x, w, b):
    return sigmoid(np.clip(w * x + b, -10, 10))
"""
GRADIENTS_CALLING_FORWARD = """def neuron_gradients(x, w, b, y):
    a = neuron_forward(x, w, b)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d
"""
NOT_WRITTEN = "def backward(X, y, z1, a1, z2, W2):\n    raise NotImplementedError()\n"
L08 = "08_deep_networks"
XAVIER_NO_2 = """def xavier_init(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / (n_in + n_out))
"""
HE_FROM_XAVIER = """def he_init(n_in, n_out, rng):
    return xavier_init(n_in, n_out, rng) * np.sqrt((n_in + n_out) / n_in)
"""

CASES = {
    "l05-backward-wrong": (L05, {"batched_backward": BACKWARD_NO_M}),
    "l05-both-wrong": (L05, {"batched_backward": BACKWARD_NO_M, "training_loop": TRAIN_ASCENT}),
    "l05-train-wrong": (L05, {"training_loop": TRAIN_ASCENT}),
    "l05-backward-not-written": (L05, {"batched_backward": NOT_WRITTEN}),
    "l01-forward-clips": (L01, {"neuron_forward": FORWARD_CLIP, "neuron_gradients": GRADIENTS_CALLING_FORWARD}),
    # (lesson 08's check_init_scale raises its failure at once, rather than returning it: run_checked takes both)
    "l08-xavier-wrong": (L08, {"xavier_init": XAVIER_NO_2, "he_init": HE_FROM_XAVIER}),
}


def instructors_notebook(lesson, answers):
    """The lesson's source notebook (hidden tests included) with these answer cells."""
    nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


class Seeded(checks.Grading):
    """The hidden tests' seeds drawn as the grader draws them (autograde.verify._Session)."""

    def __init__(self, seed, grade_id):
        self.rng = random.Random(f"{seed}/{grade_id}")

    def fresh_seed(self):
        return self.rng.randrange(2**31)


def in_the_notebook(nb, seed):
    """{grade_id: (passed, cause ids, output)}: the cells run in one namespace, as in the student's kernel
    (of cells other than answers and tests, their definitions, as the grader's sandbox runs them)."""
    namespace = {"__name__": "__main__"}
    tests = {c.metadata["nbgrader"]["grade_id"] for c in verify.test_cells(nb)}
    verdicts = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        out = io.StringIO()
        if meta.get("grade_id") in tests:
            try:
                with contextlib.redirect_stdout(out), warnings.catch_warnings(), np.errstate(all="ignore"), \
                        checks.grading(Seeded(seed, meta["grade_id"])):
                    warnings.simplefilter("ignore")
                    exec(cell.source, namespace)  # noqa: S102
                verdicts[meta["grade_id"]] = (True, [], out.getvalue())
            except Exception as exc:  # noqa: BLE001
                verdicts[meta["grade_id"]] = (False, [c.id for c in getattr(exc, "causes", [])],
                                              out.getvalue() + str(exc))
            continue
        sources = [cell.source] if meta.get("solution") else verify.definitions_only(cell.source)
        for source in sources:
            with contextlib.suppress(Exception), contextlib.redirect_stdout(out):
                exec(source, namespace)  # noqa: S102
    return verdicts


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cascade-grading")
    made = isolation.Zygote(isolation.engine(), folder / "zygote", folder / "views")
    yield made
    made.close()


def graded(nb, seed, zygote):
    return {g: (v.passed, [i for i, _ in v.causes], v.output)
            for g, v in verify.verify(nb, seed, zygote).items()}


@pytest.fixture(scope="module")
def verdicts(zygote):
    """{case: (in the notebook, graded)}, each {grade_id: (passed, cause ids, output)}."""
    found = {}
    for name, (lesson, answers) in CASES.items():
        nb = instructors_notebook(lesson, answers)
        found[name] = (in_the_notebook(nb, "s1"), graded(nb, "s1", zygote))
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_notebook_and_the_grader_give_the_same_verdicts(verdicts, case):
    notebook, grader = verdicts[case]
    assert {g: v[:2] for g, v in notebook.items()} == {g: v[:2] for g, v in grader.items()}, (notebook, grader)


def test_a_right_train_keeps_its_points_when_backward_is_wrong(verdicts):
    for route in verdicts["l05-backward-wrong"]:
        assert route["test_batched_backward"][:2] == (False, ["l05.1-m-mean-missing"])
        passed, causes, output = route["test_training_loop"]
        assert passed and not causes
        assert "ran with the course's backward in place of yours: Exercise 1's backward is wrong" in output


def test_an_unwritten_backward_does_not_cost_train_its_points(verdicts):
    for route in verdicts["l05-backward-not-written"]:
        assert not route["test_batched_backward"][0]
        assert route["test_training_loop"][0]


def test_when_both_are_wrong_train_names_its_own_mistake_and_the_cascade(verdicts):
    for route in verdicts["l05-both-wrong"]:
        passed, causes, output = route["test_training_loop"]
        assert not passed
        assert causes == ["l05.update-climbs-gradient-theta", "l05.cascade.batched_backward"]
        assert "Exercise 1's backward is wrong too, and train calls it: fix it first" in output
        assert "learning rate" not in output  # (what the wrong backward made it look like, before)


def test_a_wrong_train_with_a_right_backward_is_not_blamed_on_backward(verdicts):
    for route in verdicts["l05-train-wrong"]:
        assert route["test_batched_backward"][0]
        passed, causes, output = route["test_training_loop"]
        assert not passed and causes == ["l05.update-climbs-gradient-theta"]
        assert "backward" not in output.split("\n", 1)[0] and "Exercise 1" not in output


def test_lesson_01_gradients_that_call_a_clipping_forward_keep_their_points(verdicts):
    for route in verdicts["l01-forward-clips"]:
        assert not route["test_neuron_forward"][0]  # (the hidden tests meet |z| > 10)
        passed, causes, output = route["test_neuron_gradients"]
        assert passed, output
        assert "ran with the course's neuron_forward in place of yours" in output


def test_he_init_through_a_wrong_xavier_init_keeps_its_points(verdicts):
    for route in verdicts["l08-xavier-wrong"]:
        assert route["test_xavier_init"][:2] == (False, ["l08.factor-2-missing-standard"])
        passed, causes, output = route["test_he_init"]
        assert passed, output
        assert "ran with the course's xavier_init in place of yours" in output


def test_an_attempt_that_raises_at_once_is_run_again_with_the_stand_in():
    case = reference.random_regression_batch(np.random.default_rng(0))
    right = reference.regression_backward(**case)

    def train():  # the student's later answer: it calls their backward (this module's global)
        return backward(**case)  # noqa: F821

    def attempt():  # a check that raises its failure at once (as lesson 08's check_init_scale does)
        if any(not np.allclose(a, b) for a, b in zip(train(), right)):
            raise checks.CheckFailed("train is wrong", check="train", causes=[])
        return "ok: train"

    globals()["backward"] = lambda **kw: tuple(2 * g for g in reference.regression_backward(**kw))  # wrong
    try:
        line = cascade.run_checked(train, [reference.train_result], attempt)
        assert line.startswith("ok: train") and "ran with the course's backward in place of yours" in line
        globals()["backward"] = reference.regression_backward  # right: a failure is train's own, as it was

        def fails():
            train()
            raise checks.CheckFailed("train is wrong", check="train", causes=[])

        with pytest.raises(checks.CheckFailed, match="^train is wrong") as failure:
            cascade.run_checked(train, [reference.train_result], fails)
        assert failure.value.causes == []
    finally:
        del globals()["backward"]


def test_a_stand_in_returns_the_references_result_and_notes_whether_the_students_differs():
    dependency = mistakes.dependencies_for(reference.train_result)[0]
    assert (dependency.name, dependency.exercise) == ("backward", "batched_backward")
    case = reference.random_regression_batch(np.random.default_rng(0))
    spy = cascade.Spy(dependency)
    spy.original = reference.regression_backward
    got = cascade.stand_in(dependency, spy)(**case)
    assert not spy.wrong and all(np.array_equal(a, b) for a, b in zip(got, reference.regression_backward(**case)))
    spy.original = lambda *args, **kwargs: tuple(2 * g for g in reference.regression_backward(*args, **kwargs))
    cascade.stand_in(dependency, spy)(**case)
    assert spy.wrong


def test_depends_refuses_what_is_not_a_name_or_a_function():
    with pytest.raises(ValueError, match="name must be"):
        mistakes.depends(reference.train_result, "not a name", reference.regression_backward, "x", "X")
    with pytest.raises(TypeError, match="substitute must be"):
        mistakes.depends(reference.train_result, "backward", 3, "x", "X")


def test_the_notebooks_own_verdicts_run_the_stand_in_too():
    # verify.in_kernel (what the student's kernel says, which every route must say) puts the stand-in in
    # the notebook's namespace, as the kernel does: a right answer calling a wrong earlier one keeps its points
    lesson, answers = CASES["l01-forward-clips"]
    verdicts = verify.in_kernel(instructors_notebook(lesson, answers), 0)
    assert not verdicts["test_neuron_forward"].passed
    assert verdicts["test_neuron_gradients"].passed, verdicts["test_neuron_gradients"].failure


def test_a_test_cells_own_function_calling_the_answer_gets_the_stand_in_in_the_sandbox():
    # lesson 06's loss_from_your_forward (a test cell's function, in the grader) calls the student's
    # softmax_ce_forward: the student's softmax is bound to the stand-in in the sandbox all the same
    class Sandbox:
        ended, bound = False, []

        def bind(self, name, value):
            self.bound.append((name, value))
            return "the student's own"

    namespace = {"__name__": "__main__"}
    exec("def loss_from_your_forward(scores, Y):\n    return softmax_ce_forward(scores, Y)[0]\n", namespace)
    session = verify._Session(random.Random(0), Sandbox())
    with session.substituting(namespace["loss_from_your_forward"], "softmax", "stand-in") as original:
        assert original == "the student's own"
    assert Sandbox.bound == [("softmax", "stand-in"), ("softmax", "the student's own")]
    with session.substituting(reference.softmax, "softmax", "stand-in") as original:  # the course's own code
        assert original is None
