"""Wrong (and unusual right) answers to lesson 09's graded exercises, written as a student would.

Written from the student version of the lesson only (no solutions, no backprop/ sources).
"before" records what the course's feedback said about each entry (harness.py, visible tests, and
whether a test fails with --hidden).
"""

LESSON = "09_training_in_practice"

# --------------------------------------------------------------------------------------------
# Exercise 1: l2_penalty(params, lam) -> (loss, grads)
# --------------------------------------------------------------------------------------------

_L2 = [
    {"id": "l09-l2-penalises-bias",
     "bug": "penalises the biases too: adds lam/2 * sum(b**2) to the loss and returns lam * b as b's gradient",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            loss += lam / 2 * np.sum(v ** 2)
            g[k] = lam * v
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-no-half-in-loss",
     "bug": "loss is lam * sum(W**2) (the 1/2 left out), while the gradient is lam * W: loss and gradient disagree by a factor 2",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-no-half-consistent",
     "bug": "uses the penalty lam * sum(W**2) throughout: loss without the 1/2 and gradient 2 * lam * W (consistent with each other, but the wrong penalty)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam * np.sum(v ** 2)
                g[k] = 2 * lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-grad-2lamW",
     "bug": "right loss lam/2 * sum(W**2), but gradient 2 * lam * W (differentiated the square and forgot the 1/2 cancels it)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = 2 * lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-grad-missing-lam",
     "bug": "gradient is W (a copy) instead of lam * W: lambda forgotten in the gradient",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = v.copy()
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-mean-not-sum",
     "bug": "loss uses np.mean(W**2) (divides by the number of entries of each W) instead of the sum; gradient lam * W",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.mean(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-norm-not-squared",
     "bug": "loss uses np.linalg.norm(W) (the Frobenius norm, not its square): lam/2 * ||W|| ; gradient lam * W",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.linalg.norm(v)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-loss-overwritten",
     "bug": "loss = ... instead of loss += ... inside the loop: only the last layer's W counts in the penalty (gradients right)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss = lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-skips-empty-layers",
     "bug": "grads only has a dict for layers that have parameters: the empty dicts of activation layers are dropped, so grads is shorter than params and misaligned",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        if not layer:
            continue
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-keys-dW-db",
     "bug": "grads keyed 'dW' and 'db' (the lesson-04 naming) instead of the same keys as params",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g["dW"] = lam * v
            else:
                g["d" + k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-only-W-keys",
     "bug": "grads hold only the 'W' entries: no zero arrays for b / gamma / beta (the student thinks a zero gradient can be left out)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        if "W" in layer:
            loss += lam / 2 * np.sum(layer["W"] ** 2)
            g["W"] = lam * layer["W"]
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-assumes-W-b",
     "bug": "assumes every non-empty dict is {'W', 'b'}: builds {'W': lam*W, 'b': zeros} and so raises KeyError on a batch-norm dict of gamma/beta",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        if layer:
            loss += lam / 2 * np.sum(layer["W"] ** 2)
            grads.append({"W": lam * layer["W"], "b": np.zeros_like(layer["b"])})
        else:
            grads.append({})
    return float(loss), grads
'''},
    {"id": "l09-l2-penalises-gamma",
     "bug": "treats every parameter that is not a bias as a weight: gamma (batch norm's scale) is penalised too (only 'b' gets zeros)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k in ("b", "beta"):
                g[k] = np.zeros_like(v)
            else:
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-grads-are-params",
     "bug": "in place / aliasing: writes lam * W into the params dicts themselves (grad = layer) and returns them, so params' W is replaced by lam * W and b by zeros",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        grad = layer
        for k in grad:
            if k == "W":
                loss += lam / 2 * np.sum(grad[k] ** 2)
                grad[k] = lam * grad[k]
            else:
                grad[k] = np.zeros_like(grad[k])
        grads.append(grad)
    return float(loss), grads
'''},
    {"id": "l09-l2-inplace-scale-W",
     "bug": "in place: g = layer['W']; g *= lam scales the caller's W in place (the returned gradient is the same array as params' W)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                gw = v
                gw *= lam
                g[k] = gw
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-shallow-copy-zero-b",
     "bug": "aliasing: grads = [dict(layer) ...] copies only the dicts, then zeroes 'b' with g['b'][:] = 0, which zeroes the caller's bias arrays in place (W and loss are right)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = [dict(layer) for layer in params]
    for g in grads:
        for k in g:
            if k == "W":
                loss += lam / 2 * np.sum(g[k] ** 2)
                g[k] = lam * g[k]
            else:
                g[k][...] = 0.0
    return float(loss), grads
'''},
    {"id": "l09-l2-list-copy-aliases-dicts",
     "bug": "aliasing: grads = params.copy() copies the list but not the dicts, so assigning grads[i]['W'] = lam * W replaces W in the caller's params (values returned are right)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = params.copy()
    for g in grads:
        for k, v in g.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
    return float(loss), grads
'''},
    {"id": "l09-l2-loss-array",
     "bug": "accumulates the loss in np.zeros(1) and returns that array of shape (1,) instead of a Python float",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = np.zeros(1)
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return loss, grads
'''},
    {"id": "l09-l2-negative-grad",
     "bug": "gradient -lam * W: the student mixes up the gradient with the update direction ('weight decay pulls towards 0')",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = -lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-square-of-sum",
     "bug": "loss is lam/2 * (sum W)**2, the square of the sum, written as np.sum(W)**2 instead of np.sum(W**2)",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v) ** 2
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-get-W-default",
     "bug": "uses layer.get('W', 0) for every layer: empty dicts of activation layers get a spurious {'W': 0} in grads, and 'b' is left out",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        W = layer.get("W", 0)
        loss += lam / 2 * np.sum(np.square(W))
        grads.append({"W": lam * W})
    return float(loss), grads
'''},
    {"id": "l09-l2-mean-over-layers",
     "bug": "averages the per-layer penalties over the number of weight matrices (np.mean of a list) instead of summing them",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    per_layer = [np.sum(layer["W"] ** 2) for layer in params if "W" in layer]
    loss = lam / 2 * np.mean(per_layer)
    grads = [{k: (lam * v if k == "W" else np.zeros_like(v)) for k, v in layer.items()} for layer in params]
    return float(loss), grads
'''},
    {"id": "l09-l2-divide-by-m",
     "bug": "divides the penalty and its gradient by the number of rows of W ('1/m' from the batch losses of lesson 05), although the exercise says no 1/m",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for k, v in layer.items():
            if k == "W":
                m = v.shape[0]
                loss += lam / (2 * m) * np.sum(v ** 2)
                g[k] = lam / m * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-empty-dict-reused",
     "bug": "aliasing: for a layer without parameters appends the very dict of params ({}) to grads instead of a new empty dict",
     "code": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        if not layer:
            grads.append(layer)
            continue
        g = {}
        for k, v in layer.items():
            if k == "W":
                loss += lam / 2 * np.sum(v ** 2)
                g[k] = lam * v
            else:
                g[k] = np.zeros_like(v)
        grads.append(g)
    return float(loss), grads
'''},
    {"id": "l09-l2-reduce-no-initial",
     "bug": "edge case: sums the squares with functools.reduce without an initial value, which raises TypeError when no layer has a 'W' (a network of only activations / batch norm)",
     "code": '''from functools import reduce


def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    squares = [np.sum(layer["W"] ** 2) for layer in params if "W" in layer]
    loss = lam / 2 * reduce(lambda s, t: s + t, squares)
    grads = [{k: (lam * v if k == "W" else np.zeros_like(v)) for k, v in layer.items()} for layer in params]
    return float(loss), grads
'''},
]

# --------------------------------------------------------------------------------------------
# Exercise 2: dropout_forward(x, p_drop, rng) -> (out, cache); dropout_backward(dout, cache) -> (dx, {})
# --------------------------------------------------------------------------------------------

_DOC_F = '''    """Inverted dropout in training: (out, cache), with the mask drawn as rng.random(x.shape) >= p_drop."""
'''
_DOC_B = '''    """(dx, {}) for inverted dropout: the gradient passes through the kept entries, scaled the same way."""
'''


def _drop(forward_body, backward_body, prefix=""):
    return (prefix + "def dropout_forward(x, p_drop, rng):\n" + _DOC_F + forward_body
            + "\n\ndef dropout_backward(dout, cache):\n" + _DOC_B + backward_body)


_RIGHT_FWD = '''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, (keep, p_drop)
'''
_RIGHT_BWD = '''    keep, p_drop = cache
    return dout * keep / (1 - p_drop), {}
'''

_DROPOUT = [
    {"id": "l09-drop-no-scaling",
     "bug": "plain (not inverted) dropout: out = x * keep and dx = dout * keep, no division by 1 - p in either pass",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep
    return out, (keep, p_drop)
''', '''    keep, p_drop = cache
    return dout * keep, {}
''')},
    {"id": "l09-drop-backward-unscaled",
     "bug": "forward divides by 1 - p, backward forgets to: dx = dout * keep",
     "code": _drop(_RIGHT_FWD, '''    keep, p_drop = cache
    return dout * keep, {}
''')},
    {"id": "l09-drop-scale-by-p",
     "bug": "divides by p_drop (the drop probability) instead of 1 - p_drop, in both passes",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / p_drop
    return out, (keep, p_drop)
''', '''    keep, p_drop = cache
    return dout * keep / p_drop, {}
''')},
    {"id": "l09-drop-mask-swapped",
     "bug": "keep = rng.random(x.shape) < p_drop: keeps entries with probability p instead of dropping them (keep/drop swapped), scaling by 1/(1-p)",
     "code": _drop('''    keep = rng.random(x.shape) < p_drop
    out = x * keep / (1 - p_drop)
    return out, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-multiply-1-minus-p",
     "bug": "multiplies the survivors by (1 - p) instead of dividing (test-time scaling of non-inverted dropout, applied in training), in both passes",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep * (1 - p_drop)
    return out, (keep, p_drop)
''', '''    keep, p_drop = cache
    return dout * keep * (1 - p_drop), {}
''')},
    {"id": "l09-drop-precedence",
     "bug": "operator precedence: out = x * keep / 1 - p_drop computes (x * keep) - p_drop; backward right",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / 1 - p_drop
    return out, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-redraw-in-backward",
     "bug": "puts the generator in the cache and redraws the mask in backward (rng.random(dout.shape) >= p): a different mask from the forward's",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, (rng, p_drop)
''', '''    rng, p_drop = cache
    keep = rng.random(dout.shape) >= p_drop
    return dout * keep / (1 - p_drop), {}
''')},
    {"id": "l09-drop-global-mask",
     "bug": "state: the mask is kept in a global variable, not in the cache; the second forward overwrites it before the first backward runs",
     "code": _drop('''    global _keep
    _keep = rng.random(x.shape) >= p_drop
    out = x * _keep / (1 - p_drop)
    return out, p_drop
''', '''    p_drop = cache
    return dout * _keep / (1 - p_drop), {}
''', prefix="_keep = None\n\n\n")},
    {"id": "l09-drop-function-attribute-mask",
     "bug": "state: stores the mask as an attribute of the function (dropout_forward.keep), so a second forward replaces the mask the first backward needs",
     "code": _drop('''    dropout_forward.keep = rng.random(x.shape) >= p_drop
    out = x * dropout_forward.keep / (1 - p_drop)
    return out, {"p": p_drop}
''', '''    return dout * dropout_forward.keep / (1 - cache["p"]), {}
''')},
    {"id": "l09-drop-mask-from-out",
     "bug": "cache holds out and p; backward rebuilds the mask as out != 0, which also zeroes the gradient of kept entries whose input was exactly 0 (as after a ReLU)",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, (out, p_drop)
''', '''    out, p_drop = cache
    keep = out != 0
    return dout * keep / (1 - p_drop), {}
''')},
    {"id": "l09-drop-np-random",
     "bug": "draws the mask with np.random.random(x.shape) instead of the generator it is given (rng unused)",
     "code": _drop('''    keep = np.random.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-binomial",
     "bug": "draws the mask with rng.binomial(1, 1 - p_drop, x.shape): statistically a valid mask, but not the draw the exercise prescribes, so it differs from the reference's",
     "code": _drop('''    keep = rng.binomial(1, 1 - p_drop, size=x.shape)
    out = x * keep / (1 - p_drop)
    return out, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-inplace-x",
     "bug": "in place: x *= keep; x /= 1 - p; out = x, so the caller's x is overwritten (values of out and dx are right)",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    x *= keep
    x /= 1 - p_drop
    return x, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-inplace-out-alias",
     "bug": "in place / aliasing: out = x (no copy), then out[~keep] = 0 and out /= 1 - p change the caller's x",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x
    out[~keep] = 0.0
    out /= 1 - p_drop
    return out, (keep, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-inplace-dout",
     "bug": "in place: backward does dout *= keep / (1 - p) and returns dout, overwriting the gradient it was given",
     "code": _drop(_RIGHT_FWD, '''    keep, p_drop = cache
    dout *= keep / (1 - p_drop)
    return dout, {}
''')},
    {"id": "l09-drop-two-draws",
     "bug": "draws twice: out uses one mask and the cache gets a second, freshly drawn mask (refactored the mask into the return line)",
     "code": _drop('''    out = x * (rng.random(x.shape) >= p_drop) / (1 - p_drop)
    return out, (rng.random(x.shape) >= p_drop, p_drop)
''', _RIGHT_BWD)},
    {"id": "l09-drop-backward-no-mask",
     "bug": "backward scales by 1/(1-p) but forgets the mask: dropped entries still get a gradient",
     "code": _drop(_RIGHT_FWD, '''    keep, p_drop = cache
    return dout / (1 - p_drop), {}
''')},
    {"id": "l09-drop-backward-returns-dx-only",
     "bug": "interface: backward returns dx alone, not the pair (dx, {})",
     "code": _drop(_RIGHT_FWD, '''    keep, p_drop = cache
    return dout * keep / (1 - p_drop)
''')},
    {"id": "l09-drop-empirical-scale",
     "bug": "scales by the fraction of entries actually kept (keep.mean()) instead of 1 - p_drop, in both passes",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / keep.mean()
    return out, keep
''', '''    keep = cache
    return dout * keep / keep.mean(), {}
''')},
    {"id": "l09-drop-cache-mask-only-global-p",
     "bug": "cache holds only the mask; backward divides by the notebook's global p_drop (0.4 from the worked example) instead of the p_drop of this call",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, keep
''', '''    keep = cache
    return dout * keep / (1 - p_drop), {}
''')},
    {"id": "l09-drop-p0-shortcut-alias",
     "bug": "edge case shortcut: for p_drop == 0 returns x itself as out (aliased, no copy) and skips drawing the mask, so the generator is not advanced; backward returns dout itself",
     "code": _drop('''    if p_drop == 0:
        return x, None
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1 - p_drop), (keep, p_drop)
''', '''    if cache is None:
        return dout, {}
    keep, p_drop = cache
    return dout * keep / (1 - p_drop), {}
''')},
    {"id": "l09-drop-rescale-only-kept-grad-swapped",
     "bug": "backward uses the dropped mask instead of the kept one: dx = dout * (1 - keep) / (1 - p)",
     "code": _drop(_RIGHT_FWD, '''    keep, p_drop = cache
    return dout * (1 - keep) / (1 - p_drop), {}
''')},
    {"id": "l09-drop-backward-scales-cache-in-place",
     "bug": "caches the mask as floats and scales it in place in backward (mask /= 1 - p), so the cache is changed and a second backward on it gives other gradients",
     "code": _drop('''    keep = (rng.random(x.shape) >= p_drop).astype(float)
    out = x * keep / (1 - p_drop)
    return out, (keep, p_drop)
''', '''    mask, p_drop = cache
    mask /= 1 - p_drop
    return dout * mask, {}
''')},
    {"id": "l09-drop-mask-from-ratio",
     "bug": "cache holds x and out; backward recovers the scaled mask as out / x, which is 0/0 = NaN wherever x is exactly 0 (as after a ReLU)",
     "code": _drop('''    keep = rng.random(x.shape) >= p_drop
    out = x * keep / (1 - p_drop)
    return out, (x, out)
''', '''    x, out = cache
    return dout * (out / x), {}
''')},
]

WRONG = (
    [{"id": e["id"], "exercise": "l2_penalty", "bug": e["bug"], "cells": {"l2_penalty": e["code"]}} for e in _L2]
    + [{"id": e["id"], "exercise": "dropout", "bug": e["bug"], "cells": {"dropout": e["code"]}} for e in _DROPOUT]
)

# --------------------------------------------------------------------------------------------
# Right answers written unusually
# --------------------------------------------------------------------------------------------

RIGHT = [
    {"id": "l09-right-l2-comprehensions",
     "exercise": "l2_penalty",
     "bug": "(right) one expression per output: a generator sum for the loss, nested comprehensions for grads, lam * W with np.where-free dict logic",
     "cells": {"l2_penalty": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.5 * lam * sum(float((layer["W"] ** 2).sum()) for layer in params if "W" in layer)
    grads = [{k: lam * v if k == "W" else np.zeros_like(v) for k, v in layer.items()} for layer in params]
    return loss, grads
'''}},
    {"id": "l09-right-l2-deepcopy-loops",
     "exercise": "l2_penalty",
     "bug": "(right) copy.deepcopy of params, then element-by-element loops over W with Python floats",
     "cells": {"l2_penalty": '''import copy


def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    grads = copy.deepcopy(params)
    loss = 0.0
    for g in grads:
        for k in g:
            if k == "W":
                W = g[k]
                for idx in np.ndindex(W.shape):
                    loss += 0.5 * lam * W[idx] * W[idx]
                    W[idx] = lam * W[idx]
            else:
                g[k] = np.zeros_like(g[k])
    return float(loss), grads
'''}},
    {"id": "l09-right-l2-vdot",
     "exercise": "l2_penalty",
     "bug": "(right) loss via np.vdot(W, W) (sum of squares as a dot product of the flattened W), zeros via v * 0.0",
     "cells": {"l2_penalty": '''def l2_penalty(params, lam):
    """(loss, grads) of the penalty (lam / 2) * sum of W**2 over every layer's "W"; biases are not penalised."""
    loss = 0.0
    grads = []
    for layer in params:
        g = {}
        for name, value in layer.items():
            if name == "W":
                loss += lam * np.vdot(value, value) / 2
                g[name] = value * lam
            else:
                g[name] = value * 0.0
        grads.append(g)
    return float(loss), grads
'''}},
    {"id": "l09-right-drop-where",
     "exercise": "dropout",
     "bug": "(right) np.where for both passes, the scale stored in the cache instead of p",
     "cells": {"dropout": _drop('''    keep = rng.random(x.shape) >= p_drop
    scale = 1.0 / (1.0 - p_drop)
    out = np.where(keep, x * scale, 0.0)
    return out, {"keep": keep, "scale": scale}
''', '''    return np.where(cache["keep"], dout * cache["scale"], 0.0), {}
''')}},
    {"id": "l09-right-drop-generator-copy",
     "exercise": "dropout",
     "bug": "(right) cache holds a deep copy of the generator taken before the draw; backward redraws from it and so gets the identical mask",
     "cells": {"dropout": _drop('''    import copy
    saved = copy.deepcopy(rng)
    keep = rng.random(x.shape) >= p_drop
    return x * keep / (1 - p_drop), (saved, x.shape, p_drop)
''', '''    import copy
    saved, shape, p_drop = cache
    keep = copy.deepcopy(saved).random(shape) >= p_drop
    return dout * keep / (1 - p_drop), {}
''')}},
    {"id": "l09-right-drop-scaled-mask",
     "exercise": "dropout",
     "bug": "(right) caches the scaled mask keep / (1 - p) as a float array; strict > instead of >= (differs only on an exact tie, probability ~0)",
     "cells": {"dropout": _drop('''    mask = (rng.random(x.shape) > p_drop) / (1 - p_drop)
    return x * mask, mask
''', '''    return dout * cache, {}
''')}},
    {"id": "l09-right-drop-flat-loop",
     "exercise": "dropout",
     "bug": "(right) draws rng.random(x.size) and reshapes (the same numbers in C order), then loops entry by entry",
     "cells": {"dropout": _drop('''    u = rng.random(x.size).reshape(x.shape)
    keep = u >= p_drop
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        if keep[idx]:
            out[idx] = x[idx] / (1 - p_drop)
    return out, (keep, p_drop)
''', '''    keep, p_drop = cache
    dx = np.zeros_like(dout)
    for idx in np.ndindex(dout.shape):
        if keep[idx]:
            dx[idx] = dout[idx] / (1 - p_drop)
    return dx, {}
''')}},
]

# --------------------------------------------------------------------------------------------
# What the feedback said (harness.py, visible tests; hidden_catches: some test fails with --hidden)
# --------------------------------------------------------------------------------------------

_BEFORE = {
    "l09-l2-penalises-bias": ("named", True, "Likely cause: the biases were penalised too; loss 0.3625 vs 0.2625 and grads[0]['b'] nonzero shown"),
    "l09-l2-no-half-in-loss": ("named", True, "Likely cause: the 1/2 is missing from the penalty; loss exactly twice the expected"),
    "l09-l2-no-half-consistent": ("numbers", True, "no Likely cause line (the no-1/2 cause is not given when the gradient is 2*lam*W too): only 'exactly twice' and '2 times the expected one: a missing or extra constant factor?'"),
    "l09-l2-grad-2lamW": ("named", True, "Likely cause: the gradient has a factor 2 too many: the 1/2 cancels the 2"),
    "l09-l2-grad-missing-lam": ("numbers", True, "only 'every entry is 10 times the expected one: a missing or extra constant factor?' (lam = 0.1); lambda not mentioned"),
    "l09-l2-mean-not-sum": ("named", True, "Likely cause: the penalty uses the mean of the squares; it is their sum"),
    "l09-l2-norm-not-squared": ("named", True, "Likely cause: the penalty uses the norm sqrt(sum(W**2)); it is the squared norm"),
    "l09-l2-loss-overwritten": ("numbers", True, "worked example (one W) passes; random multi-layer cases give only expected/got losses, no hint that only the last layer counted"),
    "l09-l2-skips-empty-layers": ("numbers", True, "'grads: expected a list of 2 entries, got a list of length 1' only; no word that {} layers need their own (empty) dict"),
    "l09-l2-keys-dW-db": ("named", True, "grads[0]: expected the keys ['W', 'b'], got ['dW', 'db']"),
    "l09-l2-only-W-keys": ("named", True, "Likely cause: the biases' gradients are left out; return zeros for them"),
    "l09-l2-assumes-W-b": ("numbers", True, "'On every case: raised KeyError: 'W' in l2_penalty' (2 of 5 random cases); the failing cases' shapes (the gamma/beta dict) are not shown"),
    "l09-l2-penalises-gamma": ("numbers", True, "loss and grads[k]['gamma'] expected 0 got 0.76 shown, no Likely cause saying gamma is not a weight"),
    "l09-l2-grads-are-params": ("misleading", True, "headline 'Likely cause: the weights were changed in place (W *= lam)' is wrong (no *=; the dicts are shared and W is reassigned); detail lines 'grads[0] is the dict params[0]' are right"),
    "l09-l2-inplace-scale-W": ("named", True, "Likely cause: the weights were changed in place (W *= lam); params[0]['W'] changed"),
    "l09-l2-shallow-copy-zero-b": ("misleading", True, "headline blames W *= lam; it is b that was zeroed in place through the shared arrays of dict(layer) (detail line says params[0]['b'])"),
    "l09-l2-list-copy-aliases-dicts": ("misleading", True, "headline blames W *= lam; the real cause (params.copy() shares the dicts) is only in the detail lines 'grads[0] is the dict params[0]'"),
    "l09-l2-loss-array": ("named", True, "loss: expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value)"),
    "l09-l2-negative-grad": ("named", True, "Likely cause: a sign error: the penalty's gradient is +lam * W"),
    "l09-l2-square-of-sum": ("numbers", True, "loss expected 0.2625, got 0.1125, nothing else"),
    "l09-l2-get-W-default": ("named", True, "grads[0]: expected keys ['W', 'b'], got ['W']; grads[1]: expected [], got ['W']"),
    "l09-l2-mean-over-layers": ("numbers", True, "worked example passes; random cases 'exactly half the expected value' / other ratios, no cause"),
    "l09-l2-divide-by-m": ("numbers", True, "'exactly half' and '0.5 times the expected one: a missing or extra constant factor?'; the exercise's 'no 1/m' is not recalled"),
    "l09-l2-empty-dict-reused": ("named", True, "grads[1] is the dict params[1] that was passed in, not a new dict: build a new one"),
    "l09-l2-reduce-no-initial": ("passed", False, "no visible or hidden case has params without any 'W', so the TypeError of reduce() on an empty list is never reached"),
    "l09-drop-no-scaling": ("named", True, "Likely cause: the kept entries are not scaled: inverted dropout divides them by 1 - p_drop"),
    "l09-drop-backward-unscaled": ("named", True, "Likely cause: the forward pass divides by 1 - p_drop but the backward pass does not"),
    "l09-drop-scale-by-p": ("named", True, "Likely cause: the kept entries were divided by p_drop"),
    "l09-drop-mask-swapped": ("named", True, "Likely cause: your forward keeps other entries than the reference: draw exactly as keep = rng.random(x.shape) >= p_drop (does not say 'keep/drop swapped', but shows the expression to compare with)"),
    "l09-drop-multiply-1-minus-p": ("named", True, "Likely cause: the kept entries were multiplied by 1 - p_drop; inverted dropout divides by it"),
    "l09-drop-precedence": ("misleading", True, "Likely cause blames the mask ('your forward keeps other entries than the reference: draw exactly as ...'); the mask is right, out = x*keep/1 - p subtracts p (out: 5 of 5 differ, dx right)"),
    "l09-drop-redraw-in-backward": ("named", True, "Likely cause: backward draws a new mask from the rng kept in the cache: put the mask itself in the cache (plus a generic 'second backward gave other gradients ... probs -= Y' line)"),
    "l09-drop-global-mask": ("named", True, "Likely cause: backward does not use the cache it is given: it reads what the latest forward left ... in a global variable"),
    "l09-drop-function-attribute-mask": ("named", True, "same message as the global: backward reads what the latest forward left somewhere else"),
    "l09-drop-mask-from-out": ("named", True, "Likely cause: the mask was read back from the output (out != 0), which is wrong where x itself is 0"),
    "l09-drop-np-random": ("named", True, "Likely cause: draw the random numbers from the rng argument, not from np.random"),
    "l09-drop-binomial": ("named", True, "Likely cause: the mask was drawn with rng.binomial: a fine mask, but not the one the tests compare with"),
    "l09-drop-inplace-x": ("named", True, "Likely cause: x was changed in place (x *= ...)"),
    "l09-drop-inplace-out-alias": ("named", True, "Likely cause: x was changed in place; compute out as a new array"),
    "l09-drop-inplace-dout": ("named", True, "the argument dout was changed in place (no Likely cause line, but the detail names it)"),
    "l09-drop-two-draws": ("numbers", True, "only 'dx: 1 of 5 entries differ ... expected 0, got 1.67'; out is right, nothing says the cached mask is not the one used for out"),
    "l09-drop-backward-no-mask": ("named", True, "Likely cause: the backward pass ignores the mask"),
    "l09-drop-backward-returns-dx-only": ("named", True, "raised TypeError: backward must return a pair (dx, grads), with grads {} ..."),
    "l09-drop-empirical-scale": ("numbers", True, "worked examples pass (3 of 5 kept = 0.6 = 1 - p by chance); random cases show 'every entry is 0.7672 times the expected one: a missing or extra constant factor?' with a different factor per case, and a NumPy 0/0 warning"),
    "l09-drop-cache-mask-only-global-p": ("numbers", True, "harness: 'raised NameError: name 'p_drop' is not defined in dropout_backward'; in a real kernel the lesson's global p_drop = 0.4 exists and the message is only 'dx ... 1.667 times the expected one' on the p = 0 case"),
    "l09-drop-p0-shortcut-alias": ("passed", False, "p = 0 returns x itself as out (aliased) and skips the draw; neither the aliasing of out to x nor the untouched generator is checked"),
    "l09-drop-rescale-only-kept-grad-swapped": ("numbers", True, "only 'dx: 5 of 5 entries differ ... expected 1.67, got 0'; no hint that the dropped mask was used"),
    "l09-drop-backward-scales-cache-in-place": ("misleading", True, "headline 'Likely cause: backward draws a new mask from the rng kept in the cache' is wrong (no rng in the cache; mask /= 1 - p changes the cached mask); the detail line 'backward changes its cache in place (e.g. probs -= Y)' is the real cause"),
    "l09-drop-mask-from-ratio": ("named", True, "Likely cause: dx = dout * out / x recovers the scaled mask from the output, which fails (0 / 0) where x is 0"),
}

for _e in WRONG:
    _v, _h, _n = _BEFORE[_e["id"]]
    _e["before"] = {"visible": _v, "hidden_catches": _h, "note": _n}

# The catalogue ids that name each entry's bug (measure.py: "named" when its own test offers one of them)
_NAMES = {
    "l09-l2-penalises-bias": ["l09.biases-penalised-too-only"],
    "l09-l2-no-half-in-loss": ["l09.1-2-missing-penalty"],
    "l09-l2-no-half-consistent": ["l09.penalty-without-half"],
    "l09-l2-grad-2lamW": ["l09.gradient-factor-2-too"],
    "l09-l2-grad-missing-lam": ["l09.gradient-without-lam"],
    "l09-l2-mean-not-sum": ["l09.penalty-uses-mean-squares"],
    "l09-l2-norm-not-squared": ["l09.penalty-uses-norm-sqrt"],
    "l09-l2-loss-overwritten": ["l09.penalty-of-last-layer-only"],
    "l09-l2-skips-empty-layers": ["l09.grads-skip-empty-layers"],
    "l09-l2-keys-dW-db": ["l09.grads-keys-with-d"],
    "l09-l2-only-W-keys": ["l09.biases-gradients-left-out"],
    "l09-l2-assumes-W-b": ["l09.grads-keys-w-and-b"],
    "l09-l2-penalises-gamma": ["l09.gamma-penalised"],
    "l09-l2-grads-are-params": ["l09.l2-in-place"],
    "l09-l2-inplace-scale-W": ["l09.l2-in-place"],
    "l09-l2-shallow-copy-zero-b": ["l09.l2-in-place"],
    "l09-l2-list-copy-aliases-dicts": ["l09.l2-in-place"],
    "l09-l2-loss-array": ["l09.penalty-an-array"],
    "l09-l2-negative-grad": ["l09.sign-error-penalty-s"],
    "l09-l2-square-of-sum": ["l09.penalty-square-of-sum"],
    "l09-l2-get-W-default": ["l09.grads-get-w"],
    "l09-l2-mean-over-layers": ["l09.penalty-averaged-over-layers"],
    "l09-l2-divide-by-m": ["l09.penalty-over-rows"],
    "l09-l2-empty-dict-reused": ["l09.grads-reuse-empty-dicts"],
    "l09-l2-reduce-no-initial": ["l09.penalty-of-no-weights"],
    "l09-drop-no-scaling": ["l09.kept-entries-scaled-inverted"],
    "l09-drop-backward-unscaled": ["l09.forward-pass-divides-1"],
    "l09-drop-scale-by-p": ["l09.kept-entries-divided-p"],
    "l09-drop-mask-swapped": ["l09.keep-drop-swapped"],
    "l09-drop-multiply-1-minus-p": ["l09.kept-entries-multiplied-1"],
    "l09-drop-precedence": ["l09.precedence-p-drop"],
    "l09-drop-redraw-in-backward": ["l09.backward-draws-new-mask"],
    "l09-drop-global-mask": ["course.backward-not-from-cache"],
    "l09-drop-function-attribute-mask": ["course.backward-not-from-cache"],
    "l09-drop-mask-from-out": ["l09.mask-read-back-output"],
    "l09-drop-np-random": ["course.draws-elsewhere"],
    "l09-drop-binomial": ["l09.mask-drawn-rng-random"],
    "l09-drop-inplace-x": ["l09.x-changed-place-x"],
    "l09-drop-inplace-out-alias": ["l09.x-changed-place-x"],
    "l09-drop-inplace-dout": ["l09.dout-changed-in-place"],
    "l09-drop-two-draws": ["l09.mask-drawn-twice"],
    "l09-drop-backward-no-mask": ["l09.backward-pass-ignores-mask"],
    "l09-drop-backward-returns-dx-only": ["l09.backward-returns-dx-only"],
    "l09-drop-empirical-scale": ["l09.scaled-by-fraction-kept"],
    "l09-drop-cache-mask-only-global-p": ["l09.p-drop-from-the-notebook"],
    "l09-drop-p0-shortcut-alias": ["l09.p-drop-0-returns-x"],
    "l09-drop-rescale-only-kept-grad-swapped": ["l09.backward-dropped-mask"],
    "l09-drop-backward-scales-cache-in-place": ["l09.mask-scaled-in-cache"],
    "l09-drop-mask-from-ratio": ["l09.dx-dout-out-x"],
}

for _e in WRONG:
    _e["names"] = _NAMES.get(_e["id"], [])
