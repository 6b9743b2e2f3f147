"""The data sets: offline, the right shapes, the digits shipped with their source."""

from pathlib import Path

import numpy as np
import pytest

from backprop import data


def test_xor():
    X, y = data.xor()
    assert X.shape == (4, 2) and X.dtype == np.float64
    np.testing.assert_array_equal(y, (X[:, 0] != X[:, 1]).astype(int))


def test_spiral_is_reproducible_and_balanced():
    X, y = data.spiral(n_per_class=50, n_classes=3, seed=1)
    assert X.shape == (150, 2) and y.shape == (150,)
    np.testing.assert_array_equal(np.bincount(y), [50, 50, 50])
    X2, _ = data.spiral(n_per_class=50, n_classes=3, seed=1)
    np.testing.assert_array_equal(X, X2)
    assert np.abs(X).max() <= 1.0 + 1e-12


def test_worked_221_row_layout_matches_the_named_weights():
    ex = data.worked_221()
    s = ex["scalars"]
    h = ex["x"] @ ex["W1"] + ex["b1"]
    assert h[0, 0] == pytest.approx(s["w11"] * s["x1"] + s["w12"] * s["x2"] + s["b1"])
    assert h[0, 1] == pytest.approx(s["w21"] * s["x1"] + s["w22"] * s["x2"] + s["b2"])


def test_digits_are_real_small_and_documented():
    path = Path(data.__file__).with_name("digits.npz")
    assert path.stat().st_size <= 200_000
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels).min() >= 170  # every digit well represented
    licence = path.with_name("digits.md").read_text()
    assert "CC BY 4.0" in licence and "10.24432/C50P49" in licence


def test_digits_split():
    X_train, y_train, X_test, y_test = data.digits_split(test_fraction=0.25, seed=0)
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    assert len(y_train) == 1348 and len(y_test) == 449
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1, but is 1.5"):
        data.digits_split(test_fraction=1.5)


def test_minibatches_cover_the_data_once():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    seen = np.concatenate([yb for _, yb in data.minibatches(X, y, 3, np.random.default_rng(0))])
    assert sorted(seen) == list(range(10))
    with pytest.raises(ValueError, match=r"X has 10 rows \(shape \(10, 2\)\) but y has 9"):
        list(data.minibatches(X, y[:9], 3, np.random.default_rng(0)))
