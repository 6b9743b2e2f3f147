"""Mistakes students really make, one buggy version per mistake, for each graded exercise.

When your answer is wrong, the checks run every known mistake of that exercise on the same
inputs; if one of them gives exactly your outputs, the message names it as the likely cause.

MISTAKES maps a reference function (or layer class) to [(description, buggy version), ...];
each lesson adds its own entries in its own section below.
"""

import numpy as np

from backprop import reference as ref
from backprop.layers import sigmoid

MISTAKES = {}


def known_for(reference):
    """The (description, buggy function) pairs known for a reference function."""
    return MISTAKES.get(getattr(reference, "__func__", reference), [])

# --- lesson 01 ------------------------------------------------------------------------


def _forward_no_sigmoid(x, w, b):
    return w * x + b


def _forward_no_bias(x, w, b):
    return sigmoid(w * x)


def _forward_sign_flipped_sigmoid(x, w, b):
    return sigmoid(-(w * x + b))


def _parts(x, w, b, y):
    z = w * x + b
    a = sigmoid(z)
    return z, a


def _grads_no_two(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = (a - y) * a * (1 - a)
    return d * x, d


def _grads_sign(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (y - a) * a * (1 - a)
    return d * x, d


def _grads_no_activation_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y)
    return d * x, d


def _grads_sigma_prime_of_a(x, w, b, y):
    z, a = _parts(x, w, b, y)
    s = sigmoid(a)
    d = 2 * (a - y) * s * (1 - s)
    return d * x, d


def _grads_z_for_a_in_derivative(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * z * (1 - z)
    return d * x, d


def _grads_db_times_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d * x, d * x


def _grads_dw_without_x(x, w, b, y):
    z, a = _parts(x, w, b, y)
    d = 2 * (a - y) * a * (1 - a)
    return d, d


def _grads_linear_neuron(x, w, b, y):
    z = w * x + b
    d = 2 * (z - y)
    return d * x, d


MISTAKES[ref.neuron_forward] = [
    ("the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).", _forward_no_sigmoid),
    ("the bias b is left out of z = w*x + b.", _forward_no_bias),
    ("the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).", _forward_sign_flipped_sigmoid),
]

MISTAKES[ref.neuron_gradients] = [
    ("the factor 2 from differentiating (a - y)**2 is missing: dL/da = 2(a - y).", _grads_no_two),
    ("a sign error: dL/da = 2(a - y), not 2(y - a).", _grads_sign),
    ("the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.", _grads_no_activation_derivative),
    ("sigma'(a) was used where sigma'(z) is meant: da/dz = sigmoid(z)(1 - sigmoid(z)) = a(1 - a), "
     "not sigmoid(a)(1 - sigmoid(a)).", _grads_sigma_prime_of_a),
    ("z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).", _grads_z_for_a_in_derivative),
    ("dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.", _grads_db_times_x),
    ("dL/dw is missing the factor x: dz/dw = x, so dL/dw = dL/dz * x.", _grads_dw_without_x),
    ("the gradients are those of a neuron without the sigmoid (a = z).", _grads_linear_neuron),
]

# --- lesson 08: deep networks ---------------------------------------------------------


def _sum_of_squares(grads, keys=None):
    return float(sum(np.sum(g**2) for layer in grads for k, g in layer.items() if keys is None or k in keys))


def _scaled(grads, scale):
    return [{k: g * scale for k, g in layer.items()} for layer in grads]


def _clip_per_array(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        out.append({})
        for k, g in layer.items():
            n = np.sqrt(np.sum(g**2))
            out[-1][k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out, float(norm)


def _clip_per_layer(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    out = []
    for layer in grads:
        n = np.sqrt(_sum_of_squares([layer]))
        out.append({k: g * (max_norm / n) if n > max_norm else g.copy() for k, g in layer.items()})
    return out, float(norm)


def _clip_always(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm), float(norm)


def _clip_no_sqrt(grads, max_norm):
    norm = _sum_of_squares(grads)
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_inverted(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, norm / max_norm if norm > max_norm else 1.0), float(norm)


def _clip_entries(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return [{k: np.clip(g, -max_norm, max_norm) for k, g in layer.items()} for layer in grads], float(norm)


def _clip_norm_after(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(min(norm, max_norm))


def _clip_weights_only_norm(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads, keys=("W",)))
    return _scaled(grads, max_norm / norm if norm > max_norm else 1.0), float(norm)


def _clip_in_place(grads, max_norm):
    norm = np.sqrt(_sum_of_squares(grads))
    if norm > max_norm:
        for layer in grads:
            for k in layer:
                layer[k] *= max_norm / norm
    return grads, float(norm)


MISTAKES[ref.clip_by_global_norm] = [
    ("each gradient array was clipped by its own norm; the global norm is one number over all the "
     "arrays together, and every array is scaled by the same factor.", _clip_per_array),
    ("each layer was clipped by its own norm; the global norm is one number over all the layers "
     "together, and every gradient is scaled by the same factor.", _clip_per_layer),
    ("the gradients were rescaled even though their norm was already below max_norm: scale only "
     "if norm > max_norm, otherwise leave them as they are.", _clip_always),
    ("the norm is missing its square root: it is sqrt(sum of squares), not the sum of squares.", _clip_no_sqrt),
    ("the scale is upside down: multiply by max_norm / norm (less than 1), not norm / max_norm.", _clip_inverted),
    ("each entry was clipped to [-max_norm, max_norm] (np.clip), which changes the direction of the "
     "gradient; scale every gradient by max_norm / norm instead.", _clip_entries),
    ("the norm returned is the one after clipping; return the global norm before clipping, to "
     "monitor how large the gradients really were.", _clip_norm_after),
    ("only the weights W were counted in the norm; the biases' gradients belong to it too.",
     _clip_weights_only_norm),
    ("the gradients were scaled in place (g *= ...), which changes the caller's arrays; build new "
     "ones: {k: g * scale for k, g in layer.items()}.", _clip_in_place),
]


def _init(std, transpose=False, draw="standard_normal"):
    def init(n_in, n_out, rng):
        shape = (n_out, n_in) if transpose else (n_in, n_out)
        if draw == "random":
            return rng.random(shape) * std(n_in, n_out)
        return rng.standard_normal(shape) * std(n_in, n_out)
    return init


MISTAKES[ref.xavier_init] = [
    ("the standard deviation is sqrt(1 / n_in), the other common form of Xavier; this course uses "
     "sqrt(2 / (n_in + n_out)).", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("the square root is missing: 2 / (n_in + n_out) is the variance; the standard deviation, "
     "which multiplies the draws, is its square root.", _init(lambda n_in, n_out: 2.0 / (n_in + n_out))),
    ("the factor 2 is missing: the standard deviation is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(1.0 / (n_in + n_out)))),
    ("that is He's scale sqrt(2 / n_in); Xavier's is sqrt(2 / (n_in + n_out)).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in))),
    ("the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), transpose=True)),
    ("rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)), draw="random")),
]

MISTAKES[ref.he_init] = [
    ("the factor 2 is missing: He's standard deviation is sqrt(2 / n_in), because ReLU zeroes about "
     "half of its inputs.", _init(lambda n_in, n_out: np.sqrt(1.0 / n_in))),
    ("n_out was used where n_in belongs: the scale depends on how many inputs each unit sums, "
     "sqrt(2 / n_in).", _init(lambda n_in, n_out: np.sqrt(2.0 / n_out))),
    ("the square root is missing: 2 / n_in is the variance; the standard deviation, which "
     "multiplies the draws, is sqrt(2 / n_in).", _init(lambda n_in, n_out: 2.0 / n_in)),
    ("that is Xavier's scale sqrt(2 / (n_in + n_out)); He's is sqrt(2 / n_in).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)))),
    ("the shape is (n_out, n_in); a layer computing x @ W needs W of shape (n_in, n_out).",
     _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), transpose=True)),
    ("rng.random draws uniformly from [0, 1), all positive; draw from a normal distribution with "
     "rng.standard_normal.", _init(lambda n_in, n_out: np.sqrt(2.0 / n_in), draw="random")),
]

# --- lesson 09: training in practice ----------------------------------------------------


def _l2(params, lam, loss_factor=0.5, grad_factor=1.0, keys=("W",), reduce=np.sum, root=False, b_grads=True):
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


MISTAKES[ref.l2_penalty] = [
    ("the 1/2 is missing from the penalty: it is (lam / 2) * sum(W**2), whose gradient is lam * W.",
     lambda params, lam: _l2(params, lam, loss_factor=1.0)),
    ("the gradient has a factor 2 too many: the 1/2 in (lam / 2) * sum(W**2) cancels the 2 from "
     "differentiating the square, so the gradient is lam * W.", lambda params, lam: _l2(params, lam, grad_factor=2.0)),
    ("the biases were penalised too; only the weights W are: the biases' gradients are zeros.",
     lambda params, lam: _l2(params, lam, keys=("W", "b"))),
    ("a sign error: the penalty's gradient is +lam * W (it pulls the weights towards 0 when subtracted).",
     lambda params, lam: _l2(params, lam, grad_factor=-1.0)),
    ("the penalty uses the mean of the squares; it is their sum, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, reduce=np.mean)),
    ("the penalty uses the norm sqrt(sum(W**2)); it is the squared norm, (lam / 2) * sum(W**2).",
     lambda params, lam: _l2(params, lam, root=True)),
    ("the biases' gradients are left out; return zeros for them (np.zeros_like(b)) so that grads "
     "has the same keys as params.", lambda params, lam: _l2(params, lam, b_grads=False)),
    ("the weights were changed in place (W *= lam); compute lam * W as a new array.", _l2_in_place),
]


def _dropout(keep_rule="drop", forward_scale="divide", backward_scale="divide", backward_mask=True, in_place=False):
    """A buggy dropout as a layer maker (p_drop, seed) -> layer, like reference.dropout_layer."""
    def forward(x, p_drop, rng):
        u = rng.random(x.shape)
        keep = u >= p_drop if keep_rule == "drop" else u < p_drop
        scale = {"divide": 1.0 / (1.0 - p_drop), "none": 1.0, "multiply": 1.0 - p_drop,
                 "keep_prob": 1.0 / p_drop}[forward_scale]
        if in_place:
            x *= keep * scale
            return x, (keep, p_drop)
        return x * keep * scale, (keep, p_drop)

    def backward(dout, cache):
        keep, p_drop = cache
        scale = {"divide": 1.0 / (1.0 - p_drop), "none": 1.0, "multiply": 1.0 - p_drop,
                 "keep_prob": 1.0 / p_drop}[backward_scale]
        return (dout * keep if backward_mask else dout) * scale, {}

    def make(p_drop, seed):
        return ref.SeededLayer(forward, backward, seed, p_drop=p_drop)

    return make


MISTAKES[ref.dropout_layer] = [
    ("the kept entries are not scaled: inverted dropout divides them by 1 - p_drop, in forward and "
     "in backward, so that their expected value is unchanged.",
     _dropout(forward_scale="none", backward_scale="none")),
    ("the forward pass divides by 1 - p_drop but the backward pass does not: out = x * keep / (1 - p_drop), "
     "so dx = dout * keep / (1 - p_drop).", _dropout(backward_scale="none")),
    ("the backward pass ignores the mask: no gradient flows to a dropped entry, since it did not reach "
     "the output; dx = dout * keep / (1 - p_drop).", _dropout(backward_mask=False)),
    ("the kept entries were multiplied by 1 - p_drop; inverted dropout divides by it.",
     _dropout(forward_scale="multiply", backward_scale="multiply")),
    ("p_drop was used as the probability of keeping an entry; it is the probability of dropping it: "
     "keep = rng.random(x.shape) >= p_drop, scaled by 1 / (1 - p_drop).",
     _dropout(keep_rule="keep", forward_scale="keep_prob", backward_scale="keep_prob")),
    ("the kept entries were divided by p_drop; divide by the probability of keeping, 1 - p_drop.",
     _dropout(forward_scale="keep_prob", backward_scale="keep_prob")),
    ("x was changed in place (x *= ...); compute out = x * keep / (1 - p_drop) as a new array.",
     _dropout(in_place=True)),
]
