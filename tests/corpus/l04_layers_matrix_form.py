"""Wrong (and unusual right) answers to lesson 04, written from the student version only.

Each WRONG entry is a mistake a student could really make in one answer cell; "before" records what the
course's feedback said about it (visible tests, then --hidden), measured with tests/corpus/harness.py.
"""

LESSON = "04_layers_matrix_form"

WRONG = [
    # ------------------------------------------------------------------ Exercise 1: Linear
    {"id": "l04-lin-dW-column-form",
     "exercise": "linear_layer",
     "bug": "dW = dout.T @ x, the column form's delta x^T written with row arrays: shape (n_out, n_in), the transpose of W",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = dout.T @ x
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-dw-transposed"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: dW is transposed: with examples as rows dL/dW = x.T @ dout.'}},

    {"id": "l04-lin-dx-no-transpose",
     "exercise": "linear_layer",
     "bug": "dx = dout @ W without the transpose (right shape only when W is square)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = x.T @ dout
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"]
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-dx-no-transpose"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: a missing transpose in dx: dL/dx = dout @ W.T.'}},

    {"id": "l04-lin-dx-column-form",
     "exercise": "linear_layer",
     "bug": "dx = W.T @ dout, the column form's W^T delta copied into the row layout",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = x.T @ dout
        db = dout.sum(axis=0)
        dx = self.params["W"].T @ dout
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-dx-column-form"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Raises the matmul ValueError with the generic 'a missing or extra .T?'; the fix is the order of the factors (dout @ W.T), no cause named."}},

    {"id": "l04-lin-mean-over-batch",
     "exercise": "linear_layer",
     "bug": "divides dW and db by the batch size m (averaging), though dout already is the full gradient",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        m = x.shape[0]
        dW = x.T @ dout / m
        db = dout.sum(axis=0) / m
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-averaged"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "m = 1 passes; batches: 'Likely cause: the gradients are divided by the batch size'."}},

    {"id": "l04-lin-db-axis1",
     "exercise": "linear_layer",
     "bug": "db = dout.sum(axis=1): sums over the units instead of over the examples",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = x.T @ dout
        db = dout.sum(axis=1)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-db-wrong-axis"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the bias gradient is summed over the wrong axis.'}},

    {"id": "l04-lin-db-keepdims",
     "exercise": "linear_layer",
     "bug": "db = dout.sum(axis=0, keepdims=True): shape (1, n_out) instead of b's (n_out,)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = x.T @ dout
        db = np.sum(dout, axis=0, keepdims=True)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-db-keepdims"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "Headline 'Likely cause: the bias gradient is not summed over the batch' is false (it is, with keepdims=True); only the per-entry line 'a sum with keepdims=True ...' is right."}},

    {"id": "l04-lin-db-is-dout",
     "exercise": "linear_layer",
     "bug": "db = dout (step 4 of the column form, 'dL/db = delta'), not summed over the rows",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dW = x.T @ dout
        db = dout
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-db-not-summed"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the bias gradient is not summed over the batch.'}},

    {"id": "l04-lin-no-bias",
     "exercise": "linear_layer",
     "bug": "forgets the bias in forward: out = x @ W",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        out = x @ self.params["W"]
        return out, x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-no-bias"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the bias is missing from the forward pass.'}},

    {"id": "l04-lin-cache-out",
     "exercise": "linear_layer",
     "bug": "caches the layer's output instead of its input and uses it in backward: dW = out.T @ dout (output used where the input is needed)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        out = x @ self.params["W"] + self.params["b"]
        return out, out

    def backward(self, dout, cache):
        out = cache
        dW = out.T @ dout
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-caches-output"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "grads['W'] differs, expected/got only; no cause (the output cached and used where the input is needed)."}},

    {"id": "l04-lin-swapped-return",
     "exercise": "linear_layer",
     "bug": "backward returns (grads, dx) instead of (dx, grads)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        grads = {"W": x.T @ dout, "b": dout.sum(axis=0)}
        return grads, dout @ self.params["W"].T
"""},
     "names": ["course.outputs-swapped"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'dx: expected an array of shape (1, 2), got a dict' and 'grads: expected a dict ..., got an array': the swap is plain."}},

    {"id": "l04-lin-grad-keys",
     "exercise": "linear_layer",
     "bug": "grads dict keyed 'dW', 'db' instead of the parameters' names 'W', 'b'",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"dW": x.T @ dout, "db": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-grad-keys"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected the keys ['W', 'b'], got ['dW', 'db']'."}},

    {"id": "l04-lin-forward-no-cache",
     "exercise": "linear_layer",
     "bug": "forward returns only out (no cache), keeping x on self for backward",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout, cache=None):
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-forward-no-cache"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'forward must return a pair (out, cache), but returned an array'."}},

    {"id": "l04-lin-self-x",
     "exercise": "linear_layer",
     "bug": "keeps state between calls: forward stores x on self and backward uses self.x, ignoring the cache it is given (wrong when two forwards precede the backwards, as in a layer used twice)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        self.x = x
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["course.backward-not-from-cache"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: backward does not use the cache it is given: it reads what the latest forward left ... (self.x = ...).'}},

    {"id": "l04-lin-update-in-backward",
     "exercise": "linear_layer",
     "bug": "in place: backward also does the gradient step, self.params['W'] -= 0.1 * dW (and b), changing the layer's parameters (dx then uses the updated W)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache, lr=0.1):
        x = cache
        dW = x.T @ dout
        db = dout.sum(axis=0)
        self.params["W"] -= lr * dW
        self.params["b"] -= lr * db
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
"""},
     "names": ["l04.linear-updates-in-backward"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "ParametersChanged: 'A layer only computes ... the update is done afterwards, by the training loop'."}},

    {"id": "l04-lin-out-buffer",
     "exercise": "linear_layer",
     "bug": "aliasing: forward writes into one output buffer kept on self (np.matmul(..., out=self._out)) and returns it, so the output of an earlier forward call changes at the next call",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self._out = None

    def forward(self, x):
        W, b = self.params["W"], self.params["b"]
        if self._out is None or self._out.shape != (x.shape[0], W.shape[1]):
            self._out = np.empty((x.shape[0], W.shape[1]))
        np.matmul(x, W, out=self._out)
        self._out += b
        return self._out, x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["course.forward-reuses-output"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "'Likely cause: backward does not use the cache it is given' - but backward does; the bug is forward returning one buffer kept on self, which the next forward overwrites (out differs)."}},

    {"id": "l04-lin-copies-W-in-init",
     "exercise": "linear_layer",
     "bug": "aliasing: __init__ keeps its own copies self.W = W.copy(), self.b = b.copy() and forward/backward use them, so an update of layer.params (sgd_step) never reaches the layer",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.W = W.copy()
        self.b = b.copy()
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.W + self.b, x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.W.T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-copies-params"],
     "before": {"visible": 'passed', "hidden_catches": False, "note": "Every visible and hidden check passes: lesson 04's check_layer never changes layer.params between calls, so a layer that reads private copies of W and b is not caught (lesson 06's reads_params check is not used here)."}},

    {"id": "l04-lin-b-shape-in-place",
     "exercise": "linear_layer",
     "bug": "in place: forward makes the bias a row for broadcasting with self.params['b'].shape = (1, -1), which changes the shape of the layer's (and the caller's) bias array; db then has a different shape from b",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        self.params["b"].shape = (1, -1)
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-reshapes-bias"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "ParametersChanged: 'params['b'] is no longer what it was ... the update (W -= lr * dW) is done afterwards, by the training loop': blames an update; the change is a .shape = in forward."}},

    {"id": "l04-lin-dout-scaled-in-place",
     "exercise": "linear_layer",
     "bug": "in place: backward averages the incoming gradient with dout /= m (changing the caller's dout) before computing dW, db and dx",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        dout /= x.shape[0]
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-dout-averaged-in-place"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Every batch case: 'the argument dout was changed in place', each gradient '0.07692 times the expected one'."}},

    {"id": "l04-lin-params-rebound",
     "exercise": "linear_layer",
     "bug": "forward replaces the layer's parameters by float32 copies 'to save memory' (self.params = {'W': W.astype(np.float32), ...}): the layer's params are no longer the arrays it was given, and everything loses precision",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        self.params = {"W": self.params["W"].astype(np.float32), "b": self.params["b"].astype(np.float32)}
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-params-replaced"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "ParametersChanged with the same 'the update ... is done afterwards' text; the student did no update, forward replaced params by float32 copies; neither the replacement nor float32 is named."}},

    {"id": "l04-lin-db-first-row",
     "exercise": "linear_layer",
     "bug": "db = dout[0]: the bias gradient of the first example only (right for one example, wrong for a batch)",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout[0]}
"""},
     "names": ["l04.linear-db-first-row"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "m = 1 passes; batches: grads['b'] differs, expected/got only; no cause, although lesson 03's matrix test names the same mistake (dz1[0])."}},

    {"id": "l04-lin-np-outer",
     "exercise": "linear_layer",
     "bug": "dW = np.outer(x, dout), 'the outer product' of the lesson: np.outer flattens both arrays, so it is right for one example and of shape (m*n_in, m*n_out) for a batch",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": np.outer(x, dout), "b": dout.sum(axis=0)}
"""},
     "names": ["l04.linear-dw-np-outer"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "m = 1 passes; batches: 'grads['W']: shape (65, 65), expected (5, 5)'; no cause (np.outer flattens)."}},

    # ------------------------------------------------------------------ Exercise 2: Sigmoid
    {"id": "l04-sig-slope-from-input",
     "exercise": "sigmoid_layer",
     "bug": "caches the input x and computes the slope as x*(1 - x): the input used where the output is needed",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        return sigmoid(x), x

    def backward(self, dout, cache):
        x = cache
        return dout * x * (1 - x), {}
"""},
     "names": ["l04.sigmoid-z-for-a"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the input z was used in place of the output a.'}},

    {"id": "l04-sig-sigmoid-of-output",
     "exercise": "sigmoid_layer",
     "bug": "caches the output s and computes the slope as sigmoid(s)*(1 - sigmoid(s)): applies the sigmoid a second time",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        s = sigmoid(cache)
        return dout * s * (1 - s), {}
"""},
     "names": ["l04.sigmoid-of-a"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: sigma'(a) was used where sigma'(z) is meant."}},

    {"id": "l04-sig-exp-ratio-overflow",
     "exercise": "sigmoid_layer",
     "bug": "sigmoid written np.exp(x) / (1 + np.exp(x)): inf/inf = NaN at x = 1000",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        e = np.exp(x)
        out = e / (1 + e)
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["l04.sigmoid-exp-over-exp"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the sigmoid was computed as exp(x) / (1 + exp(x)) ... inf / inf is NaN.'}},

    {"id": "l04-sig-clip-10",
     "exercise": "sigmoid_layer",
     "bug": "clips x to [-10, 10] against overflow before 1/(1 + exp(-x)): sigmoid(50) comes out 0.9999546 instead of 1 and the slope 4.5e-5 instead of ~0",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = 1 / (1 + np.exp(-np.clip(x, -10, 10)))
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["l02.sigmoid-clips-input"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'far_out case: out and dx differ by up to 9e-05, expected/got only; no cause (clipping).'}},

    {"id": "l04-sig-no-dout",
     "exercise": "sigmoid_layer",
     "bug": "backward returns only the local slope s*(1 - s), forgetting to multiply by dout",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        return cache * (1 - cache), {}
"""},
     "names": ["l04.sigmoid-no-dout"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: dout is missing.'}},

    {"id": "l04-sig-tanh-slope",
     "exercise": "sigmoid_layer",
     "bug": "uses tanh's derivative 1 - s**2",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        return dout * (1 - cache ** 2), {}
"""},
     "names": ["l02.sigmoid-tanh-slope"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "dx differs, expected/got only; tanh's slope not recognised."}},

    {"id": "l04-sig-returns-dx-only",
     "exercise": "sigmoid_layer",
     "bug": "backward returns dx alone, since the sigmoid has no parameters (no empty dict)",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache)
"""},
     "names": ["l04.sigmoid-returns-dx-only"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'backward must return a pair (dx, grads), with grads {} when there are no parameters'."}},

    {"id": "l04-sig-returns-none-grads",
     "exercise": "sigmoid_layer",
     "bug": "backward returns (dx, None) instead of (dx, {})",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), None
"""},
     "names": ["l04.sigmoid-grads-none"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected a dict with keys [], got a NoneType'."}},

    {"id": "l04-sig-math-exp",
     "exercise": "sigmoid_layer",
     "bug": "uses math.exp, which only takes a single number, on the array",
     "cells": {"sigmoid_layer": """import math


class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = 1 / (1 + math.exp(-x))
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["l02.sigmoid-math-exp"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Raw 'TypeError: only 0-dimensional arrays can be converted to Python scalars in forward'; math.exp not named."}},

    {"id": "l04-sig-eps-slope",
     "exercise": "sigmoid_layer",
     "bug": "adds 1e-8 to the slope 'so the gradient never vanishes' (the slope is no longer the derivative; the error is tiny)",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        return dout * (cache * (1 - cache) + 1e-8), {}
"""},
     "names": ["l02.sigmoid-slope-plus-eps"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'far_out case: dx off by 2e-08, expected/got only; no cause.'}},

    {"id": "l04-sig-float32",
     "exercise": "sigmoid_layer",
     "bug": "computes the sigmoid in float32 'because it is enough for an activation'",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x.astype(np.float32))
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["l04.sigmoid-float32"],
     "before": {"visible": 'passed', "hidden_catches": True, "note": 'Visible tests all pass (seeded cases within tolerance); the hidden random cases catch it on 3 of 25 with numbers only (~6e-09).'}},

    {"id": "l04-sig-forward-in-place",
     "exercise": "sigmoid_layer",
     "bug": "in place: forward computes the sigmoid in the input's own array to save memory (x *= -1; np.exp(x, out=x); x += 1; np.reciprocal(x, out=x)), overwriting the caller's x and returning it",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        x *= -1
        np.exp(x, out=x)
        x += 1
        np.reciprocal(x, out=x)
        return x, x

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument x was changed in place'."}},

    {"id": "l04-sig-dout-in-place",
     "exercise": "sigmoid_layer",
     "bug": "in place: backward does dout *= s*(1 - s) and returns dout itself, changing the caller's gradient array",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        dout *= cache * (1 - cache)
        return dout, {}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument dout was changed in place'."}},

    {"id": "l04-sig-cache-in-place",
     "exercise": "sigmoid_layer",
     "bug": "in place: backward turns the cached output into the slope in its own array (s = cache; s *= 1 - s), so the cache is destroyed and a second backward with the same cache is wrong",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = sigmoid(x)
        return out, out

    def backward(self, dout, cache):
        s = cache
        s *= 1 - s
        return dout * s, {}
"""},
     "names": ["course.backward-changes-cache"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'a second backward on the same cache gave other gradients: backward changes its cache in place (e.g. probs -= Y)': right cause, with an example from lesson 06 (softmax) the student has not met."}},

    {"id": "l04-sig-self-out",
     "exercise": "sigmoid_layer",
     "bug": "keeps state between calls: forward stores its output on self and backward uses self.out, ignoring the cache",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out, x

    def backward(self, dout, cache):
        return dout * self.out * (1 - self.out), {}
"""},
     "names": ["course.backward-not-from-cache"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: backward does not use the cache it is given.'}},

    {"id": "l04-sig-out-buffer",
     "exercise": "sigmoid_layer",
     "bug": "aliasing: forward writes into one output buffer kept on self and returns it as both out and cache, so the next forward overwrites an earlier output and its cache",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}
        self._buf = None

    def forward(self, x):
        if self._buf is None or self._buf.shape != x.shape:
            self._buf = np.empty(x.shape)
        self._buf[...] = sigmoid(x)
        return self._buf, self._buf

    def backward(self, dout, cache):
        return dout * cache * (1 - cache), {}
"""},
     "names": ["course.forward-reuses-output"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "'Likely cause: backward does not use the cache it is given' - but it does; the bug is forward returning one buffer kept on self as out and cache, overwritten by the next forward (out differs)."}},

    # ------------------------------------------------------------------ Exercise 3: backward_pass
    {"id": "l04-bp-forward-order",
     "exercise": "backward_pass",
     "bug": "loops over the layers from the first to the last instead of from the last to the first",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(layers, caches):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads
"""},
     "names": ["l04.backward-in-forward-order"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: 'the layers are visited first to last ... Or: dout is not passed on': right cause first, with a second alternative."}},

    {"id": "l04-bp-grads-reversed",
     "exercise": "backward_pass",
     "bug": "appends the grads while going backwards and forgets to reverse the list: grads[0] belongs to the last layer",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads
"""},
     "names": ["l04.backward-grads-reversed"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the gradients are listed last layer first.'}},

    {"id": "l04-bp-not-chained",
     "exercise": "backward_pass",
     "bug": "hands every layer the network's dout instead of the dx of the layer after it (the result of backward goes into a new name that is never passed on)",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = [None] * len(layers)
    dx = dout
    for i in reversed(range(len(layers))):
        dx, grads[i] = layers[i].backward(dout, caches[i])
    return dx, grads
"""},
     "names": ["l04.backward-dout-not-passed-on"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "Same message as forward-order: headline 'the layers are visited first to last' is false here (the loop is reversed); the right cause is only the 'Or: dout is not passed on' alternative."}},

    {"id": "l04-bp-caches-not-reversed",
     "exercise": "backward_pass",
     "bug": "reverses the layers but not the caches: zip(reversed(layers), caches) gives each layer another layer's cache",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), caches):
        dout, g = layer.backward(dout, cache)
        grads.insert(0, g)
    return dout, grads
"""},
     "names": ["l04.backward-caches-in-forward-order"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the layers are taken last to first but their caches first to last.'}},

    {"id": "l04-bp-skips-first-layer",
     "exercise": "backward_pass",
     "bug": "off by one: range(len(layers) - 1, 0, -1) stops before layer 0",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = [{} for _ in layers]
    for i in range(len(layers) - 1, 0, -1):
        dout, grads[i] = layers[i].backward(dout, caches[i])
    return dout, grads
"""},
     "names": ["l04.backward-skips-the-first-layer"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "'dx: shape (1, 3), expected (1, 2)', 'grads[0]: expected the keys ['W', 'b'], got []'; no cause (off-by-one in range)."}},

    {"id": "l04-bp-skips-activations",
     "exercise": "backward_pass",
     "bug": "skips the layers without parameters ('the sigmoid has nothing to learn'), so dx never goes through the activations' slopes and grads has fewer entries than layers",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(layers[::-1], caches[::-1]):
        if not layer.params:
            continue
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, grads[::-1]
"""},
     "names": ["l04.backward-skips-activations"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "dx differs and 'grads: expected a list of 4 entries, got a list of length 2'; no cause (layers without params skipped)."}},

    {"id": "l04-bp-merged-dict",
     "exercise": "backward_pass",
     "bug": "collects every layer's gradients into one dict with grads.update(g): each 'W' overwrites the one before, and the result is not a list per layer",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = {}
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.update(g)
    return dout, grads
"""},
     "names": ["l04.backward-merged-dict"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected a list of 4 entries, got a dict'."}},

    {"id": "l04-bp-swapped-return",
     "exercise": "backward_pass",
     "bug": "returns (grads, dx) instead of (dx, grads)",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return grads[::-1], dout
"""},
     "names": ["course.outputs-swapped"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'dx: expected an array ..., got a list of length 4' / 'grads: ... got an array': the swap is plain."}},

    {"id": "l04-bp-returns-input-dout",
     "exercise": "backward_pass",
     "bug": "chains the gradient correctly in a loop variable d, but returns the dout it was given instead of the final dx",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    d = dout
    for layer, cache in zip(reversed(layers), reversed(caches)):
        d, g = layer.backward(d, cache)
        grads.append(g)
    grads.reverse()
    return dout, grads
"""},
     "names": ["l04.backward-returns-its-dout"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "'dx: shape (1, 1), expected (1, 2)'; no cause (the dout given is returned instead of the final dx)."}},

    {"id": "l04-bp-returns-iterator",
     "exercise": "backward_pass",
     "bug": "returns reversed(grads), a one-shot iterator, instead of a list in the layers' order",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    return dout, reversed(grads)
"""},
     "names": ["course.returns-iterator"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected a list of 4 entries, got a list_reverseiterator'."}},

    {"id": "l04-bp-pop-caches",
     "exercise": "backward_pass",
     "bug": "aliasing: takes the caches with caches.pop(), which empties the caller's list of caches (a second backward on the same forward finds no caches)",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    for layer in reversed(layers):
        dout, g = layer.backward(dout, caches.pop())
        grads.append(g)
    grads.reverse()
    return dout, grads
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument caches was changed in place'; the remedy text speaks of arrays (g *= s, .copy()), not of pop()."}},

    {"id": "l04-bp-reverse-in-place",
     "exercise": "backward_pass",
     "bug": "in place: layers.reverse() and caches.reverse() reverse the caller's lists (and are never undone), so the network is left upside down for the next call",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    layers.reverse()
    caches.reverse()
    grads = []
    for layer, cache in zip(layers, caches):
        dout, g = layer.backward(dout, cache)
        grads.append(g)
    grads.reverse()
    return dout, grads
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "'the argument caches was changed in place (caches[0])': points at an element being mutated and at array fixes (g *= s); the list was reordered, and layers, reversed too, is not mentioned."}},

    {"id": "l04-bp-sgd-inside",
     "exercise": "backward_pass",
     "bug": "in place: updates each layer's parameters as soon as its gradients are known (params -= 0.1*grads inside the loop): the gradients returned are right, but the network's weights change, and a second call gives different gradients",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout, lr=0.1):
    grads = [None] * len(layers)
    for i in reversed(range(len(layers))):
        dout, grads[i] = layers[i].backward(dout, caches[i])
        for name in grads[i]:
            layers[i].params[name] -= lr * grads[i][name]
    return dout, grads
"""},
     "names": ["l04.backward-updates-parameters"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "First three checks pass; the run-twice check: 'it changes the network it is given, most likely the layers' parameters ... the update (sgd_step) comes after it'."}},

    {"id": "l04-bp-mutable-default",
     "exercise": "backward_pass",
     "bug": "keeps state between calls: grads=[] as a default argument, so every call appends to the same list and later calls return the earlier calls' gradients too",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout, grads=[]):
    for i in range(len(layers) - 1, -1, -1):
        dout, g = layers[i].backward(dout, caches[i])
        grads.insert(0, g)
    return dout, grads
"""},
     "names": ["course.output-reused", "course.state-between-calls"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "First case passes; then 'grads: expected a list of 8 entries, got a list of length 44'; no cause (mutable default argument keeps state)."}},

    {"id": "l04-bp-one-dict-reused",
     "exercise": "backward_pass",
     "bug": "aliasing: one dict g, created before the loop, is filled with each layer's gradients and appended, so every entry of grads is the same dict (the first layer's gradients, with stale keys from the others)",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    g = {}
    for layer, cache in zip(layers[::-1], caches[::-1]):
        dout, layer_grads = layer.backward(dout, cache)
        g.clear()
        g.update(layer_grads)
        grads.append(g)
    return dout, grads[::-1]
"""},
     "names": ["l04.backward-one-dict-refilled"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "grads[1] and grads[3] have keys W, b and grads[2]['W'] the wrong shape; no cause (one dict object appended for every layer)."}},
]

RIGHT = [
    {"id": "l04-right-lin-einsum",
     "exercise": "linear_layer",
     "bug": "(right) every product with np.einsum, the cache a tuple (x, W) taken at forward time",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        W = self.params["W"]
        return np.einsum("mi,io->mo", x, W) + self.params["b"], (x, W)

    def backward(self, dout, cache):
        x, W = cache
        return np.einsum("mo,io->mi", dout, W), {"W": np.einsum("mi,mo->io", x, dout), "b": np.einsum("mo->o", dout)}
"""}},

    {"id": "l04-right-lin-dot-ones",
     "exercise": "linear_layer",
     "bug": "(right) np.dot and a ones vector for the bias sum, a defensive copy of x in the cache, a dict cache",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        out = np.dot(x, self.params["W"]) + self.params["b"]
        return out, {"x": x.copy()}

    def backward(self, dout, cache):
        x = cache["x"]
        ones = np.ones(x.shape[0])
        dW = np.dot(x.T, dout)
        db = np.dot(ones, dout)
        dx = np.dot(dout, self.params["W"].T)
        return dx, {"W": dW, "b": db}
"""}},

    {"id": "l04-right-lin-transpose-trick",
     "exercise": "linear_layer",
     "bug": "(right) computes in the column layout and transposes back: dW = (dout.T @ x).T, dx = (W @ dout.T).T",
     "cells": {"linear_layer": """class Linear:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return (self.params["W"].T @ x.T + self.params["b"][:, None]).T, x

    def backward(self, dout, cache):
        x = cache
        dW = (dout.T @ x).T
        db = dout.T.sum(axis=1)
        dx = (self.params["W"] @ dout.T).T
        return dx, {"W": dW, "b": db}
"""}},

    {"id": "l04-right-sig-tanh",
     "exercise": "sigmoid_layer",
     "bug": "(right) sigmoid as (1 + tanh(x/2))/2, which never overflows",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        out = 0.5 * (1.0 + np.tanh(0.5 * x))
        return out, out

    def backward(self, dout, cache):
        return dout * cache * (1.0 - cache), {}
"""}},

    {"id": "l04-right-sig-where-stable",
     "exercise": "sigmoid_layer",
     "bug": "(right) the two-branch stable sigmoid with np.where and exp(-|x|); cache holds x and out as a dict",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return out, {"x": x, "out": out}

    def backward(self, dout, cache):
        s = cache["out"]
        return dout * s * (1 - s), {}
"""}},

    {"id": "l04-right-sig-plain-exp",
     "exercise": "sigmoid_layer",
     "bug": "(right) 1/(1 + np.exp(-x)), which the lesson says is safe (overflow only where the answer is 0); slope written s - s**2",
     "cells": {"sigmoid_layer": """class Sigmoid:
    def __init__(self):
        self.params = {}

    def forward(self, x):
        with np.errstate(over="ignore"):
            out = 1.0 / (1.0 + np.exp(-x))
        return out, out

    def backward(self, dout, cache):
        return dout * (cache - cache ** 2), {}
"""}},

    {"id": "l04-right-bp-recursive",
     "exercise": "backward_pass",
     "bug": "(right) recursion: the backward pass of the rest of the network first, then the first layer",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    if len(layers) == 0:
        return dout, []
    d_rest, grads_rest = backward_pass(layers[1:], caches[1:], dout)
    dx, g = layers[0].backward(d_rest, caches[0])
    return dx, [g] + list(grads_rest)
"""}},

    {"id": "l04-right-bp-while-insert",
     "exercise": "backward_pass",
     "bug": "(right) a while loop with an index and grads.insert(0, ...), returning a tuple",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = []
    i = len(layers)
    while i > 0:
        i -= 1
        dout, g = layers[i].backward(dout, caches[i])
        grads.insert(0, g)
    return dout, tuple(grads)
"""}},

    {"id": "l04-right-bp-enumerate-preallocated",
     "exercise": "backward_pass",
     "bug": "(right) preallocated list filled by index from list(enumerate(...))[::-1]",
     "cells": {"backward_pass": """def backward_pass(layers, caches, dout):
    grads = [dict() for _ in layers]
    for i, (layer, cache) in list(enumerate(zip(layers, caches)))[::-1]:
        dout, grads[i] = layer.backward(dout, cache)
    return dout, grads
"""}},
]
