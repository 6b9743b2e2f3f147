"""Lesson 08 (deep networks): wrong answers a student would write, and right ones written unusually.

Written from the student notebook alone (lessons/08_deep_networks), before looking at the course's
own catalogue of mistakes. "before" records what the feedback said about each one.
"""

LESSON = "08_deep_networks"

_HEAD = ('def clip_by_global_norm(grads, max_norm):\n'
         '    """(clipped_grads, norm) for a list of gradient dicts; grads itself is left unchanged."""\n')


def _clip(body):
    return _HEAD + body


# ---------------------------------------------------------------------------------------------
# Exercise 1: clip_by_global_norm
# ---------------------------------------------------------------------------------------------
_CL = []

_CL.append({
    "id": "l08-clip-per-array",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-per-array"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: each gradient array was clipped by its own norm ... Or: each entry was clipped to [-max_norm, max_norm] (np.clip) (a hedge: the worked example cannot tell them apart)."},
    "bug": "clips every array by its own norm (each array scaled to at most max_norm) instead of one global factor; "
           "returns the global norm",
    "cells": {"clip_by_global_norm": _clip('''    total = 0.0
    for d in grads:
        for g in d.values():
            total += np.sum(g ** 2)
    norm = float(np.sqrt(total))
    clipped = []
    for d in grads:
        new = {}
        for k, g in d.items():
            n = np.linalg.norm(g)
            new[k] = g * (max_norm / n) if n > max_norm else g.copy()
        clipped.append(new)
    return clipped, norm
''')}})

_CL.append({
    "id": "l08-clip-per-layer",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-per-layer"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: each layer was clipped by its own norm; the global norm is one number over all the layers."},
    "bug": "clips every layer (dict) by the norm of its own arrays instead of the global norm",
    "cells": {"clip_by_global_norm": _clip('''    total = sum(np.sum(g ** 2) for d in grads for g in d.values())
    norm = float(np.sqrt(total))
    clipped = []
    for d in grads:
        layer_norm = np.sqrt(sum(np.sum(g ** 2) for g in d.values()))
        scale = max_norm / layer_norm if layer_norm > max_norm else 1.0
        clipped.append({k: g * scale for k, g in d.items()})
    return clipped, norm
''')}})

_CL.append({
    "id": "l08-clip-no-sqrt",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-no-sqrt"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the norm is missing its square root; 'norm: expected 13, got 169'."},
    "bug": "the 'norm' is the sum of squares, no square root (169 instead of 13)",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(sum(np.sum(g ** 2) for d in grads for g in d.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-returns-own-list",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-returns-its-argument"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'clipped_grads is the list grads that was passed in, not a new list: build a new one'."},
    "bug": "below the cap returns the caller's own list (same list, same dicts, same arrays) instead of a new one",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm <= max_norm:
        return grads, norm
    scale = max_norm / norm
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-list-copy-shares-dicts",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-in-place"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: scaled inside the caller's dicts (... layer[k] = layer[k] * scale); 'clipped_grads[0] is the dict grads[0] that was passed in'."},
    "bug": "clipped = list(grads) then d[k] = d[k] * scale: a new list, but the same dicts, so the caller's "
           "dicts now hold the scaled arrays",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    clipped = list(grads)
    if norm > max_norm:
        scale = max_norm / norm
        for d in clipped:
            for k in d:
                d[k] = d[k] * scale
    return clipped, norm
''')}})

_CL.append({
    "id": "l08-clip-dict-copy-inplace-arrays",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-in-place"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: scaled inside the caller's dicts (g *= scale ...); 'the argument grads was changed in place (grads[0]['W'])'."},
    "bug": "new list of new dicts (d.copy()) but the arrays are scaled with *=, which changes the caller's arrays",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    clipped = [d.copy() for d in grads]
    if norm > max_norm:
        scale = max_norm / norm
        for d in clipped:
            for k in d:
                d[k] *= scale
    return clipped, norm
''')}})

_CL.append({
    "id": "l08-clip-inplace-return-grads",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-in-place"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: scaled inside the caller's dicts; plus 'clipped_grads is the list grads that was passed in'."},
    "bug": "scales the caller's arrays in place (g *= scale) and returns grads itself",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm > max_norm:
        for d in grads:
            for g in d.values():
                g *= max_norm / norm
    return grads, norm
''')}})

_CL.append({
    "id": "l08-clip-copy-copy-shallow",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-in-place"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Same as list(grads): the caller's dicts are reused and changed."},
    "bug": "copy.copy(grads) (a shallow copy: same dicts) then d[k] = d[k] * scale: the caller's dicts change",
    "cells": {"clip_by_global_norm": _clip('''    import copy
    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    clipped = copy.copy(grads)
    if norm > max_norm:
        for d in clipped:
            for k, g in d.items():
                d[k] = g * (max_norm / norm)
    return clipped, norm
''')}})

_CL.append({
    "id": "l08-clip-below-cap-list-of-same-dicts",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-returns-its-argument"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'clipped_grads[0] is the dict grads[0] that was passed in, not a new dict'."},
    "bug": "below the cap returns list(grads): a new list, but the very same dicts (the caller's) inside it",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm > max_norm:
        scale = max_norm / norm
        return [{k: v * scale for k, v in d.items()} for d in grads], norm
    return list(grads), norm
''')}})

_CL.append({
    "id": "l08-clip-zero-division",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-divides-first"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: max_norm / norm is computed before the norm is compared with max_norm (for example min(1.0, max_norm / norm)) ..."},
    "bug": "scale = min(1.0, max_norm / norm) computed before any test: with every gradient 0 the Python float "
           "division raises ZeroDivisionError",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    scale = min(1.0, max_norm / norm)
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-zero-nan",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-divides-first"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the gradients were rescaled even though their norm was already below max_norm; NaN entries listed."},
    "bug": "numpy norm (np.float64), scale = max_norm / norm before the test, and the scale applied whenever "
           "it is < 1 or not: with every gradient 0, 1/0 = inf and 0 * inf = nan",
    "cells": {"clip_by_global_norm": _clip('''    norm = np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values()))
    scale = max_norm / norm
    if norm > max_norm or norm == 0:
        return [{k: g * scale for k, g in d.items()} for d in grads], float(norm)
    return [{k: g.copy() for k, g in d.items()} for d in grads], float(norm)
''')}})

_CL.append({
    "id": "l08-clip-eps-large",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-plus-eps"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'expected 0.230769, got 0.230592' only; the 1e-6 variant is named, a 1e-2 eps is not."},
    "bug": "scales by max_norm / (norm + 1e-2) 'to avoid dividing by zero': clipped norm visibly below the cap",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    scale = max_norm / (norm + 1e-2)
    if scale < 1:
        return [{k: g * scale for k, g in d.items()} for d in grads], norm
    return [{k: g.copy() for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-returns-norm-after",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-norm-after"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the norm returned is the one after clipping."},
    "bug": "returns the norm after clipping (max_norm when clipped) instead of the norm before",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm > max_norm:
        grads = [{k: g * (max_norm / norm) for k, g in d.items()} for d in grads]
        norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    else:
        grads = [{k: g.copy() for k, g in d.items()} for d in grads]
    return grads, norm
''')}})

_CL.append({
    "id": "l08-clip-norm-shape-1",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-norm-array"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'norm: expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value)'."},
    "bug": "accumulates the sum of squares in total = np.zeros(1): the norm returned is an array of shape (1,), not a float",
    "cells": {"clip_by_global_norm": _clip('''    total = np.zeros(1)
    for d in grads:
        for g in d.values():
            total += np.sum(g ** 2)
    norm = np.sqrt(total)
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-clamp-entries",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-entries"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause offers two: 'each gradient array was clipped by its own norm ... Or: each entry was clipped ... (np.clip)'; the second is the bug, the first is an irrelevant hedge."},
    "bug": "clamps every entry with np.clip(g, -max_norm, max_norm) (what the lesson says not to do)",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    return [{k: np.clip(g, -max_norm, max_norm) for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-condition-reversed",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-condition-reversed"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Numbers on both cases (3 kept at 3 above the cap, 12 -> 18.46 below it); no 'condition reversed' cause."},
    "bug": "condition reversed: scales when norm < max_norm (inflating small gradients), leaves large ones alone",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm < max_norm and norm > 0:
        scale = max_norm / norm
    else:
        scale = 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-hardcoded-W-b",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-keys-w-and-b"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'On every case: raised KeyError: 'W''; the collapsed report never shows that the failing dicts hold gamma/beta."},
    "bug": "builds every new dict with the keys 'W' and 'b' only: a KeyError for gamma/beta (batch normalisation)",
    "cells": {"clip_by_global_norm": _clip('''    norm = 0.0
    for d in grads:
        if d:
            norm += np.sum(d["W"] ** 2) + np.sum(d["b"] ** 2)
    norm = float(np.sqrt(norm))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{"W": d["W"] * scale, "b": d["b"] * scale} if d else {} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-drops-empty-dicts",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-drops-empty-dicts"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'clipped_grads: expected a list of 3 entries, got a list of length 2' only."},
    "bug": "list comprehension with 'if d': the empty dicts of parameter-free layers are dropped, the list is shorter",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads if d], norm
''')}})

_CL.append({
    "id": "l08-clip-sum-of-norms",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-sum-of-norms"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'norm: expected 13, got 19' only; no 'sum of norms instead of root of sum of squares' cause."},
    "bug": "global norm taken as the sum of the arrays' norms (3 + 4 + 12 style) instead of the root of the sum of squares",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(sum(np.linalg.norm(g) for d in grads for g in d.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-inverted-scale",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-inverted"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the scale is upside down: multiply by max_norm / norm."},
    "bug": "scale = norm / max_norm (inverted): above the cap the gradients are made longer",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    scale = norm / max_norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

_CL.append({
    "id": "l08-clip-norm-of-norms-per-key",
    "exercise": "clip_by_global_norm",
    "names": ["l08.clip-weights-only-norm"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: only the weights W were counted in the norm."},
    "bug": "global norm over the 'W' arrays only (biases left out of the norm, though scaled)",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(d["W"] ** 2) for d in grads if "W" in d)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}})

# ---------------------------------------------------------------------------------------------
# Exercise 2: xavier_init and he_init
# ---------------------------------------------------------------------------------------------
_XA = []


def _xavier(body):
    return ('def xavier_init(n_in, n_out, rng):\n'
            '    """Weights (n_in, n_out) with standard deviation sqrt(2 / (n_in + n_out)), drawn from rng."""\n' + body)


def _he(body):
    return ('def he_init(n_in, n_out, rng):\n'
            '    """Weights (n_in, n_out) with standard deviation sqrt(2 / n_in), drawn from rng."""\n' + body)


_XA.append({
    "id": "l08-xavier-precedence",
    "exercise": "xavier_init",
    "names": ["l08.xavier-precedence"],
    "before": {"visible": "misleading", "hidden_catches": True,
               "note": "'standard deviation 9.958 ... (yours is 157 times that)' AND 'the weights have mean 0.003562; they should be centred on 0': an irrelevant extra cause (the mean is 0.0004 std, well centred); no precedence cause."},
    "bug": "np.sqrt(2 / n_in + n_out): precedence, 2/n_in + n_out instead of 2/(n_in + n_out)",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in + n_out)
''')}})

_XA.append({
    "id": "l08-xavier-sqrt-only-denominator",
    "exercise": "xavier_init",
    "names": ["l08.xavier-root-of-denominator"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'yours is 1.41 times that' only; no cause."},
    "bug": "2 / (n_in + n_out) ** 0.5: the square root taken of the denominator only (2/sqrt(n) instead of sqrt(2/n))",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_in, n_out)) * 2 / (n_in + n_out) ** 0.5
''')}})

_XA.append({
    "id": "l08-xavier-variance",
    "exercise": "xavier_init",
    "names": ["l08.square-root-missing-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the square root is missing: 2 / (n_in + n_out) is the variance."},
    "bug": "multiplies by the variance 2/(n_in + n_out) instead of its square root",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_in, n_out)) * (2 / (n_in + n_out))
''')}})

_XA.append({
    "id": "l08-xavier-normal-scale-variance",
    "exercise": "xavier_init",
    "names": ["l08.square-root-missing-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Same square-root-missing cause; fits rng.normal(0, var) (scale is a std)."},
    "bug": "rng.normal(0, var, size): passes the variance as numpy's scale, which is the standard deviation",
    "cells": {"xavier_init": _xavier('''    var = 2.0 / (n_in + n_out)
    return rng.normal(0.0, var, size=(n_in, n_out))
''')}})

_XA.append({
    "id": "l08-xavier-uniform",
    "exercise": "xavier_init",
    "names": ["l08.xavier-uniform", "l08.he-uniform"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'57.4% of the weights lie within one standard deviation ... (uniform draws give 57.7%): use rng.standard_normal'."},
    "bug": "Glorot uniform, rng.uniform(-sqrt(6/(n_in+n_out)), +...): the right standard deviation, but other numbers "
           "than the normal draw asked for",
    "cells": {"xavier_init": _xavier('''    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))
''')}})

_XA.append({
    "id": "l08-xavier-transposed-draw",
    "exercise": "xavier_init",
    "names": ["l08.drawn-transposed", "l08.drawn-transposed-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the numbers were drawn with shape (n_out, n_in) and transposed."},
    "bug": "draws (n_out, n_in) and transposes (the PyTorch weight layout): right shape and scale, other numbers",
    "cells": {"xavier_init": _xavier('''    std = np.sqrt(2.0 / (n_in + n_out))
    return (rng.standard_normal((n_out, n_in)) * std).T
''')}})

_XA.append({
    "id": "l08-xavier-np-random",
    "exercise": "xavier_init",
    "names": ["l08.xavier-not-from-rng", "l08.he-not-from-rng"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'two generators in the same state gave different weights: draw the numbers from the rng argument ... not from np.random'."},
    "bug": "np.random.randn(n_in, n_out): the global generator instead of the rng argument",
    "cells": {"xavier_init": _xavier('''    return np.random.randn(n_in, n_out) * np.sqrt(2.0 / (n_in + n_out))
''')}})

_XA.append({
    "id": "l08-xavier-float32",
    "exercise": "xavier_init",
    "names": ["l08.xavier-float32", "l08.he-float32"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'dtype float32, expected float64'."},
    "bug": "casts the weights to float32 ('networks are trained in float32')",
    "cells": {"xavier_init": _xavier('''    W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))
    return W.astype(np.float32)
''')}})

_XA.append({
    "id": "l08-xavier-lecun",
    "exercise": "xavier_init",
    "names": ["l08.standard-deviation-sqrt-1"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the standard deviation is sqrt(1 / n_in), the other common form of Xavier."},
    "bug": "uses sqrt(1 / n_in), which some texts call Xavier (the lesson says this course uses sqrt(2/(n_in+n_out)))",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / n_in)
''')}})

_XA.append({
    "id": "l08-xavier-own-generator",
    "exercise": "xavier_init",
    "names": ["l08.xavier-own-generator", "l08.he-own-generator"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'two different generators gave the same weights: draw the numbers from the rng argument, not from a generator of your own'."},
    "bug": "makes its own generator, np.random.default_rng(0), ignoring the rng argument",
    "cells": {"xavier_init": _xavier('''    gen = np.random.default_rng(0)
    return gen.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))
''')}})

_XA.append({
    "id": "l08-xavier-standardised-draw",
    "exercise": "xavier_init",
    "names": ["l08.xavier-standardised", "l08.he-standardised"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Statistics pass; the 3 -> 2 case shows numbers only ('expected -0.338787, got -1.0782')."},
    "bug": "rescales the draw to exactly mean 0 and std 1 before scaling ('so the statistics are exact'): "
           "other numbers than the plain draw",
    "cells": {"xavier_init": _xavier('''    W = rng.standard_normal((n_in, n_out))
    W = (W - W.mean()) / W.std()
    return W * np.sqrt(2.0 / (n_in + n_out))
''')}})

_XA.append({
    "id": "l08-xavier-shape-swapped",
    "exercise": "xavier_init",
    "names": ["l08.shape-n-out-n", "l08.shape-n-out-n-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'expected (400, 100), got (100, 400) ... (the transpose: W has one row per input)'."},
    "bug": "returns shape (n_out, n_in) (draws in the PyTorch layout and forgets to transpose)",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))
''')}})

_XA.append({
    "id": "l08-xavier-two-draws",
    "exercise": "xavier_init",
    "names": ["l08.drawn-twice", "l08.drawn-twice-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the weights come from a second draw from rng ... Draw exactly once."},
    "bug": "draws twice (a first draw to 'warm up'/inspect, e.g. printing the spread, then the real one): "
           "the generator has moved on, other numbers",
    "cells": {"xavier_init": _xavier('''    std = np.sqrt(2.0 / (n_in + n_out))
    sample = rng.standard_normal((n_in, n_out))
    assert abs(sample.std() - 1) < 1.0
    return rng.standard_normal((n_in, n_out)) * std
''')}})

_HE = []

_HE.append({
    "id": "l08-he-n-out",
    "exercise": "he_init",
    "names": ["l08.n-out-used-where"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: n_out was used where n_in belongs."},
    "bug": "sqrt(2 / n_out) instead of sqrt(2 / n_in)",
    "cells": {"he_init": _he('''    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_out)
''')}})

_HE.append({
    "id": "l08-he-lecun",
    "exercise": "he_init",
    "names": ["l08.factor-2-missing-he"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the factor 2 is missing."},
    "bug": "sqrt(1 / n_in) (forgets He's factor 2)",
    "cells": {"he_init": _he('''    return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / n_in)
''')}})

_HE.append({
    "id": "l08-he-variance",
    "exercise": "he_init",
    "names": ["l08.square-root-missing-2-2"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the square root is missing: 2 / n_in is the variance."},
    "bug": "multiplies by the variance 2 / n_in instead of its square root",
    "cells": {"he_init": _he('''    return rng.standard_normal((n_in, n_out)) * 2 / n_in
''')}})

_HE.append({
    "id": "l08-he-precedence",
    "exercise": "he_init",
    "names": ["l08.he-precedence"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'yours is 1.42 times that' only; no cause for 2 / n_in ** 0.5."},
    "bug": "2 / n_in ** 0.5: precedence, 2/sqrt(n_in) instead of sqrt(2/n_in)",
    "cells": {"he_init": _he('''    return rng.standard_normal((n_in, n_out)) * (2 / n_in ** 0.5)
''')}})

_HE.append({
    "id": "l08-he-uniform",
    "exercise": "he_init",
    "names": ["l08.he-uniform", "l08.xavier-uniform"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'... uniform draws give 57.7%: use rng.standard_normal'."},
    "bug": "He uniform, rng.uniform(-sqrt(6/n_in), sqrt(6/n_in)): right std, other numbers than the normal draw",
    "cells": {"he_init": _he('''    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, size=(n_in, n_out))
''')}})

_HE.append({
    "id": "l08-he-fresh-default-rng",
    "exercise": "he_init",
    "names": ["l08.he-not-from-rng", "l08.xavier-not-from-rng"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'two generators in the same state gave different weights: draw from the rng argument'."},
    "bug": "np.random.default_rng() with no seed inside the function: ignores the rng argument, differs every call",
    "cells": {"he_init": _he('''    rng_local = np.random.default_rng()
    return rng_local.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
''')}})

_HE.append({
    "id": "l08-he-float32",
    "exercise": "he_init",
    "names": ["l08.he-float32", "l08.xavier-float32"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "'dtype float32, expected float64'."},
    "bug": "draws in float32 (rng.standard_normal(..., dtype=np.float32)): other numbers, and float32",
    "cells": {"he_init": _he('''    return rng.standard_normal((n_in, n_out), dtype=np.float32) * np.float32(np.sqrt(2.0 / n_in))
''')}})

_HE.append({
    "id": "l08-he-xavier-times-sqrt2",
    "exercise": "he_init",
    "names": ["l08.he-xavier-times-root-2"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "'yours is 1.27 times that' only."},
    "bug": "He taken as Xavier times sqrt(2): std sqrt(4/(n_in + n_out)) instead of sqrt(2/n_in)",
    "cells": {"he_init": _he('''    return xavier_init(n_in, n_out, rng) * np.sqrt(2.0)
''')}})

_HE.append({
    "id": "l08-he-via-xavier-square",
    "exercise": "he_init",
    "names": ["l08.he-through-square-xavier"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only the shape: 'expected (400, 100), got (400, 400)'; the wrong scale (sqrt(1/n_in)) is not reached."},
    "bug": "he_init(n_in, n_out) = xavier_init(n_in, n_in): sqrt(2/(2 n_in)) = sqrt(1/n_in), and the shape is (n_in, n_in)",
    "cells": {"he_init": _he('''    return xavier_init(n_in, n_in, rng)
''')}})

_HE.append({
    "id": "l08-he-rng-random",
    "exercise": "he_init",
    "names": ["l08.rng-random-draws-uniformly-2", "l08.rng-random-draws-uniformly"],
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: rng.random draws uniformly from [0, 1), all positive; draw with rng.standard_normal."},
    "bug": "rng.random((n_in, n_out)) (uniform on [0, 1), mean 0.5) instead of rng.standard_normal: wrong distribution, "
           "nonzero mean",
    "cells": {"he_init": _he('''    return rng.random((n_in, n_out)) * np.sqrt(2.0 / n_in)
''')}})

_HE.append({
    "id": "l08-he-xavier-n-out-zero",
    "exercise": "he_init",
    "names": ["l08.he-through-xavier-n-out-0"],
    "before": {"visible": "numbers", "hidden_catches": True,
               "note": "Only the shape: 'got an array of shape (400, 0)'."},
    "bug": "he_init = xavier_init(n_in, 0, rng) ('sqrt(2/(n_in + 0)) is He'): n_out also sets the shape, "
           "so the result is an empty (n_in, 0) matrix",
    "cells": {"he_init": _he('''    return xavier_init(n_in, 0, rng)
''')}})

# Cascade: xavier_init is wrong, and he_init (right by itself) is written through xavier_init
_HE.append({
    "id": "l08-cascade-he-through-wrong-xavier",
    "exercise": "xavier_init",
    "names": ["l08.factor-2-missing-standard"],
    "before": {"visible": "misleading", "hidden_catches": True,
               "note": "test_xavier_init: right ('the factor 2 is missing'); test_he_init: 'Likely cause: the factor 2 is missing: He's standard deviation is sqrt(2 / n_in)' blames he_init, whose own formula is right: the bug is in xavier_init, which it calls."},
    "bug": "xavier_init uses sqrt(1/(n_in + n_out)) (forgets the 2); he_init is written (rightly, given a right "
           "xavier_init) as xavier_init(n_in, n_out, rng) * sqrt((n_in + n_out) / n_in), so it inherits the bug",
    "cells": {"xavier_init": _xavier('''    return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / (n_in + n_out))
'''),
              "he_init": _he('''    return xavier_init(n_in, n_out, rng) * np.sqrt((n_in + n_out) / n_in)
''')}})

_HE.append({
    "id": "l08-cascade-xavier-np-random-he-through",
    "exercise": "xavier_init",
    "names": ["l08.xavier-not-from-rng", "l08.he-not-from-rng"],
    "before": {"visible": "misleading", "hidden_catches": True,
               "note": "Both tests say 'draw from the rng argument, not from np.random'; the he_init message blames he_init, which has no np.random (mild: the xavier message next to it leads to the fix)."},
    "bug": "xavier_init draws from np.random.randn (not rng); he_init rescales xavier_init's draw, so it "
           "inherits the wrong generator",
    "cells": {"xavier_init": _xavier('''    return np.random.randn(n_in, n_out) * np.sqrt(2.0 / (n_in + n_out))
'''),
              "he_init": _he('''    return xavier_init(n_in, n_out, rng) * np.sqrt((n_in + n_out) / n_in)
''')}})

WRONG = _CL + _XA + _HE

RIGHT = [
    {"id": "l08-right-clip-pytorch",
     "exercise": "clip_by_global_norm",
     "before": {"passes_visible": False, "passes_hidden": False,
                "note": "Fails visible and hidden (4 of 8 random cases): 'Likely cause: the scale is max_norm / (norm + 1e-6), as PyTorch writes it ...; the 1e-6 makes the clipped gradients slightly too small' (differences ~1e-7). Named clearly, but a right-in-practice answer loses the points."},
     "bug": "(right?) the PyTorch way: coef = max_norm / (norm + 1e-6), scale by min(coef, 1); "
            "differs from the spec by a factor 1/(1 + 1e-6/norm) above the cap",
     "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(float(np.sum(g * g)) for d in grads for g in d.values())))
    coef = min(max_norm / (norm + 1e-6), 1.0)
    return [{k: g * coef for k, g in d.items()} for d in grads], norm
''')}},
{
    "id": "l08-clip-eps-denominator",
    "exercise": "clip_by_global_norm",
    "before": {"visible": "named", "hidden_catches": True,
               "note": "Likely cause: the scale is max_norm / (norm + 1e-6), as PyTorch writes it ..."},
    "bug": "(right, by decision) scales by max_norm / (norm + 1e-6) when above the cap, as PyTorch does: the "
           "clipped norm is below max_norm by less than 1e-6, within the tolerance the exercise states (moved from "
           "WRONG when the tolerance was decided, with l08-right-clip-pytorch)",
    "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(g ** 2) for d in grads for g in d.values())))
    if norm > max_norm:
        scale = max_norm / (norm + 1e-6)
    else:
        scale = 1.0
    return [{k: g * scale for k, g in d.items()} for d in grads], norm
''')}},
    {"id": "l08-right-clip-concatenate",
     "exercise": "clip_by_global_norm",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) global norm as np.linalg.norm of all arrays raveled and concatenated; loops building new dicts",
     "cells": {"clip_by_global_norm": _clip('''    flat = [g.ravel() for d in grads for g in d.values()]
    norm = float(np.linalg.norm(np.concatenate(flat))) if flat else 0.0
    out = []
    for d in grads:
        new = {}
        for k in d:
            new[k] = d[k] * (max_norm / norm) if norm > max_norm else np.array(d[k], copy=True)
        out.append(new)
    return out, norm
''')}},
    {"id": "l08-right-clip-deepcopy",
     "exercise": "clip_by_global_norm",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) copy.deepcopy(grads) and then in-place *= on the copies' arrays",
     "cells": {"clip_by_global_norm": _clip('''    import copy
    out = copy.deepcopy(grads)
    sq = 0.0
    for d in out:
        for g in d.values():
            sq += float(np.vdot(g, g))
    norm = sq ** 0.5
    if norm > max_norm:
        for d in out:
            for g in d.values():
                g *= max_norm / norm
    return out, norm
''')}},
    {"id": "l08-right-clip-shared-arrays-below-cap",
     "exercise": "clip_by_global_norm",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes: new dicts holding the caller's (unchanged) arrays are accepted."},
     "bug": "(right?) below the cap returns new dicts {**d} holding the caller's arrays (not copied, but never changed)",
     "cells": {"clip_by_global_norm": _clip('''    norm = float(np.sqrt(sum(np.sum(np.square(g)) for d in grads for g in d.values())))
    if norm > max_norm:
        return [{k: v * (max_norm / norm) for k, v in d.items()} for d in grads], norm
    return [{**d} for d in grads], norm
''')}},
    {"id": "l08-right-xavier-normal",
     "exercise": "xavier_init",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) rng.normal(loc=0, scale=std, size=(n_in, n_out)), std via math.sqrt",
     "cells": {"xavier_init": _xavier('''    import math
    std = math.sqrt(2.0 / (n_in + n_out))
    return rng.normal(loc=0.0, scale=std, size=(n_in, n_out))
''')}},
    {"id": "l08-right-xavier-reshape-flat-draw",
     "exercise": "xavier_init",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) draws n_in * n_out numbers flat and reshapes to (n_in, n_out): the same numbers in the same order",
     "cells": {"xavier_init": _xavier('''    flat = rng.standard_normal(n_in * n_out)
    return flat.reshape(n_in, n_out) * (2.0 / (n_in + n_out)) ** 0.5
''')}},
    {"id": "l08-right-he-through-xavier",
     "exercise": "he_init",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) he_init written through xavier_init: the same single draw rescaled, "
            "xavier_init(n_in, n_out, rng) * sqrt((n_in + n_out) / n_in)",
     "cells": {"he_init": _he('''    return xavier_init(n_in, n_out, rng) * np.sqrt((n_in + n_out) / n_in)
''')}},
    {"id": "l08-right-he-default-rng-passthrough",
     "exercise": "he_init",
     "before": {"passes_visible": True, "passes_hidden": True,
                "note": "Passes the visible and the hidden tests."},
     "bug": "(right) rng = np.random.default_rng(rng) (returns the same Generator when given one), "
            "std as (2 / n_in) ** 0.5",
     "cells": {"he_init": _he('''    rng = np.random.default_rng(rng)
    std = (2 / n_in) ** 0.5
    return std * rng.standard_normal(size=(n_in, n_out))
''')}},
]
