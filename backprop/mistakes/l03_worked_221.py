"""Lesson 03, the worked 2-2-1 network: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.backprop_221            22 mistakes
    reference.backprop_221_matrix     29 mistakes; it may call backprop_221 (depends)
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import depends, register

__all__ = []


def _scalar_221(dyhat=lambda y_hat, y: y_hat - y, sigma_prime=lambda z, a: a * (1 - a), swap_v=False,
                dv_uses_v=False, hidden_input=None, bias_times_input=False, swap_w12_w21=False, no_v=False,
                updated_v=False, sigmoid_output=False, activation=sigmoid, dv_input=None, own_output_input=False,
                slope2=None, read_w12_w21_swapped=False):
    """A backward pass of the 2-2-1 network with one of the usual mistakes switched on."""
    def grads(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        if read_w12_w21_swapped:  # w_ij read as "from input i into unit j", forward and backward alike
            g = grads_right(x1, x2, y, w11, w21, b1, w12, w22, b2, v1, v2, b3)
            g["w12"], g["w21"] = g["w21"], g["w12"]
            return g
        z1, z2 = w11 * x1 + w12 * x2 + b1, w21 * x1 + w22 * x2 + b2
        a1, a2 = activation(z1), activation(z2)
        y_hat = v1 * a1 + v2 * a2 + b3
        if sigmoid_output:
            y_hat = sigmoid(y_hat)
        d = dyhat(y_hat, y)
        if sigmoid_output:
            d = d * y_hat * (1 - y_hat)
        u1, u2 = (v1 - 0.5 * d * a1, v2 - 0.5 * d * a2) if updated_v else (v1, v2)  # the lesson's lr = 0.5
        da1, da2 = (d * u2, d * u1) if swap_v else (d * u1, d * u2)
        if no_v:  # "both", or the one unit whose v was forgotten
            da1, da2 = (d if no_v in ("both", 1) else da1), (d if no_v in ("both", 2) else da2)
        dz1 = da1 * sigma_prime(z1, a1)
        dz2 = da2 * (sigma_prime(z2, a2) if slope2 is None else slope2(a1, a2))
        i1, i2 = (x1, x2) if hidden_input is None else hidden_input(a1, a2)
        g = {"w11": dz1 * i1, "w12": dz1 * i2, "b1": dz1, "w21": dz2 * i1, "w22": dz2 * i2, "b2": dz2,
             "v1": d * (v1 if dv_uses_v else a1), "v2": d * (v2 if dv_uses_v else a2), "b3": d}
        if own_output_input:  # each unit's weights multiplied by the unit's own output
            g["w11"], g["w12"], g["w21"], g["w22"] = dz1 * a1, dz1 * a1, dz2 * a2, dz2 * a2
        if dv_input is not None:
            g["v1"], g["v2"] = d * dv_input(z1, a1), d * dv_input(z2, a2)
        if bias_times_input:  # the hidden biases, or all three
            g["b1"], g["b2"] = dz1 * x1, dz2 * x1
            if bias_times_input == "all":
                g["b3"] = d * a1
        if swap_w12_w21:
            g["w12"], g["w21"] = dz2 * x1, dz1 * x2
        return g
    grads_right = _scalar_221() if read_w12_w21_swapped else None
    return grads


def _scalar_as(kind):
    def returns(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
        g = ref.backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3)
        if kind == "tuple":
            return tuple(g[k] for k in ("w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "b3"))
        return {f"{kind}{k}": value for k, value in g.items()}
    return returns


register(ref.backprop_221, [
    ("factor-2-1-2",
     "the factor 2 of the 1/2 convention: with L = (1/2)(y_hat - y)**2 the 2 from the square cancels the 1/2, "
     "so dL/dy_hat = y_hat - y, not 2(y_hat - y).", _scalar_221(dyhat=lambda y_hat, y: 2 * (y_hat - y))),
    ("sign-error-dl-dy",
     "a sign error: dL/dy_hat = y_hat - y, not y - y_hat.", _scalar_221(dyhat=lambda y_hat, y: y - y_hat)),
    ("sigmoid-s-derivative-missing",
     "the sigmoid's derivative is missing from the hidden layer: dL/dz1 = dL/da1 * a1(1 - a1).",
     _scalar_221(sigma_prime=lambda z, a: 1.0)),
    ("sigma-used-where-sigma",
     "sigma'(a) was used where sigma'(z) is meant: sigma'(z1) = a1(1 - a1), not sigmoid(a1)(1 - sigmoid(a1)).",
     _scalar_221(sigma_prime=lambda z, a: sigmoid(a) * (1 - sigmoid(a)))),
    ("z-used-place-sigmoid",
     "z was used in place of a in the sigmoid's derivative: sigma'(z1) = a1(1 - a1), not z1(1 - z1).",
     _scalar_221(sigma_prime=lambda z, a: z * (1 - z))),
    ("v1-v2-swapped-way",
     "v1 and v2 are swapped on the way back: dL/da1 = dL/dy_hat * v1 (h1 reaches the output through v1).",
     _scalar_221(swap_v=True)),
    ("v-left-out-dl",
     "v was left out of dL/da1 (or dL/da2): h1 reaches y_hat through the weight v1, so dL/da1 = dL/dy_hat * v1 "
       "(and dL/da2 = dL/dy_hat * v2), not dL/dy_hat alone.",
     [_scalar_221(no_v=which) for which in ("both", 1, 2)]),
    ("dl-da1-used-v1",
     "dL/da1 used v1 after its update (v1 - 0.5 * dL/dv1): the backward pass uses the weights that produced "
     "y_hat, and this function computes gradients only; the update comes after, with all of them.",
     _scalar_221(updated_v=True)),
    ("dl-dv1-multiplied-v1",
     "dL/dv1 was multiplied by v1: y_hat = v1 a1 + ..., so dy_hat/dv1 = a1 (the value the weight multiplies), "
     "while dy_hat/da1 = v1.", _scalar_221(dv_uses_v=True)),
    ("hidden-weights-gradients-use",
     "the hidden weights' gradients use the hidden outputs a1, a2 in place of the inputs: z1 = w11 x1 + w12 x2 "
     "+ b1, so dL/dw11 = dL/dz1 * x1.", _scalar_221(hidden_input=lambda a1, a2: (a1, a2))),
    ("bias-gradient-multiplied-input",
     "a bias gradient was multiplied by an input: dz/db = 1, so dL/db1 = dL/dz1 and dL/db3 = dL/dy_hat.",
     [_scalar_221(bias_times_input=which) for which in ("hidden", "all")]),
    ("w12-w21-mixed-up", "w12 and w21 are mixed up: w12 is the weight from x2 to h1, so dL/dw12 = dL/dz1 * x2, and "
     "dL/dw21 = dL/dz2 * x1.", _scalar_221(swap_w12_w21=True)),
    ("sigmoid-put-output-network",
     "a sigmoid was put on the output: in this network the output is linear, y_hat = v1 a1 + v2 a2 + b3, "
     "and dL/dy_hat = y_hat - y.", _scalar_221(sigmoid_output=True)),
    ("loss-for-its-derivative", "the loss (1/2)(y_hat - y)**2 was used where its derivative belongs: the backward "
     "pass starts from dL/dy_hat = y_hat - y.", _scalar_221(dyhat=lambda y_hat, y: 0.5 * (y_hat - y) ** 2)),
    ("w12-w21-read-other-way", "w12 and w21 were read the other way round: in this lesson w12 is the weight into h1 "
     "from x2, so z1 = w11 x1 + w12 x2 + b1 and z2 = w21 x1 + w22 x2 + b2.",
     _scalar_221(read_w12_w21_swapped=True)),
    ("hidden-weights-own-output", "the hidden weights' gradients use the unit's own output a in place of the "
     "inputs: z1 = w11 x1 + w12 x2 + b1, so dL/dw11 = dL/dz1 * x1 and dL/dw12 = dL/dz1 * x2.",
     _scalar_221(own_output_input=True)),
    ("dv-uses-z", "dL/dv1 used z1 where a1 belongs: y_hat = v1 a1 + v2 a2 + b3, so dL/dv1 = dL/dy_hat * a1 (the "
     "hidden unit's output, after the sigmoid).", _scalar_221(dv_input=lambda z, a: z)),
    ("tanh-slope", "that is tanh's derivative 1 - a**2: these hidden units are sigmoids, sigma'(z1) = a1(1 - a1).",
     _scalar_221(sigma_prime=lambda z, a: 1 - a**2)),
    ("slope-copy-paste", "sigma'(z2) mixes the two units: it is a2(1 - a2), not a2(1 - a1) (or a1(1 - a2)).",
     [_scalar_221(slope2=lambda a1, a2: a2 * (1 - a1)), _scalar_221(slope2=lambda a1, a2: a1 * (1 - a2)),
      _scalar_221(slope2=lambda a1, a2: a1 * (1 - a1))]),
    ("returns-tuple", "backprop_221 returns a tuple: return the dict of the nine gradients keyed by the parameters' "
     "names, {'w11': ..., 'w12': ..., ..., 'b3': ...}.", _scalar_as("tuple")),
    ("keys-named-after-gradients", "the keys are the gradients' names ('dw11', 'dL_dw11'): key the dict by the "
     "parameters' names, 'w11', 'w12', ..., 'b3', as the training step looks them up.",
     [_scalar_as("d"), _scalar_as("dL_d")]),
    ("sigmoid-sign-flipped", "the sigmoid has the wrong sign: it is 1 / (1 + exp(-z)), not 1 / (1 + exp(z)).",
     _scalar_221(activation=lambda z: sigmoid(-z))),
])


def _matrix_221(dyhat=lambda y_hat, y: y_hat - y, sigma_prime=lambda z, a: a * (1 - a), forward_W1=lambda W: W,
                dW1=lambda x, dz: x.T @ dz, dW2=lambda a, d: a.T @ d, db1=lambda dz: dz.sum(axis=0),
                db2=lambda d: d.sum(axis=0), output=lambda z: z, back=lambda d, W2: d @ W2.T, scale=1.0,
                through=lambda da, slope: da * slope, activation=sigmoid, dW2_input=None, targets=lambda Y: Y):
    """A backward pass of the 2-2-1 network in the row layout with one of the usual mistakes switched on."""
    def grads(X, Y, W1, b1, W2, b2):
        z1 = X @ forward_W1(W1) + b1
        a1 = activation(z1)
        y_hat = output(a1 @ W2 + b2)
        d = dyhat(y_hat, targets(Y))
        if output is sigmoid:
            d = d * y_hat * (1 - y_hat)
        dz1 = through(back(d, W2), sigma_prime(z1, a1))
        s = scale(X) if callable(scale) else scale
        w2_input = a1 if dW2_input is None else dW2_input(X, z1, a1)
        return {"W1": dW1(X, dz1) * s, "b1": db1(dz1) * s, "W2": dW2(w2_input, d) * s, "b2": db2(d) * s}
    return grads


def _matrix_as_tuple(X, Y, W1, b1, W2, b2):
    g = ref.backprop_221_matrix(X, Y, W1, b1, W2, b2)
    return g["W1"], g["b1"], g["W2"], g["b2"]


def _matrix_in_float32(X, Y, W1, b1, W2, b2):
    X, Y, W1, b1, W2, b2 = (np.asarray(a, dtype=np.float32) for a in (X, Y, W1, b1, W2, b2))
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": A1.T @ delta2, "b2": delta2.sum(axis=0)}


def _clipped_sigmoid(bound):
    def clipped(z):
        return sigmoid(np.clip(z, -bound, bound))
    return clipped


register(ref.backprop_221_matrix, [
    ("factor-2-1-2-2",
     "the factor 2 of the 1/2 convention: with L = (1/2)(y_hat - y)**2, dL/dy_hat = y_hat - y, not 2(y_hat - y).",
     _matrix_221(dyhat=lambda y_hat, y: 2 * (y_hat - y))),
    ("sign-error-dl-dy-2",
     "a sign error: dL/dy_hat = y_hat - y, not y - y_hat.", _matrix_221(dyhat=lambda y_hat, y: y - y_hat)),
    ("sigmoid-s-derivative-missing-2",
     "the sigmoid's derivative is missing: dz1 = da1 * a1 * (1 - a1).", _matrix_221(sigma_prime=lambda z, a: 1.0)),
    ("sigma-used-where-sigma-2", "sigma'(a) was used where sigma'(z) is meant: the derivative is a1 * (1 - a1), "
     "not sigmoid(a1) * (1 - sigmoid(a1)).", _matrix_221(sigma_prime=lambda z, a: sigmoid(a) * (1 - sigmoid(a)))),
    ("z-used-place-sigmoid-2",
     "z was used in place of a in the sigmoid's derivative: it is a1 * (1 - a1) with a1 = sigmoid(z1), "
     "not z1 * (1 - z1).", _matrix_221(sigma_prime=lambda z, a: z * (1 - z))),
    ("w2-left-out-dl", "W2 was left out of dL/da1: each hidden unit reaches the output through its weight in W2, so "
     "da1 = delta2 @ W2.T, shape (m, 2).", _matrix_221(back=lambda d, W2: d)),
    ("rows-errors-added-up",
     "the rows' errors were added up before being passed back: every example keeps its own row, "
     "da1 = delta2 @ W2.T, shape (m, 2); only the parameters' gradients sum over the rows.",
     _matrix_221(back=lambda d, W2: d.sum() * W2.T)),
    ("dw1-transposed-row-layout",
     "dW1 is transposed: in the row layout dW1 = X.T @ dz1 (one row per input, like W1); dz1.T @ X is the "
     "column form's delta x^T.", _matrix_221(dW1=lambda x, dz: dz.T @ x)),
    ("np-outer-x-dz1",
     "np.outer(X, dz1) flattens its arguments: for one row it happens to equal X.T @ dz1, but for a batch "
     "it mixes the examples; dW1 = X.T @ dz1 sums each example's outer product over the rows.",
     _matrix_221(dW1=lambda x, dz: np.outer(x, dz))),
    ("dw2-transposed-dw2-a1",
     "dW2 is transposed: dW2 = a1.T @ dy_hat has W2's shape (2, 1).", _matrix_221(dW2=lambda a, d: d.T @ a)),
    ("bias-gradients-summed-over",
     "the bias gradients were not summed over the rows: b1 is added to every row, so db1 = dz1.sum(axis=0), "
     "shape (2,) like b1, and db2 = delta2.sum(axis=0).",
     _matrix_221(db1=lambda dz: dz, db2=lambda d: d)),
    ("b1-s-gradient-summed",
     "b1's gradient was not summed over the rows: b1 is added to every row, so db1 = dz1.sum(axis=0), "
     "shape (2,) like b1.", _matrix_221(db1=lambda dz: dz)),
    ("b2-s-gradient-summed",
     "b2's gradient was not summed over the rows: b2 is added to every row, so db2 = delta2.sum(axis=0), "
     "shape (1,) like b2.", _matrix_221(db2=lambda d: d)),
    ("bias-gradient-takes-only",
     "a bias gradient takes only the first row (dz1[0]): with several examples it is the sum over all the "
       "rows, dz1.sum(axis=0).",
     [_matrix_221(**only) for only in ({"db1": lambda dz: dz[0], "db2": lambda d: d[0]},
                                                                  {"db1": lambda dz: dz[0]}, {"db2": lambda d: d[0]})]),
    ("bias-gradient-averaged-over",
     "a bias gradient was averaged over the rows (.mean(axis=0)): the loss is the sum of the examples' losses, "
       "so each bias gradient is a sum, dz1.sum(axis=0).",
     [_matrix_221(**only) for only in ({"db1": lambda dz: dz.mean(axis=0), "db2": lambda d: d.mean(axis=0)},
                   {"db1": lambda dz: dz.mean(axis=0)}, {"db2": lambda d: d.mean(axis=0)})]),
    ("bias-gradients-keepdims", "the bias gradients keep the summed axis (keepdims=True): db1 must have b1's shape "
     "(2,), and db2 b2's (1,); sum without keepdims, dz1.sum(axis=0).",
     [_matrix_221(db1=lambda dz: dz.sum(axis=0, keepdims=True), db2=lambda d: d.sum(axis=0, keepdims=True)),
      _matrix_221(db1=lambda dz: dz.sum(axis=0, keepdims=True)),
      _matrix_221(db2=lambda d: d.sum(axis=0, keepdims=True))]),
    ("bias-gradients-summed-over-2",
     "the bias gradients were summed over the wrong axis: sum over the examples, axis=0, to get one entry per "
     "unit.", _matrix_221(db1=lambda dz: dz.sum(axis=1), db2=lambda d: d.sum(axis=1))),
    ("gradients-averaged-over-rows",
     "the gradients were averaged over the rows (divided by m): the loss here is the sum of the examples' losses, "
     "L = (1/2) sum((y_hat - Y)**2), so its gradients are sums; a mean belongs to a mean loss (lesson 05).",
     _matrix_221(scale=lambda X: 1.0 / X.shape[0])),
    ("forward-pass-used-x",
     "the forward pass used X @ W1.T: that is the column form W x. In the row layout z1 = X @ W1 + b1, "
     "with W1[i, j] the weight from input i to hidden unit j.",
     [_matrix_221(forward_W1=lambda W: W.T), _matrix_221(forward_W1=lambda W: W.T, dW1=lambda x, dz: dz.T @ x)]),
    ("sigmoid-put-output-network-2",
     "a sigmoid was put on the output: in this network the output is linear, y_hat = a1 @ W2 + b2.",
     _matrix_221(output=sigmoid)),
    ("targets-flattened", "Y was flattened (Y.ravel(), shape (m,)): y_hat - Y then broadcasts (m, 1) against (m,) to "
     "an (m, m) matrix. Keep Y as it is, shape (m, 1) like y_hat.", _matrix_221(targets=lambda Y: Y.ravel())),
    ("slope-matmul", "the sigmoid's slope was applied with @, a matrix product: through an activation the chain rule "
     "multiplies entry by entry, dz1 = da1 * a1 * (1 - a1), shape (m, 2).",
     [_matrix_221(through=lambda da, slope: da @ slope.T), _matrix_221(through=lambda da, slope: da @ slope)]),
    ("dW2-uses-X", "dW2 used the network's input X where the hidden layer's output belongs: y_hat = a1 @ W2 + b2, "
     "so dW2 = a1.T @ delta2.", _matrix_221(dW2_input=lambda X, z1, a1: X)),
    ("dW2-uses-z1", "dW2 used z1 where a1 belongs: the output layer's input is the hidden layer's output after the "
     "sigmoid, so dW2 = a1.T @ delta2.", _matrix_221(dW2_input=lambda X, z1, a1: z1)),
    ("dW2-uses-slope", "a1 was overwritten by the sigmoid's slope before dW2 used it (S = a1; S *= 1 - a1 changes a1 "
     "itself): compute the slope as a new array, a1 * (1 - a1).",
     _matrix_221(dW2_input=lambda X, z1, a1: a1 * (1 - a1))),
    ("clips-z1", "z1 is clipped before the sigmoid: for a large |z1| the output and the slope are then wrong "
     "(sigmoid(30) is not sigmoid(10)). No clip is needed: np.exp(-z) may overflow to inf, and 1 / (1 + inf) = 0 "
     "is right.", [_matrix_221(activation=_clipped_sigmoid(bound)) for bound in (10, 15)]),
    ("matrix-returns-tuple", "backprop_221_matrix returns a tuple: return the dict of gradients keyed like the "
     "parameters, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}.", _matrix_as_tuple),
    ("matrix-float32", "the arrays were turned into float32: every gradient then has about 7 right digits. Compute "
     "in float64, as the arrays are given (no astype(np.float32) or dtype=np.float32).", _matrix_in_float32),
    ("tanh-slope-2", "that is tanh's derivative 1 - a1**2: these hidden units are sigmoids, a1 * (1 - a1).",
     _matrix_221(sigma_prime=lambda z, a: 1 - a**2)),
])


# backprop_221_matrix may call the student's backprop_221 row by row: a wrong backprop_221 is named by its own test
depends([ref.backprop_221_matrix, ref.loss_221_matrix], "backprop_221", ref.backprop_221, "backprop_221",
        "Exercise 1's backprop_221")
