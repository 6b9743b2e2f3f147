"""Lesson 09, training in practice: reference answers and random cases.

The L2 penalty over a list of parameter dicts (as Sequential.params), and inverted dropout
as a pair of functions. Only the weights "W" are penalised, never the biases.

    l2_penalty(params, lam)          (loss, grads) of the L2 penalty (lam / 2) * sum of W**2 over every dict's "W"
    l2_loss(params, lam)             The penalty alone, (lam / 2) * sum of W**2
    random_l2_case(rng)              The parameters of a small random network (Linear, [BatchNorm,] activation ...
    dropout_forward(x, p_drop, rng)  Inverted dropout in training
    dropout_backward(dout, cache)    (dx, {})
    SeededLayer                      A layer made of forward(x, **settings, rng) and backward(dout ...
    ReseededLayer                    A SeededLayer whose k-th forward (counting from 0) draws from ...
    dropout_layer(p_drop, seed)      The reference dropout as a layer with a fixed seed, for checks.check_layer
    random_dropout_case(rng)         x and dout of a random shape, a p_drop between 0.1 and 0.7 ...
"""

import numpy as np

from backprop.validation import describe, require_array, require_non_negative

__all__ = ["l2_penalty", "l2_loss", "random_l2_case", "dropout_forward", "dropout_backward", "SeededLayer",
           "ReseededLayer", "dropout_layer", "random_dropout_case"]


def l2_penalty(params, lam):
    """(loss, grads) of the L2 penalty (lam / 2) * sum of W**2 over every dict's "W".

    params: a list of dicts of arrays, one per layer ({} for layers without parameters).
    grads has the same structure: lam * W for each "W", zeros for every other parameter.
    params is left unchanged.
    """
    _check_param_list(params)
    require_non_negative("lam", lam)
    loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
    grads = [{key: lam * value if key == "W" else np.zeros_like(value) for key, value in layer.items()}
             for layer in params]
    return loss, grads


def l2_loss(params, lam):
    """The penalty alone, (lam / 2) * sum of W**2: the loss that l2_penalty's grads differentiate."""
    return l2_penalty(params, lam)[0]


def _check_param_list(params):
    if not isinstance(params, list) or not all(isinstance(layer, dict) for layer in params):
        raise TypeError(
            f"params must be a list of dicts of arrays, one dict per layer (as Sequential.params gives), "
            f"but got {describe(params)}."
        )
    for i, layer in enumerate(params):
        for key, value in layer.items():
            require_array(f"params[{i}][{key!r}]", value)


def random_l2_case(rng):
    """The parameters of a small random network (Linear, [BatchNorm,] activation, Linear, ...) and
    a lam. Half of the hidden layers have a BatchNorm, whose "gamma" and "beta" are not penalised."""
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 4)) + 1)]
    params = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            if rng.random() < 0.5:
                params.append({"gamma": rng.uniform(0.5, 1.5, n_in), "beta": rng.standard_normal(n_in)})
            params.append({})
        params.append({"W": rng.standard_normal((n_in, n_out)), "b": rng.standard_normal(n_out)})
    return {"params": params, "lam": float(rng.uniform(0.01, 1.0))}


def dropout_forward(x, p_drop, rng):
    """Inverted dropout in training: (out, cache).

    keep = rng.random(x.shape) >= p_drop (each entry kept with probability 1 - p_drop);
    out = x * keep / (1 - p_drop); cache = (keep, p_drop). x is left unchanged.
    """
    require_array("x", x)
    _check_p_drop(p_drop)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), but got {describe(rng)}.")
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1.0 - p_drop), (keep, p_drop)


def dropout_backward(dout, cache):
    """(dx, {}): the gradient flows only through the kept entries, with the same scale 1 / (1 - p_drop)."""
    keep, p_drop = cache
    require_array("dout", dout)
    if dout.shape != keep.shape:
        raise ValueError(f"dout has shape {dout.shape} but the forward input had shape {keep.shape}; "
                         f"the gradient has the shape of what it is the gradient of.")
    return dout * keep / (1.0 - p_drop), {}


def _check_p_drop(p_drop):
    if isinstance(p_drop, bool) or not isinstance(p_drop, (int, float, np.floating)) or not 0.0 <= p_drop < 1.0:
        raise ValueError(f"p_drop must be a probability in [0, 1), the chance of dropping an entry, "
                         f"but got {describe(p_drop)}.")


class SeededLayer:
    """A layer made of forward(x, **settings, rng) and backward(dout, cache) with a fixed seed:
    every forward draws from a fresh np.random.default_rng(seed), so it is deterministic, as
    checking a backward against finite differences requires."""

    def __init__(self, forward, backward, seed, **settings):
        self._forward, self._backward = forward, backward
        self.seed, self.settings = seed, settings
        self.params = {}

    def forward(self, x):
        return self._forward(x, **self.settings, rng=np.random.default_rng(self.seed))

    def backward(self, dout, cache):
        return self._backward(dout, cache)


class ReseededLayer(SeededLayer):
    """A SeededLayer whose k-th forward (counting from 0) draws from np.random.default_rng(seed + k).

    The first forward draws what the reference's does; a second forward draws other numbers, as a
    real dropout layer would. checks.layer_from_seeded makes the student's layers of this kind, so
    that a mask kept anywhere but in the cache (a global, an attribute of the function) is the
    wrong one by the time backward runs. A forward that returns its input itself as out fails."""

    def __init__(self, forward, backward, seed, **settings):
        super().__init__(forward, backward, seed, **settings)
        self.forwards = 0

    def forward(self, x):
        rng = np.random.default_rng(self.seed + self.forwards)
        self.forwards += 1
        result = self._forward(x, **self.settings, rng=rng)
        if isinstance(result, (tuple, list)) and len(result) == 2 and result[0] is x:
            from backprop.checks.compare import Explained  # (the checks import this module)

            raise Explained("the forward pass returns x itself as out (the same array, not a new one): whatever "
                            "then changes out changes x too. Compute a new array, out = x * keep / (1 - p_drop), "
                            "even when p_drop is 0, drawing the mask all the same.")
        return result


def dropout_layer(p_drop, seed):
    """The reference dropout as a layer with a fixed seed, for checks.check_layer."""
    return SeededLayer(dropout_forward, dropout_backward, seed, p_drop=p_drop)


dropout_layer.draws = "keep = rng.random(x.shape) >= p_drop"


def random_dropout_case(rng):
    """x and dout of a random shape, a p_drop between 0.1 and 0.7, and a seed for the mask.

    About a third of x's entries are exactly 0, as after a ReLU, and at least one of them is kept
    by the mask: the mask cannot be read back from the output (out != 0) or from out / x."""
    m, n = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    x = rng.standard_normal((m, n))
    p_drop = float(rng.uniform(0.1, 0.7))
    seed = int(rng.integers(2**31))
    keep = np.random.default_rng(seed).random((m, n)) >= p_drop
    while not keep.any():  # (rare: every entry dropped) another mask
        seed = int(rng.integers(2**31))
        keep = np.random.default_rng(seed).random((m, n)) >= p_drop
    x[rng.random((m, n)) < 1 / 3] = 0.0
    kept = np.argwhere(keep)
    x[tuple(kept[rng.integers(len(kept))])] = 0.0
    return {"x": x, "dout": rng.standard_normal((m, n)), "p_drop": p_drop, "seed": seed}
