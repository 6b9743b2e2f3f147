"""Lesson 05, batches and gradient descent: its numbers, its checks, its explorer and its quiz."""

import re

import lesson_tools
import nbformat
import numpy as np
import pytest
from conftest import ROOT
from lesson_tools import mistake_versions
from test_seeds import seed001_loop

from backprop import checks, data, layers, reference
from backprop.explorers import DescentPathExplorer
from backprop.quiz import MultipleChoice

LESSON = "05_batches_gradient_descent"
NOTEBOOK = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"


@pytest.fixture(scope="module")
def executed():
    """The solution notebook run top to bottom, and what it printed."""
    nb = lesson_tools.executed(LESSON)
    return {"nb": nb, "text": lesson_tools.printed(nb)}
SEED_LINES = ["Step    0 | Loss: 1.1220", "Step  100 | Loss: 1.1202", "Step  200 | Loss: 1.1202",
              "Step  300 | Loss: 1.1202", "Step  400 | Loss: 1.1202"]


def test_the_batched_gradient_is_the_average_of_the_examples_gradients(executed):
    difference = float(re.search(r"largest difference over all of dL/dW1:\s+([0-9.e+-]+)", executed["text"]).group(1))
    assert difference < 1e-15


def test_averaging_keeps_the_gradient_size_and_summing_diverges(executed):
    text = executed["text"]
    for line in ["batch of  10:  gradient of the mean   5.360   gradient of the sum    53.601",
                 "batch of 100:  gradient of the mean   4.430   gradient of the sum   443.033",
                 "batch of 400:  gradient of the mean   4.708   gradient of the sum  1883.094"]:
        assert line in text
    runs = re.findall(r"(mean|sum ) over batches of +(\d+), lr [0-9.]+: +(\d+) updates, largest loss ([0-9.e+]+), "
                      r"(diverged|final loss [0-9.e+]+)", text)
    assert [(kind.strip(), int(b)) for kind, b, *_ in runs] == [("mean", 10), ("mean", 50), ("mean", 200),
                                                               ("sum", 10), ("sum", 50), ("sum", 200)]
    finals = {(kind.strip(), int(b)): end for kind, b, _, _, end in runs}
    for b in (10, 50, 200):  # with the mean, every batch size learns with the same rate
        assert float(finals[("mean", b)].split()[-1]) < 0.2
    assert finals[("sum", 10)] == finals[("mean", 10)]  # lr 0.02 on the sum of 10 = lr 0.2 on the mean
    assert float(finals[("sum", 50)].split()[-1]) > 100 and finals[("sum", 200)] == "diverged"


def test_batch_stochastic_and_mini_batch_compared(executed):
    text = executed["text"]
    for line in ["batch (400)         10 updates, 4000 examples seen, final loss 0.3380; the loss went up at 0 of them",
                 "mini-batch (32)    130 updates, 4000 examples seen, final loss 0.1574; the loss went up at 64 "
                 "of them",
                 "stochastic (1)    4000 updates, 4000 examples seen, final loss 0.0293; the loss went up at 2002 "
                 "of them"]:
        assert line in text
    assert "mini-batch (32), the loss at the start and after its first two updates: [3.21 3.72 4.82]" in text


def test_seed_001s_run_is_reproduced_and_explained(executed):
    text = executed["text"]
    assert "\n".join(SEED_LINES) in text
    assert "mean of y:                 -0.0560" in text
    assert "variance of y:             1.12020698" in text
    assert "step 100: loss 1.12023785" in text and "step 499: loss 1.12017905" in text
    assert "every step lowered the loss: True" in text
    assert "trained network on fresh data:     1.02767" in text
    assert "predicting the training mean of y: 1.02765" in text
    assert "after 500 steps: 0.0405" in text and "Step    0 | Loss: 3.2053" in text
    assert "after 5000 steps: 0.0119" in text  # near the noise's floor, 0.1**2
    assert "the first step whose loss is below the variance of y: 312" in text

    # recomputed with the package: the reference loop, seed 001's loop as written, the same losses
    d = data.regression_481()
    params = {k: d[k].copy() for k in ("W1", "b1", "W2", "b2")}
    losses = reference.train(d["X"], d["y"], params, lr=0.01, steps=500)
    printed, seed_losses = seed001_loop(d)
    assert printed == SEED_LINES
    np.testing.assert_allclose(losses, seed_losses, rtol=1e-12)
    for step, expected in zip(range(0, 500, 100), [1.1220, 1.1202, 1.1202, 1.1202, 1.1202]):
        checks.check_number(f"loss at step {step}", losses[step], expected)
    checks.check_number("variance of y", np.var(d["y"]), 1.1202)
    assert np.all(np.diff(losses) < 0) and losses[-1] < np.var(d["y"]) < losses[300]


def test_every_figure_is_drawn(executed):
    images = [o for c in executed["nb"].cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 3


# --- the graded checks and the mistakes they name -----------------------------------------


def test_the_references_pass_their_own_checks():
    checks.check_function(reference.regression_backward, reference.regression_backward,
                          reference.random_regression_batch, trials=20, outputs=["dW1", "db1", "dW2", "db2"])
    checks.check_numerical_gradient(reference.through_regression_backward(reference.regression_backward),
                                    reference.regression_loss, reference.random_regression_params,
                                    wrt=["W1", "b1", "W2", "b2"], trials=10)
    checks.check_function(reference.through_train(reference.train), reference.train_result,
                          reference.random_training_case, trials=10, outputs=["losses", "params"])


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.regression_backward))
def test_every_backward_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(AssertionError) as failure:
        checks.check_function(buggy, reference.regression_backward, reference.random_regression_batch, seed=31,
                              outputs=["dW1", "db1", "dW2", "db2"])
    assert "Likely cause: " + description in str(failure.value)
    with pytest.raises(AssertionError):  # and nudging disagrees too
        checks.check_numerical_gradient(reference.through_regression_backward(buggy), reference.regression_loss,
                                        reference.random_regression_params, wrt=["W1", "b1", "W2", "b2"], seed=32)


def _training_cases(seed):
    rng = np.random.default_rng(seed)
    return ([reference.random_training_case(rng) for _ in range(3)]
            + [reference.random_training_case_with_a_rise(rng) for _ in range(2)])


@pytest.mark.parametrize("description, buggy", mistake_versions(reference.train_result))
def test_every_training_loop_mistake_fails_and_is_named(description, buggy):
    with pytest.raises(AssertionError) as failure:
        checks.check_function(buggy, reference.train_result, _training_cases(33), outputs=["losses", "params"])
    assert "Likely cause: " + description in str(failure.value)


def test_the_random_cases_hold_single_examples_and_rising_losses():
    rng = np.random.default_rng(0)
    assert {reference.random_regression_batch(rng)["X"].shape[0] for _ in range(100)} == set(reference.BATCH_SIZES)
    assert all(reference.random_regression_example(rng)["X"].shape[0] == 1 for _ in range(5))
    for _ in range(10):
        case = reference.random_training_case_with_a_rise(rng)
        assert 0.4 <= case["lr"] <= 0.6
        losses = reference.train(case["X"], case["y"], {k: v.copy() for k, v in case["params"].items()}, case["lr"],
                                 case["steps"])
        assert np.any(np.diff(losses) > 0) and np.all(np.isfinite(losses))
    one = reference.regression_481_case(rows=[0])
    assert one["X"].shape == (1, 4) and one["z2"].shape == (1, 1)


LESSON_04_LAYERS = [layers.Linear, layers.Sigmoid, layers.Sequential, layers.MeanSquaredError]


def test_the_exercises_forbid_lesson_04s_layers():
    """The test cells name the layers in full (the grader reads the list from the cell's source)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    assert "forbid=[layers.Linear, layers.Sigmoid, layers.Sequential, layers.MeanSquaredError]" in cells[
        "test_batched_backward"]
    assert "forbid=[layers.Linear, layers.Sequential]" in cells["test_training_loop"]  # mse_loss may be the course's


def _visible_backward_checks(backward):
    """The visible test cell of Exercise 1."""
    outputs = ["dW1", "db1", "dW2", "db2"]
    checks.check_function(backward, reference.regression_backward,
                          [reference.regression_481_case(), reference.regression_481_case(rows=[0])], outputs=outputs,
                          forbid=LESSON_04_LAYERS)
    checks.check_function(backward, reference.regression_backward, reference.random_regression_batch, seed=21,
                          trials=8, outputs=outputs)
    checks.check_function(backward, reference.regression_backward, reference.random_regression_example, seed=24,
                          trials=3, outputs=outputs)
    checks.check_numerical_gradient(reference.through_regression_backward(backward), reference.regression_loss,
                                    reference.random_regression_params, wrt=["W1", "b1", "W2", "b2"], seed=22)


def _visible_training_checks(train):
    """The visible test cell of Exercise 2."""
    d = data.regression_481()
    run = {"X": d["X"], "y": d["y"], "params": {k: d[k] for k in ("W1", "b1", "W2", "b2")}, "lr": 0.01, "steps": 500}
    checks.check_function(reference.through_train(train), reference.train_result, [run], outputs=["losses", "params"],
                          forbid=[layers.Linear, layers.Sequential])
    checks.check_function(reference.through_train(train), reference.train_result, reference.random_training_case,
                          seed=23, outputs=["losses", "params"])
    checks.check_function(reference.through_train(train), reference.train_result,
                          reference.random_training_case_with_a_rise, seed=25, trials=3, outputs=["losses", "params"])


def student_backward(X, y, z1, a1, z2, W2):
    m = X.shape[0]
    dz2 = 2 * (z2 - y) / m
    dz1 = dz2 @ W2.T * a1 * (1 - a1)
    return X.T @ dz1, dz1.sum(axis=0), a1.T @ dz2, dz2.sum(axis=0)


def test_backward_answers_the_newcomer_tried(monkeypatch):
    monkeypatch.setattr("backprop.forbidden.TRUST_COURSE_CODE", False)
    _visible_backward_checks(student_backward)

    def wrong_for_one_example(X, y, z1, a1, z2, W2):  # squeezes away the batch axis when m = 1
        grads = student_backward(X, y, z1, a1, z2, W2)
        return tuple(np.squeeze(g) for g in grads) if X.shape[0] == 1 else grads

    with pytest.raises(AssertionError, match="case 2"):  # the tutorial's first example alone
        _visible_backward_checks(wrong_for_one_example)

    def hard_coded_100(X, y, z1, a1, z2, W2):
        dz2 = 2 * (z2 - y) / 100
        dz1 = dz2 @ W2.T * a1 * (1 - a1)
        return X.T @ dz1, dz1.sum(axis=0), a1.T @ dz2, dz2.sum(axis=0)

    with pytest.raises(AssertionError) as failure:
        _visible_backward_checks(hard_coded_100)
    assert "Likely cause: the batch size is written in as 100" in str(failure.value)

    def y_flattened(X, y, z1, a1, z2, W2):
        y = y.ravel()
        dz2 = 2 * (z2 - y) / X.shape[0]
        dW2, db2 = a1.T @ dz2, dz2.sum(axis=0)
        dz1 = dz2 @ W2.T * a1 * (1 - a1)
        return X.T @ dz1, dz1.sum(axis=0), dW2, db2

    with pytest.raises(AssertionError) as failure:
        _visible_backward_checks(y_flattened)
    assert "raised ValueError: matmul" in str(failure.value)
    assert "Likely cause: y was flattened to shape (m,)" in str(failure.value)

    def da1_without_transpose(X, y, z1, a1, z2, W2):
        dz2 = 2 * (z2 - y) / X.shape[0]
        dz1 = dz2 @ W2 * a1 * (1 - a1)
        return X.T @ dz1, dz1.sum(axis=0), a1.T @ dz2, dz2.sum(axis=0)

    with pytest.raises(AssertionError) as failure:
        _visible_backward_checks(da1_without_transpose)
    assert "Likely cause: a missing transpose in dL/da1" in str(failure.value)

    with pytest.raises(AssertionError, match="calls the course's reference implementation"):
        _visible_backward_checks(reference.regression_backward)

    def through_lesson_04s_layers(X, y, z1, a1, z2, W2):  # the layers do the work
        dz2 = layers.MeanSquaredError().backward(1.0, z2 - y)[0]
        output_layer = layers.Linear(W2, np.zeros(1))
        da1, g2 = output_layer.backward(dz2, a1)
        dz1 = layers.Sigmoid().backward(da1, (z1, a1))[0]
        return X.T @ dz1, dz1.sum(axis=0), g2["W"], g2["b"]

    with pytest.raises(AssertionError, match=r"calls the course's own backprop\.layers\."):
        _visible_backward_checks(through_lesson_04s_layers)


def test_train_answers_the_newcomer_tried(monkeypatch):
    monkeypatch.setattr("backprop.forbidden.TRUST_COURSE_CODE", False)
    _visible_training_checks(student_style_train)

    def as_a_tuple(X, y, params, lr, steps):
        return tuple(student_style_train(X, y, params, lr, steps))

    _visible_training_checks(as_a_tuple)

    def stops_when_the_loss_rises(X, y, params, lr, steps):
        losses = []
        for _ in range(steps):
            before = {k: v.copy() for k, v in params.items()}
            losses += student_style_train(X, y, params, lr, 1)
            if len(losses) > 1 and losses[-1] > losses[-2]:
                params.update(before)
                return losses[:-1]
        return losses

    with pytest.raises(AssertionError):
        _visible_training_checks(stops_when_the_loss_rises)

    def rate_capped(X, y, params, lr, steps):
        return student_style_train(X, y, params, min(lr, 0.3), steps)

    with pytest.raises(AssertionError):
        _visible_training_checks(rate_capped)

    def only_the_last_loss(X, y, params, lr, steps):
        return student_style_train(X, y, params, lr, steps)[-1]

    with pytest.raises(AssertionError, match=r"train returned a single value, [0-9.]+: return the list "
                                             r"of all the losses, one per step, not only the last"):
        _visible_training_checks(only_the_last_loss)

    def one_step_too_many(X, y, params, lr, steps):
        return student_style_train(X, y, params, lr, steps + 1)

    with pytest.raises(AssertionError, match="Likely cause: the loop runs one step too many"):
        _visible_training_checks(one_step_too_many)

    def the_tutorials_rate(X, y, params, lr, steps):
        return student_style_train(X, y, params, 0.01, steps)

    with pytest.raises(AssertionError, match="Likely cause: the learning rate is not the one given"):
        _visible_training_checks(the_tutorials_rate)

    def through_a_sequential(X, y, params, lr, steps):  # lesson 04's layers do the forward and backward passes
        net = layers.Sequential(layers.Linear(params["W1"], params["b1"]), layers.Sigmoid(),
                                layers.Linear(params["W2"], params["b2"]))
        losses = []
        for _ in range(steps):
            out, caches = net.forward(X)
            losses.append(float(np.mean((out - y) ** 2)))
            grads = net.backward(2 * (out - y) / len(X), caches)[1]
            for name, g in zip(("W1", "b1", "W2", "b2"), (grads[0]["W"], grads[0]["b"], grads[2]["W"], grads[2]["b"])):
                params[name] -= lr * g
        return losses

    with pytest.raises(AssertionError, match=r"calls the course's own backprop\.layers\."):
        _visible_training_checks(through_a_sequential)


def student_style_train(X, y, params, lr, steps):
    """A right training loop written out, as a student would (not calling the reference)."""
    losses = []
    for _ in range(steps):
        z1 = X @ params["W1"] + params["b1"]
        a1 = 1.0 / (1.0 + np.exp(-z1))
        z2 = a1 @ params["W2"] + params["b2"]
        losses.append(np.mean((z2 - y) ** 2))
        dz2 = 2 * (z2 - y) / X.shape[0]
        dz1 = dz2 @ params["W2"].T * a1 * (1 - a1)
        params["W1"] -= lr * X.T @ dz1
        params["b1"] -= lr * dz1.sum(axis=0)
        params["W2"] -= lr * a1.T @ dz2
        params["b2"] -= lr * dz2.sum(axis=0)
    return losses


def test_a_training_loop_that_returns_nothing_or_an_array_is_handled():
    checks.check_function(reference.through_train(student_style_train), reference.train_result,
                          reference.random_training_case, seed=0, outputs=["losses", "params"])

    def train_returning_nothing(X, y, params, lr, steps):
        student_style_train(X, y, params, lr, steps)

    with pytest.raises(AssertionError, match="train returned None: return the list of losses"):
        checks.check_function(reference.through_train(train_returning_nothing), reference.train_result,
                              reference.random_training_case, seed=0)

    def train_returning_an_array(X, y, params, lr, steps):
        return np.array(student_style_train(X, y, params, lr, steps))

    checks.check_function(reference.through_train(train_returning_an_array), reference.train_result,
                          reference.random_training_case, seed=0, outputs=["losses", "params"])


def test_teacher_regression_validates_its_arguments():
    X, y = data.teacher_regression(m=50, noise=0.0, seed=3)
    assert X.shape == (50, 4) and y.shape == (50, 1)
    with pytest.raises(ValueError, match=r"m, the number of examples, must be a positive integer, but is 0"):
        data.teacher_regression(m=0)
    with pytest.raises(ValueError, match=r"noise, a standard deviation, must be a number >= 0, but is -1"):
        data.teacher_regression(noise=-1)


# --- the explorer ---------------------------------------------------------------------------


def test_the_explorer_shows_batch_size_and_learning_rate_at_work(artifacts):
    e = DescentPathExplorer()
    assert "mini-batch gradient descent: 10 updates per epoch, 50 in all" in e.readout.value
    assert not e.diverged and e.final_loss < 0.3
    first = e.image.value

    e.batch_size.value = 100  # batch descent: the path is the grey reference curve
    assert e.image.value != first and "batch gradient descent: 1 update per epoch" in e.readout.value
    np.testing.assert_array_equal(e.loss_line.get_ydata(), e.full_line.get_ydata())

    e.batch_size.value = 1  # stochastic: many more updates, a noisier path, lower loss per example seen
    assert "stochastic gradient descent: 100 updates per epoch, 500 in all" in e.readout.value
    assert "\\frac{2}{m}" in e.readout.value and "$m = 1$ (the batch size)" in e.readout.value  # the lesson's symbol
    path = np.column_stack(e.path_line.get_data())
    assert len(path) == 501
    assert e.final_loss < e.full_line.get_ydata()[-1]  # batch descent, 5 updates, is still far off
    (artifacts / "lesson05_explorer_sgd.png").write_bytes(e.image.value)

    e.set_values(batch_size=100, epochs=20, lr=0.3)  # below 2 / (largest curvature): converges
    assert not e.diverged and e.status == "settling"
    e.lr.value = 0.355  # the largest rate of the slider at which batch descent still settles
    assert round(e.lr.value, 3) == 0.355 and e.status == "settling" and "final loss" in e.readout.value
    e.lr.value = 0.398  # one notch more: each step overshoots by a little more than the last
    assert round(e.lr.value, 3) == 0.398 and e.status == "diverging" and e.diverged
    assert "diverging</b>: the loss has gone up for 5 epochs in a row" in e.readout.value
    assert e.final_loss < e.loss_line.get_ydata()[0]  # not yet above the start: 'diverging', not 'diverged'
    (artifacts / "lesson05_explorer_diverging.png").write_bytes(e.image.value)
    e.lr.value = 0.5  # above it: every step overshoots further
    assert e.diverged and e.status == "diverged" and "diverged</b>: the loss shot up" in e.readout.value
    (artifacts / "lesson05_explorer_diverged.png").write_bytes(e.image.value)

    e.set_values(batch_size=1, epochs=20, lr=0.158)  # small batches diverge sooner
    assert e.status == "settling"
    e.lr.value = 0.2
    assert e.status == "unstable" and "more than 10 times where it started" in e.readout.value
    e.lr.value = 0.251
    assert e.status == "diverged"

    e.set_values(lr=0.1, batch_size=10, epochs=5)
    before = e.path_line.get_xdata().copy()
    e.seed.value = 4  # another order of the examples, another path
    assert not np.array_equal(before, e.path_line.get_xdata())



# --- the quiz -------------------------------------------------------------------------------


def test_the_quiz_gives_feedback_on_every_answer():
    namespace = lesson_tools.quiz_from(LESSON)
    for q in namespace["quiz"].questions:
        if isinstance(q, MultipleChoice):
            right = 0
            for option, feedback in q.options.items():
                q.answer_widget.value = option
                right += q.check()
                assert feedback in q.feedback.value
            assert right == 1
        else:
            q.answer_widget.value = str(q.answer)
            assert q.check() and q.explanation in q.feedback.value
            for near in ("12.99", "13.01"):  # a count of updates: only the whole number is right
                q.answer_widget.value = near
                assert not q.check()
            for wrong, feedback in q.wrong.items():
                q.answer_widget.value = str(wrong)
                assert not q.check() and feedback in q.feedback.value


# --- grading --------------------------------------------------------------------------------


def test_wrong_edits_lose_their_exercise_and_the_feedback_names_the_mistake(course_cfg):
    from test_grading import autograde, submit

    def edited(gid, *replacements):
        return lesson_tools.edited_solution(LESSON, {gid: replacements})

    after_update = "        losses.append(mse_loss(forward(X, *params.values())[2], y))\n"
    submit(course_cfg, "dee", LESSON, edited("training_loop", ("        losses.append(mse_loss(z2, y))\n", ""),
                                             ("params[\"b2\"] -= lr * db2\n", "params[\"b2\"] -= lr * db2\n"
                                              + after_update)))
    submit(course_cfg, "eve", LESSON,
           edited("batched_backward", ("dL_dz2 = 2 * (z2 - y) / m", "dL_dz2 = 2 * (z2 - y)")))
    scores = autograde(course_cfg, LESSON, ["dee", "eve"])
    # dee records each loss after the update instead of before it
    assert scores["dee"] == {"test_batched_backward": (4.0, 4.0), "test_training_loop": (0.0, 4.0)}
    # eve's backward is wrong; her train, which calls it, is right and keeps its points (it is checked again with
    # the course's backward in place of hers: a cascade)
    assert scores["eve"] == {"test_batched_backward": (0.0, 4.0), "test_training_loop": (4.0, 4.0)}
    message = lesson_tools.graded_errors(course_cfg, "eve", LESSON)["test_batched_backward"]
    assert "Likely cause: the 1/m of the mean is missing" in message


def test_the_new_case_makers_name_bad_arguments():
    for rows in ([], [100], [-1], "0", 0, [0.5], [True]):
        with pytest.raises(ValueError, match="rows should be a non-empty list of row numbers from 0 to 99"):
            reference.regression_481_case(rows=rows)
    assert reference.regression_481_case(rows=np.arange(3))["X"].shape == (3, 4)
    for m in (0, 2.5, "3", True):
        with pytest.raises(ValueError, match="m, the number of examples, should be a whole number of at least 1"):
            reference.random_regression_params(np.random.default_rng(0), m=m)


def test_the_explorer_names_bad_arguments():
    with pytest.raises(ValueError, match=r"batch_size must be one of \(1, 2, 5, 10, 20, 50, 100\), but is 3"):
        DescentPathExplorer(batch_size=3)


def test_losses_may_be_floats_or_numpy_scalars_but_not_arrays():
    """Each loss is a plain number: the lesson's later cells print them with f"{loss:.4f}", which a
    one-entry array (a mean over axis=0) makes fail far from its cause."""
    for wrap in (float, np.float64, np.array):
        def train(X, y, params, lr, steps, wrap=wrap):
            return [wrap(v) for v in student_style_train(X, y, params, lr, steps)]

        checks.check_function(reference.through_train(train), reference.train_result,
                              reference.random_training_case, seed=1, trials=2, outputs=["losses", "params"])

    def returning(make):
        def train(X, y, params, lr, steps):
            return make(student_style_train(X, y, params, lr, steps), params)
        return train

    for make, says in [
        (lambda losses, params: [np.array([v]) for v in losses], r"losses\[0\] should be a plain number, but is an "
                                                                r"array of shape \(1,\).*np.mean\(\.\.\., axis=0\)"),
        (lambda losses, params: [np.zeros(2)] * len(losses), r"losses\[0\] should be a plain number.*shape \(2,\)"),
        (lambda losses, params: np.array(losses).reshape(-1, 1), r"an array of shape \(\d+, 1\): return a list"),
        (lambda losses, params: params, r"train returned a dict \(its params\?\)"),
        (lambda losses, params: (losses, params), r"a tuple holding a dict \(losses and params\?\): return only"),
        (lambda losses, params: (v for v in losses), r"train returned a generator"),
    ]:
        with pytest.raises(AssertionError, match=says):
            checks.check_function(reference.through_train(returning(make)), reference.train_result,
                                  reference.random_training_case, seed=1)
