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
    equal_values_graph()          {"root": L} for L = x * y + z, three leaves of one value: tensors equal, not the same
    random_expression_graph(rng)  {"root"
    deep_shared_graph(depth)      {"root": L} for a chain h = h * h + h, 2**depth paths, whose walks are counted
    CountedParents                a tensor's parents that count how often they are walked, and stop an endless walk
    reset_walks(root)             start counting the walks of a deep_shared_graph afresh
    WALKED_TOO_OFTEN              how the error of an endless walk begins
"""

import numpy as np

from backprop import autograd as _autograd

__all__ = ["add_backward", "add_loss", "tanh_backward", "tanh_loss", "matmul_backward", "matmul_loss",
           "mean_backward", "mean_loss", "topological_order", "random_add", "random_tanh", "random_matmul",
           "random_mean", "penalised_neuron_graph", "network_221_graph", "tanh_plus_square_graph",
           "random_expression_graph", "equal_values_graph", "deep_shared_graph", "CountedParents", "reset_walks",
           "WALKED_TOO_OFTEN"]


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


def equal_values_graph():
    """{"root": L} for L = x * y + z with x = y = z = 1: three leaves, and the product x * y, of one value. Tensors
    with equal values are still different tensors."""
    x, y, z = (_autograd.Tensor(1.0, name=name) for name in "xyz")
    L = x * y + z
    L.name = "L"
    return {"root": L}


WALKED_TOO_OFTEN = "the tensors of this graph were walked more than"


class CountedParents:
    """A tensor's parents that count how often they are walked (iterated), for a graph whose cost a check
    measures: past `budget` walks of the whole graph it raises, so that an order that walks a shared
    subgraph again at every path fails at once instead of running for ever. Indexing and len() are not
    counted (the check reads the graph that way); `untracked` is the plain tuple."""

    def __init__(self, parents, walks):
        self.untracked, self.walks = tuple(parents), walks

    def _walked(self):
        self.walks["count"] += 1
        if self.walks["count"] > self.walks["budget"]:
            from backprop.checks.compare import Explained  # (the checks import this module)

            raise Explained(
                f"{WALKED_TOO_OFTEN} {self.walks['budget']} times (a chain of {self.walks['depth']} steps, each "
                f"using the tensor before it along two paths): a tensor reached along two paths is walked again "
                f"from there, so the work doubles at every step (2**{self.walks['depth']} walks and more). Keep a "
                f"set of the tensors already placed and skip those: each tensor is walked once.")

    def __iter__(self):
        self._walked()
        return iter(self.untracked)

    def __reversed__(self):
        self._walked()
        return reversed(self.untracked)

    def __len__(self):
        return len(self.untracked)

    def __getitem__(self, k):
        return self.untracked[k]

    def __bool__(self):
        return bool(self.untracked)

    def __add__(self, other):
        return self.untracked + tuple(other)

    def __radd__(self, other):
        return tuple(other) + self.untracked

    def __repr__(self):
        return repr(self.untracked)


def reset_walks(root):
    """Start counting the walks of root's graph afresh (a graph of deep_shared_graph; others are left alone)."""
    walks = getattr(getattr(root, "parents", None), "walks", None)
    if isinstance(walks, dict):
        walks["count"] = 0


def deep_shared_graph(depth=20):
    """{"root": L} for a chain of `depth` steps h' = h * h + h from x = -0.5: each step uses the tensor before it
    along two paths (and twice in one product), so there are at least 2**depth paths from L to x. Its tensors'
    parents count the walks (CountedParents): an order that walks each tensor once walks 2 * depth + 1 of
    them; one that walks every path fails at once."""
    T = _autograd.Tensor
    h = T(-0.5, name="x")  # (h * h + h stays between -0.5 and 0)
    made = [h]
    for k in range(depth):
        square = h * h
        h = square + h
        square.name, h.name = f"s{k + 1}", f"h{k + 1}"
        made += [square, h]
    h.name = "L"
    walks = {"count": 0, "budget": 8 * 4 * depth + 16, "depth": depth}
    for t in made:
        t.parents = CountedParents(t.parents, walks)
    return {"root": h}


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
