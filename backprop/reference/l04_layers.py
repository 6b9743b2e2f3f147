"""Lesson 04, the layer pattern in matrix form: reference answers and random cases.

The graded layers are checked against backprop.layers.Linear and backprop.layers.Sigmoid
themselves (rows as examples: out = x @ W + b); their mistakes are registered on those
classes in backprop/mistakes.py.

    LINEAR_BATCH_SIZES
    random_linear(rng)                        A batch through a linear layer
    random_activation_input(rng)              Inputs of an elementwise layer
    sigmoid_layer()                           The course's Sigmoid layer, layers.Sigmoid() ...
    backward_pass(layers, caches, dout)       (dx, grads)
    random_network(rng)                       A random network (Linear, Sigmoid, ...) of 1 to 7 linear layers ...
    random_square_network(rng)                As random_network, every layer of the same width ...
    square_network_case(seed)                 A 3-3-3-3 sigmoid network after its forward pass on two examples ...
    random_two_layer_network(rng)             x, dout and the parameters of Linear(W1, b1), Sigmoid, Linear(W2 ...
    two_layer_projection(x, dout, W1, b1, W2, b2)  sum(net(x) * dout) for net = Linear(W1, b1), Sigmoid, Linear(W2 ...
    through_backward_pass(backward_pass)      Your backward_pass as a function (x, dout, W1, b1, W2, b2) -> (dx ...
    leaving_the_network_unchanged(backward_pass)  Your backward_pass run twice on the same network ...
    network_231_case(seed)                    Lesson 04's 2-3-1 sigmoid network (data.one_example_231(seed)) in ...
"""

import numpy as np

from backprop.layers import Linear as _Linear
from backprop.layers import Sequential as _Sequential
from backprop.layers import Sigmoid as _Sigmoid

__all__ = ["LINEAR_BATCH_SIZES", "random_linear", "random_activation_input", "sigmoid_layer", "backward_pass",
           "random_network", "random_square_network", "square_network_case", "random_two_layer_network",
           "two_layer_projection", "through_backward_pass", "leaving_the_network_unchanged", "network_231_case"]


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


def square_network_case(seed=0):
    """A 3-3-3-3 sigmoid network (Linear, Sigmoid three times) after its forward pass on two examples:
    {"layers", "caches", "dout"}. Every layer has the same width, so a loop in the wrong order, or one
    that does not pass dx on, still runs, and the check can say what it computed."""
    return _network_case(np.random.default_rng(seed), [3, 3, 3, 3], 2, final_sigmoid=True)


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
