"""Mistakes any answer can make (backprop/checks/general.py), named with their fix when nothing of the
exercise's own catalogue explains a failure; and never offered where they do not explain it."""

import numpy as np
import pytest

from backprop import checks
from backprop.layers import Linear


def pair(x, w):
    """A reference with two outputs (no catalogue of mistakes)."""
    return x * w + 0.123456789, x - w * 0.3183098861837907


def single(x):
    return np.tanh(x) * 0.7071067811865476 + 0.1


def cases(rng):
    return {"x": rng.standard_normal((3, 2)), "w": rng.standard_normal((3, 2))}


def single_cases(rng):
    return {"x": rng.standard_normal((3, 2))}


def causes_of(yours, reference=pair, cases=cases, **kwargs):
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(yours, reference, cases, seed=0, **kwargs)
    return [c.id for c in failure.value.causes], str(failure.value)


def test_results_in_another_order_are_named_with_the_order_to_return():
    ids, text = causes_of(lambda x, w: pair(x, w)[::-1], outputs=["dL_dx", "dL_dw"])
    assert ids == ["course.outputs-swapped"]
    assert "returns (dL_dw, dL_dx): the right results in another order. Return (dL_dx, dL_dw), in that order." in text


def test_float32_is_named_whether_the_results_are_float32_or_cast_back():
    ids, text = causes_of(lambda x, w: tuple(o.astype(np.float32) for o in pair(x, w)))
    assert ids == ["course.float32"] and "compute in float64" in text

    def expm1(x):
        return np.exp(x) - 1.0

    def small(rng):
        return {"x": rng.uniform(0.01, 0.02, 6)}

    def in_float32(x):  # computed in float32, returned as float64: 5 digits left near 0
        return (np.exp(x.astype(np.float32)) - np.float32(1.0)).astype(np.float64)

    assert causes_of(in_float32, expm1, small)[0] == ["course.float32"]


def test_rounded_results_are_named_with_the_decimals():
    ids, text = causes_of(lambda x, w: tuple(np.round(o, 4) for o in pair(x, w)))
    assert ids == ["course.rounded"] and "rounded to 4 decimals" in text


def test_a_buffer_returned_by_every_call_is_named():
    kept = {}

    def single_buffered(x):
        out = kept.setdefault("out", np.zeros_like(x))
        out[...] = single(x)
        return out

    ids, _ = causes_of(single_buffered, single, single_cases)
    assert ids == ["course.output-reused"]


def test_state_kept_between_calls_is_named():
    total = [0.0]

    def running(x):  # accumulates: called again with the same x, another answer
        total[0] = total[0] + 1.0
        return single(x) * total[0]

    assert causes_of(running, single, single_cases)[0] == ["course.state-between-calls"]
    memo = {}

    def remembers(x):  # a cache keyed on the shape only: the answer of an earlier call
        return memo.setdefault(x.shape, single(x)).copy()

    assert causes_of(remembers, single, single_cases)[0] == ["course.state-between-calls"]


def test_an_argument_changed_in_place_is_named_with_its_name():
    def scales_x(x, w):
        x *= 1.0
        x += 0.0
        x[0] = 7.0
        return pair(x, w)

    ids, text = causes_of(scales_x)
    assert ids == ["course.changes-argument"] and "scales_x changes x in place" in text


def test_not_written_and_returns_none_are_named():
    def not_written(x, w):
        raise NotImplementedError()

    ids, text = causes_of(not_written)
    assert ids == ["course.not-written"] and "not_written is not written yet." in text

    def helper(x):
        raise NotImplementedError()

    def calls_helper(x, w):
        return helper(x), x

    ids, text = causes_of(calls_helper)
    assert ids == ["course.not-written"] and "helper, which calls_helper calls, is not written yet" in text

    def prints(x, w):
        print(pair(x, w))

    assert causes_of(prints)[0] == ["course.returns-none"]


@pytest.mark.parametrize("wrong", [
    lambda x, w: tuple(np.zeros_like(o) for o in pair(x, w)),     # zeros: not "rounded", not "float32"
    lambda x, w: tuple(2.0 * o for o in pair(x, w)),              # a factor: no general cause
    lambda x, w: (pair(x, w)[0], pair(x, w)[0]),                  # one output twice: not "swapped"
    lambda x, w: tuple(np.round(o, 1) + 0.01 for o in pair(x, w)),  # near a rounding, but not one
])
def test_no_general_cause_is_offered_where_none_explains_the_failure(wrong):
    assert causes_of(wrong)[0] == []


class BackwardPairSwapped:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        return {"W": cache.T @ dout, "b": dout.sum(axis=0)}, dout @ self.params["W"].T


class ForwardBuffer:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.out = None

    def forward(self, x):
        if self.out is None or self.out.shape != (x.shape[0], self.params["W"].shape[1]):
            self.out = np.empty((x.shape[0], self.params["W"].shape[1]))
        np.matmul(x, self.params["W"], out=self.out)
        self.out += self.params["b"]
        return self.out, x

    def backward(self, dout, cache):
        return dout @ self.params["W"].T, {"W": cache.T @ dout, "b": dout.sum(axis=0)}


def linear_case(rng):
    return {"x": rng.standard_normal((4, 3)), "dout": rng.standard_normal((4, 2)),
            "W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}


@pytest.mark.parametrize("layer, cause, says", [
    (BackwardPairSwapped, "course.outputs-swapped", "backward returns (grads, dx): return (dx, grads), in that order."),
    (ForwardBuffer, "course.forward-reuses-output", "forward returned the same array twice"),
])
def test_a_layers_general_mistakes_are_named(layer, cause, says):
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_layer(layer, Linear, linear_case, seed=0)
    assert [c.id for c in failure.value.causes] == [cause]
    assert says in str(failure.value)
    assert "backward does not use the cache" not in str(failure.value)  # (the output buffer is forward's)


def test_an_answer_that_ignores_what_tells_two_cases_apart_is_not_said_to_keep_state():
    """Right on the first case, and on the second it gives the first's answer, because it ignores the one
    input the two differ in (here: whether b is a row): no state, it just ignores b's shape."""
    from backprop import reference

    def add_backward(a, b, dout):
        return dout.copy(), dout.copy() if a.shape[0] == 1 else dout.sum(axis=0)

    dout = np.arange(3.0).reshape(1, 3) + 0.5
    same = [{"a": np.ones((1, 3)), "b": np.ones((1, 3)), "dout": dout}, {"a": np.ones((1, 3)), "b": np.ones(3),
                                                                        "dout": dout}]
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_function(add_backward, reference.add_backward, same, outputs=["da", "db"])
    assert "course.state-between-calls" not in [c.id for c in failure.value.causes]


def test_an_answer_returning_an_iterator_is_not_said_to_keep_state():
    def reversed_pair(x, w):
        return reversed(pair(x, w))

    assert "course.state-between-calls" not in causes_of(reversed_pair)[0]
