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
    """A random neuron and example: x, w, b of either sign, y a target in (0, 1)."""
    return {
        "x": float(rng.normal(0.0, 1.5)),
        "w": float(rng.normal(0.0, 1.0)),
        "b": float(rng.normal(0.0, 1.0)),
        "y": float(rng.uniform(0.05, 0.95)),
    }


def random_neuron_input(rng):
    """The inputs of neuron_forward only."""
    case = random_neuron(rng)
    del case["y"]
    return case



# --- lesson 02: chain rule, computational graphs, activations --------------------------
# The activations are checked against the reference layers layers.Sigmoid, Tanh and ReLU;
# the graph is L = (tanh(w x + b) + relu(v x) - y)**2, in which x feeds two branches.

import numpy as np  # noqa: E402

from backprop import layers as _layers  # noqa: E402


def random_activation(rng):
    """An input z (as x) and an incoming gradient (as dout) for an elementwise layer.

    z is (m, n) with m in 1..3 and n in 1..4; its entries keep at least 0.05 away from 0, so
    that ReLU's kink is never within reach of a finite difference, and at most 4 away.
    """
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 5)))
    z = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.05, 4.0, size=shape)
    return {"x": z, "dout": rng.normal(0.0, 1.5, size=shape)}


def relu_forward_backward(z, da):
    """ReLU's output and dL/dz for an input z and incoming gradient da, from the reference layer.

    At z = 0 exactly the derivative is taken to be 0 (as PyTorch does).
    """
    layer = _layers.ReLU()
    a, cache = layer.forward(z)
    dz, _ = layer.backward(da, cache)
    return a, dz


def random_relu_with_zeros(rng):
    """z with some entries exactly 0 (ReLU's kink), the others away from it, and da."""
    case = random_activation(rng)
    z = case["x"]
    z.flat[rng.choice(z.size, size=max(1, z.size // 2), replace=False)] = 0.0
    return {"z": z, "da": np.where(z == 0.0, rng.uniform(0.5, 2.0, size=z.shape), case["dout"])}


def graph_loss(x, w, b, v, y):
    """L = (tanh(w x + b) + relu(v x) - y)**2 for numbers x, w, b, v, y."""
    h = np.tanh(w * x + b)
    r = max(v * x, 0.0)
    return (h + r - y) ** 2


def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) of graph_loss, by one backward sweep through its graph."""
    z = w * x + b
    h = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = h + r
    dL_dp = 2.0 * (p - y)
    dL_dh = dL_dp            # p = h + r: an add node passes the gradient on unchanged
    dL_dr = dL_dp
    dL_dz = dL_dh * (1.0 - h**2)
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
