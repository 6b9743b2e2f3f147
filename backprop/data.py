"""Data sets, all offline: small ones generated in code, and real handwritten digits.

Arrays are float64 with one example per row, labels are int64, unless a function says
otherwise (the seed examples that are written with columns keep their columns).

    xor()                                        The four XOR points
    spiral(n_per_class, n_classes, noise, seed)  Interleaved spiral arms, one per class
    single_neuron_example()                      The one-neuron example worked in lesson 01
    worked_221()                                 The 2-2-1 network worked by hand in lesson 03 ...
    one_example_231(seed)                        One example for a 2-3-1 sigmoid network, in COLUMN layout ...
    regression_481()                             The 4-8-1 regression problem, drawn exactly as ...
    load_digits()                                1797 handwritten digits
    digits_split(test_fraction, seed)            The digits as flat rows scaled to [0, 1] ...
    minibatches(X, y, batch_size, rng)           Yield (X_batch, y_batch) covering the data once in a random order ...
    xor_blobs(n_per_blob, std, seed)             Four overlapping Gaussian blobs in an XOR pattern
    teacher_regression(m, noise, seed)           Targets that a 4-8-1 sigmoid network can learn
"""

from pathlib import Path

import numpy as np

__all__ = ["xor", "spiral", "single_neuron_example", "worked_221", "one_example_231", "regression_481", "load_digits",
           "digits_split", "minibatches", "xor_blobs", "teacher_regression"]


_HERE = Path(__file__).resolve().parent


def xor():
    """The four XOR points: X (4, 2) and labels (4,), 1 where exactly one input is 1."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, y


def spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class: X (n_per_class * n_classes, 2), labels.

    No straight line separates them: a classifier needs a hidden layer.
    """
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.int64)
    for k in range(n_classes):
        rows = slice(k * n_per_class, (k + 1) * n_per_class)
        radius = np.linspace(0.0, 1.0, n_per_class)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.normal(0.0, noise, n_per_class)
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = k
    return X, y


def single_neuron_example():
    """The one-neuron example worked in lesson 01: x = 2, w = 0.5, target y = 4, lr = 0.1."""
    return {"x": 2.0, "w": 0.5, "y": 4.0, "lr": 0.1}


def worked_221():
    """The 2-2-1 network worked by hand in lesson 03, in the course's row layout.

    Named as the lesson names them: w11, w12 (inputs x1, x2 to hidden h1), b1; w21, w22 (to h2),
    b2; v1, v2 (h1, h2 to the output), b3. As arrays for ``x @ W + b``:
    W1[i, j] is the weight from input i to hidden unit j, so W1 = [[w11, w21], [w12, w22]].
    """
    s = {"w11": 0.1, "w12": 0.3, "b1": 0.1, "w21": 0.2, "w22": 0.4, "b2": 0.1,
         "v1": 0.5, "v2": 0.6, "b3": 0.1, "x1": 1.0, "x2": 0.5, "y": 1.0, "lr": 0.5}
    return {
        "scalars": s,
        "x": np.array([[s["x1"], s["x2"]]]),
        "y": np.array([[s["y"]]]),
        "W1": np.array([[s["w11"], s["w21"]], [s["w12"], s["w22"]]]),
        "b1": np.array([s["b1"], s["b2"]]),
        "W2": np.array([[s["v1"]], [s["v2"]]]),
        "b2": np.array([s["b3"]]),
        "lr": s["lr"],
    }


def one_example_231(seed=0):
    """One example for a 2-3-1 sigmoid network, in COLUMN layout (``W1 @ x + b1``).

    x = (0.5, 0.1) as a (2, 1) column, target (1, 1) of 1.0, and weights drawn from a
    standard normal with the given seed: W1 (3, 2), b1 (3, 1), W2 (1, 3), b2 (1, 1).
    """
    rng = np.random.default_rng(seed)
    return {
        "x": np.array([[0.5], [0.1]]),
        "y": np.array([[1.0]]),
        "W1": rng.standard_normal((3, 2)),
        "b1": rng.standard_normal((3, 1)),
        "W2": rng.standard_normal((1, 3)),
        "b2": rng.standard_normal((1, 1)),
    }


def regression_481():
    """The 4-8-1 regression problem, drawn exactly as ``np.random.seed(42)`` then randn calls.

    Returns X (100, 4), y (100, 1) and the initial W1 (4, 8) * 0.01, b1 (8,) zeros,
    W2 (8, 1) * 0.01, b2 (1,) zeros, in that order of drawing.
    """
    rs = np.random.RandomState(42)  # the same stream as np.random.seed(42)
    X = rs.randn(100, 4)
    y = rs.randn(100, 1)
    W1 = rs.randn(4, 8) * 0.01
    b1 = np.zeros(8)
    W2 = rs.randn(8, 1) * 0.01
    b2 = np.zeros(1)
    return {"X": X, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def load_digits():
    """1797 handwritten digits: images (1797, 8, 8) float64 with values 0..16, labels (1797,).

    Source and licence: backprop/digits.md (UCI Optical Recognition of Handwritten Digits,
    CC BY 4.0).
    """
    with np.load(_HERE / "digits.npz") as f:
        return f["images"].astype(np.float64), f["labels"].astype(np.int64)


def digits_split(test_fraction=0.25, seed=0):
    """The digits as flat rows scaled to [0, 1], shuffled and split into train and test.

    Returns X_train (n, 64), y_train (n,), X_test (k, 64), y_test (k,).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, but is {test_fraction!r}.")
    images, labels = load_digits()
    X = images.reshape(len(images), -1) / 16.0
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], labels[train], X[test], labels[test]


def minibatches(X, y, batch_size, rng):
    """Yield (X_batch, y_batch) covering the data once in a random order (one epoch)."""
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows (shape {X.shape}) but y has {y.shape[0]} (shape {y.shape}).")
    order = rng.permutation(X.shape[0])
    for start in range(0, X.shape[0], batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]


# --- lesson 09: a small noisy problem to overfit ----------------------------------------


def xor_blobs(n_per_blob=12, std=0.8, seed=0):
    """Four overlapping Gaussian blobs in an XOR pattern: X (4 * n_per_blob, 2), labels (int64).

    Class 0 is centred on (1, 1) and (-1, -1), class 1 on (1, -1) and (-1, 1), each blob with
    standard deviation `std`. The best boundary is the two axes; with std 0.8 the blobs overlap
    and about a fifth of the points lie on the wrong side of it, so a flexible network that
    separates every training point has learned the noise.
    """
    if isinstance(n_per_blob, bool) or not isinstance(n_per_blob, (int, np.integer)) or n_per_blob < 1:
        raise ValueError(f"n_per_blob must be a positive whole number, but got {n_per_blob!r}.")
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    X = np.concatenate([c + std * rng.standard_normal((n_per_blob, 2)) for c in centres])
    y = np.repeat(np.array([0, 0, 1, 1], dtype=np.int64), n_per_blob)
    return X, y


# --- lesson 05: a regression problem a 4-8-1 network can learn ------------------------------


def teacher_regression(m=400, noise=0.1, seed=0):
    """Targets that a 4-8-1 sigmoid network can learn: X (m, 4) from a standard normal, and
    y (m, 1) made by a random 'teacher' network of that very shape (sigmoid hidden layer,
    linear output) plus Gaussian noise of standard deviation `noise`. No network can beat the
    noise, so the best mean squared error is about noise**2.
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m, the number of examples, must be a positive integer, but is {m!r}.")
    if not isinstance(noise, (int, float)) or isinstance(noise, bool) or not noise >= 0:
        raise ValueError(f"noise, a standard deviation, must be a number >= 0, but is {noise!r}.")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 4))
    W1 = 1.5 * rng.standard_normal((4, 8))
    b1 = 0.5 * rng.standard_normal(8)
    W2 = rng.standard_normal((8, 1))
    b2 = 0.5 * rng.standard_normal(1)
    hidden = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    y = hidden @ W2 + b2 + noise * rng.standard_normal((m, 1))
    return X, y
