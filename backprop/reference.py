"""Reference answers to the graded exercises, one function per exercise.

import numpy as np

The tests in the lessons run your function and the one here on the same fresh random
inputs and compare. Each exercise also has a `random_...` function that draws such inputs.
Reading these before you have tried is allowed, but you will learn less.
"""

from backprop.layers import sigmoid
from backprop.validation import check_array, describe

# --- lesson 00: the demonstration of a failing check --------------------------------------


def slope_of_square(x):
    """The derivative of x**2: 2 x."""
    return 2 * x


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


# Saturated neurons (|z| of 16 to 17.5) with targets far from a: there a nudge of w or b changes
# the loss by less than its rounding error allows to measure, and the best centred difference
# (any h) is off by over 1e-6 of the gradient, while every exact formula agrees to about 3e-9.
# Checked with atol=0: these gradients are small (about 1e-7), below the checks' usual floor.
SATURATED_NEURONS = [{"x": 2.0, "w": 8.5, "b": 0.0, "y": 3.0}, {"x": -1.5, "w": 10.0, "b": -1.0, "y": -1.0}]


def random_saturated_neuron(rng):
    """A random saturated neuron: z = w x + b with |z| between 16 and 17.5, and a target y 1 to 3
    away from the output a (which is almost exactly 0 or 1)."""
    z = float(rng.choice([-1.0, 1.0]) * rng.uniform(16.0, 17.5))
    x = float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0))
    b = float(rng.normal(0.0, 1.0))
    y = float(z > 0) + float(rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 3.0))
    return {"x": x, "w": (z - b) / x, "b": b, "y": y}


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


def mean_backward(a, dout):
    """dL/da for out = a.mean(), a single number: every one of the N = a.size entries gets dout / N."""
    return _np.full(a.shape, float(dout) / a.size)


def mean_loss(a, dout):
    """dout * mean(a): a loss whose gradient with respect to mean(a) is dout."""
    return float(dout) * float(_np.mean(a))


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


# --- lesson 02: chain rule, computational graphs, activations --------------------------
# The activations are checked against the reference layers layers.Sigmoid, Tanh and ReLU (any
# shape), and, for very large |z|, against sigmoid_forward_backward and tanh_forward_backward;
# the graph is L = (tanh(w x + b) + relu(v x) - y)**2, in which x feeds two branches.

import numpy as np  # noqa: E402

from backprop import layers as _layers  # noqa: E402


def random_activation(rng):
    """An input z (as x) and an incoming gradient (as dout) for an elementwise layer.

    z has one, two or three axes, each of length 1 to 4; its entries keep at least 0.05 away
    from 0, so that ReLU's kink is never within reach of a finite difference, and at most 4 away.
    """
    shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 4))))
    z = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.05, 4.0, size=shape)
    return {"x": z, "dout": rng.normal(0.0, 1.5, size=shape)}


def _forward_backward(layer, z, da):
    a, cache = layer.forward(z)
    dz, _ = layer.backward(da, cache)
    return a, dz


def relu_forward_backward(z, da):
    """ReLU's output and dL/dz for an input z and incoming gradient da, from the reference layer.

    At z = 0 exactly the derivative is taken to be 0 (as PyTorch does).
    """
    return _forward_backward(_layers.ReLU(), z, da)


def sigmoid_forward_backward(z, da):
    """The sigmoid's output and dL/dz for an input z and incoming gradient da, from the reference layer
    (which stays finite for any z: at z = 800, a = 1 and dz = 0)."""
    return _forward_backward(_layers.Sigmoid(), z, da)


def tanh_forward_backward(z, da):
    """tanh's output and dL/dz for an input z and incoming gradient da, from the reference layer."""
    return _forward_backward(_layers.Tanh(), z, da)


def random_relu_with_zeros(rng):
    """z with some entries exactly 0 (ReLU's kink), the others away from it, and da."""
    case = random_activation(rng)
    z = case["x"]
    z.flat[rng.choice(z.size, size=max(1, z.size // 2), replace=False)] = 0.0
    return {"z": z, "da": np.where(z == 0.0, rng.uniform(0.5, 2.0, size=z.shape), case["dout"])}


def random_large_z(rng):
    """z and da of one to three axes, with about half of z's entries very large, |z| from 710 to 1000
    (np.exp(|z|) overflows to inf there), of both signs, and the rest moderate."""
    case = random_activation(rng)
    z = case["x"]
    n = max(2, z.size // 2) if z.size > 1 else 1
    where = rng.choice(z.size, size=min(n, z.size), replace=False)
    z.flat[where] = rng.uniform(710.0, 1000.0, size=where.size) * np.where(np.arange(where.size) % 2, 1.0, -1.0)
    return {"z": z, "da": case["dout"]}


def _check_numbers(**named):
    """Raise a TypeError naming the first argument that is not a finite number."""
    for name, value in named.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, but got {value!r}.")


def graph_loss(x, w, b, v, y):
    """L = (tanh(w x + b) + relu(v x) - y)**2 for numbers x, w, b, v, y."""
    _check_numbers(x=x, w=w, b=b, v=v, y=y)
    t = np.tanh(w * x + b)
    r = max(v * x, 0.0)
    return (t + r - y) ** 2


def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) of graph_loss, by one backward sweep through its graph.

    At ReLU's kink, v x = 0 exactly, its derivative is taken to be 0.
    """
    _check_numbers(x=x, w=w, b=b, v=v, y=y)
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dL_dp = 2.0 * (p - y)
    dL_dt = dL_dp            # p = t + r: an add node passes the gradient on unchanged
    dL_dr = dL_dp
    dL_dz = dL_dt * (1.0 - t**2)
    dL_dq = dL_dr * (1.0 if q > 0 else 0.0)
    dL_dw = dL_dz * x
    dL_db = dL_dz
    dL_dv = dL_dq * x
    dL_dx = dL_dz * w + dL_dq * v   # x feeds both branches: their gradients add
    return float(dL_dw), float(dL_db), float(dL_dv), float(dL_dx)


def random_graph(rng):
    """x, w, b, v, y for graph_loss, with w x + b in (-2, 2) and v x at least 0.1 from 0."""
    while True:
        x = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 2.5))
        w, b, v = (float(rng.normal(0.0, 1.0)) for _ in range(3))
        if abs(w * x + b) < 2.0 and abs(v * x) > 0.1:
            return {"x": x, "w": w, "b": b, "v": v, "y": float(rng.normal(0.5, 1.0))}


def random_graph_with_kinks(rng):
    """A random graph that, two times in three, sits on ReLU's kink: v = 0 or x = 0, so v x = 0 exactly.

    Not for finite differences, which are meaningless at a kink."""
    case = random_graph(rng)
    which = int(rng.integers(0, 3))
    if which < 2:
        case["v" if which == 0 else "x"] = 0.0
    return case


# --- lesson 03: the worked 2-2-1 network ------------------------------------------------
# Two inputs, two sigmoid hidden units, one linear output, L = (1/2)(y_hat - y)**2.
# Scalars are named as in the lesson: w11, w12 (inputs x1, x2 to h1), b1; w21, w22 (to h2),
# b2; v1, v2 (h1, h2 to the output), b3. As arrays for x @ W + b: W1 = [[w11, w21], [w12, w22]],
# b1 = [b1, b2], W2 = [[v1], [v2]], b2 = [b3].

PARAMETERS_221 = ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3")


def worked_221_values(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3, lr=0.5):
    """Every number of one training step of the 2-2-1 network, by name, as the lesson computes them.

    Forward: z1, z2, a1, a2, y_hat, L. Backward: dL_dyhat, dL_dv1, dL_dv2, dL_db3, dL_da1, dL_da2,
    sigma_prime1, sigma_prime2, dL_dz1, dL_dz2, dL_dw11, dL_dw12, dL_db1, dL_dw21, dL_dw22, dL_db2.
    Update with learning rate lr: new_w11 ... new_b3. Then the new forward pass: new_y_hat, new_L.
    """
    values = {"x1": x1, "x2": x2, "y": y, "lr": lr, "w11": w11, "w12": w12, "b1": b1, "w21": w21, "w22": w22,
              "b2": b2, "v1": v1, "v2": v2, "b3": b3}
    _check_numbers(**values)
    v = {name: float(value) for name, value in values.items()}
    v["z1"] = w11 * x1 + w12 * x2 + b1
    v["z2"] = w21 * x1 + w22 * x2 + b2
    v["a1"] = float(_layers.sigmoid(v["z1"]))
    v["a2"] = float(_layers.sigmoid(v["z2"]))
    v["y_hat"] = v1 * v["a1"] + v2 * v["a2"] + b3
    v["L"] = 0.5 * (v["y_hat"] - y) ** 2
    d = v["dL_dyhat"] = v["y_hat"] - y
    v["dL_dv1"], v["dL_dv2"], v["dL_db3"] = d * v["a1"], d * v["a2"], d
    v["dL_da1"], v["dL_da2"] = d * v1, d * v2
    v["sigma_prime1"] = v["a1"] * (1.0 - v["a1"])
    v["sigma_prime2"] = v["a2"] * (1.0 - v["a2"])
    v["dL_dz1"] = v["dL_da1"] * v["sigma_prime1"]
    v["dL_dz2"] = v["dL_da2"] * v["sigma_prime2"]
    v["dL_dw11"], v["dL_dw12"], v["dL_db1"] = v["dL_dz1"] * x1, v["dL_dz1"] * x2, v["dL_dz1"]
    v["dL_dw21"], v["dL_dw22"], v["dL_db2"] = v["dL_dz2"] * x1, v["dL_dz2"] * x2, v["dL_dz2"]
    for name in PARAMETERS_221:
        v[f"new_{name}"] = v[name] - lr * v[f"dL_d{name}"]
    n = {name: v[f"new_{name}"] for name in PARAMETERS_221}
    a1 = float(_layers.sigmoid(n["w11"] * x1 + n["w12"] * x2 + n["b1"]))
    a2 = float(_layers.sigmoid(n["w21"] * x1 + n["w22"] * x2 + n["b2"]))
    v["new_y_hat"] = n["v1"] * a1 + n["v2"] * a2 + n["b3"]
    v["new_L"] = 0.5 * (v["new_y_hat"] - y) ** 2
    return v


def loss_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    """L = (1/2)(y_hat - y)**2 of the 2-2-1 network on one example, all arguments numbers."""
    _check_numbers(x1=x1, x2=x2, y=y, w11=w11, w12=w12, b1=b1, w21=w21, w22=w22, b2=b2, v1=v1, v2=v2, b3=b3)
    a1 = _layers.sigmoid(w11 * x1 + w12 * x2 + b1)
    a2 = _layers.sigmoid(w21 * x1 + w22 * x2 + b2)
    return 0.5 * (v1 * a1 + v2 * a2 + b3 - y) ** 2


def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    """The 9 gradients of loss_221, {"w11": dL/dw11, ..., "b3": dL/db3}, by the backward pass."""
    v = worked_221_values(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)
    return {name: v[f"dL_d{name}"] for name in PARAMETERS_221}


def random_221(rng):
    """A random 2-2-1 network and example: inputs and weights of either sign, hidden units not saturated."""
    while True:
        case = {"x1": float(rng.normal(0.0, 1.0)), "x2": float(rng.normal(0.0, 1.0)),
                "y": float(rng.normal(0.0, 1.0))}
        case.update({name: float(rng.normal(0.0, 0.8)) for name in PARAMETERS_221})
        z1 = case["w11"] * case["x1"] + case["w12"] * case["x2"] + case["b1"]
        z2 = case["w21"] * case["x1"] + case["w22"] * case["x2"] + case["b2"]
        if abs(z1) < 3 and abs(z2) < 3:
            return case


def _net_221(W1, b1, W2, b2):
    return _layers.Sequential(_layers.Linear(W1, b1), _layers.Sigmoid(), _layers.Linear(W2, b2))


def loss_221_matrix(X, Y, W1, b1, W2, b2):
    """L = (1/2) sum((y_hat - Y)**2) of the 2-2-1 network in the row layout: X (m, 2), Y (m, 1), the loss
    summed over the m rows (examples)."""
    return _layers.HalfSumSquaredError().forward(_net_221(W1, b1, W2, b2).predict(X), Y)[0]


def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    """{"W1": dL/dW1, "b1": ..., "W2": ..., "b2": ...} of loss_221_matrix, from the reference layers."""
    net = _net_221(W1, b1, W2, b2)
    loss_fn = _layers.HalfSumSquaredError()
    out, caches = net.forward(X)
    _, cache = loss_fn.forward(out, Y)
    _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
    return {"W1": grads[0]["W"], "b1": grads[0]["b"], "W2": grads[2]["W"], "b2": grads[2]["b"]}


def random_221_matrix(rng):
    """A random 2-2-1 network in the row layout and a batch of 1 to 5 examples: X (m, 2), Y (m, 1), W1 (2, 2),
    b1 (2,), W2 (2, 1), b2 (1,); no hidden unit saturated on any example."""
    m = int(rng.integers(1, 6))
    s = random_221(rng)
    W1 = np.array([[s["w11"], s["w21"]], [s["w12"], s["w22"]]])
    b1 = np.array([s["b1"], s["b2"]])
    while True:
        X = rng.normal(0.0, 1.0, size=(m, 2))
        if np.all(np.abs(X @ W1 + b1) < 3):
            break
    X[0] = [s["x1"], s["x2"]]
    return {"X": X, "Y": np.concatenate([[[s["y"]]], rng.normal(0.0, 1.0, size=(m - 1, 1))]), "W1": W1, "b1": b1,
            "W2": np.array([[s["v1"]], [s["v2"]]]), "b2": np.array([s["b3"]])}

# --- lesson 08: deep networks ---------------------------------------------------------
# Clipping by global norm over a list of gradient dicts (as Sequential.backward returns),
# and the Xavier (Glorot, normal form) and He initialisations, drawn with the given rng.


def clip_by_global_norm(grads, max_norm):
    """(clipped_grads, norm): if the global norm of every entry of every gradient exceeds
    max_norm, every gradient is scaled by max_norm / norm; otherwise they are unchanged.

    grads is a list of dicts of arrays; it is never changed: the result is new arrays in new
    dicts, in a new list. norm is the global norm before clipping, a float.
    """
    _check_gradient_list(grads)
    check_positive("max_norm", max_norm)
    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{key: g * scale for key, g in layer.items()} for layer in grads], norm


def _check_gradient_list(grads):
    if not isinstance(grads, list) or not all(isinstance(layer, dict) for layer in grads):
        raise TypeError(
            f"grads must be a list of dicts of arrays, one dict per layer (as Sequential.backward returns), "
            f"but got {describe(grads)}."
        )
    for i, layer in enumerate(grads):
        for key, g in layer.items():
            check_array(f"grads[{i}][{key!r}]", g)


def check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, but got {describe(value)}.")


def xavier_std(n_in, n_out):
    """sqrt(2 / (n_in + n_out))"""
    return float(np.sqrt(2.0 / (n_in + n_out)))


def he_std(n_in, n_out):
    """sqrt(2 / n_in)"""
    return float(np.sqrt(2.0 / n_in))


def xavier_init(n_in, n_out, rng):
    """Xavier (Glorot) weights for a layer n_in -> n_out, normal form:
    rng.standard_normal((n_in, n_out)) * sqrt(2 / (n_in + n_out))."""
    _check_init_args(n_in, n_out, rng)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))


def he_init(n_in, n_out, rng):
    """He weights for a layer n_in -> n_out followed by ReLU:
    rng.standard_normal((n_in, n_out)) * sqrt(2 / n_in)."""
    _check_init_args(n_in, n_out, rng)
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


xavier_init.std = xavier_std
he_init.std = he_std


def _check_init_args(n_in, n_out, rng):
    for name, value in (("n_in", n_in), ("n_out", n_out)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number (a layer size), but got {describe(value)}.")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), but got {describe(rng)}.")


def random_init_case(rng):
    """A layer size (n_in, n_out), different from each other, and a fresh seeded generator."""
    n_in = int(rng.integers(1, 40))
    n_out = int(rng.integers(1, 40))
    while n_out == n_in:
        n_out = int(rng.integers(1, 40))
    return {"n_in": n_in, "n_out": n_out, "rng": np.random.default_rng(int(rng.integers(2**32)))}


def random_gradients(rng):
    """Gradients of a small random network (Linear, [BatchNorm,] activation, Linear, ...) as a list
    of dicts, and a max_norm that is below their global norm half of the time. Half of the hidden
    layers have a BatchNorm, whose gradients are keyed "gamma" and "beta", not "W" and "b"."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    grads = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            if rng.random() < 0.5:
                scale = float(rng.uniform(0.1, 2.0))
                grads.append({"gamma": rng.standard_normal(n_in) * scale, "beta": rng.standard_normal(n_in) * scale})
            grads.append({})
        scale = float(rng.uniform(0.1, 2.0))
        grads.append({"W": rng.standard_normal((n_in, n_out)) * scale, "b": rng.standard_normal(n_out) * scale})
    norm = float(np.sqrt(sum(np.sum(g**2) for layer in grads for g in layer.values())))
    ratio = rng.uniform(0.2, 0.8) if rng.random() < 0.5 else rng.uniform(1.25, 3.0)
    return {"grads": grads, "max_norm": float(norm * ratio)}

# --- lesson 09: training in practice ----------------------------------------------------
# The L2 penalty over a list of parameter dicts (as Sequential.params), and inverted dropout
# as a pair of functions. Only the weights "W" are penalised, never the biases.


def l2_penalty(params, lam):
    """(loss, grads) of the L2 penalty (lam / 2) * sum of W**2 over every dict's "W".

    params: a list of dicts of arrays, one per layer ({} for layers without parameters).
    grads has the same structure: lam * W for each "W", zeros for every other parameter.
    params is left unchanged.
    """
    _check_param_list(params)
    check_positive_or_zero("lam", lam)
    loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
    grads = [{key: lam * value if key == "W" else np.zeros_like(value) for key, value in layer.items()}
             for layer in params]
    return loss, grads


def l2_loss(params, lam):
    """The penalty alone, (lam / 2) * sum of W**2: the loss that l2_penalty's grads differentiate."""
    return l2_penalty(params, lam)[0]


def _check_param_list(params):
    if not isinstance(params, list) or not all(isinstance(layer, dict) for layer in params):
        raise TypeError(
            f"params must be a list of dicts of arrays, one dict per layer (as Sequential.params gives), "
            f"but got {describe(params)}."
        )
    for i, layer in enumerate(params):
        for key, value in layer.items():
            check_array(f"params[{i}][{key!r}]", value)


def check_positive_or_zero(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, but got {describe(value)}.")


def random_l2_case(rng):
    """The parameters of a small random network (Linear, [BatchNorm,] activation, Linear, ...) and
    a lam. Half of the hidden layers have a BatchNorm, whose "gamma" and "beta" are not penalised."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    params = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            if rng.random() < 0.5:
                params.append({"gamma": rng.uniform(0.5, 1.5, n_in), "beta": rng.standard_normal(n_in)})
            params.append({})
        params.append({"W": rng.standard_normal((n_in, n_out)), "b": rng.standard_normal(n_out)})
    return {"params": params, "lam": float(rng.uniform(0.01, 1.0))}


def dropout_forward(x, p_drop, rng):
    """Inverted dropout in training: (out, cache).

    keep = rng.random(x.shape) >= p_drop (each entry kept with probability 1 - p_drop);
    out = x * keep / (1 - p_drop); cache = (keep, p_drop). x is left unchanged.
    """
    check_array("x", x)
    _check_p_drop(p_drop)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), but got {describe(rng)}.")
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1.0 - p_drop), (keep, p_drop)


def dropout_backward(dout, cache):
    """(dx, {}): the gradient flows only through the kept entries, with the same scale 1 / (1 - p_drop)."""
    keep, p_drop = cache
    check_array("dout", dout)
    if dout.shape != keep.shape:
        raise ValueError(f"dout has shape {dout.shape} but the forward input had shape {keep.shape}; "
                         f"the gradient has the shape of what it is the gradient of.")
    return dout * keep / (1.0 - p_drop), {}


def _check_p_drop(p_drop):
    if isinstance(p_drop, bool) or not isinstance(p_drop, (int, float, np.floating)) or not 0.0 <= p_drop < 1.0:
        raise ValueError(f"p_drop must be a probability in [0, 1), the chance of dropping an entry, "
                         f"but got {describe(p_drop)}.")


class SeededLayer:
    """A layer made of forward(x, **settings, rng) and backward(dout, cache) with a fixed seed:
    every forward draws from a fresh np.random.default_rng(seed), so it is deterministic, as
    checking a backward against finite differences requires."""

    def __init__(self, forward, backward, seed, **settings):
        self._forward, self._backward = forward, backward
        self.seed, self.settings = seed, settings
        self.params = {}

    def forward(self, x):
        return self._forward(x, **self.settings, rng=np.random.default_rng(self.seed))

    def backward(self, dout, cache):
        return self._backward(dout, cache)


class ReseededLayer(SeededLayer):
    """A SeededLayer whose k-th forward (counting from 0) draws from np.random.default_rng(seed + k).

    The first forward draws what the reference's does; a second forward draws other numbers, as a
    real dropout layer would. checks.layer_from_seeded makes the student's layers of this kind, so
    that a mask kept anywhere but in the cache (a global, an attribute of the function) is the
    wrong one by the time backward runs."""

    def __init__(self, forward, backward, seed, **settings):
        super().__init__(forward, backward, seed, **settings)
        self.forwards = 0

    def forward(self, x):
        rng = np.random.default_rng(self.seed + self.forwards)
        self.forwards += 1
        return self._forward(x, **self.settings, rng=rng)


def dropout_layer(p_drop, seed):
    """The reference dropout as a layer with a fixed seed, for checks.check_layer."""
    return SeededLayer(dropout_forward, dropout_backward, seed, p_drop=p_drop)


dropout_layer.draws = "keep = rng.random(x.shape) >= p_drop"


def random_dropout_case(rng):
    """x and dout of a random shape, a p_drop between 0.1 and 0.7, and a seed for the mask.

    About a third of x's entries are exactly 0, as after a ReLU, and at least one of them is kept
    by the mask: the mask cannot be read back from the output (out != 0) or from out / x."""
    m, n = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    x = rng.standard_normal((m, n))
    p_drop = float(rng.uniform(0.1, 0.7))
    seed = int(rng.integers(2**31))
    keep = np.random.default_rng(seed).random((m, n)) >= p_drop
    while not keep.any():  # (rare: every entry dropped) another mask
        seed = int(rng.integers(2**31))
        keep = np.random.default_rng(seed).random((m, n)) >= p_drop
    x[rng.random((m, n)) < 1 / 3] = 0.0
    kept = np.argwhere(keep)
    x[tuple(kept[rng.integers(len(kept))])] = 0.0
    return {"x": x, "dout": rng.standard_normal((m, n)), "p_drop": p_drop, "seed": seed}


# --- lesson 04: the layer pattern in matrix form ----------------------------------------
# The graded layers are checked against backprop.layers.Linear and backprop.layers.Sigmoid
# themselves (rows as examples: out = x @ W + b); their mistakes are registered on those
# classes in backprop/mistakes.py.


from backprop.layers import Linear as _Linear  # noqa: E402
from backprop.layers import Sequential as _Sequential  # noqa: E402
from backprop.layers import Sigmoid as _Sigmoid  # noqa: E402

LINEAR_BATCH_SIZES = (2, 3, 4, 5, 8, 13, 21, 40)


def random_linear(rng):
    """A batch through a linear layer: x (m, n_in), W (n_in, n_out), b (n_out,), dout (m, n_out), with m
    from LINEAR_BATCH_SIZES (at least 2, so that a bias gradient not summed shows; up to 40, so that an
    answer that only looks at the first few rows does too)."""
    m, n_in, n_out = int(rng.choice(LINEAR_BATCH_SIZES)), int(rng.integers(1, 6)), int(rng.integers(1, 6))
    return {
        "x": rng.standard_normal((m, n_in)),
        "dout": rng.standard_normal((m, n_out)),
        "W": rng.standard_normal((n_in, n_out)),
        "b": rng.standard_normal(n_out),
    }


def random_activation_input(rng):
    """Inputs of an elementwise layer: x and dout of the same shape, with 1, 2 or 3 axes. Most entries of x
    are moderate (|x| < 3); in most cases a few are large (|x| from 8 to 50, where the sigmoid is flat), and
    in some one is huge (|x| from 750 to 1000, where exp(|x|) overflows to inf)."""
    ndim = int(rng.integers(1, 4))
    shape = tuple(int(n) for n in rng.integers(1, 6, size=ndim))
    x = rng.uniform(-3.0, 3.0, shape)
    flat = x.reshape(-1)  # a view: setting its entries sets x's
    if x.size > 1 and rng.random() < 0.75:
        large = rng.choice(x.size, size=max(1, x.size // 4), replace=False)
        flat[large] = rng.choice([-1.0, 1.0], size=large.size) * rng.uniform(8.0, 50.0, size=large.size)
        if rng.random() < 0.5:
            flat[large[0]] = rng.choice([-1.0, 1.0]) * rng.uniform(750.0, 1000.0)
    return {"x": x, "dout": rng.standard_normal(shape)}


def sigmoid_layer():
    """The course's Sigmoid layer, layers.Sigmoid(), as lesson 04's exercise is checked against it. A
    reference of its own, so that the mistakes only very large inputs reveal (np.exp overflowing) are named
    there, without being expected of lesson 02's moderate inputs (which share layers.Sigmoid's list)."""
    return _Sigmoid()


def backward_pass(layers, caches, dout):
    """(dx, grads): dout sent back through the layers in reverse order; grads[i] belongs to layers[i]."""
    grads = [None] * len(layers)
    for i in reversed(range(len(layers))):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads


def _network_case(rng, widths, m, final_sigmoid=True):
    layers = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        layers += [_Linear(rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)), _Sigmoid()]
    if not final_sigmoid:
        layers.pop()
    out, caches = _Sequential(layers).forward(rng.standard_normal((m, widths[0])))
    return {"layers": layers, "caches": caches, "dout": rng.standard_normal(out.shape)}


def random_network(rng):
    """A random network (Linear, Sigmoid, ...) of 1 to 7 linear layers (so 1 to 14 layers in all) of widths
    1..5, after a forward pass on 1 to 5 examples: {"layers": [...], "caches": [...], "dout": gradient
    arriving at the output}."""
    widths = [int(w) for w in rng.integers(1, 6, size=int(rng.integers(2, 9)))]
    return _network_case(rng, widths, int(rng.integers(1, 6)), final_sigmoid=bool(rng.integers(0, 2)))


def random_square_network(rng):
    """As random_network, every layer of the same width (2 to 6 linear layers, so 4 to 12 layers): a loop
    over the layers in the wrong order still runs, so that the check can say what it computed."""
    n = int(rng.integers(2, 5))
    return _network_case(rng, [n] * int(rng.integers(3, 8)), int(rng.integers(2, 5)), final_sigmoid=True)


def random_two_layer_network(rng):
    """x, dout and the parameters of Linear(W1, b1), Sigmoid, Linear(W2, b2), Sigmoid."""
    n0, n1, n2 = (int(n) for n in rng.integers(1, 5, size=3))
    m = int(rng.integers(1, 4))
    return {"x": rng.standard_normal((m, n0)), "dout": rng.standard_normal((m, n2)),
            "W1": rng.standard_normal((n0, n1)), "b1": rng.standard_normal(n1),
            "W2": rng.standard_normal((n1, n2)), "b2": rng.standard_normal(n2)}


def _two_layer(W1, b1, W2, b2):
    return [_Linear(W1, b1), _Sigmoid(), _Linear(W2, b2), _Sigmoid()]


def two_layer_projection(x, dout, W1, b1, W2, b2):
    """sum(net(x) * dout) for net = Linear(W1, b1), Sigmoid, Linear(W2, b2), Sigmoid: a loss whose
    gradient with respect to the output is dout."""
    out, _ = _Sequential(_two_layer(W1, b1, W2, b2)).forward(x)
    return float(np.sum(out * dout))


def through_backward_pass(backward_pass):
    """Your backward_pass as a function (x, dout, W1, b1, W2, b2) -> (dx, dW1, db1, dW2, db2) of the
    two-layer network above, so that it can be compared with finite differences of two_layer_projection."""
    def gradients(x, dout, W1, b1, W2, b2):
        # (built here, not with _two_layer: the checks flag any call into this module's functions)
        layers = [_Linear(W1, b1), _Sigmoid(), _Linear(W2, b2), _Sigmoid()]
        _, caches = _Sequential(layers).forward(x)
        dx, grads = backward_pass(layers, caches, dout)
        return dx, grads[0]["W"], grads[0]["b"], grads[2]["W"], grads[2]["b"]

    gradients.__name__ = getattr(backward_pass, "__name__", "backward_pass")
    return gradients


def leaving_the_network_unchanged(backward_pass):
    """Your backward_pass run twice on the same network, the second time on fresh copies of the caches and
    of dout. A backward pass only computes gradients, so the two runs must agree; one that also updates the
    layers' parameters (an SGD step inside the backward pass) answers differently the second time, and is
    told so. (The layers are the same objects both times, in your notebook and in the grader's sandbox.)"""
    import copy

    def same(a, b):  # (nested: the checks flag any call into this module's own functions)
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                    and np.array_equal(a, b, equal_nan=True))
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        try:
            return bool(a == b)
        except Exception:  # noqa: BLE001
            return False

    def twice(layers, caches, dout):
        caches_again, dout_again = copy.deepcopy(caches), copy.deepcopy(dout)
        first = backward_pass(layers, caches, dout)
        problem = ("it gave another answer when run a second time on the same network, with the same caches and "
                   "dout: it changes the network it is given, most likely the layers' parameters. A backward "
                   "pass only computes the gradients; the update (sgd_step) comes after it, outside backward_pass.")
        try:
            second = backward_pass(layers, caches_again, dout_again)
        except Exception as exc:  # noqa: BLE001
            raise ValueError(f"{problem} (The second run raised {type(exc).__name__}: {exc})") from None
        if not same(first, second):
            raise ValueError(problem)
        return first

    twice.__name__ = getattr(backward_pass, "__name__", "backward_pass")
    twice.__wrapped__ = backward_pass
    return twice


def network_231_case(seed=0):
    """Lesson 04's 2-3-1 sigmoid network (data.one_example_231(seed)) in rows, after its forward pass:
    {"layers", "caches", "dout"}, dout = dL/dy_pred = y_pred - y for L = (1/2) sum((y_pred - y)**2)."""
    from backprop import data

    ex = data.one_example_231(seed)
    layers = [_Linear(ex["W1"].T.copy(), ex["b1"][:, 0].copy()), _Sigmoid(),
              _Linear(ex["W2"].T.copy(), ex["b2"][:, 0].copy()), _Sigmoid()]
    out, caches = _Sequential(layers).forward(ex["x"].T.copy())
    return {"layers": layers, "caches": caches, "dout": out - ex["y"].T}


# --- lesson 05: batches and gradient descent -------------------------------------------------
# Seed 001's 4-8-1 regression network, one example per row (m examples in a batch; the tutorial
# calls their number n):
#   z1 = X @ W1 + b1, a1 = sigmoid(z1), z2 = a1 @ W2 + b2 (linear output), L = mean((z2 - y)**2)


def regression_forward(X, W1, b1, W2, b2):
    """(z1, a1, z2) of the two-layer regression network for a batch X (m, n_in)."""
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    return z1, a1, z2


def regression_loss(X, y, W1, b1, W2, b2):
    """The mean squared error over the batch, mean((z2 - y)**2)."""
    return float(np.mean((regression_forward(X, W1, b1, W2, b2)[2] - y) ** 2))


def regression_backward(X, y, z1, a1, z2, W2):
    """(dW1, db1, dW2, db2) of the mean squared error, the batch of m examples averaged."""
    m = X.shape[0]
    dL_dz2 = 2.0 * (z2 - y) / m            # the mean's 1/m enters here, once
    dL_dW2 = a1.T @ dL_dz2                 # the matrix product sums over the examples
    dL_db2 = dL_dz2.sum(axis=0)
    dL_da1 = dL_dz2 @ W2.T
    s = sigmoid(z1)
    dL_dz1 = dL_da1 * s * (1.0 - s)
    dL_dW1 = X.T @ dL_dz1
    dL_db1 = dL_dz1.sum(axis=0)
    return dL_dW1, dL_db1, dL_dW2, dL_db2


BATCH_SIZES = (1, 2, 3, 7, 16, 50)


def random_regression_params(rng, m=None):
    """A batch and a network: X (m, n_in), y (m, 1), W1 (n_in, h), b1 (h,), W2 (h, 1), b2 (1,);
    m drawn from BATCH_SIZES (unless given), so that a missing or extra 1/m shows."""
    if m is not None and not (isinstance(m, (int, np.integer)) and not isinstance(m, bool) and m >= 1):
        raise ValueError(f"m, the number of examples, should be a whole number of at least 1, but got {describe(m)}")
    m = int(rng.choice(BATCH_SIZES)) if m is None else int(m)
    n_in, h = int(rng.integers(1, 6)), int(rng.integers(2, 9))
    return {"X": rng.standard_normal((m, n_in)), "y": rng.standard_normal((m, 1)),
            "W1": rng.standard_normal((n_in, h)), "b1": 0.5 * rng.standard_normal(h),
            "W2": rng.standard_normal((h, 1)), "b2": 0.5 * rng.standard_normal(1)}


def random_regression_batch(rng, m=None):
    """The arguments of regression_backward: X, y, and z1, a1, z2, W2 from a forward pass."""
    case = random_regression_params(rng, m)
    z1, a1, z2 = regression_forward(case["X"], case["W1"], case["b1"], case["W2"], case["b2"])
    return {"X": case["X"], "y": case["y"], "z1": z1, "a1": a1, "z2": z2, "W2": case["W2"]}


def random_regression_example(rng):
    """As random_regression_batch, for a batch of one example (m = 1)."""
    return random_regression_batch(rng, m=1)


def regression_481_case(rows=None):
    """The arguments of regression_backward for the regression tutorial's network at its starting weights
    (data.regression_481()), on its 100 examples or on the rows given, e.g. [0] for the first alone."""
    from backprop import data

    d = data.regression_481()
    if rows is not None:
        n = len(d["X"])
        if (isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__") or len(rows) == 0
                or not all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) and 0 <= r < n for r in rows)):
            shown = repr(rows) if len(repr(rows)) <= 40 else describe(rows)
            raise ValueError(f"rows should be a non-empty list of row numbers from 0 to {n - 1}, e.g. [0], but got "
                             f"{shown}")
        rows = list(rows)
    X, y = (d["X"], d["y"]) if rows is None else (d["X"][rows], d["y"][rows])
    z1, a1, z2 = regression_forward(X, d["W1"], d["b1"], d["W2"], d["b2"])
    return {"X": X, "y": y, "z1": z1, "a1": a1, "z2": z2, "W2": d["W2"]}


def through_regression_backward(backward):
    """Your backward as a function of (X, y, W1, b1, W2, b2): the forward pass, then yours, so
    that its gradients can be compared with finite differences of regression_loss."""
    def gradients(X, y, W1, b1, W2, b2):
        # the forward pass written out, not regression_forward: the checks flag calls into this module
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        z2 = a1 @ W2 + b2
        return backward(X, y, z1, a1, z2, W2)

    gradients.__name__ = getattr(backward, "__name__", "backward")
    return gradients


def train(X, y, params, lr, steps):
    """Full-batch gradient descent: `steps` times forward, loss, backward, update.

    params is a dict {"W1", "b1", "W2", "b2"} of arrays, updated IN PLACE. Returns the list of
    the losses, each computed before its step's update (as the tutorial prints them).
    """
    losses = []
    for _ in range(steps):
        z1, a1, z2 = regression_forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(float(np.mean((z2 - y) ** 2)))
        dW1, db1, dW2, db2 = regression_backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses


def train_result(X, y, params, lr, steps):
    """(losses as an array, params after training): what through_train(your train) returns."""
    losses = train(X, y, params, lr, steps)
    return np.asarray(losses, dtype=np.float64), params


def through_train(train):
    """Your train as a function returning (losses, params): the losses it returns, as an array,
    and the params dict it was given, which it must have updated in place."""
    def trained(X, y, params, lr, steps):
        params = {key: np.array(value, copy=True) for key, value in params.items()}  # train updates these
        losses = train(X, y, params, lr, steps)
        if losses is None:
            raise ValueError("train returned None: return the list of losses, one per step.")
        if isinstance(losses, dict):
            raise ValueError("train returned a dict (its params?): return the list of losses, one per step; "
                             "train updates the params dict it is given in place.")
        if isinstance(losses, tuple) and any(isinstance(part, dict) for part in losses):
            raise ValueError("train returned a tuple holding a dict (losses and params?): return only the list "
                             "of losses; train updates the params dict it is given in place.")
        if isinstance(losses, (int, float, np.number, np.ndarray)) and np.ndim(losses) == 0:
            shown = f"{float(losses):.6g}"
            raise ValueError(f"train returned a single value, {shown}: return the list of all the losses, one per "
                             f"step, not only the last.")
        if not isinstance(losses, (list, tuple, np.ndarray)):
            raise ValueError(f"train returned {describe(losses)}: return a list of the losses, one per step.")
        if isinstance(losses, np.ndarray) and losses.ndim != 1:
            raise ValueError(f"train returned an array of shape {losses.shape}: return a list of numbers, one "
                             f"loss per step (a 1-D array would do too).")
        numbers = []
        for k, loss in enumerate(losses):  # a float or a NumPy scalar (a 0-d array): a plain number
            if np.ndim(loss) != 0:
                raise ValueError(f"losses[{k}] should be a plain number, but is an array of shape {np.shape(loss)}: "
                                 f"append the loss, mse_loss(z2, y), a number, once per step (a mean over an "
                                 f"axis, np.mean(..., axis=0), leaves an array).")
            numbers.append(float(loss))
        return np.asarray(numbers, dtype=np.float64), params

    trained.__name__ = getattr(train, "__name__", "train")
    trained.__wrapped__ = train  # the checks look through to your train
    return trained


def random_training_case(rng):
    """Fresh data and a fresh network for train: X (m, n_in), y (m, 1), params, lr, steps."""
    case = random_regression_params(rng)
    case["X"] = rng.standard_normal((int(rng.integers(5, 40)), case["X"].shape[1]))
    case["y"] = rng.standard_normal((case["X"].shape[0], 1))
    params = {k: case.pop(k) for k in ("W1", "b1", "W2", "b2")}
    return {**case, "params": params, "lr": float(rng.uniform(0.02, 0.3)), "steps": int(rng.integers(3, 25))}


def random_training_case_with_a_rise(rng):
    """As random_training_case, with a larger learning rate (0.4 to 0.6), drawn again until the loss goes
    up at least once during training: train must take every step it is asked for, whatever the loss does.
    (Rates up to 0.6 keep two right answers, computed in different orders, within the checks' tolerance.)"""
    while True:
        case = random_training_case(rng)
        case["lr"] = float(rng.uniform(0.4, 0.6))
        params = {key: value.copy() for key, value in case["params"].items()}
        losses = train(case["X"], case["y"], params, case["lr"], case["steps"])
        if np.any(np.diff(losses) > 0):
            return case


# --- lesson 06: softmax, cross-entropy and a batched classifier --------------------------
# Rows are examples: scores (m, k), one-hot targets Y (m, k).
# softmax(z)_j = exp(z_j - max z) / sum_i exp(z_i - max z), row by row
# L = -(1/m) sum_i sum_j Y_ij log softmax(scores_i)_j;  dL/dscores = (softmax(scores) - Y) / m


from backprop.validation import check_array as _check_array  # noqa: E402


def softmax(z):
    """Softmax of each row of z (m, k), shifted by the row's maximum so that exp cannot overflow."""
    _check_array("z", z, ndim=2, meaning="(examples, classes)")
    e = _np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _check_scores_and_targets(scores, Y):
    _check_array("scores", scores, ndim=2, meaning="(examples, classes)")
    _check_array("Y", Y, ndim=2, meaning="(examples, classes), one-hot")
    if Y.shape != scores.shape:
        raise ValueError(f"Y has shape {Y.shape} but scores has shape {scores.shape}; "
                         f"Y needs one one-hot row per row of scores.")


def log_softmax(scores):
    """log softmax(scores) row by row, without ever taking the log of an underflowed 0."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - _np.log(_np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_ce_forward(scores, Y):
    """Mean cross-entropy of softmax(scores) against one-hot Y: (loss, cache)."""
    _check_scores_and_targets(scores, Y)
    log_probs = log_softmax(scores)
    loss = -float(_np.sum(Y * log_probs)) / scores.shape[0]
    return loss, (_np.exp(log_probs), Y)


def softmax_ce_backward(dout, cache):
    """dL/dscores = dout * (softmax(scores) - Y) / m, and no parameters: (dscores, {})."""
    probs, Y = cache
    return dout * (probs - Y) / probs.shape[0], {}


def softmax_ce_loss(scores, Y):
    """The loss alone, for the checks of softmax_ce_forward."""
    return softmax_ce_forward(scores, Y)[0]


class SoftmaxCrossEntropyLoss:
    """The loss as a layer of the scores, its target Y fixed: what check_layer compares with."""

    def __init__(self, Y):
        self.Y = Y
        self.params = {}

    def forward(self, x):
        return softmax_ce_forward(x, self.Y)

    def backward(self, dout, cache):
        return softmax_ce_backward(dout, cache)


def _random_one_hot(rng, m, k):
    Y = _np.zeros((m, k))
    Y[_np.arange(m), rng.integers(0, k, size=m)] = 1.0
    return Y


def random_scores(rng):
    """Scores z (m, k) for softmax: a few rows of a few classes, spread over several units."""
    m, k = int(rng.integers(2, 6)), int(rng.integers(3, 6))
    return {"z": rng.normal(0.0, 3.0, size=(m, k)) + rng.normal(0.0, 5.0, size=(m, 1))}


def random_softmax_ce(rng):
    """A case for the loss: x the scores (m, k), Y one-hot (m, k), dout a number (the gradient from above)."""
    m, k = int(rng.integers(2, 7)), int(rng.integers(3, 6))
    return {"x": rng.normal(0.0, 2.0, size=(m, k)), "dout": float(rng.uniform(0.5, 2.0)),
            "Y": _random_one_hot(rng, m, k)}


def random_softmax_ce_input(rng):
    """The arguments of softmax_ce_loss: scores (m, k) and one-hot Y."""
    case = random_softmax_ce(rng)
    return {"scores": case["x"], "Y": case["Y"]}


def _widen(rng, z):
    """z with one row moved up and another down by 12000 to 20000: exp overflows (or underflows to 0 in
    every entry) there even in np.longdouble (past about 11356); only each row's own maximum helps."""
    up, down = rng.choice(z.shape[0], size=2, replace=False)
    z[up] += rng.uniform(12000.0, 20000.0)
    z[down] -= rng.uniform(12000.0, 20000.0)
    return z


def random_wide_scores(rng):
    """Scores z (m, k) for softmax with one row far above 0 and one far below (see _widen)."""
    case = random_scores(rng)
    return {"z": _widen(rng, case["z"])}


def random_wide_softmax_ce(rng):
    """A case for the loss, as random_softmax_ce, with one row of scores far above 0 and one far below."""
    case = random_softmax_ce(rng)
    case["x"] = _widen(rng, case["x"])
    return case


def random_wide_softmax_ce_input(rng):
    """The arguments of softmax_ce_loss, with one row of scores far above 0 and one far below."""
    case = random_wide_softmax_ce(rng)
    return {"scores": case["x"], "Y": case["Y"]}


class TwoLayerClassifier:
    """scores = relu(x @ W1 + b1) @ W2 + b2, for x (m, d), W1 (d, h), b1 (h,), W2 (h, k), b2 (k,).

    forward(x) -> (scores, cache); backward(dscores, cache) -> (dx, grads), grads keyed like params.
    The softmax and the loss are not part of it: they follow, in SoftmaxCrossEntropy.
    """

    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

    def forward(self, x):
        p = self.params
        _check_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != p["W1"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W1 has shape {p['W1'].shape}: "
                             f"x @ W1 needs x.shape[1] == W1.shape[0].")
        z1 = x @ p["W1"] + p["b1"]
        a1 = _np.maximum(z1, 0.0)
        scores = a1 @ p["W2"] + p["b2"]
        return scores, (x, z1, a1)

    def backward(self, dscores, cache):
        x, z1, a1 = cache
        p = self.params
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        da1 = dscores @ p["W2"].T
        dz1 = da1 * (z1 > 0)
        dW1 = x.T @ dz1
        db1 = dz1.sum(axis=0)
        dx = dz1 @ p["W1"].T
        return dx, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def classifier_scores(x, W1, b1, W2, b2):
    """The classifier's forward pass alone: the scores (m, k)."""
    return TwoLayerClassifier(W1, b1, W2, b2).forward(x)[0]


def random_classifier(rng):
    """A batch and a classifier: x (m, d), dout (m, k), W1, b1, W2, b2.

    Every hidden pre-activation is at least 0.05 away from ReLU's kink at 0, so finite
    differences see a smooth function.
    """
    m, d, h, k = (int(rng.integers(lo, hi)) for lo, hi in ((3, 7), (2, 5), (3, 7), (3, 5)))
    while True:
        x = rng.standard_normal((m, d))
        W1 = rng.standard_normal((d, h))
        b1 = rng.normal(0.0, 0.5, size=h)
        if _np.abs(x @ W1 + b1).min() > 0.05:
            break
    return {"x": x, "dout": rng.standard_normal((m, k)), "W1": W1, "b1": b1,
            "W2": rng.standard_normal((h, k)), "b2": rng.normal(0.0, 0.5, size=k)}


def random_classifier_input(rng):
    """The arguments of classifier_scores: x and the parameters."""
    case = random_classifier(rng)
    del case["dout"]
    return case


# --- lesson 07: gradient checking --------------------------------------------------------
# numerical_gradient(f, x, h): centred differences, entry by entry, x perturbed in place and restored
# relative_error(a, b) = |a - b| / (|a| + |b|), |.| the Euclidean norm of the whole array, 0 if both are 0
# DenseTanh: out = tanh(x @ W + b), the layer whose buggy backward lesson 07 fixes

from backprop import gradcheck as _gradcheck  # noqa: E402


def numerical_gradient(f, x, h=1e-5):
    """The centred-difference gradient of f at x, as backprop.gradcheck computes it."""
    return _gradcheck.numerical_gradient(f, x, h=h)


def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over every entry; 0.0 when both are all zero."""
    return _gradcheck.relative_error(a, b)


class SmoothFunction:
    """A smooth function of an array x that mixes its entries: sum(tanh(M @ x.ravel() + c)) + sum(x**3) / 10,
    plus sum(sin(wiggle * x)) / wiggle if wiggle is given (a large third derivative, so that the
    step h shows in the centred differences).

    Made with x=array, it ignores its argument and reads that array, as a loss reads a layer's
    weights: only perturbing that very array in place changes its value.
    """

    def __init__(self, M, c, x=None, wiggle=None):
        self.M, self.c, self.x, self.wiggle = M, c, x, wiggle

    def __call__(self, x):
        x = self.x if self.x is not None else x
        value = _np.sum(_np.tanh(self.M @ x.ravel() + self.c)) + _np.sum(x**3) / 10
        if self.wiggle:
            value += _np.sum(_np.sin(self.wiggle * x)) / self.wiggle
        return float(value)

    def __repr__(self):
        wiggle = f" that wiggles (a term sin({self.wiggle:g} x) / {self.wiggle:g})" if self.wiggle else ""
        if self.x is not None:
            how = "" if self.x.flags.c_contiguous else " (x is a transposed view, not stored in order)"
            return f"a smooth function{wiggle} that ignores its argument and reads x itself{how}"
        return f"a smooth function of x{wiggle}"



def random_numerical_gradient(rng):
    """A case for numerical_gradient: f, x (a vector or a matrix) and a step h."""
    shape = [(int(rng.integers(2, 6)),), (int(rng.integers(2, 4)), int(rng.integers(2, 4)))][int(rng.integers(0, 2))]
    x = rng.standard_normal(shape)
    M = rng.standard_normal((3, x.size)) / _np.sqrt(x.size)
    f = SmoothFunction(M, rng.normal(0.0, 0.5, size=3))
    return {"f": f, "x": x, "h": float(rng.choice([1e-5, 1e-4, 1e-3]))}


def random_numerical_gradient_reading_x(rng):
    """Like random_numerical_gradient, but f reads the array x itself and ignores its argument."""
    case = random_numerical_gradient(rng)
    case["f"] = SmoothFunction(case["f"].M, case["f"].c, x=case["x"])
    return case


def random_numerical_gradient_default_h(rng):
    """Like random_numerical_gradient, without h: the function's default step must be 1e-5. The
    function wiggles, so that a default of 1e-4 already gives other numbers (by about 1e-6)."""
    case = random_numerical_gradient(rng)
    del case["h"]
    case["f"].wiggle = 30.0
    return case


def random_numerical_gradient_any_layout(rng):
    """x with three axes, or a transposed matrix (not stored in order), read by f itself, and a step h.

    An answer that nudges x.reshape(-1) nudges a copy of a transposed x; one that loops over
    one or two axes misses the third.
    """
    if rng.random() < 0.5:
        x = rng.standard_normal((int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 4))))
    else:
        x = rng.standard_normal((int(rng.integers(2, 5)), int(rng.integers(3, 5)))).T  # F-ordered
    M = rng.standard_normal((3, x.size)) / _np.sqrt(x.size)
    return {"f": SmoothFunction(M, rng.normal(0.0, 0.5, size=3), x=x), "x": x,
            "h": float(rng.choice([1e-5, 1e-4, 1e-3]))}


def random_gradient_pair(rng):
    """Two arrays a, b of one shape, of any size from 1e-10 to 1e3: close, far apart, opposite,
    scaled, or one of them zero."""
    shape = [(int(rng.integers(2, 8)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5)))][int(rng.integers(0, 2))]
    a = rng.standard_normal(shape) * 10.0 ** rng.uniform(-10, 3)
    kind = int(rng.integers(0, 5))
    if kind == 0:
        b = a + rng.standard_normal(shape) * _np.linalg.norm(a) * 10.0 ** rng.uniform(-10, -2)
    elif kind == 1:
        b = rng.standard_normal(shape) * _np.linalg.norm(a)
    elif kind == 2:
        b = -a * rng.uniform(0.5, 2.0)
    elif kind == 3:
        b = a * rng.uniform(0.2, 5.0)
    else:
        b = _np.zeros(shape)
    return {"a": a, "b": b} if rng.random() < 0.5 else {"a": b, "b": a}


class DenseTanh:
    """out = tanh(x @ W + b) for x (m, n), W (n, k), b (k,).  d out / dz = 1 - out**2."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        _check_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != self.params["W"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W has shape {self.params['W'].shape}: "
                             f"x @ W needs x.shape[1] == W.shape[0].")
        a = _np.tanh(x @ self.params["W"] + self.params["b"])
        return a, (x, a)

    def backward(self, dout, cache):
        x, a = cache
        dz = dout * (1.0 - a**2)
        return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}


def random_dense(rng):
    """A batch and a DenseTanh layer: x (m, n), dout (m, k), W (n, k), b (k,), tanh not saturated."""
    m, n, k = int(rng.integers(2, 6)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    while True:
        x, W, b = rng.standard_normal((m, n)), rng.standard_normal((n, k)) / _np.sqrt(n), rng.normal(0.0, 0.5, size=k)
        if _np.abs(x @ W + b).max() < 3.0:  # tanh'(z) > 0.01 everywhere
            return {"x": x, "dout": rng.standard_normal((m, k)), "W": W, "b": b}
