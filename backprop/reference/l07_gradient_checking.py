"""Lesson 07, gradient checking: reference answers and random cases.

numerical_gradient(f, x, h): centred differences, entry by entry, x perturbed in place and restored
relative_error(a, b) = |a - b| / (|a| + |b|), |.| the Euclidean norm of the whole array, 0 if both are 0
DenseTanh: out = tanh(x @ W + b), the layer whose buggy backward lesson 07 fixes

    numerical_gradient(f, x, h)               The centred-difference gradient of f at x ...
    relative_error(a, b)                      |a - b| / (|a| + |b|) with Euclidean norms over every entry
    SmoothFunction                            A smooth function of an array x that mixes its entries
    random_numerical_gradient(rng)            A case for numerical_gradient
    random_numerical_gradient_reading_x(rng)  Like random_numerical_gradient, but f reads the array x itself and ...
    random_numerical_gradient_default_h(rng)  Like random_numerical_gradient, without h
    random_numerical_gradient_any_layout(rng)  x with three axes, or a transposed matrix (not stored in order) ...
    random_gradient_pair(rng)                 Two arrays a, b of one shape, of any size from 1e-10 to 1e3
    DenseTanh                                 out = tanh(x @ W + b) for x (m, n), W (n, k), b (k,)
    random_dense(rng)                         A batch and a DenseTanh layer
"""

import numpy as np

from backprop import gradcheck as _gradcheck
from backprop.validation import require_array

__all__ = ["numerical_gradient", "relative_error", "SmoothFunction", "random_numerical_gradient",
           "random_numerical_gradient_reading_x", "random_numerical_gradient_default_h",
           "random_numerical_gradient_any_layout", "random_gradient_pair", "DenseTanh", "random_dense"]


def numerical_gradient(f, x, h=1e-5):
    """The centred-difference gradient of f at x, as backprop.gradcheck computes it."""
    return _gradcheck.numerical_gradient(f, x, h=h)


def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over every entry; 0.0 when both are all zero."""
    return _gradcheck.relative_error(a, b)


class SmoothFunction:
    """A smooth function of an array x that mixes its entries: sum(tanh(M @ x.ravel() + c)) + sum(x**3) / 10,
    plus sum(sin(wiggle * x)) / wiggle if wiggle is given (a large third derivative, so that the
    step h shows in the centred differences).

    Made with x=array, it ignores its argument and reads that array, as a loss reads a layer's
    weights: only perturbing that very array in place changes its value.
    """

    def __init__(self, M, c, x=None, wiggle=None):
        self.M, self.c, self.x, self.wiggle = M, c, x, wiggle

    def __call__(self, x):
        x = self.x if self.x is not None else x
        value = np.sum(np.tanh(self.M @ x.ravel() + self.c)) + np.sum(x**3) / 10
        if self.wiggle:
            value += np.sum(np.sin(self.wiggle * x)) / self.wiggle
        return float(value)

    def __repr__(self):
        wiggle = f" that wiggles (a term sin({self.wiggle:g} x) / {self.wiggle:g})" if self.wiggle else ""
        if self.x is not None:
            how = "" if self.x.flags.c_contiguous else " (x is a transposed view, not stored in order)"
            return f"a smooth function{wiggle} that ignores its argument and reads x itself{how}"
        return f"a smooth function of x{wiggle}"


def random_numerical_gradient(rng):
    """A case for numerical_gradient: f, x (a vector or a matrix) and a step h."""
    shape = [(int(rng.integers(2, 6)),), (int(rng.integers(2, 4)), int(rng.integers(2, 4)))][int(rng.integers(0, 2))]
    x = rng.standard_normal(shape)
    M = rng.standard_normal((3, x.size)) / np.sqrt(x.size)
    f = SmoothFunction(M, rng.normal(0.0, 0.5, size=3))
    return {"f": f, "x": x, "h": float(rng.choice([1e-5, 1e-4, 1e-3]))}


def random_numerical_gradient_reading_x(rng):
    """Like random_numerical_gradient, but f reads the array x itself and ignores its argument."""
    case = random_numerical_gradient(rng)
    case["f"] = SmoothFunction(case["f"].M, case["f"].c, x=case["x"])
    return case


def random_numerical_gradient_default_h(rng):
    """Like random_numerical_gradient, without h: the function's default step must be 1e-5. The
    function wiggles, so that a default of 1e-4 already gives other numbers (by about 1e-6)."""
    case = random_numerical_gradient(rng)
    del case["h"]
    case["f"].wiggle = 30.0
    return case


def random_numerical_gradient_any_layout(rng):
    """x with three axes, or a transposed matrix (not stored in order), read by f itself, and a step h.

    An answer that nudges x.reshape(-1) nudges a copy of a transposed x; one that loops over
    one or two axes misses the third.
    """
    if rng.random() < 0.5:
        x = rng.standard_normal((int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 4))))
    else:
        x = rng.standard_normal((int(rng.integers(2, 5)), int(rng.integers(3, 5)))).T  # F-ordered
    M = rng.standard_normal((3, x.size)) / np.sqrt(x.size)
    return {"f": SmoothFunction(M, rng.normal(0.0, 0.5, size=3), x=x), "x": x,
            "h": float(rng.choice([1e-5, 1e-4, 1e-3]))}


def random_gradient_pair(rng):
    """Two arrays a, b of one shape, of any size from 1e-10 to 1e3: close, far apart, opposite,
    scaled, or one of them zero."""
    shape = [(int(rng.integers(2, 8)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5)))][int(rng.integers(0, 2))]
    a = rng.standard_normal(shape) * 10.0 ** rng.uniform(-10, 3)
    kind = int(rng.integers(0, 5))
    if kind == 0:
        b = a + rng.standard_normal(shape) * np.linalg.norm(a) * 10.0 ** rng.uniform(-10, -2)
    elif kind == 1:
        b = rng.standard_normal(shape) * np.linalg.norm(a)
    elif kind == 2:
        b = -a * rng.uniform(0.5, 2.0)
    elif kind == 3:
        b = a * rng.uniform(0.2, 5.0)
    else:
        b = np.zeros(shape)
    return {"a": a, "b": b} if rng.random() < 0.5 else {"a": b, "b": a}


class DenseTanh:
    """out = tanh(x @ W + b) for x (m, n), W (n, k), b (k,).  d out / dz = 1 - out**2."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        require_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != self.params["W"].shape[0]:
            raise ValueError(f"x has shape {x.shape} but W has shape {self.params['W'].shape}: "
                             f"x @ W needs x.shape[1] == W.shape[0].")
        a = np.tanh(x @ self.params["W"] + self.params["b"])
        return a, (x, a)

    def backward(self, dout, cache):
        x, a = cache
        dz = dout * (1.0 - a**2)
        return dz @ self.params["W"].T, {"W": x.T @ dz, "b": dz.sum(axis=0)}


def random_dense(rng):
    """A batch and a DenseTanh layer: x (m, n), dout (m, k), W (n, k), b (k,), tanh not saturated."""
    m, n, k = int(rng.integers(2, 6)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    while True:
        x, W, b = rng.standard_normal((m, n)), rng.standard_normal((n, k)) / np.sqrt(n), rng.normal(0.0, 0.5, size=k)
        if np.abs(x @ W + b).max() < 3.0:  # tanh'(z) > 0.01 everywhere
            return {"x": x, "dout": rng.standard_normal((m, k)), "W": W, "b": b}
