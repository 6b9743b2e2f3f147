"""Wrong (and unusual right) answers to lesson 03, written from the student version only.

Each WRONG entry is a mistake a student could really make in one answer cell; "before" records what the
course's feedback said about it (visible tests, then --hidden), measured with tests/corpus/harness.py.
"""

LESSON = "03_worked_221"

WRONG = [
    # ------------------------------------------------------------------ Exercise 1: backprop_221 (scalars)
    {"id": "l03-221-no-sigmoid-slope",
     "exercise": "backprop_221",
     "bug": "forgets the sigmoid's slope: dL/dz1 = dL/da1 (and dL/dz2 = dL/da2), as if the hidden units were linear",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1 = sigmoid(z1)
    a2 = sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1
    dz2 = d * v2
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.sigmoid-s-derivative-missing"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: the sigmoid's derivative is missing from the hidden layer: dL/dz1 = dL/da1 * a1(1 - a1)."}},

    {"id": "l03-221-slope-from-z",
     "exercise": "backprop_221",
     "bug": "sigmoid slope computed from the pre-activation: z1*(1 - z1) instead of a1*(1 - a1)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * z1 * (1 - z1)
    dz2 = d * v2 * z2 * (1 - z2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.z-used-place-sigmoid"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: z was used in place of a in the sigmoid's derivative: a1(1 - a1), not z1(1 - z1)."}},

    {"id": "l03-221-sigmoid-twice",
     "exercise": "backprop_221",
     "bug": "slope as sigmoid(a)*(1 - sigmoid(a)): applies the sigmoid to the output a second time (sigma'(a) instead of sigma'(z))",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    def sigmoid_prime(s):
        return sigmoid(s) * (1 - sigmoid(s))
    dz1 = d * v1 * sigmoid_prime(a1)
    dz2 = d * v2 * sigmoid_prime(a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.sigma-used-where-sigma"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: sigma'(a) was used where sigma'(z) is meant."}},

    {"id": "l03-221-factor-two",
     "exercise": "backprop_221",
     "bug": "dL/dy_hat = 2*(y_hat - y), the derivative of (y_hat - y)^2 from lessons 01-02, though the loss here has the 1/2",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = 2 * (y_hat - y)
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.factor-2-1-2"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: the factor 2 of the 1/2 convention; every entry tagged '(exactly twice the expected value)'."}},

    {"id": "l03-221-sign",
     "exercise": "backprop_221",
     "bug": "error the wrong way round: dL/dy_hat = y - y_hat, so every gradient has the wrong sign",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    err = y - y_hat
    dz1 = err * v1 * a1 * (1 - a1)
    dz2 = err * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": err * a1, "v2": err * a2, "b3": err}
"""},
     "names": ["l03.sign-error-dl-dy"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: a sign error: dL/dy_hat = y_hat - y; every entry tagged '(the sign is wrong)'."}},

    {"id": "l03-221-loss-not-derivative",
     "exercise": "backprop_221",
     "bug": "starts the backward pass from the loss itself, 0.5*(y_hat - y)**2, instead of its derivative y_hat - y",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    L = 0.5 * (y_hat - y) ** 2
    dz1 = L * v1 * a1 * (1 - a1)
    dz2 = L * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": L * a1, "v2": L * a2, "b3": L}
"""},
     "names": ["l03.loss-for-its-derivative"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'Nine expected/got pairs (all of the wrong sign and ~0.12x the size), no cause: starting the sweep from L instead of dL/dy_hat is not recognised.'}},

    {"id": "l03-221-bias-times-x1",
     "exercise": "backprop_221",
     "bug": "bias gradient multiplied by an input, as if the bias were a weight on x1: db1 = dz1*x1, db2 = dz2*x1 (invisible when x1 = 1)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1 * x1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2 * x1,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.bias-gradient-multiplied-input"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Lesson case passes (x1 = 1); the other network: 'Likely cause: a bias gradient was multiplied by an input: dz/db = 1'."}},

    {"id": "l03-221-missing-v",
     "exercise": "backprop_221",
     "bug": "forgets the output weight on the way back: dL/da1 = dL/dy_hat (no v1), dL/da2 = dL/dy_hat (no v2)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * a1 * (1 - a1)
    dz2 = d * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.v-left-out-dl"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: v was left out of dL/da1; but w11, w12, b1 are also tagged '(exactly twice the expected value)' (because v1 = 0.5), a stray hint at a factor-2 bug."}},

    {"id": "l03-221-swapped-v",
     "exercise": "backprop_221",
     "bug": "sends each hidden unit the other unit's output weight: dL/da1 uses v2 and dL/da2 uses v1",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    da1, da2 = d * v2, d * v1
    dz1 = da1 * a1 * (1 - a1)
    dz2 = da2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.v1-v2-swapped-way"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: v1 and v2 are swapped on the way back.'}},

    {"id": "l03-221-index-convention",
     "exercise": "backprop_221",
     "bug": "reads w_ij as 'from i into j' (the opposite of the lesson's naming): z1 = w11*x1 + w21*x2 + b1, z2 = w12*x1 + w22*x2 + b2, and the gradients of w12 and w21 follow that reading",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    # w_ij: the weight from input i to hidden unit j
    z1 = w11 * x1 + w21 * x2 + b1
    z2 = w12 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w21": dz1 * x2, "b1": dz1,
            "w12": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.w12-w21-read-other-way"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Nine expected/got pairs on the lesson case, no cause; nothing says w12 and w21 were read the other way round ('into h1 from x2')."}},

    {"id": "l03-221-weight-times-output",
     "exercise": "backprop_221",
     "bug": "hidden weight gradients multiplied by the unit's own output instead of the input: dw11 = dz1*a1, dw12 = dz1*a1 ... (output used where the input is needed)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * a1, "w12": dz1 * a1, "b1": dz1,
            "w21": dz2 * a2, "w22": dz2 * a2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.hidden-weights-own-output"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'The four hidden weights differ, expected/got only; no cause (the output a used where the input x is needed).'}},

    {"id": "l03-221-v-times-z",
     "exercise": "backprop_221",
     "bug": "output weight gradients use the pre-activation: dv1 = d*z1, dv2 = d*z2 instead of d*a1, d*a2",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * z1, "v2": d * z2, "b3": d}
"""},
     "names": ["l03.dv-uses-z"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'grads v1, v2 differ, expected/got only; no cause (z used where a is needed).'}},

    {"id": "l03-221-updated-v",
     "exercise": "backprop_221",
     "bug": "does step 4 inside the function (lr = 0.5) and then passes the gradient back through the UPDATED v1, v2 instead of the ones that produced y_hat",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    lr = 0.5
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dv1, dv2, db3 = d * a1, d * a2, d
    # update the output layer
    v1 = v1 - lr * dv1
    v2 = v2 - lr * dv2
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": dv1, "v2": dv2, "b3": db3}
"""},
     "names": ["l03.dl-da1-used-v1"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: dL/da1 used v1 after its update (v1 - 0.5 * dL/dv1).'}},

    {"id": "l03-221-tuple-in-argument-order",
     "exercise": "backprop_221",
     "bug": "returns a tuple of the nine gradients (in the order of the arguments) instead of the dict keyed by name",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return dz1 * x1, dz1 * x2, dz1, dz2 * x1, dz2 * x2, dz2, d * a1, d * a2, d
"""},
     "names": ["l03.returns-tuple"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected a dict with keys [...], got a tuple of length 9'."}},

    {"id": "l03-221-keys-with-d",
     "exercise": "backprop_221",
     "bug": "keys named after the gradients, 'dw11', 'dv1', ..., instead of the parameters' names 'w11', 'v1', ...",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"dw11": dz1 * x1, "dw12": dz1 * x2, "db1": dz1,
            "dw21": dz2 * x1, "dw22": dz2 * x2, "db2": dz2,
            "dv1": d * a1, "dv2": d * a2, "db3": d}
"""},
     "names": ["l03.keys-named-after-gradients"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected the keys ['b1', ...], got ['db1', ...]'."}},

    {"id": "l03-221-rounded",
     "exercise": "backprop_221",
     "bug": "rounds every gradient to 4 decimals, because the lesson asks for numbers 'to four decimals'",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    grads = {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
             "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
             "v1": d * a1, "v2": d * a2, "b3": d}
    return {k: round(float(g), 4) for k, g in grads.items()}
"""},
     "names": ["course.rounded"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "'expected -0.0282771, got -0.0283' for every key; the rounding shows in the numbers but is not named, though the lesson itself says 'to four decimals'."}},

    {"id": "l03-221-nudging",
     "exercise": "backprop_221",
     "bug": "computes the gradients by nudging each parameter (forward differences, h = 1e-5) instead of the backward pass",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    params = dict(w11=w11, w12=w12, b1=b1, w21=w21, w22=w22, b2=b2, v1=v1, v2=v2, b3=b3)
    def loss(q):
        a1 = sigmoid(q["w11"] * x1 + q["w12"] * x2 + q["b1"])
        a2 = sigmoid(q["w21"] * x1 + q["w22"] * x2 + q["b2"])
        return 0.5 * (q["v1"] * a1 + q["v2"] * a2 + q["b3"] - y) ** 2
    h = 1e-5
    L0 = loss(params)
    return {k: (loss({**params, k: params[k] + h}) - L0) / h for k in params}
"""},
     "names": ["course.gradients-by-nudging"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Values agree to ~6 digits ('off by 2.5e-08'); no cause, although nudging is the obvious explanation and the exercise text warns about it."}},

    {"id": "l03-221-prints",
     "exercise": "backprop_221",
     "bug": "prints the gradients (like the lesson's cells do) and returns nothing",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    grads = {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
             "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
             "v1": d * a1, "v2": d * a2, "b3": d}
    for k, g in grads.items():
        print(f"dL/d{k} = {g:.4f}")
"""},
     "names": ["course.returns-none"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'backprop_221 returned None: it has no return statement, or prints its answer instead of returning it'."}},

    {"id": "l03-221-tanh-slope",
     "exercise": "backprop_221",
     "bug": "uses tanh's derivative 1 - a**2 for the sigmoid units (mixing up lesson 02's activations)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * (1 - a1 ** 2)
    dz2 = d * v2 * (1 - a2 ** 2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.tanh-slope"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Hidden-layer gradients ~2.7x too large, expected/got only; tanh's slope 1 - a**2 not recognised."}},

    {"id": "l03-221-output-sigmoid",
     "exercise": "backprop_221",
     "bug": "puts a sigmoid on the output too (like lesson 01's neuron): y_hat = sigmoid(v1 a1 + v2 a2 + b3), and multiplies by its slope",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = sigmoid(v1 * a1 + v2 * a2 + b3)
    d = (y_hat - y) * y_hat * (1 - y_hat)
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.sigmoid-put-output-network"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: a sigmoid was put on the output: in this network the output is linear.'}},

    {"id": "l03-221-copy-paste-slope",
     "exercise": "backprop_221",
     "bug": "copy-paste slip in the second unit's slope: sigma'(z2) written a2*(1 - a1)",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    sp1 = a1 * (1 - a1)
    sp2 = a2 * (1 - a1)
    dz1 = d * v1 * sp1
    dz2 = d * v2 * sp2
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.slope-copy-paste"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'Only w21, w22, b2 differ, expected/got only; no cause.'}},

    {"id": "l03-221-own-sigmoid-sign",
     "exercise": "backprop_221",
     "bug": "writes its own sigmoid with the sign of the exponent flipped, 1/(1 + exp(z)), i.e. sigma(-z)",
     "cells": {"backprop_221": """import math


def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    def sig(z):
        return 1 / (1 + math.exp(z))
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sig(z1), sig(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["l03.sigmoid-sign-flipped"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'All nine differ, expected/got only; sigmoid(-z) not recognised.'}},

    {"id": "l03-221-shared-dict",
     "exercise": "backprop_221",
     "bug": "aliasing: the dict of gradients is created once, outside the function, and every call fills and returns that same dict, so an earlier result changes when the function is called again",
     "cells": {"backprop_221": """grads = {}


def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    grads["w11"], grads["w12"], grads["b1"] = dz1 * x1, dz1 * x2, dz1
    grads["w21"], grads["w22"], grads["b2"] = dz2 * x1, dz2 * x2, dz2
    grads["v1"], grads["v2"], grads["b3"] = d * a1, d * a2, d
    return grads
"""},
     "names": ["course.output-reused"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Fixed cases pass; random check: 7 of 8 cases differ and every 'got' is the same (the last call's values); no cause: a dict shared by every call is not named."}},

    {"id": "l03-221-memo-default",
     "exercise": "backprop_221",
     "bug": "keeps state between calls: caches the forward pass in a mutable default argument keyed by the inputs only (x1, x2), so a second network on the same input reuses the first network's a1, a2, y_hat",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3, _forward={}):
    key = (x1, x2)
    if key not in _forward:
        z1 = w11 * x1 + w12 * x2 + b1
        z2 = w21 * x1 + w22 * x2 + b2
        a1, a2 = sigmoid(z1), sigmoid(z2)
        _forward[key] = (a1, a2, v1 * a1 + v2 * a2 + b3)
    a1, a2, y_hat = _forward[key]
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2,
            "v1": d * a1, "v2": d * a2, "b3": d}
"""},
     "names": ["course.ignores-arguments", "course.state-between-calls"],
     "before": {"visible": 'passed', "hidden_catches": False, "note": 'Every visible and hidden check passes: no test calls the function twice with the same (x1, x2) and other weights, so state kept between calls goes unseen.'}},

    # ------------------------------------------------------------------ Exercise 2: backprop_221_matrix
    {"id": "l03-mat-dW1-transposed",
     "exercise": "backprop_221_matrix",
     "bug": "dW1 = delta1.T @ X, the column form's delta x^T: the transpose of the right answer, with the right shape because W1 is 2x2",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = delta1.T @ X
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.dw1-transposed-row-layout"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: dW1 is transposed: in the row layout dW1 = X.T @ dz1; dz1.T @ X is the column form's delta x^T."}},

    {"id": "l03-mat-dW2-transposed",
     "exercise": "backprop_221_matrix",
     "bug": "dW2 = delta2.T @ A1: shape (1, 2), the transpose of W2's (2, 1)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = delta2.T @ A1
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.dw2-transposed-dw2-a1"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: dW2 is transposed; 'shape (1, 2), expected (2, 1). That is the transpose of the expected shape'."}},

    {"id": "l03-mat-bias-sum-axis1",
     "exercise": "backprop_221_matrix",
     "bug": "bias gradients summed over the wrong axis: delta.sum(axis=1), one number per example",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=1)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=1)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradients-summed-over-2"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the bias gradients were summed over the wrong axis.'}},

    {"id": "l03-mat-bias-keepdims",
     "exercise": "backprop_221_matrix",
     "bug": "bias gradients with keepdims=True: shape (1, 2) and (1, 1) instead of b1's (2,) and b2's (1,)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0, keepdims=True)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0, keepdims=True)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradients-keepdims"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "Headline 'Likely cause: the bias gradients were not summed over the rows' is false (they were, with keepdims=True); only the per-entry line 'An extra axis of length 1: a sum with keepdims=True ...' is right."}},

    {"id": "l03-mat-bias-first-row",
     "exercise": "backprop_221_matrix",
     "bug": "bias gradient taken from the first example only, delta1[0] and delta2[0] (right for m = 1, wrong for a batch)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2[0]
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1[0]
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradient-takes-only"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "m = 1 passes; batch of 3: 'Likely cause: a bias gradient takes only the first row (dz1[0])'."}},

    {"id": "l03-mat-mean-loss",
     "exercise": "backprop_221_matrix",
     "bug": "averages over the batch (divides every gradient by m, the mean loss of lesson 05) though the loss here is the sum; invisible for m = 1",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = (Y_hat - Y) / m
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.gradients-averaged-over-rows"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "m = 1 passes; batch: 'Likely cause: the gradients were averaged over the rows (divided by m)'."}},

    {"id": "l03-mat-bias-mean",
     "exercise": "backprop_221_matrix",
     "bug": "bias gradients averaged over the rows (delta.mean(axis=0)) while the weight gradients are summed",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.mean(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.mean(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradient-averaged-over"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: a bias gradient was averaged over the rows (.mean(axis=0)).'}},

    {"id": "l03-mat-Y-raveled",
     "exercise": "backprop_221_matrix",
     "bug": "broadcasting: flattens the targets, delta2 = Y_hat - Y.ravel(), so (m, 1) - (m,) broadcasts to an (m, m) matrix (right for m = 1 only)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y.ravel()
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.targets-flattened"],
     "before": {"visible": 'misleading', "hidden_catches": True, "note": "m = 1 passes; batch raises the matmul ValueError '... needs the same n in the middle. Print their shapes; a missing or extra .T?': points at transposes, while the bug is Y.ravel() broadcasting (m,1)-(m,) to (m,m); the failing line delta2 @ W2.T is itself right."}},

    {"id": "l03-mat-column-layout-W1",
     "exercise": "backprop_221_matrix",
     "bug": "treats W1 as in the column layout of other texts: Z1 = X @ W1.T, and dW1 = delta1.T @ X to match (consistent, but the wrong layout; shapes all fine since W1 is 2x2)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    # W1[i, j] = w_ij, the weight into unit i from input j
    A1 = sigmoid(X @ W1.T + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = delta1.T @ X
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.forward-pass-used-x"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'All four gradients differ, expected/got only; W1 read in the column layout (X @ W1.T) is not recognised.'}},

    {"id": "l03-mat-slope-matmul",
     "exercise": "backprop_221_matrix",
     "bug": "through the sigmoid with a matrix product instead of the entry-by-entry one: delta1 = dA1 @ (A1 * (1 - A1)).T",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    dA1 = delta2 @ W2.T
    delta1 = dA1 @ (A1 * (1 - A1)).T
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.slope-matmul"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "'grads['W1']: shape (2, 1), expected (2, 2)', 'grads['b1']: shape (1,)'; no cause (@ used where the entry-by-entry * is needed)."}},

    {"id": "l03-mat-dA1-from-Z1",
     "exercise": "backprop_221_matrix",
     "bug": "sigmoid slope from the pre-activation Z1 instead of A1: Z1 * (1 - Z1)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * Z1 * (1 - Z1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.z-used-place-sigmoid-2"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "Likely cause: z was used in place of a in the sigmoid's derivative."}},

    {"id": "l03-mat-dW2-uses-X",
     "exercise": "backprop_221_matrix",
     "bug": "output layer's weight gradient uses the network's input instead of the hidden output: dW2 = X.T @ delta2 (same shape, since X has 2 columns)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = X.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.dW2-uses-X"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "grads['W2'] differ, expected/got only; no cause (X used where A1 is needed)."}},

    {"id": "l03-mat-float32",
     "exercise": "backprop_221_matrix",
     "bug": "casts the inputs to float32 'to be faster': every gradient is right to only ~7 digits",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    X, Y, W1, b1, W2, b2 = (np.asarray(a, dtype=np.float32) for a in (X, Y, W1, b1, W2, b2))
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.matrix-float32", "course.float32"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": 'm = 1 passes; batch: b1 differs by 8.6e-09, expected/got only; float32 not named.'}},

    {"id": "l03-mat-clip-z",
     "exercise": "backprop_221_matrix",
     "bug": "clips Z1 to [-10, 10] before the sigmoid 'against overflow' and computes the slope of the clipped value (wrong wherever |z| > 10: value off, and the true slope of the clip is 0 there)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    Z1 = np.clip(X @ W1 + b1, -10, 10)
    A1 = 1 / (1 + np.exp(-Z1))
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.clips-z1"],
     "before": {"visible": 'passed', "hidden_catches": False, "note": "No visible or hidden case has |z1| > 10, so the clip never acts; lesson 03 has no far-out case like lesson 04's."}},

    {"id": "l03-mat-tuple",
     "exercise": "backprop_221_matrix",
     "bug": "returns a tuple (dW1, db1, dW2, db2) instead of the dict",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return dW1, db1, dW2, db2
"""},
     "names": ["l03.matrix-returns-tuple"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'grads: expected a dict with keys [...], got a tuple of length 4'."}},

    {"id": "l03-mat-no-bias-sum",
     "exercise": "backprop_221_matrix",
     "bug": "bias gradients not summed at all: db1 = delta1 (m, 2), db2 = delta2 (m, 1), as in the column form's db = delta",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradients-summed-over"],
     "before": {"visible": 'named', "hidden_catches": True, "note": 'Likely cause: the bias gradients were not summed over the rows.'}},

    # in-place and aliasing bugs in the matrix exercise
    {"id": "l03-mat-updates-weights",
     "exercise": "backprop_221_matrix",
     "bug": "in place: after computing the gradients it also does step 4, W1 -= 0.5*dW1 etc., changing the caller's arrays (the returned gradients are right)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    lr = 0.5
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    W1 -= lr * dW1
    b1 -= lr * db1
    W2 -= lr * dW2
    b2 -= lr * db2
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument W1 was changed in place' (and b1, W2, b2)."}},

    {"id": "l03-mat-error-into-Y",
     "exercise": "backprop_221_matrix",
     "bug": "in place: computes the error in the targets' array to save memory, E = Y; E -= Y_hat; delta2 = -E, which overwrites the caller's Y (the gradients are right)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    E = Y
    E -= Y_hat
    delta2 = -E
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument Y was changed in place; compute new arrays'."}},

    {"id": "l03-mat-db-aliases-b",
     "exercise": "backprop_221_matrix",
     "bug": "aliasing: wants gradients 'of the bias's shape' and writes db1 = b1; db1[:] = delta1.sum(axis=0), which overwrites the caller's b1 (and b2) and returns the input arrays themselves",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = b2
    db2[:] = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = b1
    db1[:] = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument b1 was changed in place ... or b1.copy()' (and b2)."}},

    {"id": "l03-mat-reshape-b-inplace",
     "exercise": "backprop_221_matrix",
     "bug": "in place: makes the biases rows 'for broadcasting' with b1.shape = (1, 2) and b2.shape = (1, 1), which changes the shape of the caller's arrays (the gradients are right)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    b1.shape = (1, -1)
    b2.shape = (1, -1)
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    dW2 = A1.T @ delta2
    db2 = delta2.sum(axis=0)
    delta1 = (delta2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["course.changes-argument"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "'the argument b1 was changed in place' (and b2); it does not say only the shape changed and the fixes offered (a = a - ..., .copy()) do not mention .shape =, but the student learns b1 was modified."}},

    {"id": "l03-mat-sigmoid-in-place",
     "exercise": "backprop_221_matrix",
     "bug": "in place: for the slope it reuses the hidden activations' array, S = A1; S *= 1 - A1, so A1 itself becomes A1*(1 - A1) before it is used for dW2 (dW2 silently wrong)",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    delta2 = Y_hat - Y
    db2 = delta2.sum(axis=0)
    S = A1
    S *= 1 - A1
    delta1 = (delta2 @ W2.T) * S
    dW1 = X.T @ delta1
    db1 = delta1.sum(axis=0)
    dW2 = A1.T @ delta2
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.dW2-uses-slope"],
     "before": {"visible": 'numbers', "hidden_catches": True, "note": "Only grads['W2'] differs, expected/got only; no cause (A1 overwritten by S *= 1 - A1 before dW2 uses it)."}},

    # cascade: the matrix version built on top of a wrong Exercise 1
    {"id": "l03-cascade-rows-via-221",
     "exercise": "backprop_221",
     "bug": "cascade: backprop_221 multiplies the bias gradients by x1 (bias-times-x1), and backprop_221_matrix is written as a sum over the rows of calls to backprop_221, so Exercise 2 fails because of Exercise 1",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    z1 = w11 * x1 + w12 * x2 + b1
    z2 = w21 * x1 + w22 * x2 + b2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = v1 * a1 + v2 * a2 + b3
    d = y_hat - y
    dz1 = d * v1 * a1 * (1 - a1)
    dz2 = d * v2 * a2 * (1 - a2)
    return {"w11": dz1 * x1, "w12": dz1 * x2, "b1": dz1 * x1,
            "w21": dz2 * x1, "w22": dz2 * x2, "b2": dz2 * x1,
            "v1": d * a1, "v2": d * a2, "b3": d}
""",
               "backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    dW1, db1 = np.zeros_like(W1, dtype=float), np.zeros_like(b1, dtype=float)
    dW2, db2 = np.zeros_like(W2, dtype=float), np.zeros_like(b2, dtype=float)
    for r in range(X.shape[0]):
        g = backprop_221(X[r, 0], X[r, 1], Y[r, 0], W1[0, 0], W1[1, 0], b1[0], W1[0, 1], W1[1, 1], b1[1],
                         W2[0, 0], W2[1, 0], b2[0])
        dW1 += np.array([[g["w11"], g["w21"]], [g["w12"], g["w22"]]])
        db1 += np.array([g["b1"], g["b2"]])
        dW2 += np.array([[g["v1"]], [g["v2"]]])
        db2 += np.array([g["b3"]])
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""},
     "names": ["l03.bias-gradient-multiplied-input"],
     "before": {"visible": 'named', "hidden_catches": True, "note": "test_backprop_221 names 'a bias gradient was multiplied by an input'; test_backprop_221_matrix then fails on the batch with numbers only (b1) and does not say the error comes from backprop_221, which it calls."}},
]

RIGHT = [
    {"id": "l03-right-221-loop-over-units",
     "exercise": "backprop_221",
     "bug": "(right) loops over the two hidden units with lists, the slope written exp(-z)/(1 + exp(-z))**2 with math.exp",
     "cells": {"backprop_221": """import math


def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    x = [x1, x2]
    W = [[w11, w12], [w21, w22]]
    b = [b1, b2]
    v = [v1, v2]
    z = [W[j][0] * x[0] + W[j][1] * x[1] + b[j] for j in range(2)]
    a = [1 / (1 + math.exp(-zj)) for zj in z]
    y_hat = v[0] * a[0] + v[1] * a[1] + b3
    d = y_hat - y
    grads = {"v1": d * a[0], "v2": d * a[1], "b3": d}
    for j in range(2):
        dz = d * v[j] * math.exp(-z[j]) / (1 + math.exp(-z[j])) ** 2
        grads[f"w{j + 1}1"] = dz * x[0]
        grads[f"w{j + 1}2"] = dz * x[1]
        grads[f"b{j + 1}"] = dz
    return grads
"""}},

    {"id": "l03-right-221-via-numpy",
     "exercise": "backprop_221",
     "bug": "(right) builds the row-layout arrays inside the function and does the matrix backward pass, then unpacks into python floats",
     "cells": {"backprop_221": """def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    X = np.array([[x1, x2]])
    W1 = np.array([[w11, w21], [w12, w22]])
    B1 = np.array([b1, b2])
    W2 = np.array([[v1], [v2]])
    A1 = sigmoid(X @ W1 + B1)
    d2 = A1 @ W2 + b3 - y
    d1 = (d2 @ W2.T) * A1 * (1 - A1)
    dW1 = X.T @ d1
    dW2 = A1.T @ d2
    return {"w11": float(dW1[0, 0]), "w12": float(dW1[1, 0]), "b1": float(d1[0, 0]),
            "w21": float(dW1[0, 1]), "w22": float(dW1[1, 1]), "b2": float(d1[0, 1]),
            "v1": float(dW2[0, 0]), "v2": float(dW2[1, 0]), "b3": float(d2[0, 0])}
"""}},

    {"id": "l03-right-221-tanh-form",
     "exercise": "backprop_221",
     "bug": "(right) sigmoid written as (1 + tanh(z/2))/2 and the slope as (1 - tanh(z/2)**2)/4",
     "cells": {"backprop_221": """import math


def backprop_221(x1, x2, y, w11, w12, b1, w21, w22, b2, v1, v2, b3):
    t1 = math.tanh((w11 * x1 + w12 * x2 + b1) / 2)
    t2 = math.tanh((w21 * x1 + w22 * x2 + b2) / 2)
    a1, a2 = (1 + t1) / 2, (1 + t2) / 2
    e = v1 * a1 + v2 * a2 + b3 - y
    g1 = e * v1 * (1 - t1 * t1) / 4
    g2 = e * v2 * (1 - t2 * t2) / 4
    return dict(w11=g1 * x1, w12=g1 * x2, b1=g1, w21=g2 * x1, w22=g2 * x2, b2=g2, v1=e * a1, v2=e * a2, b3=e)
"""}},

    {"id": "l03-right-mat-einsum",
     "exercise": "backprop_221_matrix",
     "bug": "(right) every product with np.einsum, the bias gradients with einsum too",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(np.einsum("mi,ij->mj", X, W1) + b1)
    D2 = np.einsum("mj,jk->mk", A1, W2) + b2 - Y
    D1 = np.einsum("mk,jk->mj", D2, W2) * A1 * (1 - A1)
    return {"W1": np.einsum("mi,mj->ij", X, D1), "b1": np.einsum("mj->j", D1),
            "W2": np.einsum("mj,mk->jk", A1, D2), "b2": np.einsum("mk->k", D2)}
"""}},

    {"id": "l03-right-mat-column-form",
     "exercise": "backprop_221_matrix",
     "bug": "(right) converts to the column layout, does the column-form backward pass (delta x^T, W^T delta), and transposes back",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    x, y = X.T, Y.T                                  # (2, m), (1, m)
    Wc1, Wc2 = W1.T, W2.T                            # (2, 2), (1, 2)
    a1 = sigmoid(Wc1 @ x + b1[:, None])
    d2 = Wc2 @ a1 + b2[:, None] - y                  # (1, m)
    d1 = (Wc2.T @ d2) * a1 * (1 - a1)                # (2, m)
    return {"W1": (d1 @ x.T).T, "b1": d1.sum(axis=1), "W2": (d2 @ a1.T).T, "b2": d2.sum(axis=1)}
"""}},

    {"id": "l03-right-mat-broadcast-and-ones",
     "exercise": "backprop_221_matrix",
     "bug": "(right) dL/dA1 as delta2 * W2.T (broadcasting works because there is one output), bias sums as ones @ delta",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    ones = np.ones(X.shape[0])
    A1 = sigmoid(X @ W1 + b1)
    delta2 = A1 @ W2 + b2 - Y
    delta1 = delta2 * W2.T * A1 * (1 - A1)
    return {"W1": X.T @ delta1, "b1": ones @ delta1, "W2": A1.T @ delta2, "b2": ones @ delta2}
"""}},

    {"id": "l03-right-mat-row-loop",
     "exercise": "backprop_221_matrix",
     "bug": "(right, though the brief asks for no loops) sums the outer products of one row at a time, on copies",
     "cells": {"backprop_221_matrix": """def backprop_221_matrix(X, Y, W1, b1, W2, b2):
    grads = {"W1": np.zeros(W1.shape), "b1": np.zeros(b1.shape), "W2": np.zeros(W2.shape), "b2": np.zeros(b2.shape)}
    for r in range(len(X)):
        x, t = X[r:r + 1], Y[r:r + 1]
        a = sigmoid(x @ W1 + b1)
        d2 = a @ W2 + b2 - t
        d1 = (d2 @ W2.T) * a * (1 - a)
        grads["W1"] += x.T @ d1
        grads["b1"] += d1[0]
        grads["W2"] += a.T @ d2
        grads["b2"] += d2[0]
    return grads
"""}},
]
