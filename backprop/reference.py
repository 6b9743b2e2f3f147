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



# --- lesson 04: the layer pattern in matrix form ----------------------------------------
# The graded layers are checked against backprop.layers.Linear and backprop.layers.Sigmoid
# themselves (rows as examples: out = x @ W + b); their mistakes are registered on those
# classes in backprop/mistakes.py.

import numpy as np  # noqa: E402

from backprop.layers import Linear as _Linear  # noqa: E402
from backprop.layers import Sequential as _Sequential  # noqa: E402
from backprop.layers import Sigmoid as _Sigmoid  # noqa: E402


def random_linear(rng):
    """A batch through a linear layer: x (m, n_in), W (n_in, n_out), b (n_out,), dout (m, n_out), m >= 2."""
    m, n_in, n_out = rng.integers(2, 6), rng.integers(1, 6), rng.integers(1, 6)
    return {
        "x": rng.standard_normal((m, n_in)),
        "dout": rng.standard_normal((m, n_out)),
        "W": rng.standard_normal((n_in, n_out)),
        "b": rng.standard_normal(n_out),
    }


def random_activation_input(rng):
    """Inputs of an elementwise layer: x and dout of the same shape, x of moderate size (no saturation)."""
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    return {"x": rng.uniform(-3.0, 3.0, shape), "dout": rng.standard_normal(shape)}


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
    """A random network (Linear, Sigmoid, ...) of 2 or 3 linear layers of widths 1..5, after a forward
    pass: {"layers": [...], "caches": [...], "dout": gradient arriving at the output}."""
    widths = [int(w) for w in rng.integers(1, 6, size=int(rng.integers(3, 5)))]
    return _network_case(rng, widths, int(rng.integers(1, 5)), final_sigmoid=bool(rng.integers(0, 2)))


def random_square_network(rng):
    """As random_network, every layer of the same width: a loop over the layers in the wrong order
    still runs, so that the check can say what it computed."""
    n = int(rng.integers(2, 5))
    return _network_case(rng, [n] * int(rng.integers(3, 5)), int(rng.integers(2, 5)), final_sigmoid=True)


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
# Seed 001's 4-8-1 regression network, one example per row:
#   z1 = X @ W1 + b1, a1 = sigmoid(z1), z2 = a1 @ W2 + b2 (linear output), L = mean((z2 - y)**2)


def regression_forward(X, W1, b1, W2, b2):
    """(z1, a1, z2) of the two-layer regression network for a batch X (n, n_in)."""
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    return z1, a1, z2


def regression_loss(X, y, W1, b1, W2, b2):
    """The mean squared error over the batch, mean((z2 - y)**2)."""
    return float(np.mean((regression_forward(X, W1, b1, W2, b2)[2] - y) ** 2))


def regression_backward(X, y, z1, a1, z2, W2):
    """(dW1, db1, dW2, db2) of the mean squared error, the batch of n examples averaged."""
    n = X.shape[0]
    dL_dz2 = 2.0 * (z2 - y) / n            # the mean's 1/n enters here, once
    dL_dW2 = a1.T @ dL_dz2                 # the matrix product sums over the examples
    dL_db2 = dL_dz2.sum(axis=0)
    dL_da1 = dL_dz2 @ W2.T
    s = sigmoid(z1)
    dL_dz1 = dL_da1 * s * (1.0 - s)
    dL_dW1 = X.T @ dL_dz1
    dL_db1 = dL_dz1.sum(axis=0)
    return dL_dW1, dL_db1, dL_dW2, dL_db2


BATCH_SIZES = (1, 2, 3, 7, 16, 50)


def random_regression_params(rng):
    """A batch and a network: X (n, n_in), y (n, 1), W1 (n_in, h), b1 (h,), W2 (h, 1), b2 (1,);
    n drawn from BATCH_SIZES, so that a missing or extra 1/n shows."""
    n = int(rng.choice(BATCH_SIZES))
    n_in, h = int(rng.integers(1, 6)), int(rng.integers(2, 9))
    return {"X": rng.standard_normal((n, n_in)), "y": rng.standard_normal((n, 1)),
            "W1": rng.standard_normal((n_in, h)), "b1": 0.5 * rng.standard_normal(h),
            "W2": rng.standard_normal((h, 1)), "b2": 0.5 * rng.standard_normal(1)}


def random_regression_batch(rng):
    """The arguments of regression_backward: X, y, and z1, a1, z2, W2 from a forward pass."""
    case = random_regression_params(rng)
    z1, a1, z2 = regression_forward(case["X"], case["W1"], case["b1"], case["W2"], case["b2"])
    return {"X": case["X"], "y": case["y"], "z1": z1, "a1": a1, "z2": z2, "W2": case["W2"]}


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
    the losses, each computed before its step's update (as seed 001 prints them).
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
        losses = train(X, y, params, lr, steps)
        if losses is None:
            raise ValueError("train returned None: return the list of losses, one per step.")
        numbers = []
        for k, loss in enumerate(losses):  # a float, a NumPy scalar or a one-entry array: all fine
            if np.size(loss) != 1:
                raise ValueError(f"losses[{k}] should be a single number, but has shape {np.shape(loss)}: "
                                 f"append the loss, mse_loss(z2, y), once per step.")
            numbers.append(float(np.reshape(loss, ())))
        return np.asarray(numbers, dtype=np.float64), params

    trained.__name__ = getattr(train, "__name__", "train")
    return trained


def random_training_case(rng):
    """Fresh data and a fresh network for train: X (n, n_in), y (n, 1), params, lr, steps."""
    case = random_regression_params(rng)
    case["X"] = rng.standard_normal((int(rng.integers(5, 40)), case["X"].shape[1]))
    case["y"] = rng.standard_normal((case["X"].shape[0], 1))
    params = {k: case.pop(k) for k in ("W1", "b1", "W2", "b2")}
    return {**case, "params": params, "lr": float(rng.uniform(0.02, 0.3)), "steps": int(rng.integers(3, 25))}
