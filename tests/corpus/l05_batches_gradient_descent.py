"""Lesson 05, a newcomer's corpus: wrong answers a student would write, and right ones written unusually.

Written from the student notebook only (lessons/05_batches_gradient_descent), before looking at the course's
own catalogue of mistakes. "before" records what the feedback said when the corpus was first run
(visible tests as the student sees them, then --hidden).
"""

LESSON = "05_batches_gradient_descent"

# The correct backward, reused by the entries whose mistake is in train (and vice versa the correct train).
_BACKWARD_OK = """def backward(X, y, z1, a1, z2, W2):
    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
"""

_TRAIN_OK = """def train(X, y, params, lr, steps):
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
"""


def _bw(body):
    """A backward cell: the def line, then the body (already indented by 4)."""
    return "def backward(X, y, z1, a1, z2, W2):\n" + body


def _tr(body):
    return "def train(X, y, params, lr, steps):\n" + body


WRONG = [
    # ------------------------------------------------------------------ Exercise 1: batched_backward
    {"id": "l05-bw-no-factor-2",
     "exercise": "batched_backward",
     "bug": "dz2 = (z2 - y) / m: the 2 from the square is dropped (the student remembers the 1/2-MSE convention)",
     "names": ["l05.factor-2-differentiating-square"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'Likely cause: the factor 2 from differentiating the square is missing' (+ '0.5 times' per entry); train's test fails with numbers only, no pointer to backward"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-no-1-over-m",
     "exercise": "batched_backward",
     "bug": "dz2 = 2 * (z2 - y): the 1/m of the mean is missing, every gradient is m times too large",
     "names": ["l05.1-m-mean-missing"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "backward's test names the missing 1/m, but train's test (train is right) says 'Likely cause: the learning rate is missing from the update': lr=0.01 with m=100 makes a 100x gradient look exactly like a missing lr"},
     "cells": {"batched_backward": _bw("""    dz2 = 2 * (z2 - y)
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-1-over-m-twice",
     "exercise": "batched_backward",
     "bug": "the 1/m is in dz2 and again in every weight and bias gradient (column-form 1/m copied into the row form)",
     "names": ["l05.batch-averaged-twice-1"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the batch is averaged twice: the 1/m is already in dL/dz2'; train's test numbers only"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2 / m
    db2 = dz2.sum(axis=0) / m
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1 / m
    db1 = dz1.sum(axis=0) / m
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-bias-mean",
     "exercise": "batched_backward",
     "bug": "db2 = dz2.mean(axis=0) and db1 = dz1.mean(axis=0): the biases get a second 1/m, weights are right",
     "names": ["l05.bias-gradients-averaged-over"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the bias gradients are averaged over the batch ... need .sum(axis=0), not .mean(axis=0)'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.mean(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.mean(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-sign",
     "exercise": "batched_backward",
     "bug": "dz2 = 2 * (y - z2) / m: the error is target minus prediction, every gradient has the wrong sign",
     "names": ["l05.sign-error-dl-dz2"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "backward's test names the sign error in dL/dz2, but train's test says 'the update climbs the gradient: theta <- theta - lr * grad, with a minus' although train has the minus: blames train"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (y - z2) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-sigmoid-prime-of-z",
     "exercise": "batched_backward",
     "bug": "sigma'(z1) written as z1 * (1 - z1): the pre-activation is used where the sigmoid's output a1 belongs",
     "names": ["l05.z1-used-place-a1"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'z1 was used in place of a1 in the sigmoid's slope'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * z1 * (1 - z1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-no-sigmoid-prime",
     "exercise": "batched_backward",
     "bug": "dz1 = da1: the sigmoid's derivative is left out of the chain (the hidden layer treated as linear)",
     "names": ["l05.sigmoid-s-slope-missing"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the sigmoid's slope is missing: dL/dz1 = dL/da1 * sigmoid'(z1)'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    dz1 = dz2 @ W2.T
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-sigmoid-of-a1",
     "exercise": "batched_backward",
     "bug": "sigma'(z1) computed as sigmoid(a1) * (1 - sigmoid(a1)): the sigmoid applied a second time to a1",
     "names": ["l05.sigma-used-where-sigma"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'sigma'(a) was used where sigma'(z) is meant'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * sigmoid(a1) * (1 - sigmoid(a1))
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-relu-prime",
     "exercise": "batched_backward",
     "bug": "uses the ReLU derivative (z1 > 0) for the hidden layer, which is a sigmoid here",
     "names": ["l05.relu-slope"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'dW1/db1: 32 of 32 entries differ ... expected/got'; nothing about the hidden layer's slope being ReLU's instead of the sigmoid's"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * (z1 > 0)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-tanh-prime",
     "exercise": "batched_backward",
     "bug": "uses the tanh derivative 1 - a1**2 for the sigmoid hidden layer",
     "names": ["l05.tanh-slope"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only dW1/db1 differences; tanh' = 1 - a1**2 not recognised"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * (1 - a1 ** 2)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-db1-wrong-axis",
     "exercise": "batched_backward",
     "bug": "db1 = dz1.sum(axis=1): sums over the hidden units instead of the examples, shape (m,) instead of (8,)",
     "names": ["l05.bias-gradients-summed-over-2"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "backward: 'db1: shape (100,), expected (8,)' with no cause; train's test: 'ValueError ... in train - ... Print their shapes; a missing .T, or @ meant?': blames train and a transpose for a sum over the wrong axis in backward"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=1)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-keepdims",
     "exercise": "batched_backward",
     "bug": "bias gradients summed with keepdims=True: db1 is (1, 8) and db2 (1, 1), not the parameters' (8,) and (1,)",
     "names": ["l05.bias-gradients-keepdims"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'db1: shape (1, 8), expected (8,). An extra axis of length 1: a sum with keepdims=True'; train's test a raw broadcast ValueError 'in train'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0, keepdims=True)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0, keepdims=True)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-db-total-sum",
     "exercise": "batched_backward",
     "bug": "db1 = np.sum(dz1) and db2 = np.sum(dz2): no axis, so every hidden bias gets the same (total) gradient, a scalar",
     "names": ["l05.bias-gradients-summed-to-one-number"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'db1: expected an array of shape (8,), got the float64 np.float64(-0.00057...)': does not say the sum lost its axis=0 (every hidden bias gets the same total)"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = np.sum(dz2)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = np.sum(dz1)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-m-from-features",
     "exercise": "batched_backward",
     "bug": "m = X.shape[1]: the number of features (4) taken for the number of examples; right only for batches of 4",
     "names": ["l05.mean-divided-number-features"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the mean was divided by the number of features, X.shape[1] ... m = X.shape[0]'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[1]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-m-hardcoded-100",
     "exercise": "batched_backward",
     "bug": "m = 100 hard-coded from the tutorial's batch instead of taken from X",
     "names": ["l05.batch-size-written-100"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the batch size is written in as 100 (the tutorial's data set); take it from the batch itself'"},
     "cells": {"batched_backward": _bw("""    dz2 = 2 * (z2 - y) / 100
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-m-minus-1",
     "exercise": "batched_backward",
     "bug": "divides by m - 1 (like an unbiased variance, ddof=1): slightly too large, and a division by zero for a batch of 1",
     "names": ["l05.divides-by-m-minus-1"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'every entry is 1.01 times the expected one' and, for m=1, 'NaN or infinite' + 'divide by zero' warning; no cause (m - 1) named"},
     "cells": {"batched_backward": _bw("""    m = len(X)
    dz2 = 2 * (z2 - y) / (m - 1)
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-dW1-transposed",
     "exercise": "batched_backward",
     "bug": "dW1 = dz1.T @ X: the transpose of the gradient, shape (8, 4) instead of (4, 8)",
     "names": ["l05.dw1-transposed"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'dW1: shape (8, 4), expected (4, 8). That is the transpose ... a missing or extra .T?'; train's test repeats '.T?' but says 'in train'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = dz1.T @ X
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-dW2-uses-z1",
     "exercise": "batched_backward",
     "bug": "dW2 = z1.T @ dz2: the pre-activation z1 used where the layer's input a1 belongs",
     "names": ["l05.dw2-from-z1"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'dW2: 8 of 8 entries differ' numbers; the z1-for-a1 slip is named for sigma' but not for dW2"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = z1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-dW2-forgets-dz2",
     "exercise": "batched_backward",
     "bug": "dz2 is computed with 2/m but dW2 = a1.T @ (z2 - y) uses the raw error: only dW2 lacks the 2/m",
     "names": ["l05.dw2-without-2-over-m"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'every entry is 50 times the expected one' (m=100) and '0.5 times' (m=1): 'a missing or extra constant factor?', no cause"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ (z2 - y)
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-db1-from-da1",
     "exercise": "batched_backward",
     "bug": "db1 = da1.sum(axis=0): the bias of the hidden layer takes the gradient before the sigmoid's derivative (dW1 is right)",
     "names": ["l05.db1-before-slope"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'db1: 8 of 8 entries differ'; train's test numbers"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = da1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-flattened-y",
     "exercise": "batched_backward",
     "bug": "flattens the error with ravel() 'to be safe': dz2 is (m,), so dW2 comes out (8,) and db2 a scalar",
     "names": ["l05.error-flattened"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "backward: 'dW2: shape (8,), expected (8, 1). An axis is missing: summed over the wrong axis, or dropped with an index?' and 'db2: expected an array of shape (1,), got the float64'; nothing about ravel(); train's test a raw '(8,1) vs broadcast shape (8,8)' error"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2.ravel() - y.ravel()) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = np.outer(dz2, W2)
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-wrong-order",
     "exercise": "batched_backward",
     "bug": "returns (dW2, db2, dW1, db1), in the order they were computed, instead of (dW1, db1, dW2, db2)",
     "names": ["course.outputs-swapped"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "backward only lists four shape mismatches (dW1 (8,1) expected (4,8), ...) without saying the tuple is in the wrong order; train's test: 'in train - ... a missing .T, or @ meant?': wrong cause, wrong exercise"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW2, db2, dW1, db1
""")}},
    {"id": "l05-bw-returns-dict",
     "exercise": "batched_backward",
     "bug": "returns a dict {'W1': dW1, ...} like lesson 04's layers instead of the tuple (dW1, db1, dW2, db2)",
     "names": ["l05.returns-dict"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'should return 4 values (dW1, db1, dW2, db2), but returned a dict. Return them as a tuple'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l05-bw-float32",
     "exercise": "batched_backward",
     "bug": "casts everything to float32 'for speed' (a PyTorch habit): gradients carry float32 round-off, about 1e-7 relative",
     "names": ["course.float32"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'dW1: dtype float32, expected float64' (for each gradient)"},
     "cells": {"batched_backward": _bw("""    X, y, z1, a1, z2, W2 = (np.asarray(v, dtype=np.float32) for v in (X, y, z1, a1, z2, W2))
    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    # in-place and aliasing
    {"id": "l05-bw-inplace-z2",
     "exercise": "batched_backward",
     "bug": "z2 -= y to form the error in place: the gradients are right but the caller's z2 (the predictions) now holds z2 - y",
     "names": ["course.changes-argument"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the argument z2 was changed in place; compute new arrays'; train's test passes (train never reuses z2)"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    z2 -= y
    dz2 = 2 * z2 / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-alias-dz2-is-z2",
     "exercise": "batched_backward",
     "bug": "dz2 = z2; dz2 -= y; dz2 *= 2 / m: dz2 is the caller's z2, which becomes the gradient",
     "names": ["course.changes-argument"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the argument z2 was changed in place'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = z2
    dz2 -= y
    dz2 *= 2 / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-inplace-a1-after",
     "exercise": "batched_backward",
     "bug": "a1 *= 1 - a1 to get sigma' in place (after dW2 is computed): gradients right, but the caller's a1 is overwritten",
     "names": ["course.changes-argument"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'the argument a1 was changed in place'"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    a1 *= 1 - a1
    dz1 = da1 * a1
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-inplace-a1-before",
     "exercise": "batched_backward",
     "bug": "sigma' is computed in place in a1 (a1 *= 1 - a1) at the top, so dW2 = a1.T @ dz2 then uses sigma'(z1) instead of a1",
     "names": ["course.changes-argument"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "backward: 'dW2 ... differ' plus 'the argument a1 was changed in place' (fixing the in-place fixes dW2); train's test numbers only"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    a1 *= 1 - a1                      # sigma'(z1), needed below
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-state-first-m",
     "exercise": "batched_backward",
     "bug": "keeps state between calls: remembers m in a function attribute on the first call and reuses it for every later batch",
     "names": ["l05.batch-size-written-100", "course.state-between-calls"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "'Likely cause: the batch size is written in as 100 (the tutorial's data set)': nothing is written in; m is remembered from the first call (state kept between calls)"},
     "cells": {"batched_backward": _bw("""    if not hasattr(backward, "m"):
        backward.m = X.shape[0]
    m = backward.m
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    # ------------------------------------------------------------------ Exercise 2: training_loop
    {"id": "l05-tr-loss-after-update",
     "exercise": "training_loop",
     "bug": "the loss is recomputed and appended after the update: every loss is one step late, the untrained loss is missing",
     "names": ["l05.each-loss-recorded-after"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'each loss is recorded after its step's update: record the loss of the forward pass, before the update'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
        z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])[2]
        losses.append(mse_loss(z2, y))
    return losses
""")}},
    {"id": "l05-tr-rebind-dict",
     "exercise": "training_loop",
     "bug": "params = {k: params[k] - lr * g ...} rebinds the local name to a new dict: the caller's dict never changes (losses are right)",
     "names": ["l05.trained-weights-written-back"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the trained weights are not written back into params: update the arrays in the dict you were given'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        grads = dict(zip(["W1", "b1", "W2", "b2"], backward(X, y, z1, a1, z2, params["W2"])))
        params = {k: params[k] - lr * grads[k] for k in params}
    return losses
""")}},
    {"id": "l05-tr-unpacked-locals",
     "exercise": "training_loop",
     "bug": "unpacks W1, b1, W2, b2 from params once and updates them with W1 = W1 - lr * dW1: locals rebound, the caller's dict keeps the start",
     "names": ["l05.trained-weights-written-back"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the trained weights are not written back into params'"},
     "cells": {"training_loop": _tr("""    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, W1, b1, W2, b2)
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, W2)
        W1 = W1 - lr * dW1
        b1 = b1 - lr * db1
        W2 = W2 - lr * dW2
        b2 = b2 - lr * db2
    return losses
""")}},
    {"id": "l05-tr-biases-rebound",
     "exercise": "training_loop",
     "bug": "weights updated in place (W1 -= ...) on unpacked locals, but biases with b1 = b1 - lr * db1: the caller's biases never change, the losses are right",
     "names": ["l05.biases-not-written-back"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'params['b1'] ... got 0', 'params['b2'] ... got 0'; the 'not written back into params' cause shown for the whole dict is not given when only the biases are rebound"},
     "cells": {"training_loop": _tr("""    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, W1, b1, W2, b2)
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, W2)
        W1 -= lr * dW1
        W2 -= lr * dW2
        b1 = b1 - lr * db1
        b2 = b2 - lr * db2
    return losses
""")}},
    {"id": "l05-tr-copy-params",
     "exercise": "training_loop",
     "bug": "copies params at the start 'so as not to damage the input' and trains the copy in place: the caller's dict is never updated",
     "names": ["l05.trained-weights-written-back"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the trained weights are not written back into params'"},
     "cells": {"training_loop": _tr("""    params = {k: v.copy() for k, v in params.items()}
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-mutable-default",
     "exercise": "training_loop",
     "bug": "keeps state between calls: the list of losses is a mutable default argument, so a second call returns the first call's losses too",
     "names": ["course.state-between-calls"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "first case ok, then 'losses: shape (517,), expected (17,)', '(532,)', ...: growing lengths, no mention of state kept between calls / mutable default"},
     "cells": {"training_loop": """def train(X, y, params, lr, steps, losses=[]):
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
"""}},
    {"id": "l05-tr-zip-dict-order",
     "exercise": "training_loop",
     "bug": "updates with zip(params, grads): pairs the dict's keys with (dW1, db1, dW2, db2) by position, wrong whenever the caller's dict is not in the order W1, b1, W2, b2",
     "names": ["l05.relies-on-dict-order"],
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': 'every test builds params in the order W1, b1, W2, b2, so pairing keys and gradients by position is never caught'},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        grads = backward(X, y, z1, a1, z2, params["W2"])
        for name, g in zip(params, grads):
            params[name] -= lr * g
    return losses
""")}},
    {"id": "l05-tr-returns-params",
     "exercise": "training_loop",
     "bug": "returns params (the trained weights) instead of the list of losses",
     "names": ["l05.returns-params"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'train returned a dict (its params?): return the list of losses'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return params
""")}},
    {"id": "l05-tr-returns-tuple",
     "exercise": "training_loop",
     "bug": "returns (losses, params), like many tutorials' fit functions",
     "names": ["l05.returns-losses-and-params"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'train returned a tuple holding a dict (losses and params?): return only the list of losses'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses, params
""")}},
    {"id": "l05-tr-prints",
     "exercise": "training_loop",
     "bug": "prints the loss every 100 steps like the tutorial and returns nothing",
     "names": ["l05.returns-nothing"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'train returned None: return the list of losses, one per step'"},
     "cells": {"training_loop": _tr("""    for step in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        loss = mse_loss(z2, y)
        if step % 100 == 0:
            print(f"Step {step:4d} | Loss: {loss:.4f}")
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
""")}},
    {"id": "l05-tr-generator",
     "exercise": "training_loop",
     "bug": "yields each loss (a generator) instead of returning a list: nothing runs until someone iterates",
     "names": ["l05.yields-losses"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'train returned a generator: return a list of the losses'"},
     "cells": {"training_loop": _tr("""    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        yield mse_loss(z2, y)
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
""")}},
    {"id": "l05-tr-off-by-one",
     "exercise": "training_loop",
     "bug": "for step in range(1, steps): one step short, returns steps - 1 losses",
     "names": ["l05.loop-one-step-short"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'losses: shape (499,), expected (500,)' plus parameter differences; no cause"},
     "cells": {"training_loop": _tr("""    losses = []
    for step in range(1, steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-stops-when-loss-rises",
     "exercise": "training_loop",
     "bug": "'early stopping': breaks out of the loop as soon as the loss goes up, so large rates take fewer than steps steps",
     "names": ["l05.loop-stops-when-loss"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the loop stops when the loss goes up: train takes every one of the steps'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        loss = mse_loss(z2, y)
        if losses and loss > losses[-1]:
            break
        losses.append(loss)
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-forward-outside-loop",
     "exercise": "training_loop",
     "bug": "the forward pass is run once, before the loop: every step reuses the untrained z1, a1, z2, so the gradients and losses are stale",
     "names": ["l05.forward-once"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': 'losses and all params differ; nothing about the stale forward pass'},
     "cells": {"training_loop": _tr("""    losses = []
    z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
    for _ in range(steps):
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-ascent",
     "exercise": "training_loop",
     "bug": "params[k] += lr * g: gradient ascent, the sign of the update is wrong",
     "names": ["l05.update-climbs-gradient-theta"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the update climbs the gradient: theta <- theta - lr * grad, with a minus'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] += lr * dW1
        params["b1"] += lr * db1
        params["W2"] += lr * dW2
        params["b2"] += lr * db2
    return losses
""")}},
    {"id": "l05-tr-lr-over-m",
     "exercise": "training_loop",
     "bug": "the update divides by m once more: params -= lr * grad / len(X) (the 1/m is already in the gradient)",
     "names": ["l05.update-divides-by-m"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only differences (the same numbers as backward's 1/m-twice, which backward's test names; train's test does not)"},
     "cells": {"training_loop": _tr("""    m = len(X)
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1 / m
        params["b1"] -= lr * db1 / m
        params["W2"] -= lr * dW2 / m
        params["b2"] -= lr * db2 / m
    return losses
""")}},
    {"id": "l05-tr-update-W2-before-W1-grad",
     "exercise": "training_loop",
     "bug": "writes the gradients inline: updates W2 first, then computes da1 with the already updated W2",
     "names": ["l05.w2-updated-before-hidden"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'W2 is updated before the hidden layer's gradient is computed ... compute every gradient first, then update'"},
     "cells": {"training_loop": _tr("""    m = len(X)
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dz2 = 2 * (z2 - y) / m
        params["W2"] -= lr * a1.T @ dz2
        params["b2"] -= lr * dz2.sum(axis=0)
        dz1 = dz2 @ params["W2"].T * a1 * (1 - a1)
        params["W1"] -= lr * X.T @ dz1
        params["b1"] -= lr * dz1.sum(axis=0)
    return losses
""")}},
    {"id": "l05-tr-shuffle-two-perms",
     "exercise": "training_loop",
     "bug": "shuffles the data every step 'like SGD', but X and y with two different permutations: the pairs of inputs and targets are broken",
     "names": ["l05.shuffles-x-and-y-apart"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': 'only differences; nothing about X and y shuffled apart'},
     "cells": {"training_loop": _tr("""    rng = np.random.default_rng(0)
    losses = []
    for _ in range(steps):
        Xs = X[rng.permutation(len(X))]
        ys = y[rng.permutation(len(y))]
        z1, a1, z2 = forward(Xs, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, ys))
        dW1, db1, dW2, db2 = backward(Xs, ys, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-minibatches",
     "exercise": "training_loop",
     "bug": "uses mini-batches of 32 (data.minibatches, as in the lesson) instead of full-batch descent",
     "names": ["l05.minibatches"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': 'only differences; nothing about full-batch descent'},
     "cells": {"training_loop": _tr("""    rng = np.random.default_rng(0)
    losses = []
    for _ in range(steps):
        z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])[2]
        losses.append(mse_loss(z2, y))
        Xb, yb = next(iter(data.minibatches(X, y, 32, rng)))
        z1, a1, z2 = forward(Xb, params["W1"], params["b1"], params["W2"], params["b2"])
        dW1, db1, dW2, db2 = backward(Xb, yb, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-standardises-X-in-place",
     "exercise": "training_loop",
     "bug": "standardises the inputs in place first (X -= X.mean(0); X /= X.std(0)): trains on other inputs and damages the caller's X",
     "names": ["course.changes-argument"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the argument X was changed in place' (plus small numeric differences): points at the X -= line; copying X would still train on other inputs, then only numbers"},
     "cells": {"training_loop": _tr("""    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-loss-as-list-of-arrays",
     "exercise": "training_loop",
     "bug": "appends the per-example squared errors (z2 - y)**2 instead of their mean: a list of (m, 1) arrays",
     "names": ["l05.loss-per-example"],
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'losses[0] should be a plain number, but is an array of shape (100, 1): append the loss, mse_loss(z2, y)'"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append((z2 - y) ** 2)
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    # cascades and blame: the mistake is in train's call of forward/backward, the error surfaces inside them
    {"id": "l05-tr-backward-args-swapped",
     "exercise": "training_loop",
     "bug": "calls backward(X, y, a1, z1, z2, W2): z1 and a1 swapped in the call, so backward (itself right) gets the pre-activation as a1",
     "names": ["l05.backward-given-a1-for-z1"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': 'losses and params differ; nothing about the z1/a1 arguments swapped in the call'},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, a1, z1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-passes-W1",
     "exercise": "training_loop",
     "bug": "passes params['W1'] as backward's last argument instead of params['W2']: the error is raised inside backward",
     "names": ["l05.backward-given-w1"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "'raised ValueError: matmul ... in backward - the two sides of @ do not fit ... a missing or extra .T?': blames backward (which passes its own test) and a transpose; the mistake is train passing params['W1']"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W1"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-tr-forward-args-order",
     "exercise": "training_loop",
     "bug": "calls forward(X, *params.values()): relies on the dict's order, so it breaks (inside forward) when the caller's dict is ordered W1, W2, b1, b2",
     "names": ["l05.relies-on-dict-order"],
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': "every test's params dict is ordered W1, b1, W2, b2, so forward(X, *params.values()) is never caught"},
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, *params.values())
        losses.append(mse_loss(z2, y))
        dW1, db1, dW2, db2 = backward(X, y, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    # edge cases and numerics in backward
    {"id": "l05-bw-sigmoid-prime-exp-overflow",
     "exercise": "batched_backward",
     "bug": "sigma'(z1) recomputed as exp(-z1) / (1 + exp(-z1))**2: overflows to inf/inf = NaN for z1 below about -709 (a saturated unit), where the slope is 0 (only a diverging or badly scaled network gets there)",
     "names": ["l05.slope-overflows"],
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': 'no test has a saturated hidden unit (z1 < -709), so the NaN of exp(-z1)/(1+exp(-z1))**2 never shows (an edge case)'},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * np.exp(-z1) / (1 + np.exp(-z1)) ** 2
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-m-is-size",
     "exercise": "batched_backward",
     "bug": "m = X.size: the number of entries of X (m * n_in), not the number of rows",
     "names": ["l05.m-is-size"],
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'every entry is 0.25 times the expected one: a missing or extra constant factor?'; X.shape[1] is named for the same family, X.size is not"},
     "cells": {"batched_backward": _bw("""    m = X.size
    dz2 = 2 * (z2 - y) / m
    dW2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ W2.T
    dz1 = da1 * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
    {"id": "l05-bw-squeeze-m1",
     "exercise": "batched_backward",
     "bug": "squeezes the error to a vector (m,) and rebuilds the columns with [:, None]; for a batch of 1 squeeze leaves a 0-d array and the matmul fails",
     "names": ["l05.error-flattened"],
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "batch of 1 only: 'matmul: Input operand 1 does not have enough dimensions (has 0 ...) in backward - the two sides of @ do not fit ... a missing or extra .T?': the cause is np.squeeze making a 0-d array for m = 1, not a transpose"},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    err = np.squeeze(z2 - y)
    dz2 = 2 * err / m
    dW2 = (a1.T @ dz2)[:, None]
    db2 = np.array([dz2.sum()])
    dz1 = np.outer(dz2, W2) * a1 * (1 - a1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return dW1, db1, dW2, db2
""")}},
]

RIGHT = [
    {"id": "l05-right-loop-per-example",
     "exercise": "batched_backward",
     "bug": "(right) a Python loop over the examples, each one's gradient with 2 * (z2_i - y_i), then divided by m at the end",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    dW1 = np.zeros((X.shape[1], a1.shape[1]))
    db1 = np.zeros(a1.shape[1])
    dW2 = np.zeros_like(W2, dtype=float)
    db2 = np.zeros(1)
    for i in range(m):
        e = 2 * (z2[i, 0] - y[i, 0])
        dW2 += e * a1[i][:, None]
        db2 += e
        d1 = e * W2[:, 0] * a1[i] * (1 - a1[i])
        dW1 += np.outer(X[i], d1)
        db1 += d1
    return dW1 / m, db1 / m, dW2 / m, db2 / m
""")}},
    {"id": "l05-right-broadcast-einsum",
     "exercise": "batched_backward",
     "bug": "(right) da1 by broadcasting dz2 * W2.T (the output has one unit), sigma' recomputed as sigmoid(z1)*(1-sigmoid(z1)), einsum for the products, m from len(y)",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"batched_backward": _bw("""    m = len(y)
    dz2 = (z2 - y) * (2.0 / m)
    s = sigmoid(z1)
    dz1 = (dz2 * W2.T) * s * (1.0 - s)
    return (np.einsum("mi,mh->ih", X, dz1), np.einsum("mh->h", dz1),
            np.einsum("mh,mo->ho", a1, dz2), np.einsum("mo->o", dz2))
""")}},
    {"id": "l05-right-ones-vector",
     "exercise": "batched_backward",
     "bug": "(right) the bias gradients as a row of ones times dz (ones(m) @ dz), the 1/m applied to the weight and bias gradients instead of dz2",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"batched_backward": _bw("""    m = X.shape[0]
    ones = np.ones(m)
    delta2 = 2 * (z2 - y)
    delta1 = (delta2 @ W2.T) * (a1 - a1 ** 2)
    return X.T @ delta1 / m, ones @ delta1 / m, a1.T @ delta2 / m, ones @ delta2 / m
""")}},
    {"id": "l05-right-train-locals-inplace",
     "exercise": "training_loop",
     "bug": "(right) unpacks the four arrays once and updates them with -= (the same arrays as in params), returns a NumPy array of losses",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"training_loop": _tr("""    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    losses = np.empty(steps)
    for t in range(steps):
        z1, a1, z2 = forward(X, W1, b1, W2, b2)
        losses[t] = mse_loss(z2, y)
        for p, g in zip((W1, b1, W2, b2), backward(X, y, z1, a1, z2, W2)):
            p -= lr * g
    return losses
""")}},
    {"id": "l05-right-train-rebind-entries",
     "exercise": "training_loop",
     "bug": "(right) params[k] = params[k] - lr * g: new arrays, but stored in the caller's own dict (the spec asks that the dict hold the trained arrays)",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"training_loop": _tr("""    losses = []
    names = ("W1", "b1", "W2", "b2")
    for _ in range(steps):
        z1, a1, z2 = forward(X, *(params[k] for k in names))
        losses.append(float(mse_loss(z2, y)))
        grads = backward(X, y, z1, a1, z2, params["W2"])
        for k, g in zip(names, grads):
            params[k] = params[k] - lr * g
    return tuple(losses)
""")}},
    {"id": "l05-right-train-same-permutation",
     "exercise": "training_loop",
     "bug": "(right) shuffles X and y with one permutation each step (harmless for a full batch: the gradient is a sum over the rows), a while loop",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"training_loop": _tr("""    rng = np.random.default_rng(123)
    losses = []
    while len(losses) < steps:
        order = rng.permutation(len(X))
        Xs, ys = X[order], y[order]
        z1, a1, z2 = forward(Xs, params["W1"], params["b1"], params["W2"], params["b2"])
        losses.append(mse_loss(z2, ys))
        dW1, db1, dW2, db2 = backward(Xs, ys, z1, a1, z2, params["W2"])
        params["W1"] -= lr * dW1
        params["b1"] -= lr * db1
        params["W2"] -= lr * dW2
        params["b2"] -= lr * db2
    return losses
""")}},
    {"id": "l05-right-train-dict-of-grads",
     "exercise": "training_loop",
     "bug": "(right) the gradients put in a dict by name, then the update loops over params (whatever the order of its keys)",
     "cells": {"training_loop": _tr("""    losses = []
    for _ in range(steps):
        z1, a1, z2 = forward(X, **{k: params[k] for k in ("W1", "b1", "W2", "b2")})
        losses.append(mse_loss(z2, y))
        grads = dict(zip(("W1", "b1", "W2", "b2"), backward(X, y, z1, a1, z2, params["W2"])))
        for k in params:
            params[k] -= lr * grads[k]
    return losses
""")}},
    {"id": "l05-right-bw-stable-slope",
     "exercise": "batched_backward",
     "bug": "(right) sigma'(z1) from z1 by a form that cannot overflow, exp(-logaddexp(0, -z1) - logaddexp(0, z1)); m from len(y)",
     "cells": {"batched_backward": _bw("""    m = len(y)
    dz2 = 2.0 / m * (z2 - y)
    slope = np.exp(-np.logaddexp(0, -z1) - np.logaddexp(0, z1))
    dz1 = (dz2 @ W2.T) * slope
    return X.T @ dz1, dz1.sum(0), a1.T @ dz2, dz2.sum(0)
""")}},
]
