"""Argument checks that fail with a message a learner can act on.

Most backprop bugs are shape bugs, so every error here names the argument, says what it
received and what was expected (for arrays: the shapes).

    describe(value)                               A short description of a value for an error message
    type_name(value)                              The name of a value's type (of the object a grader's proxy stands for)
    require_array(name, value, ndim, meaning)     Check that `value` is a float64 NumPy array with no NaN or ...
    require_finite(name, value)                   Raise if `value` holds a NaN or an infinity ...
    require_same_shape(name, value, other_name, other)  Raise unless two arrays have the same shape
    require_gradient_shape(dout, out_shape)       A gradient has the shape of the thing it is the gradient of
    require_numbers()                             Raise a TypeError naming the first argument that is not a finite ...
    require_positive(name, value)                 Raise a ValueError unless `value` is a number above 0
    require_non_negative(name, value)             Raise a ValueError unless `value` is a number of at least 0
"""

import numpy as np

__all__ = ["describe", "type_name", "require_array", "require_finite", "require_same_shape", "require_gradient_shape",
           "require_numbers", "require_positive", "require_non_negative"]


def type_name(value):
    """The name of a value's type; for a grader's proxy of a student's object (autograde.wire.Remote),
    the name of that object's type, so that a message reads the same in the notebook and when graded."""
    if hasattr(type(value), "__type_name__"):
        return value.__type_name__
    return type(value).__name__


def describe(value):
    """A short description of a value for an error message: type, and shape and dtype for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, (bool, int, float, complex, np.number)):
        return f"the {type(value).__name__} {value!r}"
    return f"a {type_name(value)}"


def require_array(name, value, ndim=None, meaning=None):
    """Check that `value` is a float64 NumPy array with no NaN or infinity, and return it.

    name     the argument's name, used in the message ("x", "dout", ...)
    ndim     the number of dimensions required, or None for any
    meaning  what the axes are, for the message: "(examples, features)"
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy array of float64, but got {describe(value)}. "
            f"Convert it with np.asarray({name}, dtype=np.float64)."
        )
    if value.dtype != np.float64:
        raise TypeError(
            f"{name} must have dtype float64, but has dtype {value.dtype} (shape {value.shape}). "
            f"Gradients are checked in float64; convert with {name}.astype(np.float64)."
        )
    if ndim is not None and value.ndim != ndim:
        axes = f" {meaning}" if meaning else ""
        raise ValueError(
            f"{name} must be {ndim}-D{axes}, but has shape {value.shape} ({value.ndim}-D)."
            + (" A single example is a row: use x.reshape(1, -1)." if value.ndim == 1 and ndim == 2 else "")
        )
    require_finite(name, value)
    return value


def require_finite(name, value):
    """Raise if `value` holds a NaN or an infinity, saying where the first one is."""
    bad = ~np.isfinite(value)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(value[where]) else "infinity"
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s), the first a {kind} at index "
            f"{where} (shape {np.shape(value)}). Something upstream overflowed or divided by zero."
        )


def require_same_shape(name, value, other_name, other):
    """Raise unless two arrays have the same shape."""
    if value.shape != other.shape:
        raise ValueError(
            f"{name} has shape {value.shape} but {other_name} has shape {other.shape}; "
            f"they must match element for element."
        )


def require_gradient_shape(dout, out_shape):
    """A gradient has the shape of the thing it is the gradient of."""
    if dout.shape != tuple(out_shape):
        raise ValueError(
            f"dout has shape {dout.shape}, but the forward output had shape {tuple(out_shape)}. "
            f"The gradient of the loss with respect to an array always has that array's shape."
        )


def require_numbers(**named):
    """Raise a TypeError naming the first argument that is not a finite number."""
    for name, value in named.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, but got {value!r}.")


def require_positive(name, value):
    """Raise a ValueError unless `value` is a number above 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, but got {describe(value)}.")


def require_non_negative(name, value):
    """Raise a ValueError unless `value` is a number of at least 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, but got {describe(value)}.")
