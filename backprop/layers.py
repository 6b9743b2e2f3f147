"""Reference layers in float64, and a small network that stacks them.

Data layout: one example per ROW. A batch of m examples with n features is an array of
shape (m, n), and a linear layer computes ``x @ W + b`` with W of shape (n_in, n_out) and
b of shape (n_out,). (Seeds 000, 002 and 003 write one example as a COLUMN and compute
``W @ x + b``; the two are transposes of each other: ``W_rows = W_columns.T`` and
``X_rows = X_columns.T``.)

One convention, kept by every layer and by the network:

    out, cache = layer.forward(x)          # cache: what backward will need
    dx, grads = layer.backward(dout, cache)

``dout`` is dL/d(out), with out's shape. ``dx`` is dL/dx, with x's shape. ``grads`` is a
dict with the same keys as ``layer.params`` (empty for layers without parameters), each
gradient with its parameter's shape.

Losses follow the same convention: ``loss, cache = loss_fn.forward(pred, target)`` and
``dpred, {} = loss_fn.backward(1.0, cache)``, the 1.0 being dL/dL.

    sigmoid(z)                                    1 / (1 + exp(-z)) for a number or an array ...
    softmax(z)                                    Softmax over the last axis, shifted by the row maximum so that ...
    Linear                                        out = x @ W + b
    Sigmoid                                       a = 1 / (1 + exp(-z))
    Tanh                                          a = tanh(z)
    ReLU                                          a = max(0, z)
    MeanSquaredError                              L = mean((pred - target)**2) over every entry (seed 001)
    HalfSumSquaredError                           L = (1/2) sum((pred - target)**2) (seeds 000 and 002)
    one_hot(labels, n_classes)                    Integer labels (m,) -> float64 one-hot rows (m, n_classes)
    SoftmaxCrossEntropy                           Softmax of the scores, then cross-entropy with the targets ...
    Sequential                                    Layers applied one after another
    sgd_step(params, grads, lr)                   Gradient descent in place
    INIT_SCHEMES
    ACTIVATIONS
    blas_threads(n)                               How many threads NumPy's OpenBLAS uses for matrix products ...
    init_std(scheme, n_in, n_out)                 The standard deviation of a layer's initial weights under a named ...
    deep_network(sizes, activation, init, rng, gain)  A Sequential of Linear layers sizes[0] -> sizes[1] ->
    global_norm(grads)                            sqrt of the sum of the squares of every entry of every gradient
    set_training(net, training)                   Switch the layers that behave differently in training (Dropout ...
    accuracy(scores, labels)                      The fraction of rows whose largest score is at the label
    train(net, loss_fn, X, y, steps, lr, batch_size, seed, max_norm, lam, eval_sets, eval_every)  Gradient descent ...
    Dropout                                       Inverted dropout
    BatchNorm                                     Batch normalisation of each feature (column) over the batch ...
"""

import numpy as np

from backprop.validation import (
    describe,
    require_array,
    require_finite,
    require_gradient_shape,
    require_same_shape,
)

__all__ = ["sigmoid", "softmax", "Linear", "Sigmoid", "Tanh", "ReLU", "MeanSquaredError", "HalfSumSquaredError",
           "one_hot", "SoftmaxCrossEntropy", "Sequential", "sgd_step", "INIT_SCHEMES", "ACTIVATIONS", "blas_threads",
           "init_std", "deep_network", "global_norm", "set_training", "accuracy", "train", "Dropout", "BatchNorm"]


def sigmoid(z):
    """1 / (1 + exp(-z)) for a number or an array, computed without overflow for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # at most 1, so it never overflows
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out if out.ndim else float(out)


def softmax(z):
    """Softmax over the last axis, shifted by the row maximum so that exp never overflows."""
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


class Linear:
    """out = x @ W + b.  x: (m, n_in), W: (n_in, n_out), b: (n_out,), out: (m, n_out)."""

    def __init__(self, W, b):
        require_array("W", W, ndim=2, meaning="(n_in, n_out)")
        require_array("b", b, ndim=1, meaning="(n_out,)")
        if b.shape[0] != W.shape[1]:
            raise ValueError(
                f"b has shape {b.shape} but W has shape {W.shape}: "
                f"b needs one entry per output, shape ({W.shape[1]},)."
            )
        self.params = {"W": W, "b": b}

    def forward(self, x):
        W, b = self.params["W"], self.params["b"]
        require_array("x", x, ndim=2, meaning="(examples, features)")
        if x.shape[1] != W.shape[0]:
            raise ValueError(
                f"x has shape {x.shape} ({x.shape[1]} features) but W has shape {W.shape} "
                f"({W.shape[0]} inputs): x @ W needs x.shape[1] == W.shape[0]."
            )
        return x @ W + b, x

    def backward(self, dout, cache):
        x = cache
        W = self.params["W"]
        if not (isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == W.shape[0]):
            raise ValueError(
                f"cache is not this layer's: {self!r}.backward needs the cache its own forward returned, its "
                f"input x of shape (m, {W.shape[0]}), but got {describe(cache)}. Give each layer its own cache "
                f"(layers[i] with caches[i])."
            )
        require_array("dout", dout, ndim=2)
        require_gradient_shape(dout, (x.shape[0], W.shape[1]))
        dx = dout @ W.T          # (m, n_out) @ (n_out, n_in)
        dW = x.T @ dout          # (n_in, m) @ (m, n_out)
        db = dout.sum(axis=0)    # one bias per output, summed over the batch
        return dx, {"W": dW, "b": db}

    def __repr__(self):
        n_in, n_out = self.params["W"].shape
        return f"Linear({n_in} -> {n_out})"


class _Activation:
    """An elementwise layer: no parameters, any shape."""

    def __init__(self):
        self.params = {}

    def forward(self, x):
        require_array("x", x)
        out = self.function(x)
        return out, (x, out)

    def backward(self, dout, cache):
        if not (isinstance(cache, (tuple, list)) and len(cache) == 2 and all(isinstance(a, np.ndarray) for a in cache)
                and cache[0].shape == cache[1].shape):
            raise ValueError(
                f"cache is not this layer's: {self!r}.backward needs the cache its own forward returned, the pair "
                f"(x, out), but got {describe(cache)}. Give each layer its own cache (layers[i] with caches[i])."
            )
        x, out = cache
        require_array("dout", dout)
        require_gradient_shape(dout, x.shape)
        return dout * self.derivative(x, out), {}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(_Activation):
    """a = 1 / (1 + exp(-z));  da/dz = a (1 - a), at most 0.25 (at z = 0)."""

    def function(self, x):
        return sigmoid(x)

    def derivative(self, x, out):
        return out * (1.0 - out)


class Tanh(_Activation):
    """a = tanh(z);  da/dz = 1 - a**2, at most 1 (at z = 0)."""

    def function(self, x):
        return np.tanh(x)

    def derivative(self, x, out):
        return 1.0 - out**2


class ReLU(_Activation):
    """a = max(0, z);  da/dz = 1 where z > 0, else 0 (we take 0 at the kink z = 0)."""

    def function(self, x):
        return np.maximum(x, 0.0)

    def derivative(self, x, out):
        return (x > 0).astype(np.float64)


class _Loss:
    """A loss: forward gives a single number, backward its gradient with respect to pred."""

    def __init__(self):
        self.params = {}

    def _check_pair(self, pred, target):
        require_array("pred", pred)
        require_array("target", target)
        require_same_shape("pred", pred, "target", target)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(_Loss):
    """L = mean((pred - target)**2) over every entry (seed 001).  dL/dpred = 2 (pred - target) / N."""

    def forward(self, pred, target):
        self._check_pair(pred, target)
        diff = pred - target
        return float(np.mean(diff**2)), diff

    def backward(self, dout, cache):
        diff = cache
        return dout * 2.0 * diff / diff.size, {}


class HalfSumSquaredError(_Loss):
    """L = (1/2) sum((pred - target)**2) (seeds 000 and 002).  dL/dpred = pred - target.

    The 1/2 cancels the 2 from differentiating the square.
    """

    def forward(self, pred, target):
        self._check_pair(pred, target)
        diff = pred - target
        return float(0.5 * np.sum(diff**2)), diff

    def backward(self, dout, cache):
        diff = cache
        return dout * diff, {}


def one_hot(labels, n_classes):
    """Integer labels (m,) -> float64 one-hot rows (m, n_classes)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be a 1-D array of integers, but got {labels.shape} of dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, but range from {labels.min()} to {labels.max()}.")
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


class SoftmaxCrossEntropy(_Loss):
    """Softmax of the scores, then cross-entropy with the targets, averaged over the batch.

    scores: (m, k) raw outputs of the last layer (logits).
    target: (m,) integer class labels, or (m, k) one-hot rows.
    L = -(1/m) sum_i log softmax(scores_i)[target_i];  dL/dscores = (softmax(scores) - Y) / m.
    """

    def forward(self, scores, target):
        require_array("scores", scores, ndim=2, meaning="(examples, classes)")
        m, k = scores.shape
        if isinstance(target, np.ndarray) and target.ndim == 1 and np.issubdtype(target.dtype, np.integer):
            if target.shape[0] != m:
                raise ValueError(
                    f"target has {target.shape[0]} labels (shape {target.shape}) but scores has "
                    f"{m} examples (shape {scores.shape}); one label per row is expected."
                )
            Y = one_hot(target, k)
        else:
            require_array("target", target, ndim=2, meaning="(examples, classes), one-hot")
            require_same_shape("scores", scores, "target", target)
            Y = target
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -float(np.sum(Y * log_probs)) / m
        return loss, (np.exp(log_probs), Y)

    def backward(self, dout, cache):
        probs, Y = cache
        return dout * (probs - Y) / probs.shape[0], {}


class Sequential:
    """Layers applied one after another; backward visits them in reverse.

    out, caches = net.forward(x)
    dx, grads = net.backward(dout, caches)   # grads[i] is the dict of layer i
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        self.layers = list(layers)

    @property
    def params(self):
        """One dict per layer, the same arrays the layers hold (updating them updates the net)."""
        return [layer.params for layer in self.layers]

    def forward(self, x):
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dout, caches):
        if len(caches) != len(self.layers):
            raise ValueError(f"caches has {len(caches)} entries but the network has {len(self.layers)} layers.")
        grads = [None] * len(self.layers)
        for i in reversed(range(len(self.layers))):
            dout, grads[i] = self.layers[i].backward(dout, caches[i])
        return dout, grads

    def predict(self, x):
        return self.forward(x)[0]

    def __repr__(self):
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"


def sgd_step(params, grads, lr):
    """Gradient descent in place: p -= lr * dp for every parameter.

    params, grads: a dict of arrays, or a list of such dicts (as Sequential gives).
    """
    if isinstance(params, dict):
        params, grads = [params], [grads]
    if len(params) != len(grads):
        raise ValueError(f"params has {len(params)} entries but grads has {len(grads)}.")
    for p, g in zip(params, grads):
        if set(p) != set(g):
            raise ValueError(f"params has keys {sorted(p)} but grads has keys {sorted(g)}.")
        for name in p:
            require_same_shape(f"grads[{name!r}]", g[name], f"params[{name!r}]", p[name])
            require_finite(f"grads[{name!r}]", g[name])
            p[name] -= lr * g[name]


# --- lesson 08: deep networks ---------------------------------------------------------
# Named initialisations, a deep network builder, the global gradient norm, and a training
# loop with optional clipping (and, for lesson 09, an L2 penalty and train/eval modes).

INIT_SCHEMES = ("small", "xavier", "he", "large")
ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU}

_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS")
_OPENBLAS_SUFFIXES = ("scipy_openblas_{}_threads64_", "scipy_openblas_{}_threads", "openblas_{}_threads64_",
                      "openblas_{}_threads")


def _openblas():
    """NumPy's OpenBLAS library as a ctypes handle, or None (NumPy built on another library)."""
    import ctypes
    import glob
    import os

    paths = set()
    try:
        with open("/proc/self/maps") as maps:  # Linux: the libraries this process has loaded
            paths.update(line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line)
    except OSError:
        pass
    if not paths:  # elsewhere: the copy shipped with NumPy's wheel
        root = os.path.dirname(np.__file__)
        for pattern in ("../numpy.libs/*openblas*", ".dylibs/*openblas*"):
            paths.update(glob.glob(os.path.join(root, pattern)))
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        if any(hasattr(library, s.format("set_num")) for s in _OPENBLAS_SUFFIXES):
            return library
    return None


def blas_threads(n=None):
    """How many threads NumPy's OpenBLAS uses for matrix products (None if NumPy does not use
    OpenBLAS); with n, set that number first.

    The course's matrices are small, at most a few thousand rows of 64 numbers. OpenBLAS splits
    even those over every core, and on a machine busy with other work (a class's JupyterHub, a
    laptop running other things) its threads wait for one another: lesson 09's training runs
    took 20 times longer than on one thread. So importing this module sets one thread, unless
    OPENBLAS_NUM_THREADS or OMP_NUM_THREADS is set. One thread gives the same numbers.
    """
    library = _openblas()
    if library is None:
        return None
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive whole number of threads, but got {n!r}.")
        for suffix in _OPENBLAS_SUFFIXES:
            setter = getattr(library, suffix.format("set_num"), None)
            if setter is not None:
                setter(int(n))
                break
    for suffix in _OPENBLAS_SUFFIXES:
        getter = getattr(library, suffix.format("get_num"), None)
        if getter is not None:
            return int(getter())
    return None


def _one_blas_thread():
    import os

    if not any(os.environ.get(name) for name in _THREAD_VARIABLES):
        try:
            blas_threads(1)
        except Exception:  # noqa: BLE001  (a speed-up only: never stop the import for it)
            pass


_one_blas_thread()


def init_std(scheme, n_in, n_out):
    """The standard deviation of a layer's initial weights under a named scheme.

    small   0.01                       (seed 001's `np.random.randn(...) * 0.01`)
    xavier  sqrt(2 / (n_in + n_out))   (Glorot and Bengio, 2010; normal form)
    he      sqrt(2 / n_in)             (He et al., 2015; for ReLU)
    large   1.0                        (plain standard normal weights)
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, but got {scheme!r}.")
    _check_size("n_in", n_in)
    _check_size("n_out", n_out)
    if scheme == "small":
        return 0.01
    if scheme == "xavier":
        return float(np.sqrt(2.0 / (n_in + n_out)))
    if scheme == "he":
        return float(np.sqrt(2.0 / n_in))
    return 1.0


def _check_size(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number (a layer size), but got {value!r}.")


def deep_network(sizes, activation="relu", init="he", rng=None, gain=1.0):
    """A Sequential of Linear layers sizes[0] -> sizes[1] -> ... -> sizes[-1], with the
    activation after every Linear except the last (which gives the raw scores).

    Weights are drawn in order, layer by layer, as rng.standard_normal((n_in, n_out)) times
    gain * init_std(init, n_in, n_out); biases start at zero.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, but got {activation!r}.")
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer sizes, like [64, 32, 10], but got {sizes!r}.")
    for k, n in enumerate(sizes):
        _check_size(f"sizes[{k}]", n)
    rng = np.random.default_rng(0) if rng is None else rng
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = rng.standard_normal((n_in, n_out)) * (gain * init_std(init, n_in, n_out))
        layers.append(Linear(W, np.zeros(n_out)))
        if k < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    return Sequential(layers)


def global_norm(grads):
    """sqrt of the sum of the squares of every entry of every gradient.

    grads: a list of dicts of arrays (as Sequential.backward returns), one dict, or a list of arrays.
    """
    arrays = _arrays_in(grads, "grads")
    return float(np.sqrt(sum(np.sum(g**2) for g in arrays)))


def _arrays_in(value, name):
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        return [a for key, v in value.items() for a in _arrays_in(v, f"{name}[{key!r}]")]
    if isinstance(value, (list, tuple)):
        return [a for k, v in enumerate(value) for a in _arrays_in(v, f"{name}[{k}]")]
    raise TypeError(f"{name} must hold NumPy arrays (in lists and dicts), but holds {type(value).__name__}.")


def set_training(net, training):
    """Switch the layers that behave differently in training (Dropout, BatchNorm) on or off."""
    for layer in net.layers:
        if hasattr(layer, "training"):
            layer.training = bool(training)


def accuracy(scores, labels):
    """The fraction of rows whose largest score is at the label."""
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def train(net, loss_fn, X, y, steps, lr, batch_size=None, seed=0, max_norm=None, lam=0.0,
          eval_sets=None, eval_every=10):
    """Gradient descent on (X, y), `steps` updates; returns a history dict.

    batch_size  rows per step, drawn at random without replacement (None: the whole set)
    max_norm    clip the gradients by their global norm before each update (None: no clipping)
    lam         L2 penalty (lam / 2) * sum of W**2 over every layer's "W" (biases are not penalised)
    eval_sets   {"train": (X, y), "test": (X_test, y_test)}: every `eval_every` steps and at
                the end, the loss (without the penalty) and accuracy on each, in eval mode

    The history holds "loss" and "grad_norm" per step (the batch loss with the penalty, and
    the global norm before clipping), "eval_step" with "<name>_loss" and "<name>_accuracy" for
    each eval set, and "diverged_at": the step whose loss or gradients were not finite (the
    run stops there), or None.
    """
    require_array("X", X, ndim=2, meaning="(examples, features)")
    if batch_size is not None:
        _check_size("batch_size", batch_size)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "grad_norm": [], "eval_step": [], "diverged_at": None}
    for name in eval_sets or {}:
        history[f"{name}_loss"], history[f"{name}_accuracy"] = [], []

    def evaluate(step):
        set_training(net, False)
        results = {}
        for name, (Xe, ye) in (eval_sets or {}).items():
            scores = net.predict(Xe)
            results[f"{name}_loss"] = loss_fn.forward(scores, ye)[0]
            results[f"{name}_accuracy"] = accuracy(scores, ye)
        history["eval_step"].append(step)
        for key, value in results.items():
            history[key].append(value)
        set_training(net, True)

    set_training(net, True)
    with np.errstate(all="ignore"):
        for step in range(steps):
            rows = slice(None) if batch_size is None else rng.choice(X.shape[0], batch_size, replace=False)
            try:
                if eval_sets and step % eval_every == 0:
                    evaluate(step)
                out, caches = net.forward(X[rows])
                loss, cache = loss_fn.forward(out, y[rows])
            except ValueError as error:  # an activation overflowed: the layers refuse inf and NaN
                if "non-finite" not in str(error):
                    raise
                history["diverged_at"] = step
                break
            _, grads = net.backward(loss_fn.backward(1.0, cache)[0], caches)
            if lam:
                loss += 0.5 * lam * sum(float(np.sum(p["W"] ** 2)) for p in net.params if "W" in p)
                grads = [{k: g[k] + lam * p[k] if k == "W" else g[k] for k in g} for p, g in zip(net.params, grads)]
            norm = global_norm(grads)
            history["loss"].append(loss)
            history["grad_norm"].append(norm)
            if not (np.isfinite(loss) and np.isfinite(norm)):
                history["diverged_at"] = step
                break
            if max_norm is not None and norm > max_norm:
                grads = [{k: g[k] * (max_norm / norm) for k in g} for g in grads]
            sgd_step(net.params, grads, lr)
        else:
            if eval_sets:
                try:
                    evaluate(steps)
                except ValueError as error:
                    if "non-finite" not in str(error):
                        raise
                    history["diverged_at"] = steps
    set_training(net, False)
    return history


# --- lesson 09: training in practice ----------------------------------------------------
# Inverted dropout and batch normalisation as layers, with a training switch (set_training).


class Dropout:
    """Inverted dropout: in training, each entry is kept with probability 1 - p_drop and
    scaled by 1 / (1 - p_drop), so that its expected value is unchanged; in evaluation
    (layer.training = False) the layer passes x through untouched.

    The mask is drawn as rng.random(x.shape) >= p_drop; backward multiplies dout by the
    same mask and scale, taken from the cache.
    """

    def __init__(self, p_drop, rng=None):
        if isinstance(p_drop, bool) or not isinstance(p_drop, (int, float)) or not 0.0 <= p_drop < 1.0:
            raise ValueError(f"p_drop must be a probability in [0, 1), the chance of dropping a unit, "
                             f"but got {p_drop!r}.")
        self.p_drop = float(p_drop)
        self.rng = np.random.default_rng(0) if rng is None else rng
        self.training = True
        self.params = {}

    def forward(self, x):
        require_array("x", x)
        if not self.training or self.p_drop == 0.0:
            return x.copy(), None
        keep = (self.rng.random(x.shape) >= self.p_drop) / (1.0 - self.p_drop)
        return x * keep, keep

    def backward(self, dout, cache):
        require_array("dout", dout)
        if cache is None:
            return dout.copy(), {}
        require_gradient_shape(dout, cache.shape)
        return dout * cache, {}

    def __repr__(self):
        return f"Dropout(p_drop={self.p_drop:g})"


class BatchNorm:
    """Batch normalisation of each feature (column) over the batch, then a learned scale and shift.

    Training:  mu = mean of x over the batch, var = its variance (1/m),
               x_hat = (x - mu) / sqrt(var + eps),  out = gamma * x_hat + beta,
               and running averages of mu and var are kept for evaluation.
    Evaluation (layer.training = False): the running averages replace the batch's statistics.

    In training every output depends on every example of the batch (through mu and var), so
    dx has three terms: the direct path through x_hat, and the paths through mu and var:
        dx = (1/m) / sqrt(var + eps) * (m * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat))
    with dx_hat = dout * gamma and the sums over the batch.
    """

    def __init__(self, gamma, beta, eps=1e-5, momentum=0.9):
        require_array("gamma", gamma, ndim=1, meaning="(features,)")
        require_array("beta", beta, ndim=1, meaning="(features,)")
        require_same_shape("gamma", gamma, "beta", beta)
        self.params = {"gamma": gamma, "beta": beta}
        self.eps, self.momentum = float(eps), float(momentum)
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)
        self.training = True

    def forward(self, x):
        require_array("x", x, ndim=2, meaning="(examples, features)")
        gamma, beta = self.params["gamma"], self.params["beta"]
        if x.shape[1] != gamma.shape[0]:
            raise ValueError(f"x has {x.shape[1]} features (shape {x.shape}) but gamma has {gamma.shape[0]} "
                             f"(shape {gamma.shape}); one gamma and one beta per feature.")
        if self.training:
            mu, var = x.mean(axis=0), x.var(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mu) * inv_std
        return gamma * x_hat + beta, (x_hat, inv_std, gamma.copy(), self.training)

    def backward(self, dout, cache):
        x_hat, inv_std, gamma, training = cache
        require_array("dout", dout, ndim=2)
        require_gradient_shape(dout, x_hat.shape)
        grads = {"gamma": np.sum(dout * x_hat, axis=0), "beta": dout.sum(axis=0)}
        dx_hat = dout * gamma
        if not training:  # the statistics are constants
            return dx_hat * inv_std, grads
        m = dout.shape[0]
        dx = inv_std / m * (m * dx_hat - dx_hat.sum(axis=0) - x_hat * np.sum(dx_hat * x_hat, axis=0))
        return dx, grads

    def __repr__(self):
        return f"BatchNorm({self.params['gamma'].shape[0]})"
