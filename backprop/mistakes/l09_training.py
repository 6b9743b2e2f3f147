"""Lesson 09, training in practice: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.l2_penalty              23 mistakes
    reference.dropout_layer           22 mistakes
"""

import numpy as np

from backprop import reference as ref
from backprop.mistakes.base import register

__all__ = []


def _l2(params, lam, loss_factor=0.5, grad_factor=1.0, keys=("W",), reduce=np.sum, root=False, b_grads=True,
        all_but_b=False):
    if all_but_b:
        keys = tuple({k for layer in params for k in layer if k != "b"})
    total = float(sum(reduce(layer[k] ** 2) for layer in params for k in layer if k in keys))
    loss = loss_factor * lam * (np.sqrt(total) if root else total)
    grads = []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k in keys:
                grads[-1][k] = grad_factor * lam * v
            elif b_grads:
                grads[-1][k] = np.zeros_like(v)
    return loss, grads


def _l2_in_place(params, lam):
    loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
    grads = []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k == "W":
                v *= lam
                grads[-1][k] = v
            else:
                grads[-1][k] = np.zeros_like(v)
    return loss, grads


def _l2_into(copy_layers):
    """The gradients written into the caller's dicts (copy_layers: None, the dicts themselves; "list", a copy of
    the list only) or, through dict(layer), into the caller's arrays."""
    def buggy(params, lam):
        loss = 0.5 * lam * float(sum(np.sum(layer["W"] ** 2) for layer in params if "W" in layer))
        if copy_layers == "dicts":  # new dicts, the caller's arrays: zeros written into them
            grads = [dict(layer) for layer in params]
            for g in grads:
                for k in g:
                    if k == "W":
                        g[k] = lam * g[k]
                    else:
                        g[k][...] = 0.0
            return loss, grads
        grads = list(params) if copy_layers == "list" else [layer for layer in params]
        for g in grads:
            for k in g:
                g[k] = lam * g[k] if k == "W" else np.zeros_like(g[k])
        return loss, grads

    return buggy


def _l2_by_layer(weight, other, total=sum):
    """A penalty built layer by layer: grads {k: weight(lam, W) for "W", other(v) for the rest}; the loss is
    total((lam / 2) * sum(W**2) of each W)."""
    def buggy(params, lam):
        parts = [0.5 * lam * np.sum(layer["W"] ** 2) for layer in params if "W" in layer]
        grads = [{k: weight(lam, v) if k == "W" else other(v) for k, v in layer.items()} for layer in params]
        return float(total(parts)), grads

    return buggy


def _l2_last_layer_only(params, lam):
    loss = 0.0
    for layer in params:
        if "W" in layer:
            loss = 0.5 * lam * float(np.sum(layer["W"] ** 2))
    return loss, ref.l2_penalty(params, lam)[1]


def _l2_skips_empty(params, lam):
    loss, grads = ref.l2_penalty(params, lam)
    return loss, [g for g in grads if g]


def _l2_keys_with_d(params, lam):
    loss, grads = ref.l2_penalty(params, lam)
    return loss, [{f"d{k}": v for k, v in g.items()} for g in grads]


def _l2_w_and_b(params, lam):
    loss = ref.l2_penalty(params, lam)[0]
    return loss, [{"W": lam * layer["W"], "b": np.zeros_like(layer["b"])} if layer else {} for layer in params]


def _l2_gamma_too(params, lam):  # everything but b and beta is a weight
    loss, grads = 0.0, []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k in ("b", "beta"):
                grads[-1][k] = np.zeros_like(v)
            else:
                loss += 0.5 * lam * float(np.sum(v**2))
                grads[-1][k] = lam * v
    return loss, grads


def _l2_loss_array(params, lam):
    loss, grads = ref.l2_penalty(params, lam)
    return np.zeros(1) + loss, grads


def _l2_get_w(params, lam):
    loss, grads = 0.0, []
    for layer in params:
        W = layer.get("W", 0)
        loss += 0.5 * lam * np.sum(np.square(W))
        grads.append({"W": lam * W})
    return float(loss), grads


def _l2_over_rows(params, lam):
    loss, grads = 0.0, []
    for layer in params:
        grads.append({})
        for k, v in layer.items():
            if k == "W":
                loss += lam / (2 * v.shape[0]) * np.sum(v**2)
                grads[-1][k] = lam / v.shape[0] * v
            else:
                grads[-1][k] = np.zeros_like(v)
    return float(loss), grads


def _l2_empty_dicts_reused(params, lam):
    loss, grads = ref.l2_penalty(params, lam)
    return loss, [layer if not layer else g for layer, g in zip(params, grads)]


def _l2_reduce(params, lam):
    import functools

    squares = [np.sum(layer["W"] ** 2) for layer in params if "W" in layer]
    return float(lam / 2 * functools.reduce(lambda s, t: s + t, squares)), ref.l2_penalty(params, lam)[1]


register(ref.l2_penalty, [
    ("penalty-without-half",
     "the penalty is lam * sum(W**2) throughout, with the gradient 2 * lam * W: consistent, but not the course's "
     "penalty, (lam / 2) * sum(W**2), whose 1/2 cancels the 2 so that the gradient is lam * W.",
     lambda params, lam: _l2(params, lam, loss_factor=1.0, grad_factor=2.0)),
    ("gradient-without-lam", "the gradient is W: lam is missing from it; the gradient of (lam / 2) * sum(W**2) is "
     "lam * W.", _l2_by_layer(lambda lam, W: W.copy(), np.zeros_like)),
    ("penalty-of-last-layer-only", "only the last layer's weights count in the penalty: loss = ... inside the loop "
     "replaces the sum so far. Add each layer's share, loss += (lam / 2) * np.sum(W**2).", _l2_last_layer_only),
    ("grads-skip-empty-layers", "grads has no dict for the layers without parameters: keep one dict per layer, {} "
     "for those, so that grads lines up with params (as the optimiser pairs them).", _l2_skips_empty),
    ("grads-keys-with-d", "the gradients are keyed 'dW', 'db', ...: grads has the same keys as params, 'W' and "
     "'b' (and 'gamma', 'beta'), so that the optimiser can pair each gradient with its parameter.", _l2_keys_with_d),
    ("grads-keys-w-and-b", "every dict with parameters is taken to hold 'W' and 'b', but batch normalisation's has "
     "'gamma' and 'beta' (hence KeyError: 'W'): go through the keys each dict has, and give zeros to all but "
     "'W'.", _l2_w_and_b),
    ("gamma-penalised", "gamma, batch normalisation's scale, was penalised like a weight: only the weights 'W' are; "
     "every other parameter ('b', 'gamma', 'beta') gets zeros.", _l2_gamma_too),
    ("penalty-an-array", "the penalty is an array of shape (1,) (a sum started from np.zeros(1)?): start from 0.0, "
     "and return a plain number, float(loss).", _l2_loss_array),
    ("grads-get-w", "layer.get('W', 0) gives every layer a 'W', the empty ones too, and drops 'b': grads must have "
     "exactly the keys of params, lam * W for 'W' and zeros for the rest, {} for a layer without parameters.",
     _l2_get_w),
    ("penalty-averaged-over-layers", "the penalties of the layers were averaged (np.mean of the list): the penalty "
     "is their sum, (lam / 2) times the sum of every W**2 of every layer.",
     _l2_by_layer(lambda lam, W: lam * W, np.zeros_like, total=np.mean)),
    ("penalty-over-rows", "the penalty and its gradient are divided by the number of rows of W: there is no 1/m in "
     "the L2 penalty, (lam / 2) * sum(W**2), gradient lam * W.", _l2_over_rows),
    ("grads-reuse-empty-dicts", "grads holds the very {} of params for the layers without parameters: build a new "
     "dict for every layer, {} included, so that filling one later leaves params alone.", _l2_empty_dicts_reused),
    ("penalty-square-of-sum", "np.sum(W)**2 squares the sum of the weights: the penalty sums their squares, "
     "np.sum(W**2).", lambda params, lam: (0.5 * lam * float(sum(np.sum(layer["W"]) ** 2 for layer in params
                                                                   if "W" in layer)), ref.l2_penalty(params, lam)[1])),
    ("penalty-of-no-weights", "with no weights at all (only {} and batch normalisation's gamma and beta) the "
     "penalty is 0.0: start the sum from 0 (sum(...), or functools.reduce(..., 0.0)), and every gradient is "
     "zeros.", _l2_reduce),
    ("1-2-missing-penalty",
     "the 1/2 is missing from the penalty: it is (lam / 2) * sum(W**2), whose gradient is lam * W.",
     lambda params, lam: _l2(params, lam, loss_factor=1.0)),
    ("gradient-factor-2-too",
     "the gradient has a factor 2 too many: the 1/2 in (lam / 2) * sum(W**2) cancels the 2 from "
     "differentiating the square, so the gradient is lam * W.", lambda params, lam: _l2(params, lam, grad_factor=2.0)),
    ("biases-penalised-too-only",
     "the biases were penalised too (and every other parameter with them); only the weights W are: the biases' "
     "gradients are zeros, as are gamma's and beta's.",
     [lambda params, lam: _l2(params, lam, keys=("W", "b")),
      lambda params, lam: _l2(params, lam, keys=("W", "b", "gamma", "beta"))]),
    ("every-parameter-b-penalised",
     "every parameter but b was penalised, batch normalisation's gamma and beta too; only the weights \"W\" "
     "are: every other parameter gets zeros.", lambda params, lam: _l2(params, lam, all_but_b=True)),
    ("sign-error-penalty-s",
     "a sign error: the penalty's gradient is +lam * W (it pulls the weights towards 0 when subtracted).",
     lambda params, lam: _l2(params, lam, grad_factor=-1.0)),
    ("penalty-uses-mean-squares", "the penalty uses the mean of the squares; it is their sum, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, reduce=np.mean)),
    ("penalty-uses-norm-sqrt",
     "the penalty uses the norm sqrt(sum(W**2)); it is the squared norm, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, root=True)),
    ("biases-gradients-left-out",
     "the biases' gradients are left out; return zeros for them (np.zeros_like(b)) so that grads "
     "has the same keys as params.", lambda params, lam: _l2(params, lam, b_grads=False)),
    ("l2-in-place", "params is changed: the gradients are written into the caller's own arrays or dicts (W *= lam; "
     "grad = layer, or params.copy(), shares the caller's dicts; dict(layer) shares its arrays, so g['b'][...] = 0 "
     "zeroes the caller's b). Build new dicts of new arrays: lam * W, and np.zeros_like(v) for the rest.",
     [_l2_in_place, _l2_into(None), _l2_into("list"), _l2_into("dicts")]),
])


def _dropout_scale(rule, p_drop):
    if rule == "keep_prob":  # 1 / p_drop: infinite when nothing is dropped, as the buggy code gives
        return np.float64(1.0) / np.float64(p_drop)
    return {"divide": 1.0 / (1.0 - p_drop), "none": 1.0, "multiply": 1.0 - p_drop}[rule]


def _dropout(keep_rule="drop", forward_scale="divide", backward_scale="divide", backward_mask=True, in_place=False,
             cache="mask"):
    """A buggy dropout as a layer maker (p_drop, seed) -> layer, like reference.dropout_layer; the
    layer draws as checks.layer_from_seeded's do (another seed at every forward)."""
    def forward(x, p_drop, rng):
        if keep_rule == "binomial":
            keep = rng.binomial(1, 1.0 - p_drop, x.shape)
        else:
            u = rng.random(x.shape)
            keep = {"drop": u >= p_drop, "keep": u < p_drop, "keep_below": u < 1.0 - p_drop}[keep_rule]
        scale = _dropout_scale(forward_scale, p_drop)
        if in_place:
            x *= keep * scale
            return x, (keep, p_drop)
        out = x * keep * scale
        kept = {"mask": (keep, p_drop), "rng": (rng, p_drop), "out": (out, p_drop), "x_out": (x, out)}[cache]
        return out, kept

    def backward(dout, kept):
        if cache == "rng":  # a new mask, drawn in backward
            rng, p_drop = kept
            keep = rng.random(dout.shape) >= p_drop
        elif cache == "out":  # the mask read back from the output
            out, p_drop = kept
            keep = out != 0
        elif cache == "x_out":  # dout * out / x
            x, out = kept
            return dout * out / x, {}
        else:
            keep, p_drop = kept
        scale = _dropout_scale(backward_scale, p_drop)
        return (dout * keep if backward_mask else dout) * scale, {}

    forward.__name__ = "dropout_forward"  # as the student's, which the checks' messages name

    def make(p_drop, seed):
        return ref.ReseededLayer(forward, backward, seed, p_drop=p_drop)

    return make


def _seeded(forward, backward):
    def make(p_drop, seed):
        return ref.ReseededLayer(forward, backward, seed, p_drop=p_drop)

    return make


def _drop_forward(x, p_drop, rng):
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1.0 - p_drop), (keep, p_drop)


def _drop_backward(dout, cache):
    keep, p_drop = cache
    return dout * keep / (1.0 - p_drop), {}


def _drop_precedence(x, p_drop, rng):
    keep = rng.random(x.shape) >= p_drop
    return x * keep / 1 - p_drop, (keep, p_drop)


def _drop_two_draws(x, p_drop, rng):
    out = x * (rng.random(x.shape) >= p_drop) / (1 - p_drop)
    return out, (rng.random(x.shape) >= p_drop, p_drop)


def _drop_empirical_forward(x, p_drop, rng):
    keep = rng.random(x.shape) >= p_drop
    return x * keep / keep.mean(), keep


def _drop_empirical_backward(dout, keep):
    return dout * keep / keep.mean(), {}


def _drop_mask_only_forward(x, p_drop, rng):
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1 - p_drop), keep


def _drop_global_p_backward(dout, keep):  # p_drop read from the notebook's globals: undefined here
    return dout * keep / (1 - p_drop), {}  # noqa: F821


def _drop_global_p_04_backward(dout, keep):  # the notebook's p_drop = 0.4, of the worked example
    return dout * keep / (1 - 0.4), {}


def _drop_dropped_mask_backward(dout, cache):
    keep, p_drop = cache
    return dout * (1 - keep) / (1.0 - p_drop), {}


def _drop_float_mask_forward(x, p_drop, rng):
    keep = (rng.random(x.shape) >= p_drop).astype(float)
    return x * keep / (1 - p_drop), (keep, p_drop)


def _drop_scales_cached_mask(dout, cache):
    mask, p_drop = cache
    mask /= 1 - p_drop
    return dout * mask, {}


def _drop_scales_dout(dout, cache):
    keep, p_drop = cache
    dout *= keep / (1 - p_drop)
    return dout, {}


def _drop_swapped_forward(x, p_drop, rng):
    keep = rng.random(x.shape) < p_drop
    return x * keep / (1 - p_drop), (keep, p_drop)


def dropout_forward(x, p_drop, rng):  # named as the student's, whose name the check says
    if p_drop == 0:
        return x, None
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1 - p_drop), (keep, p_drop)


def _drop_p0_backward(dout, cache):
    return (dout, {}) if cache is None else _drop_backward(dout, cache)


def dropout_backward(dout, cache):  # named as the student's: a pair is expected, and its name is said
    keep, p_drop = cache
    return dout * keep / (1.0 - p_drop)


register(ref.dropout_layer, [
    ("precedence-p-drop", "x * keep / 1 - p_drop divides by 1 and then subtracts p_drop (Python reads / before -): "
     "put the difference in parentheses, x * keep / (1 - p_drop).", _seeded(_drop_precedence, _drop_backward)),
    ("mask-drawn-twice", "the mask is drawn twice: out uses one draw and the cache gets another, so backward lets "
     "the gradient through other entries than forward kept. Draw once, keep = rng.random(x.shape) >= p_drop, "
     "and use that keep in both.", _seeded(_drop_two_draws, _drop_backward)),
    ("scaled-by-fraction-kept", "the kept entries are divided by the fraction actually kept (keep.mean()): inverted "
     "dropout divides by 1 - p_drop, the probability of keeping, in forward and in backward.",
     _seeded(_drop_empirical_forward, _drop_empirical_backward)),
    ("p-drop-from-the-notebook", "backward divides by a p_drop it does not get (the notebook's global, or a number "
     "of its own), not by the p_drop of the forward pass that made the cache: put it in the cache with the mask, "
     "cache = (keep, p_drop).", [_seeded(_drop_mask_only_forward, _drop_global_p_backward),
                                 _seeded(_drop_mask_only_forward, _drop_global_p_04_backward)]),
    ("backward-dropped-mask", "backward lets the gradient through the dropped entries (1 - keep) instead of the kept "
     "ones: dx = dout * keep / (1 - p_drop).", _seeded(_drop_forward, _drop_dropped_mask_backward)),
    ("mask-scaled-in-cache", "backward scales the cached mask in place (mask /= 1 - p_drop): the cache is then no "
     "longer what forward made, and a second backward on it gives other gradients. Compute a new array, "
     "dx = dout * keep / (1 - p_drop).", _seeded(_drop_float_mask_forward, _drop_scales_cached_mask)),
    ("dout-changed-in-place", "backward changes dout in place (dout *= ...) and returns it: the caller's gradient is "
     "overwritten. Compute a new array, dx = dout * keep / (1 - p_drop).", _seeded(_drop_forward, _drop_scales_dout)),
    ("keep-drop-swapped", "keep = rng.random(x.shape) < p_drop keeps an entry with probability p_drop: that is the "
     "probability of dropping it. keep = rng.random(x.shape) >= p_drop.",
     _seeded(_drop_swapped_forward, _drop_backward)),
    ("p-drop-0-returns-x", "with p_drop = 0 forward hands back x itself and draws nothing: out is then the very "
     "array x, so changing one changes the other. Compute out = x * keep / (1 - p_drop) whatever p_drop is, with "
     "the mask drawn as always.", _seeded(dropout_forward, _drop_p0_backward)),
    ("backward-returns-dx-only", "backward returns dx alone: every backward returns the pair (dx, grads), here "
     "(dx, {}), dropout having no parameters.", _seeded(_drop_forward, dropout_backward)),
    ("kept-entries-scaled-inverted",
     "the kept entries are not scaled: inverted dropout divides them by 1 - p_drop, in forward and "
     "in backward, so that their expected value is unchanged (the factor reported is 1 - p_drop).",
     _dropout(forward_scale="none", backward_scale="none")),
    ("forward-pass-divides-1",
     "the forward pass divides by 1 - p_drop but the backward pass does not: out = x * keep / (1 - p_drop), "
     "so dx = dout * keep / (1 - p_drop).", _dropout(backward_scale="none")),
    ("backward-pass-divides-1",
     "the backward pass divides by 1 - p_drop but the forward pass does not (the factor reported is "
     "1 - p_drop): out = x * keep / (1 - p_drop).", _dropout(forward_scale="none")),
    ("backward-pass-ignores-mask",
     "the backward pass ignores the mask: no gradient flows to a dropped entry, since it did not reach "
     "the output; dx = dout * keep / (1 - p_drop).", _dropout(backward_mask=False)),
    ("kept-entries-multiplied-1", "the kept entries were multiplied by 1 - p_drop; inverted dropout divides by it.",
     _dropout(forward_scale="multiply", backward_scale="multiply")),
    ("p-drop-used-probability",
     "p_drop was used as the probability of keeping an entry; it is the probability of dropping it: "
     "keep = rng.random(x.shape) >= p_drop, scaled by 1 / (1 - p_drop).",
     _dropout(keep_rule="keep", forward_scale="keep_prob", backward_scale="keep_prob")),
    ("kept-entries-divided-p",
     "the kept entries were divided by p_drop; divide by the probability of keeping, 1 - p_drop.",
     _dropout(forward_scale="keep_prob", backward_scale="keep_prob")),
    ("x-changed-place-x", "x was changed in place (x *= ...); compute out = x * keep / (1 - p_drop) as a new array.",
     _dropout(in_place=True)),
    ("backward-draws-new-mask",
     "backward draws a new mask from the rng kept in the cache: it must reuse the mask of the forward pass "
     "(the entries that were really dropped), so put the mask itself in the cache.", _dropout(cache="rng")),
    ("mask-read-back-output",
     "the mask was read back from the output (out != 0), which is wrong where x itself is 0 and the entry was "
     "kept (after a ReLU, many are): put the mask itself in the cache.", _dropout(cache="out")),
    ("dx-dout-out-x",
     "dx = dout * out / x recovers the scaled mask from the output, which fails (0 / 0) where x is 0: put the "
     "mask itself in the cache.", _dropout(cache="x_out")),
    ("mask-drawn-rng-random",
     "the mask was drawn otherwise (rng.binomial(1, 1 - p_drop, ...), or rng.random(x.shape) < 1 - p_drop): the "
     "right probability, but other entries than the tests expect; draw it exactly as "
     "keep = rng.random(x.shape) >= p_drop.", [_dropout(keep_rule="keep_below"), _dropout(keep_rule="binomial")]),
])
