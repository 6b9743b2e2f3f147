"""Mistakes students really make, one buggy version per mistake, for each graded exercise.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.

MISTAKES maps a reference function (or layer class) to [(description, buggy version), ...];
each lesson adds its own entries in its own section below.
"""

from backprop import reference as ref
from backprop.layers import sigmoid

MISTAKES = {}


def known_for(reference):
    """The (description, buggy function) pairs known for a reference function."""
    return MISTAKES.get(getattr(reference, "__func__", reference), [])

# --- lesson 01 ------------------------------------------------------------------------


def _forward_no_sigmoid(x, w, b):
    return w * x + b


def _forward_no_bias(x, w, b):
    return sigmoid(w * x)


def _forward_sign_flipped_sigmoid(x, w, b):
    return sigmoid(-(w * x + b))


def _parts(x, w, b, y):
    z = w * x + b
    a = sigmoid(z)
    return z, a


def _grads_no_two(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = (a - y) * a * (1 - a)
    return d * x, d


def _grads_sign(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (y - a) * a * (1 - a)
    return d * x, d


def _grads_no_activation_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y)
    return d * x, d


def _grads_sigma_prime_of_a(x, w, b, y):
    z, a = _parts(x, w, b, y)
    s = sigmoid(a)
    d = 2 * (a - y) * s * (1 - s)
    return d * x, d


def _grads_z_for_a_in_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * z * (1 - z)
    return d * x, d


def _grads_db_times_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d * x


def _grads_dw_without_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d, d


def _grads_linear_neuron(x, w, b, y):
    z = w * x + b
    d = 2 * (z - y)
    return d * x, d


MISTAKES[ref.neuron_forward] = [
    ("the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid),
    ("the bias b is left out of z = w*x + b.", _forward_no_bias),
    ("the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid),
]

MISTAKES[ref.neuron_gradients] = [
    ("the factor 2 from differentiating (a - y)**2 is missing: dL/da = 2(a - y).", _grads_no_two),
    ("a sign error: dL/da = 2(a - y), not 2(y - a).", _grads_sign),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]

# --- lesson 06 ------------------------------------------------------------------------
# softmax, the softmax-cross-entropy pair, and the two-layer classifier

import numpy as np  # noqa: E402


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


MISTAKES[ref.softmax] = [
    ("exp overflows for large scores (exp(1000) is inf, and inf/inf is NaN): subtract each row's "
     "maximum before exp, z - z.max(axis=1, keepdims=True).", _softmax_unstable),
    ("the softmax is taken down the columns (axis=0), as in the column layout; here each ROW is an "
     "example: use axis=1 with keepdims=True.", _softmax_columns),
    ("the maximum of the whole batch was subtracted, z - z.max(); a row far below it underflows to 0/0. "
     "Subtract each row's own maximum: z.max(axis=1, keepdims=True).", _softmax_global_max),
    ("each row is divided by the sum over the whole batch; divide by the row's own sum, "
     "e.sum(axis=1, keepdims=True), so that every row adds up to 1.", _softmax_global_sum),
    ("the exponential is missing: softmax is exp(z_j) / sum_i exp(z_i), not z_j / sum_i z_i.", _softmax_no_exp),
]


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


MISTAKES[ref.softmax_ce_loss] = [
    ("the loss is summed over the batch, not averaged: divide by m, the number of rows.", _ce_sum_not_mean),
    ("np.mean over every entry divides by m * k; the mean is over the m examples only: "
     "-np.sum(Y * log_probs) / m.", _ce_mean_over_entries),
    ("the minus sign is missing: log-probabilities are negative, so L = -(1/m) sum Y log y_hat is "
     "positive.", _ce_no_minus),
    ("the log-probabilities of every class were added up; only the true class counts: multiply by Y "
     "before summing.", _ce_all_classes),
    ("np.log10 was used; cross-entropy uses the natural log, np.log.", _ce_log10),
]


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


class _CEForwardSum(ref.SoftmaxCrossEntropyLoss):
    def forward(self, x):
        loss, cache = ref.softmax_ce_forward(x, self.Y)
        return loss * x.shape[0], cache


MISTAKES[ref.SoftmaxCrossEntropyLoss] = [
    ("the 1/m is missing from the gradient: the loss is a mean over the m rows, so "
     "dL/dscores = dout * (y_hat - Y) / m.", _CENoMean),
    ("a sign error: dL/dscores = y_hat - Y (the probabilities minus the targets), not Y - y_hat.", _CESign),
    ("the target is not subtracted: dL/dscores = (y_hat - Y) / m, not y_hat / m.", _CENoTarget),
    ("the gradient is divided by m * k (np.mean over every entry?); the loss averages over the m "
     "examples only, so divide by m.", _CEOverEntries),
    ("backward ignores dout: multiply by the gradient arriving from above, dout * (y_hat - Y) / m.",
     _CEIgnoresDout),
    ("that is the gradient with respect to the probabilities, -Y / y_hat / m; chain it through the "
     "softmax and it collapses to (y_hat - Y) / m.", _CEStopsAtProbabilities),
    ("an extra factor y_hat (1 - y_hat), as for a sigmoid with squared error; for softmax with "
     "cross-entropy the gradient is simply (y_hat - Y) / m.", _CESquaredError),
    ("the loss is summed over the batch, not averaged: divide by m, the number of rows.", _CEForwardSum),
]


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


MISTAKES[ref.classifier_scores] = [
    ("the ReLU is missing: a1 = max(0, z1) between the two linear layers.", _scores_no_relu),
    ("the biases are left out: z1 = x @ W1 + b1 and scores = a1 @ W2 + b2.", _scores_no_biases),
    ("a ReLU was applied to the scores too; the last layer is linear, its scores go to the softmax "
     "in the loss.", _scores_relu_on_output),
    ("forward returns probabilities; it should return the raw scores: the softmax belongs to the "
     "loss (softmax_ce_forward).", _scores_softmaxed),
    ("the hidden activation is a sigmoid; this network uses ReLU, a1 = np.maximum(z1, 0).",
     _scores_sigmoid_hidden),
]


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


class _NoDxMask(_ClassifierBackwardBug):
    def grads(self, x, z1, a1, dscores, W1, W2):
        dx, dW1, db1, dW2, db2 = _backward_parts(x, z1, a1, dscores, W1, W2, z1 > 0)
        return (dscores @ W2.T) @ W1.T, dW1, db1, dW2, db2


MISTAKES[ref.TwoLayerClassifier] = [
    ("the ReLU's derivative is missing: dz1 = da1 * (z1 > 0), which zeroes the gradient of the "
     "units that were off.", _NoReluDerivative),
    ("da1 was multiplied by the ReLU's output a1; multiply by its derivative, (z1 > 0): 1 where "
     "the unit was on, 0 where it was off.", _ReluValueForDerivative),
    ("the bias gradients are averaged over the batch; sum them, dscores.sum(axis=0): the 1/m is "
     "already in dscores, which comes from the mean loss.", _MeanForBiases),
    ("the 1/m is applied twice: dscores already carries it (the loss is a mean), so here "
     "dW2 = a1.T @ dscores with no further division.", _OneOverMTwice),
    ("the bias gradients are summed over the wrong axis: axis=0 sums over the examples and leaves "
     "one entry per unit.", _BiasesSummedOverUnits),
    ("the bias gradients use only the first example; every example contributes: sum over axis 0.",
     _BiasesNotSummed),
    ("dx skips the ReLU: it is dz1 @ W1.T, with dz1 = da1 * (z1 > 0).", _NoDxMask),
]

# --- lesson 07 ------------------------------------------------------------------------
# the numerical gradient, the relative error, and the fix of a buggy DenseTanh backward


def _numgrad_one_sided(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f0 = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - f0) / h
        x[idx] = old
    return grad


def _numgrad_over_h(f, x, h=1e-5):
    return 2.0 * ref.numerical_gradient(f, x, h)


def _numgrad_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        grad[idx] = (f_plus - f(x)) / (2 * h)
    return grad


def _numgrad_restored_by_arithmetic(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_all_at_once(f, x, h=1e-5):
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _numgrad_on_a_copy(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _numgrad_fixed_h(f, x, h=1e-5):
    return ref.numerical_gradient(f, x, 1e-5)


def _numgrad_rows(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


MISTAKES[ref.numerical_gradient] = [
    ("a one-sided difference, (f(x + h) - f(x)) / h, whose error shrinks only like h; the centred "
     "(f(x + h) - f(x - h)) / (2h) has an error like h**2.", _numgrad_one_sided),
    ("divided by h instead of 2h: the two evaluations are 2h apart.", _numgrad_over_h),
    ("x is not put back after each entry: it is left at x - h, so the next entries are measured at the "
     "wrong point. Save the old value and restore it: x[idx] = old.", _numgrad_not_restored),
    ("x is restored by adding h back (x[idx] += h), which leaves round-off behind: save the old value "
     "and put it back exactly, x[idx] = old.", _numgrad_restored_by_arithmetic),
    ("x was copied before nudging; f may read x itself (as a loss reads a layer's weights) and then "
     "sees no change. Nudge x in place and restore it.", _numgrad_on_a_copy),
    ("every entry was nudged at once, f(x + h) - f(x - h); that measures the sum of all the partial "
     "derivatives. Nudge one entry at a time: for idx in np.ndindex(x.shape).", _numgrad_all_at_once),
    ("the argument h is ignored (a fixed 1e-5 is used); use the h you are given.", _numgrad_fixed_h),
    ("whole rows were nudged at once (a loop over x.shape[0] only); nudge one entry at a time, "
     "for idx in np.ndindex(x.shape).", _numgrad_rows),
]


def _relerr_absolute(a, b):
    return float(np.linalg.norm(a - b))


def _relerr_over_a(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


def _relerr_over_sum(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(a + b))


def _relerr_entrywise_max(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def _relerr_squared_norms(a, b):
    return float(np.sum((a - b) ** 2) / (np.sum(a**2) + np.sum(b**2)))


def _relerr_no_zero_guard(a, b):
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def _relerr_l1(a, b):
    return float(np.sum(np.abs(a - b)) / (np.sum(np.abs(a)) + np.sum(np.abs(b))))


MISTAKES[ref.relative_error] = [
    ("that is the absolute error |a - b|; divide by |a| + |b| so that the answer does not depend on "
     "the gradients' size.", _relerr_absolute),
    ("divided by |a| alone; use |a| + |b|, which treats both alike and is never 0 unless both are.",
     _relerr_over_a),
    ("divided by |a + b|, which is 0 when a = -b; divide by |a| + |b|, the sum of the two norms.",
     _relerr_over_sum),
    ("the largest entry-by-entry relative error; use norms of the whole arrays, "
     "np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).", _relerr_entrywise_max),
    ("sums of squares without the square root; np.linalg.norm takes it.", _relerr_squared_norms),
    ("0 / 0 when both arrays are all zero: return 0.0 then (they agree).", _relerr_no_zero_guard),
    ("sums of absolute values; the course uses the Euclidean norm, np.linalg.norm.", _relerr_l1),
]


class _DenseBug(ref.DenseTanh):
    """The reference forward; backward from the buggy `parts(x, a, dout, W)` -> dz_for_W, dz_for_b, dz_for_x."""

    def backward(self, dout, cache):
        x, a = cache
        W = self.params["W"]
        dz_w, dz_b, dz_x = self.parts(x, a, dout)
        return dz_x @ W.T, {"W": x.T @ dz_w, "b": dz_b.sum(axis=0)}


class _DenseAsGiven(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - np.tanh(a) ** 2)
        return dout, dz, dz


class _DenseDerivativeOfOutput(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - np.tanh(a) ** 2)
        return dz, dz, dz


class _DenseWFromDout(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a**2)
        return dout, dz, dz


class _DenseNoDerivative(_DenseBug):
    def parts(self, x, a, dout):
        return dout, dout, dout


class _DenseXFromDout(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a**2)
        return dz, dz, dout


class _DenseBiasMean(ref.DenseTanh):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        grads["b"] = grads["b"] / dout.shape[0]
        return dx, grads


MISTAKES[ref.DenseTanh] = [
    ("this is still the backward pass as given, with both of its bugs: tanh's derivative is taken at the "
     "output (1 - tanh(a)**2 instead of 1 - a**2), and dW uses dout where it needs dz.", _DenseAsGiven),
    ("tanh's derivative is taken at the output: 1 - np.tanh(a)**2 applies tanh twice. The cache holds "
     "a = tanh(z), so the derivative is 1 - a**2.", _DenseDerivativeOfOutput),
    ("dW uses dout; the weights act before the tanh, so their gradient goes through it: dW = x.T @ dz.",
     _DenseWFromDout),
    ("the tanh's derivative is missing: dz = dout * (1 - a**2).", _DenseNoDerivative),
    ("dx uses dout; the input acts before the tanh, so dx = dz @ W.T.", _DenseXFromDout),
    ("the bias gradient is averaged over the batch; sum it: db = dz.sum(axis=0).", _DenseBiasMean),
]
