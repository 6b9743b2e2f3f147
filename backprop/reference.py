"""Reference answers to the graded exercises, one function per exercise.

The tests in the lessons run your function and the one here on the same fresh random
inputs and compare. Each exercise also has a `random_...` function that draws such inputs.
Reading these before you have tried is allowed, but you will learn less.
"""

from backprop.layers import sigmoid

# --- lesson 01: one neuron ------------------------------------------------------------
# z = w x + b, a = sigmoid(z), L = (a - y)**2


def neuron_forward(x, w, b):
    """The neuron's output a = sigmoid(w x + b)."""
    return sigmoid(w * x + b)


def neuron_loss(x, w, b, y):
    """The squared error L = (a - y)**2 of one neuron on one example."""
    return (neuron_forward(x, w, b) - y) ** 2


def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for one neuron, by the chain rule dL/dw = dL/da * da/dz * dz/dw."""
    a = neuron_forward(x, w, b)
    dL_da = 2.0 * (a - y)
    da_dz = a * (1.0 - a)
    dL_dz = dL_da * da_dz
    return dL_dz * x, dL_dz


def random_neuron(rng):
    """A random neuron and example: x, w, b of either sign (x sometimes exactly 0), and a
    target y that may lie outside the sigmoid's range (0, 1), like the lesson's y = 4."""
    return {
        "x": 0.0 if rng.random() < 0.15 else float(rng.normal(0.0, 1.5)),
        "w": float(rng.normal(0.0, 1.0)),
        "b": float(rng.normal(0.0, 1.0)),
        "y": float(rng.uniform(-1.0, 4.0)),
    }


def random_neuron_input(rng):
    """The inputs of neuron_forward only; one case in four has a large |z| (up to about 40),
    where the sigmoid saturates."""
    case = random_neuron(rng)
    del case["y"]
    if rng.random() < 0.25:
        case["w"] *= 12.0
    return case


# --- lesson 10: backward rules and the topological order of an autograd engine ----------
# Each rule takes the inputs of an operation and dout = dL/d(out), and returns dL/d(input)
# for each input, with that input's shape.

import numpy as _np  # noqa: E402

from backprop import autograd as _autograd  # noqa: E402


def add_backward(a, b, dout):
    """(dL/da, dL/db) for out = a + b; b has a's shape (m, n) or is a row (n,) added to every row."""
    db = dout.sum(axis=0) if b.shape != a.shape else dout.copy()
    return dout.copy(), db


def add_loss(a, b, dout):
    """sum((a + b) * dout): a loss whose gradient with respect to a + b is dout."""
    return float(_np.sum((a + b) * dout))


def mul_backward(a, b, dout):
    """(dL/da, dL/db) for out = a * b, elementwise, a and b of the same shape."""
    return dout * b, dout * a


def mul_loss(a, b, dout):
    return float(_np.sum(a * b * dout))


def tanh_backward(x, dout):
    """dL/dx for out = tanh(x):  dout * (1 - tanh(x)**2)."""
    return dout * (1.0 - _np.tanh(x) ** 2)


def tanh_loss(x, dout):
    return float(_np.sum(_np.tanh(x) * dout))


def matmul_backward(a, b, dout):
    """(dL/da, dL/db) for out = a @ b, a (m, k), b (k, n):  dout @ b.T and a.T @ dout."""
    return dout @ b.T, a.T @ dout


def matmul_loss(a, b, dout):
    return float(_np.sum((a @ b) * dout))


# Every tensor root depends on (root included), each once, every tensor after its parents:
# the engine's own function, so that a check forbidding the reference forbids calling it too.
topological_order = _autograd.topological_order


def random_add(rng):
    """a (m, n), dout (m, n), and b either (n,), a bias added to every row (2 times in 3), or (m, n)."""
    m, n = int(rng.integers(2, 6)), int(rng.integers(1, 5))
    bias = rng.random() < 2 / 3
    return {"a": rng.normal(0.0, 1.0, (m, n)), "b": rng.normal(0.0, 1.0, (n,) if bias else (m, n)),
            "dout": rng.normal(0.0, 1.0, (m, n))}


def random_mul(rng):
    """a, b and dout of one random shape (m, n)."""
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    return {"a": rng.normal(0.0, 1.5, shape), "b": rng.normal(0.0, 1.5, shape), "dout": rng.normal(0.0, 1.0, shape)}


def random_tanh(rng):
    """x (m, n) with entries in -2.5..2.5, where tanh is far from flat, and dout."""
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    return {"x": rng.uniform(-2.5, 2.5, shape), "dout": rng.normal(0.0, 1.0, shape)}


def random_matmul(rng):
    """a (m, k), b (k, n), dout (m, n), with m, k, n in 1..5 (not all equal, so shapes tell)."""
    while True:
        m, k, n = (int(v) for v in rng.integers(1, 6, size=3))
        if len({m, k, n}) > 1:
            break
    return {"a": rng.normal(0.0, 1.0, (m, k)), "b": rng.normal(0.0, 1.0, (k, n)), "dout": rng.normal(0.0, 1.0, (m, n))}


def penalised_neuron_graph():
    """The graph of lesson 10's first example, L = (tanh(w x + b) - y)**2 + 0.1 w**2, as {"root": L}."""
    return {"root": _autograd.penalised_neuron()}


def random_expression_graph(rng):
    """{"root": L} for a random expression of a few leaves, in which tensors are shared.

    A chain of 3 to 6 operations (+, -, *, tanh, **2) starts from the first leaf, each also
    using a leaf or an earlier result; the loss adds the first leaf to the end of the chain.
    So the first leaf is reached by a long path and by a short one, and some tensors feed
    two others: a topological order must place each once, after all of its parents.
    """
    T = _autograd.Tensor
    leaves = [T(float(rng.uniform(-1.0, 1.0)), name=f"x{i + 1}") for i in range(int(rng.integers(2, 4)))]
    made = []
    h = leaves[0]
    for _ in range(int(rng.integers(3, 7))):
        op = rng.choice(["+", "-", "*", "tanh", "**2"])
        other = (leaves + made)[int(rng.integers(0, len(leaves) + len(made)))]
        if op == "tanh":
            h = h.tanh()
        elif op == "**2":
            h = h**2
        elif op == "+":
            h = h + other
        elif op == "-":
            h = other - h
        else:
            h = h * other
        made.append(h)
        h.name = f"h{len(made)}"
    root = h + leaves[0]
    root.name = "L"
    return {"root": root}
