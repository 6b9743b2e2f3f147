"""Lesson 09, training in practice: the mistakes students make.

What each exercise's answers get wrong, registered on the reference it is checked against:

    reference.l2_penalty              9 mistakes
    reference.dropout_layer           13 mistakes
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


register(ref.l2_penalty, [
    ("1-2-missing-penalty",
     "the 1/2 is missing from the penalty: it is (lam / 2) * sum(W**2), whose gradient is lam * W.",
     lambda params, lam: _l2(params, lam, loss_factor=1.0)),
    ("gradient-factor-2-too",
     "the gradient has a factor 2 too many: the 1/2 in (lam / 2) * sum(W**2) cancels the 2 from "
     "differentiating the square, so the gradient is lam * W.", lambda params, lam: _l2(params, lam, grad_factor=2.0)),
    ("biases-penalised-too-only",
     "the biases were penalised too; only the weights W are: the biases' gradients are zeros.",
     lambda params, lam: _l2(params, lam, keys=("W", "b"))),
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
    ("l2-in-place", "the weights were changed in place (W *= lam); compute lam * W as a new array.", _l2_in_place),
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

    def make(p_drop, seed):
        return ref.ReseededLayer(forward, backward, seed, p_drop=p_drop)

    return make


register(ref.dropout_layer, [
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
    ("mask-drawn-rng-binomial",
     "the mask was drawn with rng.binomial: a fine mask, but not the one the tests compare with; draw it "
     "exactly as keep = rng.random(x.shape) >= p_drop.", _dropout(keep_rule="binomial")),
    ("mask-drawn-rng-random",
     "the mask was drawn as rng.random(x.shape) < 1 - p_drop: the right probability, but other entries than "
     "the tests expect; draw it exactly as keep = rng.random(x.shape) >= p_drop.",
     _dropout(keep_rule="keep_below")),
])
