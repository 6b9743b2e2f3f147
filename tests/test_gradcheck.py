"""Gradient checking finds correct gradients correct and planted bugs wrong."""

import numpy as np
import pytest

from backprop.gradcheck import gradient_report, layer_report, numerical_gradient, relative_error
from backprop.layers import Linear


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=1e-8)


def test_numerical_gradient_restores_its_input():
    x = np.array([0.3, -1.2, 2.5])
    before = x.copy()
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_wants_a_number():
    with pytest.raises(ValueError, match=r"f must return a single number.*shape \(3,\)"):
        numerical_gradient(lambda v: v * 2, np.zeros(3))


def test_relative_error():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, a * (1 + 1e-6)) == pytest.approx(0.5e-6, rel=1e-3)
    with pytest.raises(ValueError, match=r"analytic has shape \(3,\) but numeric has shape \(2,\)"):
        relative_error(a, np.zeros(2))


class BuggyLinear(Linear):
    """dW is missing a transpose-free detail: the bias gradient is not summed over the batch."""

    def backward(self, dout, cache):
        dx, grads = super().backward(dout, cache)
        grads["b"] = dout[0]  # only the first example
        return dx, grads


def test_a_planted_bug_is_found_and_located():
    rng = np.random.default_rng(0)
    layer = BuggyLinear(rng.standard_normal((3, 2)), rng.standard_normal(2))
    report = layer_report(layer, rng.standard_normal((4, 3)))
    assert not report.passed
    assert report["x"]["passed"] and report["W"]["passed"]
    assert not report["b"]["passed"] and report["b"]["error"] > 1e-2
    text = str(report)
    assert "FAIL" in text and "some gradients disagree" in text
    with pytest.raises(AssertionError, match="gradient check failed"):
        report.assert_passed()
    assert "<table>" in report._repr_html_()


def test_checking_a_few_entries_of_a_large_parameter():
    rng = np.random.default_rng(1)
    W = rng.standard_normal((30, 40))
    calls = []

    def loss():
        calls.append(1)
        return np.sum(np.tanh(W))

    grad = 1 - np.tanh(W) ** 2
    report = gradient_report(loss, {"W": W}, {"W": grad}, entries=10)
    assert report.passed
    assert len(calls) == 20  # two evaluations per checked entry, not 2 * 1200
    wrong = grad.copy()
    wrong[:, :] *= 1.01
    assert not gradient_report(loss, {"W": W}, {"W": wrong}, entries=10).passed


def test_layer_report_notes_inputs_changed_in_place():
    class ChangesDout(Linear):
        def backward(self, dout, cache):
            dout *= 1.0  # harmless here, but the caller's array is written to
            dout[0] = dout[0] * 1.0
            dx, grads = super().backward(dout, cache)
            dout *= 3.0
            return dx, grads

    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    report = layer_report(ChangesDout(rng.standard_normal((3, 2)), rng.standard_normal(2)), x)
    assert report.passed  # the gradients were checked against the dout it was given
    assert len(report.notes) == 1 and "backward changed dout in place" in str(report)
    assert "note:" in report._repr_html_()

    class ChangesX(Linear):
        def backward(self, dout, cache):
            cache += 1.0
            return super().backward(dout, cache)

    report = layer_report(ChangesX(rng.standard_normal((3, 2)), rng.standard_normal(2)), x.copy())
    assert "changed x in place" in str(report)
    assert layer_report(Linear(rng.standard_normal((3, 2)), rng.standard_normal(2)), x).notes == []
