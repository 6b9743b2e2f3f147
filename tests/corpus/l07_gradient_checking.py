"""Lesson 07 (gradient checking): wrong answers a student would write, and right ones written unusually.

Written from the student notebook alone (lessons/07_gradient_checking), before looking at the course's
own catalogue of mistakes. "before" records what the feedback said about each one.
"""

LESSON = "07_gradient_checking"

# ---------------------------------------------------------------------------------------------
# Exercise 1: numerical_gradient
# ---------------------------------------------------------------------------------------------
_NG = []

_NG.append({
    "id": "l07-ng-one-sided",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-one-sided"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: a one-sided difference (f(x + h) - f(x)) / h ... the centred one has an error like h**2."},
    "bug": "one-sided (forward) difference (f(x + h e_i) - f(x)) / h instead of the centred difference",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - fx) / h
    return grad
'''}})

_NG.append({
    "id": "l07-ng-divide-by-h",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-over-h"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: divided by h instead of 2h; plus 'every entry is 2 times the expected one'."},
    "bug": "centred difference divided by h instead of 2h: every entry twice the gradient",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / h
    return grad
'''}})

_NG.append({
    "id": "l07-ng-precedence-2-times-h",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-precedence"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: (f_plus - f_minus) / 2 * h multiplies by h: Python reads it as ((f_plus - f_minus) / 2) * h."},
    "bug": "(f_plus - f_minus) / 2 * h: precedence, multiplies by h/2 instead of dividing by 2h",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
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
'''}})

_NG.append({
    "id": "l07-ng-sign",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-sign"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "No Likely cause line, only the inline pattern 'expected 12, got -12 (every entry has the wrong sign)'; enough to swap plus/minus."},
    "bug": "(f_minus - f_plus) / 2h: the sign of every entry flipped",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old - h
        f_plus = f(x)
        x[idx] = old + h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-no-restore",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-not-restored"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x is not put back after each entry ... restore it: x[idx] = old. BUT the extra line 'the argument x was changed in place; compute new arrays (a = a - ... instead of a -= ..., or x.copy())' contradicts the exercise, which asks to change x in place."},
    "bug": "never puts the entry back: x is left at old - h in every entry, and later entries are "
           "differentiated at the shifted point",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-restore-plus-equals",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-restored-by-arithmetic"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x is restored by adding h back (x[idx] += h), which leaves round-off behind: put it back exactly, x[idx] = old. BUT also 'On every case: the argument x was changed in place; compute new arrays ... or x.copy()', advice that contradicts the exercise."},
    "bug": "nudges with x[idx] += h, x[idx] -= 2*h, x[idx] += h: the entry comes back as "
           "((old + h) - 2h) + h, which differs from old by round-off (not restored exactly)",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-reshape-view-transposed",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-flat-view"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x.reshape(-1) is a view of x only when x is stored in order; for a transposed x (A.T) it is a copy ... Nudge x itself."},
    "bug": "nudges flat = x.reshape(-1) and calls f(x): a view for a contiguous x, but a copy for a "
           "transposed view (A.T), so f never sees the nudge and the gradient is 0 there",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(x)
        flat[i] = old - h
        f_minus = f(x)
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)
'''}})

_NG.append({
    "id": "l07-ng-flatten-copy-passed",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-on-a-copy"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x was copied before nudging; f may read x itself ... Nudge x in place and restore it."},
    "bug": "nudges a copy x.flatten() and passes flat.reshape(x.shape) to f: right when f uses its argument, "
           "but a loss that reads x itself sees nothing (gradient 0)",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    flat = x.flatten()
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(flat.reshape(x.shape))
        flat[i] = old - h
        f_minus = f(flat.reshape(x.shape))
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)
'''}})

_NG.append({
    "id": "l07-ng-copy-per-entry",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-on-a-copy"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x was copied before nudging; f may read x itself ... Nudge x in place and restore it."},
    "bug": "x_plus = x.copy(); x_minus = x.copy() for every entry (never touches x): a loss that reads x "
           "itself gets gradient 0",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x_plus = x.copy()
        x_plus[idx] += h
        x_minus = x.copy()
        x_minus[idx] -= h
        grad[idx] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-astype-copy",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-on-a-copy"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: x was copied before nudging (does not say astype copies, but the fix is clear)."},
    "bug": "starts with x = x.astype(np.float64) 'to be safe': astype copies, so the caller's array is "
           "never nudged and a loss reading it sees nothing",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    x = x.astype(np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-h-too-small",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-step-too-small"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only numbers on the no-h cases (differences ~1e-6, 'expected -0.75167, got -0.751668'); no 'default step is not 1e-5' cause, although h=1e-4 gets one."},
    "bug": "default step h=1e-10 ('smaller is more accurate'): round-off dominates, errors around 1e-6",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-10):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-default-h-1e-4",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-default-step"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the default step is not 1e-5: called without h ... def numerical_gradient(f, x, h=1e-5)."},
    "bug": "default step h=1e-4 instead of 1e-5 (subtle: the estimate is still good to ~1e-8)",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-4):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-hardcoded-h",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-fixed-h"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the argument h is ignored (a fixed 1e-5 is used); use the h you are given."},
    "bug": "ignores the h argument: copies h = 1e-5 from the lesson into the body, so other steps are never used",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    h = 1e-5
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-first-axis-only",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-rows"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: whole rows were nudged at once (a loop over x.shape[0] only); ... np.ndindex(x.shape)."},
    "bug": "loops for i in range(len(x)) and nudges x[i]: for a matrix that nudges a whole row at once "
           "(the gradient of a row sum, broadcast to the row)",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-nditer-alias",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-half-one-sided"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only 'expected 12, got 6.00001' on the worked case; no cause (neither the view-alias nor 'half of a one-sided difference')."},
    "bug": "np.nditer readwrite with old = v: old is a view of the entry, not its value, so x[idx] = old - h "
           "lands back on the original value; estimates (f(x+h) - f(x)) / 2h, half a one-sided difference",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    for v in it:
        idx = it.multi_index
        old = v
        v[...] = old + h
        f_plus = f(x)
        v[...] = old - h
        f_minus = f(x)
        v[...] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-grad-slice-alias",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-writes-into-x"],
    "before": {"visible": "misleading", "hidden_catches": True,
               "note": "No cause; 'the argument x was changed in place; compute new arrays (... or x.copy())': x.copy() contradicts the exercise's 'change x in place', and nothing points at grad = x[:] sharing x's memory."},
    "bug": "grad = x[:] (a list habit: thinks slicing copies) then grad[idx] = ...: the gradient is written "
           "into x itself, corrupting the point for later entries and the caller's array",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = x[:]
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
'''}})

_NG.append({
    "id": "l07-ng-half-nudge",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-half-one-sided"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only 'expected 12, got 6.00001'; no cause (the minus point is the original x)."},
    "bug": "x[idx] += h; f_plus; x[idx] -= h; f_minus: the 'minus' point is the original x, so it computes "
           "(f(x+h) - f(x)) / 2h, half of a one-sided difference",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
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
'''}})

_NG.append({
    "id": "l07-ng-flat-shape",
    "exercise": "numerical_gradient",
    "names": ["l07.numgrad-flat"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'gradient: shape (9,), expected (3, 3)' only; fix guessable, cause not named."},
    "bug": "collects the entries in a list and returns np.array(list): a flat vector, not x's shape",
    "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = []
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad.append((f_plus - f_minus) / (2 * h))
    return np.array(grad)
'''}})

# ---------------------------------------------------------------------------------------------
# Exercise 2: relative_error
# ---------------------------------------------------------------------------------------------
_RE = []

_RE.append({
    "id": "l07-re-ord2-matrix",
    "exercise": "relative_error",
    "names": ["l07.relerr-spectral-norm"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Numbers on the (3, 4) and (4, 2) pairs ('expected 0.850917, got 0.815083'); no hint that ord=2 is the spectral norm for matrices."},
    "bug": "np.linalg.norm(., 2): for matrices ord=2 is the spectral norm (largest singular value), not the "
           "Euclidean norm over all entries (same for vectors)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    denom = np.linalg.norm(a, 2) + np.linalg.norm(b, 2)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(a - b, 2) / denom)
'''}})

_RE.append({
    "id": "l07-re-per-column-mean",
    "exercise": "relative_error",
    "names": ["l07.relerr-per-column"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Numbers on the matrix pairs only; no cause (per-column norms)."},
    "bug": "norms along axis 0 (per column) and the mean of the column ratios",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    num = np.linalg.norm(a - b, axis=0)
    den = np.linalg.norm(a, axis=0) + np.linalg.norm(b, axis=0)
    if np.all(den == 0):
        return 0.0
    return float(np.mean(num / np.where(den == 0, 1.0, den)))
'''}})

_RE.append({
    "id": "l07-re-max-abs",
    "exercise": "relative_error",
    "names": ["l07.relerr-max-entries-2", "l07.relerr-max-entries"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the largest entries (the max-norm, np.max(np.abs(...))) were used; use np.linalg.norm."},
    "bug": "max-norm: max|a - b| / (max|a| + max|b|) instead of Euclidean norms",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.max(np.abs(a)) + np.max(np.abs(b))
    if den == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / den)
'''}})

_RE.append({
    "id": "l07-re-zero-if-either",
    "exercise": "relative_error",
    "names": ["l07.relerr-zero-if-either"],
    "before": {"visible": "passed", "hidden_catches": True,
               "note": "Visible tests all pass although the visible comment promises 'one of them zero' pairs (seed=3 draws none); hidden: 'relative error: expected 1, got 0' on 8-10 of 40 cases, numbers only."},
    "bug": "returns 0.0 when EITHER array is all zero (should be 1: a zero gradient against a nonzero one "
           "disagrees completely)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    if not np.any(a) or not np.any(b):
        return 0.0
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
'''}})

_RE.append({
    "id": "l07-re-divide-by-a",
    "exercise": "relative_error",
    "names": ["l07.relerr-over", "l07.relerr-over-a"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: divided by |a| alone; use |a| + |b|."},
    "bug": "divides by |a| alone (the 'analytic' one), not |a| + |b|",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    if np.linalg.norm(a) == 0 and np.linalg.norm(b) == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))
'''}})

_RE.append({
    "id": "l07-re-norm-of-sum",
    "exercise": "relative_error",
    "names": ["l07.relerr-over-sum-2", "l07.relerr-over-sum"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: divided by |a + b|, which is 0 when a = -b; divide by |a| + |b|."},
    "bug": "divides by |a + b| (norm of the sum) instead of |a| + |b|",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.linalg.norm(a + b)
    if den == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / den)
'''}})

_RE.append({
    "id": "l07-re-eps",
    "exercise": "relative_error",
    "names": ["l07.relerr-epsilon", "l07.relerr-epsilon-2", "l07.relerr-epsilon-3"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: a small number was added to the denominator instead of treating two zero arrays apart ..."},
    "bug": "adds 1e-8 to the denominator instead of testing for the zero case: wrong for gradients of size 1e-9",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))
'''}})

_RE.append({
    "id": "l07-re-eps-tiny",
    "exercise": "relative_error",
    "names": ["l07.relerr-epsilon-3", "l07.relerr-epsilon", "l07.relerr-epsilon-2"],
    "before": {"visible": "passed", "hidden_catches": False,
               "note": "Passes visible and hidden: an eps of 1e-20 only shows for gradients ~1e-12 or smaller (borderline: forbidden by the text, harmless in practice)."},
    "bug": "adds 1e-20 to the denominator (subtle: only the both-zero case is handled by the eps, "
           "the values barely change)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-20))
'''}})

_RE.append({
    "id": "l07-re-max-denominator",
    "exercise": "relative_error",
    "names": ["l07.relerr-over-max-2", "l07.relerr-over-max"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: divided by the larger of |a| and |b|; divide by their sum."},
    "bug": "denominator max(|a|, |b|) instead of |a| + |b|",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = max(np.linalg.norm(a), np.linalg.norm(b))
    if den == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / den)
'''}})

_RE.append({
    "id": "l07-re-no-zero-case",
    "exercise": "relative_error",
    "names": ["l07.relerr-no-zero-guard"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: 0 / 0 when both arrays are all zero: return 0.0 then."},
    "bug": "no zero case: two zero arrays give 0/0 = nan",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
'''}})

_RE.append({
    "id": "l07-re-all-misused",
    "exercise": "relative_error",
    "names": ["l07.relerr-all-misused"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only 'a=[1., 0.], b=[0., 1.]: expected 0.707107, got 0' (no cause: a.all() is False as soon as one entry is 0)."},
    "bug": "zero test written as a.all() == 0 and b.all() == 0: true as soon as both have ONE zero entry, "
           "so such pairs get 0.0",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    if a.all() == 0 and b.all() == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
'''}})

_RE.append({
    "id": "l07-re-squared-norms",
    "exercise": "relative_error",
    "names": ["l07.sums-squares-without-square", "l07.relerr-squared-norms"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: sums of squares without the square root."},
    "bug": "sums of squares without the square roots: |a - b|^2 / (|a|^2 + |b|^2)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.sum(a ** 2) + np.sum(b ** 2)
    if den == 0:
        return 0.0
    return float(np.sum((a - b) ** 2) / den)
'''}})

_RE.append({
    "id": "l07-re-elementwise-mean",
    "exercise": "relative_error",
    "names": ["l07.relerr-entrywise-mean"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Numbers only (0.00062422 vs 0.0009992, 1 vs 0.707); no cause although the lesson warns about entry-by-entry comparison."},
    "bug": "entry-by-entry relative errors |a_i - b_i| / (|a_i| + |b_i|), averaged (what the lesson warns against)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.abs(a) + np.abs(b)
    ratio = np.divide(np.abs(a - b), den, out=np.zeros_like(den, dtype=float), where=den > 0)
    return float(np.mean(ratio))
'''}})

_RE.append({
    "id": "l07-re-diff-alias",
    "exercise": "relative_error",
    "names": ["l07.relerr-changes-its-arguments"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Per case: 'the argument a was changed in place; compute new arrays (a = a - ... instead of a -= ..., or a.copy())'."},
    "bug": "diff = a; diff -= b (thinks diff is a new array): changes the caller's a, and |a| is then taken of a - b",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    diff = a
    diff -= b
    den = np.linalg.norm(a) + np.linalg.norm(b)
    if den == 0:
        return 0.0
    return float(np.linalg.norm(diff) / den)
'''}})

_RE.append({
    "id": "l07-re-negate-b-inplace",
    "exercise": "relative_error",
    "names": ["l07.relerr-changes-its-arguments"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "On every case: 'the argument b was changed in place; compute new arrays (... or b.copy())'."},
    "bug": "b *= -1 then norm(a + b): flips the sign of the caller's b in place (the value returned is right)",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.linalg.norm(a) + np.linalg.norm(b)
    if den == 0:
        return 0.0
    b *= -1
    return float(np.linalg.norm(a + b) / den)
'''}})

_RE.append({
    "id": "l07-re-rounded",
    "exercise": "relative_error",
    "names": ["l07.relerr-rounded"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'expected 0.0009992, got 0.001', 'expected 0.707107, got 0.7071': numbers only, no 'rounded' cause."},
    "bug": "rounds the result to 4 decimals 'to print it nicely': 1e-9 becomes 0.0, 9.99e-4 becomes 0.001",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.linalg.norm(a) + np.linalg.norm(b)
    if den == 0:
        return 0.0
    return round(float(np.linalg.norm(a - b) / den), 4)
'''}})

_RE.append({
    "id": "l07-re-shape-1",
    "exercise": "relative_error",
    "names": ["l07.relerr-array-of-one"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value)."},
    "bug": "returns an array of shape (1,) (np.atleast_1d 'so it is an array like the others')",
    "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    den = np.linalg.norm(a) + np.linalg.norm(b)
    if den == 0:
        return np.zeros(1)
    return np.atleast_1d(np.linalg.norm(a - b) / den)
'''}})

# ---------------------------------------------------------------------------------------------
# Exercise 3: FixedDense
# ---------------------------------------------------------------------------------------------
_FD = []


def _fd(body):
    return ('class FixedDense(BuggyDense):\n'
            '    """BuggyDense with its backward pass corrected."""\n\n'
            '    def backward(self, dout, cache):\n'
            '        """Return (dx, {"W": dW, "b": db}) for out = tanh(x @ W + b)."""\n' + body)


_FD.append({
    "id": "l07-fd-one-minus-a-squared",
    "exercise": "fixed_dense",
    "names": ["l07.dense-one-minus-a-squared"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: (1 - a)**2 squares the difference; tanh's derivative squares a first: 1 - a**2."},
    "bug": "tanh slope written (1 - a)**2 instead of 1 - a**2",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a) ** 2
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-keeps-tanh-of-a",
    "exercise": "fixed_dense",
    "names": ["l07.dense-derivative-of-output"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: 1 - np.tanh(a)**2 takes tanh twice ..."},
    "bug": "fixes dW but keeps 1 - np.tanh(a)**2 (tanh applied twice)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - np.tanh(a) ** 2)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-keeps-dW-dout",
    "exercise": "fixed_dense",
    "names": ["l07.dense-w-from-dout"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: dW uses dout; ... dW = x.T @ dz."},
    "bug": "fixes the slope but keeps dW = x.T @ dout (the second bug left in)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dout
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-a-pow-inplace",
    "exercise": "fixed_dense",
    "names": ["l07.dense-changes-cache"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'a second backward on the same cache gave other gradients: backward changes its cache in place (e.g. probs -= Y)' (example from lesson 06, but the cause is right)."},
    "bug": "a **= 2 on the cached output, in place: the right numbers, but the cache now holds a**2 "
           "(a second backward with the same cache is wrong)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        a **= 2
        dz = dout * (1 - a)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-slice-assign-cache",
    "exercise": "fixed_dense",
    "names": ["l07.dense-changes-cache"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Same cache-changed-in-place message as a **= 2."},
    "bug": "a[:] = 1 - a**2 to 'reuse the buffer': overwrites the cached output with the slope",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        a[:] = 1 - a ** 2
        dz = dout * a
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dout-inplace",
    "exercise": "fixed_dense",
    "names": ["l07.dense-changes-dout"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'the argument dout was changed in place; compute new arrays ... or dout.copy()'."},
    "bug": "dout *= 1 - a**2: changes the caller's dout in place (values returned are right)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dout *= 1 - a ** 2
        dW = x.T @ dout
        db = dout.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dz-alias-dout",
    "exercise": "fixed_dense",
    "names": ["l07.dense-changes-dout"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'the argument dout was changed in place' (does not say dz = dout is the alias, but enough)."},
    "bug": "dz = dout; dz *= 1 - a**2: dz is the caller's dout, which is changed in place",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout
        dz *= (1 - a * a)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-uses-z",
    "exercise": "fixed_dense",
    "names": ["l07.dense-of-z"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "dx, dW, db all differ, numbers only; no hint that z was used where a = tanh(z) belongs."},
    "bug": "recomputes z = x W + b and uses 1 - z**2 (z where tanh(z) = a is meant)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        z = x @ self.params["W"] + self.params["b"]
        dz = dout * (1 - z ** 2)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-db-mean",
    "exercise": "fixed_dense",
    "names": ["l07.dense-bias-mean"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the bias gradient is averaged over the batch; sum it."},
    "bug": "db = dz.mean(axis=0) (averaged over the batch instead of summed)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dz
        db = dz.mean(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dx-no-transpose",
    "exercise": "fixed_dense",
    "names": ["l07.dense-dx-no-transpose"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Square case: numbers; other cases: matmul ValueError '... a missing or extra .T?' and dx named as the differing output."},
    "bug": "dx = dz @ W without the transpose (a shape error unless W is square)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"]
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dx-from-dout",
    "exercise": "fixed_dense",
    "names": ["l07.dense-x-from-dout"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: dx uses dout; the input acts before the tanh, so dx = dz @ W.T."},
    "bug": "dx = dout @ W.T: forgets the tanh slope on the path to x",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dout @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-super-patch-dW",
    "exercise": "fixed_dense",
    "names": ["l07.dense-calls-buggy-backward"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "dx and b differ (W fine), numbers only; the buggy dz inside super().backward is not named (the same bug gets a Likely cause when written out)."},
    "bug": "calls super().backward and replaces only dW with x.T @ dz: db and dx still use the buggy "
           "1 - tanh(a)**2",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dx, grads = super().backward(dout, cache)
        dz = dout * (1 - a ** 2)
        grads["W"] = x.T @ dz
        return dx, grads
''')}})

_FD.append({
    "id": "l07-fd-db-axis1",
    "exercise": "fixed_dense",
    "names": ["l07.dense-bias-over-units"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'grads['b']: shape (4,), expected (3,)' and numbers; no 'summed over the wrong axis' cause."},
    "bug": "db = dz.sum(axis=1): sums over the units, giving one value per example (shape (m,))",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dz
        db = dz.sum(axis=1)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dW-transposed",
    "exercise": "fixed_dense",
    "names": ["l07.dense-w-transposed"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'shape (3, 4), expected (4, 3). That is the transpose of the expected shape: a missing or extra .T?'"},
    "bug": "dW = dz.T @ x: the transposed gradient, shape (k, n)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = dz.T @ x
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-sign-slope",
    "exercise": "fixed_dense",
    "names": ["l07.dense-sign"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "No Likely cause, but '(every entry has the wrong sign)' on dx, W and b points at the shared slope."},
    "bug": "slope written a**2 - 1: every gradient has the wrong sign",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (a ** 2 - 1)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-sigmoid-slope",
    "exercise": "fixed_dense",
    "names": ["l07.dense-sigmoid-slope"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Numbers only; no hint that a*(1 - a) is the sigmoid's slope."},
    "bug": "uses the sigmoid's slope a * (1 - a) from lesson 01 instead of tanh's 1 - a**2",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * a * (1 - a)
        dW = x.T @ dz
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

_FD.append({
    "id": "l07-fd-dW-averaged",
    "exercise": "fixed_dense",
    "names": ["l07.dense-weights-averaged"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'every entry is 0.25 times the expected one: a missing or extra constant factor?' only; the same mistake on db gets 'averaged over the batch; sum it'."},
    "bug": "dW = x.T @ dz / m (averaged over the batch; db summed, dx right)",
    "cells": {"fixed_dense": _fd('''        x, a = cache
        dz = dout * (1 - a ** 2)
        dW = x.T @ dz / len(x)
        db = dz.sum(axis=0)
        dx = dz @ self.params["W"].T
        return dx, {"W": dW, "b": db}
''')}})

WRONG = _NG + _RE + _FD

# ---------------------------------------------------------------------------------------------
# Right answers written unusually
# ---------------------------------------------------------------------------------------------
RIGHT = [
    {"id": "l07-right-ng-nditer-float",
     "exercise": "numerical_gradient",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) np.nditer readwrite, old = float(v) (a value, not a view), writes through v[...]",
     "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros(x.shape)
    with np.nditer(x, flags=["multi_index"], op_flags=["readwrite"]) as it:
        for v in it:
            old = float(v)
            v[...] = old + h
            f_plus = f(x)
            v[...] = old - h
            f_minus = f(x)
            v[...] = old
            grad[it.multi_index] = (f_plus - f_minus) / (2 * h)
    return grad
'''}},
    {"id": "l07-right-ng-unravel-index",
     "exercise": "numerical_gradient",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) loops over range(x.size) with np.unravel_index to get the index tuple",
     "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.empty(x.shape, dtype=np.float64)
    for i in range(x.size):
        idx = np.unravel_index(i, x.shape)
        old = x[idx].copy()
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2.0 * h)
    return grad
'''}},
    {"id": "l07-right-ng-flat-iterator",
     "exercise": "numerical_gradient",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) writes through x.flat[i], which reaches the array's own entries even for a transposed view",
     "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''}},
    {"id": "l07-right-ng-try-finally",
     "exercise": "numerical_gradient",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) ndenumerate over a zero array for the indices, the restore in a finally block",
     "cells": {"numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x; x is restored."""
    grad = np.zeros_like(x, dtype=float)
    for idx, _ in np.ndenumerate(grad):
        old = x[idx]
        try:
            x[idx] = old + h
            fp = float(f(x))
            x[idx] = old - h
            fm = float(f(x))
        finally:
            x[idx] = old
        grad[idx] = (fp - fm) / (h + h)
    return grad
'''}},
    {"id": "l07-right-re-by-hand",
     "exercise": "relative_error",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) norms by hand with np.sqrt(np.sum(...)), zero test with not np.any on both",
     "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if not np.any(a) and not np.any(b):
        return 0.0
    num = np.sqrt(np.sum((a - b) ** 2))
    den = np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))
    return num / den
'''}},
    {"id": "l07-right-re-ravel-norm",
     "exercise": "relative_error",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) ravels both and uses the vector 2-norm, returns np.float64 (a 0-d NumPy number)",
     "cells": {"relative_error": '''def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over all entries; 0.0 if a and b are both zero."""
    a, b = np.ravel(a), np.ravel(b)
    den = np.linalg.norm(a, 2) + np.linalg.norm(b, 2)
    return 0.0 if den == 0 else np.linalg.norm(a - b, 2) / den
'''}},
    {"id": "l07-right-fd-recompute-and-einsum",
     "exercise": "fixed_dense",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) recomputes a = tanh(x W + b) from the cached x instead of reading it, einsum for dW, "
            "dout - dout * a * a for dz",
     "cells": {"fixed_dense": _fd('''        x, _ = cache
        W, b = self.params["W"], self.params["b"]
        a = np.tanh(x @ W + b)
        dz = dout - dout * a * a
        dW = np.einsum("mi,mk->ik", x, dz)
        db = np.einsum("mk->k", dz)
        dx = np.einsum("mk,ik->mi", dz, W)
        return dx, {"W": dW, "b": db}
''')}},
    {"id": "l07-right-fd-loops",
     "exercise": "fixed_dense",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) explicit loop over the examples, accumulating outer products",
     "cells": {"fixed_dense": _fd('''        x, a = cache
        W = self.params["W"]
        dW = np.zeros_like(W)
        db = np.zeros(W.shape[1])
        dx = np.zeros_like(x)
        for i in range(x.shape[0]):
            dz_i = dout[i] * (1.0 - a[i] ** 2)
            dW += np.outer(x[i], dz_i)
            db += dz_i
            dx[i] = W @ dz_i
        return dx, {"W": dW, "b": db}
''')}},
]
