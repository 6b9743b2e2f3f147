"""Lesson 10, from backprop by hand to autograd: reference answers and random cases.

Each rule takes the inputs of an operation and dout = dL/d(out), and returns dL/d(input)
for each input, with that input's shape.

    add_backward(a, b, dout)      (dL/da, dL/db) for out = a + b
    add_loss(a, b, dout)          sum((a + b) * dout)
    tanh_backward(x, dout)        dL/dx for out = tanh(x)
    tanh_loss(x, dout)
    matmul_backward(a, b, dout)   (dL/da, dL/db) for out = a @ b, a (m, k), b (k, n)
    matmul_loss(a, b, dout)
    mean_backward(a, dout)        dL/da for out = a.mean(), a single number
    mean_loss(a, dout)            dout * mean(a)
    topological_order
    random_add(rng)               a (m, n), dout (m, n), and b either (n,), a bias added to every row ...
    random_tanh(rng)              x (m, n) with entries in -2.5..2.5, where tanh is far from flat, and dout
    random_matmul(rng)            a (m, k), b (k, n), dout (m, n), with m, k, n in 1..5 (not all equal ...
    random_mean(rng)              a (m, n) with m 2 to 6 and n 1 to 4 (so N = m n is never 1), and dout ...
    penalised_neuron_graph()      The graph of lesson 10's first example, L = (tanh(w x + b) - y)**2 + 0.1 w**2 ...
    network_221_graph()           {"root"
    tanh_plus_square_graph()      {"root"
    random_expression_graph(rng)  {"root"
"""

import numpy as np

from backprop import autograd as _autograd

__all__ = ["add_backward", "add_loss", "tanh_backward", "tanh_loss", "matmul_backward", "matmul_loss",
           "mean_backward", "mean_loss", "topological_order", "random_add", "random_tanh", "random_matmul",
           "random_mean", "penalised_neuron_graph", "network_221_graph", "tanh_plus_square_graph",
           "random_expression_graph"]


def add_backward(a, b, dout):
    """(dL/da, dL/db) for out = a + b; b has a's shape (m, n) or is a row (n,) added to every row."""
    db = dout.sum(axis=0) if b.shape != a.shape else dout.copy()
    return dout.copy(), db


def add_loss(a, b, dout):
    """sum((a + b) * dout): a loss whose gradient with respect to a + b is dout."""
    return float(np.sum((a + b) * dout))


def tanh_backward(x, dout):
    """dL/dx for out = tanh(x):  dout * (1 - tanh(x)**2)."""
    return dout * (1.0 - np.tanh(x) ** 2)


def tanh_loss(x, dout):
    return float(np.sum(np.tanh(x) * dout))


def matmul_backward(a, b, dout):
    """(dL/da, dL/db) for out = a @ b, a (m, k), b (k, n):  dout @ b.T and a.T @ dout."""
    return dout @ b.T, a.T @ dout


def matmul_loss(a, b, dout):
    return float(np.sum((a @ b) * dout))


def mean_backward(a, dout):
    """dL/da for out = a.mean(), a single number: every one of the N = a.size entries gets dout / N."""
    return np.full(a.shape, float(dout) / a.size)


def mean_loss(a, dout):
    """dout * mean(a): a loss whose gradient with respect to mean(a) is dout."""
    return float(dout) * float(np.mean(a))


# Every tensor root depends on (root included), each once, every tensor after its parents:
# the engine's own function, so that a check forbidding the reference forbids calling it too.
topological_order = _autograd.topological_order


def random_add(rng):
    """a (m, n), dout (m, n), and b either (n,), a bias added to every row (2 times in 3), or (m, n).

    m is 1 to 5 and n 1 to 4; one case in three is square (m == n), where the length of b, or
    b.shape[0], does not tell a bias row from a matrix: only b.shape (or b.ndim) does.
    """
    if rng.random() < 1 / 3:
        m = n = int(rng.integers(1, 5))
    else:
        m, n = int(rng.integers(1, 6)), int(rng.integers(1, 5))
    bias = rng.random() < 2 / 3
    return {"a": rng.normal(0.0, 1.0, (m, n)), "b": rng.normal(0.0, 1.0, (n,) if bias else (m, n)),
            "dout": rng.normal(0.0, 1.0, (m, n))}


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


def random_mean(rng):
    """a (m, n) with m 2 to 6 and n 1 to 4 (so N = m n is never 1), and dout, a plain number."""
    shape = (int(rng.integers(2, 7)), int(rng.integers(1, 5)))
    return {"a": rng.normal(0.0, 1.0, shape), "dout": float(rng.normal(0.0, 1.0))}


def penalised_neuron_graph():
    """The graph of lesson 10's first example, L = (tanh(w x + b) - y)**2 + 0.1 w**2, as {"root": L}."""
    return {"root": _autograd.penalised_neuron()}


def network_221_graph():
    """{"root": L} for the 2-2-1 network of lesson 03, built the way lesson 10 builds it:

        L = 0.5 * (((x @ W1 + b1).sigmoid() @ W2 + b2 - y) ** 2).sum()

    The leaves are named (x, W1, b1, W2, b2, y); the results in between have no name, so a
    topological order must tell tensors apart by themselves, not by their names.
    """
    from backprop import data

    ex = data.worked_221()
    T = _autograd.Tensor
    x, y = T(ex["x"], name="x"), T(ex["y"], name="y")
    W1, b1, W2, b2 = (T(ex[k], name=k) for k in ("W1", "b1", "W2", "b2"))
    y_hat = (x @ W1 + b1).sigmoid() @ W2 + b2
    return {"root": 0.5 * ((y_hat - y) ** 2).sum()}


def tanh_plus_square_graph():
    """{"root": L} for L = tanh(x) + x * x: x is used twice by one operation (x * x) and once
    more by another (tanh). Only x and L are named."""
    x = _autograd.Tensor(0.5, name="x")
    L = x.tanh() + x * x
    L.name = "L"
    return {"root": L}


def random_expression_graph(rng):
    """{"root": L} for a random expression of a few leaves, in which tensors are shared.

    A chain of 3 to 6 steps starts from the first leaf: h + o, o - h, h * o, tanh(h), h**2,
    h * h or h + h (the same tensor twice), and h + o * o, where o is a leaf or an earlier
    result. The loss adds the first leaf to the end of the chain. So the first leaf is
    reached by a long path and by a short one, some tensors feed two others, and some are
    used twice by one operation and once more by another, nearer the leaves.
    The names vary, a third of the graphs each: every tensor named (x1, x2, h1, h2, ..., L);
    only the leaves named, as lesson 10's engine leaves its results; or every leaf named "x"
    and every result "h". A topological order must tell the tensors apart by themselves.
    """
    T = _autograd.Tensor
    naming = int(rng.integers(0, 3))
    leaves = [T(float(rng.uniform(-1.0, 1.0)), name="x" if naming == 2 else f"x{i + 1}")
              for i in range(int(rng.integers(2, 4)))]
    made = []
    h = leaves[0]
    for _ in range(int(rng.integers(3, 7))):
        op = rng.choice(["+", "-", "*", "tanh", "**2", "twice", "o*o"])
        other = (leaves + made)[int(rng.integers(0, len(leaves) + len(made)))]
        if op == "tanh":
            h = h.tanh()
        elif op == "**2":
            h = h**2
        elif op == "twice":
            h = h * h if rng.random() < 0.5 else h + h
        elif op == "o*o":
            square = other * other
            made.append(square)
            square.name = (f"h{len(made)}", "", "h")[naming]
            h = h + square
        elif op == "+":
            h = h + other
        elif op == "-":
            h = other - h
        else:
            h = h * other
        made.append(h)
        h.name = (f"h{len(made)}", "", "h")[naming]
    root = h + leaves[0]
    root.name = "" if naming == 1 else "L"
    return {"root": root}
