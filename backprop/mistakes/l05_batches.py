"""Lesson 05, batches and gradient descent: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.regression_backward     29 mistakes
    reference.train_result            23 mistakes; train calls backward (depends)
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid
from backprop.mistakes.base import depends, register

__all__ = []


def _regression_backward_variant(dz2_scale=2.0, sign=1.0, per="m", db="sum", dW2_transposed=False,
                                 derivative="z", extra_m=None, flat_y=False, da1_transposed=True):
    def backward(X, y, z1, a1, z2, W2):
        m = X.shape[0]
        divide = {"m": m, "none": 1, "features": X.shape[1], "100": 100}[per]
        if flat_y:
            y = y.ravel()
        dL_dz2 = sign * dz2_scale * (z2 - y) / divide
        dL_dW2 = dL_dz2.T @ a1 if dW2_transposed else a1.T @ dL_dz2
        dL_da1 = dL_dz2 @ W2.T if da1_transposed else dL_dz2 @ W2
        if derivative == "z":
            s = sigmoid(z1)
            local = s * (1 - s)
        elif derivative == "a":
            s = sigmoid(a1)
            local = s * (1 - s)
        elif derivative == "z-for-a":
            local = z1 * (1 - z1)
        else:
            local = 1.0
        dL_dz1 = dL_da1 * local
        dL_dW1 = X.T @ dL_dz1
        reduce = {"sum": lambda d: d.sum(axis=0), "none": lambda d: d, "mean": lambda d: d.mean(axis=0),
                  "axis1": lambda d: d.sum(axis=1)}[db]
        grads = [dL_dW1, reduce(dL_dz1), dL_dW2, reduce(dL_dz2)]
        if extra_m == "all":
            grads = [g / m for g in grads]
        elif extra_m == "weights":
            grads = [grads[0] / m, grads[1], grads[2] / m, grads[3]]
        return tuple(grads)

    return backward


def _bw(m=lambda X: X.shape[0], dz2=lambda z2, y, m: 2 * (z2 - y) / m, dW2=lambda a1, z1, z2, y, dz2: a1.T @ dz2,
        db2=lambda dz2: dz2.sum(axis=0), da1=lambda dz2, W2: dz2 @ W2.T, slope=lambda z1, a1: a1 * (1 - a1),
        dW1=lambda X, dz1: X.T @ dz1, db1=lambda dz1, da1: dz1.sum(axis=0), pack=lambda g: g):
    """The reference backward, with any of its steps replaced."""
    def backward(X, y, z1, a1, z2, W2):
        d2 = dz2(z2, y, m(X))
        d1 = da1(d2, W2)
        dz1 = d1 * slope(z1, a1)
        return pack((dW1(X, dz1), db1(dz1, d1), dW2(a1, z1, z2, y, d2), db2(d2)))
    return backward


def _squeezed(X, y, z1, a1, z2, W2):
    dz2 = 2 * np.squeeze(z2 - y) / X.shape[0]
    dW2 = (a1.T @ dz2)[:, None]
    db2 = np.array([dz2.sum()])
    dz1 = np.outer(dz2, W2) * a1 * (1 - a1)
    return X.T @ dz1, dz1.sum(axis=0), dW2, db2


def _ravelled(X, y, z1, a1, z2, W2):
    dz2 = 2 * (z2.ravel() - y.ravel()) / X.shape[0]
    dz1 = np.outer(dz2, W2) * a1 * (1 - a1)
    return X.T @ dz1, dz1.sum(axis=0), a1.T @ dz2, dz2.sum(axis=0)


register(ref.regression_backward, [
    ("1-m-mean-missing",
     "the 1/m of the mean is missing: dL/dz2 = 2 * (z2 - y) / m, because the loss averages over the "
     "m examples of the batch.", _regression_backward_variant(per="none")),
    ("factor-2-differentiating-square",
     "the factor 2 from differentiating the square is missing: dL/dz2 = 2 * (z2 - y) / m "
     "(this loss has no 1/2 in front).", _regression_backward_variant(dz2_scale=1.0)),
    ("sign-error-dl-dz2",
     "a sign error: dL/dz2 = 2 * (z2 - y) / m, not 2 * (y - z2) / m.", _regression_backward_variant(sign=-1.0)),
    ("mean-divided-number-features",
     "the mean was divided by the number of features, X.shape[1]; it averages over the examples, the rows: "
     "m = X.shape[0].", _regression_backward_variant(per="features")),
    ("batch-size-written-100",
     "m is 100 on every batch (the tutorial's data set): written in, or kept from an earlier call. Take it "
     "from the batch itself on every call, m = X.shape[0]: the tests use batches of 1 to 50 examples.",
     _regression_backward_variant(per="100")),
    ("bias-gradients-summed-over",
     "the bias gradients are not summed over the batch: each bias is used by every example, so "
     "db = dL_dz.sum(axis=0), of the bias's shape.", _regression_backward_variant(db="none")),
    ("bias-gradients-averaged-over",
     "the bias gradients are averaged over the batch: the 1/m is already inside dL/dz2, so the biases "
     "need dL_dz.sum(axis=0), not .mean(axis=0).", _regression_backward_variant(db="mean")),
    ("bias-gradients-summed-over-2",
     "the bias gradients are summed over the wrong axis: axis 0 runs over the examples, so "
     "db = dL_dz.sum(axis=0).", [_regression_backward_variant(db="axis1"), _bw(db1=lambda dz1, da1: dz1.sum(axis=1))]),
    ("dw2-transposed-dl-dw2",
     "dW2 is transposed: dL/dW2 = a1.T @ dL_dz2, shape (h, 1) like W2.", _regression_backward_variant(
        dW2_transposed=True)),
    ("missing-transpose-dl-da1",
     "a missing transpose in dL/da1: dL_dz2 @ W2.T, (m, 1) @ (1, h) -> (m, h), the shape of a1; "
     "dL_dz2 @ W2 only fits when h = 1.", _regression_backward_variant(da1_transposed=False)),
    ("y-flattened-shape-m",
     "y was flattened to shape (m,) (or z2 was): z2 - y, with z2 of shape (m, 1), then broadcasts to an "
     "(m, m) array of every prediction minus every target. Keep both as they are given, (m, 1).",
     _regression_backward_variant(flat_y=True)),
    ("sigma-used-where-sigma",
     "sigma'(a) was used where sigma'(z) is meant: the hidden layer's slope is sigmoid(z1) * (1 - sigmoid(z1)) "
     "= a1 * (1 - a1), not sigmoid(a1) * (1 - sigmoid(a1)).", _regression_backward_variant(derivative="a")),
    ("z1-used-place-a1", "z1 was used in place of a1 in the sigmoid's slope: a1 * (1 - a1), not z1 * (1 - z1).",
     _regression_backward_variant(derivative="z-for-a")),
    ("sigmoid-s-slope-missing",
     "the sigmoid's slope is missing: dL/dz1 = dL/da1 * sigmoid'(z1).", _regression_backward_variant(
        derivative="none")),
    ("batch-averaged-twice-1",
     "the batch is averaged twice: the 1/m is already in dL/dz2, so the weight and bias gradients are plain "
     "sums over the batch (a1.T @ dL_dz2, ...), not divided by m again.", _regression_backward_variant(
        extra_m="all")),
    ("weight-gradients-divided-m",
     "the weight gradients are divided by m a second time: the 1/m is already in dL/dz2, and the matrix "
     "products a1.T @ dL_dz2 and X.T @ dL_dz1 add up the examples' shares; divide once, at the top.",
     _regression_backward_variant(extra_m="weights")),
])


register(ref.regression_backward, [
    ("relu-slope", "that is ReLU's slope (z1 > 0): this hidden layer is a sigmoid, whose slope is a1 * (1 - a1).",
     _bw(slope=lambda z1, a1: (z1 > 0) * 1.0)),
    ("tanh-slope", "that is tanh's slope 1 - a1**2: this hidden layer is a sigmoid, whose slope is a1 * (1 - a1).",
     _bw(slope=lambda z1, a1: 1 - a1 ** 2)),
    ("slope-overflows", "the sigmoid's slope written with exp(-z1) overflows for a unit far out (z1 near -800: "
     "inf / inf = nan), where the slope is 0: use a1 * (1 - a1), from the a1 you are given.",
     _bw(slope=lambda z1, a1: np.exp(-z1) / (1 + np.exp(-z1)) ** 2)),
    ("bias-gradients-keepdims", "the bias gradients keep the summed axis (keepdims=True): db1 is (1, h) and db2 "
     "(1, 1), but b1 is (h,) and b2 (1,). Sum without keepdims: dL_dz.sum(axis=0).",
     [_bw(db1=lambda dz1, da1: dz1.sum(axis=0, keepdims=True), db2=lambda d: d.sum(axis=0, keepdims=True)),
      _bw(db1=lambda dz1, da1: dz1.sum(axis=0, keepdims=True)), _bw(db2=lambda d: d.sum(axis=0, keepdims=True))]),
    ("bias-gradients-summed-to-one-number", "the bias gradients are summed over every entry (np.sum with no axis): "
     "each bias then gets one total. Sum over the examples only: dL_dz.sum(axis=0), one number per unit.",
     [_bw(db1=lambda dz1, da1: np.sum(dz1), db2=lambda d: np.sum(d)), _bw(db1=lambda dz1, da1: np.sum(dz1))]),
    ("divides-by-m-minus-1", "the mean divides by m - 1 (as a sample variance does): the loss is the plain mean "
     "over the m examples, so dL/dz2 = 2 * (z2 - y) / m.", _bw(m=lambda X: X.shape[0] - 1)),
    ("m-is-size", "m = X.size counts every entry of X (m * n_in): the number of examples is the number of rows, "
     "m = X.shape[0].", _bw(m=lambda X: X.size)),
    ("dw1-transposed", "dW1 is transposed: dL/dW1 = X.T @ dL_dz1, shape (n_in, h) like W1.",
     _bw(dW1=lambda X, dz1: dz1.T @ X)),
    ("dw2-from-z1", "dW2 is built from z1: the second layer's input is a1, so dL/dW2 = a1.T @ dL_dz2.",
     _bw(dW2=lambda a1, z1, z2, y, dz2: z1.T @ dz2)),
    ("dw2-without-2-over-m", "dW2 is built from the raw error z2 - y: use dL/dz2 = 2 * (z2 - y) / m there too, "
     "dL/dW2 = a1.T @ dL_dz2.", _bw(dW2=lambda a1, z1, z2, y, dz2: a1.T @ (z2 - y))),
    ("db1-before-slope", "db1 is summed from dL/da1, before the sigmoid's slope: the bias adds to z1, so "
     "db1 = dL_dz1.sum(axis=0), with dL_dz1 = dL_da1 * a1 * (1 - a1).", _bw(db1=lambda dz1, da1: da1.sum(axis=0))),
    ("error-flattened", "the error was flattened to shape (m,) (ravel, flatten or squeeze): dW2 and db2 then lose "
     "their shapes (h, 1) and (1,), and a batch of one example breaks. Keep dL/dz2 an (m, 1) column, "
     "2 * (z2 - y) / m.", [_ravelled, _squeezed]),
    ("returns-dict", "backward returns a dict: return the tuple (dW1, db1, dW2, db2), in that order.",
     _bw(pack=lambda g: dict(zip(("W1", "b1", "W2", "b2"), g)))),
])


def _train_variant(record_after=False, write_back=True, ascent=False, new_W2_for_hidden=False, biases=True,
                   extra_steps=0, fixed_lr=None, stop_on_rise=False):
    def train(X, y, params, lr, steps):
        W1, b1, W2, b2 = (params[k].copy() for k in ("W1", "b1", "W2", "b2"))
        losses = []
        sign = -1.0 if ascent else 1.0
        lr = lr if fixed_lr is None else fixed_lr
        for _ in range(steps + extra_steps):
            z1, a1, z2 = ref.regression_forward(X, W1, b1, W2, b2)
            loss = float(np.mean((z2 - y) ** 2))
            if stop_on_rise and losses and loss > losses[-1]:
                break
            if not record_after:
                losses.append(loss)
            m = X.shape[0]
            dz2 = 2.0 * (z2 - y) / m
            dW2, db2 = a1.T @ dz2, dz2.sum(axis=0)
            if new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            dz1 = dz2 @ W2.T * a1 * (1 - a1)
            dW1, db1 = X.T @ dz1, dz1.sum(axis=0)
            W1 = W1 - sign * lr * dW1
            if not new_W2_for_hidden:
                W2 = W2 - sign * lr * dW2
            if biases:
                b1 = b1 - sign * lr * db1
                b2 = b2 - sign * lr * db2
            if record_after:
                losses.append(ref.regression_loss(X, y, W1, b1, W2, b2))
        if write_back:
            params.update(W1=W1, b1=b1, W2=W2, b2=b2)
        return np.asarray(losses), params

    return train


register(ref.train_result, [
    ("each-loss-recorded-after",
     "each loss is recorded after its step's update: record the loss of the forward pass, before the update "
     "(the first loss is the untrained network's).", _train_variant(record_after=True)),
    ("trained-weights-written-back",
     "the trained weights are not written back into params: update the arrays in the dict you were given "
     "(params['W1'] -= lr * dW1), or assign the new ones to params['W1'], ...", _train_variant(write_back=False)),
    ("update-climbs-gradient-theta",
     "the update climbs the gradient: theta <- theta - lr * grad, with a minus.", _train_variant(ascent=True)),
    ("w2-updated-before-hidden",
     "W2 is updated before the hidden layer's gradient is computed, which then uses the new W2: compute every "
     "gradient first, then update.", _train_variant(new_W2_for_hidden=True)),
    ("biases-never-updated-b1", "the biases are never updated: b1 and b2 learn too.", _train_variant(biases=False)),
    ("loop-runs-step-too",
     "the loop runs one step too many: range(steps) takes exactly `steps` steps, and records that many losses.",
     _train_variant(extra_steps=1)),
    ("learning-rate-given-tutorial",
     "the learning rate is not the one given: the tutorial's 0.01 is written in; use the argument lr.",
     _train_variant(fixed_lr=0.01)),
    ("learning-rate-missing-update",
     "the learning rate is missing from the update: theta <- theta - lr * grad, not theta - grad.",
     _train_variant(fixed_lr=1.0)),
    ("loop-stops-when-loss",
     "the loop stops when the loss goes up: train takes every one of the `steps` steps it is asked for, "
     "whatever the loss does (a learning rate too large makes it rise, and that is worth seeing).",
     _train_variant(stop_on_rise=True)),
])


def _loop(steps_from=0, forward_once=False, update=None, call_backward=None, call_forward=None, loss=None,
          batch=None, finish=lambda losses, params: losses, generator=False):
    """A student's train (as the exercise asks for it), with any of its steps replaced; through_train makes
    it a version of train_result."""
    def step_forward(X, params):
        if call_forward is not None:
            return call_forward(X, params)
        return ref.regression_forward(X, params["W1"], params["b1"], params["W2"], params["b2"])

    def steps_of(X, y, params, lr, steps):
        rng = np.random.default_rng(0)
        z1, a1, z2 = step_forward(X, params)
        for _ in range(steps_from, steps):
            Xb, yb = (X, y) if batch is not _two_permutations else batch(X, y, rng)  # (the loss on these)
            if not forward_once:
                z1, a1, z2 = step_forward(Xb, params)
            yield float(np.mean((z2 - yb) ** 2)) if loss is None else loss(z2, yb)
            if batch is _first_minibatch:  # (the gradients on a mini-batch)
                Xb, yb = batch(X, y, rng)
                z1, a1, z2 = step_forward(Xb, params)
            grads = (ref.regression_backward(Xb, yb, z1, a1, z2, params["W2"]) if call_backward is None
                     else call_backward(Xb, yb, z1, a1, z2, params))
            if update is None:
                for key, g in zip(("W1", "b1", "W2", "b2"), grads):
                    params[key] -= lr * g
            else:
                update(params, grads, lr, len(X))

    def train(X, y, params, lr, steps):
        if generator:
            return steps_of(X, y, params, lr, steps)
        return finish(list(steps_of(X, y, params, lr, steps)), params)

    return ref.through_train(train)


def _two_permutations(X, y, rng):
    return X[rng.permutation(len(X))], y[rng.permutation(len(y))]


def _first_minibatch(X, y, rng):
    from backprop import data
    return next(iter(data.minibatches(X, y, 32, rng)))


def _biases_rebound(X, y, params, lr, steps):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    losses = []
    for _ in range(steps):
        z1, a1, z2 = ref.regression_forward(X, W1, b1, W2, b2)
        losses.append(float(np.mean((z2 - y) ** 2)))
        dW1, db1, dW2, db2 = ref.regression_backward(X, y, z1, a1, z2, W2)
        W1 -= lr * dW1
        W2 -= lr * dW2
        b1 = b1 - lr * db1
        b2 = b2 - lr * db2
    return losses


def _over_m(params, grads, lr, m):
    for key, g in zip(("W1", "b1", "W2", "b2"), grads):
        params[key] -= lr * g / m


def _by_dict_order(params, grads, lr, m):
    for key, g in zip(params, grads):
        params[key] -= lr * g


register(ref.train_result, [
    ("biases-not-written-back", "the biases are updated with b1 = b1 - lr * db1, which makes a new array and "
     "leaves params['b1'] as it was: update in place, params['b1'] -= lr * db1 (and b2).",
     ref.through_train(_biases_rebound)),
    ("loop-one-step-short", "the loop takes one step too few: range(steps) takes exactly `steps` steps (not "
     "range(1, steps)), and records that many losses.", _loop(steps_from=1)),
    ("forward-once", "the forward pass runs once, before the loop: every step must run it again on the updated "
     "weights, or its loss and gradients are those of the untrained network.", _loop(forward_once=True)),
    ("update-divides-by-m", "the update divides by m again: the 1/m of the mean is already in the gradients, so "
     "params['W1'] -= lr * dW1.", _loop(update=_over_m)),
    ("shuffles-x-and-y-apart", "X and y are shuffled with two different permutations, which breaks the pairs of "
     "input and target. Full-batch descent needs no shuffling: use X and y as given (to shuffle, use one "
     "permutation for both).", _loop(batch=_two_permutations)),
    ("minibatches", "the gradients come from a mini-batch: this exercise is full-batch descent, every step's "
     "gradients from all of X and y.", _loop(batch=_first_minibatch)),
    ("loss-per-example", "each loss recorded is the array of per-example squared errors: record their mean, "
     "mse_loss(z2, y), one number per step.", _loop(loss=lambda z2, y: (z2 - y) ** 2)),
    ("backward-given-a1-for-z1", "backward is called with z1 and a1 swapped: call it as it is defined, "
     "backward(X, y, z1, a1, z2, W2).",
     _loop(call_backward=lambda X, y, z1, a1, z2, p: ref.regression_backward(X, y, a1, z1, z2, p["W2"]))),
    ("backward-given-w1", "backward is given params['W1'] as its last argument: it needs W2, "
     "backward(X, y, z1, a1, z2, params['W2']).",
     _loop(call_backward=lambda X, y, z1, a1, z2, p: ref.regression_backward(X, y, z1, a1, z2, p["W1"]))),
    ("relies-on-dict-order", "it relies on the order of params' keys (forward(X, *params.values()) or "
     "zip(params, grads)), which is not always W1, b1, W2, b2: take each by its name, params['W1'], ...",
     [_loop(call_forward=lambda X, p: ref.regression_forward(X, *p.values())), _loop(update=_by_dict_order)]),
    ("returns-params", "train returns params: return the list of losses, one per step (params is updated in "
     "place, the caller has it).", _loop(finish=lambda losses, params: params)),
    ("returns-losses-and-params", "train returns (losses, params): return only the list of losses; params is "
     "updated in place, the caller has it.", _loop(finish=lambda losses, params: (losses, params))),
    ("returns-nothing", "train returns nothing (it prints the losses?): collect them in a list and return it.",
     _loop(finish=lambda losses, params: None)),
    ("yields-losses", "train yields its losses (a generator), so nothing runs until someone asks for them: "
     "append them to a list and return the list.", _loop(generator=True)),
])


# train calls the student's backward: a wrong backward is named by Exercise 1's test, not blamed on train
depends(ref.train_result, "backward", ref.regression_backward, "batched_backward", "Exercise 1's backward")
