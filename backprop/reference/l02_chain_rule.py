"""Lesson 02, the chain rule and computational graphs: reference answers and random cases.

The activations are checked against the reference layers layers.Sigmoid, Tanh and ReLU (any
shape), and, for very large |z|, against sigmoid_forward_backward and tanh_forward_backward;
the graph is L = (tanh(w x + b) + relu(v x) - y)**2, in which x feeds two branches.

    random_activation(rng)           An input z (as x) and an incoming gradient (as dout) for an elementwise layer
    relu_forward_backward(z, da)     ReLU's output and dL/dz for an input z and incoming gradient da ...
    sigmoid_forward_backward(z, da)  The sigmoid's output and dL/dz for an input z and incoming gradient da ...
    tanh_forward_backward(z, da)     tanh's output and dL/dz for an input z and incoming gradient da ...
    random_relu_with_zeros(rng)      z with some entries exactly 0 (ReLU's kink), the others away from it, and da
    random_large_z(rng)              z and da of one to three axes, with about half of z's entries very large ...
    graph_loss(x, w, b, v, y)        L = (tanh(w x + b) + relu(v x) - y)**2 for numbers x, w, b, v, y
    graph_gradients(x, w, b, v, y)   (dL/dw, dL/db, dL/dv, dL/dx) of graph_loss ...
    random_graph(rng)                x, w, b, v, y for graph_loss, with w x + b in (-2 ...
    random_graph_with_kinks(rng)     A random graph that, two times in three, sits on ReLU's kink
"""

import numpy as np

from backprop import layers as _layers
from backprop.validation import require_numbers

__all__ = ["random_activation", "relu_forward_backward", "sigmoid_forward_backward", "tanh_forward_backward",
           "random_relu_with_zeros", "random_large_z", "graph_loss", "graph_gradients", "random_graph",
           "random_graph_with_kinks"]


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
    (np.exp(|z|) overflows to inf there), of both signs, and the rest moderate; da is large (hundreds),
    so that a slope that should be exactly 0 there and is not (a small eps added) shows."""
    case = random_activation(rng)
    z = case["x"]
    n = max(2, z.size // 2) if z.size > 1 else 1
    where = rng.choice(z.size, size=min(n, z.size), replace=False)
    z.flat[where] = rng.uniform(710.0, 1000.0, size=where.size) * np.where(np.arange(where.size) % 2, 1.0, -1.0)
    return {"z": z, "da": case["dout"] * 500.0}


def graph_loss(x, w, b, v, y):
    """L = (tanh(w x + b) + relu(v x) - y)**2 for numbers x, w, b, v, y."""
    require_numbers(x=x, w=w, b=b, v=v, y=y)
    t = np.tanh(w * x + b)
    r = max(v * x, 0.0)
    return (t + r - y) ** 2


def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) of graph_loss, by one backward sweep through its graph.

    At ReLU's kink, v x = 0 exactly, its derivative is taken to be 0.
    """
    require_numbers(x=x, w=w, b=b, v=v, y=y)
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
