"""Lesson 06, softmax, cross-entropy and a batched classifier: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.softmax                 8 mistakes
    reference.softmax_ce_loss         8 mistakes
    reference.SoftmaxCrossEntropyLoss 12 mistakes
    reference.classifier_scores       5 mistakes
    reference.TwoLayerClassifier      9 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import register

__all__ = []

# Where the lesson teaches what these mistakes get wrong (the instructor's report links there; the others, to
# their exercise's section)
STABILITY = "Stability: subtract the maximum"
BATCH = "A batch: the $1/m$ average"
GRADIENT = "The gradient: why the pair gives $\\hat y - y$"
ROWS = "A two-layer classifier, in columns and in rows"


def _softmax_unstable(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def _softmax_global_sum(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum()


def _softmax_no_exp(z):
    return z / z.sum(axis=1, keepdims=True)


def _softmax_shifted_by(shift):
    def buggy(z):
        e = np.exp(z - shift(z))
        return e / e.sum(axis=1, keepdims=True)

    return buggy


_softmax_row_min = _softmax_shifted_by(lambda z: z.min(axis=1, keepdims=True))
_softmax_row_mean = _softmax_shifted_by(lambda z: z.mean(axis=1, keepdims=True))
_softmax_first_column = _softmax_shifted_by(lambda z: z[:, :1])


register(ref.softmax, [
    ("softmax-unstable", "exp overflows for large scores (exp(1000) is inf, and inf/inf is NaN): subtract each row's "
     "maximum before exp, z - z.max(axis=1, keepdims=True).", _softmax_unstable, STABILITY),
    ("softmax-columns", "the softmax is taken down the columns (axis=0), as in the column layout; here each ROW is an "
     "example: use axis=1 with keepdims=True.", _softmax_columns, ROWS),
    ("softmax-global-max",
     "the maximum of the whole batch was subtracted, z - z.max(); a row far below it underflows to 0/0. "
     "Subtract each row's own maximum: z.max(axis=1, keepdims=True).", _softmax_global_max, STABILITY),
    ("softmax-global-sum", "each row is divided by the sum over the whole batch; divide by the row's own sum, "
     "e.sum(axis=1, keepdims=True), so that every row adds up to 1.", _softmax_global_sum, BATCH),
    ("softmax-no-exp",
     "the exponential is missing: softmax is exp(z_j) / sum_i exp(z_i), not z_j / sum_i z_i.", _softmax_no_exp),
    ("softmax-row-min",
     "each row is shifted by its minimum; then every exponent is at least 0, and a row spread over more than "
     "709 (as -1000, 0, 1000) overflows. Shift by the row's maximum, so that every exponent is at most 0.",
     _softmax_row_min, STABILITY),
    ("softmax-row-mean",
     "each row is shifted by its mean; a row spread over more than 709 still overflows above the mean. Shift "
     "by the row's maximum, z.max(axis=1, keepdims=True), so that every exponent is at most 0.",
     _softmax_row_mean, STABILITY),
    ("softmax-first-column",
     "each row is shifted by its first score; scores above it by more than 709 overflow. Shift by the row's "
     "maximum, z.max(axis=1, keepdims=True), so that every exponent is at most 0.", _softmax_first_column, STABILITY),
])


def _log_probs(scores):
    return ref.log_softmax(scores)


def _ce_sum_not_mean(scores, Y):
    return -float(np.sum(Y * _log_probs(scores)))


def _ce_mean_over_entries(scores, Y):
    return -float(np.mean(Y * _log_probs(scores)))


def _ce_no_minus(scores, Y):
    return float(np.sum(Y * _log_probs(scores))) / scores.shape[0]


def _ce_all_classes(scores, Y):
    return -float(np.sum(_log_probs(scores))) / scores.shape[0]


def _ce_log10(scores, Y):
    return -float(np.sum(Y * _log_probs(scores))) / scores.shape[0] / np.log(10.0)


def _ce_log_of_softmax(scores, Y):
    return -float(np.sum(Y * np.log(ref.softmax(scores)))) / scores.shape[0]


def _ce_log_of_true_probability(scores, Y):
    return -float(np.sum(np.log(np.sum(Y * ref.softmax(scores), axis=1)))) / scores.shape[0]


def _ce_batch_max(scores, Y):
    shifted = scores - scores.max()
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.sum(Y * log_probs)) / scores.shape[0]


_CE_BATCH_MAX = ("the maximum of the whole batch was subtracted, scores - scores.max(); in a row far below it "
                 "every exp underflows to 0, and log 0 = -inf. Subtract each row's own maximum: "
                 "scores.max(axis=1, keepdims=True).")


_CE_LOG_OF_ZERO = ("the log is taken of the probabilities, and a probability of e^-1000 is 0 in float64 (or, "
                   "without the shift, exp(1000) overflows): log 0 = -inf, and 0 * -inf is NaN. Take the "
                   "log-probabilities directly, log_probs = s - log(sum(exp(s))) with s the scores minus the "
                   "row's maximum: no probability is ever formed.")


register(ref.softmax_ce_loss, [
    ("ce-sum-not-mean",
     "the loss is summed over the batch, not averaged: divide by m, the number of rows.", _ce_sum_not_mean, BATCH),
    ("ce-mean-over-entries", "np.mean over every entry divides by m * k; the mean is over the m examples only: "
     "-np.sum(Y * log_probs) / m.", _ce_mean_over_entries, BATCH),
    ("ce-no-minus", "the minus sign is missing: log-probabilities are negative, so L = -(1/m) sum Y log y_hat is "
     "positive.", _ce_no_minus),
    ("ce-all-classes", "the log-probabilities of every class were added up; only the true class counts: multiply by Y "
     "before summing.", _ce_all_classes),
    ("ce-log10", "np.log10 was used; cross-entropy uses the natural log, np.log.", _ce_log10),
    ("ce-log-of-softmax", _CE_LOG_OF_ZERO, _ce_log_of_softmax, STABILITY),
    ("ce-log-of-true-probability", _CE_LOG_OF_ZERO, _ce_log_of_true_probability, STABILITY),
    ("ce-batch-max", _CE_BATCH_MAX, _ce_batch_max, STABILITY),
])


class _CEBackwardBug(ref.SoftmaxCrossEntropyLoss):
    """The reference forward, a buggy backward (gradient) of the probabilities P and targets Y."""

    def backward(self, dout, cache):
        probs, Y = cache
        return self.gradient(dout, probs, Y, probs.shape[0]), {}


class _CENoMean(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y)


class _CESign(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (Y - P) / m


class _CENoTarget(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * P / m


class _CEOverEntries(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / P.size


class _CEIgnoresDout(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return (P - Y) / m


class _CEStopsAtProbabilities(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return -dout * Y / P / m


class _CESquaredError(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) * P * (1 - P) / m


class _CEForwardLogOfSoftmax(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        return _ce_log_of_softmax(x, self.Y), ref.softmax_ce_forward(x, self.Y)[1]


class _CEForwardBatchMax(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        shifted = x - x.max()
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return _ce_batch_max(x, self.Y), (np.exp(log_probs), self.Y)


class _CEOverMSquared(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / m / m


class _CENaiveSoftmaxInBackward(ref.SoftmaxCrossEntropyLoss):
    """Caches the scores, and backward recomputes softmax from them without the shift."""

    def forward(self, x):
        return ref.softmax_ce_forward(x, self.Y)[0], (x, self.Y)

    def backward(self, dout, cache):
        scores, Y = cache
        e = np.exp(scores)
        return dout * (e / e.sum(axis=1, keepdims=True) - Y) / scores.shape[0], {}


class _CEForwardSum(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        loss, cache = ref.softmax_ce_forward(x, self.Y)
        return loss * x.shape[0], cache


register(ref.SoftmaxCrossEntropyLoss, [
    ("ce-no-mean", "the 1/m is missing from the gradient: the loss is a mean over the m rows, so "
     "dL/dscores = dout * (y_hat - Y) / m.", _CENoMean, BATCH),
    ("ce-sign", "a sign error: dL/dscores = y_hat - Y (the probabilities minus the targets), not Y - y_hat.",
     _CESign, GRADIENT),
    ("ce-no-target", "the target is not subtracted: dL/dscores = (y_hat - Y) / m, not y_hat / m.",
     _CENoTarget, GRADIENT),
    ("ce-over-entries", "the gradient is divided by m * k (np.mean over every entry?); the loss averages over the m "
     "examples only, so divide by m.", _CEOverEntries, BATCH),
    ("ce-ignores-dout", "backward ignores dout: multiply by the gradient arriving from above, dout * (y_hat - Y) / m.",
     _CEIgnoresDout, GRADIENT),
    ("ce-stops-at-probabilities",
     "that is the gradient with respect to the probabilities, -Y / y_hat / m; chain it through the "
     "softmax and it collapses to (y_hat - Y) / m.", _CEStopsAtProbabilities, GRADIENT),
    ("ce-squared-error", "an extra factor y_hat (1 - y_hat), as for a sigmoid with squared error; for softmax with "
     "cross-entropy the gradient is simply (y_hat - Y) / m.", _CESquaredError, GRADIENT),
    ("ce-forward-sum",
     "the loss is summed over the batch, not averaged: divide by m, the number of rows.", _CEForwardSum, BATCH),
    ("ce-forward-log-of-softmax", _CE_LOG_OF_ZERO, _CEForwardLogOfSoftmax, STABILITY),
    ("ce-forward-batch-max", _CE_BATCH_MAX, _CEForwardBatchMax, STABILITY),
    ("ce-over-m-squared",
     "the gradient is divided by m twice: dL/dscores = dout * (y_hat - Y) / m, one 1/m for the mean over "
     "the m rows.", _CEOverMSquared, BATCH),
    ("ce-naive-softmax-in-backward",
     "backward recomputes the softmax from the scores without subtracting each row's maximum: exp(1000) "
     "overflows and the gradient is NaN. Keep the probabilities the stable forward computed in the cache "
     "(or shift here too).", _CENaiveSoftmaxInBackward, STABILITY),
])


def _scores_no_relu(x, W1, b1, W2, b2):
    return (x @ W1 + b1) @ W2 + b2


def _scores_no_biases(x, W1, b1, W2, b2):
    return np.maximum(x @ W1, 0.0) @ W2


def _scores_relu_on_output(x, W1, b1, W2, b2):
    return np.maximum(np.maximum(x @ W1 + b1, 0.0) @ W2 + b2, 0.0)


def _scores_softmaxed(x, W1, b1, W2, b2):
    return ref.softmax(np.maximum(x @ W1 + b1, 0.0) @ W2 + b2)


def _scores_sigmoid_hidden(x, W1, b1, W2, b2):
    return sigmoid(x @ W1 + b1) @ W2 + b2


register(ref.classifier_scores, [
    ("scores-no-relu", "the ReLU is missing: a1 = max(0, z1) between the two linear layers.", _scores_no_relu),
    ("scores-no-biases", "the biases are left out: z1 = x @ W1 + b1 and scores = a1 @ W2 + b2.", _scores_no_biases),
    ("scores-relu-on-output",
     "a ReLU was applied to the scores too; the last layer is linear, its scores go to the softmax "
     "in the loss.", _scores_relu_on_output),
    ("scores-softmaxed", "forward returns probabilities; it should return the raw scores: the softmax belongs to the "
     "loss (softmax_ce_forward).", _scores_softmaxed),
    ("scores-sigmoid-hidden", "the hidden activation is a sigmoid; this network uses ReLU, a1 = np.maximum(z1, 0).",
     _scores_sigmoid_hidden),
])


class _ClassifierBackwardBug(ref.TwoLayerClassifier):
    """The reference forward; backward from the buggy `grads(x, z1, a1, dscores)` -> dx, dW1, db1, dW2, db2."""

    def backward(self, dscores, cache):
        x, z1, a1 = cache
        dx, dW1, db1, dW2, db2 = self.grads(x, z1, a1, dscores, self.params["W1"], self.params["W2"])
        return dx, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def _backward_parts(x, z1, a1, dscores, W1, W2, mask):
    dz1 = (dscores @ W2.T) * mask
    return dz1 @ W1.T, x.T @ dz1, dz1.sum(axis=0), a1.T @ dscores, dscores.sum(axis=0)


class _NoReluDerivative(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores, W1, W2, 1.0)


class _ReluValueForDerivative(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores, W1, W2, a1)


class _MeanForBiases(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        m = x.shape[0]
        return dx, dW1, db1 / m, dW2, db2 / m


class _OneOverMTwice(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, *grads = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return (dx, *(g / x.shape[0] for g in grads))


class _BiasesSummedOverUnits(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        return dx, dW1, dz1.sum(axis=1), dW2, dscores.sum(axis=1)


class _BiasesNotSummed(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        dz1 = (dscores @ W2.T) * (z1 > 0)
        return dx, dW1, dz1[0], dW2, dscores[0]


class _OneOverMOnWeightsOnly(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        m = x.shape[0]
        return dx, dW1 / m, db1, dW2 / m, db2


class _DscoresOverMAgain(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores / x.shape[0], W1, W2, z1 > 0)


class _NoDxMask(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return (dscores @ W2.T) @ W1.T, dW1, db1, dW2, db2


register(ref.TwoLayerClassifier, [
    ("no-relu-derivative", "the ReLU's derivative is missing: dz1 = da1 * (z1 > 0), which zeroes the gradient of the "
     "units that were off.", _NoReluDerivative),
    ("relu-value-for-derivative",
     "da1 was multiplied by the ReLU's output a1; multiply by its derivative, (z1 > 0): 1 where "
     "the unit was on, 0 where it was off.", _ReluValueForDerivative),
    ("mean-for-biases", "the bias gradients are averaged over the batch; sum them, dscores.sum(axis=0): the 1/m is "
     "already in dscores, which comes from the mean loss.", _MeanForBiases),
    ("one-over-m-twice", "the 1/m is applied twice: dscores already carries it (the loss is a mean), so here "
     "dW2 = a1.T @ dscores with no further division.", _OneOverMTwice),
    ("biases-summed-over-units",
     "the bias gradients are summed over the wrong axis: axis=0 sums over the examples and leaves "
     "one entry per unit.", _BiasesSummedOverUnits),
    ("biases-not-summed", "the bias gradients use only the first example; every example contributes: sum over axis 0.",
     _BiasesNotSummed),
    ("no-dx-mask", "dx skips the ReLU: it is dz1 @ W1.T, with dz1 = da1 * (z1 > 0).", _NoDxMask),
    ("one-over-m-on-weights-only",
     "the weight gradients are divided by m: dscores already carries the 1/m (the loss is a mean), so "
     "dW2 = a1.T @ dscores and dW1 = X.T @ dz1, with no further division.", _OneOverMOnWeightsOnly),
    ("dscores-over-m-again",
     "dscores is divided by m again, so every gradient, dX included, is m times too small: dscores already "
     "carries the 1/m of the mean loss. Use it as it comes.", _DscoresOverMAgain),
])
