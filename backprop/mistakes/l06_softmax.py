"""Lesson 06, softmax, cross-entropy and a batched classifier: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.softmax                 15 mistakes
    reference.softmax_ce_loss         16 mistakes
    reference.SoftmaxCrossEntropyLoss 31 mistakes; the loss may call softmax (depends)
    reference.classifier_scores       8 mistakes
    reference.TwoLayerClassifier      28 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import depends, register

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
_softmax_column_max = _softmax_shifted_by(lambda z: z.max(axis=0, keepdims=True))


def _softmax_one_vector(z):  # the lesson's softmax_stable of one vector, given a whole batch
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _softmax_clipped(limit):
    def buggy(z):
        e = np.exp(np.clip(z, -limit, limit))
        return e / e.sum(axis=1, keepdims=True)

    return buggy


def _softmax_longdouble(cast):
    def buggy(z):
        e = np.exp(z.astype(np.longdouble))
        p = e / e.sum(axis=1, keepdims=True)
        return p.astype(np.float64) if cast else p

    return buggy


def _softmax_float32(z):
    z = z.astype(np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_in_place(z):
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_in_place_throughout(z):
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _softmax_no_keepdims(max_keeps, sum_keeps):
    def buggy(z):
        e = np.exp(z - z.max(axis=1, keepdims=max_keeps))
        return e / e.sum(axis=1, keepdims=sum_keeps)

    return buggy
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
    ("softmax-column-max",
     "each column's maximum was subtracted, z.max(axis=0): every class then gets a shift of its own, which "
     "changes the probabilities. Subtract each row's own maximum, z.max(axis=1, keepdims=True): one shift per "
     "row cancels between numerator and denominator.", _softmax_column_max),
    ("softmax-one-vector",
     "one maximum and one sum over the whole batch, as softmax_stable does for a single vector: here each ROW is "
     "an example, so take the maximum and the sum of each row, with axis=1 and keepdims=True; every row then "
     "adds up to 1.", _softmax_one_vector),
    ("softmax-clipped",
     "the scores were clipped before exp: scores above the limit all become the limit, and their differences "
     "are lost (1000, 1001 and 1002 come out equally likely). Subtract each row's maximum instead, "
     "z - z.max(axis=1, keepdims=True): the probabilities are unchanged and no exp overflows.",
     [_softmax_clipped(limit) for limit in (30, 50, 88, 100, 300, 500, 700, 709, 709.78)]),
    ("softmax-longdouble",
     "np.longdouble only moves the overflow further out: exp overflows past about 11356 even there (and the "
     "result is not float64). Subtract each row's maximum before exp, in float64: "
     "z - z.max(axis=1, keepdims=True).", [_softmax_longdouble(cast=True), _softmax_longdouble(cast=False)]),
    ("softmax-no-keepdims",
     "a max or sum over axis=1 without keepdims=True has shape (m,), which lines up with the columns, not with "
     "the rows: keep the axis, z.max(axis=1, keepdims=True) and e.sum(axis=1, keepdims=True), shape (m, 1).",
     [_softmax_no_keepdims(False, True), _softmax_no_keepdims(True, False), _softmax_no_keepdims(False, False)]),
    ("softmax-float32", "the probabilities are computed in float32 (astype(np.float32)): good to about 7 digits "
     "only, and not float64. Compute in float64, the dtype the scores come in.", _softmax_float32),
    ("softmax-in-place", "the caller's scores are changed in place (z -= ..., or np.exp(z, out=z)): whoever "
     "passed z finds it shifted, or replaced by the probabilities. Compute new arrays, "
     "shifted = z - z.max(axis=1, keepdims=True).", [_softmax_in_place, _softmax_in_place_throughout]),
    ("softmax-first-column",
     "each row is shifted by its first score; scores above it by more than 709 overflow. Shift by the row's "
     "maximum, z.max(axis=1, keepdims=True), so that every exponent is at most 0.", _softmax_first_column, STABILITY),
])


def _log_probs(scores):
    return ref.log_softmax(scores)


def _stable_probs(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Each forward mistake as the pair (loss, cache) a student's softmax_ce_forward returns, the cache being
# (probabilities, Y) as the reference's: the loss test compares the first, the loss's layer test both.

def _fwd_scaled(reduce):
    def forward(scores, Y):
        log_probs = _log_probs(scores)
        return reduce(scores, Y, log_probs), (np.exp(log_probs), Y)

    return forward


_ce_sum_not_mean = _fwd_scaled(lambda scores, Y, lp: -float(np.sum(Y * lp)))
_ce_mean_over_entries = _fwd_scaled(lambda scores, Y, lp: -float(np.mean(Y * lp)))
_ce_over_classes = _fwd_scaled(lambda scores, Y, lp: -float(np.sum(Y * lp)) / scores.shape[1])
_ce_no_minus = _fwd_scaled(lambda scores, Y, lp: float(np.sum(Y * lp)) / scores.shape[0])
_ce_all_classes = _fwd_scaled(lambda scores, Y, lp: -float(np.sum(lp)) / scores.shape[0])
_ce_log10 = _fwd_scaled(lambda scores, Y, lp: -float(np.sum(Y * lp)) / scores.shape[0] / np.log(10.0))
_ce_predicted_class = _fwd_scaled(lambda scores, Y, lp: -float(np.mean(lp.max(axis=1))))
_ce_per_example = _fwd_scaled(lambda scores, Y, lp: -np.sum(Y * lp, axis=1))
_ce_per_example_over_m = _fwd_scaled(lambda scores, Y, lp: -np.sum(Y * lp, axis=1) / scores.shape[0])


def _ce_labels_from_one_hot(scores, Y):  # Y's 0s and 1s taken as class numbers
    log_probs = _log_probs(scores)
    return -float(np.mean(log_probs[np.arange(len(scores)), Y.astype(int)])), (np.exp(log_probs), Y)


def _ce_labels_from_one_hot_floats(scores, Y):  # the integer-label idiom on one-hot floats: an IndexError
    log_probs = _log_probs(scores)
    return -float(np.sum(log_probs[np.arange(len(scores)), Y])) / len(scores), (np.exp(log_probs), Y)


def _ce_log_of_softmax(scores, Y):
    probs = _stable_probs(scores)
    return -float(np.sum(Y * np.log(probs))) / scores.shape[0], (probs, Y)


def _ce_log_of_true_probability(scores, Y):
    probs = _stable_probs(scores)
    return -float(np.sum(np.log(np.sum(Y * probs, axis=1)))) / scores.shape[0], (probs, Y)


def _ce_log_plus(epsilon, clip=False):
    def forward(scores, Y):
        probs = _stable_probs(scores)
        kept = np.clip(probs, epsilon, 1.0) if clip else probs + epsilon
        return -float(np.sum(Y * np.log(kept))) / scores.shape[0], (probs, Y)

    return forward


def _ce_shifted_by(shift, batch_sum=False):
    def forward(scores, Y):
        s = scores - shift(scores)
        log_probs = s - np.log(np.sum(np.exp(s)) if batch_sum else np.exp(s).sum(axis=1, keepdims=True))
        return -float(np.sum(Y * log_probs)) / scores.shape[0], (np.exp(log_probs), Y)

    return forward


_ce_batch_max = _ce_shifted_by(lambda s: s.max())
_ce_unshifted = _ce_shifted_by(lambda s: 0.0)
_ce_batch_logsumexp = [_ce_shifted_by(lambda s: s.max(axis=1, keepdims=True), batch_sum=True),
                       _ce_shifted_by(lambda s: s.max(), batch_sum=True)]


def _ce_in_place(scores, Y):
    scores -= scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return -float(np.sum(Y * log_probs)) / scores.shape[0], (np.exp(log_probs), Y)


def _ce_swapped(as_float):
    def forward(scores, Y):
        log_probs = _log_probs(scores)
        loss = -np.sum(Y * log_probs) / scores.shape[0]
        return (np.exp(log_probs), Y), float(loss) if as_float else loss

    return forward


_CE_BATCH_MAX = ("the maximum of the whole batch was subtracted, scores - scores.max(); in a row far below it "
                 "every exp underflows to 0, and log 0 = -inf. Subtract each row's own maximum: "
                 "scores.max(axis=1, keepdims=True).")


_CE_LOG_OF_ZERO = ("the log is taken of the probabilities, and a probability of e^-1000 is 0 in float64 (or, "
                   "without the shift, exp(1000) overflows): log 0 = -inf, and 0 * -inf is NaN. Take the "
                   "log-probabilities directly, log_probs = s - log(sum(exp(s))) with s the scores minus the "
                   "row's maximum: no probability is ever formed.")

_CE_SUM = "the loss is summed over the batch, not averaged: divide by m, the number of rows."
_CE_OVER_CLASSES = ("the loss is divided by k, the number of classes, too (np.mean over every entry divides by "
                    "m * k; scores.shape[1] is k): the mean is over the m examples only, "
                    "-np.sum(Y * log_probs) / m with m = scores.shape[0].")
_CE_UNSHIFTED = ("the scores go into exp without a shift: exp(1000) overflows to inf, and the log-sum-exp "
                 "becomes inf and the loss NaN. Subtract each row's maximum first, s = scores - "
                 "scores.max(axis=1, keepdims=True), then log_probs = s - log(sum(exp(s))).")
_CE_LOG_EPSILON = ("a small number added to the probabilities (or a clip) before the log caps the loss: a "
                   "confident wrong answer, probability e^-1000, costs -log(1e-12) = 27.6 instead of 1000. Take "
                   "the log-probabilities directly, s - log(sum(exp(s))) with s the scores minus each row's "
                   "maximum: nothing is ever log 0, and no epsilon is needed.")
_CE_BATCH_LOGSUMEXP = ("the log-sum-exp sums over the whole batch (np.sum without axis): each row must be "
                       "normalised by its own sum, log_probs = s - np.log(np.exp(s).sum(axis=1, keepdims=True)).")
_CE_LABELS = ("Y is one-hot, (m, k), not the integer labels: indexing with it picks the wrong entries (or "
              "raises an IndexError). Multiply instead, -np.sum(Y * log_probs) / m, which keeps the true "
              "class's log-probability in each row (or take the labels with Y.argmax(axis=1)).")
_CE_PREDICTED = ("the log-probability of each row's most likely class was taken (log_probs.max(axis=1)): the "
                 "loss scores the TRUE class, the one Y marks: -np.sum(Y * log_probs) / m.")
_CE_PER_EXAMPLE = ("the loss is returned per example, an array of the m rows' losses: the loss is their mean, "
                   "one number, -np.sum(Y * log_probs) / m.")
_CE_SWAPPED = ("forward returns (cache, loss), the wrong way round: return loss, cache (the loss first, as "
               "every forward returns out, cache).")

_FORWARD_MISTAKES = [  # (id in the loss's test, id in the layer's test, says, versions)
    ("ce-sum-not-mean", "ce-forward-sum", _CE_SUM, [_ce_sum_not_mean]),
    ("ce-mean-over-entries", "ce-forward-over-classes", _CE_OVER_CLASSES, [_ce_mean_over_entries, _ce_over_classes]),
    ("ce-no-minus", "ce-forward-no-minus", "the minus sign is missing: log-probabilities are negative, so "
     "L = -(1/m) sum Y log y_hat is positive.", [_ce_no_minus]),
    ("ce-all-classes", "ce-forward-all-classes", "the log-probabilities of every class were added up; only the "
     "true class counts: multiply by Y before summing.", [_ce_all_classes]),
    ("ce-log10", "ce-forward-log10", "np.log10 was used; cross-entropy uses the natural log, np.log.", [_ce_log10]),
    ("ce-log-of-softmax", "ce-forward-log-of-softmax", _CE_LOG_OF_ZERO, [_ce_log_of_softmax]),
    ("ce-log-of-true-probability", "ce-forward-log-of-true-probability", _CE_LOG_OF_ZERO,
     [_ce_log_of_true_probability]),
    ("ce-batch-max", "ce-forward-batch-max", _CE_BATCH_MAX, [_ce_batch_max]),
    ("ce-unshifted", "ce-forward-unshifted", _CE_UNSHIFTED, [_ce_unshifted]),
    ("ce-log-epsilon", "ce-forward-log-epsilon", _CE_LOG_EPSILON,
     [_ce_log_plus(eps, clip) for clip in (False, True) for eps in (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15,
                                                                    1e-16, 1e-20)]),
    ("ce-batch-logsumexp", "ce-forward-batch-logsumexp", _CE_BATCH_LOGSUMEXP, _ce_batch_logsumexp),
    ("ce-labels-from-one-hot", "ce-forward-labels-from-one-hot", _CE_LABELS,
     [_ce_labels_from_one_hot, _ce_labels_from_one_hot_floats]),
    ("ce-predicted-class", "ce-forward-predicted-class", _CE_PREDICTED, [_ce_predicted_class]),
    ("ce-per-example", "ce-forward-per-example", _CE_PER_EXAMPLE, [_ce_per_example, _ce_per_example_over_m]),
    ("ce-swapped-return", "ce-forward-swapped-return", _CE_SWAPPED, [_ce_swapped(True), _ce_swapped(False)]),
    ("ce-in-place", "ce-forward-in-place", "the caller's scores are shifted in place (scores -= ...): whoever passed "
     "them finds them changed. Compute a new array, s = scores - scores.max(axis=1, keepdims=True).",
     [_ce_in_place]),
]


def _loss_of(forward):
    def loss(scores, Y):
        return forward(scores, Y)[0]

    return loss


def _layer_of(forward):
    """The loss's layer with this forward (the reference's backward)."""
    class Buggy(ref.SoftmaxCrossEntropyLoss):
        def forward(self, x):
            return forward(x, self.Y)

    return Buggy


register(ref.softmax_ce_loss, [(loss_id, says, [_loss_of(v) for v in versions])
                               for loss_id, _, says, versions in _FORWARD_MISTAKES])


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


class _CEOverClasses(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / P.shape[1]


class _CEIgnoresDout(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return (P - Y) / m


class _CEStopsAtProbabilities(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return -dout * Y / P / m


class _CESquaredError(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) * P * (1 - P) / m


class _CEOverMSquared(_CEBackwardBug):
    def gradient(self, dout, P, Y, m):
        return dout * (P - Y) / m / m


class _CEThroughTheJacobian(_CEBackwardBug):
    """dL/dP = -Y / P, then through each row's softmax Jacobian: the long way, dividing by P."""

    def gradient(self, dout, P, Y, m):
        dscores = np.zeros_like(P)
        for r in range(m):
            J = np.diag(P[r]) - np.outer(P[r], P[r])
            dscores[r] = J.T @ (-Y[r] / P[r])
        return dout * dscores / m


class _CENaiveSoftmaxInBackward(ref.SoftmaxCrossEntropyLoss):
    """Caches the scores, and backward recomputes softmax from them without the shift."""

    def forward(self, x):
        return ref.softmax_ce_forward(x, self.Y)[0], (x, self.Y)

    def backward(self, dout, cache):
        scores, Y = cache
        e = np.exp(scores)
        return dout * (e / e.sum(axis=1, keepdims=True) - Y) / scores.shape[0], {}


class _CELogProbsAsProbs(ref.SoftmaxCrossEntropyLoss):
    """Caches the log-probabilities, and backward takes them for probabilities."""

    def forward(self, x):
        return ref.softmax_ce_forward(x, self.Y)[0], (ref.log_softmax(x), self.Y)


class _CEChangesCache(ref.SoftmaxCrossEntropyLoss):
    """Builds the gradient in the cached probabilities themselves."""

    def backward(self, dout, cache):
        probs, Y = cache
        probs -= Y
        probs *= dout / probs.shape[0]
        return probs, {}


def softmax_ce_backward(dout, cache):  # (named as the student's: a pair is expected, and its name is said)
    probs, Y = cache
    return dout * (probs - Y) / probs.shape[0]


class _CEBackwardReturnsArray(ref.SoftmaxCrossEntropyLoss):
    def __init__(self, Y):
        super().__init__(Y)
        self.backward = softmax_ce_backward


class _CEGradsNone(ref.SoftmaxCrossEntropyLoss):
    def backward(self, dout, cache):
        return super().backward(dout, cache)[0], None


class _CEChangesY(ref.SoftmaxCrossEntropyLoss):
    """Builds the gradient in the cached targets."""

    def backward(self, dout, cache):
        probs, Y = cache
        Y *= -1
        Y += probs
        return dout * Y / probs.shape[0], {}


class _CEOverKBothWays(ref.SoftmaxCrossEntropyLoss):
    """m taken as scores.shape[1], the number of classes, in forward and backward."""

    def forward(self, x):
        return _ce_over_classes(x, self.Y)

    def backward(self, dout, cache):
        probs, Y = cache
        return dout * (probs - Y) / probs.shape[1], {}


register(ref.SoftmaxCrossEntropyLoss, [
    ("ce-no-mean", "the 1/m is missing from the gradient: the loss is a mean over the m rows, so "
     "dL/dscores = dout * (y_hat - Y) / m.", _CENoMean, BATCH),
    ("ce-sign", "a sign error: dL/dscores = y_hat - Y (the probabilities minus the targets), not Y - y_hat.",
     _CESign, GRADIENT),
    ("ce-no-target", "the target is not subtracted: dL/dscores = (y_hat - Y) / m, not y_hat / m.",
     _CENoTarget, GRADIENT),
    ("ce-over-entries", "the gradient is divided by k, the number of classes, too (np.mean over every entry divides "
     "by m * k; P.shape[1] is k): the loss averages over the m examples only, so divide by m = P.shape[0].",
     [_CEOverEntries, _CEOverClasses], BATCH),
    ("ce-m-is-k", "m was taken as scores.shape[1], which is k, the number of classes: m is the number of rows, "
     "scores.shape[0], in the loss and in its gradient.", _CEOverKBothWays),
    ("ce-ignores-dout", "backward ignores dout: multiply by the gradient arriving from above, dout * (y_hat - Y) / m.",
     _CEIgnoresDout, GRADIENT),
    ("ce-stops-at-probabilities",
     "that is the gradient with respect to the probabilities, -Y / y_hat / m; chain it through the "
     "softmax and it collapses to (y_hat - Y) / m.", _CEStopsAtProbabilities, GRADIENT),
    ("ce-through-the-jacobian",
     "the gradient goes the long way, dL/dy_hat = -Y / y_hat through each row's softmax Jacobian: that divides "
     "by a probability, which is 0 for a confident wrong answer (e^-1000), and gives NaN. The two cancel to "
     "dscores = dout * (y_hat - Y) / m: no division, nothing to overflow.", _CEThroughTheJacobian),
    ("ce-squared-error", "an extra factor y_hat (1 - y_hat), as for a sigmoid with squared error; for softmax with "
     "cross-entropy the gradient is simply (y_hat - Y) / m.", _CESquaredError, GRADIENT),
    *((layer_id, says, [_layer_of(v) for v in versions]) for _, layer_id, says, versions in _FORWARD_MISTAKES),
    ("ce-over-m-squared",
     "the gradient is divided by m twice: dL/dscores = dout * (y_hat - Y) / m, one 1/m for the mean over "
     "the m rows.", _CEOverMSquared, BATCH),
    ("ce-naive-softmax-in-backward",
     "backward recomputes the softmax from the scores without subtracting each row's maximum: exp(1000) "
     "overflows and the gradient is NaN. Keep the probabilities the stable forward computed in the cache "
     "(or shift here too).", _CENaiveSoftmaxInBackward, STABILITY),
    ("ce-backward-returns-array", "backward returns dscores alone: every backward returns the pair (dx, grads), "
     "here (dscores, {}), the loss having no parameters.", _CEBackwardReturnsArray),
    ("ce-backward-grads-none", "backward returns None for the parameters' gradients: the loss has no parameters, so "
     "return an empty dict, (dscores, {}), as every backward returns (dx, grads).", _CEGradsNone),
    ("ce-log-probs-as-probs",
     "the cache holds log-probabilities, and backward uses them as probabilities: y_hat = np.exp(log_probs), "
     "then dscores = dout * (y_hat - Y) / m (or cache the probabilities themselves).", _CELogProbsAsProbs),
    ("ce-changes-cache",
     "backward changes the arrays of its cache in place (probs -= Y, or dscores = probs followed by "
     "dscores[...] -= 1, which is the same array): a second backward on the same cache then gives another "
     "gradient. Compute a new array, dscores = dout * (probs - Y) / m, and leave the cache as forward made it.",
     [_CEChangesCache, _CEChangesY]),
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


def _scores_np_max(x, W1, b1, W2, b2):
    return np.max(x @ W1 + b1, 0) @ W2 + b2


def _scores_first_row(x, W1, b1, W2, b2):  # forward returns the scores alone: the test's [0] takes a row
    return (np.maximum(x @ W1 + b1, 0.0) @ W2 + b2)[0]


def _scores_shared_params(x, W1, b1, W2, b2):  # the test's second network, made with -W1, wins
    return np.maximum(x @ -W1 + b1, 0.0) @ W2 + b2


_SCORES_SHARED = ("params is one dict shared by every TwoLayerClassifier (params = {} in the class body, "
                  "filled in __init__): making a second network overwrote the first one's weights. Create the "
                  "dict in __init__, self.params = {\"W1\": W1, ...}, so that each network has its own.")

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
    ("scores-np-max", "np.max(z1, 0) is the largest entry of each column, a maximum over the batch, not the ReLU: "
     "np.maximum(z1, 0) compares entry by entry and keeps z1's shape (m, h).", _scores_np_max),
    ("scores-without-cache", "forward returns the scores alone; it must return the pair (scores, cache), as every "
     "forward does (the test takes [0] of what forward returns: here the first row of the scores).",
     _scores_first_row),
    ("scores-shared-params", _SCORES_SHARED, _scores_shared_params),
])


def _with_forward(scores):
    """The reference classifier with the forward pass of a buggy classifier_scores (its own cache)."""
    class Buggy(ref.TwoLayerClassifier):
        def forward(self, x):
            p = self.params
            z1 = x @ p["W1"] + p["b1"]
            return scores(x, p["W1"], p["b1"], p["W2"], p["b2"]), (x, z1, np.maximum(z1, 0.0))

    return Buggy


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


class _BiasOneSummedOverUnits(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return dx, dW1, ((dscores @ W2.T) * (z1 > 0)).sum(axis=1), dW2, db2


class _BiasTwoSummedOverUnits(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return dx, dW1, db1, dW2, dscores.sum(axis=1)


class _DxMissingTranspose(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return ((dscores @ W2.T) * (z1 > 0)) @ W1, dW1, db1, dW2, db2


class _DxNone(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return (None, *_backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)[1:])


class _DW1Transposed(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return dx, dW1.T, db1, dW2, db2


class _DW2Transposed(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return dx, dW1, db1, dW2.T, db2


class _SlopeOneAtZero(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        return _backward_parts(x, z1, a1, dscores, W1, W2, z1 >= 0)


class _MaskInCachedA1(_ClassifierBackwardBug):
    """mask = a1; mask[mask > 0] = 1: the mask is made in the cached a1 itself, before dW2 uses a1."""

    def grads(self, x, z1, a1, dscores, W1, W2):
        a1[a1 > 0] = 1.0
        return _backward_parts(x, z1, a1, dscores, W1, W2, a1)


class _MaskInCachedZ1(_ClassifierBackwardBug):
    """z1[z1 > 0] = 1; z1[z1 <= 0] = 0: the cached z1 turned into the mask in place."""

    def grads(self, x, z1, a1, dscores, W1, W2):
        z1[z1 > 0] = 1.0
        z1[z1 <= 0] = 0.0
        return _backward_parts(x, z1, a1, dscores, W1, W2, z1)


class _CacheOrder(ref.TwoLayerClassifier):
    """forward packs (x, a1, z1); backward unpacks x, z1, a1."""

    def forward(self, x):
        scores, (x, z1, a1) = super().forward(x)
        return scores, (x, a1, z1)


class _GradKeysWithD(ref.TwoLayerClassifier):
    def backward(self, dscores, cache):
        dx, grads = super().backward(dscores, cache)
        return dx, {f"d{key}": g for key, g in grads.items()}


class _BackwardTakesTheStep(ref.TwoLayerClassifier):
    def backward(self, dscores, cache):
        dx, grads = super().backward(dscores, cache)
        for key, g in grads.items():
            self.params[key] -= 0.1 * g
        return dx, grads


def _copies_in_init(methods, copies=True):
    """A classifier that computes with copies of its weights made in __init__ (or with the same arrays kept
    as attributes: copies=False), in these methods."""
    class Buggy(ref.TwoLayerClassifier):
        def __init__(self, W1, b1, W2, b2):
            super().__init__(W1, b1, W2, b2)
            self.copies = {key: value.copy() if copies else value for key, value in self.params.items()}

        def _with_copies(self, method, *args):
            if method.__name__ not in methods:
                return method(self, *args)
            shown, self.params = self.params, self.copies
            try:
                return method(self, *args)
            finally:
                self.params = shown

        def forward(self, x):
            return self._with_copies(ref.TwoLayerClassifier.forward, x)

        def backward(self, dscores, cache):
            return self._with_copies(ref.TwoLayerClassifier.backward, dscores, cache)

    return Buggy


class _ForwardNpMax(ref.TwoLayerClassifier):
    def forward(self, x):
        p = self.params
        z1 = x @ p["W1"] + p["b1"]
        a1 = np.max(z1, 0)
        return a1 @ p["W2"] + p["b2"], (x, z1, a1)


class _ForwardWithoutCache(ref.TwoLayerClassifier):
    def forward(self, x):
        return super().forward(x)[0]


class _SigmoidHidden(ref.TwoLayerClassifier):
    def forward(self, x):
        p = self.params
        z1 = x @ p["W1"] + p["b1"]
        a1 = sigmoid(z1)
        return a1 @ p["W2"] + p["b2"], (x, z1, a1)

    def backward(self, dscores, cache):
        x, z1, a1 = cache
        p = self.params
        dz1 = (dscores @ p["W2"].T) * a1 * (1 - a1)
        return dz1 @ p["W1"].T, {"W1": x.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dscores,
                                 "b2": dscores.sum(axis=0)}


register(ref.TwoLayerClassifier, [
    ("forward-no-relu", "the ReLU is missing: a1 = max(0, z1) between the two linear layers.",
     _with_forward(_scores_no_relu)),
    ("forward-no-biases", "the biases are left out: z1 = x @ W1 + b1 and scores = a1 @ W2 + b2.",
     _with_forward(_scores_no_biases)),
    ("forward-relu-on-output",
     "a ReLU was applied to the scores too; the last layer is linear, its scores go to the softmax "
     "in the loss.", _with_forward(_scores_relu_on_output)),
    ("forward-softmaxed", "forward returns probabilities; it should return the raw scores: the softmax belongs to "
     "the loss (softmax_ce_forward).", _with_forward(_scores_softmaxed)),
    ("sigmoid-hidden", "the hidden activation is a sigmoid; this network uses ReLU, a1 = np.maximum(z1, 0), whose "
     "slope is (z1 > 0).", _SigmoidHidden),
    ("forward-np-max", "np.max(z1, 0) is the largest entry of each column, a maximum over the batch, not the ReLU: "
     "np.maximum(z1, 0) compares entry by entry and keeps z1's shape (m, h).", _ForwardNpMax),
    ("forward-without-cache", "forward returns the scores alone; it must return the pair (scores, cache), with in "
     "the cache what backward needs (X, z1, a1): backward takes it from there, not from self.",
     _ForwardWithoutCache),
    ("cache-order", "forward packs its cache in one order and backward unpacks it in another, so dW2 is built "
     "from z1 (negative entries and all) and the mask from a1: unpack in the order you packed, X, z1, a1 = cache.",
     _CacheOrder),
    ("grad-keys", "the gradients are keyed 'dW1', 'db1', ...: grads uses the parameters' own names, 'W1', 'b1', "
     "'W2', 'b2', the keys of self.params (sgd_step pairs each gradient with its parameter by key).",
     _GradKeysWithD),
    ("backward-takes-the-step", "backward changes the weights (self.params[k] -= lr * grad): a layer only computes "
     "its gradients; the update is the training loop's job (sgd_step), after the whole backward pass.",
     _BackwardTakesTheStep),
    ("copies-in-init", "forward or backward computes with copies of the weights made in __init__: sgd_step "
     "updates self.params, so the network would never learn. Read the weights from self.params each time, "
     "W1 = self.params[\"W1\"].", [_copies_in_init(("forward", "backward")), _copies_in_init(("backward",))]),
    ("weights-as-attributes", "forward or backward reads the weights from attributes set in __init__ (self.W1 = "
     "W1), not from self.params: a new array put in self.params (params[\"W1\"] = W1 - lr * dW1) never reaches "
     "them. Read the weights from self.params each time, W1 = self.params[\"W1\"].",
     [_copies_in_init(("forward", "backward"), copies=False), _copies_in_init(("backward",), copies=False)]),
    ("dx-missing-transpose", "dX = dz1 @ W1 is missing the transpose: dX = dz1 @ W1.T, shape (m, d) like X.",
     _DxMissingTranspose),
    ("dx-none", "dX is None: backward returns the gradient with respect to the input too, dX = dz1 @ W1.T (a "
     "layer below would need it).", _DxNone),
    ("dw1-transposed", "dW1 is transposed: dW1 = X.T @ dz1, shape (d, h) like W1.", _DW1Transposed),
    ("dw2-transposed", "dW2 is transposed: dW2 = a1.T @ dscores, shape (h, k) like W2.", _DW2Transposed),
    ("slope-one-at-zero", "the ReLU's slope is taken as 1 at z1 = 0 exactly (z1 >= 0): the course's convention is "
     "0 there, as for a unit that is off: dz1 = da1 * (z1 > 0).", _SlopeOneAtZero),
    ("mask-in-cached-a1", "the ReLU's mask was made in the cached a1 itself (mask = a1 names the same array, and "
     "mask[mask > 0] = 1 changes a1), before dW2 = a1.T @ dscores uses it: build a new array, mask = a1 > 0 "
     "(or (z1 > 0)), and leave the cache as forward made it.", _MaskInCachedA1),
    ("mask-in-cached-z1", "backward turns the cached z1 into the ReLU's mask in place (z1[z1 > 0] = 1): the cache "
     "is then no longer what forward made. Build a new array, mask = z1 > 0, and leave the cache alone.",
     _MaskInCachedZ1),
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
     "a bias gradient is summed over the wrong axis: axis=0 sums over the examples and leaves "
     "one entry per unit, db1 = dz1.sum(axis=0) and db2 = dscores.sum(axis=0).",
     [_BiasesSummedOverUnits, _BiasOneSummedOverUnits, _BiasTwoSummedOverUnits]),
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


# the loss may be written with the student's softmax: a wrong softmax is named by Exercise 1's test
depends([ref.softmax_ce_loss, ref.SoftmaxCrossEntropyLoss], "softmax", ref.softmax, "softmax", "Exercise 1's softmax")
