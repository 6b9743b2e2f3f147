"""Lesson 10, autograd: its numbers, the engine, the graded checks and their mistakes, the explorer.

PyTorch is optional. The lesson is executed twice: once as the environment has it (with
PyTorch where it is installed: then its gradients must agree with ours), and once with
PyTorch hidden from the kernel, so that the path without it is always tested too.
"""

import copy
import importlib.util
import re
import shutil

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from backprop import autograd, checks, data, mistakes, plots, reference
from backprop.autograd import Tensor, penalised_neuron, topological_order, unbroadcast
from backprop.explorers import BackwardSweepExplorer, backward_steps
from backprop.gradcheck import numerical_gradient
from backprop.layers import HalfSumSquaredError, Linear, MeanSquaredError, Sequential, Sigmoid, sgd_step

LESSON = "10_autograd"
SOLUTION = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
HAS_TORCH = importlib.util.find_spec("torch") is not None


def execute(hide_torch):
    nb = nbformat.read(SOLUTION, as_version=4)
    if hide_torch:  # `import torch` raises ImportError in this kernel, whatever is installed
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
    "after a second backward, W2.grad is twice the gradient: True",
]


def check_engine_part(out):
    # the stream may arrive in pieces; the text joined is what the student sees
    for line in ENGINE_LINES:
        assert line in out, line
    assert out.count("ok: ") == 23 and "does not agree" not in out
    # our gradients against the hand-written layers: 2-2-1 (4 parameters), then 4-8-1 (4 more)
    gaps = [float(g) for g in re.findall(r"largest difference (\S+)\n", out)]
    assert len(gaps) == 8 and max(gaps) < 1e-12, gaps
    curve_gap = float(re.search(r"between the two loss curves: (\S+)", out).group(1))
    assert curve_gap < 1e-12


def test_lesson_runs_without_torch_and_says_how_to_try_it(without_torch):
    out, problems = without_torch
    assert problems == []
    check_engine_part(out)
    assert "PyTorch: not installed (nothing in this lesson needs it)" in out
    assert "pip install torch" in out and "restart the kernel" in out
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
    first_step = float(re.search(r"gradients at the first step, largest difference from ours: (\S+)", out).group(1))
    over_training = float(re.search(r"losses over the 500 steps, largest difference from ours: (\S+)", out).group(1))
    assert first_step < 1e-12 and over_training < 1e-10
    ours = re.search(r"after 500 steps: (\S+)\n", out).group(1)
    assert f"after 500 steps the loss is {ours}" in out
    graph = out[out.index("MseLossBackward0"):]
    assert graph.split() == ["MseLossBackward0", "AddmmBackward0", "AccumulateGrad", "ReluBackward0",
                             "AddmmBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad",
                             "TBackward0", "AccumulateGrad"] + graph.split()[10:]


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
    (reference.mul_backward, reference.mul_loss, reference.random_mul, ["da", "db"], ["a", "b"]),
    (reference.tanh_backward, reference.tanh_loss, reference.random_tanh, ["dx"], ["x"]),
    (reference.matmul_backward, reference.matmul_loss, reference.random_matmul, ["da", "db"], ["a", "b"]),
]


@pytest.mark.parametrize("ref, loss, cases, outputs, wrt", RULES, ids=lambda v: getattr(v, "__name__", ""))
def test_reference_rules_pass_against_finite_differences_and_the_engine(ref, loss, cases, outputs, wrt):
    checks.check_numerical_gradient(ref, loss, cases, wrt=wrt, trials=20, seed=0)
    rng = np.random.default_rng(1)
    for _ in range(10):  # the engine's own rules give the same gradients
        case = cases(rng)
        inputs = {k: Tensor(case[k].copy()) for k in wrt}
        op = {"add_backward": lambda a, b: a + b, "mul_backward": lambda a, b: a * b,
              "tanh_backward": lambda x: x.tanh(), "matmul_backward": lambda a, b: a @ b}[ref.__name__]
        op(**inputs).backward(case["dout"])
        expected = ref(**copy.deepcopy(case))
        expected = expected if isinstance(expected, tuple) else (expected,)
        for k, e in zip(wrt, expected):
            np.testing.assert_allclose(inputs[k].grad, e, rtol=1e-13, atol=1e-15)


def test_random_cases_are_as_documented():
    rng = np.random.default_rng(3)
    kinds = set()
    for _ in range(30):
        case = reference.random_add(rng)
        m, n = case["a"].shape
        assert case["b"].shape in ((n,), (m, n)) and case["dout"].shape == (m, n)
        kinds.add(case["b"].ndim)
        mm = reference.random_matmul(rng)
        assert mm["a"].shape[1] == mm["b"].shape[0] and mm["dout"].shape == (mm["a"].shape[0], mm["b"].shape[1])
        assert np.all(np.abs(reference.random_tanh(rng)["x"]) <= 2.5)
    assert kinds == {1, 2}


# the cases the lesson's visible tests use, where the mistakes must show
VISIBLE = {
    "add_backward": dict(seed=1), "mul_backward": dict(seed=3), "tanh_backward": dict(seed=5),
    "matmul_backward": dict(seed=7),
}


@pytest.mark.parametrize("ref, loss, cases, outputs, wrt", RULES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_mistake_in_a_rule_fails_the_visible_check_and_is_named(ref, loss, cases, outputs, wrt):
    known = mistakes.known_for(ref)
    assert len(known) >= 4
    checks.check_function(ref, ref, cases, outputs=outputs, **VISIBLE[ref.__name__])
    for description, buggy in known:
        with pytest.raises(checks.CheckFailed) as failed:
            checks.check_function(buggy, ref, cases, outputs=outputs, **VISIBLE[ref.__name__])
        assert "Likely cause: " + description in str(failed.value) or ("Or: " + description) in str(failed.value), (
            f"{buggy.__name__} not named:\n{failed.value}")


def test_every_mistake_in_the_topological_order_fails_and_is_named():
    known = mistakes.known_for(reference.topological_order)
    assert len(known) == 6
    for cases in ([reference.penalised_neuron_graph()], reference.random_expression_graph):
        for description, buggy in known:
            with pytest.raises(checks.CheckFailed) as failed:
                checks.check_topological_order(buggy, reference.topological_order, cases, seed=9)
            assert description in str(failed.value), f"{buggy.__name__} not named:\n{failed.value}"


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

    def names(root):
        return [t.name for t in kahn(root)]

    def raises(root):
        raise NotImplementedError()

    for wrong, says in [(names, "item 0 of the list, a str, is not a tensor of the graph"),
                        (lambda root: root, "should return a list of tensors, but returned a Tensor"),
                        (raises, "not written yet: it still raises NotImplementedError")]:
        with pytest.raises(checks.CheckFailed, match=re.escape(says)):
            checks.check_topological_order(wrong, reference.topological_order, [reference.penalised_neuron_graph()])


def test_random_graphs_share_tensors_and_reach_the_first_leaf_twice():
    rng = np.random.default_rng(0)
    for _ in range(50):
        root = reference.random_expression_graph(rng)["root"]
        order = topological_order(root)
        leaf = next(t for t in order if t.name == "x1")
        users = [t for t in order if any(p is leaf for p in t.parents)]
        assert root in users and len(users) >= 2
        assert 5 <= len(order) <= 10


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
    plt.close(drawing.fig)


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
    assert e.w.value == pytest.approx(0.3 - 0.5 * dw) and e.b.value == pytest.approx(-0.5 - 0.5 * db)
    assert float(e.graph()[-1].data) < before
    e.reset_button.click()
    assert (e.x.value, e.w.value, e.b.value, e.steps.value) == (1.5, 0.8, -0.5, 8)

    # (how fast it redraws is measured by the benchmarks, not asserted here)


# --- grading: a wrong answer loses its exercise, and the feedback names the mistake -------


def test_wrong_rules_lose_their_points_and_are_named(course_cfg):
    import test_grading

    nb = nbformat.read(SOLUTION, as_version=4)
    edits = {
        "add_backward": ("return unbroadcast(dout, a.shape), unbroadcast(dout, b.shape)",
                         "return dout, dout.sum(axis=0)"),
        "topological_order": ("            for parent in t.parents:\n                place(parent)\n"
                              "            order.append(t)",
                              "            order.append(t)\n            for parent in t.parents:\n"
                              "                place(parent)"),
    }
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in edits:
            old, new = edits[gid]
            assert old in cell.source
            cell.source = cell.source.replace(old, new)
    test_grading.submit(course_cfg, "eve", LESSON, nb)
    scores = test_grading.autograde(course_cfg, LESSON, ["eve"])["eve"]
    assert scores["test_add_backward"] == (0.0, 2.0) and scores["test_topological_order"] == (0.0, 3.0)
    for other in ("test_mul_backward", "test_tanh_backward", "test_matmul_backward"):
        assert scores[other][0] == scores[other][1] > 0
    graded = nbformat.read(f"{course_cfg.CourseDirectory.root}/autograded/eve/{LESSON}/{LESSON}.ipynb", as_version=4)
    feedback = {}
    for cell in graded.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors:
            feedback[gid] = "\n".join(errors[0].traceback)
    assert "db was summed over the rows even when b has a's shape" in feedback["test_add_backward"]
    assert "appended BEFORE its parents are visited" in feedback["test_topological_order"]
    shutil.rmtree(course_cfg.CourseDirectory.root, ignore_errors=True)


def test_autograd_module_lists_what_it_offers():
    for name in ("Tensor", "topological_order", "unbroadcast", "as_tensor"):
        assert hasattr(autograd, name)
