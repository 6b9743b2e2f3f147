"""Lesson 07, gradient checking: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.numerical_gradient      12 mistakes
    reference.relative_error          19 mistakes
    reference.DenseTanh               8 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


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


def _numgrad_all_at_once(f, x, h=1e-5):  # (in place, so that a function reading x sees it)
    old = x.copy()
    x += h
    f_plus = f(x)
    x[...] = old - h
    f_minus = f(x)
    x[...] = old
    return np.full_like(x, (f_plus - f_minus) / (2 * h))


def _numgrad_flat_view(f, x, h=1e-5):
    flat = x.reshape(-1)  # a view of a contiguous x, but a copy of a transposed one
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(x)
        flat[i] = old - h
        f_minus = f(x)
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)


def _numgrad_rows_view(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i]  # a view of row i when x is 2-D: it changes with x
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_default_step(default):
    def buggy(f, x, h=default):
        return ref.numerical_gradient(f, x, h)

    return buggy


_NUMGRAD_DEFAULT_STEP = ("the default step is not 1e-5: called without h (as in these cases), the function must "
                         "use h = 1e-5, def numerical_gradient(f, x, h=1e-5).")


def _numgrad_precedence(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / 2 * h
    return grad


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


register(ref.numerical_gradient, [
    ("numgrad-one-sided", "a one-sided difference, (f(x + h) - f(x)) / h, whose error shrinks only like h; the centred "
     "(f(x + h) - f(x - h)) / (2h) has an error like h**2.", _numgrad_one_sided),
    ("numgrad-over-h", "divided by h instead of 2h: the two evaluations are 2h apart.", _numgrad_over_h),
    ("numgrad-not-restored",
     "x is not put back after each entry: it is left at x - h, so the next entries are measured at the "
     "wrong point. Save the old value and restore it: x[idx] = old.", _numgrad_not_restored),
    ("numgrad-restored-by-arithmetic",
     "x is restored by adding h back (x[idx] += h), which leaves round-off behind: save the old value "
     "and put it back exactly, x[idx] = old.", _numgrad_restored_by_arithmetic),
    ("numgrad-flat-view",
     "x.reshape(-1) is a view of x only when x is stored in order; for a transposed x (A.T) it is a copy, "
     "and nudging it leaves x unchanged. Nudge x itself: for idx in np.ndindex(x.shape): x[idx] = ...",
     _numgrad_flat_view),
    ("numgrad-on-a-copy",
     "x was copied before nudging; f may read x itself (as a loss reads a layer's weights) and then "
     "sees no change. Nudge x in place and restore it.", _numgrad_on_a_copy),
    ("numgrad-all-at-once",
     "every entry was nudged at once, f(x + h) - f(x - h); that measures the sum of all the partial "
     "derivatives. Nudge one entry at a time: for idx in np.ndindex(x.shape).", _numgrad_all_at_once),
    ("numgrad-fixed-h", "the argument h is ignored (a fixed 1e-5 is used); use the h you are given.", _numgrad_fixed_h),
    ("numgrad-rows", "whole rows were nudged at once (a loop over x.shape[0] only); nudge one entry at a time, "
     "for idx in np.ndindex(x.shape).", _numgrad_rows),
    ("numgrad-rows-view",
     "a loop over range(len(x)) nudges whole rows of a matrix at once, and old = x[i] is then a view of the "
     "row, which changes with it. Nudge one entry at a time: for idx in np.ndindex(x.shape), old = x[idx].",
     _numgrad_rows_view),
    ("numgrad-precedence",
     "(f_plus - f_minus) / 2 * h multiplies by h: Python reads it as ((f_plus - f_minus) / 2) * h. "
     "Divide by the whole step: (f_plus - f_minus) / (2 * h).", _numgrad_precedence),
    ("numgrad-default-step", _NUMGRAD_DEFAULT_STEP,
     [_numgrad_default_step(default) for default in (1e-1, 1e-2, 1e-3, 1e-4)]),
])


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


def _relerr_over_max(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b)))


def _relerr_max_entries(a, b):
    return float(np.max(np.abs(a - b)) / (np.max(np.abs(a)) + np.max(np.abs(b))))


def _relerr_plus_epsilon(epsilon):
    def buggy(a, b):
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + epsilon))

    return buggy


def _guarded(buggy):
    """The same mistake with the special case for two zero arrays, as the exercise asks."""
    def guarded(a, b):
        if not np.any(a) and not np.any(b):
            return 0.0
        return buggy(a, b)

    return guarded


_RELERR_OVER_A = ("divided by |a| alone; use |a| + |b|, which treats both alike and is never 0 unless both are.")
_RELERR_OVER_SUM = ("divided by |a + b|, which is 0 when a = -b; divide by |a| + |b|, the sum of the two norms.")
_RELERR_OVER_MAX = ("divided by the larger of |a| and |b|; divide by their sum, |a| + |b|.")
_RELERR_MAX_ENTRIES = ("the largest entries (the max-norm, np.max(np.abs(...))) were used; use the Euclidean "
                       "norm of the whole arrays, np.linalg.norm.")
_RELERR_EPSILON = ("a small number was added to the denominator instead of treating two zero arrays apart: it "
                   "changes the answer for small gradients (1e-9 is a real size for a gradient). Return 0.0 "
                   "when both are all zero, and divide by |a| + |b| alone otherwise.")


register(ref.relative_error, [
    ("relerr-absolute", "that is the absolute error |a - b|; divide by |a| + |b| so that the answer does not depend on "
     "the gradients' size.", _relerr_absolute),
    ("relerr-over-a", _RELERR_OVER_A, _relerr_over_a),
    ("relerr-over", _RELERR_OVER_A, _guarded(_relerr_over_a)),
    ("relerr-over-sum", _RELERR_OVER_SUM, _relerr_over_sum),
    ("relerr-over-sum-2", _RELERR_OVER_SUM, _guarded(_relerr_over_sum)),
    ("relerr-over-max", _RELERR_OVER_MAX, _relerr_over_max),
    ("relerr-over-max-2", _RELERR_OVER_MAX, _guarded(_relerr_over_max)),
    ("relerr-max-entries", _RELERR_MAX_ENTRIES, _relerr_max_entries),
    ("relerr-max-entries-2", _RELERR_MAX_ENTRIES, _guarded(_relerr_max_entries)),
    ("relerr-epsilon", _RELERR_EPSILON, _relerr_plus_epsilon(1e-8)),
    ("relerr-epsilon-2", _RELERR_EPSILON, _relerr_plus_epsilon(1e-10)),
    ("relerr-epsilon-3", _RELERR_EPSILON, _relerr_plus_epsilon(1e-12)),
    ("relerr-entrywise-max", "the largest entry-by-entry relative error; use norms of the whole arrays, "
     "np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).", _relerr_entrywise_max),
    ("relerr-squared-norms",
     "sums of squares without the square root; np.linalg.norm takes it.", _relerr_squared_norms),
    ("relerr-no-zero-guard",
     "0 / 0 when both arrays are all zero: return 0.0 then (they agree).", _relerr_no_zero_guard),
    ("relerr-l1", "sums of absolute values; the course uses the Euclidean norm, np.linalg.norm.", _relerr_l1),
    ("sums-absolute-values-course",
     "sums of absolute values; the course uses the Euclidean norm, np.linalg.norm.", _guarded(_relerr_l1)),
    ("largest-entry-entry-relative", "the largest entry-by-entry relative error; use norms of the whole arrays, "
     "np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).", _guarded(_relerr_entrywise_max)),
    ("sums-squares-without-square",
     "sums of squares without the square root; np.linalg.norm takes it.", _guarded(_relerr_squared_norms)),
])


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


class _DenseOneMinusASquared(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a) ** 2
        return dz, dz, dz


class _DenseOneMinusA(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (1.0 - a)
        return dz, dz, dz


class _DenseBiasMean(ref.DenseTanh):
    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        grads["b"] = grads["b"] / dout.shape[0]
        return dx, grads


register(ref.DenseTanh, [
    ("dense-as-given",
     "this is still the backward pass as given, with both of its bugs: 1 - np.tanh(a)**2 takes tanh of a, "
     "which is already tanh(z) (use 1 - a**2), and dW uses dout where it needs dz.", _DenseAsGiven),
    ("dense-derivative-of-output", "1 - np.tanh(a)**2 takes tanh twice: a in the cache is already tanh(z), so this is "
     "1 - tanh(tanh(z))**2. tanh'(z) = 1 - tanh(z)**2 = 1 - a**2.", _DenseDerivativeOfOutput),
    ("dense-w-from-dout",
     "dW uses dout; the weights act before the tanh, so their gradient goes through it: dW = x.T @ dz.",
     _DenseWFromDout),
    ("dense-no-derivative", "the tanh's derivative is missing: dz = dout * (1 - a**2).", _DenseNoDerivative),
    ("dense-x-from-dout", "dx uses dout; the input acts before the tanh, so dx = dz @ W.T.", _DenseXFromDout),
    ("dense-bias-mean", "the bias gradient is averaged over the batch; sum it: db = dz.sum(axis=0).", _DenseBiasMean),
    ("dense-one-minus-a-squared",
     "(1 - a)**2 squares the difference; tanh's derivative squares a first: 1 - a**2.", _DenseOneMinusASquared),
    ("dense-one-minus-a",
     "1 - a is not tanh's derivative; it is 1 - a**2 (a = tanh(z) from the cache).", _DenseOneMinusA),
])
