"""Wrong (and unusual right) student answers for lesson 02, written from the student notebook only."""

LESSON = "02_chain_rule"

# Correct halves, to pair with a wrong half in the same answer cell (a cell must define both functions)
SIG_FWD = '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    a = 1 / (1 + np.exp(-z))
    return a, a
'''
SIG_BWD = '''def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return da * a * (1 - a), {}
'''
TANH_FWD = '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    a = np.tanh(z)
    return a, a
'''
TANH_BWD = '''def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return da * (1 - a ** 2), {}
'''
RELU_FWD = '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = np.maximum(z, 0)
    return a, z
'''
RELU_BWD = '''def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return da * (z > 0), {}
'''

WRONG = [
    # ------------------------------------------------------------------ sigmoid_layer
    {"id": "l02-sig-back-ignores-da",
     "exercise": "sigmoid_layer",
     "bug": "backward returns the local derivative a(1 - a) alone, without multiplying by the arriving da",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: da is missing: the layer must pass on dL/dz = da * sigma'(z)'"},
     "names": ["l04.sigmoid-no-dout"],
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return a * (1 - a), {}
'''}},
    {"id": "l02-sig-back-z-as-a",
     "exercise": "sigmoid_layer",
     "bug": "caches z but writes the derivative as if the cache held a: dz = da * z * (1 - z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the input z was used in place of the output a: sigma'(z) = a * (1 - a), not z * (1 - z).'"},
     "names": ["l04.sigmoid-z-for-a"],
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    a = 1 / (1 + np.exp(-z))
    cache = z
    return a, cache


def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return da * a * (1 - a), {}
'''}},
    {"id": "l02-sig-back-sigmoid-of-a",
     "exercise": "sigmoid_layer",
     "bug": "caches a, then applies the sigmoid again in backward: sigmoid(a)(1 - sigmoid(a)) = sigma'(a), not sigma'(z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: sigma'(a) was used where sigma'(z) is meant'"},
     "names": ["l04.sigmoid-of-a"],
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    s = sigmoid(cache)
    return da * s * (1 - s), {}
'''}},
    {"id": "l02-sig-fwd-exp-ratio-overflow",
     "exercise": "sigmoid_layer",
     "bug": "forward written exp(z) / (1 + exp(z)): inf / inf = nan for z = 800",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sigmoid was written as exp(z) / (1 + exp(z)): for z above about 710 ... NaN'"},
     "names": ["l02.sigmoid-written-exp-z"],
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    e = np.exp(z)
    a = e / (1 + e)
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-back-exp-formula-overflow",
     "exercise": "sigmoid_layer",
     "bug": "backward recomputes sigma'(z) = exp(-z) / (1 + exp(-z))**2 from a cached z: inf / inf = nan at z = -800",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: sigma'(z) was computed from z as exp(-z) / (1 + exp(-z))**2 ... Use the output kept in the cache'"},
     "names": ["l02.sigma-z-computed-z"],
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    return 1 / (1 + np.exp(-z)), z


def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    z = cache
    e = np.exp(-z)
    return da * e / (1 + e) ** 2, {}
'''}},
    {"id": "l02-sig-back-inplace-da",
     "exercise": "sigmoid_layer",
     "bug": "in place: backward does da *= a * (1 - a) and returns da, changing the caller's da",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument da was changed in place; compute new arrays'"},
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    da *= a * (1 - a)
    return da, {}
'''}},
    {"id": "l02-sig-back-inplace-cache",
     "exercise": "sigmoid_layer",
     "bug": "aliasing: the cache is the very array a returned by forward, and backward does s = cache; s *= 1 - s, which overwrites the forward output (and a second backward gets a wrong cache)",
     "names": ["course.backward-changes-cache"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'a second backward on the same cache gave other gradients: backward changes its cache in place (e.g. probs -= Y)...'; cause right, but the example (probs -= Y) is from the softmax lesson, and it does not say the forward output a was overwritten too"},
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    s = cache
    s *= 1 - s          # now s holds a(1 - a)
    return da * s, {}
'''}},
    {"id": "l02-sig-fwd-inplace-z",
     "exercise": "sigmoid_layer",
     "bug": "in place: forward computes the sigmoid inside z's own memory (np.negative/np.exp/+= with out=z), changing the caller's z",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument z was changed in place; compute new arrays'"},
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1
    a = 1 / z
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-back-returns-dz-only",
     "exercise": "sigmoid_layer",
     "bug": "backward returns dz alone instead of the pair (dz, {})",
     "names": ["l02.sigmoid-backward-returns-dx-only"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'sigmoid_backward must return a pair (dz, grads), with grads {} ... but returned an array'"},
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    dz = da * a * (1 - a)
    return dz
'''}},
    {"id": "l02-sig-back-swapped-return",
     "exercise": "sigmoid_layer",
     "bug": "backward returns ({}, dz): the pair in the wrong order",
     "names": ["course.outputs-swapped"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'dz: expected an array of shape (1, 4), got a dict. grads: expected a dict with keys [], got an array'"},
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return {}, da * a * (1 - a)
'''}},
    {"id": "l02-sig-fwd-math-exp",
     "exercise": "sigmoid_layer",
     "bug": "forward uses math.exp as in lesson 01: fails on arrays (only size-1 arrays can be converted)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only the raw error 'raised TypeError: only 0-dimensional arrays can be converted to Python scalars in sigmoid_forward'; math.exp vs np.exp not named"},
     "names": ["l02.sigmoid-math-exp"],
     "cells": {"sigmoid_layer": '''import math

def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    a = 1 / (1 + math.exp(-z))
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-back-matmul",
     "exercise": "sigmoid_layer",
     "bug": "backward uses a matrix product da @ (a * (1 - a)).T instead of the entry-by-entry product",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dz: shape (1, 1), expected (1, 4).'; matrix product instead of * not named"},
     "names": ["l02.sigmoid-slope-matmul"],
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return da @ (a * (1 - a)).T, {}
'''}},
    {"id": "l02-sig-back-sum-axis0",
     "exercise": "sigmoid_layer",
     "bug": "backward sums over the batch axis (as for a bias gradient): np.sum(da * a(1 - a), axis=0, keepdims=True)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dz: shape (1, 4), expected (3, 4).' on random cases; no hint (keepdims hides the missing axis, so not even the 'An axis is missing' line)"},
     "names": ["l02.sigmoid-slope-summed"],
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    return np.sum(da * a * (1 - a), axis=0, keepdims=True), {}
'''}},
    {"id": "l02-sig-fwd-float32",
     "exercise": "sigmoid_layer",
     "bug": "forward casts to float32 ('faster'): a and the cache lose digits",
     "names": ["l02.sigmoid-forward-float32", "course.float32"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'out: dtype float32, expected float64.' (calls a 'out')"},
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    z32 = z.astype(np.float32)
    a = 1 / (1 + np.exp(-z32))
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-fwd-clip-20",
     "exercise": "sigmoid_layer",
     "bug": "clips z to [-20, 20] before exp 'to avoid overflow': sigmoid'(30) becomes sigmoid'(20), 2e-9 instead of 9e-14",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "overflow check: 'a: ... expected 0, got 2.06115e-09'; clipping not named"},
     "names": ["l02.sigmoid-clips-z"],
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    zc = np.clip(z, -20, 20)
    a = 1 / (1 + np.exp(-zc))
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-fwd-ravel",
     "exercise": "sigmoid_layer",
     "bug": "forward flattens z with z.ravel() ('to loop-proof it') and returns a 1-axis a",
     "before": {"visible": "misleading", "hidden_catches": True, "note": "'out: shape (4,), expected (1, 4). An axis is missing: summed over the wrong axis, or dropped with an index?': both suggested causes are wrong (z was flattened); mild, the shapes make it guessable"},
     "names": ["l02.sigmoid-flattened"],
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    flat = z.ravel()
    a = 1 / (1 + np.exp(-flat))
    return a, a
''' + "\n\n" + SIG_BWD}},
    {"id": "l02-sig-back-eps",
     "exercise": "sigmoid_layer",
     "bug": "adds eps = 1e-12 to the slope 'so the gradient never vanishes': da * (a(1 - a) + 1e-12), wrong wherever the true slope is below about 1e-8 (|z| > 18)",
     "before": {"visible": "passed", "hidden_catches": False, "note": "the +1e-12 changes dz at |z| = 30 by 10x relatively and at |z| = 800 from 0 to 1e-12, below every tolerance; hidden does not catch it either"},
     "names": ["l02.sigmoid-slope-plus-eps-z"],
     "cells": {"sigmoid_layer": SIG_FWD + '''

def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    a = cache
    eps = 1e-12
    return da * (a * (1 - a) + eps), {}
'''}},
    # ------------------------------------------------------------------ tanh_layer
    {"id": "l02-tanh-back-z-squared",
     "exercise": "tanh_layer",
     "bug": "caches z and writes 1 - z**2: the input used where the output a = tanh(z) is needed",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: z was used in place of a in the derivative: ... 1 - a**2, not 1 - z**2.'"},
     "names": ["l02.z-used-place-derivative"],
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    return np.tanh(z), z


def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    z = cache
    return da * (1 - z ** 2), {}
'''}},
    {"id": "l02-tanh-back-no-square",
     "exercise": "tanh_layer",
     "bug": "tanh' written 1 - a instead of 1 - a**2",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the square is missing: d tanh(z)/dz = 1 - a**2, not 1 - a.'"},
     "names": ["l02.square-missing-d-tanh"],
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return da * (1 - a), {}
'''}},
    {"id": "l02-tanh-back-sign",
     "exercise": "tanh_layer",
     "bug": "sign slip: tanh' written a**2 - 1",
     "before": {"visible": "named", "hidden_catches": True, "note": "'(every entry has the wrong sign)'"},
     "names": ["l02.tanh-slope-sign"],
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return da * (a ** 2 - 1), {}
'''}},
    {"id": "l02-tanh-back-sigmoid-formula",
     "exercise": "tanh_layer",
     "bug": "copy-paste from the sigmoid: tanh' written a(1 - a)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: that is the sigmoid's derivative a * (1 - a); tanh's is 1 - a**2.'"},
     "names": ["l02.sigmoid-s-derivative-1"],
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return da * a * (1 - a), {}
'''}},
    {"id": "l02-tanh-back-tanh-of-a",
     "exercise": "tanh_layer",
     "bug": "caches a, then takes tanh again in backward: 1 - tanh(a)**2 = tanh'(a), not tanh'(z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: tanh'(a) was used where tanh'(z) is meant'"},
     "names": ["l02.tanh-used-where-tanh"],
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    return da * (1 - np.tanh(cache) ** 2), {}
'''}},
    {"id": "l02-tanh-fwd-exp-formula-overflow",
     "exercise": "tanh_layer",
     "bug": "forward written with the textbook formula (e^z - e^-z) / (e^z + e^-z): inf / inf = nan at |z| = 800",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: tanh was written from its formula (e^z - e^-z) / (e^z + e^-z) ... Use np.tanh'"},
     "names": ["l02.tanh-written-formula-e"],
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    a = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    return a, a
''' + "\n\n" + TANH_BWD}},
    {"id": "l02-tanh-back-inplace-da",
     "exercise": "tanh_layer",
     "bug": "in place: backward does da *= 1 - a**2 and returns da, changing the caller's da",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument da was changed in place'"},
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    da *= 1 - a ** 2
    return da, {}
'''}},
    {"id": "l02-tanh-fwd-out-z",
     "exercise": "tanh_layer",
     "bug": "in place: forward does np.tanh(z, out=z) 'to save memory', overwriting the caller's z (a and the cache are z itself)",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument z was changed in place'"},
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    np.tanh(z, out=z)
    return z, z
''' + "\n\n" + TANH_BWD}},
    {"id": "l02-tanh-back-inplace-cache",
     "exercise": "tanh_layer",
     "bug": "aliasing: backward squares the cache in place (a = cache; a **= 2), which is the same array forward returned as a",
     "names": ["course.backward-changes-cache"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'a second backward on the same cache gave other gradients: backward changes its cache in place (e.g. probs -= Y)...'; example from another lesson"},
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    a **= 2
    return da * (1 - a), {}
'''}},
    {"id": "l02-tanh-back-ignores-da",
     "exercise": "tanh_layer",
     "bug": "backward returns 1 - a**2 without multiplying by da",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the incoming gradient da is missing'"},
     "names": ["l02.incoming-gradient-da-missing"],
     "cells": {"tanh_layer": TANH_FWD + '''

def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return 1 - a ** 2, {}
'''}},
    {"id": "l02-tanh-fwd-no-cache",
     "exercise": "tanh_layer",
     "bug": "forward returns a alone (no cache); backward then receives what?",
     "names": ["l02.tanh-forward-no-cache"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'tanh_forward must return a pair (out, cache), but returned an array'"},
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    return np.tanh(z)
''' + "\n\n" + TANH_BWD}},
    # ------------------------------------------------------------------ relu_layer
    {"id": "l02-relu-kink-one",
     "exercise": "relu_layer",
     "bug": "derivative 1 at the kink: mask z >= 0 instead of z > 0",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: at z = 0 exactly the gradient was passed through ... the mask is z > 0, not z >= 0.'"},
     "names": ["l02.relu-at-zero-ge"],
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return da * (z >= 0), {}
'''}},
    {"id": "l02-relu-kink-half",
     "exercise": "relu_layer",
     "bug": "derivative 0.5 at the kink (np.heaviside(z, 0.5), 'the average of the two slopes')",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dz: ... at index (0, 1): expected 0, got 0.5.' (the z = 0 entry); no cause, although the z >= 0 variant gets one (the test cell's comment says the derivative is 0 at z = 0)"},
     "names": ["l02.relu-at-zero-half"],
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return da * np.heaviside(z, 0.5), {}
'''}},
    {"id": "l02-relu-back-mask-only",
     "exercise": "relu_layer",
     "bug": "backward returns the 0/1 mask (the local derivative) without multiplying by da",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the incoming gradient da is missing: backward returns the mask (z > 0) alone'"},
     "names": ["l02.incoming-gradient-da-missing-2"],
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return (z > 0).astype(float), {}
'''}},
    {"id": "l02-relu-back-times-a",
     "exercise": "relu_layer",
     "bug": "multiplies da by the output a = max(0, z) instead of by the 0/1 slope",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the output a was used as the derivative'"},
     "names": ["l02.output-used-derivative-relu"],
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = np.maximum(z, 0)
    return a, a


def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    a = cache
    return da * a, {}
'''}},
    {"id": "l02-relu-fwd-np-max",
     "exercise": "relu_layer",
     "bug": "np.max(z, 0) instead of np.maximum(z, 0): a reduction over axis 0, not an entry-by-entry max",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: np.max(z, 0) is the largest entry along axis 0 ... ReLU is the elementwise np.maximum(z, 0).' (followed by the generic, here wrong, 'summed over the wrong axis, or dropped with an index?')"},
     "names": ["l02.np-max-z-0"],
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = np.max(z, 0)
    return a, z
''' + "\n\n" + RELU_BWD}},
    {"id": "l02-relu-fwd-builtin-max",
     "exercise": "relu_layer",
     "bug": "Python's max(0, z) on an array: 'truth value of an array is ambiguous'",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only the raw 'raised ValueError: The truth value of an array with more than one element is ambiguous ... in relu_forward'; max vs np.maximum not named"},
     "names": ["l02.relu-builtin-max"],
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = max(0, z)
    return a, z
''' + "\n\n" + RELU_BWD}},
    {"id": "l02-relu-fwd-inplace-z",
     "exercise": "relu_layer",
     "bug": "in place and aliasing: forward does z[z < 0] = 0 and returns z itself as a and as the cache",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument z was changed in place'"},
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    z[z < 0] = 0
    return z, z
''' + "\n\n" + RELU_BWD}},
    {"id": "l02-relu-fwd-maximum-out",
     "exercise": "relu_layer",
     "bug": "in place: np.maximum(z, 0, out=z) overwrites the caller's z (the mask in backward still works since a > 0 iff z > 0)",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument z was changed in place'"},
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = np.maximum(z, 0, out=z)
    return a, a
''' + "\n\n" + RELU_BWD}},
    {"id": "l02-relu-back-inplace-da",
     "exercise": "relu_layer",
     "bug": "in place and aliasing: dz = da; dz[z <= 0] = 0 zeroes entries of the caller's da and returns da itself",
     "names": ["course.changes-argument"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'the argument da was changed in place' (the returned-da-itself aliasing is not mentioned)"},
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    dz = da
    dz[z <= 0] = 0
    return dz, {}
'''}},
    {"id": "l02-relu-global-mask",
     "exercise": "relu_layer",
     "bug": "state between calls: forward keeps the mask in a global and backward reads the global, not its cache, so with two forward calls before the backward calls the first backward uses the second layer's mask",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: backward does not use the cache it is given: it reads what the latest forward left somewhere else (... in a global variable)'"},
     "names": ["course.backward-not-from-cache"],
     "cells": {"relu_layer": '''mask = None

def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    global mask
    mask = z > 0
    return z * mask, None


def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    return da * mask, {}
'''}},
    {"id": "l02-relu-leaky",
     "exercise": "relu_layer",
     "bug": "writes a leaky ReLU (0.01 z for z < 0, slope 0.01 there)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'out: ... expected 0, got -0.015', 'dz: ... expected 0, got 0.01'; leaky slope not named"},
     "names": ["l02.relu-leaky"],
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    return np.where(z > 0, z, 0.01 * z), z


def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return da * np.where(z > 0, 1.0, 0.01), {}
'''}},
    {"id": "l02-relu-back-relu-of-da",
     "exercise": "relu_layer",
     "bug": "applies the ReLU to the arriving gradient as well: np.maximum(da, 0) * (z > 0), so negative gradients are dropped where z > 0",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "random cases 'dz: ... expected -2.86341, got 0'; negative gradients dropped not named"},
     "names": ["l02.relu-of-incoming-gradient"],
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return np.maximum(da, 0) * (z > 0), {}
'''}},
    {"id": "l02-relu-back-returns-da-itself",
     "exercise": "relu_layer",
     "bug": "aliasing: a shortcut returns the caller's da object itself as dz when every z > 0 ('nothing to zero, no need to copy'), so a later in-place update of dz changes da",
     "names": ["l02.returns-its-input"],
     "before": {"visible": "passed", "hidden_catches": False, "note": "no test has every z > 0, and even with such a case checks.check_layer accepts dz being the caller's da object (tried directly): returned-input aliasing is never checked"},
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    if np.all(z > 0):
        return da, {}
    return da * (z > 0), {}
'''}},
    {"id": "l02-relu-fwd-returns-z-itself",
     "exercise": "relu_layer",
     "bug": "aliasing: a shortcut returns the caller's z object itself as the output a (and cache) when no entry is negative, so a later in-place change of a (or of z) changes the other",
     "names": ["l02.returns-its-input"],
     "before": {"visible": "passed", "hidden_catches": False, "note": "no test has every z >= 0, and checks.check_layer accepts a being the caller's z object when that happens (tried directly)"},
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    if np.all(z >= 0):
        return z, z            # nothing to clip
    return np.maximum(z, 0), z
''' + "\n\n" + RELU_BWD}},
    # ------------------------------------------------------------------ graph_gradients
    {"id": "l02-graph-x-tanh-branch-only",
     "exercise": "graph_gradients",
     "bug": "dL/dx takes only the tanh branch (dL/dz * w), forgetting that x also feeds the ReLU branch",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: dL/dx has only the tanh branch: x feeds both w*x and v*x, and the gradients of the two paths add'"},
     "names": ["l02.graph-only-tanh-branch"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w
'''}},
    {"id": "l02-graph-x-last-branch-overwrites",
     "exercise": "graph_gradients",
     "bug": "assigns dL/dx twice, once per branch, so the ReLU branch overwrites the tanh branch instead of adding to it",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: dL/dx has only the ReLU branch ... the gradients of the two paths add'"},
     "names": ["l02.graph-only-relu-branch"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dt = dp
    dr = dp
    dz = dt * (1 - t ** 2)
    dq = dr * (1.0 if q > 0 else 0.0)
    dw = dz * x
    db = dz
    dx = dz * w
    dv = dq * x
    dx = dq * v
    return dw, db, dv, dx
'''}},
    {"id": "l02-graph-x-branches-multiplied",
     "exercise": "graph_gradients",
     "bug": "multiplies the two branch contributions to dL/dx instead of adding them",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dx: expected -1.30033, got 0.415067'; product of the branches not named (the prose's key point: paths add)"},
     "names": ["l02.graph-branches-multiplied"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, (dz * w) * (dq * v)
'''}},
    {"id": "l02-graph-relu-kink-one",
     "exercise": "graph_gradients",
     "bug": "ReLU derivative 1 at q = 0 (q >= 0)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: at ReLU's kink, q = v*x = 0 exactly ... the test is q > 0, not q >= 0.'"},
     "names": ["l02.relu-s-kink-q"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q >= 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-tanh-prime-with-z",
     "exercise": "graph_gradients",
     "bug": "tanh' written 1 - z**2 (the input) instead of 1 - t**2",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: z was used in place of t in tanh's derivative'"},
     "names": ["l02.z-used-place-t"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - z ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-relu-mask-on-x",
     "exercise": "graph_gradients",
     "bug": "ReLU gate tested on x (x > 0) instead of on its own input q = v x",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: ReLU's mask was taken from x; it depends on ReLU's own input: 1 where q = v*x > 0.'"},
     "names": ["l02.relu-s-mask-taken"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if x > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-relu-gate-on-r",
     "exercise": "graph_gradients",
     "bug": "multiplies by the ReLU's output r instead of its 0/1 slope: dq = dp * r",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dv: expected -3.75153, got -2.25092'; using r instead of the 0/1 slope not named (the layer version, l02-relu-back-times-a, is named)"},
     "names": ["l02.graph-relu-output-as-slope"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * r
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-no-factor-2",
     "exercise": "graph_gradients",
     "bug": "dL/dp written p - y (the 2 of the square dropped)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the factor 2 from differentiating the square is missing'"},
     "names": ["l02.factor-2-differentiating-square"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = p - y
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-order-dx-dv",
     "exercise": "graph_gradients",
     "bug": "returns (dw, db, dx, dv): the last two swapped (x before v, as in the argument order x, w, b, v)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dv: expected -3.75153, got -1.30033' / 'dL_dx: expected -1.30033, got -3.75153'; the swap is visible but not named (lesson 01's swapped pair is named)"},
     "names": ["l02.graph-dv-dx-swapped"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dz * w + dq * v, dq * x
'''}},
    {"id": "l02-graph-dv-times-v",
     "exercise": "graph_gradients",
     "bug": "multiply node mix-up: dL/dv = dL/dq * v (its own value) instead of * x (the other input)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dv: expected -3.75153, got -0.56273'; 'the other input' rule not named (lesson 01's dw*w is named)"},
     "names": ["l02.graph-dv-times-v"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * v, dz * w + dq * v
'''}},
    {"id": "l02-graph-dx-missing-w",
     "exercise": "graph_gradients",
     "bug": "dL/dx adds both branches but forgets the multiply node on the tanh branch: dz + dq * v instead of dz * w + dq * v",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dx: expected -1.30033, got -2.03792'; missing w factor not named"},
     "names": ["l02.graph-dx-missing-w"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz + dq * v
'''}},
    {"id": "l02-graph-nudging",
     "exercise": "graph_gradients",
     "bug": "computes the four gradients by nudging (central differences, h = 1e-6) instead of the backward sweep",
     "names": ["course.gradients-by-nudging"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "8 random cases 'off by 2.2e-10' etc.; nudging not named in the message (only in the test cell's comment)"},
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    def L(x, w, b, v):
        return (np.tanh(w * x + b) + max(v * x, 0.0) - y) ** 2
    h = 1e-6
    dw = (L(x, w + h, b, v) - L(x, w - h, b, v)) / (2 * h)
    db = (L(x, w, b + h, v) - L(x, w, b - h, v)) / (2 * h)
    dv = (L(x, w, b, v + h) - L(x, w, b, v - h)) / (2 * h)
    dx = (L(x + h, w, b, v) - L(x - h, w, b, v)) / (2 * h)
    return dw, db, dv, dx
'''}},
    {"id": "l02-graph-sigmoid-not-tanh",
     "exercise": "graph_gradients",
     "bug": "uses the sigmoid (and its derivative t(1 - t)) where the graph has a tanh",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "all four gradients differ, numbers only"},
     "names": ["l02.graph-sigmoid-for-tanh"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = sigmoid(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * t * (1 - t)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-returns-arrays",
     "exercise": "graph_gradients",
     "bug": "reuses the Exercise 1 layers on one-entry arrays and returns four arrays of shape (1,) instead of numbers",
     "names": ["l02.graph-returns-arrays"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'dL_dw: expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value).'"},
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = np.array([w * x + b])
    q = np.array([v * x])
    t, tcache = tanh_forward(z)
    r, rcache = relu_forward(q)
    p = t + r
    dp = 2 * (p - y)
    dz, _ = tanh_backward(dp, tcache)
    dq, _ = relu_backward(dp, rcache)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-returns-dict",
     "exercise": "graph_gradients",
     "bug": "returns a dict {'w': ..., 'b': ..., 'v': ..., 'x': ...} instead of the 4-tuple",
     "names": ["l02.graph-returns-dict"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'should return 4 values (dL_dw, dL_db, dL_dv, dL_dx), but returned a dict'"},
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    p = t + max(q, 0.0)
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return {"w": dz * x, "b": dz, "v": dq * x, "x": dz * w + dq * v}
'''}},
    {"id": "l02-graph-dx-crossed-weights",
     "exercise": "graph_gradients",
     "bug": "adds both branches to dL/dx but with each branch's weight swapped: dz * v + dq * w",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dx: expected -1.30033, got -1.38044'; crossed weights not named"},
     "names": ["l02.graph-dx-weights-crossed"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * v + dq * w
'''}},
    {"id": "l02-graph-relu-slope-sign",
     "exercise": "graph_gradients",
     "bug": "takes ReLU's slope to be np.sign(q): -1 instead of 0 for q < 0",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "random cases 'dL_dv: expected 0, got 2.81139'; a slope of -1 for q < 0 not named"},
     "names": ["l02.graph-relu-slope-sign"],
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * np.sign(q)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-graph-returns-five",
     "exercise": "graph_gradients",
     "bug": "also returns dL/dy (five values: dw, db, dv, dx, dy)",
     "names": ["l02.graph-returns-dy"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'should return 4 values ... but returned a tuple of length 5'"},
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t = np.tanh(z)
    q = v * x
    r = max(q, 0.0)
    p = t + r
    dp = 2 * (p - y)
    dz = dp * (1 - t ** 2)
    dq = dp * (1.0 if q > 0 else 0.0)
    return dz * x, dz, dq * x, dz * w + dq * v, -dp
'''}},
    # ---- cascades from Exercise 1 into Exercise 2
    {"id": "l02-cascade-relu-kink-into-graph",
     "exercise": "relu_layer",
     "bug": "cascade: relu_backward takes slope 1 at z = 0 (z >= 0), and a graph_gradients that reuses relu_forward/relu_backward inherits it",
     "before": {"visible": "named", "hidden_catches": True, "note": "relu test names z >= 0; graph test names the kink 'the test is q > 0, not q >= 0' but not that it lives in relu_backward (the student's graph code has no q >= 0)"},
     "names": ["l02.relu-at-zero-ge", "l02.relu-s-kink-q"],
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    return da * (z >= 0), {}
''',
               "graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t, tcache = tanh_forward(np.array(z))
    q = v * x
    r, rcache = relu_forward(np.array(q))
    p = float(t + r)
    dp = np.array(2 * (p - y))
    dz, _ = tanh_backward(dp, tcache)
    dq, _ = relu_backward(dp, rcache)
    dz, dq = float(dz), float(dq)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-cascade-tanh-z-into-graph",
     "exercise": "tanh_layer",
     "bug": "cascade: tanh_backward uses 1 - z**2 (cache z), and a graph_gradients that reuses tanh_forward/tanh_backward inherits it",
     "before": {"visible": "named", "hidden_catches": True, "note": "tanh test names 1 - z**2; graph test says 'z was used in place of t in tanh's derivative' without pointing to tanh_backward (the graph code has no 1 - z**2)"},
     "names": ["l02.z-used-place-derivative", "l02.z-used-place-t"],
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    return np.tanh(z), z


def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    z = cache
    return da * (1 - z ** 2), {}
''',
               "graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    t, tcache = tanh_forward(np.array(z))
    q = v * x
    r, rcache = relu_forward(np.array(q))
    p = float(t + r)
    dp = np.array(2 * (p - y))
    dz, _ = tanh_backward(dp, tcache)
    dq, _ = relu_backward(dp, rcache)
    dz, dq = float(dz), float(dq)
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
    {"id": "l02-cascade-relu-inplace-into-graph",
     "exercise": "relu_layer",
     "bug": "cascade: relu_backward zeroes da in place (dz = da; dz[z <= 0] = 0), and graph_gradients passes the same dp array to tanh_backward afterwards, so the tanh branch gets a zeroed gradient when q <= 0",
     "names": ["course.changes-argument", "l02.cascade.relu_layer"],
     "before": {"visible": "named", "hidden_catches": True, "note": "relu test: 'the argument da was changed in place'; graph test numbers only ('dL_dw: expected -2.09693, got 0' on 7 of 8 cases), no link to relu_backward zeroing dp"},
     "cells": {"relu_layer": RELU_FWD + '''

def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    dz = da
    dz[z <= 0] = 0
    return dz, {}
''',
               "graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = np.array([w * x + b])
    q = np.array([v * x])
    t, tcache = tanh_forward(z)
    r, rcache = relu_forward(q)
    p = t + r
    dp = 2 * (p - y)
    dq, _ = relu_backward(dp, rcache)
    dz, _ = tanh_backward(dp, tcache)
    dz, dq = float(dz[0]), float(dq[0])
    return dz * x, dz, dq * x, dz * w + dq * v
'''}},
]

RIGHT = [
    {"id": "l02-right-sig-tanh-identity",
     "exercise": "sigmoid_layer",
     "bug": "(right) sigmoid as (1 + tanh(z/2)) / 2, cache a tuple (z, a), backward uses a - a**2",
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    a = 0.5 * (1.0 + np.tanh(0.5 * z))
    return a, (z, a)


def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    _, a = cache
    return da * (a - a * a), {}
'''}},
    {"id": "l02-right-sig-where-two-branch",
     "exercise": "sigmoid_layer",
     "bug": "(right) the two-branch stable sigmoid with np.where and exp(-|z|); backward with sigmoid(z) * sigmoid(-z) from a cached z",
     "cells": {"sigmoid_layer": '''def sigmoid_forward(z):
    """a = 1 / (1 + exp(-z)), entry by entry. Returns (a, cache)."""
    e = np.exp(-np.abs(z))
    a = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return a, z.copy()


def sigmoid_backward(da, cache):
    """dz = da * sigmoid'(z). Returns (dz, {})."""
    z = cache
    e = np.exp(-np.abs(z))
    s_pos = 1 / (1 + e)          # sigmoid(|z|)
    s_neg = e / (1 + e)          # sigmoid(-|z|)
    return da * s_pos * s_neg, dict()
'''}},
    {"id": "l02-right-tanh-sech",
     "exercise": "tanh_layer",
     "bug": "(right) tanh' as 1 / cosh(z)**2 from a cached z (cosh overflows to inf, 1/inf = 0)",
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    return np.tanh(z), z


def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    z = cache
    return da / np.cosh(z) ** 2, {}
'''}},
    {"id": "l02-right-tanh-via-sigmoid",
     "exercise": "tanh_layer",
     "bug": "(right) tanh(z) = 2 sigmoid(2z) - 1, backward (1 - a)(1 + a)",
     "cells": {"tanh_layer": '''def tanh_forward(z):
    """a = tanh(z), entry by entry. Returns (a, cache)."""
    a = 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0
    return a, a


def tanh_backward(da, cache):
    """dz = da * tanh'(z). Returns (dz, {})."""
    a = cache
    return da * (1 - a) * (1 + a), {}
'''}},
    {"id": "l02-right-relu-abs-where",
     "exercise": "relu_layer",
     "bug": "(right) relu as (z + |z|) / 2, cache a, backward np.where(a > 0, da, 0.0)",
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = (z + np.abs(z)) / 2
    return a, a


def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    a = cache
    return np.where(a > 0, da, 0.0), {}
'''}},
    {"id": "l02-right-relu-loop",
     "exercise": "relu_layer",
     "bug": "(right) plain loops over np.ndindex, copies, no vectorisation",
     "cells": {"relu_layer": '''def relu_forward(z):
    """a = max(0, z), entry by entry. Returns (a, cache)."""
    a = np.zeros_like(z, dtype=float)
    for idx in np.ndindex(z.shape):
        if z[idx] > 0:
            a[idx] = z[idx]
    return a, z.copy()


def relu_backward(da, cache):
    """dz = da where z > 0, and 0 where z <= 0. Returns (dz, {})."""
    z = cache
    dz = np.zeros_like(da, dtype=float)
    for idx in np.ndindex(da.shape):
        if z[idx] > 0:
            dz[idx] = da[idx]
    return dz, {}
'''}},
    {"id": "l02-right-graph-math-oneline",
     "exercise": "graph_gradients",
     "bug": "(right) math.tanh, one formula per gradient, ReLU slope via a conditional expression",
     "cells": {"graph_gradients": '''import math

def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    t = math.tanh(w * x + b)
    q = v * x
    e = 2 * (t + (q if q > 0 else 0.0) - y)
    g_t = e * (1 - t * t)
    g_r = e if q > 0 else 0.0
    return (g_t * x, g_t, g_r * x, g_t * w + g_r * v)
'''}},
    {"id": "l02-right-graph-uses-layers",
     "exercise": "graph_gradients",
     "bug": "(right) reuses the (correct) Exercise 1 layers on 0-d arrays and converts back with float(); dL/dx accumulated with +=",
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    t, tc = tanh_forward(np.array(w * x + b))
    r, rc = relu_forward(np.array(v * x))
    dp = 2 * (t + r - y)
    dz = float(tanh_backward(dp, tc)[0])
    dq = float(relu_backward(dp, rc)[0])
    dx = 0.0
    dx += dz * w
    dx += dq * v
    return float(dz * x), dz, float(dq * x), dx
'''}},
    {"id": "l02-right-graph-heaviside",
     "exercise": "graph_gradients",
     "bug": "(right) ReLU slope as np.heaviside(q, 0.0), tanh slope as 1/cosh^2",
     "cells": {"graph_gradients": '''def graph_gradients(x, w, b, v, y):
    """(dL/dw, dL/db, dL/dv, dL/dx) for L = (tanh(w x + b) + relu(v x) - y)**2, all numbers."""
    z = w * x + b
    q = v * x
    p = np.tanh(z) + np.maximum(q, 0.0)
    dp = 2.0 * (p - y)
    dz = dp / np.cosh(z) ** 2
    dq = dp * np.heaviside(q, 0.0)
    return float(dz * x), float(dz), float(dq * x), float(dz * w + dq * v)
'''}},
]
