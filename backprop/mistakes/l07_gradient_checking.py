"""Lesson 07, gradient checking: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.numerical_gradient      17 mistakes
    reference.relative_error          27 mistakes
    reference.DenseTanh               18 mistakes
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


def _numgrad_half_one_sided(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] += h
        f_plus = f(x)
        x[idx] -= h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_nditer_view(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for v in it:
        idx = it.multi_index
        old = v  # a view of the entry: it changes with it
        v[...] = old + h
        f_plus = f(x)
        v[...] = old - h
        f_minus = f(x)
        v[...] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _numgrad_into(alias):
    def buggy(f, x, h=1e-5):
        grad = alias(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            f_plus = f(x)
            x[idx] = old - h
            f_minus = f(x)
            x[idx] = old
            grad[idx] = (f_plus - f_minus) / (2 * h)
        return grad

    return buggy


def _numgrad_flat(f, x, h=1e-5):
    return ref.numerical_gradient(f, x, h).ravel()


def _numgrad_sign(f, x, h=1e-5):
    return -ref.numerical_gradient(f, x, h)


register(ref.numerical_gradient, [
    ("numgrad-sign", "a sign error: the centred difference is (f(x + h) - f(x - h)) / 2h, the point above minus the "
     "point below.", _numgrad_sign),
    ("numgrad-half-one-sided",
     "the second point is x itself, not x - h: after x[idx] += h, x[idx] -= h only brings the entry back (and "
     "nditer's v, or x[idx] of a 0-d view, kept in old changes with the entry). That computes (f(x + h) - f(x)) "
     "/ 2h, half a one-sided difference. Save the value, old = x[idx] (a number), then set x[idx] = old + h "
     "and x[idx] = old - h.", [_numgrad_half_one_sided, _numgrad_nditer_view]),
    ("numgrad-writes-into-x",
     "grad = x[:] (or grad = x) is x itself, not a copy: slicing an array makes a view, unlike a list. The "
     "gradient is written into x, which then moves the point for the next entries and returns the caller's "
     "array. Start from a new array, grad = np.zeros_like(x).", [_numgrad_into(lambda x: x[:]),
                                                                 _numgrad_into(lambda x: x)]),
    ("numgrad-flat", "the gradient comes back flat, shape (x.size,): return it in x's shape, grad = "
     "np.zeros_like(x) filled at grad[idx] (or np.array(values).reshape(x.shape)).", _numgrad_flat),
    ("numgrad-step-too-small",
     "the default step is too small: with h = 1e-10 the round-off in f (about 1e-16 |f| / h) swamps the "
     "difference, and the gradient is good to a few digits only. Smaller is not more accurate here: called "
     "without h, the function must use h = 1e-5, def numerical_gradient(f, x, h=1e-5).",
     [_numgrad_default_step(default) for default in (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14)]),
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


def _relerr_ord2(a, b):
    scale = np.linalg.norm(a, 2) + np.linalg.norm(b, 2)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b, 2) / scale)


def _relerr_per_column(a, b):
    num = np.linalg.norm(a - b, axis=0)
    den = np.linalg.norm(a, axis=0) + np.linalg.norm(b, axis=0)
    if np.all(den == 0):
        return 0.0
    return float(np.mean(num / np.where(den == 0, 1.0, den)))


def _relerr_zero_if_either(a, b):
    if not np.any(a) or not np.any(b):
        return 0.0
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def _relerr_all_misused(a, b):
    if a.all() == 0 and b.all() == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def _relerr_entrywise_mean(a, b):
    den = np.abs(a) + np.abs(b)
    ratio = np.divide(np.abs(a - b), den, out=np.zeros_like(den, dtype=float), where=den > 0)
    return float(np.mean(ratio))


def _relerr_rounded(decimals):
    def buggy(a, b):
        return round(ref.relative_error(a, b), decimals)

    return buggy


def _relerr_diff_in_a(a, b):
    diff = a
    diff -= b
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(diff) / scale)


def _relerr_negates_b(a, b):
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    b *= -1
    return float(np.linalg.norm(a + b) / scale)


def _relerr_array_of_one(a, b):
    return np.atleast_1d(ref.relative_error(a, b))


register(ref.relative_error, [
    ("relerr-spectral-norm",
     "np.linalg.norm(M, 2) of a matrix is its largest singular value (the spectral norm), not the Euclidean "
     "norm of its entries (for a vector they are the same): call np.linalg.norm(M) without ord.",
     [_relerr_ord2, _guarded(_relerr_ord2)]),
    ("relerr-per-column",
     "norms per column (axis=0) were compared and averaged: the relative error is one ratio of norms over "
     "every entry, np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)), with no axis.",
     _relerr_per_column),
    ("relerr-zero-if-either",
     "0.0 was returned when only one of the arrays is all zero: a zero gradient against a nonzero one "
     "disagrees completely, and the formula gives 1. Return 0.0 only when both are all zero.",
     _relerr_zero_if_either),
    ("relerr-all-misused",
     "a.all() == 0 is True as soon as ONE entry of a is 0 (a.all() asks whether every entry is nonzero): test "
     "for an all-zero array with not np.any(a), or np.linalg.norm(a) == 0.", _relerr_all_misused),
    ("relerr-entrywise-mean",
     "the entry-by-entry relative errors were averaged, which the lesson warns against: one tiny entry can "
     "dominate. Use norms of the whole arrays, np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)).",
     [_relerr_entrywise_mean, _guarded(_relerr_entrywise_mean)]),
    ("relerr-rounded",
     "the result is rounded: 9.99e-4 becomes 0.001 and 1e-9 becomes 0, yet those digits are what a gradient "
     "check reads. Return the number as computed; round only when printing it (f\"{error:.2e}\").",
     [_relerr_rounded(k) for k in range(1, 8)]),
    ("relerr-changes-its-arguments",
     "a or b is changed in place: diff = a names the same array as a, so diff -= b changes the caller's a (and "
     "b *= -1 flips the caller's b). The arrays are the caller's gradients: compute new ones, np.linalg.norm(a - b).",
     [_relerr_diff_in_a, _relerr_negates_b]),
    ("relerr-array-of-one",
     "the result is an array of shape (1,): return a single number, float(np.linalg.norm(a - b) / (...)) "
     "(np.linalg.norm already returns one).", _relerr_array_of_one),
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
    ("relerr-epsilon-3", _RELERR_EPSILON,
     [_relerr_plus_epsilon(epsilon) for epsilon in (1e-12, 1e-15, 1e-16, 1e-18, 1e-20)]),
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


class _DenseOfZ(ref.DenseTanh):
    def backward(self, dout, cache):
        x, a = cache
        z = x @ self.params["W"] + self.params["b"]
        dz = dout * (1.0 - z**2)
        return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}


class _DenseCallsBuggyBackward(_DenseBug):  # super().backward of BuggyDense, then dW replaced
    def parts(self, x, a, dout):
        dz = dout * (1.0 - np.tanh(a) ** 2)
        return dout * (1.0 - a**2), dz, dz


class _DenseSigmoidSlope(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * a * (1.0 - a)
        return dz, dz, dz


class _DenseSign(_DenseBug):
    def parts(self, x, a, dout):
        dz = dout * (a**2 - 1.0)
        return dz, dz, dz


class _DenseGrads(ref.DenseTanh):
    """The right dz; the gradients from `grads(x, dz, W)` -> dx, dW, db."""

    def backward(self, dout, cache):
        x, a = cache
        dx, dW, db = self.grads(x, dout * (1.0 - a**2), self.params["W"])
        return dx, {"W": dW, "b": db}


class _DenseBiasOverUnits(_DenseGrads):
    def grads(self, x, dz, W):
        return dz @ W.T, x.T @ dz, dz.sum(axis=1)


class _DenseWeightsAveraged(_DenseGrads):
    def grads(self, x, dz, W):
        return dz @ W.T, x.T @ dz / len(x), dz.sum(axis=0)


class _DenseWTransposed(_DenseGrads):
    def grads(self, x, dz, W):
        return dz @ W.T, dz.T @ x, dz.sum(axis=0)


class _DenseDxNoTranspose(_DenseGrads):
    def grads(self, x, dz, W):
        return dz @ W, x.T @ dz, dz.sum(axis=0)


class _DenseSquaresCache(ref.DenseTanh):
    def backward(self, dout, cache):
        x, a = cache
        a **= 2
        dz = dout * (1.0 - a)
        return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}


class _DenseScalesDout(ref.DenseTanh):
    def backward(self, dout, cache):
        x, a = cache
        dout *= 1.0 - a**2
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}


register(ref.DenseTanh, [
    ("dense-of-z", "1 - z**2 uses z = x W + b: tanh's slope is 1 - tanh(z)**2 = 1 - a**2, with a = tanh(z), the "
     "output kept in the cache.", _DenseOfZ),
    ("dense-calls-buggy-backward",
     "super().backward(...) is BuggyDense's backward, bugs and all: its dx and db still use 1 - np.tanh(a)**2. "
     "Write the whole backward pass yourself: dz = dout * (1 - a**2), dW = x.T @ dz, db = dz.sum(axis=0), "
     "dx = dz @ W.T.", _DenseCallsBuggyBackward),
    ("dense-sigmoid-slope", "a * (1 - a) is the sigmoid's slope; tanh's is 1 - a**2.", _DenseSigmoidSlope),
    ("dense-sign", "a sign error: tanh's slope is 1 - a**2, which is positive; a**2 - 1 flips every gradient.",
     _DenseSign),
    ("dense-bias-over-units", "db was summed over the units (axis=1): sum over the examples, db = dz.sum(axis=0), "
     "shape (k,) like b.", _DenseBiasOverUnits),
    ("dense-weights-averaged", "dW is averaged over the batch (divided by m): it is the sum over the examples, "
     "dW = x.T @ dz; a 1/m, if any, comes with dout from the loss.", _DenseWeightsAveraged),
    ("dense-w-transposed", "dW is transposed: dW = x.T @ dz, shape (n, k) like W.", _DenseWTransposed),
    ("dense-dx-no-transpose", "dx = dz @ W is missing the transpose: dx = dz @ W.T, shape (m, n) like x.",
     _DenseDxNoTranspose),
    ("dense-changes-cache",
     "backward changes the cached output in place (a **= 2, or a[:] = 1 - a**2): right once, but the cache then "
     "holds something else, and a second backward on it gives other gradients. Compute new arrays, "
     "dz = dout * (1 - a**2), and leave the cache as forward made it.", _DenseSquaresCache),
    ("dense-changes-dout",
     "dout is changed in place (dout *= ..., or dz = dout, which names the same array, then dz *= ...): the "
     "caller's gradient is overwritten. Compute a new array, dz = dout * (1 - a**2).", _DenseScalesDout),
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
