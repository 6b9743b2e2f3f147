"""Wrong (and unusual right) student answers for lesson 01, written from the student notebook only."""

LESSON = "01_one_neuron"

WRONG = [
    # ------------------------------------------------------------------ neuron_forward
    {"id": "l01-forward-no-bias",
     "exercise": "neuron_forward",
     "bug": "forgets the bias: returns sigmoid(w * x)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the bias b is left out of z = w*x + b.'"},
     "names": ["l01.forward-no-bias"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return sigmoid(w * x)
'''}},
    {"id": "l01-forward-exp-sign",
     "exercise": "neuron_forward",
     "bug": "sign slip in the exponent: 1 / (1 + exp(+z)), which is sigmoid(-z) = 1 - sigmoid(z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sigmoid has the wrong sign: it should be 1 / (1 + exp(-z)).'"},
     "names": ["l01.forward-sign-flipped-sigmoid"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return 1 / (1 + np.exp(z))
'''}},
    {"id": "l01-forward-returns-z",
     "exercise": "neuron_forward",
     "bug": "forgets the activation: returns the pre-activation z = w x + b",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sigmoid is missing: the neuron returns z = w*x + b instead of sigmoid(z).'"},
     "names": ["l01.forward-no-sigmoid"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return z
'''}},
    {"id": "l01-forward-tanh",
     "exercise": "neuron_forward",
     "bug": "uses tanh as the activation instead of the sigmoid",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only 'a: expected 0.731059, got 0.761594' and 'expected 0.331812, got -0.604368'; a negative output (impossible for a sigmoid) is not flagged, no cause"},
     "names": ["l01.forward-tanh"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return np.tanh(w * x + b)
'''}},
    {"id": "l01-forward-bias-inside",
     "exercise": "neuron_forward",
     "bug": "puts the bias inside the product: sigmoid(w * (x + b))",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only case 2 'a: expected 0.331812, got 0.310026'; no cause (case 1 has b = 0 so it passes)"},
     "names": ["l01.forward-bias-misplaced"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return sigmoid(w * (x + b))
'''}},
    {"id": "l01-forward-bias-outside-exp",
     "exercise": "neuron_forward",
     "bug": "adds the bias to the denominator instead of to z: 1 / (1 + exp(-w x) + b)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only case 2 'a: expected 0.331812, got 0.207464'; no cause"},
     "names": ["l01.forward-bias-misplaced"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return 1 / (1 + np.exp(-w * x) + b)
'''}},
    {"id": "l01-forward-precedence",
     "exercise": "neuron_forward",
     "bug": "operator precedence: writes 1 / 1 + np.exp(-z), which is 1 + exp(-z)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'a: expected 0.731059, got 1.36788' / 'got 3.01375'; outputs above 1 for a sigmoid are not flagged, no cause"},
     "names": ["l01.forward-precedence"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    a = 1 / 1 + np.exp(-z)
    return a
'''}},
    {"id": "l01-forward-returns-tuple",
     "exercise": "neuron_forward",
     "bug": "returns (z, a) (keeps z for later, like a cache) instead of a alone",
     "names": ["l01.forward-returns-pair"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'a: expected a number, got a tuple of length 2.'"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    a = sigmoid(z)
    return z, a
'''}},
    {"id": "l01-forward-prints",
     "exercise": "neuron_forward",
     "bug": "prints a instead of returning it (the function returns None)",
     "names": ["course.returns-none"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'neuron_forward returned None: it has no return statement, or prints its answer instead of returning it'"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    a = sigmoid(z)
    print(f"a = {a:.4f}")
'''}},
    {"id": "l01-forward-rounds",
     "exercise": "neuron_forward",
     "bug": "rounds the output to 4 decimals, as the lesson prints it (round(a, 4))",
     "names": ["course.rounded"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'a: expected 0.731059, got 0.7311'; rounding not named (the values are visibly rounded to 4 decimals, but no cause)"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return round(float(sigmoid(z)), 4)
'''}},
    {"id": "l01-forward-float32",
     "exercise": "neuron_forward",
     "bug": "computes in float32 (np.float32 to 'save memory'): about 7 digits only",
     "names": ["course.float32"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'a: a float32 number; compute in float64'"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = np.float32(w) * np.float32(x) + np.float32(b)
    return np.float32(1) / (np.float32(1) + np.exp(-z))
'''}},
    {"id": "l01-forward-clip-z",
     "exercise": "neuron_forward",
     "bug": "clips z to [-10, 10] before the sigmoid 'to avoid overflow': wrong for |z| > 10",
     "before": {"visible": "passed", "hidden_catches": True, "note": "visible cases all have |z| < 10; hidden random cases catch it with numbers only ('a: expected 2.39753e-07, got 4.53979e-05'), no mention of clipping"},
     "names": ["l01.forward-clips-z"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = np.clip(w * x + b, -10, 10)
    return 1 / (1 + np.exp(-z))
'''}},
    {"id": "l01-forward-math-exp-overflow",
     "exercise": "neuron_forward",
     "bug": "uses math.exp: raises OverflowError for z < -709 instead of returning 0",
     "before": {"visible": "passed", "hidden_catches": False, "note": "no visible or hidden case has z < -709, so the OverflowError of math.exp is never met (lesson 02 tests |z| up to 1000, lesson 01 does not)"},
     "names": ["l01.forward-math-exp-overflow"],
     "cells": {"neuron_forward": '''import math

def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return 1 / (1 + math.exp(-z))
'''}},
    {"id": "l01-forward-exp-ratio-overflow",
     "exercise": "neuron_forward",
     "bug": "writes exp(z) / (1 + exp(z)): inf / inf = nan for z > 709",
     "before": {"visible": "passed", "hidden_catches": False, "note": "no visible or hidden case has z > 709, so exp(z)/(1+exp(z)) = nan is never met"},
     "names": ["l01.forward-exp-ratio-overflow"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return np.exp(z) / (1 + np.exp(z))
'''}},
    {"id": "l01-forward-renamed-params",
     "exercise": "neuron_forward",
     "bug": "renames the parameters (x, weight, bias): calls by keyword w=, b= fail",
     "names": ["l01.forward-renamed-parameters"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'raised TypeError: ... unexpected keyword argument 'w' \u2014 the tests pass the arguments by name ... keep the parameter names of the def line'"},
     "cells": {"neuron_forward": '''def neuron_forward(x, weight, bias):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return sigmoid(weight * x + bias)
'''}},
    {"id": "l01-forward-returns-derivative",
     "exercise": "neuron_forward",
     "bug": "returns sigmoid'(z) = a(1 - a) (mixes up the output with its slope)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'a: expected 0.731059, got 0.196612'; no cause (a(1 - a) instead of a is not recognised)"},
     "names": ["l01.forward-returns-slope"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    a = sigmoid(z)
    return a * (1 - a)
'''}},
    {"id": "l01-forward-memo-on-x",
     "exercise": "neuron_forward",
     "bug": "state between calls: caches results in a dict keyed on x only, so a new w or b with the same x returns the old output",
     "names": ["course.state-between-calls"],
     "before": {"visible": "passed", "hidden_catches": True, "note": "visible x values never repeat; a hidden case with a repeated x (x = 0) fails with numbers only, no hint of state kept between calls"},
     "cells": {"neuron_forward": '''_outputs = {}

def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    if x not in _outputs:
        _outputs[x] = sigmoid(w * x + b)
    return _outputs[x]
'''}},
    # ------------------------------------------------------------------ neuron_gradients
    {"id": "l01-grad-no-sigmoid-prime",
     "exercise": "neuron_gradients",
     "bug": "drops the sigmoid's local derivative: dL/dw = 2(a - y) x, dL/db = 2(a - y)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sigmoid's derivative da/dz = a(1 - a) is missing from the chain.'"},
     "names": ["l01.grads-no-activation-derivative"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_da = 2 * (a - y)
    return dL_da * x, dL_da
'''}},
    {"id": "l01-grad-no-factor-2",
     "exercise": "neuron_gradients",
     "bug": "forgets the 2 from differentiating the square: (a - y) a (1 - a) x",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the factor 2 from differentiating (a - y)**2 is missing' and 'exactly half the expected value'"},
     "names": ["l01.grads-no-two"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-sign",
     "exercise": "neuron_gradients",
     "bug": "sign slip: 2(y - a) instead of 2(a - y)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sign is flipped: dL/da = 2(a - y), not 2(y - a)'"},
     "names": ["l01.grads-sign"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (y - a) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-zprime-with-z",
     "exercise": "neuron_gradients",
     "bug": "uses the input where the output is needed: sigmoid' written z(1 - z) instead of a(1 - a)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: z was used in place of a in the derivative: da/dz = a(1 - a), not z(1 - z).'"},
     "names": ["l01.grads-z-for-a-in-derivative"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    z = w * x + b
    a = sigmoid(z)
    dL_dz = 2 * (a - y) * z * (1 - z)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-sigmoid-of-a",
     "exercise": "neuron_gradients",
     "bug": "applies the sigmoid twice: sigma'(a) = sigmoid(a)(1 - sigmoid(a)) instead of sigma'(z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: sigma'(a) was used where sigma'(z) is meant'"},
     "names": ["l01.grads-sigma-prime-of-a"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    da_dz = sigmoid(a) * (1 - sigmoid(a))
    dL_dz = 2 * (a - y) * da_dz
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-db-times-x",
     "exercise": "neuron_gradients",
     "bug": "multiplies dL/db by x as well (dL/db = dL/dw)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: dL/db was multiplied by x: dz/db = 1, so dL/db = dL/dz.'"},
     "names": ["l01.grads-db-times-x"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dw = 2 * (a - y) * a * (1 - a) * x
    dL_db = dL_dw
    return dL_dw, dL_db
'''}},
    {"id": "l01-grad-db-no-sigmoid-prime",
     "exercise": "neuron_gradients",
     "bug": "dL/dw right, but dL/db = 2(a - y) (the sigmoid factor dropped for the bias only)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only 'dL_db: expected -0.105754, got -0.537883'; the same slip in both gradients is named (l01-grad-no-sigmoid-prime), in dL/db alone it is not"},
     "names": ["l01.grads-db-no-slope"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dw = 2 * (a - y) * a * (1 - a) * x
    dL_db = 2 * (a - y)
    return dL_dw, dL_db
'''}},
    {"id": "l01-grad-dw-times-w",
     "exercise": "neuron_gradients",
     "bug": "multiply node mix-up: dL/dw multiplied by w instead of x (dz/dw = x)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: w was used where x belongs: dz/dw = x'"},
     "names": ["l01.grads-w-for-x"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * w, dL_dz
'''}},
    {"id": "l01-grad-swapped-order",
     "exercise": "neuron_gradients",
     "bug": "returns (dL/db, dL/dw): the pair in the wrong order",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the two gradients are in the wrong order: return dL_dw, dL_db.'"},
     "names": ["l01.grads-swapped"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    dL_db = dL_dz
    dL_dw = dL_dz * x
    return dL_db, dL_dw
'''}},
    {"id": "l01-grad-returns-dict",
     "exercise": "neuron_gradients",
     "bug": "returns a dict {'dw': ..., 'db': ...} instead of the pair",
     "names": ["l01.grads-returns-dict"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'should return 2 values (dL_dw, dL_db), but returned a dict. Return them as a tuple'"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return {"dw": dL_dz * x, "db": dL_dz}
'''}},
    {"id": "l01-grad-returns-only-dw",
     "exercise": "neuron_gradients",
     "bug": "returns only dL/dw (forgets the bias gradient)",
     "names": ["l01.grads-returns-one"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'should return 2 values (dL_dw, dL_db), but returned the float -0.2115...'"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    dL_dw = dL_dz * x
    return dL_dw
'''}},
    {"id": "l01-grad-returns-step",
     "exercise": "neuron_gradients",
     "bug": "returns the updated parameters (w - 0.1 dL/dw, b - 0.1 dL/db) instead of the gradients",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dw: expected -0.211508, got 0.521151'; returning w - lr*dw (w + 0.0211 here) is not recognised"},
     "names": ["l01.grads-returns-step"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    lr = 0.1
    return w - lr * dL_dz * x, b - lr * dL_dz
'''}},
    {"id": "l01-grad-nudging-central",
     "exercise": "neuron_gradients",
     "bug": "computes the gradients by nudging (own central difference, h = 1e-5) instead of the chain rule",
     "names": ["course.gradients-by-nudging"],
     "before": {"visible": "named", "hidden_catches": True, "note": "fails only on the saturated neurons, with the note 'gradients estimated by nudging come out wrong here. The chain rule gets them right.'"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    def loss(w, b):
        return (neuron_forward(x, w, b) - y) ** 2
    h = 1e-5
    dL_dw = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
    dL_db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    return dL_dw, dL_db
'''}},
    {"id": "l01-grad-nudging-tiny-h",
     "exercise": "neuron_gradients",
     "bug": "nudging with a one-sided difference and a tiny h = 1e-12 ('smaller is more exact'): round-off dominates",
     "names": ["course.gradients-by-nudging"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "fails on the worked example: 'dL_dw: expected -0.211508, got -0.211511'; the first check stops the cell, so the nudging note of the saturated check is never shown; no cause"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    h = 1e-12
    L0 = (neuron_forward(x, w, b) - y) ** 2
    dL_dw = ((neuron_forward(x, w + h, b) - y) ** 2 - L0) / h
    dL_db = ((neuron_forward(x, w, b + h) - y) ** 2 - L0) / h
    return dL_dw, dL_db
'''}},
    {"id": "l01-grad-half-squared-error",
     "exercise": "neuron_gradients",
     "bug": "differentiates L = (a - y)^2 / 2 (the convention of other courses): gradients half as large",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the factor 2 from differentiating (a - y)**2 is missing' (exactly half)"},
     "names": ["l01.grads-no-two"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_da = a - y            # d/da of 1/2 (a - y)^2
    dL_dz = dL_da * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-hardcoded-target",
     "exercise": "neuron_gradients",
     "bug": "hard-codes the worked example's target y = 1 instead of using the parameter y",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "only case 2 (y = 0.2) fails: 'dL_dw: expected -0.0876734, got 0.444437'; not recognised as y ignored"},
     "names": ["l01.grads-target-fixed"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_da = 2 * (a - 1.0)
    dL_dz = dL_da * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-loss-times-slope",
     "exercise": "neuron_gradients",
     "bug": "multiplies by the loss instead of its derivative: (a - y)^2 * a(1 - a) * x",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dw: expected -0.211508, got 0.0284417'; L used for dL/da not recognised"},
     "names": ["l01.grads-loss-for-derivative"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    L = (a - y) ** 2
    dL_dz = L * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-sigmoid-prime-only-a",
     "exercise": "neuron_gradients",
     "bug": "sigmoid' taken as a instead of a(1 - a) (confuses it with d/dz e^z)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the sigmoid itself was used as its derivative: da/dz = a(1 - a), not a.'"},
     "names": ["l01.grads-sigmoid-as-its-own-derivative"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-float32",
     "exercise": "neuron_gradients",
     "bug": "computes in float32: saturated neurons (z = 17) lose all digits of 1 - a",
     "names": ["course.float32"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'dL_dw: a float32 number; compute in float64'"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    x, w, b, y = (np.float32(v) for v in (x, w, b, y))
    z = w * x + b
    a = np.float32(1) / (np.float32(1) + np.exp(-z))
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-eps-in-slope",
     "exercise": "neuron_gradients",
     "bug": "adds eps = 1e-8 to the sigmoid slope 'so the gradient never vanishes': a(1 - a) + 1e-8",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "one random case 'off by 3e-08'; eps not named"},
     "names": ["l01.grads-eps-in-slope"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    eps = 1e-8
    dL_dz = 2 * (a - y) * (a * (1 - a) + eps)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-clip-gradients",
     "exercise": "neuron_gradients",
     "bug": "clips the gradients to [-0.5, 0.5] 'for stability'",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "one random case 'dL_db: expected -0.903531, got -0.5'; clipping not named"},
     "names": ["l01.grads-clipped"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    dL_dw = float(np.clip(dL_dz * x, -0.5, 0.5))
    dL_db = float(np.clip(dL_dz, -0.5, 0.5))
    return dL_dw, dL_db
'''}},
    # ---- state between calls (the inputs are plain numbers, so true in-place changes are impossible)
    {"id": "l01-grad-stale-global-from-forward",
     "exercise": "neuron_gradients",
     "bug": "state between calls: neuron_forward saves a in a global and neuron_gradients reuses it without calling forward, so it uses the output of whatever neuron ran last",
     "names": ["course.ignores-arguments", "course.state-between-calls"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dw: expected -0.211508, got -0.481109'; stale state from the last neuron_forward call not recognised"},
     "cells": {"neuron_forward": '''last = {}

def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    a = sigmoid(w * x + b)
    last["a"] = a          # keep it for the backward pass
    return a
''',
               "neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = last["a"]          # saved by neuron_forward
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-list-outside-function",
     "exercise": "neuron_gradients",
     "bug": "state between calls: appends the gradients to a list defined outside the function and returns its first two items, i.e. always the first call's gradients",
     "names": ["course.state-between-calls"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "case 2 returns exactly case 1's expected values (-0.211508, -0.105754) and the message does not notice that they are a previous call's answer"},
     "cells": {"neuron_gradients": '''grads = []

def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    grads.append(dL_dz * x)
    grads.append(dL_dz)
    return grads[0], grads[1]
'''}},
    {"id": "l01-grad-memo-default-arg",
     "exercise": "neuron_gradients",
     "bug": "state between calls: memoises in a mutable default argument keyed on (x, w, b), forgetting y, so the same neuron with a new target returns the old gradients",
     "names": ["course.state-between-calls"],
     "before": {"visible": "passed", "hidden_catches": False, "note": "no test calls the same (x, w, b) with two targets, visible or hidden"},
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y, _memo={}):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    key = (x, w, b)
    if key not in _memo:
        a = neuron_forward(x, w, b)
        dL_dz = 2 * (a - y) * a * (1 - a)
        _memo[key] = (dL_dz * x, dL_dz)
    return _memo[key]
'''}},
    {"id": "l01-grad-running-sum",
     "exercise": "neuron_gradients",
     "bug": "state between calls: accumulates the gradients in globals (dw += ..., as for a batch) and returns the running totals",
     "names": ["course.state-between-calls"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "case 1 right, case 2 'dL_dw: expected -0.0876734, got -0.299182' (the running sum); state between calls not named"},
     "cells": {"neuron_gradients": '''dw_total = 0.0
db_total = 0.0

def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    global dw_total, db_total
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    dw_total += dL_dz * x
    db_total += dL_dz
    return dw_total, db_total
'''}},
    {"id": "l01-grad-updates-global-w",
     "exercise": "neuron_gradients",
     "bug": "state between calls: a global weight is stepped inside the function and the gradient computed at that global weight, not at the w passed in",
     "names": ["course.state-between-calls"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "case 2 'dL_dw: expected -0.0876734, got -0.169144'; state between calls not named"},
     "cells": {"neuron_gradients": '''w_current = None

def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    global w_current
    if w_current is None:
        w_current = w
    a = neuron_forward(x, w_current, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    dL_dw = dL_dz * x
    w_current = w_current - 0.1 * dL_dw
    return dL_dw, dL_dz
'''}},
    # ---- cascades
    {"id": "l01-cascade-forward-no-bias",
     "exercise": "neuron_forward",
     "bug": "cascade: neuron_forward forgets the bias, and a correct neuron_gradients calls it",
     "before": {"visible": "named", "hidden_catches": True, "note": "forward test names the bias; gradients test: 'the bias b is left out ... in neuron_gradients, or in your neuron_forward if neuron_gradients calls it (then fix neuron_forward...)'"},
     "names": ["l01.forward-no-bias", "l01.grads-no-bias"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return sigmoid(w * x)
''',
               "neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-cascade-forward-tuple",
     "exercise": "neuron_forward",
     "bug": "cascade: neuron_forward returns (z, a), and a correct-looking neuron_gradients does a = neuron_forward(...)",
     "names": ["l01.forward-returns-pair"],
     "before": {"visible": "named", "hidden_catches": True, "note": "forward test: 'got a tuple of length 2'; the gradients test only says \"raised TypeError: unsupported operand type(s) for -: 'tuple' and 'float' in neuron_gradients\" with no pointer to neuron_forward"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return z, sigmoid(z)
''',
               "neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-forward-returns-array",
     "exercise": "neuron_forward",
     "bug": "wraps the output in a one-entry array, np.array([a]), instead of returning the number",
     "names": ["l01.forward-returns-array"],
     "before": {"visible": "named", "hidden_catches": True, "note": "'a: expected a number, got an array of shape (1,) ... Return a plain number, e.g. float(value).'"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = np.array([w * x + b])
    return 1 / (1 + np.exp(-z))
'''}},
    {"id": "l01-grad-clip-a",
     "exercise": "neuron_gradients",
     "bug": "clips a to [1e-7, 1 - 1e-7] (a habit from log losses) before the slope, so saturated neurons get a(1 - a) = 1e-7 instead of 4e-8",
     "before": {"visible": "misleading", "hidden_catches": True, "note": "fails only on a saturated neuron ('expected -3.31195e-07, got -8e-07') under the fixed note 'gradients estimated by nudging come out wrong here': the student did not nudge; the clip of a is not named"},
     "names": ["l01.grads-a-clipped"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    a = np.clip(a, 1e-7, 1 - 1e-7)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-precedence",
     "exercise": "neuron_gradients",
     "bug": "operator precedence: 2 * (a - y) * a * 1 - a, i.e. 2(a - y)a - a instead of 2(a - y)a(1 - a)",
     "before": {"visible": "numbers", "hidden_catches": True, "note": "'dL_dw: expected -0.211508, got -2.24856'; no cause"},
     "names": ["l01.grads-slope-precedence"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * 1 - a
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-grad-no-bias-in-z",
     "exercise": "neuron_gradients",
     "bug": "recomputes z = w * x inside neuron_gradients and forgets the bias there (neuron_forward itself is right)",
     "before": {"visible": "named", "hidden_catches": True, "note": "'Likely cause: the bias b is left out of z = w*x + b: in neuron_gradients, or in your neuron_forward...'"},
     "names": ["l01.grads-no-bias"],
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    z = w * x
    a = sigmoid(z)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-cascade-forward-clip",
     "exercise": "neuron_forward",
     "bug": "cascade: neuron_forward clips z to [-10, 10] (passes its own visible test), and a correct neuron_gradients that calls it is wrong on saturated neurons",
     "before": {"visible": "misleading", "hidden_catches": True, "note": "neuron_forward passes its own test; neuron_gradients fails on the saturated neurons with 'gradients estimated by nudging come out wrong here. The chain rule gets them right.': blames nudging (not done) in neuron_gradients, while the bug is the clip in neuron_forward"},
     "names": ["l01.forward-clips-z"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = np.clip(w * x + b, -10, 10)
    return 1 / (1 + np.exp(-z))
''',
               "neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-cascade-forward-rounds",
     "exercise": "neuron_forward",
     "bug": "cascade: neuron_forward rounds a to 4 decimals, and a correct neuron_gradients that calls it inherits the rounding",
     "names": ["course.rounded", "l01.cascade.neuron_forward"],
     "before": {"visible": "numbers", "hidden_catches": True, "note": "forward 'expected 0.731059, got 0.7311', gradients 'expected -0.211508, got -0.211455'; no cause, no link between the two"},
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return round(float(sigmoid(z)), 4)
''',
               "neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return dL_dz * x, dL_dz
'''}},
    {"id": "l01-forward-np-e-power-overflow",
     "exercise": "neuron_forward",
     "bug": "np.e ** -z with plain numbers (a Python float power, like math.exp): OverflowError for z < -709 (listed as right until the tests met such a z)",
     "before": {"visible": "passed", "hidden_catches": False, "note": "was in RIGHT as l01-right-forward-np-e-power; no test had z < -709"},
     "names": ["l01.forward-math-exp-overflow"],
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = b + x * w
    return np.reciprocal(1.0 + np.e ** (-z))
'''}},
]

RIGHT = [
    {"id": "l01-right-forward-tanh-identity",
     "exercise": "neuron_forward",
     "bug": "(right) sigmoid through tanh: (1 + tanh(z / 2)) / 2, never overflows",
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    return 0.5 * (1.0 + np.tanh(0.5 * (w * x + b)))
'''}},
    {"id": "l01-right-forward-math-branch",
     "exercise": "neuron_forward",
     "bug": "(right) math module with the two-branch stable sigmoid (exp(z)/(1+exp(z)) for z < 0)",
     "cells": {"neuron_forward": '''import math

def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = x * w + b
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
'''}},
    {"id": "l01-right-grad-sigma-of-minus-z",
     "exercise": "neuron_gradients",
     "bug": "(right) sigma'(z) written sigmoid(z) * sigmoid(-z), no call to neuron_forward",
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    z = w * x + b
    a = sigmoid(z)
    slope = sigmoid(z) * sigmoid(-z)
    g = 2.0 * (a - y) * slope
    return (g * x, g)
'''}},
    {"id": "l01-right-grad-exp-formula",
     "exercise": "neuron_gradients",
     "bug": "(right) sigma'(z) = e^{-z} / (1 + e^{-z})^2 written out, expanded products",
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    z = w * x + b
    e = np.exp(-z)
    a = 1 / (1 + e)
    dsig = e / (1 + e) ** 2
    dL_dw = 2 * a * dsig * x - 2 * y * dsig * x
    dL_db = 2 * a * dsig - 2 * y * dsig
    return dL_dw, dL_db
'''}},
    {"id": "l01-right-grad-graph-nodes",
     "exercise": "neuron_gradients",
     "bug": "(right) one line per graph node, starting from dL/dL = 1, returns a list-free tuple of floats",
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    u = w * x
    z = u + b
    a = neuron_forward(x, w, b)
    grad = 1.0
    grad = grad * 2 * (a - y)      # square-error node
    grad = grad * a * (1 - a)      # sigmoid node
    dL_db = grad                   # add node
    dL_dw = grad * x               # multiply node
    return float(dL_dw), float(dL_db)
'''}},
    {"id": "l01-right-forward-logaddexp",
     "exercise": "neuron_forward",
     "bug": "(right) sigmoid as exp(-log(1 + e^{-z})) with np.logaddexp, stable for any z",
     "cells": {"neuron_forward": '''def neuron_forward(x, w, b):
    """The output a = sigmoid(w * x + b) of one neuron, for numbers x, w, b."""
    z = w * x + b
    return float(np.exp(-np.logaddexp(0.0, -z)))
'''}},
    {"id": "l01-right-grad-list",
     "exercise": "neuron_gradients",
     "bug": "(right) returns the pair as a list [dL_dw, dL_db]",
     "cells": {"neuron_gradients": '''def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    a = neuron_forward(x, w, b)
    dL_dz = 2 * (a - y) * a * (1 - a)
    return [dL_dz * x, dL_dz]
'''}},
    {"id": "l01-right-grad-math-tanh",
     "exercise": "neuron_gradients",
     "bug": "(right) math module only: sigma'(z) = (1 - tanh(z/2)^2) / 4, returns a tuple built with tuple()",
     "cells": {"neuron_gradients": '''import math

def neuron_gradients(x, w, b, y):
    """(dL/dw, dL/db) for L = (a - y)**2 with a = sigmoid(w * x + b)."""
    z = w * x + b
    t = math.tanh(z / 2)
    a = (1 + t) / 2
    slope = (1 - t * t) / 4
    g = 2 * (a - y) * slope
    return tuple([g * x, g])
'''}},
]
