"""Lesson 06, a newcomer's corpus: wrong answers a student would write, and right ones written unusually.

Written from the student notebook only (lessons/06_softmax_classifier), before looking at the course's own
catalogue of mistakes. "before" records what the feedback said when the corpus was first run (visible tests
as the student sees them, then --hidden).
"""

LESSON = "06_softmax_classifier"


def _sm(body):
    return "def softmax(z):\n" + body


_CE_BACKWARD_OK = """

def softmax_ce_backward(dout, cache):
    P, Y = cache
    return dout * (P - Y) / P.shape[0], {}
"""

_CE_FORWARD_OK = """def softmax_ce_forward(scores, Y):
    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / m, (np.exp(logp), Y)
"""


def _ce_fwd(body):
    """A softmax_ce cell whose forward is wrong (body given) and whose backward is right."""
    return "def softmax_ce_forward(scores, Y):\n" + body + _CE_BACKWARD_OK


def _ce_bwd(body):
    """A softmax_ce cell whose forward is right and whose backward is wrong (body given)."""
    return _CE_FORWARD_OK + "\n\ndef softmax_ce_backward(dout, cache):\n" + body


_INIT = '''class TwoLayerClassifier:
    """scores = relu(X @ W1 + b1) @ W2 + b2, with one example per row of X."""

    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
'''

_FORWARD_OK = '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        scores = a1 @ W2 + b2
        return scores, (X, z1, a1)
'''

_BACKWARD_OK = '''
    def backward(self, dscores, cache):
        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        da1 = dscores @ W2.T
        dz1 = da1 * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        dX = dz1 @ W1.T
        return dX, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''


def _cls_bwd(body):
    """The class with the given backward body (indented by 8) and the right __init__ and forward."""
    return _INIT + _FORWARD_OK + "\n    def backward(self, dscores, cache):\n" + body


def _cls_fwd(body):
    """The class with the given forward body (indented by 8) and the right __init__ and backward."""
    return _INIT + "\n    def forward(self, X):\n" + body + _BACKWARD_OK


WRONG = [
    # ------------------------------------------------------------------ Exercise 1: softmax
    {"id": "l06-sm-no-shift",
     "exercise": "softmax",
     "names": ["l06.softmax-unstable"],
     "bug": "no shift at all: np.exp(z) / sum, which overflows to NaN for scores in the thousands",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'exp overflows for large scores ... subtract each row's maximum before exp'"},
     "cells": {"softmax": _sm("""    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-global-max",
     "exercise": "softmax",
     "names": ["l06.softmax-global-max"],
     "bug": "shifts by the maximum of the whole batch, z - z.max(): a row far below the others underflows to 0/0",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the maximum of the whole batch was subtracted, z - z.max() ... Subtract each row's own maximum'"},
     "cells": {"softmax": _sm("""    e = np.exp(z - np.max(z))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-row-min",
     "exercise": "softmax",
     "names": ["l06.softmax-row-min"],
     "bug": "shifts each row by its minimum instead of its maximum: a row spread over more than 709 still overflows",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'each row is shifted by its minimum ... Shift by the row's maximum'"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.min(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-row-mean",
     "exercise": "softmax",
     "names": ["l06.softmax-row-mean"],
     "bug": "centres each row on its mean (z - z.mean(axis=1, keepdims=True)): no protection for rows spread over more than 1400",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'each row is shifted by its mean ... Shift by the row's maximum'"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.mean(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-sum-axis0",
     "exercise": "softmax",
     "names": ["l06.softmax-columns"],
     "bug": "normalises over the columns (sum over axis 0, the examples) instead of over each row's classes",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the softmax is taken down the columns (axis=0) ... use axis=1 with keepdims=True'"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
""")}},
    {"id": "l06-sm-sum-no-keepdims",
     "exercise": "softmax",
     "names": ["l06.softmax-no-keepdims"],
     "bug": "e / e.sum(axis=1) without keepdims: (m, k) / (m,) broadcasts along the wrong axis (an error for m != k, silently wrong for square batches, right for m = 1)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'an array of shape (2,) lines up with the last axis ... a max or sum over axis=1 lost that axis. Keep it with keepdims=True'"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)
""")}},
    {"id": "l06-sm-max-no-keepdims",
     "exercise": "softmax",
     "names": ["l06.softmax-no-keepdims"],
     "bug": "z - z.max(axis=1) without keepdims: the row maxima are subtracted along the columns",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': 'same keepdims explanation as for the sum'},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-max-axis0",
     "exercise": "softmax",
     "names": ["l06.softmax-column-max"],
     "bug": "shifts by each column's maximum, z.max(axis=0): every class gets a different shift, which changes the probabilities",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'expected 0.659001, got 0.333333' only: the per-column shift is not recognised"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-vector-version",
     "exercise": "softmax",
     "names": ["l06.softmax-one-vector"],
     "bug": "the lesson's one-vector softmax_stable copied as is: one max and one sum over the whole batch, so the rows do not each add up to 1",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only differences ('expected 0.875601, got 0'); the whole-batch sum is named for the log-sum-exp variant but not for this copy of the lesson's softmax_stable (whole-batch max and sum)"},
     "cells": {"softmax": _sm("""    e = np.exp(z - np.max(z))
    return e / np.sum(e)
""")}},
    {"id": "l06-sm-clip",
     "exercise": "softmax",
     "names": ["l06.softmax-clipped"],
     "bug": "clips the scores to [-500, 500] before exp instead of shifting: large scores all become 500 and their differences are lost",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'expected 0.665241, got 0.333333' only; clipping not recognised"},
     "cells": {"softmax": _sm("""    e = np.exp(np.clip(z, -500, 500))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-float32",
     "exercise": "softmax",
     "names": ["l06.softmax-float32"],
     "bug": "computes in float32 (z.astype(np.float32)): probabilities good to about 1e-7 only, and the dtype changes",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'probabilities: dtype float32, expected float64'"},
     "cells": {"softmax": _sm("""    z = z.astype(np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-batch-logsumexp",
     "exercise": "softmax",
     "names": ["l06.softmax-global-sum"],
     "bug": "log-sum-exp over the whole batch: exp(z - max_row - log(sum of every exp in the batch)), so each row sums to its share of the batch",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'each row is divided by the sum over the whole batch; divide by the row's own sum'"},
     "cells": {"softmax": _sm("""    s = z - z.max(axis=1, keepdims=True)
    return np.exp(s - np.log(np.sum(np.exp(s))))
""")}},
    {"id": "l06-sm-longdouble",
     "exercise": "softmax",
     "names": ["l06.softmax-longdouble"],
     "bug": "avoids the shift by computing in np.longdouble: overflows beyond about 11356, and returns long doubles",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'probabilities: dtype float128, expected float64' only: a true defect, but not the mistake (no shift); after a cast the next message is NaN numbers (see l06-sm-longdouble-cast)"},
     "cells": {"softmax": _sm("""    e = np.exp(z.astype(np.longdouble))
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-longdouble-cast",
     "exercise": "softmax",
     "names": ["l06.softmax-longdouble"],
     "bug": "no shift, but computed in np.longdouble and cast back to float64: fine up to about 11356, NaN for the scores beyond 12000",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "the 12000 case only: 'probabilities: 4 entries are NaN or infinite' + 'overflow encountered in exp'; the shift advice given to the plain unshifted softmax is not given here"},
     "cells": {"softmax": _sm("""    e = np.exp(z.astype(np.longdouble))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float64)
""")}},
    {"id": "l06-sm-1d-only",
     "exercise": "softmax",
     "names": ["l06.softmax-one-vector"],
     "bug": "written for one vector with axis=-1 reductions but flattens the batch first (z.ravel()) 'to be safe'",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': 'only differences; the flattened batch is not recognised'},
     "cells": {"softmax": _sm("""    v = z.ravel()
    e = np.exp(v - v.max())
    return (e / e.sum()).reshape(z.shape)
""")}},
    # in-place and aliasing
    {"id": "l06-sm-inplace-shift",
     "exercise": "softmax",
     "names": ["l06.softmax-in-place"],
     "bug": "z -= z.max(axis=1, keepdims=True): the probabilities are right but the caller's scores are shifted in place",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the argument z was changed in place; compute new arrays'"},
     "cells": {"softmax": _sm("""    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
""")}},
    {"id": "l06-sm-inplace-exp-out",
     "exercise": "softmax",
     "names": ["l06.softmax-in-place"],
     "bug": "does everything in the caller's array to save memory (np.exp(z, out=z), z /= ...): returns z itself, the scores are destroyed",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the argument z was changed in place'"},
     "cells": {"softmax": _sm("""    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z
""")}},
    # ------------------------------------------------------------------ Exercise 2: softmax_ce (forward)
    {"id": "l06-ce-sum-not-mean",
     "exercise": "softmax_ce",
     "names": ["l06.ce-sum-not-mean", "l06.ce-forward-sum"],
     "bug": "the loss is the sum over the batch, not the mean (no 1/m); the backward is right",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the loss is summed over the batch, not averaged: divide by m'"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-mean-over-all",
     "exercise": "softmax_ce",
     "names": ["l06.ce-mean-over-entries", "l06.ce-forward-over-classes"],
     "bug": "-np.mean(Y * logp): the mean over all m * k entries, so the loss is k times too small",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'np.mean over every entry divides by m * k; the mean is over the m examples only'"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.mean(Y * logp), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-log-eps",
     "exercise": "softmax_ce",
     "names": ["l06.ce-log-epsilon", "l06.ce-forward-log-epsilon"],
     "bug": "loss = -mean(sum(Y * log(P + 1e-12))) with a stable softmax: a confident wrong answer costs 27.6 instead of 1000",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'loss: expected 500.204, got 14.0193' only: log(P + 1e-12) not recognised, no log-sum-exp advice"},
     "cells": {"softmax_ce": _ce_fwd("""    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return -np.sum(Y * np.log(P + 1e-12)) / len(scores), (P, Y)
""")}},
    {"id": "l06-ce-log-clip",
     "exercise": "softmax_ce",
     "names": ["l06.ce-log-epsilon", "l06.ce-forward-log-epsilon"],
     "bug": "clips the probabilities to [1e-15, 1] before the log: a confident wrong answer costs 34.5 instead of 1000",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'loss: expected 500.204, got 17.4732' only: clipping not recognised"},
     "cells": {"softmax_ce": _ce_fwd("""    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return -np.sum(Y * np.log(np.clip(P, 1e-15, 1.0))) / len(scores), (P, Y)
""")}},
    {"id": "l06-ce-log-of-softmax",
     "exercise": "softmax_ce",
     "names": ["l06.ce-log-of-softmax", "l06.ce-forward-log-of-softmax", "l06.ce-log-of-true-probability", "l06.ce-forward-log-of-true-probability"],
     "bug": "log of a (stable) softmax instead of log-sum-exp: log(0) = -inf for the confident wrong answer, and 0 * -inf = NaN",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the log is taken of the probabilities ... log 0 = -inf, and 0 * -inf is NaN. Take the log-probabilities directly'"},
     "cells": {"softmax_ce": _ce_fwd("""    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return -np.sum(Y * np.log(P)) / len(scores), (P, Y)
""")}},
    {"id": "l06-ce-unshifted",
     "exercise": "softmax_ce",
     "names": ["l06.ce-unshifted", "l06.ce-forward-unshifted"],
     "bug": "log-sum-exp without the shift: s = scores, log(sum(exp(scores))) overflows for scores in the thousands",
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "'Likely cause: the maximum of the whole batch was subtracted, scores - scores.max()': nothing was subtracted at all (no shift; exp(1000) overflows)"},
     "cells": {"softmax_ce": _ce_fwd("""    logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / len(scores), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-global-max",
     "exercise": "softmax_ce",
     "names": ["l06.ce-batch-max", "l06.ce-forward-batch-max"],
     "bug": "shifts by the maximum of the whole batch: the row 12000 below the other gets log(0) = -inf",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the maximum of the whole batch was subtracted ... Subtract each row's own maximum'"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max()
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / len(scores), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-batch-logsumexp",
     "exercise": "softmax_ce",
     "names": ["l06.ce-batch-logsumexp", "l06.ce-forward-batch-logsumexp"],
     "bug": "the log-sum-exp sums over the whole batch (no axis): every row is normalised by the batch's total",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'expected 500.204, got 500.918' and dscores differences; the whole-batch log-sum-exp is named in softmax's test but not here"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.sum(np.exp(s)))
    return -np.sum(Y * logp) / len(scores), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-index-with-onehot",
     "exercise": "softmax_ce",
     "names": ["l06.ce-labels-from-one-hot", "l06.ce-forward-labels-from-one-hot"],
     "bug": "indexes the log-probabilities with Y as if it held integer labels: logp[np.arange(m), Y.astype(int)]",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'loss: expected 0.41703, got 0.750363' only; nothing about Y being one-hot, not labels"},
     "cells": {"softmax_ce": _ce_fwd("""    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(m), Y.astype(int)]), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-index-float-labels",
     "exercise": "softmax_ce",
     "names": ["l06.ce-labels-from-one-hot", "l06.ce-forward-labels-from-one-hot"],
     "bug": "indexes with the one-hot Y as if it were the labels, logp[range(m), Y]: an IndexError (float indices), the cs231n integer-label idiom",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "raw 'IndexError: arrays used as indices must be of integer (or boolean) type in softmax_ce_forward'; nothing about Y being one-hot"},
     "cells": {"softmax_ce": _ce_fwd("""    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(logp[range(m), Y]) / m, (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-m-is-k",
     "exercise": "softmax_ce",
     "names": ["l06.ce-mean-over-entries", "l06.ce-m-is-k", "l06.ce-forward-over-classes"],
     "bug": "m = scores.shape[1]: divides the loss and the gradient by the number of classes k instead of the number of examples",
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "'Likely cause: np.mean over every entry divides by m * k': the student used no np.mean, they divided by scores.shape[1] (k); the case is 1 x 3 so m*k = k. The suggested fix (/ m) is right"},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    m = scores.shape[1]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / m, (np.exp(logp), Y)


def softmax_ce_backward(dout, cache):
    P, Y = cache
    return dout * (P - Y) / P.shape[1], {}
"""}},
    {"id": "l06-ce-predicted-class",
     "exercise": "softmax_ce",
     "names": ["l06.ce-predicted-class", "l06.ce-forward-predicted-class"],
     "bug": "takes -log of the largest probability of each row (the predicted class) instead of the true class's",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'expected 500.204, got 0.203803' only"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.mean(logp.max(axis=1)), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-per-example",
     "exercise": "softmax_ce",
     "names": ["l06.ce-per-example", "l06.ce-forward-per-example"],
     "bug": "returns the vector of per-example losses (m,) instead of their mean",
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "'loss: expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value)': the mistake is the missing mean; following the advice raises 'TypeError: only 0-dimensional arrays can be converted to Python scalars' (NumPy 2) even for the 1-row case"},
     "cells": {"softmax_ce": _ce_fwd("""    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp, axis=1), (np.exp(logp), Y)
""")}},
    {"id": "l06-ce-swapped-return",
     "exercise": "softmax_ce",
     "names": ["l06.ce-swapped-return", "l06.ce-forward-swapped-return"],
     "bug": "returns (cache, loss) instead of (loss, cache)",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "forward: 'loss: expected a number, got a tuple of length 2'; backward test: raw 'TypeError: cannot unpack non-iterable numpy.float64 object in softmax_ce_backward' (points at the right backward); order not named"},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return (np.exp(logp), Y), -np.sum(Y * logp) / m


def softmax_ce_backward(dout, cache):
    P, Y = cache
    return dout * (P - Y) / P.shape[0], {}
"""}},
    {"id": "l06-ce-inplace-scores",
     "exercise": "softmax_ce",
     "names": ["l06.ce-in-place", "l06.ce-forward-in-place"],
     "bug": "scores -= scores.max(axis=1, keepdims=True) in the forward: loss and gradient right, the caller's scores shifted in place",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the argument scores was changed in place; compute new arrays'"},
     "cells": {"softmax_ce": _ce_fwd("""    scores -= scores.max(axis=1, keepdims=True)
    logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / len(scores), (np.exp(logp), Y)
""")}},
    # ------------------------------------------------------------------ Exercise 2: softmax_ce (backward)
    {"id": "l06-ce-bw-no-1-over-m",
     "exercise": "softmax_ce",
     "names": ["l06.ce-no-mean"],
     "bug": "the backward returns dout * (P - Y): the 1/m of the mean is missing",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the 1/m is missing from the gradient'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return dout * (P - Y), {}
""")}},
    {"id": "l06-ce-bw-sign",
     "exercise": "softmax_ce",
     "names": ["l06.ce-sign"],
     "bug": "the backward returns dout * (Y - P) / m: true minus predicted",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'a sign error: dL/dscores = y_hat - Y'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return dout * (Y - P) / len(P), {}
""")}},
    {"id": "l06-ce-bw-ignores-dout",
     "exercise": "softmax_ce",
     "names": ["l06.ce-ignores-dout"],
     "bug": "the backward ignores dout ('it is always 1.0 at the end of the network'): (P - Y) / m",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'backward ignores dout: multiply by the gradient arriving from above'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return (P - Y) / len(P), {}
""")}},
    {"id": "l06-ce-bw-sigmoid-factor",
     "exercise": "softmax_ce",
     "names": ["l06.ce-squared-error"],
     "bug": "multiplies by P * (1 - P) as for a sigmoid output: dout * (P - Y) * P * (1 - P) / m",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'an extra factor y_hat (1 - y_hat), as for a sigmoid with squared error'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return dout * (P - Y) * P * (1 - P) / len(P), {}
""")}},
    {"id": "l06-ce-bw-returns-array",
     "exercise": "softmax_ce",
     "names": ["l06.ce-backward-returns-array"],
     "bug": "the backward returns dscores alone, not the pair (dscores, {})",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'softmax_ce_backward must return a pair (dscores, grads), with grads {}'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return dout * (P - Y) / len(P)
""")}},
    {"id": "l06-ce-bw-returns-none-dict",
     "exercise": "softmax_ce",
     "names": ["l06.ce-backward-grads-none"],
     "bug": "the backward returns (dscores, None) instead of (dscores, {}): 'the loss has no parameters'",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'grads: expected a dict with keys [], got a NoneType'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    return dout * (P - Y) / len(P), None
""")}},
    {"id": "l06-ce-bw-naive-recompute",
     "exercise": "softmax_ce",
     "names": ["l06.ce-naive-softmax-in-backward"],
     "bug": "the forward caches the raw scores and the backward recomputes softmax naively (no shift): NaN for scores in the thousands",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'backward recomputes the softmax from the scores without subtracting each row's maximum'"},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / m, (scores, Y)


def softmax_ce_backward(dout, cache):
    scores, Y = cache
    P = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return dout * (P - Y) / len(scores), {}
"""}},
    {"id": "l06-ce-bw-jacobian-long-way",
     "exercise": "softmax_ce",
     "names": ["l06.ce-through-the-jacobian"],
     "bug": "the backward goes the long way, dL/dP = -Y / P through each row's softmax Jacobian: divides by a probability that is 0 for a confident wrong answer (NaN)",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'dscores: 3 entries are NaN or infinite' + 'divide by zero encountered in divide': the division by a zero probability (-Y/P) is not named"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    m = P.shape[0]
    dscores = np.zeros_like(P)
    for r in range(m):
        J = np.diag(P[r]) - np.outer(P[r], P[r])
        dscores[r] = J.T @ (-Y[r] / P[r])
    return dout * dscores / m, {}
""")}},
    {"id": "l06-ce-bw-cache-logp",
     "exercise": "softmax_ce",
     "names": ["l06.ce-log-probs-as-probs"],
     "bug": "the forward caches the log-probabilities and the backward uses them as probabilities: dout * (logp - Y) / m",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'dscores: ... expected 0.0985659, got -2.31703' only: log-probabilities used as probabilities not named"},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / m, (logp, Y)


def softmax_ce_backward(dout, cache):
    logp, Y = cache
    return dout * (logp - Y) / len(logp), {}
"""}},
    # in-place and aliasing in the backward
    {"id": "l06-ce-bw-inplace-cache",
     "exercise": "softmax_ce",
     "names": ["l06.ce-changes-cache"],
     "bug": "P -= Y; P /= m in the backward on the cached array: right the first time, the cache is destroyed for a second backward",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'a second backward on the same cache gave other gradients: backward changes its cache in place (e.g. probs -= Y)'"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    P -= Y
    P *= dout / len(P)
    return P, {}
""")}},
    {"id": "l06-ce-bw-alias",
     "exercise": "softmax_ce",
     "names": ["l06.ce-changes-cache"],
     "bug": "dscores = P; dscores[Y == 1] -= 1 (the cs231n idiom on one-hot Y): dscores is the cached array itself, changed in place",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "same 'changes its cache in place' message"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    dscores = P
    dscores[Y == 1] -= 1
    dscores *= dout / P.shape[0]
    return dscores, {}
""")}},
    {"id": "l06-ce-bw-mutates-Y",
     "exercise": "softmax_ce",
     "names": ["l06.ce-changes-cache", "course.backward-changes-cache"],
     "bug": "builds the gradient in the cached Y (Y *= -1; Y += P): the caller's one-hot targets are overwritten",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "same 'changes its cache in place' message (the example names probs, here it is Y)"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    Y *= -1
    Y += P
    return dout * Y / len(P), {}
""")}},
    {"id": "l06-ce-bw-second-call-divides-again",
     "exercise": "softmax_ce",
     "names": ["l06.ce-changes-cache"],
     "bug": "the forward caches the probabilities and the backward divides them by m in place before subtracting: (P/m - Y), and the cache shrinks on each call",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "same 'changes its cache in place' message"},
     "cells": {"softmax_ce": _ce_bwd("""    P, Y = cache
    P /= P.shape[0]
    return dout * (P - Y / P.shape[0]), {}
""")}},
    # a cascade: Exercise 1's softmax reused in Exercise 2
    {"id": "l06-cascade-softmax-global-max",
     "exercise": "softmax",
     "names": ["l06.softmax-global-max"],
     "bug": "cascade: softmax shifts by the batch's maximum (Exercise 1 wrong); softmax_ce_forward, otherwise right, caches softmax(scores) for its backward",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "softmax's test names the batch-wide max; softmax_ce_backward's test only 'dscores: 3 entries are NaN or infinite', with no pointer to Exercise 1's softmax; softmax_ce_forward's test passes"},
     "cells": {"softmax": _sm("""    e = np.exp(z - np.max(z))
    return e / e.sum(axis=1, keepdims=True)
"""),
               "softmax_ce": """def softmax_ce_forward(scores, Y):
    m = scores.shape[0]
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.sum(Y * logp) / m, (softmax(scores), Y)
""" + _CE_BACKWARD_OK}},
    {"id": "l06-cascade-softmax-no-keepdims",
     "exercise": "softmax",
     "names": ["l06.softmax-no-keepdims", "l06.ce-log-of-softmax", "l06.ce-forward-log-of-softmax", "l06.ce-log-of-true-probability", "l06.ce-forward-log-of-true-probability"],
     "bug": "cascade: softmax divides by e.sum(axis=1) without keepdims (Exercise 1 wrong); softmax_ce_forward takes the log of softmax(scores)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "softmax's test names keepdims; the softmax_ce tests repeat the same error 'in softmax' (right place)"},
     "cells": {"softmax": _sm("""    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)
"""),
               "softmax_ce": """def softmax_ce_forward(scores, Y):
    P = softmax(scores)
    return -np.sum(Y * np.log(P)) / len(scores), (P, Y)
""" + _CE_BACKWARD_OK}},
    # ------------------------------------------------------------------ Exercise 3: two_layer_classifier
    {"id": "l06-cls-1-over-m",
     "exercise": "two_layer_classifier",
     "names": ["l06.one-over-m-twice"],
     "bug": "divides the weight and bias gradients by m, copied from the column form: the 1/m is already in dscores",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the 1/m is applied twice: dscores already carries it'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        m = X.shape[0]
        dW2 = a1.T @ dscores / m
        db2 = dscores.sum(axis=0) / m
        da1 = dscores @ W2.T
        dz1 = da1 * (z1 > 0)
        dW1 = X.T @ dz1 / m
        db1 = dz1.sum(axis=0) / m
        dX = dz1 @ W1.T
        return dX, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-bias-mean",
     "exercise": "two_layer_classifier",
     "names": ["l06.mean-for-biases"],
     "bug": "bias gradients with .mean(axis=0) instead of .sum(axis=0)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the bias gradients are averaged over the batch; sum them'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.mean(axis=0)
        da1 = dscores @ W2.T
        dz1 = da1 * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.mean(axis=0)
        dX = dz1 @ W1.T
        return dX, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-state-in-self",
     "exercise": "two_layer_classifier",
     "names": ["course.backward-not-from-cache"],
     "bug": "forward stores X, z1, a1 on self and backward reads them from self, ignoring the cache: wrong after another forward in between",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'backward does not use the cache it is given: it reads what the latest forward left somewhere else (self.x = ...)'"},
     "cells": {"two_layer_classifier": _INIT + '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        self.X = X
        self.z1 = X @ W1 + b1
        self.a1 = np.maximum(0, self.z1)
        return self.a1 @ W2 + b2, None

    def backward(self, dscores, cache):
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = self.a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (self.z1 > 0)
        dW1 = self.X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''}},
    {"id": "l06-cls-copies-in-init",
     "exercise": "two_layer_classifier",
     "names": ["l06.copies-in-init"],
     "bug": "__init__ also keeps copies self.W1 = W1.copy(), ... 'to protect the caller's arrays', and forward/backward use the copies: updates of self.params never reach the network",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'forward does not read the weights from self.params ... not from copies made in __init__'"},
     "cells": {"two_layer_classifier": '''class TwoLayerClassifier:
    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
        self.W1, self.b1, self.W2, self.b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()

    def forward(self, X):
        z1 = X @ self.W1 + self.b1
        a1 = np.maximum(0, z1)
        return a1 @ self.W2 + self.b2, (X, z1, a1)

    def backward(self, dscores, cache):
        X, z1, a1 = cache
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ self.W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ self.W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''}},
    {"id": "l06-cls-attrs-no-copy",
     "exercise": "two_layer_classifier",
     "names": ["l06.weights-as-attributes"],
     "bug": "__init__ keeps the weights as attributes self.W1 = W1 (no copy) and forward/backward read the attributes, not self.params: in-place updates reach them, but a new array assigned to params['W1'] does not",
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': "weights kept as attributes (no copy): in-place updates reach them, so the reads_params check passes; a new array assigned to params['W1'] would not reach the network (against the brief's 'read them from self.params')"},
     "cells": {"two_layer_classifier": '''class TwoLayerClassifier:
    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
        self.params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

    def forward(self, X):
        z1 = X @ self.W1 + self.b1
        a1 = np.maximum(0, z1)
        return a1 @ self.W2 + self.b2, (X, z1, a1)

    def backward(self, dscores, cache):
        X, z1, a1 = cache
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ self.W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ self.W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''}},
    {"id": "l06-cls-class-level-params",
     "exercise": "two_layer_classifier",
     "names": ["l06.scores-shared-params"],
     "bug": "params is a class attribute (params = {} in the class body) filled in __init__: every TwoLayerClassifier shares one dict, the last one built wins",
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': "params = {} at class level: all instances share one dict (a second TwoLayerClassifier overwrites the first's weights); no test keeps two instances alive"},
     "cells": {"two_layer_classifier": '''class TwoLayerClassifier:
    params = {}

    def __init__(self, W1, b1, W2, b2):
        self.params.update(W1=W1, b1=b1, W2=W2, b2=b2)
''' + _FORWARD_OK + _BACKWARD_OK}},
    {"id": "l06-cls-relu-mask-in-cache",
     "exercise": "two_layer_classifier",
     "names": ["l06.mask-in-cached-z1"],
     "bug": "the backward turns the cached z1 into the ReLU mask in place (z1[z1 > 0] = 1; z1[z1 <= 0] = 0): right once, the cache holds a mask afterwards",
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': 'the cached z1 becomes a 0/1 mask in place; the mask of a mask is the same, so a second backward agrees and no test checks the cache itself (harmless here, a cache mutation nonetheless)'},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        z1[z1 > 0] = 1
        z1[z1 <= 0] = 0
        dz1 = (dscores @ W2.T) * z1
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        dX = dz1 @ W1.T
        return dX, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-mask-alias-a1",
     "exercise": "two_layer_classifier",
     "names": ["l06.mask-in-cached-a1"],
     "bug": "mask = a1; mask[mask > 0] = 1 makes the ReLU's mask in the cached a1 itself (an alias, not a copy), before dW2 = a1.T @ dscores, which then uses the 0/1 mask",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'grads['W2']: ... differ': the cache's a1 changed in place through an alias is not detected (unlike the loss's cache check)"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        mask = a1
        mask[mask > 0] = 1
        da1 = dscores @ W2.T
        dz1 = da1 * mask
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-dX-missing-transpose",
     "exercise": "two_layer_classifier",
     "names": ["l06.dx-missing-transpose"],
     "bug": "dX = dz1 @ W1 (no transpose)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'matmul ... in backward - the two sides of @ do not fit ... a missing or extra .T?'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-dX-skips-relu",
     "exercise": "two_layer_classifier",
     "names": ["l06.no-dx-mask"],
     "bug": "dX = da1 @ W1.T: the input's gradient taken from da1, before the ReLU's mask",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'dx skips the ReLU: it is dz1 @ W1.T'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        da1 = dscores @ W2.T
        dz1 = da1 * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return da1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-dX-none",
     "exercise": "two_layer_classifier",
     "names": ["l06.dx-none"],
     "bug": "returns None for dX: 'X is data, it needs no gradient' (lesson 05's table says so)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'dx: expected an array of shape (5, 4), got a NoneType'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return None, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-dW1-transposed",
     "exercise": "two_layer_classifier",
     "names": ["l06.dw1-transposed"],
     "bug": "dW1 = dz1.T @ X: the transpose, (h, d) instead of (d, h)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'grads['W1']: shape (3, 4), expected (4, 3). That is the transpose'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = dz1.T @ X
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-relu-grad-times-a1",
     "exercise": "two_layer_classifier",
     "names": ["l06.relu-value-for-derivative"],
     "bug": "dz1 = da1 * a1: multiplies by the ReLU's output instead of its slope (0 or 1)",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'da1 was multiplied by the ReLU's output a1; multiply by its derivative'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * a1
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-no-relu-mask",
     "exercise": "two_layer_classifier",
     "names": ["l06.no-relu-derivative"],
     "bug": "dz1 = da1: the ReLU's mask is forgotten in the backward",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the ReLU's derivative is missing'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = dscores @ W2.T
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-relu-ge-zero",
     "exercise": "two_layer_classifier",
     "names": ["l06.slope-one-at-zero"],
     "bug": "ReLU slope written (z1 >= 0): 1 at exactly z1 = 0, where the lesson's convention says 0 (zero biases and an all-zero input row give z1 = 0 exactly)",
     "before": {'visible': 'passed', 'hidden_catches': False, 'note': "no test has z1 exactly 0, so (z1 >= 0) vs (z1 > 0) is never seen (an edge case; the lesson states sigma'(0) = 0)"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 >= 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-db1-axis1",
     "exercise": "two_layer_classifier",
     "names": ["l06.biases-summed-over-units"],
     "bug": "db1 = dz1.sum(axis=1): summed over the hidden units instead of the examples",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "'grads['b1']: shape (5,), expected (3,)', and silently wrong numbers when m == h; no cause"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=1)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""")}},
    {"id": "l06-cls-cache-order",
     "exercise": "two_layer_classifier",
     "names": ["l06.cache-order"],
     "bug": "forward caches (X, a1, z1) but backward unpacks X, z1, a1: dW2 is built from z1 (negative pre-activations included)",
     "before": {'visible': 'numbers', 'hidden_catches': True, 'note': "only 'grads['W2'] ... differ'; the cache unpacked in another order than it was packed is not named"},
     "cells": {"two_layer_classifier": _INIT + '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        return a1 @ W2 + b2, (X, a1, z1)
''' + _BACKWARD_OK}},
    {"id": "l06-cls-np-max",
     "exercise": "two_layer_classifier",
     "names": ["l06.scores-np-max", "l06.forward-np-max"],
     "bug": "ReLU written np.max(z1, 0) instead of np.maximum(z1, 0): a maximum over the batch axis, (h,) instead of (m, h)",
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "forward's test: 'scores: shape (4,), expected (5, 4). An axis is missing: summed over the wrong axis, or dropped with an index?' (close: np.max reduces over axis 0), but backward's test: 'matmul ... in backward ... a missing or extra .T?': blames backward and a transpose for np.max vs np.maximum in forward"},
     "cells": {"two_layer_classifier": _cls_fwd("""        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1
        a1 = np.max(z1, 0)
        return a1 @ W2 + b2, (X, z1, a1)
""")}},
    {"id": "l06-cls-softmax-in-forward",
     "exercise": "two_layer_classifier",
     "names": ["l06.scores-softmaxed", "l06.forward-softmaxed"],
     "bug": "forward returns softmax probabilities instead of the raw scores",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'forward returns probabilities; it should return the raw scores'"},
     "cells": {"two_layer_classifier": _cls_fwd("""        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        return softmax(a1 @ W2 + b2), (X, z1, a1)
""")}},
    {"id": "l06-cls-sigmoid-hidden",
     "exercise": "two_layer_classifier",
     "names": ["l06.scores-sigmoid-hidden", "l06.sigmoid-hidden"],
     "bug": "a sigmoid hidden layer copied from lesson 05 (forward and backward consistent), not the ReLU the exercise asks for",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'the hidden activation is a sigmoid; this network uses ReLU'"},
     "cells": {"two_layer_classifier": _INIT + '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = X @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        return a1 @ W2 + b2, (X, z1, a1)

    def backward(self, dscores, cache):
        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * a1 * (1 - a1)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''}},
    {"id": "l06-cls-forward-returns-scores",
     "exercise": "two_layer_classifier",
     "names": ["l06.scores-without-cache", "l06.forward-without-cache"],
     "bug": "forward returns only the scores (no cache); backward recomputes from self.params and a stored X",
     "before": {'visible': 'misleading', 'hidden_catches': True, 'note': "forward's test: 'scores: shape (4,), expected (5, 4). An axis is missing: summed over the wrong axis, or dropped with an index?' (its [0] took the first row of the bare scores); backward's test names it: 'forward must return a pair (out, cache)'"},
     "cells": {"two_layer_classifier": _INIT + '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        self._X = X
        return np.maximum(0, X @ W1 + b1) @ W2 + b2

    def backward(self, dscores, cache):
        X = self._X
        W1, b1, W2 = self.params["W1"], self.params["b1"], self.params["W2"]
        z1 = X @ W1 + b1
        a1 = np.maximum(0, z1)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        return dz1 @ W1.T, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dscores, "b2": dscores.sum(axis=0)}
'''}},
    {"id": "l06-cls-grad-keys",
     "exercise": "two_layer_classifier",
     "names": ["l06.grad-keys"],
     "bug": "the grads dict uses the keys 'dW1', 'db1', 'dW2', 'db2' instead of the parameters' names",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'grads: expected the keys ['W1', 'W2', 'b1', 'b2'], got ['dW1', ...]'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        return dz1 @ W1.T, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
""")}},
    {"id": "l06-cls-backward-updates-weights",
     "exercise": "two_layer_classifier",
     "names": ["l06.backward-takes-the-step"],
     "bug": "the backward also takes the SGD step itself (self.params[k] -= 0.1 * grad) 'to save a loop': the weights change under the caller",
     "before": {'visible': 'named', 'hidden_catches': True, 'note': "'ParametersChanged: ... A layer only computes: backward returns the gradients, and the update is done afterwards'"},
     "cells": {"two_layer_classifier": _cls_bwd("""        X, z1, a1 = cache
        W1, W2 = self.params["W1"], self.params["W2"]
        dW2 = a1.T @ dscores
        db2 = dscores.sum(axis=0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        dW1 = X.T @ dz1
        db1 = dz1.sum(axis=0)
        dX = dz1 @ W1.T
        grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
        for k in grads:
            self.params[k] -= 0.1 * grads[k]
        return dX, grads
""")}},
]

RIGHT = [
    {"id": "l06-right-sm-loop",
     "exercise": "softmax",
     "bug": "(right) a Python loop over the rows, each shifted by its own max with the built-in max()",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"softmax": _sm("""    out = np.empty(z.shape, dtype=float)
    for i, row in enumerate(z):
        e = np.exp(row - max(row))
        out[i] = e / e.sum()
    return out
""")}},
    {"id": "l06-right-sm-logsumexp",
     "exercise": "softmax",
     "bug": "(right) exp(z - logsumexp(z)) with the log-sum-exp written as max + log(sum(exp(z - max))), and np.amax / np.newaxis",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"softmax": _sm("""    mx = np.amax(z, axis=-1)[:, np.newaxis]
    lse = mx + np.log(np.sum(np.exp(z - mx), axis=-1))[:, np.newaxis]
    return np.exp(z - lse)
""")}},
    {"id": "l06-right-sm-transpose",
     "exercise": "softmax",
     "bug": "(right) works on z.T (the tutorial's column layout) with axis=0 reductions and transposes back",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"softmax": _sm("""    zt = z.T
    e = np.exp(zt - zt.max(axis=0))
    return (e / e.sum(axis=0)).T
""")}},
    {"id": "l06-right-ce-argmax-index",
     "exercise": "softmax_ce",
     "bug": "(right) turns the one-hot Y back into labels with argmax and indexes the log-probabilities; logaddexp.reduce for the log-sum-exp; the backward builds P - Y by copying and subtracting 1 at the labels",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    labels = Y.argmax(axis=1)
    rows = np.arange(len(scores))
    logp = scores - np.logaddexp.reduce(scores, axis=1, keepdims=True)
    return float(-logp[rows, labels].mean()), {"P": np.exp(logp), "labels": labels}


def softmax_ce_backward(dout, cache):
    d = cache["P"].copy()
    d[np.arange(len(d)), cache["labels"]] -= 1.0
    return d * (dout / len(d)), {}
"""}},
    {"id": "l06-right-ce-einsum-recompute",
     "exercise": "softmax_ce",
     "bug": "(right) the forward caches the scores and Y, the backward recomputes a stable softmax; the loss as an einsum of Y with log-softmax",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"softmax_ce": """def softmax_ce_forward(scores, Y):
    s = scores - scores.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -np.einsum("ij,ij->", Y, logp) / scores.shape[0], (scores, Y)


def softmax_ce_backward(dout, cache):
    scores, Y = cache
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return dout / scores.shape[0] * (P - Y), {}
"""}},
    {"id": "l06-right-cls-mask-from-a1",
     "exercise": "two_layer_classifier",
     "bug": "(right) ReLU as z1 * (z1 > 0), mask from a1 > 0, np.where for the backward, einsum for the products, a dict cache",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"two_layer_classifier": _INIT + '''
    def forward(self, X):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        z1 = np.dot(X, W1) + b1
        a1 = z1 * (z1 > 0)
        return np.dot(a1, W2) + b2, {"X": X, "a1": a1}

    def backward(self, dscores, cache):
        X, a1 = cache["X"], cache["a1"]
        dz1 = np.where(a1 > 0, dscores @ self.params["W2"].T, 0.0)
        return dz1 @ self.params["W1"].T, {
            "W1": np.einsum("md,mh->dh", X, dz1), "b1": np.einsum("mh->h", dz1),
            "W2": np.einsum("mh,mk->hk", a1, dscores), "b2": np.einsum("mk->k", dscores)}
'''}},
    {"id": "l06-right-cls-copy-in-init",
     "exercise": "two_layer_classifier",
     "bug": "(right) __init__ stores copies in self.params (the caller's arrays are protected), forward and backward read self.params; a loop over examples for the weight gradients",
     "before": {'visible_passes': True, 'hidden_passes': True, 'note': 'passes every visible and hidden test'},
     "cells": {"two_layer_classifier": '''class TwoLayerClassifier:
    def __init__(self, W1, b1, W2, b2):
        self.params = {"W1": np.array(W1, dtype=float), "b1": np.array(b1, dtype=float),
                       "W2": np.array(W2, dtype=float), "b2": np.array(b2, dtype=float)}

    def forward(self, X):
        p = self.params
        z1 = X @ p["W1"] + p["b1"]
        a1 = np.maximum(z1, 0.0)
        return a1 @ p["W2"] + p["b2"], (X, z1, a1)

    def backward(self, dscores, cache):
        X, z1, a1 = cache
        p = self.params
        dz1 = (dscores @ p["W2"].T) * (z1 > 0)
        dW1 = sum(np.outer(X[i], dz1[i]) for i in range(len(X)))
        dW2 = sum(np.outer(a1[i], dscores[i]) for i in range(len(X)))
        return dz1 @ p["W1"].T, {"W1": dW1, "b1": dz1.sum(axis=0), "W2": dW2, "b2": dscores.sum(axis=0)}
'''}},
]
