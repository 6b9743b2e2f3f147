"""A tiny reverse-mode automatic differentiation engine on NumPy arrays (lesson 10).

A Tensor holds an array, ``data``, and after ``backward()`` the gradient of the loss with
respect to it, ``grad`` (same shape). A tensor computed by an operation also remembers the
tensors it came from, ``parents``, and its backward rule, ``grad_fn``: given dL/d(this
tensor) it returns dL/d(parent) for each parent. ``loss.backward()`` lists the graph in
topological order and applies the rules from the loss back to the leaves, adding up the
gradients of tensors used more than once.

    W = Tensor(np.zeros((4, 8)), name="W")
    loss = (((X @ W + b).sigmoid() @ V - y) ** 2).mean()
    loss.backward()          # fills W.grad, b.grad, V.grad
    W.zero_grad()            # leaves keep adding up gradients until you clear them

Operations: ``+ - *`` (with NumPy broadcasting), ``@``, ``**`` (a constant power),
``tanh()``, ``sigmoid()``, ``relu()``, ``sum()``, ``mean()``. Plain numbers and arrays
mixed with tensors become constant leaves.

Lesson 10 builds the same engine, cell by cell; this copy drives the lesson's explorer and
the tests. ``penalised_neuron()`` is the lesson's first example, every tensor named.

    unbroadcast(grad, shape)  Sum `grad` down to `shape`, undoing NumPy broadcasting
    topological_order(root)   Every tensor `root` depends on, each once, parents before the tensors made from them
    as_tensor(value)          A tensor as it is
"""

import numpy as np

from backprop.layers import sigmoid as _sigmoid
from backprop.validation import describe, require_finite, require_gradient_shape

__all__ = ["unbroadcast", "topological_order", "as_tensor", "Tensor", "penalised_neuron"]


def unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, undoing NumPy broadcasting.

    When a (n,) bias is added to every row of an (m, n) array, each bias entry is used m
    times, so its gradient is the sum over the m rows; the same holds for every axis that
    broadcasting stretched.
    """
    shape = tuple(shape)
    grad = np.asarray(grad, dtype=np.float64)
    extra = grad.ndim - len(shape)
    if extra < 0 or any(s not in (1, g) for s, g in zip(shape, grad.shape[extra:])):
        raise ValueError(
            f"grad has shape {grad.shape}, which cannot be summed down to shape {shape}: "
            f"shape must be one that NumPy broadcasts to {grad.shape}."
        )
    grad = grad.sum(axis=tuple(range(extra))) if extra else grad
    stretched = tuple(axis for axis, s in enumerate(shape) if s == 1 and grad.shape[axis] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def topological_order(root):
    """Every tensor `root` depends on, each once, parents before the tensors made from them.

    The root comes last; backward() walks the list from the end. (Depth first: a tensor is
    appended once all its parents are. Written without recursion, so deep graphs are fine.)
    """
    if not hasattr(root, "parents"):
        raise TypeError(f"root must be a Tensor (anything with .parents), but got {describe(root)}.")
    order, seen = [], {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is done
            stack.pop()
            order.append(node)
    return order


def as_tensor(value):
    """A tensor as it is; a number or an array as a constant leaf tensor."""
    return value if isinstance(value, Tensor) else Tensor(value)


class Tensor:
    """An array that remembers how it was computed, so that gradients can flow back to its parents."""

    __array_ufunc__ = None  # array + tensor: NumPy steps aside and Tensor.__radd__ answers

    def __init__(self, data, parents=(), grad_fn=None, op="", name=""):
        try:
            self.data = np.array(data, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"data must be a number or an array of numbers, but got {describe(data)}."
            ) from None
        require_finite("data", self.data)
        parents = tuple(parents)
        for parent in parents:
            if not isinstance(parent, Tensor):
                raise TypeError(f"parents must be Tensors, but one is {describe(parent)}.")
        if grad_fn is not None and not callable(grad_fn):
            raise TypeError(f"grad_fn must be a function dout -> gradients, but got {describe(grad_fn)}.")
        self.grad = np.zeros_like(self.data)
        self.parents = parents
        self.grad_fn = grad_fn
        self.op = op
        self.name = name

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        label = f"{self.name!r}, " if self.name else ""
        made = f", op={self.op!r}" if self.op else ""
        return f"Tensor({label}{np.array2string(self.data, precision=4)}{made})"

    # --- the backward pass -----------------------------------------------------------

    def backward(self, grad=None):
        """Fill .grad of every tensor this one depends on with dL/d(that tensor).

        grad is dL/d(this tensor); leave it out when this tensor is the loss (a single
        number): dL/dL = 1. Leaves add to the gradient they already hold (call zero_grad()
        between training steps); the tensors in between start from zero each time.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single number, the loss, but this tensor has "
                    f"shape {self.shape}. Reduce it first (.sum() or .mean()), or pass grad=dL/d(this)."
                )
            grad = np.ones_like(self.data)
        grad = np.asarray(grad, dtype=np.float64)
        require_gradient_shape(grad, self.shape)
        order = topological_order(self)
        for node in order:
            if node.parents:
                node.grad = np.zeros_like(node.data)
        self.grad = self.grad + grad
        for node in reversed(order):
            if node.grad_fn is None:
                continue
            grads = node.grad_fn(node.grad)
            for parent, g in zip(node.parents, grads):
                parent.grad = parent.grad + g

    def zero_grad(self):
        """Forget the gradient: set .grad to zeros."""
        self.grad = np.zeros_like(self.data)

    # --- operations: the result, its parents and its backward rule --------------------

    def __add__(self, other):
        a, b = self, as_tensor(other)
        _broadcastable("+", a, b)

        def grad_fn(dout):  # d(a + b)/da = 1, d(a + b)/db = 1
            return unbroadcast(dout, a.shape), unbroadcast(dout, b.shape)

        return Tensor(a.data + b.data, (a, b), grad_fn, "+")

    def __mul__(self, other):
        a, b = self, as_tensor(other)
        _broadcastable("*", a, b)

        def grad_fn(dout):  # d(a b)/da = b, d(a b)/db = a
            return unbroadcast(dout * b.data, a.shape), unbroadcast(dout * a.data, b.shape)

        return Tensor(a.data * b.data, (a, b), grad_fn, "*")

    def __matmul__(self, other):
        a, b = self, as_tensor(other)
        if a.data.ndim != 2 or b.data.ndim != 2 or a.shape[1] != b.shape[0]:
            raise ValueError(
                f"a @ b needs 2-D arrays with a.shape[1] == b.shape[0], but a has shape {a.shape} and "
                f"b has shape {b.shape}."
            )

        def grad_fn(dout):  # dL/da = dout b^T, dL/db = a^T dout
            return dout @ b.data.T, a.data.T @ dout

        return Tensor(a.data @ b.data, (a, b), grad_fn, "@")

    def __pow__(self, k):
        if isinstance(k, Tensor) or not isinstance(k, (int, float, np.integer, np.floating)):
            raise TypeError(f"the power k in t ** k must be a plain number, but got {describe(k)}.")
        a = self

        def grad_fn(dout):  # d(a^k)/da = k a^(k-1)
            return (dout * k * a.data ** (k - 1),)

        return Tensor(a.data**k, (a,), grad_fn, f"**{k:g}")

    def __sub__(self, other):
        a, b = self, as_tensor(other)
        _broadcastable("-", a, b)

        def grad_fn(dout):  # d(a - b)/da = 1, d(a - b)/db = -1
            return unbroadcast(dout, a.shape), unbroadcast(-dout, b.shape)

        return Tensor(a.data - b.data, (a, b), grad_fn, "-")

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return as_tensor(other) + self

    def __rsub__(self, other):
        return as_tensor(other) - self

    def __rmul__(self, other):
        return as_tensor(other) * self

    def __rmatmul__(self, other):
        return as_tensor(other) @ self

    def tanh(self):
        a = self
        out = np.tanh(a.data)

        def grad_fn(dout):  # d tanh(a)/da = 1 - tanh(a)^2
            return (dout * (1.0 - out**2),)

        return Tensor(out, (a,), grad_fn, "tanh")

    def sigmoid(self):
        a = self
        out = _sigmoid(a.data)

        def grad_fn(dout):  # d sigmoid(a)/da = sigmoid(a) (1 - sigmoid(a))
            return (dout * out * (1.0 - out),)

        return Tensor(out, (a,), grad_fn, "sigmoid")

    def relu(self):
        a = self

        def grad_fn(dout):  # 1 where a > 0, else 0
            return (dout * (a.data > 0),)

        return Tensor(np.maximum(a.data, 0.0), (a,), grad_fn, "relu")

    def sum(self):
        a = self

        def grad_fn(dout):  # every entry counts once
            return (np.broadcast_to(dout, a.shape).copy(),)

        return Tensor(a.data.sum(), (a,), grad_fn, "sum")

    def mean(self):
        a = self

        def grad_fn(dout):  # every entry counts 1/N
            return (np.broadcast_to(dout / a.data.size, a.shape).copy(),)

        return Tensor(a.data.mean(), (a,), grad_fn, "mean")


def _broadcastable(op, a, b):
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"a {op} b needs shapes that broadcast, but a has shape {a.shape} and b has shape {b.shape}."
        ) from None


def penalised_neuron(x=1.5, w=0.8, b=-0.5, y=0.5, lam=0.1):
    """L = (tanh(w x + b) - y)**2 + lam * w**2 in lesson 10's engine, every tensor named.

    Returns the loss tensor L (call L.backward() for the gradients). w is used twice: in
    p = w x and in r = w**2, so its gradient is the sum of two shares.
    """
    for name, value in (("x", x), ("w", w), ("b", b), ("y", y), ("lam", lam)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a number, but got {value!r}.")
    x, w, b = Tensor(x, name="x"), Tensor(w, name="w"), Tensor(b, name="b")
    y, lam = Tensor(y, name="y"), Tensor(lam, name="λ")
    p = w * x
    z = p + b
    a = z.tanh()
    e = a - y
    s = e**2
    r = w**2
    q = lam * r
    L = s + q
    for tensor, name in zip((p, z, a, e, s, r, q, L), ("p", "z", "a", "e", "s", "r", "q", "L")):
        tensor.name = name
    return L
