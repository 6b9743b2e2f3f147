"""Lesson 03, the worked 2-2-1 network: reference answers and random cases.

Two inputs, two sigmoid hidden units, one linear output, L = (1/2)(y_hat - y)**2.
Scalars are named as in the lesson: w11, w12 (inputs x1, x2 to h1), b1; w21, w22 (to h2),
b2; v1, v2 (h1, h2 to the output), b3. As arrays for x @ W + b: W1 = [[w11, w21], [w12, w22]],
b1 = [b1, b2], W2 = [[v1], [v2]], b2 = [b3].

    PARAMETERS_221
    worked_221_values(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3, lr)  Every number of one training step of ...
    loss_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)  L = (1/2)(y_hat - y)**2 of the 2-2-1 network on ...
    backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)  The 9 gradients of loss_221, {"w11"
    random_221(rng)                           A random 2-2-1 network and example
    loss_221_matrix(X, Y, W1, b1, W2, b2)     L = (1/2) sum((y_hat - Y)**2) of the 2-2-1 network in the row layout
    backprop_221_matrix(X, Y, W1, b1, W2, b2)  {"W1"
    random_221_matrix(rng)                    A random 2-2-1 network in the row layout and a batch of 1 to 5 ...
"""

import numpy as np

from backprop import layers as _layers
from backprop.validation import require_numbers

__all__ = ["PARAMETERS_221", "worked_221_values", "loss_221", "backprop_221", "random_221", "loss_221_matrix",
           "backprop_221_matrix", "random_221_matrix"]


PARAMETERS_221 = ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3")


def worked_221_values(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3, lr=0.5):
    """Every number of one training step of the 2-2-1 network, by name, as the lesson computes them.

    Forward: z1, z2, a1, a2, y_hat, L. Backward: dL_dyhat, dL_dv1, dL_dv2, dL_db3, dL_da1, dL_da2,
    sigma_prime1, sigma_prime2, dL_dz1, dL_dz2, dL_dw11, dL_dw12, dL_db1, dL_dw21, dL_dw22, dL_db2.
    Update with learning rate lr: new_w11 ... new_b3. Then the new forward pass: new_y_hat, new_L.
    """
    values = {"x1": x1, "x2": x2, "y": y, "lr": lr, "w11": w11, "w12": w12, "b1": b1, "w21": w21, "w22": w22,
              "b2": b2, "v1": v1, "v2": v2, "b3": b3}
    require_numbers(**values)
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
    require_numbers(x1=x1, x2=x2, y=y, w11=w11, w12=w12, b1=b1, w21=w21, w22=w22, b2=b2, v1=v1, v2=v2, b3=b3)
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
