"""Lesson 10, autograd: its numbers, the engine, the graded checks and their mistakes, the explorer.

PyTorch is optional. The lesson is executed twice: once as the environment has it (with
PyTorch where it is installed: then its gradients must agree with ours), and once with
PyTorch hidden from the kernel, so that the path without it is always tested too.
"""

import copy
import importlib.util
import re
import shutil

import lesson_tools
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from backprop import autograd, checks, data, mistakes, plots, reference
from backprop.autograd import Tensor, penalised_neuron, topological_order, unbroadcast
from backprop.explorers import BackwardSweepExplorer
from backprop.gradcheck import numerical_gradient
from backprop.layers import HalfSumSquaredError, Linear, MeanSquaredError, Sequential, Sigmoid, sgd_step
from backprop.mistakes import l10_autograd as order_mistakes
from backprop.worked import backward_steps

LESSON = "10_autograd"
SOLUTION = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
HAS_TORCH = importlib.util.find_spec("torch") is not None


def execute(hide_torch):
    if not hide_torch:
        nb = lesson_tools.executed(LESSON)
    else:  # `import torch` raises ImportError in this kernel, whatever is installed
        nb = nbformat.read(SOLUTION, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell('import sys\nsys.modules["torch"] = None'))
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(SOLUTION.parent)}}).execute()
    stdout, problems = [], []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"{output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"stderr: {output.text}")
            elif output.output_type == "stream":
                stdout.append(output.text)
    return "".join(stdout), problems


@pytest.fixture(scope="module")
def as_installed():
    return execute(hide_torch=False)


@pytest.fixture(scope="module")
def without_torch():
    return execute(hide_torch=True)


ENGINE_LINES = [
    # the worked rule of the product, on lesson 01's neuron (seed 004: dL/dw = -12)
    "dL/dw = -12.0000, dL/dx = -3.0000",
    "L = 0.0749",
    "dL/dw = 0.3587, dL/db = 0.1325, dL/dx = 0.1060",
    "through p: 0.1987, through r: 0.1600, sum: 0.3587",
    "by nudging w: 0.3587",
    # the 2-2-1 network, every gradient of lesson 03
    "y_hat = 0.7668, L = 0.0272",
    "dL/dv1 = -0.1368, dL/dv2 = -0.1452, dL/db3 = -0.2332",
    "dL/dw11 = -0.0283, dL/dw12 = -0.0141, dL/db1 = -0.0283",
    "dL/dw21 = -0.0329, dL/dw22 = -0.0164, dL/db2 = -0.0329",
    # the 4-8-1 regression trained with plain gradient descent: the lines the hand-written loop prints
    "Step    0 | Loss: 1.1220\nStep  100 | Loss: 1.1202\nStep  200 | Loss: 1.1202\n"
    "Step  300 | Loss: 1.1202\nStep  400 | Loss: 1.1202",
    # why it stops there: the variance of the targets, and a straight line already does better
    "variance of y, the loss of predicting its mean: 1.1202",
    "the best straight-line fit of y:                1.0836",
    "after a second backward, W2.grad is twice the gradient: True",
    # the student's five pieces put into the engine: the same numbers again
    "penalised neuron: L = 0.0749, dL/dw = 0.3587, dL/db = 0.1325",
    "2-2-1 network:    L = 0.0272, dL/dv1 = -0.1368, dL/db3 = -0.2332, dL/dw11 = -0.0283, dL/db1 = -0.0283",
    "4-8-1 network:    loss = 1.1220, largest difference from lesson 05's backward pass: ",
]


def check_engine_part(out):
    # the stream may arrive in pieces; the text joined is what the student sees
    for line in ENGINE_LINES:
        assert line in out, line
    assert out.count("ok: ") == 25 and "does not agree" not in out
    # our gradients against the hand-written layers: 2-2-1 (4 parameters), then 4-8-1 (4 more)
    gaps = [float(g) for g in re.findall(r"largest difference (\S+)\n", out)]
    assert len(gaps) == 8 and max(gaps) < 1e-12, gaps
    curve_gap = float(re.search(r"between the two loss curves: (\S+)", out).group(1))
    assert curve_gap < 1e-12
    yours = float(re.search(r"largest difference from lesson 05's backward pass: (\S+)", out).group(1))
    assert yours < 1e-12
    # the prose: the ReLU network trained by Adam gets under 1.0 within 500 steps, still falling
    step_400 = float(re.search(r"Step  400 \| Loss: (\S+)\nafter 500 steps", out).group(1))
    after = float(re.search(r"after 500 steps: (\S+)\n", out).group(1))
    assert after < 1.0 and after < step_400


def test_lesson_runs_without_torch_and_says_how_to_try_it(without_torch):
    out, problems = without_torch
    assert problems == []
    check_engine_part(out)
    assert "PyTorch: not installed (nothing in this lesson needs it)" in out
    assert "    %pip install torch --index-url https://download.pytorch.org/whl/cpu\n" in out
    assert "restart the kernel (Kernel > Restart Kernel)" in out
    assert "(PyTorch is not installed: with it, this cell prints the graph of PyTorch's loss.)" in out
    # the PyTorch model (ReLU, Adam lr=1e-3, mean squared error, 500 steps), run by our engine
    # from starting weights drawn like nn.Linear's
    assert "starting weights drawn like nn.Linear's, with NumPy" in out
    assert ("Step    0 | Loss: 1.2725\nStep  100 | Loss: 1.1345\nStep  200 | Loss: 1.0704\n"
            "Step  300 | Loss: 1.0271\nStep  400 | Loss: 0.9968\nafter 500 steps: 0.9674") in out


def test_lesson_runs_as_installed_and_compares_with_torch_where_there_is_one(as_installed):
    out, problems = as_installed
    assert problems == []
    check_engine_part(out)
    if not HAS_TORCH:
        assert "pip install torch" in out
        assert "gradients at the first step" not in out
        return
    assert "starting weights taken from PyTorch's nn.Linear layers" in out
    assert "pip install torch" not in out
    # what the lesson shows a student without PyTorch is what PyTorch printed
    shown = printed_by_pytorch_in_the_prose()
    assert shown[0].splitlines()[0] in out, shown[0]
    assert shown[1] in out, shown[1]
    first_step = float(re.search(r"gradients at the first step, largest difference from ours: (\S+)", out).group(1))
    over_training = float(re.search(r"losses over the 500 steps, largest difference from ours: (\S+)", out).group(1))
    assert first_step < 1e-12 and over_training < 1e-10
    ours = re.search(r"after 500 steps: (\S+)\n", out).group(1)
    assert f"after 500 steps the loss is {ours}" in out
    graph = out[out.index("MseLossBackward0"):]
    assert graph.split() == ["MseLossBackward0", "AddmmBackward0", "AccumulateGrad", "ReluBackward0",
                             "AddmmBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad",
                             "TBackward0", "AccumulateGrad"] + graph.split()[10:]


def printed_by_pytorch_in_the_prose():
    """The two text blocks in which the lesson shows what PyTorch printed: the comparison, the graph."""
    nb = nbformat.read(SOLUTION, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "that cell\nprinted:" in c.source)
    blocks = re.findall(r"```text\n(.*?)```", cell.source, flags=re.S)
    assert len(blocks) == 2 and blocks[1].startswith("MseLossBackward0"), blocks
    return blocks


def test_the_prose_shows_what_pytorch_prints():
    comparison, graph = printed_by_pytorch_in_the_prose()
    assert re.fullmatch(r"PyTorch 2\.13\.0\+cpu: after 500 steps the loss is 0\.8960\n"
                        r"gradients at the first step, largest difference from ours: \S+\n"
                        r"losses over the 500 steps, largest difference from ours: \S+\n", comparison)
    assert graph.split() == ["MseLossBackward0", "AddmmBackward0", "AccumulateGrad", "ReluBackward0",
                             "AddmmBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad",
                             "TBackward0", "AccumulateGrad"]


# --- the engine in the package, recomputed ---------------------------------------------


def test_engine_gives_lesson_03s_gradients_and_those_of_the_layers():
    ex = data.worked_221()
    W1, b1, W2, b2 = (Tensor(ex[k].copy(), name=k) for k in ("W1", "b1", "W2", "b2"))
    y_hat = (ex["x"] @ W1 + b1).sigmoid() @ W2 + b2
    L = 0.5 * ((y_hat - ex["y"]) ** 2).sum()
    L.backward()
    checks.check_number("L", L.data, 0.0272)
    for name, value, expected in [("dL/dv1", W2.grad[0, 0], -0.1368), ("dL/dv2", W2.grad[1, 0], -0.1452),
                                  ("dL/db3", b2.grad[0], -0.2332), ("dL/dw11", W1.grad[0, 0], -0.0283),
                                  ("dL/dw12", W1.grad[1, 0], -0.0141), ("dL/dw21", W1.grad[0, 1], -0.0329),
                                  ("dL/dw22", W1.grad[1, 1], -0.0164), ("dL/db1", b1.grad[0], -0.0283),
                                  ("dL/db2", b1.grad[1], -0.0329)]:
        checks.check_number(name, value, expected)
    net = Sequential(Linear(ex["W1"].copy(), ex["b1"].copy()), Sigmoid(), Linear(ex["W2"].copy(), ex["b2"].copy()))
    out, caches = net.forward(ex["x"])
    _, cache = HalfSumSquaredError().forward(out, ex["y"])
    _, grads = net.backward(HalfSumSquaredError().backward(1.0, cache)[0], caches)
    for ours, theirs in [(W1, grads[0]["W"]), (b1, grads[0]["b"]), (W2, grads[2]["W"]), (b2, grads[2]["b"])]:
        np.testing.assert_allclose(ours.grad, theirs, rtol=0, atol=1e-12)


def test_engine_trains_the_481_network_exactly_like_the_layers():
    d = data.regression_481()
    params = [Tensor(d[k].copy(), name=k) for k in ("W1", "b1", "W2", "b2")]
    W1, b1, W2, b2 = params
    net = Sequential(Linear(d["W1"].copy(), d["b1"].copy()), Sigmoid(), Linear(d["W2"].copy(), d["b2"].copy()))
    printed = []
    for step in range(500):
        for p in params:
            p.zero_grad()
        loss = ((((d["X"] @ W1 + b1).sigmoid() @ W2 + b2) - d["y"]) ** 2).mean()
        loss.backward()
        out, caches = net.forward(d["X"])
        value, cache = MeanSquaredError().forward(out, d["y"])
        _, grads = net.backward(MeanSquaredError().backward(1.0, cache)[0], caches)
        if step in (0, 250):
            for p, g in zip(params, [grads[0]["W"], grads[0]["b"], grads[2]["W"], grads[2]["b"]]):
                np.testing.assert_allclose(p.grad, g, rtol=0, atol=1e-12)
        assert abs(float(loss.data) - value) < 1e-12
        for p in params:
            p.data -= 0.01 * p.grad
        sgd_step(net.params, grads, 0.01)
        if step % 100 == 0:
            printed.append(f"Step {step:4d} | Loss: {loss.data:.4f}")
    assert printed == ["Step    0 | Loss: 1.1220", "Step  100 | Loss: 1.1202", "Step  200 | Loss: 1.1202",
                       "Step  300 | Loss: 1.1202", "Step  400 | Loss: 1.1202"]


def test_every_operation_of_the_engine_against_finite_differences():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    c, D, k = rng.normal(size=(2,)), rng.normal(size=(3, 2)), rng.normal(size=(1, 2))

    def loss_of(A, B, c, D, k):
        h = Tensor(A) @ Tensor(B) + Tensor(c)             # matmul, add with broadcasting
        u = h.tanh() * Tensor(D) - Tensor(k) * h.sigmoid()  # tanh, mul, sub, broadcasting (1, 2)
        v = (u**2).mean() + h.relu().sum() - 3.0 * (-u).sum() + 1.0 - u.mean() * 2.0
        return v

    arrays = [A, B, c, D, k]
    tensors = [Tensor(a.copy()) for a in arrays]
    h = tensors[0] @ tensors[1] + tensors[2]
    u = h.tanh() * tensors[3] - tensors[4] * h.sigmoid()
    L = (u**2).mean() + h.relu().sum() - 3.0 * (-u).sum() + 1.0 - u.mean() * 2.0
    L.backward()
    for i, (array, tensor) in enumerate(zip(arrays, tensors)):
        def f(_, i=i):
            return float(loss_of(*arrays).data)

        numeric = numerical_gradient(f, array)
        np.testing.assert_allclose(tensor.grad, numeric, rtol=1e-6, atol=1e-8)


def test_a_tensor_used_twice_gets_both_shares_and_leaves_accumulate():
    L = penalised_neuron()
    order = topological_order(L)
    named = {t.name: t for t in order}
    assert [t.name for t in order] == ["w", "x", "p", "b", "z", "a", "y", "e", "s", "λ", "r", "q", "L"]
    L.backward()
    checks.check_number("dL/dw", named["w"].grad, 0.3587)
    checks.check_number("dL/db", named["b"].grad, 0.1325)
    checks.check_number("dL/dx", named["x"].grad, 0.1060)
    first = {name: t.grad.copy() for name, t in named.items()}
    L.backward()  # leaves add up; the results in between start again from zero
    for name, t in named.items():
        factor = 1 if t.parents else 2
        np.testing.assert_allclose(t.grad, factor * first[name], rtol=1e-15, err_msg=name)
    named["w"].zero_grad()
    assert named["w"].grad == 0.0


def test_unbroadcast():
    g = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(unbroadcast(g, (2,)), [6.0, 9.0])
    np.testing.assert_array_equal(unbroadcast(g, (1, 2)), [[6.0, 9.0]])
    np.testing.assert_array_equal(unbroadcast(g, (3, 1)), [[1.0], [5.0], [9.0]])
    assert unbroadcast(g, ()) == 15.0
    np.testing.assert_array_equal(unbroadcast(g, (3, 2)), g)
    with pytest.raises(ValueError, match=r"grad has shape \(3, 2\), which cannot be summed down to shape \(4,\)"):
        unbroadcast(g, (4,))


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="data must be a number or an array of numbers, but got a str"):
        Tensor("three")
    with pytest.raises(ValueError, match="data contains 1 non-finite value"):
        Tensor([1.0, np.nan])
    with pytest.raises(ValueError, match=r"a @ b needs 2-D arrays .* a has shape \(2, 3\) and b has shape \(2, 3\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"a \+ b needs shapes that broadcast, but a has shape \(2, 3\) and b has "
                                         r"shape \(2,\)"):
        Tensor(np.ones((2, 3))) + np.ones(2)
    with pytest.raises(TypeError, match="the power k in t \\*\\* k must be a plain number, but got a Tensor"):
        Tensor(2.0) ** Tensor(2.0)
    with pytest.raises(ValueError, match=r"backward\(\) without a gradient needs a single number, the loss, but "
                                         r"this tensor has shape \(2,\)"):
        Tensor(np.ones(2)).tanh().backward()
    with pytest.raises(ValueError, match=r"dout has shape \(3,\), but the forward output had shape \(2,\)"):
        Tensor(np.ones(2)).tanh().backward(np.ones(3))
    with pytest.raises(TypeError, match="parents must be Tensors, but one is the float 1.0"):
        Tensor(1.0, parents=(1.0,))
    with pytest.raises(TypeError, match="root must be a Tensor \\(anything with .parents\\), but got a list"):
        topological_order([1, 2])
    with pytest.raises(TypeError, match="root must be a tensor of the autograd engine, but got the float 1.0"):
        plots.draw_autograd_graph(1.0)
    with pytest.raises(TypeError, match="w must be a number, but got 'big'"):
        penalised_neuron(w="big")


def test_topological_order_survives_a_deep_graph():
    t = Tensor(0.5)
    for _ in range(3000):  # deeper than Python's recursion limit
        t = t * 1.0001
    order = topological_order(t)
    assert order[-1] is t and len(order) == 6001


# --- the graded exercises: references, checks and mistakes -----------------------------

RULES = [
    (reference.add_backward, reference.add_loss, reference.random_add, ["da", "db"], ["a", "b"]),
    (reference.tanh_backward, reference.tanh_loss, reference.random_tanh, ["dx"], ["x"]),
    (reference.mean_backward, reference.mean_loss, reference.random_mean, ["da"], ["a"]),
    (reference.matmul_backward, reference.matmul_loss, reference.random_matmul, ["da", "db"], ["a", "b"]),
]
OPERATIONS = {"add_backward": lambda a, b: a + b, "tanh_backward": lambda x: x.tanh(),
              "mean_backward": lambda a: a.mean(), "matmul_backward": lambda a, b: a @ b}


@pytest.mark.parametrize("ref, loss, cases, outputs, wrt", RULES, ids=lambda v: getattr(v, "__name__", ""))
def test_reference_rules_pass_against_finite_differences_and_the_engine(ref, loss, cases, outputs, wrt):
    checks.check_numerical_gradient(ref, loss, cases, wrt=wrt, trials=20, seed=0)
    rng = np.random.default_rng(1)
    for _ in range(10):  # the engine's own rules give the same gradients
        case = cases(rng)
        inputs = {k: Tensor(case[k].copy()) for k in wrt}
        OPERATIONS[ref.__name__](**inputs).backward(case["dout"])
        expected = ref(**copy.deepcopy(case))
        expected = expected if isinstance(expected, tuple) else (expected,)
        for k, e in zip(wrt, expected):
            np.testing.assert_allclose(inputs[k].grad, e, rtol=1e-13, atol=1e-15)


def test_random_cases_are_as_documented():
    rng = np.random.default_rng(3)
    kinds, square_bias, one_row = set(), 0, 0
    for _ in range(300):
        case = reference.random_add(rng)
        m, n = case["a"].shape
        assert case["b"].shape in ((n,), (m, n)) and case["dout"].shape == (m, n)
        kinds.add(case["b"].ndim)
        square_bias += case["b"].ndim == 1 and m == n
        one_row += m == 1
        mm = reference.random_matmul(rng)
        assert mm["a"].shape[1] == mm["b"].shape[0] and mm["dout"].shape == (mm["a"].shape[0], mm["b"].shape[1])
        assert np.all(np.abs(reference.random_tanh(rng)["x"]) <= 2.5)
        mean_case = reference.random_mean(rng)
        assert mean_case["a"].ndim == 2 and mean_case["a"].size > 1 and isinstance(mean_case["dout"], float)
    assert kinds == {1, 2}
    # a square batch with a bias row, where len(b) == len(a), in about one case in four
    assert 50 < square_bias < 110 and one_row > 20


def visible_tests(test_id):
    """The visible part of a test cell of the lesson: its code up to the hidden tests."""
    nb = nbformat.read(SOLUTION, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == test_id)
    return cell.source.split("### BEGIN HIDDEN TESTS")[0]


def visible_failure(name, function):
    """Run the visible tests of `name`'s exercise on `function`; the message of the first check that
    fails (what the student sees), or None if every visible check passes."""
    try:
        exec(visible_tests(f"test_{name}"), {name: function})
    except checks.CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize("ref, loss, cases, outputs, wrt", RULES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_mistake_in_a_rule_fails_the_visible_tests_and_is_named(ref, loss, cases, outputs, wrt, capsys):
    known = mistakes.known_for(ref)
    assert len(known) >= 4
    assert visible_failure(ref.__name__, ref) is None
    for description, buggy in known:
        message = visible_failure(ref.__name__, buggy)
        assert message is not None, f"{buggy.__name__} passes the visible tests"
        assert "Likely cause: " + description in message or "Or: " + description in message, (
            f"{buggy.__name__} not named:\n{message}")


def test_every_mistake_in_the_topological_order_fails_the_visible_tests_and_is_named(capsys):
    known = mistakes.known_for(reference.topological_order)
    assert len(known) == 15
    assert visible_failure("topological_order", reference.topological_order) is None
    walks = next(m.says for m in known if m.id == "l10.order-walks-every-path")
    for mistake in known:
        for buggy in mistake.versions:
            message = visible_failure("topological_order", buggy)
            # (a walk without a record of placed tensors is exponential too, and is told that first)
            named = mistake.says in message or (mistake.id == "l10.order-without-seen" and walks in message)
            assert message is not None and named, f"{buggy.__name__} not named:\n{message}"


def test_an_order_that_keeps_state_or_walks_every_path_is_named(capsys):
    # two mistakes no version on a copied graph reproduces: each is found by what the answer does
    says = {m.id: m.says for m in mistakes.known_for(reference.topological_order)}

    def marks_tensors(root):  # t.visited = True, never cleared: a second call on one graph returns []
        order = []

        def visit(t):
            if not getattr(t, "visited", False):
                t.visited = True
                for parent in t.parents:
                    visit(parent)
                order.append(t)

        visit(root)
        return order

    def every_path(root):  # right order, duplicates dropped afterwards: 2**depth walks on a shared chain
        order = []

        def visit(t):
            for parent in t.parents:
                visit(parent)
            order.append(t)

        visit(root)
        placed = set()
        return [t for t in order if not (t in placed or placed.add(t))]

    message = visible_failure("topological_order", marks_tensors)
    assert message is not None and says["l10.order-keeps-state"] in message
    assert "called a second time on the same graph" in message
    def clears_parents(root):  # the graph destroyed as it is walked: judged against the graph it was given
        order = []

        def visit(t):
            parents, t.parents = t.parents, ()
            for parent in parents:
                visit(parent)
            if not any(t is u for u in order):
                order.append(t)

        visit(root)
        return order

    message = visible_failure("topological_order", clears_parents)
    assert message is not None and says["l10.order-keeps-state"] in message and "t.parents = ()" in message
    message = visible_failure("topological_order", every_path)
    assert message is not None and says["l10.order-walks-every-path"] in message
    # counted, not timed: the walk stops at the budget, and the check costs a fraction of a second
    walks = reference.deep_shared_graph(20)["root"].parents.walks
    assert walks["budget"] < 1000
    with pytest.raises(checks.CheckFailed, match="walked more than"):
        checks.check_topological_order(every_path, reference.topological_order, [reference.deep_shared_graph()])
    checks.check_topological_order(reference.topological_order, reference.topological_order,
                                   [reference.deep_shared_graph(40)])


def test_an_order_returned_as_a_generator_is_told_to_return_a_list(capsys):
    def as_generator(root):
        seen = set()

        def visit(t):
            if t not in seen:
                seen.add(t)
                for parent in t.parents:
                    yield from visit(parent)
                yield t

        return visit(root)

    message = visible_failure("topological_order", as_generator)
    assert message is not None and "returned a generator" in message and "reversed(order)" in message


def test_the_wrong_answers_a_newcomer_found_now_fail(monkeypatch, capsys):
    # (their code is written out here; calling the course's order is forbidden in a student's answer)
    def add_by_length(a, b, dout):
        return dout.copy(), (dout.sum(axis=0) if len(b) != len(a) else dout.copy())

    def add_by_first_axis(a, b, dout):
        return dout.copy(), (dout.sum(axis=0) if b.shape[0] != a.shape[0] else dout.copy())

    for wrong in (add_by_length, add_by_first_axis):
        message = visible_failure("add_backward", wrong)
        assert message is not None and "Likely cause: whether b is a bias row was decided from len(b)" in message

    def order_kahn(root):  # users counted once per distinct parent, but released once per entry of .parents
        graph, stack = {id(root): root}, [root]
        while stack:
            for p in stack.pop().parents:
                if id(p) not in graph:
                    graph[id(p)] = p
                    stack.append(p)
        users = {k: 0 for k in graph}
        for n in graph.values():
            for pid in set(id(p) for p in n.parents):
                users[pid] += 1
        out, ready = [], [root]
        while ready:
            n = ready.pop()
            out.insert(0, n)
            for p in n.parents:
                users[id(p)] -= 1
                if users[id(p)] == 0:
                    ready.append(p)
        return out

    def order_kept_between_calls(root, order=[], placed=set()):  # noqa: B006  (the mistake itself)
        def place(t):
            if t not in placed:
                placed.add(t)
                for parent in t.parents:
                    place(parent)
                order.append(t)

        place(root)
        return order

    order_by_name = order_mistakes._order_by_name  # (in the corpus too)
    reversed_preorder = order_mistakes._order_reversed_preorder

    for wrong, says in [(order_by_name, "tensors were told apart by their names"),
                        (order_kahn, "comes before its parent"),
                        (order_kept_between_calls, "called a second time on the same graph"),
                        (reversed_preorder, "the list is a pre-order turned around")]:
        message = visible_failure("topological_order", wrong)
        assert message is not None and says in message, f"{wrong.__name__}:\n{message}"
    assert "a set or list as a default argument, a global" in visible_failure("topological_order",
                                                                             order_kept_between_calls)
    # the hidden tests' fresh graphs catch them as well (25 graphs: nearly always)
    for wrong in (order_by_name, order_kahn, reversed_preorder):
        caught = 0
        for seed in range(20):
            try:
                checks.check_topological_order(wrong, reference.topological_order,
                                               reference.random_expression_graph, trials=25, seed=seed)
            except checks.CheckFailed:
                caught += 1
        assert caught == 20, wrong.__name__


def test_a_right_add_backward_that_changes_dout_is_not_blamed_on_a_sum(capsys):
    def add_backward(a, b, dout):
        da = dout.copy()
        db = dout.sum(axis=0) if b.shape != a.shape else dout.copy()
        dout *= 0.0     # "used up": but it is the caller's gradient
        return da, db

    message = visible_failure("add_backward", add_backward)
    assert "the argument dout was changed in place" in message
    assert "Likely cause: add_backward changes dout in place" in message  # (the only cause: nothing of a sum)
    assert "Or:" not in message and "summed" not in message


def test_a_forgotten_transpose_in_matmul_is_explained(capsys):
    def matmul_backward(a, b, dout):
        return dout @ b, a.T @ dout

    # on the lesson's case b is square, so it runs: the mistake is named
    message = visible_failure("matmul_backward", matmul_backward)
    assert "Likely cause: da = dout @ b is missing the transpose of b" in message
    # where the shapes do not fit, NumPy's error is explained
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(matmul_backward, reference.matmul_backward, reference.random_matmul, seed=7)
    assert "the two sides of @ do not fit" in str(failure.value)
    assert "a missing or extra .T?" in str(failure.value)


def test_any_valid_order_passes_and_wrong_answers_are_explained(capsys):
    def kahn(root):  # another correct algorithm: leaves first, by counting parents still to place
        graph, stack = {id(root): root}, [root]
        while stack:
            for p in stack.pop().parents:
                if id(p) not in graph:
                    graph[id(p)] = p
                    stack.append(p)
        waiting = {k: len({id(p) for p in n.parents}) for k, n in graph.items()}
        users = {k: [] for k in graph}
        for k, n in graph.items():
            for pid in {id(p) for p in n.parents}:
                users[pid].append(k)
        ready = sorted((k for k, w in waiting.items() if w == 0), key=lambda k: graph[k].name, reverse=True)
        order = []
        while ready:
            k = ready.pop()
            order.append(graph[k])
            for u in users[k]:
                waiting[u] -= 1
                if waiting[u] == 0:
                    ready.append(u)
        return tuple(order)

    assert [t.name for t in kahn(penalised_neuron())] != [t.name for t in topological_order(penalised_neuron())]
    checks.check_topological_order(kahn, reference.topological_order, reference.random_expression_graph, trials=40,
                                   seed=0)
    assert "ok: kahn gives a topological order on 40 graphs." in capsys.readouterr().out
    assert visible_failure("topological_order", kahn) is None

    def names(root):
        return [t.name for t in kahn(root)]

    def raises(root):
        raise NotImplementedError()

    for wrong, says in [(names, "item 0 of the list, a str, is not a tensor of the graph"),
                        (lambda root: root, "should return a list of tensors, but returned a Tensor"),
                        (raises, "not written yet: it still raises NotImplementedError")]:
        with pytest.raises(checks.CheckFailed, match=re.escape(says)):
            checks.check_topological_order(wrong, reference.topological_order, [reference.penalised_neuron_graph()])


def test_random_graphs_share_tensors_and_vary_their_names():
    rng = np.random.default_rng(0)
    namings, used_twice_by_one = set(), 0
    for _ in range(60):
        root = reference.random_expression_graph(rng)["root"]
        order = topological_order(root)
        leaf = root.parents[1]  # the first leaf, added to the end of the chain
        assert not leaf.parents
        users = [t for t in order if any(p is leaf for p in t.parents)]
        assert root in users and len(users) >= 2
        assert 5 <= len(order) <= 13
        names = [t.name for t in order]
        namings.add("unique" if len(set(names)) == len(names) else "none" if "" in names else "shared")
        used_twice_by_one += any(len(t.parents) == 2 and t.parents[0] is t.parents[1] for t in order)
    assert namings == {"unique", "none", "shared"} and used_twice_by_one > 15


def test_the_graphs_of_the_visible_tests():
    L = reference.network_221_graph()["root"]
    order = topological_order(L)
    assert sorted(t.name for t in order if t.name) == ["W1", "W2", "b1", "b2", "x", "y"]
    assert sum(1 for t in order if not t.name) == 10
    L.backward()
    checks.check_number("L", L.data, 0.0272)
    W1 = next(t for t in order if t.name == "W1")
    checks.check_number("dL/dw11", W1.grad[0, 0], -0.0283)
    L = reference.tanh_plus_square_graph()["root"]
    square = next(t for t in L.parents if t.op == "*")
    x = square.parents[0]
    assert square.parents == (x, x) and L.parents[0].parents == (x,)
    L.backward()
    checks.check_number("dL/dx", x.grad, 1 - np.tanh(0.5) ** 2 + 2 * 0.5)


# --- the figure and the explorer --------------------------------------------------------


def test_graph_drawing_shows_values_gradients_and_names(artifacts):
    L = penalised_neuron()
    L.backward()
    drawing = plots.draw_autograd_graph(L)
    shown = [t.get_text() for t in drawing.ax.texts]
    for expected in ["tanh", "( )\u00b2", "\u00d7", "\u2212", "\u03bb", "w", "z", "L", "0.3587", "0.1325", "0.0749",
                     "1.0000"]:
        assert expected in shown, expected
    positions = list(drawing.xy.values())
    assert len(set(positions)) == len(positions) == 13
    columns = {drawing.nodes[i].name: c for i, (c, _) in drawing.layout.items()}
    assert columns["L"] == max(columns.values()) and columns["x"] == columns["w"] == 0
    assert drawing.grads[0].get_color() == plots.GRADIENT_COLOUR
    drawing.fig.savefig(artifacts / "autograd_graph.png", dpi=100, bbox_inches="tight")
    assert no_arrow_crosses_the_numbers_of_its_tensors(drawing)
    plt.close(drawing.fig)


def no_arrow_crosses_the_numbers_of_its_tensors(drawing):
    """True if no arrow into or out of a tensor passes through the box of that tensor's numbers
    (the arrow from λ to q did, before q's numbers moved aside)."""
    to_pixels = drawing.ax.transData.transform
    for (j, i), arrow in drawing.edges.items():
        pieces = [(to_pixels(arrow.xyann), to_pixels(arrow.xy))]
        if (j, i) in drawing.bends:
            points = to_pixels(np.column_stack(drawing.bends[(j, i)].get_data()))
            pieces += list(zip(points[:-1], points[1:]))
        for (x0, y0), (x1, y1) in pieces:
            for k in (i, j):
                for text in (drawing.values[k], drawing.grads[k]):
                    box = text.get_window_extent()
                    for t in np.linspace(0.0, 1.0, 400):
                        px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                        if box.x0 + 1 < px < box.x1 - 1 and box.y0 + 1 < py < box.y1 - 1:
                            return False
    return True


def drawn_segments(drawing):
    """Every straight piece of every arrow as drawn, in pixels: the arrow itself, and the corridor an
    arrow climbing several columns runs in."""
    to_pixels = drawing.ax.transData.transform
    segments = []
    for key, arrow in drawing.edges.items():
        segments.append((to_pixels(arrow.xyann), to_pixels(arrow.xy)))
        if key in getattr(drawing, "bends", {}):
            points = to_pixels(np.column_stack(drawing.bends[key].get_data()))
            segments += list(zip(points[:-1], points[1:]))
    return segments


def arrows_through_numbers(drawing):
    """The tensors whose numbers (value or gradient) some arrow passes through."""
    crossed = set()
    boxes = [(k, text.get_window_extent()) for k in range(len(drawing.nodes))
             for text in (drawing.values[k], drawing.grads[k])]
    for (x0, y0), (x1, y1) in drawn_segments(drawing):
        for t in np.linspace(0.0, 1.0, 400):
            px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            crossed |= {drawing.nodes[k].name for k, box in boxes
                        if box.x0 + 1 < px < box.x1 - 1 and box.y0 + 1 < py < box.y1 - 1}
    return crossed


def test_no_arrow_runs_through_any_tensors_numbers(artifacts):
    """The arrow from q to L ran straight through the numbers of e and s; now it runs under them."""
    L = penalised_neuron()
    L.backward()
    drawing = plots.draw_autograd_graph(L)
    drawing.fig.canvas.draw()
    assert arrows_through_numbers(drawing) == set()
    plt.close(drawing.fig)
    e = BackwardSweepExplorer()
    for steps in range(e.steps.max + 1):
        e.steps.value = steps
        assert arrows_through_numbers(e.drawing) == set(), steps
    (artifacts / "sweep_explorer_corridor.png").write_bytes(e.image.value)


def test_backward_steps_follow_the_reverse_topological_order():
    order = topological_order(penalised_neuron())
    names = [t.name for t in order]
    grads, fired, shares = backward_steps(order, 3)
    assert [names[i] for i in fired] == ["L", "q", "r", "s", "e", "a", "z", "p"]
    got = {names[i]: g for i, g in enumerate(grads) if g is not None}
    assert set(got) == {"L", "s", "q", "λ", "r", "w"}
    assert float(got["w"]) == pytest.approx(0.16)
    grads, _, shares = backward_steps(order, 8)
    w = names.index("w")
    assert [names[i] for i, _ in shares[w]] == ["r", "p"]
    assert float(grads[w]) == pytest.approx(0.16 + 0.19873908, abs=1e-8)


def test_sweep_explorer(artifacts):
    e = BackwardSweepExplorer()
    full = e.image.value
    assert full[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Step 8 of 8" in e.readout.value and "0.1600 + 0.1987 = 0.3587" in e.readout.value
    (artifacts / "sweep_explorer_full.png").write_bytes(full)

    e.steps.value = 3
    assert e.image.value != full
    assert "Step 3 of 8" in e.readout.value and "r = w^2" in e.readout.value
    assert "0.1000 \\times 1.6000 = 0.1600" in e.readout.value
    names = [t.name for t in e.drawing.nodes]
    texts = {name: e.drawing.grads[i].get_text() for i, name in enumerate(names)}
    assert texts["w"] == "0.1600" and texts["p"] == "" and texts["L"] == "1.0000"
    r = names.index("r")
    assert e.drawing.circles[r].get_facecolor() != e.drawing.circles[names.index("p")].get_facecolor()
    (artifacts / "sweep_explorer_step3.png").write_bytes(e.image.value)

    e.steps.value = 0
    assert "Forward pass done" in e.readout.value
    assert [e.drawing.grads[i].get_text() for i in range(len(names))].count("") == len(names) - 1

    # moving w changes every value and gradient downstream, and a gradient step lowers L
    e.set_values(steps=8, w=0.3)
    assert e.drawing.values[names.index("w")].get_text() == "0.3000"
    before = float(e.graph()[-1].data)
    dw, db = e.gradients()
    e.step_button.click()
    assert e.lr_value == 0.2
    assert e.w.value == pytest.approx(0.3 - 0.2 * dw) and e.b.value == pytest.approx(-0.5 - 0.2 * db)
    assert float(e.graph()[-1].data) < before
    # from the start, L falls at every press ("a few times" in the lesson): no zigzag
    e.reset_button.click()
    losses = [float(e.graph()[-1].data)]
    for _ in range(10):
        e.step_button.click()
        losses.append(float(e.graph()[-1].data))
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert "by $-0.2$ times these" in e.readout.value
    assert no_arrow_crosses_the_numbers_of_its_tensors(e.drawing)
    e.reset_button.click()
    assert (e.x.value, e.w.value, e.b.value, e.steps.value) == (1.5, 0.8, -0.5, 8)

    # (how fast it redraws is measured by the benchmarks, not asserted here)


def test_the_numeric_question_needs_the_chain_rule_and_says_its_precision():
    from backprop.quiz import Numeric

    namespace = lesson_tools.quiz_from(LESSON)
    numeric = next(q for q in namespace["quiz"].questions if isinstance(q, Numeric))
    assert "0.1987" not in numeric.prompt.value and "Give 4 decimals; 3 are accepted" in numeric.prompt.value
    # the answer is the engine's, with lambda = 0.2
    L = penalised_neuron(lam=0.2)
    order = topological_order(L)
    L.backward()
    checks.check_number("dL/dw at lambda = 0.2", next(t for t in order if t.name == "w").grad, numeric.answer)

    def judge(text):
        numeric.answer_widget.value = text
        return numeric.judge()

    for right in ("0.5187", "0.519", "0.51874"):
        assert judge(right)[0], right
    assert judge("0.518") == (False, numeric.hint) and "4 decimals" in numeric.hint
    for wrong, says in [("0.3587", "at $\\lambda = 0.1$"), ("0.32", "penalty's share alone"),
                        ("0.7174", "doubles only the penalty's share"), ("0.1987", "alone")]:
        ok, feedback = judge(wrong)
        assert not ok and says in feedback, (wrong, feedback)


# --- grading: a wrong answer loses its exercise, and the feedback names the mistake -------


def test_wrong_rules_lose_their_points_and_are_named(course_cfg):
    import test_grading

    nb = lesson_tools.edited_solution(LESSON, {
        "add_backward": [("db = dout.sum(axis=0) if b.shape != a.shape else dout.copy()",
                          "db = dout.sum(axis=0)")],
        "topological_order": [("            for parent in t.parents:\n                place(parent)\n"
                               "            order.append(t)",
                               "            order.append(t)\n            for parent in t.parents:\n"
                               "                place(parent)")],
    })
    test_grading.submit(course_cfg, "eve", LESSON, nb)
    scores = test_grading.autograde(course_cfg, LESSON, ["eve"])["eve"]
    assert scores["test_add_backward"] == (0.0, 2.0) and scores["test_topological_order"] == (0.0, 3.0)
    for other in ("test_tanh_backward", "test_mean_backward", "test_matmul_backward"):
        assert scores[other][0] == scores[other][1] > 0
    feedback = lesson_tools.graded_errors(course_cfg, "eve", LESSON)
    assert "db was summed over the rows even when b has a's shape" in feedback["test_add_backward"]
    assert "appended BEFORE its parents are visited" in feedback["test_topological_order"]
    shutil.rmtree(course_cfg.CourseDirectory.root, ignore_errors=True)


def test_autograd_module_lists_what_it_offers():
    for name in ("Tensor", "topological_order", "unbroadcast", "as_tensor"):
        assert hasattr(autograd, name)
