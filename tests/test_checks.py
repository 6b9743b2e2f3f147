"""The student checks: silent on right answers, specific on wrong ones."""

import numpy as np
import pytest
from lesson_tools import known_mistakes, mistake_versions

from backprop import checks, mistakes, reference
from backprop.layers import sigmoid


def test_the_reference_passes_its_own_check(capsys):
    checks.check_function(reference.neuron_gradients, reference.neuron_gradients, reference.random_neuron,
                          outputs=["dL_dw", "dL_db"])
    out = capsys.readouterr()
    assert out.out.startswith("ok: neuron_gradients agrees with the reference on 5 cases")
    assert out.err == ""


def test_a_correct_answer_that_makes_numpy_warn_writes_nothing_to_stderr(capfd):
    def neuron_forward(x, w, b):
        return 1.0 / (1.0 + np.exp(-(w * x + b)))  # overflows for very negative z

    checks.check_function(neuron_forward, reference.neuron_forward, [{"x": 1.0, "w": -800.0, "b": 0.0}])
    assert capfd.readouterr().err == ""


# (some mistakes show only on the lesson's edge cases: saturated neurons, a large target, |z| of 1000)
EDGE_NEURONS = [*reference.SATURATED_NEURONS, {"x": 2.0, "w": 0.5, "b": 0.0, "y": 4.0}]
EDGE_INPUTS = [{"x": 2.0, "w": 14.0, "b": 2.0}, {"x": 2.0, "w": -500.0, "b": 0.0}, {"x": 2.0, "w": 500.0, "b": 0.0}]


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.neuron_gradients))
def test_every_known_gradient_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(AssertionError) as failure:
        checks.check_function(buggy, reference.neuron_gradients, reference.random_neuron, seed=5,
                              outputs=["dL_dw", "dL_db"])
        checks.check_function(buggy, reference.neuron_gradients, EDGE_NEURONS, outputs=["dL_dw", "dL_db"], atol=0)
    assert "Likely cause: " + description in str(failure.value)
    assert "seed=5" in str(failure.value) or "random" not in str(failure.value)


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.neuron_forward))
def test_every_known_forward_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(AssertionError) as failure:
        checks.check_function(buggy, reference.neuron_forward, reference.random_neuron_input, seed=6)
        checks.check_function(buggy, reference.neuron_forward, EDGE_INPUTS)
    assert "Likely cause: " + description in str(failure.value)


def test_every_failure_is_reported_at_once():
    def wrong(x, w, b, y):
        return 0.0, float("nan")

    with pytest.raises(AssertionError) as failure:
        checks.check_function(wrong, reference.neuron_gradients, reference.random_neuron, seed=1,
                              outputs=["dL_dw", "dL_db"])
    text = str(failure.value)
    assert "on 5 of 5 cases" in text
    assert "dL_dw: expected" in text and "dL_db: got nan" in text
    assert "... and 2 more failing cases" in text


def test_array_outputs_report_shape_dtype_nan_and_the_largest_difference():
    def ref(x):
        return x @ np.ones((3, 2))

    cases = [{"x": np.arange(12.0).reshape(4, 3)}]
    problems = {
        "transposed": (lambda x: (x @ np.ones((3, 2))).T, r"shape \(2, 4\), expected \(4, 2\).*transpose"),
        "summed": (lambda x: (x @ np.ones((3, 2))).sum(axis=0), r"shape \(2,\), expected \(4, 2\).*wrong axis"),
        "float32": (lambda x: (x @ np.ones((3, 2))).astype(np.float32), r"dtype float32, expected float64"),
        "nan": (lambda x: np.where(x[:, :2] > 5, np.nan, x @ np.ones((3, 2))),
                r"entries are NaN or infinite, the first at index \(2, 0\)"),
        "one entry": (lambda x: ref(x) + np.eye(4, 2)[::-1] * 0.5,
                      r"2 of 8 entries differ; the largest difference, 0.5, is at index \(2, 1\)"),
        "halved": (lambda x: ref(x) / 2, r"every entry is 0.5 times the expected one"),
        "list": (lambda x: ref(x).tolist(), r"expected an array of shape \(4, 2\), got a list of length 4"),
    }
    for buggy, message in problems.values():
        with pytest.raises(AssertionError, match=message):
            checks.check_function(buggy, ref, cases)


def test_changing_an_input_in_place_is_caught():
    def scale_in_place(x):
        x *= 2.0
        return x

    with pytest.raises(AssertionError, match="the argument x was changed in place"):
        checks.check_function(scale_in_place, lambda x: 2.0 * x, [{"x": np.ones((2, 2))}])


def test_a_mutation_is_not_blamed_on_a_mistake_that_only_happens_to_give_the_same_outputs():
    def add_backward(a, b, dout):  # right outputs, but dout is cleared once it has been used
        da = dout.copy()
        db = dout.sum(axis=0) if b.shape != a.shape else dout.copy()
        dout -= dout
        return da, db

    # on a bias case, "db summed even when b has a's shape" gives the right outputs too: not named
    case = {"a": np.ones((3, 2)), "b": np.zeros(2), "dout": np.arange(6.0).reshape(3, 2)}
    with pytest.raises(AssertionError) as failure:
        checks.check_function(add_backward, reference.add_backward, [case], outputs=["da", "db"])
    assert "the argument dout was changed in place" in str(failure.value)
    assert [c.id for c in failure.value.causes] == ["course.changes-argument"]  # (the general cause, no other)
    assert "add_backward changes dout in place" in str(failure.value)

    # with a wrong output as well, the mistake that explains the output is still named
    def add_backward_always_summed(a, b, dout):
        da, db = dout.copy(), dout.sum(axis=0)
        dout -= dout
        return da, db

    with pytest.raises(AssertionError) as failure:
        checks.check_function(add_backward_always_summed, reference.add_backward,
                              [{**case, "b": np.zeros((3, 2))}], outputs=["da", "db"])
    assert "Likely cause: db was summed over the rows even when b has a's shape" in str(failure.value)
    assert "the argument dout was changed in place" in str(failure.value)


def test_an_exception_names_the_line():
    def broken(x, w, b):
        z = w * x + b
        return sigmoid(z) + undefined_name  # noqa: F821

    message = r"raised NameError: name 'undefined_name' is not defined in broken, at: return sigmoid"
    with pytest.raises(AssertionError, match=message):
        checks.check_function(broken, reference.neuron_forward, reference.random_neuron_input, seed=0)


def test_a_matrix_product_whose_shapes_do_not_fit_is_explained():
    def matmul_backward(a, b, dout):  # the .T of b forgotten
        return dout @ b, a.T @ dout

    case = {"a": np.ones((2, 3)), "b": np.ones((3, 4)), "dout": np.ones((2, 4))}
    with pytest.raises(AssertionError) as failure:
        checks.check_function(matmul_backward, reference.matmul_backward, [case], outputs=["da", "db"])
    text = str(failure.value)
    assert "raised ValueError: matmul: Input operand 1 has a mismatch in its core dimension" in text
    assert "at: return dout @ b, a.T @ dout — the two sides of @ do not fit" in text
    assert "Print their shapes; a missing or extra .T?" in text


def test_not_written_yet_is_said_plainly():
    def neuron_forward(x, w, b):
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="On every case:\n  - not written yet"):
        checks.check_function(neuron_forward, reference.neuron_forward, reference.random_neuron_input, seed=0)


def test_a_blank_is_recorded_as_not_written_and_a_wrong_answer_is_not():
    """A stub still raising NotImplementedError is a blank, for the grader's records (course.not-written),
    recorded once; the message says it is not written yet. A wrong answer is no blank; one whose failing
    cases all stop at a branch still raising NotImplementedError is told that part is not written."""
    def neuron_forward(x, w, b):
        raise NotImplementedError()

    def softmax_ce_forward(scores, Y):
        raise NotImplementedError()

    def softmax_ce_backward(dout, cache):
        raise NotImplementedError()

    def neuron_gradients(x, w, b, y):
        raise NotImplementedError()

    def half_written(x, w, b):
        if x < 0:
            raise NotImplementedError()
        return sigmoid(w * x + b)

    cases = [{"x": 2.0, "w": 0.5, "b": 0.0}, {"x": -1.5, "w": 0.8, "b": 0.5}]
    for check, args in ((checks.check_function, (neuron_forward, reference.neuron_forward, cases)),
                        (checks.check_layer, (checks.layer_from(softmax_ce_forward, softmax_ce_backward),
                                              reference.SoftmaxCrossEntropyLoss, reference.random_softmax_ce)),
                        (checks.check_numerical_gradient, (neuron_gradients, reference.neuron_loss,
                                                           reference.random_neuron, ["w", "b"]))):
        with pytest.raises(checks.CheckFailed) as failure:
            check(*args, seed=1)
        assert [c.id for c in failure.value.causes] == ["course.not-written"], check
        assert "not written yet" in str(failure.value)  # (said once, as the likely cause or on every case)
    assert mistakes.catalogue()["course.not-written"] is checks.base.NOT_WRITTEN
    with pytest.raises(checks.CheckFailed) as failure:  # (a wrong answer)
        checks.check_function(lambda x, w, b: sigmoid(w * x), reference.neuron_forward, cases)
    assert "course.not-written" not in [c.id for c in failure.value.causes]
    with pytest.raises(checks.CheckFailed) as failure:  # (a branch still the stub: that part is not written)
        checks.check_function(half_written, reference.neuron_forward, cases)
    assert "neuron_forward is not written yet" in str(failure.value) or "half_written is not written yet" in str(
        failure.value)


def test_wrong_number_of_outputs():
    with pytest.raises(AssertionError, match=r"should return 2 values \(dL_dw, dL_db\), but returned the float"):
        checks.check_function(lambda x, w, b, y: 0.5, reference.neuron_gradients, reference.random_neuron,
                              seed=0, outputs=["dL_dw", "dL_db"])


def test_fresh_random_cases_each_time_unless_seeded():
    seen = []

    def spy(x, w, b):
        seen.append(x)
        return sigmoid(w * x + b)

    checks.check_function(spy, reference.neuron_forward, reference.random_neuron_input, trials=3)
    checks.check_function(spy, reference.neuron_forward, reference.random_neuron_input, trials=3)
    assert seen[:3] != seen[3:]
    seen.clear()
    checks.check_function(spy, reference.neuron_forward, reference.random_neuron_input, trials=3, seed=9)
    checks.check_function(spy, reference.neuron_forward, reference.random_neuron_input, trials=3, seed=9)
    assert seen[:3] == seen[3:]


def my_neuron_gradients(x, w, b, y):
    a = sigmoid(w * x + b)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d


def test_numerical_gradient_check():
    checks.check_numerical_gradient(my_neuron_gradients, reference.neuron_loss, reference.random_neuron,
                                    wrt=["w", "b"], trials=20)
    with pytest.raises(AssertionError, match="does not agree with centred finite differences"):
        checks.check_numerical_gradient(mistake_versions(reference.neuron_gradients)[0][1], reference.neuron_loss,
                                        reference.random_neuron, wrt=["w", "b"], seed=0)


def test_numerical_gradient_check_of_arrays():
    def loss(W, x):
        return float(np.sum(np.tanh(x @ W)))

    def grad(W, x):
        return x.T @ (1 - np.tanh(x @ W) ** 2)

    def make(rng):
        return {"W": rng.standard_normal((3, 2)), "x": rng.standard_normal((4, 3))}

    checks.check_numerical_gradient(grad, loss, make, wrt=["W"], seed=0)
    with pytest.raises(AssertionError, match=r"dL_dW: 6 of 6 entries differ"):
        checks.check_numerical_gradient(lambda W, x: x.T @ np.tanh(x @ W), loss, make, wrt=["W"], seed=0)


def test_check_number():
    checks.check_number("y_hat", 0.76676, 0.7668)
    with pytest.raises(AssertionError, match=r"y_hat is 0.766400, which rounds to 0.7664; expected 0.7668"):
        checks.check_number("y_hat", 0.7664, 0.7668)
    with pytest.raises(AssertionError, match="should be a single number"):
        checks.check_number("y_hat", np.zeros(2), 0.7668)


def linear_case(rng):
    return {"x": rng.standard_normal((4, 3)), "dout": rng.standard_normal((4, 2)),
            "W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}


def test_check_layer_passes_the_reference(capsys):
    from backprop.layers import Linear

    checks.check_layer(Linear, Linear, linear_case)
    assert capsys.readouterr().out.startswith("ok: Linear agrees with the reference and with finite differences")


class MyLinear:
    """A student's Linear layer, written out (not calling the reference)."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}

    def forward(self, x):
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dout, cache):
        x = cache
        return dout @ self.params["W"].T, {"W": x.T @ dout, "b": dout.sum(axis=0)}


def test_check_layer_catches_a_cache_not_kept():
    from backprop.layers import Linear

    class Linear2(MyLinear):
        def forward(self, x):
            self.x = x
            return super().forward(x)

        def backward(self, dout, cache):
            return super().backward(dout, self.x)

    with pytest.raises(AssertionError, match="Likely cause: backward does not use the cache it is given"):
        checks.check_layer(Linear2, Linear, linear_case, seed=0)


def test_check_layer_reports_gradients_by_parameter():
    from backprop.layers import Linear

    class Linear2(MyLinear):
        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache)
            return dx, {"W": grads["W"], "b": dout.mean(axis=0)}

    with pytest.raises(AssertionError, match=r"grads\['b'\]: 2 of 2 entries differ"):
        checks.check_layer(Linear2, Linear, linear_case, seed=0)


def test_check_layer_of_a_pair_of_functions():
    from backprop.layers import Sigmoid

    def sigmoid_forward(x):
        a = sigmoid(x)
        return a, a

    def sigmoid_backward(dout, cache):
        return dout * cache * (1 - cache), {}

    def case(rng):
        return {"x": rng.standard_normal((3, 2)), "dout": rng.standard_normal((3, 2))}

    checks.check_layer(checks.layer_from(sigmoid_forward, sigmoid_backward), Sigmoid, case)

    def relu_forward_in_place(x):
        x[x < 0] = 0.0
        return x, x

    with pytest.raises(AssertionError, match="the argument x was changed in place"):
        checks.check_layer(checks.layer_from(relu_forward_in_place, sigmoid_backward), Sigmoid, case, seed=1)


def test_calling_the_reference_instead_of_computing_fails():
    from backprop.layers import Linear

    def neuron_gradients(x, w, b, y):
        return reference.neuron_gradients(x, w, b, y)

    with pytest.raises(AssertionError, match="calls the course's reference implementation "
                                             "backprop.reference.neuron_gradients"):
        checks.check_function(neuron_gradients, reference.neuron_gradients, reference.random_neuron, seed=0)

    class Linear2(Linear):  # a subclass that inherits the answer
        pass

    with pytest.raises(AssertionError, match=r"calls the course's own backprop.layers.Linear"):
        checks.check_layer(Linear2, Linear, linear_case, seed=0)
    checks.check_layer(MyLinear, Linear, linear_case, seed=0)  # written out: fine


def test_numerical_gradient_check_of_gradients_returned_by_name():
    def loss(W, b, x):
        return float(np.sum(np.tanh(x @ W + b)))

    def grads(W, b, x):
        d = 1 - np.tanh(x @ W + b) ** 2
        return {"W": x.T @ d, "b": d.sum(axis=0)}

    def make(rng):
        return {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2), "x": rng.standard_normal((4, 3))}

    checks.check_numerical_gradient(grads, loss, make, wrt=["W", "b"], seed=0)
    with pytest.raises(AssertionError, match=r"grads\['b'\]: shape \(4, 2\), expected \(2,\)"):
        checks.check_numerical_gradient(lambda W, b, x: {"W": grads(W, b, x)["W"], "b": 1 - np.tanh(x @ W + b) ** 2},
                                        loss, make, wrt=["W", "b"], seed=0)
    with pytest.raises(AssertionError, match=r"grads: expected the keys \['W', 'b'\], got \['W'\]"):
        checks.check_numerical_gradient(lambda W, b, x: {"W": grads(W, b, x)["W"]}, loss, make, wrt=["W", "b"],
                                        seed=0)


def test_check_layer_says_when_forward_or_backward_does_not_return_a_pair():
    from backprop.layers import Sigmoid

    def sigmoid_forward(x):
        return sigmoid(x)

    def sigmoid_backward(dout, cache):
        return dout * cache * (1 - cache)

    def good_forward(x):
        a = sigmoid(x)
        return a, a

    def case(rng):
        return {"x": rng.standard_normal((2, 3)), "dout": rng.standard_normal((2, 3))}

    with pytest.raises(AssertionError, match=r"sigmoid_forward must return a pair \(out, cache\), but returned an "
                                             r"array of shape \(2, 3\)"):
        checks.check_layer(checks.layer_from(sigmoid_forward, sigmoid_backward), Sigmoid, case, seed=0)
    with pytest.raises(AssertionError, match=r"sigmoid_backward must return a pair \(dx, grads\), with grads \{\} "
                                             r"when there are no parameters, but returned an array"):
        checks.check_layer(checks.layer_from(good_forward, sigmoid_backward), Sigmoid, case, seed=0)


def test_outputs_that_are_lists_are_compared_entry_by_entry():
    def ref(x):
        return x, [{"W": 2 * x}, {}]

    cases = [{"x": np.ones((2, 2))}]
    checks.check_function(ref, ref, cases, outputs=["dx", "grads"])
    with pytest.raises(AssertionError, match=r"grads\[0\]\['W'\]: 4 of 4 entries differ"):
        checks.check_function(lambda x: (x, [{"W": 3 * x}, {}]), ref, cases, outputs=["dx", "grads"])
    with pytest.raises(AssertionError, match=r"grads: expected a list of 2 entries, got a list of length 1"):
        checks.check_function(lambda x: (x, [{"W": 2 * x}]), ref, cases, outputs=["dx", "grads"])
    with pytest.raises(AssertionError, match=r"grads\[1\]: expected the keys \[\], got \['W'\]"):
        checks.check_function(lambda x: (x, [{"W": 2 * x}, {"W": x}]), ref, cases, outputs=["dx", "grads"])
    with pytest.raises(AssertionError, match=r"case 1: x: array of shape \(2, 2\), caches: a list of length 2"):
        checks.check_function(lambda x, caches: (x, []), lambda x, caches: (x, [{}]),
                              [{"x": np.ones((2, 2)), "caches": [np.ones(3), (np.ones(2), np.ones(2))]}])


def test_arguments_that_are_lists_of_dicts_are_guarded_and_differentiated():
    def scaled(grads, c):
        return [{k: c * v for k, v in g.items()} for g in grads]

    def scaled_in_place(grads, c):
        for g in grads:
            for k in g:
                g[k] *= c
        return grads

    cases = [{"grads": [{"W": np.ones((2, 2)), "b": np.ones(2)}, {}], "c": 3.0}]
    checks.check_function(scaled, scaled, cases)
    with pytest.raises(AssertionError, match=r"the argument grads was changed in place \(grads\[0\]\['W'\]\)"):
        checks.check_function(scaled_in_place, scaled, cases)

    # finite differences with respect to every array inside a list of dicts
    def penalty(params, lam):
        return 0.5 * lam * sum(np.sum(p["W"] ** 2) for p in params if "W" in p)

    def penalty_grads(params, lam):
        return [{k: (lam * v if k == "W" else np.zeros_like(v)) for k, v in p.items()} for p in params]

    rng = np.random.default_rng(0)
    cases = [{"params": [{"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}, {}], "lam": 0.3}]
    checks.check_numerical_gradient(penalty_grads, penalty, cases, wrt=["params"])
    with pytest.raises(AssertionError, match=r"dL_dparams\[0\]\['W'\]: 6 of 6 entries differ"):
        checks.check_numerical_gradient(lambda params, lam: [{k: 2 * v for k, v in g.items()}
                                                             for g in penalty_grads(params, lam)],
                                        penalty, cases, wrt=["params"])


def test_check_layer_blames_the_cache_only_when_the_outputs_are_wrong():
    def relu_forward_in_place(x):
        np.maximum(x, 0.0, out=x)
        return x.copy(), x.copy()

    def relu_backward(dout, cache):
        return dout * (cache > 0), {}

    from backprop.layers import ReLU

    rng = np.random.default_rng(0)
    case = [{"x": rng.standard_normal((3, 4)) + 0.1, "dout": rng.standard_normal((3, 4))}]
    with pytest.raises(AssertionError) as failure:
        checks.check_layer(checks.layer_from(relu_forward_in_place, relu_backward), ReLU, case)
    assert "the argument x was changed in place" in str(failure.value)
    assert "does not use the cache" not in str(failure.value)


def test_dict_arguments_are_described_by_their_shapes():
    case = {"params": {"W": np.ones((2, 3)), "b": np.zeros(3)}, "lr": 0.1}
    with pytest.raises(AssertionError, match=r"case 1: params: a dict of W \(2, 3\), b \(3,\), lr=0.1"):
        checks.check_function(lambda params, lr: 1.0, lambda params, lr: 2.0, [case])


def test_layer_from_passes_the_other_keys_of_a_case_to_forward():
    class HalfSquaredLoss:  # forward(pred) with the target fixed, like the course's losses
        def __init__(self, target):
            self.target, self.params = target, {}

        def forward(self, x):
            return 0.5 * float(np.sum((x - self.target) ** 2)), x - self.target

        def backward(self, dout, cache):
            return dout * cache, {}

    def loss_forward(pred, target):
        return 0.5 * float(np.sum((pred - target) ** 2)), (pred, target)

    def loss_backward(dout, cache):
        pred, target = cache
        return dout * (pred - target), {}

    def case(rng):
        return {"x": rng.standard_normal((3, 2)), "dout": float(rng.uniform(0.5, 2.0)),
                "target": rng.standard_normal((3, 2))}

    checks.check_layer(checks.layer_from(loss_forward, loss_backward), HalfSquaredLoss, case, seed=0)

    def backward_ignoring_dout(dout, cache):
        return loss_backward(1.0, cache)

    with pytest.raises(AssertionError, match=r"dpred: 6 of 6 entries differ"):
        checks.check_layer(checks.layer_from(loss_forward, backward_ignoring_dout), HalfSquaredLoss, case, seed=0)


def test_a_mistake_that_overflows_is_named_when_yours_overflows_the_same_way(monkeypatch):
    def stable(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    def naive(z):
        e = np.exp(z)
        return e / e.sum()

    known_mistakes(monkeypatch, stable, [("exp overflows: subtract the max first.", naive)])

    def yours(z):
        return np.exp(z) / np.sum(np.exp(z))

    with pytest.raises(AssertionError) as failure:
        checks.check_function(yours, stable, [{"z": np.array([1000.0, 1001.0])}, {"z": np.array([1.0, 2.0])}])
    text = str(failure.value)
    assert "NaN or infinite" in text and "overflow" in text
    assert "Likely cause: exp overflows: subtract the max first." in text


def test_a_mistake_that_raises_the_same_error_as_yours_is_named(monkeypatch):
    def reference_pair(z, y):  # y a column, like z
        return 2.0 * (z - y)

    def flattened(z, y):
        d = 2.0 * (z - y.ravel())          # (m, 1) - (m,) broadcasts to (m, m) ...
        return d @ np.ones((1, 1))          # ... which then does not fit

    def other(z, y):
        raise ValueError("something else went wrong")

    known_mistakes(monkeypatch, reference_pair, [("y was flattened.", flattened), ("other.", other)])

    def yours(z, y):
        return 2.0 * (z - y.ravel()) @ np.ones((1, 1))

    cases = [{"z": np.ones((3, 1)), "y": np.zeros((3, 1))}, {"z": np.ones((1, 1)), "y": np.zeros((1, 1))}]
    with pytest.raises(AssertionError) as failure:  # an error on the first case, right on the second
        checks.check_function(yours, reference_pair, cases)
    text = str(failure.value)
    assert "raised ValueError: matmul" in text and "Likely cause: y was flattened." in text
    assert "other." not in text

    def not_written(z, y):
        raise NotImplementedError()

    known_mistakes(monkeypatch, reference_pair, [("never named.", not_written)])
    with pytest.raises(AssertionError) as failure:
        checks.check_function(not_written, reference_pair, cases)
    assert "never named." not in str(failure.value)
    assert [c.id for c in failure.value.causes] == ["course.not-written"]


def test_a_mistake_whose_output_holds_none_is_compared_not_crashed(monkeypatch):
    def reference_list(x):
        return [x, 2.0 * x]

    def skips_the_first(x):
        return [None, 2.0 * x]

    known_mistakes(monkeypatch, reference_list, [("the first is never computed.", skips_the_first)])
    with pytest.raises(AssertionError) as failure:
        checks.check_function(lambda x: [None, 2.0 * x], reference_list, [{"x": np.ones(2)}])
    assert "expected an array of shape (2,), got a NoneType" in str(failure.value)
    assert "Likely cause: the first is never computed." in str(failure.value)


def test_check_layer_says_when_a_layer_updates_its_own_parameters():
    from backprop.layers import Linear

    class UpdatesInPlace(MyLinear):  # an SGD step inside backward
        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache)
            self.params["W"] -= 0.1 * grads["W"]
            return dx, grads

    class UpdatesByRebinding(MyLinear):  # the same, with new arrays: the inputs are left alone
        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache)
            self.params = {key: value - 0.1 * grads[key] for key, value in self.params.items()}
            return dx, grads

    for layer, names in [(UpdatesInPlace, "params['W'] is"), (UpdatesByRebinding, "params['W'] and params['b'] are")]:
        with pytest.raises(AssertionError) as failure:
            checks.check_layer(layer, Linear, linear_case, seed=0)
        text = str(failure.value)
        assert f"raised ParametersChanged: after forward and backward, the layer's {names} no longer" in text
        assert "the update (W -= lr * dW) is done afterwards, by the training loop (sgd_step)" in text
        assert "changed in place" not in text
        # (lesson 04's catalogue knows this mistake of a Linear layer, whichever way the update is written)
        assert [c.id for c in failure.value.causes] == ["l04.linear-updates-in-backward"]


def test_every_graded_function_has_a_corpus_of_mistakes():
    """Each reference a lesson's test cells compare with knows the mistakes students make in it,
    so that a failing answer can be told its likely cause (each lesson's tests check they are named)."""
    import ast
    import importlib

    import nbformat
    from conftest import ROOT, lesson_ids

    def references(source):  # the second argument of the checks that compare with a reference
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "check_function", "check_layer", "check_topological_order", "check_init_scale"):
                target = node.args[1]
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    module = {"reference": "backprop.reference", "layers": "backprop.layers"}[target.value.id]
                    yield f"{module}.{target.attr}"

    without = []
    for lesson in lesson_ids():
        nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
        for cell in nb.cells:
            if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                continue
            for name in references(cell.source):
                module, _, attr = name.rpartition(".")
                reference_object = getattr(importlib.import_module(module), attr)
                if not mistakes.known_for(reference_object):
                    without.append(f"{lesson}: {name}")
    assert not without, f"no corpus of mistakes for: {without}"


def test_forbid_names_more_of_the_courses_code_that_an_answer_must_not_call():
    from backprop import layers

    def with_the_layer(x, w, b):
        return float(layers.Sigmoid().forward(np.array([w * x + b]))[0][0])

    def by_hand(x, w, b):
        return sigmoid(w * x + b)

    cases = [{"x": 2.0, "w": 0.5, "b": 0.0}]
    checks.check_function(with_the_layer, reference.neuron_forward, cases)  # allowed unless forbidden
    with pytest.raises(AssertionError, match=r"calls the course's own backprop\.layers\.Sigmoid instead of computing "
                                             r"the answer itself: this exercise asks you to write that part"):
        checks.check_function(with_the_layer, reference.neuron_forward, cases, forbid=[layers.Sigmoid])
    checks.check_function(by_hand, reference.neuron_forward, cases, forbid=[layers.Sigmoid])  # sigmoid() is not


def test_check_init_scale_forbids_the_reference_and_what_forbid_names():
    from backprop import layers

    def with_init_std(n_in, n_out, rng):
        return rng.standard_normal((n_in, n_out)) * layers.init_std("he", n_in, n_out)

    def with_the_reference(n_in, n_out, rng):
        return reference.he_init(n_in, n_out, rng)

    checks.check_init_scale(with_init_std, reference.he_init, seed=3)  # allowed unless forbidden
    with pytest.raises(AssertionError, match=r"calls the course's own backprop\.layers\.init_std instead"):
        checks.check_init_scale(with_init_std, reference.he_init, seed=3, forbid=[layers.init_std])
    with pytest.raises(AssertionError, match=r"reference implementation backprop\.reference\.he_init"):
        checks.check_init_scale(with_the_reference, reference.he_init, seed=3)


def test_the_grader_learns_what_each_check_forbids_at_run_time_whatever_the_expression():
    from lesson_tools import forbidden_names_seen

    source = ("from backprop import checks, layers, reference\n"
              "checks.check_init_scale(he_init, reference.he_init, seed=1, forbid=[layers.init_std])\n"
              "banned = [layers.Linear] + [getattr(layers, 'Sequential')]\n"
              "checks.check_function(slope, reference.slope_of_square, [{'x': 1.0}], forbid=banned)\n")
    seen = forbidden_names_seen(source, he_init=reference.he_init, slope=reference.slope_of_square)
    assert seen == {"backprop.reference.he_init", "backprop.layers.init_std", "backprop.reference.slope_of_square",
                    "backprop.layers.Linear", "backprop.layers.Sequential"}


def test_shape_errors_of_numpy_are_explained():
    def wrong_matmul(x, w, b):
        return float((np.ones((3, 1)) @ np.ones((2, 1)))[0, 0])

    def wrong_product(x, w, b):
        return float((np.ones((3, 1)) * np.ones((2, 1)))[0, 0])

    cases = [{"x": 2.0, "w": 0.5, "b": 0.0}]
    with pytest.raises(AssertionError, match=r"matmul.* the two sides of @ do not fit: \(m, n\) @ \(n, k\)"):
        checks.check_function(wrong_matmul, reference.neuron_forward, cases)
    with pytest.raises(AssertionError, match=r"broadcast.* an entry-by-entry operation \(\*, \+, -\) needs arrays"):
        checks.check_function(wrong_product, reference.neuron_forward, cases)


def test_a_backward_that_changes_its_cache_is_caught():
    """Right gradients the first time, wrong ones from a second backward on the same cache."""
    from backprop.layers import Linear

    class ScalesItsCache(MyLinear):
        def forward(self, x):
            return super().forward(x)[0], x.copy()

        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache)
            cache *= 2.0  # the cache, changed in place
            return dx, grads

    with pytest.raises(AssertionError) as failure:
        checks.check_layer(ScalesItsCache, Linear, linear_case, seed=0)
    text = str(failure.value)
    assert "backward changed the cache in place, so a second backward on the same cache gives other gradients" in text
    assert "raised" not in text and "probs" not in text  # (lesson 06's example, not this layer's)
    assert [c.id for c in failure.value.causes] == ["course.backward-changes-cache"]

    class DrawsInBackward(MyLinear):  # a cache left alone, and other gradients all the same
        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache)
            return dx * np.random.default_rng().uniform(0.5, 1.5), grads

    with pytest.raises(AssertionError) as failure:
        checks.check_layer(DrawsInBackward, Linear, linear_case, seed=0)
    text = str(failure.value)
    assert "though the cache is unchanged: backward uses something that changes from one call to the next" in text
    assert "a -= b" not in text and "probs" not in text
    assert [c.id for c in failure.value.causes] == ["course.backward-not-repeatable"]

    class ZeroesItsCache(MyLinear):  # right gradients twice (dx and dW do not read a zeroed copy), the cache changed
        def forward(self, x):
            out, cache = super().forward(x)
            return out, (cache, x.copy())

        def backward(self, dout, cache):
            dx, grads = super().backward(dout, cache[0])
            cache[1][...] = 0.0
            return dx, grads

    with pytest.raises(AssertionError) as failure:
        checks.check_layer(ZeroesItsCache, Linear, linear_case, seed=0)
    text = str(failure.value)
    assert "backward changed the cache's entry [1] in place, right this time, but a second backward" in text
    assert "gives other gradients" not in text
    assert [c.id for c in failure.value.causes] == ["course.backward-changes-cache"]


def test_a_broadcast_that_lost_an_axis_is_explained():
    def softmax(z):  # keepdims forgotten: (2, 3) - (2,) does not broadcast row by row
        e = np.exp(z - z.max(axis=1))
        return e / e.sum(axis=1, keepdims=True)

    with pytest.raises(AssertionError) as failure:
        checks.check_function(softmax, reference.softmax, [{"z": np.ones((2, 3))}])
    text = str(failure.value)
    assert "operands could not be broadcast together with shapes (2,3) (2,)" in text
    assert "an array of shape (2,) lines up with the last axis of a (2, 3) one" in text
    assert "keepdims=True (shape (2, 1))" in text
    # other broadcast errors get the general hint, not this one
    other = checks.compare.error_hint(ValueError("operands could not be broadcast together with shapes (2,3) (4,)"))
    assert "keepdims" not in other and "an entry-by-entry operation" in other


def test_two_versions_of_one_mistake_are_named_once(monkeypatch):
    def double(x, w, b):
        return 2.0 * reference.neuron_forward(x, w, b)

    def double_again(x, w, b):
        return reference.neuron_forward(x, w, b) * 2.0

    monkeypatch.setattr("backprop.checks.function.forbidden_for", lambda *args: {})  # built on the reference
    known_mistakes(monkeypatch, reference.neuron_forward, [("doubled.", double), ("doubled.", double_again)])
    with pytest.raises(AssertionError) as failure:
        checks.check_function(double, reference.neuron_forward, reference.random_neuron_input, seed=0)
    assert str(failure.value).count("doubled.") == 1


def test_a_pair_of_functions_that_take_args_keeps_the_generic_names():
    """The grader reaches a student's functions through proxies f(*args, **kwargs): the report
    then speaks of x and dout, not of args."""
    from backprop.layers import ReLU

    def forward(*args, **kwargs):
        x = args[0]
        return np.maximum(x, 0.0), x

    def backward(*args, **kwargs):
        dout, x = args
        return dout * (x > 0) * 2.0, {}  # twice too large

    rng = np.random.default_rng(0)
    case = [{"x": rng.standard_normal((3, 4)) + 0.1, "dout": rng.standard_normal((3, 4))}]
    with pytest.raises(AssertionError) as failure:
        checks.check_layer(checks.layer_from(forward, backward), ReLU, case)
    text = str(failure.value)
    assert "args" not in text and "  - dx: " in text and "dout: array of shape (3, 4)" in text


# --- what a failure names, and in which order ----------------------------------------------


def test_a_mistake_that_gives_the_right_answer_on_the_cases_is_not_named():
    """On the worked example b = 0, so leaving the bias out gives the right answer there: a float32
    answer fails for its dtype, and that mistake must not be blamed for it."""
    def neuron_forward(x, w, b):
        return np.float32(sigmoid(w * x + b))

    with pytest.raises(AssertionError) as failure:
        checks.check_function(neuron_forward, reference.neuron_forward, [{"x": 2.0, "w": 0.5, "b": 0.0}],
                              outputs=["a"])
    assert "float32" in str(failure.value) and "bias" not in str(failure.value)
    assert [c.id for c in failure.value.causes] == ["course.float32"]  # (the general cause: it computes in float32)
    # ... while on a case where it does differ, the same mistake is still named
    with pytest.raises(AssertionError) as failure:
        checks.check_function(lambda x, w, b: sigmoid(w * x), reference.neuron_forward,
                              [{"x": 2.0, "w": 0.5, "b": 0.0}, {"x": -1.5, "w": 0.8, "b": 0.5}], outputs=["a"])
    assert "Likely cause: the bias b is left out" in str(failure.value)


def test_an_unwritten_function_that_yours_calls_is_named_not_yours():
    def neuron_forward(x, w, b):
        raise NotImplementedError()

    def neuron_gradients(x, w, b, y):
        a = neuron_forward(x, w, b)
        d = 2 * (a - y) * a * (1 - a)
        return d * x, d

    with pytest.raises(AssertionError) as failure:
        checks.check_function(neuron_gradients, reference.neuron_gradients, reference.random_neuron, seed=1)
    assert "neuron_forward, which neuron_gradients calls, is not written yet" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        checks.check_function(neuron_forward, reference.neuron_forward, reference.random_neuron_input, seed=1)
    assert "- not written yet: it still raises NotImplementedError" in str(failure.value)

    class Remote(NotImplementedError):  # as the grader's independent check re-raises it
        where = " in neuron_forward, at: raise NotImplementedError()"

    described = checks.compare.describe_error(Remote(), "neuron_gradients")
    assert described.startswith("neuron_forward, which neuron_gradients")


def test_the_likely_cause_and_the_note_come_before_the_cases():
    """nbgrader's Validate cuts long messages short: the most useful lines go first."""
    with pytest.raises(AssertionError) as failure:
        checks.check_function(mistake_versions(reference.neuron_gradients)[0][1], reference.neuron_gradients,
                              reference.random_neuron, seed=5, outputs=["dL_dw", "dL_db"], note="These are five.")
    lines = str(failure.value).splitlines()
    assert lines[2].startswith("Likely cause: the factor 2") and lines[4] == "These are five."
    assert lines[6].startswith("case 1:")


def test_a_renamed_parameter_and_a_printed_answer_are_explained():
    def renamed(x, w, bias):
        return sigmoid(w * x + bias)

    def printed(x, w, b):
        print(sigmoid(w * x + b))

    cases = [{"x": 2.0, "w": 0.5, "b": 0.0}]
    with pytest.raises(AssertionError, match=r"unexpected keyword argument 'b' — the tests pass the arguments by "
                                             r"name, as the exercise names them: keep the parameter names"):
        checks.check_function(renamed, reference.neuron_forward, cases)
    with pytest.raises(AssertionError, match=r"printed returned None: it has no return statement, or prints its "
                                             r"answer instead of returning it"):
        checks.check_function(printed, reference.neuron_forward, cases)


def test_check_layer_reads_params_says_when_a_layer_computes_with_copies_of_its_weights():
    from backprop.layers import Linear

    class CopiesForForward(MyLinear):  # sgd_step updates self.params; forward never sees it
        def __init__(self, W, b):
            super().__init__(W, b)
            self.W, self.b = W.copy(), b.copy()

        def forward(self, x):
            return x @ self.W + self.b, x

    class CopiesForBackward(MyLinear):
        def __init__(self, W, b):
            super().__init__(W, b)
            self.W = W.copy()

        def backward(self, dout, cache):
            return dout @ self.W.T, {"W": cache.T @ dout, "b": dout.sum(axis=0)}

    checks.check_layer(MyLinear, Linear, linear_case, seed=0, reads_params=True)
    checks.check_layer(CopiesForForward, Linear, linear_case, seed=0)  # (not asked: not checked)
    for layer, part in [(CopiesForForward, "forward"), (CopiesForBackward, "backward")]:
        with pytest.raises(AssertionError) as failure:
            checks.check_layer(layer, Linear, linear_case, seed=0, reads_params=True)
        text = str(failure.value)
        assert (f"{part} does not read the weights from self.params: sgd_step updates self.params (in place), "
                f"so your network would never learn") in text
        assert "W = self.params['W']" in text
        assert "changed in place;" not in text  # the params were put back
        # (lesson 04's catalogue knows a Linear layer that keeps copies; the general cause names the others)
        assert [c.id for c in failure.value.causes] in (["l04.linear-copies-params"], ["course.params-not-read"])


def test_check_layer_reads_params_is_skipped_where_the_change_cannot_reach_the_layer():
    """A layer in the grader's sandbox is read as copies: changing them in place tells nothing."""
    from backprop.layers import Linear

    class ReadAsCopies(MyLinear):
        def __init__(self, W, b):
            self._params = {"W": W, "b": b}

        @property
        def params(self):
            return {key: value.copy() for key, value in self._params.items()}

    checks.check_layer(ReadAsCopies, Linear, linear_case, seed=0, reads_params=True)


def test_a_case_reads_the_same_wherever_it_is_checked_no_memory_addresses():
    from backprop.checks.base import describe_case

    def product(x):
        return x

    class Thing:
        pass

    text = describe_case({"f": product, "rng": np.random.default_rng(0), "thing": Thing(), "h": 1e-05})
    assert text == "f=product, rng=a NumPy random Generator, thing=<test_checks.test_a_case_reads_the_same_wherever_" \
                   "it_is_checked_no_memory_addresses.<locals>.Thing object>, h=1e-05"
    assert "0x" not in text
